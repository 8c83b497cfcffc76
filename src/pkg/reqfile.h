/* reqfile.h: the requirements file format `pip install -r` reads. */
#ifndef VENVHOOK_REQFILE_H
#define VENVHOOK_REQFILE_H

#include <stddef.h>

enum req_kind {
	REQ_NAME,       /* name[extras] specifiers ; marker */
	REQ_URL,        /* name[extras] @ url ; marker */
	REQ_PATH,       /* a path or URL to a project or archive (name only if it tells) */
	REQ_EDITABLE,   /* -e path or -e vcs+url#egg=name */
	REQ_INCLUDE,    /* -r FILE */
	REQ_CONSTRAINT, /* -c FILE */
	REQ_OPTION,     /* an option line with no requirement (-i, --pre, ...) */
	REQ_ERROR,      /* a line pip would refuse */
};

struct req_line {
	enum req_kind kind;
	int lineno;             /* where the logical line starts */
	char *text;             /* the logical line, comments removed */
	char *name;             /* the project name as written, or NULL */
	char *extras;           /* what is inside [...], or NULL */
	char *spec;             /* specifiers such as ">=1,<2" ("" when none) */
	char *marker;           /* the environment marker, or NULL */
	char *url;              /* the URL or path for URL, PATH, EDITABLE, INCLUDE, CONSTRAINT */
	char *error;            /* for REQ_ERROR: why */
};

struct req_file {
	struct req_line *l;
	size_t n;
};

/* Parses a requirements file's text as pip does: lines joined at a
 * trailing backslash, comments removed, ${VAR} expanded from the
 * environment, option lines recognized, requirements split into name,
 * extras, specifiers, marker and URL.  Never fails: lines pip would refuse
 * become REQ_ERROR. */
void reqfile_parse(const char *text, struct req_file *rf);
void reqfile_free(struct req_file *rf);
void req_line_free(struct req_line *l);

/* Parses one requirement (PEP 508, or a path or URL) into l.  Returns 0,
 * or -1 with l->error set. */
int req_parse(const char *s, struct req_line *l);

/* What environment markers compare with. */
struct marker_env {
	const char *python_version;         /* "3.11" */
	const char *python_full_version;    /* "3.11.2" */
	const char *implementation_name;    /* "cpython", or NULL when unknown */
	const char *platform_python_implementation;
	const char *implementation_version;
	const char *sys_platform, *os_name, *platform_system;
	const char *platform_machine, *platform_release, *platform_version;
};

/* Evaluates an environment marker: 1 true, 0 false, -1 malformed (why in
 * err), -2 it needs a value env does not know (named in err). */
int marker_eval(const char *marker, const struct marker_env *env, char *err, size_t errlen);

#endif
