/* site_path.c: the search path a venv's pip sees (its sys.path). */
#include "site_path.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listing.h"
#include "platform.h"
#include "proc.h"
#include "python_cache.h"

#define PTH_MAX (1024 * 1024)

/* What only the base interpreter knows. */
struct base_info {
	struct strlist stdlib;          /* sys.path under -I -S */
	struct strlist envsite;         /* site dirs of a venv, relative to it */
	struct strlist basesite;        /* the base's own site dirs */
};

static void base_info_free(struct base_info *b)
{
	strlist_free(&b->stdlib);
	strlist_free(&b->envsite);
	strlist_free(&b->basesite);
}

/* The query, valid Python 3.6 and later; one "key value" line each. */
static const char query[] =
	"import sys, site\n"
	"w = sys.stdout.write\n"
	"for p in sys.path: w('stdlib %s\\n' % p)\n"
	"ph = '/\\x01venvhook'\n"
	/* As in a venv: Debian's site.py adds site-packages only there. */
	"sys.prefix = sys.exec_prefix = ph\n"
	"for p in site.getsitepackages([ph]):\n"
	"    if p.startswith(ph + '/'): w('envsite %s\\n' % p[len(ph):])\n"
	"for p in site.getsitepackages([sys.base_prefix, sys.base_exec_prefix]):\n"
	"    w('basesite %s\\n' % p)\n";

static int parse_info(const char *text, struct base_info *b)
{
	char *copy = xstrdup(text);
	for (char *line = copy, *next; line && *line; line = next) {
		next = str_cut(line, '\n');
		const char *v = str_cut(line, ' ');
		if (!v)
			continue;
		if (strcmp(line, "stdlib") == 0 && v[0] == '/')
			strlist_add(&b->stdlib, v);
		else if (strcmp(line, "envsite") == 0 && v[0] == '/')
			strlist_add(&b->envsite, v);
		else if (strcmp(line, "basesite") == 0 && v[0] == '/')
			strlist_add(&b->basesite, v);
	}
	free(copy);
	return b->envsite.n ? 0 : -1;
}

/* Loads the kept answer of python; 0 if there is one that holds. */
static int cache_load(const char *python, struct base_info *b)
{
	struct sbuf text = SBUF_INIT;
	int r = python_cache_get(python, "site", &text) ? parse_info(text.s, b) : -1;
	if (r < 0)
		base_info_free(b);
	sb_free(&text);
	return r;
}

/* Asks the base interpreter and caches its answer (a cache that cannot be
 * written is not an error). */
