/* hook.c: `venvhook hook SHELL [APPLIED [OFF [NOTIFIED [CONFNOTE [DRIFT]]]]]`, run by the prompt hook.
 *
 * It compares what is active with what should be, and prints the shell
 * code that gets from one to the other, in calls to the functions the
 * integration script defines:
 *   __venvhook_activate ENV PROMPT_VAR PROMPT_PREFIX PROJECT
 *   __venvhook_adopt PROMPT_PREFIX PROJECT    (an env inherited from a parent shell)
 *   __venvhook_deactivate                     (undo ours exactly)
 *   __venvhook_disown                         (ours was replaced behind our back)
 *   __venvhook_orphan                         (a deactivate for an inherited manual env)
 * then the shell-local state, __venvhook_same and __venvhook_unchanged.
 * __venvhook_same tests, in stats only, that the env venvhook made active
 * is still the one that was judged: the path the marker names still leads
 * to the real path on PATH, and the env there still holds the token of its
 * allow record (see trust.h).  __venvhook_unchanged tests that too, inline,
 * and the paths the walk looked at, which lets the shell skip this helper
 * while nothing changed; when the helper cannot run, the shell itself takes
 * the env off if __venvhook_same fails or $PWD leaves the project.  What
 * goes on PATH and into VIRTUAL_ENV is the env's real path, the one judged.
 * The state comes from the exported variables VIRTUAL_ENV and
 * __VENVHOOK_ENV and from the arguments: APPLIED, the project this shell set
 * up its prompt and deactivate for (two projects may share one env); OFF,
 * the project where the user typed deactivate (the shell sets it from
 * __venvhook_here, the project of the last run, when VIRTUAL_ENV went away,
 * whoever had activated it); NOTIFIED, what the last
 * one-line notice was about; CONFNOTE, the last message about a malformed
 * config, shown once per shell; DRIFT, what the active env was last compared
 * with its requirements file at (drift.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "drift.h"
#include "quote.h"
#include "registry.h"
#include "verdict.h"

struct out {
	struct sbuf b;
	enum shell sh;
};

static void stmt_begin(struct out *o, const char *word)
{
	if (o->b.len)
		sb_adds(&o->b, o->sh == SHELL_FISH ? "; " : "\n");
	sb_adds(&o->b, word);
}

static void arg(struct out *o, const char *s)
{
	sb_addc(&o->b, ' ');
	quote_word(&o->b, o->sh, s ? s : "");
}

static void set_var(struct out *o, const char *name, const char *value)
{
	if (o->sh == SHELL_FISH) {
		stmt_begin(o, "set -g ");
		sb_adds(&o->b, name);
		arg(o, value);
	} else {
		stmt_begin(o, name);
		sb_addc(&o->b, '=');
		quote_word(&o->b, o->sh, value);
	}
}

/* A function body that is one test: test_begin opens it ("[[ " or
 * "test "); test_end closes it after n conditions, or makes it a plain
 * true when there were none, and ends the function. */
static size_t test_begin(struct out *o)
{
	size_t mark = o->b.len;
	sb_adds(&o->b, o->sh == SHELL_FISH ? "test " : "[[ ");
	return mark;
}

static void test_end(struct out *o, size_t mark, int n)
{
	int fish = o->sh == SHELL_FISH;
	if (n) {
		if (!fish)
			sb_adds(&o->b, " ]]");
	} else {
		o->b.len = mark;
		o->b.s[mark] = 0;
		sb_adds(&o->b, fish ? "true" : ":");
	}
	sb_adds(&o->b, fish ? "; end" : "; }");
}

/* What venvhook made active, for __venvhook_same: env is the path the
 * marker names, real the real path on PATH, token the token of its allow
 * record ("" for an env trusted by the config, which has none). */
struct same {
	const char *env, *real, *token;
};

/* Appends the tests of s, each after sep (" && " or " -a "), as stats
 * only: MARKED -ef REAL for a link, -f REAL/.venvhook-id/TOKEN.  Returns
 * how many. */
static int same_tests(struct out *o, const struct same *s, const char *sep, int n)
{
	if (strcmp(s->env, s->real) != 0) {     /* a link: not retargeted */
		if (n++)
			sb_adds(&o->b, sep);
		quote_word(&o->b, o->sh, s->env);
		sb_adds(&o->b, " -ef");
		arg(o, s->real);
	}
	if (*s->token) {
		char *file = xasprintf("%s/%s/%s", s->real, ENV_TOKEN_DIR, s->token);
		if (n++)
			sb_adds(&o->b, sep);
		sb_adds(&o->b, "-f");
		arg(o, file);
		free(file);
	}
	return n;
}

