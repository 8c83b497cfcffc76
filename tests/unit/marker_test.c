/* marker_test.c: .venv files, .venvhook files and the walk up to "/". */
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fsutil.h"
#include "marker.h"
#include "unit.h"

static char err[1024];

/* venv_file_parse(text) in the project directory /p/q: the env it names, or NULL. */
static char *vf(const char *text)
{
	err[0] = '\0';
	return venv_file_parse(text, "/p/q", err, sizeof err);
}

/* A .venv file that names want. */
#define CHECK_VF(text, want) check_vf(text, want, __LINE__)
static void check_vf(const char *text, const char *want, int line)
{
	char *got = vf(text), *lit = unit_literal(text);
	char *what = xasprintf("venv_file_parse(%s)", lit);
	unit_check_str(got, want, what, __FILE__, line);
	if (!got)
		printf("#   error: %s\n", err);
	free(what), free(lit), free(got);
}

/* A refused .venv file: NULL and a one-line message holding needle. */
#define CHECK_VF_BAD(text, needle) check_vf_bad(text, needle, __LINE__)
static void check_vf_bad(const char *text, const char *needle, int line)
{
	char *got = vf(text), *lit = unit_literal(text);
	char *what = xasprintf("venv_file_parse(%s) is refused: %s", lit, needle);
	unit_check(!got && err[0] && !strchr(err, '\n') && strstr(err, needle), what, __FILE__,
		   line);
	if (got || !strstr(err, needle))
		printf("#   got '%s', error '%s'\n", got ? got : "(null)", err);
	free(what), free(lit), free(got);
}

