/* prune.c: `venvhook prune [--dry-run] [--yes]`.
 *
 * Forgets the records of envs that are gone, and offers to delete envs
 * whose project or base interpreter is gone.  It deletes only with --yes
 * or a "y" typed on a terminal, and only a directory that is a venv: a
 * pyvenv.cfg file, nothing at the top that venv, virtualenv, uv or pip do
 * not make, owned by the user, not a link.  The env is first renamed aside
 * (so no shell activates a half-deleted env), then removed without
 * following any link out of it.  What a create, rm or prune killed
 * mid-way left beside an env (leftover.h) is removed without asking. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "env_state.h"
#include "leftover.h"
#include "quote.h"
#include "registry.h"
#include "tree_remove.h"

/* What the top of a virtual environment may hold. */
static const char *const venv_entries[] = {
	"bin", "lib", "lib64", "include", "share", "etc", "man", "src", "Lib", "Scripts", "Include",
	"pyvenv.cfg", ".gitignore", "CACHEDIR.TAG", ".lock", ".project", "pip-selfcheck.json",
	"selfcheck.json", ".venvhook-id", NULL,
};

static int venv_entry(const char *name)
{
	for (const char *const *e = venv_entries; *e; e++)
		if (strcmp(*e, name) == 0)
			return 1;
	return 0;
}

/* Checks the env open at fd: 0 if it may be deleted, else -1 with err. */
static int deletable(int fd, const char *shown, char *err, size_t errlen)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "cannot delete '%s': %s", shown, strerror(errno));
		return -1;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, errlen, "not deleting '%s': it belongs to another user", shown);
		return -1;
	}
	if (fstatat(fd, "pyvenv.cfg", &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not deleting '%s': it is not a virtual environment (no pyvenv.cfg)",
			 shown);
		return -1;
	}
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		snprintf(err, errlen, "cannot delete '%s': %s", shown, strerror(errno));
		return -1;
	}
	int r = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
			continue;
		if (!venv_entry(n)) {
			char *odd = printable(n);
			snprintf(err, errlen, "not deleting '%s': it holds '%s', which a virtual environment "
				 "does not; delete it yourself if you mean to", shown, odd);
			free(odd);
			r = -1;
			break;
		}
	}
	closedir(d);
	return r;
}

static int delete_env(const char *env, char *err, size_t errlen)
{
	char *shown = printable(env);
	char *parent = path_dirname(env);
	const char *base = path_basename(env);
	const char *home = env_get("HOME");
	char *aside = NULL;
	int pfd = -1, fd = -1, status = -1;
	struct stat st, ast;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || env[0] != '/') {
		snprintf(err, errlen, "not deleting '%s': not a directory name", shown);
		goto out;
	}
	if (home && path_within(home, env)) {
		snprintf(err, errlen, "not deleting '%s': it holds the home directory", shown);
		goto out;
	}
	pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0 || fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		snprintf(err, errlen, "cannot delete '%s': %s", shown, strerror(errno));
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "not deleting '%s': it is a symbolic link", shown);
		goto out;
	}
	fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot delete '%s': %s", shown, strerror(errno));
		goto out;
	}
	if (deletable(fd, shown, err, errlen) < 0)
		goto out;
	aside = xasprintf(".%s.venvhook-deleting.%ld", base, (long)getpid());
	if (renameat(pfd, base, pfd, aside) < 0) {
		snprintf(err, errlen, "cannot delete '%s': %s", shown, strerror(errno));
		goto out;
	}
	/* What we renamed must be what we checked. */
	if (fstat(fd, &st) < 0 || fstatat(pfd, aside, &ast, AT_SYMLINK_NOFOLLOW) < 0 ||
	    st.st_dev != ast.st_dev || st.st_ino != ast.st_ino) {
		renameat(pfd, aside, pfd, base);
		snprintf(err, errlen, "not deleting '%s': it changed while being checked", shown);
		goto out;
	}
	char *aside_path = path_join(parent, aside);
	char *aside_shown = printable(aside_path);
	if (tree_remove_at(pfd, aside, aside_shown, err, errlen) == 0)
		status = 0;
	free(aside_shown);
	free(aside_path);
out:
	if (fd >= 0)
		close(fd);
	if (pfd >= 0)
		close(pfd);
	free(aside);
	free(parent);
	free(shown);
	return status;
}

struct drop {
	char **forget;      /* gone: forgotten if still gone */
	size_t n_forget;
	char **deleted;     /* deleted: forgotten */
	size_t n_deleted;
};

