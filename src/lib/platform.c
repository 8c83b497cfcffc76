/* platform.c: what only some systems have, in one place (platform.h).
 *
 * The one file built with _GNU_SOURCE (the Makefile says so); on macOS it
 * asks for Darwin's extensions instead.  Each function has its Linux
 * branch, its macOS branch where Apple has an equivalent, and a POSIX
 * fallback. */
#if defined(__APPLE__) && !defined(_DARWIN_C_SOURCE)
#define _DARWIN_C_SOURCE
#endif
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#endif
#ifdef __APPLE__
#include <mach-o/dyld.h>
#include <sys/attr.h>
#include <sys/clonefile.h>
#include <sys/mount.h>
#include <sys/param.h>
#include <sys/random.h>
#endif

#include "file_at.h"
#include "util.h"

/* The file systems that cannot do an exchange or a no-replace rename say
 * so with one of these. */
static int unsupported(int e)
{
	return e == EINVAL || e == ENOSYS || e == ENOTSUP || e == EOPNOTSUPP;
}

int rename_noreplace(const char *from, const char *to)
{
#if defined(__linux__) && defined(RENAME_NOREPLACE)
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (!unsupported(errno))
		return -1;
#elif defined(__APPLE__)
	if (renamex_np(from, to, RENAME_EXCL) == 0)
		return 0;
	if (!unsupported(errno))
		return -1;
#endif
	/* Not atomically here: check, then rename. */
	struct stat st;
	if (lstat(to, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

int rename_exchange(const char *a, const char *b)
{
#if defined(__linux__) && defined(RENAME_EXCHANGE)
	return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#elif defined(__APPLE__)
	return renamex_np(a, b, RENAME_SWAP);
#else
	(void)a, (void)b;
	errno = ENOSYS;
	return -1;
#endif
}

ssize_t copy_range(int in, int out, size_t len)
{
#ifdef __linux__
	return copy_file_range(in, NULL, out, NULL, len, 0);
#else
	(void)in, (void)out, (void)len;
	errno = ENOSYS;
	return -1;
#endif
}

int file_clone(int in, int ddir, const char *drel)
{
#ifdef __APPLE__
	return fclonefileat(in, ddir, drel, CLONE_NOFOLLOW);
#else
	/* Linux: copy_range clones where the file system can. */
	(void)in, (void)ddir, (void)drel;
	errno = ENOTSUP;
	return -1;
#endif
}

int file_id_get(const char *path, struct file_id *id)
{
	memset(id, 0, sizeof *id);
#if defined(__linux__) && defined(STATX_BTIME)
	struct statx sx;
	if (statx(AT_FDCWD, path, 0, STATX_INO | STATX_BTIME, &sx) == 0) {
		id->dev = (unsigned long long)makedev(sx.stx_dev_major, sx.stx_dev_minor);
		id->ino = sx.stx_ino;
		if (sx.stx_mask & STATX_BTIME) {
			id->birth.tv_sec = sx.stx_btime.tv_sec;
			id->birth.tv_nsec = sx.stx_btime.tv_nsec;
			id->has_birth = 1;
		}
		return 0;
	}
	if (errno != ENOSYS)
		return -1;
#endif
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	id->dev = (unsigned long long)st.st_dev;
	id->ino = (unsigned long long)st.st_ino;
#ifdef __APPLE__
	id->birth = st.st_birthtimespec;
	id->has_birth = 1;
#endif
	return 0;
}

int file_generation(int fd, unsigned int *gen)
{
#if defined(__linux__) && defined(FS_IOC_GETVERSION)
	int g = 0;
	if (ioctl(fd, FS_IOC_GETVERSION, &g) < 0)
		return -1;
	*gen = (unsigned int)g;
	return 0;
#else
	(void)fd, (void)gen;
	errno = ENOSYS;
	return -1;
#endif
}

unsigned long long mount_id(int fd)
{
#if defined(__linux__) && defined(STATX_MNT_ID)
	struct statx sx;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) == 0 && (sx.stx_mask & STATX_MNT_ID))
		return sx.stx_mnt_id;
#else
	(void)fd;
#endif
	return 0;
}

#ifdef __linux__
/* More than any mount table holds (one line a mount, some 100 bytes each). */
#define MOUNTINFO_MAX ((size_t)64 << 20)

/* The mount points of /proc/self/mountinfo, NUL-separated, into out. */
static int mount_points(struct sbuf *out)
{
	struct sbuf text = SBUF_INIT;
	char err[MSG_MAX];
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	errno = 0;
	if (file_read_fd(fd, "/proc/self/mountinfo", MOUNTINFO_MAX, &text, err, sizeof err) < 0) {
		int e = errno ? errno : EIO;
		sb_free(&text);
		errno = e;
		return -1;
	}
	for (char *line = text.s, *next; line && *line; line = next) {
		next = str_cut(line, '\n');
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
		for (size_t i = 0; i < len; i++) {
			if (f[i] == '\\' && i + 3 < len && f[i + 1] >= '0' && f[i + 1] <= '3') {
				sb_addc(out, (char)((f[i + 1] - '0') * 64 + (f[i + 2] - '0') * 8 + (f[i + 3] - '0')));
				i += 3;
			} else {
				sb_addc(out, f[i]);
			}
		}
		sb_add(out, "", 1);
	}
	sb_free(&text);
	return 0;
}
#elif defined(__APPLE__)
static int mount_points(struct sbuf *out)
{
	struct statfs *m;
	int n = getmntinfo(&m, MNT_NOWAIT);
	if (n <= 0)
		return -1;
	for (int i = 0; i < n; i++)
		sb_add(out, m[i].f_mntonname, strlen(m[i].f_mntonname) + 1);
	return 0;
}
#else
static int mount_points(struct sbuf *out)
{
	(void)out;
	errno = ENOSYS;
	return -1;
}
#endif

int mount_below(const char *dir, char **where)
{
	struct sbuf mps = SBUF_INIT;
	*where = NULL;
	if (mount_points(&mps) < 0) {
		int e = errno;
		sb_free(&mps);
		errno = e;
		return -1;
	}
	for (size_t off = 0; off < mps.len && !*where; off += strlen(mps.s + off) + 1)
		if (path_within(mps.s + off, dir))
			*where = xstrdup(mps.s + off);
	sb_free(&mps);
	return *where != NULL;
}

char *self_exe_path(void)
{
#if defined(__linux__)
	return realpath("/proc/self/exe", NULL);
#elif defined(__APPLE__)
	uint32_t size = 0;
	_NSGetExecutablePath(NULL, &size);
	char *buf = xmalloc(size + 1);
	char *p = _NSGetExecutablePath(buf, &size) == 0 ? realpath(buf, NULL) : NULL;
	free(buf);
	return p;
#else
	return NULL;
#endif
}

#ifdef __linux__
/* getrandom(2) as io_all calls it. */
static ssize_t getrandom_op(int fd, void *buf, size_t len)
{
	(void)fd;
	return getrandom(buf, len, 0);
}
#endif

int random_bytes(void *buf, size_t len)
{
#ifdef __linux__
	return io_all(-1, buf, len, getrandom_op);
#elif defined(__APPLE__)
	unsigned char *p = buf;
	/* getentropy gives at most 256 bytes a call. */
	for (size_t n; len; p += n, len -= n) {
		n = len < 256 ? len : 256;
		if (getentropy(p, n) < 0)
			return -1;
	}
	return 0;
#else
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (io_all(fd, buf, len, read) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
#endif
}

void fs_sync(int fd)
{
#ifdef __linux__
	syncfs(fd);
#else
	(void)fd;
	sync();
#endif
}

int pipe_cloexec(int fds[2])
{
#ifdef __linux__
	return pipe2(fds, O_CLOEXEC);
#else
	if (pipe(fds) < 0)
		return -1;
	if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) < 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		errno = e;
		return -1;
	}
	return 0;
#endif
}