static void test_venv_file(void)
{
	setenv("HOME", "/home/u", 1);
	unsetenv("PYENV_ROOT");         /* no pyenv: .python-version is not looked at */
	setenv("VENVHOOK_HOME", "/vh", 1);
	unsetenv("WORKON_HOME");

	printf("# .venv files: what each names, or why it is refused\n");
	static const struct { const char *text, *env, *refused; } files[] = {
		/* Comments, blank lines, line ends. */
		{ "/abs/env\n", "/abs/env", NULL },
		{ "/abs/env", "/abs/env", NULL },
		{ "# a comment\n\n   \n\t# another\n  /abs/env  \n/second\n", "/abs/env", NULL },
		{ "/abs/env\r\n", "/abs/env", NULL },
		{ "\r\n# c\r\n\t/abs/env\t\r\n", "/abs/env", NULL },
		{ "#/commented/out\n/abs/env\n", "/abs/env", NULL },
		/* Only whole lines are comments. */
		{ "/abs/env # not a comment\n", "/abs/env # not a comment", NULL },
		/* Paths: absolute, from the project's directory, from ~. */
		{ "/abs//env/./x/../y/\n", "/abs/env/y", NULL },
		{ "./env\n", "/p/q/env", NULL },
		{ "./\n", "/p/q", NULL },
		{ "../env\n", "/p/env", NULL },
		{ "../../../../env\n", "/env", NULL },
		{ "./a/../../b\n", "/p/b", NULL },
		{ "~/envs/x\n", "/home/u/envs/x", NULL },
		{ "~/../../x\n", "/x", NULL },
		{ "/a b/$(x)/`y`/'z'\n", "/a b/$(x)/`y`/'z'", NULL },
		{ "/caf\xc3\xa9/\xff\n", "/caf\xc3\xa9/\xff", NULL },
		/* Refused, and naming nothing. */
		{ "a/b\n", NULL, "'a/b' is neither a path" },
		{ "a/\n", NULL, "'a/' is neither a path" },
		{ "x..y\n", NULL, "'x..y' is neither a path" },
		{ "..x\n", NULL, "'..x' is neither a path" },
		{ "x..\n", NULL, "'x..' is neither a path" },
		{ "...\n", NULL, "'...' is neither a path" },
		{ "..\\x\n", NULL, "is neither a path" },
		{ "ab\x01x\n", NULL, "control character" },
		{ "a\x1b[2Jb\n", NULL, "control character" },
		{ "a\tb\n", NULL, "control character" },
		{ "a\rb\n", NULL, "control character" },
		{ "a\x7f\n", NULL, "control character" },
		{ "/abs/\x01/env\n", NULL, "control character" },
		{ "./a\x02\n", NULL, "control character" },
		{ "", NULL, "names no env" },
		{ "\n\n", NULL, "names no env" },
		{ "  \t \r\n", NULL, "names no env" },
		{ "# only\n# comments", NULL, "names no env" },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (files[i].refused)
			CHECK_VF_BAD(files[i].text, files[i].refused);
		else
			CHECK_VF(files[i].text, files[i].env);
	}
	unsetenv("HOME");
	CHECK_VF_BAD("~/envs/x\n", "$HOME");
	setenv("HOME", "relative", 1);
	CHECK_VF_BAD("~/envs/x\n", "$HOME");
	setenv("HOME", "/home/u", 1);

	printf("# .venv files: bare names and where they are looked up\n");
	CHECK_VF("myenv\n", "/vh/myenv");
	CHECK_VF("my env-1.0_x\n", "/vh/my env-1.0_x");
	setenv("VENVHOOK_HOME", "/vh/../other//", 1);
	CHECK_VF("myenv\n", "/other/myenv");
	setenv("WORKON_HOME", "/wo", 1);
	setenv("VENVHOOK_HOME", "/vh", 1);
	CHECK_VF("myenv\n", "/vh/myenv");
	unsetenv("VENVHOOK_HOME");
	CHECK_VF("myenv\n", "/wo/myenv");
	setenv("VENVHOOK_HOME", "", 1);        /* empty is unset */
	CHECK_VF("myenv\n", "/wo/myenv");
	unsetenv("WORKON_HOME");
	CHECK_VF("myenv\n", "/home/u/.virtualenvs/myenv");
	setenv("WORKON_HOME", "", 1);
	CHECK_VF("myenv\n", "/home/u/.virtualenvs/myenv");
	unsetenv("HOME");
	CHECK_VF_BAD("myenv\n", "cannot look up env 'myenv'");
	/* A relative home is never used, nor silently replaced by the next one. */
	setenv("HOME", "/home/u", 1);
	setenv("VENVHOOK_HOME", "relative/dir", 1);
	CHECK_VF_BAD("myenv\n", "cannot look up env 'myenv'");
	setenv("VENVHOOK_HOME", "/vh", 1);

	/* ".." is never looked up under the envs' home. */
	char *dd = vf("..\n");
	unit_check(!dd || strcmp(dd, "/p") == 0, "'..' never names a directory above $VENVHOOK_HOME",
		   __FILE__, __LINE__);
	free(dd);
}

/* ---- .venvhook -------------------------------------------------------------- */

static struct project proj;

static int vh(const char *text)
{
	project_free(&proj);
	err[0] = '\0';
	return venvhook_file_parse(text, "/p/.venvhook", "/p", &proj, err, sizeof err);
}

#define CHECK_VH(text, want_env, want_prompt, want_activate) do { \
	int r_ = vh(text); \
	unit_check(r_ == 0, "venvhook_file_parse(" #text ") succeeds", __FILE__, __LINE__); \
	if (r_ < 0) \
		printf("#   error: %s\n", err); \
	unit_check_str(proj.env, want_env, "  its env", __FILE__, __LINE__); \
	unit_check_str(proj.prompt, want_prompt, "  its prompt", __FILE__, __LINE__); \
	unit_check(proj.activate == (want_activate), "  its activate", __FILE__, __LINE__); \
} while (0)

/* A refused .venvhook: -1, the exact message, and nothing kept. */
#define CHECK_VH_BAD(text, want_err) do { \
	int r_ = vh(text); \
	unit_check(r_ < 0 && !proj.env && !proj.prompt, \
		   "venvhook_file_parse(" #text ") is refused", __FILE__, __LINE__); \
	unit_check_str(err, want_err, "  with the message", __FILE__, __LINE__); \
} while (0)

struct seen {
	char path[256], prompt[256];
};

