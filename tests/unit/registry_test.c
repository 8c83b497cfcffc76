/* registry_test.c: the registry file's text, its damage, and records. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry.h"
#include "unit.h"
#include "util.h"

static void test_round_trip(void)
{
	struct registry r = { 0 };
	struct registry_entry *e = registry_add(&r, "/a/\tb\nc\\d\x7f\xc3\xa9\xff");
	e->project = xstrdup("/p\\x41");
	e->python = xstrdup("/usr/bin/python3.11");
	e->version = xstrdup("3.11.2");
	e->created = 1700000000;
	e->used = 1700000123;
	e->how = REGISTRY_ACTIVATED;
	e = registry_add(&r, "/b");
	e->how = REGISTRY_CREATED;
	struct sbuf text = SBUF_INIT;
	registry_format(&r, &text);
	/* One line per env: no raw tab inside a field, no raw newline. */
	CHECK_STR(text.s, "venvhook-registry 1\n"
		  "/a/\\x09b\\x0ac\\x5cd\\x7f\xc3\xa9\xff\t/p\\x5cx41\t/usr/bin/python3.11\t3.11.2\t"
		  "1700000000\t1700000123\tactivated\n"
		  "/b\t\t\t\t0\t0\tcreated\n");
	struct registry back;
	CHECK(registry_parse(text.s, &back) == 0);
	CHECK(back.n == 2);
	if (back.n == 2) {
		CHECK_STR(back.e[0].env, r.e[0].env);
		CHECK_STR(back.e[0].project, "/p\\x41");
		CHECK_STR(back.e[0].python, "/usr/bin/python3.11");
		CHECK_STR(back.e[0].version, "3.11.2");
		CHECK(back.e[0].created == 1700000000 && back.e[0].used == 1700000123);
		CHECK(back.e[0].how == REGISTRY_ACTIVATED);
		CHECK_STR(back.e[1].env, "/b");
		CHECK(back.e[1].project == NULL && back.e[1].python == NULL && back.e[1].version == NULL);
		CHECK(back.e[1].how == REGISTRY_CREATED);
	}
	CHECK(registry_find(&back, "/b") == &back.e[1]);
	CHECK(registry_find(&back, "/c") == NULL);
	registry_remove(&back, 0);
	CHECK(back.n == 1 && registry_find(&back, "/b") == &back.e[0]);
	registry_free(&back);
	registry_free(&r);
	sb_free(&text);
}

static size_t damage(const char *text, size_t *n)
{
	struct registry r;
	size_t bad = registry_parse(text, &r);
	*n = r.n;
	registry_free(&r);
	return bad;
}

static void test_damage(void)
{
	size_t n;
	const char *ok = "/e\t/p\t/py\t3.11\t1\t2\tallowed\n";
	struct sbuf t = SBUF_INIT;
	CHECK(damage("", &n) == 1 && n == 0);                      /* no first line */
	CHECK(damage("venvhook-registry 1\n", &n) == 0 && n == 0);
	CHECK(damage("venvhook-registry 2\n/e\t\t\t\t0\t0\tfound\n", &n) == 1 && n == 1);
	static const char *const bad_lines[] = {
		"/e\t/p\t/py\t3.11\t1\t2\n",                   /* six fields */
		"/e\t/p\t/py\t3.11\t1\t2\tallowed\textra\n",   /* eight */
		"e\t/p\t/py\t3.11\t1\t2\tallowed\n",           /* relative env */
		"/e\tp\t/py\t3.11\t1\t2\tallowed\n",           /* relative project */
		"/e\t/p\t/py\t3.11\t-1\t2\tallowed\n",         /* negative time */
		"/e\t/p\t/py\t3.11\t1\t99999999999999999999\tallowed\n",
		"/e\t/p\t/py\t3.11\t1\t\tallowed\n",           /* empty time */
		"/e\t/p\t/py\t3.11\t1\t2\tstolen\n",           /* unknown event */
		"/e\\x4\t/p\t/py\t3.11\t1\t2\tallowed\n",      /* short escape */
		"/e\\xZZ\t/p\t/py\t3.11\t1\t2\tallowed\n",     /* bad escape */
		"/e\\x00\t/p\t/py\t3.11\t1\t2\tallowed\n",     /* NUL */
		"/e\\n\t/p\t/py\t3.11\t1\t2\tallowed\n",       /* not our escape */
		"/e\x01\t/p\t/py\t3.11\t1\t2\tallowed\n",      /* raw control byte */
		"/e\t/p\t/py\t3.11\t1\t2\tallowed",            /* cut short: no newline */
		"\n",                                          /* blank */
	};
	for (size_t i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++) {
		sb_reset(&t);
		sb_adds(&t, "venvhook-registry 1\n");
		sb_adds(&t, ok);
		sb_adds(&t, bad_lines[i]);
		sb_adds(&t, "/f\t\t\t\t0\t0\tfound\n");
		if (i + 2 == sizeof bad_lines / sizeof bad_lines[0]) {
			/* The cut line is the last one. */
			sb_reset(&t);
			sb_adds(&t, "venvhook-registry 1\n");
			sb_adds(&t, ok);
			sb_adds(&t, "/f\t\t\t\t0\t0\tfound\n");
			sb_adds(&t, bad_lines[i]);
		}
		size_t bad = damage(t.s, &n);
		CHECK(bad == 1);
		CHECK(n == 2);
		if (bad != 1 || n != 2)
			printf("#   line %zu: bad %zu, kept %zu\n", i, bad, n);
	}
	/* The same env twice: one entry, the later use. */
	struct registry r;
	CHECK(registry_parse("venvhook-registry 1\n/e\t\t\t\t0\t5\tfound\n/e\t\t\t\t0\t9\tfound\n"
			     "/e\t\t\t\t0\t7\tfound\n", &r) == 0);
	CHECK(r.n == 1 && r.e[0].used == 9);
	registry_free(&r);
	sb_free(&t);
}

