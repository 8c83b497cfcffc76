/* migrate.c: the markers of the tools people come from, so that their
 * projects switch to venvhook without being touched: a pyenv-virtualenv
 * .python-version (`pyenv local ENV`), virtualenvwrapper's .project files. */
#include "migrate.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "python_find.h"
#include "util.h"
#include "venv.h"

#define PYTHON_VERSION_MAX 4096

char *python_version_parse(const char *text)
{
	for (const char *line = text; *line;) {
		size_t n = strcspn(line, "\n");
		const char *s = line;
		size_t skip = strspn(s, " \t\r");
		if (skip < n && s[skip] != '#') {
			s += skip;
			char *word = xstrndup(s, strcspn(s, " \t\r\n"));
			/* Nothing that leaves versions/ (pyenv CVE-2022-35861). */
			if (path_clean_relative(word))
				return word;
			free(word);
			return NULL;
		}
		line += n;
		if (*line)
			line++;
	}
	return NULL;
}

/* $PYENV_ROOT/versions, once per process: NULL when there is none, and then
 * no .python-version is looked at (nor watched). */
static const char *versions_dir(void)
{
	static int done;
	static char *versions;
	if (!done) {
		done = 1;
		char *root = pyenv_root();
		struct stat st;
		if (root) {
			versions = path_join(root, "versions");
			if (stat(versions, &st) < 0 || !S_ISDIR(st.st_mode)) {
				free(versions);
				versions = NULL;
			}
		}
		free(root);
	}
	return versions;
}

int marker_python_version(const char *dir, struct project *p, struct watch *w)
{
	const char *versions = versions_dir();
	if (!versions)
		return 0;
	char *path = path_join(dir, ".python-version");
	struct stat st;
	int exists = stat(path, &st) == 0;
	watch_add(w, path, exists);
	char *name = NULL, *env = NULL;
	if (exists && S_ISREG(st.st_mode)) {
		struct sbuf text = SBUF_INIT;
		char err[MSG_MAX];
		if (file_read(path, PYTHON_VERSION_MAX, &text, err, sizeof err) == 0)
			name = python_version_parse(text.s ? text.s : "");
		sb_free(&text);
	}
	if (name) {
		env = path_join(versions, name);
		char *cfg = path_join(env, "pyvenv.cfg");
		int is_env = stat(cfg, &st) == 0;
		watch_add(w, cfg, is_env);
		free(cfg);
		if (!is_env || !S_ISREG(st.st_mode)) {
			free(env);
			env = NULL;
		}
	}
	free(name);
	if (!env) {
		free(path);
		return 0;
	}
	p->kind = MARKER_PYTHON_VERSION;
	p->dir = xstrdup(dir);
	p->marker = path;
	p->activate = 1;
	if (marker_foreign(path, p))
		free(env);
	else
		p->env = env;
	return 1;
}

/* virtualenvwrapper's home: $WORKON_HOME if absolute, else ~/.virtualenvs. */
static char *workon_home(void)
{
	return env_dir("WORKON_HOME", ".virtualenvs");
}

struct workon_entry {
	char *project;      /* normalized */
	char *env;
	char *dotproject;
};

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct workon_entry *)a)->env, ((const struct workon_entry *)b)->env);
}

/* $WORKON_HOME's envs that have a .project, once per process. */
static const struct workon_entry *workon_projects(size_t *n)
{
	static int done;
	static struct workon_entry *v;
	static size_t nv;
	if (done) {
		*n = nv;
		return v;
	}
	done = 1;
	char *home = workon_home();
	DIR *d = home ? opendir(home) : NULL;
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *env = path_join(home, de->d_name);
		char *dotproject = path_join(env, ".project");
		struct sbuf text = SBUF_INIT;
		char err[MSG_MAX];
		char *project = NULL;
		if (file_read(dotproject, PYTHON_VERSION_MAX, &text, err, sizeof err) == 0 && text.s &&
		    venv_looks_like(env)) {
			size_t len = strcspn(text.s, "\r\n");
			while (len && (text.s[len - 1] == ' ' || text.s[len - 1] == '\t'))
				len--;
			text.s[len] = '\0';
			if (text.s[0] == '/')
				project = path_normalize("/", text.s);
		}
		sb_free(&text);
		if (project) {
			v = xrealloc(v, (nv + 1) * sizeof *v);
			v[nv++] = (struct workon_entry){ project, env, dotproject };
		} else {
			free(env);
			free(dotproject);
		}
	}
	if (d)
		closedir(d);
	free(home);
	if (nv)
		qsort(v, nv, sizeof *v, entry_cmp);
	*n = nv;
	return v;
}

int marker_workon_project(const char *dir, struct project *p, struct watch *w)
{
	size_t n;
	const struct workon_entry *v = workon_projects(&n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].project, dir) != 0)
			continue;
		watch_add(w, v[i].dotproject, 1);
		p->kind = MARKER_WORKON_PROJECT;
		p->dir = xstrdup(dir);
		p->marker = xstrdup(v[i].dotproject);
		p->env = xstrdup(v[i].env);
		p->activate = 1;
		return 1;
	}
	return 0;
}
