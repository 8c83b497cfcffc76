/* env_state.c: whether a recorded env still works, without running it.
 *
 * The everyday breakage is the base interpreter going away (pyenv removed
 * 3.11.7) or becoming another version (python3 now means 3.12, so the env's
 * lib/python3.11/site-packages is never read).  Both show on disk: the
 * chain of links from bin/python, the pyvenv.cfg home directory, the
 * interpreter's file name and the standard library directories. */
#include "env_state.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"

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
	free(st->why);
	st->why = NULL;
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
static int has_stdlib_uncached(const char *prefix, int major, int minor)
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
		if (n < 0 || mem_find(buf, (size_t)n, "..", 2))
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

/* ---- what envs share, looked at once per run -------------------------------
 * Listing 100,000 envs made by a few interpreters would otherwise follow the
 * same links and stat the same directories 100,000 times.  A small memo of
 * answers by key (a path, or a path and a version), for the process's life:
 * a list or prune takes a second at most, and a base interpreter that goes
 * meanwhile is seen by the next one. */
#define MEMO_MAX 64

struct memo {
	char *key;
	char *value;    /* a path, or NULL */
	int ok;
};

/* list checks envs in several threads: the memo is shared under a lock. */
static struct memo memo[MEMO_MAX];
static size_t memo_n;
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;

/* Looks key up: 1 and its answer (*value a copy, or NULL), or 0. */
static int memo_get(const char *key, char **value, int *ok)
{
	int found = 0;
	pthread_mutex_lock(&memo_lock);
	for (size_t i = 0; i < memo_n && !found; i++) {
		if (strcmp(memo[i].key, key) == 0) {
			if (value)
				*value = memo[i].value ? xstrdup(memo[i].value) : NULL;
			*ok = memo[i].ok;
			found = 1;
		}
	}
	pthread_mutex_unlock(&memo_lock);
	return found;
}

/* Remembers an answer (copied), unless the memo is full. */
static void memo_put(const char *key, const char *value, int ok)
{
	pthread_mutex_lock(&memo_lock);
	if (memo_n < MEMO_MAX) {
		memo[memo_n].key = xstrdup(key);
		memo[memo_n].value = value ? xstrdup(value) : NULL;
		memo[memo_n].ok = ok;
		memo_n++;
	}
	pthread_mutex_unlock(&memo_lock);
}

static int has_stdlib(const char *prefix, int major, int minor)
{
	char *key = xasprintf("S%s\n%d.%d", prefix, major, minor);
	int ok;
	if (!memo_get(key, NULL, &ok)) {
		ok = has_stdlib_uncached(prefix, major, minor);
		memo_put(key, NULL, ok);
	}
	free(key);
	return ok;
}

/* Whether path is a directory (dir) or exists (!dir). */
static int exists(const char *path, int dir)
{
	char *key = xasprintf("%c%s", dir ? 'D' : 'E', path);
	int ok;
	if (!memo_get(key, NULL, &ok)) {
		struct stat sb;
		ok = stat(path, &sb) == 0 && (!dir || S_ISDIR(sb.st_mode));
		memo_put(key, NULL, ok);
	}
	free(key);
	return ok;
}

/* Where an env's bin/python leads: the links inside the env (relative, as
 * venv makes them: python -> python3) are read here, and the first absolute
 * one, to a base interpreter many envs share, is followed through the memo.
 * NULL if it leads nowhere; *missing when bin/python itself is not there. */
static char *python_target(const char *python, int *missing)
{
	*missing = 0;
	char *p = xstrdup(python);
	for (int i = 0; i < 40; i++) {
		char buf[PATH_MAX];
		ssize_t n = readlink(p, buf, sizeof buf - 1);
		if (n < 0 && errno == EINVAL)
			return p;       /* not a link: the interpreter itself */
		if (n < 0 && (errno == ENOENT || errno == ENOTDIR)) {
			/* bin/python is not there, or a link in the env dangles */
			*missing = i == 0;
			free(p);
			return NULL;
		}
		if (n < 0)
			break;
		buf[n] = '\0';
		if (buf[0] != '/') {
			if (mem_find(buf, (size_t)n, "..", 2))
				break;  /* too odd to follow lexically */
			char *dir = path_dirname(p);
			free(p);
			p = path_normalize(dir, buf);
			free(dir);
			continue;
		}
		free(p);
		char *key = xasprintf("L%s", buf);
		char *real;
		int ok;
		if (!memo_get(key, &real, &ok)) {
			char *target = path_normalize("/", buf);
			real = follow_links(target);
			if (!real)
				real = realpath(target, NULL);
			if (real && !exists(real, 0)) {
				free(real);
				real = NULL;
			}
			memo_put(key, real, 1);
			free(target);
		}
		free(key);
		return real;
	}
	free(p);
	if (*missing)
		return NULL;
	/* A chain too long or too odd: the slow way, to be sure. */
	char *real = realpath(python, NULL);
	if (real && !exists(real, 0)) {
		free(real);
		real = NULL;
	}
	return real;
}

