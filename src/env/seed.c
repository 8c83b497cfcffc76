/* seed.c: putting pip (and whatever else the interpreter's ensurepip
 * bundles) into a new env without running pip.
 *
 * `python -m venv` runs ensurepip, which starts the new interpreter, unpacks
 * the bundled wheels, runs pip's installer and byte-compiles every module.
 * Here that happens once per wheel, interpreter version and umask: the
 * wheel is unpacked in C into $XDG_CACHE_HOME/venvhook/seed/KEY/tree/, the
 * interpreter byte-compiles it (the only time Python runs), and a manifest
 * records what pip would record.  Each new env then gets hard links to the
 * cached files (pip replaces a file by unlinking it first, so an upgrade in
 * one env never touches the others) and its own console scripts, INSTALLER,
 * REQUESTED and RECORD, written here exactly as pip writes them.  Without a
 * usable cache the wheel is unpacked and compiled in the env itself. */
#include "seed.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "file_at.h"
#include "platform.h"
#include "proc.h"
#include "quote.h"
#include "sha256.h"
#include "tree_remove.h"
#include "utf8.h"
#include "util.h"
#include "zip.h"

#define MANIFEST_MAGIC "venvhook-seed 1\n"
#define MANIFEST_MAX (16u << 20)
#define SHEBANG_MAX 127

/* Compiles the listed modules as pip does (compileall.compile_file with
 * force and quiet), and reads the console-script template from pip's own
 * copy of distlib when the tree holds pip. */
static const char compile_script[] =
	"import sys, os, compileall, importlib.util, warnings\n"
	"tree = os.fsdecode(bytes.fromhex(sys.argv[1]))\n"
	"w = sys.stdout.write\n"
	"if os.path.isfile(os.path.join(tree, 'pip', '_vendor', 'distlib', 'scripts.py')):\n"
	"    sys.dont_write_bytecode = True\n"
	"    sys.path.insert(0, tree)\n"
	"    try:\n"
	"        from pip._vendor.distlib.scripts import ScriptMaker\n"
	"        w('template=%s\\n' % ScriptMaker.script_template.encode('utf-8').hex())\n"
	"    except Exception:\n"
	"        pass\n"
	"    del sys.path[0]\n"
	"warnings.filterwarnings('ignore')\n"
	"for line in sys.stdin.buffer:\n"
	"    full = os.path.join(tree, os.fsdecode(bytes.fromhex(line.strip().decode())))\n"
	"    if compileall.compile_file(full, force=True, quiet=2):\n"
	"        pyc = os.path.relpath(importlib.util.cache_from_source(full), tree)\n"
	"        w('pyc=%s\\n' % os.fsencode(pyc).hex())\n";

struct row {
	char *path, *hash, *size;
};

struct script {
	char *name, *module, *attrs;
};

/* What installing one wheel means, independent of the env. */
struct manifest {
	char *dist;             /* NAME-VERSION.dist-info */
	char *template;         /* pip's console-script template, if this is pip */
	struct strlist dirs, files;
	struct row *rows;
	size_t nrows;
	struct script *scripts;
	size_t nscripts;
};

static void row_add(struct manifest *m, const char *path, const char *hash, const char *size)
{
	m->rows = xrealloc(m->rows, (m->nrows + 1) * sizeof *m->rows);
	m->rows[m->nrows++] = (struct row){ xstrdup(path), xstrdup(hash), xstrdup(size) };
}

static void script_add(struct manifest *m, const char *name, const char *module, const char *attrs)
{
	for (size_t i = 0; i < m->nscripts; i++) {
		if (strcmp(m->scripts[i].name, name) == 0) {
			free(m->scripts[i].module);
			free(m->scripts[i].attrs);
			m->scripts[i].module = xstrdup(module);
			m->scripts[i].attrs = xstrdup(attrs);
			return;
		}
	}
	m->scripts = xrealloc(m->scripts, (m->nscripts + 1) * sizeof *m->scripts);
	m->scripts[m->nscripts++] = (struct script){ xstrdup(name), xstrdup(module), xstrdup(attrs) };
}

static void manifest_free(struct manifest *m)
{
	free(m->dist);
	free(m->template);
	strlist_free(&m->dirs);
	strlist_free(&m->files);
	for (size_t i = 0; i < m->nrows; i++) {
		free(m->rows[i].path);
		free(m->rows[i].hash);
		free(m->rows[i].size);
	}
	free(m->rows);
	for (size_t i = 0; i < m->nscripts; i++) {
		free(m->scripts[i].name);
		free(m->scripts[i].module);
		free(m->scripts[i].attrs);
	}
	free(m->scripts);
	memset(m, 0, sizeof *m);
}

/* A member name that stays inside site-packages: relative, no "." or ".."
 * component, no empty one, no backslash, no control byte. */
static int member_ok(const char *p)
{
	return path_clean_relative(p) && !strchr(p, '\\');
}

