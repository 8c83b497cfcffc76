/* create_test.c: the pieces of `venvhook create` that need no Python:
 * SHA-256 and RECORD hashes, quoting for each script language, Python's
 * repr, console-script text, and reading zip archives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "commands.h"
#include "seed.h"
#include "sha256.h"
#include "unit.h"
#include "quote.h"
#include "venv_layout.h"
#include "zip.h"

/* usage_error lives in main.c, which unit tests do not link; nothing
 * here calls it. */
void usage_error(const char *command, const char *fmt, ...)
{
	(void)command, (void)fmt;
	abort();
}

static char *with(void (*f)(struct sbuf *, const char *), const char *s)
{
	struct sbuf b = SBUF_INIT;
	f(&b, s);
	return sb_detach(&b);
}

static void check_with(void (*f)(struct sbuf *, const char *), const char *in, const char *want)
{
	char *got = with(f, in);
	CHECK_STR(got, want);
	free(got);
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, unsigned long v)
{
	put16(p, (unsigned)(v & 0xffff));
	put16(p + 2, (unsigned)(v >> 16));
}

/* What a local header (from its byte 4) and a central directory entry (from
 * its byte 6) say alike of a member: version needed, flags, method, time,
 * date, CRC, sizes and the name's length. */
static void put_member(unsigned char *p, int deflated, unsigned long crc, size_t csize,
		       size_t usize, size_t nlen)
{
	put16(p, 20);
	put16(p + 4, deflated ? 8 : 0);
	put32(p + 10, crc);
	put32(p + 14, csize);
	put32(p + 18, usize);
	put16(p + 22, (unsigned)nlen);
}

/* Writes a zip with one stored and one deflated member; corrupt != 0
 * flips a byte of the stored member's data. */
static void write_zip(const char *path, int corrupt)
{
	const char *names[2] = { "pkg/a.txt", "pkg/b.txt" };
	const char *texts[2] = { "hello, stored\n", "hello, deflated hello, deflated hello\n" };
	unsigned char data[2][256];
	size_t dlen[2];
	dlen[0] = strlen(texts[0]);
	memcpy(data[0], texts[0], dlen[0]);
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (unsigned char *)texts[1];
	zs.avail_in = (uInt)strlen(texts[1]);
	zs.next_out = data[1];
	zs.avail_out = sizeof data[1];
	deflate(&zs, Z_FINISH);
	dlen[1] = sizeof data[1] - zs.avail_out;
	deflateEnd(&zs);

	unsigned char out[4096], cd[1024];
	size_t o = 0, c = 0;
	for (int i = 0; i < 2; i++) {
		unsigned long crc = crc32(0, (const unsigned char *)texts[i], (uInt)strlen(texts[i]));
		size_t nlen = strlen(names[i]);
		size_t off = o;
		unsigned char *h = out + o;
		memset(h, 0, 30);
		put32(h, 0x04034b50);
		put_member(h + 4, i, crc, dlen[i], strlen(texts[i]), nlen);
		memcpy(h + 30, names[i], nlen);
		memcpy(h + 30 + nlen, data[i], dlen[i]);
		if (corrupt && i == 0)
			h[30 + nlen] ^= 1;
		o += 30 + nlen + dlen[i];
		unsigned char *e = cd + c;
		memset(e, 0, 46);
		put32(e, 0x02014b50);
		put16(e + 4, 0x031e);
		put_member(e + 6, i, crc, dlen[i], strlen(texts[i]), nlen);
		put32(e + 38, 0100644UL << 16);
		put32(e + 42, off);
		memcpy(e + 46, names[i], nlen);
		c += 46 + nlen;
	}
	size_t cdoff = o;
	memcpy(out + o, cd, c);
	o += c;
	unsigned char *end = out + o;
	memset(end, 0, 22);
	put32(end, 0x06054b50);
	put16(end + 8, 2);
	put16(end + 10, 2);
	put32(end + 12, c);
	put32(end + 16, cdoff);
	o += 22;
	FILE *f = fopen(path, "wb");
	fwrite(out, 1, o, f);
	fclose(f);
}

static void test_zip(void)
{
	char dir[] = "/tmp/venvhook-unit-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	char *path = xasprintf("%s/t.zip", dir);
	char err[512];
	struct zip z;
	struct sbuf b = SBUF_INIT;
	write_zip(path, 0);
	CHECK(zip_open(path, &z, err, sizeof err) == 0);
	CHECK(z.n == 2);
	CHECK(zip_find(&z, "pkg/b.txt") == 1);
	CHECK(zip_find(&z, "pkg/c.txt") == -1);
	CHECK((z.e[0].attr >> 16) == 0100644);
	CHECK(zip_read(&z, 0, &b, err, sizeof err) == 0);
	CHECK_STR(b.s, "hello, stored\n");
	CHECK(zip_read(&z, 1, &b, err, sizeof err) == 0);
	CHECK_STR(b.s, "hello, deflated hello, deflated hello\n");
	zip_close(&z);

	write_zip(path, 1);
	CHECK(zip_open(path, &z, err, sizeof err) == 0);
	CHECK(zip_read(&z, 0, &b, err, sizeof err) < 0);
	CHECK(strstr(err, "fails its CRC check") != NULL);
	zip_close(&z);

	/* Truncated: no end record. */
	CHECK(truncate(path, 40) == 0);
	CHECK(zip_open(path, &z, err, sizeof err) < 0);
	CHECK(strstr(err, "is not a zip archive") != NULL);
	unlink(path);
	CHECK(zip_open(path, &z, err, sizeof err) < 0);
	CHECK(strstr(err, "cannot read") != NULL);
	rmdir(dir);
	free(path);
	sb_free(&b);
}

