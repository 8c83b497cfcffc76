/* hook.c: `venvhook hook SHELL [APPLIED [OFF [NOTIFIED [CONFNOTE [DRIFT [MEMO NOW]]]]]]`,
 * run by the prompt hook.
 *
 * It compares what is active with what should be, and prints the shell
 * code that gets from one to the other, in calls to the functions the
 * integration script defines:
 *   __venvhook_activate ENV PROMPT_VAR PROMPT_PREFIX PROJECT
 *   __venvhook_adopt PROMPT_PREFIX PROJECT    (an env inherited from a parent shell)
 *   __venvhook_deactivate                     (undo ours exactly)
 *   __venvhook_disown                         (ours was replaced behind our back)
 *   __venvhook_orphan                         (a deactivate for an inherited manual env)
 * then the shell-local state, __venvhook_same and __venvhook_hook.
 * __venvhook_same tests, in stats only, that the env venvhook made active
 * is still the one that was judged: the path the marker names still leads
 * to the real path on PATH, and the env there still holds the token of its
 * allow record (see trust.h).  __venvhook_hook tests that too, inline,
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
 * with its requirements file at (drift.h).  MEMO and NOW (bash and zsh):
 * where the answer can be kept (emit_memo), it comes as the function MEMO
 * that the shell may call instead of starting the helper again, while
 * $SECONDS, NOW when the shell asked, is under MEMO_TTL seconds on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "config.h"
#include "drift.h"
#include "memo.h"
#include "quote.h"
#include "registry.h"
#include "plan.h"
#include "verdict.h"

/* What differs between the shells' dialects of the code printed here. */
struct dialect {
	const char *next;       /* between two statements */
	const char *and;        /* between two conditions of one test */
	const char *set, *set_is; /* what goes before and after a variable's name */
	const char *same;       /* __venvhook_same's head, up to its test */
	const char *test;       /* a test's head */
	const char *end_test;   /* a test's tail */
	const char *truth;      /* a test without conditions */
	const char *end_fn;     /* a function's tail */
	/* The prompt hook with the watch inline: its head, up to the last
	 * fixed condition (nothing disabled it, and $PWD, the active env and
	 * ours are what they were after the last run), and its tail, which
	 * runs __venvhook_check when a condition fails.  No other function is
	 * called on a prompt where nothing changed: a call costs more than a
	 * stat, in zsh several. */
	const char *hook, *end_hook;
	const char *hook_always; /* the hook that runs __venvhook_check always */
	int memo;               /* the shell can keep and replay an answer (memo.h) */
};

/* bash and zsh share all but how the hook tests the state it was made for
 * and its care for $?.  bash compares with test, byte for byte: under
 * nocasematch, [[ == ]] would take /a/Proj for /a/proj.  zsh's prompt is
 * also expanded under the user's prompt_subst, which the prefix follows,
 * and zsh itself puts $? back after each precmd and chpwd function. */
#define POSIX_LIKE(keep, key, give) \
	"\n", " && ", "", "=", "__venvhook_same() { ", "[[ ", " ]]", ":", "; }", \
	"__venvhook_hook() { " keep key, \
	" ]] || __venvhook_check" give "; }", \
	"__venvhook_hook() { " keep "__venvhook_check" give "; }", 1

static const struct dialect dialects[] = {
	[SHELL_BASH] = { POSIX_LIKE("__venvhook_s=$?; ",
				    "\\builtin test \"$PWD\"$'\\n'\"${VIRTUAL_ENV-}\"$'\\n'\"${__VENVHOOK_ENV-}\" "
				    "= \"$__venvhook_key\" && "
				    "[[ ${VENVHOOK_DISABLE:-0} == 0",
				    "; return $__venvhook_s") },
	[SHELL_ZSH] = { POSIX_LIKE("",
				   "[[ ${VENVHOOK_DISABLE:-0} == 0 && "
				   "${options[promptsubst]-off} == \"$__venvhook_promptsubst\" && "
				   "$PWD$'\\n'${VIRTUAL_ENV-}$'\\n'${__VENVHOOK_ENV-} == \"$__venvhook_key\"",
				   "") },
	[SHELL_FISH] = {
		"; ", " -a ", "set -g ", " ", "function __venvhook_same; ", "test ", "", "true", "; end",
		"function __venvhook_hook --on-event fish_prompt; set -g __venvhook_s $status; "
		"if test -z \"$VENVHOOK_DISABLE\" -o \"$VENVHOOK_DISABLE\" = 0; "
		"and test \"$PWD\"\\n\"$VIRTUAL_ENV\"\\n\"$__VENVHOOK_ENV\" = \"$__venvhook_key\"",
		"; else; __venvhook_check; end; return $__venvhook_s; end",
		"function __venvhook_hook --on-event fish_prompt; set -g __venvhook_s $status; "
		"__venvhook_check; return $__venvhook_s; end",
		0,      /* fish has no clock builtin to tell an answer's age */
	},
};
#undef POSIX_LIKE

