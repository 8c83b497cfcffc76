/* listing.c: the directories of the search path as the scans see them,
 * read once per run, and the large unchanged ones kept between runs. */
#include "listing.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"

/* Listings of this run keep their directory open, for the scan to open
 * the metadata files relative to it (up to this many: a search path may be
 * long). */
#define LISTING_FDS_MAX 64

#define CACHE_MAGIC "venvhook listings 1\n"
#define CACHE_ENTRIES_MAX 256
#define CACHE_FILE_MAX (8u * 1024 * 1024)

/* ---- a directory's entries -------------------------------------------- */

static int ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* Whether a directory entry is one of those the scans look at (metadata,
 * eggs, egg links): a standard library directory lists hundreds of others. */
static int metadata_name(const char *n, size_t len)
{
	/* Each ends in "-info", "egg" or "link" (any case): most names end otherwise. */
	if (len < 3)
		return 0;
	char c = (char)tolower((unsigned char)n[len - 1]);
	if (c != 'o' && c != 'g' && c != 'k')
		return 0;
	return ends_with_ci(n, len, ".dist-info") || ends_with_ci(n, len, ".egg-info") ||
	       ends_with_ci(n, len, ".egg") || ends_with_ci(n, len, ".egg-link") ||
	       strcasecmp(n, "egg-info") == 0;
}

static int pth_name(const char *n, size_t len)
{
	return len >= 4 && memcmp(n + len - 4, ".pth", 4) == 0 && n[0] != '.';
}

/* Adds a name and its type; *tcap is the room in l->types. */
static void listing_add(struct dir_listing *l, size_t *tcap, const char *name, unsigned char type)
{
	strlist_add(&l->names, name);
	if (l->names.n > *tcap) {
		*tcap = l->names.cap;
		l->types = xrealloc(l->types, *tcap);
	}
	l->types[l->names.n - 1] = type;
}

