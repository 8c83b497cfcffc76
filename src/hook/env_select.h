/* env_select.h: which env and requirements file freeze, check and sync
 * work on, as the hook would find them from the current directory. */
#ifndef VENVHOOK_ENV_SELECT_H
#define VENVHOOK_ENV_SELECT_H

#include "env_info.h"

struct config;

/* The env: opt_env (--env) if not NULL, else $VIRTUAL_ENV, else the env
 * of the current directory's project.  Exits with status 2 and a one-line
 * message when there is none or it is not a virtual environment. */
void env_select(const struct config *cfg, const char *opt_env, struct env_info *e);

/* The requirements file commands use: -r FILE (opt, relative to the
 * current directory) if given, else requirements.txt in the current
 * project's directory (or the current directory without a project). */
char *env_select_requirements(const struct config *cfg, const char *opt, const struct env_info *e);

#endif
