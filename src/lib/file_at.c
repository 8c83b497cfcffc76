/* file_at.c: creating files and directories below a directory descriptor. */
#include "file_at.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"
#include "util.h"

int io_all(int fd, void *buf, size_t len, ssize_t (*op)(int fd, void *buf, size_t len))
{
	char *p = buf;
	while (len) {
		ssize_t n = op(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* write(2) as io_all calls it (it never writes to buf). */
static ssize_t write_op(int fd, void *buf, size_t len)
{
	return write(fd, buf, len);
}

int write_all(int fd, const void *buf, size_t len)
{
	return io_all(fd, (void *)buf, len, write_op);
}

int file_write_at(int dirfd, const char *rel, const void *data, size_t len, mode_t mode,
		  int force_mode)
{
	int fd = openat(dirfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) < 0 || (force_mode && fchmod(fd, mode) < 0)) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

int open_dir_at(int dirfd, const char *rel)
{
	return openat(dirfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int mkdirs_at(int dirfd, const char *rel, mode_t mode)
{
	char *p = xstrdup(rel);
	int r = 0;
	for (char *s = p; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (*p && mkdirat(dirfd, p, mode) < 0 && errno != EEXIST) {
			r = -1;
			break;
		}
		if (!c)
			break;
		*s = c;
	}
	if (r == 0) {
		int fd = open_dir_at(dirfd, p);
		if (fd < 0)
			r = -1;
		else
			close(fd);
	}
	int e = errno;
	free(p);
	errno = e;
	return r;
}

int file_copy_at(int sdir, const char *srel, int ddir, const char *drel)
{
	struct stat st;
	int in = openat(sdir, srel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return -1;
	int bad = fstat(in, &st) < 0;
	if (bad || !S_ISREG(st.st_mode)) {
		int e = bad ? errno : EINVAL;
		close(in);
		errno = e;
		return -1;
	}
	struct timespec times[2] = { st.st_atim, st.st_mtim };
	if (file_clone(in, ddir, drel) == 0) {
		close(in);
		if (fchmodat(ddir, drel, st.st_mode & 07777, 0) < 0 ||
		    utimensat(ddir, drel, times, AT_SYMLINK_NOFOLLOW) < 0) {
			int e = errno;
			unlinkat(ddir, drel, 0);
			errno = e;
			return -1;
		}
		return 0;
	}
	int out = openat(ddir, drel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			 st.st_mode & 07777);
	if (out < 0) {
		int e = errno;
		close(in);
		errno = e;
		return -1;
	}
	off_t left = st.st_size;
	int r = 0;
	while (left > 0) {
		ssize_t n = copy_range(in, out, (size_t)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0 && errno != EXDEV && errno != ENOSYS && errno != EINVAL &&
			    errno != EOPNOTSUPP) {
				r = -1;
				break;
			}
			/* Fall back to read and write for what is left. */
			char buf[IO_CHUNK];
			while (left > 0) {
				ssize_t m = read(in, buf, sizeof buf);
				if (m < 0 && errno == EINTR)
					continue;
				if (m <= 0 || write_all(out, buf, (size_t)m) < 0) {
					if (m == 0)
						errno = EIO;
					r = -1;
					break;
				}
				left -= m;
			}
			break;
		}
		left -= n;
	}
	if (r == 0 && (fchmod(out, st.st_mode & 07777) < 0 || futimens(out, times) < 0))
		r = -1;
	int e = errno;
	close(in);
	if (close(out) < 0 && r == 0) {
		e = errno;
		r = -1;
	}
	if (r < 0)
		unlinkat(ddir, drel, 0);
	errno = e;
	return r;
}

static mode_t umask_now = (mode_t)-1;

mode_t umask_get(void)
{
	if (umask_now == (mode_t)-1) {
		umask_now = umask(022);
		umask(umask_now);
	}
	return umask_now;
}

void umask_set(mode_t mask)
{
	umask(mask);
	umask_now = mask;
}
