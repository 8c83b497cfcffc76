/* seed.h: putting pip (and whatever else the interpreter's ensurepip
 * bundles) into a new env without running pip. */
#ifndef VENVHOOK_SEED_H
#define VENVHOOK_SEED_H

#include <stddef.h>

#include "python_find.h"

/* Installs the wheels ensurepip would install into the env being built in
 * the directory build (absolute; envfd is open on it), whose final path is
 * env: the files, byte-compiled, their console scripts and RECORD, exactly
 * as `pip install` would leave them.  Each wheel is unpacked and compiled
 * once into $XDG_CACHE_HOME/venvhook/seed/ and hard-linked from there
 * (copied across file systems).  Returns 0, or -1 with a message in err. */
int seed_install(const struct python_info *py, int envfd, const char *build, const char *env,
		 char *err, size_t errlen);

/* The text of a console script as pip's script maker writes it: the
 * shebang for python (an absolute path) and template filled in.  Returns
 * NULL with a message in err when python cannot be carried safely. */
char *seed_script_text(const char *python, const char *template, const char *module,
		       const char *attrs, char *err, size_t errlen);

#endif
