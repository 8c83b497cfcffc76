/* pep440.c: Python package versions (PEP 440) as pip's packaging reads them. */
#include "pep440.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* packaging.version.VERSION_PATTERN, anchored with optional whitespace,
 * case-insensitive:
 *   \s* v? (?:(epoch [0-9]+)!)? (release [0-9]+(?:\.[0-9]+)*)
 *   ([-_.]?(pre_l alpha|a|beta|b|preview|pre|c|rc)[-_.]?(pre_n [0-9]+)?)?
 *   ((?:-(post_n1 [0-9]+))|(?:[-_.]?(post_l post|rev|r)[-_.]?(post_n2 [0-9]+)?))?
 *   ([-_.]?(dev_l dev)[-_.]?(dev_n [0-9]+)?)?
 *   (?:\+(local [a-z0-9]+(?:[-_.][a-z0-9]+)*))? \s*
 * matched by hand in one pass: no part can match what another would, so
 * taking each optional part where it matches is what the regular
 * expression's backtracking ends with, without going back over a long
 * string. */
struct span {
	const char *s;          /* NULL: the group did not take part */
	size_t n;
};

struct vmatch {
	struct span epoch, release, pre_l, pre_n, post_n1, post_l, post_n2, dev_l, dev_n, local;
};

static int vspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int vsep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

static size_t vdigits(const char *p)
{
	size_t n = 0;
	while (p[n] >= '0' && p[n] <= '9')
		n++;
	return n;
}

/* The first of labels that p starts with (any case): its length, or 0. */
static size_t vlabel(const char *p, const char *const *labels)
{
	for (; *labels; labels++) {
		size_t n = strlen(*labels);
		if (strncasecmp(p, *labels, n) == 0)
			return n;
	}
	return 0;
}

/* A label, then [-_.]? and a number, both optional: where it ends. */
static const char *vlabelled(const char *p, const char *const *labels, struct span *l,
			     struct span *num)
{
	const char *q = vsep(*p) ? p + 1 : p;
	size_t k = vlabel(q, labels);
	if (!k)
		return p;
	*l = (struct span){ q, k };
	q += k;
	const char *r = vsep(*q) ? q + 1 : q;
	size_t d = vdigits(r);
	if (d) {
		*num = (struct span){ r, d };
		return r + d;
	}
	return r;
}

static int version_match(const char *s, struct vmatch *m)
{
	static const char *const pre[] = { "alpha", "a", "beta", "b", "preview", "pre", "c", "rc", NULL };
	static const char *const post[] = { "post", "rev", "r", NULL };
	static const char *const dev[] = { "dev", NULL };
	memset(m, 0, sizeof *m);
	const char *p = s;
	while (vspace(*p))
		p++;
	if (*p == 'v' || *p == 'V')
		p++;
	size_t k = vdigits(p);
	if (!k)
		return -1;
	if (p[k] == '!') {
		m->epoch = (struct span){ p, k };
		p += k + 1;
		k = vdigits(p);
		if (!k)
			return -1;
	}
	const char *rel = p;
	p += k;
	while (*p == '.' && vdigits(p + 1))
		p += 1 + vdigits(p + 1);
	m->release = (struct span){ rel, (size_t)(p - rel) };
	p = vlabelled(p, pre, &m->pre_l, &m->pre_n);
	if (*p == '-' && vdigits(p + 1)) {
		m->post_n1 = (struct span){ p + 1, vdigits(p + 1) };
		p += 1 + m->post_n1.n;
	} else {
		p = vlabelled(p, post, &m->post_l, &m->post_n2);
	}
	p = vlabelled(p, dev, &m->dev_l, &m->dev_n);
	if (*p == '+') {
		const char *l = ++p;
		if (!isalnum((unsigned char)*p))
			return -1;
		while (isalnum((unsigned char)*p))
			p++;
		while (vsep(*p) && isalnum((unsigned char)p[1]))
			for (p++; isalnum((unsigned char)*p); p++)
				;
		m->local = (struct span){ l, (size_t)(p - l) };
	}
	while (vspace(*p))
		p++;
	return *p ? -1 : 0;
}

