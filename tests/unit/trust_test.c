/* trust_test.c: allow and deny records under $XDG_DATA_HOME/venvhook/trust/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "trust.h"
#include "unit.h"

static char *root;
static char err[1024];

static const char *trust_str(enum trust t)
{
	switch (t) {
	case TRUST_UNKNOWN: return "unknown";
	case TRUST_ALLOWED: return "allowed";
	case TRUST_DENIED: return "denied";
	case TRUST_REPLACED: return "replaced";
	case TRUST_CONFIG: return "config";
	}
	return "?";
}

#define CHECK_TRUST(real, id, want) do { \
	enum trust got_ = trust_get(real, id); \
	unit_check(got_ == (want), "trust_get(" #real ", " #id ") is " #want, __FILE__, __LINE__); \
	if (got_ != (want)) \
		printf("#   got %s\n", trust_str(got_)); \
} while (0)

/* Removes an empty directory but for the token that allow wrote in it. */
static int rmdir_env(const char *dir)
{
	char *tok = path_join(dir, ENV_TOKEN_DIR);
	fs_rm_rf(tok);
	free(tok);
	return rmdir(dir);
}

static void write_record(const char *real, const char *text, size_t n)
{
	char *rec = trust_record_path(real);
	char *dir = path_dirname(rec);
	fs_writen(dir, path_basename(rec), text, n);
	free(dir);
	free(rec);
}

