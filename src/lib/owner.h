/* owner.h: whether anyone but the user and root can change a file or directory. */
#ifndef VENVHOOK_OWNER_H
#define VENVHOOK_OWNER_H

#include <stddef.h>
#include <sys/stat.h>

#include "util.h"

enum owner_state {
	OWNER_OK,
	OWNER_FOREIGN,      /* owned by another user than the user and root */
	OWNER_WRITABLE,     /* writable by another user, through its group or others bits */
};

/* Whether what st describes (path is for the message) can be changed only
 * by the user (the effective uid) and root: owned by one of them, not
 * writable by others, and writable by its group only when that group has no
 * member but the owner and root (a user private group, as umask 002 with
 * USERGROUPS_ENAB gives every directory).  With sticky_ok, a sticky
 * directory (like /tmp) may be writable by anyone: nobody can rename or
 * remove the entries in it that others own.  Returns OWNER_OK, or the
 * problem with one line in why. */
enum owner_state owner_check(const struct stat *st, const char *path, int sticky_ok,
			     char *why, size_t whylen);

/* owner_check of every directory above path (absolute, without links) up to
 * "/", sticky directories allowed, as sshd's StrictModes and sudo do. */
enum owner_state owner_check_above(const char *path, char *why, size_t whylen);

/* file_read of a file that only the user and root can change (a link's
 * target counts): one that another user could write fails with that in err. */
int file_read_owned(const char *path, size_t cap, struct sbuf *out, char *err, size_t errlen);

/* Whether group gid has no member but uid and root: no account other than
 * them has it as its primary group (passwd) or is listed in it (group).
 * Read from the files given (/etc/passwd and /etc/group); a group that the
 * group file does not list, or a member that the passwd file does not know,
 * counts as a member.  Returns 1 or 0; *name receives the group's name (or
 * NULL), to be freed. */
int group_private(unsigned gid, unsigned uid, const char *passwd, const char *group, char **name);

#endif
