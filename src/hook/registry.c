/* registry.c: every env venvhook created, allowed, activated or found.
 *
 * The file is text, one env a line, seven fields separated by tabs:
 *   venvhook-registry 1
 *   ENV  PROJECT  PYTHON  VERSION  CREATED  USED  HOW
 * Bytes below 0x20, 0x7f and the backslash are written as \xHH, so that a
 * field never holds a tab or a newline; an empty field is "not known";
 * times are decimal Unix seconds.  A line that does not parse is damage:
 * the good lines are kept, and the file is rebuilt and reported once. */
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
#include "quote.h"
#include "trust.h"
#include "venv.h"

#define REGISTRY_MAGIC "venvhook-registry 1\n"
#define REGISTRY_MAX (64 << 20)
#define NFIELDS 7
/* The hook records a use at most this often per env (seconds). */
#define USE_GRANULARITY 60
/* How long to wait for the lock: the prompt hook gives up sooner. */
#define LOCK_WAIT_MS 10000
#define LOCK_WAIT_HOOK_MS 2000

static const char *const event_names[] = { "created", "allowed", "activated", "found" };

const char *registry_event_name(enum registry_event e)
{
	return (unsigned)e < 4 ? event_names[e] : "found";
}

char *registry_path(void)
{
	char *dir = xdg_dir("STATE");
	if (!dir)
		return NULL;
	char *p = path_join(dir, "registry");
	free(dir);
	return p;
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

void registry_free(struct registry *r)
{
	for (size_t i = 0; i < r->n; i++)
		entry_free(&r->e[i]);
	free(r->e);
	memset(r, 0, sizeof *r);
}

struct registry_entry *registry_find(struct registry *r, const char *env)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->e[i].env, env) == 0)
			return &r->e[i];
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
	return e;
}

void registry_remove(struct registry *r, size_t i)
{
	if (i >= r->n)
		return;
	entry_free(&r->e[i]);
	memmove(&r->e[i], &r->e[i + 1], (r->n - i - 1) * sizeof *r->e);
	r->n--;
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

void registry_format(const struct registry *r, struct sbuf *out)
{
	sb_reset(out);
	sb_adds(out, REGISTRY_MAGIC);
	for (size_t i = 0; i < r->n; i++) {
		const struct registry_entry *e = &r->e[i];
		put_field(out, e->env);
		sb_addc(out, '\t');
		put_field(out, e->project);
		sb_addc(out, '\t');
		put_field(out, e->python);
		sb_addc(out, '\t');
		put_field(out, e->version);
		sb_addf(out, "\t%lld\t%lld\t%s\n", e->created, e->used, registry_event_name(e->how));
	}
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

/* ---- what an env is ---------------------------------------------------- */

static long long file_birth(const char *path)
{
	struct statx sx;
	if (statx(AT_FDCWD, path, 0, STATX_BTIME | STATX_MTIME, &sx) < 0)
		return 0;
	if (sx.stx_mask & STATX_BTIME)
		return sx.stx_btime.tv_sec;
	return sx.stx_mtime.tv_sec;
}

/* Refreshes what pyvenv.cfg says; returns 1 if anything changed. */
static int entry_refresh(struct registry_entry *e)
{
	struct venv_cfg cfg;
	char err[512];
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

static int lock_wait(int fd, int ms)
{
	int waited = 0, step = 1;
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
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
	sb_reset(out);
	for (;;) {
		char buf[65536];
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		if (out->len + (size_t)n > REGISTRY_MAX) {
			snprintf(err, errlen, "'%s' is larger than %d bytes", path, REGISTRY_MAX);
			close(fd);
			return -1;
		}
		sb_add(out, buf, (size_t)n);
	}
	close(fd);
	sb_add(out, "", 0);
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

static int update(struct registry *r, int (*fn)(struct registry *, void *, char *, size_t),
		  void *arg, int wait_ms, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	char *dir = xdg_dir("STATE");
	if (!dir) {
		snprintf(err, errlen, "cannot find the registry: set $HOME or $XDG_STATE_HOME");
		return -1;
	}
	char *path = path_join(dir, "registry");
	char *lockpath = path_join(dir, "registry.lock");
	struct sbuf text = SBUF_INIT;
	int status = -1, fd = -1;
	fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 && errno == ENOENT) {
		if (mkdir_p(dir, 0700) < 0) {
			snprintf(err, errlen, "cannot create '%s': %s", dir, strerror(errno));
			goto out;
		}
		fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", lockpath, strerror(errno));
		goto out;
	}
	if (lock_wait(fd, wait_ms) < 0) {
		snprintf(err, errlen, "cannot lock '%s': %s", lockpath, strerror(errno));
		goto out;
	}
	int exists = read_raw(path, &text, err, errlen);
	if (exists < 0)
		goto out;
	int changed = 0;
	if (exists) {
		/* A NUL byte is damage: it ends nothing, it breaks its line. */
		size_t nuls = 0;
		for (size_t i = 0; i + 1 < text.len; i++)
			if (text.s[i] == '\0')
				text.s[i] = '\x01', nuls++;
		size_t bad = registry_parse(text.s, r);
		if (bad || nuls) {
			struct seed s = { r, 0 };
			trust_each_allowed(seed_one, &s);
			char *shown = printable(path);
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
	if (fn) {
		int c = fn(r, arg, err, errlen);
		if (c < 0)
			goto out;
		changed |= c;
	}
	if (changed) {
		registry_format(r, &text);
		if (file_write_atomic(path, text.s, text.len, 0600) < 0) {
			snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
			goto out;
		}
	}
	status = 0;
out:
	if (fd >= 0)
		close(fd);  /* releases the lock */
	if (status < 0)
		registry_free(r);
	sb_free(&text);
	free(lockpath);
	free(path);
	free(dir);
	return status;
}

int registry_update(struct registry *r, int (*fn)(struct registry *, void *, char *, size_t),
		    void *arg, char *err, size_t errlen)
{
	return update(r, fn, arg, LOCK_WAIT_MS, err, errlen);
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
	if (event == REGISTRY_ACTIVATED && (now - e->used >= USE_GRANULARITY || now < e->used)) {
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

int registry_record(const char *env, const char *project, enum registry_event event,
		    char *err, size_t errlen)
{
	char *real = realpath(env, NULL);
	if (!real) {
		snprintf(err, errlen, "cannot record '%s': %s", env, strerror(errno));
		return -1;
	}
	if (!venv_looks_like(real)) {
		snprintf(err, errlen, "cannot record '%s': not a virtual environment (no pyvenv.cfg)", env);
		free(real);
		return -1;
	}
	char *proj = project ? path_normalize("/", project) : NULL;
	struct record rec = { real, proj, event };
	struct registry r;
	int wait = event == REGISTRY_ACTIVATED ? LOCK_WAIT_HOOK_MS : LOCK_WAIT_MS;
	int st = update(&r, record_fn, &rec, wait, err, errlen);
	if (st == 0)
		registry_free(&r);
	free(proj);
	free(real);
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