struct out {
	struct sbuf b;
	enum shell sh;
	const struct dialect *d;
};

static void stmt_begin(struct out *o, const char *word)
{
	if (o->b.len)
		sb_adds(&o->b, o->d->next);
	sb_adds(&o->b, word);
}

static void arg(struct out *o, const char *s)
{
	sb_addc(&o->b, ' ');
	quote_word(&o->b, o->sh, s ? s : "");
}

static void set_var(struct out *o, const char *name, const char *value)
{
	stmt_begin(o, o->d->set);
	sb_adds(&o->b, name);
	sb_adds(&o->b, o->d->set_is);
	quote_word(&o->b, o->sh, value);
}

/* Appends one condition of a test: sep before all but the first. */
static void cond(struct out *o, int *n)
{
	if ((*n)++)
		sb_adds(&o->b, o->d->and);
}

/* What venvhook made active, for __venvhook_same: env is the path the
 * marker names, real the real path on PATH, token the token of its allow
 * record ("" for an env trusted by the config, which has none). */
struct same {
	const char *env, *real, *token;
};

/* Appends the tests of s as stats only: MARKED -ef REAL for a link,
 * -f REAL/.venvhook-id/TOKEN.  n counts the conditions so far. */
static void same_tests(struct out *o, const struct same *s, int *n)
{
	if (strcmp(s->env, s->real) != 0) {     /* a link: not retargeted */
		cond(o, n);
		quote_word(&o->b, o->sh, s->env);
		sb_adds(&o->b, " -ef");
		arg(o, s->real);
	}
	if (*s->token) {
		char *file = xasprintf("%s/%s/%s", s->real, ENV_TOKEN_DIR, s->token);
		cond(o, n);
		sb_adds(&o->b, "-f");
		arg(o, file);
		free(file);
	}
}

/* __venvhook_same, for the shell's fail-safe; emitted only while an env of
 * venvhook's is active, the only time the shell calls it. */
static void emit_same(struct out *o, const struct same *s)
{
	stmt_begin(o, o->d->same);
	size_t mark = o->b.len;
	int n = 0;
	sb_adds(&o->b, o->d->test);
	same_tests(o, s, &n);
	if (n) {
		sb_adds(&o->b, o->d->end_test);
	} else {
		o->b.len = mark;
		o->b.s[mark] = 0;
		sb_adds(&o->b, o->d->truth);
	}
	sb_adds(&o->b, o->d->end_fn);
}

/* Appends the condition that file is not newer than ref. */
static void not_newer(struct out *o, const char *file, const char *ref, int *n)
{
	cond(o, n);
	sb_adds(&o->b, "!");
	arg(o, file);
	sb_adds(&o->b, " -nt");
	arg(o, ref);
}

/* Whether the test that w's path i exists is implied by another: one that
 * a path below it exists, or the token's (in the directory token, or
 * NULL).  One stat fewer each. */
static int implied(const struct watch *w, size_t i, const char *token)
{
	const char *p = w->path[i];
	size_t len = strlen(p);
	if (!w->exists[i])
		return 0;
	if (token && strncmp(token, p, len) == 0 && token[len] == '/')
		return 1;
	for (size_t j = 0; j < w->n; j++)
		if (w->exists[j] && strncmp(w->path[j], p, len) == 0 && w->path[j][len] == '/')
			return 1;
	return 0;
}

