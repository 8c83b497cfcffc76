/* dist.h: finding and reading installed Python distributions as pip does. */
#ifndef VENVHOOK_DIST_H
#define VENVHOOK_DIST_H

#include <stddef.h>

#include "utf8.h"
#include "util.h"

/* Metadata files larger than this are refused. */
#define DIST_META_MAX (16u * 1024 * 1024)

/* A set of strings, each with a number (open addressing, FNV-1a). */
struct nameset {
	char **k;
	size_t *v;
	size_t cap, n;
};
/* Whether s is in the set; its number in *v (unless v is NULL). */
int nameset_get(const struct nameset *h, const char *s, size_t *v);
void nameset_put(struct nameset *h, const char *s, size_t v);
void nameset_free(struct nameset *h);

/* The headers pip reads from METADATA / PKG-INFO. */
struct meta {
	char *name;         /* the first Name: header's value, NULL if none */
	char *version;      /* the first Version: header's value, NULL if none */
};

/* Parses the header block of text (already decoded: valid UTF-8 with
 * newlines translated) as Python's email parser (compat32 policy) does:
 * header names are matched case-insensitively, values keep trailing
 * blanks, folded lines are joined, parsing stops at the first line that
 * is neither a header nor a continuation.  Never fails. */
void meta_parse(const char *text, struct meta *m);
void meta_free(struct meta *m);

/* Universal newlines: "\r\n" and "\r" become "\n", in place; returns the
 * new length. */
size_t newline_translate(char *s, size_t n);

/* PEP 503: lowercase, runs of '-', '_' and '.' become one '-'. */
char *canonical_name(const char *name);

/* PEP 610 direct_url.json, as pip validates it. */
enum direct_kind { DIRECT_NONE, DIRECT_ARCHIVE, DIRECT_DIR, DIRECT_VCS };
struct direct_url {
	enum direct_kind kind;
	char *url;
	char *subdirectory;     /* or NULL */
	char *hash;             /* archive_info.hash (legacy key) or NULL */
	int editable;           /* dir_info.editable */
	char *vcs, *commit_id;  /* vcs_info */
};
/* Parses the text of direct_url.json.  Returns 0, or -1 with pip's reason
 * in err (pip then ignores the file with a warning). */
int direct_url_parse(const char *text, size_t len, struct direct_url *d, char *err, size_t errlen);
void direct_url_free(struct direct_url *d);

/* One installed distribution. */
struct dist {
	char *raw_name;         /* Name: as written */
	char *canon;            /* canonical_name(raw_name) */
	char *version;          /* Version: as written, or NULL */
	char *dir_version;      /* pip >= 24.2: the version in the directory name, or NULL */
	char *info;             /* the .dist-info / .egg-info directory or file */
	char *location;         /* the directory holding info */
	struct direct_url du;   /* DIRECT_NONE when absent or invalid */
	int egg_link;           /* an .egg-link for raw_name is on the search path */
};

/* How pip's importlib backend tells distributions apart, by pip version. */
struct scan_opts {
	int dirname_key;        /* pip >= 24.2: name and version from the directory name */
	int pkg_resources;      /* pip's pkg_resources backend (Python <= 3.10) */
};

/* What the scan found: distributions in pip's order (first of a name wins). */
struct dist_set {
	struct dist *d;
	size_t n, cap;
	char *unsupported;      /* set when pip's answer cannot be reproduced: why */
};

/* Scans the search path as pip's importlib backend does, or with
 * o->pkg_resources as its pkg_resources backend (a WorkingSet of the
 * search path: per directory its .dist-info/.egg-info entries, named by
 * their file names; where that backend's order would matter, two names in
 * one directory or two names pip would merge, set->unsupported is set).  Problems pip
 * only warns about are printed as warnings; problems that make pip fail
 * (undecodable or missing versions, unreadable or oversized files) are
 * returned: -1 with a message in err. */
int dist_scan(const struct strlist *path, const struct scan_opts *o, struct dist_set *set,
	      char *err, size_t errlen);
void dist_set_free(struct dist_set *set);

/* Reads a metadata text file for pip: *found is 0 if it does not exist (or
 * cannot be a file, as Python's read_text sees it).  Returns -1 with a
 * message in err when it exists but cannot be used (unreadable, too
 * large, not UTF-8, holding NUL bytes). */
int dist_read_text(const char *path, struct sbuf *out, int *found, char *err, size_t errlen);
/* The same for rel, relative to directory dirfd (or AT_FDCWD); base/rel
 * (rel without base) names the file in messages. */
int dist_read_text_at(int dirfd, const char *base, const char *rel, struct sbuf *out, int *found,
		      char *err, size_t errlen);

#endif
