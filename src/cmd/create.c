/* create.c: `venvhook create [DIR] [options] [-- PIP_ARGS]`.
 *
 * The env is built in a hidden sibling of DIR (same file system), the
 * requirements of -r included, and renamed into place only when complete:
 * with --clear by an atomic exchange with the old env, which is deleted
 * last.  What a create killed with SIGKILL leaves is removed by the next
 * create there and by prune (leftover.h).  Until then every
 * step is registered with cleanup.c, so a failure, an early exit or
 * SIGINT/SIGTERM/SIGHUP removes what was built and puts the old env back. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "commands.h"
#include "config.h"
#include "env_delete.h"
#include "file_at.h"
#include "platform.h"
#include "leftover.h"
#include "proc.h"
#include "python_find.h"
#include "quote.h"
#include "seed.h"
#include "registry.h"
#include "relocate.h"
#include "tree_remove.h"
#include "trust.h"
#include "utf8.h"
#include "venv.h"
#include "venv_layout.h"
#include "verdict.h"

struct opts {
	const char *dir, *python, *prompt;
	int system_site, without_pip, with_pip, clear;
	const char **reqs;
	int nreqs;
	char **pip_args;
	int npip;
};

/* The value of option a (at argv[*i]): "--opt=V", "-oV" or the next word. */
static const char *opt_value(int argc, char **argv, int *i, const char *shortname,
			     const char *longname)
{
	const char *a = argv[*i];
	size_t ln = strlen(longname);
	if (strncmp(a, longname, ln) == 0 && a[ln] == '=')
		return a + ln + 1;
	if (shortname && strncmp(a, shortname, 2) == 0 && a[2])
		return a + 2;
	if (*i + 1 >= argc)
		usage_error("create", "option '%s' needs a value", a);
	return argv[++*i];
}

static int opt_is(const char *a, const char *shortname, const char *longname)
{
	size_t ln = strlen(longname);
	return (shortname && strncmp(a, shortname, 2) == 0) || strcmp(a, longname) == 0 ||
	       (strncmp(a, longname, ln) == 0 && a[ln] == '=');
}

static void parse(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->reqs = xmalloc((size_t)argc * sizeof *o->reqs);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			o->pip_args = argv + i + 1;
			o->npip = argc - i - 1;
			break;
		}
		if (a[0] != '-' || !a[1]) {
			if (o->dir)
				usage_error("create", "create takes one directory, not '%s' and '%s'", o->dir, a);
			o->dir = a;
		} else if (strcmp(a, "--system-site-packages") == 0) {
			o->system_site = 1;
		} else if (strcmp(a, "--no-site-packages") == 0) {
			o->system_site = 0;     /* virtualenv's old name for the default */
		} else if (strcmp(a, "--without-pip") == 0) {
			o->without_pip = 1;
		} else if (strcmp(a, "--with-pip") == 0) {
			o->with_pip = 1;
		} else if (strcmp(a, "--clear") == 0) {
			o->clear = 1;
		} else if (opt_is(a, "-p", "--python")) {
			o->python = opt_value(argc, argv, &i, "-p", "--python");
		} else if (strcmp(a, "--prompt") == 0 || strncmp(a, "--prompt=", 9) == 0) {
			o->prompt = opt_value(argc, argv, &i, NULL, "--prompt");
		} else if (opt_is(a, "-r", "--requirement")) {
			o->reqs[o->nreqs++] = opt_value(argc, argv, &i, "-r", "--requirement");
		} else {
			usage_error("create", "unknown option '%s'", a);
		}
	}
	if (o->python && !*o->python)
		usage_error("create", "--python needs an interpreter");
	if (o->with_pip && o->without_pip)
		usage_error("create", "--with-pip and --without-pip contradict each other");
	if (o->nreqs && o->without_pip)
		usage_error("create", "-r installs with pip: it cannot go with --without-pip");
	if (o->npip && !o->nreqs)
		usage_error("create", "what follows '--' is for 'pip install -r FILE': give -r FILE");
	for (int i = 0; i < o->nreqs; i++)
		if (!*o->reqs[i])
			usage_error("create", "-r needs a file");
}

/* The [create] settings of config.ini, for what the command line left
 * open: prompt, seed (none: no pip unless -r or --with-pip) and python, which
 * a .python-version file of the project overrides. */
static void apply_config(struct opts *o, const char *parent)
{
	const struct config *c = config_get();
	if (!o->prompt)
		o->prompt = c->create_prompt;
	if (c->create_seed == CONFIG_SEED_NONE && !o->nreqs && !o->with_pip)
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

/* mkdir -p for the parents of the env, registering each directory made so
 * that a failure takes it away again. */
static int make_parents(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		snprintf(err, errlen, "cannot create '%s': a parent is not a directory", dir);
		return -1;
	}
	if (errno != ENOENT) {
		snprintf(err, errlen, "cannot create '%s': %s", dir, strerror(errno));
		return -1;
	}
	char *up = path_dirname(dir);
	int r = strcmp(up, dir) == 0 ? -1 : make_parents(up, err, errlen);
	free(up);
	if (r < 0)
		return -1;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create '%s': %s", dir, strerror(errno));
		return -1;
	}
	cleanup_add(CLEANUP_RMDIR, dir, NULL);
	return 0;
}

