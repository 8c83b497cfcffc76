/* registry.c: every env venvhook created, allowed, activated or found.
 *
 * The file is text, one env a line, seven fields separated by tabs:
 *   venvhook-registry 1
 *   ENV  PROJECT  PYTHON  VERSION  CREATED  USED  HOW
 * Bytes below 0x20, 0x7f and the backslash are written as \xHH, so that a
 * field never holds a tab or a newline; an empty field is "not known";
 * times are decimal Unix seconds.  A line that does not parse is damage:
 * the good lines are kept, and the file is rebuilt and reported once.
 *
 * registry.journal beside it holds lines of the same form, without the
 * first line, each an activation the prompt hook appended under a shared
 * lock (see registry.h). */
#include "registry.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "owner.h"
#include "platform.h"
#include "quote.h"
#include "trust.h"
#include "venv.h"

#define REGISTRY_MAGIC "venvhook-registry 1\n"
#define REGISTRY_MAX (64 << 20)
#define NFIELDS 7
/* An append that leaves the journal larger than this shortens it to one
 * line per env; if that still leaves more than half, it is merged. */
#define JOURNAL_MAX (64 << 10)
/* How long to wait for the lock: the prompt hook gives up sooner. */
#define LOCK_WAIT_MS 10000
#define LOCK_WAIT_HOOK_MS 2000

static const char *const event_names[] = { "created", "allowed", "activated", "found" };

const char *registry_event_name(enum registry_event e)
{
	return (unsigned)e < 4 ? event_names[e] : "found";
}

/* ---- entries ----------------------------------------------------------- */

static void entry_free(struct registry_entry *e)
{
	free(e->env);
	free(e->project);
	free(e->python);
	free(e->version);
	memset(e, 0, sizeof *e);
}

void registry_leftovers(const struct registry *r, struct leftovers *out)
{
	char **envs = xmalloc((r->n ? r->n : 1) * sizeof *envs);
	for (size_t i = 0; i < r->n; i++)
		envs[i] = r->e[i].env;
	leftover_find(envs, r->n, 1, out);
	free(envs);
}

void registry_free(struct registry *r)
{
	for (size_t i = 0; i < r->n; i++)
		entry_free(&r->e[i]);
	free(r->e);
	free(r->slot);
	memset(r, 0, sizeof *r);
}

/* ---- the index: open addressing on the env's FNV-1a hash --------------- */

static size_t hash_str(const char *s)
{
	uint64_t h = fnv1a(s);
	return (size_t)(h ^ (h >> 32));
}

static void index_put(struct registry *r, size_t i)
{
	size_t mask = r->nslot - 1, h = hash_str(r->e[i].env) & mask;
	while (r->slot[h])
		h = (h + 1) & mask;
	r->slot[h] = i + 1;
}

static void index_build(struct registry *r)
{
	size_t want = 64;
	while (want < 2 * r->n + 2)
		want *= 2;
	free(r->slot);
	r->slot = xmalloc(want * sizeof *r->slot);
	memset(r->slot, 0, want * sizeof *r->slot);
	r->nslot = want;
	for (size_t i = 0; i < r->n; i++)
		index_put(r, i);
}

static void index_drop(struct registry *r)
{
	free(r->slot);
	r->slot = NULL;
	r->nslot = 0;
}

struct registry_entry *registry_find(struct registry *r, const char *env)
{
	if (!r->n)
		return NULL;
	if (!r->nslot)
		index_build(r);
	size_t mask = r->nslot - 1;
	for (size_t h = hash_str(env) & mask; r->slot[h]; h = (h + 1) & mask)
		if (strcmp(r->e[r->slot[h] - 1].env, env) == 0)
			return &r->e[r->slot[h] - 1];
	return NULL;
}

struct registry_entry *registry_add(struct registry *r, const char *env)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->e = xrealloc(r->e, r->cap * sizeof *r->e);
	}
	struct registry_entry *e = &r->e[r->n++];
	memset(e, 0, sizeof *e);
	e->env = xstrdup(env);
	e->how = REGISTRY_FOUND;
	if (r->nslot) {
		if (2 * r->n + 2 > r->nslot)
			index_drop(r);  /* rebuilt larger at the next find */
		else
			index_put(r, r->n - 1);
	}
	return e;
}

