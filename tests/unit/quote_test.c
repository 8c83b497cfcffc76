/* quote_test.c: quote_word() for bash, zsh and fish, and printable().
 *
 * Two kinds of checks: the exact text quote_word() produces for tricky
 * inputs, and a round trip through the real shells: every byte 1..255 and
 * a set of hostile strings are quoted, handed to `bash -c`, `zsh -c` and
 * `fish -c` as the argument of a function that prints its argument count
 * and its first argument, and the bytes that come back must be exactly the
 * bytes that went in, as exactly one word, in the C and the C.UTF-8 locale. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "quote.h"
#include "unit.h"

static char *quoted(enum shell sh, const char *s)
{
	struct sbuf b = SBUF_INIT;
	quote_word(&b, sh, s);
	return sb_detach(&b);
}

/* CHECK_STR on quote_word's output, freeing it. */
#define CHECK_Q(sh, in, want) do { \
	char *q_ = quoted(sh, in); \
	char *w_ = xasprintf("quote_word(%s, %s)", shell_name(sh), #in); \
	unit_check_str(q_, want, w_, __FILE__, __LINE__); \
	free(q_), free(w_); \
} while (0)

static void test_exact(void)
{
	static const enum shell ansi[] = { SHELL_BASH, SHELL_ZSH };
	for (int i = 0; i < 2; i++) {
		enum shell sh = ansi[i];
		printf("# exact quoting for %s\n", shell_name(sh));
		CHECK_Q(sh, "", "$''");
		CHECK_Q(sh, "plain", "$'plain'");
		CHECK_Q(sh, "a b", "$'a b'");
		CHECK_Q(sh, "'", "$'\\''");
		CHECK_Q(sh, "it's", "$'it\\'s'");
		CHECK_Q(sh, "\\", "$'\\\\'");
		CHECK_Q(sh, "\\'", "$'\\\\\\''");
		CHECK_Q(sh, "\"", "$'\"'");
		CHECK_Q(sh, "\n", "$'\\n'");
		CHECK_Q(sh, "\t", "$'\\t'");
		CHECK_Q(sh, "\r", "$'\\r'");
		CHECK_Q(sh, "a\nb\tc\rd", "$'a\\nb\\tc\\rd'");
		CHECK_Q(sh, "\x01", "$'\\x01'");
		CHECK_Q(sh, "\x1b[31m", "$'\\x1b[31m'");
		CHECK_Q(sh, "\x1f", "$'\\x1f'");
		CHECK_Q(sh, "\x7f", "$'\\x7f'");
		CHECK_Q(sh, "\x80", "$'\\x80'");
		CHECK_Q(sh, "\xff", "$'\\xff'");
		/* \xHH takes at most two digits: a hex digit after it stays literal. */
		CHECK_Q(sh, "\x01" "ab", "$'\\x01ab'");
		CHECK_Q(sh, "\xc3\xa9t\xc3\xa9", "$'\\xc3\\xa9t\\xc3\\xa9'");
		CHECK_Q(sh, "$(id)", "$'$(id)'");
		CHECK_Q(sh, "`id`", "$'`id`'");
		CHECK_Q(sh, "${HOME}", "$'${HOME}'");
		CHECK_Q(sh, "%n%~%F{red}", "$'%n%~%F{red}'");
		CHECK_Q(sh, "~/x *?[a]", "$'~/x *?[a]'");
	}
	printf("# exact quoting for fish\n");
	enum shell f = SHELL_FISH;
	CHECK_Q(f, "", "''");
	CHECK_Q(f, "plain", "'plain'");
	CHECK_Q(f, "a b", "'a b'");
	CHECK_Q(f, "'", "'\\''");
	CHECK_Q(f, "it's", "'it\\'s'");
	CHECK_Q(f, "\\", "'\\\\'");
	/* The fish injection that POSIX-style quoting allows. */
	CHECK_Q(f, "a\\'\";touch P;#", "'a\\\\\\'\";touch P;#'");
	CHECK_Q(f, "\"", "'\"'");
	CHECK_Q(f, "\n", "\\X0a");
	CHECK_Q(f, "\t", "\\X09");
	CHECK_Q(f, "\r", "\\X0d");
	CHECK_Q(f, "a\nb", "'a'\\X0a'b'");
	CHECK_Q(f, "\n\n", "\\X0a\\X0a");
	CHECK_Q(f, "\x01x", "\\X01'x'");
	CHECK_Q(f, "x\x7f", "'x'\\X7f");
	CHECK_Q(f, "\x80", "\\X80");
	CHECK_Q(f, "\xff", "\\Xff");
	CHECK_Q(f, "\xc3\xa9t\xc3\xa9", "\\Xc3\\Xa9't'\\Xc3\\Xa9");
	CHECK_Q(f, "$(id)", "'$(id)'");
	CHECK_Q(f, "(id)", "'(id)'");
	CHECK_Q(f, "`id`", "'`id`'");
	CHECK_Q(f, "%self", "'%self'");
	CHECK_Q(f, "~/x *?{a,b}", "'~/x *?{a,b}'");

	/* quote_word appends. */
	struct sbuf b = SBUF_INIT;
	sb_adds(&b, "x=");
	quote_word(&b, SHELL_BASH, "y");
	sb_adds(&b, " z=");
	quote_word(&b, SHELL_FISH, "w");
	CHECK_STR(b.s, "x=$'y' z='w'");
	CHECK(b.len == strlen(b.s));
	sb_free(&b);
}

