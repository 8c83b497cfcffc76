/* editable.c: how pip freeze names an editable install (its VCS checkout).
 *
 * pip asks each VCS backend whether the project directory is under its
 * control, then asks git for the remote, the commit and the git dir.  We
 * run the same git commands; checkouts of other VCSs are left to pip. */
#include "editable.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc.h"

static int exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

static int is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int in_path(const char *prog)
{
	const char *path = getenv("PATH");
	if (!path)
		return 0;
	char *copy = xstrdup(path);
	int found = 0;
	for (char *p = copy, *next; p && !found; p = next) {
		next = strchr(p, ':');
		if (next)
			*next++ = '\0';
		char *f = path_join(*p ? p : ".", prog);
		found = access(f, X_OK) == 0 && is_file(f);
		free(f);
	}
	free(copy);
	return found;
}

static int word(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

char *path_as_uri(const char *path)
{
	struct sbuf b = SBUF_INIT;
	sb_adds(&b, "file://");
	struct sbuf p = SBUF_INIT;
	if (path[0] == '/' && path[1] == '/' && path[2] != '/')
		sb_addc(&p, '/');
	for (const char *s = path; *s;) {
		while (*s == '/')
			s++;
		size_t n = strcspn(s, "/");
		if (n && !(n == 1 && s[0] == '.')) {
			sb_addc(&p, '/');
			sb_add(&p, s, n);
		}
		s += n;
	}
	if (!p.len)
		sb_addc(&p, '/');
	for (size_t i = 0; i < p.len; i++) {
		unsigned char c = (unsigned char)p.s[i];
		if (isalnum(c) || strchr("_.-~/", c))
			sb_addc(&b, (char)c);
		else
			sb_addf(&b, "%%%02X", c);
	}
	sb_free(&p);
	return sb_detach(&b);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *file_url_to_path(const char *url, char *err, size_t errlen)
{
	if (strncmp(url, "file:", 5) != 0) {
		snprintf(err, errlen, "the editable install's URL '%s' is not a file: URL", url);
		return NULL;
	}
	const char *s = url + 5;
	size_t nlen = 0;
	const char *netloc = s;
	if (s[0] == '/' && s[1] == '/') {
		netloc = s + 2;
		nlen = strcspn(netloc, "/?#");
		s = netloc + nlen;
	}
	if (nlen && !(nlen == 9 && strncmp(netloc, "localhost", 9) == 0)) {
		snprintf(err, errlen, "non-local file URIs are not supported: '%s'", url);
		return NULL;
	}
	size_t plen = strcspn(s, "?#");
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	for (size_t i = 0; i < plen; i++) {
		if (s[i] == '%' && i + 2 < plen + 1 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			sb_addc(&b, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
			i += 2;
		} else {
			sb_addc(&b, s[i]);
		}
	}
	return sb_detach(&b);
}

/* Runs git in dir; returns its status, -2 if git is missing, -1 on error. */
static int git(const char *dir, struct sbuf *out, const char *a1, const char *a2, const char *a3)
{
	char *argv[] = { "git", (char *)a1, (char *)a2, (char *)a3, NULL };
	int r = proc_capture(argv, dir, out, 1);
	if (r < 0 && errno == ENOENT)
		return -2;
	return r;
}

static char *strip(const char *s)
{
	char *copy = xstrdup(s), *t = str_strip(copy);
	memmove(copy, t, strlen(t) + 1);
	return copy;
}

/* pip's Git._git_remote_to_pip_url; NULL when pip finds it invalid. */
static char *remote_to_pip_url(const char *url, char *err, size_t errlen, int *fail)
{
	size_t w = 0;
	while (word((unsigned char)url[w]))
		w++;
	if (w && strncmp(url + w, "://", 3) == 0)
		return xstrdup(url);
	if (*url && exists(url)) {
		if (url[0] != '/') {
			snprintf(err, errlen, "relative path can't be expressed as a file URI: '%s'", url);
			*fail = 1;
			return NULL;
		}
		return path_as_uri(url);
	}
	const char *colon = strchr(url, ':');
	if (colon && colon > url && !memchr(url, '/', (size_t)(colon - url)) &&
	    word((unsigned char)colon[1]) && !strchr(colon + 1, ':'))
		return xasprintf("ssh://%.*s/%s", (int)(colon - url), url, colon + 1);
	return NULL;
}

static int installable_dir(const char *dir)
{
	char *a = path_join(dir, "pyproject.toml"), *b = path_join(dir, "setup.py");
	int r = is_file(a) || is_file(b);
	free(a);
	free(b);
	return r;
}

int editable_text(const char *location, const char *raw_name, const char *display,
		  const char *nodisplay, struct sbuf *out, char **why, char *err, size_t errlen)
{
	static const char *const others[] = { ".bzr", ".hg", ".svn" };
	for (size_t i = 0; i < 3; i++) {
		char *p = path_join(location, others[i]);
		int found = exists(p);
		free(p);
		if (found) {
			*why = xasprintf("the editable project '%s' is a %s checkout", location, others[i]);
			return 1;
		}
	}
	if (in_path("hg")) {
		*why = xstrdup("Mercurial is installed, and pip would ask it about editable projects");
		return 1;
	}
	struct sbuf o = SBUF_INIT;
	char *dotgit = path_join(location, ".git");
	int is_git = exists(dotgit);
	free(dotgit);
	if (!is_git)
		is_git = git(location, &o, "rev-parse", "--show-toplevel", NULL) == 0;
	const char *comment;            /* what pip says of a checkout it cannot name */
	if (!is_git) {
		comment = "Editable install with no version control";
		goto commented;
	}
	int r = git(location, &o, "config", "--get-regexp", "remote\\..*\\.url");
	if (r == -2)
		goto nogit;
	if (r != 0 && r != 1)
		goto unknown;
	/* The first remote, origin if there is one. */
	char *found = NULL;
	for (char *line = o.s, *next; line && *line; line = next) {
		next = line + strcspn(line, "\r\n");
		if (*next)
			*next++ = '\0';
		if (!found || strncmp(line, "remote.origin.url ", 18) == 0) {
			free(found);
			found = xstrdup(line);
			if (strncmp(line, "remote.origin.url ", 18) == 0)
				break;
		}
	}
	if (!found) {
		comment = "Editable Git install with no remote";
		goto commented;
	}
	char *sp = strchr(found, ' ');
	char *raw = sp ? xstrndup(sp + 1, strcspn(sp + 1, " ")) : NULL;
	free(found);
	if (!raw) {
		snprintf(err, errlen, "git printed an unexpected remote line in '%s'", location);
		sb_free(&o);
		return -1;
	}
	char *url = strip(raw);
	free(raw);
	int fail = 0;
	char *pip_url = remote_to_pip_url(url, err, errlen, &fail);
	if (fail) {
		free(url);
		sb_free(&o);
		return -1;
	}
	if (!pip_url && !display) {
		free(url);
		goto nodisplay;
	}
	if (!pip_url) {
		sb_addf(out, "# Editable Git install (%s) with either a deleted local remote or "
			"invalid URI:\n# '%s'\n-e %s", display, url, location);
		free(url);
		sb_free(&o);
		return 0;
	}
	free(url);
	r = git(location, &o, "rev-parse", "HEAD", NULL);
	if (r != 0) {
		free(pip_url);
		if (r == -2)
			goto nogit;
		goto unknown;
	}
	char *rev = strip(o.s);
	r = git(location, &o, "rev-parse", "--git-dir", NULL);
	if (r != 0) {
		free(rev);
		free(pip_url);
		if (r == -2)
			goto nogit;
		goto unknown;
	}
	char *gitdir = strip(o.s);
	char *gd = path_normalize(location, gitdir);
	char *root = path_dirname(gd);
	free(gd);
	free(gitdir);
	/* The Python project's root: upwards from location. */
	char *proj = xstrdup(location), *subdir = NULL;
	while (!installable_dir(proj)) {
		if (!path_up(&proj)) {
			free(proj);
			proj = NULL;
			break;
		}
	}
	if (proj) {
		struct stat a, b;
		int same = stat(root, &a) == 0 && stat(proj, &b) == 0 && a.st_dev == b.st_dev &&
			   a.st_ino == b.st_ino;
		if (!same)
			subdir = path_relative(proj, root);
		free(proj);
	}
	free(root);
	sb_addf(out, "-e git+%s@%s#egg=", pip_url, rev);
	for (const char *p = raw_name; *p; p++)
		sb_addc(out, *p == '-' ? '_' : *p);
	if (subdir)
		sb_addf(out, "&subdirectory=%s", subdir);
	free(subdir);
	free(rev);
	free(pip_url);
	sb_free(&o);
	return 0;
commented:
	if (!display)
		goto nodisplay;
	sb_addf(out, "# %s (%s)\n-e %s", comment, display, location);
	sb_free(&o);
	return 0;
nogit:
	warning("cannot determine version of editable source in %s (git command not found in path)",
	      location);
	sb_addf(out, "-e %s", location);
	sb_free(&o);
	return 0;
nodisplay:
	snprintf(err, errlen, "%s", nodisplay);
	sb_free(&o);
	return -1;
unknown:
	warning("could not determine repository location of %s", location);
	sb_addf(out, "## !! Could not determine repository location\n-e %s", location);
	sb_free(&o);
	return 0;
}
