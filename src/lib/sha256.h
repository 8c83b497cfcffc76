/* sha256.h: SHA-256, as the RECORD files of installed Python packages use it. */
#ifndef VENVHOOK_SHA256_H
#define VENVHOOK_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t used;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* The digest of data as lowercase hex (65 bytes with the NUL). */
void sha256_hex(const void *data, size_t n, char out[65]);
/* The same for the strings a and b with a NUL byte between them: a name
 * for the pair (the NUL keeps ("ab", "c") apart from ("a", "bc")). */
void sha256_hex_pair(const char *a, const char *b, char out[65]);
/* "sha256=" and the digest in URL-safe base64 without padding: the hash
 * field of a RECORD row.  out holds at least 51 bytes. */
void sha256_record(const void *data, size_t n, char out[51]);

#endif
