/* status.c: `venvhook status`: what the hook sees from the current directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "env_moved.h"
#include "quote.h"
#include "plan.h"

static void line(const char *key, const char *value)
{
	char *shown = printable(value);
	printf("%-9s %s\n", key, shown);
	free(shown);
}

static const char *marker_kind_name(enum marker_kind k)
{
	switch (k) {
	case MARKER_VENVHOOK: return "a .venvhook file";
	case MARKER_VENV_DIR: return "a .venv directory";
	case MARKER_VENV_FILE: return "a .venv file";
	case MARKER_PYTHON_VERSION: return "a .python-version naming a pyenv-virtualenv env";
	case MARKER_WORKON_PROJECT: return "a virtualenvwrapper env's .project naming this directory";
	default: return "none";
	}
}

static const char *trust_name(enum trust t)
{
	switch (t) {
	case TRUST_ALLOWED: return "allowed";
	case TRUST_DENIED: return "denied";
	case TRUST_REPLACED: return "not trusted (replaced since it was allowed)";
	case TRUST_CONFIG: return "trusted (in a [trust] directory of your config)";
	default: return "not trusted";
	}
}

int cmd_status(int argc, char **argv)
{
	struct operands o;
	options_parse("status", argc, argv, NULL, 0, 0, &o);
	if (o.n || o.dashdash)
		usage_error("status", "status takes no arguments");
	char *cwd = current_dir();
	const struct config *cfg = config_get();
	const char *venv = env_get("VIRTUAL_ENV");
	const char *ours = env_get("__VENVHOOK_ENV");
	const char *off = env_get("__VENVHOOK_OFF");
	const char *shell = env_get("__VENVHOOK_SHELL");
	/* The shell function says when its prompt hook is gone: an rc file
	 * that sets PROMPT_COMMAND or precmd_functions after the init line. */
	const char *hooked = env_get("__VENVHOOK_HOOKED");
	int unhooked = shell && hooked && strcmp(hooked, "0") == 0;
	struct hook_state st = { venv, ours, "", off ? off : "" };
	struct plan p;
	plan_make(cwd, cfg, &st, PLAN_SHOW_IGNORED, &p);
	line("directory", cwd);
	if (p.v.proj.kind == MARKER_NONE) {
		line("marker", "none from here up to /");
	} else {
		char *m = xasprintf("%s (%s)", p.v.proj.marker, marker_kind_name(p.v.proj.kind));
		line("marker", m);
		free(m);
		line("project", p.v.proj.dir);
	}
	if (p.v.proj.env) {
		line("env", p.v.proj.env);
		if (p.v.name)
			line("name", p.v.name);
		if (p.v.real)
			line("trust", trust_name(p.v.trust));
		/* Moved or copied: its scripts still name the old path. */
		char *old = p.v.real ? env_made_elsewhere(p.v.proj.env, &p.v.cfg) : NULL;
		if (old) {
			char *m = xasprintf("made at '%s'; 'venvhook repair' fixes its scripts", old);
			line("moved", m);
			free(m);
			free(old);
		}
	}
	struct sbuf why = SBUF_INIT;
	/* venvhook activates an env by its real path. */
	int active = p.v.proj.env && venv &&
		     (strcmp(venv, p.v.proj.env) == 0 || (p.v.real && strcmp(venv, p.v.real) == 0));
	if (active) {
		line("state", ours && strcmp(ours, venv) == 0 ? "active (activated by venvhook)"
				 : "active (activated by hand)");
	} else {
		const char *disable = env_get("VENVHOOK_DISABLE");
		if (p.manual)
			sb_addf(&why, "another env, activated by hand, is active: '%s'", venv);
		else if (disable && strcmp(disable, "0") != 0)
			sb_adds(&why, "VENVHOOK_DISABLE is set: the hook is off in this shell");
		else if (p.ignored)
			sb_addf(&why, "the directory matches the [hook] ignore pattern '%s' ('%s' line %d)",
				p.ignored->text, cfg->path, p.ignored->line);
		else if (p.v.kind == VERDICT_NONE)
			sb_adds(&why, "no env for this directory");
		else if (p.v.kind != VERDICT_ACTIVATE)
			sb_adds(&why, p.v.why);
		else if (p.kept_off)
			sb_adds(&why, "deactivated by hand in this project; it comes back when you enter it again");
		else if (!shell)
			sb_adds(&why, "this shell has not loaded the integration (see 'venvhook init')");
		else if (unhooked)
			sb_adds(&why, "this shell's prompt hook is gone");
		else
			sb_adds(&why, "it will be activated at the next prompt");
		char *s = xasprintf("not active: %s", why.s);
		line("state", s);
		free(s);
	}
	sb_free(&why);
	if (unhooked)
		line("hook", strcmp(shell, "zsh") == 0
			? "not registered: precmd_functions was set after the init line (load venvhook last)"
			: "not registered: PROMPT_COMMAND was set after the init line (load venvhook last)");
	plan_free(&p);
	free(cwd);
	return stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
}
