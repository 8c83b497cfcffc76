/* list.c: `venvhook list [--json] [--size] [--scan DIR...]`. */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "env_scan.h"
#include "env_state.h"
#include "leftover.h"
#include "quote.h"
#include "registry.h"
#include "verdict.h"

struct row {
	struct registry_entry *e;
	struct env_status st;
	char *name;
	long long size;     /* -1: not measured */
};

struct found {
	char **env;
	size_t n;
};

static void found_one(const char *env, void *arg)
{
	struct found *f = arg;
	f->env = xrealloc(f->env, (f->n + 1) * sizeof *f->env);
	f->env[f->n++] = xstrdup(env);
}

static int note_found(struct registry *r, void *arg, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	struct found *f = arg;
	long long now = (long long)time(NULL);
	int changed = 0;
	for (size_t i = 0; i < f->n; i++) {
		char *real = realpath(f->env[i], NULL);
		if (real && venv_looks_like(real))
			changed |= registry_note(r, real, NULL, REGISTRY_FOUND, now);
		free(real);
	}
	return changed;
}

/* Checking a state is a few system calls on an env's files: over many envs,
 * spread on the processors.  Each thread takes a slice of the rows. */
#define CHECK_THREADS_MAX 8
#define CHECK_PER_THREAD 2000

struct slice {
	struct row *rows;
	size_t from, to;
};

static void *check_slice(void *arg)
{
	struct slice *s = arg;
	for (size_t i = s->from; i < s->to; i++) {
		struct row *w = &s->rows[i];
		env_state_check(w->e->env, w->e->project, &w->st);
		w->name = venv_name(w->e->env, w->e->project, NULL, &w->st.cfg);
	}
	return NULL;
}

static void check_rows(struct row *rows, size_t n)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t k = n / CHECK_PER_THREAD;
	if (cpus > 0 && k > (size_t)cpus)
		k = (size_t)cpus;
	if (k > CHECK_THREADS_MAX)
		k = CHECK_THREADS_MAX;
	if (k < 2) {
		struct slice all = { rows, 0, n };
		check_slice(&all);
		return;
	}
	struct slice s[CHECK_THREADS_MAX];
	pthread_t t[CHECK_THREADS_MAX];
	int started[CHECK_THREADS_MAX];
	for (size_t i = 0; i < k; i++) {
		s[i] = (struct slice){ rows, n * i / k, n * (i + 1) / k };
		/* The first slice is this thread's; a thread that cannot start
		 * leaves its slice to this one too. */
		started[i] = i > 0 && pthread_create(&t[i], NULL, check_slice, &s[i]) == 0;
	}
	for (size_t i = 0; i < k; i++)
		if (!started[i])
			check_slice(&s[i]);
	for (size_t i = 1; i < k; i++)
		if (started[i])
			pthread_join(t[i], NULL);
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->e->used != y->e->used)
		return x->e->used > y->e->used ? -1 : 1;
	return strcmp(x->e->env, y->e->env);
}

/* A path for the table: ~ for the home directory, control bytes as '?'. */
static char *shown_path(const char *p)
{
	if (!p)
		return xstrdup("-");
	const char *home = env_get("HOME");
	char *s;
	if (home && strcmp(home, "/") != 0 && path_within(p, home)) {
		size_t n = strlen(home);
		while (n > 1 && home[n - 1] == '/')
			n--;
		s = xasprintf("~%s", p + n);
	} else {
		s = xstrdup(p);
	}
	char *r = printable(s);
	free(s);
	return r;
}

static char *shown_time(long long t)
{
	if (!t)
		return xstrdup("never");
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[64];
	if (!localtime_r(&tt, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm))
		return xstrdup("?");
	return xstrdup(buf);
}

static char *shown_size(long long n)
{
	if (n < 0)
		return xstrdup("-");
	static const char units[] = "BKMGTP";
	double v = (double)n;
	int u = 0;
	while (v >= 1024 && u < 5)
		v /= 1024, u++;
	if (u == 0)
		return xasprintf("%lldB", n);
	return xasprintf(v < 10 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

/* A JSON string from bytes that may not be UTF-8: invalid bytes become U+FFFD. */
static json_t *jstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3
			: (*p & 0xf8) == 0xf0 ? 4 : 0;
		int ok = n > 0;
		for (int i = 1; ok && i < n; i++)
			ok = (p[i] & 0xc0) == 0x80;
		if (ok) {
			char one[5] = { 0 };
			memcpy(one, p, (size_t)n);
			json_t *t = json_string(one);
			ok = t != NULL;
			json_decref(t);
		}
		if (ok) {
			sb_add(&b, p, (size_t)n);
			p += n;
		} else {
			sb_adds(&b, "\xef\xbf\xbd");
			p++;
		}
	}
	j = json_string(b.s);
	sb_free(&b);
	return j ? j : json_null();
}

