/* dist_test.c: metadata headers, names, direct_url.json, UTF-8. */
#include <stdlib.h>

#include "dist.h"
#include "unit.h"

static void canon(const char *in, const char *want)
{
	char *got = canonical_name(in);
	CHECK_STR(got, want);
	free(got);
}

static int du(const char *json, struct direct_url *d)
{
	char err[256];
	return direct_url_parse(json, strlen(json), d, err, sizeof err);
}

int main(void)
{
	/* Metadata text and the name and version read from it, as Python's
	 * email parser reads them. */
	static const struct { const char *text, *name, *version; } meta[] = {
		{ "Metadata-Version: 2.1\nName: Foo_Bar\nVersion: 1.0\n\nName: body\n", "Foo_Bar", "1.0" },
		/* Case-insensitive names, the first wins, trailing blanks kept,
		 * folded lines joined. */
		{ "name:   spacey  \nNAME: second\nversion:\t2\n", "spacey  ", "2" },
		{ "Name: a\n  b\nVersion: 1\n", "a\n  b", "1" },
		/* A line that is not a header ends the headers. */
		{ "Metadata-Version: 2.1\nnot a header\nName: late\n", NULL, NULL },
		{ "\nName: after-blank\n", NULL, NULL },
		{ ":no-name\nName: x\nVersion: 1", "x", "1" },
		{ " continuation first\nName: y\n", "y", NULL },
		{ "From someone\nName: z\n", "z", NULL },
		{ "Name: w\nFrom the end\n", "w", NULL },
		{ "\xef\xbb\xbfName: bom\n", NULL, NULL },
		{ "", NULL, NULL },
		{ "Name:\n", "", NULL },
	};
	for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
		struct meta m;
		meta_parse(meta[i].text, &m);
		char *text = unit_literal(meta[i].text);
		char *what = xasprintf("metadata %s: name", text);
		unit_check_str(m.name, meta[i].name, what, __FILE__, __LINE__);
		free(what);
		what = xasprintf("metadata %s: version", text);
		unit_check_str(m.version, meta[i].version, what, __FILE__, __LINE__);
		free(what), free(text);
		meta_free(&m);
	}

	canon("Foo_Bar", "foo-bar");
	canon("zope.interface", "zope-interface");
	canon("a-_.b", "a-b");
	canon("A..B__C", "a-b-c");
	canon("-x-", "-x-");

	CHECK(utf8_valid("plain", 5));
	CHECK(utf8_valid("caf\xc3\xa9", 5));
	CHECK(!utf8_valid("\xc3", 1));
	CHECK(!utf8_valid("\xc0\xaf", 2));        /* overlong */
	CHECK(!utf8_valid("\xed\xa0\x80", 3));    /* a surrogate */
	CHECK(!utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
	/* utf8_write and utf8_decode agree on every code point but the surrogates. */
	size_t bad = 0;
	for (unsigned long c = 0; c < 0x110000; c++) {
		char u[4];
		unsigned long back = 0;
		size_t k = utf8_write(c, u);
		int surrogate = c >= 0xd800 && c <= 0xdfff;
		if (k != (c < 0x80 ? 1u : c < 0x800 ? 2u : c < 0x10000 ? 3u : 4u) ||
		    utf8_decode((const unsigned char *)u, k, &back) != (surrogate ? 0 : k) ||
		    (!surrogate && back != c))
			bad++;
	}
	CHECK(bad == 0);
	char u4[4];
	CHECK(utf8_write(0xe9, u4) == 2 && memcmp(u4, "\xc3\xa9", 2) == 0);
	CHECK(utf8_write(0x1f600, u4) == 4 && memcmp(u4, "\xf0\x9f\x98\x80", 4) == 0);
	CHECK(utf8_write(0x110000, u4) == 0);
	char nl[] = "a\r\nb\rc\n";
	size_t n = newline_translate(nl, sizeof nl - 1);
	CHECK(n == 6 && memcmp(nl, "a\nb\nc\n", 6) == 0);

	struct direct_url d;
	CHECK(du("{\"url\": \"file:///x\", \"dir_info\": {\"editable\": true}}", &d) == 0 &&
	      d.kind == DIRECT_DIR && d.editable);
	direct_url_free(&d);
	CHECK(du("{\"url\": \"https://h/a.whl\", \"archive_info\": {\"hash\": \"sha256=ab\"}}", &d) == 0 &&
	      d.kind == DIRECT_ARCHIVE && strcmp(d.hash, "sha256=ab") == 0);
	direct_url_free(&d);
	CHECK(du("{\"url\": \"https://h/r\", \"vcs_info\": {\"vcs\": \"git\", \"commit_id\": \"c\"}}", &d) == 0 &&
	      d.kind == DIRECT_VCS && strcmp(d.commit_id, "c") == 0);
	direct_url_free(&d);
	CHECK(du("{\"url\": 5, \"dir_info\": {}}", &d) < 0);
	CHECK(du("{\"url\": \"u\"}", &d) < 0);
	CHECK(du("{\"url\": \"u\", \"dir_info\": {}, \"archive_info\": {}}", &d) < 0);
	CHECK(du("{\"url\": \"u\", \"archive_info\": {\"hash\": \"nohash\"}}", &d) < 0);
	CHECK(du("{\"url\": \"u\", \"dir_info\": {\"editable\": null}}", &d) < 0);
	CHECK(du("{\"url\": \"u\", \"subdirectory\": null, \"dir_info\": {}}", &d) < 0);
	CHECK(du("{\"url\": \"u\", \"vcs_info\": {\"vcs\": \"git\"}}", &d) < 0);
	CHECK(du("[1, 2]", &d) < 0);
	CHECK(du("{\"url\": ", &d) < 0);
	return unit_done();
}
