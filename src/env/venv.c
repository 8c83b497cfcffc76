/* venv.c: what a virtual environment is, and whether it is safe to use. */
#include "venv.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "owner.h"
#include "platform.h"
#include "utf8.h"


void venv_cfg_parse(const char *text, struct venv_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->system_site = 1;
	char *copy = xstrdup(text);
	for (char *line = copy, *next; line; line = next) {
		next = str_cut(line, '\n');
		char *key, *val = str_key_value(line, '=', &key);
		if (!val)
			continue;
		for (char *k = key; *k; k++)
			*k = (char)tolower((unsigned char)*k);
		char **slot = NULL;
		if (strcmp(key, "home") == 0)
			slot = &cfg->home;
		else if (strcmp(key, "version") == 0 || strcmp(key, "version_info") == 0)
			slot = &cfg->version;
		else if (strcmp(key, "executable") == 0)
			slot = &cfg->executable;
		else if (strcmp(key, "command") == 0)
			slot = &cfg->command;
		else if (strcmp(key, "prompt") == 0) {
			free(cfg->prompt);
			cfg->prompt = py_unrepr(val);
		} else if (strcmp(key, "include-system-site-packages") == 0)
			cfg->system_site = strcasecmp(val, "true") == 0;
		if (slot && (!*slot || strcmp(key, "version") == 0)) {
			free(*slot);
			*slot = xstrdup(val);
		}
	}
	free(copy);
}

void venv_cfg_free(struct venv_cfg *cfg)
{
	free(cfg->home);
	free(cfg->version);
	free(cfg->prompt);
	free(cfg->executable);
	free(cfg->command);
	memset(cfg, 0, sizeof *cfg);
}

int venv_cfg_load(const char *env, struct venv_cfg *cfg, char *err, size_t errlen)
{
	struct sbuf text = SBUF_INIT;
	char *path = path_join(env, "pyvenv.cfg");
	int r = file_read(path, PYVENV_CFG_MAX, &text, err, errlen);
	free(path);
	if (r == 0)
		venv_cfg_parse(text.s, cfg);
	sb_free(&text);
	return r;
}

/* Code point c as UTF-8; '?' past U+10FFFF. */
static void add_utf8(struct sbuf *b, unsigned long c)
{
	char u[4];
	size_t n = utf8_write(c, u);
	if (n)
		sb_add(b, u, n);
	else
		sb_addc(b, '?');
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *py_unrepr(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || (s[0] != '\'' && s[0] != '"') || s[n - 1] != s[0])
		return xstrdup(s);
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	for (size_t i = 1; i + 1 < n; i++) {
		if (s[i] != '\\' || i + 2 >= n) {
			sb_addc(&b, s[i]);
			continue;
		}
		char c = s[++i];
		int digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
		if (digits) {
			unsigned long v = 0;
			int k;
			for (k = 0; k < digits && i + 1 + k < n - 1 && hexval(s[i + 1 + k]) >= 0; k++)
				v = v * 16 + (unsigned long)hexval(s[i + 1 + k]);
			if (k == digits) {
				if (v)
					add_utf8(&b, v);
				i += (size_t)k;
				continue;
			}
			sb_addc(&b, '\\');
			sb_addc(&b, c);
			continue;
		}
		switch (c) {
		case 'n': sb_addc(&b, '\n'); break;
		case 't': sb_addc(&b, '\t'); break;
		case 'r': sb_addc(&b, '\r'); break;
		case '\\': case '\'': case '"': sb_addc(&b, c); break;
		default: sb_addc(&b, '\\'); sb_addc(&b, c);
		}
	}
	return sb_detach(&b);
}

int venv_looks_like(const char *dir)
{
	struct stat st;
	char *cfg = path_join(dir, "pyvenv.cfg");
	int r = stat(cfg, &st) == 0 && S_ISREG(st.st_mode);
	free(cfg);
	return r;
}

static enum venv_state check_owner(const struct stat *st, const char *path, char *why, size_t n)
{
	switch (owner_check(st, path, 0, why, n)) {
	case OWNER_OK: return VENV_OK;
	case OWNER_FOREIGN: return VENV_FOREIGN;
	default: return VENV_WRITABLE;
	}
}

/* The directories above the env, by its real path: whoever may rename an
 * entry in one of them may swap the env for another. */
static enum venv_state check_above(const char *real, char *why, size_t n)
{
	enum owner_state r = owner_check_above(real, why, n);
	return r == OWNER_OK ? VENV_OK : r == OWNER_FOREIGN ? VENV_FOREIGN : VENV_WRITABLE;
}

enum venv_state venv_check(const char *env, struct stat *st, char **real, char *why,
			   size_t whylen)
{
	*real = NULL;
	if (strpbrk(env, ":\n")) {
		snprintf(why, whylen, "the path of the env holds a %s, which PATH cannot carry",
			 strchr(env, ':') ? "':'" : "newline");
		return VENV_BAD_PATH;
	}
	if (stat(env, st) < 0 || !S_ISDIR(st->st_mode)) {
		snprintf(why, whylen, "'%s' does not exist", env);
		return VENV_MISSING;
	}
	struct stat rst;
	if (!(*real = realpath_stat(env, &rst))) {
		snprintf(why, whylen, "cannot resolve '%s': %s", env, strerror(errno));
		return VENV_MISSING;
	}
	if (!venv_looks_like(env)) {
		snprintf(why, whylen, "'%s' is not a virtual environment (no pyvenv.cfg)", env);
		return VENV_NOT_VENV;
	}
	struct stat bst;
	char *bin = path_join(env, "bin");
	char *python = path_join(bin, "python");
	enum venv_state r = VENV_OK;
	if (stat(python, &bst) < 0) {
		snprintf(why, whylen, "'%s' is missing or its interpreter is gone", python);
		r = VENV_NO_PYTHON;
	} else if ((r = check_owner(st, env, why, whylen)) == VENV_OK && lstat(bin, &bst) == 0) {
		r = S_ISDIR(bst.st_mode) ? check_owner(&bst, bin, why, whylen) : VENV_OK;
		if (S_ISLNK(bst.st_mode)) {
			snprintf(why, whylen, "'%s' is a symbolic link", bin);
			r = VENV_FOREIGN;
		}
	}
	if (r == VENV_OK)
		r = check_above(*real, why, whylen);
	free(python);
	free(bin);
	return r;
}

char *venv_name(const char *env, const char *project, const char *prompt_override,
		const struct venv_cfg *cfg)
{
	if (prompt_override && *prompt_override)
		return xstrdup(prompt_override);
	if (cfg && cfg->prompt && *cfg->prompt)
		return xstrdup(cfg->prompt);
	const char *base = path_basename(env);
	if (project && (strcmp(base, ".venv") == 0 || strcmp(base, "venv") == 0)) {
		const char *p = path_basename(project);
		return xstrdup(*p ? p : "/");
	}
	return xstrdup(base);
}

char *venv_prompt_var(const char *name, const struct venv_cfg *cfg)
{
	int major = 3, minor = 13;
	if (cfg && cfg->version && sscanf(cfg->version, "%d.%d", &major, &minor) == 2 &&
	    (major < 3 || (major == 3 && minor < 13)))
		return xasprintf("(%s) ", name);
	return xstrdup(name);
}