static void listing_free(struct dir_listing *l)
{
	strlist_free(&l->names);
	strlist_free(&l->pth);
	free(l->types);
	l->types = NULL;
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

struct reading {
	struct dir_listing *l;
	size_t tcap;
};

static void listing_entry(void *arg, const char *name, size_t len, mode_t type)
{
	struct reading *r = arg;
	if (metadata_name(name, len))
		listing_add(r->l, &r->tcap, name, LISTING_TYPE(type));
	else if (pth_name(name, len))
		strlist_add(&r->l->pth, name);
}

/* Reads the entries of the open directory fd into l; returns how many
 * entries it has.  As readdir, an error ends the listing. */
static size_t listing_read(int fd, struct dir_listing *l)
{
	struct reading r = { l, 0 };
	return dir_each(fd, listing_entry, &r);
}

/* ---- the cache between runs ------------------------------------------- */

/* What says a directory is unchanged. */
struct dstamp {
	uint64_t dev, ino, size;
	struct timespec mtim, ctim;
};

static void dstamp_of(const struct stat *st, struct dstamp *s)
{
	s->dev = (uint64_t)st->st_dev;
	s->ino = (uint64_t)st->st_ino;
	s->size = (uint64_t)st->st_size;
	s->mtim = st->st_mtim;
	s->ctim = st->st_ctim;
}

static int dstamp_eq(const struct dstamp *a, const struct dstamp *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtim.tv_sec == b->mtim.tv_sec && a->mtim.tv_nsec == b->mtim.tv_nsec &&
	       a->ctim.tv_sec == b->ctim.tv_sec && a->ctim.tv_nsec == b->ctim.tv_nsec;
}

enum cache_state { CACHE_LOADED, CACHE_CURRENT, CACHE_STALE };

/* A record of the file: "D LEN:PATH DEV INO SIZE MTIME CTIME NNAMES NPTH
 * BODYLEN\n", then its body: per name "TYPE LEN:NAME\n", per .pth file
 * "LEN:NAME\n".  A record's body is parsed only when its directory is
 * listed: the file holds the listings of other envs too. */
static struct cached {
	char *path;
	struct dstamp st;
	const char *raw, *body;         /* in cache_text (LOADED) */
	size_t rawlen, bodylen, nnames, npth;
	int parsed;                     /* l holds the names */
	struct dir_listing l;           /* fd is always -1 */
	enum cache_state state;         /* from the file; used or added this run; changed */
} *cache;
static size_t ncache, cache_cap;
static char *cache_text;
static int cache_loaded, cache_dirty;

static char *cache_file(void)
{
	return xdg_path("CACHE", "listings");
}

static struct cached *cache_new(void)
{
	if (ncache == cache_cap) {
		cache_cap = cache_cap ? 2 * cache_cap : 16;
		cache = xrealloc(cache, cache_cap * sizeof *cache);
	}
	struct cached *c = &cache[ncache++];
	memset(c, 0, sizeof *c);
	c->l.fd = -1;
	return c;
}

/* "LEN:BYTES" at *p (before end): the bytes in *s, *n; -1 if malformed. */
static int take_str(const char **p, const char *end, const char **s, size_t *n)
{
	char *colon;
	errno = 0;
	unsigned long long k = strtoull(*p, &colon, 10);
	if (errno || colon == *p || colon >= end || *colon != ':' ||
	    k > (unsigned long long)(end - colon - 1) || memchr(colon + 1, '\0', (size_t)k))
		return -1;
	*s = colon + 1;
	*n = (size_t)k;
	*p = *s + k;
	return 0;
}

static int take_num(const char **p, const char *end, uint64_t *v, char sep)
{
	char *e;
	if (*p >= end || !isdigit((unsigned char)**p))
		return -1;
	errno = 0;
	unsigned long long n = strtoull(*p, &e, 10);
	if (errno || e >= end || *e != sep)
		return -1;
	*v = n;
	*p = e + 1;
	return 0;
}

static int take_time(const char **p, const char *end, struct timespec *t)
{
	uint64_t s, ns;
	if (take_num(p, end, &s, '.') < 0 || take_num(p, end, &ns, ' ') < 0 || ns >= 1000000000u)
		return -1;
	t->tv_sec = (time_t)s;
	t->tv_nsec = (long)ns;
	return 0;
}

/* The header of one record, its body skipped; -1 if malformed (the rest
 * of the file is then ignored). */
static int parse_record(const char **p, const char *end)
{
	const char *start = *p, *path;
	size_t pathlen;
	uint64_t dev, ino, size, nnames, npth, bodylen;
	struct timespec mtim, ctim;
	if (end - *p < 2 || memcmp(*p, "D ", 2) != 0)
		return -1;
	*p += 2;
	if (take_str(p, end, &path, &pathlen) < 0 || *p >= end || *(*p)++ != ' ' ||
	    take_num(p, end, &dev, ' ') < 0 || take_num(p, end, &ino, ' ') < 0 ||
	    take_num(p, end, &size, ' ') < 0 || take_time(p, end, &mtim) < 0 ||
	    take_time(p, end, &ctim) < 0 || take_num(p, end, &nnames, ' ') < 0 ||
	    take_num(p, end, &npth, ' ') < 0 || take_num(p, end, &bodylen, '\n') < 0 ||
	    bodylen > (uint64_t)(end - *p))
		return -1;
	struct cached *c = cache_new();
	c->path = xstrndup(path, pathlen);
	c->st = (struct dstamp){ dev, ino, size, mtim, ctim };
	c->body = *p;
	c->bodylen = (size_t)bodylen;
	c->nnames = (size_t)nnames;
	c->npth = (size_t)npth;
	*p += bodylen;
	c->raw = start;
	c->rawlen = (size_t)(*p - start);
	c->state = CACHE_LOADED;
	return 0;
}

/* The names of a loaded record; -1 if its body is malformed. */
static int parse_body(struct cached *c)
{
	const char *p = c->body, *end = c->body + c->bodylen, *name;
	size_t n, tcap = 0;
	for (size_t i = 0; i < c->nnames + c->npth; i++) {
		uint64_t type = 0;
		if ((i < c->nnames && (take_num(&p, end, &type, ' ') < 0 || type > 255)) ||
		    take_str(&p, end, &name, &n) < 0 || p >= end || *p++ != '\n')
			return -1;
		if (i < c->nnames) {
			strlist_addn(&c->l.names, name, n);
			if (c->l.names.n > tcap) {
				tcap = c->l.names.cap;
				c->l.types = xrealloc(c->l.types, tcap);
			}
			c->l.types[c->l.names.n - 1] = (unsigned char)type;
		} else {
			strlist_addn(&c->l.pth, name, n);
		}
	}
	if (p != end)
		return -1;
	c->parsed = 1;
	return 0;
}

/* Reads the cache file once per run (a file that is not ours, or not
 * understood, is no cache). */
static void cache_load(void)
{
	if (cache_loaded)
		return;
	cache_loaded = 1;
	char *path = cache_file();
	if (!path)
		return;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	free(path);
	if (fd < 0)
		return;
	struct stat st;
	size_t len = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == user_id() &&
	    (unsigned long long)st.st_size <= CACHE_FILE_MAX) {
		size_t want = (size_t)st.st_size + 1;   /* a short read says it is all */
		cache_text = xmalloc(want);
		for (;;) {
			ssize_t n = read(fd, cache_text + len, want - len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			len += (size_t)n;
			if (len == want) {      /* it grew: no cache this time */
				len = 0;
				break;
			}
			if (len == (size_t)st.st_size)
				break;          /* all of it (a file being replaced is renamed over) */
		}
	}
	close(fd);
	if (cache_text)
		cache_text[len] = '\0';        /* (strtoull stops there at the latest) */
	const size_t ml = strlen(CACHE_MAGIC);
	const char *p = cache_text, *end = cache_text + len;
	if (cache_text && len >= ml && memcmp(cache_text, CACHE_MAGIC, ml) == 0)
		for (p += ml; p < end && parse_record(&p, end) == 0;)
			;
}

static struct cached *cache_find(const char *path)
{
	for (size_t i = 0; i < ncache; i++)
		if (cache[i].state != CACHE_STALE && strcmp(cache[i].path, path) == 0)
			return &cache[i];
	return NULL;
}

/* Whether the times of a directory are settled and to be trusted: a local
 * file system (whose clock moves them at each change), and both settled
 * (util.h). */
static int settled(int fd, const struct stat *st)
{
	return time_settled(&st->st_mtim) && time_settled(&st->st_ctim) && fs_times_trusted(fd);
}

/* Keeps the listing of path, read from fd (still open) with count entries,
 * for the next runs. */
static void cache_store(const char *path, int fd, size_t count, const struct dir_listing *l)
{
	struct stat st;
	if (path[0] != '/' || count < LISTING_CACHE_MIN || fstat(fd, &st) < 0 || !settled(fd, &st))
		return;
	/* (a stale record of path, if any, is left out when the file is written) */
	struct cached *c = cache_new();
	c->path = xstrdup(path);
	dstamp_of(&st, &c->st);
	size_t tcap = 0;
	for (size_t i = 0; i < l->names.n; i++)
		listing_add(&c->l, &tcap, l->names.v[i], l->types[i]);
	for (size_t i = 0; i < l->pth.n; i++)
		strlist_add(&c->l.pth, l->pth.v[i]);
	c->parsed = 1;
	c->state = CACHE_CURRENT;
	cache_dirty = 1;
}

static void add_str(struct sbuf *b, const char *s)
{
	sb_addf(b, "%zu:", strlen(s));
	sb_adds(b, s);
}

static void add_record(struct sbuf *b, const struct cached *c)
{
	if (!c->parsed) {               /* another env's: as it was read */
		sb_add(b, c->raw, c->rawlen);
		return;
	}
	struct sbuf body = SBUF_INIT;
	for (size_t i = 0; i < c->l.names.n; i++) {
		sb_addf(&body, "%u ", c->l.types[i]);
		add_str(&body, c->l.names.v[i]);
		sb_addc(&body, '\n');
	}
	for (size_t i = 0; i < c->l.pth.n; i++) {
		add_str(&body, c->l.pth.v[i]);
		sb_addc(&body, '\n');
	}
	sb_adds(b, "D ");
	add_str(b, c->path);
	sb_addf(b, " %" PRIu64 " %" PRIu64 " %" PRIu64 " %lld.%09ld %lld.%09ld %zu %zu %zu\n",
		c->st.dev, c->st.ino, c->st.size, (long long)c->st.mtim.tv_sec, c->st.mtim.tv_nsec,
		(long long)c->st.ctim.tv_sec, c->st.ctim.tv_nsec, c->l.names.n, c->l.pth.n, body.len);
	sb_add(b, body.s ? body.s : "", body.len);
	sb_free(&body);
}

/* Writes the cache when this run changed it: the listings this run used
 * or added first (the newest first), then the others the file held
 * (other envs'), up to CACHE_ENTRIES_MAX records and CACHE_FILE_MAX / 4
 * bytes.  A cache that cannot be written is not an error. */
static void cache_save(void)
{
	if (!cache_dirty)
		return;
	struct sbuf b = SBUF_INIT;
	sb_adds(&b, CACHE_MAGIC);
	size_t kept = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < ncache && kept < CACHE_ENTRIES_MAX && b.len < CACHE_FILE_MAX / 4; k++) {
			size_t i = pass ? k : ncache - 1 - k;
			const struct cached *c = &cache[i];
			if (c->state != (pass ? CACHE_LOADED : CACHE_CURRENT))
				continue;
			/* (a path has one record that is not stale: a record is
			 * added only where the one found was stale, or none) */
			add_record(&b, c);
			kept++;
		}
	char *path = cache_file();
	if (path) {
		char *dir = path_dirname(path);
		if (mkdir_p(dir, 0700) == 0)
			(void)file_write_atomic_nosync(path, b.s, b.len, 0600);
		free(dir);
		free(path);
	}
	sb_free(&b);
}

