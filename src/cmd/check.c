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

/* Parses [--env DIR] [-r FILE] and, for sync, --exact and "-- ARGS". */
int reqcmd_options(const char *cmd, int argc, char **argv, const char **env, const char **file,
		   int *exact, int *rest);

int reqcmd_options(const char *cmd, int argc, char **argv, const char **env, const char **file,
		   int *exact, int *rest)
{
	*env = *file = NULL;
	if (rest)
		*rest = argc;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		if (exact && strcmp(a, "--exact") == 0) {
			*exact = 1;
			continue;
		}
		if (rest && strcmp(a, "--") == 0) {
			*rest = i + 1;
			break;
		}
		if (strcmp(a, "--env") == 0 || strcmp(a, "-r") == 0 || strcmp(a, "--requirement") == 0) {
			if (i + 1 >= argc)
				usage_error(cmd, "%s needs a value", a);
			val = argv[++i];
		} else if (strncmp(a, "--env=", 6) == 0 || strncmp(a, "--requirement=", 14) == 0) {
			val = strchr(a, '=') + 1;
		} else if (strncmp(a, "-r", 2) == 0 && a[2]) {
			val = a + 2;
		} else {
			usage_error(cmd, "unknown argument '%s'", a);
		}
		if (!*val)
			usage_error(cmd, "%.*s needs a value", (int)strcspn(a, "="), a);
		if (strncmp(a, "--env", 5) == 0)
			*env = val;
		else
			*file = val;
	}
	return 0;
}

int cmd_check(int argc, char **argv)
{
	const char *opt_env, *opt_file;
	reqcmd_options("check", argc, argv, &opt_env, &opt_file, NULL, NULL);
	struct env_info e;
	env_select(config_get(), opt_env, &e);
	char *path = env_select_requirements(config_get(), opt_file, &e);
	struct freeze_list l;
	char err[2048];
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
	char buf[2048];
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
