/* tree_remove.h: deleting a directory tree without following links out of it. */
#ifndef VENVHOOK_TREE_REMOVE_H
#define VENVHOOK_TREE_REMOVE_H

#include <stddef.h>

/* Removes name in the directory open at dirfd (AT_FDCWD: name is a path):
 * a directory with everything below it, anything else as it is.  A
 * symbolic link is removed, never followed; a directory on another file
 * system or mount stops the removal; a directory of the user's that the
 * user may not write is made writable first.  A missing name is not an
 * error.  shown names it in messages.  Returns 0, or -1 with a message in
 * err naming what could not be removed (which stays, with what is left
 * around it). */
int tree_remove_at(int dirfd, const char *name, const char *shown, char *err, size_t errlen);
/* The same for a path. */
int tree_remove(const char *path, char *err, size_t errlen);

#endif
