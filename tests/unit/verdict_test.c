/* verdict_test.c: what should be active in a directory, and current_dir(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fsutil.h"
#include "unit.h"
#include "verdict.h"

static char *root;

static char *at(const char *rel)
{
	return path_join(root, rel);
}

static const char *kind_str(enum verdict_kind k)
{
	static const char *const names[] = { "none", "activate", "disabled", "error", "broken",
					     "unsafe", "untrusted", "denied" };
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* verdict_for(root/rel): kind, name (or NULL) and a why holding needle. */
static void expect(const char *rel, enum verdict_kind kind, const char *name, const char *needle)
{
	char *dir = at(rel);
	struct verdict v;
	verdict_for(config_get(), dir, &v, NULL);
	int ok = v.kind == kind && (!name || (v.name && strcmp(v.name, name) == 0)) &&
		 (needle ? strstr(v.why, needle) != NULL : v.why[0] == '\0') && !strchr(v.why, '\n');
	char *what = xasprintf("%s: %s%s%s", rel, kind_str(kind), name ? ", named " : "",
			       name ? name : "");
	unit_check(ok, what, __FILE__, __LINE__);
	if (!ok)
		printf("#   got %s, name '%s', why '%s'\n", kind_str(v.kind), v.name ? v.name : "",
		       v.why);
	free(what);
	verdict_free(&v);
	free(dir);
}

static void allow(const char *rel, int yes)
{
	char *env = at(rel), *real = realpath(env, NULL), err[512];
	struct env_id id;
	if (!real || env_id_get(real, &id) < 0 || trust_set(real, &id, yes, err, sizeof err) < 0) {
		printf("Bail out! cannot record trust for '%s'\n", env);
		exit(1);
	}
	free(real);
	free(env);
}

static void test_verdicts(void)
{
	printf("# verdict_for\n");
	char *p;
	fs_fake_venv(p = at("envs/e1"), NULL);
	free(p);
	fs_fake_venv(p = at("ok/.venv"), "home = /usr/bin\nversion = 3.12.0\nprompt = 'Ok Env'\n");
	free(p);
	fs_fake_venv(p = at("untrusted/.venv"), NULL);
	free(p);
	fs_fake_venv(p = at("denied/.venv"), NULL);
	free(p);
	fs_fake_venv(p = at("unsafe/.venv"), NULL);
	free(p);
	fs_fake_venv(p = at("off/.venv"), NULL);
	free(p);
	fs_write(root, "off/.venvhook", "[env]\nactivate = false\n");
	fs_fake_venv(p = at("badcfg/.venv"), NULL);
	fs_writen(p, "pyvenv.cfg", "home = /x\0", 10);
	free(p);
	fs_write(root, "broken/.venv", "nosuch\n");
	fs_write(root, "error/.venv", "a/b\n");
	fs_write(root, "named/.venv", "e1\n");
	free(fs_mkdir(root, "none/sub"));
	free(fs_mkdir(root, "ok/src/deep"));
	allow("ok/.venv", 1);
	allow("denied/.venv", 0);
	allow("unsafe/.venv", 1);
	allow("envs/e1", 1);
	allow("off/.venv", 1);
	char *u = at("unsafe/.venv");
	chmod(u, 0757);
	free(u);

	expect("none/sub", VERDICT_NONE, NULL, NULL);
	expect("ok", VERDICT_ACTIVATE, "Ok Env", NULL);
	expect("ok/src/deep", VERDICT_ACTIVATE, "Ok Env", NULL);
	expect("named", VERDICT_ACTIVATE, "e1", NULL);
	expect("untrusted", VERDICT_UNTRUSTED, "untrusted", "is not trusted; 'venvhook allow'");
	expect("denied", VERDICT_DENIED, "denied", "is denied");
	expect("unsafe", VERDICT_UNSAFE, "unsafe", "is writable by others");
	/* An unsafe env still shows the trust it was given. */
	char *ud = at("unsafe");
	struct verdict uv;
	verdict_for(config_get(), ud, &uv, NULL);
	unit_check(uv.kind == VERDICT_UNSAFE && uv.trust == TRUST_ALLOWED,
		   "an allowed env made writable by others is unsafe, and still allowed", __FILE__,
		   __LINE__);
	verdict_free(&uv);
	free(ud);
	expect("off", VERDICT_DISABLED, "off", "says activate = false");
	expect("broken", VERDICT_BROKEN, "nosuch", "does not exist");
	expect("badcfg", VERDICT_BROKEN, "badcfg", "pyvenv.cfg' contains a NUL byte");
	expect("error", VERDICT_ERROR, NULL, "'a/b' is neither a path");

	/* What an activation needs: the real path and the identity. */
	char *dir = at("ok/src"), *env = at("ok/.venv");
	struct verdict v;
	verdict_for(config_get(), dir, &v, NULL);
	CHECK_STR(v.proj.env, env);
	CHECK_STR(v.real, env);
	CHECK_STR(v.cfg.version, "3.12.0");
	CHECK(v.trust == TRUST_ALLOWED && v.state == VENV_OK);
	verdict_free(&v);
	free(env), free(dir);

	/* An env removed and made again is no longer trusted. */
	char *e1 = at("envs/e1");
	fs_rm_rf(e1);
	fs_fake_venv(e1, NULL);
	free(e1);
	expect("named", VERDICT_UNTRUSTED, "e1", "is not the env that was allowed");

	printf("# verdict_for_arg\n");
	char err[1024];
	char *cwd = at("ok/src");
	CHECK(chdir(cwd) == 0);
	setenv("PWD", cwd, 1);
	struct { const char *arg; enum marker_kind kind; const char *env, *dir; } args[] = {
		{ "..", MARKER_VENV_DIR, "ok/.venv", "ok" },
		{ ".", MARKER_VENV_DIR, "ok/.venv", "ok" },
		{ "../.venv", MARKER_VENV_DIR, "ok/.venv", "ok" },
		{ "../../named/.venv", MARKER_VENV_FILE, "envs/e1", "named" },
		{ "../../off/.venvhook", MARKER_VENVHOOK, "off/.venv", "off" },
		{ "../../envs/e1", MARKER_VENV_DIR, "envs/e1", "envs" },
		{ "../../named", MARKER_VENV_FILE, "envs/e1", "named" },
	};
	for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
		char *want_env = at(args[i].env), *want_dir = at(args[i].dir);
		int r = verdict_for_arg(config_get(), args[i].arg, &v, err, sizeof err);
		int ok = r == 0 && v.proj.kind == args[i].kind && v.proj.env &&
			 strcmp(v.proj.env, want_env) == 0 && v.proj.dir &&
			 strcmp(v.proj.dir, want_dir) == 0;
		char *what = xasprintf("verdict_for_arg(config_get(), %s)", args[i].arg);
		unit_check(ok, what, __FILE__, __LINE__);
		if (!ok)
			printf("#   r %d kind %d env '%s' dir '%s' err '%s'\n", r, v.proj.kind,
			       v.proj.env ? v.proj.env : "", v.proj.dir ? v.proj.dir : "",
			       r ? err : "");
		free(what), free(want_env), free(want_dir);
		if (r == 0)
			verdict_free(&v);
	}
	struct { const char *arg, *err; } bad[] = {
		{ "../../nosuch", "cannot find '../../nosuch': No such file or directory" },
		{ "../.venv/pyvenv.cfg",
		  "'../.venv/pyvenv.cfg' is neither an env, a project directory nor a marker file" },
		{ "../../none/sub", "no env found from '../../none/sub'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		int r = verdict_for_arg(config_get(), bad[i].arg, &v, err, sizeof err);
		char *what = xasprintf("verdict_for_arg(config_get(), %s) fails", bad[i].arg);
		unit_check(r < 0, what, __FILE__, __LINE__);
		unit_check_str(err, bad[i].err, "  with the message", __FILE__, __LINE__);
		verdict_free(&v);
		free(what);
	}
	free(cwd);
}