static int record(void *user, const char *section, const char *name, const char *value)
{
	struct seen *s = user;
	(void)section;
	if (strcmp(name, "path") == 0)
		snprintf(s->path, sizeof s->path, "%s", value);
	if (strcmp(name, "prompt") == 0)
		snprintf(s->prompt, sizeof s->prompt, "%s", value);
	return 1;
}

static void test_venvhook_file(void)
{
	setenv("HOME", "/home/u", 1);
	setenv("VENVHOOK_HOME", "/vh", 1);

	printf("# .venvhook files\n");
	CHECK_VH("[env]\npath = /x\nprompt = P\nactivate = false\n", "/x", "P", 0);
	CHECK_VH("[env]\n", "/p/.venv", NULL, 1);
	CHECK_VH("", "/p/.venv", NULL, 1);
	CHECK_VH("; comment\n# comment\n\n[env]\n\npath=./e\n", "/p/e", NULL, 1);
	CHECK_VH("[env]\r\npath = ../e\r\nprompt = my proj\r\n", "/e", "my proj", 1);
	CHECK_VH("[env]\npath = name\n", "/vh/name", NULL, 1);
	CHECK_VH("[env]\npath = ~/e\n", "/home/u/e", NULL, 1);
	CHECK_VH("[env]\n  path   :   /x  \n", "/x", NULL, 1);
	CHECK_VH("[env]\npath = /x ; a comment\n", "/x", NULL, 1);
	CHECK_VH("[env]\npath = /x;y\n", "/x;y", NULL, 1);
	CHECK_VH("\xef\xbb\xbf[env]\npath = /x\n", "/x", NULL, 1);
	CHECK_VH("[env]\nprompt = $(id) `id` %F{red} \\\n", "/p/.venv", "$(id) `id` %F{red} \\", 1);
	CHECK(vh("[env]\nrequirements = reqs/dev.txt\n") == 0);
	CHECK_STR(proj.requirements, "reqs/dev.txt");
	CHECK(vh("[env]\n") == 0 && proj.requirements == NULL);
	/* An empty section elsewhere has no key to complain about. */
	CHECK_VH("[env]\npath = /x\n[other]\n", "/x", NULL, 1);
	static const char *const yes[] = { "true", "True", "yes", "YES", "on", "1" };
	static const char *const no[] = { "false", "FALSE", "no", "No", "off", "0" };
	for (int i = 0; i < 6; i++) {
		char t[64], what[64];
		snprintf(t, sizeof t, "[env]\nactivate = %s\n", yes[i]);
		snprintf(what, sizeof what, "activate = %s", yes[i]);
		unit_check(vh(t) == 0 && proj.activate == 1, what, __FILE__, __LINE__);
		snprintf(t, sizeof t, "[env]\nactivate = %s\n", no[i]);
		snprintf(what, sizeof what, "activate = %s", no[i]);
		unit_check(vh(t) == 0 && proj.activate == 0, what, __FILE__, __LINE__);
	}

	printf("# refused .venvhook files\n");
	CHECK_VH_BAD("[env]\nactivate = maybe\n",
		     "'/p/.venvhook' line 2: activate must be true or false, not 'maybe'");
	CHECK_VH_BAD("[env]\nactivate =\n",
		     "'/p/.venvhook' line 2: activate must be true or false, not ''");
	CHECK_VH_BAD("[env]\nfoo = 1\n", "'/p/.venvhook' line 2: unknown key 'foo' in [env]");
	CHECK_VH_BAD("[env]\nrequirements = /etc/passwd\n",
		     "'/p/.venvhook' line 2: requirements names a file relative to the project");
	CHECK_VH_BAD("[env]\nrequirements = a\nrequirements = b\n",
		     "'/p/.venvhook' line 3: 'requirements' is set twice");
	CHECK_VH_BAD("[env]\nPath = /x\n", "'/p/.venvhook' line 2: unknown key 'Path' in [env]");
	CHECK_VH_BAD("[other]\nx = 1\n", "'/p/.venvhook' line 2: unknown section '[other]'");
	CHECK_VH_BAD("[env]\npath = /x\n[ENV]\nprompt = y\n",
		     "'/p/.venvhook' line 4: unknown section '[ENV]'");
	CHECK_VH_BAD("[env]\npath = /a\npath = /b\n", "'/p/.venvhook' line 3: 'path' is set twice");
	CHECK_VH_BAD("[env]\nprompt = a\n[env]\nprompt = b\n",
		     "'/p/.venvhook' line 4: 'prompt' is set twice");
	CHECK_VH_BAD("[env]\nactivate = no\nactivate = no\n",
		     "'/p/.venvhook' line 3: 'activate' is set twice");
	/* A continuation line would append to path: refused as a second path. */
	CHECK_VH_BAD("[env]\npath = /a\n  /b\n", "'/p/.venvhook' line 3: 'path' is set twice");
	CHECK_VH_BAD("[env\n", "'/p/.venvhook' line 1: syntax error");
	/* The error names the line that is wrong, not a later one. */
	CHECK_VH_BAD("[env\npath = /x\n", "'/p/.venvhook' line 1: syntax error");
	CHECK_VH_BAD("[env]\nprompt = x\n[bad\nactivate = maybe\n",
		     "'/p/.venvhook' line 3: syntax error");
	CHECK_VH_BAD("[env]\nactivate = maybe\n[bad\n",
		     "'/p/.venvhook' line 2: activate must be true or false, not 'maybe'");
	CHECK_VH_BAD("[env]\n\n; c\n\nfoo = 1\n", "'/p/.venvhook' line 5: unknown key 'foo' in [env]");
	CHECK_VH_BAD("[env]\r\nprompt = a\r\nprompt = b\r\n",
		     "'/p/.venvhook' line 3: 'prompt' is set twice");
	CHECK_VH_BAD("[env]\njunk\n", "'/p/.venvhook' line 2: syntax error");
	CHECK_VH_BAD("[env]\npath = a/b\n",
		     "'/p/.venvhook': path 'a/b' is neither a path (/..., ./..., ../..., ~/...) "
		     "nor a bare env name");
	CHECK_VH_BAD("[env]\npath = x..y\n",
		     "'/p/.venvhook': path 'x..y' is neither a path (/..., ./..., ../..., ~/...) "
		     "nor a bare env name");
	CHECK_VH_BAD("[env]\npath =\n", "'/p/.venvhook': path names no env");
	CHECK_VH_BAD("[env]\npath = a\x01z\n",
		     "'/p/.venvhook': path the env's name holds a control character");
	/* A key before any section is refused, on its line. */
	CHECK_VH_BAD("path = /x\n", "'/p/.venvhook' line 1: 'path' is outside the [env] section");
	CHECK_VH_BAD("; c\n\nprompt = x\n[env]\n",
		     "'/p/.venvhook' line 3: 'prompt' is outside the [env] section");
	int r;
	/* The first error is the one reported. */
	CHECK_VH_BAD("[env]\nfoo = 1\nbar = 2\n", "'/p/.venvhook' line 2: unknown key 'foo' in [env]");

	printf("# line length: inih splits lines longer than its buffer\n");
	int max = INI_MAX_LINE - 3;
	struct sbuf t = SBUF_INIT;
	sb_adds(&t, "[env]\nprompt = ");
	while (t.len < 6 + (size_t)max)
		sb_addc(&t, 'B');
	sb_addc(&t, '\n');
	r = vh(t.s);
	unit_check(r == 0 && proj.prompt && strlen(proj.prompt) == (size_t)max - 9,
		   "a line of INI_MAX_LINE - 3 bytes is read whole", __FILE__, __LINE__);
	t.s[--t.len] = '\0';    /* the same as the last line, without its newline */
	unit_check(vh(t.s) == 0 && proj.prompt && strlen(proj.prompt) == (size_t)max - 9,
		   "  also as a last line without a newline", __FILE__, __LINE__);
	sb_adds(&t, "B\n");
	char want[128];
	snprintf(want, sizeof want, "'/p/.venvhook' line 2: longer than %d bytes", max);
	CHECK_VH_BAD(t.s, want);
	/* A CR counts: the line is too long for inih's buffer. */
	t.s[t.len - 2] = '\r';
	CHECK_VH_BAD(t.s, want);
	/* A last line without a newline that cannot fit the buffer with its NUL. */
	t.s[t.len - 2] = 'B';
	t.s[t.len - 1] = 'B';
	sb_addc(&t, 'B');
	CHECK(t.len - 6 == (size_t)INI_MAX_LINE);
	CHECK_VH_BAD(t.s, want);
	/* The long line is found after other errors too, and on its own line. */
	sb_reset(&t);
	sb_adds(&t, "[env]\n\nprompt = ");
	while (t.len < 7 + (size_t)INI_MAX_LINE)
		sb_addc(&t, 'C');
	sb_adds(&t, "\nfoo = 1\n");
	snprintf(want, sizeof want, "'/p/.venvhook' line 3: longer than %d bytes", max);
	CHECK_VH_BAD(t.s, want);
	sb_reset(&t);
	sb_adds(&t, "[env]\nfoo = 1\nprompt = ");
	while (t.len < 14 + (size_t)INI_MAX_LINE)
		sb_addc(&t, 'C');
	CHECK_VH_BAD(t.s, "'/p/.venvhook' line 2: unknown key 'foo' in [env]");
	sb_reset(&t);

	/* The attack the length limit prevents: the tail of a long prompt line
	 * reads as a line of its own that sets path. */
	sb_adds(&t, "[env]\nprompt = ");
	while (t.len < 6 + (size_t)INI_MAX_LINE - 1)
		sb_addc(&t, 'A');
	sb_adds(&t, "path = /evil\n");
	struct seen s = { "", "" };
	int raw = ini_parse_string(t.s, record, &s);
	unit_check(raw == 0 && strcmp(s.path, "/evil") == 0 && s.prompt[0] == 'A',
		   "inih on its own reads the tail of the long line as path = /evil",
		   __FILE__, __LINE__);
	snprintf(want, sizeof want, "'/p/.venvhook' line 2: longer than %d bytes", max);
	CHECK_VH_BAD(t.s, want);
	sb_free(&t);
	project_free(&proj);
}

