/* editable.h: how pip freeze names an editable install (its VCS checkout). */
#ifndef VENVHOOK_EDITABLE_H
#define VENVHOOK_EDITABLE_H

#include "util.h"

/* pip's _get_editable_info for the project at location (absolute,
 * normalized): appends to out the comment lines and the "-e ..." line pip
 * prints, running git as pip does.  display is "name==version", or NULL
 * when the version is missing: where pip would print it, that is an error
 * with the message nodisplay.
 * Returns 0; 1 when pip's answer cannot be reproduced (a Mercurial,
 * Subversion or Bazaar checkout), with the reason in *why; -1 with a
 * message in err when pip itself would fail. */
int editable_text(const char *location, const char *raw_name, const char *display,
		  const char *nodisplay, struct sbuf *out, char **why, char *err, size_t errlen);

/* pathlib.PurePosixPath(path).as_uri() for an absolute path. */
char *path_as_uri(const char *path);
/* pip's url_to_path for a file: URL; NULL (message in err) if it is not one. */
char *file_url_to_path(const char *url, char *err, size_t errlen);

#endif