/* A digit string without leading zeros ("007" gives "7", "000" gives "0"). */
static char *number(const char *s, size_t n)
{
	while (n > 1 && *s == '0')
		s++, n--;
	return xstrndup(s, n);
}

static int group(const struct span *sp, const char **s, size_t *n)
{
	if (!sp->s)
		return 0;
	*s = sp->s;
	*n = sp->n;
	return 1;
}

int pep440_parse(const char *s, struct pep440 *v)
{
	memset(v, 0, sizeof *v);
	struct vmatch mt;
	if (version_match(s, &mt) < 0)
		return -1;
	const char *g = s;
	size_t n = 0;
	v->epoch = group(&mt.epoch, &g, &n) ? number(g, n) : xstrdup("0");
	group(&mt.release, &g, &n);
	for (const char *p = g, *end = g + n; p < end;) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		size_t len = dot ? (size_t)(dot - p) : (size_t)(end - p);
		if ((v->nrelease & (v->nrelease - 1)) == 0)     /* 0, 1, 2, 4, ...: grow */
			v->release = xrealloc(v->release, (v->nrelease ? 2 * v->nrelease : 1) *
					      sizeof *v->release);
		v->release[v->nrelease++] = number(p, len);
		p += len + 1;
	}
	if (group(&mt.pre_l, &g, &n)) {
		char c = (char)tolower((unsigned char)g[0]);
		v->pre_l = c == 'a' ? 'a' : c == 'b' ? 'b' : 'r';
		v->pre_n = group(&mt.pre_n, &g, &n) ? number(g, n) : xstrdup("0");
	}
	if (group(&mt.post_n1, &g, &n) || group(&mt.post_n2, &g, &n))
		v->post = number(g, n);
	else if (group(&mt.post_l, &g, &n))
		v->post = xstrdup("0");
	if (group(&mt.dev_l, &g, &n))
		v->dev = group(&mt.dev_n, &g, &n) ? number(g, n) : xstrdup("0");
	if (group(&mt.local, &g, &n)) {
		for (const char *p = g, *end = g + n; p < end;) {
			size_t len = strcspn(p, "-_.");
			if (p + len > end)
				len = (size_t)(end - p);
			char *seg = xstrndup(p, len);
			int digits = 1;
			for (char *c = seg; *c; c++) {
				*c = (char)tolower((unsigned char)*c);
				digits &= isdigit((unsigned char)*c) != 0;
			}
			if (digits) {
				char *num = number(seg, len);
				free(seg);
				seg = num;
			}
			if ((v->nlocal & (v->nlocal - 1)) == 0)  /* 0, 1, 2, 4, ...: grow */
				v->local = xrealloc(v->local, (v->nlocal ? 2 * v->nlocal : 1) *
						    sizeof *v->local);
			v->local[v->nlocal++] = seg;
			p += len + 1;
		}
	}
	return 0;
}

void pep440_free(struct pep440 *v)
{
	free(v->epoch);
	for (size_t i = 0; i < v->nrelease; i++)
		free(v->release[i]);
	free(v->release);
	free(v->pre_n);
	free(v->post);
	free(v->dev);
	for (size_t i = 0; i < v->nlocal; i++)
		free(v->local[i]);
	free(v->local);
	memset(v, 0, sizeof *v);
}

static void add_public(struct sbuf *b, const struct pep440 *v)
{
	if (strcmp(v->epoch, "0") != 0)
		sb_addf(b, "%s!", v->epoch);
	for (size_t i = 0; i < v->nrelease; i++)
		sb_addf(b, "%s%s", i ? "." : "", v->release[i]);
	if (v->pre_l)
		sb_addf(b, "%s%s", v->pre_l == 'r' ? "rc" : v->pre_l == 'a' ? "a" : "b", v->pre_n);
	if (v->post)
		sb_addf(b, ".post%s", v->post);
	if (v->dev)
		sb_addf(b, ".dev%s", v->dev);
}

