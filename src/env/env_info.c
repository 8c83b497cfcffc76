/* env_info.c: what freeze, check and sync need to know of an env. */
#include "env_info.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int env_info_load(struct env_info *e, const char *how, char *err, size_t errlen)
{
	if (!venv_looks_like(e->env)) {
		snprintf(err, errlen, "'%s' (%s) is not a virtual environment (no pyvenv.cfg)", e->env,
			 how);
		return -1;
	}
	if (venv_cfg_load(e->env, &e->cfg, err, errlen) < 0)
		return -1;
	if (!e->cfg.version || sscanf(e->cfg.version, "%d.%d", &e->major, &e->minor) != 2) {
		/* No version key: the lib/pythonX.Y directory tells. */
		char *lib = path_join(e->env, "lib");
		DIR *d = opendir(lib);
		struct dirent *de;
		while (d && (de = readdir(d)))
			if (sscanf(de->d_name, "python%d.%d", &e->major, &e->minor) == 2)
				break;
		if (d)
			closedir(d);
		free(lib);
	}
	if (e->major <= 0) {
		snprintf(err, errlen, "cannot tell the Python version of '%s': its pyvenv.cfg has no version",
			 e->env);
		return -1;
	}
	e->pyver = xasprintf("%d.%d", e->major, e->minor);
	return 0;
}

int env_info_for(const char *env, const char *project, struct env_info *e, char *err,
		 size_t errlen)
{
	memset(e, 0, sizeof *e);
	e->env = xstrdup(env);
	e->project = project ? xstrdup(project) : NULL;
	e->trusted = 1;
	if (env_info_load(e, "the project's env", err, errlen) < 0) {
		env_info_free(e);
		return -1;
	}
	return 0;
}

void env_info_free(struct env_info *e)
{
	free(e->env);
	free(e->project);
	free(e->pyver);
	venv_cfg_free(&e->cfg);
	memset(e, 0, sizeof *e);
}

char *env_python(const struct env_info *e)
{
	return path_join(e->env, "bin/python");
}

void env_require_trust(const struct env_info *e, const char *what)
{
	if (!e->trusted)
		die(EXIT_FAIL, "refusing to run %s: %s; pass --env to use it anyway", what,
		    e->why[0] ? e->why : "the project's env is not trusted");
}
