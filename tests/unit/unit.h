/* unit.h: a tiny TAP test harness for the C unit tests. */
#ifndef VENVHOOK_UNIT_H
#define VENVHOOK_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_n, unit_failed;

#define CHECK(cond) unit_check(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_STR(got, want) unit_check_str((got), (want), #got, __FILE__, __LINE__)
/* The same for a malloc'd string, freed after: CHECK_OWNED_STR(f(x), "want"). */
#define CHECK_OWNED_STR(got, want) unit_check_owned_str((got), (want), #got, __FILE__, __LINE__)

static inline int unit_check(int ok, const char *what, const char *file, int line)
{
	unit_n++;
	printf("%sok %d - %s\n", ok ? "" : "not ", unit_n, what);
	if (!ok) {
		printf("#   at %s:%d\n", file, line);
		unit_failed++;
	}
	return ok;
}

static inline int unit_check_str(const char *got, const char *want, const char *what,
				 const char *file, int line)
{
	int ok = (got == NULL && want == NULL) ||
		 (got != NULL && want != NULL && strcmp(got, want) == 0);
	unit_check(ok, what, file, line);
	if (!ok)
		printf("#   got  '%s'\n#   want '%s'\n", got ? got : "(null)", want ? want : "(null)");
	return ok;
}

static inline int unit_check_owned_str(char *got, const char *want, const char *what,
				       const char *file, int line)
{
	int ok = unit_check_str(got, want, what, file, line);
	free(got);
	return ok;
}

/* s as a C string literal, "a\n\"b\"", malloc'd: to name a table's case. */
static inline char *unit_literal(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	char *r = malloc(4 * strlen(s) + 3), *o = r;
	if (!r)
		abort();
	*o++ = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" :
				  c == '"' ? "\\\"" : c == '\\' ? "\\\\" : NULL;
		if (esc) {
			*o++ = esc[0], *o++ = esc[1];
		} else if (c < 0x20 || c >= 0x7f) {
			*o++ = '\\', *o++ = 'x', *o++ = hex[c >> 4], *o++ = hex[c & 15];
		} else {
			*o++ = (char)c;
		}
	}
	*o++ = '"';
	*o = '\0';
	return r;
}

/* A case of a function from two strings to a malloc'd string: fn(a, b) is
 * want.  A table of them is checked with CHECK_STR2(table). */
struct unit_str2 {
	const char *name;
	char *(*fn)(const char *, const char *);
	const char *a, *b, *want;
};
#define STR2(fn, a, b, want) { #fn, fn, a, b, want }
#define CHECK_STR2(rows) unit_check_str2(rows, sizeof rows / sizeof rows[0], __FILE__, __LINE__)

static inline void unit_check_str2(const struct unit_str2 *rows, size_t n, const char *file,
				   int line)
{
	for (const struct unit_str2 *r = rows; r < rows + n; r++) {
		char *a = unit_literal(r->a), *b = unit_literal(r->b);
		char *what = malloc(strlen(r->name) + strlen(a) + strlen(b) + 5);
		if (!what)
			abort();
		sprintf(what, "%s(%s, %s)", r->name, a, b);
		unit_check_owned_str(r->fn(r->a, r->b), r->want, what, file, line);
		free(what), free(b), free(a);
	}
}

static inline int unit_done(void)
{
	printf("1..%d\n", unit_n);
	return unit_failed != 0;
}

#endif
