/* reqfile.c: the requirements file format `pip install -r` reads.
 *
 * Follows pip's req_file.py and constructors.py: the text split into lines
 * as Python's str.splitlines() splits it, physical lines joined at a
 * trailing backslash (not comment lines), comments "(^|\\s+)#.*$" removed,
 * ${VAR} expanded, then each line split into requirement words and options
 * (the options shell-split and read like optparse does, long options by
 * unique prefix).  No regular expression: every step is one pass over the
 * line, so that a hostile file costs time linear in its length. */
#include "reqfile.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pep440.h"
#include "utf8.h"
#include "util.h"

/* ---- characters ------------------------------------------------------- */

/* The length of the Python whitespace character (str.isspace, re's \s)
 * at s, or 0; end bounds s. */
static size_t py_space(const char *s, const char *end)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = (size_t)(end - s);
	if (!n)
		return 0;
	if (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r') || (u[0] >= 0x1c && u[0] <= 0x1f))
		return 1;
	if (n >= 2 && u[0] == 0xc2 && (u[1] == 0x85 || u[1] == 0xa0))
		return 2;
	if (n >= 3 && ((u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) ||
		       (u[0] == 0xe2 && u[1] == 0x80 && (u[2] <= 0x8a || u[2] == 0xa8 || u[2] == 0xa9 ||
							 u[2] == 0xaf)) ||
		       (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f) ||
		       (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)))
		return 3;
	return 0;
}

/* The length of the line boundary str.splitlines() sees at s, or 0. */
static size_t py_linebreak(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] == '\r')
		return u[1] == '\n' ? 2 : 1;
	if (u[0] == '\n' || u[0] == '\v' || u[0] == '\f' || (u[0] >= 0x1c && u[0] <= 0x1e))
		return 1;
	if (u[0] == 0xc2 && u[1] == 0x85)
		return 2;
	if (u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9))
		return 3;
	return 0;
}

/* str.strip(): a copy of s[0, n) without Python whitespace at its ends. */
static char *py_strip(const char *s, size_t n)
{
	const char *end = s + n;
	size_t k;
	while (s < end && (k = py_space(s, end)))
		s += k;
	while (end > s) {
		if (py_space(end - 1, end) == 1)
			end--;
		else if (end - s >= 2 && py_space(end - 2, end) == 2)
			end -= 2;
		else if (end - s >= 3 && py_space(end - 3, end) == 3)
			end -= 3;
		else
			break;
	}
	return xstrndup(s, (size_t)(end - s));
}

