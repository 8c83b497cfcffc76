/* owner_test.c: who else can change a file: user private groups, and the
 * directories above a path. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "owner.h"
#include "unit.h"
#include "util.h"

static const char passwd[] =
	"root:x:0:0:root:/root:/bin/bash\n"
	"ann:x:1000:1000::/home/ann:/bin/bash\n"
	"bob:x:1001:1001::/home/bob:/bin/bash\n"
	"cat:x:1002:1000::/home/cat:/bin/bash\n"      /* ann's group is cat's primary group */
	"dan:x:1003:1003::/home/dan:/bin/bash\n"
	"eve:x:1004:1004::/home/eve:/bin/bash\n"
	"broken line\n"
	"alias:x:1003:1003::/home/dan:/bin/sh\n";     /* a second name for dan */

static const char group[] =
	"root:x:0:\n"
	"ann:x:1000:\n"
	"bob:x:1001:\n"
	"dan:x:1003:alias,root\n"
	"eve:x:1004:bob\n"
	"team:x:2000:dan\n"
	"ghosts:x:2001:nobody-known\n"
	"staff:x:50:\n";

static void expect(unsigned gid, unsigned uid, int want, const char *want_name, const char *what,
		   const char *pw, const char *gr)
{
	char *name;
	int got = group_private(gid, uid, pw, gr, &name);
	unit_check(got == want && ((!name && !want_name) || (name && want_name &&
							   strcmp(name, want_name) == 0)),
		   what, __FILE__, __LINE__);
	if (got != want)
		printf("#   got %d, want %d\n", got, want);
	free(name);
}

static void test_groups(void)
{
	char *dir = fs_tmpdir("owner_test");
	fs_write(dir, "passwd", passwd);
	fs_write(dir, "group", group);
	char *pw = path_join(dir, "passwd"), *gr = path_join(dir, "group");
	printf("# group_private\n");
	expect(1001, 1001, 1, "bob", "a user private group", pw, gr);
	expect(1000, 1000, 0, "ann", "a group that is another account's primary group", pw, gr);
	expect(1003, 1003, 1, "dan", "members that are the owner (another name) and root", pw, gr);
	expect(1004, 1004, 0, "eve", "a group that lists another user", pw, gr);
	expect(2000, 1003, 1, "team", "a group whose only member is its owner", pw, gr);
	expect(2000, 1001, 0, "team", "the same group for another owner", pw, gr);
	expect(2001, 0, 0, "ghosts", "a member the passwd file does not know counts", pw, gr);
	expect(50, 0, 1, "staff", "root's group without members", pw, gr);
	expect(3000, 1001, 0, NULL, "a group the group file does not list", pw, gr);
	char *none = path_join(dir, "none");
	expect(1001, 1001, 0, NULL, "no group file: nothing is private", pw, none);
	free(none);
	free(pw), free(gr), free(dir);
}

static void test_above(void)
{
	printf("# owner_check_above\n");
	umask(022);
	char *dir = fs_tmpdir("owner_above");
	char *a = fs_mkdir(dir, "a/b/c");
	char *top = path_join(dir, "a");
	char why[1024] = "";
	CHECK(chmod(dir, 0755) == 0);
	CHECK(owner_check_above(a, why, sizeof why) == OWNER_OK);
	CHECK(chmod(top, 0757) == 0);
	CHECK(owner_check_above(a, why, sizeof why) == OWNER_WRITABLE);
	char *want = xasprintf("'%s' is writable by others", top);
	CHECK_STR(why, want);
	free(want);
	CHECK(chmod(top, 01777) == 0);
	CHECK(owner_check_above(a, why, sizeof why) == OWNER_OK);   /* sticky, like /tmp */
	struct stat st;
	CHECK(stat(top, &st) == 0);
	CHECK(owner_check(&st, top, 0, why, sizeof why) == OWNER_WRITABLE);    /* not as the env */
	CHECK(chmod(top, 0755) == 0);
	if (geteuid() == 0) {
		/* A group no /etc/group lists: nobody can tell who is in it. */
		CHECK(chown(top, (uid_t)-1, 54321) == 0 && chmod(top, 02775) == 0);
		CHECK(owner_check_above(a, why, sizeof why) == OWNER_WRITABLE);
		want = xasprintf("'%s' is writable by group 54321, which /etc/group does not list", top);
		CHECK_STR(why, want);
		free(want);
		CHECK(chown(top, 4242, (gid_t)-1) == 0 && chmod(top, 0755) == 0);
		CHECK(owner_check_above(a, why, sizeof why) == OWNER_FOREIGN);
		want = xasprintf("'%s' belongs to another user", top);
		CHECK_STR(why, want);
		free(want);
		CHECK(chown(top, 0, 0) == 0);
	} else {
		printf("# not root: no checks of other owners and groups\n");
	}
	free(top), free(a), free(dir);
}

int main(void)
{
	test_groups();
	test_above();
	return unit_done();
}
