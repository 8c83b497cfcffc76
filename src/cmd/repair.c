/* repair.c: `venvhook repair [ENV] [-p PYTHON] [--rebuild] [-- PIP_ARGS...]`.
 *
 * Two everyday breakages:
 *  - the base interpreter was removed or is now another version (a pyenv
 *    uninstall, an OS upgrade): the env is rebuilt in place with the same
 *    packages.  What is installed is read in C (freeze: no interpreter
 *    needed), and env_build (as create --clear -r) builds the new env beside
 *    the old one and swaps it in only once pip has installed everything;
 *    until then, and if anything fails, the old env stays as it was.
 *  - the env moved with its project: its scripts still name the old path
 *    (#!/old/.venv/bin/python, VIRTUAL_ENV=/old/.venv).  Those are rewritten,
 *    each file atomically, when the new path needs no quoting anywhere. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "env_build.h"
#include "env_select.h"
#include "env_moved.h"
#include "env_state.h"
#include "file_at.h"
#include "freeze.h"
#include "python_find.h"
#include "quote.h"
#include "registry.h"
#include "relocate.h"
#include "utf8.h"
#include "venv.h"
#include "verdict.h"

/* Bytes that no shell, shebang or csh needs quoted or escaped. */
static int path_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("/._+@%,=~-", c) != NULL;
}

static int safe_path(const char *p)
{
	for (; *p; p++)
		if (!path_char((unsigned char)*p))
			return 0;
	return 1;
}

/* Rewrites old to env in the env's scripts and in pyvenv.cfg's command.
 * Returns the number of files changed, or -1 with err. */
static int relocate(const char *env, const char *old, char *err, size_t errlen)
{
	if (!safe_path(env)) {
		snprintf(err, errlen, "cannot rewrite the scripts of '%s' for its new path: the path holds "
			 "characters a script would have to quote; 'venvhook repair --rebuild' makes them anew",
			 env);
		return -1;
	}
	int changed = scripts_relocate(env, old, env, err, errlen);
	if (changed < 0)
		return -1;
	struct sbuf text = SBUF_INIT;
	/* pyvenv.cfg: the command that made it names it too. */
	char *cfg = path_join(env, "pyvenv.cfg");
	struct stat st;
	if (stat(cfg, &st) < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", cfg, strerror(errno));
		changed = -1;
	} else if (file_read(cfg, PYVENV_CFG_MAX, &text, err, errlen) < 0) {
		changed = -1;
	} else {
		struct sbuf out = SBUF_INIT;
		sb_add(&out, "", 0);
		size_t n = 0;
		for (char *l = text.s; *l;) {
			char *nl = strchr(l, '\n');
			size_t len = nl ? (size_t)(nl - l) + 1 : strlen(l);
			struct sbuf line = SBUF_INIT;
			sb_add(&line, l, len);
			if (strncmp(l, "command", 7) == 0 && strchr(" \t=", l[7]))
				n += path_replace(&line, old, env);
			sb_add(&out, line.s, line.len);
			sb_free(&line);
			l += len;
		}
		if (n && file_write_atomic(cfg, out.s, out.len, st.st_mode & 07777) < 0) {
			snprintf(err, errlen, "cannot rewrite '%s': %s", cfg, strerror(errno));
			changed = -1;
		} else if (n) {
			changed++;
		}
		sb_free(&out);
	}
	free(cfg);
	sb_free(&text);
	return changed;
}

/* Whether p is a prompt create would take. */
static int prompt_ok(const char *p)
{
	return p && *p && utf8_valid(p, strlen(p)) && !has_control(p);
}

/* The interpreter to rebuild with: -p, else [create] python, else the
 * env's own X.Y, else the default. */
static char *choose_python(const char *opt, const struct env_info *e, char *err, size_t errlen)
{
	const char *spec = opt ? opt : config_get()->create_python;
	if (spec)
		return python_find(spec, e->project, err, errlen);
	char *py = python_find(e->pyver, e->project, err, errlen);
	if (py)
		return py;
	char *why = xstrdup(err);
	py = python_find(NULL, e->project, err, errlen);
	if (py) {
		char *shown = printable(e->env);
		char *w = printable(why);
		error("note: no Python %s to rebuild '%s' with (%s); using '%s'", e->pyver, shown, w, py);
		free(w);
		free(shown);
	}
	free(why);
	return py;
}

