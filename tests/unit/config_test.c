/* config_test.c: parsing config.ini and using its settings. */
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "unit.h"
#include "util.h"

static char err[2048];

static int parse(struct config *c, const char *text)
{
	err[0] = '\0';
	return config_parse(c, text, "/c.ini", err, sizeof err);
}

static int is_default(const struct config *c)
{
	return c->n_ignore == 0 && c->ceiling.n == 0 && c->markers.n == 0 && c->notify == 1 &&
	       c->drift == 1 && c->suggest == 1 && !c->requirements &&
	       c->prompt_enabled == 1 && !c->prompt_format && !c->create_python &&
	       !c->create_prompt && c->create_seed == CONFIG_SEED_PIP && !c->create_seed_set &&
	       c->trust_dirs.n == 0;
}

/* Parses text, expecting failure with exactly want. */
static void bad(const char *text, const char *want)
{
	struct config c;
	config_init(&c);
	CHECK(parse(&c, text) == -1);
	CHECK_STR(err, want);
	CHECK(is_default(&c));
	CHECK_STR(c.error, want);
	config_free(&c);
}

static void test_defaults(void)
{
	struct config c;
	config_init(&c);
	CHECK(parse(&c, "") == 0);
	CHECK(is_default(&c));
	CHECK(parse(&c, "; only a comment\n\n# another\n") == 0);
	CHECK(is_default(&c));
	CHECK_STR(c.path, "/c.ini");
	char *p = config_prompt_prefix(&c, "proj");
	CHECK_STR(p, "(proj) ");
	free(p);
	config_free(&c);
}

static void test_every_key(void)
{
	struct config c;
	config_init(&c);
	setenv("HOME", "/home/u", 1);
	int r = parse(&c,
		"[hook]\n"
		"ignore = ^/mnt/\n"
		"ignore =\n"
		"    /vendor(/|$)\n"
		"    ^/tmp$\n"
		"ceiling = /net//a/./b/\n"
		"ceiling = ~/nfs\n"
		"markers = venv, .env  env\n"
		"notify = off\n"
		"drift = off\n"
		"suggest = no\n"
		"requirements = requirements/lock.txt\n"
		"[prompt]\n"
		"enabled = no\n"
		"format = \"[{name}] \"\n"
		"[create]\n"
		"python = python3.12\n"
		"prompt = 'my env'\n"
		"seed = none\n"
		"[trust]\n"
		"directories = /nonexistent-venvhook-dir/x/../y\n");
	CHECK(r == 0);
	CHECK_STR(err, "");
	CHECK(c.n_ignore == 3);
	if (c.n_ignore == 3) {
		CHECK_STR(c.ignore[0].text, "^/mnt/");
		CHECK(c.ignore[0].line == 2);
		CHECK_STR(c.ignore[1].text, "/vendor(/|$)");
		CHECK(c.ignore[1].line == 4);
		CHECK_STR(c.ignore[2].text, "^/tmp$");
		CHECK(c.ignore[2].line == 5);
	}
	CHECK(c.ceiling.n == 2);
	if (c.ceiling.n == 2) {
		CHECK_STR(c.ceiling.v[0], "/net/a/b");
		CHECK_STR(c.ceiling.v[1], "/home/u/nfs");
	}
	CHECK(c.markers.n == 3);
	if (c.markers.n == 3) {
		CHECK_STR(c.markers.v[0], "venv");
		CHECK_STR(c.markers.v[1], ".env");
		CHECK_STR(c.markers.v[2], "env");
	}
	CHECK(c.notify == 0);
	CHECK(c.drift == 0);
	CHECK(c.suggest == 0);
	CHECK_STR(c.requirements, "requirements/lock.txt");
	CHECK(c.prompt_enabled == 0);
	CHECK_STR(c.prompt_format, "[{name}] ");
	CHECK_STR(c.create_python, "python3.12");
	CHECK_STR(c.create_prompt, "my env");
	CHECK(c.create_seed == CONFIG_SEED_NONE && c.create_seed_set);
	CHECK(c.trust_dirs.n == 1);
	if (c.trust_dirs.n == 1)
		CHECK_STR(c.trust_dirs.v[0], "/nonexistent-venvhook-dir/y");
	CHECK(c.error == NULL);

	/* Using them. */
	char *p = config_prompt_prefix(&c, "x");
	CHECK_STR(p, "");
	free(p);
	c.prompt_enabled = 1;
	p = config_prompt_prefix(&c, "a\nb\x1b");
	CHECK_STR(p, "[a?b?] ");
	free(p);
	const struct config_pattern *which = NULL;
	CHECK(config_ignored(&c, "/mnt/data/p", &which) == 1 && which == &c.ignore[0]);
	CHECK(config_ignored(&c, "/home/u/vendor", &which) == 1 && which == &c.ignore[1]);
	CHECK(config_ignored(&c, "/home/u/vendors", NULL) == 0);
	CHECK(config_ignored(&c, "/tmp", NULL) == 1);
	CHECK(config_ignored(&c, "/tmp/x", NULL) == 0);
	CHECK(config_ignored(&c, "/home/\xff\xfe/vendor", NULL) == 1);
	CHECK(config_ignored(&c, "/home/\xff\xfe/x", NULL) == 0);
	config_free(&c);

	/* Booleans in every spelling. */
	const char *yes[] = { "on", "true", "yes", "1", "ON", "True" };
	const char *no[] = { "off", "false", "no", "0", "OFF", "No" };
	for (int i = 0; i < 6; i++) {
		char *t = xasprintf("[hook]\nnotify = %s\n[prompt]\nenabled = %s\n", no[i], yes[i]);
		config_init(&c);
		CHECK(parse(&c, t) == 0 && c.notify == 0 && c.prompt_enabled == 1);
		config_free(&c);
		free(t);
	}
	config_init(&c);
	CHECK(parse(&c, "[create]\nseed = pip\n") == 0 && c.create_seed == CONFIG_SEED_PIP &&
	      c.create_seed_set);
	config_free(&c);
	/* A value keeps inner spaces; quotes keep outer ones. */
	config_init(&c);
	CHECK(parse(&c, "[prompt]\nformat = '  {name} >> '\n") == 0);
	p = config_prompt_prefix(&c, "n");
	CHECK_STR(p, "  n >> ");
	free(p);
	config_free(&c);
}

