/* tree_remove.c: deleting a directory tree without following links out of it.
 *
 * Every directory is opened relative to its parent with O_NOFOLLOW and
 * checked to be on the tree's file system and mount before anything in it
 * goes, so neither a link nor a link swapped in meanwhile nor a mount point
 * (a bind mount of the same file system included) leads the removal
 * elsewhere.  Each directory's names are read before any of them goes:
 * removing while reading may skip entries. */
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

/* Deeper than any tree worth keeping; each level holds a descriptor. */
#define TREE_DEPTH_MAX 512

struct walk {
	dev_t dev;
	unsigned long long mnt;     /* mount id of the top, 0 if unknown */
	struct sbuf path;           /* of what is being removed, for messages */
	char *err;
	size_t errlen;
};

static int fail(struct walk *w, const char *what, int e)
{
	char *shown = printable(w->path.s);
	snprintf(w->err, w->errlen, "cannot remove '%s': %s", shown, what ? what : strerror(e));
	free(shown);
	return -1;
}

static void path_push(struct walk *w, const char *name, size_t *len)
{
	*len = w->path.len;
	sb_addc(&w->path, '/');
	sb_adds(&w->path, name);
}

static void path_pop(struct walk *w, size_t len)
{
	w->path.len = len;
	w->path.s[len] = '\0';
}

static int rm_dir(struct walk *w, int dirfd, const char *name, int depth);

/* Empties the directory open at fd (taking the descriptor). */
static int rm_contents(struct walk *w, int fd, int depth)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return fail(w, NULL, e);
	}
	if (depth == 0) {
		w->dev = st.st_dev;
		w->mnt = mount_id(fd);
	} else if (st.st_dev != w->dev || (w->mnt && mount_id(fd) != w->mnt)) {
		close(fd);
		return fail(w, "it is another file system (a mount point)", 0);
	}
	/* A directory we own but may not write to (chmod a-w): make it ours to empty. */
	if (st.st_uid == user_id() && (st.st_mode & 0700) != 0700)
		fchmod(fd, (st.st_mode & 07777) | 0700);
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		return fail(w, NULL, e);
	}
	/* Each name with a byte for its type before it: 'd' a directory, '-'
	 * anything else, '?' unknown. */
	struct sbuf names = SBUF_INIT;
	struct dirent *de;
	errno = 0;
	while ((de = dir_next(d))) {
		const char *n = de->d_name;
		mode_t t = dirent_type(de);
		sb_addc(&names, !t ? '?' : S_ISDIR(t) ? 'd' : '-');
		sb_add(&names, n, strlen(n) + 1);
	}
	int status = errno ? fail(w, NULL, errno) : 0;
	for (size_t off = 0; status == 0 && off < names.len; off += strlen(names.s + off) + 1) {
		char type = names.s[off++];
		const char *n = names.s + off;
		if (type == '?') {
			if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				if (errno == ENOENT)
					continue;
				int e = errno;
				size_t len;
				path_push(w, n, &len);
				status = fail(w, NULL, e);
				break;
			}
			type = S_ISDIR(st.st_mode) ? 'd' : '-';
		}
		if (type == 'd') {
			status = rm_dir(w, dirfd(d), n, depth + 1);
		} else if (unlinkat(dirfd(d), n, 0) < 0 && errno != ENOENT) {
			/* EISDIR (EPERM on some systems): it became a directory
			 * after we read its type. */
			int e = errno;
			if (e == EISDIR || e == EPERM) {
				status = rm_dir(w, dirfd(d), n, depth + 1);
			} else {
				size_t len;
				path_push(w, n, &len);
				status = fail(w, NULL, e);
			}
		}
	}
	sb_free(&names);
	closedir(d);
	return status;
}

/* Removes the directory name in dirfd and everything below it; below the
 * top, its name is added to w->path (and taken off again on success). */
static int rm_dir(struct walk *w, int dirfd, const char *name, int depth)
{
	size_t len = w->path.len;
	if (depth > 0)
		path_push(w, name, &len);
	if (depth > TREE_DEPTH_MAX)
		return fail(w, "it is nested too deeply", 0);
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		/* Gone, or replaced by a file or a link since we looked: remove just that. */
		if (e == ENOENT || ((e == ENOTDIR || e == ELOOP) &&
				    (unlinkat(dirfd, name, 0) == 0 || (e = errno) == ENOENT))) {
			path_pop(w, len);
			return 0;
		}
		return fail(w, NULL, e);
	}
	if (rm_contents(w, fd, depth) < 0)
		return -1;
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return fail(w, NULL, errno);
	path_pop(w, len);
	return 0;
}

int tree_remove_at(int dirfd, const char *name, const char *shown, char *err, size_t errlen)
{
	struct walk w = { 0, 0, SBUF_INIT, err, errlen };
	sb_adds(&w.path, shown);
	int status = rm_dir(&w, dirfd, name, 0);
	sb_free(&w.path);
	return status;
}

int tree_remove(const char *path, char *err, size_t errlen)
{
	return tree_remove_at(AT_FDCWD, path, path, err, errlen);
}
