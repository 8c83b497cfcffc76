/* dist.c: finding and reading installed Python distributions as pip does.
 *
 * Two scans, one per pip metadata backend.  importlib (pip 23.0 to 24.2 on
 * Python 3.11+): for each directory on the search path, importlib.metadata
 * lists *.dist-info and *.egg-info entries in directory order, grouped by
 * their normalized name stem; pip keeps the first distribution of each
 * name; then it follows the directory's *.egg-link files.  pkg_resources
 * (Python <= 3.10): a WorkingSet of the search path, distributions named
 * and versioned by their file names, the first of each key winning. */
#include "dist.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "listing.h"
#include "pep440.h"

/* ---- metadata text ---------------------------------------------------- */

size_t newline_translate(char *s, size_t n)
{
	const char *cr = memchr(s, '\r', n);
	if (!cr)
		return n;
	size_t o = (size_t)(cr - s);
	for (size_t i = o; i < n; i++) {
		if (s[i] == '\r') {
			s[o++] = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			s[o++] = s[i];
		}
	}
	if (o < n)
		s[o] = '\0';
	return o;
}

/* email.feedparser's headerRE: "From ", a field name then ':', or a
 * continuation (leading blank). */
static int header_line(const char *l)
{
	if (strncmp(l, "From ", 5) == 0 || *l == ' ' || *l == '\t')
		return 1;
	for (; *l; l++) {
		unsigned char c = (unsigned char)*l;
		if (c == ':')
			return 1;
		if (c < 0x21 || c > 0x7e)
			return 0;
	}
	return 0;
}

/* The header being read: which of Name and Version it is (slot), its value. */
struct header {
	int open;               /* a header is being read */
	char **slot;            /* where its value goes, or NULL: not one pip uses */
	struct sbuf value;
};

static void header_commit(struct header *h)
{
	if (h->open && h->slot && !*h->slot) {
		/* compat32 header_source_parse: strip the value's trailing newlines. */
		while (h->value.len && (h->value.s[h->value.len - 1] == '\n' ||
					h->value.s[h->value.len - 1] == '\r'))
			h->value.s[--h->value.len] = '\0';
		*h->slot = sb_detach(&h->value);
	}
	sb_reset(&h->value);
	h->open = 0;
	h->slot = NULL;
}

void meta_parse(const char *text, struct meta *m)
{
	memset(m, 0, sizeof *m);
	/* One pass over the header lines (each with its newline), which end
	 * at the first line that is neither a header nor a continuation.  It
	 * stops once Name and Version are both read: nothing after them can
	 * change them (the long description an .egg-info keeps in its
	 * headers is not read at all). */
	struct header h = { 0, NULL, SBUF_INIT };
	size_t i = 0;
	for (const char *l = text, *next; *l && header_line(l); l = next, i++) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) + 1 : strlen(l);
		next = l + len;
		if (l[0] == ' ' || l[0] == '\t') {
			if (h.slot && !*h.slot)
				sb_add(&h.value, l, len);
			continue;
		}
		header_commit(&h);
		if (m->name && m->version)
			break;
		if (strncmp(l, "From ", 5) == 0) {
			/* The last header line but not the first: probably the body's first line. */
			if (i != 0 && (!*next || !header_line(next)))
				break;
			continue;       /* an envelope header, or a misplaced one */
		}
		const char *colon = memchr(l, ':', len);
		if (colon == l)
			continue;       /* no field name */
		size_t k = (size_t)(colon - l);
		h.open = 1;
		h.slot = k == 4 && strncasecmp(l, "name", 4) == 0 ? &m->name
		       : k == 7 && strncasecmp(l, "version", 7) == 0 ? &m->version : NULL;
		if (!h.slot || *h.slot)
			continue;
		const char *v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		sb_add(&h.value, v, len - (size_t)(v - l));
	}
	header_commit(&h);
	sb_free(&h.value);
}

void meta_free(struct meta *m)
{
	free(m->name);
	free(m->version);
	memset(m, 0, sizeof *m);
}

/* The first n bytes of name in lowercase, each run of '-', '_' and '.' as
 * one sep. */
static char *fold_name(const char *name, size_t n, char sep)
{
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	int in_run = 0;
	for (const char *p = name; p < name + n; p++) {
		if (*p == '-' || *p == '_' || *p == '.') {
			if (!in_run)
				sb_addc(&b, sep);
			in_run = 1;
		} else {
			in_run = 0;
			sb_addc(&b, (char)tolower((unsigned char)*p));
		}
	}
	return sb_detach(&b);
}

char *canonical_name(const char *name)
{
	return fold_name(name, strlen(name), '-');
}

int dist_read_text(const char *path, struct sbuf *out, int *found, char *err, size_t errlen)
{
	return dist_read_text_at(AT_FDCWD, NULL, path, out, found, err, errlen);
}

/* How many of the n bytes of text (from the start, in blocks of 16) are
 * known to be ASCII other than NUL and CR, as most metadata is: such text
 * is UTF-8 with no newline to translate.  One pass, where the checks one by
 * one take three. */