static int rebuild(struct env_info *e, const char *opt_python, const char *old,
		   char **pip_args, int npip)
{
	char err[MSG_MAX];
	struct freeze_list l;
	if (freeze_collect(e, 0, 1, &l, err, sizeof err) < 0) {
		error("%s", err);
		return EXIT_FAIL;
	}
	if (l.unsupported) {
		char *shown = printable(e->env);
		error("cannot tell exactly what '%s' holds (%s); nothing changed", shown, l.unsupported);
		free(shown);
		freeze_list_free(&l);
		return EXIT_FAIL;
	}
	struct sbuf req = SBUF_INIT;
	sb_add(&req, "", 0);
	size_t count = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (freeze_skips(&l, e, l.f[i].canon, 0))
			continue;
		sb_adds(&req, l.f[i].text);
		sb_addc(&req, '\n');
		count++;
	}
	int had_pip = l.pip_major >= 0;
	freeze_list_free(&l);
	/* Moved with its project: editable installs of the project moved too. */
	if (old && strcmp(path_basename(old), path_basename(e->env)) == 0) {
		char *op = path_dirname(old), *np = path_dirname(e->env);
		if (strcmp(op, "/") != 0)
			path_replace(&req, op, np);
		free(op);
		free(np);
	}

	int status = EXIT_FAIL;
	char *reqfile = NULL, *cwd = current_dir();
	struct python_info info = { 0 };
	char *py = choose_python(opt_python, e, err, sizeof err);
	if (!py) {
		error("%s", err);
		goto out;
	}
	if (count) {
		const char *tmp = env_get("TMPDIR");
		reqfile = xasprintf("%s/venvhook-repair-XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
		int fd = mkstemp(reqfile), e_write = 0;
		if (fd < 0) {
			e_write = errno;
		} else {
			if (write_all(fd, req.s, req.len) < 0)
				e_write = errno;
			if (close(fd) < 0 && !e_write)
				e_write = errno;
			if (e_write)
				unlink(reqfile);
		}
		if (e_write) {
			error("cannot write the requirements to '%s': %s", reqfile, strerror(e_write));
			goto out;
		}
	}
	/* As create --clear would: built beside, swapped in when complete;
	 * the prompt the env had, else [create] prompt. */
	const char *reqs[] = { reqfile };
	const char *prompt = prompt_ok(e->cfg.prompt) ? e->cfg.prompt
		: prompt_ok(config_get()->create_prompt) ? config_get()->create_prompt : NULL;
	struct env_spec spec = { .env = e->env, .py = &info, .prompt = prompt, .cwd = cwd,
				 .system_site = e->cfg.system_site, .with_pip = reqfile || had_pip,
				 .clear = 1, .reqs = reqs, .nreqs = reqfile ? 1 : 0,
				 .pip_args = pip_args, .npip = reqfile ? npip : 0 };
	if (python_probe(py, &info, err, sizeof err) < 0 || env_build(&spec, err, sizeof err) < 0) {
		error("%s", err);
		char *shown = printable(e->env);
		error("'%s' is left as it was", shown);
		free(shown);
	} else {
		if (registry_made(e->env, err, sizeof err) != 0)
			error("%s", err);
		char *shown = printable(e->env);
		char *from = printable(info.base_executable ? info.base_executable : info.path);
		printf("repaired '%s' with Python %s (%s): %zu package%s reinstalled\n", shown,
		       info.version, from, count, count == 1 ? "" : "s");
		free(from);
		free(shown);
		status = stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
	}
	if (reqfile)
		unlink(reqfile);
out:
	python_info_free(&info);
	free(reqfile);
	free(cwd);
	free(py);
	sb_free(&req);
	return status;
}

