/* util_test.c: paths, files, sbuf, the environment and error output. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file_at.h"
#include "fsutil.h"
#include "platform.h"
#include "unit.h"
#include "util.h"

#define CHECK_WITHIN(path, dir, want) \
	unit_check(path_within(path, dir) == (want), \
		   "path_within(" #path ", " #dir ") == " #want, __FILE__, __LINE__)

#define CHECK_DIRNAME(path, want) CHECK_OWNED_STR(path_dirname(path), want)

static void test_paths(void)
{
	printf("# path_normalize, path_join, path_relative (as os.path.relpath)\n");
	static const struct unit_str2 str2[] = {
		STR2(path_normalize, "/", "a", "/a"),
		STR2(path_normalize, "/", "", "/"),
		STR2(path_normalize, "/", "/", "/"),
		STR2(path_normalize, "/", "//", "/"),
		STR2(path_normalize, "/x", "", "/x"),
		STR2(path_normalize, "/x", ".", "/x"),
		STR2(path_normalize, "/x", "./", "/x"),
		STR2(path_normalize, "/a/b", "..", "/a"),
		STR2(path_normalize, "/a/b", "../c", "/a/c"),
		STR2(path_normalize, "/a/b", "../../..", "/"),
		STR2(path_normalize, "/", "../../x", "/x"),
		STR2(path_normalize, "/a", "b/../../../c/./d//e/", "/c/d/e"),
		STR2(path_normalize, "/ignored", "/a//b/./c/", "/a/b/c"),
		STR2(path_normalize, "/ignored", "/a/b/../../..", "/"),
		STR2(path_normalize, "//a//", "b", "/a/b"),
		STR2(path_normalize, "/a", "...", "/a/..."),
		STR2(path_normalize, "/a", "..b/.c/b..", "/a/..b/.c/b.."),
		STR2(path_normalize, "/a b", "c'd/$(e)/\n/\xff", "/a b/c'd/$(e)/\n/\xff"),
		/* Lexical, as cd -L: a symlink is not followed before "..". */
		STR2(path_normalize, "/link/sub", "..", "/link"),
		STR2(path_join, "/a", "b", "/a/b"),
		STR2(path_join, "/a/", "b", "/a/b"),
		STR2(path_join, "/", "b", "/b"),
		STR2(path_join, "/a", "b/c", "/a/b/c"),
		STR2(path_join, "", "b", "/b"),
		STR2(path_relative, "/a/b", "/a", "b"),
		STR2(path_relative, "/a", "/a/b", ".."),
		STR2(path_relative, "/a", "/a", "."),
		STR2(path_relative, "/", "/", "."),
		STR2(path_relative, "/bin", "/lib/python3.11/site-packages", "../../../bin"),
		STR2(path_relative, "/ab", "/a", "../ab"),
		STR2(path_relative, "/a/b/c", "/a/x/y", "../../b/c"),
		STR2(path_relative, "/x", "/", "x"),
		STR2(path_relative, "/", "/a/b", "../.."),
	};
	CHECK_STR2(str2);

	printf("# path_within: whole components only\n");
	CHECK_WITHIN("/a/b", "/a/b", 1);
	CHECK_WITHIN("/a/b/c", "/a/b", 1);
	CHECK_WITHIN("/a/b/c/d", "/a/b", 1);
	CHECK_WITHIN("/a/bc", "/a/b", 0);
	CHECK_WITHIN("/a/b.c", "/a/b", 0);
	CHECK_WITHIN("/a", "/a/b", 0);
	CHECK_WITHIN("/ab", "/a", 0);
	CHECK_WITHIN("/b", "/a", 0);
	CHECK_WITHIN("/a/b", "/a/b/", 1);
	CHECK_WITHIN("/a/bc", "/a/b/", 0);
	CHECK_WITHIN("/a/b", "/a/b//", 1);
	CHECK_WITHIN("/a/b/", "/a/b", 1);
	CHECK_WITHIN("/", "/", 1);
	CHECK_WITHIN("/x", "/", 1);
	CHECK_WITHIN("/x/y", "//", 1);
	CHECK_WITHIN("x", "/", 0);
	CHECK_WITHIN("/", "/a", 0);

	printf("# path_dirname, path_basename\n");
	CHECK_DIRNAME("/a/b", "/a");
	CHECK_DIRNAME("/a/b/c", "/a/b");
	CHECK_DIRNAME("/a", "/");
	CHECK_DIRNAME("/", "/");
	CHECK_DIRNAME("/a//b", "/a");
	CHECK_DIRNAME("//a", "/");
	CHECK_DIRNAME("a", ".");
	CHECK_DIRNAME("a/b", "a");
	CHECK_STR(path_basename("/a/b"), "b");
	CHECK_STR(path_basename("/a"), "a");
	CHECK_STR(path_basename("b"), "b");
	CHECK_STR(path_basename("/"), "");
	CHECK_STR(path_basename("/a/.venv"), ".venv");

	printf("# str_cut, str_key_value, str_strip\n");
	char text[] = "a=1\n b : 2 \r\nlast";
	char *l1 = text, *l2 = str_cut(l1, '\n'), *l3 = str_cut(l2, '\n'), *k = NULL;
	CHECK(strcmp(l1, "a=1") == 0 && str_cut(l3, '\n') == NULL && strcmp(l3, "last") == 0);
	CHECK(str_key_value(l2, '=', &k) == NULL && !k);
	char *v = str_key_value(l2, ':', &k);
	CHECK(v && strcmp(k, "b") == 0 && strcmp(v, "2") == 0);
	char ws[] = "\v\f \tx y\r\n\n";
	CHECK_STR(str_strip(ws), "x y");

	printf("# path_up\n");
	char *d = xstrdup("/a//b");
	CHECK(path_up(&d) == 1 && strcmp(d, "/a") == 0);
	CHECK(path_up(&d) == 1 && strcmp(d, "/") == 0);
	CHECK(path_up(&d) == 0 && strcmp(d, "/") == 0);
	free(d);
}

