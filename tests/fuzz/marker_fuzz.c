/* marker_fuzz.c: libFuzzer harness for .venv and .venvhook parsing.
 *
 * Properties checked on every input (an abort is a finding):
 * - venv_file_parse returns an absolute, normalized path without control
 *   characters, or NULL with a one-line message;
 * - a bare name resolves to exactly $VENVHOOK_HOME/NAME, one component;
 * - venvhook_file_parse accepts no line that inih's buffer cannot hold whole
 *   (inih would split it, and its tail would read as a key), returns a
 *   normalized env on success and keeps nothing on failure, with a
 *   one-line message. */
#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "marker.h"
#include "util.h"

#define ENVS "/envs"
#define BASE "/base/proj"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	setenv("VENVHOOK_HOME", ENVS, 1);
	setenv("HOME", "/home/u", 1);
	unsetenv("WORKON_HOME");
	return 0;
}

static void fail(const char *what, const char *text, const char *got)
{
	fprintf(stderr, "PROPERTY VIOLATED: %s\n  got: '%s'\n  input: '%s'\n", what,
		got ? got : "(null)", text);
	abort();
}

static int any_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static void check_path(const char *env, const char *text, const char *who)
{
	if (env[0] != '/')
		fail(who, text, env);
	char *norm = path_normalize("/", env);
	if (strcmp(norm, env) != 0)
		fail("env path not normalized", text, env);
	free(norm);
}

/* The first line that is neither blank nor a comment, trimmed (blanks and
 * tabs before, and a CR too after): the value venv_file_parse is documented
 * to use.  Written apart from marker.c's loop, so that it checks it. */
static char *first_value(const char *text)
{
	char *copy = xstrdup(text), *value = NULL;
	for (char *line = copy, *next; line && !value; line = next) {
		next = str_cut(line, '\n');
		line += strspn(line, " \t");
		size_t n = strlen(line);
		while (n && strchr(" \t\r", line[n - 1]))
			n--;
		if (n && line[0] != '#')
			value = xstrndup(line, n);
	}
	free(copy);
	return value;
}

/* The most bytes inih's line buffer must hold for one line of text: the
 * line, its newline and a NUL. */
static size_t longest_line(const char *text)
{
	size_t max = 0;
	for (const char *s = text; *s;) {
		const char *end = strchr(s, '\n');
		size_t n = (end ? (size_t)(end - s) + 1 : strlen(s)) + 1;
		if (n > max)
			max = n;
		if (!end)
			break;
		s = end + 1;
	}
	return max;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MARKER_FILE_MAX)
		return 0;
	/* file_read refuses NUL bytes: the parsers see text up to the first. */
	char *text = xstrndup((const char *)data, size);
	char err[1024];

	err[0] = '\0';
	char *env = venv_file_parse(text, BASE, err, sizeof err);
	char *value = first_value(text);
	if (env) {
		check_path(env, text, "venv_file_parse: env not absolute");
		if (any_control(env))
			fail("venv_file_parse: control character in env", text, env);
		if (!value)
			fail("venv_file_parse: env from a file without a value", text, env);
		int path = value[0] == '/' || strcmp(value, ".") == 0 || strcmp(value, "..") == 0 ||
			   strncmp(value, "./", 2) == 0 || strncmp(value, "../", 3) == 0 ||
			   strncmp(value, "~/", 2) == 0;
		if (!path) {
			/* A bare name: one component right under the envs' home. */
			char *want = xasprintf("%s/%s", ENVS, value);
			if (strcmp(env, want) != 0 || strchr(value, '/') || strstr(value, ".."))
				fail("venv_file_parse: bare name escapes $VENVHOOK_HOME", text, env);
			free(want);
		}
	} else if (!err[0] || strchr(err, '\n')) {
		fail("venv_file_parse: refused without a one-line message", text, err);
	}
	free(value);
	free(env);

	struct project p;
	memset(&p, 0, sizeof p);
	err[0] = '\0';
	int r = venvhook_file_parse(text, BASE "/.venvhook", BASE, &p, err, sizeof err);
	if (r == 0) {
		if (!p.env)
			fail("venvhook_file_parse: success without env", text, NULL);
		check_path(p.env, text, "venvhook_file_parse: env not absolute");
		if (any_control(p.env))
			fail("venvhook_file_parse: control character in env", text, p.env);
		if (p.activate != 0 && p.activate != 1)
			fail("venvhook_file_parse: activate not 0 or 1", text, NULL);
		if (p.prompt && strchr(p.prompt, '\n'))
			fail("venvhook_file_parse: newline in prompt", text, p.prompt);
		if (longest_line(text) > INI_MAX_LINE)
			fail("venvhook_file_parse: accepted a line longer than inih's buffer", text,
			     p.env);
	} else {
		if (p.env || p.prompt)
			fail("venvhook_file_parse: kept values on failure", text, p.env);
		if (!err[0] || strchr(err, '\n') || strncmp(err, "'" BASE "/.venvhook'", sizeof BASE + 11) != 0)
			fail("venvhook_file_parse: bad message", text, err);
	}
	project_free(&p);
	free(text);
	return 0;
}
