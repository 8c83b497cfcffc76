/* fsutil.h: temporary trees for the C unit tests. */
#ifndef VENVHOOK_FSUTIL_H
#define VENVHOOK_FSUTIL_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "util.h"

static inline int fs_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (flag == FTW_DP)
		chmod(path, 0700);
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* rm -rf path. */
static inline int fs_rm_rf(const char *path)
{
	return nftw(path, fs_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A new directory /tmp/NAME.XXXXXX (always under /tmp, whatever $TMPDIR says). */
static inline char *fs_tmpdir(const char *name)
{
	char *t = xasprintf("/tmp/%s.XXXXXX", name);
	if (!mkdtemp(t)) {
		perror("mkdtemp");
		exit(1);
	}
	return t;
}

/* mkdir -p path (independent of util.c's mkdir_p, which is under test). */
static inline void fs_mkdirs(const char *path)
{
	char *p = strdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "cannot create '%s': %s\n", p, strerror(errno));
		exit(1);
	}
	free(p);
}

/* mkdir -p dir/name; returns the path. */
static inline char *fs_mkdir(const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	fs_mkdirs(path);
	return path;
}

/* Writes n bytes to dir/name (name may hold slashes; parents are created). */
static inline void fs_writen(const char *dir, const char *name, const char *text, size_t n)
{
	char *path = path_join(dir, name);
	char *parent = path_dirname(path);
	fs_mkdirs(parent);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(text, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "cannot write '%s': %s\n", path, strerror(errno));
		exit(1);
	}
	free(parent);
	free(path);
}

static inline void fs_write(const char *dir, const char *name, const char *text)
{
	fs_writen(dir, name, text, strlen(text));
}

/* A minimal env at path: pyvenv.cfg and bin/python linking to /usr/bin/python3. */
static inline void fs_fake_venv(const char *path, const char *cfg)
{
	fs_write(path, "pyvenv.cfg", cfg ? cfg : "home = /usr/bin\ninclude-system-site-packages = false\n"
						"version = 3.11.2\n");
	char *bin = fs_mkdir(path, "bin");
	char *py = path_join(bin, "python");
	if (symlink("/usr/bin/python3", py) < 0 && errno != EEXIST) {
		fprintf(stderr, "cannot link '%s': %s\n", py, strerror(errno));
		exit(1);
	}
	free(py);
	free(bin);
}

/* What the child pid wrote to the pipe fd, into out; closes fd and returns
 * the child's exit status, or -1. */
static inline int fs_collect(pid_t pid, int fd, struct sbuf *out)
{
	char err[MSG_MAX];
	if (fd_read_all(fd, "the child's output", SIZE_MAX, NULL, out, err, sizeof err) < 0)
		printf("#   %s\n", err);
	close(fd);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Runs fn(dir) in a child, for what needs a namespace of its own, and checks
 * that it exits 0 (what); it exits 99 where the system does not allow it
 * (then skipped says so), else with the step that failed. */
static inline void fs_check_child(int (*fn)(const char *), const char *dir, const char *what,
				  const char *skipped, const char *file, int line)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn(dir));
	int status = -1;
	waitpid(pid, &status, 0);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (code == 99) {
		printf("# %s\n", skipped);
		return;
	}
	unit_check(code == 0, what, file, line);
	if (code)
		printf("#   failed at step %d\n", code);
}

/* Runs argv (envp NULL: the current environment) in cwd (NULL: here) with
 * stdin from /dev/null; stdout goes to out.  Returns the exit status, or -1. */
static inline int fs_capture(char *const argv[], char *const envp[], const char *cwd,
			     struct sbuf *out)
{
	int fd[2];
	if (pipe(fd) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		if (cwd && chdir(cwd) < 0)
			_exit(126);
		if (envp)
			execve(argv[0], argv, envp);
		else
			execv(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	return fs_collect(pid, fd[0], out);
}

#endif
