/* python_cache.c: what interpreters answered, kept (python_cache.h).
 *
 * A file is its key, then the answer:
 *   venvhook-python 2 QUESTION
 *   path HEX DEV INO SIZE MTIME        the interpreter
 *   watch HEX DEV INO SIZE MTIME       each watched file ("-": missing)
 *   end
 *   ANSWER...
 * It holds while the key made anew from the file system is the same. */
#include "python_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sha256.h"

#define CACHE_MAGIC "venvhook-python 2 "
/* More than any answer: a larger file is not read. */
#define PYTHON_CACHE_MAX (1024 * 1024)

static void add_stat(struct sbuf *b, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		sb_adds(b, " -");
	else
		sb_addf(b, " %llu %llu %lld %lld.%09ld", (unsigned long long)st.st_dev,
			(unsigned long long)st.st_ino, (long long)st.st_size,
			(long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

/* The key: the interpreter and every file whose change means that the
 * answer may have changed. */
static void cache_key(struct sbuf *b, const char *path, const char *question, const char *watch)
{
	sb_adds(b, CACHE_MAGIC);
	sb_adds(b, question);
	sb_adds(b, "\npath ");
	sb_addhex(b, path);
	add_stat(b, path);
	sb_addc(b, '\n');
	for (const char *w = watch; w && *w;) {
		size_t n = strcspn(w, "\n");
		char *p = hex_decode(w, n);
		if (p) {
			sb_adds(b, "watch ");
			sb_add(b, w, n);
			add_stat(b, p);
			sb_addc(b, '\n');
		}
		free(p);
		w += n;
		if (*w)
			w++;
	}
	sb_adds(b, "end\n");
}

static char *cache_file(const char *path, const char *question)
{
	char err[MSG_MAX], h[65];
	char *dir = cache_dir("python", err, sizeof err);
	if (!dir)
		return NULL;
	sha256_hex_pair(question, path, h);
	h[32] = '\0';
	char *f = xasprintf("%s/%s-%s", dir, question, h);
	free(dir);
	return f;
}

int python_cache_get(const char *path, const char *question, struct sbuf *answer)
{
	char *file = cache_file(path, question);
	struct sbuf text = SBUF_INIT, key = SBUF_INIT, watch = SBUF_INIT;
	char err[MSG_MAX];
	int r = 0;
	if (!file || file_read(file, PYTHON_CACHE_MAX, &text, err, sizeof err) < 0)
		goto out;
	/* The watched files named in the file, then the key made anew from
	 * the file system, compared. */
	for (const char *l = text.s; *l;) {
		size_t n = strcspn(l, "\n");
		if (n > 6 && strncmp(l, "watch ", 6) == 0) {
			sb_add(&watch, l + 6, strcspn(l + 6, " \n"));
			sb_addc(&watch, '\n');
		}
		if (n == 3 && strncmp(l, "end", 3) == 0)
			break;
		l += n;
		if (*l)
			l++;
	}
	cache_key(&key, path, question, watch.s);
	if (text.len >= key.len && memcmp(text.s, key.s, key.len) == 0) {
		sb_reset(answer);
		sb_add(answer, text.s + key.len, text.len - key.len);
		r = 1;
	}
out:
	sb_free(&text);
	sb_free(&key);
	sb_free(&watch);
	free(file);
	return r;
}

void python_cache_put(const char *path, const char *question, const char *watch,
		      const char *answer, size_t len)
{
	char *file = cache_file(path, question);
	if (!file)
		return;
	struct sbuf rec = SBUF_INIT;
	cache_key(&rec, path, question, watch);
	sb_add(&rec, answer, len);
	file_write_atomic_nosync(file, rec.s, rec.len, 0600);
	sb_free(&rec);
	free(file);
}