static void test_errors(void)
{
	bad("[hook]\nnotify = maybe\n", "'/c.ini' line 2: notify must be on or off, not 'maybe'");
	bad("[prompt]\nenabled = 2\n", "'/c.ini' line 2: enabled must be on or off, not '2'");
	bad("[hook]\ndrift = sometimes\n", "'/c.ini' line 2: drift must be on or off, not 'sometimes'");
	bad("[hook]\nsuggest = on\nsuggest = off\n", "'/c.ini' line 3: 'suggest' is set twice in [hook]");
	bad("[hook]\nrequirements = /etc/reqs.txt\n",
	    "'/c.ini' line 2: requirements names a file relative to the project, not '/etc/reqs.txt'");
	bad("[hook]\nrequirements =\n", "'/c.ini' line 2: 'requirements' is empty");
	bad("[hook]\nnotify = on\n\nnotify = off\n", "'/c.ini' line 4: 'notify' is set twice in [hook]");
	bad("notify = on\n", "'/c.ini' line 1: 'notify' is outside a section ([hook], [prompt], [create] or [trust])");
	bad("[hooks]\nnotify = on\n", "'/c.ini' line 2: unknown section '[hooks]'");
	bad("[hook]\nignor = x\n", "'/c.ini' line 2: unknown key 'ignor' in [hook]");
	bad("[hook]\nnotify = on\nthis line has no equals sign\n",
	    "'/c.ini' line 3: syntax error");
	bad("[hook\n", "'/c.ini' line 1: syntax error");
	bad("[hook]\nignore = ok\nignore = a(b\n",
	    "'/c.ini' line 3: bad ignore pattern 'a(b': missing closing parenthesis at offset 3");
	bad("[hook]\nignore = \xff\n",
	    "'/c.ini' line 2: bad ignore pattern '?': UTF-8 error: illegal byte (0xfe or 0xff) at offset 0");
	bad("[hook]\nceiling = relative/dir\n",
	    "'/c.ini' line 2: ceiling must be an absolute path or start with ~/, not 'relative/dir'");
	bad("[trust]\ndirectories = ../up\n",
	    "'/c.ini' line 2: directories must be an absolute path or start with ~/, not '../up'");
	bad("[hook]\nmarkers = venv a/b\n", "'/c.ini' line 2: marker 'a/b' is not a directory name");
	bad("[hook]\nmarkers = ..\n", "'/c.ini' line 2: marker '..' is not a directory name");
	bad("[prompt]\nformat = ({project}) \n",
	    "'/c.ini' line 2: unknown placeholder '{project}' in format (only {name} is known)");
	bad("[prompt]\nformat = \"\"\n", "'/c.ini' line 2: 'format' is empty");
	bad("[create]\nprompt = a\x01z\n", "'/c.ini' line 2: 'prompt' holds a control character");
	bad("[create]\nseed = uv\n", "'/c.ini' line 2: seed must be pip or none, not 'uv'");
	bad("[create]\npython = 3.12\npython = 3.13\n", "'/c.ini' line 3: 'python' is set twice in [create]");
	/* An indented line continues the value before it: twice, for a scalar. */
	bad("[hook]\nnotify = on\n  off\n", "'/c.ini' line 3: 'notify' is set twice in [hook]");
	/* The first error is named even when later lines are bad too. */
	bad("[x]\n[hook]\nnotify = bad\n", "'/c.ini' line 3: notify must be on or off, not 'bad'");

	/* A line longer than inih's buffer is refused, not split into two. */
	struct sbuf t = SBUF_INIT;
	sb_adds(&t, "[hook]\n\nignore = ");
	for (int i = 0; i < 300; i++)
		sb_addc(&t, 'a');
	sb_adds(&t, "\nnotify = off\n");
	bad(t.s, "'/c.ini' line 3: longer than 197 bytes");
	sb_free(&t);
	/* A long [create] prompt. */
	sb_adds(&t, "[create]\nprompt = ");
	for (int i = 0; i < 150; i++)
		sb_addc(&t, 'p');
	bad(t.s, "'/c.ini' line 2: 'prompt' is longer than 128 bytes");
	sb_free(&t);

	/* Nothing of a malformed file is kept, not even the good lines before. */
	struct config c;
	config_init(&c);
	CHECK(parse(&c, "[hook]\nnotify = off\nignore = ^/\n[trust]\ndirectories = /\nbogus\n") == -1);
	CHECK(is_default(&c));
	CHECK(config_trusted(&c, "/anything") == NULL);
	config_free(&c);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_hostile_pattern(void)
{
	struct config c;
	config_init(&c);
	CHECK(parse(&c, "[hook]\nignore = ^(a+)+$\nignore = (x|xx)+y\n") == 0);
	struct sbuf s = SBUF_INIT;
	sb_addc(&s, '/');
	for (int i = 0; i < 4000; i++)
		sb_addc(&s, 'a');
	sb_addc(&s, '!');
	double t0 = now_s();
	const struct config_pattern *which = NULL;
	int r = config_ignored(&c, s.s + 1, &which);
	double t1 = now_s();
	CHECK(r == -1);
	CHECK(which == &c.ignore[0]);
	CHECK(t1 - t0 < 2.0);
	printf("# a catastrophic pattern gave up after %.3f s\n", t1 - t0);
	/* The limit hit by one pattern does not stop a later one from matching. */
	struct config c2;
	config_init(&c2);
	CHECK(parse(&c2, "[hook]\nignore = ^(a+)+$\nignore = !$\n") == 0);
	CHECK(config_ignored(&c2, s.s + 1, &which) == 1 && which == &c2.ignore[1]);
	config_free(&c2);
	/* In-pattern settings cannot raise the limits. */
	CHECK(parse(&c, "[hook]\nignore = (*LIMIT_MATCH=100000000)^(a+)+$\n") == 0);
	t0 = now_s();
	CHECK(config_ignored(&c, s.s + 1, NULL) == -1);
	CHECK(now_s() - t0 < 2.0);
	sb_free(&s);
	config_free(&c);
}

static void test_ceiling_and_trust(void)
{
	struct config c;
	config_init(&c);
	CHECK(parse(&c, "[hook]\nceiling = /home\nceiling = /net/a\n[trust]\ndirectories = /srv/envs\n") == 0);
	/* The walk from /home/u/p may look at /home/u but not /home nor /. */
	CHECK(!config_ceiling_stops(&c, "/home/u/p", "/home/u"));
	CHECK(config_ceiling_stops(&c, "/home/u/p", "/home"));
	CHECK(config_ceiling_stops(&c, "/home/u/p", "/"));
	/* Outside every ceiling, nothing stops it. */
	CHECK(!config_ceiling_stops(&c, "/homework/p", "/"));
	CHECK(!config_ceiling_stops(&c, "/tmp/x", "/tmp"));
	/* Starting at a ceiling: only the start itself is looked at. */
	CHECK(config_ceiling_stops(&c, "/net/a", "/net"));
	/* Trust is component-wise. */
	CHECK_STR(config_trusted(&c, "/srv/envs/a/.venv"), "/srv/envs");
	CHECK_STR(config_trusted(&c, "/srv/envs"), "/srv/envs");
	CHECK(config_trusted(&c, "/srv/envs2/a") == NULL);
	CHECK(config_trusted(&c, "/srv") == NULL);
	config_free(&c);
}

static void test_load(void)
{
	char dir[] = "/tmp/venvhook-config-test.XXXXXX";
	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	char *path = path_join(dir, "config.ini");
	struct config c;
	config_init(&c);
	/* Missing: the defaults, silently, unless it was named explicitly. */
	CHECK(config_load(&c, path, 0, err, sizeof err) == 0 && is_default(&c) && !c.error);
	CHECK(config_load(&c, path, 1, err, sizeof err) == -1 && is_default(&c));
	char *want = xasprintf("cannot read '%s': No such file or directory", path);
	CHECK_STR(err, want);
	free(want);

	const char text[] = "[hook]\nnotify = off\n";
	CHECK(file_write_atomic(path, text, sizeof text - 1, 0644) == 0);
	CHECK(config_load(&c, path, 0, err, sizeof err) == 0 && c.notify == 0);
	CHECK_STR(c.path, path);

	/* Writable by others: refused as a whole. */
	chmod(path, 0666);
	CHECK(config_load(&c, path, 0, err, sizeof err) == -1 && c.notify == 1);
	want = xasprintf("'%s' is writable by others", path);
	CHECK_STR(err, want);
	free(want);
	chmod(path, 0644);

	/* A NUL byte could hide a line from inih: refused. */
	const char nul[] = "[hook]\nnotify = on\0\nnotify = off\n";
	CHECK(file_write_atomic(path, nul, sizeof nul - 1, 0644) == 0);
	CHECK(config_load(&c, path, 0, err, sizeof err) == -1 && c.notify == 1);
	want = xasprintf("'%s' contains a NUL byte", path);
	CHECK_STR(err, want);
	free(want);

	/* Too big. */
	struct sbuf big = SBUF_INIT;
	while (big.len <= CONFIG_FILE_MAX)
		sb_adds(&big, "; padding padding padding padding padding\n");
	CHECK(file_write_atomic(path, big.s, big.len, 0644) == 0);
	CHECK(config_load(&c, path, 0, err, sizeof err) == -1);
	sb_free(&big);

	/* A directory is not a config file. */
	unlink(path);
	mkdir(path, 0755);
	CHECK(config_load(&c, path, 0, err, sizeof err) == -1);
	rmdir(path);

	/* config_path: VENVHOOK_CONFIG must be absolute. */
	int explicit = 0;
	setenv("VENVHOOK_CONFIG", "rel.ini", 1);
	char *p = config_path(&explicit, err, sizeof err);
	CHECK(p == NULL && explicit);
	CHECK_STR(err, "VENVHOOK_CONFIG must be an absolute path, not 'rel.ini'");
	setenv("VENVHOOK_CONFIG", "/x/y.ini", 1);
	p = config_path(&explicit, err, sizeof err);
	CHECK_STR(p, "/x/y.ini");
	free(p);
	unsetenv("VENVHOOK_CONFIG");
	setenv("XDG_CONFIG_HOME", dir, 1);
	p = config_path(&explicit, err, sizeof err);
	want = xasprintf("%s/venvhook/config.ini", dir);
	CHECK_STR(p, want);
	CHECK(!explicit);
	free(want);
	free(p);

	config_free(&c);
	free(path);
	rmdir(dir);
}

int main(void)
{
	test_defaults();
	test_every_key();
	test_errors();
	test_hostile_pattern();
	test_ceiling_and_trust();
	test_load();
	return unit_done();
}
