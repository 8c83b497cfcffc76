/* leftover.c: what a create, rm or prune killed mid-way leaves beside an env. */
#include "leftover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tree_remove.h"
#include "util.h"

#define NAME_CUT 200

/* Digits to the end or to one of the bytes in stop; returns where they end. */
static const char *digits(const char *s, long *out)
{
	const char *p = s;
	long v = 0;
	while (*p >= '0' && *p <= '9' && v < 100000000L)
		v = v * 10 + (*p++ - '0');
	if (p == s || *s == '0')
		return NULL;
	*out = v;
	return p;
}

/* Whether entry is the name of such a sibling of an env named base; *pid
 * receives the process.  Returns 1 or 0. */
static int leftover_parse(const char *entry, const char *base, long *pid)
{
	size_t n = strnlen(base, NAME_CUT);
	if (entry[0] != '.' || strncmp(entry + 1, base, n) != 0 ||
	    strncmp(entry + 1 + n, ".venvhook-", 10) != 0)
		return 0;
	const char *s = entry + 1 + n + 10, *e;
	long k;
	if (strncmp(s, "rm-", 3) == 0)
		return (e = digits(s + 3, pid)) && !*e;
	if (strncmp(s, "deleting.", 9) == 0)
		return (e = digits(s + 9, pid)) && !*e;
	if (!(e = digits(s, pid)))
		return 0;
	if (*e == '-' && !(e = digits(e + 1, &k)))
		return 0;
	return !*e || strcmp(e, ".old") == 0;
}

/* Whether process pid is gone and nobody holds a lock on dir, a directory
 * of the user's (not a link). */
static int gone(const char *dir, long pid)
{
	if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return 0;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	int r = fd >= 0 && fstat(fd, &st) == 0 && st.st_uid == user_id() &&
		flock(fd, LOCK_EX | LOCK_NB) == 0;
	if (fd >= 0)
		close(fd);
	return r;
}

static char *journal_dir(void)
{
	return xdg_path("STATE", "building");
}

static char *journal_path(long pid)
{
	char *d = journal_dir();
	if (!d)
		return NULL;
	char *p = xasprintf("%s/%ld", d, pid);
	free(d);
	return p;
}

void leftover_journal_add(const char *build)
{
	char *d = journal_dir(), *p = journal_path((long)getpid());
	if (d && p && mkdir_p(d, 0700) == 0)
		file_write_atomic_nosync(p, build, strlen(build), 0600);
	free(d);
	free(p);
}

void leftover_journal_drop(void)
{
	char *p = journal_path((long)getpid());
	if (p)
		unlink(p);
	free(p);
}

static void add(struct leftovers *out, const char *path, long pid)
{
	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->v[i].path, path) == 0)
			return;
	out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
	out->v[out->n].path = xstrdup(path);
	out->v[out->n++].pid = pid;
}

/* The BASE of a name .BASE.venvhook-PID[-K], or NULL. */
static char *base_of(const char *name)
{
	const char *tag = NULL;
	for (const char *t = strstr(name, ".venvhook-"); t; t = strstr(t + 1, ".venvhook-"))
		tag = t;
	if (name[0] != '.' || !tag || tag == name)
		return NULL;
	return xstrndup(name + 1, (size_t)(tag - name - 1));
}

/* Whether build (absolute) names a build directory of process pid. */
static int build_of(const char *build, long pid)
{
	const char *name = path_basename(build);
	char *base = build[0] == '/' ? base_of(name) : NULL;
	long p;
	int r = base && leftover_parse(name, base, &p) && p == pid;
	free(base);
	return r;
}

/* An env as a directory and a name in it. */
struct named {
	char *parent;
	const char *base;
};

static int named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->parent, y->parent);
	return c ? c : strcmp(x->base, y->base);
}

/* The leftovers in parent beside any of the k envs named there: one
 * reading of the directory, however many envs it holds. */
static void scan_parent(const char *parent, const struct named *names, size_t k,
			struct leftovers *out)
{
	DIR *d = opendir(parent);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		char *base = base_of(de->d_name);
		struct named key = { (char *)parent, base };
		long pid;
		if (base && *base && bsearch(&key, names, k, sizeof *names, named_cmp) &&
		    leftover_parse(de->d_name, base, &pid)) {
			char *p = path_join(parent, de->d_name);
			if (gone(p, pid))
				add(out, p, pid);
			free(p);
		}
		free(base);
	}
	if (d)
		closedir(d);
}

void leftover_find(char *const *envs, size_t n, int journal, struct leftovers *out)
{
	memset(out, 0, sizeof *out);
	struct named *v = xmalloc((n ? n : 1) * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		v[i].parent = path_dirname(envs[i]);
		v[i].base = path_basename(envs[i]);
	}
	qsort(v, n, sizeof *v, named_cmp);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(v[j].parent, v[i].parent) == 0; j++)
			;
		scan_parent(v[i].parent, v + i, j - i, out);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].parent);
	free(v);
	/* The builds of creates that never got to record their env. */
	char *jd = journal ? journal_dir() : NULL;
	DIR *d = jd ? opendir(jd) : NULL;
	struct dirent *de;
	while (d && (de = readdir(d))) {
		long pid;
		const char *e = digits(de->d_name, &pid);
		if (!e || *e)
			continue;
		char *jp = path_join(jd, de->d_name), err[MSG_MAX];
		struct sbuf build = SBUF_INIT;
		if (file_read(jp, 4096, &build, err, sizeof err) == 0 && build_of(build.s, pid)) {
			struct stat st;
			if (lstat(build.s, &st) == 0) {
				if (gone(build.s, pid))
					add(out, build.s, pid);
			} else if (errno == ENOENT && kill((pid_t)pid, 0) < 0 && errno == ESRCH) {
				unlink(jp);     /* its build went with it */
			}
		}
		sb_free(&build);
		free(jp);
	}
	if (d)
		closedir(d);
	free(jd);
}

void leftovers_free(struct leftovers *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof *l);
}

char *leftover_why(const struct leftover *l)
{
	return xasprintf("left by process %ld, which is gone", l->pid);
}

int leftover_remove(const struct leftover *l, char *err, size_t errlen)
{
	if (!gone(l->path, l->pid)) {
		snprintf(err, errlen, "not removing '%s': its process %ld is still there", l->path,
			 l->pid);
		return -1;
	}
	if (tree_remove(l->path, err, errlen) < 0)
		return -1;
	char *jp = journal_path(l->pid);
	struct sbuf build = SBUF_INIT;
	char why[MSG_MAX];
	if (jp && file_read(jp, 4096, &build, why, sizeof why) == 0 && strcmp(build.s, l->path) == 0)
		unlink(jp);
	sb_free(&build);
	free(jp);
	return 0;
}
