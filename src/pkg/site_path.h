/* site_path.h: the search path a venv's pip sees (its sys.path). */
#ifndef VENVHOOK_SITE_PATH_H
#define VENVHOOK_SITE_PATH_H

#include "dist.h"
#include "env_info.h"

/* Computes sys.path as `ENV/bin/pip` sees it: the script's directory,
 * $PYTHONPATH, the base interpreter's standard library, then what site.py
 * adds: the user site (only with system site packages), the env's site
 * directories, the base's site directories (with system site packages),
 * each followed by the paths its .pth files add.  "import" lines of .pth
 * files are not run.
 *
 * The base interpreter's own directories are asked of it once and kept
 * (python_cache.h) while its file and path are the same; an
 * env without system site packages never needs that (without a cache
 * entry, the layout is derived from pyvenv.cfg's home).  Returns 0, or -1
 * with a message in err.  The site directories are read through
 * dist_dir_listing() (listing.h), which keeps them open: forget them after. */
int site_path(const struct env_info *e, struct strlist *out, char *err, size_t errlen);

#endif
