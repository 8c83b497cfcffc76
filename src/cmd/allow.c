/* allow.c: `venvhook allow [PATH]` and `venvhook deny [PATH]`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "commands.h"
#include "quote.h"
#include "registry.h"
#include "verdict.h"

static int load_target(const char *cmd, int argc, char **argv, struct verdict *v)
{
	char err[MSG_MAX];
	struct operands o;
	options_parse(cmd, argc, argv, NULL, 0, 0, &o);
	if (o.n + o.nafter > 1)
		usage_error(cmd, "%s takes at most one path", cmd);
	const char *path = o.n ? o.v[0] : o.nafter ? o.after[0] : NULL;
	if (path)
		return verdict_for_arg(config_get(), path, v, err, sizeof err) < 0 ? (error("%s", err), -1) : 0;
	char *cwd = current_dir();
	verdict_for(config_get(), cwd, v, NULL);
	if (v->proj.kind == MARKER_NONE) {
		char *shown = printable(cwd);
		error("no env found from '%s' up to '/'", shown);
		free(shown);
		free(cwd);
		return -1;
	}
	free(cwd);
	return 0;
}

static void say(const char *verb, const char *path)
{
	char *shown = printable(path);
	printf("%s '%s'\n", verb, shown);
	free(shown);
}

/* Trusts the env v names: EXIT_OK or EXIT_FAIL. */
static int allow(struct verdict *v)
{
	char err[MSG_MAX];
	switch (v->kind) {
	case VERDICT_ERROR: case VERDICT_BROKEN: case VERDICT_UNSAFE: {
		char *shown = printable(v->why);
		error("cannot allow: %s", shown);
		free(shown);
		return EXIT_FAIL;
	}
	default:
		break;
	}
	if (!v->real || v->env_broken) {
		char *shown = printable(v->proj.env ? v->proj.env : v->proj.marker);
		error("cannot allow '%s': it is missing, broken or unsafe (see 'venvhook status')", shown);
		free(shown);
		return EXIT_FAIL;
	}
	/* Writes a new token into the env (trust.h). */
	if (trust_set(v->real, &v->id, 1, err, sizeof err) < 0) {
		char *shown = printable(err);
		error("%s", shown);
		free(shown);
		return EXIT_FAIL;
	}
	say("allowed", v->real);
	/* An env directory given as such has no known project: the registry
	 * guesses it from the env's name. */
	if (registry_record(v->real, v->proj.kind == MARKER_VENV_DIR ? NULL : v->proj.dir,
			    REGISTRY_ALLOWED, err, sizeof err) < 0) {
		char *shown = printable(err);
		error("%s", shown);
		free(shown);
	}
	if (v->kind == VERDICT_DISABLED) {
		char *shown = printable(v->proj.marker);
		printf("note: '%s' says activate = false, so it is not activated on entry\n", shown);
		free(shown);
	}
	return EXIT_OK;
}

/* Distrusts the env v names, or the one it would name once made. */
static int deny(struct verdict *v)
{
	char err[MSG_MAX];
	int status = EXIT_FAIL;
	/* An env that is not there yet is denied at the real path it would have. */
	char *parent = v->real || !v->proj.env ? NULL : path_dirname(v->proj.env);
	char *real_parent = parent ? realpath(parent, NULL) : NULL;
	char *later = real_parent ? path_join(real_parent, path_basename(v->proj.env)) : NULL;
	const char *path = v->real ? v->real : later ? later : v->proj.env;
	if (!path) {
		char *shown = printable(v->why);
		error("cannot deny: %s", shown);
		free(shown);
	} else if (trust_set(path, &v->id, 0, err, sizeof err) < 0) {
		error("%s", err);
	} else {
		say("denied", path);
		status = EXIT_OK;
	}
	free(later);
	free(real_parent);
	free(parent);
	return status;
}

/* allow and deny: the target, what act does with it, stdout flushed. */
static int run(const char *cmd, int argc, char **argv, int (*act)(struct verdict *v))
{
	struct verdict v;
	if (load_target(cmd, argc, argv, &v) < 0)
		return EXIT_FAIL;
	int status = act(&v);
	verdict_free(&v);
	if (stdout_finish() < 0)
		status = EXIT_FAIL;
	return status;
}

int cmd_allow(int argc, char **argv)
{
	return run("allow", argc, argv, allow);
}

int cmd_deny(int argc, char **argv)
{
	return run("deny", argc, argv, deny);
}
