/* freeze.c: what the env's `pip freeze` prints, computed in C from the
 * installed distributions' metadata (for freeze, check, sync and repair).
 *
 * The rules follow pip 23.0 to 24.2 with either metadata backend:
 * importlib.metadata (pip's default on Python 3.11 and later) or
 * pkg_resources (up to 3.10).  Where venvhook meets something it cannot
 * reproduce (an older pip, eggs, zip archives on the search path,
 * editables in non-git checkouts, orders only pkg_resources' version sort
 * decides), it runs the env's own pip and passes its answer on. */
#include "freeze.h"

#include <ctype.h>
#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "editable.h"
#include "listing.h"
#include "pep440.h"
#include "proc.h"
#include "site_path.h"

/* The pip version installed in the env: the pip-X.dist-info pip imports
 * from the env's site-packages. */
static void pip_version(const struct env_info *e, const struct strlist *path, struct freeze_list *l)
{
	l->pip_major = l->pip_minor = l->pip_micro = -1;
	for (size_t i = 0; i < path->n; i++) {
		const struct strlist *names = dist_dir_names(path->v[i]);
		int found = 0;
		for (size_t k = 0; names && k < names->n && !found; k++) {
			const char *name = names->v[k];
			int ma, mi = 0, mc = 0;
			if (strncmp(name, "pip-", 4) != 0 ||
			    sscanf(name + 4, "%d.%d.%d", &ma, &mi, &mc) < 1)
				continue;
			size_t n = strlen(name);
			if (n < 10 || strcmp(name + n - 10, ".dist-info") != 0)
				continue;
			l->pip_major = ma, l->pip_minor = mi, l->pip_micro = mc;
			found = 1;
		}
		if (found) {
			l->pip_dir = xstrdup(path->v[i]);
			break;
		}
	}
	char *pip = path_join(e->env, "bin/pip");
	l->pip_path = pip;
}

static int pip_at_least(const struct freeze_list *l, int ma, int mi)
{
	if (l->pip_major < 0)
		return 1;       /* no pip: the newest rules */
	return l->pip_major > ma || (l->pip_major == ma && l->pip_minor >= mi);
}

/* Python's strtobool as pip reads _PIP_USE_IMPORTLIB_METADATA: 1, 0, or
 * -1 when unset or not a boolean. */
