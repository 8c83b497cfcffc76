/* quote.c: quoting strings for the shell that will evaluate them. */
#include "quote.h"

#include <string.h>

#include "utf8.h"

static const char hex[] = "0123456789abcdef";

int shell_parse(const char *name, enum shell *out)
{
	static const char *const names[] = { "bash", "zsh", "fish" };
	for (int i = 0; i < 3; i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum shell)i;
			return 0;
		}
	}
	return -1;
}

const char *shell_name(enum shell sh)
{
	return sh == SHELL_BASH ? "bash" : sh == SHELL_ZSH ? "zsh" : "fish";
}

static int plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

void quote_ansi_c(struct sbuf *b, const char *s)
{
	sb_adds(b, "$'");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '\\': sb_adds(b, "\\\\"); break;
		case '\'': sb_adds(b, "\\'"); break;
		case '\n': sb_adds(b, "\\n"); break;
		case '\t': sb_adds(b, "\\t"); break;
		case '\r': sb_adds(b, "\\r"); break;
		default:
			if (plain_byte(*p)) {
				sb_addc(b, (char)*p);
			} else {
				char e[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };
				sb_add(b, e, 4);
			}
		}
	}
	sb_addc(b, '\'');
}

void quote_fish(struct sbuf *b, const char *s)
{
	int open = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (plain_byte(*p)) {
			if (!open)
				sb_addc(b, '\''), open = 1;
			if (*p == '\\' || *p == '\'')
				sb_addc(b, '\\');
			sb_addc(b, (char)*p);
		} else {
			if (open)
				sb_addc(b, '\''), open = 0;
			char e[4] = { '\\', 'X', hex[*p >> 4], hex[*p & 15] };
			sb_add(b, e, 4);
		}
	}
	if (open)
		sb_addc(b, '\'');
	else if (!*s)
		sb_adds(b, "''");
}

void quote_word(struct sbuf *b, enum shell sh, const char *s)
{
	if (sh == SHELL_FISH)
		quote_fish(b, s);
	else
		quote_ansi_c(b, s);
}

void quote_sh(struct sbuf *b, const char *s)
{
	static const char safe[] = "@%+=:,./-_";
	int plain = *s != '\0';
	for (const unsigned char *p = (const unsigned char *)s; *p && plain; p++)
		plain = (*p < 0x80 && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				       (*p >= '0' && *p <= '9'))) || (*p && strchr(safe, *p));
	if (plain)
		sb_adds(b, s);
	else
		quote_between(b, s, '\'', "'\"'\"'");
}

void quote_between(struct sbuf *b, const char *s, char q, const char *q_as)
{
	sb_addc(b, q);
	for (; *s; s++) {
		if (*s == q)
			sb_adds(b, q_as);
		else
			sb_addc(b, *s);
	}
	sb_addc(b, q);
}

void quote_csh(struct sbuf *b, const char *s)
{
	sb_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_adds(b, "'\\''");
		else if (*s == '!')
			sb_adds(b, "\\!");
		else
			sb_addc(b, *s);
	}
	sb_addc(b, '\'');
}

void quote_fill(struct sbuf *b, const char *text, const struct placeholder *ph, size_t n,
		quote_fn *quote)
{
	const char *p = text;
	for (;;) {
		const char *at = strchr(p, '@');
		if (!at) {
			sb_adds(b, p);
			return;
		}
		sb_add(b, p, (size_t)(at - p));
		p = at;
		size_t i = 0;
		for (; i < n; i++) {
			size_t len = strlen(ph[i].name);
			if (strncmp(at + 1, ph[i].name, len) == 0 && at[1 + len] == '@') {
				quote(b, ph[i].value);
				p = at + len + 2;
				break;
			}
		}
		if (i == n)
			sb_addc(b, *p++);
	}
}

/* The characters that reorder what a terminal with bidirectional text
 * shows (Konsole, mlterm, VTE) or break its line: the explicit embeddings,
 * overrides and isolates (LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI), as
 * in "Trojan Source" (CVE-2021-42574), and the line and paragraph
 * separators.  A name holding one could show the rest of a message or a
 * prompt line in another order.  The marks (LRM, RLM) and the zero-width
 * joiners stay: they reorder nothing strong, and names use them. */
static int reorders(unsigned long c)
{
	return (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

char *printable(const char *s)
{
	char *r = xstrdup(s);
	unsigned char *p = (unsigned char *)r, *end = p + strlen(r);
	while (*p) {
		unsigned long c;
		size_t n = utf8_decode(p, (size_t)(end - p), &c);      /* not strlen: linear */
		/* C0 and C1 controls, DEL and bytes that are not UTF-8 could
		 * steer the terminal, the bidirectional controls reorder what it
		 * shows: show them as '?'. */
		if (n == 0 || *p < 0x20 || *p == 0x7f || (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) ||
		    reorders(c)) {
			n = n ? n : 1;
			memset(p, '?', n);
		}
		p += n;
	}
	return r;
}