static json_t *jtime(long long t)
{
	return t ? json_integer(t) : json_null();
}

static int print_json(struct row *rows, size_t n, int size, const struct leftovers *lo)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		struct row *w = &rows[i];
		json_t *o = json_object();
		json_object_set_new(o, "name", jstr(w->name));
		json_object_set_new(o, "env", jstr(w->e->env));
		json_object_set_new(o, "project", jstr(w->e->project));
		json_object_set_new(o, "version", jstr(w->st.cfg.version ? w->st.cfg.version : w->e->version));
		json_object_set_new(o, "python", jstr(w->e->python));
		json_object_set_new(o, "created", jtime(w->e->created));
		json_object_set_new(o, "last_used", jtime(w->e->used));
		json_object_set_new(o, "recorded", json_string(registry_event_name(w->e->how)));
		json_object_set_new(o, "state", json_string(env_state_name(w->st.state)));
		json_object_set_new(o, "problem", w->st.state == ENV_OK ? json_null() : jstr(w->st.why));
		if (size)
			json_object_set_new(o, "size", w->size >= 0 ? json_integer(w->size) : json_null());
		json_array_append_new(a, o);
	}
	for (size_t i = 0; i < lo->n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_null());
		json_object_set_new(o, "env", jstr(lo->v[i].path));
		json_object_set_new(o, "project", json_null());
		json_object_set_new(o, "version", json_null());
		json_object_set_new(o, "python", json_null());
		json_object_set_new(o, "created", json_null());
		json_object_set_new(o, "last_used", json_null());
		json_object_set_new(o, "recorded", json_null());
		json_object_set_new(o, "state", json_string("leftover"));
		char *why = leftover_why(&lo->v[i]);
		json_object_set_new(o, "problem", jstr(why));
		free(why);
		if (size)
			json_object_set_new(o, "size", json_null());
		json_array_append_new(a, o);
	}
	char *s = json_dumps(a, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(a);
	if (!s)
		die(EXIT_FAIL, "out of memory");
	puts(s);
	free(s);
	return 0;
}

enum { C_NAME, C_PROJECT, C_PYTHON, C_USED, C_STATE, C_SIZE, C_ENV, NCOLS };

static void print_table(struct row *rows, size_t nrows, int size, const struct leftovers *lo)
{
	static const char *const head[NCOLS] = { "NAME", "PROJECT", "PYTHON", "LAST USED", "STATE",
						 "SIZE", "ENV" };
	size_t n = nrows + lo->n;
	char *(*cell)[NCOLS] = xmalloc((n + 1) * sizeof *cell);
	size_t width[NCOLS] = { 0 };
	long long total = 0;
	for (int c = 0; c < NCOLS; c++)
		cell[0][c] = xstrdup(head[c]);
	for (size_t i = 0; i < lo->n; i++) {
		for (int c = 0; c < NCOLS; c++)
			cell[nrows + i + 1][c] = xstrdup("-");
		free(cell[nrows + i + 1][C_STATE]);
		cell[nrows + i + 1][C_STATE] = xstrdup("leftover");
		free(cell[nrows + i + 1][C_ENV]);
		cell[nrows + i + 1][C_ENV] = shown_path(lo->v[i].path);
	}
	for (size_t i = 0; i < nrows; i++) {
		struct row *w = &rows[i];
		const char *v = w->st.cfg.version ? w->st.cfg.version : w->e->version;
		cell[i + 1][C_NAME] = printable(w->name);
		cell[i + 1][C_PROJECT] = shown_path(w->e->project);
		cell[i + 1][C_PYTHON] = printable(v ? v : "?");
		cell[i + 1][C_USED] = shown_time(w->e->used);
		cell[i + 1][C_STATE] = xstrdup(env_state_name(w->st.state));
		cell[i + 1][C_SIZE] = shown_size(w->size);
		cell[i + 1][C_ENV] = shown_path(w->e->env);
		if (w->size > 0)
			total += w->size;
	}
	for (size_t i = 0; i <= n; i++)
		for (int c = 0; c < NCOLS; c++)
			if (strlen(cell[i][c]) > width[c])
				width[c] = strlen(cell[i][c]);
	for (size_t i = 0; i <= n; i++) {
		struct sbuf line = SBUF_INIT;
		for (int c = 0; c < NCOLS; c++) {
			if (c == C_SIZE && !size)
				continue;
			if (c == C_ENV)
				sb_adds(&line, cell[i][c]);
			else if (c == C_SIZE)
				sb_addf(&line, "%*s  ", (int)width[c], cell[i][c]);
			else
				sb_addf(&line, "%-*s  ", (int)width[c], cell[i][c]);
		}
		puts(line.s);
		sb_free(&line);
		for (int c = 0; c < NCOLS; c++)
			free(cell[i][c]);
	}
	free(cell);
	if (size) {
		char *t = shown_size(total);
		printf("total %s\n", t);
		free(t);
	}
}

