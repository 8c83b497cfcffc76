/* pep440_test.c: version normalization, ordering and specifiers. */
#include <stdlib.h>

#include "pep440.h"
#include "unit.h"

static void norm(const char *in, const char *want)
{
	char *got = pep440_normalize(in);
	CHECK_STR(got, want);
	free(got);
}

static int cmp(const char *a, const char *b)
{
	struct pep440 x, y;
	if (pep440_parse(a, &x) < 0)
		return 99;
	if (pep440_parse(b, &y) < 0) {
		pep440_free(&x);
		return 99;
	}
	int c = pep440_cmp(&x, &y);
	pep440_free(&x);
	pep440_free(&y);
	return c < 0 ? -1 : c > 0;
}

static int spec(const char *set, const char *version)
{
	struct pep440 v;
	if (pep440_parse(version, &v) < 0)
		return 99;
	int r = pep440_specset_match(set, &v, version);
	pep440_free(&v);
	return r;
}

int main(void)
{
	/* What packaging 21.3 (pip 23.0.1's) prints for str(Version(s)). */
	norm("1.0.0-rc1", "1.0.0rc1");
	norm("v1.0", "1.0");
	norm("1!2.0", "1!2.0");
	norm("0!2.0", "2.0");
	norm("1.0-1", "1.0.post1");
	norm("1.0.post", "1.0.post0");
	norm("1.0_a_1", "1.0a1");
	norm("1.0.dev", "1.0.dev0");
	norm("1.0+ABC.007-x", "1.0+abc.7.x");
	norm(" 1.0 ", "1.0");
	norm("1.0a1.post2.dev3", "1.0a1.post2.dev3");
	norm("00.01", "0.1");
	norm("1.0c1", "1.0rc1");
	norm("1.0preview2", "1.0rc2");
	norm("1.0r5", "1.0.post5");
	norm("1.0-r", "1.0.post0");
	norm("1.0.rev", "1.0.post0");
	norm("1.0-post1", "1.0.post1");
	norm("1.0.post-1", "1.0.post1");
	norm("1.0pre", "1.0rc0");
	norm("1.0DEV", "1.0.dev0");
	norm("1.0ALPHA3", "1.0a3");
	norm("2.0B", "2.0b0");
	norm("123456789012345678901234567890.0", "123456789012345678901234567890.0");
	norm("abc", NULL);
	norm("1.0+", NULL);
	norm("1.0..0", NULL);
	norm("1.0-", NULL);
	norm("", NULL);
	norm("2004d", NULL);
	norm("1.0 beta", NULL);

	CHECK(cmp("1.0", "1.0.0") == 0);
	CHECK(cmp("1.0.dev0", "1.0a0") == -1);
	CHECK(cmp("1.0a1", "1.0b0") == -1);
	CHECK(cmp("1.0rc1", "1.0") == -1);
	CHECK(cmp("1.0", "1.0.post0") == -1);
	CHECK(cmp("1.0.post0.dev0", "1.0.post0") == -1);
	CHECK(cmp("1.0", "1.0+local") == -1);
	CHECK(cmp("1.0+abc", "1.0+5") == -1);
	CHECK(cmp("1.0+5", "1.0+5.0") == -1);
	CHECK(cmp("1!0.1", "2.0") == 1);
	CHECK(cmp("1.10", "1.9") == 1);
	CHECK(cmp("10000000000000000000000.1", "9999999999999999999999.1") == 1);

	CHECK(spec("==1.0", "1.0.0") == 1);
	CHECK(spec("==1.0", "1.0+local") == 1);
	CHECK(spec("==1.0+other", "1.0+local") == 0);
	CHECK(spec("==1.*", "1.5.2") == 1);
	CHECK(spec("==1.*", "2.0") == 0);
	CHECK(spec("!=1.5.*", "1.5.9") == 0);
	CHECK(spec(">=1.0,<2", "1.9") == 1);
	CHECK(spec(">=1.0, <2", "2.0") == 0);
	CHECK(spec("<2.0", "2.0rc1") == 0);
	CHECK(spec("<2.0rc2", "2.0rc1") == 1);
	CHECK(spec(">1.0", "1.0.post1") == 0);
	CHECK(spec(">1.0", "1.0+local") == 0);
	CHECK(spec(">1.0", "1.1") == 1);
	CHECK(spec("~=2.2", "2.9") == 1);
	CHECK(spec("~=2.2", "3.0") == 0);
	CHECK(spec("~=2.2.1", "2.2.5") == 1);
	CHECK(spec("~=2.2.1", "2.3") == 0);
	CHECK(spec("~=2", "2.0") == -1);
	CHECK(spec("===1.0", "1.0") == 1);
	CHECK(spec("===1.0", "1.0.0") == 0);
	CHECK(spec("", "1.0") == 1);
	CHECK(spec("=>1.0", "1.0") == -1);
	CHECK(spec(">=1.0,", "1.0") == -1);
	CHECK(spec(">=1.*", "1.0") == -1);
	CHECK(spec("<=1.0+local", "1.0") == -1);
	return unit_done();
}