/* An entry point's module or attribute path: dotted identifiers. */
static int dotted_ok(const char *s)
{
	if (!*s || *s == '.')
		return 0;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '.' || (unsigned char)*s >= 0x80) ||
		    (s[0] == '.' && (s[1] == '.' || s[1] == '\0')))
			return 0;
	return 1;
}

/* Splits one CSV line (Python's csv dialect) into at most three fields. */
static int csv_fields(const char *line, char *f[3])
{
	struct sbuf b = SBUF_INIT;
	int n = 0;
	const char *s = line;
	f[0] = f[1] = f[2] = NULL;
	for (;;) {
		sb_reset(&b);
		sb_add(&b, "", 0);
		if (*s == '"') {
			for (s++; *s; s++) {
				if (*s == '"' && s[1] == '"')
					sb_addc(&b, '"'), s++;
				else if (*s == '"')
					break;
				else
					sb_addc(&b, *s);
			}
			if (*s == '"')
				s++;
		}
		while (*s && *s != ',')
			sb_addc(&b, *s++);
		if (n < 3)
			f[n] = xstrdup(b.s);
		n++;
		if (*s != ',')
			break;
		s++;
	}
	sb_free(&b);
	for (int i = 0; i < 3; i++)
		if (!f[i])
			f[i] = xstrdup("");
	return n;
}

/* A field of a CSV row (a RECORD file), as Python's csv module writes it. */
static void csv_field(struct sbuf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n"))
		quote_between(b, s, '"', "\"\"");
	else
		sb_adds(b, s);
}

/* The console scripts of entry_points.txt, with pip's own rule for pip
 * and easy_install: pip, pip3 and pip3.X (the running Python) replace
 * whatever pipN names the wheel lists. */
static int entry_points(struct manifest *m, const char *text, int major, int minor,
			char *err, size_t errlen)
{
	struct manifest all = { 0 };
	char *copy = xstrdup(text);
	int in = 0;
	for (char *line = copy, *next; line; line = next) {
		next = str_cut(line, '\n');
		char *l = str_trim(line);
		if (!*l || *l == '#' || *l == ';')
			continue;
		if (*l == '[') {
			in = strcmp(l, "[console_scripts]") == 0 || strcmp(l, "[gui_scripts]") == 0;
			continue;
		}
		char *eq = strchr(l, '=');
		if (!in || !eq)
			continue;
		*eq = '\0';
		char *name = str_trim(l), *value = str_trim(eq + 1);
		char *br = strchr(value, '[');
		if (br)
			*br = '\0';
		value = str_trim(value);
		char *colon = strchr(value, ':');
		if (colon)
			*colon = '\0';
		const char *module = str_trim(value), *attrs = colon ? str_trim(colon + 1) : "";
		if (!*name || strpbrk(name, "/ \t") || name[0] == '.' || !dotted_ok(module) ||
		    !dotted_ok(attrs)) {
			snprintf(err, errlen, "bad console script entry '%s'", name);
			free(copy);
			manifest_free(&all);
			return -1;
		}
		script_add(&all, name, module, attrs);
	}
	free(copy);
	const struct script *pip = NULL, *easy = NULL;
	for (size_t i = 0; i < all.nscripts; i++) {
		if (strcmp(all.scripts[i].name, "pip") == 0)
			pip = &all.scripts[i];
		if (strcmp(all.scripts[i].name, "easy_install") == 0)
			easy = &all.scripts[i];
	}
	char buf[64];
	if (pip) {
		script_add(m, "pip", pip->module, pip->attrs);
		snprintf(buf, sizeof buf, "pip%d", major);
		script_add(m, buf, pip->module, pip->attrs);
		snprintf(buf, sizeof buf, "pip%d.%d", major, minor);
		script_add(m, buf, pip->module, pip->attrs);
	}
	if (easy) {
		script_add(m, "easy_install", easy->module, easy->attrs);
		snprintf(buf, sizeof buf, "easy_install-%d.%d", major, minor);
		script_add(m, buf, easy->module, easy->attrs);
	}
	for (size_t i = 0; i < all.nscripts; i++) {
		const char *n = all.scripts[i].name;
		int skip = 0;
		if (pip && strncmp(n, "pip", 3) == 0) {
			/* pip(\d+(\.\d+)?)? */
			const char *s = n + 3;
			size_t d = strspn(s, "0123456789");
			if (!*s || (d && (!s[d] || (s[d] == '.' && s[d + 1] && strspn(s + d + 1, "0123456789") == strlen(s + d + 1)))))
				skip = 1;
		}
		if (easy && strncmp(n, "easy_install", 12) == 0) {
			/* easy_install(-\d+\.\d+)? */
			const char *s = n + 12;
			int a, b2, k = 0;
			if (!*s || (sscanf(s, "-%d.%d%n", &a, &b2, &k) == 2 && !s[k] && isdigit((unsigned char)s[1])))
				skip = 1;
		}
		if (!skip)
			script_add(m, n, all.scripts[i].module, all.scripts[i].attrs);
	}
	manifest_free(&all);
	return 0;
}

