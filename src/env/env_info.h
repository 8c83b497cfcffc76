/* env_info.h: what freeze, check and sync need to know of an env. */
#ifndef VENVHOOK_ENV_INFO_H
#define VENVHOOK_ENV_INFO_H

#include "venv.h"

struct env_info {
	char *env;              /* absolute, normalized */
	char *project;          /* the project directory, or NULL */
	struct venv_cfg cfg;
	int major, minor;       /* the env's Python version */
	char *pyver;            /* "3.11" */
	int trusted;            /* named by --env or $VIRTUAL_ENV, or an allowed project env */
	char why[MSG_MAX];      /* when not trusted: why */
};

/* Reads the pyvenv.cfg and Python version of e->env into e; how says where
 * the env came from, for messages.  Returns 0, or -1 with a message in err. */
int env_info_load(struct env_info *e, const char *how, char *err, size_t errlen);
/* e for an env already judged trusted (by the hook), without exiting:
 * returns 0, or -1 with a message in err. */
int env_info_for(const char *env, const char *project, struct env_info *e, char *err,
		 size_t errlen);
void env_info_free(struct env_info *e);

/* The env's bin/python. */
char *env_python(const struct env_info *e);
/* Refuses (exit 1, one line) to run a program from an env that is not
 * trusted; what says what would have been run. */
void env_require_trust(const struct env_info *e, const char *what);

#endif