/* __venvhook_same, for the shell's fail-safe; emitted only while an env of
 * venvhook's is active, the only time the shell calls it. */
static void emit_same(struct out *o, const struct same *s)
{
	int fish = o->sh == SHELL_FISH;
	stmt_begin(o, fish ? "function __venvhook_same; " : "__venvhook_same() { ");
	size_t mark = test_begin(o);
	test_end(o, mark, same_tests(o, s, fish ? " -a " : " && ", 0));
}

/* __venvhook_unchanged: the paths the walk looked at are as they were,
 * inline (a function call costs more than a stat) s still holds and, with
 * drift, neither the requirements file nor the env's site-packages is
 * newer than the stamp. */
static void emit_watch(struct out *o, const struct watch *w, const struct same *s,
		       const struct drift *dr)
{
	int fish = o->sh == SHELL_FISH;
	const char *sep = fish ? " -a " : " && ";
	stmt_begin(o, fish ? "function __venvhook_unchanged; " : "__venvhook_unchanged() { ");
	size_t mark = test_begin(o);
	int n = 0;
	for (size_t i = 0; i < w->n; i++) {
		if (n++)
			sb_adds(&o->b, sep);
		sb_adds(&o->b, w->exists[i] ? "-e" : "! -e");
		arg(o, w->path[i]);
	}
	if (s)
		n = same_tests(o, s, sep, n);
	const char *newer[] = { dr->reqfile, dr->site };
	for (size_t i = 0; dr->stamp && i < 2; i++) {
		if (n++)
			sb_adds(&o->b, sep);
		sb_adds(&o->b, "!");
		arg(o, newer[i]);
		sb_adds(&o->b, " -nt");
		arg(o, dr->stamp);
	}
	test_end(o, mark, n);
}

/* A refusal the user can mend in place (chmod o-w .venv) changes nothing a
 * builtin test sees: while it stands, the helper runs at every prompt. */
static void emit_rerun(struct out *o)
{
	int fish = o->sh == SHELL_FISH;
	stmt_begin(o, fish ? "function __venvhook_unchanged; false; end"
			   : "__venvhook_unchanged() { return 1; }");
}