static int mkparents(int treefd, const char *rel, struct manifest *m)
{
	char *p = xstrdup(rel);
	for (char *s = p; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (!strlist_has(&m->dirs, p)) {
			if (mkdirat(treefd, p, 0777) < 0 && errno != EEXIST) {
				int e = errno;
				free(p);
				errno = e;
				return -1;
			}
			strlist_add(&m->dirs, p);
		}
		*s = '/';
	}
	free(p);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Byte-compiles the .py files of the tree as pip would, and asks for the
 * script template. */
static int compile_tree(const struct python_info *py, const char *tree, struct manifest *m,
			int treefd, char *err, size_t errlen)
{
	struct strlist py_files = { 0 };
	for (size_t i = 0; i < m->files.n; i++) {
		size_t n = strlen(m->files.v[i]);
		if (n > 3 && strcmp(m->files.v[i] + n - 3, ".py") == 0)
			strlist_add(&py_files, m->files.v[i]);
	}
	qsort(py_files.v, py_files.n, sizeof *py_files.v, cmp_str);
	struct sbuf in = SBUF_INIT, out = SBUF_INIT, errout = SBUF_INIT;
	for (size_t i = 0; i < py_files.n; i++) {
		sb_addhex(&in, py_files.v[i]);
		sb_addc(&in, '\n');
	}
	strlist_free(&py_files);
	struct sbuf htree = SBUF_INIT;
	sb_addhex(&htree, tree);
	char *argv[] = { py->path, "-I", "-c", (char *)compile_script, htree.s, NULL };
	struct proc p = { .argv = argv, .input = in.s, .inlen = in.len, .out = &out, .err = &errout,
			  .cwd = "/" };
	int r = -1;
	int st = proc_run(&p, err, errlen);
	if (st < 0)
		goto out;
	if (st != 0) {
		snprintf(err, errlen, "'%s' failed to byte-compile '%s' (exit status %d)", py->path, tree, st);
		goto out;
	}
	for (char *line = out.s, *next; line && *line; line = next) {
		next = str_cut(line, '\n');
		if (strncmp(line, "template=", 9) == 0) {
			free(m->template);
			m->template = hex_decode(line + 9, strlen(line + 9));
		} else if (strncmp(line, "pyc=", 4) == 0) {
			char *pyc = hex_decode(line + 4, strlen(line + 4));
			if (!pyc || !member_ok(pyc) || faccessat(treefd, pyc, F_OK, AT_SYMLINK_NOFOLLOW) < 0) {
				snprintf(err, errlen, "'%s' reported a strange compiled file", py->path);
				free(pyc);
				goto out;
			}
			char *slash = strrchr(pyc, '/');
			if (slash) {
				*slash = '\0';
				if (!strlist_has(&m->dirs, pyc))
					strlist_add(&m->dirs, pyc);
				*slash = '/';
			}
			strlist_add(&m->files, pyc);
			int listed = 0;
			for (size_t i = 0; i < m->nrows && !listed; i++)
				listed = strcmp(m->rows[i].path, pyc) == 0;
			if (!listed)
				row_add(m, pyc, "", "");
			free(pyc);
		}
	}
	r = 0;
out:
	sb_free(&htree);
	sb_free(&in);
	sb_free(&out);
	sb_free(&errout);
	return r;
}

/* Reads the member DIST/NAME of the wheel z (the file wheel) into data;
 * -1 with "'WHEEL' is not a wheel: ..." in err, missing where there is no
 * such member. */
static int dist_member(const struct zip *z, const char *wheel, const char *dist,
		       const char *name, const char *missing, struct sbuf *data, char *err,
		       size_t errlen)
{
	char *path = xasprintf("%s/%s", dist, name), why[MSG_MAX];
	long i = zip_find(z, path);
	free(path);
	if (i < 0 || zip_read(z, (size_t)i, data, why, sizeof why) < 0) {
		snprintf(err, errlen, "'%s' is not a wheel: %s", wheel, i < 0 ? missing : why);
		return -1;
	}
	return 0;
}

/* Unpacks wheel into tree (an empty directory) and compiles it, filling m.
 * Messages name shown instead of tree. */
static int seed_fill(const struct python_info *py, const char *wheel, const char *tree,
		     const char *shown, struct manifest *m, char *err, size_t errlen)
{
	struct zip z;
	struct sbuf data = SBUF_INIT;
	char why[MSG_MAX];
	int treefd = -1, r = -1;
	memset(m, 0, sizeof *m);
	if (zip_open(wheel, &z, err, errlen) < 0)
		return -1;
	treefd = open_dir_at(AT_FDCWD, tree);
	if (treefd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", tree, strerror(errno));
		goto out;
	}
	/* The one NAME-VERSION.dist-info directory at the top. */
	for (size_t i = 0; i < z.n; i++) {
		const char *name = z.e[i].name;
		size_t top = strcspn(name, "/");
		if (!name[top])
			continue;
		if (top > 10 && strncmp(name + top - 10, ".dist-info", 10) == 0) {
			if (m->dist && (strlen(m->dist) != top || strncmp(m->dist, name, top) != 0)) {
				snprintf(err, errlen, "'%s' holds more than one .dist-info directory", wheel);
				goto out;
			}
			if (!m->dist)
				m->dist = xstrndup(name, top);
		}
		if (top > 5 && strncmp(name + top - 5, ".data", 5) == 0) {
			snprintf(err, errlen, "'%s' has a .data directory, which venvhook cannot install; use --without-pip",
				 wheel);
			goto out;
		}
	}
	if (!m->dist) {
		snprintf(err, errlen, "'%s' is not a wheel: it has no .dist-info directory", wheel);
		goto out;
	}
	if (dist_member(&z, wheel, m->dist, "WHEEL", "no WHEEL file", &data, err, errlen) < 0)
		goto out;
	int purelib = 0, version1 = 0;
	for (char *line = data.s, *next; line; line = next) {
		next = str_cut(line, '\n');
		char *k, *v = str_key_value(line, ':', &k);
		if (!v)
			continue;
		if (strcasecmp(k, "Root-Is-Purelib") == 0)
			purelib = strcasecmp(v, "true") == 0;
		if (strcasecmp(k, "Wheel-Version") == 0)
			version1 = strncmp(v, "1.", 2) == 0;
	}
	if (!purelib || !version1) {
		snprintf(err, errlen, "'%s' is not a pure-Python wheel of format 1.x", wheel);
		goto out;
	}
	/* Unpack every file, making directories as needed (none for empty
	 * ones: pip makes none either). */
	mode_t mask = umask_get();
	for (size_t i = 0; i < z.n; i++) {
		const char *name = z.e[i].name;
		size_t len = strlen(name);
		if (len && name[len - 1] == '/')
			continue;
		if (!member_ok(name)) {
			snprintf(err, errlen, "'%s' holds an unsafe file name '%s'", wheel, name);
			goto out;
		}
		if (interrupted())
			goto out;
		if (zip_read(&z, i, &data, err, errlen) < 0)
			goto out;
		mode_t mode = 0666;
		if ((z.e[i].attr >> 16) & 0111)
			mode = (0777 & ~mask) | 0111;
		if (mkparents(treefd, name, m) < 0 ||
		    file_write_at(treefd, name, data.s, data.len, mode, mode != 0666) < 0) {
			snprintf(err, errlen, "cannot write '%s/%s': %s", shown, name, strerror(errno));
			goto out;
		}
		strlist_add(&m->files, name);
	}
	/* RECORD as the wheel has it; then what the wheel holds but does not
	 * list, as pip does. */
	if (dist_member(&z, wheel, m->dist, "RECORD", "no RECORD", &data, err, errlen) < 0)
		goto out;
	for (char *line = data.s, *next; line && *line; line = next) {
		next = str_cut(line, '\n');
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		if (!*line)
			continue;
		char *f[3];
		csv_fields(line, f);
		if (!member_ok(f[0])) {
			snprintf(err, errlen, "'%s' lists an unsafe file name in its RECORD", wheel);
			for (int k = 0; k < 3; k++)
				free(f[k]);
			goto out;
		}
		row_add(m, f[0], f[1], f[2]);
		for (int k = 0; k < 3; k++)
			free(f[k]);
	}
	for (size_t i = 0; i < m->files.n; i++) {
		int listed = 0;
		for (size_t k = 0; k < m->nrows && !listed; k++)
			listed = strcmp(m->rows[k].path, m->files.v[i]) == 0;
		if (!listed)
			row_add(m, m->files.v[i], "", "");
	}
	char *eps = xasprintf("%s/entry_points.txt", m->dist);
	long ei = zip_find(&z, eps);
	free(eps);
	if (ei >= 0) {
		if (zip_read(&z, (size_t)ei, &data, err, errlen) < 0)
			goto out;
		if (entry_points(m, data.s, py->major, py->minor, why, sizeof why) < 0) {
			snprintf(err, errlen, "'%s': %s", wheel, why);
			goto out;
		}
	}
	if (compile_tree(py, tree, m, treefd, err, errlen) < 0)
		goto out;
	r = 0;
out:
	if (r < 0 && interrupted() && !*err)
		snprintf(err, errlen, "interrupted");
	if (treefd >= 0)
		close(treefd);
	sb_free(&data);
	zip_close(&z);
	return r;
}

static void manifest_write(const struct manifest *m, struct sbuf *b)
{
	sb_adds(b, MANIFEST_MAGIC);
	sb_addf(b, "dist %s\n", m->dist);
	if (m->template) {
		sb_adds(b, "template ");
		sb_addhex(b, m->template);
		sb_addc(b, '\n');
	}
	for (size_t i = 0; i < m->dirs.n; i++)
		sb_addf(b, "d %s\n", m->dirs.v[i]);
	for (size_t i = 0; i < m->files.n; i++)
		sb_addf(b, "f %s\n", m->files.v[i]);
	for (size_t i = 0; i < m->nrows; i++)
		sb_addf(b, "row %s\t%s\t%s\n", m->rows[i].path, m->rows[i].hash, m->rows[i].size);
	for (size_t i = 0; i < m->nscripts; i++)
		sb_addf(b, "script %s\t%s\t%s\n", m->scripts[i].name, m->scripts[i].module,
			m->scripts[i].attrs);
	sb_adds(b, "end\n");
}

static int manifest_read(const char *text, struct manifest *m)
{
	memset(m, 0, sizeof *m);
	if (strncmp(text, MANIFEST_MAGIC, strlen(MANIFEST_MAGIC)) != 0)
		return -1;
	char *copy = xstrdup(text + strlen(MANIFEST_MAGIC));
	int ended = 0, ok = 1;
	for (char *line = copy, *next; line && *line && ok && !ended; line = next) {
		next = strchr(line, '\n');
		if (!next) {
			ok = 0;
			break;
		}
		*next++ = '\0';
		char *sp = strchr(line, ' ');
		char *arg = sp ? sp + 1 : NULL;
		if (sp)
			*sp = '\0';
		if (strcmp(line, "end") == 0) {
			ended = 1;
		} else if (!arg) {
			ok = 0;
		} else if (strcmp(line, "dist") == 0) {
			free(m->dist);
			m->dist = xstrdup(arg);
			ok = member_ok(arg) && !strchr(arg, '/');
		} else if (strcmp(line, "template") == 0) {
			free(m->template);
			m->template = hex_decode(arg, strlen(arg));
			ok = m->template != NULL;
		} else if (strcmp(line, "d") == 0 || strcmp(line, "f") == 0) {
			ok = member_ok(arg);
			strlist_add(line[0] == 'd' ? &m->dirs : &m->files, arg);
		} else if (strcmp(line, "row") == 0 || strcmp(line, "script") == 0) {
			char *t1 = strchr(arg, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
			if (!t2) {
				ok = 0;
				break;
			}
			*t1 = *t2 = '\0';
			if (line[0] == 'r') {
				ok = member_ok(arg);
				row_add(m, arg, t1 + 1, t2 + 1);
			} else {
				ok = !strchr(arg, '/') && dotted_ok(t1 + 1) && dotted_ok(t2 + 1);
				script_add(m, arg, t1 + 1, t2 + 1);
			}
		} else {
			ok = 0;
		}
	}
	free(copy);
	if (!ok || !ended || !m->dist) {
		manifest_free(m);
		return -1;
	}
	return 0;
}

/* The cache entry for wheel: it changes with the wheel file, the bytecode
 * format, the Python version (pip3.X) and the umask (file modes). */
static char *seed_key(const struct python_info *py, const char *wheel, const struct stat *st)
{
	struct sbuf b = SBUF_INIT;
	sb_addf(&b, "%s\n%s\n%llu %llu %lld %lld.%09ld\n%s %s %d.%d %04o\n", MANIFEST_MAGIC, wheel,
		(unsigned long long)st->st_dev, (unsigned long long)st->st_ino, (long long)st->st_size,
		(long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec, py->magic, py->cache_tag,
		py->major, py->minor, (unsigned)umask_get());
	char h[65];
	sha256_hex(b.s, b.len, h);
	sb_free(&b);
	h[16] = '\0';
	const char *base = path_basename(wheel);
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".whl") == 0)
		n -= 4;
	struct sbuf name = SBUF_INIT;
	for (size_t i = 0; i < n && i < 80; i++)
		sb_addc(&name, isalnum((unsigned char)base[i]) || strchr("._-+", base[i]) ? base[i] : '_');
	sb_addf(&name, "-py%d.%d-%s", py->major, py->minor, h);
	return sb_detach(&name);
}

/* Finds or makes the cached tree for wheel.  Returns the entry's directory
 * (with tree/ and manifest), or NULL: with *nocache set when there is no
 * usable cache or filling it failed (the caller then works without one,
 * and reports what fails then), else with err. */
static char *seed_cached(const struct python_info *py, const char *wheel, struct manifest *m,
			 int *nocache, char *err, size_t errlen)
{
	struct stat st;
	*nocache = 0;
	int bad = stat(wheel, &st) < 0;
	if (bad || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "cannot read '%s', the wheel ensurepip bundles: %s", wheel,
			 bad ? strerror(errno) : "not a file");
		return NULL;
	}
	char why[MSG_MAX];
	char *dir = cache_dir("seed", why, sizeof why);
	if (!dir) {
		*nocache = 1;
		return NULL;
	}
	char *key = seed_key(py, wheel, &st);
	char *entry = path_join(dir, key);
	char *mpath = path_join(entry, "manifest");
	struct sbuf text = SBUF_INIT;
	if (file_read(mpath, MANIFEST_MAX, &text, why, sizeof why) == 0 && manifest_read(text.s, m) == 0)
		goto done;
	/* Fill a new entry beside, then rename it into place. */
	char *tmp = xasprintf("%s.tmp-%ld", entry, (long)getpid());
	char *tree = path_join(tmp, "tree");
	char *tmanifest = path_join(tmp, "manifest");
	char rmerr[MSG_MAX];
	if (tree_remove(tmp, rmerr, sizeof rmerr) < 0 || mkdir(tmp, 0700) < 0 || mkdir(tree, 0777) < 0) {
		snprintf(err, errlen, "cannot create '%s': %s", tmp, strerror(errno));
		goto fail;
	}
	int h = cleanup_add(CLEANUP_TREE, tmp, NULL);
	struct sbuf mtext = SBUF_INIT;
	if (seed_fill(py, wheel, tree, tree, m, err, errlen) < 0) {
		cleanup_check();
		goto fail_tmp;
	}
	manifest_write(m, &mtext);
	/* On disk before the entry is used: a crash must not leave an entry
	 * whose files are empty. */
	int tfd = open_dir_at(AT_FDCWD, tree);
	if (tfd >= 0) {
		fs_sync(tfd);
		close(tfd);
	}
	if (file_write_atomic(tmanifest, mtext.s, mtext.len, 0600) < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", tmanifest, strerror(errno));
		goto fail_tmp;
	}
	if (rename(tmp, entry) < 0) {
		/* Another venvhook filled it meanwhile: use that one, unless it
		 * is damaged; then it goes and ours takes its place. */
		struct manifest other;
		int e = errno;
		sb_reset(&text);
		if (file_read(mpath, MANIFEST_MAX, &text, why, sizeof why) == 0 &&
		    manifest_read(text.s, &other) == 0) {
			manifest_free(m);
			*m = other;
			tree_remove(tmp, rmerr, sizeof rmerr);
		} else if ((e != EEXIST && e != ENOTEMPTY) || tree_remove(entry, rmerr, sizeof rmerr) < 0 ||
			   rename(tmp, entry) < 0) {
			snprintf(err, errlen, "cannot rename '%s': %s", tmp, strerror(e));
			goto fail_tmp;
		}
	}
	cleanup_drop(h);
	sb_free(&mtext);
	free(tmp);
	free(tree);
	free(tmanifest);
	goto done;
fail_tmp:
	sb_free(&mtext);
	tree_remove(tmp, rmerr, sizeof rmerr);
	cleanup_drop(h);
fail:
	*nocache = !interrupted();
	manifest_free(m);
	free(tmp);
	free(tree);
	free(tmanifest);
	free(entry);
	entry = NULL;
done:
	sb_free(&text);
	free(mpath);
	free(key);
	free(dir);
	return entry;
}