/* --names, for the shell completions: the recorded envs' paths, most
 * recently used first, without looking at the envs.  Paths a shell cannot
 * take back in one line (control bytes), or that would show on the terminal
 * in another order (bidirectional controls: what printable() replaces),
 * are left out.  A registry that
 * cannot be read gives no names (its message goes to stderr, which the
 * completions discard). */
static int print_names(void)
{
	struct registry r;
	char err[MSG_MAX];
	if (registry_update(&r, NULL, NULL, err, sizeof err) < 0)
		memset(&r, 0, sizeof r);
	struct row *rows = xmalloc((r.n ? r.n : 1) * sizeof *rows);
	for (size_t i = 0; i < r.n; i++)
		rows[i].e = &r.e[i];
	qsort(rows, r.n, sizeof *rows, row_cmp);
	for (size_t i = 0; i < r.n; i++) {
		char *shown = printable(rows[i].e->env);
		if (strcmp(shown, rows[i].e->env) == 0)
			puts(shown);
		free(shown);
	}
	free(rows);
	registry_free(&r);
	return stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
}

int cmd_list(int argc, char **argv)
{
	int json = 0, size = 0, scanning = 0, names = 0;
	const struct option opts[] = {
		{ "--json", NULL, OPTION_FLAG, &json },
		{ "--size", NULL, OPTION_FLAG, &size },
		{ "--scan", NULL, OPTION_FLAG, &scanning },
		{ "--names", NULL, OPTION_FLAG, &names },   /* for the completions */
	};
	struct operands o;
	options_parse("list", argc, argv, opts, 4, 0, &o);
	if (o.dashdash)
		usage_error("list", "unexpected argument '--'");
	if (names) {
		if (json || size || scanning || o.n)
			usage_error("list", "--names goes alone");
		return print_names();
	}
	if (scanning && !o.n)
		usage_error("list", "--scan needs at least one directory");
	if (!scanning && o.n)
		usage_error("list", "unexpected argument '%s' (directories follow --scan)", o.v[0]);
	char **roots = o.v;
	size_t n_roots = (size_t)o.n;
	char err[MSG_MAX];
	struct registry r;
	struct found f = { NULL, 0 };
	int status = EXIT_OK;
	if (scanning) {
		char *cwd = current_dir();
		for (size_t i = 0; i < n_roots; i++) {
			char *root = path_normalize(cwd, roots[i]);
			size_t unreadable = 0;
			if (env_scan(root, found_one, &f, &unreadable, err, sizeof err) < 0) {
				char *shown = printable(err);
				error("%s", shown);
				free(shown);
				status = EXIT_FAIL;
			} else if (unreadable) {
				char *shown = printable(root);
				error("%zu director%s under '%s' could not be read", unreadable,
				      unreadable == 1 ? "y" : "ies", shown);
				free(shown);
			}
			free(root);
		}
		free(cwd);
	}
	if (registry_update(&r, scanning ? note_found : NULL, &f, err, sizeof err) < 0) {
		char *shown = printable(err);
		error("%s", shown);
		free(shown);
		status = EXIT_FAIL;
		memset(&r, 0, sizeof r);
	}
	for (size_t i = 0; i < f.n; i++)
		free(f.env[i]);
	free(f.env);

	struct row *rows = xmalloc((r.n ? r.n : 1) * sizeof *rows);
	struct inode_set seen = { NULL, 0, 0 };
	for (size_t i = 0; i < r.n; i++)
		rows[i].e = &r.e[i];
	check_rows(rows, r.n);
	for (size_t i = 0; i < r.n; i++) {
		struct row *w = &rows[i];
		w->size = size && w->st.state != ENV_GONE ? disk_usage(w->e->env, &seen) : -1;
	}
	inode_set_free(&seen);
	qsort(rows, r.n, sizeof *rows, row_cmp);
	/* What creates, rm and prune killed mid-way left: prune removes it. */
	struct leftovers lo;
	registry_leftovers(&r, &lo);
	if (json)
		print_json(rows, r.n, size, &lo);
	else if (r.n || lo.n)
		print_table(rows, r.n, size, &lo);
	else if (status == EXIT_OK)
		error("no envs recorded yet; 'venvhook list --scan DIR' finds them");
	if (lo.n && !json)
		error("%zu leftover%s of an interrupted create, rm or prune; 'venvhook prune' removes %s",
		      lo.n, lo.n == 1 ? "" : "s", lo.n == 1 ? "it" : "them");
	leftovers_free(&lo);
	for (size_t i = 0; i < r.n; i++) {
		env_status_free(&rows[i].st);
		free(rows[i].name);
	}
	free(rows);
	registry_free(&r);
	return stdout_finish() < 0 ? EXIT_FAIL : status;
}
