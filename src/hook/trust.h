/* trust.h: which envs the user allowed or denied. */
#ifndef VENVHOOK_TRUST_H
#define VENVHOOK_TRUST_H

#include <stddef.h>
#include <sys/stat.h>

enum trust {
	TRUST_UNKNOWN,      /* never allowed nor denied */
	TRUST_ALLOWED,
	TRUST_DENIED,
	TRUST_REPLACED,     /* allowed once, but another env now stands at that path */
	TRUST_CONFIG,       /* in a [trust] directory of the user's config */
};

/* The directory inside an env that holds its token (mode 0700), as the
 * name of the one empty file in it (TOKEN_LEN hex digits, mode 0600): a
 * shell tests that the file exists with one stat, and nobody else can list
 * the directory. */
#define ENV_TOKEN_DIR ".venvhook-id"
#define TOKEN_LEN 32

/* An env's identity: what changes when the directory is replaced.  Inode
 * numbers are reused at once and birth times are coarse or missing, so the
 * inode generation (ext4, xfs, btrfs: new at each allocation) counts too.
 * Where the file system has neither (FUSE, NFSv3, 9p, SMB), only the token
 * tells: 128 random bits that venvhook writes into the env when it creates
 * or allows it and keeps in the allow record.  The shell tests it with a
 * builtin before each prompt, so a replaced env goes off PATH. */
struct env_id {
	unsigned long long dev, ino, birth, gen;
	char token[TOKEN_LEN + 1];      /* "" when the env holds none (or a bad one) */
};

/* The identity of the directory at path (followed); returns 0 or -1.  The
 * token counts only from a directory (not a link) of the effective user's
 * that nobody else can use, holding nothing but one regular file of the
 * user's. */
int env_id_get(const char *path, struct env_id *id);

/* real is the env's real path (realpath). */
enum trust trust_get(const char *real, const struct env_id *id);
/* Records allow or deny (by path alone).  An allow first writes a new token
 * into the env and refills id, so that no earlier copy of the env, nor
 * anything that stood at that path before, passes for it; a deny then
 * removes the env's token, which the shells' tests look for.  Returns 0, or -1
 * with a message in err. */
int trust_set(const char *real, struct env_id *id, int allow, char *err, size_t errlen);
/* Forgets whatever was recorded for real; returns 0 or -1 with errno set. */
int trust_forget(const char *real);
/* Calls fn with the real path of every env that has an allow record.
 * Unreadable and malformed records are skipped. */
void trust_each_allowed(void (*fn)(const char *real, void *arg), void *arg);
/* The record file for real, or NULL when there is no data directory. */
char *trust_record_path(const char *real);

#endif
