/* env_remove.c: deleting a virtual environment, and nothing else.
 *
 * The tree is walked with openat(O_NOFOLLOW | O_DIRECTORY) and emptied with
 * unlinkat, so a symbolic link inside the env (lib64 -> lib, or one planted
 * to point at $HOME) is removed as a link and never followed, and a path
 * component swapped for a link during the walk is not followed either. */
#include "env_remove.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_at.h"
#include "util.h"

#define DEPTH_MAX 256

struct walk {
	dev_t dev;
	unsigned long long mnt;     /* mount id of the top, 0 if unknown */
	const char *top;
	char *err;
	size_t errlen;
};

static int fail(struct walk *w, const char *what, const char *name, int depth, int e)
{
	if (depth)
		snprintf(w->err, w->errlen, "cannot remove '%s': %s (at '%s' inside it)", w->top,
			 what ? what : strerror(e), name);
	else
		snprintf(w->err, w->errlen, "cannot remove '%s': %s", w->top, what ? what : strerror(e));
	return -1;
}

/* The mount a directory belongs to (bind mounts of the same file system
 * share st_dev, not this), or 0 if the kernel cannot tell. */
static unsigned long long mount_id(int fd)
{
#ifdef STATX_MNT_ID
	struct statx sx;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) == 0 && (sx.stx_mask & STATX_MNT_ID))
		return sx.stx_mnt_id;
#else
	(void)fd;
#endif
	return 0;
}

/* Removes the entry name of the directory pfd. */
static int remove_at(struct walk *w, int pfd, const char *name, int depth)
{
	if (unlinkat(pfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno == EACCES && depth > 0) {
		/* A read-only directory inside the env: make it writable if it
		 * is ours (pfd is open already, so no link is followed). */
		struct stat st;
		if (fstat(pfd, &st) < 0 || st.st_uid != geteuid() ||
		    fchmod(pfd, (st.st_mode & 07777) | S_IRWXU) < 0)
			return fail(w, NULL, name, depth, EACCES);
		if (unlinkat(pfd, name, 0) == 0 || errno == ENOENT)
			return 0;
	}
	if (errno != EISDIR && errno != EPERM)
		return fail(w, NULL, name, depth, errno);
	if (depth > DEPTH_MAX)
		return fail(w, "nested too deeply", name, depth, 0);
	int fd = open_dir_at(pfd, name);
	if (fd < 0)
		return fail(w, NULL, name, depth, errno);
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return fail(w, NULL, name, depth, e);
	}
	if (st.st_dev != w->dev || (w->mnt && mount_id(fd) != w->mnt)) {
		close(fd);
		return fail(w, "another file system is mounted inside it", name, depth, 0);
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		return fail(w, NULL, name, depth, e);
	}
	int r = 0;
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno)
				r = fail(w, NULL, name, depth, errno);
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (remove_at(w, dirfd(d), de->d_name, depth + 1) < 0) {
			r = -1;
			break;
		}
	}
	closedir(d);
	if (r == 0 && unlinkat(pfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		r = fail(w, NULL, name, depth, errno);
	return r;
}

int tree_remove(const char *path, char *err, size_t errlen)
{
	struct walk w = { .top = path, .err = err, .errlen = errlen };
	struct stat st;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot remove '%s': %s", path, strerror(errno));
		return -1;
	}
	w.dev = st.st_dev;
	int top = open_dir_at(AT_FDCWD, path);
	if (top >= 0) {
		w.mnt = mount_id(top);
		close(top);
	}
	char *parent = path_dirname(path);
	int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(parent);
	if (pfd < 0) {
		snprintf(err, errlen, "cannot remove '%s': %s", path, strerror(errno));
		return -1;
	}
	int r = remove_at(&w, pfd, path_basename(path), 0);
	close(pfd);
	return r;
}

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

/* A mount point at or below dir, from /proc/self/mountinfo, or NULL. */
static char *mount_below(const char *dir)
{
	struct sbuf text = SBUF_INIT;
	char *found = NULL;
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char buf[8192];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		sb_add(&text, buf, (size_t)n);
	close(fd);
	for (char *line = text.s, *next; line && !found; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ...; octal escapes for spaces */
		char *f = line;
		for (int i = 0; i < 4 && f; i++) {
			f = strchr(f, ' ');
			if (f)
				f++;
		}
		if (!f)
			continue;
		size_t len = strcspn(f, " ");
		struct sbuf mp = SBUF_INIT;
		for (size_t i = 0; i < len; i++) {
			if (f[i] == '\\' && i + 3 < len && f[i + 1] >= '0' && f[i + 1] <= '3') {
				sb_addc(&mp, (char)((f[i + 1] - '0') * 64 + (f[i + 2] - '0') * 8 + (f[i + 3] - '0')));
				i += 3;
			} else {
				sb_addc(&mp, f[i]);
			}
		}
		if (mp.s && path_within(mp.s, dir))
			found = sb_detach(&mp);
		sb_free(&mp);
	}
	sb_free(&text);
	return found;
}

int env_removable(const char *path, char *why, size_t whylen)
{
	struct stat st;
	const char *home = env_get("HOME");
	if (strcmp(path, "/") == 0) {
		snprintf(why, whylen, "refusing to remove '/'");
		return 0;
	}
	if (home && home[0] == '/') {
		char *h = path_normalize("/", home);
		char *hreal = realpath(h, NULL), *preal = realpath(path, NULL);
		int above = path_within(h, path) || (hreal && preal && path_within(hreal, preal));
		int same = strcmp(h, path) == 0 || (hreal && preal && strcmp(hreal, preal) == 0);
		free(h);
		free(hreal);
		free(preal);
		if (same || above) {
			snprintf(why, whylen, "refusing to remove '%s': it %s your home directory", path,
				 same ? "is" : "holds");
			return 0;
		}
	}
	if (lstat(path, &st) < 0) {
		snprintf(why, whylen, "cannot remove '%s': %s", path, strerror(errno));
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(why, whylen, "refusing to remove '%s': it is a symbolic link, not an env", path);
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "refusing to remove '%s': it is not a directory", path);
		return 0;
	}
	DIR *d = opendir(path);
	if (!d) {
		snprintf(why, whylen, "cannot remove '%s': %s", path, strerror(errno));
		return 0;
	}
	char *stranger = NULL;
	const char *project = NULL;   /* the first of project_entries it holds, whatever
					 the order readdir gives (a file system's own) */
	int cfg = 0, pk = -1;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		if (strcmp(n, "pyvenv.cfg") == 0) {
			struct stat cst;
			cfg = fstatat(dirfd(d), n, &cst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(cst.st_mode);
		}
		int k = list_index(n, project_entries, sizeof project_entries / sizeof *project_entries);
		if (k >= 0) {
			if (pk < 0 || k < pk)
				pk = k;
		} else if (!stranger && list_index(n, env_entries, sizeof env_entries / sizeof *env_entries) < 0) {
			stranger = xstrdup(n);
		}
	}
	closedir(d);
	if (pk >= 0)
		project = project_entries[pk];
	int ok = 0;
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
		ok = 1;
	if (ok) {
		char *real = realpath(path, NULL);
		char *mp = mount_below(real ? real : path);
		if (mp) {
			snprintf(why, whylen, "refusing to remove '%s': a file system is mounted at '%s'", path, mp);
			ok = 0;
		}
		free(mp);
		free(real);
	}
	free(stranger);
	return ok;
}