void *mem_find(const void *hay, size_t hlen, const void *needle, size_t nlen)
{
#if defined(__linux__) || defined(__APPLE__)
	return memmem(hay, hlen, needle, nlen);
#else
	const unsigned char *h = hay;
	if (nlen == 0)
		return (void *)h;
	for (size_t i = 0; i + nlen <= hlen; i++)
		if (h[i] == *(const unsigned char *)needle && memcmp(h + i, needle, nlen) == 0)
			return (void *)(h + i);
	return NULL;
#endif
}

mode_t dirent_type(const struct dirent *de)
{
#if defined(DT_UNKNOWN) && defined(DTTOIF)
	return de->d_type == DT_UNKNOWN ? 0 : (mode_t)DTTOIF(de->d_type);
#else
	(void)de;
	return 0;
#endif
}

size_t dir_each(int fd, void (*fn)(void *arg, const char *name, size_t len, mode_t type),
		void *arg)
{
	size_t count = 0;
#ifdef __linux__
	/* (on the stack: a 64 KB malloc and free moved the heap's end twice) */
	_Alignas(struct dirent64) char buf[32 * 1024];
	for (;;) {
		ssize_t n = getdents64(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t off = 0; off < n; count++) {
			struct dirent64 *e = (struct dirent64 *)(void *)(buf + off);
			off += e->d_reclen;
			fn(arg, e->d_name, strlen(e->d_name),
			   e->d_type == DT_UNKNOWN ? 0 : (mode_t)DTTOIF(e->d_type));
		}
	}
#else
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		fn(arg, de->d_name, strlen(de->d_name), dirent_type(de));
		count++;
	}
	closedir(d);
