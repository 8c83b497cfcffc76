/* cleanup.c: undoing a half-done job when it fails, exits early or is
 * interrupted.  The handlers only record the signal: the job looks at
 * interrupted() between steps, and child processes are waited for, so
 * nothing is removed while something else still writes into it. */
#include "cleanup.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform.h"
#include "tree_remove.h"
#include "util.h"

struct action {
	enum cleanup_kind kind;
	char *path, *other;
	int live;
};

static struct action *actions;
static int nactions;
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	if (!caught)
		caught = sig;
}

static void at_exit(void)
{
	cleanup_run();
}

void cleanup_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;        /* no SA_RESTART: a blocking wait returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	atexit(at_exit);
}

int cleanup_add(enum cleanup_kind kind, const char *path, const char *other)
{
	actions = xrealloc(actions, (size_t)(nactions + 1) * sizeof *actions);
	actions[nactions].kind = kind;
	actions[nactions].path = xstrdup(path);
	actions[nactions].other = other ? xstrdup(other) : NULL;
	actions[nactions].live = 1;
	return nactions++;
}

void cleanup_drop(int handle)
{
	if (handle < 0 || handle >= nactions || !actions[handle].live)
		return;
	actions[handle].live = 0;
	free(actions[handle].path);
	free(actions[handle].other);
	actions[handle].path = actions[handle].other = NULL;
}

void cleanup_forget(void)
{
	for (int i = 0; i < nactions; i++)
		cleanup_drop(i);
	free(actions);
	actions = NULL;
	nactions = 0;
}

void cleanup_run(void)
{
	for (int i = nactions; i-- > 0;) {
		struct action *a = &actions[i];
		if (!a->live)
			continue;
		char err[MSG_MAX];
		switch (a->kind) {
		case CLEANUP_TREE:
			if (tree_remove(a->path, err, sizeof err) < 0)
				error("%s", err);
			break;
		case CLEANUP_RMDIR:
			rmdir(a->path);
			break;
		case CLEANUP_EXCHANGE:
			if (rename_exchange(a->path, a->other) < 0)
				error("cannot put '%s' back in place: it is now '%s'", a->other, a->path);
			break;
		case CLEANUP_RENAME:
			if (rename_noreplace(a->path, a->other) < 0)
				error("cannot put '%s' back in place: it is now '%s'", a->other, a->path);
			break;
		}
		cleanup_drop(i);
	}
	free(actions);
	actions = NULL;
	nactions = 0;
}

int interrupted(void)
{
	return caught;
}

void cleanup_check(void)
{
	int sig = caught;
	if (!sig)
		return;
	cleanup_run();
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}
