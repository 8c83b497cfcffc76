/* env_build.h: making an env, from values already resolved (create, and
 * repair's rebuild). */
#ifndef VENVHOOK_ENV_BUILD_H
#define VENVHOOK_ENV_BUILD_H

#include <stddef.h>

#include "python_find.h"

struct env_spec {
	const char *env;                /* where: absolute and normalized */
	const struct python_info *py;   /* what from: probed */
	const char *prompt;             /* NULL: the env's name ("." as venv reads it) */
	const char *cwd;                /* for --prompt . */
	int system_site, with_pip;
	int clear;                      /* an env at env is replaced */
	const char *const *reqs;        /* requirement files that pip installs */
	int nreqs;
	char *const *pip_args;          /* more arguments for that pip install */
	int npip;
};

/* Whether an env may be made at env: a path that PATH and pyvenv.cfg can
 * carry, and nothing there but, with clear, an env that may be deleted
 * (env_delete.h).  *replace (if not NULL) says whether one is there.
 * Returns 0, or -1 with a message in err. */
int env_build_check(const char *env, int clear, int *replace, char *err, size_t errlen);

/* Makes the env: checks env_build_check's conditions again, then builds it
 * in a hidden sibling of its path (same file system), requirements
 * included, and moves it into place only when complete; with clear by an
 * atomic exchange with the old env, which is deleted last.  Until then each
 * step is registered with cleanup.h, so a failure, an early exit or
 * SIGINT/SIGTERM/SIGHUP removes what was built and puts the old env back.
 * What earlier creates killed mid-way left beside it is removed first,
 * with a note on stderr.  The env is writable by the user alone: where the
 * umask would let a group with another member or others write to it, the
 * umask is tightened, with a warning.  Returns 0, or -1 with a message in
 * err. */
int env_build(const struct env_spec *s, char *err, size_t errlen);

#endif
