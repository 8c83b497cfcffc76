/* util.h: errors, memory, growable strings, files and paths. */
#ifndef VENVHOOK_UTIL_H
#define VENVHOOK_UTIL_H

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#define PROGNAME "venvhook"
#define VENVHOOK_VERSION "0.1.0"

/* The room for one message (snprintf cuts a longer one): a line that names
 * a path or two and what the system said of them. */
#define MSG_MAX 4096
/* The room for a reason that goes into such a message after a prefix. */
#define REASON_MAX (MSG_MAX / 2)
/* How much one read of a file or a pipe takes at most (a stack buffer). */
#define IO_CHUNK (64 * 1024)

/* Exit statuses shared by every command. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* "venvhook: MESSAGE" on stderr, in one line: every byte of it that could
 * steer a terminal (C0 and C1 controls, DEL, bytes that are not UTF-8)
 * shows as '?', so names and file contents may go into it as they are.
 * This is the only way venvhook writes a message to stderr.  Messages are
 * lowercase, without a full stop. */
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "venvhook: warning: MESSAGE", the same way. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A one-line notice (msg as it is, made printable), the same way. */
void notify(const char *msg);
/* How many lines error, warning and notify have printed so far. */
unsigned long messages_said(void);
/* The lines notify has printed so far, as printed, and their number in *n. */
const char *notices_said(unsigned long *n);
/* One line of a command's report on out (a trailing newline in the format
 * is the line's end), made printable the same way. */
