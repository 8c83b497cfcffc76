/* env_state.h: whether a recorded env still works, without running it. */
#ifndef VENVHOOK_ENV_STATE_H
#define VENVHOOK_ENV_STATE_H

#include "venv.h"

enum env_state {
	ENV_OK,
	ENV_PROJECT_GONE,       /* the env works, its project directory is gone */
	ENV_PYTHON_CHANGED,     /* the base interpreter is now another X.Y: the env is broken */
	ENV_PYTHON_GONE,        /* the base interpreter is gone: the env is broken */
	ENV_GONE,               /* no directory with a pyvenv.cfg at that path */
};

struct env_status {
	enum env_state state;
	struct venv_cfg cfg;    /* pyvenv.cfg, when it could be read */
	char *why;              /* one line for states other than ENV_OK, else NULL */
};

/* Checks env (its real path) and project (NULL if not known).  The base
 * interpreter is judged from what is on disk: bin/python must resolve, the
 * pyvenv.cfg home must exist, and the interpreter's X.Y (from its file name,
 * python3.X) and the standard library beside home (lib/python3.X) must be
 * those of the pyvenv.cfg version. */
enum env_state env_state_check(const char *env, const char *project, struct env_status *st);
void env_status_free(struct env_status *st);
const char *env_state_name(enum env_state s);

#endif
