/* proc.c: running a program without a shell and reading what it prints. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(char *const argv[], const char *cwd, int outfd, int quiet, int errfd)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	int e = 0;
	if (null < 0 || dup2(null, 0) < 0)
		e = errno;
	if (!e && outfd >= 0 && dup2(outfd, 1) < 0)
		e = errno;
	if (!e && quiet && dup2(null, 2) < 0)
		e = errno;
	if (!e && cwd && chdir(cwd) < 0)
		e = errno;
	if (!e) {
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		e = errno;
	}
	ssize_t w = write(errfd, &e, sizeof e);
	(void)w;
	_exit(127);
}

int proc_capture(char *const argv[], const char *cwd, struct sbuf *out, int quiet)
{
	int pipefd[2] = { -1, -1 }, errpipe[2];
	if (out && pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		int e = errno;
		if (out)
			close(pipefd[0]), close(pipefd[1]);
		errno = e;
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		if (out)
			close(pipefd[0]), close(pipefd[1]);
		close(errpipe[0]);
		close(errpipe[1]);
		errno = e;
		return -1;
	}
	if (pid == 0)
		child(argv, cwd, out ? pipefd[1] : -1, quiet, errpipe[1]);
	close(errpipe[1]);
	int too_much = 0;
	if (out) {
		close(pipefd[1]);
		sb_reset(out);
		for (;;) {
			char buf[8192];
			ssize_t n = read(pipefd[0], buf, sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			if (out->len + (size_t)n > PROC_OUTPUT_MAX)
				too_much = 1;
			else
				sb_add(out, buf, (size_t)n);
		}
		close(pipefd[0]);
		if (!out->s)
			sb_add(out, "", 0);
	}
	int exec_errno = 0;
	ssize_t n;
	while ((n = read(errpipe[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR)
		;
	close(errpipe[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (n == (ssize_t)sizeof exec_errno) {
		errno = exec_errno;
		return -1;
	}
	if (too_much) {
		errno = EFBIG;
		return -1;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
