/* utf8.c: strict UTF-8, as Python's decoder reads it. */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	if (!n)
		return 0;
	size_t len;
	unsigned long min;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	unsigned long c = s[0] & (0xff >> (len + 1));
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

size_t utf8_write(unsigned long c, char out[4])
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	size_t len = c < 0x800 ? 2 : c < 0x10000 ? 3 : c < 0x110000 ? 4 : 0;
	if (!len)
		return 0;
	/* The lead byte: len high bits set, then what of c is left. */
	for (size_t k = len - 1; k > 0; k--, c >>= 6)
		out[k] = (char)(0x80 | (c & 0x3f));
	out[0] = (char)((0xff00 >> len & 0xff) | c);
	return len;
}

int utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned long c;
	for (size_t i = 0, k; i < n; i += k) {
		/* ASCII, eight bytes at a time: most of a long description. */
		uint64_t w;
		if (i + 8 <= n && (memcpy(&w, s + i, 8), !(w & UINT64_C(0x8080808080808080)))) {
			k = 8;
			continue;
		}
		if (!(k = utf8_decode(s + i, n - i, &c)))
			return 0;
	}
	return 1;
}
