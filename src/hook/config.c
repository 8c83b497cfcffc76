/* config.c: the user's own settings, from config.ini.
 *
 *   [hook]    ignore = PATTERN     (PCRE2; repeated, or one per indented line)
 *             ceiling = DIR        (repeated, or one per indented line)
 *             markers = NAME ...   (separated by spaces or commas)
 *             notify = on|off
 *             drift = on|off, suggest = on|off
 *             requirements = FILE  (relative to the project)
 *   [prompt]  enabled = on|off
 *             format = "({name}) "
 *   [create]  python = PYTHON, prompt = NAME, seed = pip|none
 *   [trust]   directories = DIR    (repeated, or one per indented line)
 *
 * The text is read with file_read (size cap, no NUL byte) and parsed with
 * ini_text (inih through our own reader: every key with its line, long
 * lines refused).  Values are staged in a fresh struct and kept only if the
 * whole file is good. */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <limits.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ini_text.h"
#include "owner.h"
#include "quote.h"
#include "util.h"

/* Limits for matching user patterns against a path (at most PATH_MAX bytes):
 * generous for any sane pattern, and a hostile one gives up in milliseconds. */
#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 2000
#define HEAP_LIMIT_KIB 8192

void config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->notify = 1;
	c->drift = 1;
	c->suggest = 1;
	c->prompt_enabled = 1;
	c->create_seed = CONFIG_SEED_PIP;
}

void config_free(struct config *c)
{
	free(c->path);
	free(c->error);
	for (size_t i = 0; i < c->n_ignore; i++) {
		free(c->ignore[i].text);
		pcre2_code_free(c->ignore[i].re);
	}
	free(c->ignore);
	strlist_free(&c->ceiling);
	strlist_free(&c->markers);
	free(c->requirements);
	free(c->prompt_format);
	free(c->create_python);
	free(c->create_prompt);
	strlist_free(&c->trust_dirs);
	memset(c, 0, sizeof *c);
}

/* ---- parsing ----------------------------------------------------------- */

struct state {
	struct config c;
	int line;           /* of the key being handled */
	char *msg;          /* why the key is refused */
	size_t msglen;
	unsigned seen;      /* scalar keys already set, by bit */
};

enum {
	SEEN_NOTIFY = 1, SEEN_ENABLED = 2, SEEN_FORMAT = 4, SEEN_PYTHON = 8,
	SEEN_CPROMPT = 16, SEEN_SEED = 32, SEEN_DRIFT = 64, SEEN_SUGGEST = 128,
	SEEN_REQUIREMENTS = 256,
};

static int fail(struct state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct state *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->msg, st->msglen, fmt, ap);
	va_end(ap);
	return 0;
}

/* "..." or '...' around a value keeps spaces that inih would strip. */
static char *unquote(const char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
		return xstrndup(v + 1, n - 2);
	return xstrdup(v);
}

/* An absolute path or ~/path, normalized; NULL if it is neither. */
static char *config_dir_value(const char *v)
{
	if (v[0] == '/')
		return path_normalize("/", v);
	if (strcmp(v, "~") == 0 || strncmp(v, "~/", 2) == 0) {
		const char *home = env_get("HOME");
		if (!home || home[0] != '/')
			return NULL;
		return path_normalize(home, v[1] ? v + 2 : ".");
	}
	return NULL;
}

static int set_scalar(struct state *st, unsigned bit, const char *name, const char *section)
{
	if (st->seen & bit)
		return fail(st, "'%s' is set twice in [%s]", name, section);
	st->seen |= bit;
	return 1;
}

static int add_pattern(struct state *st, const char *v)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)v, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C,
				       &code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR buf[REASON_MAX];
		if (pcre2_get_error_message(code, buf, sizeof buf) < 0)
			snprintf((char *)buf, sizeof buf, "error %d", code);
		char *shown = printable(v);
		fail(st, "bad ignore pattern '%s': %s at offset %zu", shown, (char *)buf, (size_t)off);
		free(shown);
		return 0;
	}
	struct config *c = &st->c;
	c->ignore = xrealloc(c->ignore, (c->n_ignore + 1) * sizeof *c->ignore);
	c->ignore[c->n_ignore].text = xstrdup(v);
	c->ignore[c->n_ignore].line = st->line;
	c->ignore[c->n_ignore].re = re;
	c->n_ignore++;
	return 1;
}

static int add_dir(struct state *st, struct strlist *l, const char *name, const char *v, int real)
{
	char *p = config_dir_value(v);
	if (!p) {
		char *shown = printable(v);
		fail(st, "%s must be an absolute path or start with ~/, not '%s'", name, shown);
		free(shown);
		return 0;
	}
	if (real) {
		char *r = realpath(p, NULL);
		if (r) {
			free(p);
			p = r;
		}
	}
	strlist_add(l, p);
	free(p);
	return 1;
}

