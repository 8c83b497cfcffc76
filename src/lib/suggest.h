/* suggest.h: the nearest of a few words, for "did you mean ...?". */
#ifndef VENVHOOK_SUGGEST_H
#define VENVHOOK_SUGGEST_H

#include <stddef.h>

/* The edit distance between a and b: insertions, deletions, substitutions
 * and transpositions of two adjacent bytes, each costing one (Damerau-
 * Levenshtein, optimal string alignment).  Words longer than 64 bytes
 * count as SIZE_MAX away. */
size_t edit_distance(const char *a, const char *b);

/* Fills best (room for n) with the indexes of the words nearest to typed,
 * in their order, and returns how many: none when even the nearest is too
 * far to be a slip (more than two edits, or more than a third of the word
 * changed, rounded up). */
size_t suggest_nearest(const char *typed, const char *const *words, size_t n, size_t *best);

#endif
