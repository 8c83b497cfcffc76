/* venv_test.c: pyvenv.cfg, Python string literals, env names and venv_check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "unit.h"
#include "venv.h"

static struct venv_cfg cfg;

/* text read as pyvenv.cfg, and one field of it ("site": system_site, "0" or "1"). */
static const char *cfg_field(const char *text, const char *field)
{
	venv_cfg_free(&cfg);
	venv_cfg_parse(text, &cfg);
	if (strcmp(field, "site") == 0)
		return cfg.system_site ? "1" : "0";
	static const char *const names[] = { "home", "version", "prompt", "executable", "command" };
	const char *const values[] = { cfg.home, cfg.version, cfg.prompt, cfg.executable, cfg.command };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(field, names[i]) == 0)
			return values[i];
	abort();
}

/* pyvenv.cfg as python -m venv writes it; keys in other cases; odd spacing. */
static const char cfg_venv[] = "home = /usr/bin\ninclude-system-site-packages = false\n"
	"version = 3.11.2\nexecutable = /usr/bin/python3.11\n"
	"command = /usr/bin/python3 -m venv --prompt=x /e\n";
static const char cfg_case[] = "Home = /a\r\nVERSION = 3.12.0\r\n"
	"Include-System-Site-Packages = FALSE\r\n";
static const char cfg_spaced[] = "home=/a b\nversion   \t=\t 3.13.1  \t\n";