static void test_sbuf(void)
{
	printf("# sbuf\n");
	struct sbuf b = SBUF_INIT;
	CHECK(b.s == NULL && b.len == 0 && b.cap == 0);
	sb_reset(&b);
	CHECK(b.s == NULL && b.len == 0);
	sb_add(&b, "", 0);
	CHECK(b.s != NULL && b.s[0] == '\0' && b.len == 0);
	sb_adds(&b, "abc");
	sb_addc(&b, 'd');
	sb_add(&b, "e\0f", 3);
	CHECK(b.len == 7 && memcmp(b.s, "abcde\0f", 8) == 0);
	sb_reset(&b);
	CHECK(b.len == 0 && b.s[0] == '\0' && b.cap >= 8);
	for (int i = 0; i < 10000; i++)
		sb_addc(&b, (char)('a' + i % 26));
	int ok = b.len == 10000 && b.s[10000] == '\0' && b.cap > 10000;
	for (int i = 0; ok && i < 10000; i++)
		ok = b.s[i] == 'a' + i % 26;
	unit_check(ok, "10000 sb_addc calls grow the buffer and keep every byte", __FILE__, __LINE__);
	sb_reset(&b);
	char big[300];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	sb_adds(&b, "<");
	sb_addf(&b, "%s|%d|%s", big, -42, "");
	sb_addf(&b, "%c", '>');
	CHECK(b.len == 1 + 299 + 5 + 1 && b.s[0] == '<' && strncmp(b.s + 300, "|-42|>", 6) == 0 &&
	      b.s[b.len] == '\0');
	char *d = sb_detach(&b);
	CHECK(b.s == NULL && b.len == 0 && b.cap == 0 && strlen(d) == 306);
	free(d);
	d = sb_detach(&b);
	CHECK(d != NULL && d[0] == '\0');
	free(d);
	sb_adds(&b, "x");
	sb_free(&b);
	CHECK(b.s == NULL && b.len == 0 && b.cap == 0);

	printf("# hex\n");
	sb_addhex(&b, "/a b\n\xff");
	CHECK_STR(b.s, "2f6120620aff");
	d = hex_decode(b.s, b.len);
	CHECK_STR(d, "/a b\n\xff");
	free(d);
	d = hex_decode("2F41", 4);
	CHECK_STR(d, "/A");
	free(d);
	sb_reset(&b);
	sb_addhex(&b, "");
	CHECK(b.s != NULL && b.len == 0);
	sb_free(&b);
	CHECK(hex_decode("2f6", 3) == NULL);      /* odd */
	CHECK(hex_decode("2g", 2) == NULL);       /* not hex */
	CHECK(hex_decode("2f00", 4) == NULL);     /* a NUL byte */
	CHECK(hex_decode("+f", 2) == NULL && hex_decode(" f", 2) == NULL);

	char *s = xasprintf("%s=%d", "n", 7);
	CHECK_STR(s, "n=7");
	free(s);
	s = xstrndup("abcdef", 3);
	CHECK_STR(s, "abc");
	free(s);
	s = xstrdup("");
	CHECK_STR(s, "");
	free(s);
}

