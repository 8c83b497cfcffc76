/* delete_test.c: the one tree deleter (tree_remove) and the one env
 * deleter (env_delete): what they remove, what they refuse, and that they
 * never follow a link or cross a mount. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "env_delete.h"
#include "fsutil.h"
#include "tree_remove.h"
#include "unit.h"

static char *root;

static int exists(const char *dir, const char *name)
{
	struct stat st;
	char *p = path_join(dir, name);
	int r = lstat(p, &st) == 0;
	free(p);
	return r;
}

static void test_tree_remove(void)
{
	char err[1024];
	printf("# tree_remove\n");
	char *keep = fs_mkdir(root, "keep");
	fs_write(keep, "file", "kept");
	char *t = fs_mkdir(root, "t");
	fs_write(t, "a/b/c/f", "x");
	fs_write(t, "top", "x");
	char *l1 = path_join(t, "a/to-dir"), *l2 = path_join(t, "to-file");
	char *kf = path_join(keep, "file");
	CHECK(symlink(keep, l1) == 0 && symlink(kf, l2) == 0);
	/* A read-only directory of ours, and one inside it. */
	char *ro = fs_mkdir(t, "a/ro/deeper");
	fs_write(ro, "f", "x");
	char *rop = path_join(t, "a/ro");
	CHECK(chmod(ro, 0500) == 0 && chmod(rop, 0500) == 0);
	CHECK(tree_remove(t, err, sizeof err) == 0);
	CHECK(!exists(root, "t"));
	unit_check(exists(keep, "file"), "  what a link pointed at stays", __FILE__, __LINE__);
	CHECK(tree_remove(t, err, sizeof err) == 0);     /* missing: nothing to do */

	/* At the top, a file or a link is removed as it is. */
	fs_write(root, "plain", "x");
	char *plain = path_join(root, "plain"), *link = path_join(root, "link");
	CHECK(symlink(keep, link) == 0);
	CHECK(tree_remove(plain, err, sizeof err) == 0 && !exists(root, "plain"));
	CHECK(tree_remove(link, err, sizeof err) == 0 && !exists(root, "link"));
	CHECK(exists(keep, "file"));

	/* Relative to a directory, with the name shown in messages. */
	char *u = fs_mkdir(root, "u");
	fs_write(u, "x/y", "z");
	int dfd = open(root, O_RDONLY | O_DIRECTORY);
	CHECK(tree_remove_at(dfd, "u", "shown", err, sizeof err) == 0 && !exists(root, "u"));
	close(dfd);
	free(u);
	free(plain);
	free(link);
	free(rop);
	free(ro);
	free(kf);
	free(l1);
	free(l2);
	free(t);
	free(keep);
}

/* In a mount namespace: the steps of each case exit with 10 + step when
 * an expectation fails, 99 when no namespace or mount is allowed here. */
static int mount_child(const char *dir)
{
	char err[1024];
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return 99;
	/* tree_remove: a mount point below the top stops it, untouched. */
	char *t = fs_mkdir(dir, "t");
	char *mnt = fs_mkdir(t, "lib/mnt");
	if (mount("tmpfs", mnt, "tmpfs", 0, "size=64k") < 0)
		return 99;
	fs_write(mnt, "f", "kept");
	if (tree_remove(t, err, sizeof err) == 0)
		return 10;
	if (!strstr(err, "lib/mnt': it is another file system (a mount point)"))
		return 11;
	if (!exists(mnt, "f"))
		return 12;
	if (umount(mnt) < 0 || tree_remove(t, err, sizeof err) < 0 || exists(dir, "t"))
		return 13;
	/* env_delete: a mount inside refuses before anything moves. */
	char *env = fs_mkdir(dir, "env");
	fs_fake_venv(env, NULL);
	char *emnt = fs_mkdir(env, "lib/mnt");
	if (mount("tmpfs", emnt, "tmpfs", 0, "size=64k") < 0)
		return 99;
	if (env_delete(env, err, sizeof err) == 0 || !strstr(err, "a file system is mounted at") ||
	    !exists(env, "pyvenv.cfg"))
		return 14;
	if (umount(emnt) < 0)
		return 15;
	/* Where the mount table cannot be read, nothing is assumed. */
	if (mount("tmpfs", "/proc", "tmpfs", 0, "size=64k") < 0)
		return 99;
	if (env_deletable(env, err, sizeof err) ||
	    !strstr(err, "cannot tell whether a file system is mounted inside it"))
		return 16;
	return 0;
}