static void test_cfg(void)
{
	printf("# pyvenv.cfg\n");
	static const struct { const char *text, *field, *want; } cases[] = {
		/* As python -m venv writes it. */
		{ cfg_venv, "home", "/usr/bin" },
		{ cfg_venv, "version", "3.11.2" },
		{ cfg_venv, "executable", "/usr/bin/python3.11" },
		{ cfg_venv, "command", "/usr/bin/python3 -m venv --prompt=x /e" },
		{ cfg_venv, "prompt", NULL },
		{ cfg_venv, "site", "0" },
		/* Keys are case-insensitive; spacing and CRs are trimmed. */
		{ cfg_case, "home", "/a" },
		{ cfg_case, "version", "3.12.0" },
		{ cfg_case, "site", "0" },
		{ cfg_spaced, "home", "/a b" },
		{ cfg_spaced, "version", "3.13.1" },
		{ "  home = /x\n\n# a comment line has no '='\ngarbage\n", "home", "/x" },
		/* include-system-site-packages: missing means true, as in site.py. */
		{ "home = /usr/bin\n", "site", "1" },
		{ "include-system-site-packages = true\n", "site", "1" },
		{ "include-system-site-packages = True\n", "site", "1" },
		{ "include-system-site-packages = false\n", "site", "0" },
		/* site.py compares the lowercased value with "true". */
		{ "include-system-site-packages = yes\n", "site", "0" },
		{ "include-system-site-packages = false\ninclude-system-site-packages = true\n", "site",
		  "1" },
		/* A key site.py's regex would not match is not the key. */
		{ "include system site packages = false\n", "site", "1" },
		/* version and version_info (virtualenv, uv). */
		{ "version_info = 3.12.1.final.0\n", "version", "3.12.1.final.0" },
		{ "version = 3.11.2\nversion_info = 3.12.0\n", "version", "3.11.2" },
		{ "version_info = 3.12.0\nversion = 3.11.2\n", "version", "3.11.2" },
		/* home: the first wins, as in getpath.py. */
		{ "home = /first\nhome = /second\n", "home", "/first" },
		/* prompt: a Python repr (venv) or a bare value (virtualenv, uv). */
		{ "prompt = 'my env'\n", "prompt", "my env" },
		{ "prompt = \"my env\"\n", "prompt", "my env" },
		{ "prompt = plain\n", "prompt", "plain" },
		{ "prompt = 'it\\'s'\n", "prompt", "it's" },
		{ "prompt = \"it's\"\n", "prompt", "it's" },
		{ "prompt = 'a\\x1bb\\tc\\\\d'\n", "prompt", "a\x1b" "b\tc\\d" },
		{ "prompt = 'caf\xc3\xa9 \\u200b \\U0001f600'\n", "prompt",
		  "caf\xc3\xa9 \xe2\x80\x8b \xf0\x9f\x98\x80" },
		{ "prompt = 'first'\nprompt = 'second'\n", "prompt", "second" },
		{ "PROMPT = 'x = y'\n", "prompt", "x = y" },
		{ "prompt =\n", "prompt", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = unit_literal(cases[i].text);
		char *what = xasprintf("pyvenv.cfg %s: %s", text, cases[i].field);
		unit_check_str(cfg_field(cases[i].text, cases[i].field), cases[i].want, what, __FILE__,
			       __LINE__);
		free(what), free(text);
	}
	CHECK_STR(cfg_field("", "site"), "1");
	CHECK(cfg.system_site == 1 && !cfg.home && !cfg.version && !cfg.prompt && !cfg.executable &&
	      !cfg.command);
	venv_cfg_free(&cfg);
	CHECK(cfg.home == NULL && cfg.prompt == NULL);
}

#define CHECK_UNREPR(in, want) CHECK_OWNED_STR(py_unrepr(in), want)

static void test_unrepr(void)
{
	printf("# py_unrepr\n");
	CHECK_UNREPR("'abc'", "abc");
	CHECK_UNREPR("\"abc\"", "abc");
	CHECK_UNREPR("''", "");
	CHECK_UNREPR("\"\"", "");
	CHECK_UNREPR("abc", "abc");
	CHECK_UNREPR("", "");
	CHECK_UNREPR("'", "'");
	CHECK_UNREPR("\"", "\"");
	CHECK_UNREPR("'abc\"", "'abc\"");          /* unmatched: as is */
	CHECK_UNREPR("'a'b'", "a'b");              /* not Python, but no harm */
	CHECK_UNREPR("'a\\'b'", "a'b");
	CHECK_UNREPR("\"a\\\"b\"", "a\"b");
	CHECK_UNREPR("'a\\\\b'", "a\\b");
	CHECK_UNREPR("'\\n\\t\\r'", "\n\t\r");
	CHECK_UNREPR("'\\x41\\x7e'", "A~");
	CHECK_UNREPR("'\\xe9'", "\xc3\xa9");       /* a code point, written as UTF-8 */
	CHECK_UNREPR("'\\xE9'", "\xc3\xa9");
	CHECK_UNREPR("'\\u00e9'", "\xc3\xa9");
	CHECK_UNREPR("'\\u20ac'", "\xe2\x82\xac");
	CHECK_UNREPR("'\\U0001F600'", "\xf0\x9f\x98\x80");
	CHECK_UNREPR("'\\U0010ffff'", "\xf4\x8f\xbf\xbf");
	CHECK_UNREPR("'\\U00110000'", "?");        /* beyond Unicode */
	CHECK_UNREPR("'a\\x00b'", "ab");           /* NUL cannot be carried: dropped */
	CHECK_UNREPR("'a\\u0000b'", "ab");
	CHECK_UNREPR("'\\x4'", "\\x4");            /* too few digits: literal */
	CHECK_UNREPR("'\\xzz'", "\\xzz");
	CHECK_UNREPR("'\\u12'", "\\u12");
	CHECK_UNREPR("'\\q'", "\\q");              /* unknown escape: literal */
	CHECK_UNREPR("'a\\'", "a\\");              /* a trailing backslash */
	CHECK_UNREPR("'\\x41\\x42\\x43'", "ABC");
	CHECK_UNREPR("'\\x411'", "A1");
}

/* What Python itself writes: repr() of strings, decoded back. */
static void test_unrepr_python(void)
{
	static const char *const strs[] = {
		"plain", "it's", "say \"hi\"", "both ' and \"", "back\\slash", "tab\tnl\ncr\r",
		"\x01\x1b[31m\x7f", "caf\xc3\xa9", "\xe2\x80\x8b zero width", "\xc2\x85 NEL",
		"\xf0\x9f\x98\x80", "\xed\x9f\xbf", "$(id) `id` %F", "", " ", "'", "\"", "\\'",
	};
	size_t n = sizeof strs / sizeof strs[0];
	char *argv[32] = { "/usr/bin/python3", "-c",
			   "import sys\nfor a in sys.argv[1:]: print(repr(a))" };
	for (size_t i = 0; i < n; i++)
		argv[3 + i] = (char *)strs[i];
	argv[3 + n] = NULL;
	char *envp[] = { "LC_ALL=C.UTF-8", "PYTHONIOENCODING=utf-8", NULL };
	struct sbuf out = SBUF_INIT;
	int status = fs_capture(argv, envp, NULL, &out);
	unit_check(status == 0, "/usr/bin/python3 prints the reprs", __FILE__, __LINE__);
	char *line = out.s;
	size_t bad = 0, i = 0;
	for (; i < n && line && *line; i++) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *got = py_unrepr(line);
		if (strcmp(got, strs[i]) != 0 && bad++ < 5)
			printf("#   repr %s decoded to '%s'\n", line, got);
		free(got);
		line = nl ? nl + 1 : NULL;
	}
	unit_check(bad == 0 && i == n, "py_unrepr decodes what Python's repr() writes", __FILE__,
		   __LINE__);
	sb_free(&out);
}