static void test_records(void)
{
	char *data = path_join(root, "data");
	setenv("XDG_DATA_HOME", data, 1);
	setenv("HOME", "/nonexistent-home", 1);
	char *env = fs_mkdir(root, "envs/e");
	char *real = realpath(env, NULL);
	struct env_id id, other = { .dev = 1, .ino = 2, .birth = 3, .gen = 4 };
	CHECK(env_id_get(env, &id) == 0);

	printf("# where records live\n");
	char *rec = trust_record_path(real);
	char *trustdir = xasprintf("%s/venvhook/trust", data);
	int shape = rec && strncmp(rec, trustdir, strlen(trustdir)) == 0 &&
		    rec[strlen(trustdir)] == '/' && strlen(rec) == strlen(trustdir) + 17 &&
		    strspn(rec + strlen(trustdir) + 1, "0123456789abcdef") == 16;
	unit_check(shape, "the record is $XDG_DATA_HOME/venvhook/trust/ and 16 hex digits", __FILE__,
		   __LINE__);
	char *rec2 = trust_record_path(real);
	char *rec3 = trust_record_path("/another/env");
	CHECK(strcmp(rec, rec2) == 0 && strcmp(rec, rec3) != 0);
	free(rec2), free(rec3);

	printf("# allow, deny, forget\n");
	CHECK_TRUST(real, &id, TRUST_UNKNOWN);
	CHECK(trust_set(real, &id, 1, err, sizeof err) == 0);
	CHECK_TRUST(real, &id, TRUST_ALLOWED);
	CHECK_TRUST(real, &other, TRUST_REPLACED);
	struct stat st;
	CHECK(stat(rec, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600);
	CHECK(stat(trustdir, &st) == 0 && (st.st_mode & 0777) == 0700);
	struct sbuf text = SBUF_INIT;
	char e[256];
	CHECK(file_read(rec, 8192, &text, e, sizeof e) == 0);
	char *want = xasprintf("venvhook-trust 1\nallow %llu %llu %llu %llu %s\n%s", id.dev, id.ino,
			       id.birth, id.gen, id.token, real);
	unit_check_str(text.s, want, "the record's text", __FILE__, __LINE__);
	free(want);
	/* A record made before tokens is no allow, whatever else matches. */
	want = xasprintf("venvhook-trust 1\nallow %llu %llu %llu %llu\n%s", id.dev, id.ino,
			 id.birth, id.gen, real);
	write_record(real, want, strlen(want));
	CHECK_TRUST(real, &id, TRUST_REPLACED);
	free(want);
	/* A record of the first format (no generation) is no allow. */
	want = xasprintf("venvhook-trust 1\nallow %llu %llu %llu\n%s", id.dev, id.ino, id.birth,
			 real);
	write_record(real, want, strlen(want));
	CHECK_TRUST(real, &id, TRUST_UNKNOWN);
	free(want);
	CHECK(trust_set(real, &id, 0, err, sizeof err) == 0);
	CHECK_TRUST(real, &id, TRUST_DENIED);
	CHECK_TRUST(real, &other, TRUST_DENIED);   /* a deny holds for the path */
	CHECK(file_read(rec, 8192, &text, e, sizeof e) == 0);
	want = xasprintf("venvhook-trust 1\ndeny\n%s", real);
	unit_check_str(text.s, want, "the deny record's text", __FILE__, __LINE__);
	free(want);
	CHECK(trust_set(real, &id, 1, err, sizeof err) == 0);
	CHECK_TRUST(real, &id, TRUST_ALLOWED);
	CHECK(trust_forget(real) == 0);
	CHECK_TRUST(real, &id, TRUST_UNKNOWN);
	CHECK(access(rec, F_OK) < 0);
	CHECK(trust_forget(real) == 0);       /* nothing to forget is fine */

	printf("# another path, same record name\n");
	want = xasprintf("venvhook-trust 1\nallow %llu %llu %llu %llu\n/some/other/env", id.dev,
			 id.ino, id.birth, id.gen);
	write_record(real, want, strlen(want));
	CHECK_TRUST(real, &id, TRUST_UNKNOWN);
	free(want);
	want = xasprintf("venvhook-trust 1\ndeny\n%s/sub", real);
	write_record(real, want, strlen(want));
	CHECK_TRUST(real, &id, TRUST_UNKNOWN);
	free(want);
	want = xasprintf("venvhook-trust 1\ndeny\n%s\n", real);    /* a trailing newline */
	write_record(real, want, strlen(want));
	CHECK_TRUST(real, &id, TRUST_UNKNOWN);
	free(want);

	printf("# corrupted records are ignored, then replaced\n");
	const char *bad[] = {
		"", "garbage", "venvhook-trust 1\n", "venvhook-trust 1\nallow 1 2\n",
		"venvhook-trust 2\ndeny\n", "VENVHOOK-TRUST 1\ndeny\n", "venvhook-trust 1\nallowed\n",
		"venvhook-trust 1\ndenied\n", "venvhook-trust 1\nallow x y z\n",
		"venvhook-trust 1 deny\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* Where the damage is in the head, the env's own path follows it. */
		struct sbuf b = SBUF_INIT;
		sb_adds(&b, bad[i]);
		if (strchr(bad[i], '\n') && bad[i][strlen(bad[i]) - 1] == '\n' && strlen(bad[i]) > 17)
			sb_adds(&b, real);
		write_record(real, b.s, b.len);
		char *what = xasprintf("corrupted record %zu is unknown", i);
		unit_check(trust_get(real, &id) == TRUST_UNKNOWN, what, __FILE__, __LINE__);
		free(what);
		sb_free(&b);
	}
	want = xasprintf("venvhook-trust 1\ndeny\n%s", real);
	struct sbuf b = SBUF_INIT;
	sb_add(&b, want, strlen(want) + 1);  /* with a NUL byte */
	write_record(real, b.s, b.len);
	CHECK_TRUST(real, &id, TRUST_UNKNOWN);
	sb_reset(&b);
	while (b.len <= 8192)
		sb_adds(&b, want);
	write_record(real, b.s, b.len);      /* over the size cap */
	CHECK_TRUST(real, &id, TRUST_UNKNOWN);
	sb_free(&b);
	free(want);
	CHECK(unlink(rec) == 0 && mkdir(rec, 0700) == 0);   /* a directory in its place */
	CHECK_TRUST(real, &id, TRUST_UNKNOWN);
	CHECK(rmdir(rec) == 0);
	write_record(real, "garbage", 7);
	CHECK(trust_set(real, &id, 1, err, sizeof err) == 0);
	CHECK_TRUST(real, &id, TRUST_ALLOWED);
	/* Written atomically: no temporary file stays behind. */
	char *tmp = xasprintf("%s.tmp.%ld", rec, (long)getpid());
	CHECK(access(tmp, F_OK) < 0);
	free(tmp);

	printf("# paths with odd bytes\n");
	const char *odd[] = { "odd/a\nb", "odd/\nallow 1 2 3\n/y", "odd/'$(id)'\xff", "odd/deny" };
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		char *dir = fs_mkdir(root, odd[i]);
		struct env_id oid;
		CHECK(env_id_get(dir, &oid) == 0);
		CHECK(trust_set(dir, &oid, 1, err, sizeof err) == 0);
		char *what = xasprintf("odd path %zu: allowed", i);
		unit_check(trust_get(dir, &oid) == TRUST_ALLOWED, what, __FILE__, __LINE__);
		free(what);
		CHECK(trust_set(dir, &oid, 0, err, sizeof err) == 0);
		CHECK(trust_get(dir, &oid) == TRUST_DENIED);
		CHECK(trust_forget(dir) == 0);
		free(dir);
	}

	sb_free(&text);
	free(trustdir), free(rec), free(real), free(env), free(data);
}

