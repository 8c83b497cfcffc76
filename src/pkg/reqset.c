/* reqset.c: a requirements file with its -r includes, judged against an env. */
#include "reqset.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "dist.h"
#include "pep440.h"

#define REQFILE_MAX (16u * 1024 * 1024)
#define INCLUDE_DEPTH 32

static void problem(int quiet, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(int quiet, const char *fmt, ...)
{
	if (quiet)
		return;
	struct sbuf b = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	error("%s", b.s);
	sb_free(&b);
}

static int load(const char *path, const char *shown, int constraint, int depth,
		struct strlist *seen, int quiet, struct reqset *rs)
{
	char *real = realpath(path, NULL);
	if (real && strlist_has(seen, real)) {
		free(real);
		return 0;       /* included twice: pip reads it again, it adds nothing */
	}
	if (real)
		strlist_add(seen, real);
	free(real);
	struct sbuf text = SBUF_INIT;
	char err[2048];
	if (file_read(path, REQFILE_MAX, &text, err, sizeof err) < 0) {
		problem(quiet, "%s", err);
		sb_free(&text);
		return -1;
	}
	const char *body = text.s;
	if (strncmp(body, "\xef\xbb\xbf", 3) == 0)
		body += 3;
	struct req_file rf;
	reqfile_parse(body, &rf);
	sb_free(&text);
	int r = 0;
	char *dir = path_dirname(path);
	for (size_t i = 0; i < rf.n; i++) {
		struct req_line *l = &rf.l[i];
		if (l->kind == REQ_ERROR) {
			problem(quiet, "%s:%d: %s", shown, l->lineno, l->error);
			r = -1;
			continue;
		}
		if (l->kind == REQ_INCLUDE || l->kind == REQ_CONSTRAINT) {
			if (strstr(l->url, "://")) {
				problem(quiet, "%s:%d: cannot read the requirements at '%s': venvhook reads files only",
					shown, l->lineno, l->url);
				r = -1;
				continue;
			}
			if (depth >= INCLUDE_DEPTH) {
				problem(quiet, "%s:%d: includes nest deeper than %d files", shown, l->lineno,
					INCLUDE_DEPTH);
				r = -1;
				continue;
			}
			const char *u = strncmp(l->url, "file:", 5) == 0 ? l->url + 5 : l->url;
			char *sub = path_normalize(dir, u);
			if (load(sub, sub, constraint || l->kind == REQ_CONSTRAINT, depth + 1, seen, quiet,
				 rs) < 0)
				r = -1;
			free(sub);
			continue;
		}
		if (l->kind == REQ_OPTION || constraint)
			continue;
		rs->r = xrealloc(rs->r, (rs->n + 1) * sizeof *rs->r);
		struct req_item *it = &rs->r[rs->n++];
		it->l = *l;
		it->file = xstrdup(shown);
		memset(l, 0, sizeof *l);
	}
	free(dir);
	reqfile_free(&rf);
	return r;
}

int reqset_load(const char *path, struct reqset *rs)
{
	return reqset_read(path, 0, rs);
}

int reqset_read(const char *path, int quiet, struct reqset *rs)
{
	memset(rs, 0, sizeof *rs);
	struct strlist seen = { NULL, 0, 0 };
	int r = load(path, path, 0, 0, &seen, quiet, rs);
	strlist_free(&seen);
	return r;
}

void reqset_free(struct reqset *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		req_line_free(&rs->r[i].l);
		free(rs->r[i].file);
	}
	free(rs->r);
	memset(rs, 0, sizeof *rs);
}

int reqset_tooling(const char *canon)
{
	static const char *const tools[] = { "pip", "setuptools", "wheel", "distribute",
					     "pkg-resources", "python", "wsgiref", "argparse" };
	for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
		if (strcmp(canon, tools[i]) == 0)
			return 1;
	return 0;
}

int reqset_lists(const struct reqset *rs, const struct frozen *f)
{
	char *cwd = NULL;
	int found = 0;
	for (size_t i = 0; i < rs->n && !found; i++) {
		const struct req_line *l = &rs->r[i].l;
		if (l->name) {
			char *c = canonical_name(l->name);
			found = strcmp(c, f->key) == 0;
			free(c);
		} else if (l->kind == REQ_EDITABLE && f->editable_path) {
			if (!cwd)
				cwd = current_dir();
			const char *u = strncmp(l->url, "file://", 7) == 0 ? l->url + 7 : l->url;
			char *p = path_normalize(cwd, u);
			found = strcmp(p, f->editable_path) == 0;
			free(p);
		}
	}
	free(cwd);
	return found;
}

