/* reqset.h: a requirements file with its -r includes, judged against an env. */
#ifndef VENVHOOK_REQSET_H
#define VENVHOOK_REQSET_H

#include <stdio.h>

#include "env_info.h"
#include "freeze.h"
#include "reqfile.h"

/* One requirement, with the file it came from. */
struct req_item {
	struct req_line l;
	char *file;             /* as shown in messages */
};

struct reqset {
	struct req_item *r;
	size_t n;
};

/* Reads path and the files it includes with -r (relative to the including
 * file; -c files are read too, their lines are not requirements), as
 * pip does: each inclusion read again, in its own role.  pip: whose rules
 * (reqfile.h).  Problems are printed, one line each ("FILE:LINE: ...",
 * "pip would refuse this line: ..." where pip would); returns 0, or -1 if
 * there was one. */
int reqset_load(const char *path, int pip, struct reqset *rs);
/* The same; quiet: print nothing (the problems still make it return -1). */
int reqset_read(const char *path, int pip, int quiet, struct reqset *rs);

/* The env's pip as reqfile.h's pip argument (PIP_NEWEST without one). */
int reqset_pip(const struct freeze_list *l);
void reqset_free(struct reqset *rs);

/* pip and the tools it needs to build: never "not listed", never
 * uninstalled by sync --exact. */
int reqset_tooling(const char *canon);

/* Whether an installed distribution is named by the requirements (any
 * requirement with its name, or an editable of its project directory). */
int reqset_lists(const struct reqset *rs, const struct frozen *f);

/* How an env differs from the requirements. */
struct reqset_diff {
	int missing;            /* required, not installed */
	int different;          /* installed at a version (or in a way) the file does not want */
	int unlisted;           /* installed, not named by the file (pip's tooling aside) */
	int unjudged;           /* requirements that cannot be judged */
	int refused;            /* requirements whose marker the env's pip stops on */
};

/* Compares the requirements with the env's distributions under the marker
 * values m; each difference is counted in d and, if out is not NULL,
 * printed there on a line of its own ("missing: ...", "different: ...",
 * "cannot judge: ...", "not listed: ..."; a marker pip stops on is an
 * error on stderr instead).  Returns 1 if they differ. */
int reqset_compare(const struct reqset *rs, const struct freeze_list *l, const struct marker_env *m,
		   FILE *out, struct reqset_diff *d);

/* The room reqset_marker_env needs in buf for the values' text. */
#define MARKER_ENV_MAX 2048
/* The marker values of the env (Python version from pyvenv.cfg, the
 * machine from uname), evaluated with pip's rules. */
void reqset_marker_env(const struct env_info *e, int pip, struct marker_env *m, char *buf,
		       size_t buflen);

#endif
