/* trust.c: which envs the user allowed or denied.
 *
 * One small file per env under $XDG_DATA_HOME/venvhook/trust/, named by a
 * hash of the env's real path and written atomically:
 *   venvhook-trust 1
 *   allow DEV INO BIRTH GEN TOKEN  (or: deny)
 *   PATH                           (the rest of the file)
 * An allow holds only while the directory at PATH is the one that was
 * allowed and holds the token (see trust.h); a record without a token (made
 * before tokens) holds no longer.  A deny holds for the path, whatever is
 * there. */
#include "trust.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_at.h"
#include "owner.h"
#include "platform.h"
#include "tree_remove.h"
#include "util.h"

#define TRUST_MAGIC "venvhook-trust 1\n"
#define TRUST_MAX 8192

static const char hexdigits[] = "0123456789abcdef";

/* The token in the env open as envfd, into id->token ("" if none): the name
 * of the one regular file in the env's token directory, both the user's. */
static void token_read(int envfd, struct env_id *id)
{
	id->token[0] = 0;
	int fd = openat(envfd, ENV_TOKEN_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	struct stat st;
	DIR *d = NULL;
	if (fstat(fd, &st) < 0 || st.st_uid != user_id() || (st.st_mode & 077) ||
	    !(d = fdopendir(fd))) {
		close(fd);
		return;
	}
	char name[TOKEN_LEN + 1] = "";
	int n = 0;
	struct dirent *de;
	while ((de = dir_next(d))) {
		if (++n > 1)
			break;
		if (strlen(de->d_name) == TOKEN_LEN &&
		    strspn(de->d_name, hexdigits) == TOKEN_LEN &&
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && st.st_uid == user_id())
			memcpy(name, de->d_name, sizeof name);
	}
	if (n == 1 && name[0])
		memcpy(id->token, name, sizeof name);
	closedir(d);
}

/* Removes what stands at path: the token directory, or anything else. */
static void token_remove(const char *path)
{
	char err[MSG_MAX];
	tree_remove(path, err, sizeof err);
}

/* Puts a new token directory into the env at real.  Returns 0 or -1. */
static int token_write(const char *real)
{
	unsigned char rnd[TOKEN_LEN / 2];
	if (random_bytes(rnd, sizeof rnd) < 0)
		return -1;
	char name[TOKEN_LEN + 1];
	for (size_t i = 0; i < sizeof rnd; i++) {
		name[2 * i] = hexdigits[rnd[i] >> 4];
		name[2 * i + 1] = hexdigits[rnd[i] & 15];
	}
	name[TOKEN_LEN] = 0;
	/* Made aside, then swapped in: a link planted at the name is
	 * replaced, never followed. */
	char *dir = path_join(real, ENV_TOKEN_DIR);
	char *tmp = xasprintf("%s.tmp.%ld", dir, (long)getpid());
	char *file = path_join(tmp, name);
	int r = -1, fd;
	token_remove(tmp);
	if (mkdir(tmp, 0700) < 0 ||
	    (fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		goto out;
	close(fd);
	if (rename_noreplace(tmp, dir) == 0)
		r = 0;
	else if ((errno == EEXIST || errno == ENOTEMPTY) &&
		 rename_exchange(tmp, dir) == 0)
		r = 0;      /* the old one is at tmp now */
out:;
	int e = errno;
	token_remove(tmp);
	free(file);
	free(tmp);
	free(dir);
	errno = e;
	return r;
}

int env_id_get(const char *path, struct env_id *id)
{
	struct file_id f;
	memset(id, 0, sizeof *id);
	if (file_id_get(path, &f) < 0)
		return -1;
	id->dev = f.dev;
	id->ino = f.ino;
	if (f.has_birth)
		id->birth = (unsigned long long)f.birth.tv_sec * 1000000000ULL +
			    (unsigned long long)f.birth.tv_nsec;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0) {
		unsigned int gen;
		if (file_generation(fd, &gen) == 0)
			id->gen = gen;
		token_read(fd, id);
		close(fd);
	}
	return 0;
}

char *trust_record_path(const char *real)
{
	return xdg_path("DATA", "trust/%016llx", (unsigned long long)fnv1a(real));
}

enum trust trust_get(const char *real, const struct env_id *id)
{
	char *path = trust_record_path(real);
	if (!path)
		return TRUST_UNKNOWN;
	struct sbuf text = SBUF_INIT;
	char err[MSG_MAX];
	enum trust r = TRUST_UNKNOWN;
	if (file_read_owned(path, TRUST_MAX, &text, err, sizeof err) < 0 ||
	    strncmp(text.s, TRUST_MAGIC, strlen(TRUST_MAGIC)) != 0)
		goto out;
	char *line = text.s + strlen(TRUST_MAGIC);
	char *nl = strchr(line, '\n');
	if (!nl || strcmp(nl + 1, real) != 0)
		goto out;
	struct env_id rec;
	char tok[TOKEN_LEN + 2] = "";
	int n;
	if (strncmp(line, "deny\n", 5) == 0)
		r = TRUST_DENIED;
	else if ((n = sscanf(line, "allow %llu %llu %llu %llu %33[0-9a-f]\n", &rec.dev, &rec.ino,
			     &rec.birth, &rec.gen, tok)) >= 4)
		r = n == 5 && strlen(tok) == TOKEN_LEN && strcmp(tok, id->token) == 0 &&
		    rec.dev == id->dev && rec.ino == id->ino && rec.birth == id->birth &&
		    rec.gen == id->gen ? TRUST_ALLOWED : TRUST_REPLACED;
out:
	sb_free(&text);
	free(path);
	return r;
}

int trust_set(const char *real, struct env_id *id, int allow, char *err, size_t errlen)
{
	char *path = trust_record_path(real);
	if (!path) {
		snprintf(err, errlen, "cannot record trust: set $HOME or $XDG_DATA_HOME");
		return -1;
	}
	if (allow) {
		const char *why = NULL;
		if (token_write(real) < 0 || env_id_get(real, id) < 0)
			why = strerror(errno);
		else if (!id->token[0])
			why = "it does not read back as a directory of yours that only you can read";
		if (why) {
			snprintf(err, errlen, "cannot write '%s/%s': %s", real, ENV_TOKEN_DIR, why);
			free(path);
			return -1;
		}
	}
	char *dir = path_dirname(path);
	struct sbuf rec = SBUF_INIT;
	sb_adds(&rec, TRUST_MAGIC);
	if (allow)
		sb_addf(&rec, "allow %llu %llu %llu %llu %s\n", id->dev, id->ino, id->birth, id->gen,
			id->token);
	else
		sb_adds(&rec, "deny\n");
	sb_adds(&rec, real);
	int r = 0;
	if (mkdir_p(dir, 0700) < 0 || file_write_atomic(path, rec.s, rec.len, 0600) < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		r = -1;
	}
	sb_free(&rec);
	free(dir);
	free(path);
	/* A deny voids the token: a shell that keeps the env on, or keeps an
	 * answer to replay, by its token sees the deny at its next test. */
	if (!allow && r == 0) {
		char *tokdir = path_join(real, ENV_TOKEN_DIR);
		token_remove(tokdir);
		free(tokdir);
	}
	return r;
}

int trust_forget(const char *real)
{
	char *path = trust_record_path(real);
	if (!path)
		return 0;
	int r = unlink(path) < 0 && errno != ENOENT ? -1 : 0;
	free(path);
	return r;
}

void trust_each_allowed(void (*fn)(const char *real, void *arg), void *arg)
{
	char *dir = xdg_path("DATA", "trust");
	if (!dir)
		return;
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		return;
	}
	struct sbuf text = SBUF_INIT;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *path = path_join(dir, de->d_name);
		char err[MSG_MAX];
		if (file_read_owned(path, TRUST_MAX, &text, err, sizeof err) == 0 &&
		    strncmp(text.s, TRUST_MAGIC "allow ", strlen(TRUST_MAGIC "allow ")) == 0) {
			char *nl = strchr(text.s + strlen(TRUST_MAGIC), '\n');
			if (nl && nl[1] == '/')
				fn(nl + 1, arg);
		}
		free(path);
	}
	sb_free(&text);
	closedir(d);
	free(dir);
}
