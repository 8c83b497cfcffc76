/* tree_remove.c: deleting a directory tree without following links out of it.
 *
 * Every directory is opened relative to its parent with O_NOFOLLOW and
 * checked to be on the tree's file system before anything in it goes, so
 * neither a link nor a link swapped in meanwhile nor a mount point leads
 * the removal elsewhere. */
#include "tree_remove.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"
#include "quote.h"
#include "util.h"

#define REMOVE_DEPTH_MAX 512

struct rm {
	dev_t dev;
	struct sbuf path;   /* for messages */
	char *err;
	size_t errlen;
};

static int rm_fail(struct rm *r, const char *what, int e)
{
	char *shown = printable(r->path.s);
	if (what)
		snprintf(r->err, r->errlen, "cannot remove '%s': %s", shown, what);
	else
		snprintf(r->err, r->errlen, "cannot remove '%s': %s", shown, strerror(e));
	free(shown);
	return -1;
}

static void path_push(struct rm *r, const char *name, size_t *len)
{
	*len = r->path.len;
	sb_addc(&r->path, '/');
	sb_adds(&r->path, name);
}

static void path_pop(struct rm *r, size_t len)
{
	r->path.len = len;
	r->path.s[len] = '\0';
}

static int rm_dir(struct rm *r, int dirfd, const char *name, int depth);

/* Empties the directory open at fd (taking the descriptor). */
static int rm_contents(struct rm *r, int fd, int depth)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return rm_fail(r, NULL, errno);
	}
	if (st.st_dev != r->dev) {
		close(fd);
		return rm_fail(r, "it is another file system (a mount point)", 0);
	}
	/* A directory we own but may not write to (chmod a-w): make it ours to empty. */
	if (st.st_uid == geteuid() && (st.st_mode & 0700) != 0700)
		fchmod(fd, st.st_mode | 0700);
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return rm_fail(r, NULL, errno);
	}
	/* Read all names first: removing while reading may skip entries. */
	struct sbuf names = SBUF_INIT;
	struct sbuf types = SBUF_INIT;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
			continue;
		sb_add(&names, n, strlen(n) + 1);
		mode_t t = dirent_type(de);
		sb_addc(&types, !t ? '?' : S_ISDIR(t) ? 'd' : '-');
	}
	int status = 0;
	if (errno)
		status = rm_fail(r, NULL, errno);
	size_t k = 0;
	for (size_t off = 0; status == 0 && off < names.len; off += strlen(names.s + off) + 1, k++) {
		const char *n = names.s + off;
		int isdir = types.s[k] == 'd';
		if (types.s[k] == '?') {
			if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				if (errno == ENOENT)
					continue;
				size_t len;
				path_push(r, n, &len);
				status = rm_fail(r, NULL, errno);
				break;
			}
			isdir = S_ISDIR(st.st_mode);
		}
		if (isdir) {
			status = rm_dir(r, dirfd(d), n, depth + 1);
		} else if (unlinkat(dirfd(d), n, 0) < 0 && errno != ENOENT) {
			int e = errno;
			size_t len;
			path_push(r, n, &len);
			/* It became a directory after we read its type. */
			if (e == EISDIR)
				path_pop(r, len), status = rm_dir(r, dirfd(d), n, depth + 1);
			else
				status = rm_fail(r, NULL, e);
		}
	}
	sb_free(&names);
	sb_free(&types);
	closedir(d);
	return status;
}

/* Removes the directory name in dirfd and everything below it. */
static int rm_dir(struct rm *r, int dirfd, const char *name, int depth)
{
	size_t len;
	path_push(r, name, &len);
	if (depth > REMOVE_DEPTH_MAX)
		return rm_fail(r, "it is nested too deeply", 0);
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT) {
			path_pop(r, len);
			return 0;
		}
		if (errno == ENOTDIR || errno == ELOOP) {
			/* Replaced by a file or a link since we looked: remove just that. */
			if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT) {
				path_pop(r, len);
				return 0;
			}
		}
		return rm_fail(r, NULL, errno);
	}
	if (rm_contents(r, fd, depth) < 0)
		return -1;
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return rm_fail(r, NULL, errno);
	path_pop(r, len);
	return 0;
}

int tree_remove_at(int dirfd, const char *name, const char *shown, char *err, size_t errlen)
{
	struct stat st;
	struct rm r = { 0, SBUF_INIT, err, errlen };
	sb_adds(&r.path, shown);
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		int e = errno;
		rm_fail(&r, NULL, e);
		sb_free(&r.path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		rm_fail(&r, "not a directory", 0);
		sb_free(&r.path);
		return -1;
	}
	r.dev = st.st_dev;
	/* rm_dir appends the name; start from the parent's path. */
	char *parent = path_dirname(shown);
	sb_reset(&r.path);
	sb_adds(&r.path, strcmp(parent, "/") ? parent : "");
	free(parent);
	int status = rm_dir(&r, dirfd, name, 0);
	sb_free(&r.path);
	return status;
}
