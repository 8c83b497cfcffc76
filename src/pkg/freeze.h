/* freeze.h: what `pip freeze` would print for an env, computed in C. */
#ifndef VENVHOOK_FREEZE_H
#define VENVHOOK_FREEZE_H

#include <stddef.h>

#include "dist.h"
#include "env_info.h"

/* One line group of pip freeze's output: an installed distribution. */
struct frozen {
	char *name;             /* as written in its metadata */
	char *canon;            /* PEP 503, of the name as written (pip's freeze key) */
	char *key;              /* PEP 503, of the name without surrounding blanks:
	                         * what a requirement's name is compared with */
	char *version;          /* normalized when valid, else as written */
	int version_valid;
	int editable;
	char *editable_path;    /* the project directory of an editable, or NULL */
	int direct;             /* installed from a URL (PEP 610) */
	char *text;             /* what pip prints for it: comments, then the requirement */
};

struct freeze_list {
	struct frozen *f;       /* pip's installations, in pip's output order */
	size_t n;
	int pip_major, pip_minor, pip_micro;  /* the env's pip; -1 when it has none */
	char *pip_dir;          /* the site directory the env's pip is in, or NULL */
	char *unsupported;      /* why venvhook cannot reproduce pip's answer, or NULL */
	char *pip_path;         /* the env's pip script, for reports */
};

/* Lists the env's distributions as pip freeze does (the editable ones
 * too unless exclude_editable), sorted as pip sorts them.  need_text: also
 * compute each requirement line (this may run git for editables).
 * Returns 0, or -1 with a message in err. */
int freeze_collect(const struct env_info *e, int exclude_editable, int need_text,
		   struct freeze_list *l, char *err, size_t errlen);
void freeze_list_free(struct freeze_list *l);
/* Whether pip freeze leaves canonical name out without --all (the
 * stdlib names, pip and, depending on versions, setuptools and friends). */
int freeze_skips(const struct freeze_list *l, const struct env_info *e, const char *canon, int all);

#endif