/* Characters a path may hold bare in the sh trampoline of a long shebang. */
static int sh_bare_ok(unsigned char c)
{
	return isalnum(c) || strchr("/._+-,=@%^~", c) || c >= 0x80;
}

char *seed_script_text(const char *python, const char *template, const char *module,
		       const char *attrs, char *err, size_t errlen)
{
	struct sbuf b = SBUF_INIT;
	if (!utf8_valid(python, strlen(python))) {
		snprintf(err, errlen, "cannot write console scripts for '%s': the path is not UTF-8", python);
		return NULL;
	}
	/* distlib quotes an executable that holds a space; a shebang longer
	 * than 127 bytes or holding a space becomes a /bin/sh trampoline that
	 * Python reads as a string literal. */
	char *exe = strchr(python, ' ') ? xasprintf("\"%s\"", python) : xstrdup(python);
	if (!strchr(exe, ' ') && strlen(exe) + 3 <= SHEBANG_MAX) {
		sb_addf(&b, "#!%s\n", exe);
	} else {
		const unsigned char *bad = NULL;
		for (const unsigned char *s = (const unsigned char *)python; *s && !bad; s++)
			if (exe[0] == '"' ? (strchr("$`\\\"", *s) != NULL) : !sh_bare_ok(*s))
				bad = s;
		if (bad || strstr(python, "'''")) {
			snprintf(err, errlen, "cannot write console scripts for '%s': a path that long or holding "
				 "a space must not hold '%c', which their /bin/sh trampoline cannot carry",
				 python, bad ? *bad : '\'');
			free(exe);
			sb_free(&b);
			return NULL;
		}
		sb_addf(&b, "#!/bin/sh\n'''exec' %s \"$0\" \"$@\"\n' '''\n", exe);
	}
	free(exe);
	const char *dot = strchr(attrs, '.');
	char *import_name = dot ? xstrndup(attrs, (size_t)(dot - attrs)) : xstrdup(attrs);
	for (const char *s = template; *s; s++) {
		if (*s != '%') {
			sb_addc(&b, *s);
			continue;
		}
		const char *v = NULL;
		size_t skip = 0;
		if (s[1] == '%')
			v = "%", skip = 1;
		else if (strncmp(s, "%(module)s", 10) == 0)
			v = module, skip = 9;
		else if (strncmp(s, "%(import_name)s", 15) == 0)
			v = import_name, skip = 14;
		else if (strncmp(s, "%(func)s", 8) == 0)
			v = attrs, skip = 7;
		if (!v) {
			snprintf(err, errlen, "pip's script template holds an unknown field");
			free(import_name);
			sb_free(&b);
			return NULL;
		}
		sb_adds(&b, v);
		s += skip;
	}
	free(import_name);
	return sb_detach(&b);
}

