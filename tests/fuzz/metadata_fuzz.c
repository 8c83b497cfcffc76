/* fuzz_metadata.c: libFuzzer harness for the METADATA / PKG-INFO header
 * parser, the UTF-8 check, newline translation and direct_url.json.
 * Build with `make fuzz`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "pep440.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	/* As freeze reads a file: no NUL, valid UTF-8, newlines translated. */
	if (!memchr(text, '\0', size) && utf8_valid(text, size)) {
		size_t n = newline_translate(text, size);
		if (n > size || memchr(text, '\r', n))
			abort();
		struct meta m;
		meta_parse(text, &m);
		if (m.name) {
			char *c = canonical_name(m.name);
			free(c);
		}
		if (m.version) {
			char *v = pep440_normalize(m.version);
			free(v);
		}
		meta_free(&m);
	}
	struct direct_url d;
	char err[256];
	if (direct_url_parse((const char *)data, size, &d, err, sizeof err) == 0) {
		if (!d.url || d.kind == DIRECT_NONE)
			abort();
		direct_url_free(&d);
	}
	free(text);
	return 0;
}
