/* create.c: `venvhook create [DIR] [options] [-- PIP_ARGS]`.
 *
 * Options and config.ini in, the interpreter found and asked, the env made
 * by env_build (env_build.h: built beside DIR, moved into place when
 * complete, undone on failure or a signal), then trusted and recorded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "config.h"
#include "env_build.h"
#include "python_find.h"
#include "quote.h"
#include "registry.h"
#include "utf8.h"
#include "venv.h"

struct opts {
	const char *dir, *python, *prompt;
	int system_site, without_pip, with_pip, clear;
	struct strlist reqs;
	char **pip_args;
	int npip;
};

static void parse(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	const struct option opts[] = {
		{ "--python", "-p", OPTION_VALUE, &o->python },
		{ "--system-site-packages", NULL, OPTION_FLAG, &o->system_site },
		/* virtualenv's old name for the default */
		{ "--no-site-packages", NULL, OPTION_CLEAR, &o->system_site },
		{ "--prompt", NULL, OPTION_VALUE, &o->prompt },
		{ "--without-pip", NULL, OPTION_FLAG, &o->without_pip },
		{ "--with-pip", NULL, OPTION_FLAG, &o->with_pip },
		{ "--clear", NULL, OPTION_FLAG, &o->clear },
		{ "--requirement", "-r", OPTION_LIST, &o->reqs },
	};
	struct operands ops;
	options_parse("create", argc, argv, opts, sizeof opts / sizeof opts[0], 0, &ops);
	if (ops.n > 1)
		usage_error("create", "create takes one directory, not '%s' and '%s'", ops.v[0], ops.v[1]);
	o->dir = ops.n ? ops.v[0] : NULL;
	o->pip_args = ops.after;
	o->npip = ops.nafter;
	if (o->with_pip && o->without_pip)
		usage_error("create", "--with-pip and --without-pip contradict each other");
	if (o->reqs.n && o->without_pip)
		usage_error("create", "-r installs with pip: it cannot go with --without-pip");
	if (o->npip && !o->reqs.n)
		usage_error("create", "what follows '--' is for 'pip install -r FILE': give -r FILE");
}

/* The [create] settings of config.ini, for what the command line left
 * open: prompt, seed (none: no pip unless -r or --with-pip) and python, which
 * a .python-version file of the project overrides. */
static void apply_config(struct opts *o, const char *parent)
{
	const struct config *c = config_get();
	if (!o->prompt)
		o->prompt = c->create_prompt;
	if (c->create_seed == CONFIG_SEED_NONE && !o->reqs.n && !o->with_pip)
		o->without_pip = 1;
	if (!o->python && c->create_python) {
		char *name;
		char *file = python_version_file(parent, &name);
		if (!file)
			o->python = c->create_python;
		free(file);
		free(name);
	}
	if (o->prompt) {
		if (has_control(o->prompt))
			usage_error("create", "the prompt must not hold control characters");
		if (!utf8_valid(o->prompt, strlen(o->prompt)))
			usage_error("create", "the prompt must be UTF-8 text");
	}
}

/* What create says of an env env_build made: it is trusted, recorded and
 * reported.  Returns EXIT_OK, or EXIT_FAIL when stdout fails. */
/* After env_build made env from py: trusts and records it and says so. */
static int created(const char *env, const struct python_info *py)
{
	char err[MSG_MAX];
	if (registry_made(env, err, sizeof err) != 0)
		error("%s", err);
	char *shown = printable(env);
	/* The interpreter the env is made from: when python3 on PATH is an
	 * active env's, the base interpreter behind it. */
	char *from = printable(py->base_executable ? py->base_executable : py->path);
	printf("created '%s' with Python %s (%s)\n", shown, py->version, from);
	free(from);
	free(shown);
	return stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
}

/* The env is made writable by the user alone (env_build.h), but the prompt
 * hook also refuses one in a directory that others can change (a shared
 * project directory): it is said now, not at the first cd. */
static void unsafe_where(const char *env)
{
	struct stat st;
	char *real, why[MSG_MAX];
	enum venv_state s = venv_check(env, &st, &real, why, sizeof why);
	free(real);
	if (s == VENV_FOREIGN || s == VENV_WRITABLE)
		warning("the prompt hook will not activate '%s': %s", env, why);   /* made printable */
}

int cmd_create(int argc, char **argv)
{
	struct opts o;
	parse(argc, argv, &o);
	char err[MSG_MAX];
	char *cwd = current_dir();
	char *env = path_normalize(cwd, o.dir ? o.dir : ".venv");
	int status = EXIT_FAIL;
	struct python_info py = { 0 };
	char *parent = path_dirname(env), *py_path = NULL;
	apply_config(&o, parent);

	/* What is wrong with the path is said before what is wrong with the
	 * interpreter; env_build checks it again. */
	if (env_build_check(env, o.clear, NULL, err, sizeof err) < 0) {
		error("%s", err);
		goto out;
	}
	py_path = python_find(o.python, parent, err, sizeof err);
	if (!py_path || python_probe(py_path, &py, err, sizeof err) < 0) {
		error("%s", err);
		goto out;
	}
	struct env_spec spec = { .env = env, .py = &py, .prompt = o.prompt, .cwd = cwd,
				 .system_site = o.system_site, .with_pip = !o.without_pip,
				 .clear = o.clear, .reqs = (const char **)o.reqs.v, .nreqs = (int)o.reqs.n,
				 .pip_args = o.pip_args, .npip = o.npip };
	if (env_build(&spec, err, sizeof err) < 0) {
		error("%s", err);
		goto out;
	}
	status = created(env, &py);
	unsafe_where(env);
out:
	python_info_free(&py);
	free(py_path);
	free(parent);
	free(env);
	free(cwd);
	strlist_free(&o.reqs);
	return status;
}
