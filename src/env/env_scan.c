/* env_scan.c: finding envs in directory trees, and their disk use.
 *
 * Both walks hold one descriptor per level and open each child relative to
 * its parent with O_NOFOLLOW, so a link never leads out of the tree, and
 * use the directory entry's type to avoid a stat where it can. */
#include "env_scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"
#include "util.h"

#define SCAN_DEPTH_MAX 256

struct scan {
	void (*fn)(const char *env, void *arg);
	void *arg;
	size_t unreadable;
	struct sbuf path;
};

static int skipped_name(const char *n)
{
	return strcmp(n, ".git") == 0 || strcmp(n, "node_modules") == 0 || strcmp(n, ".hg") == 0 ||
	       strcmp(n, ".svn") == 0 || strcmp(n, "__pycache__") == 0;
}

/* The directory entry's type (S_IFMT bits), with a stat only when the file
 * system does not say; 0 if it cannot be told. */
static mode_t entry_type(int dfd, const struct dirent *de)
{
	mode_t t = dirent_type(de);
	if (t)
		return t;
	struct stat st;
	if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	return st.st_mode & S_IFMT;
}

/* Walks the directory open at dfd (taking the descriptor), whose path is
 * s->path. */
static void scan_dir(struct scan *s, int dfd, int depth)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		s->unreadable++;
		return;
	}
	/* One pass over the entries: is this an env, and which are its
	 * subdirectories?  Names are kept NUL-separated. */
	struct sbuf subdirs = SBUF_INIT;
	int has_cfg = 0;
	struct dirent *de;
	errno = 0;
	while ((de = dir_next(d))) {
		const char *n = de->d_name;
		mode_t t = dirent_type(de);
		if (t && !S_ISDIR(t)) {
			if (S_ISREG(t) && strcmp(n, "pyvenv.cfg") == 0)
				has_cfg = 1;
			continue;
		}
		t = entry_type(dirfd(d), de);
		if (S_ISREG(t) && strcmp(n, "pyvenv.cfg") == 0)
			has_cfg = 1;
		if (S_ISDIR(t) && !skipped_name(n))
			sb_add(&subdirs, n, strlen(n) + 1);
	}
	if (errno)
		s->unreadable++;
	if (has_cfg) {
		struct stat st;
		/* bin/python may be a dangling link: the env is broken, yet an env. */
		if (fstatat(dirfd(d), "bin/python", &st, AT_SYMLINK_NOFOLLOW) == 0)
			s->fn(s->path.s, s->arg);
		goto out;       /* an env's inside holds no other env */
	}
	if (depth >= SCAN_DEPTH_MAX) {
		if (subdirs.len)
			s->unreadable++;
		goto out;
	}
	size_t len = s->path.len;
	for (size_t off = 0; off < subdirs.len; off += strlen(subdirs.s + off) + 1) {
		const char *n = subdirs.s + off;
		int fd = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			if (errno != ENOENT)
				s->unreadable++;
			continue;
		}
		if (len > 1)
			sb_addc(&s->path, '/');
		sb_adds(&s->path, n);
		scan_dir(s, fd, depth + 1);
		s->path.len = len;
		s->path.s[len] = '\0';
	}
out:
	sb_free(&subdirs);
	closedir(d);
}

int env_scan(const char *root, void (*fn)(const char *env, void *arg), void *arg,
	     size_t *unreadable, char *err, size_t errlen)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errlen, "cannot scan '%s': %s", root, strerror(errno));
		return -1;
	}
	struct scan s = { fn, arg, 0, SBUF_INIT };
	sb_adds(&s.path, root);
	while (s.path.len > 1 && s.path.s[s.path.len - 1] == '/')
		s.path.s[--s.path.len] = '\0';
	scan_dir(&s, fd, 0);
	sb_free(&s.path);
	if (unreadable)
		*unreadable += s.unreadable;
	return 0;
}

/* ---- disk use ---------------------------------------------------------- */

static unsigned long long mix(unsigned long long dev, unsigned long long ino)
{
	unsigned long long h = dev * 0x9e3779b97f4a7c15ULL ^ ino;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 29);
}

/* Adds (dev, ino); returns 1 if it was new. */
static int inode_set_add(struct inode_set *s, unsigned long long dev, unsigned long long ino)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct inode_set bigger = { NULL, 0, s->cap ? s->cap * 2 : 256 };
		bigger.key = xmalloc(bigger.cap * 2 * sizeof *bigger.key);
		for (size_t i = 0; i < bigger.cap; i++)
			bigger.key[2 * i] = bigger.key[2 * i + 1] = 0;
		for (size_t i = 0; i < s->cap; i++)
			if (s->key[2 * i] || s->key[2 * i + 1])
				inode_set_add(&bigger, s->key[2 * i] - 1, s->key[2 * i + 1]);
		free(s->key);
		*s = bigger;
	}
	/* Stored as dev + 1, so that an empty slot is (0, 0). */
	size_t i = (size_t)mix(dev, ino) & (s->cap - 1);
	for (;; i = (i + 1) & (s->cap - 1)) {
		if (!s->key[2 * i] && !s->key[2 * i + 1])
			break;
		if (s->key[2 * i] == dev + 1 && s->key[2 * i + 1] == ino)
			return 0;
	}
	s->key[2 * i] = dev + 1;
	s->key[2 * i + 1] = ino;
	s->n++;
	return 1;
}

void inode_set_free(struct inode_set *s)
{
	free(s->key);
	memset(s, 0, sizeof *s);
}

static long long usage_of(const struct stat *st, struct inode_set *seen)
{
	if (!S_ISDIR(st->st_mode) && st->st_nlink > 1 &&
	    !inode_set_add(seen, (unsigned long long)st->st_dev, (unsigned long long)st->st_ino))
		return 0;
	return (long long)st->st_blocks * 512;
}

static long long usage_dir(int dfd, struct inode_set *seen, int depth)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return 0;
	}
	long long total = 0;
	struct dirent *de;
	while ((de = dir_next(d))) {
		const char *n = de->d_name;
		struct stat st;
		if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		total += usage_of(&st, seen);
		if (S_ISDIR(st.st_mode) && depth < SCAN_DEPTH_MAX) {
			int fd = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0)
				total += usage_dir(fd, seen, depth + 1);
		}
	}
	closedir(d);
	return total;
}

long long disk_usage(const char *path, struct inode_set *seen)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	return usage_of(&st, seen) + usage_dir(fd, seen, 0);
}