int cmd_repair(int argc, char **argv)
{
	const char *arg = NULL, *opt_python = NULL;
	int force = 0, npip = 0;
	char **pip_args = NULL;
	const struct option opts[] = {
		{ "--python", "-p", OPTION_VALUE, &opt_python },
		{ "--rebuild", NULL, OPTION_FLAG, &force },
	};
	struct operands ops;
	options_parse("repair", argc, argv, opts, 2, 0, &ops);
	if (ops.n > 1)
		usage_error("repair", "repair takes one env, not '%s' and '%s'", ops.v[0], ops.v[1]);
	arg = ops.n ? ops.v[0] : NULL;
	pip_args = ops.after;
	npip = ops.nafter;

	/* Which env, and may we rebuild it?  One named here is the user's
	 * choice; a project's must be trusted, as for activating it. */
	char *cwd = current_dir();
	char *env = NULL;
	int trusted = 1;
	char why[MSG_MAX] = "";
	struct verdict v;
	memset(&v, 0, sizeof v);
	if (arg) {
		env = path_normalize(cwd, arg);
	} else {
		verdict_for(config_get(), cwd, &v, NULL);
		if (!v.proj.env) {
			free(cwd);
			die(EXIT_USAGE, "%s", v.proj.error ? v.proj.error
			    : "no env: name one, or run repair in a project");
		}
		env = xstrdup(v.proj.env);
		trusted = v.trust == TRUST_ALLOWED || v.trust == TRUST_CONFIG ||
			  (v.real && config_trusted(config_get(), v.real));
		if (!trusted)
			snprintf(why, sizeof why, "'%s' is not trusted; 'venvhook allow' trusts it, or name it: "
				 "venvhook repair PATH", env);
	}
	struct stat sb;
	char vwhy[REASON_MAX];
	char *vreal;
	enum venv_state vs = venv_check(env, &sb, &vreal, vwhy, sizeof vwhy);
	free(vreal);
	if (vs == VENV_FOREIGN || vs == VENV_WRITABLE || vs == VENV_BAD_PATH) {
		trusted = 0;
		snprintf(why, sizeof why, "refusing to repair '%s': %s", env, vwhy);
	}
	verdict_free(&v);
	free(cwd);
	if (!trusted) {
		error("%s", why);
		free(env);
		return EXIT_FAIL;
	}
	struct env_info e;
	env_select(config_get(), env, &e);        /* exits with a message if it is no env */
	free(env);

	struct env_status st;
	env_state_check(e.env, NULL, &st);
	char *old = env_scripts_made_for(e.env);
	if (old && env_same_dir(old, e.env)) {
		free(old);
		old = NULL;
	}
	int broken = st.state == ENV_PYTHON_GONE || st.state == ENV_PYTHON_CHANGED;
	int status = EXIT_OK;
	char err[MSG_MAX];
	if (broken || force || opt_python) {
		if (broken) {
			char *shown = printable(e.env), *w = printable(st.why);
			printf("rebuilding '%s': %s\n", shown, w);
			free(shown);
			free(w);
			fflush(stdout);
		}
		status = rebuild(&e, opt_python, old, pip_args, npip);
	} else if (old) {
		int n = relocate(e.env, old, err, sizeof err);
		char *shown = printable(e.env), *o = printable(old);
		if (n < 0) {
			error("%s", err);
			status = EXIT_FAIL;
		} else {
			printf("repaired '%s': %d file%s named its old path '%s'\n", shown, n,
			       n == 1 ? "" : "s", o);
		}
		free(shown);
		free(o);
	} else {
		char *shown = printable(e.env);
		printf("'%s' works: nothing to repair\n", shown);
		free(shown);
	}
	if (status == EXIT_OK) {
		char *real = realpath(e.env, NULL);
		if (real && registry_record(real, e.project, REGISTRY_FOUND, err, sizeof err) < 0)
			error("%s", err);
		free(real);
	}
	free(old);
	env_status_free(&st);
	env_info_free(&e);
	return stdout_finish() < 0 ? EXIT_FAIL : status;
}
