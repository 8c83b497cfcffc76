/* rm.c: `venvhook rm [--yes] [DIR]`: delete an env, and never anything else.
 *
 * Without DIR, the env of the project here: a marker of another user names
 * nothing (marker.c), and an env that the marker names outside the project
 * is deleted only with --yes or a "y" typed on a terminal.
 *
 * The env is deleted as prune deletes one (env_delete.h): renamed to a
 * hidden sibling, so it is gone from its path at once, then emptied
 * without following links, with SIGINT, SIGTERM and SIGHUP waiting until
 * that is done; if deleting fails, what is left goes back to its path. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "commands.h"
#include "env_delete.h"
#include "quote.h"
#include "registry.h"
#include "trust.h"
#include "verdict.h"

/* For a directory that is not an env: the env its marker names, if any. */
static char *project_env(const char *dir)
{
	struct project p = { 0 };
	char *env = NULL;
	if (marker_load(dir, ".venvhook", MARKER_VENVHOOK, &p, NULL) ||
	    marker_load(dir, ".venv", MARKER_VENV_FILE, &p, NULL))
		env = p.env ? xstrdup(p.env) : NULL;
	project_free(&p);
	return env;
}

/* An env that a marker names outside its project may be anyone's (a
 * shared env, ~/.virtualenvs/x): deleting it takes --yes or a "y" typed on
 * a terminal.  Returns 1 to go on. */
static int confirm_outside(const struct project *p, int yes)
{
	if (yes || p->kind == MARKER_VENV_DIR || path_within(p->env, p->dir))
		return 1;
	if (isatty(STDIN_FILENO) && isatty(STDERR_FILENO))
		return ask_yes("delete '%s', which '%s' names, outside the project?", p->env, p->marker);
	error("'%s' names '%s', outside the project; 'venvhook rm --yes' deletes it", p->marker,
	      p->env);
	return 0;
}

int cmd_rm(int argc, char **argv)
{
	const char *dir = NULL;
	int yes = 0;
	const struct option opts[] = { { "--yes", "-y", OPTION_FLAG, &yes } };
	struct operands o;
	options_parse("rm", argc, argv, opts, 1, 0, &o);
	if (o.n + o.nafter > 1)
		usage_error("rm", "rm takes at most one directory");
	dir = o.n ? o.v[0] : o.nafter ? o.after[0] : NULL;
	char *cwd = current_dir();
	char *env = NULL;
	char why[MSG_MAX];
	int status = EXIT_FAIL;
	if (dir) {
		env = path_normalize(cwd, dir);
	} else {
		struct verdict v;
		verdict_for(config_get(), cwd, &v, NULL);
		int go = 1;
		if (v.proj.kind == MARKER_NONE)
			snprintf(why, sizeof why, "no env found from '%s' up to '/'", cwd);
		else if (!v.proj.env)
			snprintf(why, sizeof why, "%s", v.proj.error ? v.proj.error : "the project names no env");
		else if ((go = confirm_outside(&v.proj, yes)))
			env = xstrdup(v.proj.env);
		verdict_free(&v);
		if (!env) {
			/* Nothing to work on: as freeze, check, sync and repair. */
			if (go) {
				error("%s", why);
				status = EXIT_USAGE;
			}
			goto out;
		}
	}
	char *real = realpath(env, NULL);
	if (env_delete(env, why, sizeof why) < 0) {
		/* A project directory named by mistake: say which env is its. */
		char *named = project_env(env);
		if (named && strcmp(named, env) != 0) {
			size_t n = strlen(why);
			snprintf(why + n, sizeof why - n, "; its env is '%s'", named);
		}
		free(named);
		error("%s", why);
		free(real);
		goto out;
	}
	status = EXIT_OK;
	if (real && trust_forget(real) < 0) {
		snprintf(why, sizeof why, "cannot forget the trust record of '%s': %s", real,
			 strerror(errno));
		error("%s", why);
	}
	if (real && registry_forget(real, why, sizeof why) < 0)
		error("%s", why);
	free(real);
	char *shown = printable(env);
	printf("removed '%s'\n", shown);
	free(shown);
	const char *active = env_get("VIRTUAL_ENV");
	if (active && strcmp(active, env) == 0 && !env_get("__VENVHOOK_SHELL"))
		error("it is still active in this shell; 'deactivate' leaves it");
	if (stdout_finish() < 0)
		status = EXIT_FAIL;
out:
	free(env);
	free(cwd);
	return status;
}