static void push(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

static int drop_fn(struct registry *r, void *arg, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	struct drop *d = arg;
	int changed = 0;
	for (size_t i = r->n; i-- > 0;) {
		const char *env = r->e[i].env;
		int drop = 0;
		for (size_t k = 0; !drop && k < d->n_deleted; k++)
			drop = strcmp(env, d->deleted[k]) == 0;
		for (size_t k = 0; !drop && k < d->n_forget; k++)
			drop = strcmp(env, d->forget[k]) == 0 && !venv_looks_like(env);
		if (drop) {
			registry_remove(r, i);
			changed = 1;
		}
	}
	return changed;
}

int cmd_prune(int argc, char **argv)
{
	int dry = 0, yes = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0 || strcmp(argv[i], "-n") == 0)
			dry = 1;
		else if (strcmp(argv[i], "--yes") == 0 || strcmp(argv[i], "-y") == 0)
			yes = 1;
		else if (argv[i][0] == '-')
			usage_error("prune", "unknown option '%s'", argv[i]);
		else
			usage_error("prune", "prune takes no arguments");
	}
	char err[1600];
	struct registry r;
	if (registry_update(&r, NULL, NULL, err, sizeof err) < 0) {
		char *shown = printable(err);
		error("%s", shown);
		free(shown);
		return EXIT_FAIL;
	}
	int interactive = !yes && !dry && isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
	struct drop d = { NULL, 0, NULL, 0 };
	size_t offered = 0, failed = 0, said = 0;
	/* Forgetting first, then what may be deleted. */
	for (size_t k = 0; k < 2 * r.n; k++) {
		struct registry_entry *e = &r.e[k % r.n];
		struct env_status st;
		enum env_state s = env_state_check(e->env, e->project, &st);
		if ((s == ENV_GONE) != (k < r.n)) {
			env_status_free(&st);
			continue;
		}
		char *env = printable(e->env);
		char *why = printable(st.why);
		/* For a broken interpreter, deleting is not the only way out. */
		char *offer = xasprintf("%s%s", why, s == ENV_PYTHON_GONE || s == ENV_PYTHON_CHANGED
					? "; 'venvhook repair ENV' rebuilds it instead" : "");
		if (s == ENV_GONE) {
			said++;
			printf("%s '%s': %s\n", dry ? "would forget" : "forgot", env, why);
			push(&d.forget, &d.n_forget, e->env);
		} else if (s != ENV_OK) {
			said++;
			fflush(stdout);
			if (dry) {
				printf("would %s '%s': %s\n", yes ? "delete" : "offer to delete", env,
				       yes ? why : offer);
			} else if (yes || (interactive && ask_yes("delete '%s'? %s", env, offer))) {
				if (delete_env(e->env, err, sizeof err) == 0) {
					printf("deleted '%s': %s\n", env, why);
					push(&d.deleted, &d.n_deleted, e->env);
				} else {
					char *shown = printable(err);
					error("%s", shown);
					free(shown);
					failed++;
				}
			} else if (!interactive) {
				printf("can delete '%s': %s\n", env, offer);
				offered++;
			}
		}
		free(env);
		free(why);
		free(offer);
		env_status_free(&st);
	}
	/* What creates, rm and prune killed mid-way left: venvhook's own
	 * half-done work, removed without asking. */
	char **envs = xmalloc((r.n ? r.n : 1) * sizeof *envs);
	for (size_t i = 0; i < r.n; i++)
		envs[i] = r.e[i].env;
	struct leftovers lo;
	leftover_find(envs, r.n, 1, &lo);
	free(envs);
	for (size_t i = 0; i < lo.n; i++) {
		char *why = leftover_why(&lo.v[i]);
		said++;
		if (dry) {
			print_line(stdout, "would remove '%s': %s", lo.v[i].path, why);
		} else if (leftover_remove(&lo.v[i], err, sizeof err) == 0) {
			print_line(stdout, "removed '%s': %s", lo.v[i].path, why);
		} else {
			error("%s", err);
			failed++;
		}
		free(why);
	}
	leftovers_free(&lo);
	/* Silence says it all to a script; a person is told. */
	if (!said && isatty(STDOUT_FILENO)) {
		if (r.n == 0)
			printf("nothing to prune: no env is recorded\n");
		else if (r.n == 1)
			printf("nothing to prune: the one recorded env is fine\n");
		else
			printf("nothing to prune: all %zu recorded envs are fine\n", r.n);
	}
	registry_free(&r);
	int status = failed ? EXIT_FAIL : EXIT_OK;
	if (!dry && (d.n_forget || d.n_deleted)) {
		if (registry_update(&r, drop_fn, &d, err, sizeof err) < 0) {
			char *shown = printable(err);
			error("%s", shown);
			free(shown);
			status = EXIT_FAIL;
		} else {
			registry_free(&r);
		}
	}
	if (offered)
		error("nothing deleted: run 'venvhook prune --yes', or prune on a terminal to be asked");
	for (size_t k = 0; k < d.n_forget; k++)
		free(d.forget[k]);
	for (size_t k = 0; k < d.n_deleted; k++)
		free(d.deleted[k]);
	free(d.forget);
	free(d.deleted);
	return stdout_finish() < 0 ? EXIT_FAIL : status;
}
