/* suggest.c: the nearest of a few words, for "did you mean ...?". */
#include "suggest.h"

#include <stdint.h>
#include <string.h>

#define WORD_MAX 64

size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > WORD_MAX || lb > WORD_MAX)
		return SIZE_MAX;
	/* d[i][j]: the distance between a's first i bytes and b's first j. */
	size_t d[WORD_MAX + 1][WORD_MAX + 1];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

size_t suggest_nearest(const char *typed, const char *const *words, size_t n, size_t *best)
{
	size_t len = strlen(typed);
	size_t limit = (len + 2) / 3;   /* a third of the word, rounded up */
	if (limit > 2)
		limit = 2;
	size_t min = SIZE_MAX, k = 0;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(typed, words[i]);
		if (d > limit || d > min)
			continue;
		if (d < min) {
			min = d;
			k = 0;
		}
		best[k++] = i;
	}
	return k;
}