/* ---- the walk -------------------------------------------------------------- */

static char *root;

static char *at(const char *rel)
{
	return path_join(root, rel);
}

/* Checks the watch list against want: "relpath=0|1" entries, NULL-ended;
 * a relpath starting with '/' is absolute. */
static void check_watch(const struct watch *w, const char *const *want, const char *what)
{
	size_t n = 0;
	int ok = 1;
	for (; want[n]; n++) {
		const char *eq = strrchr(want[n], '=');
		char *rel = xstrndup(want[n], (size_t)(eq - want[n]));
		char *p = rel[0] == '/' ? xstrdup(rel) : at(rel);
		int e = eq[1] == '1';
		if (n >= w->n || strcmp(w->path[n], p) != 0 || w->exists[n] != e) {
			if (ok)
				printf("#   entry %zu: got '%s' %d, want '%s' %d\n", n,
				       n < w->n ? w->path[n] : "(none)", n < w->n ? w->exists[n] : -1,
				       p, e);
			ok = 0;
		}
		free(p);
		free(rel);
	}
	if (w->n != n)
		printf("#   %zu entries, want %zu\n", w->n, n);
	unit_check(ok && w->n == n, what, __FILE__, __LINE__);
}

/* project_find from root/rel. */
static void find(const char *rel, struct project *p, struct watch *w)
{
	char *start = at(rel);
	project_find(config_get(), start, p, w);
	free(start);
}