static int ask_python(const char *python, struct base_info *b, char *err, size_t errlen)
{
	char *argv[] = { (char *)python, "-I", "-S", "-c", (char *)query, NULL };
	struct sbuf out = SBUF_INIT;
	int status = proc_capture(argv, "/", &out, 1);
	if (status != 0) {
		if (status < 0)
			snprintf(err, errlen, "cannot run '%s': %s", python, strerror(errno));
		else
			snprintf(err, errlen, "'%s' failed to tell its site directories (status %d)",
				 python, status);
		sb_free(&out);
		return -1;
	}
	if (parse_info(out.s, b) < 0) {
		snprintf(err, errlen, "cannot understand the site directories '%s' told", python);
		base_info_free(b);
		sb_free(&out);
		return -1;
	}
	python_cache_put(python, "site", NULL, out.s, out.len);
	sb_free(&out);
	return 0;
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* is_dir for a site directory: its listing, which add_site_dir reads
 * anyway, tells (a directory that cannot be opened is asked of stat). */
static int is_site_dir(const char *p)
{
	char *d = path_normalize("/", p);
	int same = strcmp(d, p) == 0, err = 0;
	free(d);
	if (!same)
		return is_dir(p);
	if (dist_dir_listing(p, &err))
		return 1;
	return err == ENOENT || err == ENOTDIR ? 0 : is_dir(p);
}

static int exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

/* The layout without asking Python: getpath's search for the standard
 * library's landmark upwards from home, and site.py's venv site dirs
 * (Debian's interpreter in /usr adds its dist-packages variants). */
static void derive_info(const struct env_info *e, struct base_info *b)
{
	const char *home = e->cfg.home;
	char *prefix = NULL;
	if (home && home[0] == '/') {
		char *dir = path_normalize("/", home);
		for (;;) {
			char *landmark = xasprintf("%s/lib/python%s/os.py", strcmp(dir, "/") ? dir : "",
						   e->pyver);
			int found = exists(landmark);
			free(landmark);
			if (found) {
				prefix = dir;
				break;
			}
			if (!path_up(&dir)) {
				free(dir);
				break;
			}
		}
	}
	if (prefix) {
		const char *p = strcmp(prefix, "/") ? prefix : "";
		char *s = xasprintf("%s/lib/python%d%d.zip", p, e->major, e->minor);
		strlist_add(&b->stdlib, s);
		free(s);
		s = xasprintf("%s/lib/python%s", p, e->pyver);
		strlist_add(&b->stdlib, s);
		free(s);
		s = xasprintf("%s/lib/python%s/lib-dynload", p, e->pyver);
		strlist_add(&b->stdlib, s);
		free(s);
	}
	char *s = xasprintf("/lib/python%s/site-packages", e->pyver);
	strlist_add(&b->envsite, s);
	free(s);
	if (prefix && strcmp(prefix, "/usr") == 0 && is_dir("/usr/lib/python3/dist-packages")) {
		s = xasprintf("/local/lib/python%s/dist-packages", e->pyver);
		strlist_add(&b->envsite, s);
		free(s);
		strlist_add(&b->envsite, "/lib/python3/dist-packages");
		s = xasprintf("/lib/python%s/dist-packages", e->pyver);
		strlist_add(&b->envsite, s);
		free(s);
	}
	free(prefix);
}

struct site {
	struct strlist *path;
	struct strlist known;
};

static void add_path(struct site *s, const char *p)
{
	if (strlist_has(&s->known, p))
		return;
	strlist_add(s->path, p);
	strlist_add(&s->known, p);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* site.addsitedir: the dir, then what its .pth files name, in name order.
 * The listing is listing.c's, which the scan reads again. */
static void add_site_dir(struct site *s, const char *dir)
{
	char *d = path_normalize("/", dir);
	add_path(s, d);
	const struct dir_listing *dl = dist_dir_listing(d, NULL);
	if (!dl) {
		free(d);
		return;
	}
	struct strlist pth = { NULL, 0, 0 };
	for (size_t i = 0; i < dl->pth.n; i++)
		strlist_add(&pth, dl->pth.v[i]);
	if (pth.n)
		qsort(pth.v, pth.n, sizeof *pth.v, cmp_str);
	for (size_t i = 0; i < pth.n; i++) {
		char *file = path_join(d, pth.v[i]);
		struct sbuf text = SBUF_INIT;
		char err[MSG_MAX];
		if (file_read(file, PTH_MAX, &text, err, sizeof err) < 0) {
			warning("%s", err);
			free(file);
			sb_free(&text);
			continue;
		}
		text.len = newline_translate(text.s, text.len);
		for (char *line = text.s, *next; line && *line; line = next) {
			next = str_cut(line, '\n');
			if (line[0] == '#' || strncmp(line, "import ", 7) == 0 ||
			    strncmp(line, "import\t", 7) == 0)
				continue;
			size_t n = strlen(line);
			while (n && strchr(" \t\r\n\v\f", line[n - 1]))
				line[--n] = '\0';
			if (!n || strspn(line, " \t\v\f") == n)
				continue;
			char *p = path_normalize(d, line);
			if (!strlist_has(&s->known, p) && exists(p))
				add_path(s, p);
			free(p);
		}
		sb_free(&text);
		free(file);
	}
	strlist_free(&pth);
	free(d);
}

/* CPython's _Py_get_env_flag for PYTHONNOUSERSITE: unset or empty is
 * 0, a decimal number (strtol, whole string) is its value, anything else
 * (and a negative number) counts as 1. */
static int no_user_site(void)
{
	const char *v = getenv("PYTHONNOUSERSITE");
	if (!v || !*v)
		return 0;
	errno = 0;
	char *end;
	long n = strtol(v, &end, 10);
	if (end == v || *end || errno == ERANGE || n < 0 || n > INT_MAX)
		return 1;
	return n != 0;
}

/* The home directory of the real user in /etc/passwd, or NULL (without
 * getpwuid, which a static binary cannot use). */
static char *passwd_home(void)
{
	struct sbuf text = SBUF_INIT;
	char err[MSG_MAX];
	char *home = NULL;
	if (file_read("/etc/passwd", 16 * 1024 * 1024, &text, err, sizeof err) == 0) {
		char uid[32];
		snprintf(uid, sizeof uid, "%lu", (unsigned long)getuid());
		for (char *line = text.s, *next; line && *line && !home; line = next) {
			next = str_cut(line, '\n');
			char *f[7];
			int n = 0;
			for (char *p = line; n < 7; n++) {
				f[n] = p;
				p = strchr(p, ':');
				if (!p) {
					n++;
					break;
				}
				*p++ = '\0';
			}
			if (n >= 6 && strcmp(f[2], uid) == 0)
				home = xstrdup(f[5]);
		}
	}
	sb_free(&text);
	return home;
}

/* site._getuserbase(): PYTHONUSERBASE when not empty, else ~/.local with
 * os.path.expanduser's rules: $HOME when set (even empty), else the
 * password database; trailing slashes of the home removed. */
static char *user_base(void)
{
	const char *base = getenv("PYTHONUSERBASE");
	if (base && *base)
		return xstrdup(base);
	const char *h = getenv("HOME");
	char *home = h ? xstrdup(h) : passwd_home();
	if (!home)
		return NULL;
	size_t n = strlen(home);
	while (n && home[n - 1] == '/')
		home[--n] = '\0';
	char *r = xasprintf("%s/.local", home);
	free(home);
	return r;
}

int site_path(const struct env_info *e, struct strlist *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	struct base_info b;
	memset(&b, 0, sizeof b);
	char *py = env_python(e);
	struct stat st;
	char *real = realpath_stat(py, &st);
	int have = 0;
	if (real) {
		have = cache_load(real, &b) == 0;
		if (!have && e->cfg.system_site) {
			env_require_trust(e, "the env's interpreter to learn its site directories");
			if (ask_python(real, &b, err, errlen) < 0) {
				free(real);
				free(py);
				return -1;
			}
			have = 1;
		}
	} else if (e->cfg.system_site) {
		snprintf(err, errlen, "cannot find the interpreter of '%s': '%s' is missing or dangling",
			 e->env, py);
		free(real);
		free(py);
		return -1;
	}
	free(real);
	free(py);
	if (!have)
		derive_info(e, &b);

	struct site s = { out, { NULL, 0, 0 } };
	char *cwd = NULL;
	/* sys.path[0]: the directory of the bin/pip script. */
	char *bin = path_join(e->env, "bin");
	add_path(&s, bin);
	free(bin);
	const char *pp = env_get("PYTHONPATH");
	if (pp) {
		cwd = getcwd(NULL, 0);
		char *copy = xstrdup(pp);
		for (char *p = copy, *next; p; p = next) {
			next = strchr(p, ':');
			if (next)
				*next++ = '\0';
			if (*p) {
				char *abs = path_normalize(cwd ? cwd : "/", p);
				add_path(&s, abs);
				free(abs);
			}
		}
		free(copy);
	}
	for (size_t i = 0; i < b.stdlib.n; i++)
		add_path(&s, b.stdlib.v[i]);
	if (e->cfg.system_site && !no_user_site() && getuid() == user_id() && getgid() == getegid()) {
		char *user = user_base();
		if (user) {
			char *site = xasprintf("%s/lib/python%s/site-packages", user, e->pyver);
			char *abs = NULL;
			if (site[0] != '/') {
				if (!cwd)
					cwd = getcwd(NULL, 0);
				abs = path_normalize(cwd ? cwd : "/", site);
			}
			if (is_site_dir(abs ? abs : site))
				add_site_dir(&s, abs ? abs : site);
			free(abs);
			free(site);
			free(user);
		}
	}
	for (size_t i = 0; i < b.envsite.n; i++) {
		char *dir = xasprintf("%s%s", e->env, b.envsite.v[i]);
		if (is_site_dir(dir))
			add_site_dir(&s, dir);
		free(dir);
	}
	for (size_t i = 0; e->cfg.system_site && i < b.basesite.n; i++)
		if (is_site_dir(b.basesite.v[i]))
			add_site_dir(&s, b.basesite.v[i]);
	strlist_free(&s.known);
	base_info_free(&b);
	free(cwd);
	return 0;
}
