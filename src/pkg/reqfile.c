/* reqfile.c: the requirements file format `pip install -r` reads.
 *
 * Follows pip's req_file.py: physical lines joined at a trailing
 * backslash (not comment lines), comments "(^|\s+)#.*$" removed, ${VAR}
 * expanded, then each line split into requirement words and options
 * (the options shell-split and read like optparse does, long options by
 * unique prefix). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "reqfile.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pep440.h"
#include "util.h"

/* ---- patterns --------------------------------------------------------- */

enum { RE_COMMENT, RE_ENVVAR, RE_NAME, RE_OP, RE_EGG, RE_WHEEL, RE_ARCHIVE, RE_URL, RE_COUNT };

static const char *const patterns[RE_COUNT] = {
	/* pip's COMMENT_RE */
	[RE_COMMENT] = "(^|\\s+)#.*$",
	/* pip's ENV_VAR_RE */
	[RE_ENVVAR] = "\\$\\{([A-Z0-9_]+)\\}",
	/* PEP 508 names */
	[RE_NAME] = "^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?",
	[RE_OP] = "^(===|~=|==|!=|<=|>=|<|>)\\s*([^\\s,;)]+)",
	/* #egg=NAME in a URL's fragment */
	[RE_EGG] = "[#&]egg=([^&]+)",
	/* a wheel's file name: name-version(-build)?-py-abi-platform.whl */
	[RE_WHEEL] = "(?:^|/)([^/-]+)-([^/-]+)(?:-\\d[^/-]*)?-[^/-]+-[^/-]+-[^/-]+\\.whl$",
	/* pip's archive extensions */
	[RE_ARCHIVE] = "\\.(whl|zip|tar\\.gz|tgz|tar|tar\\.bz2|tbz|tar\\.xz|txz|tlz|tar\\.lz|tar\\.lzma)$",
	/* pip's is_url: a scheme pip knows */
	[RE_URL] = "^(https?|file|ftp|(git|hg|svn|bzr)\\+[a-z]+|git|hg|svn|bzr):",
};

static pcre2_code *re(int which)
{
	static pcre2_code *compiled[RE_COUNT];
	if (!compiled[which]) {
		int code;
		PCRE2_SIZE off;
		uint32_t flags = which == RE_ARCHIVE || which == RE_URL ? PCRE2_CASELESS : 0;
		compiled[which] = pcre2_compile((PCRE2_SPTR)patterns[which], PCRE2_ZERO_TERMINATED,
						flags, &code, &off, NULL);
		if (!compiled[which])
			die(EXIT_FAIL, "cannot compile a requirements pattern");
	}
	return compiled[which];
}

/* Matches pattern which in s from offset; fills ov (start/end pairs). */
static int match(int which, const char *s, size_t len, size_t from, size_t *ov, int pairs)
{
	pcre2_code *code = re(which);
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	int rc = pcre2_match(code, (PCRE2_SPTR)s, len, from, 0, md, NULL);
	if (rc > 0) {
		PCRE2_SIZE *v = pcre2_get_ovector_pointer(md);
		for (int i = 0; i < pairs * 2; i++)
			ov[i] = i < rc * 2 ? v[i] : (size_t)-1;
	}
	pcre2_match_data_free(md);
	return rc > 0;
}

/* ---- small helpers ---------------------------------------------------- */

