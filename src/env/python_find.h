/* python_find.h: finding a Python interpreter, and what only it knows. */
#ifndef VENVHOOK_PYTHON_FIND_H
#define VENVHOOK_PYTHON_FIND_H

#include <stddef.h>

/* What an env built on an interpreter needs to know about it: asked once
 * (Python is started) and kept in python_cache.h's cache, so that an
 * upgraded interpreter is asked again. */
struct python_info {
	char *path;             /* the interpreter as found: what is run */
	char *executable;       /* its sys.executable */
	char *base_executable;  /* sys._base_executable: what the env links to */
	char *real;             /* realpath(sys.executable) */
	int major, minor, micro;
	char *version;          /* "3.11.2" */
	char *cache_tag;        /* sys.implementation.cache_tag: "cpython-311" */
	char *magic;            /* importlib.util.MAGIC_NUMBER in hex */
	char *scripts, *include, *purelib;  /* its venv layout, relative to the env */
	int lib64;              /* venv adds the lib64 -> lib link */
	char *ps1;              /* its venv module's Activate.ps1, or NULL */
	int ensurepip;          /* it has the ensurepip module */
	char **wheels;          /* the wheels ensurepip would install */
	size_t nwheels;
};

/* Finds an interpreter.  spec is a path (holds a '/'), a version ("3",
 * "3.12", "3.12.1") or a command name ("python3.12"), looked up on PATH and
 * then in $PYENV_ROOT/versions; NULL means the version named by the
 * .python-version file nearest to project_dir, else python3 on PATH.
 * pyenv's shims are resolved as pyenv would.  Returns the interpreter's
 * absolute path, or NULL with a message in err. */
char *python_find(const char *spec, const char *project_dir, char *err, size_t errlen);

/* pyenv's root: $PYENV_ROOT if absolute, else ~/.pyenv; NULL if neither. */
char *pyenv_root(void);
/* The .python-version file nearest to dir (from dir up to "/"), or NULL;
 * *name gets the first word of its first line that is neither blank nor a
 * comment (NULL if there is none). */
char *python_version_file(const char *dir, char **name);
/* Fills pi for the interpreter at path, from the cache or by running it;
 * refuses anything older than Python 3.8.  Returns 0, or -1 with err. */
int python_probe(const char *path, struct python_info *pi, char *err, size_t errlen);
void python_info_free(struct python_info *pi);

#endif