/* The blanks packaging's requirement and marker grammars skip. */
static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_ws(const char *s)
{
	while (blank(*s))
		s++;
	return s;
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && blank(*s))
		s++, n--;
	while (n && blank(s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static int alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A PEP 508 name at s: its length, or 0. */
static size_t name_len(const char *s)
{
	if (!alnum(*s))
		return 0;
	size_t n = 1, last = 1;
	while (alnum(s[n]) || s[n] == '.' || s[n] == '_' || s[n] == '-') {
		n++;
		if (alnum(s[n - 1]))
			last = n;
	}
	return last;
}

static int ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

static int clause_valid(const char *clause);

/* ---- markers (PEP 508) ------------------------------------------------ */

struct mparse {
	const char *s;
	const struct marker_env *env;   /* NULL: check the syntax only */
	char *err;
	size_t errlen;
	int status;                     /* 0, -1 malformed, -2 unknown value, -3 pip fails */
	int depth;                      /* of parentheses */
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

/* The marker variables and the member of marker_env each reads ("extra",
 * none: it is always ""). */
#define MVAR(name, member) { name, offsetof(struct marker_env, member) }
#define MVAR_EXTRA ((size_t)-1)
static const struct { const char *name; size_t off; } marker_vars[] = {
	MVAR("python_version", python_version), MVAR("python_full_version", python_full_version),
	MVAR("os_name", os_name), MVAR("sys_platform", sys_platform),
	MVAR("platform_release", platform_release), MVAR("platform_system", platform_system),
	MVAR("platform_version", platform_version), MVAR("platform_machine", platform_machine),
	MVAR("platform_python_implementation", platform_python_implementation),
	MVAR("implementation_name", implementation_name),
	MVAR("implementation_version", implementation_version), { "extra", MVAR_EXTRA },
	/* legacy spellings */
	MVAR("os.name", os_name), MVAR("sys.platform", sys_platform),
	MVAR("platform.version", platform_version), MVAR("platform.machine", platform_machine),
	MVAR("platform.python_implementation", platform_python_implementation),
	MVAR("python_implementation", platform_python_implementation),
};

static const char *env_value(const struct marker_env *e, const char *var)
{
	for (size_t i = 0; i < sizeof marker_vars / sizeof marker_vars[0]; i++) {
		if (strcmp(var, marker_vars[i].name) != 0)
			continue;
		if (marker_vars[i].off == MVAR_EXTRA)
			return "";
		return *(const char *const *)(const void *)((const char *)e + marker_vars[i].off);
	}
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
		const char *name = marker_vars[i].name;
		size_t n = strlen(name);
		if (strncmp(p->s, name, n) == 0 && !isalnum((unsigned char)p->s[n]) &&
		    p->s[n] != '_' && p->s[n] != '.') {
			p->s += n;
			*var = 1;
			return xstrdup(name);
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
 * valid specifier, else a string comparison.  A value that is not a
 * version (a Debian kernel's platform_release) compares false with
 * packaging 21 (pip before 24.1); packaging 22 and later raise. */
static int mcompare(struct mparse *p, const char *lhs, const char *op, const char *rhs)
{
	int pip = p->env->pip;
	if (strcmp(op, "in") != 0 && strcmp(op, "not in") != 0) {
		char *clause = xasprintf("%s%s", op, rhs);
		int valid = clause_valid(clause);
		free(clause);
		if (valid) {
			struct pep440 v;
			clause = xasprintf("%s%s", op, rhs);
			int m;
			if (pep440_parse(lhs, &v) == 0) {
				m = pep440_spec_match(clause, &v, lhs);
				pep440_free(&v);
			} else if (pip == PIP_NEWEST || pip >= PIP_STRICT_PACKAGING) {
				mfail(p, -3, "'%s' is not a version, and pip %s compares it as one with "
				      "'%s' (it stops with InvalidVersion)", lhs,
				      pip == PIP_NEWEST ? "24.1 and later" : "of this env", clause);
				m = 0;
			} else {
				m = strcmp(op, "===") == 0 ? strcasecmp(lhs, rhs) == 0 : 0;
			}
			free(clause);
			return m > 0;
		}
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
	mfail(p, -3, "the marker compares '%s' with '%s', which needs versions on both sides, and pip "
	      "stops there (UndefinedComparison)", op, rhs);
	return 0;
}

static int mor(struct mparse *p);

static int matom(struct mparse *p)
{
	p->s = skip_ws(p->s);
	if (*p->s == '(') {
		if (++p->depth > MARKER_DEPTH_MAX) {
			mfail(p, -1, "the marker nests parentheses deeper than %d", MARKER_DEPTH_MAX);
			return 0;
		}
		p->s++;
		int r = mor(p);
		p->depth--;
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
	struct mparse p = { marker, env, err, errlen, 0, 0 };
	int r = mor(&p);
	if (!p.status && *skip_ws(p.s))
		mfail(&p, -1, "the marker has '%.20s' after its end", skip_ws(p.s));
	/* A malformed marker wins over an unknown value. */
	if ((p.status == -2 || p.status == -3) && env) {
		char tmp[REASON_MAX];
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
	if (l->kind == REQ_ERROR)
		return;         /* the first problem is the one pip reports */
	l->kind = REQ_ERROR;
	l->pip_refuses = 1;
	free(l->error);
	struct sbuf b = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&b, fmt, ap);
	va_end(ap);
	l->error = sb_detach(&b);
}

/* A line venvhook will not read although pip might. */
static void set_limit(struct req_line *l, const char *why)
{
	set_error(l, "%s", why);
	l->pip_refuses = 0;
}

/* pip's is_url: the text before the first ':' is a scheme pip knows. */
static int is_url(const char *s)
{
	static const char *const schemes[] = {
		"http", "https", "file", "ftp",
		"git+http", "git+https", "git+ssh", "git+git", "git+file",
		"hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
		"svn", "svn+ssh", "svn+http", "svn+https", "svn+svn", "svn+file",
		"bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp", "bzr+file",
	};
	size_t n = strcspn(s, ":");
	if (!s[n])
		return 0;
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strlen(schemes[i]) == n && strncasecmp(s, schemes[i], n) == 0)
			return 1;
	return 0;
}

static int is_archive(const char *s, size_t n)
{
	static const char *const ext[] = { ".zip", ".whl", ".tar.bz2", ".tbz", ".tar.xz", ".txz",
					   ".tlz", ".tar.lz", ".tar.lzma", ".tar.gz", ".tgz", ".tar" };
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
		if (ends_with_ci(s, n, ext[i]))
			return 1;
	return 0;
}

static int parse_pep508(const char *s, int pip, struct req_line *l);

/* A URL's #egg=: what pip reads as the requirement (Link.egg_fragment).
 * Returns 1 with name (and extras, specifiers) set, 0 without one, -1
 * when pip refuses it. */
static int egg(struct req_line *l, const char *url, int pip)
{
	const char *e = NULL;
	for (const char *p = url; (p = strstr(p, "egg=")); p += 4)
		if (p > url && (p[-1] == '#' || p[-1] == '&')) {
			e = p + 4;
			break;
		}
	if (!e)
		return 0;
	char *text = xstrndup(e, strcspn(e, "&"));
	struct req_line r;
	memset(&r, 0, sizeof r);
	int ok = *text && parse_pep508(text, pip, &r) == 0 && r.kind == REQ_NAME && !r.marker;
	if (ok) {
		free(l->name);
		free(l->extras);
		free(l->spec);
		l->name = r.name;
		l->extras = r.extras;
		l->spec = r.spec;
		r.name = r.extras = r.spec = NULL;
	} else {
		set_error(l, "'#egg=%s' is not a valid requirement", text);
	}
	req_line_free(&r);
	free(text);
	return ok ? 1 : -1;
}

/* A wheel's file name: name-version(-build)?-python-abi-platform.whl. */
static int wheel_name(struct req_line *l, const char *url)
{
	size_t end = strcspn(url, "#?");
	if (!ends_with_ci(url, end, ".whl"))
		return 0;
	size_t start = end;
	while (start && url[start - 1] != '/')
		start--;
	char *base = xstrndup(url + start, end - start - 4);
	char *part[7];
	int n = 0;
	for (char *p = base; n < 7;) {
		part[n++] = p;
		p = strchr(p, '-');
		if (!p)
			break;
		*p++ = '\0';
	}
	int ok = (n == 5 || (n == 6 && isdigit((unsigned char)part[2][0])));
	for (int i = 0; ok && i < n; i++)
		ok = *part[i] && !strpbrk(part[i], " \t") && i < 6;
	if (ok) {
		free(l->name);
		free(l->spec);
		l->name = xstrdup(part[0]);
		l->spec = xasprintf("==%s", part[1]);
		for (char *c = l->spec; *c; c++)
			if (*c == '_')
				*c = '-';
	} else {
		set_error(l, "'%s' is not a valid wheel file name", url + start);
	}
	free(base);
	return ok ? 1 : -1;
}

/* packaging's Specifier: one clause is valid. */
static int clause_valid(const char *clause)
{
	struct pep440 zero;
	pep440_parse("0", &zero);
	int ok = pep440_spec_match(clause, &zero, "0") >= 0;
	pep440_free(&zero);
	return ok;
}

/* The specifiers after a name: "(>=1, <2)" or ">=1,<2"; "" when none.
 * Before pip 24.1, packaging also took legacy clauses (">=2.0<3", "=="). */
static int parse_spec(const char **sp, int pip, struct req_line *l)
{
	static const char *const ops[] = { "===", "~=", "==", "!=", "<=", ">=", "<", ">" };
	int legacy = pip != PIP_NEWEST && pip < PIP_STRICT_PACKAGING;
	const char *s = skip_ws(*sp);
	int paren = *s == '(';
	if (paren)
		s = skip_ws(s + 1);
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	for (;;) {
		const char *op = NULL;
		for (size_t i = 0; i < sizeof ops / sizeof ops[0] && !op; i++)
			if (strncmp(s, ops[i], strlen(ops[i])) == 0)
				op = ops[i];
		if (!op)
			break;
		const char *v = skip_ws(s + strlen(op));
		size_t n = strcspn(v, " \t\r\n,;)");
		char *clause = xasprintf("%s%.*s", op, (int)n, v);
		int ok = n && clause_valid(clause);
		if (!ok && legacy && op[0] != '~' && strcmp(op, "===") != 0)
			ok = 1;         /* a LegacySpecifier */
		if (!ok) {
			set_error(l, "'%s' is not a valid version specifier", clause);
			free(clause);
			sb_free(&b);
			return -1;
		}
		if (b.len)
			sb_addc(&b, ',');
		sb_adds(&b, clause);
		free(clause);
		s = skip_ws(v + n);
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

/* The marker after the ';' pip splits at: none when blank. */
static int parse_marker(const char *s, struct req_line *l)
{
	char err[MSG_MAX];
	char *m = py_strip(s, strlen(s));
	if (!*m) {
		free(m);
		return 0;
	}
	int r = marker_eval(m, NULL, err, sizeof err);
	if (r == -1) {
		set_error(l, "%s", err);
		if (strstr(err, "deeper than"))
			l->pip_refuses = 0;
		free(m);
		return -1;
	}
	l->marker = m;
	return 0;
}

/* A PEP 508 requirement without its marker: name [extras] (specifiers or
 * @ URL). */
static int parse_pep508(const char *s, int pip, struct req_line *l)
{
	s = skip_ws(s);
	size_t n = name_len(s);
	if (!n) {
		set_error(l, "'%s' is not a requirement pip understands", s);
		return -1;
	}
	l->name = xstrndup(s, n);
	s = skip_ws(s + n);
	if (*s == '[') {
		/* a comma-separated list of names, possibly empty */
		const char *start = s + 1;
		s = skip_ws(start);
		int want_name = 0;
		while (*s != ']') {
			size_t k = name_len(s);
			if (!k) {
				set_error(l, "%s", want_name || *s ? "the extras are not a list of names"
								 : "the extras' '[' is not closed");
				return -1;
			}
			s = skip_ws(s + k);
			want_name = 0;
			if (*s == ',') {
				s = skip_ws(s + 1);
				want_name = 1;
			} else if (*s != ']') {
				set_error(l, "%s", *s ? "the extras are not a list of names"
						      : "the extras' '[' is not closed");
				return -1;
			}
		}
		if (want_name) {
			set_error(l, "%s", "the extras end with a ','");
			return -1;
		}
		l->extras = trim_dup(start, (size_t)(s - start));
		s = skip_ws(s + 1);
	}
	if (*s == '@') {
		s = skip_ws(s + 1);
		n = strcspn(s, " \t\r\n");
		if (!n) {
			set_error(l, "%s", "'@' is not followed by a URL");
			return -1;
		}
		l->kind = REQ_URL;
		l->url = xstrndup(s, n);
		l->spec = xstrdup("");
		s = skip_ws(s + n);
		if (*s) {
			set_error(l, "'%s' follows the URL", s);
			return -1;
		}
		return 0;
	}
	l->kind = REQ_NAME;
	if (parse_spec(&s, pip, l) < 0)
		return -1;
	s = skip_ws(s);
	if (*s) {
		set_error(l, "'%s' is not a valid version specifier", s);
		return -1;
	}
	return 0;
}

/* pip's parse_req_from_line. */
static int req_parse_pip(const char *s, int pip, struct req_line *l)
{
	s = skip_ws(s);
	int url = is_url(s);
	/* pip splits a URL's marker at "; ", anything else's at ";". */
	const char *semi = url ? strstr(s, "; ") : strchr(s, ';');
	size_t head = semi ? (size_t)(semi - s) : strlen(s);
	char *h = py_strip(s, head);
	if (semi && parse_marker(semi + 1, l) < 0) {
		free(h);
		return -1;
	}
	size_t hn = strlen(h);
	int path_like = strchr(h, '/') || h[0] == '.';
	int archive = is_archive(h, hn);
	int at_form = 0;
	if (archive && !url && strchr(h, '@')) {
		/* "name @ url.whl" stays a PEP 508 requirement */
		size_t k = strcspn(h, "@");
		at_form = !memchr(h, '/', k) && h[0] != '.';
	}
	if (url || (path_like && !strchr(h, '@')) || (archive && !at_form)) {
		l->kind = REQ_PATH;
		l->url = h;
		l->spec = xstrdup("");
		if (wheel_name(l, h) < 0 || (!l->name && egg(l, h, pip) < 0))
			return -1;
		l->kind = REQ_PATH;
		l->local_dir = !url && !archive;
		return 0;
	}
	int r = parse_pep508(h, pip, l);
	free(h);
	return r;
}

int req_parse(const char *s, struct req_line *l)
{
	return req_parse_pip(s, PIP_NEWEST, l);
}

/* ---- option lines ----------------------------------------------------- */

enum opt_check { CHECK_NONE, CHECK_HASH, CHECK_FEATURE, CHECK_BINARY, CHECK_CONFIG };

struct option {
	const char *shrt, *lng;
	int takes_value;
	enum req_kind kind;     /* REQ_OPTION, or what the value is */
	enum opt_check check;
	int since, until;       /* the pips that have it: since <= pip < until (0: any) */
};

static const struct option options[] = {
	{ "-i", "--index-url", 1, REQ_OPTION, CHECK_NONE, 0, 0 },
	{ NULL, "--pypi-url", 1, REQ_OPTION, CHECK_NONE, 0, 0 },
	{ NULL, "--extra-index-url", 1, REQ_OPTION, CHECK_NONE, 0, 0 },
	{ NULL, "--no-index", 0, REQ_OPTION, CHECK_NONE, 0, 0 },
	{ "-c", "--constraint", 1, REQ_CONSTRAINT, CHECK_NONE, 0, 0 },
	{ "-r", "--requirement", 1, REQ_INCLUDE, CHECK_NONE, 0, 0 },
	{ "-e", "--editable", 1, REQ_EDITABLE, CHECK_NONE, 0, 0 },
	{ "-f", "--find-links", 1, REQ_OPTION, CHECK_NONE, 0, 0 },
	{ NULL, "--no-binary", 1, REQ_OPTION, CHECK_BINARY, 0, 0 },
	{ NULL, "--only-binary", 1, REQ_OPTION, CHECK_BINARY, 0, 0 },
	{ NULL, "--prefer-binary", 0, REQ_OPTION, CHECK_NONE, 0, 0 },
	{ NULL, "--require-hashes", 0, REQ_OPTION, CHECK_NONE, 0, 0 },
	{ NULL, "--pre", 0, REQ_OPTION, CHECK_NONE, 0, 0 },
	{ NULL, "--trusted-host", 1, REQ_OPTION, CHECK_NONE, 0, 0 },
	{ NULL, "--use-feature", 1, REQ_OPTION, CHECK_FEATURE, 0, 0 },
	{ NULL, "--install-option", 1, REQ_OPTION, CHECK_NONE, 0, PIP_CONFIG_SETTINGS },
	{ NULL, "--global-option", 1, REQ_OPTION, CHECK_NONE, 0, 0 },
	{ NULL, "--hash", 1, REQ_OPTION, CHECK_HASH, 0, 0 },
	{ "-C", "--config-settings", 1, REQ_OPTION, CHECK_CONFIG, PIP_CONFIG_SETTINGS, 0 },
};
#define NOPTIONS (sizeof options / sizeof options[0])

static int option_in(const struct option *o, int pip)
{
	if (pip == PIP_NEWEST)
		return !o->until;
	return (!o->since || pip >= o->since) && (!o->until || pip < o->until);
}

static void free_words(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

static int shlex_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* shlex.split (POSIX mode, no comments).  Returns -1 on an open quote or
 * a final backslash (shlex raises ValueError, and pip stops). */
static int shlex_split(const char *s, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	for (;;) {
		while (shlex_blank(*s))
			s++;
		if (!*s)
			break;
		struct sbuf w = SBUF_INIT;
		sb_add(&w, "", 0);
		while (*s && !shlex_blank(*s)) {
			if (*s == '\'') {
				const char *end = strchr(s + 1, '\'');
				if (!end)
					goto fail;
				sb_add(&w, s + 1, (size_t)(end - s - 1));
				s = end + 1;
			} else if (*s == '"') {
				s++;
				while (*s && *s != '"') {
					if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
						s++;
					sb_addc(&w, *s++);
				}
				if (*s != '"')
					goto fail;
				s++;
			} else if (*s == '\\') {
				if (!s[1])
					goto fail;
				sb_addc(&w, s[1]);
				s += 2;
			} else {
				size_t k = strcspn(s, " \t\r\n'\"\\");
				sb_add(&w, s, k);
				s += k;
			}
			continue;
fail:
			sb_free(&w);
			free_words(*out, *n);
			*out = NULL;
			*n = 0;
			return -1;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		(*out)[(*n)++] = sb_detach(&w);
	}
	return 0;
}

static const struct option *find_option(const char *word, int pip, const char **value,
					struct req_line *l)
{
	*value = NULL;
	if (word[0] == '-' && word[1] == '-') {
		size_t n = strcspn(word, "=");
		const struct option *found = NULL;
		int count = 0;
		for (size_t i = 0; i < NOPTIONS; i++) {
			if (!option_in(&options[i], pip) || strncmp(options[i].lng, word, n) != 0)
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
			set_error(l, count ? "'%.*s' is an ambiguous option" : "no such option: '%.*s'",
				  (int)n, word);
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
		if (options[i].shrt && option_in(&options[i], pip) &&
		    strncmp(word, options[i].shrt, 2) == 0) {
			if (word[2])
				*value = word + 2;
			return &options[i];
		}
	}
	set_error(l, "no such option: '%.2s'", word);
	return NULL;
}

/* The checks pip's option callbacks and choices make. */
static void check_value(const struct option *o, const char *v, struct req_line *l)
{
	switch (o->check) {
	case CHECK_HASH: {
		const char *colon = strchr(v, ':');
		size_t n = colon ? (size_t)(colon - v) : 0;
		if (!colon)
			set_error(l, "'--hash=%s' needs a hash name and a value, like sha256:abc...", v);
		else if (!((n == 6 && (!strncmp(v, "sha256", 6) || !strncmp(v, "sha384", 6) ||
					!strncmp(v, "sha512", 6)))))
			set_error(l, "'--hash=%s': pip takes only sha256, sha384 and sha512", v);
		break;
	}
	case CHECK_FEATURE:
		if (strcmp(v, "fast-deps") && strcmp(v, "truststore") &&
		    strcmp(v, "no-binary-enable-wheel-cache"))
			set_error(l, "'--use-feature=%s' is not a feature pip knows", v);
		break;
	case CHECK_BINARY:
		if (v[0] == '-')
			set_error(l, "'%s' needs a value, not '%s'", o->lng, v);
		break;
	case CHECK_CONFIG:
		if (!strchr(v, '='))
			set_error(l, "'%s %s' needs the form KEY=VALUE", o->lng, v);
		break;
	case CHECK_NONE:
		break;
	}
}

/* The option words of a line, as optparse reads them (words that are not
 * options are ignored, as pip ignores them).  A line without a
 * requirement (!has_req) is -e (the first one) if it has one, else -r,
 * else -c, else an option line. */
static void parse_options(const char *opts, int has_req, int pip, struct req_line *l)
{
	char **w;
	size_t n;
	if (shlex_split(opts, &w, &n) < 0) {
		set_error(l, "%s", "a quotation mark in the options is not closed, or a '\\' ends them");
		return;
	}
	const char *first[3] = { NULL, NULL, NULL };    /* -e, -r, -c */
	for (size_t i = 0; i < n && l->kind != REQ_ERROR; i++) {
		const char *value;
		if (strcmp(w[i], "--") == 0)
			break;
		if (w[i][0] != '-' || !w[i][1])
			continue;
		const struct option *o = find_option(w[i], pip, &value, l);
		if (!o)
			break;
		if (o->takes_value && !value) {
			if (i + 1 >= n) {
				set_error(l, "option '%s' needs a value", o->lng);
				break;
			}
			value = w[++i];
		}
		if (value)
			check_value(o, value, l);
		int slot = o->kind == REQ_EDITABLE ? 0 : o->kind == REQ_INCLUDE ? 1
			 : o->kind == REQ_CONSTRAINT ? 2 : -1;
		if (slot >= 0 && !first[slot])
			first[slot] = value;
	}
	if (!has_req && l->kind != REQ_ERROR) {
		for (int slot = 0; slot < 3; slot++)
			if (first[slot]) {
				l->kind = slot == 0 ? REQ_EDITABLE : slot == 1 ? REQ_INCLUDE : REQ_CONSTRAINT;
				l->url = xstrdup(first[slot]);
				break;
			}
	}
	free_words(w, n);
}

/* A VCS URL pip knows (Link.is_vcs). */
static int is_vcs(const char *u)
{
	size_t n = strcspn(u, ":");
	return is_url(u) && memchr(u, '+', n) ? 1 : is_url(u) && n == 3 && !strncasecmp(u, "svn", 3);
}

/* pip's parse_editable. */
static void editable(struct req_line *l, int pip)
{
	char *u = l->url;
	size_t n = strlen(u);
	l->spec = xstrdup("");
	/* _strip_extras: "^(.+)(\[[^\]]+\])$" */
	char *open = n >= 4 && u[n - 1] == ']' ? strrchr(u, '[') : NULL;
	if (open && (open == u || open + 2 > u + n - 1 || memchr(open, ']', (size_t)(u + n - 1 - open))))
		open = NULL;
	size_t colon = strcspn(u, ":/");
	int file = strncasecmp(u, "file:", 5) == 0;
	if (file || u[colon] != ':') {
		/* file:... or a path (pip wants a project directory there) */
		if (open) {
			l->extras = xstrndup(open + 1, (size_t)(u + n - 2 - open));
			*open = '\0';
		}
		if (file)
			egg(l, u, pip);
		l->local_dir = !file;
		return;
	}
	static const char *const vcs[] = { "bzr", "git", "hg", "svn" };
	for (size_t i = 0; i < 4; i++) {
		size_t k = strlen(vcs[i]);
		if (strncasecmp(u, vcs[i], k) == 0 && u[k] == ':') {
			char *full = xasprintf("%s+%s", vcs[i], u);
			free(l->url);
			l->url = u = full;
			break;
		}
	}
	if (!is_vcs(u)) {
		set_error(l, "'%s' should be a path or a VCS URL such as git+https://...", u);
		return;
	}
	if (egg(l, u, pip) == 0)
		set_error(l, "cannot tell the name of '%s': add #egg=NAME", u);
}

/* ---- the file --------------------------------------------------------- */

static void add_line(struct req_file *rf, size_t *cap, int lineno, const char *text, int pip)
{
	if (rf->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		rf->l = xrealloc(rf->l, *cap * sizeof *rf->l);
	}
	struct req_line *l = &rf->l[rf->n++];
	memset(l, 0, sizeof *l);
	l->lineno = lineno;
	l->text = xstrdup(text);
	/* break_args_options: the words (split at ' ') up to the first that
	 * starts with '-'. */
	const char *opts = NULL;
	for (const char *w = text; *w;) {
		if (*w == '-') {
			opts = w;
			break;
		}
		const char *sp = strchr(w, ' ');
		if (!sp)
			break;
		w = sp + 1;
	}
	size_t args_len = opts ? (size_t)(opts - text) : strlen(text);
	char *args = xstrndup(text, args_len);
	l->kind = REQ_OPTION;
	if (*args) {
		if (opts)
			parse_options(opts, 1, pip, l);
		if (l->kind != REQ_ERROR && req_parse_pip(args, pip, l) < 0)
			l->kind = REQ_ERROR;
	} else if (opts) {
		parse_options(opts, 0, pip, l);
		if (l->kind == REQ_EDITABLE)
			editable(l, pip);
	}
	free(args);
}

/* Lines longer than this grow no further from ${VAR}s. */
#define LINE_MAX_EXPANDED (64u * 1024 * 1024)

/* pip's ignore_comments and expand_env_variables, then the line. */
static void logical_line(struct req_file *rf, size_t *cap, int lineno, const char *line, size_t n,
			 int pip)
{
	/* COMMENT_RE.sub: from the whitespace before the first '#' that
	 * starts the line or follows whitespace. */
	const char *end = line + n, *run = NULL;
	for (const char *p = line; p < end;) {
		size_t k = py_space(p, end);
		if (k) {
			if (!run)
				run = p;
			p += k;
			continue;
		}
		if (*p == '#' && (run || p == line)) {
			end = run ? run : p;
			break;
		}
		run = NULL;
		p++;
	}
	char *t = py_strip(line, (size_t)(end - line));
	if (!*t) {
		free(t);
		return;
	}
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	int too_long = 0;
	for (const char *p = t; *p;) {
		const char *d = strstr(p, "${");
		if (!d) {
			sb_adds(&b, p);
			break;
		}
		sb_add(&b, p, (size_t)(d - p));
		const char *q = d + 2;
		while ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
			q++;
		if (q == d + 2 || *q != '}') {
			sb_add(&b, d, (size_t)(q - d));
			p = q;
			continue;
		}
		char *name = xstrndup(d + 2, (size_t)(q - d - 2));
		const char *val = getenv(name);
		free(name);
		if (val && *val) {
			if (b.len + strlen(val) > LINE_MAX_EXPANDED) {
				too_long = 1;
				break;
			}
			sb_adds(&b, val);
		} else {
			sb_add(&b, d, (size_t)(q + 1 - d));
		}
		p = q + 1;
	}
	free(t);
	if (too_long) {
		add_line(rf, cap, lineno, "", pip);
		set_limit(&rf->l[rf->n - 1], "the line's ${VARIABLES} make it longer than 64 MB");
	} else {
		add_line(rf, cap, lineno, b.s, pip);
	}
	sb_free(&b);
}

/* COMMENT_RE.match: the line is a comment (whitespace, then '#'). */
static int comment_line(const char *s, size_t n)
{
	const char *end = s + n;
	size_t k;
	while (s < end && (k = py_space(s, end)))
		s += k;
	return s < end && *s == '#';
}

void reqfile_parse_pip(const char *text, int pip, struct req_file *rf)
{
	memset(rf, 0, sizeof *rf);
	size_t cap = 0;
	struct sbuf joined = SBUF_INIT;
	int first = 0, lineno = 0, pending = 0;
	for (const char *p = text; *p;) {
		const char *line = p;
		size_t k;
		while (*p && !(k = py_linebreak(p)))
			p++;
		size_t n = (size_t)(p - line);
		if (*p)
			p += k;
		lineno++;
		int comment = comment_line(line, n);
		if (!n || line[n - 1] != '\\' || comment) {
			if (pending) {
				if (comment)
					sb_addc(&joined, ' ');
				sb_add(&joined, line, n);
				logical_line(rf, &cap, first, joined.s, joined.len, pip);
				sb_reset(&joined);
				pending = 0;
			} else if (!comment) {
				logical_line(rf, &cap, lineno, line, n, pip);
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
	}
	if (pending)
		logical_line(rf, &cap, first, joined.s ? joined.s : "", joined.len, pip);
	sb_free(&joined);
}

void reqfile_parse(const char *text, struct req_file *rf)
{
	reqfile_parse_pip(text, PIP_NEWEST, rf);
}

/* ---- decoding --------------------------------------------------------- */

/* Appends code point c (at most U+10FFFF) as UTF-8. */
static void put_utf8(struct sbuf *b, uint32_t c)
{
	char u[4];
	sb_add(b, u, utf8_write(c, u));
}

char *reqfile_decode(const char *data, size_t len, char *err, size_t errlen)
{
	const unsigned char *u = (const unsigned char *)data;
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	/* pip's BOMS, in its order: FF FE is UTF-16 before it is UTF-32. */
	int width = 0, big = 0;
	int bom = 0;
	if (len >= 3 && !memcmp(u, "\xef\xbb\xbf", 3)) {
		u += 3, len -= 3;
		bom = 1;
	} else if (len >= 2 && !memcmp(u, "\xff\xfe", 2)) {
		width = 2, big = 0;
	} else if (len >= 2 && !memcmp(u, "\xfe\xff", 2)) {
		width = 2, big = 1;
	} else if (len >= 4 && !memcmp(u, "\x00\x00\xfe\xff", 4)) {
		width = 4, big = 1;
	}
	if (width) {
		u += width, len -= width;
		if (len % width) {
			snprintf(err, errlen, "it does not decode as UTF-%d", width * 8);
			sb_free(&b);
			return NULL;
		}
		for (size_t i = 0; i < len; i += width) {
			uint32_t c;
			if (width == 4) {
				c = big ? (uint32_t)u[i] << 24 | (uint32_t)u[i + 1] << 16 |
					  (uint32_t)u[i + 2] << 8 | u[i + 3]
					: (uint32_t)u[i + 3] << 24 | (uint32_t)u[i + 2] << 16 |
					  (uint32_t)u[i + 1] << 8 | u[i];
			} else {
				c = big ? (uint32_t)u[i] << 8 | u[i + 1] : (uint32_t)u[i + 1] << 8 | u[i];
				if (c >= 0xd800 && c <= 0xdbff && i + 3 < len) {
					uint32_t d = big ? (uint32_t)u[i + 2] << 8 | u[i + 3]
							 : (uint32_t)u[i + 3] << 8 | u[i + 2];
					if (d >= 0xdc00 && d <= 0xdfff) {
						c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
						i += 2;
					}
				}
			}
			if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
				snprintf(err, errlen, "it does not decode as UTF-%d", width * 8);
				sb_free(&b);
				return NULL;
			}
			if (c == 0) {
				snprintf(err, errlen, "%s", "it holds a NUL character");
				sb_free(&b);
				return NULL;
			}
			put_utf8(&b, c);
		}
		return sb_detach(&b);
	}
	/* PEP 263: "coding: X" in a '#' line among the first two. */
	int latin1 = 0;
	for (size_t i = 0, line = 0; !bom && i < len && line < 2; line++) {
		size_t e = i;
		while (e < len && u[e] != '\n')
			e++;
		if (u[i] == '#') {
			for (size_t j = i; j + 7 < e; j++) {
				if (memcmp(u + j, "coding", 6) != 0 || (u[j + 6] != ':' && u[j + 6] != '='))
					continue;
				size_t s = j + 7;
				while (s < e && (u[s] == ' ' || u[s] == '\t'))
					s++;
				size_t t = s;
				while (t < e && (isalnum(u[t]) || u[t] == '-' || u[t] == '_' || u[t] == '.'))
					t++;
				char enc[32];
				snprintf(enc, sizeof enc, "%.*s", (int)(t - s), (const char *)u + s);
				for (char *c = enc; *c; c++)
					*c = (char)tolower((unsigned char)*c);
				for (char *c = enc; *c; c++)
					if (*c == '_')
						*c = '-';
				if (!strcmp(enc, "latin-1") || !strcmp(enc, "latin1") ||
				    !strcmp(enc, "iso-8859-1") || !strcmp(enc, "iso8859-1")) {
					latin1 = 1;
				} else if (strcmp(enc, "utf-8") && strcmp(enc, "utf8") &&
					   strcmp(enc, "ascii") && strcmp(enc, "us-ascii")) {
					snprintf(err, errlen, "venvhook reads UTF-8, UTF-16 and Latin-1 only, "
						 "and it says it is in '%s'", enc);
					sb_free(&b);
					return NULL;
				}
				goto decode;
			}
		}
		i = e + 1;
	}
decode:
	for (size_t i = 0; i < len;) {
		if (!u[i]) {
			snprintf(err, errlen, "%s", "it holds a NUL character");
			sb_free(&b);
			return NULL;
		}
		if (latin1) {
			put_utf8(&b, u[i++]);
			continue;
		}
		unsigned long cp;
		size_t k = utf8_decode(u + i, len - i, &cp);
		if (!k) {
			snprintf(err, errlen, "it is not valid UTF-8 (byte %zu)", i + 1);
			sb_free(&b);
			return NULL;
		}
		sb_add(&b, u + i, k);
		i += k;
	}
	return sb_detach(&b);
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
