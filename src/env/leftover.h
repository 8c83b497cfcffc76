/* leftover.h: what a create, rm or prune killed mid-way leaves beside an env.
 *
 * venvhook builds and deletes envs in hidden siblings of their path:
 *   .NAME.venvhook-PID[-K][.old]   create: the env being built (.old: the
 *                                  env it replaces, where no exchange is had)
 *   .NAME.venvhook-rm-PID          rm, prune: the env being deleted
 *                                  (env_delete.h)
 *   .NAME.venvhook-deleting.PID    what an older prune was deleting
 * (NAME cut to 200 bytes).  A create holds an flock on its build directory
 * and notes it in $XDG_STATE_HOME/venvhook/building/PID until it is done, so
 * that a build is found even for a DIR that was never recorded.  A sibling
 * is left over when its process is gone (no such PID here, and no lock
 * held on it, e.g. from another machine on a shared file system), and it is
 * a directory of the user's. */
#ifndef VENVHOOK_LEFTOVER_H
#define VENVHOOK_LEFTOVER_H

#include <stddef.h>

/* Notes the build directory of this process in the journal; drops it. */
void leftover_journal_add(const char *build);
void leftover_journal_drop(void);

struct leftover {
	char *path;
	long pid;
};
struct leftovers {
	struct leftover *v;
	size_t n;
};

/* The leftovers beside each of envs[0..n), and with journal those that the
 * journal names. */
void leftover_find(char *const *envs, size_t n, int journal, struct leftovers *out);
void leftovers_free(struct leftovers *l);
/* "left by process N, which is gone" */
char *leftover_why(const struct leftover *l);
/* Removes a leftover (and its journal note).  Returns 0, or -1 with err. */
int leftover_remove(const struct leftover *l, char *err, size_t errlen);

#endif
