/* venv.h: what a virtual environment is, and whether it is safe to use. */
#ifndef VENVHOOK_VENV_H
#define VENVHOOK_VENV_H

#include <sys/stat.h>

#include "util.h"

/* More than any pyvenv.cfg holds: a larger one is not read. */
#define PYVENV_CFG_MAX (64 * 1024)

/* The keys of pyvenv.cfg that venvhook reads. */
struct venv_cfg {
	char *home;
	char *version;
	char *prompt;       /* decoded from its Python repr */
	char *executable;
	char *command;
	int system_site;    /* include-system-site-packages; missing means true */
};

/* Parses pyvenv.cfg text as Python's site.py does: "key = value" lines,
 * keys compared case-insensitively.  Never fails. */
void venv_cfg_parse(const char *text, struct venv_cfg *cfg);
void venv_cfg_free(struct venv_cfg *cfg);
/* Reads ENV/pyvenv.cfg; returns 0, or -1 with a message in err. */
int venv_cfg_load(const char *env, struct venv_cfg *cfg, char *err, size_t errlen);

/* Decodes a Python string literal ('x', "x", with escapes); a value that is
 * not quoted is returned as is. */
char *py_unrepr(const char *s);

enum venv_state {
	VENV_OK,
	VENV_MISSING,       /* no such directory */
	VENV_NOT_VENV,      /* a directory without pyvenv.cfg */
	VENV_NO_PYTHON,     /* bin/python missing or a dangling link */
	VENV_BAD_PATH,      /* the path holds ':' or a newline: PATH cannot carry it */
	VENV_FOREIGN,       /* the env, its bin/ or a directory above belongs to another user */
	VENV_WRITABLE,      /* the env, its bin/ or a directory above is writable by another user */
};

/* Checks env (an absolute path).  On VENV_OK and the ownership states, st
 * holds stat(env).  Once env is found to be a directory, *real holds its
 * real path (the caller frees it), else NULL.  why receives a one-line explanation for other states.
 * The ownership states (owner.h): the env and its bin/ can be changed only
 * by the user and root, and so can every directory above the env's real
 * path up to "/", sticky ones (/tmp) excepted, as sshd's StrictModes does. */
enum venv_state venv_check(const char *env, struct stat *st, char **real, char *why,
			   size_t whylen);
/* True if dir holds pyvenv.cfg (a regular file). */
int venv_looks_like(const char *dir);

/* The name shown in the prompt: prompt_override (from .venvhook), else the
 * pyvenv.cfg prompt, else the project directory's name for an env named
 * .venv or venv, else the env directory's name. */
char *venv_name(const char *env, const char *project, const char *prompt_override,
		const struct venv_cfg *cfg);
/* VIRTUAL_ENV_PROMPT as that env's own activate script sets it: the bare
 * name from Python 3.13 on, "(name) " before. */
char *venv_prompt_var(const char *name, const struct venv_cfg *cfg);

#endif
