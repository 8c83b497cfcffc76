/* status.c: `venvhook status`: what the hook sees from the current directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "env_moved.h"
#include "quote.h"
#include "verdict.h"

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
	(void)argv;
	if (argc != 1)
		usage_error("status", "status takes no arguments");
	char *cwd = current_dir();
	struct verdict v;
	verdict_for(cwd, &v, NULL);
	line("directory", cwd);
	const char *venv = env_get("VIRTUAL_ENV");
	const char *ours = env_get("__VENVHOOK_ENV");
	const char *off = env_get("__VENVHOOK_OFF");
	const char *shell = env_get("__VENVHOOK_SHELL");
	if (v.proj.kind == MARKER_NONE) {
		line("marker", "none from here up to /");
	} else {
		char *m = xasprintf("%s (%s)", v.proj.marker, marker_kind_name(v.proj.kind));
		line("marker", m);
		free(m);
		line("project", v.proj.dir);
	}
	if (v.proj.env) {
		line("env", v.proj.env);
		if (v.name)
			line("name", v.name);
		if (v.real)
			line("trust", trust_name(v.trust));
		/* Moved or copied: its scripts still name the old path. */
		char *old = v.real ? env_made_elsewhere(v.proj.env, &v.cfg) : NULL;
		if (old) {
			char *m = xasprintf("made at '%s'; 'venvhook repair' fixes its scripts", old);
			line("moved", m);
			free(m);
			free(old);
		}
	}
	struct sbuf why = SBUF_INIT;
	/* venvhook activates an env by its real path. */
	int active = v.proj.env && venv &&
		     (strcmp(venv, v.proj.env) == 0 || (v.real && strcmp(venv, v.real) == 0));
	if (active) {
		line("state", ours && strcmp(ours, venv) == 0 ? "active (activated by venvhook)"
				 : "active (activated by hand)");
	} else {
		const struct config *cfg = config_get();
		const struct config_pattern *ign = NULL;
		const char *disable = env_get("VENVHOOK_DISABLE");
		if (venv && (!ours || strcmp(venv, ours) != 0))
			sb_addf(&why, "another env, activated by hand, is active: '%s'", venv);
		else if (disable && strcmp(disable, "0") != 0)
			sb_adds(&why, "VENVHOOK_DISABLE is set: the hook is off in this shell");
		else if (config_ignored(cfg, cwd, &ign) == 1)
			sb_addf(&why, "the directory matches the [hook] ignore pattern '%s' ('%s' line %d)",
				ign->text, cfg->path, ign->line);
		else if (v.kind == VERDICT_NONE)
			sb_adds(&why, "no env for this directory");
		else if (v.kind != VERDICT_ACTIVATE)
			sb_adds(&why, v.why);
		else if (off && path_within(cwd, off) && v.proj.dir && strcmp(off, v.proj.dir) == 0)
			sb_adds(&why, "deactivated by hand in this project; it comes back when you enter it again");
		else if (!shell)
			sb_adds(&why, "this shell has not loaded the integration (see 'venvhook init')");
		else
			sb_adds(&why, "it will be activated at the next prompt");
		char *s = xasprintf("not active: %s", why.s);
		line("state", s);
		free(s);
	}
	sb_free(&why);
	verdict_free(&v);
	free(cwd);
	return stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
}
