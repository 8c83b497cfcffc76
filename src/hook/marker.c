/* marker.c: finding a project's env by walking up from a directory. */
#include "marker.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "ini_text.h"
#include "migrate.h"
#include "util.h"
#include "venv.h"

void watch_add(struct watch *w, const char *path, int exists)
{
	if (!w)
		return;
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->path = xrealloc(w->path, w->cap * sizeof *w->path);
		w->exists = xrealloc(w->exists, w->cap);
	}
	w->path[w->n] = xstrdup(path);
	w->exists[w->n++] = (unsigned char)(exists != 0);
}

void watch_free(struct watch *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->path[i]);
	free(w->path);
	free(w->exists);
	memset(w, 0, sizeof *w);
}

void project_free(struct project *p)
{
	free(p->dir);
	free(p->marker);
	free(p->env);
	free(p->prompt);
	free(p->requirements);
	free(p->error);
	memset(p, 0, sizeof *p);
}

/* Where bare env names live: $VENVHOOK_HOME, $WORKON_HOME, ~/.virtualenvs.
 * NULL if none is usable. */
static char *envs_home(void)
{
	const char *v = env_get("VENVHOOK_HOME");
	if (!v)
		v = env_get("WORKON_HOME");
	if (v)
		return v[0] == '/' ? path_normalize("/", v) : NULL;
	const char *home = env_get("HOME");
	return home && home[0] == '/' ? path_join(home, ".virtualenvs") : NULL;
}

char *marker_resolve(const char *value, const char *dir, char *err, size_t errlen)
{
	if (!*value) {
		snprintf(err, errlen, "names no env");
		return NULL;
	}
	if (has_control(value)) {
		snprintf(err, errlen, "the env's name holds a control character");
		return NULL;
	}
	if (value[0] == '/')
		return path_normalize("/", value);
	if (strcmp(value, ".") == 0 || strcmp(value, "..") == 0 ||
	    strncmp(value, "./", 2) == 0 || strncmp(value, "../", 3) == 0)
		return path_normalize(dir, value);
	if (strncmp(value, "~/", 2) == 0) {
		const char *home = env_get("HOME");
		if (!home || home[0] != '/') {
			snprintf(err, errlen, "'%s' needs $HOME, which is not set", value);
			return NULL;
		}
		return path_normalize(home, value + 2);
	}
	if (strchr(value, '/') || strstr(value, "..")) {
		snprintf(err, errlen, "'%s' is neither a path (/..., ./..., ../..., ~/...) nor a bare env name",
			 value);
		return NULL;
	}
	char *home = envs_home();
	if (!home) {
		snprintf(err, errlen, "cannot look up env '%s': set $HOME or $VENVHOOK_HOME", value);
		return NULL;
	}
	char *r = path_join(home, value);
	free(home);
	/* zsh-autoswitch-virtualenv keeps its envs in $AUTOSWITCH_VIRTUAL_ENV_DIR:
	 * its .venv files name them, when they are not in the home above. */
	const char *as = env_get("AUTOSWITCH_VIRTUAL_ENV_DIR");
	struct stat st;
	if (as && as[0] == '/' && !env_get("VENVHOOK_HOME") && lstat(r, &st) < 0) {
		char *dir_as = path_normalize("/", as);
		char *alt = path_join(dir_as, value);
		free(dir_as);
		if (lstat(alt, &st) == 0) {
			free(r);
			return alt;
		}
		free(alt);
	}
	return r;
}

char *venv_file_parse(const char *text, const char *dir, char *err, size_t errlen)
{
	const char *line = text;
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		const char *s = line;
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
			n--;
		if (n && *s != '#') {
			char *value = xstrndup(s, n);
			char *env = marker_resolve(value, dir, err, errlen);
			free(value);
			return env;
		}
		if (!end)
			break;
		line = end + 1;
	}
	snprintf(err, errlen, "names no env");
	return NULL;
}

