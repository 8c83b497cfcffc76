/* commands.h: one function per subcommand, listed in main.c's table. */
#ifndef VENVHOOK_COMMANDS_H
#define VENVHOOK_COMMANDS_H

#include "options.h"

/* Each takes the subcommand's own argv (argv[0] is its name) and returns
 * the exit status (util.h): EXIT_OK, EXIT_FAIL, or EXIT_USAGE for bad
 * usage and for no env to work on (env_select.h).  check returns EXIT_FAIL
 * when the env differs from the file; check and sync return EXIT_USAGE when
 * the env or the file cannot be read or pip would refuse a line; exec
 * returns its command's status, 126 or 127 as a shell does. */
int cmd_init(int argc, char **argv);
int cmd_hook(int argc, char **argv);
int cmd_allow(int argc, char **argv);
int cmd_deny(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_prune(int argc, char **argv);
int cmd_freeze(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_repair(int argc, char **argv);
int cmd_exec(int argc, char **argv);

#endif
