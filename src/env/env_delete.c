/* env_delete.c: deleting a virtual environment, and nothing else.
 *
 * One decision of what may be deleted as an env (env_deletable), and one
 * way of deleting it (env_delete), for rm, prune, and create --clear (and
 * so repair, which rebuilds through it). */
#include "env_delete.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_at.h"
#include "platform.h"
#include "tree_remove.h"
#include "util.h"

/* What the top of an env made by venv, virtualenv, uv or pip may hold. */
static const char *const env_entries[] = {
	"bin", "include", "lib", "lib64", "lib32", "share", "etc", "man", "src", "local",
	"Scripts", "Include", "Lib", "pyvenv.cfg", ".gitignore", "CACHEDIR.TAG",
	"pip-selfcheck.json", "selfcheck.json", ".project", ".lock", ".DS_Store",
	".venvhook-id",     /* venvhook's token (trust.h) */
};

/* Entries that say a directory is a project, not an env. */
static const char *const project_entries[] = {
	".git", ".hg", ".svn", ".venvhook", ".venv", "pyproject.toml", "setup.py", "setup.cfg",
	"requirements.txt", "Pipfile",
};

/* The index of name in list, or -1. */
static int list_index(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return (int)i;
	return -1;
}

/* Whether path is $HOME or above it (by name, and by real path). */
static int home_check(const char *path, char *why, size_t whylen)
{
	const char *home = env_get("HOME");
	if (!home || home[0] != '/')
		return 0;
	char *h = path_normalize("/", home);
	char *hreal = realpath(h, NULL), *preal = realpath(path, NULL);
	int above = path_within(h, path) || (hreal && preal && path_within(hreal, preal));
	int same = strcmp(h, path) == 0 || (hreal && preal && strcmp(hreal, preal) == 0);
	free(h);
	free(hreal);
	free(preal);
	if (same || above)
		snprintf(why, whylen, "refusing to remove '%s': it %s your home directory", path,
			 same ? "is" : "holds");
	return same || above;
}

/* What the top of the directory open at fd holds: 0 if it is an env's,
 * else -1 with why. */
static int entries_check(int fd, const char *path, char *why, size_t whylen)
{
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		snprintf(why, whylen, "cannot remove '%s': %s", path, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	char *stranger = NULL;
	const char *project = NULL;     /* the first of project_entries it holds, whatever
					   the order readdir gives (a file system's own) */
	int cfg = 0, pk = -1;
	struct dirent *de;
	while ((de = dir_next(d))) {
		const char *n = de->d_name;
		if (strcmp(n, "pyvenv.cfg") == 0) {
			struct stat cst;
			cfg = fstatat(dirfd(d), n, &cst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(cst.st_mode);
		}
		int k = list_index(n, project_entries, sizeof project_entries / sizeof *project_entries);
		if (k >= 0) {
			if (pk < 0 || k < pk)
				pk = k;
		} else if (!stranger &&
			   list_index(n, env_entries, sizeof env_entries / sizeof *env_entries) < 0) {
			stranger = xstrdup(n);
		}
	}
	closedir(d);
	if (pk >= 0)
		project = project_entries[pk];
	int r = -1;
	if (project)
		snprintf(why, whylen, "refusing to remove '%s': it is a project directory (it holds '%s'), not an env",
			 path, project);
	else if (!cfg)
		snprintf(why, whylen, "refusing to remove '%s': it is not a virtual environment (no pyvenv.cfg)",
			 path);
	else if (stranger)
		snprintf(why, whylen, "refusing to remove '%s': it holds '%s', which is no part of an env",
			 path, stranger);
	else
		r = 0;
	free(stranger);
	return r;
}

/* Whether a file system is mounted inside path: 0 if not, else -1 with why. */
static int mount_check(const char *path, char *why, size_t whylen)
{
	char *real = realpath(path, NULL), *mp = NULL;
	int m = mount_below(real ? real : path, &mp);
	if (m > 0)
		snprintf(why, whylen, "refusing to remove '%s': a file system is mounted at '%s'", path, mp);
	else if (m < 0)
		snprintf(why, whylen, "refusing to remove '%s': cannot tell whether a file system is "
			 "mounted inside it: %s", path, strerror(errno));
	free(mp);
	free(real);
	return m == 0 ? 0 : -1;
}

/* The checks of env_deletable; returns the env open (to compare with what
 * is renamed later), or -1 with why. */
static int check(const char *path, char *why, size_t whylen)
{
	struct stat st;
	const char *base = path_basename(path);
	if (strcmp(path, "/") == 0) {
		snprintf(why, whylen, "refusing to remove '/'");
		return -1;
	}
	if (path[0] != '/' || !*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		snprintf(why, whylen, "refusing to remove '%s': not a directory's absolute name", path);
		return -1;
	}
	if (home_check(path, why, whylen))
		return -1;
	if (lstat(path, &st) < 0) {
		snprintf(why, whylen, "cannot remove '%s': %s", path, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(why, whylen, "refusing to remove '%s': it is a symbolic link, not an env", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "refusing to remove '%s': it is not a directory", path);
		return -1;
	}
	int fd = open_dir_at(AT_FDCWD, path);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(why, whylen, "cannot remove '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (st.st_uid != user_id()) {
		snprintf(why, whylen, "refusing to remove '%s': it belongs to another user", path);
		close(fd);
		return -1;
	}
	if (entries_check(fd, path, why, whylen) < 0 || mount_check(path, why, whylen) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int env_deletable(const char *path, char *why, size_t whylen)
{
	int fd = check(path, why, whylen);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Renames the env at path aside to aside, makes sure it is the one open at
 * fd, and removes it; on failure puts back what is left.  0, or -1 with err. */
static int delete_aside(const char *path, int fd, const char *aside, char *err, size_t errlen)
{
	struct stat st, ast;
	if (rename_noreplace(path, aside) < 0) {
		snprintf(err, errlen, "cannot remove '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || lstat(aside, &ast) < 0 || st.st_dev != ast.st_dev ||
	    st.st_ino != ast.st_ino) {
		snprintf(err, errlen, "refusing to remove '%s': it changed while being checked", path);
	} else if (tree_remove_at(AT_FDCWD, aside, path, err, errlen) == 0) {
		return 0;
	}
	/* Put what is left back where the user will look for it. */
	if (rename_noreplace(aside, path) < 0) {
		size_t n = strlen(err);
		snprintf(err + n, errlen - n, "; what is left of it is in '%s'", aside);
	}
	return -1;
}

int env_delete(const char *path, char *err, size_t errlen)
{
	int fd = check(path, err, errlen);
	if (fd < 0)
		return -1;
	char *parent = path_dirname(path);
	char *aside = xasprintf("%s/.%.200s.venvhook-rm-%ld", strcmp(parent, "/") ? parent : "",
				path_basename(path), (long)getpid());
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	int r = delete_aside(path, fd, aside, err, errlen);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fd);
	free(aside);
	free(parent);
	return r;
}