static void test_replaced(void)
{
	printf("# a different directory at the same path\n");
	char *env = fs_mkdir(root, "envs/r");
	char *real = realpath(env, NULL);
	struct env_id id, id2;
	CHECK(env_id_get(env, &id) == 0);
	CHECK(trust_set(real, &id, 1, err, sizeof err) == 0);
	CHECK_TRUST(real, &id, TRUST_ALLOWED);

	/* Moved in from elsewhere: another inode. */
	char *other = fs_mkdir(root, "envs/r-new");
	CHECK(rmdir_env(env) == 0 && rename(other, env) == 0);
	CHECK(env_id_get(env, &id2) == 0);
	CHECK(id2.ino != id.ino);
	CHECK_TRUST(real, &id2, TRUST_REPLACED);

	/* Removed and made again later: the file system may reuse the inode
	 * number, the birth time then tells them apart. */
	CHECK(trust_set(real, &id2, 1, err, sizeof err) == 0);
	CHECK_TRUST(real, &id2, TRUST_ALLOWED);
	CHECK(rmdir_env(env) == 0);
	nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	CHECK(mkdir(env, 0755) == 0);
	CHECK(env_id_get(env, &id) == 0);
	if (id.ino == id2.ino)
		printf("# the inode number was reused\n");
	CHECK_TRUST(real, &id, TRUST_REPLACED);
	/* A deny survives replacement. */
	CHECK(trust_set(real, &id, 0, err, sizeof err) == 0);
	CHECK(rmdir_env(env) == 0 && mkdir(env, 0755) == 0 && env_id_get(env, &id2) == 0);
	CHECK_TRUST(real, &id2, TRUST_DENIED);

	/* Removed and made again at once, many times: inode numbers come back
	 * at once and birth times are coarse, the inode generation differs. */
	int replaced = 0, same_ino = 0;
	for (int i = 0; i < 20; i++) {
		CHECK(rmdir_env(env) == 0 && mkdir(env, 0755) == 0 && env_id_get(env, &id) == 0);
		CHECK(trust_set(real, &id, 1, err, sizeof err) == 0);
		CHECK(rmdir_env(env) == 0 && mkdir(env, 0755) == 0 && env_id_get(env, &id2) == 0);
		same_ino += id2.ino == id.ino;
		replaced += trust_get(real, &id2) == TRUST_REPLACED;
	}
	printf("# %d of 20 remade directories had the old inode number\n", same_ino);
	unit_check(replaced == 20, "a directory removed and made again at once is replaced",
		   __FILE__, __LINE__);

	printf("# env_id_get\n");
	struct stat st;
	CHECK(env_id_get(env, &id) == 0 && stat(env, &st) == 0 && id.ino == st.st_ino &&
	      id.dev == st.st_dev);
	char *link = path_join(root, "envs/link");
	CHECK(symlink("r", link) == 0);
	CHECK(env_id_get(link, &id2) == 0 && id2.ino == id.ino && id2.dev == id.dev &&
	      id2.birth == id.birth && id2.gen == id.gen && strcmp(id2.token, id.token) == 0);
	char *missing = path_join(root, "envs/missing");
	CHECK(env_id_get(missing, &id) < 0);
	free(missing), free(link), free(other), free(real), free(env);
}

