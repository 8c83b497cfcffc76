/* relocate.h: rewriting the path an env's scripts were written for. */
#ifndef VENVHOOK_RELOCATE_H
#define VENVHOOK_RELOCATE_H

#include <stddef.h>

#include "util.h"

/* Replaces old by new in text wherever old is a whole path: not preceded
 * by a byte that may continue a path name, and followed by '/' or by a byte
 * that cannot.  Returns the count. */
size_t path_replace(struct sbuf *text, const char *old, const char *new);

/* Rewrites old to new in the scripts of the env at env (its bin/: regular
 * files of text, each atomically, keeping its mode).  Returns the number of
 * files changed, or -1 with a message in err. */
int scripts_relocate(const char *env, const char *old, const char *new, char *err, size_t errlen);

#endif