char *pep440_str(const struct pep440 *v)
{
	struct sbuf b = SBUF_INIT;
	add_public(&b, v);
	for (size_t i = 0; i < v->nlocal; i++)
		sb_addf(&b, "%c%s", i ? '.' : '+', v->local[i]);
	return sb_detach(&b);
}

char *pep440_normalize(const char *s)
{
	struct pep440 v;
	if (pep440_parse(s, &v) < 0)
		return NULL;
	char *r = pep440_str(&v);
	pep440_free(&v);
	return r;
}

/* Digit strings without leading zeros compare by length, then bytes. */
static int numcmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	int c = strcmp(a, b);
	return (c > 0) - (c < 0);
}

static int is_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* packaging's _cmpkey, one part at a time.  Infinity and -Infinity are
 * represented by rank: -1 below anything, 1 above anything, 0 a value. */
int pep440_cmp(const struct pep440 *a, const struct pep440 *b)
{
	int c = numcmp(a->epoch, b->epoch);
	if (c)
		return c;
	/* Release, with trailing zeros ignored. */
	size_t na = a->nrelease, nb = b->nrelease;
	while (na > 1 && strcmp(a->release[na - 1], "0") == 0)
		na--;
	while (nb > 1 && strcmp(b->release[nb - 1], "0") == 0)
		nb--;
	for (size_t i = 0; i < na && i < nb; i++)
		if ((c = numcmp(a->release[i], b->release[i])))
			return c;
	if (na != nb)
		return na < nb ? -1 : 1;
	/* Pre-release: a dev release without pre or post sorts before any
	 * pre-release; no pre-release sorts after all of them. */
	int ra = a->pre_l ? 0 : (!a->post && a->dev) ? -1 : 1;
	int rb = b->pre_l ? 0 : (!b->post && b->dev) ? -1 : 1;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra == 0) {
		if (a->pre_l != b->pre_l) /* 'a' < 'b' < 'r' */
			return a->pre_l < b->pre_l ? -1 : 1;
		if ((c = numcmp(a->pre_n, b->pre_n)))
			return c;
	}
	/* Post: none sorts first. */
	if (!a->post != !b->post)
		return a->post ? 1 : -1;
	if (a->post && (c = numcmp(a->post, b->post)))
		return c;
	/* Dev: none sorts last. */
	if (!a->dev != !b->dev)
		return a->dev ? -1 : 1;
	if (a->dev && (c = numcmp(a->dev, b->dev)))
		return c;
	/* Local: none sorts first; numeric segments above alphanumeric ones. */
	if (!a->local != !b->local)
		return a->local ? 1 : -1;
	for (size_t i = 0; i < a->nlocal && i < b->nlocal; i++) {
		int da = is_digits(a->local[i]), db = is_digits(b->local[i]);
		if (da != db)
			return da ? 1 : -1;
		c = da ? numcmp(a->local[i], b->local[i]) : strcmp(a->local[i], b->local[i]);
		if (c)
			return (c > 0) - (c < 0);
	}
	if (a->nlocal != b->nlocal)
		return a->nlocal < b->nlocal ? -1 : 1;
	return 0;
}

/* v without its local part (a shallow view: do not free). */
static struct pep440 public_of(const struct pep440 *v)
{
	struct pep440 p = *v;
	p.local = NULL;
	p.nlocal = 0;
	return p;
}

/* v's base version: epoch and release only (a shallow view). */
static struct pep440 base_of(const struct pep440 *v)
{
	struct pep440 p = public_of(v);
	p.pre_l = 0;
	p.pre_n = NULL;
	p.post = NULL;
	p.dev = NULL;
	return p;
}

static int is_prerelease(const struct pep440 *v)
{
	return v->pre_l || v->dev;
}