static void test_no_data_dir(void)
{
	printf("# no usable data directory\n");
	struct env_id id = { .dev = 1, .ino = 2, .birth = 3, .gen = 4 };
	char *x = fs_mkdir(root, "x");
	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	CHECK(trust_record_path(x) == NULL);
	CHECK(trust_get(x, &id) == TRUST_UNKNOWN);
	CHECK(trust_forget(x) == 0);
	CHECK(trust_set(x, &id, 1, err, sizeof err) < 0);
	CHECK_STR(err, "cannot record trust: set $HOME or $XDG_DATA_HOME");

	/* $HOME's default, when $XDG_DATA_HOME is not absolute. */
	char *home = path_join(root, "home");
	setenv("HOME", home, 1);
	setenv("XDG_DATA_HOME", "relative", 1);
	CHECK(trust_set(x, &id, 1, err, sizeof err) == 0);
	char *rec = trust_record_path(x);
	char *prefix = xasprintf("%s/.local/share/venvhook/trust/", home);
	CHECK(rec && strncmp(rec, prefix, strlen(prefix)) == 0 && access(rec, F_OK) == 0);
	CHECK(trust_get(x, &id) == TRUST_ALLOWED);
	free(prefix), free(rec);

	/* A data directory that cannot be made: a message naming the record. */
	char *file = path_join(root, "afile");
	fs_write(root, "afile", "x");
	setenv("XDG_DATA_HOME", file, 1);
	rec = trust_record_path(x);
	CHECK(trust_set(x, &id, 1, err, sizeof err) < 0);
	char *want = xasprintf("cannot write '%s': Not a directory", rec);
	CHECK_STR(err, want);
	free(want), free(rec), free(file), free(home), free(x);
}

/* The token file of id in the env at real. */
static char *token_file(const char *real, const struct env_id *id)
{
	return xasprintf("%s/%s/%s", real, ENV_TOKEN_DIR, id->token);
}

