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

/* An env's identity: what changes when the directory is replaced.  Inode
 * numbers are reused at once and birth times are coarse or missing, so the
 * inode generation (ext4, xfs, btrfs: new at each allocation) counts too. */
struct env_id {
	unsigned long long dev, ino, birth, gen;
};

/* The identity of the directory at path (followed); returns 0 or -1. */
int env_id_get(const char *path, struct env_id *id);

/* real is the env's real path (realpath). */
enum trust trust_get(const char *real, const struct env_id *id);
/* Records allow (with id) or deny (by path alone).  Returns 0, or -1 with
 * a message in err. */
int trust_set(const char *real, const struct env_id *id, int allow, char *err, size_t errlen);
/* Forgets whatever was recorded for real; returns 0 or -1 with errno set. */
int trust_forget(const char *real);
/* Calls fn with the real path of every env that has an allow record.
 * Unreadable and malformed records are skipped. */
void trust_each_allowed(void (*fn)(const char *real, void *arg), void *arg);
/* The record file for real, or NULL when there is no data directory. */
char *trust_record_path(const char *real);

#endif