/* Removes what creates, rm and prune killed mid-way left beside env. */
static void remove_leftovers(const char *env)
{
	struct leftovers lo;
	char *one[] = { (char *)env };
	char err[1200];
	leftover_find(one, 1, 0, &lo);
	for (size_t i = 0; i < lo.n; i++) {
		if (leftover_remove(&lo.v[i], err, sizeof err) < 0)
			error("%s", err);
		else
			error("removed '%s', left by process %ld, which is gone", lo.v[i].path,
			      lo.v[i].pid);
	}
	leftovers_free(&lo);
}

/* Runs the pip of the env being built at build on the requirement files,
 * then rewrites its new scripts for the env's path. */
static int install_requirements(const char *build, const char *env, const struct python_info *py,
				const struct opts *o)
{
	char *python = xasprintf("%s/%s/%s", build, py->scripts, path_basename(py->base_executable));
	size_t n = 4 + 2 * (size_t)o->nreqs + (size_t)o->npip + 1, k = 0;
	char **argv = xmalloc(n * sizeof *argv);
	argv[k++] = python;
	argv[k++] = "-m";
	argv[k++] = "pip";
	argv[k++] = "install";
	for (int i = 0; i < o->nreqs; i++) {
		argv[k++] = "-r";
		argv[k++] = (char *)o->reqs[i];
	}
	for (int i = 0; i < o->npip; i++)
		argv[k++] = o->pip_args[i];
	argv[k] = NULL;
	char *venv_var = xasprintf("VIRTUAL_ENV=%s", build);
	const char *unset[] = { "PYTHONHOME", "PYTHONPATH", NULL };
	const char *set[] = { venv_var, NULL };
	struct proc p = { .argv = argv, .unset = unset, .set = set, .keep_stdin = 1 };
	char err[1024];
	int st = proc_run(&p, err, sizeof err);
	if (st < 0)
		error("%s", err);
	else if (st != 0 && !interrupted())
		error("pip could not install the requirements (exit status %d); '%s' is not created", st, env);
	free(venv_var);
	free(argv);
	free(python);
	if (st != 0)
		return -1;
	/* pip wrote the build's path into the scripts it made. */
	if (scripts_relocate(build, build, env, err, sizeof err) < 0) {
		error("%s", err);
		return -1;
	}
	return 0;
}