static int add_markers(struct state *st, const char *v)
{
	const char *s = v;
	while (*s) {
		size_t n = strcspn(s, " \t,");
		if (n) {
			char *name = xstrndup(s, n);
			if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
			    has_control(name) || n > 255) {
				char *shown = printable(name);
				fail(st, "marker '%s' is not a directory name", shown);
				free(shown);
				free(name);
				return 0;
			}
			strlist_add(&st->c.markers, name);
			free(name);
		}
		s += n;
		s += strspn(s, " \t,");
	}
	return 1;
}

/* Checks a prompt format: only the placeholder {name} is known. */
static int check_format(struct state *st, const char *f)
{
	for (const char *s = f; *s; s++) {
		if (*s != '{')
			continue;
		if (strncmp(s, "{name}", 6) == 0) {
			s += 5;
			continue;
		}
		size_t n = strspn(s + 1, "abcdefghijklmnopqrstuvwxyz_");
		if (n && s[1 + n] == '}') {
			char *ph = xstrndup(s, n + 2);
			fail(st, "unknown placeholder '%s' in format (only {name} is known)", ph);
			free(ph);
			return 0;
		}
	}
	return 1;
}

static int string_value(struct state *st, const char *name, const char *v, char **slot)
{
	char *s = unquote(v);
	int ok = 0;
	if (!*s)
		fail(st, "'%s' is empty", name);
	else if (has_control(s))
		fail(st, "'%s' holds a control character", name);
	else if (strlen(s) > CONFIG_STRING_MAX)
		fail(st, "'%s' is longer than %d bytes", name, CONFIG_STRING_MAX);
	else
		ok = 1;
	if (!ok) {
		free(s);
		return 0;
	}
	free(*slot);
	*slot = s;
	return 1;
}

/* An on|off key. */
static int set_switch(struct state *st, unsigned bit, const char *name, const char *section,
		      const char *value, int *slot)
{
	if (!set_scalar(st, bit, name, section))
		return 0;
	if (bool_parse(value, slot) < 0)
		return fail(st, "%s must be on or off, not '%s'", name, value);
	return 1;
}

/* The requirements file is named relative to the project directory. */
static int requirements_value(struct state *st, const char *v)
{
	if (v[0] == '/')
		return fail(st, "requirements names a file relative to the project, not '%s'", v);
	return 1;
}

static int handler(void *user, int lineno, const char *section, const char *name,
		   const char *value, char *msg, size_t msglen)
{
	struct state *st = user;
	st->line = lineno;
	st->msg = msg;
	st->msglen = msglen;
	struct config *c = &st->c;
	if (!*section)
		return fail(st, "'%s' is outside a section ([hook], [prompt], [create] or [trust])", name);
	if (strcmp(section, "hook") == 0) {
		if (strcmp(name, "ignore") == 0)
			return !*value || add_pattern(st, value);
		if (strcmp(name, "ceiling") == 0)
			return !*value || add_dir(st, &c->ceiling, name, value, 0);
		if (strcmp(name, "markers") == 0)
			return add_markers(st, value);
		if (strcmp(name, "notify") == 0)
			return set_switch(st, SEEN_NOTIFY, name, section, value, &c->notify);
		if (strcmp(name, "drift") == 0)
			return set_switch(st, SEEN_DRIFT, name, section, value, &c->drift);
		if (strcmp(name, "suggest") == 0)
			return set_switch(st, SEEN_SUGGEST, name, section, value, &c->suggest);
		if (strcmp(name, "requirements") == 0)
			return set_scalar(st, SEEN_REQUIREMENTS, name, section) &&
			       string_value(st, name, value, &c->requirements) &&
			       requirements_value(st, c->requirements);
	} else if (strcmp(section, "prompt") == 0) {
		if (strcmp(name, "enabled") == 0)
			return set_switch(st, SEEN_ENABLED, name, section, value, &c->prompt_enabled);
		if (strcmp(name, "format") == 0) {
			if (!set_scalar(st, SEEN_FORMAT, name, section) ||
			    !string_value(st, name, value, &c->prompt_format))
				return 0;
			return check_format(st, c->prompt_format);
		}
	} else if (strcmp(section, "create") == 0) {
		if (strcmp(name, "python") == 0)
			return set_scalar(st, SEEN_PYTHON, name, section) &&
			       string_value(st, name, value, &c->create_python);
		if (strcmp(name, "prompt") == 0)
			return set_scalar(st, SEEN_CPROMPT, name, section) &&
			       string_value(st, name, value, &c->create_prompt);
		if (strcmp(name, "seed") == 0) {
			if (!set_scalar(st, SEEN_SEED, name, section))
				return 0;
			if (strcmp(value, "pip") == 0)
				c->create_seed = CONFIG_SEED_PIP;
			else if (strcmp(value, "none") == 0)
				c->create_seed = CONFIG_SEED_NONE;
			else
				return fail(st, "seed must be pip or none, not '%s'", value);
			c->create_seed_set = 1;
			return 1;
		}
	} else if (strcmp(section, "trust") == 0) {
		if (strcmp(name, "directories") == 0)
			return !*value || add_dir(st, &c->trust_dirs, name, value, 1);
	} else {
		return fail(st, "unknown section '[%s]'", section);
	}
	return fail(st, "unknown key '%s' in [%s]", name, section);
}