/* ---- files ------------------------------------------------------------------ */

static char *root;
static char err[1024];

static int rd(const char *rel, size_t cap, struct sbuf *out)
{
	char *p = rel[0] == '/' ? xstrdup(rel) : path_join(root, rel);
	err[0] = '\0';
	int r = file_read(p, cap, out, err, sizeof err);
	free(p);
	return r;
}

/* file_read fails with a one-line message holding needle and the path. */
static void read_fails(const char *rel, size_t cap, const char *needle, const char *what)
{
	struct sbuf out = SBUF_INIT;
	int r = rd(rel, cap, &out);
	int ok = r < 0 && strstr(err, needle) && strstr(err, rel) && !strchr(err, '\n');
	unit_check(ok, what, __FILE__, __LINE__);
	if (!ok)
		printf("#   got %d, '%s'; want '%s'\n", r, err, needle);
	sb_free(&out);
}

/* The names in dir, sorted, joined with spaces. */
static char *ls(const char *dir)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	for (int i = 0; i < n; i++) {
		if (strcmp(ents[i]->d_name, ".") && strcmp(ents[i]->d_name, "..")) {
			if (b.len)
				sb_addc(&b, ' ');
			sb_adds(&b, ents[i]->d_name);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	return sb_detach(&b);
}

static char *slurp(const char *path)
{
	struct sbuf b = SBUF_INIT;
	char e[256];
	if (file_read(path, 1 << 20, &b, e, sizeof e) < 0) {
		sb_free(&b);
		return xstrdup("(unreadable)");
	}
	return sb_detach(&b);
}

static void test_file_read(void)
{
	printf("# file_read\n");
	struct sbuf out = SBUF_INIT;
	fs_write(root, "hello", "hello\n");
	CHECK(rd("hello", 100, &out) == 0 && out.len == 6 && strcmp(out.s, "hello\n") == 0);
	sb_adds(&out, "junk");
	CHECK(rd("hello", 6, &out) == 0 && out.len == 6 && strcmp(out.s, "hello\n") == 0);
	fs_write(root, "empty", "");
	sb_free(&out);
	CHECK(rd("empty", 0, &out) == 0 && out.s && out.s[0] == '\0' && out.len == 0);
	sb_free(&out);
	read_fails("hello", 5, "hello' is larger than 5 bytes", "one byte over the cap");
	fs_writen(root, "nul", "ab\0cd", 5);
	read_fails("nul", 100, "nul' contains a NUL byte", "a NUL byte");
	fs_writen(root, "nul-last", "abcd\0", 5);
	read_fails("nul-last", 100, "contains a NUL byte", "a NUL byte at the end");
	free(fs_mkdir(root, "dir"));
	read_fails("dir", 100, "dir' is not a regular file", "a directory");
	char *fifo = path_join(root, "fifo");
	CHECK(mkfifo(fifo, 0644) == 0);
	alarm(10);      /* a read that blocks on the fifo fails the test */
	read_fails("fifo", 100, "fifo' is not a regular file", "a fifo, without blocking");
	alarm(0);
	char *lf = path_join(root, "link-to-fifo");
	CHECK(symlink("fifo", lf) == 0);
	read_fails("link-to-fifo", 100, "is not a regular file", "a link to a fifo");
	char *lh = path_join(root, "link-to-hello");
	CHECK(symlink("hello", lh) == 0);
	CHECK(rd("link-to-hello", 100, &out) == 0 && strcmp(out.s, "hello\n") == 0);
	read_fails("/dev/null", 100, "'/dev/null' is not a regular file", "a character device");
	read_fails("missing", 100, "cannot read '", "a missing file");
	CHECK(strstr(err, "missing': No such file or directory") != NULL);
	/* /proc files claim size 0: the cap holds while reading, too. */
	read_fails("/proc/self/status", 16, "'/proc/self/status' is larger than 16 bytes",
		   "a file larger than its stat size says");
	CHECK(rd("/proc/self/status", 1 << 16, &out) == 0 && strncmp(out.s, "Name:", 5) == 0);
	sb_free(&out);
	free(lh), free(lf), free(fifo);

	printf("# file_open_stat\n");
	struct stat st;
	char *hello = path_join(root, "hello");
	int fd = file_open_stat(hello, 0, &st, err, sizeof err);
	CHECK(fd >= 0 && S_ISREG(st.st_mode) && st.st_size == 6);
	if (fd >= 0)
		close(fd);
	free(hello);
	char *missing = path_join(root, "missing");
	CHECK(file_open_stat(missing, O_NOCTTY, &st, err, sizeof err) < 0);
	CHECK(strstr(err, "cannot read '") && strstr(err, "missing': No such file or directory"));
	free(missing);
}

static void test_io_all(void)
{
	printf("# io_all, write_all, random_bytes\n");
	int fd[2];
	CHECK(pipe(fd) == 0);
	CHECK(write_all(fd[1], "abcdef", 6) == 0);
	close(fd[1]);
	char buf[8] = "";
	CHECK(io_all(fd[0], buf, 4, read) == 0 && memcmp(buf, "abcd", 4) == 0);
	errno = 0;
	CHECK(io_all(fd[0], buf, 4, read) < 0 && errno == EIO);     /* 2 bytes, then the end */
	close(fd[0]);
	unsigned char r[64] = { 0 };
	unsigned any = 0;
	CHECK(random_bytes(r, sizeof r) == 0);
	for (size_t i = 0; i < sizeof r; i++)
		any |= r[i];
	CHECK(any != 0);
}

static void test_dir_next(void)
{
	printf("# dir_next: every entry but . and ..\n");
	char *dir = fs_mkdir(root, "listing");
	DIR *d = opendir(dir);
	CHECK(d && dir_next(d) == NULL);
	if (d)
		closedir(d);
	fs_write(dir, ".hidden", "");
	fs_write(dir, "..x", "");
	free(fs_mkdir(dir, "sub"));
	d = opendir(dir);
	int n = 0, others = 0;
	struct dirent *de;
	while (d && (de = dir_next(d))) {
		n++;
		others += strcmp(de->d_name, ".hidden") && strcmp(de->d_name, "..x") &&
			  strcmp(de->d_name, "sub");
	}
	CHECK(n == 3 && others == 0);
	if (d)
		closedir(d);
	free(dir);
}

static int no_temp_files(const char *dir, const char *want)
{
	char *names = ls(dir);
	int ok = strcmp(names, want) == 0;
	if (!ok)
		printf("#   '%s' holds: %s (want: %s)\n", dir, names, want);
	free(names);
	return ok;
}

/* In a child with its own mount namespace: a 32 KiB tmpfs, a file in it,
 * then a write that runs out of space.  Exit status: 0 all as expected,
 * 10 + step on a failed expectation, 99 when the namespace or the mount is
 * not allowed here. */
static int enospc_child(const char *mnt)
{
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", mnt, "tmpfs", 0, "size=32k,mode=0700") < 0)
		return 99;
	char *f = path_join(mnt, "f");
	if (file_write_atomic(f, "old", 3, 0644) < 0)
		return 10;
	static char data[64 * 1024];
	memset(data, 'x', sizeof data);
	errno = 0;
	if (file_write_atomic(f, data, sizeof data, 0644) == 0)
		return 11;
	if (errno != ENOSPC)
		return 12;
	char *c = slurp(f);
	if (strcmp(c, "old") != 0)
		return 13;
	if (!no_temp_files(mnt, "f"))
		return 14;
	free(c);
	free(f);
	return 0;
}

static void test_file_write_atomic(void)
{
	printf("# file_write_atomic\n");
	umask(022);
	char *f = path_join(root, "w/f");
	char *w = fs_mkdir(root, "w");
	CHECK(file_write_atomic(f, "one", 3, 0600) == 0);
	char *c = slurp(f);
	CHECK_STR(c, "one");
	free(c);
	struct stat st;
	CHECK(stat(f, &st) == 0 && (st.st_mode & 07777) == 0600);
	CHECK(file_write_atomic(f, "two\0bytes", 9, 0644) == 0);
	CHECK(stat(f, &st) == 0 && st.st_size == 9 && (st.st_mode & 07777) == 0644);
	CHECK(file_write_atomic(f, "", 0, 0644) == 0 && stat(f, &st) == 0 && st.st_size == 0);
	CHECK(file_write_atomic(f, "old", 3, 0644) == 0);
	CHECK(no_temp_files(w, "f"));

	/* A stale temporary file, or a symlink planted at its name, is replaced;
	 * the link's target is left alone. */
	char *tmp = xasprintf("%s.tmp.%ld", f, (long)getpid());
	fs_write(w, path_basename(tmp), "stale");
	CHECK(file_write_atomic(f, "new", 3, 0644) == 0);
	c = slurp(f);
	CHECK_STR(c, "new");
	free(c);
	char *victim = path_join(root, "victim");
	fs_write(root, "victim", "precious");
	CHECK(symlink(victim, tmp) == 0);
	CHECK(file_write_atomic(f, "newer", 5, 0644) == 0);
	c = slurp(victim);
	unit_check_str(c, "precious", "a symlink at the temporary name is not followed", __FILE__,
		       __LINE__);
	free(c);
	c = slurp(f);
	CHECK_STR(c, "newer");
	free(c);
	CHECK(no_temp_files(w, "f"));
	CHECK(file_write_atomic(f, "old", 3, 0644) == 0);

	printf("# file_write_atomic failures leave the old file and no temporary file\n");
	char *nodir = path_join(root, "no/such/dir/f");
	errno = 0;
	CHECK(file_write_atomic(nodir, "x", 1, 0644) < 0 && errno == ENOENT);
	char *nd = path_join(root, "no");
	CHECK(access(nd, F_OK) < 0);
	free(nd);

	/* The write itself fails: a file size limit of 4 bytes. */
	struct rlimit old_lim, lim = { 4, 4 };
	getrlimit(RLIMIT_FSIZE, &old_lim);
	lim.rlim_max = old_lim.rlim_max;
	void (*old_sig)(int) = signal(SIGXFSZ, SIG_IGN);
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
	errno = 0;
	int r = file_write_atomic(f, "too long", 8, 0644);
	int e = errno;
	setrlimit(RLIMIT_FSIZE, &old_lim);
	signal(SIGXFSZ, old_sig);
	unit_check(r < 0 && e == EFBIG, "a write that fails (EFBIG) is reported", __FILE__, __LINE__);
	c = slurp(f);
	unit_check_str(c, "old", "  the old file is untouched", __FILE__, __LINE__);
	free(c);
	unit_check(no_temp_files(w, "f"), "  no temporary file is left", __FILE__, __LINE__);

	/* The rename fails: a directory stands at the path. */
	char *sub = fs_mkdir(w, "sub");
	fs_write(sub, "inside", "kept");
	errno = 0;
	r = file_write_atomic(sub, "x", 1, 0644);
	unit_check(r < 0 && (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST),
		   "a rename over a directory fails", __FILE__, __LINE__);
	CHECK(stat(sub, &st) == 0 && S_ISDIR(st.st_mode) && no_temp_files(sub, "inside"));
	unit_check(no_temp_files(w, "f sub"), "  no temporary file is left", __FILE__, __LINE__);

	/* The disk fills up: a tiny tmpfs, in a mount namespace of its own. */
	char *mnt = fs_mkdir(root, "mnt");
	fs_check_child(enospc_child, mnt, "a full disk (ENOSPC): the old file stays, no temporary file",
		       "no mount namespace here: the ENOSPC case is covered by EFBIG above", __FILE__,
		       __LINE__);

	printf("# mkdir_p\n");
	char *deep = path_join(root, "m/a/b/c");
	CHECK(mkdir_p(deep, 0700) == 0 && stat(deep, &st) == 0 && S_ISDIR(st.st_mode) &&
	      (st.st_mode & 0777) == 0700);
	CHECK(mkdir_p(deep, 0700) == 0);
	char *slash = xasprintf("%s/d/", deep);
	CHECK(mkdir_p(slash, 0755) == 0);
	CHECK(mkdir_p("/", 0755) == 0);
	errno = 0;
	CHECK(mkdir_p(f, 0755) < 0 && errno == ENOTDIR);
	char *through = path_join(f, "x");
	errno = 0;
	CHECK(mkdir_p(through, 0755) < 0 && errno == ENOTDIR);

	free(through), free(slash), free(deep), free(mnt), free(sub), free(nodir), free(victim);
	free(tmp), free(w), free(f);
}

/* ---- environment, errors, stdout ---------------------------------------------- */

#define CHECK_XDG(kind, want) CHECK_OWNED_STR(xdg_dir(kind), want)

static void test_env(void)
{
	printf("# env_get, xdg_dir\n");
	setenv("VH_T", "x", 1);
	CHECK_STR(env_get("VH_T"), "x");
	setenv("VH_T", "", 1);
	CHECK(env_get("VH_T") == NULL);
	unsetenv("VH_T");
	CHECK(env_get("VH_T") == NULL);

	setenv("HOME", "/h", 1);
	unsetenv("XDG_DATA_HOME");
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_CACHE_HOME");
	CHECK_XDG("DATA", "/h/.local/share/venvhook");
	CHECK_XDG("STATE", "/h/.local/state/venvhook");
	CHECK_XDG("CONFIG", "/h/.config/venvhook");
	CHECK_XDG("CACHE", "/h/.cache/venvhook");
	CHECK_XDG("OTHER", NULL);
	setenv("XDG_DATA_HOME", "/d", 1);
	CHECK_XDG("DATA", "/d/venvhook");
	setenv("XDG_DATA_HOME", "/d/", 1);
	CHECK_XDG("DATA", "/d/venvhook");
	setenv("XDG_DATA_HOME", "relative", 1);    /* the spec says: ignore it */
	CHECK_XDG("DATA", "/h/.local/share/venvhook");
	setenv("XDG_DATA_HOME", "", 1);
	CHECK_XDG("DATA", "/h/.local/share/venvhook");
	setenv("HOME", "/", 1);
	CHECK_XDG("DATA", "/.local/share/venvhook");
	setenv("HOME", "rel", 1);
	CHECK_XDG("DATA", NULL);
	unsetenv("HOME");
	CHECK_XDG("DATA", NULL);
	setenv("XDG_DATA_HOME", "/d", 1);
	CHECK_XDG("DATA", "/d/venvhook");
	CHECK_OWNED_STR(xdg_path("DATA", "trust/%04x", 0xab), "/d/venvhook/trust/00ab");
	CHECK_OWNED_STR(xdg_path("STATE", "x"), NULL);
	unsetenv("XDG_DATA_HOME");

	printf("# env_dir\n");
	setenv("VH_T", "/t//x/..", 1);
	CHECK_OWNED_STR(env_dir("VH_T", ".tool"), "/t");
	setenv("VH_T", "relative", 1);
	CHECK_OWNED_STR(env_dir("VH_T", ".tool"), NULL);
	setenv("HOME", "/h//u/", 1);
	CHECK_OWNED_STR(env_dir("VH_T", ".tool"), "/h/u/.tool");
	unsetenv("VH_T");
	CHECK_OWNED_STR(env_dir("VH_T", ".tool"), "/h/u/.tool");
	unsetenv("HOME");
}

/* Runs fn in a child with stdout to out_path (NULL: a pipe we drop) and
 * stderr captured; returns the exit status and stderr in errout. */
static int in_child(void (*fn)(void), const char *out_path, struct sbuf *errout)
{
	int fd[2];
	if (pipe(fd) < 0)
		return -1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		if (out_path && !freopen(out_path, "w", stdout))
			_exit(125);
		fn();
		_exit(0);
	}
	close(fd[1]);
	return fs_collect(pid, fd[0], errout);
}

