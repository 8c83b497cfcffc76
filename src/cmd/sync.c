/* sync.c: `venvhook sync`: install a requirements file with the env's own
 * pip, and with --exact uninstall what it does not list. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "cleanup.h"
#include "commands.h"
#include "dist.h"
#include "env_select.h"
#include "freeze.h"
#include "proc.h"
#include "quote.h"
#include "reqset.h"

/* Runs the env's python -m pip with args; returns pip's status or -1. */
static int run_pip(const struct env_info *e, struct strlist *args)
{
	char *py = env_python(e);
	char **argv = xmalloc((args->n + 4) * sizeof *argv);
	argv[0] = py;
	argv[1] = "-m";
	argv[2] = "pip";
	memcpy(argv + 3, args->v, args->n * sizeof *argv);
	argv[args->n + 3] = NULL;
	int r = proc_capture(argv, NULL, NULL, 0);
	cleanup_check();        /* a signal went to pip too: end as it did */
	if (r < 0)
		error("cannot run '%s': %s", py, strerror(errno));
	else if (r != 0)
		error("'%s -m pip %s' failed with status %d", py, args->v[0], r);
	free(argv);
	free(py);
	return r;
}

int cmd_sync(int argc, char **argv)
{
	const char *opt_env = NULL, *opt_file = NULL;
	int exact = 0;
	const struct option opts[] = {
		{ "--env", NULL, OPTION_VALUE, &opt_env },
		{ "--requirement", "-r", OPTION_VALUE, &opt_file },
		{ "--exact", NULL, OPTION_FLAG, &exact },
	};
	struct operands o;
	options_parse("sync", argc, argv, opts, 3, 0, &o);
	if (o.n)
		usage_error("sync", "unexpected argument '%s' (pip's own options go after '--')",
			    o.v[0]);
	cleanup_init();
	struct env_info e;
	env_select(config_get(), opt_env, &e);
	char *path = env_select_requirements(config_get(), opt_file, &e);
	struct reqset rs = { NULL, 0 };
	int status = EXIT_OK;
	/* The file as the env's own pip reads it. */
	struct freeze_list before;
	char err[MSG_MAX];
	if (freeze_collect(&e, 0, 0, &before, err, sizeof err) < 0) {
		error("%s", err);
		status = EXIT_USAGE;
		goto out;
	}
	int pip = reqset_pip(&before);
	freeze_list_free(&before);
	if (reqset_load(path, pip, &rs) < 0) {
		status = EXIT_USAGE;
		goto out;
	}
	/* --exact must know what every line installs before it removes anything. */
	for (size_t i = 0; exact && i < rs.n; i++) {
		const struct req_line *l = &rs.r[i].l;
		if (!l->name && l->kind != REQ_EDITABLE) {
			char *f = printable(rs.r[i].file), *text = printable(l->text);
			error("%s:%d: cannot tell which project '%s' installs, so --exact cannot "
			      "tell what to keep; name it (NAME @ URL or #egg=NAME)", f, l->lineno, text);
			free(f);
			free(text);
			status = EXIT_USAGE;
			goto out;
		}
	}
	env_require_trust(&e, "the env's pip");
	struct strlist args = { NULL, 0, 0 };
	strlist_add(&args, "install");
	strlist_add(&args, "-r");
	strlist_add(&args, path);
	for (int i = 0; i < o.nafter; i++)
		strlist_add(&args, o.after[i]);
	int r = run_pip(&e, &args);
	strlist_free(&args);
	if (r != 0) {
		status = EXIT_FAIL;
		goto out;
	}
	if (!exact)
		goto out;
	struct freeze_list l;
	if (freeze_collect(&e, 0, 0, &l, err, sizeof err) < 0) {
		error("%s", err);
		status = EXIT_FAIL;
		goto out;
	}
	strlist_add(&args, "uninstall");
	strlist_add(&args, "-y");
	for (size_t i = 0; i < l.n; i++)
		if (!reqset_tooling(l.f[i].key) && !reqset_lists(&rs, &l.f[i]))
			strlist_add(&args, l.f[i].name);
	if (args.n > 2 && run_pip(&e, &args) != 0)
		status = EXIT_FAIL;
	strlist_free(&args);
	freeze_list_free(&l);
out:
	reqset_free(&rs);
	free(path);
	env_info_free(&e);
	return status;
}