void registry_remove(struct registry *r, size_t i)
{
	if (i >= r->n)
		return;
	entry_free(&r->e[i]);
	memmove(&r->e[i], &r->e[i + 1], (r->n - i - 1) * sizeof *r->e);
	r->n--;
	index_drop(r);
}

/* ---- the file's text --------------------------------------------------- */

static void put_field(struct sbuf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || c == '\\')
			sb_addf(b, "\\x%02x", c);
		else
			sb_addc(b, (char)c);
	}
}

static void format_entry(const struct registry_entry *e, struct sbuf *out)
{
	put_field(out, e->env);
	sb_addc(out, '\t');
	put_field(out, e->project);
	sb_addc(out, '\t');
	put_field(out, e->python);
	sb_addc(out, '\t');
	put_field(out, e->version);
	sb_addf(out, "\t%lld\t%lld\t%s\n", e->created, e->used, registry_event_name(e->how));
}

static void format_lines(const struct registry *r, struct sbuf *out)
{
	for (size_t i = 0; i < r->n; i++)
		format_entry(&r->e[i], out);
}

void registry_format(const struct registry *r, struct sbuf *out)
{
	sb_reset(out);
	sb_adds(out, REGISTRY_MAGIC);
	format_lines(r, out);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes one field; NULL if it is malformed.  An empty field gives "". */
static char *get_field(const char *s, size_t n)
{
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			goto bad;
		if (c != '\\') {
			sb_addc(&b, (char)c);
			continue;
		}
		if (i + 3 >= n || s[i + 1] != 'x' || hexval(s[i + 2]) < 0 || hexval(s[i + 3]) < 0)
			goto bad;
		int v = hexval(s[i + 2]) * 16 + hexval(s[i + 3]);
		if (v == 0)
			goto bad;
		sb_addc(&b, (char)v);
		i += 3;
	}
	return sb_detach(&b);
bad:
	sb_free(&b);
	return NULL;
}