/* Appends the watch's tests: the paths the walk looked at are as they
 * were, s (if not NULL) still holds and, with drift, neither the
 * requirements file nor the env's site-packages is newer than the stamp. */
static void watch_tests(struct out *o, const struct watch *w, const struct same *s,
			const struct drift *dr, int *n)
{
	char *token = s && *s->token ? xasprintf("%s/%s/", s->real, ENV_TOKEN_DIR) : NULL;
	for (size_t i = 0; i < w->n; i++) {
		if (implied(w, i, token))
			continue;
		cond(o, n);
		sb_adds(&o->b, w->exists[i] ? "-e" : "! -e");
		arg(o, w->path[i]);
	}
	free(token);
	if (s)
		same_tests(o, s, n);
	const char *newer[] = { dr->reqfile, dr->site };
	for (size_t i = 0; dr->stamp && i < 2; i++)
		not_newer(o, newer[i], dr->stamp, n);
}

/* Whether the watch already tests that PATH does not exist. */
static int watched_absent(const struct watch *w, const char *path)
{
	for (size_t i = 0; i < w->n; i++)
		if (!w->exists[i] && strcmp(w->path[i], path) == 0)
			return 1;
	return 0;
}

/* The prompt hook, with the watch inline.  Without a watch (w NULL) it
 * runs the helper at every prompt. */
static void emit_hook(struct out *o, const struct watch *w, const struct same *s,
		      const struct drift *dr)
{
	if (!w) {
		stmt_begin(o, o->d->hook_always);
		return;
	}
	stmt_begin(o, o->d->hook);
	int n = 1;      /* after the fixed conditions */
	watch_tests(o, w, s, dr, &n);
	sb_adds(&o->b, o->d->end_hook);
}

/* The memo: the answer as a function the shell may call, on coming back to
 * this directory in the same state (the arguments, VIRTUAL_ENV,
 * __VENVHOOK_ENV and the variables that place venvhook's files, which the
 * shell keys it by), instead of starting the helper: name runs the answer,
 * nameA, when $SECONDS is within MEMO_TTL seconds from now (on neither
 * side: a SECONDS the user set back does not lengthen its life, and one
 * unset since never holds) and a test of builtins holds; it says again
 * what this run noticed (notices, as printed: the drift of an env), as the
 * helper would in the same state.  The test holds where nothing this run
 * judged can have changed unseen: the watch, which must be whole; the
 * token, which proves the allow stands and the env is the one allowed; and
 * what was read from files (the marker, the env's pyvenv.cfg, the config,
 * what drift compared) not newer than their stamp (memo.h).  Owner and
 * mode changes no builtin test sees, nor the registry's record of the
 * activation: the memo lapses after MEMO_TTL.  The output defines both,
 * runs nameA now and sets __venvhook_g to name.  For an env of venvhook's with a token (s), or for
 * no project at all (s NULL: the walk found no marker up to /; then the
 * files a suggestion looks for must still be there or not as they were,
 * and a run that made one is not kept: it read .python-version).  The
 * caller keeps no run that printed an error or a warning.  Returns 0, or
 * -1 (nothing printed) when no stamp can be made. */
