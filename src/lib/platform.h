/* platform.h: what only some systems have, in one place.
 *
 * Every other file is POSIX.1-2008 with its XSI option (realpath, S_ISVTX)
 * and nothing more: the Makefile builds it with -D_POSIX_C_SOURCE=200809L
 * -D_XOPEN_SOURCE=700 and without _GNU_SOURCE, so a call that only Linux or
 * glibc has fails the build anywhere but here.  Porting venvhook is porting
 * platform.c: Linux is what the tests run on; the macOS branches follow
 * Apple's manual pages; anything else gets the POSIX fallback written
 * beside each.  (macOS names struct stat's st_mtim st_mtimespec: build
 * there with -Dst_mtim=st_mtimespec.) */
#ifndef VENVHOOK_PLATFORM_H
#define VENVHOOK_PLATFORM_H

#include <dirent.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

/* rename(2) that fails with EEXIST instead of replacing anything: atomic
 * where the system and file system can (renameat2 RENAME_NOREPLACE,
 * renamex_np RENAME_EXCL), else a check and then the rename. */
int rename_noreplace(const char *from, const char *to);
/* Swaps a and b, both of which exist, in one step (renameat2
 * RENAME_EXCHANGE, renamex_np RENAME_SWAP).  -1 with errno; ENOSYS,
 * EINVAL or ENOTSUP where the system or file system cannot. */
int rename_exchange(const char *a, const char *b);

/* Copies up to len bytes from in to out inside the kernel
 * (copy_file_range), from and to their file offsets.  Returns the bytes
 * copied (0 at the end of in), or -1 with errno: ENOSYS, EXDEV, EINVAL or
 * EOPNOTSUPP mean "copy them with read and write". */
ssize_t copy_range(int in, int out, size_t len);
/* Makes ddir/drel (which must not exist) a clone of the regular file open
 * at in, sharing its blocks until either is written (fclonefileat); no
 * link is followed.  -1 with errno; ENOTSUP where the system or file
 * system cannot (then copy it). */
int file_clone(int in, int ddir, const char *drel);

/* What tells one file from another over time: device and inode number
 * (as stat(2) gives them), and the time it was made, where the file
 * system keeps it (statx STATX_BTIME, st_birthtimespec). */
struct file_id {
	unsigned long long dev, ino;
	struct timespec birth;
	int has_birth;
};
/* The id of what path names (following links); -1 with errno. */
int file_id_get(const char *path, struct file_id *id);
/* The inode's generation (FS_IOC_GETVERSION: an inode number used again
 * has another) of the file open at fd; -1 where the system has none. */
int file_generation(int fd, unsigned int *gen);

/* The mount that the directory open at fd belongs to (bind mounts of one
 * file system share st_dev, not this), or 0 where the system cannot tell. */
unsigned long long mount_id(int fd);
/* Whether a file system is mounted at dir (absolute, without links) or
 * below it: 1 with the first such mount point in *where (malloc'd), 0 if
 * none is, -1 with errno if that cannot be told: then nothing may be
 * assumed either way. */
int mount_below(const char *dir, char **where);

/* The absolute path of the running program (without links), malloc'd, or
 * NULL if the system cannot tell. */
char *self_exe_path(void);
/* Fills buf with len random bytes from the kernel; -1 with errno. */
int random_bytes(void *buf, size_t len);
/* Puts what was written to the file system holding fd on disk (syncfs;
 * sync where a system can only do them all). */
void fs_sync(int fd);
/* pipe(2) with both ends close-on-exec (atomically where pipe2 exists). */
int pipe_cloexec(int fds[2]);
/* The first place of needle in hay (memmem), or NULL. */
void *mem_find(const void *hay, size_t hlen, const void *needle, size_t nlen);
/* The type of a directory entry as stat's S_IFMT bits (S_IFDIR, S_IFREG,
 * S_IFLNK, ...), or 0 where the entry does not say: then fstatat does. */
mode_t dirent_type(const struct dirent *de);
/* Calls fn with each entry of the directory open at fd ("." and ".."
 * included), its name's length and its type as dirent_type gives it, in
 * large reads where the system has them (getdents64).  Returns how many
 * entries there were; as readdir, an error ends the listing.  fd is left
 * open, at the end of the directory. */
size_t dir_each(int fd, void (*fn)(void *arg, const char *name, size_t len, mode_t type),
		void *arg);
/* Whether the file system holding fd is local and moves a directory's
 * times at each change, so that unchanged times say it is unchanged
 * (ext2/3/4, XFS, Btrfs, F2FS, tmpfs, overlayfs; APFS, HFS+).  0 where
 * that cannot be told. */
int fs_times_trusted(int fd);
/* realpath(path) with its stat in *st; fewer system calls where the kernel
 * names an open file (/proc/self/fd).  NULL if path cannot be resolved. */
char *realpath_stat(const char *path, struct stat *st);

#endif