/* Links (or copies) the cached tree into site-packages. */
static int place_tree(const char *entry, const struct manifest *m, int purefd, const char *purelib,
		      int *missing, char *err, size_t errlen)
{
	char *tree = path_join(entry, "tree");
	int treefd = open_dir_at(AT_FDCWD, tree);
	int r = -1;
	*missing = 0;
	if (treefd < 0) {
		*missing = errno == ENOENT;
		snprintf(err, errlen, "cannot open '%s': %s", tree, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < m->dirs.n; i++) {
		if (mkdirat(purefd, m->dirs.v[i], 0777) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create '%s/%s': %s", purelib, m->dirs.v[i], strerror(errno));
			goto out;
		}
	}
	char *record = xasprintf("%s/RECORD", m->dist);
	int link_ok = 1;
	for (size_t i = 0; i < m->files.n; i++) {
		const char *f = m->files.v[i];
		if ((i & 63) == 0 && interrupted()) {
			snprintf(err, errlen, "interrupted");
			free(record);
			goto out;
		}
		if (strcmp(f, record) == 0)
			continue;       /* written for this env below */
		if (link_ok && linkat(treefd, f, purefd, f, 0) == 0)
			continue;
		if (link_ok && errno != EXDEV && errno != EPERM && errno != EMLINK && errno != EOPNOTSUPP) {
			int e = errno;
			*missing = faccessat(treefd, f, F_OK, AT_SYMLINK_NOFOLLOW) < 0;
			snprintf(err, errlen, "cannot create '%s/%s': %s", purelib, f, strerror(e));
			free(record);
			goto out;
		}
		if (errno == EXDEV)
			link_ok = 0;    /* another file system: copy the rest */
		if (file_copy_at(treefd, f, purefd, f) < 0) {
			int e = errno;
			*missing = faccessat(treefd, f, F_OK, AT_SYMLINK_NOFOLLOW) < 0;
			snprintf(err, errlen, "cannot create '%s/%s': %s", purelib, f, strerror(e));
			free(record);
			goto out;
		}
	}
	free(record);
	r = 0;
out:
	if (treefd >= 0)
		close(treefd);
	free(tree);
	return r;
}

/* Takes back what place_tree put into site-packages. */
static void unplace(const struct manifest *m, int purefd)
{
	for (size_t i = m->files.n; i-- > 0;)
		unlinkat(purefd, m->files.v[i], 0);
	for (size_t i = m->dirs.n; i-- > 0;)
		unlinkat(purefd, m->dirs.v[i], AT_REMOVEDIR);
}

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a, *y = *(const struct row *const *)b;
	int c = strcmp(x->path, y->path);
	if (!c)
		c = strcmp(x->hash, y->hash);
	if (!c)
		c = strcmp(x->size, y->size);
	return c;
}

