/* proc.h: running a program without a shell and reading what it prints. */
#ifndef VENVHOOK_PROC_H
#define VENVHOOK_PROC_H

#include "util.h"

/* Output beyond this is refused (the command fails). */
#define PROC_OUTPUT_MAX (64u * 1024 * 1024)

/* Runs argv[0] (looked up in PATH when it has no '/') with argv, in the
 * directory cwd (NULL: ours), standard input from /dev/null.  When out is
 * not NULL, standard output is collected there; standard error is
 * discarded when quiet, else inherited.  Returns the exit status (128 + N
 * after signal N), or -1 if the program could not be started, with errno
 * set (ENOENT: no such program). */
int proc_capture(char *const argv[], const char *cwd, struct sbuf *out, int quiet);

#endif
