/* util.c: errors, memory, growable strings, files and paths. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file_at.h"
#include "quote.h"

static unsigned long lines_said, notices_n;
static struct sbuf notices_text = SBUF_INIT;

/* The one way out for every error, warning and note: one line, made
 * printable as a whole (whatever bytes a file or a name put into it), in
 * one write, so that lines from several processes never mix.  A notice's
 * line is also kept in keep. */
static void vsay(struct sbuf *keep, const char *prefix, const char *fmt, va_list ap)
{
	lines_said++;
	struct sbuf b = SBUF_INIT;
	sb_adds(&b, prefix);
	sb_vaddf(&b, fmt, ap);
	char *shown = printable(b.s);
	sb_reset(&b);
	sb_adds(&b, PROGNAME ": ");
	sb_adds(&b, shown);
	sb_addc(&b, '\n');
	free(shown);
	fwrite(b.s, 1, b.len, stderr);
	if (keep)
		sb_add(keep, b.s, b.len);
	sb_free(&b);
}

void error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(NULL, "", fmt, ap);
	va_end(ap);
}

static void say_kept(struct sbuf *keep, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(keep, "", fmt, ap);
	va_end(ap);
}

void warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(NULL, "warning: ", fmt, ap);
	va_end(ap);
}

void notify(const char *msg)
{
	notices_n++;
	say_kept(&notices_text, "%s", msg);
}

unsigned long messages_said(void)
{
	return lines_said;
}

const char *notices_said(unsigned long *n)
{
	*n = notices_n;
	return notices_text.s ? notices_text.s : "";
}

int ask_yes(const char *fmt, ...)
{
	struct sbuf b = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	char *shown = printable(b.s);
	sb_reset(&b);
	sb_addf(&b, "%s [y/N] ", shown);
	free(shown);
	fflush(stdout);
	fwrite(b.s, 1, b.len, stderr);
	fflush(stderr);
	sb_free(&b);
	char line[64];
	if (!fgets(line, sizeof line, stdin))
		return 0;
	line[strcspn(line, "\r\n")] = '\0';
	return strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0;
}

void vprint_line(FILE *out, const char *fmt, va_list ap)
{
	struct sbuf b = SBUF_INIT;
	sb_vaddf(&b, fmt, ap);
	if (b.len && b.s[b.len - 1] == '\n')
		b.s[--b.len] = '\0';
	char *shown = printable(b.s);
	fputs(shown, out);
	putc('\n', out);
	free(shown);
	sb_free(&b);
}

void print_line(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint_line(out, fmt, ap);
	va_end(ap);
}

void die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(NULL, "", fmt, ap);
	va_end(ap);
	exit(status);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die(EXIT_FAIL, "out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die(EXIT_FAIL, "out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct sbuf b = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	return sb_detach(&b);
}

