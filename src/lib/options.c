/* options.c: one table-driven parser for every command's options (see
 * options.h). */
#include "options.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "quote.h"
#include "suggest.h"

void usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	struct sbuf b = SBUF_INIT;
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	error("%s; see 'venvhook help %s'", b.s, command);
	sb_free(&b);
	exit(EXIT_USAGE);
}

/* The option of opts that word (up to len bytes: a long option may carry
 * "=VALUE") names, or NULL. */
static const struct option *lookup(const struct option *opts, size_t n, const char *word,
				   size_t len)
{
	for (size_t i = 0; i < n; i++) {
		const char *names[2] = { opts[i].name, opts[i].alias };
		for (size_t k = 0; k < 2; k++)
			if (names[k] && strlen(names[k]) == len && strncmp(names[k], word, len) == 0)
				return &opts[i];
	}
	return NULL;
}

/* Exits 2: word is no option of cmd, with the nearest if it looks like a slip. */
static _Noreturn void unknown(const char *cmd, const struct option *opts, size_t n,
			      const char *word, size_t len, int flags)
{
	char *typed = xstrndup(word, len);
	char *p = printable(typed), shown[REASON_MAX];
	snprintf(shown, sizeof shown, "%s", p);
	free(p);
	const char **names = xmalloc((2 * n + 1) * sizeof *names);
	size_t *best = xmalloc((2 * n + 1) * sizeof *best), m = 0;
	for (size_t i = 0; i < n; i++) {
		names[m++] = opts[i].name;
		if (opts[i].alias)
			names[m++] = opts[i].alias;
	}
	names[m++] = "--help";
	/* The nearest is a name of the table: what was allocated here goes
	 * before usage_error exits (LeakSanitizer looks at exit). */
	const char *near = suggest_nearest(typed, names, m, best) ? names[best[0]] : NULL;
	free(names);
	free(best);
	free(typed);
	if (near)
		usage_error(cmd, "unknown option '%s' (did you mean '%s'?)", shown, near);
	if (flags & OPTIONS_STOP_AT_OPERAND)
		usage_error(cmd, "unknown option '%s' (a command that starts with '-' goes after '--')",
			    shown);
	usage_error(cmd, "unknown option '%s'", shown);
}

void options_parse(const char *cmd, int argc, char **argv, const struct option *opts, size_t n,
		   int flags, struct operands *out)
{
	memset(out, 0, sizeof *out);
	/* The operands are gathered at the front of argv, in their order:
	 * none is ever moved past where it was read. */
	out->v = argv + 1;
	int i = 1;
	for (; i < argc; i++) {
		char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			out->dashdash = 1;
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {      /* an operand ("-" too) */
			if (flags & OPTIONS_STOP_AT_OPERAND)
				break;
			out->v[out->n++] = a;
			continue;
		}
		/* "--name=value" for a long option; "-rFILE" for a short one
		 * that takes a value. */
		const char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
		size_t len = eq ? (size_t)(eq - a) : strlen(a);
		const struct option *o = lookup(opts, n, a, len);
		if (!o && a[1] != '-' && len > 2) {
			o = lookup(opts, n, a, 2);
			if (o && (o->kind == OPTION_FLAG || o->kind == OPTION_CLEAR))
				o = NULL;
			if (o)
				eq = a + 1;     /* the value starts after it, as after a '=' */
		}
		if (!o)
			unknown(cmd, opts, n, a, len, flags);
		const char *name = o->name;     /* ours: printable */
		if (o->kind == OPTION_FLAG || o->kind == OPTION_CLEAR) {
			if (eq)
				usage_error(cmd, "option '%s' takes no value", name);
			*(int *)o->value = o->kind == OPTION_FLAG;
			continue;
		}
		const char *value = eq ? eq + 1 : NULL;
		if (!eq) {
			if (i + 1 >= argc)
				usage_error(cmd, "option '%s' needs a value", name);
			value = argv[++i];
		}
		if (!*value)
			usage_error(cmd, "option '%s' needs a value", name);
		if (o->kind == OPTION_VALUE)
			*(const char **)o->value = value;
		else
			strlist_add(o->value, value);
	}
	out->after = argv + i;
	out->nafter = argc - i;
	if ((flags & OPTIONS_NO_OPERANDS) && (out->n || out->dashdash))
		usage_error(cmd, "unexpected argument '%s'", out->n ? out->v[0] : "--");
}
