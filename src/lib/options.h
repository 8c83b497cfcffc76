/* options.h: every command's options, parsed from one table each (git's
 * parse-options in spirit), with one set of messages for one mistake.
 *
 * A table lists a command's options; options_parse walks the command's
 * argv, fills in the values the table points at, and hands back the
 * operands (the words that are not options) and what follows "--".  Long
 * options take their value as "--env DIR" or "--env=DIR", short ones as
 * "-r FILE".  A mistake (an unknown option, a value missing or given to a
 * flag) is one line naming the option and 'venvhook help CMD', exit 2. */
#ifndef VENVHOOK_OPTIONS_H
#define VENVHOOK_OPTIONS_H

#include "util.h"

enum option_kind {
	OPTION_FLAG,    /* sets *(int *)value to 1 */
	OPTION_CLEAR,   /* sets *(int *)value to 0: a flag's "no" form; the last one given wins */
	OPTION_VALUE,   /* sets *(const char **)value; the last one given wins */
	OPTION_LIST,    /* appends each value to *(struct strlist *)value */
};

struct option {
	const char *name;       /* "--env" */
	const char *alias;      /* "-e", or NULL */
	enum option_kind kind;
	void *value;
};

struct operands {
	char **v;               /* the operands, in order (gathered at the front of argv) */
	int n;
	char **after;           /* the words after "--" */
	int nafter;
	int dashdash;           /* "--" was given */
};

enum {
	/* The first operand ends the options: it and every word after it go
	 * to after (exec's COMMAND [ARG...]). */
	OPTIONS_STOP_AT_OPERAND = 1,
	/* The command takes no operands: one, or "--", is a mistake
	 * ("unexpected argument 'WORD'"), once the options are read. */
	OPTIONS_NO_OPERANDS = 2,
};

/* Parses argv[1..argc-1] of command cmd against the n options of opts, as
 * flags say.  Never returns on a mistake. */
void options_parse(const char *cmd, int argc, char **argv, const struct option *opts, size_t n,
		   int flags, struct operands *out);

/* Reports bad usage of a command in one line, with where its help is, and
 * exits 2. */
_Noreturn void usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