static void sb_grow(struct sbuf *b, size_t n)
{
	if (n > SIZE_MAX - b->len - 1)
		die(EXIT_FAIL, "out of memory");
	if (b->len + n + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + n + 1)
		cap = cap > SIZE_MAX / 2 ? b->len + n + 1 : cap * 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void sb_add(struct sbuf *b, const void *p, size_t n)
{
	sb_grow(b, n);
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_adds(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

void sb_addc(struct sbuf *b, char c)
{
	sb_add(b, &c, 1);
}

void sb_vaddf(struct sbuf *b, const char *fmt, va_list ap)
{
	char small[256];        /* most strings fit: no second vsnprintf */
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(small, sizeof small, fmt, aq);
	va_end(aq);
	if (n < 0)
		die(EXIT_FAIL, "cannot format a message");
	if ((size_t)n < sizeof small) {
		sb_add(b, small, (size_t)n);
		return;
	}
	sb_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sb_addf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(b, fmt, ap);
	va_end(ap);
}

void sb_addhex(struct sbuf *b, const char *s)
{
	static const char digits[] = "0123456789abcdef";
	for (; *s; s++) {
		char h[2] = { digits[(unsigned char)*s >> 4], digits[(unsigned char)*s & 15] };
		sb_add(b, h, 2);
	}
	sb_add(b, "", 0);
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *hex_decode(const char *s, size_t n)
{
	if (n % 2)
		return NULL;
	char *r = xmalloc(n / 2 + 1);
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0 || (hi | lo) == 0) {
			free(r);
			return NULL;
		}
		r[i] = (char)(hi << 4 | lo);
	}
	r[n / 2] = '\0';
	return r;
}

void sb_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void sb_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *sb_detach(struct sbuf *b)
{
	if (!b->s)
		sb_grow(b, 0), b->s[0] = '\0';
	char *s = b->s;
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

int file_open_stat(const char *path, int flags, struct stat *st, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
	if (fd < 0 || fstat(fd, st) < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int file_read(const char *path, size_t cap, struct sbuf *out, char *err, size_t errlen)
{
	/* What is not a regular file is not opened: a repository's marker may
	 * lead to a FIFO or a device, and opening one can act (a FIFO's writer
	 * goes on, a watchdog starts, a tape rewinds).  The fstat after the
	 * open catches a file swapped meanwhile. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	return file_read_fd(fd, path, cap, out, err, errlen);
}

int fd_read_all(int fd, const char *path, size_t cap, const struct stat *st, struct sbuf *out,
		char *err, size_t errlen)
{
	sb_reset(out);
	for (;;) {
		char buf[IO_CHUNK];
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		if (out->len + (size_t)n > cap) {
			snprintf(err, errlen, "'%s' is larger than %zu bytes", path, cap);
			return -1;
		}
		sb_add(out, buf, (size_t)n);
		/* A regular file read up to its size: no read to see its end. */
		if (st && S_ISREG(st->st_mode) && out->len == (size_t)st->st_size)
			break;
	}
	if (!out->s)
		sb_add(out, "", 0);
	return 0;
}

int file_read_fd(int fd, const char *path, size_t cap, struct sbuf *out, char *err, size_t errlen)
{
	struct stat st;
	int r = -1;
	if (fstat(fd, &st) < 0)
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		snprintf(err, errlen, "'%s' is not a regular file", path);
	else if ((unsigned long long)st.st_size > cap)
		snprintf(err, errlen, "'%s' is larger than %zu bytes", path, cap);
	else
		r = fd_read_all(fd, path, cap, &st, out, err, errlen);
	close(fd);
	if (r == 0 && out->len && memchr(out->s, '\0', out->len)) {
		snprintf(err, errlen, "'%s' contains a NUL byte", path);
		return -1;
	}
	return r;
}

/* Writes beside path and renames into place; with durable, the data is on
 * disk before the rename. */
static int replace_file(const char *path, const void *data, size_t len, mode_t mode, int durable)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0 && errno == EEXIST) {
		unlink(tmp);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	}
	if (fd < 0) {
		int e = errno;
		free(tmp);
		errno = e;
		return -1;
	}
	if (write_all(fd, data, len) < 0)
		goto fail;
	if ((durable && fsync(fd) < 0) || close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = e;
	return -1;
}

int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	return replace_file(path, data, len, mode, 1);
}

int file_write_atomic_nosync(const char *path, const void *data, size_t len, mode_t mode)
{
	return replace_file(path, data, len, mode, 0);
}

int mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			errno = e;
			return -1;
		}
		if (!c)
			break;
		*s = c;
	}
	free(p);
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

struct dirent *dir_next(DIR *d)
{
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (!(n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]))))
			break;
	}
	return de;
}

char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	if (n && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

char *path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	while (slash > path && slash[-1] == '/')
		slash--;
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int path_up(char **dir)
{
	if (strcmp(*dir, "/") == 0)
		return 0;
	char *up = path_dirname(*dir);
	free(*dir);
	*dir = up;
	return 1;
}

const char *path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

char *path_relative(const char *path, const char *start)
{
	/* Both absolute and normalized: compare component by component. */
	size_t common = 0, i = 0;
	for (;;) {
		char a = path[i], b = start[i];
		if ((a == '/' || a == '\0') && (b == '/' || b == '\0'))
			common = i;
		if (a != b || a == '\0')
			break;
		i++;
	}
	if (path[i] == '\0' && start[i] == '\0')
		common = i;
	struct sbuf r = SBUF_INIT;
	for (const char *s = start + common; *s; s++)
		if (*s == '/' && s[1] && s[1] != '/')
			sb_adds(&r, r.len ? "/.." : "..");
	const char *rest = path + common;
	while (*rest == '/')
		rest++;
	if (*rest) {
		if (r.len)
			sb_addc(&r, '/');
		sb_adds(&r, rest);
	}
	if (!r.len)
		sb_addc(&r, '.');
	return sb_detach(&r);
}

int path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

char *path_normalize(const char *base, const char *path)
{
	struct sbuf in = SBUF_INIT, out = SBUF_INIT;
	if (path[0] != '/') {
		sb_adds(&in, base);
		sb_addc(&in, '/');
	}
	sb_adds(&in, path);
	const char *s = in.s;
	while (*s) {
		while (*s == '/')
			s++;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		size_t n = (size_t)(e - s);
		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* nothing */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			char *slash = out.len ? strrchr(out.s, '/') : NULL;
			out.len = slash ? (size_t)(slash - out.s) : 0;
			if (out.s)
				out.s[out.len] = '\0';
		} else {
			sb_addc(&out, '/');
			sb_add(&out, s, n);
		}
		s = e;
	}
	sb_free(&in);
	if (!out.len)
		sb_addc(&out, '/');
	return sb_detach(&out);
}

int path_clean_relative(const char *p)
{
	if (!*p || p[0] == '/' || has_control(p))
		return 0;
	for (const char *c = p; *c;) {
		size_t n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c += n;
		if (*c)
			c++;
	}
	return 1;
}

int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

