/* quote_fuzz.c: libFuzzer harness for quote_word and printable.
 *
 * Properties (an abort is a finding):
 * - bash and zsh: the word is $'...', one line of printable ASCII, with no
 *   unescaped quote before its end, and decodes back to the input;
 * - fish: printable ASCII, quotes balanced, inside quotes a backslash only
 *   before \ or ', outside them only \XHH, and decodes back to the input;
 * - printable: same length, UTF-8 with no control character (C0, DEL,
 *   C1), no bidirectional control and no line or paragraph separator. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quote.h"
#include "utf8.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *in, const char *out)
{
	fprintf(stderr, "PROPERTY VIOLATED: %s\n  input: '%s'\n  output: '%s'\n", what, in, out);
	abort();
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void all_printable(const char *in, const char *q)
{
	for (const unsigned char *p = (const unsigned char *)q; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			fail("a byte that is not printable ASCII in the quoted word", in, q);
}

static void check_ansi_c(const char *in, const char *q, size_t len)
{
	all_printable(in, q);
	if (len < 3 || strncmp(q, "$'", 2) != 0 || q[len - 1] != '\'')
		fail("not of the form $'...'", in, q);
	struct sbuf d = SBUF_INIT;
	sb_add(&d, "", 0);
	for (size_t i = 2; i < len - 1; i++) {
		char c = q[i];
		if (c == '\'')
			fail("an unescaped quote inside $'...'", in, q);
		if (c != '\\') {
			sb_addc(&d, c);
			continue;
		}
		if (++i >= len - 1)
			fail("a backslash escapes the closing quote", in, q);
		switch (q[i]) {
		case '\\': sb_addc(&d, '\\'); break;
		case '\'': sb_addc(&d, '\''); break;
		case 'n': sb_addc(&d, '\n'); break;
		case 't': sb_addc(&d, '\t'); break;
		case 'r': sb_addc(&d, '\r'); break;
		case 'x':
			if (i + 2 >= len - 1 || hex(q[i + 1]) < 0 || hex(q[i + 2]) < 0)
				fail("\\x without two hex digits", in, q);
			sb_addc(&d, (char)(hex(q[i + 1]) * 16 + hex(q[i + 2])));
			i += 2;
			break;
		default:
			fail("an escape bash and zsh may read otherwise", in, q);
		}
	}
	if (strcmp(d.s, in) != 0)
		fail("$'...' does not decode to the input", in, q);
	sb_free(&d);
}

static void check_fish(const char *in, const char *q, size_t len)
{
	all_printable(in, q);
	struct sbuf d = SBUF_INIT;
	sb_add(&d, "", 0);
	int open = 0;
	for (size_t i = 0; i < len; i++) {
		char c = q[i];
		if (open) {
			if (c == '\'') {
				open = 0;
			} else if (c == '\\') {
				if (i + 1 >= len || (q[i + 1] != '\\' && q[i + 1] != '\''))
					fail("a lone backslash inside fish quotes", in, q);
				sb_addc(&d, q[++i]);
			} else {
				sb_addc(&d, c);
			}
		} else if (c == '\'') {
			open = 1;
		} else if (c == '\\' && i + 3 < len && q[i + 1] == 'X' && hex(q[i + 2]) >= 0 &&
			   hex(q[i + 3]) >= 0) {
			sb_addc(&d, (char)(hex(q[i + 2]) * 16 + hex(q[i + 3])));
			i += 3;
		} else {
			fail("an unquoted byte that is not \\XHH", in, q);
		}
	}
	if (open)
		fail("an unterminated fish quote", in, q);
	if (strcmp(d.s, in) != 0)
		fail("the fish word does not decode to the input", in, q);
	if (!len)
		fail("an empty fish word", in, q);
	sb_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = xstrndup((const char *)data, size);
	static const enum shell shells[] = { SHELL_BASH, SHELL_ZSH, SHELL_FISH };
	for (int i = 0; i < 3; i++) {
		struct sbuf b = SBUF_INIT;
		quote_word(&b, shells[i], in);
		if (!b.s || strlen(b.s) != b.len)
			fail("a NUL byte in the quoted word", in, b.s ? b.s : "");
		if (shells[i] == SHELL_FISH)
			check_fish(in, b.s, b.len);
		else
			check_ansi_c(in, b.s, b.len);
		sb_free(&b);
	}
	char *p = printable(in);
	if (strlen(p) != strlen(in))
		fail("printable changed the length", in, p);
	const unsigned char *s = (const unsigned char *)p, *end = s + strlen(p);
	while (s < end) {
		unsigned long c;
		size_t n = utf8_decode(s, (size_t)(end - s), &c);
		if (n == 0)
			fail("printable left a byte that is not UTF-8", in, p);
		if (c < 0x20 || (c >= 0x7f && c < 0xa0))
			fail("printable left a control character", in, p);
		if ((c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
			fail("printable left a bidirectional control or a separator", in, p);
		s += n;
	}
	free(p);
	free(in);
	return 0;
}