static void test_token(void)
{
	printf("# the token\n");
	char *env = fs_mkdir(root, "envs/t");
	char *real = realpath(env, NULL);
	char *tokdir = path_join(real, ENV_TOKEN_DIR);
	struct env_id id, id2, id3;
	struct stat st;
	CHECK(env_id_get(env, &id) == 0 && id.token[0] == 0);     /* none yet */
	CHECK(trust_set(real, &id, 1, err, sizeof err) == 0);
	CHECK(strlen(id.token) == TOKEN_LEN && strspn(id.token, "0123456789abcdef") == TOKEN_LEN);
	char *tok = token_file(real, &id);
	CHECK(lstat(tokdir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);
	CHECK(lstat(tok, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600);
	CHECK(env_id_get(env, &id2) == 0 && strcmp(id2.token, id.token) == 0);
	CHECK_TRUST(real, &id2, TRUST_ALLOWED);
	free(tok);

	/* The same directory and inode with another token, or none: what a
	 * file system without birth time nor generation (FUSE, NFSv3) shows
	 * after rm -rf and tar x. */
	id2 = id;
	id2.token[0] = id.token[0] == 'a' ? 'b' : 'a';
	CHECK_TRUST(real, &id2, TRUST_REPLACED);
	id2.token[0] = 0;
	CHECK_TRUST(real, &id2, TRUST_REPLACED);

	/* Allowing again puts a new token in: a copy of the old one is worth
	 * nothing, and nothing of the old one stays. */
	id3 = id;
	CHECK(trust_set(real, &id3, 1, err, sizeof err) == 0);
	CHECK(strcmp(id3.token, id.token) != 0);
	CHECK_TRUST(real, &id, TRUST_REPLACED);
	CHECK_TRUST(real, &id3, TRUST_ALLOWED);
	tok = token_file(real, &id);
	CHECK(access(tok, F_OK) < 0);
	free(tok);
	tok = token_file(real, &id3);
	char *tmp = xasprintf("%s.tmp.%ld", tokdir, (long)getpid());
	CHECK(access(tmp, F_OK) < 0);
	free(tmp);

	/* Only a directory of the user's that nobody else can use, holding
	 * one regular file of the user's, counts. */
	CHECK(chmod(tokdir, 0750) == 0 && env_id_get(env, &id2) == 0 && id2.token[0] == 0);
	CHECK(chmod(tokdir, 0701) == 0 && env_id_get(env, &id2) == 0 && id2.token[0] == 0);
	CHECK(chmod(tokdir, 0700) == 0 && env_id_get(env, &id2) == 0 &&
	      strcmp(id2.token, id3.token) == 0);
	if (geteuid() == 0) {
		CHECK(chown(tokdir, 65534, (gid_t)-1) == 0 && env_id_get(env, &id2) == 0 &&
		      id2.token[0] == 0);
		CHECK(chown(tokdir, 0, (gid_t)-1) == 0);
		CHECK(chown(tok, 65534, (gid_t)-1) == 0 && env_id_get(env, &id2) == 0 &&
		      id2.token[0] == 0);
		CHECK(chown(tok, 0, (gid_t)-1) == 0);
	}
	char *other = xasprintf("%s/%s/0123456789abcdef0123456789abcdef", real, ENV_TOKEN_DIR);
	fs_write(tokdir, "0123456789abcdef0123456789abcdef", "");
	CHECK(env_id_get(env, &id2) == 0 && id2.token[0] == 0);   /* two files */
	CHECK(unlink(other) == 0 && env_id_get(env, &id2) == 0 && strcmp(id2.token, id3.token) == 0);
	free(other);
	/* A link in the token's place: to a directory, or as the file. */
	char *copy = fs_mkdir(root, "tokcopy");
	CHECK(chmod(copy, 0700) == 0);
	fs_write(copy, id3.token, "");
	char *copyfile = path_join(copy, id3.token);
	CHECK(unlink(tok) == 0 && symlink(copyfile, tok) == 0);
	CHECK(env_id_get(env, &id2) == 0 && id2.token[0] == 0);
	CHECK(unlink(tok) == 0 && rmdir(tokdir) == 0 && symlink(copy, tokdir) == 0);
	CHECK(env_id_get(env, &id2) == 0 && id2.token[0] == 0);
	CHECK_TRUST(real, &id2, TRUST_REPLACED);
	CHECK(unlink(tokdir) == 0);
	/* Names that are no token; a file in the token's place. */
	const char *bad[] = { "0123", "0123456789ABCDEF0123456789ABCDEF",
		"0123456789abcdef0123456789abcdeg", "0123456789abcdef0123456789abcdef0", ".x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fs_rm_rf(tokdir);
		fs_write(tokdir, bad[i], "");
		CHECK(chmod(tokdir, 0700) == 0);
		char *what = xasprintf("a bad token name %zu is no token", i);
		unit_check(env_id_get(env, &id2) == 0 && id2.token[0] == 0, what, __FILE__, __LINE__);
		free(what);
	}
	fs_rm_rf(tokdir);
	fs_write(real, ENV_TOKEN_DIR, "0123456789abcdef0123456789abcdef");
	CHECK(env_id_get(env, &id2) == 0 && id2.token[0] == 0);

	/* allow replaces whatever is in the token's place, a link included,
	 * and never follows it. */
	CHECK(trust_set(real, &id2, 1, err, sizeof err) == 0);
	CHECK(lstat(tokdir, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK_TRUST(real, &id2, TRUST_ALLOWED);
	fs_rm_rf(tokdir);
	CHECK(symlink(copy, tokdir) == 0);
	CHECK(trust_set(real, &id2, 1, err, sizeof err) == 0);
	CHECK(lstat(tokdir, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(access(copyfile, F_OK) == 0 && lstat(copy, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK_TRUST(real, &id2, TRUST_ALLOWED);

	/* An env that cannot take a token is not allowed. */
	if (geteuid() != 0) {
		CHECK(chmod(real, 0555) == 0);
		CHECK(trust_set(real, &id2, 1, err, sizeof err) < 0);
		CHECK(strstr(err, ENV_TOKEN_DIR) != NULL);
		CHECK(chmod(real, 0755) == 0);
	}
	char *gone = path_join(root, "envs/gone");
	CHECK(trust_set(gone, &id2, 1, err, sizeof err) < 0);
	char *want = xasprintf("cannot write '%s/%s': No such file or directory", gone, ENV_TOKEN_DIR);
	CHECK_STR(err, want);
	free(want), free(gone), free(copyfile), free(copy), free(tok), free(tokdir), free(real);
	free(env);
}

int main(void)
{
	umask(022);
	root = fs_tmpdir("trust_test");
	test_records();
	test_replaced();
	test_token();
	test_no_data_dir();
	fs_rm_rf(root);
	free(root);
	return unit_done();
}