static void test_shell_names(void)
{
	enum shell sh = SHELL_FISH;
	CHECK(shell_parse("bash", &sh) == 0 && sh == SHELL_BASH);
	CHECK(shell_parse("zsh", &sh) == 0 && sh == SHELL_ZSH);
	CHECK(shell_parse("fish", &sh) == 0 && sh == SHELL_FISH);
	sh = SHELL_ZSH;
	CHECK(shell_parse("sh", &sh) < 0 && sh == SHELL_ZSH);
	CHECK(shell_parse("Bash", &sh) < 0);
	CHECK(shell_parse("", &sh) < 0);
	CHECK(shell_parse("/bin/bash", &sh) < 0);
	CHECK_STR(shell_name(SHELL_BASH), "bash");
	CHECK_STR(shell_name(SHELL_ZSH), "zsh");
	CHECK_STR(shell_name(SHELL_FISH), "fish");
}

static void test_fill(void)
{
	const struct placeholder ph[] = { { "A", "x y" }, { "AB", "@A@" }, { "E", "" } };
	struct sbuf b = SBUF_INIT;
#define CHECK_FILL(text, q, want) \
	do { \
		sb_reset(&b); \
		quote_fill(&b, text, ph, 3, q); \
		CHECK_STR(b.s, want); \
	} while (0)
	CHECK_FILL("", quote_sh, "");
	CHECK_FILL("no placeholder", quote_sh, "no placeholder");
	CHECK_FILL("v=@A@;", quote_sh, "v='x y';");
	/* A longer name is not mistaken for a shorter one, and a value is
	 * never read for placeholders again. */
	CHECK_FILL("@AB@", quote_sh, "@A@");
	CHECK_FILL("@A@@A@", quote_csh, "'x y''x y'");
	CHECK_FILL("[@E@]", quote_sh, "['']");
	CHECK_FILL("[@E@]", quote_fish, "['']");
	/* What is no placeholder stays: the shells' own @ ("$@", "${a[@]}"). */
	CHECK_FILL("f \"$@\" ${a[@]} @B@ @A", quote_ansi_c, "f \"$@\" ${a[@]} @B@ @A");
	CHECK_FILL("@", quote_sh, "@");
	CHECK_FILL("@A@ @", quote_ansi_c, "$'x y' @");
#undef CHECK_FILL
	sb_reset(&b);
	quote_between(&b, "a\"b,\"", '"', "\"\"");
	CHECK_STR(b.s, "\"a\"\"b,\"\"\"");
	sb_free(&b);
}

