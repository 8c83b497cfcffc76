/* zip.c: reading the members of a zip archive (a wheel), with zlib.
 *
 * The whole archive is read into memory and its central directory parsed;
 * members are stored or deflated.  Encrypted members, multi-disk archives
 * and ZIP64 are refused: no wheel a Python installation bundles uses them. */
#include "zip.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define ZIP_MAX (256u << 20)
#define MEMBER_MAX (256u << 20)

static uint32_t get16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static int read_all(const char *path, struct zip *z, char *err, size_t errlen)
{
	struct stat st;
	int fd = file_open_stat(path, O_NOCTTY, &st, err, errlen);
	if (fd < 0)
		return -1;
	if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size > ZIP_MAX) {
		snprintf(err, errlen, "'%s' is not a regular file of at most %u MiB", path, ZIP_MAX >> 20);
		close(fd);
		return -1;
	}
	z->size = (size_t)st.st_size;
	z->data = xmalloc(z->size);
	size_t got = 0;
	while (got < z->size) {
		ssize_t r = read(fd, z->data + got, z->size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, errlen, "cannot read '%s': %s", path,
				 r < 0 ? strerror(errno) : "it shrank while being read");
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	return 0;
}

int zip_open(const char *path, struct zip *z, char *err, size_t errlen)
{
	memset(z, 0, sizeof *z);
	z->path = xstrdup(path);
	if (read_all(path, z, err, errlen) < 0)
		goto fail;
	/* The end-of-central-directory record: 22 bytes and a comment of at
	 * most 65535 bytes at the end. */
	const unsigned char *d = z->data, *eocd = NULL;
	if (z->size >= 22) {
		size_t low = z->size > 22 + 65535 ? z->size - 22 - 65535 : 0;
		for (size_t i = z->size - 22 + 1; i-- > low;) {
			if (get32(d + i) == 0x06054b50 && i + 22 + get16(d + i + 20) == z->size) {
				eocd = d + i;
				break;
			}
		}
	}
	if (!eocd) {
		snprintf(err, errlen, "'%s' is not a zip archive", path);
		goto fail;
	}
	uint32_t count = get16(eocd + 10), cdsize = get32(eocd + 12), cdoff = get32(eocd + 16);
	if (get16(eocd + 4) || get16(eocd + 6) || get16(eocd + 8) != count) {
		snprintf(err, errlen, "'%s' spans several disks", path);
		goto fail;
	}
	if (count == 0xffff || cdsize == 0xffffffff || cdoff == 0xffffffff) {
		snprintf(err, errlen, "'%s' is a ZIP64 archive, which is not supported", path);
		goto fail;
	}
	if ((size_t)cdoff > (size_t)(eocd - d) || (size_t)cdsize > (size_t)(eocd - d) - cdoff) {
		snprintf(err, errlen, "'%s' has a damaged central directory", path);
		goto fail;
	}
	z->e = xmalloc((count ? count : 1) * sizeof *z->e);
	const unsigned char *p = d + cdoff, *end = p + cdsize;
	for (uint32_t i = 0; i < count; i++) {
		if (end - p < 46 || get32(p) != 0x02014b50) {
			snprintf(err, errlen, "'%s' has a damaged central directory", path);
			goto fail;
		}
		size_t nlen = get16(p + 28), xlen = get16(p + 30), clen = get16(p + 32);
		if ((size_t)(end - p) < 46 + nlen + xlen + clen) {
			snprintf(err, errlen, "'%s' has a damaged central directory", path);
			goto fail;
		}
		struct zip_entry *e = &z->e[z->n];
		e->name = xstrndup((const char *)p + 46, nlen);
		z->n++;
		if (strlen(e->name) != nlen) {
			snprintf(err, errlen, "'%s' has a member name holding a NUL byte", path);
			goto fail;
		}
		if (get16(p + 8) & 1) {
			snprintf(err, errlen, "'%s': member '%s' is encrypted", path, e->name);
			goto fail;
		}
		e->method = get16(p + 10);
		e->crc = get32(p + 16);
		e->csize = get32(p + 20);
		e->usize = get32(p + 24);
		e->attr = get32(p + 38);
		e->offset = get32(p + 42);
		if (e->csize == 0xffffffff || e->usize == 0xffffffff || e->offset == 0xffffffff) {
			snprintf(err, errlen, "'%s' is a ZIP64 archive, which is not supported", path);
			goto fail;
		}
		p += 46 + nlen + xlen + clen;
	}
	return 0;
fail:
	zip_close(z);
	return -1;
}

void zip_close(struct zip *z)
{
	for (size_t i = 0; i < z->n; i++)
		free(z->e[i].name);
	free(z->e);
	free(z->data);
	free(z->path);
	memset(z, 0, sizeof *z);
}

long zip_find(const struct zip *z, const char *name)
{
	for (size_t i = 0; i < z->n; i++)
		if (strcmp(z->e[i].name, name) == 0)
			return (long)i;
	return -1;
}

int zip_read(const struct zip *z, size_t i, struct sbuf *out, char *err, size_t errlen)
{
	const struct zip_entry *e = &z->e[i];
	const unsigned char *d = z->data;
	sb_reset(out);
	if (e->offset > z->size || z->size - e->offset < 30 || get32(d + e->offset) != 0x04034b50) {
		snprintf(err, errlen, "'%s': member '%s' is damaged", z->path, e->name);
		return -1;
	}
	uint64_t start = e->offset + 30 + get16(d + e->offset + 26) + get16(d + e->offset + 28);
	if (start > z->size || z->size - start < e->csize) {
		snprintf(err, errlen, "'%s': member '%s' is damaged", z->path, e->name);
		return -1;
	}
	if (e->usize > MEMBER_MAX) {
		snprintf(err, errlen, "'%s': member '%s' is larger than %u MiB", z->path, e->name,
			 MEMBER_MAX >> 20);
		return -1;
	}
	sb_add(out, "", 0);
	if (e->method == 0) {
		if (e->csize != e->usize) {
			snprintf(err, errlen, "'%s': member '%s' is damaged", z->path, e->name);
			return -1;
		}
		sb_add(out, d + start, (size_t)e->usize);
	} else if (e->method == 8) {
		/* One byte more than announced, so that a longer stream shows. */
		size_t room = (size_t)e->usize + 1;
		out->s = xrealloc(out->s, room + 1);
		out->cap = room + 1;
		z_stream zs;
		memset(&zs, 0, sizeof zs);
		if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
			snprintf(err, errlen, "cannot unpack '%s': zlib failed", z->path);
			return -1;
		}
		zs.next_in = (unsigned char *)(d + start);
		zs.avail_in = (uInt)e->csize;
		zs.next_out = (unsigned char *)out->s;
		zs.avail_out = (uInt)room;
		int r = inflate(&zs, Z_FINISH);
		size_t got = room - zs.avail_out;
		inflateEnd(&zs);
		if (r != Z_STREAM_END || got != e->usize) {
			snprintf(err, errlen, "'%s': member '%s' is damaged", z->path, e->name);
			return -1;
		}
		out->len = got;
		out->s[got] = '\0';
	} else {
		snprintf(err, errlen, "'%s': member '%s' uses compression method %u, which is not supported",
			 z->path, e->name, e->method);
		return -1;
	}
	if (crc32(crc32(0L, Z_NULL, 0), (const unsigned char *)out->s, (uInt)out->len) != e->crc) {
		snprintf(err, errlen, "'%s': member '%s' fails its CRC check", z->path, e->name);
		return -1;
	}
	return 0;
}
