/* env_select.c: which env and requirements file freeze, check and sync
 * work on, as the hook would find them from the current directory. */
#include "env_select.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

static void load(struct env_info *e, const char *how)
{
	char err[MSG_MAX];
	if (env_info_load(e, how, err, sizeof err) < 0)
		die(EXIT_USAGE, "%s", err);
}

void env_select(const struct config *cfg, const char *opt_env, struct env_info *e)
{
	memset(e, 0, sizeof *e);
	char *cwd = current_dir();
	const char *venv = env_get("VIRTUAL_ENV");
	if (opt_env || venv) {
		e->env = path_normalize(cwd, opt_env ? opt_env : venv);
		e->trusted = 1;
		free(cwd);
		load(e, opt_env ? "--env" : "$VIRTUAL_ENV");
		return;
	}
	struct verdict v;
	verdict_for(cfg, cwd, &v, NULL);
	free(cwd);
	if (v.proj.kind == MARKER_NONE)
		die(EXIT_USAGE, "no env: no --env, no active $VIRTUAL_ENV and no project env "
		    "from the current directory");
	if (!v.proj.env)
		die(EXIT_USAGE, "%s", v.proj.error ? v.proj.error : "the project names no env");
	e->env = xstrdup(v.proj.env);
	e->project = xstrdup(v.proj.dir);
	e->trusted = v.kind == VERDICT_ACTIVATE;
	snprintf(e->why, sizeof e->why, "%s", v.why);
	verdict_free(&v);
	load(e, "the project's env");
}


char *env_select_requirements(const struct config *cfg, const char *opt,
			      const struct env_info *e)
{
	char *cwd = current_dir();
	char *p;
	if (opt) {
		p = path_normalize(cwd, opt);
	} else if (e->project) {
		p = path_join(e->project, "requirements.txt");
	} else {
		struct verdict v;
		verdict_for(cfg, cwd, &v, NULL);
		p = path_join(v.proj.kind != MARKER_NONE && v.proj.dir ? v.proj.dir : cwd,
			      "requirements.txt");
		verdict_free(&v);
	}
	free(cwd);
	return p;
}

/* Prints a problem with the file, unless the caller wants silence. */
