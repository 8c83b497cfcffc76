/* reqset.c: a requirements file with its -r includes, judged against an env. */
#include "reqset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "dist.h"
#include "verdict.h"

#define REQFILE_MAX (16u * 1024 * 1024)
#define INCLUDE_DEPTH 32

char *reqset_default_path(const char *opt, const struct env_info *e)
{
	char *cwd = current_dir();
	char *p;
	if (opt) {
		p = path_normalize(cwd, opt);
	} else if (e->project) {
		p = path_join(e->project, "requirements.txt");
	} else {
		struct verdict v;
		verdict_for(cwd, &v, NULL);
		p = path_join(v.proj.kind != MARKER_NONE && v.proj.dir ? v.proj.dir : cwd,
			      "requirements.txt");
		verdict_free(&v);
	}
	free(cwd);
	return p;
}

static int load(const char *path, const char *shown, int constraint, int depth,
		struct strlist *seen, struct reqset *rs)
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
		error("%s", err);
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
			error("%s:%d: %s", shown, l->lineno, l->error);
			r = -1;
			continue;
		}
		if (l->kind == REQ_INCLUDE || l->kind == REQ_CONSTRAINT) {
			if (strstr(l->url, "://")) {
				error("%s:%d: cannot read the requirements at '%s': venvhook reads files only",
				      shown, l->lineno, l->url);
				r = -1;
				continue;
			}
			if (depth >= INCLUDE_DEPTH) {
				error("%s:%d: includes nest deeper than %d files", shown, l->lineno,
				      INCLUDE_DEPTH);
				r = -1;
				continue;
			}
			const char *u = strncmp(l->url, "file:", 5) == 0 ? l->url + 5 : l->url;
			char *sub = path_normalize(dir, u);
			if (load(sub, sub, constraint || l->kind == REQ_CONSTRAINT, depth + 1, seen, rs) < 0)
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
	memset(rs, 0, sizeof *rs);
	struct strlist seen = { NULL, 0, 0 };
	int r = load(path, path, 0, 0, &seen, rs);
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
