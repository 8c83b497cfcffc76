/* venv_layout.h: the files of a new env, as `python -m venv` lays them out. */
#ifndef VENVHOOK_VENV_LAYOUT_H
#define VENVHOOK_VENV_LAYOUT_H

#include <stddef.h>

#include "python_find.h"
#include "util.h"

struct layout {
	const struct python_info *py;
	const char *env;        /* the env's final absolute path: written into its files */
	int dirfd;              /* open on build */
	const char *prompt;     /* --prompt as given, or NULL */
	const char *cwd;        /* for --prompt . */
	int system_site, with_pip, clear;
};

/* Creates the directories, the interpreter links, pyvenv.cfg, the
 * activation scripts, .gitignore and CACHEDIR.TAG.  Returns 0, or -1 with a
 * message in err. */
int layout_write(const struct layout *l, char *err, size_t errlen);


/* Appends s as Python's repr() writes a str. */
void py_repr(struct sbuf *b, const char *s);

#endif
