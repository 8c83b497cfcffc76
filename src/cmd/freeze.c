/* freeze.c: `venvhook freeze`: what the env's `pip freeze` prints, from
 * freeze_collect (pkg/freeze.c), or from the env's own pip where venvhook
 * cannot reproduce pip's answer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "commands.h"
#include "env_select.h"
#include "freeze.h"
#include "proc.h"

/* Runs the env's own pip freeze and collects what it prints. */
static int pip_freeze(const struct env_info *e, int all, struct strlist *excl, int exclude_editable,
		      struct sbuf *out)
{
	env_require_trust(e, "the env's pip");
	struct strlist args = { NULL, 0, 0 };
	char *py = env_python(e), *pip = path_join(e->env, "bin/pip");
	struct stat st;
	strlist_add(&args, py);
	if (stat(pip, &st) == 0 && S_ISREG(st.st_mode)) {
		strlist_add(&args, pip);
	} else {
		strlist_add(&args, "-m");
		strlist_add(&args, "pip");
	}
	strlist_add(&args, "freeze");
	if (all)
		strlist_add(&args, "--all");
	if (exclude_editable)
		strlist_add(&args, "--exclude-editable");
	for (size_t i = 0; i < excl->n; i++) {
		strlist_add(&args, "--exclude");
		strlist_add(&args, excl->v[i]);
	}
	char **argv = xmalloc((args.n + 1) * sizeof *argv);
	memcpy(argv, args.v, args.n * sizeof *argv);
	argv[args.n] = NULL;
	int r = proc_capture(argv, NULL, out, 0);
	if (r != 0) {
		if (r < 0)
			error("cannot run '%s': %s", py, strerror(errno));
		else if (strcmp(argv[1], "-m") == 0)
			error("'%s -m pip freeze' exited with status %d", py, r);
		else
			error("'%s freeze' exited with status %d", pip, r);
	}
	free(argv);
	strlist_free(&args);
	free(py);
	free(pip);
	return r == 0 ? 0 : -1;
}

int cmd_freeze(int argc, char **argv)
{
	const char *opt_env = NULL, *output = NULL;
	int all = 0, exclude_editable = 0;
	struct strlist excl = { NULL, 0, 0 };
	const struct option opts[] = {
		{ "--env", NULL, OPTION_VALUE, &opt_env },
		{ "--output", "-o", OPTION_VALUE, &output },
		{ "--all", NULL, OPTION_FLAG, &all },
		{ "--exclude", NULL, OPTION_LIST, &excl },
		{ "--exclude-editable", NULL, OPTION_FLAG, &exclude_editable },
	};
	struct operands o;
	options_parse("freeze", argc, argv, opts, 5, OPTIONS_NO_OPERANDS, &o);
	struct env_info e;
	env_select(config_get(), opt_env, &e);
	struct freeze_list l;
	char err[MSG_MAX];
	if (freeze_collect(&e, exclude_editable, 1, &l, err, sizeof err) < 0) {
		error("%s", err);
		env_info_free(&e);
		strlist_free(&excl);
		return EXIT_FAIL;
	}
	struct sbuf out = SBUF_INIT;
	sb_add(&out, "", 0);
	int r = 0;
	if (l.unsupported) {
		error("note: %s; asking the env's pip", l.unsupported);
		r = pip_freeze(&e, all, &excl, exclude_editable, &out);
	} else {
		struct strlist skip = { NULL, 0, 0 };
		for (size_t i = 0; i < excl.n; i++) {
			char *c = canonical_name(excl.v[i]);
			strlist_add(&skip, c);
			free(c);
		}
		for (size_t i = 0; i < l.n; i++) {
			if (freeze_skips(&l, &e, l.f[i].canon, all) || strlist_has(&skip, l.f[i].canon))
				continue;
			sb_adds(&out, l.f[i].text);
			sb_addc(&out, '\n');
		}
		strlist_free(&skip);
	}
	int status = EXIT_OK;
	if (r < 0) {
		status = EXIT_FAIL;
	} else if (output) {
		if (file_write_atomic(output, out.s, out.len, 0666) < 0) {
			error("cannot write '%s': %s", output, strerror(errno));
			status = EXIT_FAIL;
		}
	} else {
		fwrite(out.s, 1, out.len, stdout);
		status = stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
	}
	sb_free(&out);
	freeze_list_free(&l);
	env_info_free(&e);
	strlist_free(&excl);
	return status;
}
