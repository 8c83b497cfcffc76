/* venv_layout.c: the files of a new env, as `python -m venv` lays them out.
 *
 * Directories and links follow the interpreter's own venv module (its venv
 * scheme, lib64, the links named after sys._base_executable); pyvenv.cfg
 * holds the keys that interpreter's venv writes.  The activation scripts
 * are venvhook's own: they set and restore the same variables as venv's,
 * but every value is quoted for its shell (CVE-2024-9287), fish included,
 * and the name put into a prompt holds no character a prompt expands. */
#include "venv_layout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "activate_scripts.h"
#include "file_at.h"
#include "quote.h"
#include "utf8.h"

#define PS1_MAX (1 << 20)

/* Whether Python's str.isprintable() is false for c: controls, format
 * characters, separators other than space, private use.  (Unassigned code
 * points, which Python also escapes, are not known here.) */
static int py_unprintable(unsigned long c)
{
	static const unsigned long ranges[][2] = {
		{ 0x00, 0x1f }, { 0x7f, 0xa0 }, { 0xad, 0xad }, { 0x600, 0x605 }, { 0x61c, 0x61c },
		{ 0x6dd, 0x6dd }, { 0x70f, 0x70f }, { 0x8e2, 0x8e2 }, { 0x1680, 0x1680 },
		{ 0x180e, 0x180e }, { 0x2000, 0x200f }, { 0x2028, 0x202f }, { 0x205f, 0x2064 },
		{ 0x2066, 0x206f }, { 0x3000, 0x3000 }, { 0xe000, 0xf8ff }, { 0xfeff, 0xfeff },
		{ 0xfff9, 0xfffb }, { 0x110bd, 0x110bd }, { 0x110cd, 0x110cd }, { 0x13430, 0x1343f },
		{ 0x1bca0, 0x1bca3 }, { 0x1d173, 0x1d17a }, { 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
		{ 0xf0000, 0x10ffff },
	};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		if (c >= ranges[i][0] && c <= ranges[i][1])
			return 1;
	return 0;
}

void py_repr(struct sbuf *b, const char *s)
{
	char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
	sb_addc(b, q);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		unsigned long c;
		size_t n = utf8_decode(p, strlen((const char *)p), &c);
		if (!n) {
			/* Not UTF-8: Python would show a surrogate escape. */
			sb_addf(b, "\\udc%02x", *p);
			p++;
			continue;
		}
		p += n;
		if (c == '\\' || c == (unsigned char)q)
			sb_addc(b, '\\'), sb_addc(b, (char)c);
		else if (c == '\t')
			sb_adds(b, "\\t");
		else if (c == '\n')
			sb_adds(b, "\\n");
		else if (c == '\r')
			sb_adds(b, "\\r");
		else if (py_unprintable(c))
			sb_addf(b, c < 0x100 ? "\\x%02lx" : c < 0x10000 ? "\\u%04lx" : "\\U%08lx", c);
		else
			sb_add(b, p - n, (size_t)n);
	}
	sb_addc(b, q);
}

/* The name a prompt shows for the env: the prompt option ("." meaning
 * the current directory's name, from Python 3.9 on) or the env's name. */
static char *layout_prompt(const struct layout *l)
{
	if (l->prompt && strcmp(l->prompt, ".") == 0 &&
	    (l->py->major > 3 || (l->py->major == 3 && l->py->minor >= 9)))
		return xstrdup(path_basename(l->cwd));
	if (l->prompt)
		return xstrdup(l->prompt);
	return xstrdup(path_basename(l->env));
}

/* "(name) " for a prompt: bytes a shell or tcsh would expand in a prompt
 * (\ $ ` % !) and control bytes become '?'. */
static char *prompt_prefix(const char *name)
{
	struct sbuf b = SBUF_INIT;
	sb_addc(&b, '(');
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		sb_addc(&b, *p < 0x20 || *p == 0x7f || strchr("\\$`%!", *p) ? '?' : (char)*p);
	sb_adds(&b, ") ");
	return sb_detach(&b);
}

static void cfg_write(const struct layout *l, struct sbuf *b)
{
	const struct python_info *py = l->py;
	char *home = path_dirname(py->base_executable);
	sb_addf(b, "home = %s\n", home);
	free(home);
	sb_addf(b, "include-system-site-packages = %s\n", l->system_site ? "true" : "false");
	sb_addf(b, "version = %s\n", py->version);
	if (l->prompt) {
		char *p = layout_prompt(l);
		sb_adds(b, "prompt = ");
		py_repr(b, p);
		sb_addc(b, '\n');
		free(p);
	}
	if (py->major > 3 || (py->major == 3 && py->minor >= 11)) {
		/* What `python -m venv` with the same options would record. */
		sb_addf(b, "executable = %s\n", py->real);
		sb_addf(b, "command = %s -m venv", py->executable);
		if (!l->with_pip)
			sb_adds(b, " --without-pip");
		if (l->system_site)
			sb_adds(b, " --system-site-packages");
		if (l->clear)
			sb_adds(b, " --clear");
		if (l->prompt)
			sb_addf(b, " --prompt=\"%s\"", l->prompt);
		sb_addf(b, " %s\n", l->env);
	}
}