static void test_printable(void)
{
	char *p;
#define CHECK_P(in, want) \
	(p = printable(in), unit_check_str(p, want, "printable(" #in ")", __FILE__, __LINE__), free(p))
	CHECK_P("", "");
	CHECK_P("plain /path", "plain /path");
	CHECK_P("a\nb", "a?b");
	CHECK_P("\x01\x1f\x7f", "???");
	CHECK_P("\x1b[2J", "?[2J");
	CHECK_P("tab\there\r", "tab?here?");
	CHECK_P("\xc3\xa9\xff", "\xc3\xa9?");
	CHECK_P("\xc2\x9b" "31m", "??31m");               /* C1 CSI, UTF-8 encoded */
	CHECK_P("\x9b" "31m", "?31m");                     /* C1 CSI, a raw byte */
	CHECK_P("\xc2\xa0\xe2\x82\xac\xf0\x9f\x90\x8d", "\xc2\xa0\xe2\x82\xac\xf0\x9f\x90\x8d");
	CHECK_P("\xe2\x82", "??");                         /* a truncated sequence */
	CHECK_P("\xed\xa0\x80", "???");                   /* a UTF-16 surrogate */
	CHECK_P("\xc0\xaf", "??");                         /* an overlong '/' */
	CHECK_P("$(x) `y` %z", "$(x) `y` %z");
	/* Bidirectional controls (RLO, LRE, PDF, RLI, PDI) and the separators
	 * go; the marks, zero-width joiners and the BOM stay. */
	CHECK_P("a\xe2\x80\xae" "fdp.exe", "a???fdp.exe");           /* U+202E RLO */
	CHECK_P("\xe2\x80\xaa\xe2\x80\xac", "??????");            /* U+202A, U+202C */
	CHECK_P("x\xe2\x81\xa7y\xe2\x81\xa9", "x???y???");        /* U+2067 RLI, U+2069 PDI */
	CHECK_P("\xe2\x81\xa5\xe2\x81\xaa", "\xe2\x81\xa5\xe2\x81\xaa");  /* U+2065, U+206A */
	CHECK_P("l\xe2\x80\xa8p\xe2\x80\xa9", "l???p???");        /* U+2028, U+2029 */
	CHECK_P("\xe2\x80\xa7\xe2\x80\xaf", "\xe2\x80\xa7\xe2\x80\xaf");  /* U+2027, U+202F */
	CHECK_P("\xe2\x80\x8f\xe2\x80\x8d\xef\xbb\xbf", "\xe2\x80\x8f\xe2\x80\x8d\xef\xbb\xbf");
#undef CHECK_P
	/* Every byte below 0x20, 0x7f and every lone byte from 0x80 becomes '?',
	 * nothing else changes, the length stays. */
	char all[256];
	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	p = printable(all);
	int ok = strlen(p) == 255;
	for (int i = 1; ok && i < 256; i++) {
		unsigned char c = (unsigned char)p[i - 1];
		ok = (i < 0x20 || i >= 0x7f) ? c == '?' : c == i;
	}
	CHECK(ok && "printable() changes exactly the control bytes and the bytes that are not UTF-8");
	free(p);
}

/* ---- round trips through the real shells ---------------------------------- */

struct sh_info {
	enum shell sh;
	const char *path;
	const char *opt;        /* no rc files */
	const char *prelude;    /* defines f: prints "ARGC:ARG1\0" */
};

static const struct sh_info shells[] = {
	{ SHELL_BASH, "/bin/bash", "--norc", "f() { printf '%s:%s\\0' \"$#\" \"${1-}\"; }\n" },
	{ SHELL_ZSH, "/bin/zsh", "-f", "f() { printf '%s:%s\\0' \"$#\" \"${1-}\"; }\n" },
	{ SHELL_FISH, "/usr/bin/fish", "--no-config",
	  "function f; printf '%s:%s\\0' (count $argv) \"$argv[1]\"; end\n" },
};

static char *tmpdir;

/* Runs `shell OPT -c script` in tmpdir with a minimal environment; returns
 * its exit status (or -1) and its standard output in out. */
static int run_shell(const struct sh_info *si, const char *locale, const char *script,
		     struct sbuf *out)
{
	char *home = xasprintf("HOME=%s", tmpdir), *lc = xasprintf("LC_ALL=%s", locale);
	char *envp[] = { "PATH=/usr/bin:/bin", home, lc, "TERM=dumb", NULL };
	char *argv[] = { (char *)si->path, (char *)si->opt, "-c", (char *)script, NULL };
	int r = fs_capture(argv, envp, tmpdir, out);
	free(home), free(lc);
	return r;
}

/* A C-escaped copy of s for diagnostics. */
static char *shown(const char *s, size_t n)
{
	struct sbuf b = SBUF_INIT;
	sb_add(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			sb_addc(&b, (char)c);
		else
			sb_addf(&b, "\\x%02x", c);
	}
	return sb_detach(&b);
}

static const char *const hostile[] = {
	"", " ", "a b", "  two  spaces  ", "'", "''", "\"", "\\", "\\\\", "\\'", "'\\''",
	"a\\", "a'b\"c\\d", "$(touch PWNED)", "`touch PWNED`", "(touch PWNED)",
	"';touch PWNED;'", "\";touch PWNED;\"", "a\\'\";touch PWNED;#", "$'\\x41'",
	"${HOME}", "$HOME", "$PATH", "%n%~%F{red}%#", "%self", "~", "~/x", "~root",
	"*", "?", "[a]", "{a,b}", "!!", "!$", "#", "# comment", ";", "&", "|", "<x", ">x",
	"\\x41", "\\X41", "\\n", "\\u00e9", "a\nb", "\n", "a\\\nb", "\t\r\n",
	"\x1b[31mred\x1b[0m", "\x01\x7f\x01", "\xc3\xa9t\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac",
	"\xf0\x9f\x98\x80", "\xff\xfe\x80", "\xc3", "\xc3(", "\xed\xa0\x80", "-n", "-e", "--",
	"end", "function", "then", "}", "{", "'$(touch PWNED)'",
	"/home/u/my project/.venv", "/tmp/a'b\"c$(d)`e`%f\\g\nh\xff",
};

static void round_trip(const struct sh_info *si, const char *locale)
{
	/* The words: every single byte 1..255, then the hostile strings. */
	size_t nh = sizeof hostile / sizeof hostile[0];
	size_t nw = 255 + nh;
	char **words = xmalloc(nw * sizeof *words);
	for (size_t i = 0; i < 255; i++) {
		words[i] = xmalloc(2);
		words[i][0] = (char)(i + 1);
		words[i][1] = '\0';
	}
	for (size_t i = 0; i < nh; i++)
		words[255 + i] = xstrdup(hostile[i]);

	struct sbuf script = SBUF_INIT, out = SBUF_INIT;
	sb_adds(&script, si->prelude);
	for (size_t i = 0; i < nw; i++) {
		sb_adds(&script, "f ");
		quote_word(&script, si->sh, words[i]);
		sb_addc(&script, '\n');
	}
	int status = run_shell(si, locale, script.s, &out);
	char *what = xasprintf("%s in %s: the script of %zu words exits 0", shell_name(si->sh),
			       locale, nw);
	unit_check(status == 0, what, __FILE__, __LINE__);
	free(what);

	/* Split the output at NULs; each record must be "1:WORD". */
	size_t pos = 0, bad = 0;
	for (size_t i = 0; i < nw; i++) {
		const char *rec = out.s ? out.s + pos : "";
		size_t left = out.len > pos ? out.len - pos : 0;
		const char *nul = left ? memchr(rec, '\0', left) : NULL;
		size_t rl = nul ? (size_t)(nul - rec) : left;
		size_t wl = strlen(words[i]);
		int ok = nul && rl == wl + 2 && rec[0] == '1' && rec[1] == ':' &&
			 memcmp(rec + 2, words[i], wl) == 0;
		if (!ok && bad++ < 8) {
			char *w = shown(words[i], wl), *g = shown(rec, rl);
			char *q = quoted(si->sh, words[i]);
			printf("#   %s %s: sent '%s' as %s, got '%s'\n", shell_name(si->sh), locale,
			       w, q, g);
			free(w), free(g), free(q);
		}
		pos += rl + (nul ? 1 : 0);
	}
	what = xasprintf("%s in %s: every byte 1..255 and every hostile string round-trips as one word",
			 shell_name(si->sh), locale);
	unit_check(bad == 0, what, __FILE__, __LINE__);
	free(what);
	unit_check(pos == out.len, "the output holds nothing more", __FILE__, __LINE__);
	char pwned[64];
	snprintf(pwned, sizeof pwned, "%s/PWNED", tmpdir);
	struct stat st;
	unit_check(stat(pwned, &st) < 0 && errno == ENOENT, "no quoted word ran code",
		   __FILE__, __LINE__);

	for (size_t i = 0; i < nw; i++)
		free(words[i]);
	free(words);
	sb_free(&script);
	sb_free(&out);
}

/* One long word holding every byte 1..255, twice, in several orders. */
static void round_trip_long(const struct sh_info *si, const char *locale)
{
	char w[3 * 255 + 1];
	size_t n = 0;
	for (int i = 1; i < 256; i++)
		w[n++] = (char)i;
	for (int i = 255; i > 0; i--)
		w[n++] = (char)i;
	for (int i = 1; i < 256; i++)
		w[n++] = (char)(i * 7 % 255 + 1);
	w[n] = '\0';
	struct sbuf script = SBUF_INIT, out = SBUF_INIT;
	sb_adds(&script, si->prelude);
	sb_adds(&script, "f ");
	quote_word(&script, si->sh, w);
	sb_addc(&script, '\n');
	int status = run_shell(si, locale, script.s, &out);
	unit_check(status == 0, "the shell exits 0", __FILE__, __LINE__);
	int ok = out.len == n + 3 && memcmp(out.s, "1:", 2) == 0 &&
		 memcmp(out.s + 2, w, n) == 0 && out.s[n + 2] == '\0';
	unit_check(ok, "a word of all bytes 1..255 in three orders round-trips", __FILE__, __LINE__);
	sb_free(&script);
	sb_free(&out);
}

int main(void)
{
	test_exact();
	test_shell_names();
	test_fill();
	test_printable();

	tmpdir = fs_tmpdir("quote_test");
	static const char *const locales[] = { "C", "C.UTF-8" };
	for (size_t i = 0; i < sizeof shells / sizeof shells[0]; i++) {
		/* The shells are test dependencies (tools/deps.sh): missing is a failure. */
		char *what = xasprintf("%s is installed", shell_name(shells[i].sh));
		int present = unit_check(access(shells[i].path, X_OK) == 0, what, __FILE__, __LINE__);
		free(what);
		if (!present)
			continue;
		for (size_t j = 0; j < 2; j++) {
			round_trip(&shells[i], locales[j]);
			round_trip_long(&shells[i], locales[j]);
		}
	}
	fs_rm_rf(tmpdir);
	free(tmpdir);
	return unit_done();
}