static size_t plain_prefix(const char *text, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i zero = _mm_setzero_si128(), cr = _mm_set1_epi8('\r');
	for (; i + 64 <= n; i += 64) {
		__m128i bad = zero;
		for (int k = 0; k < 4; k++) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(text + i + 16 * k));
			bad = _mm_or_si128(bad, _mm_or_si128(v, _mm_or_si128(_mm_cmpeq_epi8(v, zero),
									     _mm_cmpeq_epi8(v, cr))));
		}
		if (_mm_movemask_epi8(bad))
			break;
	}
#endif
	const uint64_t ones = UINT64_C(0x0101010101010101), high = UINT64_C(0x8080808080808080),
		       crs = UINT64_C(0x0d0d0d0d0d0d0d0d);
	for (; i + 16 <= n; i += 16) {
		uint64_t w[2], bad = 0;
		memcpy(w, text + i, sizeof w);
		/* A byte with its high bit set, a zero byte, a zero byte of w ^ CR. */
		for (int k = 0; k < 2; k++)
			bad |= w[k] | ((w[k] - ones) & ~w[k]) | (((w[k] ^ crs) - ones) & ~(w[k] ^ crs));
		if (bad & high)
			return i;
	}
	size_t k = i;
	for (; k < n; k++)
		if (!text[k] || text[k] == '\r' || (unsigned char)text[k] >= 0x80)
			return i;
	return n;
}

/* A file's name in messages (base/rel), made only for one. */
struct shown {
	const char *base, *rel;
	char buf[PATH_MAX];
};

static const char *shown(struct shown *s)
{
	if (!s->base)
		return s->rel;
	snprintf(s->buf, sizeof s->buf, "%s/%s", s->base, s->rel);
	return s->buf;
}

int dist_read_text_at(int dirfd, const char *base, const char *rel, struct sbuf *out, int *found,
		      char *err, size_t errlen)
{
	struct shown sh;        /* its buffer is written only for a message */
	sh.base = base;
	sh.rel = rel;
	*found = 0;
	sb_reset(out);
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		/* What Python's read_text treats as "no such file". */
		if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR)
			return 0;
		snprintf(err, errlen, "cannot read '%s': %s", shown(&sh), strerror(errno));
		return -1;
	}
	/* Most metadata is whole after one read that stops short of the
	 * buffer (a regular file's read stops short only at its end); only
	 * a read that fills it, or gets nothing, needs to know what the file
	 * is and how large. */
	size_t first = 64 * 1024;
	if (out->cap < first + 1) {
		out->cap = first + 1;
		out->s = xrealloc(out->s, out->cap);
	}
	ssize_t got;
	do
		got = read(fd, out->s, first);
	while (got < 0 && errno == EINTR);
	if (got > 0 && (size_t)got < first) {
		out->len = (size_t)got;
		close(fd);
		goto check;
	}
	if (got > 0)
		out->len = (size_t)got;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", shown(&sh), strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", shown(&sh));
		close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > DIST_META_MAX) {
		snprintf(err, errlen, "'%s' is larger than %u bytes", shown(&sh), DIST_META_MAX);
		close(fd);
		return -1;
	}
	/* The rest in one read, usually. */
	size_t want = (size_t)st.st_size + 1 > out->len ? (size_t)st.st_size + 1 - out->len : 64 * 1024;
	for (;;) {
		if (out->cap < out->len + want + 1) {
			out->cap = out->len + want + 1;
			out->s = xrealloc(out->s, out->cap);
		}
		ssize_t n = read(fd, out->s + out->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read '%s': %s", shown(&sh), strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		if (out->len > DIST_META_MAX) {
			snprintf(err, errlen, "'%s' is larger than %u bytes", shown(&sh), DIST_META_MAX);
			close(fd);
			return -1;
		}
		/* A regular file's read stops short only at its end. */
		if ((size_t)n < want)
			break;
		want = 64 * 1024;
	}
	close(fd);
check:
	if (!out->s)
		sb_add(out, "", 0);
	out->s[out->len] = '\0';
	size_t plain = plain_prefix(out->s, out->len);
	if (plain == out->len) {
		*found = 1;
		return 0;
	}
	if (memchr(out->s + plain, '\0', out->len - plain)) {
		snprintf(err, errlen, "'%s' contains a NUL byte", shown(&sh));
		return -1;
	}
	if (!utf8_valid(out->s + plain, out->len - plain)) {
		snprintf(err, errlen, "'%s' is not valid UTF-8 text", shown(&sh));
		return -1;
	}
	out->len = newline_translate(out->s, out->len);
	*found = 1;
	return 0;
}

/* ---- direct_url.json -------------------------------------------------- */

