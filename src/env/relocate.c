/* relocate.c: rewriting the path an env's scripts were written for. */
#include "relocate.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "platform.h"

#define SCRIPT_MAX (4 << 20)

/* Bytes that may continue a path name: a match of a path must not have one
 * before it (nor after it, but '/'). */
static int name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("/._+@%,~-", c) != NULL);
}

size_t path_replace(struct sbuf *text, const char *old, const char *new)
{
	size_t n = strlen(old), count = 0;
	struct sbuf out = SBUF_INIT;
	sb_add(&out, "", 0);
	const char *s = text->s, *end = text->s + text->len;
	while (s < end) {
		const char *hit = mem_find(s, (size_t)(end - s), old, n);
		if (!hit)
			break;
		const char *after = hit + n;
		int whole = after == end || *after == '/' || !name_char((unsigned char)*after);
		int start = hit == text->s || !name_char((unsigned char)hit[-1]);
		sb_add(&out, s, (size_t)(hit - s));
		if (whole && start) {
			sb_adds(&out, new);
			count++;
		} else {
			sb_add(&out, hit, n);
		}
		s = after;
	}
	sb_add(&out, s, (size_t)(end - s));
	if (count) {
		sb_free(text);
		*text = out;
	} else {
		sb_free(&out);
	}
	return count;
}

int scripts_relocate(const char *env, const char *old, const char *new, char *err, size_t errlen)
{
	char *bin = path_join(env, "bin");
	DIR *d = opendir(bin);
	if (!d) {
		snprintf(err, errlen, "cannot read '%s': %s", bin, strerror(errno));
		free(bin);
		return -1;
	}
	int changed = 0, status = 0;
	struct sbuf text = SBUF_INIT;
	struct dirent *de;
	char why[MSG_MAX];
	while (status == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *p = path_join(bin, de->d_name);
		struct stat st;
		/* Links (bin/python) are not scripts; binaries are refused by file_read. */
		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    file_read(p, SCRIPT_MAX, &text, why, sizeof why) == 0 &&
		    path_replace(&text, old, new)) {
			if (file_write_atomic(p, text.s, text.len, st.st_mode & 07777) < 0 ||
			    chmod(p, st.st_mode & 07777) < 0) {
				snprintf(err, errlen, "cannot rewrite '%s': %s", p, strerror(errno));
				status = -1;
			} else {
				changed++;
			}
		}
		free(p);
	}
	closedir(d);
	sb_free(&text);
	free(bin);
	return status < 0 ? -1 : changed;
}
