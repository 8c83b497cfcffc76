/* zip.h: reading the members of a zip archive (a wheel), with zlib. */
#ifndef VENVHOOK_ZIP_H
#define VENVHOOK_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct zip_entry {
	char *name;             /* as stored; directories end with '/' */
	unsigned method;        /* 0 stored, 8 deflated */
	uint32_t crc;
	uint64_t csize, usize;
	uint64_t offset;        /* of the local header */
	uint32_t attr;          /* external attributes: Unix mode in the high half */
};

struct zip {
	char *path;
	unsigned char *data;
	size_t size;
	struct zip_entry *e;
	size_t n;
};

/* Reads the archive at path (at most 256 MiB) and its central directory.
 * Returns 0, or -1 with a message in err. */
int zip_open(const char *path, struct zip *z, char *err, size_t errlen);
void zip_close(struct zip *z);
/* The index of the member named name, or -1. */
long zip_find(const struct zip *z, const char *name);
/* Unpacks member i into out (replacing its contents), checking size and
 * CRC.  Returns 0, or -1 with a message in err. */
int zip_read(const struct zip *z, size_t i, struct sbuf *out, char *err, size_t errlen);

#endif