/* A pyvenv.cfg smaller than this is read in one read (they are a few
 * hundred bytes). */
#define CFG_ONE_READ 4096

/* Reads env's pyvenv.cfg into cfg, in one read when it is small: a list of
 * 100,000 envs makes this call 100,000 times.  Returns 0, or -1 when there
 * is no readable pyvenv.cfg file. */
static int cfg_read(const char *env, struct venv_cfg *cfg)
{
	char *path = path_join(env, "pyvenv.cfg");
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	free(path);
	if (fd < 0)
		return -1;
	char buf[CFG_ONE_READ];
	ssize_t n;
	do
		n = read(fd, buf, sizeof buf - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return -1;      /* a directory (EISDIR), or unreadable */
	if ((size_t)n == sizeof buf - 1) {
		char err[MSG_MAX];  /* a large one: read it whole, the usual way */
		return venv_cfg_load(env, cfg, err, sizeof err);
	}
	buf[n] = '\0';
	venv_cfg_parse(buf, cfg);
	return 0;
}

enum env_state env_state_check(const char *env, const char *project, struct env_status *st)
{
	memset(st, 0, sizeof *st);
	struct stat sb;
	if (cfg_read(env, &st->cfg) < 0) {
		venv_cfg_free(&st->cfg);
		memset(&st->cfg, 0, sizeof st->cfg);
		if (stat(env, &sb) < 0 || !S_ISDIR(sb.st_mode))
			st->why = xstrdup("the env does not exist");
		else
			st->why = xstrdup("the env is no longer a virtual environment (no pyvenv.cfg)");
		return st->state = ENV_GONE;
	}
	char *python = path_join(env, "bin/python");
	char *real = NULL, *home_prefix = NULL, *real_prefix = NULL;
	int cmaj, cmin, rmaj, rmin, missing;
	int have_version = st->cfg.version && major_minor(st->cfg.version, &cmaj, &cmin) == 0;
	real = python_target(python, &missing);
	if (missing) {
		st->why = xstrdup("its bin/python is missing");
		st->state = ENV_PYTHON_GONE;
		goto out;
	}
	if (!real) {
		st->why = xstrdup("the interpreter its bin/python leads to is gone");
		st->state = ENV_PYTHON_GONE;
		goto out;
	}
	if (st->cfg.home && !exists(st->cfg.home, 1)) {
		st->why = xasprintf("its base interpreter's directory '%s' is gone", st->cfg.home);
		st->state = ENV_PYTHON_GONE;
		goto out;
	}
	const char *base = path_basename(real);
	if (have_version && strncmp(base, "python", 6) == 0 &&
	    major_minor(base + 6, &rmaj, &rmin) == 0 && (rmaj != cmaj || rmin != cmin)) {
		st->why = xasprintf("it was made by Python %d.%d, but its bin/python is now "
				    "Python %d.%d ('%s')", cmaj, cmin, rmaj, rmin, real);
		st->state = ENV_PYTHON_CHANGED;
		goto out;
	}
	if (have_version && st->cfg.home) {
		home_prefix = path_dirname(st->cfg.home);
		char *bin = path_dirname(real);
		real_prefix = path_dirname(bin);
		free(bin);
		if (!has_stdlib(home_prefix, cmaj, cmin) && !has_stdlib(real_prefix, cmaj, cmin)) {
			st->why = xasprintf("it was made by Python %d.%d, whose standard library is "
					    "no longer in '%s'", cmaj, cmin, home_prefix);
			st->state = ENV_PYTHON_CHANGED;
			goto out;
		}
	}
	/* A project that holds the env (project/.venv) is there: its pyvenv.cfg
	 * was just read through it. */
	if (project && !path_within(env, project) && stat(project, &sb) < 0 && errno == ENOENT) {
		st->why = xasprintf("its project '%s' is gone", project);
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