static int write_generated(int dirfd, const char *rel, const char *dir_shown, const void *data,
			   size_t len, mode_t mode, int force, struct manifest *rows, const char *rowpath,
			   char *err, size_t errlen)
{
	if ((unlinkat(dirfd, rel, 0) < 0 && errno != ENOENT) ||
	    file_write_at(dirfd, rel, data, len, mode, force) < 0) {
		snprintf(err, errlen, "cannot write '%s/%s': %s", dir_shown, rel, strerror(errno));
		return -1;
	}
	if (rows) {
		char hash[51], size[32];
		sha256_record(data, len, hash);
		snprintf(size, sizeof size, "%zu", len);
		row_add(rows, rowpath, hash, size);
	}
	return 0;
}

/* The console scripts, INSTALLER, REQUESTED and RECORD of one wheel. */
static int finish_wheel(const struct python_info *py, int envfd, int purefd, const char *env,
			const char *python, const char *template, const struct manifest *m,
			char *err, size_t errlen)
{
	struct manifest gen = { 0 };
	mode_t mask = umask_get();
	int r = -1;
	/* From purelib to scripts (both relative to the env), as below "/". */
	char *from = path_join("/", py->purelib), *to = path_join("/", py->scripts);
	char *up = path_relative(to, from);
	free(from), free(to);
	char *puredir = path_join(env, py->purelib);
	for (size_t i = 0; i < m->nscripts; i++) {
		const struct script *s = &m->scripts[i];
		if (!template) {
			snprintf(err, errlen, "cannot write the console script '%s': no pip to learn the script format from",
				 s->name);
			goto out;
		}
		char *text = seed_script_text(python, template, s->module, s->attrs, err, errlen);
		if (!text)
			goto out;
		char *rel = path_join(py->scripts, s->name);
		char *rowpath = xasprintf("%s/%s", up, s->name);
		int w = write_generated(envfd, rel, env, text, strlen(text), (0666 & ~mask) | 0555, 1,
					&gen, rowpath, err, errlen);
		free(rel);
		free(rowpath);
		free(text);
		if (w < 0)
			goto out;
	}
	char *installer = xasprintf("%s/INSTALLER", m->dist);
	char *requested = xasprintf("%s/REQUESTED", m->dist);
	int w = write_generated(purefd, installer, puredir, "pip\n", 4, 0666, 0, &gen, installer, err, errlen);
	if (w == 0)
		w = write_generated(purefd, requested, puredir, "", 0, 0666, 0, &gen, requested, err, errlen);
	free(installer);
	free(requested);
	if (w < 0)
		goto out;
	/* RECORD: the wheel's rows, the compiled files and what was generated
	 * here, sorted, as Python's csv module writes them. */
	size_t n = m->nrows + gen.nrows;
	const struct row **all = xmalloc((n ? n : 1) * sizeof *all);
	for (size_t i = 0; i < m->nrows; i++)
		all[i] = &m->rows[i];
	for (size_t i = 0; i < gen.nrows; i++)
		all[m->nrows + i] = &gen.rows[i];
	qsort(all, n, sizeof *all, cmp_row);
	struct sbuf text = SBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		csv_field(&text, all[i]->path);
		sb_addc(&text, ',');
		csv_field(&text, all[i]->hash);
		sb_addc(&text, ',');
		csv_field(&text, all[i]->size);
		sb_adds(&text, "\r\n");
	}
	free(all);
	char *record = xasprintf("%s/RECORD", m->dist);
	w = write_generated(purefd, record, puredir, text.s ? text.s : "", text.len, 0666, 0, NULL, NULL,
			    err, errlen);
	free(record);
	sb_free(&text);
	if (w == 0)
		r = 0;
