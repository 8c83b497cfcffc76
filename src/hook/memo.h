/* memo.h: what lets the shell replay an answer of the prompt hook.
 *
 * A cd back to a directory the shell judged a short while ago need not
 * start the helper: cmd/hook.c gives the shell, with its answer, a test
 * made of builtins only under which the same state gets the same answer.
 * What the answer read from files (the marker, the env's pyvenv.cfg, the
 * config, the requirements file and the env's site-packages) enters that
 * test as `! FILE -nt STAMP`, against a stamp made here: drift's own stamp
 * cannot serve, as it moves forward at each change it is told of. */
#ifndef VENVHOOK_MEMO_H
#define VENVHOOK_MEMO_H

#include <stddef.h>

/* Seconds a kept answer may be replayed: what builtins cannot see (an
 * owner or a mode changed) is seen once it is that old. */
#define MEMO_TTL 300

/* The stamp for the n files an answer about owner (its project and env)
 * read; NULL entries are skipped, every other must exist, and the newest
 * time among them must be settled (util.h), else there is no stamp.
 * The stamp is a file in the cache (CACHE/memo) whose modification time is
 * the newest of theirs, named by owner and by the files' identities and
 * times.  It never changes: the files changed give another name, and
 * making it removes owner's older stamps, which fails the tests that name
 * them.  Returns its path, or NULL where none can be made (the answer is
 * then not kept). */
char *memo_stamp(const char *owner, const char *const *files, size_t n);

#endif