static int put(const struct layout *l, const char *rel, const void *data, size_t len, mode_t mode,
	       int force, char *err, size_t errlen)
{
	if (file_write_at(l->dirfd, rel, data, len, mode, force) < 0) {
		snprintf(err, errlen, "cannot write '%s/%s': %s", l->env, rel, strerror(errno));
		return -1;
	}
	return 0;
}

static int put_link(const struct layout *l, const char *target, const char *rel, char *err,
		    size_t errlen)
{
	if (symlinkat(target, l->dirfd, rel) < 0) {
		snprintf(err, errlen, "cannot create '%s/%s': %s", l->env, rel, strerror(errno));
		return -1;
	}
	return 0;
}

int layout_write(const struct layout *l, char *err, size_t errlen)
{
	const struct python_info *py = l->py;
	const char *const dirs[] = { py->scripts, py->include, py->purelib };
	for (size_t i = 0; i < 3; i++) {
		if (mkdirs_at(l->dirfd, dirs[i], 0777) < 0) {
			snprintf(err, errlen, "cannot create '%s/%s': %s", l->env, dirs[i], strerror(errno));
			return -1;
		}
	}
	struct stat st;
	if (py->lib64 && fstatat(l->dirfd, "lib64", &st, AT_SYMLINK_NOFOLLOW) < 0 &&
	    put_link(l, "lib", "lib64", err, errlen) < 0)
		return -1;

	struct sbuf b = SBUF_INIT;
	cfg_write(l, &b);
	int r = put(l, "pyvenv.cfg", b.s, b.len, 0666, 0, err, errlen);
	sb_reset(&b);
	if (r < 0)
		goto out;

	/* bin/NAME -> sys._base_executable, where NAME is its base name; then
	 * python, python3 and python3.X (3.9+) -> NAME. */
	const char *exe = path_basename(py->base_executable);
	char *rel = path_join(py->scripts, exe);
	r = put_link(l, py->base_executable, rel, err, errlen);
	free(rel);
	char minor[32];
	snprintf(minor, sizeof minor, "python%d.%d", py->major, py->minor);
	const char *const names[] = { "python", "python3", minor };
	size_t nnames = py->major == 3 && py->minor < 9 ? 2 : 3;
	for (size_t i = 0; i < nnames && r == 0; i++) {
		if (strcmp(names[i], exe) == 0)
			continue;
		rel = path_join(py->scripts, names[i]);
		r = put_link(l, exe, rel, err, errlen);
		free(rel);
	}
	if (r < 0)
		goto out;

	char *name = layout_prompt(l);
	char *prefix = prompt_prefix(name);
	char *var = py->major == 3 && py->minor < 13 ? xasprintf("(%s) ", name) : xstrdup(name);
	/* venvhook's own activation scripts: they set and restore what venv's
	 * do, every value quoted for its shell. */
	const struct placeholder ph[] = {
		{ "ENV", l->env }, { "BIN", py->scripts }, { "PROMPT_VAR", var },
		{ "PROMPT_PREFIX", prefix },
	};
	static const struct {
		const char *name, *text;
		quote_fn *quote;
	} scripts[] = {
		{ "activate", script_activate, quote_sh },
		{ "activate.fish", script_activate_fish, quote_fish },
		{ "activate.csh", script_activate_csh, quote_csh },
	};
	for (size_t i = 0; i < 3 && r == 0; i++) {
		sb_reset(&b);
		quote_fill(&b, scripts[i].text, ph, 4, scripts[i].quote);
		rel = path_join(py->scripts, scripts[i].name);
		r = put(l, rel, b.s, b.len, 0644, 1, err, errlen);
		free(rel);
	}
	free(name);
	free(prefix);
	free(var);
	if (r < 0)
		goto out;
	if (py->ps1) {
		/* Activate.ps1 holds no placeholder: venv copies it as is. */
		char why[MSG_MAX];
		struct sbuf ps1 = SBUF_INIT;
		if (file_read(py->ps1, PS1_MAX, &ps1, why, sizeof why) == 0) {
			struct stat pst;
			mode_t mode = stat(py->ps1, &pst) == 0 ? pst.st_mode & 0777 : 0644;
			rel = path_join(py->scripts, "Activate.ps1");
			r = put(l, rel, ps1.s, ps1.len, mode, 1, err, errlen);
			free(rel);
		}
		sb_free(&ps1);
		if (r < 0)
			goto out;
	}

	/* Keep the env out of version control and out of backups. */
	const char *ignore = py->major == 3 && py->minor < 13 ? "# Created by venvhook\n*\n"
		: "# Created by venv; see https://docs.python.org/3/library/venv.html\n*\n";
	r = put(l, ".gitignore", ignore, strlen(ignore), 0666, 0, err, errlen);
	if (r == 0) {
		const char *tag = "Signature: 8a477f597d28d172789f06886806bc55\n"
			"# This file is a cache directory tag created by venvhook.\n"
			"# For information about cache directory tags, see:\n"
			"#\thttps://bford.info/cachedir/\n";
		r = put(l, "CACHEDIR.TAG", tag, strlen(tag), 0666, 0, err, errlen);
	}
out:
	sb_free(&b);
	return r;
}