static int get_time(const char *s, size_t n, long long *out)
{
	if (n == 0 || n > 18)
		return -1;
	long long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_line(const char *line, size_t len, struct registry_entry *e)
{
	const char *f[NFIELDS];
	size_t n[NFIELDS];
	size_t k = 0;
	const char *s = line, *end = line + len;
	for (;;) {
		const char *tab = memchr(s, '\t', (size_t)(end - s));
		if (k == NFIELDS)
			return -1;
		f[k] = s;
		n[k] = tab ? (size_t)(tab - s) : (size_t)(end - s);
		k++;
		if (!tab)
			break;
		s = tab + 1;
	}
	if (k != NFIELDS)
		return -1;
	memset(e, 0, sizeof *e);
	char *strs[4];
	for (int i = 0; i < 4; i++)
		strs[i] = get_field(f[i], n[i]);
	int how = -1;
	for (int i = 0; i < 4; i++)
		if (n[6] == strlen(event_names[i]) && memcmp(f[6], event_names[i], n[6]) == 0)
			how = i;
	if (!strs[0] || !strs[1] || !strs[2] || !strs[3] || strs[0][0] != '/' ||
	    (strs[1][0] && strs[1][0] != '/') || how < 0 ||
	    get_time(f[4], n[4], &e->created) < 0 || get_time(f[5], n[5], &e->used) < 0) {
		for (int i = 0; i < 4; i++)
			free(strs[i]);
		return -1;
	}
	e->env = strs[0];
	e->project = strs[1][0] ? strs[1] : (free(strs[1]), NULL);
	e->python = strs[2][0] ? strs[2] : (free(strs[2]), NULL);
	e->version = strs[3][0] ? strs[3] : (free(strs[3]), NULL);
	e->how = (enum registry_event)how;
	return 0;
}

/* Parses lines from s into r; returns how many were damaged.  The same env
 * twice is one entry with the later use; in a journal, also the latest
 * project. */
static size_t parse_lines(const char *s, struct registry *r, int journal)
{
	size_t bad = 0;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		struct registry_entry e;
		if (!nl || parse_line(s, len, &e) < 0) {
			/* A line without its newline was cut short: damage too. */
			if (len || nl)
				bad++;
		} else {
			struct registry_entry *old = registry_find(r, e.env);
			if (old) {
				if (e.used > old->used)
					old->used = e.used;
				if (journal && e.project) {
					free(old->project);
					old->project = e.project;
					e.project = NULL;
				}
				entry_free(&e);
			} else {
				struct registry_entry *n = registry_add(r, e.env);
				free(n->env);
				*n = e;
			}
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	return bad;
}

size_t registry_parse(const char *text, struct registry *r)
{
	memset(r, 0, sizeof *r);
	size_t bad = 0;
	const char *s = text;
	if (strncmp(s, REGISTRY_MAGIC, strlen(REGISTRY_MAGIC)) == 0) {
		s += strlen(REGISTRY_MAGIC);
	} else {
		bad++;
		/* Another version's first line is that one damage, not two. */
		if (strncmp(s, "venvhook-registry ", 18) == 0)
			s += strcspn(s, "\n") + (strchr(s, '\n') ? 1 : 0);
	}
	return bad + parse_lines(s, r, 0);
}

size_t registry_journal_parse(const char *text, struct registry *r)
{
	memset(r, 0, sizeof *r);
	return parse_lines(text, r, 1);
}

/* ---- what an env is ---------------------------------------------------- */

static long long file_birth(const char *path)
{
	struct file_id id;
	struct stat st;
	if (file_id_get(path, &id) == 0 && id.has_birth)
		return (long long)id.birth.tv_sec;
	return stat(path, &st) == 0 ? (long long)st.st_mtime : 0;
}

/* Refreshes what pyvenv.cfg says; returns 1 if anything changed. */
static int entry_refresh(struct registry_entry *e)
{
	struct venv_cfg cfg;
	char err[MSG_MAX];
	if (venv_cfg_load(e->env, &cfg, err, sizeof err) < 0)
		return 0;
	char *python = cfg.executable ? xstrdup(cfg.executable)
		: cfg.home ? path_join(cfg.home, "python3") : NULL;
	int changed = 0;
	if ((python || e->python) && (!python || !e->python || strcmp(python, e->python) != 0)) {
		free(e->python);
		e->python = python;
		python = NULL;
		changed = 1;
	}
	if (cfg.version && (!e->version || strcmp(cfg.version, e->version) != 0)) {
		free(e->version);
		e->version = xstrdup(cfg.version);
		changed = 1;
	}
	free(python);
	venv_cfg_free(&cfg);
	if (!e->created) {
		char *p = path_join(e->env, "pyvenv.cfg");
		e->created = file_birth(p);
		free(p);
		changed = 1;
	}
	return changed;
}

/* The project of an env found without one: the directory that holds an env
 * named .venv or venv, or another marker name from the config. */
static char *guess_project(const char *env)
{
	const char *base = path_basename(env);
	if (strcmp(base, ".venv") == 0 || strcmp(base, "venv") == 0)
		return path_dirname(env);
	const struct config *c = config_get();
	for (size_t i = 0; i < c->markers.n; i++)
		if (strcmp(base, c->markers.v[i]) == 0)
			return path_dirname(env);
	return NULL;
}

/* ---- the locked update ------------------------------------------------- */

/* Takes the lock fd in mode op (LOCK_SH or LOCK_EX), waiting ms at most. */
static int lock_wait(int fd, int op, int ms)
{
	int waited = 0, step = 1;
	for (;;) {
		if (flock(fd, op | LOCK_NB) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK)
			return -1;
		if (waited >= ms) {
			errno = ETIMEDOUT;
			return -1;
		}
		struct timespec ts = { 0, (long)step * 1000000L };
		nanosleep(&ts, NULL);
		waited += step;
		step = step < 32 ? step * 2 : 50;
	}
}

/* The files: the registry, its journal and its lock, in the state directory. */
struct files {
	char *dir, *path, *journal, *lock;
};

static int files_get(struct files *f, char *err, size_t errlen)
{
	memset(f, 0, sizeof *f);
	f->dir = xdg_dir("STATE");
	if (!f->dir) {
		snprintf(err, errlen, "cannot find the registry: set $HOME or $XDG_STATE_HOME");
		return -1;
	}
	f->path = path_join(f->dir, "registry");
	f->journal = path_join(f->dir, "registry.journal");
	f->lock = path_join(f->dir, "registry.lock");
	return 0;
}

static void files_free(struct files *f)
{
	free(f->dir);
	free(f->path);
	free(f->journal);
	free(f->lock);
}

/* Opens the lock file (making the state directory if need be) and takes
 * it in mode op.  Returns the descriptor, or -1 with a message in err. */
static int lock_open(const struct files *f, int op, int wait_ms, char *err, size_t errlen)
{
	int fd = open(f->lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 && errno == ENOENT) {
		if (mkdir_p(f->dir, 0700) < 0) {
			snprintf(err, errlen, "cannot create '%s': %s", f->dir, strerror(errno));
			return -1;
		}
		fd = open(f->lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", f->lock, strerror(errno));
		return -1;
	}
	if (lock_wait(fd, op, wait_ms) < 0) {
		snprintf(err, errlen, "cannot lock '%s': %s", f->lock, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads the registry file, NUL bytes and all.  Returns 1 if it exists,
 * 0 if not, -1 on error. */
static int read_raw(const char *path, struct sbuf *out, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		close(fd);
		return -1;
	}
	if (owner_check(&st, path, 0, err, errlen) != OWNER_OK) {
		close(fd);
		return -1;
	}
	int r = fd_read_all(fd, path, REGISTRY_MAX, &st, out, err, errlen);
	close(fd);
	if (r < 0)
		return -1;
	return 1;
}

struct seed {
	struct registry *r;
	size_t added;
};

static void seed_one(const char *real, void *arg)
{
	struct seed *s = arg;
	if (registry_find(s->r, real) || !venv_looks_like(real))
		return;
	struct registry_entry *e = registry_add(s->r, real);
	e->how = REGISTRY_ALLOWED;
	e->project = guess_project(real);
	entry_refresh(e);
	s->added++;
}

/* Reads a file of the registry for a parse: NUL bytes become damage (they
 * end nothing, they break their line).  Returns read_raw's answer; *nuls
 * counts them. */
static int read_text(const char *path, struct sbuf *text, size_t *nuls, char *err, size_t errlen)
{
	int exists = read_raw(path, text, err, errlen);
	*nuls = 0;
	for (size_t i = 0; exists > 0 && i + 1 < text->len; i++)
		if (text->s[i] == '\0')
			text->s[i] = '\x01', (*nuls)++;
	return exists;
}

/* The update, under the exclusive lock: the registry, then the journal
 * merged into it, then fn; written if anything changed, and the journal
 * removed once what it said is in the registry. */
static int update_locked(const struct files *f, struct registry *r,
			 int (*fn)(struct registry *, void *, char *, size_t),
			 void *arg, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	struct sbuf text = SBUF_INIT;
	struct registry j = { 0 };
	int status = -1;
	size_t nuls;
	int exists = read_text(f->path, &text, &nuls, err, errlen);
	if (exists < 0)
		goto out;
	int changed = 0;        /* what must be written */
	if (exists) {
		size_t bad = registry_parse(text.s, r);
		if (bad || nuls) {
			struct seed s = { r, 0 };
			trust_each_allowed(seed_one, &s);
			char *shown = printable(f->path);
			error("the registry '%s' was damaged (%zu bad line%s); rebuilt it from its %zu good "
			      "line%s and %zu trust record%s", shown, bad, bad == 1 ? "" : "s",
			      r->n - s.added, r->n - s.added == 1 ? "" : "s", s.added, s.added == 1 ? "" : "s");
			free(shown);
			changed = 1;
		}
	} else {
		/* The first use: start from the envs the user allowed before. */
		struct seed s = { r, 0 };
		trust_each_allowed(seed_one, &s);
		changed = s.added > 0;
	}

	/* The activations the hook appended since. */
	int journal = read_text(f->journal, &text, &nuls, err, errlen);
	if (journal < 0)
		goto out;
	int merged = 0;
	if (journal) {
		size_t bad = registry_journal_parse(text.s, &j) + nuls;
		if (bad) {
			char *shown = printable(f->journal);
			error("the registry journal '%s' was damaged (%zu bad line%s); merged its %zu good "
			      "line%s", shown, bad, bad == 1 ? "" : "s", j.n, j.n == 1 ? "" : "s");
			free(shown);
			changed = 1;    /* and so removed: reported once */
		}
		merged = registry_journal_merge(r, &j);
	}
	if (fn) {
		int c = fn(r, arg, err, errlen);
		if (c < 0)
			goto out;
		changed |= c;
	}
	if (changed || merged) {
		registry_format(r, &text);
		if (file_write_atomic_nosync(f->path, text.s, text.len, 0600) < 0) {
			if (changed) {
				snprintf(err, errlen, "cannot write '%s': %s", f->path, strerror(errno));
				goto out;
			}
			journal = 0;    /* only the journal's news: it stays for later */
		}
	}
	if (journal && unlink(f->journal) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove '%s': %s", f->journal, strerror(errno));
		goto out;
	}
	status = 0;
out:
	if (status < 0)
		registry_free(r);
	registry_free(&j);
	sb_free(&text);
	return status;
}

static int update(struct registry *r, int (*fn)(struct registry *, void *, char *, size_t),
		  void *arg, int wait_ms, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	struct files f;
	if (files_get(&f, err, errlen) < 0)
		return -1;
	int status = -1;
	int fd = lock_open(&f, LOCK_EX, wait_ms, err, errlen);
	if (fd >= 0) {
		status = update_locked(&f, r, fn, arg, err, errlen);
		close(fd);  /* releases the lock */
	}
	files_free(&f);
	return status;
}

int registry_update(struct registry *r, int (*fn)(struct registry *, void *, char *, size_t),
		    void *arg, char *err, size_t errlen)
{
	return update(r, fn, arg, LOCK_WAIT_MS, err, errlen);
}

int registry_journal_merge(struct registry *r, const struct registry *journal)
{
	int changed = 0;
	for (size_t i = 0; i < journal->n; i++) {
		const struct registry_entry *je = &journal->e[i];
		changed |= registry_note(r, je->env, je->project, REGISTRY_ACTIVATED, je->used);
	}
	return changed;
}

/* Under the exclusive lock: a journal grown past JOURNAL_MAX is rewritten
 * with one line per env, or merged into the registry if that is not enough. */
static void journal_shorten(const struct files *f)
{
	char err[MSG_MAX];
	struct sbuf text = SBUF_INIT;
	size_t nuls;
	int exists = read_text(f->journal, &text, &nuls, err, sizeof err);
	if (exists <= 0 || text.len <= JOURNAL_MAX) {
		sb_free(&text);
		return;         /* another shell did it meanwhile */
	}
	struct registry j;
	size_t bad = registry_journal_parse(text.s, &j) + nuls;
	sb_reset(&text);
	format_lines(&j, &text);
	if (text.len <= JOURNAL_MAX / 2 && !bad) {
		/* Not fatal if it fails: the journal stays as it was. */
		file_write_atomic_nosync(f->journal, text.s, text.len, 0600);
	} else {
		/* Many envs (or damage, reported there): into the registry. */
		struct registry r;
		if (update_locked(f, &r, NULL, NULL, err, sizeof err) == 0)
			registry_free(&r);
	}
	registry_free(&j);
	sb_free(&text);
}

/* The hook's record: one line appended to the journal under the shared
 * lock, so that shells activating at once do not wait for each other. */
static int journal_append(const char *real, const char *project, char *err, size_t errlen)
{
	struct files f;
	if (files_get(&f, err, errlen) < 0)
		return -1;
	struct registry_entry e = { .env = (char *)real, .project = (char *)project,
				    .used = (long long)time(NULL), .how = REGISTRY_ACTIVATED };
	struct sbuf line = SBUF_INIT;
	format_entry(&e, &line);
	int status = -1, jfd = -1;
	int fd = lock_open(&f, LOCK_SH, LOCK_WAIT_HOOK_MS, err, errlen);
	if (fd < 0)
		goto out;
	jfd = open(f.journal, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
		   O_NONBLOCK, 0600);
	struct stat st;
	if (jfd < 0 || fstat(jfd, &st) < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", f.journal, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", f.journal);
		goto out;
	}
	/* One write: appends of other shells do not come between its bytes. */
	ssize_t n = write(jfd, line.s, line.len);
	if (n != (ssize_t)line.len) {
		snprintf(err, errlen, "cannot write '%s': %s", f.journal,
			 n < 0 ? strerror(errno) : "short write");
		goto out;
	}
	status = 0;
	if ((size_t)st.st_size + line.len > JOURNAL_MAX &&
	    flock(fd, LOCK_UN) == 0 && lock_wait(fd, LOCK_EX, LOCK_WAIT_HOOK_MS) == 0)
		journal_shorten(&f);
out:
	if (jfd >= 0)
		close(jfd);
	if (fd >= 0)
		close(fd);
	sb_free(&line);
	files_free(&f);
	return status;
}

int registry_note(struct registry *r, const char *real, const char *project,
		  enum registry_event event, long long now)
{
	struct registry_entry *e = registry_find(r, real);
	int changed = 0;
	if (!e) {
		e = registry_add(r, real);
		e->how = event;
		changed = 1;
	}
	char *guess = NULL;
	if (!project && !e->project)
		project = guess = guess_project(real);
	if (project && (!e->project || (event != REGISTRY_FOUND && strcmp(e->project, project) != 0))) {
		free(e->project);
		e->project = xstrdup(project);
		changed = 1;
	}
	free(guess);
	if (event == REGISTRY_CREATED) {
		e->created = now;
		e->how = REGISTRY_CREATED;
		changed = 1;
	}
	if (event == REGISTRY_ACTIVATED && now > e->used) {
		e->used = now;
		changed = 1;
	}
	changed |= entry_refresh(e);
	return changed;
}

struct record {
	const char *env, *project;
	enum registry_event event;
};

static int record_fn(struct registry *r, void *arg, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	struct record *rec = arg;
	return registry_note(r, rec->env, rec->project, rec->event, (long long)time(NULL));
}

int registry_record(const char *real, const char *project, enum registry_event event,
		    char *err, size_t errlen)
{
	if (!venv_looks_like(real)) {
		snprintf(err, errlen, "cannot record '%s': not a virtual environment (no pyvenv.cfg)", real);
		return -1;
	}
	char *proj = project ? path_normalize("/", project) : NULL;
	int st;
	if (event == REGISTRY_ACTIVATED) {
		st = journal_append(real, proj, err, errlen);
	} else {
		struct record rec = { real, proj, event };
		struct registry r;
		st = update(&r, record_fn, &rec, LOCK_WAIT_MS, err, errlen);
		if (st == 0)
			registry_free(&r);
	}
	free(proj);
	return st;
}

static int forget_fn(struct registry *r, void *arg, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->e[i].env, arg) == 0) {
			registry_remove(r, i);
			return 1;
		}
	}
	return 0;
}

int registry_forget(const char *real, char *err, size_t errlen)
{
	struct registry r;
	int st = update(&r, forget_fn, (void *)real, LOCK_WAIT_MS, err, errlen);
	if (st == 0)
		registry_free(&r);
	return st;
}

int registry_made(const char *env, char *err, size_t errlen)
{
	char *real = realpath(env, NULL);
	struct env_id id;
	char why[REASON_MAX];
	int r = 0;
	if (!real || env_id_get(real, &id) < 0) {
		snprintf(why, sizeof why, "cannot resolve it: %s", strerror(errno));
		r = -1;
	} else if (trust_set(real, &id, 1, why, sizeof why) < 0) {
		r = -1;
	}
	if (r < 0) {
		snprintf(err, errlen, "'%s' is complete but not trusted (%s); 'venvhook allow' trusts it",
			 env, why);
	} else if (registry_record(real, NULL, REGISTRY_CREATED, err, errlen) < 0) {
		r = 1;
	}
	free(real);
	return r;
}