static int emit_memo(struct out *o, const struct plan *p, const struct same *s,
		     const struct drift *dr, const struct config *cfg, const char *cwd,
		     const char *name, long long now)
{
	char *pyvenv = s ? path_join(s->real, "pyvenv.cfg") : NULL;
	const char *files[] = { s && p->v.proj.kind != MARKER_VENV_DIR ? p->v.proj.marker : NULL,
				pyvenv, cfg->path, dr->exists ? dr->reqfile : NULL,
				dr->stamp ? dr->site : NULL };
	const size_t n_files = sizeof files / sizeof files[0];
	size_t n_read = 0;
	for (size_t i = 0; i < n_files; i++)
		n_read += files[i] != NULL;
	/* The answers without an env share one owner: their only file is the
	 * config. */
	char *owner = s ? xasprintf("%s\n%s", p->v.proj.dir, s->real) : xstrdup("");
	char *stamp = n_read ? memo_stamp(owner, files, n_files) : NULL;
	free(owner);
	if (n_read && !stamp) {
		free(pyvenv);
		return -1;
	}
	struct out m = { SBUF_INIT, o->sh, o->d };
	/* ${SECONDS:--1}: a SECONDS unset since (no number, under set -u or
	 * no_unset an error that would stop the prompt hook at every prompt)
	 * is before any NOW. */
	sb_addf(&m.b, "%sA() {\n%s\n}\n%s() { (( ${SECONDS:--1} >= %lld && ${SECONDS:--1} < %lld )) && ",
		name, o->b.s, name, now, now + MEMO_TTL);
	int n = 0;
	sb_adds(&m.b, m.d->test);
	/* The requirements file and site-packages are tested against the
	 * memo's stamp below, which is as new as the newest of them: drift's
	 * stamp need not be asked too. */
	static const struct drift no_drift;
	watch_tests(&m, &p->w, s, stamp ? &no_drift : dr, &n);
	for (size_t i = 0; stamp && i < n_files; i++)
		if (files[i])
			not_newer(&m, files[i], stamp, &n);
	for (size_t i = 0; !s && cfg->notify && cfg->suggest && i < DRIFT_SIGNS; i++) {
		char *f = path_join(cwd, drift_signs[i]);
		struct stat st;
		int reg = stat(f, &st) == 0 && S_ISREG(st.st_mode);
		if (reg || !watched_absent(&p->w, f)) {
			cond(&m, &n);
			sb_adds(&m.b, reg ? "-f" : "! -f");
			arg(&m, f);
		}
		free(f);
	}
	if (!cfg->path) {
		char err[MSG_MAX];
		int explicit;
		char *path = config_path(&explicit, err, sizeof err);
		if (path) {
			cond(&m, &n);
			sb_adds(&m.b, "! -e");
			arg(&m, path);
		}
		free(path);
	}
	sb_adds(&m.b, m.d->end_test);
	unsigned long said;
	const char *notices = notices_said(&said);
	if (said) {
		sb_adds(&m.b, " && { \\builtin printf %s");
		arg(&m, notices);
		sb_addf(&m.b, " >&2; %sA; }; }", name);
	} else {
		sb_addf(&m.b, " && %sA; }", name);
	}
	sb_addf(&m.b, "\n%sA\n__venvhook_g=%s", name, name);
	sb_free(&o->b);
	o->b = m.b;
	free(stamp);
	free(pyvenv);
	return 0;
}

/* Whether MEMO and NOW are what the shell sends: __venvhook_mN (put into
 * the output unquoted) and a number of seconds, which goes to *now. */
static int memo_args_ok(const char *name, const char *now_arg, long long *now)
{
	const char *prefix = "__venvhook_m";
	if (!name || !now_arg || strncmp(name, prefix, strlen(prefix)) != 0)
		return 0;
	name += strlen(prefix);
	if (!*name || strspn(name, "0123456789") != strlen(name) || !*now_arg ||
	    strspn(now_arg, "0123456789") != strlen(now_arg) || strlen(now_arg) > 15)
		return 0;
	*now = strtoll(now_arg, NULL, 10);
	return 1;
}

