/* rm.c: `venvhook rm [DIR]`: delete an env, and never anything else.
 *
 * The env is first renamed to a hidden sibling, so it is gone from its
 * path at once, then emptied without following links (env_remove.c).
 * SIGINT, SIGTERM and SIGHUP wait until that is done: a half-deleted env
 * helps nobody.  If deleting fails, what is left goes back to its path. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "env_remove.h"
#include "file_at.h"
#include "quote.h"
#include "registry.h"
#include "trust.h"
#include "verdict.h"

static void say_error(const char *msg)
{
	char *p = printable(msg);
	error("%s", p);
	free(p);
}

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

int cmd_rm(int argc, char **argv)
{
	if (argc > 2)
		usage_error("rm", "rm takes at most one directory");
	if (argc == 2 && argv[1][0] == '-' && argv[1][1])
		usage_error("rm", "unknown option '%s'", argv[1]);
	char *cwd = current_dir();
	char *env = NULL;
	char why[2048];
	int status = EXIT_FAIL;
	if (argc == 2) {
		env = path_normalize(cwd, argv[1]);
	} else {
		struct verdict v;
		verdict_for(cwd, &v, NULL);
		if (v.proj.kind == MARKER_NONE)
			snprintf(why, sizeof why, "no env found from '%s' up to '/'", cwd);
		else if (!v.proj.env)
			snprintf(why, sizeof why, "%s", v.proj.error ? v.proj.error : "the project names no env");
		else
			env = xstrdup(v.proj.env);
		verdict_free(&v);
		if (!env) {
			say_error(why);
			goto out;
		}
	}
	if (!env_removable(env, why, sizeof why)) {
		char *named = project_env(env);
		if (named && strcmp(named, env) != 0) {
			size_t n = strlen(why);
			snprintf(why + n, sizeof why - n, "; its env is '%s'", named);
		}
		free(named);
		say_error(why);
		goto out;
	}
	char *real = realpath(env, NULL);
	char *parent = path_dirname(env);
	char *aside = xasprintf("%s/.%.200s.venvhook-rm-%ld", parent, path_basename(env), (long)getpid());
	free(parent);

	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (rename_noreplace(env, aside) < 0) {
		snprintf(why, sizeof why, "cannot remove '%s': %s", env, strerror(errno));
		say_error(why);
	} else if (tree_remove(aside, why, sizeof why) < 0) {
		/* Put what is left back where the user will look for it. */
		char *msg = xstrdup(why);
		const char *tail = strstr(msg, "': ");
		snprintf(why, sizeof why, "cannot remove '%s': %s", env, tail ? tail + 3 : msg);
		free(msg);
		say_error(why);
		if (rename_noreplace(aside, env) < 0)
			error("what is left of it is in '%s'", aside);
	} else {
		status = EXIT_OK;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(aside);
	if (status == EXIT_OK) {
		if (real && trust_forget(real) < 0) {
			snprintf(why, sizeof why, "cannot forget the trust record of '%s': %s", real,
				 strerror(errno));
			say_error(why);
		}
		if (real && registry_forget(real, why, sizeof why) < 0)
			say_error(why);
		char *shown = printable(env);
		printf("removed '%s'\n", shown);
		free(shown);
		const char *active = env_get("VIRTUAL_ENV");
		if (active && strcmp(active, env) == 0 && !env_get("__VENVHOOK_SHELL"))
			error("it is still active in this shell; 'deactivate' leaves it");
		if (stdout_finish() < 0)
			status = EXIT_FAIL;
	}
	free(real);
out:
	free(env);
	free(cwd);
	return status;
}