/* "==X.*": X's release is a prefix of v's release padded with zeros. */
static int prefix_match(const struct pep440 *spec, const struct pep440 *v)
{
	if (numcmp(spec->epoch, v->epoch) != 0)
		return 0;
	for (size_t i = 0; i < spec->nrelease; i++) {
		const char *part = i < v->nrelease ? v->release[i] : "0";
		if (numcmp(spec->release[i], part) != 0)
			return 0;
	}
	if (spec->pre_l || spec->post || spec->dev) {
		/* "==1.0rc1.*" and the like: compare everything spec names. */
		if (v->nrelease > spec->nrelease)
			for (size_t i = spec->nrelease; i < v->nrelease; i++)
				if (strcmp(v->release[i], "0") != 0)
					return 0;
		if (spec->pre_l && (v->pre_l != spec->pre_l || numcmp(v->pre_n, spec->pre_n)))
			return 0;
		if (spec->post && (!v->post || numcmp(v->post, spec->post)))
			return 0;
		if (spec->dev && (!v->dev || numcmp(v->dev, spec->dev)))
			return 0;
	}
	return 1;
}

int pep440_spec_match(const char *clause, const struct pep440 *v, const char *raw)
{
	while (isspace((unsigned char)*clause))
		clause++;
	static const char *const ops[] = { "===", "~=", "==", "!=", "<=", ">=", "<", ">" };
	const char *op = NULL;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strncmp(clause, ops[i], strlen(ops[i])) == 0) {
			op = ops[i];
			break;
		}
	if (!op)
		return -1;
	char *text = xstrdup(clause + strlen(op));
	char *t = str_strip(text);
	size_t n = strlen(t);
	int r = -1;
	if (strcmp(op, "===") == 0) {
		r = n && !strpbrk(t, " \t") ? strcasecmp(t, raw) == 0 : -1;
		free(text);
		return r;
	}
	int wildcard = n > 2 && strcmp(t + n - 2, ".*") == 0;
	if (wildcard && strcmp(op, "==") != 0 && strcmp(op, "!=") != 0) {
		free(text);
		return -1;
	}
	if (wildcard)
		t[n - 2] = '\0';
	struct pep440 s;
	if (n == 0 || pep440_parse(t, &s) < 0) {
		free(text);
		return -1;
	}
	free(text);
	struct pep440 vp = public_of(v), sb = base_of(&s), vb = base_of(v);
	if (wildcard) {
		r = s.local ? -1 : prefix_match(&s, v);
		if (r >= 0 && op[0] == '!')
			r = !r;
	} else if (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0) {
		r = s.local ? pep440_cmp(v, &s) == 0 : pep440_cmp(&vp, &s) == 0;
		if (op[0] == '!')
			r = !r;
	} else if (s.local) {
		r = -1; /* ordered comparisons take no local version */
	} else if (strcmp(op, "<=") == 0) {
		r = pep440_cmp(&vp, &s) <= 0;
	} else if (strcmp(op, ">=") == 0) {
		r = pep440_cmp(&vp, &s) >= 0;
	} else if (strcmp(op, "<") == 0) {
		r = pep440_cmp(v, &s) < 0;
		if (r && !is_prerelease(&s) && is_prerelease(v) && pep440_cmp(&vb, &sb) == 0)
			r = 0;
	} else if (strcmp(op, ">") == 0) {
		r = pep440_cmp(v, &s) > 0;
		if (r && !s.post && v->post && pep440_cmp(&vb, &sb) == 0)
			r = 0;
		if (r && v->local && pep440_cmp(&vb, &sb) == 0)
			r = 0;
	} else { /* ~= */
		if (s.nrelease < 2) {
			r = -1;
		} else {
			struct pep440 pre = base_of(&s);
			pre.nrelease = s.nrelease - 1;
			r = pep440_cmp(&vp, &s) >= 0 && prefix_match(&pre, v);
		}
	}
	pep440_free(&s);
	return r;
}

int pep440_specset_match(const char *set, const struct pep440 *v, const char *raw)
{
	char *copy = xstrdup(set);
	int r = 1;
	for (char *p = copy, *next; p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		char *q = p;
		while (isspace((unsigned char)*q))
			q++;
		if (!*q) {
			if (next || p != copy) {
				r = -1; /* an empty clause between commas */
				break;
			}
			continue;
		}
		int m = pep440_spec_match(q, v, raw);
		if (m < 0) {
			r = -1;
			break;
		}
		if (!m)
			r = 0;
	}
	free(copy);
	return r;
}