static int get_str(json_t *o, const char *key, int required, char **out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	if (!v) {
		if (required)
			snprintf(err, errlen, "%s must have a value", key);
		return required ? -1 : 0;
	}
	if (!json_is_string(v)) {
		snprintf(err, errlen, "%s has an unexpected type (expected a string)", key);
		return -1;
	}
	*out = xstrndup(json_string_value(v), json_string_length(v));
	return 0;
}

static int get_obj(json_t *o, const char *key, json_t **out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_object(v)) {
		snprintf(err, errlen, "%s has an unexpected type (expected an object)", key);
		return -1;
	}
	*out = v;
	return 0;
}

int direct_url_parse(const char *text, size_t len, struct direct_url *d, char *err, size_t errlen)
{
	memset(d, 0, sizeof *d);
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_DECODE_ANY, &je);
	if (!root) {
		snprintf(err, errlen, "%s (line %d, column %d)", je.text, je.line, je.column);
		return -1;
	}
	int r = -1;
	json_t *archive, *dir, *vcs;
	if (!json_is_object(root)) {
		snprintf(err, errlen, "the document is not a JSON object");
		goto out;
	}
	if (get_str(root, "url", 1, &d->url, err, errlen) < 0 ||
	    get_str(root, "subdirectory", 0, &d->subdirectory, err, errlen) < 0 ||
	    get_obj(root, "archive_info", &archive, err, errlen) < 0 ||
	    get_obj(root, "dir_info", &dir, err, errlen) < 0 ||
	    get_obj(root, "vcs_info", &vcs, err, errlen) < 0)
		goto out;
	int count = !!archive + !!dir + !!vcs;
	if (count != 1) {
		snprintf(err, errlen, "%s of archive_info, dir_info, vcs_info",
			 count ? "more than one" : "missing one");
		goto out;
	}
	if (archive) {
		d->kind = DIRECT_ARCHIVE;
		json_t *hashes;
		if (get_str(archive, "hash", 0, &d->hash, err, errlen) < 0 ||
		    get_obj(archive, "hashes", &hashes, err, errlen) < 0)
			goto out;
		if (d->hash && !strchr(d->hash, '=')) {
			snprintf(err, errlen, "invalid archive_info.hash format: '%s'", d->hash);
			goto out;
		}
	} else if (dir) {
		d->kind = DIRECT_DIR;
		json_t *e = json_object_get(dir, "editable");
		if (e && !json_is_boolean(e)) {
			snprintf(err, errlen, "editable has an unexpected type (expected a boolean)");
			goto out;
		}
		d->editable = e && json_is_true(e);
	} else {
		d->kind = DIRECT_VCS;
		char *rev = NULL;
		if (get_str(vcs, "vcs", 1, &d->vcs, err, errlen) < 0 ||
		    get_str(vcs, "commit_id", 1, &d->commit_id, err, errlen) < 0 ||
		    get_str(vcs, "requested_revision", 0, &rev, err, errlen) < 0)
			goto out;
		free(rev);
	}
	r = 0;
out:
	json_decref(root);
	if (r < 0)
		direct_url_free(d);
	return r;
}

void direct_url_free(struct direct_url *d)
{
	free(d->url);
	free(d->subdirectory);
	free(d->hash);
	free(d->vcs);
	free(d->commit_id);
	memset(d, 0, sizeof *d);
}

/* ---- the scan --------------------------------------------------------- */

/* A new distribution at the end of set, all zero. */
static struct dist *dist_set_add(struct dist_set *set)
{
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 64;
		set->d = xrealloc(set->d, set->cap * sizeof *set->d);
	}
	struct dist *d = &set->d[set->n++];
	memset(d, 0, sizeof *d);
	return d;
}


static size_t name_hash(const char *s)
{
	return (size_t)fnv1a(s);
}

/* The slot of s: where it is, or where it would go. */
static size_t nameset_slot(const struct nameset *h, const char *s)
{
	size_t i = name_hash(s) & (h->cap - 1);
	while (h->k[i] && strcmp(h->k[i], s) != 0)
		i = (i + 1) & (h->cap - 1);
	return i;
}

/* Whether s is in the set; its number in *v. */
int nameset_get(const struct nameset *h, const char *s, size_t *v)
{
	if (!h->cap)
		return 0;
	size_t i = nameset_slot(h, s);
	if (h->k[i] && v)
		*v = h->v[i];
	return h->k[i] != NULL;
}

void nameset_put(struct nameset *h, const char *s, size_t v)
{
	if (2 * (h->n + 1) > h->cap) {
		struct nameset old = *h;
		h->cap = old.cap ? old.cap * 2 : 64;
		h->k = xmalloc(h->cap * sizeof *h->k);
		h->v = xmalloc(h->cap * sizeof *h->v);
		memset(h->k, 0, h->cap * sizeof *h->k);
		for (size_t i = 0; i < old.cap; i++)
			if (old.k[i]) {
				size_t j = nameset_slot(h, old.k[i]);
				h->k[j] = old.k[i];
				h->v[j] = old.v[i];
			}
		free(old.k);
		free(old.v);
	}
	size_t i = nameset_slot(h, s);
	if (!h->k[i]) {
		h->k[i] = xstrdup(s);
		h->n++;
	}
	h->v[i] = v;
}

