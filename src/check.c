/* check.c: `venvhook check`: does the env match a requirements file? */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "dist.h"
#include "freeze.h"
#include "pep440.h"
#include "quote.h"
#include "reqset.h"
#include "verdict.h"

/* Parses [--env DIR] [-r FILE] and, for sync, --exact and "-- ARGS". */
int reqcmd_options(const char *cmd, int argc, char **argv, const char **env, const char **file,
		   int *exact, int *rest);

int reqcmd_options(const char *cmd, int argc, char **argv, const char **env, const char **file,
		   int *exact, int *rest)
{
	*env = *file = NULL;
	if (rest)
		*rest = argc;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		if (exact && strcmp(a, "--exact") == 0) {
			*exact = 1;
			continue;
		}
		if (rest && strcmp(a, "--") == 0) {
			*rest = i + 1;
			break;
		}
		if (strcmp(a, "--env") == 0 || strcmp(a, "-r") == 0 || strcmp(a, "--requirement") == 0) {
			if (i + 1 >= argc)
				usage_error(cmd, "%s needs a value", a);
			val = argv[++i];
		} else if (strncmp(a, "--env=", 6) == 0 || strncmp(a, "--requirement=", 14) == 0) {
			val = strchr(a, '=') + 1;
		} else if (strncmp(a, "-r", 2) == 0 && a[2]) {
			val = a + 2;
		} else {
			usage_error(cmd, "unknown argument '%s'", a);
		}
		if (!*val)
			usage_error(cmd, "%.*s needs a value", (int)strcspn(a, "="), a);
		if (strncmp(a, "--env", 5) == 0)
			*env = val;
		else
			*file = val;
	}
	return 0;
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

/* Judges one requirement: 0 agrees, 1 differs (printed), 2 cannot judge
 * (printed), 3 pip would stop on it (printed). */
static int judge(const struct req_item *it, const struct freeze_list *l, const struct marker_env *m)
{
	const struct req_line *r = &it->l;
	char err[512];
	if (r->marker) {
		int v = marker_eval(r->marker, m, err, sizeof err);
		if (v == 0)
			return 0;       /* not for this env */
		if (v == -3) {
			char *f = printable(it->file), *w = printable(err);
			error("%s:%d: pip would refuse this line: %s", f, r->lineno, w);
			free(f);
			free(w);
			return 3;
		}
		if (v < 0) {
			printf("cannot judge: %s:%d: %s: %s\n", it->file, r->lineno, r->text, err);
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
			printf("missing: %s (%s:%d: no editable install of '%s')\n", r->text, it->file,
			       r->lineno, p);
		free(p);
		return !found;
	}
	if (!r->name) {
		printf("cannot judge: %s:%d: %s: cannot tell which project it installs\n", it->file,
		       r->lineno, r->text);
		return 2;
	}
	const struct frozen *f = installed(l, r->name);
	if (!f) {
		printf("missing: %s (%s:%d)\n", r->text, it->file, r->lineno);
		return 1;
	}
	if (r->kind == REQ_EDITABLE && !f->editable) {
		printf("different: %s %s is installed, not as an editable project (%s:%d: %s)\n",
		       f->name, f->version ? f->version : "(no version)", it->file, r->lineno, r->text);
		return 1;
	}
	if (!r->spec || !*r->spec)
		return 0;
	if (!f->version) {
		printf("cannot judge: %s:%d: %s: %s has no version\n", it->file, r->lineno, r->text,
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
		printf("cannot judge: %s:%d: %s: cannot compare installed version '%s' with '%s'\n",
		       it->file, r->lineno, r->text, f->version, r->spec);
		return 2;
	}
	if (!ok) {
		printf("different: %s %s is installed, %s:%d wants %s%s\n", f->name, f->version,
		       it->file, r->lineno, r->name, r->spec);
		return 1;
	}
	return 0;
}

int cmd_check(int argc, char **argv)
{
	const char *opt_env, *opt_file;
	reqcmd_options("check", argc, argv, &opt_env, &opt_file, NULL, NULL);
	struct env_info e;
	env_select(opt_env, &e);
	char *path = reqset_default_path(opt_file, &e);
	struct freeze_list l;
	char err[2048];
	if (freeze_collect(&e, 0, 0, &l, err, sizeof err) < 0) {
		error("%s", err);
		free(path);
		env_info_free(&e);
		return EXIT_USAGE;
	}
	/* The file as the env's own pip reads it. */
	int pip = reqset_pip(&l);
	struct reqset rs;
	if (reqset_load(path, pip, &rs) < 0) {
		freeze_list_free(&l);
		reqset_free(&rs);
		free(path);
		env_info_free(&e);
		return EXIT_USAGE;
	}
	if (l.unsupported && !strstr(l.unsupported, "pkg_resources") && !strstr(l.unsupported, "older"))
		error("note: %s; venvhook does not see what it holds", l.unsupported);
	struct marker_env m;
	char buf[2048];
	reqset_marker_env(&e, pip, &m, buf, sizeof buf);
	int differ = 0, refused = 0;
	for (size_t i = 0; i < rs.n; i++) {
		int j = judge(&rs.r[i], &l, &m);
		differ |= j != 0;
		refused |= j == 3;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct frozen *f = &l.f[i];
		if (reqset_tooling(f->key) || reqset_lists(&rs, f))
			continue;
		if (f->version)
			printf("not listed: %s%s%s\n", f->name, f->version_valid ? "==" : "===", f->version);
		else
			printf("not listed: %s (no version)\n", f->name);
		differ = 1;
	}
	freeze_list_free(&l);
	reqset_free(&rs);
	free(path);
	env_info_free(&e);
	if (stdout_finish() < 0)
		return EXIT_USAGE;
	return refused ? EXIT_USAGE : differ ? EXIT_FAIL : EXIT_OK;
}