int bool_parse(const char *v, int *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(v, no[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

char *str_cut(char *s, char c)
{
	char *p = strchr(s, c);
	if (p)
		*p++ = '\0';
	return p;
}

/* Strips the bytes of set from both ends of s, in place. */
static char *strip_set(char *s, const char *set)
{
	while (*s && strchr(set, *s))
		s++;
	size_t n = strlen(s);
	while (n && strchr(set, s[n - 1]))
		s[--n] = '\0';
	return s;
}

char *str_trim(char *s)
{
	return strip_set(s, " \t\r");
}

char *str_strip(char *s)
{
	return strip_set(s, " \t\n\v\f\r");
}

char *str_key_value(char *s, char sep, char **key)
{
	char *v = str_cut(s, sep);
	if (!v)
		return NULL;
	*key = str_trim(s);
	return str_trim(v);
}

uid_t user_id(void)
{
	static uid_t uid;
	static int known;
	if (!known) {
		uid = geteuid();
		known = 1;
	}
	return uid;
}

int timespec_cmp(const struct timespec *a, const struct timespec *b)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec < b->tv_sec ? -1 : 1;
	return a->tv_nsec < b->tv_nsec ? -1 : a->tv_nsec > b->tv_nsec;
}

int time_settled(const struct timespec *t)
{
	struct timespec now;
	if (clock_gettime(CLOCK_REALTIME, &now) < 0)
		return 0;
	int64_t age = ((int64_t)now.tv_sec - (int64_t)t->tv_sec) * 1000000000 +
		      (now.tv_nsec - t->tv_nsec);
	return age >= (int64_t)TIME_SETTLED * 1000000000;
}

const char *env_get(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

char *env_dir(const char *var, const char *rel)
{
	const char *v = env_get(var);
	if (v && v[0] == '/')
		return path_normalize("/", v);
	const char *home = env_get("HOME");
	return home && home[0] == '/' ? path_normalize(home, rel) : NULL;
}

char *xdg_dir(const char *kind)
{
	static const struct { const char *kind, *var, *fallback; } dirs[] = {
		{ "DATA", "XDG_DATA_HOME", ".local/share" },
		{ "STATE", "XDG_STATE_HOME", ".local/state" },
		{ "CONFIG", "XDG_CONFIG_HOME", ".config" },
		{ "CACHE", "XDG_CACHE_HOME", ".cache" },
	};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		if (strcmp(dirs[i].kind, kind) != 0)
			continue;
		const char *v = env_get(dirs[i].var);
		if (v && v[0] == '/')
			return path_join(v, "venvhook");
		const char *home = env_get("HOME");
		if (!home || home[0] != '/')
			return NULL;
		return xasprintf("%s/%s/venvhook", strcmp(home, "/") ? home : "", dirs[i].fallback);
	}
	return NULL;
}

char *xdg_path(const char *kind, const char *fmt, ...)
{
	char *dir = xdg_dir(kind);
	if (!dir)
		return NULL;
	struct sbuf b = SBUF_INIT;
	sb_adds(&b, dir);
	sb_addc(&b, '/');
	free(dir);
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	return sb_detach(&b);
}

char *cache_dir(const char *sub, char *err, size_t errlen)
{
	char *top = xdg_dir("CACHE");
	if (!top) {
		snprintf(err, errlen, "no cache directory: set $HOME or $XDG_CACHE_HOME");
		return NULL;
	}
	/* Most calls find it made (the prompt hook's among them): one lstat,
	 * and it is taken when it is ours and only ours to write. */
	char *dir = path_join(top, sub);
	struct stat st;
	if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == user_id() &&
	    !(st.st_mode & (S_IWGRP | S_IWOTH))) {
		free(top);
		return dir;
	}
	free(dir);
	if (mkdir_p(top, 0700) < 0 || lstat(top, &st) < 0) {
		snprintf(err, errlen, "cannot create '%s': %s", top, strerror(errno));
		free(top);
		return NULL;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != user_id() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(err, errlen, "refusing to use '%s': %s", top,
			 !S_ISDIR(st.st_mode) ? "not a directory" : st.st_uid != user_id()
			 ? "it belongs to another user" : "others can write to it");
		free(top);
		return NULL;
	}
	dir = path_join(top, sub);
	free(top);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create '%s': %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

int stdout_finish(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

char *current_dir(void)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;
	if (pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return path_normalize("/", pwd);
	char *cwd = getcwd(NULL, 0);
	if (cwd)
		return cwd;
	/* The directory was removed from under the shell: its logical path
	 * still says where the user is, and the walk finds what is left. */
	if (pwd && pwd[0] == '/')
		return path_normalize("/", pwd);
	die(EXIT_FAIL, "cannot find the current directory: %s", strerror(errno));
}

void strlist_add(struct strlist *l, const char *s)
{
	strlist_addn(l, s, strlen(s));
}

void strlist_addn(struct strlist *l, const char *s, size_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = xstrndup(s, n);
}

int strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

uint64_t fnv1a(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h;
}