void print_line(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vprint_line(FILE *out, const char *fmt, va_list ap);
/* Asks QUESTION [y/N] on stderr (made printable the same way) and reads
 * the answer from stdin: 1 for y or yes, in any case. */
int ask_yes(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The 64-bit FNV-1a hash of s: for hash tables and short stable names. */
uint64_t fnv1a(const char *s);

/* A list of strings that owns them. */
struct strlist {
	char **v;
	size_t n, cap;
};
void strlist_add(struct strlist *l, const char *s);
/* The first n bytes of s (which hold no NUL). */
void strlist_addn(struct strlist *l, const char *s, size_t n);
int strlist_has(const struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

/* A growable byte string, always NUL-terminated. */
struct sbuf {
	char *s;
	size_t len, cap;
};
#define SBUF_INIT { NULL, 0, 0 }
void sb_add(struct sbuf *b, const void *p, size_t n);
void sb_adds(struct sbuf *b, const char *s);
void sb_addc(struct sbuf *b, char c);
void sb_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct sbuf *b, const char *fmt, va_list ap);
void sb_reset(struct sbuf *b);
/* Appends the bytes of s as lowercase hex digits, two a byte. */
void sb_addhex(struct sbuf *b, const char *s);
/* The string that the n hex digits at s spell, two a byte; NULL if they
 * are not pairs of hex digits or spell a NUL byte. */
char *hex_decode(const char *s, size_t n);
void sb_free(struct sbuf *b);
char *sb_detach(struct sbuf *b);

/* Opens path for reading (O_RDONLY | O_CLOEXEC | flags) and fstats it into
 * *st.  Returns the descriptor, or -1 with "cannot read '...': ..." in err. */
int file_open_stat(const char *path, int flags, struct stat *st, char *err, size_t errlen);
/* Reads a whole regular file of at most cap bytes that holds no NUL byte;
 * anything else (a FIFO, a device) it does not open.  Returns 0, or -1 with
 * a complete message in err ("cannot read '...': ..."). */
int file_read(const char *path, size_t cap, struct sbuf *out, char *err, size_t errlen);
/* The same for a file open at fd (path names it in messages); closes fd. */
int file_read_fd(int fd, const char *path, size_t cap, struct sbuf *out, char *err, size_t errlen);
/* Reads the rest of fd into out, NUL bytes and all, at most cap bytes; with
 * st (fstat of fd) a regular file is read up to its size.  Leaves fd open.
 * Returns 0, or -1 with "cannot read '...': ..." or "'...' is larger than
 * N bytes" in err. */
int fd_read_all(int fd, const char *path, size_t cap, const struct stat *st, struct sbuf *out,
		char *err, size_t errlen);
/* Writes a file atomically: a temporary file beside it, fsync, rename.
 * Returns 0, or -1 with errno set; the old file is untouched on failure. */
int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode);
/* The same without waiting for the disk: for records a crash may lose
 * (caches, the registry, leftover notes), never for trust or a user's file. */
int file_write_atomic_nosync(const char *path, const void *data, size_t len, mode_t mode);
/* mkdir -p; returns 0 or -1 with errno set. */
int mkdir_p(const char *path, mode_t mode);
/* readdir(d) without "." and "..": the next entry, or NULL at the end or
 * on an error (errno set, as readdir leaves it). */
struct dirent *dir_next(DIR *d);

char *path_join(const char *dir, const char *name);
/* The directory part of an absolute path ("/" for "/x" and for "/"). */
char *path_dirname(const char *path);
const char *path_basename(const char *path);
/* One step up: replaces the malloc'd absolute path *dir with its parent and
 * returns 1, or returns 0 at "/" (then *dir is left as it is). */
int path_up(char **dir);
/* True if path is dir or lies below it, compared component-wise. */
int path_within(const char *path, const char *dir);
/* Whether p is a relative path that stays below where it starts: no empty,
 * "." or ".." component, no control character. */
int path_clean_relative(const char *p);
/* os.path.relpath(path, start) for absolute, normalized paths. */
char *path_relative(const char *path, const char *start);
/* Makes path absolute (against base when relative) and removes ".", ".."
 * and repeated slashes lexically, as a shell's logical cd does. */
char *path_normalize(const char *base, const char *path);

/* "true", "yes", "on", "1" (1) or "false", "no", "off", "0" (0), in any
 * case, into *out; returns 0, or -1 for anything else. */
int bool_parse(const char *v, int *out);
/* Whether s holds a C0 control character or DEL. */
int has_control(const char *s);
/* Ends s at its first c (which becomes a NUL) and returns what follows it,
 * or NULL if s holds no c: next = str_cut(line, '\n') steps through lines. */
char *str_cut(char *s, char c);
/* Strips spaces, tabs and CRs from both ends of s, in place; returns the start. */
char *str_trim(char *s);
/* A line "KEY SEP VALUE": cuts s at its first sep and returns the value with
 * *key, both trimmed as str_trim does; NULL if s holds no sep. */
char *str_key_value(char *s, char sep, char **key);
/* The same for all that isspace() calls a space (also '\n', '\v', '\f'):
 * Python's str.strip() on ASCII. */
char *str_strip(char *s);

/* geteuid(), asked once: venvhook never changes its user, and the hook
 * asks at each file it judges. */
uid_t user_id(void);
/* -1, 0 or 1 as a is before, the same as or after b. */
int timespec_cmp(const struct timespec *a, const struct timespec *b);
/* How old a file time must be before what was read then may be kept by
 * that time: any later change moves it, also where the file system's clock
 * is coarse (seconds on some FUSE and network file systems, a tick on
 * ext4) and two writes in one tick would leave it as it was. */
#define TIME_SETTLED 2
/* Whether t is at least TIME_SETTLED seconds before now (0 if now is not
 * known). */
int time_settled(const struct timespec *t);
/* An environment variable that is set and not empty, else NULL. */
const char *env_get(const char *name);
/* A tool's directory: $var if it is an absolute path, else $HOME/rel if
 * $HOME is one, else NULL; normalized. */
char *env_dir(const char *var, const char *rel);
/* $XDG_<kind>_HOME/venvhook (kind: DATA, STATE, CONFIG, CACHE) or NULL if
 * neither it nor $HOME is usable. */
char *xdg_dir(const char *kind);
/* A path below it: xdg_dir(kind), '/' and the formatted rest, or NULL. */
char *xdg_path(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* $XDG_CACHE_HOME/venvhook/SUB, created (0700) if needed; NULL with err
 * if there is no cache directory or it is not safe (not ours, or writable
 * by others).  A SUB that is already ours and only ours to write costs one
 * lstat. */
char *cache_dir(const char *sub, char *err, size_t errlen);

/* Flushes stdout and reports a write error: the shell evaluates what we print. */
int stdout_finish(void);

/* The logical current directory: $PWD when it names ".", else getcwd(). */
char *current_dir(void);

#endif