struct ini_state {
	char *path, *prompt, *requirements;
	int activate, seen_path, seen_prompt, seen_activate, seen_requirements;
};

static int venvhook_ini_key(void *user, const char *section, const char *name,
			    const char *value, char *msg, size_t msglen)
{
	struct ini_state *st = user;
	int *seen;
	if (!*section) {
		snprintf(msg, msglen, "'%s' is outside the [env] section", name);
		return 0;
	}
	if (strcmp(section, "env") != 0) {
		snprintf(msg, msglen, "unknown section '[%s]'", section);
		return 0;
	}
	if (strcmp(name, "path") == 0) {
		seen = &st->seen_path;
		free(st->path);
		st->path = xstrdup(value);
	} else if (strcmp(name, "prompt") == 0) {
		seen = &st->seen_prompt;
		free(st->prompt);
		st->prompt = xstrdup(value);
	} else if (strcmp(name, "requirements") == 0) {
		seen = &st->seen_requirements;
		if (!*value || value[0] == '/') {
			snprintf(msg, msglen, "requirements names a file relative to the project");
			return 0;
		}
		free(st->requirements);
		st->requirements = xstrdup(value);
	} else if (strcmp(name, "activate") == 0) {
		seen = &st->seen_activate;
		if (bool_parse(value, &st->activate) < 0) {
			snprintf(msg, msglen, "activate must be true or false, not '%s'", value);
			return 0;
		}
	} else {
		snprintf(msg, msglen, "unknown key '%s' in [env]", name);
		return 0;
	}
	if ((*seen)++) {
		snprintf(msg, msglen, "'%s' is set twice", name);
		return 0;
	}
	return 1;
}

int venvhook_file_parse(const char *text, const char *path, const char *dir,
			struct project *p, char *err, size_t errlen)
{
	struct ini_state st = { .activate = 1 };
	char msg[REASON_MAX];
	int line = ini_text_parse(text, venvhook_ini_key, &st, msg, sizeof msg);
	if (line != 0) {
		snprintf(err, errlen, "'%s' line %d: %s", path, line, msg);
		goto fail;
	}
	char why[REASON_MAX];
	char *env = marker_resolve(st.path ? st.path : "./.venv", dir, why, sizeof why);
	if (!env) {
		snprintf(err, errlen, "'%s': path %s", path, why);
		goto fail;
	}
	p->env = env;
	p->prompt = st.prompt;
	p->requirements = st.requirements;
	p->activate = st.activate;
	free(st.path);
	return 0;
fail:
	free(st.path);
	free(st.prompt);
	free(st.requirements);
	return -1;
}

int marker_foreign(const char *path, struct project *p)
{
	struct stat st, lst;
	uid_t me = user_id(), owner = me;
	if (lstat(path, &lst) == 0)
		owner = lst.st_uid;
	if ((owner == me || owner == 0) && stat(path, &st) == 0)
		owner = st.st_uid;
	if (owner == me || owner == 0)
		return 0;
	free(p->error);
	p->error = xasprintf("ignoring '%s': it belongs to another user (uid %u)", path,
			     (unsigned)owner);
	return 1;
}

