/* suggest_test.c: the edit distance and the nearest command. */
#include <stdint.h>

#include "suggest.h"
#include "unit.h"

int main(void)
{
	CHECK(edit_distance("", "") == 0);
	CHECK(edit_distance("freeze", "freeze") == 0);
	CHECK(edit_distance("", "abc") == 3);
	CHECK(edit_distance("abc", "") == 3);
	CHECK(edit_distance("frezee", "freeze") == 1);      /* a transposition */
	CHECK(edit_distance("hepl", "help") == 1);
	CHECK(edit_distance("lst", "list") == 1);           /* an insertion */
	CHECK(edit_distance("listt", "list") == 1);         /* a deletion */
	CHECK(edit_distance("lust", "list") == 1);          /* a substitution */
	CHECK(edit_distance("kitten", "sitting") == 3);
	CHECK(edit_distance("ca", "abc") == 3);             /* optimal string alignment */
	CHECK(edit_distance("sync", "sycn") == 1);
	char longw[80];
	memset(longw, 'a', sizeof longw - 1);
	longw[sizeof longw - 1] = '\0';
	CHECK(edit_distance(longw, "a") == SIZE_MAX);

	const char *const words[] = { "init", "allow", "deny", "status", "create", "rm",
				      "list", "prune", "repair", "freeze", "check", "sync", "help" };
	size_t n = sizeof words / sizeof words[0], best[16], k;
	k = suggest_nearest("frezee", words, n, best);
	CHECK(k == 1 && best[0] == 9);
	k = suggest_nearest("stauts", words, n, best);
	CHECK(k == 1 && best[0] == 3);
	k = suggest_nearest("creat", words, n, best);
	CHECK(k == 1 && best[0] == 4);
	k = suggest_nearest("dany", words, n, best);        /* deny only: allow is far */
	CHECK(k == 1 && best[0] == 2);
	k = suggest_nearest("chek", words, n, best);
	CHECK(k == 1 && best[0] == 10);
	/* Ties: every nearest word, in the table's order. */
	const char *const ab[] = { "abcd", "xbcd", "abcx" };
	k = suggest_nearest("zbcd", ab, 3, best);
	CHECK(k == 2 && best[0] == 0 && best[1] == 1);
	/* Too far to be a slip: nothing. */
	CHECK(suggest_nearest("nope", words, n, best) == 0);
	CHECK(suggest_nearest("x", words, n, best) == 0);       /* rm is two edits from a one-byte word */
	CHECK(suggest_nearest("remove", words, n, best) == 0);
	CHECK(suggest_nearest("", words, n, best) == 0);
	CHECK(suggest_nearest("rn", words, n, best) == 1);      /* one edit in two bytes: rm */
	CHECK(suggest_nearest("frzzee", words, n, best) == 1);  /* two edits in six */
	CHECK(suggest_nearest("fzzzee", words, n, best) == 0);  /* three */
	return unit_done();
}
