/* ini_text.h: INI text parsed with inih, with errors that name the right line. */
#ifndef VENVHOOK_INI_TEXT_H
#define VENVHOOK_INI_TEXT_H

#include <stddef.h>

/* Called for each key; returns 1 to go on, or 0 after writing why into msg. */
typedef int (*ini_text_handler)(void *user, const char *section, const char *name,
				const char *value, char *msg, size_t msglen);

/* Parses text (NUL-terminated, so without NUL bytes inside) with inih.
 * Lines longer than inih's buffer are refused rather than split in two.
 * Returns 0, or the number of the first bad line with a message in msg:
 * the handler's, "syntax error", or "longer than N bytes".  The handler may
 * have been called for lines after the bad one: stage what it is given and
 * keep it only when this returns 0. */
int ini_text_parse(const char *text, ini_text_handler handler, void *user,
		   char *msg, size_t msglen);

/* The same, with each key's line number given to the handler. */
typedef int (*ini_text_line_handler)(void *user, int lineno, const char *section,
				     const char *name, const char *value, char *msg, size_t msglen);
int ini_text_parse_lines(const char *text, ini_text_line_handler handler, void *user,
			 char *msg, size_t msglen);

#endif
