/* migrate_test.c: markers of the tools people come from: a pyenv-virtualenv
 * .python-version, zsh-autoswitch-virtualenv's $AUTOSWITCH_VIRTUAL_ENV_DIR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fsutil.h"
#include "marker.h"
#include "migrate.h"
#include "unit.h"

#define CHECK_PV(text, want) CHECK_OWNED_STR(python_version_parse(text), want)

static void test_parse(void)
{
	CHECK_PV("myenv\n", "myenv");
	CHECK_PV("myenv", "myenv");
	CHECK_PV("  myenv  \r\n", "myenv");
	CHECK_PV("# a comment\n\n3.12.1/envs/myenv\n", "3.12.1/envs/myenv");
	CHECK_PV("first second\n", "first");            /* pyenv's several versions: the first */
	CHECK_PV("first\nsecond\n", "first");
	CHECK_PV("3.12.1\n", "3.12.1");
	CHECK_PV("", NULL);
	CHECK_PV("# only a comment\n", NULL);
	/* Nothing that leaves $PYENV_ROOT/versions (pyenv CVE-2022-35861). */
	CHECK_PV("../../../tmp/evil\n", NULL);
	CHECK_PV("a/../../evil\n", NULL);
	CHECK_PV("/tmp/evil\n", NULL);
	CHECK_PV("..\n", NULL);
	CHECK_PV("a//b\n", NULL);
	CHECK_PV("./a\n", NULL);
	CHECK_PV("a\x01" "b\n", NULL);
}

static char *root;

static char *at(const char *rel)
{
	return path_join(root, rel);
}

static void test_walk(void)
{
	struct project p;
	struct watch w = { 0 };
	char *pyenv = at("pyenv");
	setenv("PYENV_ROOT", pyenv, 1);
	setenv("HOME", root, 1);
	unsetenv("VENVHOOK_HOME");
	unsetenv("WORKON_HOME");
	/* pyenv-virtualenv's layout: versions/3.12.1/envs/myenv, and a link to it. */
	char *real = at("pyenv/versions/3.12.1/envs/myenv");
	fs_fake_venv(real, NULL);
	char *link = at("pyenv/versions/myenv");
	CHECK(symlink("3.12.1/envs/myenv", link) == 0);
	free(fs_mkdir(root, "pyenv/versions/3.12.1/bin"));

	fs_write(root, "proj/.python-version", "myenv\n");
	free(fs_mkdir(root, "proj/sub"));
	char *start = at("proj/sub");
	project_find(config_get(), start, &p, &w);
	unit_check(p.kind == MARKER_PYTHON_VERSION, "a .python-version naming a pyenv-virtualenv env",
		   __FILE__, __LINE__);
	char *want = at("proj");
	CHECK_STR(p.dir, want);
	free(want);
	want = at("proj/.python-version");
	CHECK_STR(p.marker, want);
	free(want);
	CHECK_STR(p.env, link);
	CHECK(p.activate == 1 && !p.error && !p.prompt);
	/* Watched: each level's candidates, then the named env's pyvenv.cfg. */
	int seen_pv = 0, seen_cfg = 0;
	for (size_t i = 0; i < w.n; i++) {
		seen_pv |= strstr(w.path[i], "/proj/sub/.python-version") && !w.exists[i];
		seen_cfg |= strstr(w.path[i], "/pyenv/versions/myenv/pyvenv.cfg") && w.exists[i];
	}
	CHECK(seen_pv && seen_cfg);
	project_free(&p);
	watch_free(&w);

	fs_write(root, "proj2/.python-version", "3.12.1/envs/myenv\n");
	char *p2 = at("proj2");
	project_find(config_get(), p2, &p, &w);
	want = at("pyenv/versions/3.12.1/envs/myenv");
	unit_check(p.kind == MARKER_PYTHON_VERSION && p.env && strcmp(p.env, want) == 0,
		   "the VERSION/envs/NAME form", __FILE__, __LINE__);
	free(want);
	project_free(&p);
	watch_free(&w);
	free(p2);

	/* A plain version, a missing one and an escape are no marker: the walk goes on. */
	const char *not_env[] = { "3.12.1\n", "3.99.9\n", "../../../proj/x\n", "system\n" };
	char *outer = at("outer/.venv");
	fs_fake_venv(outer, NULL);
	free(outer);
	for (size_t i = 0; i < sizeof not_env / sizeof *not_env; i++) {
		fs_write(root, "outer/inner/.python-version", not_env[i]);
		char *in = at("outer/inner");
		project_find(config_get(), in, &p, &w);
		char *what = xasprintf(".python-version '%.*s' is no marker: the .venv above wins",
				       (int)strcspn(not_env[i], "\n"), not_env[i]);
		unit_check(p.kind == MARKER_VENV_DIR, what, __FILE__, __LINE__);
		free(what);
		free(in);
		project_free(&p);
		watch_free(&w);
	}

	/* Lowest priority: a .venv beside it wins. */
	char *bv = at("both/.venv");
	fs_fake_venv(bv, NULL);
	free(bv);
	fs_write(root, "both/.python-version", "myenv\n");
	char *b = at("both");
	project_find(config_get(), b, &p, &w);
	unit_check(p.kind == MARKER_VENV_DIR, "a .venv beside a .python-version wins",
		   __FILE__, __LINE__);
	project_free(&p);
	watch_free(&w);
	free(b);

	free(start);
	free(link);
	free(real);
	free(pyenv);
}

