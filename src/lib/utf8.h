/* utf8.h: strict UTF-8, as Python's decoder reads it: no overlong forms, no
 * surrogates, nothing past U+10FFFF. */
#ifndef VENVHOOK_UTF8_H
#define VENVHOOK_UTF8_H

#include <stddef.h>

/* Decodes the sequence at s (at most n bytes): returns its length and sets
 * *cp, or returns 0 if it is not valid UTF-8 (or n is 0). */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp);
/* Writes code point c as UTF-8 to out: returns its length (1 to 4), or 0
 * for c past U+10FFFF. */
size_t utf8_write(unsigned long c, char out[4]);
/* 1 if the n bytes at s are valid UTF-8, else 0. */
int utf8_valid(const char *s, size_t n);

#endif