/* The index: finds among many, after adds and removals. */
static void test_index(void)
{
	struct registry r = { 0 };
	char name[64];
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "/env/%d", i);
		registry_add(&r, name)->used = i;
		if (i == 10)
			CHECK(registry_find(&r, "/env/3") == &r.e[3]);      /* index built early */
	}
	int ok = 1;
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "/env/%d", i);
		struct registry_entry *e = registry_find(&r, name);
		ok &= e && e->used == i;
	}
	CHECK(ok);
	CHECK(registry_find(&r, "/env/5000") == NULL);
	registry_remove(&r, 0);
	CHECK(registry_find(&r, "/env/0") == NULL);
	CHECK(registry_find(&r, "/env/4999") == &r.e[4998]);
	registry_free(&r);
}

/* The journal: lines without the first line, one entry per env, the latest
 * project and use; merged into a registry. */
static void test_journal(void)
{
	struct registry j;
	CHECK(registry_journal_parse("", &j) == 0 && j.n == 0);
	registry_free(&j);
	CHECK(registry_journal_parse("/a\t/p1\t\t\t0\t5\tactivated\n"
				     "/b\t\t\t\t0\t6\tactivated\n"
				     "garbage\n"
				     "/a\t/p2\t\t\t0\t9\tactivated\n"
				     "/a\t\t\t\t0\t7\tactivated\n"
				     "/cut\t", &j) == 2);
	CHECK(j.n == 2);
	struct registry_entry *a = registry_find(&j, "/a");
	CHECK(a && a->used == 9);
	CHECK_STR(a ? a->project : NULL, "/p2");
	/* The registry line first: a journal is no registry. */
	struct registry r;
	CHECK(registry_journal_parse("venvhook-registry 1\n", &r) == 1 && r.n == 0);
	registry_free(&r);

	CHECK(registry_parse("venvhook-registry 1\n/a\t/p0\t\t3.11\t1\t20\tallowed\n"
			     "/c\t\t\t\t0\t0\tfound\n", &r) == 0);
	CHECK(registry_journal_merge(&r, &j) == 1);
	CHECK(r.n == 3);
	a = registry_find(&r, "/a");
	CHECK(a && a->used == 20 && a->how == REGISTRY_ALLOWED);   /* an older use keeps the newer */
	CHECK_STR(a ? a->project : NULL, "/p2");
	struct registry_entry *b = registry_find(&r, "/b");
	CHECK(b && b->used == 6 && b->how == REGISTRY_ACTIVATED);
	CHECK(registry_journal_merge(&r, &j) == 0);                 /* merging twice changes nothing */
	registry_free(&r);
	registry_free(&j);
}

int main(void)
{
	test_round_trip();
	test_damage();
	test_index();
	test_journal();
	return unit_done();
}