/* A bare name in a .venv file: $VENVHOOK_HOME, else $WORKON_HOME (or
 * ~/.virtualenvs), else zsh-autoswitch-virtualenv's directory when the env
 * is there only. */
static void test_autoswitch(void)
{
	char err[512];
	char *as = at("autoswitch"), *wo = at("workon");
	char *as_env = at("autoswitch/proj-env"), *wo_env = at("workon/both-env");
	char *as_both = at("autoswitch/both-env");
	fs_fake_venv(as_env, NULL);
	fs_fake_venv(wo_env, NULL);
	fs_fake_venv(as_both, NULL);
	unsetenv("VENVHOOK_HOME");
	setenv("WORKON_HOME", wo, 1);
	setenv("AUTOSWITCH_VIRTUAL_ENV_DIR", as, 1);
	char *r = marker_resolve("proj-env", "/p", err, sizeof err);
	CHECK_STR(r, as_env);
	free(r);
	r = marker_resolve("both-env", "/p", err, sizeof err);
	unit_check_str(r, wo_env, "an env in both: $WORKON_HOME's", __FILE__, __LINE__);
	free(r);
	char *missing = at("workon/nowhere");
	r = marker_resolve("nowhere", "/p", err, sizeof err);
	unit_check_str(r, missing, "an env in neither: named in $WORKON_HOME", __FILE__, __LINE__);
	free(r);
	free(missing);
	unsetenv("WORKON_HOME");
	setenv("HOME", root, 1);
	r = marker_resolve("proj-env", "/p", err, sizeof err);
	unit_check_str(r, as_env, "without $WORKON_HOME too", __FILE__, __LINE__);
	free(r);
	setenv("VENVHOOK_HOME", wo, 1);
	r = marker_resolve("proj-env", "/p", err, sizeof err);
	char *want = at("workon/proj-env");
	unit_check_str(r, want, "$VENVHOOK_HOME is the only place when set", __FILE__, __LINE__);
	free(want);
	free(r);
	unsetenv("VENVHOOK_HOME");
	setenv("AUTOSWITCH_VIRTUAL_ENV_DIR", "relative", 1);
	r = marker_resolve("proj-env", "/p", err, sizeof err);
	want = at(".virtualenvs/proj-env");
	unit_check_str(r, want, "a relative $AUTOSWITCH_VIRTUAL_ENV_DIR is ignored", __FILE__, __LINE__);
	free(want);
	free(r);
	unsetenv("AUTOSWITCH_VIRTUAL_ENV_DIR");
	free(as), free(wo), free(as_env), free(wo_env), free(as_both);
}

int main(void)
{
	test_parse();
	root = fs_tmpdir("vh-migrate");
	test_walk();
	test_autoswitch();
	fs_rm_rf(root);
	free(root);
	return unit_done();
}
