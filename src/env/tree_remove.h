/* tree_remove.h: deleting a directory tree without following links out of it. */
#ifndef VENVHOOK_TREE_REMOVE_H
#define VENVHOOK_TREE_REMOVE_H

#include <stddef.h>

/* Removes the directory name in the directory open at dirfd, and everything
 * below it.  A symbolic link is removed, never followed; a directory on
 * another file system (a mount point) stops the removal.  shown names the
 * tree in messages.  Returns 0, or -1 with a message in err (what could not
 * be removed stays). */
int tree_remove_at(int dirfd, const char *name, const char *shown, char *err, size_t errlen);

#endif
