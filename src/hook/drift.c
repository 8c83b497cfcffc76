/* drift.c: does a project's env still match its requirements file, and
 * how to make one for a project that has none. */
#include "drift.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "freeze.h"
#include "python_find.h"
#include "file_at.h"
#include "sha256.h"
#include "util.h"

/* Hex digits of the hash that name a stamp file. */
#define STAMP_NAME_LEN 32

#define STAMP_MAGIC "venvhook drift 1"

/* STATE/drift/HASH: the stamp of an env and requirements file, or NULL. */
static char *stamp_path(const char *env, const char *reqfile)
{
	char hex[65];
	sha256_hex_pair(env, reqfile, hex);
	hex[STAMP_NAME_LEN] = '\0';
	return xdg_path("STATE", "drift/%s", hex);
}

/* The counts the stamp keeps for key: 0, or -1 if it keeps none (missing,
 * not ours, another key, or not current). */
/* Whether the stamp is ours and carries the time newest: what the shell's
 * watch compares with. */
static int stamp_current(const char *path, const struct timespec *newest)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == user_id() &&
	       timespec_cmp(&st.st_mtim, newest) == 0;
}

static int stamp_read(const char *path, const char *key, const struct timespec *newest,
		      struct reqset_diff *d)
{
	struct sbuf text = SBUF_INIT;
	char err[MSG_MAX];
	int r = -1;
	if (stamp_current(path, newest) && file_read(path, 4096, &text, err, sizeof err) == 0) {
		size_t hl = strlen(STAMP_MAGIC), kl = strlen(key);
		const char *p = text.s;
		if (strncmp(p, STAMP_MAGIC "\n", hl + 1) == 0 && strncmp(p + hl + 1, key, kl) == 0 &&
		    p[hl + 1 + kl] == '\n' &&
		    sscanf(p + hl + 2 + kl, "%d %d %d %d", &d->missing, &d->different, &d->unlisted,
			   &d->unjudged) == 4)
			r = 0;
	}
	sb_free(&text);
	return r;
}