static void cache_forget(void)
{
	for (size_t i = 0; i < ncache; i++) {
		free(cache[i].path);
		listing_free(&cache[i].l);
	}
	free(cache);
	cache = NULL;
	ncache = cache_cap = 0;
	free(cache_text);
	cache_text = NULL;
	cache_loaded = cache_dirty = 0;
}

/* ---- this run's listings ---------------------------------------------- */

static struct listing {
	char *path;
	struct dir_listing l;
	int borrowed;                   /* l's names are the cache's */
	int ok, err;
} *listings;
static size_t nlistings, listings_cap, listing_fds;

void dist_dir_names_forget(void)
{
	for (size_t i = 0; i < nlistings; i++) {
		free(listings[i].path);
		if (listings[i].borrowed) {
			if (listings[i].l.fd >= 0)
				close(listings[i].l.fd);
		} else {
			listing_free(&listings[i].l);
		}
	}
	free(listings);
	listings = NULL;
	nlistings = listings_cap = listing_fds = 0;
	cache_save();
	cache_forget();
}

/* The listing of path from the cache, if it holds one that a stat says is
 * current: it is then this run's listing l, borrowed (and the directory
 * opened only if the scan will read files in it).  A listing found changed
 * is left out of the cache. */
static int from_cache(struct listing *l)
{
	if (l->path[0] != '/')
		return 0;
	cache_load();
	struct cached *c = cache_find(l->path);
	if (!c)
		return 0;
	struct stat st;
	int fd = -1, ok;
	if (c->parsed ? c->l.names.n : c->nnames) {
		fd = open(l->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ok = fd >= 0 && fstat(fd, &st) == 0;
	} else {
		ok = stat(l->path, &st) == 0 && S_ISDIR(st.st_mode);
	}
	struct dstamp now;
	if (ok)
		dstamp_of(&st, &now);
	if (!ok || !dstamp_eq(&now, &c->st) || (!c->parsed && parse_body(c) < 0)) {
		if (fd >= 0)
			close(fd);
		c->state = CACHE_STALE;
		cache_dirty = 1;
		return 0;
	}
	c->state = CACHE_CURRENT;
	l->l = c->l;
	l->l.fd = fd;
	l->borrowed = 1;
	return 1;
}

const struct dir_listing *dist_dir_listing(const char *path, int *err)
{
	for (size_t i = 0; i < nlistings; i++)
		if (strcmp(listings[i].path, path) == 0) {
			if (!listings[i].ok && err)
				*err = listings[i].err;
			return listings[i].ok ? &listings[i].l : NULL;
		}
	if (nlistings == listings_cap) {
		listings_cap = listings_cap ? 2 * listings_cap : 16;
		listings = xrealloc(listings, listings_cap * sizeof *listings);
	}
	struct listing *l = &listings[nlistings++];
	memset(l, 0, sizeof *l);
	l->path = xstrdup(path);
	l->l.fd = -1;
	if (from_cache(l)) {
		l->ok = 1;
		if (l->l.fd >= 0 && listing_fds < LISTING_FDS_MAX) {
			listing_fds++;
		} else if (l->l.fd >= 0) {
			close(l->l.fd);
			l->l.fd = -1;
		}
		return &l->l;
	}
	l->l.fd = open(*path ? path : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->l.fd < 0) {
		l->err = errno;
		if (err)
			*err = l->err;
		return NULL;
	}
	size_t count = listing_read(l->l.fd, &l->l);
	cache_store(path, l->l.fd, count, &l->l);
	l->ok = 1;
	if (listing_fds < LISTING_FDS_MAX) {
		listing_fds++;
	} else {
		close(l->l.fd);
		l->l.fd = -1;
	}
	return &l->l;
}

const struct strlist *dist_dir_names(const char *path)
{
	const struct dir_listing *l = dist_dir_listing(path, NULL);
	return l ? &l->names : NULL;
}