static void test_mounts(void)
{
	printf("# mount points\n");
	char *dir = fs_mkdir(root, "mounts");
	fs_check_child(mount_child, dir, "a mount stops tree_remove and env_delete; an unknown one too",
		       "no mount namespace here: the mount cases are not run", __FILE__, __LINE__);
	free(dir);
}

static void test_env_delete(void)
{
	char err[1024];
	printf("# env_delete\n");
	char *env = fs_mkdir(root, "envs/e");
	fs_fake_venv(env, NULL);
	fs_write(env, "lib/python3.11/site-packages/x.py", "x");
	CHECK(env_deletable(env, err, sizeof err));
	CHECK(env_delete(env, err, sizeof err) == 0);
	char *envs = path_join(root, "envs");
	unit_check(!exists(envs, "e") && rmdir(envs) == 0, "  gone, and nothing left beside it",
		   __FILE__, __LINE__);

	/* Refused, untouched. */
	fs_fake_venv(env, NULL);
	fs_write(env, "app.py", "print(1)");
	CHECK(env_delete(env, err, sizeof err) < 0);
	CHECK_STR(strstr(err, "it holds 'app.py', which is no part of an env"),
		  "it holds 'app.py', which is no part of an env");
	CHECK(exists(env, "app.py") && exists(env, "pyvenv.cfg"));
	char *app = path_join(env, "app.py");
	unlink(app);
	char *git = fs_mkdir(env, ".git");
	CHECK(env_delete(env, err, sizeof err) < 0 && strstr(err, "it is a project directory (it holds '.git')"));
	rmdir(git);
	char *cfg = path_join(env, "pyvenv.cfg");
	unlink(cfg);
	CHECK(env_delete(env, err, sizeof err) < 0 && strstr(err, "(no pyvenv.cfg)"));
	fs_fake_venv(env, NULL);
	char *link = path_join(root, "envs/link");
	CHECK(symlink(env, link) == 0);
	CHECK(env_delete(link, err, sizeof err) < 0 && strstr(err, "it is a symbolic link"));
	CHECK(exists(env, "pyvenv.cfg"));
	CHECK(env_delete("/", err, sizeof err) < 0);
	CHECK_STR(err, "refusing to remove '/'");
	char *missing = path_join(root, "envs/missing");
	CHECK(env_delete(missing, err, sizeof err) < 0 && strstr(err, "No such file"));

	/* $HOME and what holds it. */
	const char *home = getenv("HOME");
	char *saved = home ? xstrdup(home) : NULL;
	setenv("HOME", env, 1);
	CHECK(env_delete(env, err, sizeof err) < 0 && strstr(err, "it is your home directory"));
	char *sub = fs_mkdir(env, "lib/home");
	setenv("HOME", sub, 1);
	CHECK(env_delete(env, err, sizeof err) < 0 && strstr(err, "it holds your home directory"));
	if (saved)
		setenv("HOME", saved, 1);
	else
		unsetenv("HOME");
	CHECK(exists(env, "pyvenv.cfg"));

	/* Another user's env (as root only: chown needs it). */
	if (geteuid() == 0) {
		CHECK(chown(env, 65534, 65534) == 0);
		CHECK(env_delete(env, err, sizeof err) < 0 && strstr(err, "it belongs to another user"));
		CHECK(chown(env, 0, 0) == 0);
	}
	CHECK(env_delete(env, err, sizeof err) == 0 && !exists(envs, "e"));
	free(missing);
	free(saved);
	free(sub);
	free(link);
	free(cfg);
	free(git);
	free(app);
	free(envs);
	free(env);
}

int main(void)
{
	root = fs_tmpdir("delete_test");
	test_tree_remove();
	test_env_delete();
	test_mounts();
	fs_rm_rf(root);
	free(root);
	return unit_done();
}
