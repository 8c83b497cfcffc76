/* reqset.c: a requirements file with its -r includes, judged against an env. */
#include "reqset.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "dist.h"
#include "pep440.h"
#include "quote.h"

#define REQFILE_MAX (16u * 1024 * 1024)
#define INCLUDE_DEPTH 32
#define INCLUDES_MAX 4096

/* The whole file, NUL bytes and all. */
static int read_raw(const char *path, struct sbuf *out, char *err, size_t errlen)
{
	struct stat st;
	int fd = file_open_stat(path, 0, &st, err, errlen);
	if (fd < 0)
		return -1;
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
		snprintf(err, errlen, "cannot read '%s': %s", path, S_ISDIR(st.st_mode)
			 ? "it is a directory" : "it is not a regular file");
		close(fd);
		return -1;
	}
	int r = fd_read_all(fd, path, REQFILE_MAX, &st, out, err, errlen);
	close(fd);
	return r;
}

/* pip's url_to_path for a file: URL, or NULL if it names another host. */
static char *file_url_path(const char *url)
{
	const char *p = url + 5;                        /* after "file:" */
	if (strncmp(p, "//", 2) == 0) {
		p += 2;
		size_t host = strcspn(p, "/?#");
		if (host && !(host == 9 && strncasecmp(p, "localhost", 9) == 0))
			return NULL;
		p += host;
	}
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	size_t n = strcspn(p, "?#");
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '%' && isxdigit((unsigned char)p[i + 1]) && isxdigit((unsigned char)p[i + 2])) {
			char hex[3] = { p[i + 1], p[i + 2], 0 };
			sb_addc(&b, (char)strtol(hex, NULL, 16));
			i += 2;
		} else {
			sb_addc(&b, p[i]);
		}
	}
	return sb_detach(&b);
}

/* pip wants a project directory at a path (relative to the current
 * directory): why it would refuse path (1), or 0. */
static int project_dir_problem(const char *path, int editable, char *why, size_t whylen)
{
	char *cwd = current_dir();
	char *p = path_normalize(cwd, path);
	free(cwd);
	struct stat st;
	int bad = 0;
	if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "'%s' looks like a path, and there is no directory '%s'", path, p);
		bad = 1;
	} else if (!editable) {
		/* (an editable one pip tries to build, and fails later) */
		char *a = path_join(p, "setup.py"), *b = path_join(p, "pyproject.toml");
		if (access(a, F_OK) != 0 && access(b, F_OK) != 0) {
			snprintf(why, whylen, "directory '%s' holds neither setup.py nor pyproject.toml", p);
			bad = 1;
		}
		free(a);
		free(b);
	}
	free(p);
	return bad;
}

struct loader {
	int pip;
	int quiet;              /* print no problem (they still make it fail) */
	struct strlist stack;   /* the files being read, outermost first */
	char *real[INCLUDE_DEPTH + 1];  /* their real paths, made when an include asks */
	unsigned reads;
	struct reqset *rs;
};

/* The real path of the file being read at depth k (its path if it has none). */
static const char *stack_real(struct loader *ld, size_t k)
{
	if (!ld->real[k]) {
		ld->real[k] = realpath(ld->stack.v[k], NULL);
		if (!ld->real[k])
			ld->real[k] = xstrdup(ld->stack.v[k]);
	}
	return ld->real[k];
}

/* An error on a line: pip's refusal, or venvhook's own limit. */
static void line_error(const struct loader *ld, const char *shown, int lineno, int pip_refuses,
		       const char *why)
{
	if (ld->quiet)
		return;
	char *f = printable(shown), *w = printable(why);
	error("%s:%d: %s%s", f, lineno, pip_refuses ? "pip would refuse this line: " : "", w);
	free(f);
	free(w);
}

/* Another problem (its text is freed), printed through printable(). */
static void file_error(const struct loader *ld, char *msg)
{
	if (!ld->quiet) {
		char *m = printable(msg);
		error("%s", m);
		free(m);
	}
	free(msg);
}

/* Reads one inclusion of path: its lines are requirements, or (constraint)
 * constraints, which are not requirements.  pip reads a file each time
 * it is included, in the role of that inclusion. */
