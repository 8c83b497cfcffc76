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
	REQ_ERROR,      /* a line pip would refuse, or one venvhook will not read */
};

/* The pip whose rules apply, as major * 100 + minor (2302 for 23.2); 0
 * for the newest rules venvhook knows. */
#define PIP_NEWEST 0
/* pip 24.1 vendors packaging 22 or later: no legacy versions or specifiers. */
#define PIP_STRICT_PACKAGING 2401
/* pip 23.1: --config-settings in requirements files, --install-option gone. */
#define PIP_CONFIG_SETTINGS 2301

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
	int pip_refuses;        /* for REQ_ERROR: pip refuses it too (else a venvhook limit) */
	int local_dir;          /* PATH, EDITABLE: url is a path pip wants a project directory at */
};

struct req_file {
	struct req_line *l;
	size_t n;
};

/* Parses a requirements file's text (UTF-8, see reqfile_decode) as pip
 * does: lines split where Python's splitlines() splits them and joined at
 * a trailing backslash, comments removed, ${VAR} expanded from the
 * environment, option lines read as pip's optparse reads them, requirements
 * split into name, extras, specifiers, marker and URL.  Every step takes
 * time linear in the length of the text.  Never fails: lines pip would
 * refuse become REQ_ERROR.  pip: whose rules (PIP_NEWEST or a version). */
void reqfile_parse_pip(const char *text, int pip, struct req_file *rf);
void reqfile_parse(const char *text, struct req_file *rf);      /* PIP_NEWEST */
void reqfile_free(struct req_file *rf);
void req_line_free(struct req_line *l);

/* A requirements file's bytes as the text pip reads (pip's auto_decode):
 * a UTF-8, UTF-16 or UTF-32 byte order mark tells the encoding, else a
 * "# coding: X" comment in the first two lines (UTF-8 and Latin-1 only),
 * else UTF-8.  Returns a NUL-terminated UTF-8 copy, or NULL with why pip
 * would refuse it (or why venvhook cannot read it) in err. */
char *reqfile_decode(const char *data, size_t len, char *err, size_t errlen);

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
	int pip;                            /* whose rules: PIP_NEWEST or a version */
};

/* Markers nest parentheses at most this deep (pip's parser, recursive
 * too, fails long before). */
#define MARKER_DEPTH_MAX 100

/* Evaluates an environment marker: 1 true, 0 false, -1 malformed (why in
 * err), -2 it needs a value env does not know (named in err), -3 the env's
 * pip fails evaluating it (why in err). */
int marker_eval(const char *marker, const struct marker_env *env, char *err, size_t errlen);

#endif
