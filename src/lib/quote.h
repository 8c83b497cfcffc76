/* quote.h: quoting strings for the shell that will evaluate them. */
#ifndef VENVHOOK_QUOTE_H
#define VENVHOOK_QUOTE_H

#include "util.h"

enum shell { SHELL_BASH, SHELL_ZSH, SHELL_FISH };

/* "bash", "zsh" or "fish"; returns 0, or -1 for another name. */
int shell_parse(const char *name, enum shell *out);
const char *shell_name(enum shell sh);

/* Appends s as one word that sh reads back as exactly the bytes of s.
 * bash and zsh: $'...' with \\, \', \n, \t, \r and \xHH for every other byte
 * below 0x20 or from 0x7f, so the result is one line of printable ASCII.
 * fish: '...' with \\ and \' inside, and those bytes as \XHH outside. */
void quote_word(struct sbuf *b, enum shell sh, const char *s);

/* One word for one shell, each appended to b. */
typedef void quote_fn(struct sbuf *b, const char *s);
quote_fn quote_ansi_c;  /* bash and zsh, as quote_word */
quote_fn quote_fish;    /* fish, as quote_word */
quote_fn quote_sh;      /* a POSIX shell, as Python's shlex.quote */
quote_fn quote_csh;     /* csh and tcsh: single quotes, with ' and ! escaped */
/* Appends s between two q, each q in s written as q_as. */
void quote_between(struct sbuf *b, const char *s, char q, const char *q_as);

/* Appends text with each @NAME@ of ph (NAME without the @s) replaced by its
 * value, quoted by quote; any other '@' stays as it is. */
struct placeholder {
	const char *name, *value;
};
void quote_fill(struct sbuf *b, const char *text, const struct placeholder *ph, size_t n,
		quote_fn *quote);

/* A copy of s fit to show on a terminal: control characters (C0, DEL, C1),
 * the bidirectional controls that reorder text (U+202A-U+202E,
 * U+2066-U+2069), the line and paragraph separators (U+2028, U+2029) and
 * bytes that are not UTF-8 become '?', byte for byte: the length is
 * unchanged. */
char *printable(const char *s);

#endif