#endif
	return count;
}

int fs_times_trusted(int fd)
{
#if defined(__linux__)
	static const unsigned long local[] = {
		0xEF53,         /* ext2, ext3, ext4 */
		0x58465342,     /* XFS */
		0x9123683E,     /* Btrfs */
		0xF2F52010,     /* F2FS */
		0x01021994,     /* tmpfs */
		0x794C7630,     /* overlayfs */
	};
	struct statfs fs;
	if (fstatfs(fd, &fs) < 0)
		return 0;
	for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
		if ((unsigned long)fs.f_type == local[i])
			return 1;
	return 0;
#elif defined(__APPLE__)
	struct statfs fs;
	return fstatfs(fd, &fs) == 0 && (fs.f_flags & MNT_LOCAL) &&
	       (strcmp(fs.f_fstypename, "apfs") == 0 || strcmp(fs.f_fstypename, "hfs") == 0);
#else
	(void)fd;
	return 0;
#endif
}

char *realpath_stat(const char *path, struct stat *st)
{
#ifdef __linux__
	/* In four system calls where realpath's readlink of each component
	 * takes one per component (17 for a bin/python two links away from
	 * /usr/bin/python3.11): the kernel's own name of the file opened with
	 * O_PATH. */
	int fd = open(path, O_PATH | O_CLOEXEC);
	char link[64], buf[PATH_MAX];
	ssize_t n = -1;
	if (fd >= 0) {
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		n = fstat(fd, st) == 0 ? readlink(link, buf, sizeof buf - 1) : -1;
		close(fd);
	}
	if (n > 0 && (size_t)n < sizeof buf - 1 && buf[0] == '/') {
		buf[n] = '\0';
		/* (a name the kernel marks as gone is no path: realpath says) */
		static const char gone[] = " (deleted)";
		if ((size_t)n < sizeof gone - 1 || strcmp(buf + n - (sizeof gone - 1), gone) != 0)
			return xstrdup(buf);
	}
#endif
	char *real = realpath(path, NULL);      /* no /proc, or no file: the long way */
	if (real && stat(real, st) < 0) {
		free(real);
		real = NULL;
	}
	return real;
}
