/* python_cache.h: what interpreters answered, kept so that Python is not
 * started again to say the same.
 *
 * One file per interpreter and question under
 * $XDG_CACHE_HOME/venvhook/python/ (a directory of the user's that nobody
 * else may write, see cache_dir), named by a hash of both.  An answer holds
 * while the interpreter's file (device, inode, size, modification time)
 * and every file it was told to watch are as they were. */
#ifndef VENVHOOK_PYTHON_CACHE_H
#define VENVHOOK_PYTHON_CACHE_H

#include "util.h"

/* The answer kept for question ("probe", "site") asked of the interpreter
 * at path: 1 with it in *answer while it holds, else 0. */
int python_cache_get(const char *path, const char *question, struct sbuf *answer);

/* Keeps answer.  watch: the files whose change voids it too, each
 * hex-encoded (sb_addhex), one a line, or NULL.  A cache that cannot be
 * written costs time, nothing else. */
void python_cache_put(const char *path, const char *question, const char *watch,
		      const char *answer, size_t len);

#endif
