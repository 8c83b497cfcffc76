/* ini_text.c: INI text parsed with inih, with errors that name the right line.
 *
 * inih reports only the number of the first bad line, and it splits a line
 * longer than its buffer into several (so the tail of a long value would
 * read as a key of its own).  Feeding it through our own reader tells us
 * which line each key comes from, and lets us refuse long lines. */
#include "ini_text.h"

#include <ini.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

struct reader {
	const char *pos;
	int lineno;             /* the line inih was last given */
	int long_line;          /* the first line that was too long, or 0 */
	ini_text_handler handler;
	ini_text_line_handler line_handler;
	void *user;
	int bad_line;           /* the first line the handler refused, or 0 */
	char *msg;
	size_t msglen;
};

static char *read_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	if (!*r->pos || r->long_line)
		return NULL;
	const char *end = strchr(r->pos, '\n');
	size_t n = end ? (size_t)(end - r->pos) + 1 : strlen(r->pos);
	r->lineno++;
	/* The line and its newline must fit with room for the NUL. */
	if (n + 1 > (size_t)num - 1) {
		r->long_line = r->lineno;
		return NULL;
	}
	memcpy(str, r->pos, n);
	str[n] = '\0';
	r->pos += n;
	return str;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct reader *r = user;
	char why[MSG_MAX];
	why[0] = '\0';
	if (r->line_handler ? r->line_handler(r->user, r->lineno, section, name, value, why, sizeof why)
	    : r->handler(r->user, section, name, value, why, sizeof why))
		return 1;
	if (!r->bad_line) {
		r->bad_line = r->lineno;
		snprintf(r->msg, r->msglen, "%s", why[0] ? why : "invalid value");
	}
	return 0;
}

static int parse(struct reader *r, const char *text, char *msg, size_t msglen)
{
	r->pos = text;
	r->msg = msg;
	r->msglen = msglen;
	msg[0] = '\0';
	int line = ini_parse_stream(read_line, r, on_key, r);
	if (r->long_line && (line <= 0 || r->long_line < line)) {
		snprintf(msg, msglen, "longer than %d bytes", INI_MAX_LINE - 3);
		return r->long_line;
	}
	if (line > 0 && line != r->bad_line)
		snprintf(msg, msglen, "syntax error");
	return line < 0 ? 1 : line;
}

int ini_text_parse(const char *text, ini_text_handler handler, void *user,
		   char *msg, size_t msglen)
{
	struct reader r = { .handler = handler, .user = user };
	return parse(&r, text, msg, msglen);
}

int ini_text_parse_lines(const char *text, ini_text_line_handler handler, void *user,
			 char *msg, size_t msglen)
{
	struct reader r = { .line_handler = handler, .user = user };
	return parse(&r, text, msg, msglen);
}