static char *trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static const char *skip_ws(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

/* ---- markers (PEP 508) ------------------------------------------------ */

struct mparse {
	const char *s;
	const struct marker_env *env;   /* NULL: check the syntax only */
	char *err;
	size_t errlen;
	int status;                     /* 0, -1 malformed, -2 unknown value */
};

static void mfail(struct mparse *p, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void mfail(struct mparse *p, int status, const char *fmt, ...)
{
	if (p->status)
		return;
	p->status = status;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
}

static const char *const marker_vars[] = {
	"python_version", "python_full_version", "os_name", "sys_platform", "platform_release",
	"platform_system", "platform_version", "platform_machine", "platform_python_implementation",
	"implementation_name", "implementation_version", "extra",
	/* legacy spellings */
	"os.name", "sys.platform", "platform.version", "platform.machine",
	"platform.python_implementation", "python_implementation",
};

static const char *env_value(const struct marker_env *e, const char *var)
{
	if (strcmp(var, "extra") == 0)
		return "";
	if (strcmp(var, "python_version") == 0)
		return e->python_version;
	if (strcmp(var, "python_full_version") == 0)
		return e->python_full_version;
	if (strcmp(var, "os_name") == 0 || strcmp(var, "os.name") == 0)
		return e->os_name;
	if (strcmp(var, "sys_platform") == 0 || strcmp(var, "sys.platform") == 0)
		return e->sys_platform;
	if (strcmp(var, "platform_release") == 0)
		return e->platform_release;
	if (strcmp(var, "platform_system") == 0)
		return e->platform_system;
	if (strcmp(var, "platform_version") == 0 || strcmp(var, "platform.version") == 0)
		return e->platform_version;
	if (strcmp(var, "platform_machine") == 0 || strcmp(var, "platform.machine") == 0)
		return e->platform_machine;
	if (strcmp(var, "platform_python_implementation") == 0 ||
	    strcmp(var, "platform.python_implementation") == 0 ||
	    strcmp(var, "python_implementation") == 0)
		return e->platform_python_implementation;
	if (strcmp(var, "implementation_name") == 0)
		return e->implementation_name;
	if (strcmp(var, "implementation_version") == 0)
		return e->implementation_version;
	return NULL;
}

/* A marker value: a quoted string or a variable.  *var tells which. */
static char *mvalue(struct mparse *p, int *var)
{
	p->s = skip_ws(p->s);
	char q = *p->s;
	*var = 0;
	if (q == '\'' || q == '"') {
		const char *end = strchr(p->s + 1, q);
		if (!end) {
			mfail(p, -1, "%s", "a quoted string in the marker is not closed");
			return NULL;
		}
		char *v = xstrndup(p->s + 1, (size_t)(end - p->s - 1));
		p->s = end + 1;
		return v;
	}
	for (size_t i = 0; i < sizeof marker_vars / sizeof marker_vars[0]; i++) {
		size_t n = strlen(marker_vars[i]);
		if (strncmp(p->s, marker_vars[i], n) == 0 && !isalnum((unsigned char)p->s[n]) &&
		    p->s[n] != '_' && p->s[n] != '.') {
			p->s += n;
			*var = 1;
			return xstrdup(marker_vars[i]);
		}
	}
	mfail(p, -1, "the marker has '%.20s' where a value belongs", p->s);
	return NULL;
}

static const char *mop(struct mparse *p)
{
	static const char *const ops[] = { "===", "==", "!=", "<=", ">=", "~=", "<", ">", "in", "not" };
	p->s = skip_ws(p->s);
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t n = strlen(ops[i]);
		if (strncmp(p->s, ops[i], n) != 0)
			continue;
		if (isalpha((unsigned char)ops[i][0]) && isalnum((unsigned char)p->s[n]))
			continue;
		p->s += n;
		if (strcmp(ops[i], "not") == 0) {
			const char *t = skip_ws(p->s);
			if (t == p->s || strncmp(t, "in", 2) != 0 || isalnum((unsigned char)t[2]))
				break;
			p->s = t + 2;
			return "not in";
		}
		return ops[i];
	}
	mfail(p, -1, "the marker has '%.20s' where an operator belongs", p->s);
	return NULL;
}

/* packaging's _eval_op: a version comparison when op and rhs make a
 * valid specifier, else a string comparison. */
static int mcompare(struct mparse *p, const char *lhs, const char *op, const char *rhs)
{
	if (strcmp(op, "in") != 0 && strcmp(op, "not in") != 0) {
		struct pep440 v;
		char *clause = xasprintf("%s%s", op, rhs);
		if (pep440_parse(lhs, &v) == 0) {
			int m = pep440_spec_match(clause, &v, lhs);
			pep440_free(&v);
			if (m >= 0) {
				free(clause);
				return m;
			}
		} else if (strcmp(op, "===") == 0) {
			free(clause);
			return strcasecmp(lhs, rhs) == 0;
		}
		free(clause);
	}
	int c = strcmp(lhs, rhs);
	if (strcmp(op, "==") == 0)
		return c == 0;
	if (strcmp(op, "!=") == 0)
		return c != 0;
	if (strcmp(op, "<") == 0)
		return c < 0;
	if (strcmp(op, "<=") == 0)
		return c <= 0;
	if (strcmp(op, ">") == 0)
		return c > 0;
	if (strcmp(op, ">=") == 0)
		return c >= 0;
	if (strcmp(op, "in") == 0)
		return strstr(rhs, lhs) != NULL;
	if (strcmp(op, "not in") == 0)
		return strstr(rhs, lhs) == NULL;
	mfail(p, -1, "the marker compares with '%s', which needs versions on both sides", op);
	return 0;
}

static int mor(struct mparse *p);

static int matom(struct mparse *p)
{
	p->s = skip_ws(p->s);
	if (*p->s == '(') {
		p->s++;
		int r = mor(p);
		p->s = skip_ws(p->s);
		if (*p->s != ')') {
			mfail(p, -1, "%s", "a parenthesis in the marker is not closed");
			return 0;
		}
		p->s++;
		return r;
	}
	int lvar, rvar;
	char *l = mvalue(p, &lvar);
	const char *op = l ? mop(p) : NULL;
	char *r = op ? mvalue(p, &rvar) : NULL;
	int result = 0;
	if (r && lvar == rvar) {
		mfail(p, -1, "%s", lvar ? "the marker compares two variables"
			       : "the marker compares two strings");
	} else if (r && p->env) {
		const char *var = lvar ? l : r;
		const char *val = env_value(p->env, var);
		if (!val)
			mfail(p, -2, "the marker needs %s, which venvhook does not know for this env", var);
		else
			result = mcompare(p, lvar ? val : l, op, lvar ? r : val);
	}
	free(l);
	free(r);
	return result;
}

static int keyword(struct mparse *p, const char *kw)
{
	const char *t = skip_ws(p->s);
	size_t n = strlen(kw);
	if (strncmp(t, kw, n) == 0 && !isalnum((unsigned char)t[n]) && t[n] != '_') {
		p->s = t + n;
		return 1;
	}
	return 0;
}

static int mand(struct mparse *p)
{
	int r = matom(p);
	while (!p->status && keyword(p, "and")) {
		int b = matom(p);
		r = r && b;
	}
	return r;
}

static int mor(struct mparse *p)
{
	int r = mand(p);
	while (!p->status && keyword(p, "or")) {
		int b = mand(p);
		r = r || b;
	}
	return r;
}

static int marker_run(const char *marker, const struct marker_env *env, char *err, size_t errlen)
{
	struct mparse p = { marker, env, err, errlen, 0 };
	int r = mor(&p);
	if (!p.status && *skip_ws(p.s))
		mfail(&p, -1, "the marker has '%.20s' after its end", skip_ws(p.s));
	/* A malformed marker wins over an unknown value. */
	if (p.status == -2 && env) {
		char tmp[256];
		if (marker_run(marker, NULL, tmp, sizeof tmp) == -1) {
			snprintf(err, errlen, "%s", tmp);
			return -1;
		}
	}
	return p.status ? p.status : r;
}

int marker_eval(const char *marker, const struct marker_env *env, char *err, size_t errlen)
{
	return marker_run(marker, env, err, errlen);
}

/* ---- one requirement -------------------------------------------------- */

static void set_error(struct req_line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_error(struct req_line *l, const char *fmt, ...)
{
	l->kind = REQ_ERROR;
	free(l->error);
	struct sbuf b = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	l->error = sb_detach(&b);
}

static int name_from_url(struct req_line *l, const char *url)
{
	size_t ov[6];
	size_t n = strlen(url);
	if (match(RE_EGG, url, n, 0, ov, 2)) {
		l->name = xstrndup(url + ov[2], ov[3] - ov[2]);
		return 1;
	}
	size_t end = strcspn(url, "#?");
	if (match(RE_WHEEL, url, end, 0, ov, 3)) {
		l->name = xstrndup(url + ov[2], ov[3] - ov[2]);
		char *v = xstrndup(url + ov[4], ov[5] - ov[4]);
		free(l->spec);
		l->spec = xasprintf("==%s", v);
		free(v);
		return 1;
	}
	return 0;
}

/* The specifiers after a name: "(>=1, <2)" or ">=1,<2"; "" when none. */
static int parse_spec(const char **sp, struct req_line *l)
{
	const char *s = skip_ws(*sp);
	int paren = *s == '(';
	if (paren)
		s = skip_ws(s + 1);
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	size_t ov[6];
	while (match(RE_OP, s, strlen(s), 0, ov, 3)) {
		char *clause = xasprintf("%.*s%.*s", (int)(ov[3] - ov[2]), s + ov[2],
					 (int)(ov[5] - ov[4]), s + ov[4]);
		struct pep440 zero;
		pep440_parse("0", &zero);
		int ok = pep440_spec_match(clause, &zero, "0");
		pep440_free(&zero);
		if (ok < 0) {
			set_error(l, "'%s' is not a valid version specifier", clause);
			free(clause);
			sb_free(&b);
			return -1;
		}
		if (b.len)
			sb_addc(&b, ',');
		sb_adds(&b, clause);
		free(clause);
		s = skip_ws(s + ov[1]);
		if (*s != ',')
			break;
		s = skip_ws(s + 1);
	}
	if (paren) {
		if (*s != ')') {
			sb_free(&b);
			set_error(l, "%s", "a parenthesis around the version specifiers is not closed");
			return -1;
		}
		s++;
	}
	free(l->spec);
	l->spec = sb_detach(&b);
	*sp = s;
	return 0;
}

static int parse_marker(const char *s, struct req_line *l)
{
	char err[256];
	char *m = trim_dup(s, strlen(s));
	if (!*m || marker_eval(m, NULL, err, sizeof err) == -1) {
		set_error(l, "%s", *m ? err : "the marker after ';' is empty");
		free(m);
		return -1;
	}
	l->marker = m;
	return 0;
}

/* A PEP 508 requirement. */
static int parse_pep508(const char *s, struct req_line *l)
{
	size_t ov[2];
	s = skip_ws(s);
	if (!match(RE_NAME, s, strlen(s), 0, ov, 1)) {
		set_error(l, "'%s' is not a requirement pip understands", s);
		return -1;
	}
	l->name = xstrndup(s, ov[1]);
	s = skip_ws(s + ov[1]);
	if (*s == '[') {
		const char *end = strchr(s, ']');
		if (!end) {
			set_error(l, "%s", "the extras' '[' is not closed");
			return -1;
		}
		l->extras = trim_dup(s + 1, (size_t)(end - s - 1));
		s = skip_ws(end + 1);
	}
	if (*s == '@') {
		s = skip_ws(s + 1);
		size_t n = strcspn(s, " \t\r\n\v\f");
		if (!n) {
			set_error(l, "%s", "'@' is not followed by a URL");
			return -1;
		}
		l->kind = REQ_URL;
		l->url = xstrndup(s, n);
		l->spec = xstrdup("");
		s = skip_ws(s + n);
		if (*s == ';')
			return parse_marker(s + 1, l);
		if (*s) {
			set_error(l, "'%s' follows the URL (a marker needs ' ; ')", s);
			return -1;
		}
		return 0;
	}
	l->kind = REQ_NAME;
	if (parse_spec(&s, l) < 0)
		return -1;
	s = skip_ws(s);
	if (*s == ';')
		return parse_marker(s + 1, l);
	if (*s) {
		set_error(l, "'%s' is not a valid version specifier or marker", s);
		return -1;
	}
	return 0;
}

int req_parse(const char *s, struct req_line *l)
{
	s = skip_ws(s);
	size_t len = strlen(s), ov[2];
	int is_url = match(RE_URL, s, len, 0, ov, 1);
	/* pip splits a URL's marker at "; ", anything else's at ";". */
	const char *semi = is_url ? strstr(s, "; ") : strchr(s, ';');
	size_t head = semi ? (size_t)(semi - s) : len;
	char *h = trim_dup(s, head);
	int path_like = strchr(h, '/') || h[0] == '.';
	int archive = match(RE_ARCHIVE, h, strlen(h), 0, ov, 1);
	int at_form = 0;
	if (archive && strchr(h, '@')) {
		/* "name @ url.whl" stays a PEP 508 requirement */
		char *before = xstrndup(h, strcspn(h, "@"));
		at_form = !strchr(before, '/') && before[0] != '.';
		free(before);
	}
	if (is_url || (path_like && !strstr(h, " @ ") && !strchr(h, '@')) || (archive && !at_form)) {
		l->kind = REQ_PATH;
		l->url = h;
		l->spec = xstrdup("");
		name_from_url(l, h);
		if (semi)
			return parse_marker(semi + 1, l);
		return 0;
	}
	free(h);
	return parse_pep508(s, l);
}

/* ---- option lines ----------------------------------------------------- */

struct option {
	const char *shrt, *lng;
	int takes_value;
	enum req_kind kind;     /* REQ_OPTION, or what the value is */
};

static const struct option options[] = {
	{ "-i", "--index-url", 1, REQ_OPTION },
	{ NULL, "--pypi-url", 1, REQ_OPTION },
	{ NULL, "--extra-index-url", 1, REQ_OPTION },
	{ NULL, "--no-index", 0, REQ_OPTION },
	{ "-c", "--constraint", 1, REQ_CONSTRAINT },
	{ "-r", "--requirement", 1, REQ_INCLUDE },
	{ "-e", "--editable", 1, REQ_EDITABLE },
	{ "-f", "--find-links", 1, REQ_OPTION },
	{ NULL, "--no-binary", 1, REQ_OPTION },
	{ NULL, "--only-binary", 1, REQ_OPTION },
	{ NULL, "--prefer-binary", 0, REQ_OPTION },
	{ NULL, "--require-hashes", 0, REQ_OPTION },
	{ NULL, "--pre", 0, REQ_OPTION },
	{ NULL, "--trusted-host", 1, REQ_OPTION },
	{ NULL, "--use-feature", 1, REQ_OPTION },
	{ NULL, "--install-option", 1, REQ_OPTION },
	{ NULL, "--global-option", 1, REQ_OPTION },
	{ NULL, "--hash", 1, REQ_OPTION },
	{ NULL, "--config-settings", 1, REQ_OPTION },
};
#define NOPTIONS (sizeof options / sizeof options[0])

static void free_words(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

/* shlex.split (POSIX mode, no comments).  Returns -1 on an open quote. */
static int shlex_split(const char *s, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	while (*(s = skip_ws(s))) {
		struct sbuf w = SBUF_INIT;
		sb_add(&w, "", 0);
		while (*s && !isspace((unsigned char)*s)) {
			if (*s == '\'') {
				const char *end = strchr(s + 1, '\'');
				if (!end) {
					sb_free(&w);
					free_words(*out, *n);
					return -1;
				}
				sb_add(&w, s + 1, (size_t)(end - s - 1));
				s = end + 1;
			} else if (*s == '"') {
				s++;
				while (*s && *s != '"') {
					if (*s == '\\' && (s[1] == '"' || s[1] == '\\' || s[1] == '$' || s[1] == '`'))
						s++;
					sb_addc(&w, *s++);
				}
				if (*s != '"') {
					sb_free(&w);
					free_words(*out, *n);
					return -1;
				}
				s++;
			} else if (*s == '\\') {
				if (s[1])
					sb_addc(&w, s[1]), s += 2;
				else
					s++;
			} else {
				sb_addc(&w, *s++);
			}
		}
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = sb_detach(&w);
	}
	return 0;
}

static const struct option *find_option(const char *word, const char **value, struct req_line *l)
{
	*value = NULL;
	if (word[0] == '-' && word[1] == '-') {
		size_t n = strcspn(word, "=");
		const struct option *found = NULL;
		int count = 0;
		for (size_t i = 0; i < NOPTIONS; i++) {
			if (strncmp(options[i].lng, word, n) != 0)
				continue;
			if (strlen(options[i].lng) == n) { /* exact */
				found = &options[i];
				count = 1;
				break;
			}
			found = &options[i];
			count++;
		}
		if (count != 1) {
			set_error(l, count ? "'%s' is an ambiguous option" : "no such option: '%s'", word);
			return NULL;
		}
		if (word[n] == '=') {
			if (!found->takes_value) {
				set_error(l, "option '%s' takes no value", found->lng);
				return NULL;
			}
			*value = word + n + 1;
		}
		return found;
	}
	for (size_t i = 0; i < NOPTIONS; i++) {
		if (options[i].shrt && strncmp(word, options[i].shrt, 2) == 0) {
			if (word[2])
				*value = word + 2;
			return &options[i];
		}
	}
	set_error(l, "no such option: '%s'", word);
	return NULL;
}

/* The option words of a line; a requirement line (has_req) takes only
 * per-requirement options. */
static void parse_options(const char *opts, int has_req, struct req_line *l)
{
	char **w;
	size_t n;
	if (shlex_split(opts, &w, &n) < 0) {
		set_error(l, "%s", "a quotation mark in the options is not closed");
		return;
	}
	for (size_t i = 0; i < n && l->kind != REQ_ERROR; i++) {
		const char *value;
		if (w[i][0] != '-') {
			set_error(l, "'%s' follows the options", w[i]);
			break;
		}
		const struct option *o = find_option(w[i], &value, l);
		if (!o)
			break;
		if (o->takes_value && !value) {
			if (i + 1 >= n) {
				set_error(l, "option '%s' needs a value", o->lng);
				break;
			}
			value = w[++i];
		}
		/* pip ignores the other options on a requirement's line. */
		if (!has_req && o->kind != REQ_OPTION) {
			if (l->kind != REQ_OPTION) {
				set_error(l, "%s", "a line can hold only one of -r, -c and -e");
				break;
			}
			l->kind = o->kind;
			l->url = xstrdup(value);
		}
	}
	free_words(w, n);
}

static void editable(struct req_line *l)
{
	/* -e path[extras] or -e vcs+url#egg=name[extras] */
	char *u = l->url;
	size_t n = strlen(u);
	if (n && u[n - 1] == ']') {
		char *open = strrchr(u, '[');
		if (open) {
			l->extras = xstrndup(open + 1, n - (size_t)(open - u) - 2);
			*open = '\0';
		}
	}
	l->spec = xstrdup("");
	size_t ov[2];
	if (match(RE_URL, u, strlen(u), 0, ov, 1) && strncasecmp(u, "file:", 5) != 0) {
		if (!strchr(u, '+')) {
			set_error(l, "'%s' should be a path or a VCS URL such as git+https://...", u);
			return;
		}
		if (!name_from_url(l, u))
			set_error(l, "cannot tell the name of '%s': add #egg=NAME", u);
		return;
	}
	name_from_url(l, u);
}

/* ---- the file --------------------------------------------------------- */

static void add_line(struct req_file *rf, int lineno, const char *text)
{
	rf->l = xrealloc(rf->l, (rf->n + 1) * sizeof *rf->l);
	struct req_line *l = &rf->l[rf->n++];
	memset(l, 0, sizeof *l);
	l->lineno = lineno;
	l->text = xstrdup(text);
	/* break_args_options: words up to the first starting with '-'. */
	const char *p = text;
	const char *opts = NULL;
	for (const char *w = text; *w;) {
		if (*w == '-' && (w == text || w[-1] == ' ')) {
			opts = w;
			break;
		}
		const char *sp = strchr(w, ' ');
		if (!sp)
			break;
		w = sp + 1;
	}
	size_t args_len = opts ? (size_t)(opts - p) : strlen(p);
	char *args = trim_dup(p, args_len);
	l->kind = REQ_OPTION;
	if (*args) {
		if (opts)
			parse_options(opts, 1, l);
		if (l->kind != REQ_ERROR && req_parse(args, l) < 0)
			l->kind = REQ_ERROR;
	} else if (opts) {
		parse_options(opts, 0, l);
		if (l->kind == REQ_EDITABLE)
			editable(l);
	}
	free(args);
}

/* pip's ignore_comments and expand_env_variables, then the line. */
static void logical_line(struct req_file *rf, int lineno, const char *line)
{
	size_t ov[2];
	char *s = xstrdup(line);
	if (match(RE_COMMENT, s, strlen(s), 0, ov, 1))
		s[ov[0]] = '\0';
	char *t = trim_dup(s, strlen(s));
	free(s);
	if (!*t) {
		free(t);
		return;
	}
	struct sbuf b = SBUF_INIT;
	size_t pos = 0, vov[4];
	while (match(RE_ENVVAR, t, strlen(t), pos, vov, 2)) {
		char *name = xstrndup(t + vov[2], vov[3] - vov[2]);
		const char *val = getenv(name);
		sb_add(&b, t + pos, vov[0] - pos);
		if (val && *val)
			sb_adds(&b, val);
		else
			sb_add(&b, t + vov[0], vov[1] - vov[0]);
		free(name);
		pos = vov[1];
	}
	sb_adds(&b, t + pos);
	free(t);
	add_line(rf, lineno, b.s);
	sb_free(&b);
}

void reqfile_parse(const char *text, struct req_file *rf)
{
	memset(rf, 0, sizeof *rf);
	struct sbuf joined = SBUF_INIT;
	int first = 0, lineno = 0, pending = 0;
	size_t ov[2];
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\r\n");
		char *line = xstrndup(p, n);
		p += n;
		if (*p == '\r' && p[1] == '\n')
			p += 2;
		else if (*p)
			p++;
		lineno++;
		int comment = match(RE_COMMENT, line, n, 0, ov, 1) && ov[0] == 0;
		if (!n || line[n - 1] != '\\' || comment) {
			if (pending) {
				if (comment)
					sb_addc(&joined, ' ');
				sb_adds(&joined, line);
				logical_line(rf, first, joined.s);
				sb_reset(&joined);
				pending = 0;
			} else {
				logical_line(rf, lineno, comment ? "" : line);
			}
		} else {
			if (!pending)
				first = lineno;
			pending = 1;
			/* line.strip("\\") */
			size_t a = 0, z = n;
			while (a < z && line[a] == '\\')
				a++;
			while (z > a && line[z - 1] == '\\')
				z--;
			sb_add(&joined, line + a, z - a);
		}
		free(line);
	}
	if (pending)
		logical_line(rf, first, joined.s);
	sb_free(&joined);
}

void req_line_free(struct req_line *l)
{
	free(l->text);
	free(l->name);
	free(l->extras);
	free(l->spec);
	free(l->marker);
	free(l->url);
	free(l->error);
	memset(l, 0, sizeof *l);
}

void reqfile_free(struct req_file *rf)
{
	for (size_t i = 0; i < rf->n; i++)
		req_line_free(&rf->l[i]);
	free(rf->l);
	memset(rf, 0, sizeof *rf);
}