int config_parse(struct config *c, const char *text, const char *path, char *err, size_t errlen)
{
	config_free(c);
	config_init(c);
	struct state st;
	memset(&st, 0, sizeof st);
	config_init(&st.c);
	char msg[REASON_MAX];
	int line = ini_text_parse_lines(text, handler, &st, msg, sizeof msg);
	if (line != 0) {
		snprintf(err, errlen, "'%s' line %d: %s", path, line, msg);
		config_free(&st.c);
		c->error = xstrdup(err);
		return -1;
	}
	st.c.path = xstrdup(path);
	*c = st.c;
	return 0;
}

/* ---- loading ----------------------------------------------------------- */

char *config_path(int *explicit, char *err, size_t errlen)
{
	const char *v = env_get("VENVHOOK_CONFIG");
	*explicit = v != NULL;
	if (v) {
		if (v[0] != '/') {
			char *shown = printable(v);
			snprintf(err, errlen, "VENVHOOK_CONFIG must be an absolute path, not '%s'", shown);
			free(shown);
			return NULL;
		}
		return xstrdup(v);
	}
	return xdg_path("CONFIG", "config.ini");
}

int config_load(struct config *c, const char *path, int explicit, char *err, size_t errlen)
{
	config_free(c);
	config_init(c);
	struct stat st;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT && !explicit)
			return 0;
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		goto fail;
	}
	/* Only the user (or root) decides what the user trusts. */
	struct sbuf text = SBUF_INIT;
	int r = file_read_owned(path, CONFIG_FILE_MAX, &text, err, errlen);
	if (r == 0)
		r = config_parse(c, text.s, path, err, errlen);
	sb_free(&text);
	if (r < 0)
		goto fail;
	return 0;
fail:
	free(c->error);
	c->error = xstrdup(err);
	return -1;
}

static struct config the_config;
static int the_config_loaded, the_config_reported;

static const struct config *config_load_once(void)
{
	if (the_config_loaded)
		return &the_config;
	the_config_loaded = 1;
	config_init(&the_config);
	char err[MSG_MAX];
	int explicit;
	char *path = config_path(&explicit, err, sizeof err);
	if (path) {
		if (config_load(&the_config, path, explicit, err, sizeof err) < 0) {
			free(the_config.error);
			the_config.error = xasprintf("%s; using the default settings", err);
		}
	} else if (explicit) {
		the_config.error = xasprintf("%s; using the default settings", err);
	}
	free(path);
	return &the_config;
}

const struct config *config_get(void)
{
	const struct config *c = config_load_once();
	if (c->error && !the_config_reported) {
		char *shown = printable(c->error);
		error("%s", shown);
		free(shown);
	}
	the_config_reported = 1;
	return c;
}

const struct config *config_get_quiet(void)
{
	the_config_reported = 1;
	return config_load_once();
}

/* ---- using the settings ------------------------------------------------ */

int config_ignored(const struct config *c, const char *dir, const struct config_pattern **which)
{
	if (!c->n_ignore)
		return 0;
	static pcre2_match_context *mctx;
	if (!mctx) {
		mctx = pcre2_match_context_create(NULL);
		if (!mctx)
			die(EXIT_FAIL, "out of memory");
		pcre2_set_match_limit(mctx, MATCH_LIMIT);
		pcre2_set_depth_limit(mctx, DEPTH_LIMIT);
		pcre2_set_heap_limit(mctx, HEAP_LIMIT_KIB);
	}
	int r = 0;
	for (size_t i = 0; i < c->n_ignore && r != 1; i++) {
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(c->ignore[i].re, NULL);
		if (!md)
			die(EXIT_FAIL, "out of memory");
		int m = pcre2_match(c->ignore[i].re, (PCRE2_SPTR)dir, strlen(dir), 0, 0, md, mctx);
		pcre2_match_data_free(md);
		if (m >= 0) {
			r = 1;
			if (which)
				*which = &c->ignore[i];
		} else if (m != PCRE2_ERROR_NOMATCH && r == 0) {
			r = -1;
			if (which)
				*which = &c->ignore[i];
		}
	}
	return r;
}

int config_ceiling_stops(const struct config *c, const char *start, const char *dir)
{
	for (size_t i = 0; i < c->ceiling.n; i++)
		if (path_within(start, c->ceiling.v[i]) && path_within(c->ceiling.v[i], dir))
			return 1;
	return 0;
}

const char *config_trusted(const struct config *c, const char *real)
{
	for (size_t i = 0; i < c->trust_dirs.n; i++)
		if (path_within(real, c->trust_dirs.v[i]))
			return c->trust_dirs.v[i];
	return NULL;
}

char *config_prompt_prefix(const struct config *c, const char *name)
{
	if (!c->prompt_enabled)
		return xstrdup("");
	const char *f = c->prompt_format ? c->prompt_format : "({name}) ";
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	for (const char *s = f; *s; s++) {
		if (strncmp(s, "{name}", 6) == 0) {
			sb_adds(&b, name);
			s += 5;
		} else {
			sb_addc(&b, *s);
		}
	}
	char *shown = printable(b.s);
	sb_free(&b);
	return shown;
}
