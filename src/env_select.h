/* env_select.h: which env freeze, check and sync work on. */
#ifndef VENVHOOK_ENV_SELECT_H
#define VENVHOOK_ENV_SELECT_H

#include "venv.h"

struct env_info {
	char *env;              /* absolute, normalized */
	char *project;          /* the project directory, or NULL */
	struct venv_cfg cfg;
	int major, minor;       /* the env's Python version */
	char *pyver;            /* "3.11" */
	int trusted;            /* named by --env or $VIRTUAL_ENV, or an allowed project env */
	char why[1024];         /* when not trusted: why */
};

/* The env: opt_env (--env) if not NULL, else $VIRTUAL_ENV, else the env
 * of the current directory's project.  Exits with status 2 and a one-line
 * message when there is none or it is not a virtual environment. */
void env_select(const char *opt_env, struct env_info *e);
void env_info_free(struct env_info *e);
/* The same for an env already judged trusted (by the hook), without exiting:
 * returns 0, or -1 with a message in err. */
int env_info_for(const char *env, const char *project, struct env_info *e, char *err,
		 size_t errlen);

/* The env's bin/python. */
char *env_python(const struct env_info *e);
/* Refuses (exit 1, one line) to run a program from an env that is not
 * trusted; what says what would have been run. */
void env_require_trust(const struct env_info *e, const char *what);

#endif