static int env_bool(const char *name)
{
	const char *v = getenv(name);
	if (!v)
		return -1;
	static const char *const yes[] = { "y", "yes", "t", "true", "on", "1" };
	static const char *const no[] = { "n", "no", "f", "false", "off", "0" };
	for (size_t i = 0; i < 6; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* Whether the env's pip leaves out pkg-resources too (Debian's patch): read
 * only when there is one to leave out, as check and the hook never ask. */
static int skips_pkg_resources(const struct freeze_list *l)
{
	if (!l->pip_dir)
		return 0;
	char *f = path_join(l->pip_dir, "pip/_internal/commands/freeze.py");
	struct sbuf text = SBUF_INIT;
	char err[MSG_MAX];
	int r = file_read(f, 1024 * 1024, &text, err, sizeof err) == 0 &&
		strstr(text.s, "\"pkg-resources\"") != NULL;
	sb_free(&text);
	free(f);
	return r;
}

int freeze_skips(const struct freeze_list *l, const struct env_info *e, const char *canon, int all)
{
	if (strcmp(canon, "python") == 0 || strcmp(canon, "wsgiref") == 0 ||
	    strcmp(canon, "argparse") == 0)
		return 1;
	if (all)
		return 0;
	if (strcmp(canon, "pip") == 0)
		return 1;
	int tools = strcmp(canon, "setuptools") == 0 || strcmp(canon, "distribute") == 0 ||
		    strcmp(canon, "wheel") == 0;
	if (strcmp(canon, "pkg-resources") == 0 && skips_pkg_resources(l))
		return 1;
	if (!pip_at_least(l, 23, 2))
		return tools;
	return tools && (e->major < 3 || (e->major == 3 && e->minor < 12));
}

static void rstrip_ws(struct sbuf *b)
{
	while (b->len && (isspace((unsigned char)b->s[b->len - 1]) ||
			  ((unsigned char)b->s[b->len - 1] >= 0x1c && (unsigned char)b->s[b->len - 1] <= 0x1f)))
		b->s[--b->len] = '\0';
}

/* _format_as_name_version, and the version check uses. */
static void name_version(const struct dist *d, int dirname_rules, struct frozen *f, struct sbuf *out)
{
	const char *v = dirname_rules && d->dir_version ? d->dir_version : d->version;
	char *norm = v ? pep440_normalize(v) : NULL;
	const char *shown = norm ? norm : d->version ? d->version : "None";
	sb_adds(out, d->raw_name);
	sb_adds(out, norm ? "==" : "===");
	sb_adds(out, shown);
	f->version = norm ? norm : xstrdup(shown);
	f->version_valid = norm != NULL;
}

static int frozen_from_dist(const struct env_info *e, const struct dist *d, int dirname_rules,
			    int need_text, struct frozen *f, char **unsupported, char *err, size_t errlen)
{
	memset(f, 0, sizeof *f);
	f->name = xstrdup(d->raw_name);
	f->canon = xstrdup(d->canon);
	size_t a = strspn(d->raw_name, " \t\n\r\f\v"), n = strlen(d->raw_name), z = n;
	while (z > a && strchr(" \t\n\r\f\v", d->raw_name[z - 1]))
		z--;
	if (a == 0 && z == n) {
		f->key = xstrdup(d->canon);     /* nothing to trim: the canonical name */
	} else {
		char *trimmed = xstrndup(d->raw_name + a, z - a);
		f->key = canonical_name(trimmed);
		free(trimmed);
	}
	struct sbuf display = SBUF_INIT, text = SBUF_INIT;
	/* pip formats the version only where it prints one, and fails there
	 * when there is none. */
	int have_version = d->version || (dirname_rules && d->dir_version);
	if (have_version)
		name_version(d, dirname_rules, f, &display);
	char noversion[MSG_MAX];           /* made only where it may be said */
	noversion[0] = '\0';
	if (!have_version && need_text)
		snprintf(noversion, sizeof noversion, "'%s' has no Version in its metadata", d->info);
	/* editable_project_location */
	char *loc = NULL;
	if (d->du.kind != DIRECT_NONE) {
		if (d->du.kind == DIRECT_DIR && d->du.editable) {
			char *p = file_url_to_path(d->du.url, err, errlen);
			if (!p) {
				sb_free(&display);
				return -1;
			}
			if (*p) {
				char *cwd = getcwd(NULL, 0);
				loc = path_normalize(cwd ? cwd : "/", p);
				free(cwd);
			}
			free(p);
		}
	} else if (d->egg_link) {
		loc = path_normalize("/", d->location);
	}
	int r = 0;
	if (loc) {
		f->editable = 1;
		f->editable_path = loc;
		if (need_text) {
			char *why = NULL;
			/* git reads the project's .git/config: not for an untrusted env */
			env_require_trust(e, "git for the env's editable installs");
			r = editable_text(loc, d->raw_name, have_version ? display.s : NULL, noversion,
					  &text, &why, err, errlen);
			if (r == 1) {
				if (!*unsupported)
					*unsupported = why;
				else
					free(why);
				r = 0;
			}
		}
	} else if (d->du.kind != DIRECT_NONE) {
		f->direct = 1;
		const struct direct_url *u = &d->du;
		sb_addf(&text, "%s @ ", d->raw_name);
		if (u->kind == DIRECT_VCS)
			sb_addf(&text, "%s+%s@%s", u->vcs, u->url, u->commit_id);
		else
			sb_adds(&text, u->url);
		const char *sep = "#";
		if (u->kind == DIRECT_ARCHIVE && u->hash) {
			sb_addf(&text, "%s%s", sep, u->hash);
			sep = "&";
		}
		if (u->subdirectory)
			sb_addf(&text, "%ssubdirectory=%s", sep, u->subdirectory);
	} else if (have_version) {
		sb_free(&text);
		text = display;         /* the text is name==version */
		display = (struct sbuf)SBUF_INIT;
	} else if (need_text) {
		snprintf(err, errlen, "%s", noversion);
		r = -1;
	}
	sb_free(&display);
	rstrip_ws(&text);
	f->text = sb_detach(&text);
	return r;
}

static void frozen_free(struct frozen *f)
{
	free(f->name);
	free(f->canon);
	free(f->key);
	free(f->version);
	free(f->editable_path);
	free(f->text);
}

void freeze_list_free(struct freeze_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		frozen_free(&l->f[i]);
	free(l->f);
	free(l->unsupported);
	free(l->pip_path);
	free(l->pip_dir);
	memset(l, 0, sizeof *l);
}

struct sort_item {
	char *key;
	size_t index;
};

static int sort_cmp(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

int freeze_collect(const struct env_info *e, int exclude_editable, int need_text,
		   struct freeze_list *l, char *err, size_t errlen)
{
	memset(l, 0, sizeof *l);
	struct strlist path;
	dist_dir_names_forget();        /* a listing of an earlier call may be stale */
	if (site_path(e, &path, err, errlen) < 0) {
		dist_dir_names_forget();
		return -1;
	}
	pip_version(e, &path, l);
	int dirname_rules = pip_at_least(l, 24, 2);
	int importlib = env_bool("_PIP_USE_IMPORTLIB_METADATA");
	if (importlib < 0)
		importlib = e->major > 3 || (e->major == 3 && e->minor >= 11);
	if (l->pip_major >= 0 && !pip_at_least(l, 23, 0))
		l->unsupported = xasprintf("the env's pip is %d.%d, older than 23.0", l->pip_major,
					   l->pip_minor);
	struct scan_opts o = { dirname_rules && importlib, !importlib };
	struct dist_set set;
	int r = dist_scan(&path, &o, &set, err, errlen);
	strlist_free(&path);
	dist_dir_names_forget();
	if (r < 0 && set.unsupported) {
		/* pip's answer is wanted anyway: let pip tell whether it fails. */
		char *why = set.unsupported;
		set.unsupported = NULL;
		dist_set_free(&set);
		set.unsupported = why;
		r = 0;
	}
	if (r < 0) {
		dist_set_free(&set);
		freeze_list_free(l);
		return -1;
	}
	if (set.unsupported && !l->unsupported) {
		l->unsupported = set.unsupported;
		set.unsupported = NULL;
	}
	/* pip's installations dict: keyed by canonical name, a later
	 * distribution of the same name replacing an earlier one in place. */
	l->f = xmalloc((set.n ? set.n : 1) * sizeof *l->f);
	struct nameset slot_of = { NULL, NULL, 0, 0 };
	for (size_t i = 0; i < set.n; i++) {
		struct frozen f;
		if (frozen_from_dist(e, &set.d[i], dirname_rules, need_text, &f, &l->unsupported,
				     err, errlen) < 0) {
			frozen_free(&f);
			dist_set_free(&set);
			freeze_list_free(l);
			nameset_free(&slot_of);
			return -1;
		}
		if (exclude_editable && f.editable) {
			frozen_free(&f);
			continue;
		}
		size_t k;
		if (nameset_get(&slot_of, f.canon, &k)) {
			frozen_free(&l->f[k]);
		} else {
			k = l->n++;
			nameset_put(&slot_of, f.canon, k);
		}
		l->f[k] = f;
	}
	nameset_free(&slot_of);
	dist_set_free(&set);
	/* Sorted by name.lower(), stable. */
	struct sort_item *items = xmalloc((l->n ? l->n : 1) * sizeof *items);
	for (size_t i = 0; i < l->n; i++) {
		items[i].key = xstrdup(l->f[i].name);
		for (char *p = items[i].key; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		items[i].index = i;
	}
	qsort(items, l->n, sizeof *items, sort_cmp);
	struct frozen *sorted = xmalloc((l->n ? l->n : 1) * sizeof *sorted);
	for (size_t i = 0; i < l->n; i++) {
		sorted[i] = l->f[items[i].index];
		free(items[i].key);
	}
	free(items);
	free(l->f);
	l->f = sorted;
	return 0;
}
