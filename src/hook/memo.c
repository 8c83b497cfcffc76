/* memo.c: the stamps that let the shell replay an answer (see memo.h). */
#include "memo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"
#include "sha256.h"
#include "util.h"

/* Hex digits of each of the two hashes in a stamp's name: OWNER-FILES. */
#define MEMO_HASH_LEN 16

struct siblings {
	int dfd;
	const char *keep;       /* the stamp's own name */
};

/* Removes a stamp of the same owner (the same first half) but this one. */
static void remove_sibling(void *arg, const char *name, size_t len, mode_t type)
{
	const struct siblings *s = arg;
	(void)type;
	if (len == strlen(s->keep) && strncmp(name, s->keep, MEMO_HASH_LEN + 1) == 0 &&
	    strcmp(name, s->keep) != 0)
		unlinkat(s->dfd, name, 0);
}

char *memo_stamp(const char *owner, const char *const *files, size_t n)
{
	struct sbuf id = SBUF_INIT;
	struct timespec newest = { 0, 0 };
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (!files[i])
			continue;
		if (stat(files[i], &st) < 0) {
			sb_free(&id);
			return NULL;
		}
		sb_add(&id, files[i], strlen(files[i]) + 1);
		sb_addf(&id, "%llu %llu %lld.%09ld\n", (unsigned long long)st.st_dev,
			(unsigned long long)st.st_ino, (long long)st.st_mtim.tv_sec,
			(long)st.st_mtim.tv_nsec);
		if (timespec_cmp(&st.st_mtim, &newest) > 0)
			newest = st.st_mtim;
	}
	/* A file written in the last moments may be written again within the
	 * same tick of its clock, and `-nt` would not see it. */
	if (!time_settled(&newest)) {
		sb_free(&id);
		return NULL;
	}
	char own[65], sum[65], err[MSG_MAX];
	sha256_hex(owner, strlen(owner), own);
	sha256_hex(id.s ? id.s : "", id.len, sum);
	sb_free(&id);
	char *dir = cache_dir("memo", err, sizeof err);
	if (!dir)
		return NULL;
	struct stat st;
	char name[2 * MEMO_HASH_LEN + 2];
	snprintf(name, sizeof name, "%.*s-%.*s", MEMO_HASH_LEN, own, MEMO_HASH_LEN, sum);
	char *path = path_join(dir, name);
	int ok = 0;
	if (lstat(path, &st) == 0) {
		ok = S_ISREG(st.st_mode) && st.st_uid == user_id() &&
		     timespec_cmp(&st.st_mtim, &newest) == 0;
	} else if (errno == ENOENT) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		const struct timespec times[2] = { newest, newest };
		ok = fd >= 0 && futimens(fd, times) == 0;
		if (fd >= 0 && close(fd) < 0)
			ok = 0;
		int dfd = ok ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		if (dfd >= 0) {
			struct siblings s = { dfd, name };
			dir_each(dfd, remove_sibling, &s);
			close(dfd);
		}
	}
	free(dir);
	if (!ok) {
		free(path);
		return NULL;
	}
	return path;
}