static int load(struct loader *ld, const char *path, const char *shown, int constraint)
{
	if (++ld->reads > INCLUDES_MAX) {
		file_error(ld, xasprintf("%s: venvhook reads at most %d inclusions of requirements files",
					 shown, INCLUDES_MAX));
		return -1;
	}
	struct sbuf raw = SBUF_INIT;
	char err[MSG_MAX];
	if (read_raw(path, &raw, err, sizeof err) < 0) {
		file_error(ld, xstrdup(err));
		sb_free(&raw);
		return -1;
	}
	char why[REASON_MAX];
	char *text = reqfile_decode(raw.s, raw.len, why, sizeof why);
	sb_free(&raw);
	if (!text) {
		file_error(ld, xasprintf("%s: pip would refuse this file: %s", shown, why));
		return -1;
	}
	/* Its real path only if it includes another file (a realpath costs a
	 * readlink per component). */
	strlist_add(&ld->stack, path);
	ld->real[ld->stack.n - 1] = NULL;
	struct req_file rf;
	reqfile_parse_pip(text, ld->pip, &rf);
	free(text);
	int r = 0;
	char *dir = path_dirname(path);
	for (size_t i = 0; i < rf.n; i++) {
		struct req_line *l = &rf.l[i];
		if (l->kind == REQ_ERROR) {
			line_error(ld, shown, l->lineno, l->pip_refuses, l->error);
			r = -1;
			continue;
		}
		if (l->kind == REQ_INCLUDE || l->kind == REQ_CONSTRAINT) {
			char *sub;
			if (strncasecmp(l->url, "file:", 5) == 0) {
				sub = file_url_path(l->url);
				if (!sub) {
					line_error(ld, shown, l->lineno, 0, "venvhook reads files on this machine only");
					r = -1;
					continue;
				}
			} else if (strstr(l->url, "://")) {
				char *m = xasprintf("cannot read the requirements at '%s': venvhook reads "
						    "files only", l->url);
				line_error(ld, shown, l->lineno, 0, m);
				free(m);
				r = -1;
				continue;
			} else {
				sub = xstrdup(l->url);
			}
			char *full = path_normalize(dir, sub);
			free(sub);
			char *subreal = realpath(full, NULL);
			int loop = 0;
			for (size_t k = 0; subreal && k < ld->stack.n && !loop; k++)
				loop = strcmp(stack_real(ld, k), subreal) == 0;
			free(subreal);
			if (loop) {
				char *m = xasprintf("'%s' includes itself, and pip follows includes until it "
						    "fails", full);
				line_error(ld, shown, l->lineno, 1, m);
				free(m);
				r = -1;
			} else if (ld->stack.n >= INCLUDE_DEPTH) {
				char *m = xasprintf("includes nest deeper than %d files", INCLUDE_DEPTH);
				line_error(ld, shown, l->lineno, 0, m);
				free(m);
				r = -1;
			} else if (load(ld, full, full, l->kind == REQ_CONSTRAINT) < 0) {
				r = -1;
			}
			free(full);
			continue;
		}
		if (l->local_dir && !constraint && project_dir_problem(l->url, l->kind == REQ_EDITABLE, why, sizeof why)) {
			line_error(ld, shown, l->lineno, 1, why);
			r = -1;
			continue;
		}
		if (l->kind == REQ_OPTION || constraint)
			continue;
		if ((ld->rs->n & (ld->rs->n - 1)) == 0)        /* 0, 1, 2, 4, ...: grow */
			ld->rs->r = xrealloc(ld->rs->r, (ld->rs->n ? 2 * ld->rs->n : 1) *
					     sizeof *ld->rs->r);
		struct req_item *it = &ld->rs->r[ld->rs->n++];
		it->l = *l;
		it->file = xstrdup(shown);
		memset(l, 0, sizeof *l);
	}
	free(dir);
	reqfile_free(&rf);
	free(ld->stack.v[--ld->stack.n]);
	free(ld->real[ld->stack.n]);
	ld->real[ld->stack.n] = NULL;
	return r;
}

int reqset_load(const char *path, int pip, struct reqset *rs)
{
	return reqset_read(path, pip, 0, rs);
}

int reqset_read(const char *path, int pip, int quiet, struct reqset *rs)
{
	memset(rs, 0, sizeof *rs);
	struct loader ld = { pip, quiet, { NULL, 0, 0 }, { NULL }, 0, rs };
	int r = load(&ld, path, path, 0);
	strlist_free(&ld.stack);
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

/* Judges one requirement: 0 agrees, 1 differs, 2 cannot judge, 3 pip would
 * stop on it; each but 0 is counted in d and, if out is not NULL, printed
 * there (3 on stderr). */
static int judge(const struct req_item *it, const struct freeze_list *l, const struct marker_env *m,
		 FILE *out, struct reqset_diff *d)
{
	const struct req_line *r = &it->l;
	char err[MSG_MAX];
	if (r->marker) {
		int v = marker_eval(r->marker, m, err, sizeof err);
		if (v == 0)
			return 0;       /* not for this env */
		if (v == -3) {
			/* pip stops on it: an error (on stderr), not a difference */
			d->refused++;
			if (out) {
				char *f = printable(it->file), *w = printable(err);
				error("%s:%d: pip would refuse this line: %s", f, r->lineno, w);
				free(f);
				free(w);
			}
			return 3;
		}
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

int reqset_pip(const struct freeze_list *l)
{
	return l->pip_major < 0 ? PIP_NEWEST : l->pip_major * 100 + l->pip_minor;
}

void reqset_marker_env(const struct env_info *e, int pip, struct marker_env *m, char *buf,
		       size_t buflen)
{
	memset(m, 0, sizeof *m);
	m->pip = pip;
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
