/* options_test.c: the option parser, on the forms it accepts (the mistakes
 * exit, and are tested through the commands in the goldens). */
#include <string.h>

#include "options.h"
#include "unit.h"

struct vals {
	int yes, json, site;
	const char *env, *prompt;
	struct strlist req;
};

static void parse(char **argv, int flags, struct vals *v, struct operands *o)
{
	memset(v, 0, sizeof *v);
	const struct option opts[] = {
		{ "--yes", "-y", OPTION_FLAG, &v->yes },
		{ "--json", NULL, OPTION_FLAG, &v->json },
		{ "--env", NULL, OPTION_VALUE, &v->env },
		{ "--prompt", NULL, OPTION_VALUE, &v->prompt },
		{ "--requirement", "-r", OPTION_LIST, &v->req },
		{ "--site", NULL, OPTION_FLAG, &v->site },
		{ "--no-site", NULL, OPTION_CLEAR, &v->site },
	};
	int argc = 0;
	while (argv[argc])
		argc++;
	options_parse("test", argc, argv, opts, sizeof opts / sizeof opts[0], flags, o);
}

int main(void)
{
	struct vals v;
	struct operands o;

	char *a1[] = { "cmd", NULL };
	parse(a1, 0, &v, &o);
	CHECK(o.n == 0 && o.nafter == 0 && !o.dashdash && !v.yes && !v.env && v.req.n == 0);

	/* Flags, by name and alias; values separate and after '='; a list
	 * keeps every value in order; operands between options keep theirs. */
	char *a2[] = { "cmd", "one", "-y", "--env", "E", "two", "-r", "a.txt",
		       "--requirement=b.txt", "--prompt=p q", "three", "--json", NULL };
	parse(a2, 0, &v, &o);
	CHECK(v.yes && v.json);
	CHECK_STR(v.env, "E");
	CHECK_STR(v.prompt, "p q");
	CHECK(v.req.n == 2 && strcmp(v.req.v[0], "a.txt") == 0 && strcmp(v.req.v[1], "b.txt") == 0);
	CHECK(o.n == 3);
	CHECK_STR(o.v[0], "one");
	CHECK_STR(o.v[1], "two");
	CHECK_STR(o.v[2], "three");
	strlist_free(&v.req);

	/* A flag and its "no" form: the last one given wins. */
	char *a9[] = { "cmd", "--site", "--no-site", NULL };
	parse(a9, 0, &v, &o);
	CHECK(v.site == 0);
	char *a10[] = { "cmd", "--no-site", "--site", NULL };
	parse(a10, 0, &v, &o);
	CHECK(v.site == 1);

	/* A short option's value may follow it in the same word. */
	char *a8[] = { "cmd", "-rreq.txt", "-r", "x", NULL };
	parse(a8, 0, &v, &o);
	CHECK(v.req.n == 2 && strcmp(v.req.v[0], "req.txt") == 0 && strcmp(v.req.v[1], "x") == 0);
	strlist_free(&v.req);

	/* The last value wins; a value may start with '-' or hold '='. */
	char *a3[] = { "cmd", "--env", "first", "--env", "-x=y", NULL };
	parse(a3, 0, &v, &o);
	CHECK_STR(v.env, "-x=y");
	CHECK(o.n == 0);

	/* "--" ends the options: what follows is passed on, options or not. */
	char *a4[] = { "cmd", "dir", "--", "--yes", "-r", "x", NULL };
	parse(a4, 0, &v, &o);
	CHECK(!v.yes && v.req.n == 0 && o.dashdash);
	CHECK(o.n == 1 && strcmp(o.v[0], "dir") == 0);
	CHECK(o.nafter == 3 && strcmp(o.after[0], "--yes") == 0 && strcmp(o.after[2], "x") == 0);

	/* A lone "-" is an operand (standard input, say). */
	char *a5[] = { "cmd", "-", "-y", NULL };
	parse(a5, 0, &v, &o);
	CHECK(v.yes && o.n == 1 && strcmp(o.v[0], "-") == 0);

	/* With OPTIONS_STOP_AT_OPERAND the first operand and all after it are
	 * another program's command line. */
	char *a6[] = { "cmd", "--env", "E", "pytest", "-y", "--env", "x", NULL };
	parse(a6, OPTIONS_STOP_AT_OPERAND, &v, &o);
	CHECK(!v.yes && strcmp(v.env, "E") == 0 && o.n == 0 && !o.dashdash);
	CHECK(o.nafter == 4 && strcmp(o.after[0], "pytest") == 0 && strcmp(o.after[1], "-y") == 0);
	char *a7[] = { "cmd", "-y", "--", "--weird", NULL };
	parse(a7, OPTIONS_STOP_AT_OPERAND, &v, &o);
	CHECK(v.yes && o.dashdash && o.nafter == 1 && strcmp(o.after[0], "--weird") == 0);
	return unit_done();
}
