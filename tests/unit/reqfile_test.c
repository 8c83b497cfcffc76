/* reqfile_test.c: the requirements file parser and markers. */
#include <stdlib.h>
#include <string.h>

#include "reqfile.h"
#include "unit.h"

static struct req_file rf;

static void parse(const char *text)
{
	reqfile_free(&rf);
	reqfile_parse(text, &rf);
}

static const struct marker_env env = {
	.python_version = "3.11", .python_full_version = "3.11.2",
	.implementation_name = "cpython", .platform_python_implementation = "CPython",
	.implementation_version = "3.11.2", .sys_platform = "linux", .os_name = "posix",
	.platform_system = "Linux", .platform_machine = "x86_64", .platform_release = "6.1",
	.platform_version = NULL,
};

static int mark(const char *m)
{
	char err[256];
	return marker_eval(m, &env, err, sizeof err);
}

int main(void)
{
	parse("# comment\n\nfoo==1.0  # trailing\nBar[x, y] >= 2, <3 ; python_version < \"3.12\"\n");
	CHECK(rf.n == 2);
	CHECK(rf.l[0].kind == REQ_NAME && rf.l[0].lineno == 3);
	CHECK_STR(rf.l[0].name, "foo");
	CHECK_STR(rf.l[0].spec, "==1.0");
	CHECK_STR(rf.l[1].name, "Bar");
	CHECK_STR(rf.l[1].extras, "x, y");
	CHECK_STR(rf.l[1].spec, ">=2,<3");
	CHECK_STR(rf.l[1].marker, "python_version < \"3.12\"");

	/* Continuations join; the line number is the first line's. */
	parse("one \\\n  ==2.0\ntwo\\\n\n");
	CHECK(rf.n == 2 && rf.l[0].lineno == 1);
	CHECK_STR(rf.l[0].name, "one");
	CHECK_STR(rf.l[0].spec, "==2.0");
	CHECK_STR(rf.l[1].name, "two");

	parse("-r other.txt\n--requirement=more.txt\n-c cons.txt\n-i https://x/simple\n--pre\n"
	      "--no-binary :all:\n-e ./local\n-e git+https://h/r.git#egg=proj\n--index https://y\n");
	CHECK(rf.n == 9);
	CHECK(rf.l[0].kind == REQ_INCLUDE);
	CHECK_STR(rf.l[0].url, "other.txt");
	CHECK(rf.l[1].kind == REQ_INCLUDE);
	CHECK_STR(rf.l[1].url, "more.txt");
	CHECK(rf.l[2].kind == REQ_CONSTRAINT);
	CHECK(rf.l[3].kind == REQ_OPTION && rf.l[4].kind == REQ_OPTION && rf.l[5].kind == REQ_OPTION);
	CHECK(rf.l[6].kind == REQ_EDITABLE && rf.l[6].name == NULL);
	CHECK_STR(rf.l[6].url, "./local");
	CHECK(rf.l[7].kind == REQ_EDITABLE);
	CHECK_STR(rf.l[7].name, "proj");
	CHECK(rf.l[8].kind == REQ_OPTION);      /* a unique prefix of --index-url */

	parse("pkg @ https://h/pkg-1.0.tar.gz ; os_name == 'posix'\n"
	      "https://h/dl/other_pkg-2.1-py3-none-any.whl\n./project\n"
	      "git+https://h/r.git#egg=vcsname\nsafe==1.0 --hash=sha256:abc --hash sha256:def\n");
	CHECK(rf.n == 5);
	CHECK(rf.l[0].kind == REQ_URL);
	CHECK_STR(rf.l[0].url, "https://h/pkg-1.0.tar.gz");
	CHECK_STR(rf.l[0].marker, "os_name == 'posix'");
	CHECK(rf.l[1].kind == REQ_PATH);
	CHECK_STR(rf.l[1].name, "other_pkg");
	CHECK_STR(rf.l[1].spec, "==2.1");
	CHECK(rf.l[2].kind == REQ_PATH && rf.l[2].name == NULL);
	CHECK_STR(rf.l[3].name, "vcsname");
	CHECK(rf.l[4].kind == REQ_NAME);
	CHECK_STR(rf.l[4].spec, "==1.0");

	parse("ignored==1.0 -i https://x -r other.txt\n");
	CHECK(rf.n == 1 && rf.l[0].kind == REQ_NAME);
	CHECK_STR(rf.l[0].spec, "==1.0");

	/* Comments: " #" starts one, a '#' inside a URL does not. */
	parse("x @ https://h/x.zip#sha256=00 # note\n");
	CHECK(rf.n == 1);
	CHECK_STR(rf.l[0].url, "https://h/x.zip#sha256=00");

	setenv("VH_TEST_VER", "4.2", 1);
	parse("envpkg==${VH_TEST_VER}\nkeep==${VH_UNSET_VAR_X}\n");
	CHECK_STR(rf.l[0].spec, "==4.2");
	CHECK(rf.l[1].kind == REQ_ERROR);

	/* Lines pip refuses. */
	parse("foo==\n--bogus-option\nfoo bar\nfoo ; python_version <\nfoo[x\n-i\n"
	      "foo==1.0 --bogus\n=>1\nfoo (>=1\n-e git+https://h/r.git\nfoo @\n");
	CHECK(rf.n == 11);
	for (size_t i = 0; i < rf.n; i++)
		CHECK(rf.l[i].kind == REQ_ERROR && rf.l[i].error != NULL);

	CHECK(mark("python_version < '3.12'") == 1);
	CHECK(mark("python_version >= \"3.12\"") == 0);
	CHECK(mark("sys_platform == 'win32' or (os_name == 'posix' and platform_machine != 'arm64')") == 1);
	CHECK(mark("'linux' in sys_platform") == 1);
	CHECK(mark("python_full_version ~= '3.11.0'") == 1);
	CHECK(mark("extra == 'test'") == 0);
	CHECK(mark("implementation_name == 'pypy' and python_version > '3'") == 0);
	CHECK(mark("platform_version == 'x'") == -2);
	CHECK(mark("python_version < ") == -1);
	CHECK(mark("bogus == '1'") == -1);
	CHECK(mark("'a' == 'b'") == -1);
	CHECK(mark("(python_version == '3.11'") == -1);
	CHECK(mark("python_version == '3.11' trailing") == -1);

	/* Lines split as str.splitlines() splits them; options as optparse reads them. */
	parse("a==1\fb==2\vc==3\x1c" "d==4\n--pre foo\n-r one.txt -r two.txt\n-e ./p -r x.txt\n");
	CHECK(rf.n == 7);
	CHECK_STR(rf.l[3].name, "d");
	CHECK(rf.l[4].kind == REQ_OPTION);
	CHECK(rf.l[5].kind == REQ_INCLUDE);
	CHECK_STR(rf.l[5].url, "one.txt");
	CHECK(rf.l[6].kind == REQ_EDITABLE);
	parse("name @ https://h/n.whl;os_name=='posix'\nname==1.0 ;\n");
	CHECK(rf.n == 2 && rf.l[0].kind == REQ_URL && rf.l[1].kind == REQ_NAME);
	CHECK_STR(rf.l[0].url, "https://h/n.whl");
	CHECK_STR(rf.l[0].marker, "os_name=='posix'");
	CHECK(rf.l[1].marker == NULL);
	parse("alpha>=2.0<3\n");
	CHECK(rf.l[0].kind == REQ_ERROR && rf.l[0].pip_refuses);
	reqfile_free(&rf);
	reqfile_parse_pip("alpha>=2.0<3\n--install-option=--x\n-C k=v\n", 2300, &rf);
	CHECK(rf.n == 3 && rf.l[0].kind == REQ_NAME && rf.l[1].kind == REQ_OPTION);
	CHECK(rf.l[2].kind == REQ_ERROR);

	/* Markers nest at most MARKER_DEPTH_MAX parentheses. */
	char deep[512] = "";
	for (int i = 0; i < MARKER_DEPTH_MAX + 1; i++)
		strcat(deep, "(");
	strcat(deep, "os_name == 'posix'");
	CHECK(mark(deep) == -1);
	CHECK(mark("((os_name == 'posix'))") == 1);
	/* A release that is not a version: false before pip 24.1, an error after. */
	struct marker_env debian = env;
	debian.platform_release = "6.1.0-13-amd64";
	char err[256];
	debian.pip = 2300;
	CHECK(marker_eval("platform_release >= '1'", &debian, err, sizeof err) == 0);
	CHECK(marker_eval("platform_release == '6.1.0-13-amd64'", &debian, err, sizeof err) == 1);
	debian.pip = 2402;
	CHECK(marker_eval("platform_release >= '1'", &debian, err, sizeof err) == -3);

	/* Decoding: BOMs, UTF-8 only otherwise. */
	char *d = reqfile_decode("\xff\xfe" "a\0=\0=\0" "1\0", 10, err, sizeof err);
	CHECK_STR(d, "a==1");
	free(d);
	CHECK(reqfile_decode("a==1 \xff", 6, err, sizeof err) == NULL);
	d = reqfile_decode("\xef\xbb\xbf" "a", 4, err, sizeof err);
	CHECK_STR(d, "a");
	free(d);

	reqfile_free(&rf);
	return unit_done();
}