/* Looks at one candidate marker; returns 1 if it decides the walk. */
int marker_load(const char *dir, const char *name, enum marker_kind kind,
		      struct project *p, struct watch *w)
{
	char *path = path_join(dir, name);
	struct stat st;
	int exists = stat(path, &st) == 0;
	watch_add(w, path, exists);
	if (!exists || (kind == MARKER_VENVHOOK && S_ISDIR(st.st_mode))) {
		free(path);
		return 0;
	}
	char err[MSG_MAX];
	p->dir = xstrdup(dir);
	p->marker = path;
	p->activate = 1;
	p->kind = kind == MARKER_VENV_FILE && S_ISDIR(st.st_mode) ? MARKER_VENV_DIR : kind;
	if (marker_foreign(path, p))
		return 1;
	if (kind == MARKER_VENV_FILE && S_ISDIR(st.st_mode)) {
		p->kind = MARKER_VENV_DIR;
		p->env = xstrdup(path);
		return 1;
	}
	p->kind = kind;
	struct sbuf text = SBUF_INIT;
	if (file_read(path, MARKER_FILE_MAX, &text, err, sizeof err) < 0) {
		p->error = xstrdup(err);
	} else if (kind == MARKER_VENVHOOK) {
		if (venvhook_file_parse(text.s, path, dir, p, err, sizeof err) < 0)
			p->error = xstrdup(err);
	} else {
		char why[REASON_MAX];
		p->env = venv_file_parse(text.s, dir, why, sizeof why);
		if (!p->env) {
			snprintf(err, sizeof err, "'%s': %s", path, why);
			p->error = xstrdup(err);
		}
	}
	sb_free(&text);
	return 1;
}

/* The [hook] markers of the config: env directories under other names
 * (venv, .env), which count only when they hold a pyvenv.cfg. */
static int marker_extra(const char *dir, const struct config *cfg, struct project *p,
			struct watch *w)
{
	for (size_t i = 0; i < cfg->markers.n; i++) {
		char *env = path_join(dir, cfg->markers.v[i]);
		char *pyvenv = path_join(env, "pyvenv.cfg");
		struct stat st;
		int exists = stat(pyvenv, &st) == 0;
		watch_add(w, pyvenv, exists);
		free(pyvenv);
		if (exists && S_ISREG(st.st_mode)) {
			p->kind = MARKER_VENV_DIR;
			p->dir = xstrdup(dir);
			p->marker = env;
			p->activate = 1;
			if (marker_foreign(env, p))
				return 1;
			p->env = xstrdup(env);
			return 1;
		}
		free(env);
	}
	return 0;
}

/* Drops the walk's watch entries from the first that would go over
 * WATCH_WALK_MAX up to last (the directory where the walk stopped). */
static void watch_bound(struct watch *w, size_t first, size_t last)
{
	size_t bytes = 0, k = first;
	while (k < last && bytes + strlen(w->path[k]) <= WATCH_WALK_MAX)
		bytes += strlen(w->path[k++]);
	if (k == last)
		return;
	w->partial = 1;
	for (size_t i = k; i < last; i++)
		free(w->path[i]);
	memmove(&w->path[k], &w->path[last], (w->n - last) * sizeof *w->path);
	memmove(&w->exists[k], &w->exists[last], w->n - last);
	w->n -= last - k;
}

void project_find(const struct config *cfg, const char *start, struct project *p,
		  struct watch *w)
{
	memset(p, 0, sizeof *p);
	char *dir = xstrdup(start);
	size_t first = w ? w->n : 0, level = first;
	for (;;) {
		if (w)
			level = w->n;
		if (marker_load(dir, ".venvhook", MARKER_VENVHOOK, p, w) ||
		    marker_load(dir, ".venv", MARKER_VENV_FILE, p, w) ||
		    marker_extra(dir, cfg, p, w) ||
		    marker_python_version(dir, p, w) ||
		    marker_workon_project(dir, p, w))
			break;
		if (strcmp(dir, "/") == 0)
			break;
		char *up = path_dirname(dir);
		if (config_ceiling_stops(cfg, start, up)) {
			free(up);
			break;          /* [hook] ceiling: never at or above it */
		}
		free(dir);
		dir = up;
	}
	free(dir);
	if (w)
		watch_bound(w, first, level);
	if (p->env && w) {
		char *pcfg = path_join(p->env, "pyvenv.cfg");
		char *py = path_join(p->env, "bin/python");
		struct stat st;
		watch_add(w, pcfg, stat(pcfg, &st) == 0);
		watch_add(w, py, stat(py, &st) == 0);
		free(pcfg);
		free(py);
	}
}
