/* exec.c: `venvhook exec [--env DIR] [--] COMMAND [ARG...]`: run a command
 * in the env the hook would activate, without a hooked shell.
 *
 * The env is judged exactly as the prompt hook judges it (verdict.c): an env
 * the hook would not activate is refused with the hook's own one-line reason
 * and status 2, and nothing runs.  Otherwise the environment gets what the
 * shell integration's activation sets, and the command replaces this process
 * (execvp), so that signals, the terminal and the exit status are its own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "commands.h"
#include "quote.h"
#include "verdict.h"

/* PATH as activation leaves it: an env activated before (by venvhook or by
 * hand) loses its bin entry, as its deactivate would take it out, then the
 * env's bin goes first. */
static char *activated_path(const char *env)
{
	const char *old = env_get("PATH");
	const char *prev = env_get("VIRTUAL_ENV");
	struct sbuf b = SBUF_INIT;
	sb_addf(&b, "%s/bin", env);
	if (!old || !*old)
		return sb_detach(&b);
	char *skip = prev ? xasprintf("%s/bin", prev) : NULL;
	int skipped = 0;
	const char *p = old;
	for (;;) {
		size_t n = strcspn(p, ":");
		if (!skipped && skip && strlen(skip) == n && memcmp(p, skip, n) == 0) {
			skipped = 1;
		} else {
			sb_addc(&b, ':');
			sb_add(&b, p, n);
		}
		if (!p[n])
			break;
		p += n + 1;
	}
	free(skip);
	return sb_detach(&b);
}

static _Noreturn void refuse(const char *why)
{
	char *p = printable(why);
	error("%s", p);
	free(p);
	exit(EXIT_USAGE);
}

int cmd_exec(int argc, char **argv)
{
	const char *opt_env = NULL;
	const struct option opts[] = { { "--env", NULL, OPTION_VALUE, &opt_env } };
	struct operands o;
	options_parse("exec", argc, argv, opts, 1, OPTIONS_STOP_AT_OPERAND, &o);
	if (!o.nafter)
		usage_error("exec", "exec needs a command to run");
	char **command = o.after;

	struct verdict v;
	if (opt_env) {
		char err[MSG_MAX];
		if (verdict_for_arg(config_get(), opt_env, &v, err, sizeof err) < 0)
			refuse(err);
	} else {
		char *cwd = current_dir();
		verdict_for(config_get(), cwd, &v, NULL);
		char msg[sizeof v.why];
		snprintf(msg, sizeof msg, "no env for '%s': no marker from there up to /", cwd);
		free(cwd);
		if (v.kind == VERDICT_NONE)
			refuse(msg);
	}
	if (v.kind != VERDICT_ACTIVATE)
		refuse(v.why);

	/* What __venvhook_activate sets: the real path, the one judged. */
	const char *env = v.real;
	char *name = printable(v.name);
	char *prompt = venv_prompt_var(name, &v.cfg);
	char *path = activated_path(env);
	if (setenv("PATH", path, 1) < 0 || setenv("VIRTUAL_ENV", env, 1) < 0 ||
	    setenv("VIRTUAL_ENV_PROMPT", prompt, 1) < 0 || unsetenv("PYTHONHOME") < 0)
		die(EXIT_FAIL, "cannot set the environment: %s", strerror(errno));
	free(path);
	free(prompt);
	free(name);
	verdict_free(&v);

	fflush(NULL);
	execvp(command[0], command);
	int e = errno;
	char *shown = printable(command[0]);
	error("cannot run '%s': %s", shown, strerror(e));
	free(shown);
	/* As env(1) and the shells: 127 when not found, 126 when not runnable. */
	return e == ENOENT || e == ENOTDIR ? 127 : 126;
}