static void test_script(void)
{
	char err[512];
	const char *tpl = "# %(module)s|%(import_name)s|%(func)s|100%%\n";
	char *s = seed_script_text("/e/bin/python3", tpl, "pip._internal.cli.main", "main", err, sizeof err);
	CHECK_STR(s, "#!/e/bin/python3\n# pip._internal.cli.main|main|main|100%\n");
	free(s);
	s = seed_script_text("/e/bin/python3", tpl, "m", "obj.run", err, sizeof err);
	CHECK_STR(s, "#!/e/bin/python3\n# m|obj|obj.run|100%\n");
	free(s);
	/* A space: distlib's /bin/sh trampoline, the path quoted. */
	s = seed_script_text("/a b/bin/python3", "x\n", "m", "f", err, sizeof err);
	CHECK_STR(s, "#!/bin/sh\n'''exec' \"/a b/bin/python3\" \"$0\" \"$@\"\n' '''\nx\n");
	free(s);
	/* Longer than 127 bytes with #! and newline: the trampoline, bare. */
	char longp[200];
	memset(longp, 'd', sizeof longp);
	longp[0] = '/';
	strcpy(longp + 120, "/bin/python3");
	s = seed_script_text(longp, "x\n", "m", "f", err, sizeof err);
	CHECK(s && strncmp(s, "#!/bin/sh\n'''exec' /ddd", 23) == 0);
	free(s);
	longp[60] = '$';
	s = seed_script_text(longp, "x\n", "m", "f", err, sizeof err);
	CHECK(s == NULL);
	CHECK(strstr(err, "must not hold '$'") != NULL);
	s = seed_script_text("/a b/\"x/bin/python3", "x\n", "m", "f", err, sizeof err);
	CHECK(s == NULL);
	/* A short path may hold anything: the kernel reads it as is. */
	s = seed_script_text("/a$b`c/bin/python3", "x\n", "m", "f", err, sizeof err);
	CHECK_STR(s, "#!/a$b`c/bin/python3\nx\n");
	free(s);
	s = seed_script_text("/e/bin/python3", "%(bogus)s\n", "m", "f", err, sizeof err);
	CHECK(s == NULL);
	s = seed_script_text("/e\xff/bin/python3", "x\n", "m", "f", err, sizeof err);
	CHECK(s == NULL);
	CHECK(strstr(err, "the path is not UTF-8") != NULL);
}

int main(void)
{
	char hex[65], rec[51];
	sha256_hex("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256_hex(two, strlen(two), hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	char *million = xmalloc(1000000);
	memset(million, 'a', 1000000);
	struct sha256 c;
	unsigned char d[32];
	sha256_init(&c);
	for (size_t i = 0; i < 1000000; i += 999)  /* in odd pieces */
		sha256_update(&c, million + i, i + 999 <= 1000000 ? 999 : 1000000 - i);
	sha256_final(&c, d);
	CHECK(d[0] == 0xcd && d[1] == 0xc7 && d[31] == 0xd0);
	free(million);
	char pair[65];
	sha256_hex("ab\0c", 4, hex);
	sha256_hex_pair("ab", "c", pair);
	CHECK(strcmp(hex, pair) == 0);
	sha256_hex("a\0bc", 4, hex);
	CHECK(strcmp(hex, pair) != 0);
	/* The RECORD hashes pip writes for INSTALLER ("pip\n") and REQUESTED. */
	sha256_record("pip\n", 4, rec);
	CHECK_STR(rec, "sha256=zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg");
	sha256_record("", 0, rec);
	CHECK_STR(rec, "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");

	check_with(quote_sh, "/tmp/vref", "/tmp/vref");
	check_with(quote_sh, "(vref) ", "'(vref) '");
	check_with(quote_sh, "a'b", "'a'\"'\"'b'");
	check_with(quote_sh, "", "''");
	check_with(quote_sh, "$(x)`y`", "'$(x)`y`'");
	check_with(quote_csh, "a!b'c\\d$e", "'a\\!b'\\''c\\d$e'");
	check_with(py_repr, "my env", "'my env'");
	check_with(py_repr, "it's", "\"it's\"");
	check_with(py_repr, "a'b\"", "'a\\'b\"'");
	check_with(py_repr, "back\\slash", "'back\\\\slash'");
	check_with(py_repr, "caf\xc3\xa9", "'caf\xc3\xa9'");
	check_with(py_repr, "nb\xc2\xa0sp", "'nb\\xa0sp'");
	check_with(py_repr, "zw\xe2\x80\x8bsp", "'zw\\u200bsp'");
	check_with(py_repr, "t\tn\n", "'t\\tn\\n'");

	test_script();
	test_zip();
	return unit_done();
}