static void test_current_dir(void)
{
	printf("# current_dir: $PWD when it names \".\", else getcwd()\n");
	char *real = fs_mkdir(root, "cd/real"), *link = at("cd/link");
	CHECK(symlink("real", link) == 0);
	CHECK(chdir(real) == 0);
	char *d;
	setenv("PWD", link, 1);
	d = current_dir();
	unit_check_str(d, link, "a logical $PWD through a symlink is kept", __FILE__, __LINE__);
	free(d);
	char *messy = xasprintf("%s/./../link//", link);
	setenv("PWD", messy, 1);
	d = current_dir();
	unit_check_str(d, link, "  and normalized", __FILE__, __LINE__);
	free(d), free(messy);
	setenv("PWD", root, 1);
	d = current_dir();
	unit_check_str(d, real, "a $PWD that names another directory is not used", __FILE__,
		       __LINE__);
	free(d);
	setenv("PWD", "cd/real", 1);
	d = current_dir();
	unit_check_str(d, real, "a relative $PWD is not used", __FILE__, __LINE__);
	free(d);
	setenv("PWD", "/nonexistent/dir", 1);
	d = current_dir();
	unit_check_str(d, real, "a $PWD that does not exist is not used", __FILE__, __LINE__);
	free(d);
	unsetenv("PWD");
	d = current_dir();
	unit_check_str(d, real, "no $PWD", __FILE__, __LINE__);
	free(d);
	free(link), free(real);
}

int main(void)
{
	umask(022);
	char *r = fs_tmpdir("verdict_test");
	root = realpath(r, NULL);
	free(r);
	char *data = at("data"), *envs = at("envs");
	setenv("XDG_DATA_HOME", data, 1);
	setenv("VENVHOOK_HOME", envs, 1);
	test_verdicts();
	test_current_dir();
	CHECK(chdir("/") == 0);
	fs_rm_rf(root);
	free(data), free(envs), free(root);
	return unit_done();
}