out:
	manifest_free(&gen);
	free(up);
	free(puredir);
	return r;
}

int seed_install(const struct python_info *py, int envfd, const char *build, const char *env,
		 char *err, size_t errlen)
{
	if (!py->ensurepip || !py->nwheels) {
		snprintf(err, errlen, "cannot seed pip: '%s' has no ensurepip module to take it from "
			 "(on Debian and Ubuntu: apt install python3-venv); --without-pip skips pip", py->path);
		return -1;
	}
	int purefd = open_dir_at(envfd, py->purelib);
	if (purefd < 0) {
		snprintf(err, errlen, "cannot open '%s/%s': %s", env, py->purelib, strerror(errno));
		return -1;
	}
	char *shown = path_join(env, py->purelib);
	struct manifest *ms = xmalloc(py->nwheels * sizeof *ms);
	memset(ms, 0, py->nwheels * sizeof *ms);
	int r = -1;
	for (size_t i = 0; i < py->nwheels; i++) {
		for (int attempt = 0;; attempt++) {
			int nocache, missing;
			char *entry = seed_cached(py, py->wheels[i], &ms[i], &nocache, err, errlen);
			if (!entry && !nocache)
				goto out;
			if (!entry) {
				/* No cache to keep it in: unpack and compile in place. */
				char *tree = path_join(build, py->purelib);
				int f = seed_fill(py, py->wheels[i], tree, shown, &ms[i], err, errlen);
				free(tree);
				if (f < 0)
					goto out;
				break;
			}
			int p = place_tree(entry, &ms[i], purefd, shown, &missing, err, errlen);
			if (p == 0 || !missing || attempt) {
				free(entry);
				if (p < 0)
					goto out;
				break;
			}
			/* A file of the cache entry is gone (removed by some
			 * cleaner): take back what was placed, drop the entry and
			 * fill it again. */
			char rmerr[MSG_MAX];
			unplace(&ms[i], purefd);
			tree_remove(entry, rmerr, sizeof rmerr);
			manifest_free(&ms[i]);
			free(entry);
		}
	}
	const char *template = NULL;
	for (size_t i = 0; i < py->nwheels && !template; i++)
		template = ms[i].template;
	char *python = xasprintf("%s/%s/%s", env, py->scripts, path_basename(py->base_executable));
	r = 0;
	for (size_t i = 0; i < py->nwheels && r == 0; i++)
		r = finish_wheel(py, envfd, purefd, env, python, template, &ms[i], err, errlen);
	free(python);
out:
	for (size_t i = 0; i < py->nwheels; i++)
		manifest_free(&ms[i]);
	free(ms);
	free(shown);
	close(purefd);
	return r;
}
