/* init.c: `venvhook init bash|zsh|fish` prints the shell integration. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "quote.h"
#include "scripts.h"

/* The absolute path of this binary, so that the integration never depends
 * on a later PATH. */
static char *self_path(const char *argv0)
{
	char *p = realpath("/proc/self/exe", NULL);
	if (!p && argv0 && strchr(argv0, '/'))
		p = realpath(argv0, NULL);
	if (!p)
		die(EXIT_FAIL, "cannot find the path of this program");
	return p;
}

int cmd_init(int argc, char **argv)
{
	enum shell sh;
	if (argc != 2)
		usage_error("init", "init takes one shell name");
	if (shell_parse(argv[1], &sh) < 0)
		usage_error("init", "unknown shell '%s' (bash, zsh or fish)", argv[1]);
	const char *script = sh == SHELL_BASH ? script_bash : sh == SHELL_ZSH ? script_zsh : script_fish;
	const char *mark = "@VENVHOOK@";
	const char *at = strstr(script, mark);
	char *self = self_path(argv[0]);
	if (strpbrk(self, "\n"))
		die(EXIT_FAIL, "the path of this program holds a newline");
	struct sbuf b = SBUF_INIT;
	if (at) {
		sb_add(&b, script, (size_t)(at - script));
		quote_word(&b, sh, self);
		sb_adds(&b, at + strlen(mark));
	} else {
		sb_adds(&b, script);
	}
	fwrite(b.s, 1, b.len, stdout);
	sb_free(&b);
	free(self);
	return stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
}
