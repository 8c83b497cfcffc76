/* init.c: `venvhook init bash|zsh|fish` prints the shell integration. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "platform.h"
#include "quote.h"
#include "scripts.h"

/* The absolute path of this binary, so that the integration never depends
 * on a later PATH. */
static char *self_path(const char *argv0)
{
	char *p = self_exe_path();
	if (!p && argv0 && strchr(argv0, '/'))
		p = realpath(argv0, NULL);
	if (!p)
		die(EXIT_FAIL, "cannot find the path of this program");
	return p;
}

int cmd_init(int argc, char **argv)
{
	enum shell sh;
	struct operands o;
	options_parse("init", argc, argv, NULL, 0, 0, &o);
	if (o.n != 1 || o.dashdash)
		usage_error("init", "init takes one shell name");
	if (shell_parse(o.v[0], &sh) < 0)
		usage_error("init", "unknown shell '%s' (bash, zsh or fish)", o.v[0]);
	const char *script = sh == SHELL_BASH ? script_venvhook_bash
			     : sh == SHELL_ZSH ? script_venvhook_zsh : script_venvhook_fish;
	char *self = self_path(argv[0]);
	if (strpbrk(self, "\n"))
		die(EXIT_FAIL, "the path of this program holds a newline");
	const struct placeholder ph[] = { { "VENVHOOK", self } };
	struct sbuf b = SBUF_INIT;
	quote_fill(&b, script, ph, 1, sh == SHELL_FISH ? quote_fish : quote_ansi_c);
	fwrite(b.s, 1, b.len, stdout);
	sb_free(&b);
	free(self);
	return stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
}
