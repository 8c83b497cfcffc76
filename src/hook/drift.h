/* drift.h: does a project's env still match its requirements file?  And
 * how to make one for a project that has none.
 *
 * The prompt hook asks on entering a project, and again when the file or
 * the env's packages changed while the shell stayed inside (a git pull, a
 * pip install).  The shell notices such a change with builtins alone: a
 * stamp file per env and requirements file carries the newest modification
 * time of the two, and the shell's unchanged-test asks `FILE -nt STAMP`. */
#ifndef VENVHOOK_DRIFT_H
#define VENVHOOK_DRIFT_H

#include "reqset.h"
#include "venv.h"

/* Requirements files larger than this are not read on the prompt's path. */
#define DRIFT_FILE_MAX (1024u * 1024)

struct drift {
	char *reqfile;          /* the requirements file, absolute */
	char *site;             /* the env's site-packages directory */
	char *stamp;            /* the stamp file, or NULL when none could be made */
	char *key;              /* the project and both times: what the shell keeps */
	int exists;             /* the requirements file exists */
	int compared;           /* the key changed, and the env was compared */
	struct reqset_diff d;   /* what differs, when compared */
};

/* For the trusted env of the project in dir whose requirements file is
 * reqname (relative to dir): compares them unless last, the key the shell
 * kept, is still current.  cfg: the env's pyvenv.cfg as already read (the
 * verdict's), or NULL to read it.  Never prints and never exits: what
 * cannot be read or judged counts as no difference. */
void drift_measure(const char *dir, const char *reqname, const char *env,
		   const struct venv_cfg *cfg, const char *last, struct drift *dr);
/* The notice for a compared env that differs, or NULL. */
char *drift_message(const struct drift *dr, const char *reqname);
void drift_free(struct drift *dr);

/* What marks a Python project: requirements.txt, pyproject.toml, setup.py,
 * .python-version (regular files). */
#define DRIFT_SIGNS 4
extern const char *const drift_signs[DRIFT_SIGNS];

/* For a directory without an env or marker: when it holds one of
 * drift_signs, the one line saying how to make its env; else NULL.
 * Never for $HOME or "/". */
char *drift_suggest(const char *dir);

#endif