static void child_full(void)
{
	printf("some output");
	_exit(stdout_finish() < 0 ? 3 : 0);
}

static void child_ok(void)
{
	printf("some output");
	_exit(stdout_finish() < 0 ? 3 : 0);
}

static void child_die(void)
{
	die(7, "cannot do '%s': %s", "x y", "reason");
}

static void child_error(void)
{
	error("one");
	error("%d two", 2);
	_exit(0);
}

static void test_output(void)
{
	printf("# error, die, stdout_finish\n");
	struct sbuf e = SBUF_INIT;
	CHECK(in_child(child_error, "/dev/null", &e) == 0);
	CHECK_STR(e.s, "venvhook: one\nvenvhook: 2 two\n");
	CHECK(in_child(child_die, "/dev/null", &e) == 7);
	CHECK_STR(e.s, "venvhook: cannot do 'x y': reason\n");
	int r = in_child(child_full, "/dev/full", &e);
	unit_check(r == 3, "stdout_finish reports a failed write (/dev/full)", __FILE__, __LINE__);
	CHECK_STR(e.s, "venvhook: cannot write to standard output: No space left on device\n");
	CHECK(in_child(child_ok, "/dev/null", &e) == 0);
	CHECK_STR(e.s, "");
	sb_free(&e);
}

int main(void)
{
	root = fs_tmpdir("util_test");
	test_paths();
	test_sbuf();
	test_file_read();
	test_dir_next();
	test_io_all();
	test_file_write_atomic();
	test_env();
	test_output();
	fs_rm_rf(root);
	free(root);
	return unit_done();
}
