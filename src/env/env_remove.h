/* env_remove.h: deleting a virtual environment, and nothing else. */
#ifndef VENVHOOK_ENV_REMOVE_H
#define VENVHOOK_ENV_REMOVE_H

#include <stddef.h>

/* Removes the directory tree at path (absolute).  Symbolic links are
 * removed, never followed; other file systems mounted inside are not
 * entered.  A missing path is not an error.  Returns 0, or -1 with a
 * message in err. */
int tree_remove(const char *path, char *err, size_t errlen);

/* Whether path (absolute, normalized) may be deleted as an env: a real
 * directory (not a link) holding pyvenv.cfg and nothing at its top that an
 * env does not hold; never "/", $HOME or a directory above $HOME.
 * Returns 1, or 0 with the reason in why. */
int env_removable(const char *path, char *why, size_t whylen);

#endif