/* pwrite of all of buf at offset 0; 0 or -1. */
static int pwrite_all(int fd, const char *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = pwrite(fd, buf + done, len - done, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Writes the counts for key and gives the stamp the time newest, which
 * the shell compares the two files with.  The text is written over the
 * old one in place, not after truncating it: ext4 starts writing back a
 * file that was truncated to nothing when it is closed, and the next
 * truncation of it waits for that (milliseconds, at every entry after a
 * change). */
static int stamp_write(const char *path, const char *key, const struct timespec *newest,
		       const struct reqset_diff *d)
{
	const int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
	int fd = open(path, flags, 0600);
	if (fd < 0 && errno == ENOENT) {        /* the first stamp: make the directory */
		char *dir = path_dirname(path);
		if (mkdir_p(dir, 0700) == 0)
			fd = open(path, flags, 0600);
		free(dir);
	}
	if (fd < 0)
		return -1;
	char *text = xasprintf(STAMP_MAGIC "\n%s\n%d %d %d %d\n", key, d->missing, d->different,
			       d->unlisted, d->unjudged);
	size_t len = strlen(text);
	const struct timespec times[2] = { *newest, *newest };
	struct stat st;
	int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == user_id() &&
		 pwrite_all(fd, text, len) == 0 &&
		 ((unsigned long long)st.st_size <= len || ftruncate(fd, (off_t)len) == 0) &&
		 futimens(fd, times) == 0;
	free(text);
	if (close(fd) < 0)
		ok = 0;
	return ok ? 0 : -1;
}

/* A file that pins every requirement (as pip freeze and pip-compile write
 * them) lists everything installed; any other file names what the project
 * uses directly, and what that pulls in is not drift. */
static int pins_all(const struct reqset *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		const char *spec = rs->r[i].l.spec;
		if (!spec || strncmp(spec, "==", 2) != 0 || strpbrk(spec, ",*"))
			return 0;
	}
	return rs->n > 0;
}

static void compare(const struct env_info *e, struct drift *dr)
{
	struct reqset rs = { NULL, 0 };
	struct freeze_list l;
	char err[MSG_MAX];
	/* The file as the env's own pip reads it. */
	if (freeze_collect(e, 0, 0, &l, err, sizeof err) == 0) {
		/* What venvhook cannot see (an egg, a zip on the path) is no drift. */
		if ((!l.unsupported || strstr(l.unsupported, "pkg_resources") ||
		     strstr(l.unsupported, "older")) &&
		    reqset_read(dr->reqfile, reqset_pip(&l), 1, &rs) == 0) {
			/* The marker values (uname, the env's lib) only where a
			 * requirement has a marker: nothing else reads them. */
			struct marker_env m;
			char buf[MARKER_ENV_MAX];
			int markers = 0;
			for (size_t i = 0; i < rs.n && !markers; i++)
				markers = rs.r[i].l.marker != NULL;
			if (markers) {
				reqset_marker_env(e, reqset_pip(&l), &m, buf, sizeof buf);
			} else {
				memset(&m, 0, sizeof m);
				m.pip = reqset_pip(&l);
			}
			reqset_compare(&rs, &l, &m, NULL, &dr->d);
			if (!pins_all(&rs))
				dr->d.unlisted = 0;
		}
		freeze_list_free(&l);
	}
	reqset_free(&rs);
}

/* env_info_for(env, dir), from the pyvenv.cfg the verdict read when it
 * names the Python version (else as env_info_for reads it).  e->cfg is
 * then cfg's, borrowed: *borrowed says so, for env_free. */
static int env_for(const char *env, const char *dir, const struct venv_cfg *cfg,
		   struct env_info *e, int *borrowed)
{
	int major, minor;
	*borrowed = 0;
	if (cfg && cfg->version && sscanf(cfg->version, "%d.%d", &major, &minor) == 2 && major > 0) {
		memset(e, 0, sizeof *e);
		e->env = xstrdup(env);
		e->project = xstrdup(dir);
		e->trusted = 1;
		e->cfg = *cfg;
		e->major = major;
		e->minor = minor;
		e->pyver = xasprintf("%d.%d", major, minor);
		*borrowed = 1;
		return 0;
	}
	char err[MSG_MAX];
	return env_info_for(env, dir, e, err, sizeof err);
}

static void env_free(struct env_info *e, int borrowed)
{
	if (borrowed)
		memset(&e->cfg, 0, sizeof e->cfg);
	env_info_free(e);
}

void drift_measure(const char *dir, const char *reqname, const char *env,
		   const struct venv_cfg *cfg, const char *last, struct drift *dr)
{
	memset(dr, 0, sizeof *dr);
	dr->reqfile = path_join(dir, reqname);
	struct stat rst, sst;
	if (stat(dr->reqfile, &rst) < 0 || !S_ISREG(rst.st_mode))
		return;
	dr->exists = 1;
	struct env_info e;
	int borrowed;
	if (env_for(env, dir, cfg, &e, &borrowed) < 0)
		return;
	/* The site-packages directory: a pip install or uninstall changes it. */
	char *site = xasprintf("%s/lib/python%s/site-packages", env, e.pyver);
	if (stat(site, &sst) < 0) {
		free(site);
		env_free(&e, borrowed);
		return;
	}
	dr->site = site;
	dr->key = xasprintf("%s\n%lld.%09ld\n%lld.%09ld", dir, (long long)rst.st_mtim.tv_sec,
			    rst.st_mtim.tv_nsec, (long long)sst.st_mtim.tv_sec, sst.st_mtim.tv_nsec);
	const struct timespec *newest = timespec_cmp(&rst.st_mtim, &sst.st_mtim) > 0 ? &rst.st_mtim
										 : &sst.st_mtim;
	dr->stamp = stamp_path(env, dr->reqfile);
	/* The shell kept this key: nothing changed since it was told. */
	int told = strcmp(dr->key, last) == 0;
	if (told && dr->stamp && stamp_current(dr->stamp, newest)) {
		;       /* said already, and the watch has its stamp: nothing to read */
	} else if (dr->stamp && stamp_read(dr->stamp, dr->key, newest, &dr->d) == 0) {
		dr->compared = !told;   /* known from the last comparison */
	} else {
		if ((size_t)rst.st_size <= DRIFT_FILE_MAX) {
			compare(&e, dr);
			dr->compared = !told;
		}
		/* Without a current stamp the shell cannot watch: it would ask
		 * again at every prompt. */
		if (dr->stamp && stamp_write(dr->stamp, dr->key, newest, &dr->d) < 0) {
			free(dr->stamp);
			dr->stamp = NULL;
		}
	}
	env_free(&e, borrowed);
}

char *drift_message(const struct drift *dr, const char *reqname)
{
	const struct reqset_diff *d = &dr->d;
	if (!dr->compared || !(d->missing || d->different || d->unlisted))
		return NULL;
	struct sbuf b = SBUF_INIT;
	sb_addf(&b, "the env differs from '%s':", reqname);
	const char *sep = " ";
	if (d->missing) {
		sb_addf(&b, "%s%d missing", sep, d->missing);
		sep = ", ";
	}
	if (d->different) {
		sb_addf(&b, "%s%d at another version", sep, d->different);
		sep = ", ";
	}
	if (d->unlisted)
		sb_addf(&b, "%s%d not listed", sep, d->unlisted);
	sb_addf(&b, "; 'venvhook check' lists them, 'venvhook sync%s' fixes them",
		d->unlisted ? " --exact" : "");
	return sb_detach(&b);
}

/* A version number pyenv and python_find both take: 3, 3.12, 3.12.1. */
static int version_like(const char *s)
{
	int parts = 0;
	for (;;) {
		size_t n = strspn(s, "0123456789");
		if (!n || n > 4)
			return 0;
		s += n;
		parts++;
		if (!*s)
			return parts <= 3;
		if (*s++ != '.')
			return 0;
	}
}

const char *const drift_signs[DRIFT_SIGNS] = { "requirements.txt", "pyproject.toml", "setup.py",
					      ".python-version" };

char *drift_suggest(const char *dir)
{
	const char *home = env_get("HOME");
	if (strcmp(dir, "/") == 0 || (home && strcmp(dir, home) == 0))
		return NULL;
	int found = 0, reqs = 0;
	for (size_t i = 0; i < DRIFT_SIGNS; i++) {
		char *f = path_join(dir, drift_signs[i]);
		struct stat st;
		if (stat(f, &st) == 0 && S_ISREG(st.st_mode)) {
			found = 1;
			reqs |= i == 0;
		}
		free(f);
	}
	if (!found)
		return NULL;
	struct sbuf b = SBUF_INIT;
	sb_adds(&b, "this project has no env; 'venvhook create");
	char *name;
	char *file = python_version_file(dir, &name);
	if (name && version_like(name))
		sb_addf(&b, " -p %s", name);
	free(file);
	free(name);
	if (reqs)
		sb_adds(&b, " -r requirements.txt");
	sb_adds(&b, "' makes one");
	return sb_detach(&b);
}

void drift_free(struct drift *dr)
{
	free(dr->reqfile);
	free(dr->site);
	free(dr->stamp);
	free(dr->key);
	memset(dr, 0, sizeof *dr);
}
