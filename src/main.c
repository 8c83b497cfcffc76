/* main.c: venvhook's command table and dispatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "quote.h"
#include "suggest.h"
#include "util.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;      /* after "venvhook " */
	const char *help;       /* one paragraph */
	int hidden;             /* for the shell integration: not in the list */
};

static const struct command commands[] = {
	{ "init", cmd_init, "init bash|zsh|fish",
	  "Print the shell integration.  Load it from your shell's rc file:\n"
	  "  bash, ~/.bashrc:   eval \"$(venvhook init bash)\"\n"
	  "  zsh, ~/.zshrc:     eval \"$(venvhook init zsh)\"\n"
	  "  fish, config.fish: venvhook init fish | source", 0 },
	{ "allow", cmd_allow, "allow [PATH]",
	  "Trust the env of a project so that it is activated on entry.  PATH is a\n"
	  "project directory, an env directory or a .venv or .venvhook file; without\n"
	  "it, the project of the current directory.", 0 },
	{ "deny", cmd_deny, "deny [PATH]",
	  "Never activate the env of a project, and stop mentioning it.  PATH as for allow.", 0 },
	{ "status", cmd_status, "status",
	  "Show which marker and env the current directory has, whether the env is\n"
	  "trusted and active, and if it is not active, why.", 0 },
	{ "create", cmd_create,
	  "create [DIR] [-p PYTHON] [--system-site-packages] [--prompt NAME]\n"
	  "           [--without-pip | --with-pip] [--clear] [-r FILE]... [-- PIP_ARGS...]",
	  "Create a virtual environment in DIR (default: .venv here), with pip, as\n"
	  "'python -m venv' would, and trust it.  PYTHON is a path, a command name\n"
	  "(python3.12) or a version (3.12, 3), looked up on PATH, then in pyenv's\n"
	  "versions; without it, the version .python-version names, else [create]\n"
	  "python of config.ini, else python3.  [create] prompt and seed = none\n"
	  "(no pip; --with-pip overrides) apply likewise.\n"
	  "--clear replaces an existing env; -r FILE installs requirements with the\n"
	  "new pip, passing it what follows '--'.  DIR is built beside and renamed\n"
	  "into place, so a failed or interrupted create leaves nothing behind.", 0 },
	{ "rm", cmd_rm, "rm [--yes] [DIR]",
	  "Delete an env: DIR, else the env of the current project.  Only a directory\n"
	  "holding pyvenv.cfg and nothing an env does not hold is deleted; links in\n"
	  "it are not followed.  Its trust record goes too.  An env that the project's\n"
	  "marker names outside the project goes only with --yes or a 'y' typed on a\n"
	  "terminal.", 0 },
	{ "list", cmd_list, "list [--json] [--size] [--scan DIR...]",
	  "Show every env venvhook created, allowed, activated or found: its name,\n"
	  "project, Python version, when it was last activated, and its state: ok,\n"
	  "project gone, python gone or python changed (the base interpreter was\n"
	  "removed or is now another version, which breaks the env), env gone.\n"
	  "--scan finds the envs under each DIR and records them; --size adds the\n"
	  "disk use; --json prints a JSON array for scripts.", 0 },
	{ "prune", cmd_prune, "prune [--dry-run] [--yes]",
	  "Forget the records of envs that are gone, and offer to delete the envs\n"
	  "whose project or base interpreter is gone.  Nothing is deleted without\n"
	  "--yes or a 'y' typed on a terminal, and never a directory that is not a\n"
	  "virtual environment.  --dry-run only says what it would do.", 0 },
	{ "repair", cmd_repair, "repair [ENV] [-p PYTHON] [--rebuild] [-- PIP_ARGS...]",
	  "Mend an env: ENV, else the env of the current project.  One whose base\n"
	  "interpreter is gone or now another version is rebuilt in place with the\n"
	  "same packages (read from the env, reinstalled with pip; PIP_ARGS such as\n"
	  "--no-index --find-links DIR go to pip); the old env stays until the new\n"
	  "one is complete.  One that moved gets its scripts rewritten for its new\n"
	  "path.  -p chooses the interpreter (by default the env's own version if it\n"
	  "is found); -p or --rebuild rebuild a working env too.", 0 },
	{ "freeze", cmd_freeze,
	  "freeze [--env DIR] [-o FILE] [--all] [--exclude NAME]... [--exclude-editable]",
	  "Print the env's installed distributions in requirements format, byte for\n"
	  "byte what the env's own 'pip freeze' prints with the same options, read\n"
	  "from their metadata: Python runs only for what that cannot tell (the base\n"
	  "interpreter's site directories, asked once; the env's pip, for what venvhook\n"
	  "cannot read).  The env is --env DIR, else the active $VIRTUAL_ENV, else\n"
	  "the current project's env.  -o FILE writes FILE atomically instead.", 0 },
	{ "check", cmd_check, "check [--env DIR] [-r FILE]",
	  "Compare a requirements file (default: requirements.txt in the project)\n"
	  "with the env: print what is missing, installed at another version than\n"
	  "required, or installed but not listed.  Exit 0 when they agree, 1 when\n"
	  "they differ, 2 on error.", 0 },
	{ "sync", cmd_sync, "sync [--env DIR] [-r FILE] [--exact] [-- PIP_ARGS...]",
	  "Install the requirements file with the env's own pip ('pip install -r FILE\n"
	  "PIP_ARGS'); with --exact, then uninstall what the file does not list (pip\n"
	  "and its tooling excepted), so that 'venvhook check' agrees.", 0 },
	{ "exec", cmd_exec, "exec [--env DIR] [--] COMMAND [ARG...]",
	  "Run COMMAND in the env the hook would activate here (or the env of --env\n"
	  "DIR: an env, a project or a marker file), without a hooked shell: for\n"
	  "Makefiles, cron, git hooks, editors and CI.  It sets what activation sets\n"
	  "(VIRTUAL_ENV, VIRTUAL_ENV_PROMPT, the env's bin first on PATH, PYTHONHOME\n"
	  "unset), then becomes COMMAND, found on that PATH: the exit status and the\n"
	  "signals are COMMAND's.  An env the hook would not activate (none, not\n"
	  "trusted, unsafe, missing) is refused with the hook's reason and status 2,\n"
	  "and nothing runs; 127 when COMMAND is not found, 126 when it cannot run.", 0 },
	{ "hook", cmd_hook, "hook bash|zsh|fish [APPLIED [OFF [NOTIFIED [CONFNOTE [DRIFT [MEMO NOW]]]]]]",
	  "Print the shell code that brings this shell's activation up to date.  The\n"
	  "shell integration runs it before prompts; it is not meant to be typed.", 1 },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int print_help(FILE *f)
{
	fputs("usage: venvhook COMMAND [ARGS]\n\n"
	      "Activates a project's Python virtual environment when you enter it,\n"
	      "and deactivates it when you leave.\n\ncommands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!commands[i].hidden)
			fprintf(f, "  %s\n", commands[i].usage);
	fputs("  help [COMMAND]\n"
	      "  --version\n"
	      "\n'venvhook help COMMAND' or 'venvhook COMMAND --help' describes one command;\n"
	      "'man venvhook' has it all.\n", f);
	return f == stdout && stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
}

/* Exits 2: name is no command, with the nearest ones if it looks like a slip. */
static _Noreturn void not_a_command(const char *name)
{
	const char *words[NCOMMANDS + 1];
	size_t n = 0, best[NCOMMANDS + 1];
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!commands[i].hidden)
			words[n++] = commands[i].name;
	words[n++] = "help";
	size_t k = suggest_nearest(name, words, n, best);
	char *shown = printable(name);
	if (!k)
		die(EXIT_USAGE, "'%s' is not a venvhook command; see 'venvhook --help'", shown);
	struct sbuf b = SBUF_INIT;
	for (size_t i = 0; i < k; i++)
		sb_addf(&b, "%s'%s'", i == 0 ? "" : i + 1 == k ? " or " : ", ", words[best[i]]);
	die(EXIT_USAGE, "'%s' is not a venvhook command; did you mean %s?", shown, b.s);
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2)
		return print_help(stdout);
	if (argc > 2)
		die(EXIT_USAGE, "help takes one command name");
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		printf("usage: venvhook help [COMMAND]\n\n"
		       "Describe COMMAND, or without it list the commands.  'venvhook COMMAND\n"
		       "--help' is the same.\n");
		return stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
	}
	const struct command *c = find_command(argv[1]);
	if (!c)
		not_a_command(argv[1]);
	printf("usage: venvhook %s\n\n%s\n", c->usage, c->help);
	return stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
}

/* Commands whose arguments from the first word that is not an option on
 * are another program's command line ("exec pytest --help" runs pytest). */
static const char *const passthrough[] = { "exec" };

/* Whether a command's arguments ask for its help: --help or -h anywhere
 * before a "--" (what follows that goes to pip), or for a command that runs
 * another program, before its first word that is not an option. */
static int wants_help(int argc, char **argv)
{
	int pass = 0;
	for (size_t i = 0; i < sizeof passthrough / sizeof passthrough[0]; i++)
		pass |= strcmp(argv[1], passthrough[i]) == 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0 || (pass && argv[i][0] != '-'))
			return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die(EXIT_USAGE, "no command given; see 'venvhook --help'");
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0)
		return cmd_help(argc - 1, argv + 1);
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		printf("venvhook %s\n", VENVHOOK_VERSION);
		return stdout_finish() < 0 ? EXIT_FAIL : EXIT_OK;
	}
	const struct command *c = find_command(name);
	if (!c)
		not_a_command(name);
	/* "venvhook CMD ARGS... --help" is "venvhook help CMD". */
	if (wants_help(argc, argv)) {
		char *hv[] = { "help", argv[1], NULL };
		return cmd_help(2, hv);
	}
	return c->run(argc - 1, argv + 1);
}
