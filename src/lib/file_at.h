/* file_at.h: creating files and directories below a directory descriptor,
 * never following a symbolic link on the way. */
#ifndef VENVHOOK_FILE_AT_H
#define VENVHOOK_FILE_AT_H

#include <stddef.h>
#include <sys/types.h>

/* Calls op(fd, buf, len) on what is left of buf until it is all done (a
 * read, a write), again where a signal interrupts it.  Returns 0, or -1
 * with errno set (EIO where op does nothing). */
int io_all(int fd, void *buf, size_t len, ssize_t (*op)(int fd, void *buf, size_t len));
/* Writes all of buf to fd; returns 0 or -1 with errno set. */
int write_all(int fd, const void *buf, size_t len);
/* Creates dirfd/rel (which must not exist) holding data; mode is applied
 * with fchmod when force_mode, else through the umask.  -1 with errno. */
int file_write_at(int dirfd, const char *rel, const void *data, size_t len, mode_t mode,
		  int force_mode);
/* mkdir -p of rel below dirfd (mode through the umask); -1 with errno. */
int mkdirs_at(int dirfd, const char *rel, mode_t mode);
/* Opens the directory rel below dirfd without following links. */
int open_dir_at(int dirfd, const char *rel);
/* Copies the regular file sdir/srel to ddir/drel (created, must not
 * exist), keeping its mode and times: a clone where the file system can
 * make one.  -1 with errno. */
int file_copy_at(int sdir, const char *srel, int ddir, const char *drel);
/* The process umask (read once), and a new one for the process. */
mode_t umask_get(void);
void umask_set(mode_t mask);

#endif
