/* proc.c: running a program without a shell (see proc.h). */
#include "proc.h"

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
#include "platform.h"

/* In the child: the streams, the directory, the environment, then exec.
 * A descriptor of -1 leaves that stream as it is; null is /dev/null. */
static void child(const struct proc *p, int in, int out, int err, int report)
{
	signal(SIGPIPE, SIG_DFL);
	if ((in >= 0 && dup2(in, 0) < 0) || (out >= 0 && dup2(out, 1) < 0) ||
	    (err >= 0 && dup2(err, 2) < 0))
		goto fail;
	if (p->cwd && chdir(p->cwd) < 0)
		goto fail;
	for (const char *const *u = p->unset; u && *u; u++)
		unsetenv(*u);
	for (const char *const *s = p->set; s && *s; s++)
		if (putenv((char *)*s) != 0)
			goto fail;
	if (p->search)
		execvp(p->argv[0], p->argv);
	else
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
	int null = -1, status = -1, too_much = 0;
	/* A child that exits before reading all its input must not kill us. */
	void (*oldpipe)(int) = signal(SIGPIPE, SIG_IGN);
	/* Our end of the input pipe does not block: the loop below writes
	 * only what fits while it also reads the child's output. */
	if (pipe_cloexec(rep) < 0 ||
	    (p->input && (pipe_cloexec(inp) < 0 || nonblock(inp[1]) < 0)) ||
	    (p->out && pipe_cloexec(outp) < 0) || (p->err && pipe_cloexec(errp) < 0))
		goto sysfail;
	if (((!p->input && !p->keep_stdin) || (!p->err && p->quiet_err)) &&
	    (null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		goto sysfail;
	if (p->out)
		sb_reset(p->out);
	if (p->err)
		sb_reset(p->err);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		goto sysfail;
	if (pid == 0)
		child(p, p->input ? inp[0] : p->keep_stdin ? -1 : null, outp[1],
		      p->err ? errp[1] : p->quiet_err ? null : -1, rep[1]);
	int ends[] = { rep[1], inp[0], outp[1], errp[1], null };
	for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
		if (ends[i] >= 0)
			close(ends[i]);
	rep[1] = inp[0] = outp[1] = errp[1] = null = -1;
	if (inp[1] >= 0 && !p->inlen) {
		close(inp[1]);
		inp[1] = -1;
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
			char buf[IO_CHUNK];
			ssize_t r = read(fd, buf, sizeof buf);
			if (r > 0) {
				struct sbuf *dst = fd == outp[0] ? p->out : p->err;
				if (dst->len + (size_t)r > PROC_OUTPUT_MAX)
					too_much = 1;
				else
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
		errno = e;
		goto sysfail;
	}
	if (too_much) {
		errno = EFBIG;
		snprintf(err, errlen, "'%s' printed more than %u bytes", p->argv[0], PROC_OUTPUT_MAX);
		goto out;
	}
	status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	goto out;
sysfail:
	snprintf(err, errlen, "cannot run '%s': %s", p->argv[0], strerror(errno));
out:;
	int saved = errno;
	int fds[] = { inp[0], inp[1], outp[0], outp[1], errp[0], errp[1], rep[0], rep[1], null };
	for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	signal(SIGPIPE, oldpipe);
	errno = saved;
	return status;
}

int proc_capture(char *const argv[], const char *cwd, struct sbuf *out, int quiet)
{
	struct proc p = { .argv = argv, .search = 1, .cwd = cwd, .out = out, .quiet_err = quiet };
	char err[MSG_MAX];
	int r = proc_run(&p, err, sizeof err);
	if (out && !out->s)
		sb_add(out, "", 0);
	return r;
}
