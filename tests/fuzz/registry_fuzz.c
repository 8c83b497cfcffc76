/* registry_fuzz.c: libFuzzer harness for the registry file's text: whatever
 * it holds, what is kept is written back and read again unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct registry r, back;
	registry_parse(text, &r);
	struct sbuf out = SBUF_INIT, again = SBUF_INIT;
	registry_format(&r, &out);
	if (registry_parse(out.s, &back) != 0 || back.n != r.n)
		abort();
	registry_format(&back, &again);
	if (out.len != again.len || memcmp(out.s, again.s, out.len) != 0)
		abort();
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.e[i].env, back.e[i].env) != 0 || r.e[i].used != back.e[i].used)
			abort();
	registry_free(&r);
	registry_free(&back);
	sb_free(&out);
	sb_free(&again);
	free(text);
	return 0;
}
