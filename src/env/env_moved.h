/* env_moved.h: an env moved or copied from where it was made still names
 * its old path (shebangs, bin/activate, pyvenv.cfg's command). */
#ifndef VENVHOOK_ENV_MOVED_H
#define VENVHOOK_ENV_MOVED_H

#include "venv.h"

/* The env path the env's scripts were written for: from the shebangs of
 * its console scripts, else from bin/activate's VIRTUAL_ENV=.  NULL if
 * nothing tells. */
char *env_scripts_made_for(const char *env);
/* Whether a and b name the same directory. */
int env_same_dir(const char *a, const char *b);
/* Where env was made, if that is another directory than env (cheap first:
 * pyvenv.cfg's command, as read into cfg, else bin/activate); else NULL. */
char *env_made_elsewhere(const char *env, const struct venv_cfg *cfg);

#endif