static void test_names(void)
{
	printf("# venv_name\n");
	struct venv_cfg pc = { 0 }, np = { 0 }, ep = { 0 };
	pc.prompt = "from-cfg";
	ep.prompt = "";
	CHECK_OWNED_STR(venv_name("/p/.venv", "/p", "override", &pc), "override");
	CHECK_OWNED_STR(venv_name("/p/.venv", "/p", "", &pc), "from-cfg");
	CHECK_OWNED_STR(venv_name("/p/.venv", "/p", NULL, &pc), "from-cfg");
	CHECK_OWNED_STR(venv_name("/p/.venv", "/p", NULL, &np), "p");
	CHECK_OWNED_STR(venv_name("/p/.venv", "/p", NULL, &ep), "p");
	CHECK_OWNED_STR(venv_name("/p/.venv", "/p", NULL, NULL), "p");
	CHECK_OWNED_STR(venv_name("/home/u/proj/venv", "/home/u/proj", NULL, NULL), "proj");
	CHECK_OWNED_STR(venv_name("/envs/.venv", "/home/u/proj", NULL, NULL), "proj");
	CHECK_OWNED_STR(venv_name("/envs/foo", "/home/u/proj", NULL, NULL), "foo");
	CHECK_OWNED_STR(venv_name("/p/.venv2", "/p", NULL, NULL), ".venv2");
	CHECK_OWNED_STR(venv_name("/p/env", "/p", NULL, NULL), "env");
	CHECK_OWNED_STR(venv_name("/.venv", "/", NULL, NULL), "/");
	CHECK_OWNED_STR(venv_name("/p/.venv", NULL, NULL, NULL), ".venv");
	CHECK_OWNED_STR(venv_name("/p/a'b$(c)", "/p", NULL, NULL), "a'b$(c)");

	printf("# venv_prompt_var: \"(name) \" before Python 3.13, the bare name from 3.13\n");
	static const struct { const char *version, *want; } v[] = {
		{ "3.12.1", "(n) " }, { "3.12", "(n) " }, { "3.10.12", "(n) " }, { "3.9.0", "(n) " },
		{ "2.7.18", "(n) " }, { "3.12.1.final.0", "(n) " }, { "3.13.0", "n" },
		{ "3.13", "n" }, { "3.14.0a1", "n" }, { "4.0", "n" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct venv_cfg c = { 0 };
		c.version = (char *)v[i].version;
		char *got = venv_prompt_var("n", &c);
		char *what = xasprintf("version %s: '%s'", v[i].version, v[i].want);
		unit_check_str(got, v[i].want, what, __FILE__, __LINE__);
		free(what);
		free(got);
	}
}

/* ---- venv_check on real directories ------------------------------------------ */

static char *root;
static char why[1024];

static enum venv_state check(const char *env, struct stat *st)
{
	struct stat dummy;
	char *real;
	why[0] = '\0';
	enum venv_state r = venv_check(env, st ? st : &dummy, &real, why, sizeof why);
	free(real);
	return r;
}

/* state, and a one-line reason holding needle. */
static void expect(const char *rel, enum venv_state want, const char *needle, const char *what)
{
	char *env = rel[0] == '/' ? xstrdup(rel) : path_join(root, rel);
	enum venv_state got = check(env, NULL);
	int ok = got == want && (want == VENV_OK ? 1 : why[0] && !strchr(why, '\n') &&
				 strstr(why, needle) != NULL);
	unit_check(ok, what, __FILE__, __LINE__);
	if (!ok)
		printf("#   state %d (want %d), why '%s' (want '%s')\n", got, want, why, needle);
	free(env);
}

static void test_check(void)
{
	umask(022);
	root = fs_tmpdir("venv_test");
	chmod(root, 0755);
	char *ok = path_join(root, "ok");
	fs_fake_venv(ok, NULL);

	printf("# venv_check\n");
	struct stat st, want;
	CHECK(check(ok, &st) == VENV_OK && stat(ok, &want) == 0 && st.st_ino == want.st_ino);
	expect("ok", VENV_OK, NULL, "a venv");
	char *link = path_join(root, "link");
	CHECK(symlink("ok", link) == 0);
	expect("link", VENV_OK, NULL, "a link to a venv");

	expect("missing", VENV_MISSING, "missing' does not exist", "a missing env");
	fs_write(root, "file", "x");
	expect("file", VENV_MISSING, "file'", "a regular file is no env");
	free(fs_mkdir(root, "plain"));
	expect("plain", VENV_NOT_VENV, "no pyvenv.cfg", "a directory without pyvenv.cfg");
	free(fs_mkdir(root, "cfgdir/pyvenv.cfg"));
	expect("cfgdir", VENV_NOT_VENV, "no pyvenv.cfg", "a pyvenv.cfg that is a directory");
	fs_write(root, "nobin/pyvenv.cfg", "home = /usr/bin\n");
	expect("nobin", VENV_NO_PYTHON, "nobin/bin/python'", "no bin/");
	fs_write(root, "nopy/pyvenv.cfg", "home = /usr/bin\n");
	free(fs_mkdir(root, "nopy/bin"));
	expect("nopy", VENV_NO_PYTHON, "nopy/bin/python'", "no bin/python");
	fs_write(root, "dangling/pyvenv.cfg", "home = /usr/bin\n");
	char *dbin = fs_mkdir(root, "dangling/bin"), *dpy = path_join(dbin, "python");
	CHECK(symlink("/nonexistent/python3", dpy) == 0);
	expect("dangling", VENV_NO_PYTHON, "is missing or its interpreter is gone",
	       "bin/python a dangling link");
	free(dpy), free(dbin);

	printf("# venv_check: permissions\n");
	/* Group write counts only through a group with other members (owner_test.c). */
	if (geteuid() == 0) {
		CHECK(chown(ok, (uid_t)-1, 54321) == 0 && chmod(ok, 0775) == 0);
		expect("ok", VENV_WRITABLE, "ok' is writable by group 54321", "a group-writable env");
		CHECK(chown(ok, (uid_t)-1, 0) == 0);
	}
	CHECK(chmod(ok, 0757) == 0);
	expect("ok", VENV_WRITABLE, "ok' is writable by others", "an other-writable env");
	CHECK(chmod(ok, 0777) == 0);
	expect("ok", VENV_WRITABLE, "ok' is writable by others", "a world-writable env");
	CHECK(chmod(ok, 0700) == 0);
	expect("ok", VENV_OK, NULL, "mode 0700");
	CHECK(chmod(ok, 0755) == 0);
	char *bin = path_join(ok, "bin");
	if (geteuid() == 0) {
		CHECK(chown(bin, (uid_t)-1, 54321) == 0 && chmod(bin, 0775) == 0);
		expect("ok", VENV_WRITABLE, "ok/bin' is writable by group 54321", "a group-writable bin/");
		CHECK(chown(bin, (uid_t)-1, 0) == 0);
	}
	CHECK(chmod(bin, 0777) == 0);
	expect("ok", VENV_WRITABLE, "ok/bin' is writable by others", "a world-writable bin/");
	CHECK(chmod(bin, 0755) == 0);
	expect("ok", VENV_OK, NULL, "modes restored");

	/* bin/ as a link to a directory someone else may control. */
	char *lb = path_join(root, "linkbin");
	fs_write(lb, "pyvenv.cfg", "home = /usr/bin\n");
	char *real = fs_mkdir(root, "realbin"), *rp = path_join(real, "python");
	CHECK(symlink("/usr/bin/python3", rp) == 0);
	char *lbb = path_join(lb, "bin");
	CHECK(symlink("../realbin", lbb) == 0);
	expect("linkbin", VENV_FOREIGN, "linkbin/bin' is a symbolic link", "bin/ a symbolic link");
	free(lbb), free(rp), free(real), free(lb);

	if (geteuid() == 0) {
		/* Only root can give a directory to another user. */
		CHECK(chown(ok, 12345, 12345) == 0);
		expect("ok", VENV_FOREIGN, "ok' belongs to another user", "an env of another user");
		CHECK(chown(ok, 0, 0) == 0 && chown(bin, 12345, 0) == 0);
		expect("ok", VENV_FOREIGN, "ok/bin' belongs to another user",
		       "a bin/ of another user");
		CHECK(chown(bin, 0, 0) == 0);
		expect("ok", VENV_OK, "", "root's env is accepted");
	} else {
		printf("# not root: an env owned by another user cannot be made here\n");
	}
	/* Permissions of the env are checked before bin/. */
	CHECK(chmod(ok, 0777) == 0 && chmod(bin, 0777) == 0);
	expect("ok", VENV_WRITABLE, "ok' is writable by others", "the env is named first");
	CHECK(chmod(ok, 0755) == 0 && chmod(bin, 0755) == 0);

	printf("# venv_check: paths that PATH cannot carry, even for a valid env\n");
	char *colon = path_join(root, "a:b"), *nl = path_join(root, "a\nb");
	fs_fake_venv(colon, NULL);
	fs_fake_venv(nl, NULL);
	expect("a:b", VENV_BAD_PATH, "holds a ':'", "':' in the path");
	expect("a\nb", VENV_BAD_PATH, "holds a newline", "a newline in the path");
	expect("/nonexistent/x:y", VENV_BAD_PATH, "holds a ':'", "checked before anything else");
	free(colon), free(nl);

	printf("# venv_looks_like\n");
	CHECK(venv_looks_like(ok));
	char *plain = path_join(root, "plain"), *cd = path_join(root, "cfgdir");
	CHECK(!venv_looks_like(plain) && !venv_looks_like(cd));
	free(plain), free(cd);

	printf("# venv_cfg_load\n");
	char err[512];
	fs_write(ok, "pyvenv.cfg", "home = /usr/bin\nversion = 3.12.3\nprompt = 'P'\n");
	venv_cfg_free(&cfg);
	CHECK(venv_cfg_load(ok, &cfg, err, sizeof err) == 0);
	CHECK_STR(cfg.version, "3.12.3");
	CHECK_STR(cfg.prompt, "P");
	venv_cfg_free(&cfg);
	char *missing = path_join(root, "plain");
	CHECK(venv_cfg_load(missing, &cfg, err, sizeof err) < 0);
	CHECK(strstr(err, "cannot read '") && strstr(err, "plain/pyvenv.cfg': "));
	free(missing);
	fs_writen(ok, "pyvenv.cfg", "home = /x\0", 10);
	CHECK(venv_cfg_load(ok, &cfg, err, sizeof err) < 0 && strstr(err, "NUL"));

	/* A prompt set with python -m venv --prompt comes back exactly. */
	const char *prompt = "it's \"x\" $(id) \\ caf\xc3\xa9 \xf0\x9f\x98\x80 tab\tend";
	char *pv = path_join(root, "pv");
	char *argv[] = { "/usr/bin/python3", "-m", "venv", "--without-pip", "--prompt",
			 (char *)prompt, pv, NULL };
	char *envp[] = { "LC_ALL=C.UTF-8", "PATH=/usr/bin:/bin", NULL };
	struct sbuf out = SBUF_INIT;
	unit_check(fs_capture(argv, envp, NULL, &out) == 0, "python3 -m venv --prompt works",
		   __FILE__, __LINE__);
	venv_cfg_free(&cfg);
	CHECK(venv_cfg_load(pv, &cfg, err, sizeof err) == 0);
	unit_check_str(cfg.prompt, prompt, "the prompt of a real venv, decoded", __FILE__, __LINE__);
	expect("pv", VENV_OK, NULL, "a real venv made by python3 -m venv");
	venv_cfg_free(&cfg);
	sb_free(&out);
	free(pv);

	free(bin), free(link), free(ok);
	fs_rm_rf(root);
	free(root);
}

int main(void)
{
	test_cfg();
	test_unrepr();
	test_unrepr_python();
	test_names();
	test_check();
	return unit_done();
}