void nameset_free(struct nameset *h)
{
	for (size_t i = 0; i < h->cap; i++)
		free(h->k[i]);
	free(h->k);
	free(h->v);
	memset(h, 0, sizeof *h);
}

struct scan {
	const struct scan_opts *o;
	struct dist_set *set;
	struct nameset found;           /* the names pip has seen */
	struct strlist links;           /* .egg-link files on the search path */
	int locfd;                      /* the location being read, or -1 */
	struct sbuf buf;                /* for the metadata files, one after the other */
	char *err;
	size_t errlen;
};

/* importlib.metadata's Prepared.normalize of a child's name stem. */
static char *lookup_key(const char *child)
{
	/* The stem before the last '.', up to its first '-'. */
	size_t n = (size_t)(strrchr(child, '.') - child), dash = strcspn(child, "-");
	return fold_name(child, dash < n ? dash : n, '_');
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* pip >= 24.2: parse_name_and_version_from_info_directory. */
static void dirname_parts(const char *child, char **name, char **version)
{
	*name = *version = NULL;
	const char *dot = strrchr(child, '.');
	if (!dot || dot == child)
		return;
	size_t stem = (size_t)(dot - child);
	if (strcmp(dot, ".dist-info") == 0) {
		const char *dash = memchr(child, '-', stem);
		if (dash) {
			*name = xstrndup(child, (size_t)(dash - child));
			*version = xstrndup(dash + 1, stem - (size_t)(dash - child) - 1);
		}
	} else if (strcmp(dot, ".egg-info") == 0) {
		size_t n = strcspn(child, "-");
		*name = xstrndup(child, n < stem ? n : stem);
	}
}

/* pip < 24.2: Distribution._get_dist_name_from_location. */
static char *location_name(const char *child)
{
	const char *dot = strrchr(child, '.');
	if (!dot || dot == child || (strcmp(dot, ".dist-info") != 0 && strcmp(dot, ".egg-info") != 0))
		return NULL;
	size_t stem = (size_t)(dot - child);
	size_t n = strcspn(child, "-");
	return xstrndup(child, n < stem ? n : stem);
}

/* PEP 508's project name pattern, as pip checks it (case-insensitive). */
static int valid_project_name(const char *s)
{
	size_t n = strlen(s);
	if (!n || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return 0;
	return 1;
}

/* dist_read_text_at for a file that is seldom there: a stat that fails
 * costs about half an open that fails.  Where the stat fails otherwise, or
 * the file is there, the open tells as before. */
static int read_text_probe(int dirfd, const char *base, const char *rel, struct sbuf *out,
			   int *found, char *err, size_t errlen)
{
	struct stat st;
	if (fstatat(dirfd, rel, &st, 0) < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		*found = 0;
		sb_reset(out);
		return 0;
	}
	return dist_read_text_at(dirfd, base, rel, out, found, err, errlen);
}

/* type: the child's LISTING_TYPE in the listing. */
static int read_metadata(struct scan *sc, const char *loc, const char *info, const char *child,
			 unsigned char type, struct sbuf *text, int *found)
{
	static const char *const names[] = { "METADATA", "PKG-INFO", NULL };
	int at = sc->locfd >= 0;
	char rel[PATH_MAX];
	const char *dir = at ? child : info;
	size_t dn = strlen(dir);
	/* A regular file holds neither METADATA nor PKG-INFO (ENOTDIR): only itself. */
	size_t first = type == LISTING_TYPE(S_IFREG) ? 2 : 0;
	for (size_t i = 0; i < 3; i++) {
		size_t nn = names[i] ? strlen(names[i]) : 0;
		if (dn + nn + 2 > sizeof rel) {
			snprintf(sc->err, sc->errlen, "'%s' is too long a path", info);
			return -1;
		}
		if (i < first)
			continue;
		memcpy(rel, dir, dn);
		if (names[i]) {
			rel[dn] = '/';
			memcpy(rel + dn + 1, names[i], nn + 1);
		} else {
			rel[dn] = '\0';
		}
		/* METADATA is seldom in an .egg-info. */
		int probe = i == 0 && !ends_with(child, ".dist-info");
		int r = (probe ? read_text_probe : dist_read_text_at)(at ? sc->locfd : AT_FDCWD,
								      at ? loc : NULL, rel, text,
								      found, sc->err, sc->errlen);
		if (r < 0)
			return -1;
		if (*found && text->len)
			return 0;
	}
	*found = 0;
	return 0;
}

/* direct_url.json, seldom there.  type: the LISTING_TYPE of the info
 * directory (a regular file holds none), or 0. */
static void read_direct_url(int dirfd, const char *loc, const char *child, const char *info,
			    unsigned char type, struct sbuf *text, struct dist *d)
{
	if (type == LISTING_TYPE(S_IFREG))
		return;
	char rel[PATH_MAX];
	const char *dir = dirfd == AT_FDCWD ? info : child;
	/* dir + "/direct_url.json", cut to the buffer as snprintf would */
	static const char tail[] = "/direct_url.json";
	size_t dn = strlen(dir), n = dn + sizeof tail - 1;
	if (n > sizeof rel - 1)
		n = sizeof rel - 1;
	memcpy(rel, dir, dn < n ? dn : n);
	if (n > dn)
		memcpy(rel + dn, tail, n - dn);
	rel[n] = '\0';
	char err[MSG_MAX];
	int found;
	int r = read_text_probe(dirfd, dirfd == AT_FDCWD ? NULL : loc, rel, text, &found, err,
				sizeof err);
	if (r < 0) {
		warning("ignoring direct_url.json for %s, as pip does: %s", d->canon, err);
	} else if (found) {
		char why[REASON_MAX];
		if (direct_url_parse(text->s, text->len, &d->du, why, sizeof why) < 0) {
			char *p = path_join(info, "direct_url.json");
			warning("ignoring '%s' for %s, as pip does: %s", p, d->canon, why);
			free(p);
		}
	}
}

/* path_join(dir, name) without a format to parse, once per distribution. */
static char *join(const char *dir, const char *name)
{
	size_t dn = strlen(dir), nn = strlen(name);
	int slash = !dn || dir[dn - 1] != '/';
	char *p = xmalloc(dn + slash + nn + 1);
	memcpy(p, dir, dn);
	p[dn] = '/';
	memcpy(p + dn + slash, name, nn + 1);
	return p;
}

static int add_dist(struct scan *sc, const char *loc, const char *child, unsigned char type)
{
	char *info = join(loc, child);
	struct meta m = { NULL, NULL };
	int found = 0, r = -1;
	char *dname = NULL, *dversion = NULL, *key = NULL;
	if (read_metadata(sc, loc, info, child, type, &sc->buf, &found) < 0)
		goto out;
	if (found)
		meta_parse(sc->buf.s, &m);
	if (sc->o->dirname_key)
		dirname_parts(child, &dname, &dversion);
	if (dname && !*dname) {
		free(dname);
		dname = NULL;
	}
	if (dversion && !*dversion) {
		free(dversion);
		dversion = NULL;
	}
	if (!m.name && !dname) {
		warning("skipping '%s', as pip does: its metadata has no Name", info);
		r = 0;
		goto out;
	}
	key = canonical_name(dname ? dname : m.name);
	if (nameset_get(&sc->found, key, NULL)) {
		r = 0;
		goto out;
	}
	nameset_put(&sc->found, key, 0);
	char *lname = sc->o->dirname_key ? (dname ? xstrdup(dname) : NULL) : location_name(child);
	if (lname && !*lname) {
		free(lname);
		lname = NULL;
	}
	char *check = canonical_name(lname ? lname : m.name ? m.name : "");
	free(lname);
	if (!valid_project_name(check)) {
		warning("ignoring invalid distribution %s ('%s'), as pip does", check, info);
		free(check);
		r = 0;
		goto out;
	}
	free(check);
	/* A missing version matters only where pip formats one (freeze.c). */
	struct dist_set *set = sc->set;
	struct dist *d = dist_set_add(set);
	/* pip's raw_name: Name:, else the canonical name pip knows it by. */
	d->raw_name = m.name ? m.name : xstrdup(key);
	m.name = NULL;
	d->canon = canonical_name(d->raw_name);
	d->version = m.version;
	m.version = NULL;
	d->dir_version = dversion;
	dversion = NULL;
	d->info = info;
	info = NULL;
	d->location = xstrdup(loc);
	read_direct_url(sc->locfd >= 0 ? sc->locfd : AT_FDCWD, loc, child, d->info, type, &sc->buf, d);
	r = 0;
out:
	free(key);
	free(dname);
	free(dversion);
	meta_free(&m);
	free(info);
	return r;
}

static int is_zip(const char *path)
{
	unsigned char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, magic, sizeof magic);
	close(fd);
	return n == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

/* The children of a location with one lookup key, by their index in the
 * listing: the first, then the others in directory order. */
struct group {
	size_t first;
	size_t *more, nmore;
};

/* One location: the distributions importlib.metadata finds there.
 * linked: called for an .egg-link's target (no eggs, no links). */
static int scan_location(struct scan *sc, const char *loc, int linked)
{
	int lerr = 0;
	const struct dir_listing *listed = dist_dir_listing(loc, &lerr);
	if (!listed) {
		/* Not a directory that can be read: nothing, or a zip archive. */
		struct stat st;
		if (lerr != ENOENT && stat(*loc ? loc : ".", &st) == 0 && S_ISREG(st.st_mode) &&
		    !ends_with(loc, ".whl") && is_zip(loc) && !sc->set->unsupported)
			sc->set->unsupported = xasprintf("the zip archive '%s' is on the search path", loc);
		return 0;
	}
	const struct strlist names = listed->names;

	struct group *groups = NULL;
	size_t ngroups = 0, gcap = 0;
	struct nameset group_of = { NULL, NULL, 0, 0 };
	int base_is_egg = ends_with_ci(path_basename(loc), ".egg");
	for (size_t i = 0; i < names.n; i++) {
		const char *c = names.v[i];
		if (ends_with_ci(c, ".dist-info") || ends_with_ci(c, ".egg-info")) {
			char *key = lookup_key(c);
			size_t g;
			if (!nameset_get(&group_of, key, &g)) {
				g = ngroups++;
				nameset_put(&group_of, key, g);
				if (ngroups > gcap) {
					gcap = gcap ? 2 * gcap : 64;
					groups = xrealloc(groups, gcap * sizeof *groups);
				}
				groups[g].first = i;
				groups[g].more = NULL;
				groups[g].nmore = 0;
			} else {
				groups[g].more = xrealloc(groups[g].more, (groups[g].nmore + 1) *
							  sizeof *groups[g].more);
				groups[g].more[groups[g].nmore++] = i;
			}
			free(key);
		} else if ((base_is_egg && strcasecmp(c, "egg-info") == 0) ||
			   (!linked && ends_with(c, ".egg"))) {
			if (!sc->set->unsupported)
				sc->set->unsupported = xasprintf("'%s/%s' is an egg", loc, c);
		}
	}
	nameset_free(&group_of);
	int r = 0;
	/* The metadata files are opened relative to the location, which the
	 * listing keeps open (or, past its limit, opened here). */
	int own = listed->fd < 0 && ngroups;
	sc->locfd = own ? open(*loc ? loc : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : listed->fd;
	for (size_t g = 0; g < ngroups; g++) {
		for (size_t k = 0; r == 0 && k <= groups[g].nmore; k++) {
			size_t i = k ? groups[g].more[k - 1] : groups[g].first;
			r = add_dist(sc, loc, names.v[i], listed->types[i]);
		}
		free(groups[g].more);
	}
	free(groups);
	if (own && sc->locfd >= 0)
		close(sc->locfd);
	sc->locfd = -1;
	for (size_t i = 0; r == 0 && !linked && i < names.n; i++) {
		const char *c = names.v[i];
		if (!ends_with(c, ".egg-link"))
			continue;
		char *p = path_join(loc, c);
		struct stat lst;
		/* egg_link_path_from_sys_path: os.path.isfile(entry/NAME.egg-link) */
		if (stat(p, &lst) == 0 && S_ISREG(lst.st_mode) && !strlist_has(&sc->links, c))
			strlist_add(&sc->links, c);
		const char *dot = strrchr(c, '.');
		if (dot == c) {
			free(p);
			continue;
		}
		struct sbuf text = SBUF_INIT;
		int found;
		r = dist_read_text(p, &text, &found, sc->err, sc->errlen);
		free(p);
		if (r < 0 || !found) {
			sb_free(&text);
			continue;
		}
		/* The first line that is not blank names the target. */
		char *target = NULL;
		for (char *line = text.s, *next; line && !target; line = next) {
			next = str_cut(line, '\n');
			line = str_strip(line);
			if (*line)
				target = line[0] == '/' ? xstrdup(line) : path_join(loc, line);
		}
		sb_free(&text);
		if (target) {
			/* pathlib drops "." components and repeated slashes. */
			struct sbuf t = SBUF_INIT;
			for (char *s = target; *s;) {
				char *slash = strchr(s, '/');
				size_t n = slash ? (size_t)(slash - s) : strlen(s);
				if (n && !(n == 1 && s[0] == '.')) {
					sb_addc(&t, '/');
					sb_add(&t, s, n);
				}
				s += n + (slash ? 1 : 0);
			}
			if (!t.len)
				sb_addc(&t, '/');
			r = scan_location(sc, t.s, 1);
			sb_free(&t);
			free(target);
		}
	}
	return r;
}

/* ---- pip's pkg_resources backend ------------------------------------- */

/* pkg_resources.safe_name */
static char *safe_name(const char *name, size_t n)
{
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	int in_run = 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		int keep = isalnum((unsigned char)c) || c == '.';
		if (keep)
			sb_addc(&b, c);
		else if (!in_run)
			sb_addc(&b, '-');
		in_run = !keep;
	}
	return sb_detach(&b);
}

/* pkg_resources.safe_version */
static char *safe_version(const char *v)
{
	char *norm = pep440_normalize(v);
	if (norm)
		return norm;
	char *spaced = xstrdup(v);
	for (char *p = spaced; *p; p++)
		if (*p == ' ')
			*p = '.';
	char *r = safe_name(spaced, strlen(spaced));
	free(spaced);
	return r;
}

/* _version_from_file: the first stripped line starting "version:". */
static char *version_from_text(const char *text)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		const char *a = p, *z = p + n;
		while (a < z && isspace((unsigned char)*a))
			a++;
		while (z > a && isspace((unsigned char)z[-1]))
			z--;
		if (z - a >= 8 && strncasecmp(a, "version:", 8) == 0 && *a != '#') {
			char *v = xstrndup(a + 8, (size_t)(z - a - 8));
			char *r = safe_version(str_strip(v));
			free(v);
			if (!*r) {
				free(r);
				return NULL;
			}
			return r;
		}
		p += n + (p[n] ? 1 : 0);
	}
	return NULL;
}