/* Counts one difference and, if out is not NULL, prints it there. */
static void report(FILE *out, int *count, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void report(FILE *out, int *count, const char *fmt, ...)
{
	(*count)++;
	if (!out)
		return;
	va_list ap;
	va_start(ap, fmt);
	vprint_line(out, fmt, ap);      /* lines and names from files: made printable */
	va_end(ap);
}

static const struct frozen *installed(const struct freeze_list *l, const char *name)
{
	char *c = canonical_name(name);
	const struct frozen *f = NULL;
	for (size_t i = 0; i < l->n && !f; i++)
		if (strcmp(l->f[i].key, c) == 0)
			f = &l->f[i];
	free(c);
	return f;
}

/* Judges one requirement: 0 agrees, 1 differs, 2 cannot judge; each but 0 is
 * counted in d and, if out is not NULL, printed there. */
static int judge(const struct req_item *it, const struct freeze_list *l, const struct marker_env *m,
		 FILE *out, struct reqset_diff *d)
{
	const struct req_line *r = &it->l;
	char err[512];
	if (r->marker) {
		int v = marker_eval(r->marker, m, err, sizeof err);
		if (v == 0)
			return 0;       /* not for this env */
		if (v < 0) {
			report(out, &d->unjudged, "cannot judge: %s:%d: %s: %s\n", it->file, r->lineno, r->text, err);
			return 2;
		}
	}
	if (r->kind == REQ_EDITABLE && !r->name) {
		char *cwd = current_dir();
		const char *u = strncmp(r->url, "file://", 7) == 0 ? r->url + 7 : r->url;
		char *p = path_normalize(cwd, u);
		free(cwd);
		int found = 0;
		for (size_t i = 0; i < l->n && !found; i++)
			found = l->f[i].editable_path && strcmp(l->f[i].editable_path, p) == 0;
		if (!found)
			report(out, &d->missing, "missing: %s (%s:%d: no editable install of '%s')\n", r->text, it->file,
			       r->lineno, p);
		free(p);
		return !found;
	}
	if (!r->name) {
		report(out, &d->unjudged, "cannot judge: %s:%d: %s: cannot tell which project it installs\n", it->file,
		       r->lineno, r->text);
		return 2;
	}
	const struct frozen *f = installed(l, r->name);
	if (!f) {
		report(out, &d->missing, "missing: %s (%s:%d)\n", r->text, it->file, r->lineno);
		return 1;
	}
	if (r->kind == REQ_EDITABLE && !f->editable) {
		report(out, &d->different, "different: %s %s is installed, not as an editable project (%s:%d: %s)\n",
		       f->name, f->version ? f->version : "(no version)", it->file, r->lineno, r->text);
		return 1;
	}
	if (!r->spec || !*r->spec)
		return 0;
	if (!f->version) {
		report(out, &d->unjudged, "cannot judge: %s:%d: %s: %s has no version\n", it->file, r->lineno, r->text,
		       f->name);
		return 2;
	}
	struct pep440 v;
	int valid = pep440_parse(f->version, &v) == 0;
	int ok;
	if (valid) {
		ok = pep440_specset_match(r->spec, &v, f->version);
		pep440_free(&v);
	} else {
		/* Only === can name an invalid version. */
		ok = strncmp(r->spec, "===", 3) == 0 && !strchr(r->spec, ',')
			? strcasecmp(r->spec + 3, f->version) == 0 : -1;
	}
	if (ok < 0) {
		report(out, &d->unjudged, "cannot judge: %s:%d: %s: cannot compare installed version '%s' with '%s'\n",
		       it->file, r->lineno, r->text, f->version, r->spec);
		return 2;
	}
	if (!ok) {
		report(out, &d->different, "different: %s %s is installed, %s:%d wants %s%s\n", f->name, f->version,
		       it->file, r->lineno, r->name, r->spec);
		return 1;
	}
	return 0;
}

int reqset_compare(const struct reqset *rs, const struct freeze_list *l, const struct marker_env *m,
		   FILE *out, struct reqset_diff *d)
{
	memset(d, 0, sizeof *d);
	int differ = 0;
	for (size_t i = 0; i < rs->n; i++)
		differ |= judge(&rs->r[i], l, m, out, d) != 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct frozen *f = &l->f[i];
		if (reqset_tooling(f->key) || reqset_lists(rs, f))
			continue;
		if (f->version)
			report(out, &d->unlisted, "not listed: %s%s%s\n", f->name,
			       f->version_valid ? "==" : "===", f->version);
		else
			report(out, &d->unlisted, "not listed: %s (no version)\n", f->name);
		differ = 1;
	}
	return differ;
}

void reqset_marker_env(const struct env_info *e, struct marker_env *m, char *buf, size_t buflen)
{
	memset(m, 0, sizeof *m);
	struct utsname u;
	int have_uname = uname(&u) == 0;
	/* buf holds the strings: version, full version, uname fields. */
	int n = snprintf(buf, buflen, "%s%c%s%c%s%c%s%c%s%c%s", e->pyver, 0,
			 e->cfg.version ? e->cfg.version : "", 0,
			 have_uname ? u.sysname : "", 0, have_uname ? u.machine : "", 0,
			 have_uname ? u.release : "", 0, have_uname ? u.version : "");
	if (n < 0 || (size_t)n >= buflen)
		return;
	const char *p = buf;
	m->python_version = p;
	p += strlen(p) + 1;
	m->python_full_version = *p ? p : NULL;
	p += strlen(p) + 1;
	if (have_uname) {
		m->platform_system = p;
		p += strlen(p) + 1;
		m->platform_machine = p;
		p += strlen(p) + 1;
		m->platform_release = p;
		p += strlen(p) + 1;
		m->platform_version = p;
	}
	m->os_name = "posix";
	if (m->platform_system && strcmp(m->platform_system, "Linux") == 0)
		m->sys_platform = "linux";
	/* CPython keeps its library in lib/pythonX.Y (PyPy: lib/pypyX.Y). */
	char *lib = xasprintf("%s/lib/python%s", e->env, e->pyver);
	if (access(lib, F_OK) == 0) {
		m->implementation_name = "cpython";
		m->platform_python_implementation = "CPython";
		m->implementation_version = m->python_full_version;
	}
	free(lib);
}