int cmd_create(int argc, char **argv)
{
	struct opts o;
	parse(argc, argv, &o);
	char err[2048];
	char *cwd = current_dir();
	char *env = path_normalize(cwd, o.dir ? o.dir : ".venv");
	int status = EXIT_FAIL;
	struct python_info py = { 0 };
	char *build = NULL, *parent = path_dirname(env), *py_path = NULL;
	int envfd = -1, lockfd = -1, journaled = 0;
	apply_config(&o, parent);

	if (strchr(env, ':') || strchr(env, '\n')) {
		snprintf(err, sizeof err, "cannot create '%s': the path holds a %s, which PATH cannot carry",
			 env, strchr(env, ':') ? "':'" : "newline");
		error("%s", err);
		goto out;
	}
	if (strcmp(env, "/") == 0) {
		error("cannot create an env at '/'");
		goto out;
	}
	/* Python reads pyvenv.cfg, which holds the path, as UTF-8. */
	if (!utf8_valid(env, strlen(env))) {
		snprintf(err, sizeof err, "cannot create '%s': the path is not valid UTF-8, "
			 "which Python cannot read back from pyvenv.cfg", env);
		error("%s", err);
		goto out;
	}
	struct stat st;
	int replace = 0;
	if (lstat(env, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			snprintf(err, sizeof err, "'%s' is a symbolic link; not touching it", env);
		else if (!S_ISDIR(st.st_mode) || !venv_looks_like(env))
			snprintf(err, sizeof err, "'%s' exists and is not a virtual environment; not touching it",
				 env);
		else if (!o.clear)
			snprintf(err, sizeof err, "'%s' is a virtual environment already; --clear replaces it", env);
		else if (!env_deletable(env, err, sizeof err))
			;
		else
			replace = 1;
		if (!replace) {
			error("%s", err);
			goto out;
		}
	} else if (errno != ENOENT) {
		snprintf(err, sizeof err, "cannot create '%s': %s", env, strerror(errno));
		error("%s", err);
		goto out;
	}

	py_path = python_find(o.python, parent, err, sizeof err);
	if (!py_path || python_probe(py_path, &py, err, sizeof err) < 0) {
		error("%s", err);
		goto out;
	}

	cleanup_init();
	if (make_parents(parent, err, sizeof err) < 0) {
		error("%s", err);
		goto out;
	}
	remove_leftovers(env);
	/* The hidden sibling it is built in. */
	const char *base = path_basename(env);
	for (int k = 0; !build; k++) {
		char *b = xasprintf("%s/.%.200s.venvhook-%ld%s%.0d", parent, base, (long)getpid(),
				    k ? "-" : "", k);
		if (mkdir(b, 0777) == 0) {
			build = b;
			break;
		}
		int e = errno;
		free(b);
		if (e != EEXIST || k > 100) {
			snprintf(err, sizeof err, "cannot create '%s': %s", env, strerror(e));
			error("%s", err);
			goto out;
		}
	}
	int h_build = cleanup_add(CLEANUP_TREE, build, NULL);
	envfd = open_dir_at(AT_FDCWD, build);
	if (envfd < 0) {
		snprintf(err, sizeof err, "cannot create '%s': %s", env, strerror(errno));
		error("%s", err);
		goto out;
	}
	/* Whoever finds the build while this process lives leaves it alone,
	 * even if its PID is not one it can see (leftover.h). */
	lockfd = dup(envfd);
	if (lockfd >= 0)
		flock(lockfd, LOCK_EX | LOCK_NB);
	leftover_journal_add(build);
	journaled = 1;
	struct layout l = { .py = &py, .env = env, .dirfd = envfd, .prompt = o.prompt,
			    .cwd = cwd, .system_site = o.system_site, .with_pip = !o.without_pip,
			    .clear = o.clear };
	if (layout_write(&l, err, sizeof err) < 0) {
		cleanup_check();
		error("%s", err);
		goto out;
	}
	cleanup_check();
	if (!o.without_pip && seed_install(&py, envfd, build, env, err, sizeof err) < 0) {
		cleanup_check();
		error("%s", err);
		goto out;
	}
	cleanup_check();
	close(envfd);
	envfd = -1;
	/* The requirements go in before the env is in place: at DIR there is
	 * never an env that looks complete but is not (a kill -9 included). */
	if (o.nreqs && install_requirements(build, env, &py, &o) < 0) {
		cleanup_check();
		goto out;
	}
	cleanup_check();

	/* Into place. */
	if (!replace) {
		if (rename_noreplace(build, env) < 0) {
			snprintf(err, sizeof err, "cannot create '%s': %s", env,
				 errno == EEXIST || errno == ENOTEMPTY ? "something appeared there meanwhile"
				 : strerror(errno));
			error("%s", err);
			goto out;
		}
		cleanup_drop(h_build);
		cleanup_add(CLEANUP_TREE, env, NULL);
	} else if (rename_exchange(build, env) == 0) {
		/* build now holds the old env: on failure swap back, then
		 * remove build (registered first, so run last). */
		cleanup_add(CLEANUP_EXCHANGE, build, env);
	} else {
		/* No atomic exchange here: move the old env aside, then in. */
		char *old = xasprintf("%s.old", build);
		if (rename_noreplace(env, old) < 0) {
			snprintf(err, sizeof err, "cannot replace '%s': %s", env, strerror(errno));
			error("%s", err);
			free(old);
			goto out;
		}
		cleanup_add(CLEANUP_RENAME, old, env);
		if (rename_noreplace(build, env) < 0) {
			snprintf(err, sizeof err, "cannot replace '%s': %s", env, strerror(errno));
			error("%s", err);
			free(old);
			goto out;
		}
		cleanup_drop(h_build);
		/* On failure the new env goes, then the old one comes back. */
		cleanup_add(CLEANUP_TREE, env, NULL);
		free(build);
		build = old;
	}
	cleanup_check();

	/* Done: nothing to undo any more; the replaced env goes. */
	cleanup_forget();
	status = EXIT_OK;
	if (replace) {
		char rmerr[1024];
		if (tree_remove(build, rmerr, sizeof rmerr) < 0)
			error("%s", rmerr);
	}

	/* A created env is trusted. */
	char *real = realpath(env, NULL);
	struct env_id id;
	int trusted = 0;
	if (!real || env_id_get(real, &id) < 0)
		snprintf(err, sizeof err, "cannot resolve '%s': %s", env, strerror(errno));
	else
		trusted = trust_set(real, &id, 1, err, sizeof err) == 0;
	if (!trusted) {
		error("%s", err);
		char *shown = printable(env);
		error("'%s' is complete but not trusted; 'venvhook allow' trusts it", shown);
		free(shown);
	}
	if (real && registry_record(real, NULL, REGISTRY_CREATED, err, sizeof err) < 0)
		error("%s", err);
	free(real);

	char *shown = printable(env);
	/* The interpreter the env is made from: when python3 on PATH is an
	 * active env's, the base interpreter behind it. */
	char *from = printable(py.base_executable ? py.base_executable : py.path);
	printf("created '%s' with Python %s (%s)\n", shown, py.version, from);
	free(from);
	free(shown);
	if (stdout_finish() < 0)
		status = EXIT_FAIL;
out:
	if (envfd >= 0)
		close(envfd);
	if (status != EXIT_OK)
		cleanup_run();
	if (journaled)
		leftover_journal_drop();
	if (lockfd >= 0)
		close(lockfd);
	python_info_free(&py);
	free(py_path);
	free(build);
	free(parent);
	free(env);
	free(cwd);
	free(o.reqs);
	return status;
}
