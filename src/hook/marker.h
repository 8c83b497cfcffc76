/* marker.h: finding a project's env by walking up from a directory. */
#ifndef VENVHOOK_MARKER_H
#define VENVHOOK_MARKER_H

#include <stddef.h>

struct config;

#define MARKER_FILE_MAX (64 * 1024)

enum marker_kind {
	MARKER_NONE,
	MARKER_VENVHOOK,    /* a .venvhook INI file */
	MARKER_VENV_DIR,    /* a .venv directory */
	MARKER_VENV_FILE,   /* a .venv file naming an env */
	MARKER_PYTHON_VERSION,  /* a .python-version naming a pyenv-virtualenv env */
	MARKER_WORKON_PROJECT,  /* a virtualenvwrapper env's .project naming the directory */
};

/* What the walk found: the nearest marker and the env it names. */
struct project {
	enum marker_kind kind;
	char *dir;          /* the project directory: where the marker is */
	char *marker;       /* the marker's path */
	char *env;          /* the env it names, absolute and normalized; NULL on error */
	char *prompt;       /* prompt = from .venvhook, or NULL */
	char *requirements; /* requirements = from .venvhook (relative to dir), or NULL */
	int activate;       /* 0 when .venvhook says activate = false */
	char *error;        /* why the marker cannot be used, or NULL */
};

/* The paths the walk looked at, and whether each existed: while none of
 * them changes, the walk would find the same thing. */
struct watch {
	char **path;
	unsigned char *exists;
	size_t n, cap;
	int partial;            /* WATCH_WALK_MAX dropped some of the walk's paths */
};

/* The walk's part of a watch, in bytes of paths: the candidates of the
 * nearest directories up to this, then those of the directory where the
 * walk stopped.  A marker appearing or going in the directories between is
 * noticed at the next cd, not at the next prompt: without the bound, a
 * directory 1,000 levels deep would watch megabytes on every prompt. */
#define WATCH_WALK_MAX (8 * 1024)

/* Walks up from start (an absolute directory) to "/". */
void project_find(const struct config *cfg, const char *start, struct project *p, struct watch *w);
void project_free(struct project *p);
/* Loads dir/name as a marker of that kind (MARKER_VENV_FILE also takes a
 * .venv directory; a .venvhook directory is no marker).  Returns 1 and
 * fills p if it is one, also when it is another user's or cannot be read
 * or parsed (p->error says why, p->env is NULL); else 0. */
int marker_load(const char *dir, const char *name, enum marker_kind kind,
		struct project *p, struct watch *w);
/* A marker (file, directory or link) that another user than the user and
 * root owns is not the user's word, as with git's safe.directory: returns 1
 * and sets p->error ("ignoring '...': it belongs to another user"), else 0.
 * The walk stops at such a marker, and nothing is activated. */
int marker_foreign(const char *path, struct project *p);
void watch_add(struct watch *w, const char *path, int exists);
void watch_free(struct watch *w);

/* Resolves what a marker names, relative to the marker's directory dir:
 * an absolute path, ./ or ../ relative path, ~/path, or a bare name under
 * $VENVHOOK_HOME, $WORKON_HOME or ~/.virtualenvs.  Returns the normalized
 * path, or NULL with a message in err. */
char *marker_resolve(const char *value, const char *dir, char *err, size_t errlen);

/* Parses a .venv file's text: the first line that is neither blank nor a #
 * comment.  Returns the env path or NULL with a message in err. */
char *venv_file_parse(const char *text, const char *dir, char *err, size_t errlen);

/* Parses a .venvhook file's text into p (env, prompt, activate).  path is
 * used in messages.  Returns 0, or -1 with "'path' line N: ..." in err. */
int venvhook_file_parse(const char *text, const char *path, const char *dir,
			struct project *p, char *err, size_t errlen);

#endif
