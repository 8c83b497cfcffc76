/* proc.h: running a program without a shell: one runner for Python, pip
 * and git, feeding its input, collecting what it prints, passing on a
 * signal that interrupts us. */
#ifndef VENVHOOK_PROC_H
#define VENVHOOK_PROC_H

#include "util.h"

/* Output collected beyond this is refused (the run fails with EFBIG). */
#define PROC_OUTPUT_MAX (64u * 1024 * 1024)

struct proc {
	char *const *argv;      /* argv[0]: a path; with search, a name looked up in PATH */
	int search;             /* look argv[0] up in PATH when it holds no '/' */
	const char *cwd;        /* run there (NULL: here) */
	const char *const *unset; /* environment variables to remove, NULL-ended */
	const char *const *set; /* "NAME=value" to add, NULL-ended */
	const char *input;      /* fed to its standard input; NULL: /dev/null, or ours with keep_stdin */
	size_t inlen;
	int keep_stdin;         /* without input: share our standard input */
	struct sbuf *out, *err; /* collect standard output and error there; NULL: share ours */
	int quiet_err;          /* with err NULL: discard its standard error instead */
};

/* Runs p and waits for it.  Returns its exit status (0-255), 128+N if it
 * died of signal N, or -1 with errno set and a message in err if it could
 * not be run (errno ENOENT: no such program) or printed more than
 * PROC_OUTPUT_MAX.  If we are interrupted (cleanup.h) the child gets the
 * signal too. */
int proc_run(const struct proc *p, char *err, size_t errlen);

/* proc_run for the common case: argv (looked up in PATH) in cwd (NULL:
 * here), standard input from /dev/null, standard output collected in out
 * unless it is NULL, standard error discarded if quiet.  Returns as
 * proc_run does, with errno set on -1. */
int proc_capture(char *const argv[], const char *cwd, struct sbuf *out, int quiet);

#endif
