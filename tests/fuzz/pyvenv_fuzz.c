/* pyvenv_fuzz.c: libFuzzer harness for pyvenv.cfg parsing and py_unrepr.
 *
 * Properties: no crash or undefined behaviour; py_unrepr never makes its
 * input longer (every escape is at least as long as what it stands for) and
 * returns an unquoted value unchanged; parsed values hold no newline (lines
 * are split) except a decoded prompt; venv_name and venv_prompt_var work on
 * whatever was parsed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "venv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *text)
{
	fprintf(stderr, "PROPERTY VIOLATED: %s\n  input: '%s'\n", what, text);
	abort();
}

static void check_unrepr(const char *s)
{
	char *u = py_unrepr(s);
	size_t n = strlen(s);
	if (strlen(u) > n)
		fail("py_unrepr made its input longer", s);
	int quoted = n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0];
	if (!quoted && strcmp(u, s) != 0)
		fail("py_unrepr changed an unquoted value", s);
	free(u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	char *text = xstrndup((const char *)data, size);
	struct venv_cfg cfg;
	venv_cfg_parse(text, &cfg);
	const char *fields[] = { cfg.home, cfg.version, cfg.executable, cfg.command };
	for (size_t i = 0; i < 4; i++)
		if (fields[i] && strchr(fields[i], '\n'))
			fail("a pyvenv.cfg value holds a newline", text);
	if (cfg.system_site != 0 && cfg.system_site != 1)
		fail("system_site is not 0 or 1", text);
	char *name = venv_name("/p/.venv", "/p", NULL, &cfg);
	if (!name[0] && !(cfg.prompt && !cfg.prompt[0]))
		fail("empty env name", text);
	char *var = venv_prompt_var(name, &cfg);
	if (strcmp(var, name) != 0) {
		char *paren = xasprintf("(%s) ", name);
		if (strcmp(var, paren) != 0)
			fail("VIRTUAL_ENV_PROMPT is neither NAME nor (NAME) ", text);
		free(paren);
	}
	free(var);
	free(name);
	venv_cfg_free(&cfg);

	check_unrepr(text);
	for (char *line = text, *next; line; line = next) {
		next = str_cut(line, '\n');
		check_unrepr(line);
	}
	free(text);
	return 0;
}
