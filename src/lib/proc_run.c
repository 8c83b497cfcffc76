/* proc_run.c: running a child process (Python) and collecting its output. */
#include "proc_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "file_at.h"

static void child(const struct proc *p, int in, int out, int err, int report)
{
	signal(SIGPIPE, SIG_DFL);
	if (!p->inherit_stdio) {
		if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			goto fail;
	}
	if (p->cwd && chdir(p->cwd) < 0)
		goto fail;
	for (const char *const *u = p->unset; u && *u; u++)
		unsetenv(*u);
	for (const char *const *s = p->set; s && *s; s++)
		if (putenv((char *)*s) != 0)
			goto fail;
	execv(p->argv[0], p->argv);
fail:;
	int e = errno;
	ssize_t w = write(report, &e, sizeof e);
	(void)w;
	_exit(127);
}

static int nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int proc_run(const struct proc *p, char *err, size_t errlen)
{
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, rep[2] = { -1, -1 };
	int status = -1;
	/* A child that exits before reading all its input must not kill us. */
	void (*oldpipe)(int) = signal(SIGPIPE, SIG_IGN);
	if (pipe2(rep, O_CLOEXEC) < 0)
		goto sysfail;
	if (!p->inherit_stdio) {
		if (pipe2(inp, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
			goto sysfail;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		goto sysfail;
	if (pid == 0)
		child(p, inp[0], outp[1], errp[1], rep[1]);
	close(rep[1]);
	rep[1] = -1;
	if (!p->inherit_stdio) {
		close(inp[0]);
		close(outp[1]);
		close(errp[1]);
		inp[0] = outp[1] = errp[1] = -1;
		if (!p->input || !p->inlen) {
			close(inp[1]);
			inp[1] = -1;
		} else {
			nonblock(inp[1]);
		}
	}
	size_t sent = 0;
	int forwarded = 0;
	for (;;) {
		if (interrupted() && !forwarded) {
			kill(pid, interrupted());
			forwarded = 1;
		}
		struct pollfd fds[3];
		int n = 0;
		if (inp[1] >= 0)
			fds[n++] = (struct pollfd){ inp[1], POLLOUT, 0 };
		if (outp[0] >= 0)
			fds[n++] = (struct pollfd){ outp[0], POLLIN, 0 };
		if (errp[0] >= 0)
			fds[n++] = (struct pollfd){ errp[0], POLLIN, 0 };
		if (!n)
			break;
		if (poll(fds, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < n; i++) {
			if (!fds[i].revents)
				continue;
			int fd = fds[i].fd;
			if (fd == inp[1]) {
				ssize_t w = write(fd, p->input + sent, p->inlen - sent);
				if (w > 0)
					sent += (size_t)w;
				if ((w < 0 && errno != EAGAIN && errno != EINTR) || sent == p->inlen) {
					close(inp[1]);
					inp[1] = -1;
				}
				continue;
			}
			char buf[8192];
			ssize_t r = read(fd, buf, sizeof buf);
			if (r > 0) {
				struct sbuf *dst = fd == outp[0] ? p->out : p->err;
				if (dst)
					sb_add(dst, buf, (size_t)r);
			} else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
				close(fd);
				if (fd == outp[0])
					outp[0] = -1;
				else
					errp[0] = -1;
			}
		}
	}
	int ws;
	for (;;) {
		if (waitpid(pid, &ws, 0) >= 0)
			break;
		if (errno != EINTR) {
			snprintf(err, errlen, "cannot wait for '%s': %s", p->argv[0], strerror(errno));
			goto out;
		}
		if (interrupted() && !forwarded) {
			kill(pid, interrupted());
			forwarded = 1;
		}
	}
	int e;
	ssize_t got;
	while ((got = read(rep[0], &e, sizeof e)) < 0 && errno == EINTR)
		;
	if (got == (ssize_t)sizeof e) {
		snprintf(err, errlen, "cannot run '%s': %s", p->argv[0], strerror(e));
		goto out;
	}
	status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	goto out;
sysfail:
	snprintf(err, errlen, "cannot run '%s': %s", p->argv[0], strerror(errno));
out:;
	int fds[] = { inp[0], inp[1], outp[0], outp[1], errp[0], errp[1], rep[0], rep[1] };
	for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	signal(SIGPIPE, oldpipe);
	return status;
}
