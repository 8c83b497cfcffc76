/* proc_run.h: running a child process (Python) and collecting its output. */
#ifndef VENVHOOK_PROC_RUN_H
#define VENVHOOK_PROC_RUN_H

#include "util.h"

struct proc {
	char *const *argv;      /* argv[0] is the path to run */
	const char *const *unset; /* environment variables to remove, NULL-ended */
	const char *const *set; /* "NAME=value" to add, NULL-ended */
	const char *input;      /* fed to stdin (NULL: /dev/null; inherit_stdio: the terminal) */
	size_t inlen;
	struct sbuf *out, *err; /* collect stdout and stderr, unless inherit_stdio */
	int inherit_stdio;      /* share our stdin, stdout and stderr */
	const char *cwd;        /* run there (NULL: here) */
};

/* Runs p and waits for it.  Returns its exit status (0-255), 128+N if it
 * died of signal N, or -1 with a message in err if it could not be run.
 * If we are interrupted (see cleanup.h) the child gets the signal too. */
int proc_run(const struct proc *p, char *err, size_t errlen);

#endif