static int dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return 0;
	int empty = !dir_next(d);
	closedir(d);
	return empty;
}

static int pkgr_add(struct scan *sc, const char *root, const char *child, const char *key,
		    const char *project_name, const char *file_version)
{
	char *info = path_join(root, child);
	struct stat st;
	int is_dir = stat(info, &st) == 0 && S_ISDIR(st.st_mode);
	size_t cn = strlen(child);
	int dist_info = cn >= 10 && strcasecmp(child + cn - 10, ".dist-info") == 0;
	struct sbuf text = SBUF_INIT;
	struct meta m = { NULL, NULL };
	int found = 0, r = -1;
	char *version = NULL;
	if (is_dir) {
		char *p = path_join(info, dist_info ? "METADATA" : "PKG-INFO");
		r = dist_read_text(p, &text, &found, sc->err, sc->errlen);
		free(p);
	} else {
		/* FileMetadata reads with errors="replace": undecodable text is left to pip. */
		int fd = open(info, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		r = 0;
		if (fd >= 0) {
			close(fd);
			r = dist_read_text(info, &text, &found, sc->err, sc->errlen);
			if (r < 0 && strstr(sc->err, "not valid UTF-8")) {
				if (!sc->set->unsupported)
					sc->set->unsupported = xasprintf("'%s' is not UTF-8 (pip replaces what "
									 "it cannot decode)", info);
				r = 0;
				found = 0;
			}
		}
	}
	if (r < 0)
		goto out;
	r = -1;
	if (found)
		meta_parse(text.s, &m);
	char *canon_pn = canonical_name(project_name);
	if (!valid_project_name(canon_pn)) {
		warning("ignoring invalid distribution %s ('%s'), as pip does", canon_pn, info);
		free(canon_pn);
		r = 0;
		goto out;
	}
	if (!found && is_dir)
		warning("no metadata found in '%s', as pip says", info);
	/* DistInfoDistribution: the file name's version wins; egg-info: the metadata's. */
	char *md_version = found ? version_from_text(text.s) : NULL;
	if (file_version && (dist_info || !md_version)) {
		version = safe_version(file_version);
		free(md_version);
	} else {
		version = md_version;
	}
	struct dist_set *set = sc->set;
	struct dist *d = dist_set_add(set);
	d->raw_name = m.name ? m.name : canon_pn;
	if (m.name)
		free(canon_pn);
	m.name = NULL;
	d->canon = canonical_name(d->raw_name);
	d->version = version;
	version = NULL;
	d->info = info;
	info = NULL;
	d->location = xstrdup(root);
	if (is_dir)
		read_direct_url(AT_FDCWD, NULL, NULL, d->info, 0, &text, d);
	(void)key;
	r = 0;
out:
	free(version);
	meta_free(&m);
	sb_free(&text);
	free(info);
	return r;
}

/* One sys.path entry, as WorkingSet.add_entry sees it. */
static int scan_location_pkgr(struct scan *sc, const char *loc)
{
	struct stat st;
	if (stat(*loc ? loc : ".", &st) < 0)
		return 0;
	if (!S_ISDIR(st.st_mode)) {
		if (S_ISREG(st.st_mode) && is_zip(loc) && !sc->set->unsupported)
			sc->set->unsupported = xasprintf("the zip archive '%s' is on the search path", loc);
		return 0;
	}
	char *root = realpath(*loc ? loc : ".", NULL);
	if (!root)
		return 0;
	if (ends_with_ci(root, ".egg")) {
		char *pi = path_join(root, "EGG-INFO/PKG-INFO");
		struct stat pst;
		if (stat(pi, &pst) == 0 && S_ISREG(pst.st_mode) && !sc->set->unsupported)
			sc->set->unsupported = xasprintf("'%s' is an egg", root);
		free(pi);
		free(root);
		return 0;
	}
	DIR *dir = opendir(root);
	if (!dir) {
		free(root);
		return 0;
	}
	struct strlist names = { NULL, 0, 0 }, keys = { NULL, 0, 0 };
	struct dirent *e;
	while ((e = readdir(dir)))
		if (ends_with_ci(e->d_name, ".dist-info") || ends_with_ci(e->d_name, ".egg-info"))
			strlist_add(&names, e->d_name);
		else if (ends_with(e->d_name, ".egg-link")) {
			char *p = path_join(loc, e->d_name);
			struct stat lst;
			if (stat(p, &lst) == 0 && S_ISREG(lst.st_mode) && !strlist_has(&sc->links, e->d_name))
				strlist_add(&sc->links, e->d_name);
			free(p);
		}
	closedir(dir);
	/* Name each entry (EGG_NAME on the name without its extension:
	 * name-ver-pyver-plat); entries pkg_resources skips get no key. */
	char **pn = xmalloc((names.n ? names.n : 1) * sizeof *pn);
	char **ver = xmalloc((names.n ? names.n : 1) * sizeof *ver);
	for (size_t i = 0; i < names.n; i++) {
		const char *c = names.v[i];
		pn[i] = ver[i] = NULL;
		strlist_add(&keys, "");
		char *info = path_join(root, c);
		struct stat ist;
		int skip = stat(info, &ist) == 0 && S_ISDIR(ist.st_mode) && dir_is_empty(info);
		free(info);
		if (skip)
			continue;
		const char *dot = strrchr(c, '.');
		size_t base = (size_t)(dot - c);
		size_t nlen = strcspn(c, "-");
		if (nlen > base)
			nlen = base;
		pn[i] = nlen ? safe_name(c, nlen) : xstrdup("Unknown");
		if (nlen && nlen < base && c[nlen] == '-') {
			const char *v = c + nlen + 1;
			size_t vlen = strcspn(v, "-");
			if (v + vlen > c + base)
				vlen = (size_t)(c + base - v);
			if (vlen)
				ver[i] = xstrndup(v, vlen);
		}
		free(keys.v[i]);
		keys.v[i] = xstrdup(pn[i]);
		for (char *p = keys.v[i]; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	int r = 0;
	for (size_t i = 0; r == 0 && i < names.n; i++) {
		if (!pn[i] || nameset_get(&sc->found, keys.v[i], NULL))
			continue;       /* hidden by an earlier directory */
		size_t k;
		for (k = 0; k < names.n && (k == i || !pn[k] || strcmp(keys.v[k], keys.v[i]) != 0); k++)
			;
		if (k < names.n) {
			/* pkg_resources would pick by its version sort: leave it to pip. */
			if (!sc->set->unsupported)
				sc->set->unsupported = xasprintf("'%s' holds two distributions of %s", root,
								 keys.v[i]);
			nameset_put(&sc->found, keys.v[i], 0);
			continue;
		}
		nameset_put(&sc->found, keys.v[i], 0);
		r = pkgr_add(sc, root, names.v[i], keys.v[i], pn[i], ver[i]);
	}
	for (size_t i = 0; i < names.n; i++) {
		free(pn[i]);
		free(ver[i]);
	}
	free(pn);
	free(ver);
	strlist_free(&names);
	strlist_free(&keys);
	free(root);
	return r;
}

/* Marks the distributions pip's egg_link_path_from_sys_path finds. */
static void egg_links(const struct strlist *links, struct dist_set *set)
{
	for (size_t k = 0; links->n && k < set->n; k++) {
		/* re.sub("[^A-Za-z0-9.]+", "-", raw_name) + ".egg-link" */
		struct sbuf b = SBUF_INIT;
		int in_run = 0;
		for (const char *p = set->d[k].raw_name; *p; p++) {
			int keep = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
				   (*p >= '0' && *p <= '9') || *p == '.';
			if (keep)
				sb_addc(&b, *p);
			else if (!in_run)
				sb_addc(&b, '-');
			in_run = !keep;
		}
		sb_adds(&b, ".egg-link");
		set->d[k].egg_link = strlist_has(links, b.s);
		sb_free(&b);
	}
}

int dist_scan(const struct strlist *path, const struct scan_opts *o, struct dist_set *set,
	      char *err, size_t errlen)
{
	memset(set, 0, sizeof *set);
	struct scan sc = { o, set, { NULL, NULL, 0, 0 }, { NULL, 0, 0 }, -1, SBUF_INIT, err, errlen };
	int r = 0;
	for (size_t i = 0; r == 0 && i < path->n; i++) {
		const char *loc = path->v[i];
		r = o->pkg_resources ? scan_location_pkgr(&sc, loc) : scan_location(&sc, loc, 0);
	}
	nameset_free(&sc.found);
	sb_free(&sc.buf);
	/* pip's freeze keeps one distribution per canonical name, the last
	 * in WorkingSet order; that order is pkg_resources' own. */
	for (size_t i = 0; r == 0 && o->pkg_resources && i < set->n; i++)
		for (size_t k = i + 1; k < set->n; k++)
			if (strcmp(set->d[i].canon, set->d[k].canon) == 0 && !set->unsupported)
				set->unsupported = xasprintf("two distributions are named %s", set->d[i].canon);
	if (r == 0)
		egg_links(&sc.links, set);
	strlist_free(&sc.links);
	return r;
}

void dist_set_free(struct dist_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct dist *d = &set->d[i];
		free(d->raw_name);
		free(d->canon);
		free(d->version);
		free(d->dir_version);
		free(d->info);
		free(d->location);
		direct_url_free(&d->du);
	}
	free(set->d);
	free(set->unsupported);
	memset(set, 0, sizeof *set);
}
