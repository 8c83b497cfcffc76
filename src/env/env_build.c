/* env_build.c: making an env, from values already resolved.
 *
 * The env is built in a hidden sibling of its path (same file system), the
 * requirements included, and renamed into place only when complete: with
 * --clear by an atomic exchange with the old env, which is deleted last.
 * What a create killed with SIGKILL leaves is removed by the next create
 * there and by prune (leftover.h). */
#include "env_build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "env_delete.h"
#include "file_at.h"
#include "leftover.h"
#include "owner.h"
#include "platform.h"
#include "proc.h"
#include "relocate.h"
#include "seed.h"
#include "tree_remove.h"
#include "utf8.h"
#include "venv.h"
#include "venv_layout.h"

int env_build_check(const char *env, int clear, int *replace, char *err, size_t errlen)
{
	struct stat st;
	if (replace)
		*replace = 0;
	if (strchr(env, ':') || strchr(env, '\n')) {
		snprintf(err, errlen, "cannot create '%s': the path holds a %s, which PATH cannot carry",
			 env, strchr(env, ':') ? "':'" : "newline");
		return -1;
	}
	if (strcmp(env, "/") == 0) {
		snprintf(err, errlen, "cannot create an env at '/'");
		return -1;
	}
	/* Python reads pyvenv.cfg, which holds the path, as UTF-8. */
	if (!utf8_valid(env, strlen(env))) {
		snprintf(err, errlen, "cannot create '%s': the path is not valid UTF-8, "
			 "which Python cannot read back from pyvenv.cfg", env);
		return -1;
	}
	if (lstat(env, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot create '%s': %s", env, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode))
		snprintf(err, errlen, "'%s' is a symbolic link; not touching it", env);
	else if (!S_ISDIR(st.st_mode) || !venv_looks_like(env))
		snprintf(err, errlen, "'%s' exists and is not a virtual environment; not touching it", env);
	else if (!clear)
		snprintf(err, errlen, "'%s' is a virtual environment already; --clear replaces it", env);
	else if (env_deletable(env, err, errlen)) {
		if (replace)
			*replace = 1;
		return 0;
	}
	return -1;
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
	char err[MSG_MAX];
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
static int install_requirements(const char *build, const struct env_spec *s, char *err,
				size_t errlen)
{
	const struct python_info *py = s->py;
	char *python = xasprintf("%s/%s/%s", build, py->scripts, path_basename(py->base_executable));
	size_t n = 4 + 2 * (size_t)s->nreqs + (size_t)s->npip + 1, k = 0;
	char **argv = xmalloc(n * sizeof *argv);
	argv[k++] = python;
	argv[k++] = "-m";
	argv[k++] = "pip";
	argv[k++] = "install";
	for (int i = 0; i < s->nreqs; i++) {
		argv[k++] = "-r";
		argv[k++] = (char *)s->reqs[i];
	}
	for (int i = 0; i < s->npip; i++)
		argv[k++] = s->pip_args[i];
	argv[k] = NULL;
	char *venv_var = xasprintf("VIRTUAL_ENV=%s", build);
	const char *unset[] = { "PYTHONHOME", "PYTHONPATH", NULL };
	const char *set[] = { venv_var, NULL };
	struct proc p = { .argv = argv, .unset = unset, .set = set, .keep_stdin = 1 };
	int st = proc_run(&p, err, errlen);
	/* Killed by a signal we caught: we die of it next, without a word. */
	cleanup_check();
	if (st > 0)
		snprintf(err, errlen, "pip could not install the requirements (exit status %d); "
			 "'%s' is not created", st, s->env);
	free(venv_var);
	free(argv);
	free(python);
	if (st != 0)
		return -1;
	/* pip wrote the build's path into the scripts it made. */
	return scripts_relocate(build, build, s->env, err, errlen) < 0 ? -1 : 0;
}

/* The hidden sibling of env it is built in, made; NULL with err. */
static char *make_build_dir(const char *env, char *err, size_t errlen)
{
	char *parent = path_dirname(env);
	const char *base = path_basename(env);
	char *build = NULL;
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
			snprintf(err, errlen, "cannot create '%s': %s", env, strerror(e));
			break;
		}
	}
	free(parent);
	return build;
}

/* The env is writable by the user alone, whatever the umask and the group
 * the build directory got (a setgid directory hands down its own): the
 * prompt hook activates no env that another user could change (owner.h),
 * and one venvhook makes should not be such.  Where it would be, the umask
 * is tightened for the rest of the build (and the build directory's mode
 * with it), and a warning says so. */
static void keep_private(const char *build, const char *env)
{
	struct stat st;
	char why[MSG_MAX];
	if (stat(build, &st) < 0 || owner_check(&st, env, 0, why, sizeof why) != OWNER_WRITABLE)
		return;
	/* Others' write bit alone, if that is enough (the group is the user's
	 * private one), else the group's too. */
	struct stat t = st;
	t.st_mode &= ~(mode_t)S_IWOTH;
	char ignored[MSG_MAX];
	mode_t drop = owner_check(&t, env, 0, ignored, sizeof ignored) == OWNER_OK
		      ? S_IWOTH : S_IWOTH | S_IWGRP;
	umask_set(umask_get() | drop);
	/* A file system that keeps modes of its own (vfat, a FUSE mount that
	 * ignores chmod) may take the chmod and change nothing: then this says
	 * nothing (create says that the hook will not activate the env). */
	if (chmod(build, (st.st_mode & 07777) & ~drop) == 0 && stat(build, &st) == 0 &&
	    !(st.st_mode & drop))
		warning("under this umask, %s; it is made writable by you alone, as venvhook "
			"activates no env that others can change", why);
}

/* Fills the build directory: layout, seed, requirements. */
static int fill(const struct env_spec *s, const char *build, char *err, size_t errlen)
{
	int envfd = open_dir_at(AT_FDCWD, build);
	if (envfd < 0) {
		snprintf(err, errlen, "cannot create '%s': %s", s->env, strerror(errno));
		return -1;
	}
	struct layout l = { .py = s->py, .env = s->env, .dirfd = envfd, .prompt = s->prompt,
			    .cwd = s->cwd, .system_site = s->system_site, .with_pip = s->with_pip,
			    .clear = s->clear };
	int r = layout_write(&l, err, errlen);
	cleanup_check();
	if (r == 0 && s->with_pip)
		r = seed_install(s->py, envfd, build, s->env, err, errlen);
	cleanup_check();
	close(envfd);
	/* The requirements go in before the env is in place: at its path there
	 * is never an env that looks complete but is not (a kill -9 included). */
	if (r == 0 && s->nreqs)
		r = install_requirements(build, s, err, errlen);
	cleanup_check();
	return r;
}

/* Moves the complete build into place (h_build: its cleanup action).
 * Returns what is left to delete (the old env, aside), "" for nothing, or
 * NULL with err. */
static char *into_place(const char *build, const char *env, int replace, int h_build, char *err,
			size_t errlen)
{
	if (!replace) {
		if (rename_noreplace(build, env) < 0) {
			snprintf(err, errlen, "cannot create '%s': %s", env,
				 errno == EEXIST || errno == ENOTEMPTY ? "something appeared there meanwhile"
				 : strerror(errno));
			return NULL;
		}
		cleanup_drop(h_build);
		cleanup_add(CLEANUP_TREE, env, NULL);
		return xstrdup("");
	}
	if (rename_exchange(build, env) == 0) {
		/* build now holds the old env: on failure swap back, then
		 * remove build (registered first, so run last). */
		cleanup_add(CLEANUP_EXCHANGE, build, env);
		return xstrdup(build);
	}
	/* No atomic exchange here: move the old env aside, then in. */
	char *old = xasprintf("%s.old", build);
	if (rename_noreplace(env, old) < 0) {
		snprintf(err, errlen, "cannot replace '%s': %s", env, strerror(errno));
		free(old);
		return NULL;
	}
	cleanup_add(CLEANUP_RENAME, old, env);
	if (rename_noreplace(build, env) < 0) {
		snprintf(err, errlen, "cannot replace '%s': %s", env, strerror(errno));
		free(old);
		return NULL;
	}
	cleanup_drop(h_build);
	/* On failure the new env goes, then the old one comes back. */
	cleanup_add(CLEANUP_TREE, env, NULL);
	return old;
}

int env_build(const struct env_spec *s, char *err, size_t errlen)
{
	int replace, status = -1, lockfd = -1, journaled = 0;
	char *build = NULL, *old = NULL;
	if (env_build_check(s->env, s->clear, &replace, err, errlen) < 0)
		return -1;
	cleanup_init();
	char *parent = path_dirname(s->env);
	int r = make_parents(parent, err, errlen);
	free(parent);
	if (r < 0)
		goto out;
	remove_leftovers(s->env);
	if (!(build = make_build_dir(s->env, err, errlen)))
		goto out;
	int h_build = cleanup_add(CLEANUP_TREE, build, NULL);
	keep_private(build, s->env);
	/* Whoever finds the build while this process lives leaves it alone,
	 * even if its PID is not one it can see (leftover.h). */
	lockfd = open_dir_at(AT_FDCWD, build);
	if (lockfd >= 0)
		flock(lockfd, LOCK_EX | LOCK_NB);
	leftover_journal_add(build);
	journaled = 1;
	if (fill(s, build, err, errlen) < 0 ||
	    !(old = into_place(build, s->env, replace, h_build, err, errlen)))
		goto out;
	cleanup_check();

	/* Done: nothing to undo any more; the replaced env goes. */
	cleanup_forget();
	status = 0;
	char rmerr[MSG_MAX];
	if (*old && tree_remove(old, rmerr, sizeof rmerr) < 0)
		error("%s", rmerr);
out:
	if (status < 0)
		cleanup_run();
	if (journaled)
		leftover_journal_drop();
	if (lockfd >= 0)
		close(lockfd);
	free(old);
	free(build);
	return status;
}
