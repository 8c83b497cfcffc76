/* check.c: `venvhook check`: does the env match a requirements file? */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "commands.h"
#include "dist.h"
#include "env_select.h"
#include "freeze.h"
#include "quote.h"
#include "reqset.h"
#include "verdict.h"

int cmd_check(int argc, char **argv)
{
	const char *opt_env = NULL, *opt_file = NULL;
	const struct option opts[] = {
		{ "--env", NULL, OPTION_VALUE, &opt_env },
		{ "--requirement", "-r", OPTION_VALUE, &opt_file },
	};
	struct operands o;
	options_parse("check", argc, argv, opts, 2, OPTIONS_NO_OPERANDS, &o);
	struct env_info e;
	env_select(config_get(), opt_env, &e);
	char *path = env_select_requirements(config_get(), opt_file, &e);
	struct freeze_list l;
	char err[MSG_MAX];
	if (freeze_collect(&e, 0, 0, &l, err, sizeof err) < 0) {
		error("%s", err);
		free(path);
		env_info_free(&e);
		return EXIT_USAGE;
	}
	/* The file as the env's own pip reads it. */
	int pip = reqset_pip(&l);
	struct reqset rs;
	if (reqset_load(path, pip, &rs) < 0) {
		freeze_list_free(&l);
		reqset_free(&rs);
		free(path);
		env_info_free(&e);
		return EXIT_USAGE;
	}
	if (l.unsupported && !strstr(l.unsupported, "pkg_resources") && !strstr(l.unsupported, "older"))
		error("note: %s; venvhook does not see what it holds", l.unsupported);
	struct marker_env m;
	char buf[MARKER_ENV_MAX];
	reqset_marker_env(&e, pip, &m, buf, sizeof buf);
	struct reqset_diff d;
	int differ = reqset_compare(&rs, &l, &m, stdout, &d);
	/* Silence says it all to a script; a person is told. */
	if (!differ && isatty(STDOUT_FILENO)) {
		char *env = printable(e.env), *file = printable(path);
		printf("nothing to do: '%s' matches '%s'\n", env, file);
		free(env);
		free(file);
	}
	freeze_list_free(&l);
	reqset_free(&rs);
	free(path);
	env_info_free(&e);
	if (stdout_finish() < 0)
		return EXIT_USAGE;
	return d.refused ? EXIT_USAGE : differ ? EXIT_FAIL : EXIT_OK;
}