int cmd_hook(int argc, char **argv)
{
	struct out o = { SBUF_INIT, SHELL_BASH, NULL };
	if (argc < 2 || argc > 9 || argc == 8)
		usage_error("hook", "hook takes a shell name, up to five states and a memo's name and time");
	if (shell_parse(argv[1], &o.sh) < 0)
		usage_error("hook", "unknown shell '%s' (bash, zsh or fish)", argv[1]);
	o.d = &dialects[o.sh];
	const char *applied = argc > 2 ? argv[2] : "";
	const char *off = argc > 3 ? argv[3] : "";
	const char *notified = argc > 4 ? argv[4] : "";
	const char *confnote = argc > 5 ? argv[5] : "";
	const char *drift_last = argc > 6 ? argv[6] : "";
	/* A memo's name or time not as the shell sends them: the answer is
	 * given, not kept (the name would go into the output unquoted). */
	long long now = 0;
	const char *memo = argc > 8 && memo_args_ok(argv[7], argv[8], &now) ? argv[7] : NULL;
	/* A malformed config is reported below, once per shell, not here. */
	const struct config *cfg = config_get_quiet();
	char *cwd = current_dir();
	struct hook_state st = { env_get("VIRTUAL_ENV"), env_get("__VENVHOOK_ENV"), applied, off };
	struct plan p;
	plan_make(cwd, cfg, &st, PLAN_WATCH, &p);
	struct verdict *v = &p.v;
	const char *want = p.want;
	int manual = p.manual;

	if (p.disown)
		stmt_begin(&o, "__venvhook_disown");
	/* Where a deactivate typed before the next run keeps the env off (the
	 * shell empties it before each run). */
	if (v->kind != VERDICT_NONE && v->proj.dir)
		set_var(&o, "__venvhook_here", v->proj.dir);
	if (p.clear_off)
		set_var(&o, "__venvhook_off", "");
	if (manual) {
		if (*applied)
			set_var(&o, "__venvhook_applied", "");
		/* Inherited from a parent shell, it may lack a deactivate here. */
		stmt_begin(&o, "__venvhook_orphan");
	}
	if (p.adopt) {
		char *prefix = config_prompt_prefix(cfg, v->name);
		stmt_begin(&o, "__venvhook_adopt");
		arg(&o, prefix);
		arg(&o, v->proj.dir);
		free(prefix);
	}
	if (p.deactivate)
		stmt_begin(&o, "__venvhook_deactivate");
	if (p.activate) {
		char *name = printable(v->name);
		char *prefix = config_prompt_prefix(cfg, v->name);
		char *var = venv_prompt_var(name, &v->cfg);
		stmt_begin(&o, "__venvhook_activate");
		arg(&o, want);
		arg(&o, var);
		arg(&o, prefix);
		arg(&o, v->proj.dir);
		free(var);
		free(prefix);
		free(name);
		/* Never fails the hook: a registry problem costs the record. */
		char err[MSG_MAX];
		registry_record(want, v->proj.kind == MARKER_VENV_DIR ? NULL : v->proj.dir,
				REGISTRY_ACTIVATED, err, sizeof err);
	}

	/* Does the env still match the project's requirements file?  Once per
	 * entry, and again when the file or the env's packages change. */
	struct drift dr = { 0 };
	if (want && !manual && cfg->drift) {
		const char *req = v->proj.requirements ? v->proj.requirements
				  : cfg->requirements ? cfg->requirements : "requirements.txt";
		drift_measure(v->proj.dir, req, want, &v->cfg, drift_last, &dr);
		if (!dr.exists)
			watch_add(&p.w, dr.reqfile, 0);   /* a git pull may bring one */
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
	int quiet = manual || v->kind == VERDICT_DENIED;
	char *suggestion = NULL;
	if (v->kind == VERDICT_NONE && !p.ignored && !manual && cfg->notify && cfg->suggest)
		suggestion = drift_suggest(cwd);
	if (v->why[0] && !quiet && v->kind != VERDICT_DISABLED && cfg->notify) {
		if (strcmp(notified, v->proj.marker) != 0) {
			notify(v->why);
			set_var(&o, "__venvhook_notified", v->proj.marker);
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

	struct same same = { v->proj.env, want, v->trust == TRUST_ALLOWED ? v->id.token : "" };
	if (want && !manual)
		emit_same(&o, &same);
	/* A refusal the user can mend in place (chmod o-w .venv) changes
	 * nothing a builtin test sees: while it stands, the helper runs at
	 * every prompt. */
	int mendable = v->kind == VERDICT_UNSAFE && v->state != VENV_BAD_PATH;
	emit_hook(&o, mendable ? NULL : &p.w, want && !manual ? &same : NULL, &dr);
	/* Notices are said again by a kept answer; errors and warnings are not. */
	unsigned long notices;
	notices_said(&notices);
	int keep_env = want && *same.token && (!dr.exists || dr.stamp);
	int keep_none = v->kind == VERDICT_NONE && !want && notices == 0;
	if (memo && o.d->memo && (keep_env || keep_none) && !manual && !mendable && !p.w.partial &&
	    !cfg->error && messages_said() == notices)
		emit_memo(&o, &p, keep_env ? &same : NULL, &dr, cfg, cwd, memo, now);
	sb_addc(&o.b, '\n');
	fwrite(o.b.s, 1, o.b.len, stdout);
	sb_free(&o.b);
	drift_free(&dr);
	plan_free(&p);
	free(cwd);
	return stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
}
