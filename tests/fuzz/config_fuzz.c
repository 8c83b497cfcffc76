/* config_fuzz.c: libFuzzer harness for config.ini parsing and the settings'
 * use.  make fuzz; then
 *   tests/fuzz/config_fuzz.fuzz -max_total_time=60 -dict=tests/fuzz/config.dict \
 *       NEW_CORPUS_DIR tests/fuzz/seeds/config   (or make fuzz-run) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* file_read refuses what is larger, or holds a NUL byte. */
	if (size > CONFIG_FILE_MAX || memchr(data, 0, size))
		return 0;
	char *text = xstrndup((const char *)data, size);
	struct config c;
	char err[1024];
	config_init(&c);
	int r = config_parse(&c, text, "/fuzz/config.ini", err, sizeof err);
	if (r < 0 && (!c.error || strncmp(err, "'/fuzz/config.ini' line ", 24) != 0))
		abort();        /* every failure names the file and a line */
	if (r < 0 && (c.n_ignore || c.ceiling.n || c.markers.n || c.trust_dirs.n || !c.notify))
		abort();        /* nothing of a malformed file is kept */
	config_ignored(&c, "/home/user/src/project/sub", NULL);
	config_ignored(&c, "/home/\xff\xfe/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", NULL);
	config_ceiling_stops(&c, "/home/user/src/project", "/home");
	config_trusted(&c, "/home/user/.virtualenvs/x");
	char *p = config_prompt_prefix(&c, "name\x1b");
	for (char *s = p; *s; s++)
		if ((unsigned char)*s < 0x20)
			abort();    /* the prompt never gets a control byte */
	free(p);
	config_free(&c);
	free(text);
	return 0;
}
