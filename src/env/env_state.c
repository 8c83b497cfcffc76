/* env_state.c: whether a recorded env still works, without running it.
 *
 * The everyday breakage is the base interpreter going away (pyenv removed
 * 3.11.7) or becoming another version (python3 now means 3.12, so the env's
 * lib/python3.11/site-packages is never read).  Both show on disk: the
 * chain of links from bin/python, the pyvenv.cfg home directory, the
 * interpreter's file name and the standard library directories. */
#include "env_state.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *env_state_name(enum env_state s)
{
	switch (s) {
	case ENV_OK: return "ok";
	case ENV_PROJECT_GONE: return "project gone";
	case ENV_PYTHON_CHANGED: return "python changed";
	case ENV_PYTHON_GONE: return "python gone";
	case ENV_GONE: return "env gone";
	}
	return "?";
}

void env_status_free(struct env_status *st)
{
	venv_cfg_free(&st->cfg);
}

/* "3.11" from "3.11.4" or "python3.11"; returns 0 or -1. */
static int major_minor(const char *s, int *major, int *minor)
{
	int n = 0;
	if (sscanf(s, "%d.%d%n", major, minor, &n) < 2 || n == 0)
		return -1;
	return 0;
}

/* Whether prefix holds the standard library of X.Y. */
static int has_stdlib(const char *prefix, int major, int minor)
{
	const char *pre = strcmp(prefix, "/") ? prefix : "";
	char *p[3] = {
		xasprintf("%s/lib/python%d.%d", pre, major, minor),
		xasprintf("%s/lib64/python%d.%d", pre, major, minor),
		xasprintf("%s/lib/python%d%d.zip", pre, major, minor),
	};
	struct stat st;
	int ok = 0;
	for (int i = 0; i < 3; i++) {
		ok = ok || stat(p[i], &st) == 0;
		free(p[i]);
	}
	return ok;
}

/* Follows the links of path's last component to what they end at, with a
 * few readlinks rather than realpath's one per component of every step.
 * NULL if the chain is broken (or too long, or too odd to follow lexically). */
static char *follow_links(const char *path)
{
	char *p = xstrdup(path);
	for (int i = 0; i < 40; i++) {
		char buf[PATH_MAX];
		ssize_t n = readlink(p, buf, sizeof buf - 1);
		if (n < 0 && errno == EINVAL)
			return p;       /* not a link: it exists, and the chain ends here */
		if (n < 0 || memmem(buf, (size_t)n, "..", 2))
			break;
		buf[n] = '\0';
		char *dir = path_dirname(p);
		char *next = path_normalize(dir, buf);
		free(dir);
		free(p);
		p = next;
	}
	free(p);
	return NULL;
}

enum env_state env_state_check(const char *env, const char *project, struct env_status *st)
{
	memset(st, 0, sizeof *st);
	struct stat sb;
	char err[512];
	if (stat(env, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(st->why, sizeof st->why, "the env does not exist");
		return st->state = ENV_GONE;
	}
	if (!venv_looks_like(env) || venv_cfg_load(env, &st->cfg, err, sizeof err) < 0) {
		snprintf(st->why, sizeof st->why, "the env is no longer a virtual environment (no pyvenv.cfg)");
		return st->state = ENV_GONE;
	}
	char *python = path_join(env, "bin/python");
	char *real = NULL, *home_prefix = NULL, *real_prefix = NULL;
	int cmaj, cmin, rmaj, rmin;
	int have_version = st->cfg.version && major_minor(st->cfg.version, &cmaj, &cmin) == 0;
	if (lstat(python, &sb) < 0) {
		snprintf(st->why, sizeof st->why, "its bin/python is missing");
		st->state = ENV_PYTHON_GONE;
		goto out;
	}
	real = follow_links(python);
	if (!real)
		real = realpath(python, NULL);  /* to be sure, the slow way */
	if (!real || stat(real, &sb) < 0) {
		snprintf(st->why, sizeof st->why, "the interpreter its bin/python leads to is gone");
		st->state = ENV_PYTHON_GONE;
		goto out;
	}
	if (st->cfg.home && (stat(st->cfg.home, &sb) < 0 || !S_ISDIR(sb.st_mode))) {
		snprintf(st->why, sizeof st->why, "its base interpreter's directory '%s' is gone",
			 st->cfg.home);
		st->state = ENV_PYTHON_GONE;
		goto out;
	}
	const char *base = path_basename(real);
	if (have_version && strncmp(base, "python", 6) == 0 &&
	    major_minor(base + 6, &rmaj, &rmin) == 0 && (rmaj != cmaj || rmin != cmin)) {
		snprintf(st->why, sizeof st->why,
			 "it was made by Python %d.%d, but its bin/python is now Python %d.%d ('%s')",
			 cmaj, cmin, rmaj, rmin, real);
		st->state = ENV_PYTHON_CHANGED;
		goto out;
	}
	if (have_version && st->cfg.home) {
		home_prefix = path_dirname(st->cfg.home);
		char *bin = path_dirname(real);
		real_prefix = path_dirname(bin);
		free(bin);
		if (!has_stdlib(home_prefix, cmaj, cmin) && !has_stdlib(real_prefix, cmaj, cmin)) {
			snprintf(st->why, sizeof st->why,
				 "it was made by Python %d.%d, whose standard library is no longer in '%s'",
				 cmaj, cmin, home_prefix);
			st->state = ENV_PYTHON_CHANGED;
			goto out;
		}
	}
	if (project && stat(project, &sb) < 0 && errno == ENOENT) {
		snprintf(st->why, sizeof st->why, "its project '%s' is gone", project);
		st->state = ENV_PROJECT_GONE;
		goto out;
	}
	st->state = ENV_OK;
out:
	free(python);
	free(real);
	free(home_prefix);
	free(real_prefix);
	return st->state;
}