int cmd_hook(int argc, char **argv)
{
	struct out o = { SBUF_INIT, SHELL_BASH };
	if (argc < 2 || argc > 7)
		usage_error("hook", "hook takes a shell name and up to five states");
	if (shell_parse(argv[1], &o.sh) < 0)
		usage_error("hook", "unknown shell '%s' (bash, zsh or fish)", argv[1]);
	const char *applied = argc > 2 ? argv[2] : "";
	const char *off = argc > 3 ? argv[3] : "";
	const char *notified = argc > 4 ? argv[4] : "";
	const char *confnote = argc > 5 ? argv[5] : "";
	const char *drift_last = argc > 6 ? argv[6] : "";
	/* A malformed config is reported below, once per shell, not here. */
	const struct config *cfg = config_get_quiet();
	const char *venv = env_get("VIRTUAL_ENV");
	const char *ours = env_get("__VENVHOOK_ENV");

	/* Ours was replaced or unset by something other than our deactivate. */
	if (ours && (!venv || strcmp(venv, ours) != 0)) {
		stmt_begin(&o, "__venvhook_disown");
		ours = NULL;
	}
	const char *current = ours;           /* ours, and active */
	int manual = venv && !current;        /* activated by hand: not ours to touch */

	char *cwd = current_dir();
	struct watch w = { 0 };
	struct verdict v;
	int ignored = config_ignored(cfg, cwd, NULL) == 1;
	if (ignored)
		memset(&v, 0, sizeof v);        /* [hook] ignore: nothing here, not even a walk */
	else
		verdict_for(cwd, &v, &w);

	/* The real path: the one that was judged (a .venv link may be
	 * retargeted later; __venvhook_same notices). */
	const char *want = v.kind == VERDICT_ACTIVATE ? v.real : NULL;
	/* Where a deactivate typed before the next run keeps the env off (the
	 * shell empties it before each run). */
	if (v.kind != VERDICT_NONE && v.proj.dir)
		set_var(&o, "__venvhook_here", v.proj.dir);
	if (*off) {
		if (v.proj.dir && strcmp(v.proj.dir, off) == 0 && path_within(cwd, off))
			want = NULL;    /* the user typed deactivate in this project */
		else
			set_var(&o, "__venvhook_off", "");
	}

	if (manual) {
		if (*applied)
			set_var(&o, "__venvhook_applied", "");
		/* Inherited from a parent shell, it may lack a deactivate here. */
		stmt_begin(&o, "__venvhook_orphan");
	} else if (current && want && strcmp(current, want) == 0 &&
		   (!*applied || strcmp(applied, v.proj.dir) == 0)) {
		if (!*applied) {    /* inherited from a parent shell */
			char *prefix = config_prompt_prefix(cfg, v.name);
			stmt_begin(&o, "__venvhook_adopt");
			arg(&o, prefix);
			arg(&o, v.proj.dir);
			free(prefix);
		}
	} else {
		if (current)
			stmt_begin(&o, "__venvhook_deactivate");
		if (want) {
			char *name = printable(v.name);
			char *prefix = config_prompt_prefix(cfg, v.name);
			char *var = venv_prompt_var(name, &v.cfg);
			stmt_begin(&o, "__venvhook_activate");
			arg(&o, want);
			arg(&o, var);
			arg(&o, prefix);
			arg(&o, v.proj.dir);
			free(var);
			free(prefix);
			free(name);
			/* Never fails the hook: a registry problem costs the record. */
			char err[1200];
			registry_record(want, v.proj.kind == MARKER_VENV_DIR ? NULL : v.proj.dir,
					REGISTRY_ACTIVATED, err, sizeof err);
		}
	}

	/* Does the env still match the project's requirements file?  Once per
	 * entry, and again when the file or the env's packages change. */
	struct drift dr = { 0 };
	if (want && !manual && cfg->drift) {
		const char *req = v.proj.requirements ? v.proj.requirements
				  : cfg->requirements ? cfg->requirements : "requirements.txt";
		drift_measure(v.proj.dir, req, want, &v.cfg, drift_last, &dr);
		if (!dr.exists)
			watch_add(&w, dr.reqfile, 0);   /* a git pull may bring one */
		char *msg = cfg->notify ? drift_message(&dr, req) : NULL;
		if (msg)
			notify(msg);
		free(msg);
	}
	if (strcmp(drift_last, dr.key ? dr.key : "") != 0)
		set_var(&o, "__venvhook_drift", dr.key ? dr.key : "");

	/* One line about a marker that cannot be used, or about a project that
	 * has no env, once per entry.  A project's key is its directory after
	 * a '+', kept while the shell stays below it. */
	int quiet = manual || v.kind == VERDICT_DENIED;
	char *suggestion = NULL;
	if (v.kind == VERDICT_NONE && !ignored && !manual && cfg->notify && cfg->suggest)
		suggestion = drift_suggest(cwd);
	if (v.why[0] && !quiet && v.kind != VERDICT_DISABLED && cfg->notify) {
		if (strcmp(notified, v.proj.marker) != 0) {
			notify(v.why);
			set_var(&o, "__venvhook_notified", v.proj.marker);
		}
	} else if (suggestion) {
		if (notified[0] != '+' || strcmp(notified + 1, cwd) != 0) {
			notify(suggestion);
			char *key = xasprintf("+%s", cwd);
			set_var(&o, "__venvhook_notified", key);
			free(key);
		}
	} else if (*notified && !(notified[0] == '+' && path_within(cwd, notified + 1))) {
		set_var(&o, "__venvhook_notified", "");
	}
	free(suggestion);

	/* One line about a malformed config, once per shell (until it changes). */
	const char *cfg_msg = cfg->error ? cfg->error : "";
	if (strcmp(confnote, cfg_msg) != 0) {
		if (*cfg_msg)
			notify(cfg_msg);
		set_var(&o, "__venvhook_confnote", cfg_msg);
	}

	struct same same = { v.proj.env, want, v.trust == TRUST_ALLOWED ? v.id.token : "" };
	if (want && !manual)
		emit_same(&o, &same);
	if (v.kind == VERDICT_UNSAFE && v.state != VENV_BAD_PATH)
		emit_rerun(&o);
	else
		emit_watch(&o, &w, want && !manual ? &same : NULL, &dr);
	sb_addc(&o.b, '\n');
	fwrite(o.b.s, 1, o.b.len, stdout);
	sb_free(&o.b);
	watch_free(&w);
	drift_free(&dr);
	verdict_free(&v);
	free(cwd);
	return stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
}
