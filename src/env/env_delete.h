/* env_delete.h: deleting a virtual environment, and nothing else. */
#ifndef VENVHOOK_ENV_DELETE_H
#define VENVHOOK_ENV_DELETE_H

#include <stddef.h>

/* Whether path (absolute, normalized) may be deleted as an env: never "/",
 * $HOME or a directory above $HOME; a real directory (not a link) of the
 * user's, holding a regular pyvenv.cfg and nothing at its top that venv,
 * virtualenv, uv or pip do not make; no file system mounted inside it
 * (where that cannot be told, no).  Returns 1, or 0 with the reason in why. */
int env_deletable(const char *path, char *why, size_t whylen);

/* Deletes the env at path (absolute, normalized): checks it as
 * env_deletable does, renames it to a hidden sibling (so that no shell
 * activates a half-deleted env, and what a kill leaves is a leftover, see
 * leftover.h), makes sure that what it renamed is what it checked, then
 * removes it without following links (tree_remove.h); if that fails, what
 * is left goes back to path.  SIGINT, SIGTERM and SIGHUP wait until it is
 * done.  Returns 0, or -1 with a message in err. */
int env_delete(const char *path, char *err, size_t errlen);

#endif
