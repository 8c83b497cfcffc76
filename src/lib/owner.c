/* owner.c: whether anyone but the user and root can change a file or directory. */
#include "owner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define ACCOUNTS_MAX (16 << 20)

/* Field k (from 0) of a colon-separated line, as a copy. */
static char *field(const char *line, int k)
{
	for (; k > 0 && line; k--) {
		line = strchr(line, ':');
		if (line)
			line++;
	}
	if (!line)
		return NULL;
	return xstrndup(line, strcspn(line, ":\n"));
}

static int number(const char *s, unsigned *out)
{
	char *end;
	if (!s || !*s)
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v > (unsigned)-1)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* The uid of account name in the passwd text, or -1 if it is not there. */
static long long uid_of(const char *passwd, const char *name)
{
	for (const char *l = passwd; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		char *n = field(l, 0), *u = field(l, 2);
		unsigned uid;
		int hit = n && strcmp(n, name) == 0 && number(u, &uid) == 0;
		free(n);
		free(u);
		if (hit)
			return uid;
	}
	return -1;
}

int group_private(unsigned gid, unsigned uid, const char *passwd_path, const char *group_path,
		  char **name)
{
	struct sbuf pw = SBUF_INIT, gr = SBUF_INIT;
	char err[MSG_MAX];
	int r = 0, found = 0;
	*name = NULL;
	if (file_read(passwd_path, ACCOUNTS_MAX, &pw, err, sizeof err) < 0 ||
	    file_read(group_path, ACCOUNTS_MAX, &gr, err, sizeof err) < 0)
		goto out;
	r = 1;
	/* No one else has it as the primary group... */
	for (const char *l = pw.s; r && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "") {
		char *u = field(l, 2), *g = field(l, 3);
		unsigned a, b;
		if (number(u, &a) == 0 && number(g, &b) == 0 && b == gid && a != uid && a != 0)
			r = 0;
		free(u);
		free(g);
	}
	/* ...nor is listed in it. */
	for (const char *l = gr.s; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "") {
		char *g = field(l, 2);
		unsigned b;
		int hit = number(g, &b) == 0 && b == gid;
		free(g);
		if (!hit)
			continue;
		found = 1;
		if (!*name)
			*name = field(l, 0);
		char *mem = field(l, 3);
		for (char *m = mem, *next; m && *m; m = next) {
			next = m + strcspn(m, ",");
			if (*next)
				*next++ = '\0';
			long long u = *m ? uid_of(pw.s, m) : 0;
			if (u < 0 || ((unsigned)u != uid && u != 0))
				r = 0;
		}
		free(mem);
	}
	if (!found)
		r = 0;
out:
	sb_free(&pw);
	sb_free(&gr);
	return r;
}

enum owner_state owner_check(const struct stat *st, const char *path, int sticky_ok,
			     char *why, size_t whylen)
{
	uid_t me = user_id();
	if (st->st_uid != me && st->st_uid != 0) {
		snprintf(why, whylen, "'%s' belongs to another user", path);
		return OWNER_FOREIGN;
	}
	if (!(st->st_mode & (S_IWGRP | S_IWOTH)) || (sticky_ok && S_ISDIR(st->st_mode) &&
						      (st->st_mode & S_ISVTX)))
		return OWNER_OK;
	if (st->st_mode & S_IWOTH) {
		snprintf(why, whylen, "'%s' is writable by others", path);
		return OWNER_WRITABLE;
	}
	/* The directories of one user share a group: ask once per process. */
	static unsigned last_gid, last_uid;
	static int last_priv = -1;
	static char *last_name;
	if (last_priv < 0 || last_gid != (unsigned)st->st_gid || last_uid != (unsigned)st->st_uid) {
		free(last_name);
		last_gid = (unsigned)st->st_gid;
		last_uid = (unsigned)st->st_uid;
		last_priv = group_private(last_gid, last_uid, "/etc/passwd", "/etc/group", &last_name);
	}
	int priv = last_priv;
	char *name = last_name ? xstrdup(last_name) : NULL;
	if (!priv) {
		if (name)
			snprintf(why, whylen, "'%s' is writable by group '%s', which has other members",
				 path, name);
		else
			snprintf(why, whylen, "'%s' is writable by group %u, which /etc/group does not list",
				 path, (unsigned)st->st_gid);
	}
	free(name);
	return priv ? OWNER_OK : OWNER_WRITABLE;
}

enum owner_state owner_check_above(const char *path, char *why, size_t whylen)
{
	char *dir = path_dirname(path);
	enum owner_state r = OWNER_OK;
	for (;;) {
		struct stat st;
		if (stat(dir, &st) < 0) {
			snprintf(why, whylen, "cannot check '%s': %s", dir, strerror(errno));
			r = OWNER_FOREIGN;
			break;
		}
		r = owner_check(&st, dir, 1, why, whylen);
		if (r != OWNER_OK || !path_up(&dir))
			break;
	}
	free(dir);
	return r;
}

int file_read_owned(const char *path, size_t cap, struct sbuf *out, char *err, size_t errlen)
{
	struct stat st;
	int fd = file_open_stat(path, O_NOCTTY | O_NONBLOCK, &st, err, errlen);
	if (fd < 0)
		return -1;
	if (owner_check(&st, path, 0, err, errlen) != OWNER_OK) {
		close(fd);
		return -1;
	}
	return file_read_fd(fd, path, cap, out, err, errlen);
}