#define CHECK_AT(got, rel, what) do { \
	char *want_ = (rel) ? at(rel) : NULL; \
	unit_check_str(got, want_, what, __FILE__, __LINE__); \
	free(want_); \
} while (0)

/* True if no directory from dir up to / holds a marker. */
static int no_marker_above(const char *dir)
{
	char *d = xstrdup(dir);
	int none = 1;
	for (;;) {
		char *a = path_join(d, ".venv"), *b = path_join(d, ".venvhook");
		struct stat st;
		if (stat(a, &st) == 0 || stat(b, &st) == 0) {
			printf("# '%s' holds a marker: the walk tests above it cannot pass here\n", d);
			none = 0;
		}
		free(a), free(b);
		if (!path_up(&d))
			break;
	}
	free(d);
	return none;
}

static void test_walk(void)
{
	root = fs_tmpdir("marker_test");
	setenv("VENVHOOK_HOME", root, 1);
	struct project p;
	struct watch w = { 0 };

	char *e1 = at("envs/e1");
	fs_fake_venv(e1, NULL);
	char *a_venv = at("a/.venv");
	fs_fake_venv(a_venv, NULL);
	fs_write(root, "a/b/.venv", "# the project's env\n../../envs/e1\n");
	free(fs_mkdir(root, "a/b/c/d"));

	printf("# the nearest marker wins\n");
	find("a/b/c/d", &p, &w);
	unit_check(p.kind == MARKER_VENV_FILE, "a .venv file two levels up", __FILE__, __LINE__);
	CHECK_AT(p.dir, "a/b", "  project dir");
	CHECK_AT(p.marker, "a/b/.venv", "  marker");
	CHECK_AT(p.env, "envs/e1", "  env");
	CHECK(p.prompt == NULL && p.activate == 1 && p.error == NULL);
	check_watch(&w, (const char *const[]){ "a/b/c/d/.venvhook=0", "a/b/c/d/.venv=0",
		"a/b/c/.venvhook=0", "a/b/c/.venv=0", "a/b/.venvhook=0", "a/b/.venv=1",
		"envs/e1/pyvenv.cfg=1", "envs/e1/bin/python=1", NULL },
		"  the watch list: every candidate up to the marker, then the env's files");
	project_free(&p);
	watch_free(&w);

	find("a", &p, &w);
	unit_check(p.kind == MARKER_VENV_DIR, "a .venv directory", __FILE__, __LINE__);
	CHECK_AT(p.dir, "a", "  project dir");
	CHECK_AT(p.env, "a/.venv", "  env");
	CHECK_AT(p.marker, "a/.venv", "  marker");
	check_watch(&w, (const char *const[]){ "a/.venvhook=0", "a/.venv=1",
		"a/.venv/pyvenv.cfg=1", "a/.venv/bin/python=1", NULL }, "  the watch list");
	project_free(&p);
	watch_free(&w);

	/* The walk does not judge the env: a .venv directory that is no env is
	 * still the marker (and its missing files are watched). */
	free(fs_mkdir(root, "empty/.venv"));
	free(fs_mkdir(root, "empty/sub"));
	find("empty/sub", &p, &w);
	unit_check(p.kind == MARKER_VENV_DIR, "a .venv directory without pyvenv.cfg is the marker",
		   __FILE__, __LINE__);
	check_watch(&w, (const char *const[]){ "empty/sub/.venvhook=0", "empty/sub/.venv=0",
		"empty/.venvhook=0", "empty/.venv=1", "empty/.venv/pyvenv.cfg=0",
		"empty/.venv/bin/python=0", NULL }, "  the watch list");
	project_free(&p);
	watch_free(&w);

	printf("# .venvhook comes before .venv in one directory\n");
	char *hv = at("h/.venv");
	fs_fake_venv(hv, NULL);
	free(hv);
	fs_write(root, "h/.venvhook", "[env]\npath = ./.venv2\nprompt = H\n");
	find("h", &p, &w);
	unit_check(p.kind == MARKER_VENVHOOK, "the .venvhook file wins", __FILE__, __LINE__);
	CHECK_AT(p.marker, "h/.venvhook", "  marker");
	CHECK_AT(p.env, "h/.venv2", "  env");
	CHECK_STR(p.prompt, "H");
	check_watch(&w, (const char *const[]){ "h/.venvhook=1", "h/.venv2/pyvenv.cfg=0",
		"h/.venv2/bin/python=0", NULL }, "  the watch list");
	project_free(&p);
	watch_free(&w);

	fs_write(root, "off/.venvhook", "[env]\nactivate = off\n");
	char *ov = at("off/.venv");
	fs_fake_venv(ov, NULL);
	free(ov);
	find("off", &p, &w);
	unit_check(p.kind == MARKER_VENVHOOK && p.activate == 0 && !p.error,
		   "activate = off is carried", __FILE__, __LINE__);
	CHECK_AT(p.env, "off/.venv", "  env");
	project_free(&p);
	watch_free(&w);

	/* A .venvhook directory is no marker; the .venv file beside it is. */
	free(fs_mkdir(root, "k/.venvhook"));
	fs_write(root, "k/.venv", "e1\n");
	find("k", &p, &w);
	unit_check(p.kind == MARKER_VENV_FILE, "a .venvhook directory is skipped", __FILE__, __LINE__);
	CHECK_AT(p.env, "e1", "  env: a bare name under $VENVHOOK_HOME");
	check_watch(&w, (const char *const[]){ "k/.venvhook=1", "k/.venv=1", "e1/pyvenv.cfg=0",
		"e1/bin/python=0", NULL }, "  the watch list");
	project_free(&p);
	watch_free(&w);

	/* A .venv symlink to an env directory is a .venv directory. */
	free(fs_mkdir(root, "lnk"));
	char *l = at("lnk/.venv");
	CHECK(symlink("../envs/e1", l) == 0);
	find("lnk", &p, &w);
	unit_check(p.kind == MARKER_VENV_DIR, "a .venv symlink to an env", __FILE__, __LINE__);
	CHECK_AT(p.env, "lnk/.venv", "  env: the link, not its target");
	project_free(&p);
	watch_free(&w);
	free(l);

	printf("# markers that cannot be used stop the walk with an error\n");
	struct { const char *dir, *needle; } bad[] = {
		{ "bad/empty", "names no env" },
		{ "bad/refused", "is neither a path" },
		{ "bad/nul", "contains a NUL byte" },
		{ "bad/fifo", "is not a regular file" },
		{ "bad/big", "is larger than 65536 bytes" },
		{ "bad/ini", "line 2: unknown key 'pth' in [env]" },
	};
	fs_write(root, "bad/empty/.venv", "# nothing\n");
	fs_write(root, "bad/refused/.venv", "x/y\n");
	fs_writen(root, "bad/nul/.venv", "/x\0/y\n", 6);
	free(fs_mkdir(root, "bad/fifo"));
	char *fifo = at("bad/fifo/.venv");
	CHECK(mkfifo(fifo, 0644) == 0);
	free(fifo);
	char *big = xmalloc(MARKER_FILE_MAX + 2);
	memset(big, '#', MARKER_FILE_MAX + 1);
	big[MARKER_FILE_MAX + 1] = '\0';
	fs_write(root, "bad/big/.venv", big);
	free(big);
	fs_write(root, "bad/ini/.venvhook", "[env]\npth = /x\n");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *sub = xasprintf("%s/sub", bad[i].dir);
		free(fs_mkdir(root, sub));
		find(sub, &p, &w);
		char *marker = xasprintf("%s/%s", bad[i].dir, i == 5 ? ".venvhook" : ".venv");
		char *mpath = at(marker);
		int ok = p.kind != MARKER_NONE && p.error && !p.env && strstr(p.error, bad[i].needle) &&
			 strstr(p.error, mpath) && !strchr(p.error, '\n');
		char *what = xasprintf("%s: an error naming the marker: %s", bad[i].dir, bad[i].needle);
		unit_check(ok, what, __FILE__, __LINE__);
		if (!ok)
			printf("#   error: %s\n", p.error ? p.error : "(null)");
		CHECK_AT(p.marker, marker, "  marker");
		/* No env: the watch list ends at the marker. */
		unit_check(w.n == (i == 5 ? 3 : 4) && strcmp(w.path[w.n - 1], mpath) == 0,
			   "  no env files watched", __FILE__, __LINE__);
		free(what), free(mpath), free(marker), free(sub);
		project_free(&p);
		watch_free(&w);
	}

	printf("# no marker up to /\n");
	free(fs_mkdir(root, "n/o/p"));
	char *start = at("n/o/p");
	if (no_marker_above(root)) {
		project_find(config_get(), start, &p, &w);
		CHECK(p.kind == MARKER_NONE && !p.dir && !p.marker && !p.env && !p.error);
		size_t depth = 0;
		for (const char *s = start; *s; s++)
			depth += *s == '/';
		CHECK(w.n == 2 * (depth + 1));
		CHECK(w.n >= 2 && strcmp(w.path[w.n - 2], "/.venvhook") == 0 &&
		      strcmp(w.path[w.n - 1], "/.venv") == 0);
		int none = 1;
		for (size_t i = 0; i < w.n; i++)
			none &= !w.exists[i];
		CHECK(none);
		project_free(&p);
		watch_free(&w);
	} else {
		CHECK(!"a marker above the test directory");
	}
	/* A dangling .venv symlink is no marker. */
	char *dl = at("n/o/.venv");
	CHECK(symlink("nowhere", dl) == 0);
	project_find(config_get(), start, &p, &w);
	CHECK(p.kind == MARKER_NONE);
	unit_check(w.n >= 4 && strcmp(w.path[3], dl) == 0 && w.exists[3] == 0,
		   "  a dangling .venv link is watched as missing", __FILE__, __LINE__);
	project_free(&p);
	watch_free(&w);
	free(dl);

	printf("# a directory 1,000 levels deep: the watch stays bounded\n");
	{
		char *deep = at("deep"), *dvenv = at("deep/.venv");
		fs_fake_venv(dvenv, NULL);
		free(dvenv);
		struct sbuf d = SBUF_INIT;
		sb_adds(&d, deep);
		for (int i = 0; i < 1000; i++)
			sb_adds(&d, "/d");
		free(fs_mkdir("/", d.s + 1));
		project_find(config_get(), d.s, &p, &w);
		CHECK(p.kind == MARKER_VENV_DIR);
		CHECK_AT(p.dir, "deep", "  the project 1,000 levels up is found");
		size_t bytes = 0;
		for (size_t i = 0; i < w.n; i++)
			bytes += strlen(w.path[i]);
		char *dvh = path_join(d.s, ".venvhook"), *dv = path_join(d.s, ".venv");
		char *mk = at("deep/.venv"), *cfg = at("deep/.venv/pyvenv.cfg");
		unit_check(bytes <= WATCH_WALK_MAX + 4 * strlen(cfg) + 64,
			   "  the watch holds kilobytes, not megabytes", __FILE__, __LINE__);
		if (bytes > WATCH_WALK_MAX + 4 * strlen(cfg) + 64)
			printf("#   %zu bytes in %zu entries\n", bytes, w.n);
		unit_check(w.n >= 6 && strcmp(w.path[0], dvh) == 0 && strcmp(w.path[1], dv) == 0 &&
			   !w.exists[0] && !w.exists[1], "  it starts with the current directory's candidates",
			   __FILE__, __LINE__);
		unit_check(w.n >= 6 && strcmp(w.path[w.n - 3], mk) == 0 && w.exists[w.n - 3] &&
			   strcmp(w.path[w.n - 2], cfg) == 0 && w.exists[w.n - 2],
			   "  and ends with the marker found and the env's files", __FILE__, __LINE__);
		project_free(&p);
		watch_free(&w);
		/* Shallow walks are not bounded: every candidate is watched. */
		char *shallow = at("deep/d/d/d");
		project_find(config_get(), shallow, &p, &w);
		CHECK(w.n == 2 * 4 + 2);
		project_free(&p);
		watch_free(&w);
		free(shallow), free(dvh), free(dv), free(mk), free(cfg), free(deep);
		sb_free(&d);
	}

	/* marker_load on its own. */
	CHECK(marker_load(root, ".venv", MARKER_VENV_FILE, &p, NULL) == 0 && p.kind == MARKER_NONE);
	char *adir = at("a");
	CHECK(marker_load(adir, ".venv", MARKER_VENV_FILE, &p, NULL) == 1 &&
	      p.kind == MARKER_VENV_DIR);
	project_free(&p);
	free(adir);

	free(start);
	free(a_venv);
	free(e1);
	fs_rm_rf(root);
	free(root);
}

int main(void)
{
	test_venv_file();
	test_venvhook_file();
	test_walk();
	return unit_done();
}
