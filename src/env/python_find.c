/* python_find.c: finding a Python interpreter, and what only it knows.
 *
 * Lookup: a path is taken as is; a version or command name is searched on
 * PATH, then among pyenv's installs.  pyenv's shims are scripts that pick
 * a version at every call: on PATH they are resolved here the way pyenv
 * would (PYENV_VERSION, .python-version, the global version file), so that
 * what is cached is always a real interpreter. */
#include "python_find.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc.h"
#include "python_cache.h"
#include "util.h"

#define VERSION_FILE_MAX 4096

/* Asks the interpreter what venv would ask it.  It must parse as Python 2
 * too, so that an old interpreter can say which version it is. */
static const char probe_script[] =
	"import sys\n"
	"sys.stdout.write('version=%d.%d.%d\\n' % tuple(sys.version_info[:3]))\n"
	"if sys.version_info >= (3, 8):\n"
	"    import os, sysconfig, importlib.util\n"
	"    w = sys.stdout.write\n"
	"    def h(s):\n"
	"        return os.fsencode(s).hex()\n"
	"    w('executable=%s\\n' % h(sys.executable))\n"
	"    w('base_executable=%s\\n' % h(getattr(sys, '_base_executable', None) or ''))\n"
	"    w('real=%s\\n' % h(os.path.realpath(sys.executable)))\n"
	"    w('cache_tag=%s\\n' % (sys.implementation.cache_tag or ''))\n"
	"    w('magic=%s\\n' % importlib.util.MAGIC_NUMBER.hex())\n"
	"    w('lib64=%d\\n' % (sys.maxsize > 2 ** 32 and os.name == 'posix' and sys.platform != 'darwin'))\n"
	"    base = '/@venvhook@'\n"
	"    if 'venv' in sysconfig.get_scheme_names():\n"
	"        v = {'base': base, 'platbase': base, 'installed_base': base, 'installed_platbase': base}\n"
	"        paths = dict((n, sysconfig.get_path(n, scheme='venv', vars=v)) for n in ('scripts', 'include', 'purelib'))\n"
	"    else:\n"
	"        paths = {'scripts': base + '/bin', 'include': base + '/include',\n"
	"                 'purelib': base + '/lib/python%d.%d/site-packages' % sys.version_info[:2]}\n"
	"    for n in sorted(paths):\n"
	"        p = paths[n]\n"
	"        w('%s=%s\\n' % (n, h(p[len(base) + 1:]) if p.startswith(base + '/') else ''))\n"
	"    w('watch=%s\\n' % h(os.__file__))\n"
	"    if sysconfig.get_config_var('Py_ENABLE_SHARED'):\n"
	"        lib = os.path.join(sysconfig.get_config_var('LIBDIR') or '', sysconfig.get_config_var('LDLIBRARY') or '')\n"
	"        if os.path.isfile(lib):\n"
	"            w('watch=%s\\n' % h(lib))\n"
	"    spec = importlib.util.find_spec('venv')\n"
	"    if spec and spec.origin:\n"
	"        ps1 = os.path.join(os.path.dirname(spec.origin), 'scripts', 'common', 'Activate.ps1')\n"
	"        if os.path.isfile(ps1):\n"
	"            w('ps1=%s\\n' % h(ps1))\n"
	"    try:\n"
	"        import ensurepip\n"
	"    except ImportError:\n"
	"        ensurepip = None\n"
	"    if ensurepip is not None:\n"
	"        w('ensurepip=1\\n')\n"
	"        w('watch=%s\\n' % h(ensurepip.__file__))\n"
	"        bundled = os.path.join(os.path.dirname(ensurepip.__file__), '_bundled')\n"
	"        wheels = []\n"
	"        if hasattr(ensurepip, '_get_pip_whl_path_ctx'):\n"
	"            with ensurepip._get_pip_whl_path_ctx() as f:\n"
	"                wheels.append(str(f))\n"
	"        elif hasattr(ensurepip, '_get_packages'):\n"
	"            for name, pkg in ensurepip._get_packages().items():\n"
	"                wheels.append(pkg.wheel_path or os.path.join(bundled, pkg.wheel_name))\n"
	"        elif hasattr(ensurepip, '_PROJECTS'):\n"
	"            for name, version, tag in ensurepip._PROJECTS:\n"
	"                wheels.append(os.path.join(bundled, '%s-%s-%s-none-any.whl' % (name, version, tag)))\n"
	"        for x in wheels:\n"
	"            w('wheel=%s\\n' % h(x))\n"
	"        for d in (bundled, sysconfig.get_config_var('WHEEL_PKG_DIR')):\n"
	"            if d and os.path.isdir(d):\n"
	"                w('watch=%s\\n' % h(d))\n";

static int is_exec_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

char *pyenv_root(void)
{
	return env_dir("PYENV_ROOT", ".pyenv");
}

/* "3", "3.12" or "3.12.1": the number of parts, else 0. */
static int parse_version(const char *s, int v[3])
{
	int n = 0;
	while (n < 3) {
		if (!isdigit((unsigned char)*s))
			return 0;
		char *end;
		long x = strtol(s, &end, 10);
		if (x > 1000 || end - s > 4)
			return 0;
		v[n++] = (int)x;
		if (!*end)
			return n;
		if (*end != '.')
			return 0;
		s = end + 1;
	}
	return 0;
}

static int cmp_version(const int a[3], const int b[3])
{
	for (int i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* A pyenv version name must stay inside the versions directory
 * (CVE-2022-35861): no absolute path, no "..", no control character. */
static int version_name_ok(const char *name)
{
	return *name && name[0] != '/' && !strstr(name, "..") && !has_control(name);
}

/* The first word of the first line that is neither blank nor a comment. */
static char *version_file_read(const char *path)
{
	struct sbuf text = SBUF_INIT;
	char err[MSG_MAX];
	char *r = NULL;
	if (file_read(path, VERSION_FILE_MAX, &text, err, sizeof err) == 0) {
		for (char *line = text.s, *next; line && !r; line = next) {
			next = str_cut(line, '\n');
			line += strspn(line, " \t\r");
			size_t n = strcspn(line, " \t\r");
			if (n && line[0] != '#')
				r = xstrndup(line, n);
		}
	}
	sb_free(&text);
	return r;
}

/* See python_find.h. */
char *python_version_file(const char *dir, char **name)
{
	*name = NULL;
	char *d = xstrdup(dir);
	for (;;) {
		char *f = path_join(d, ".python-version");
		struct stat st;
		if (stat(f, &st) == 0 && S_ISREG(st.st_mode)) {
			free(d);
			*name = version_file_read(f);
			return f;
		}
		free(f);
		if (!path_up(&d))
			break;
	}
	free(d);
	return NULL;
}

/* The newest pyenv install matching the first n parts of v (n == 3: that
 * exact version) that holds bin/cmd (or, without cmd, pythonX.Y). */
static char *pyenv_best(const int v[3], int n, const char *cmd)
{
	char *root = pyenv_root();
	if (!root)
		return NULL;
	char *versions = path_join(root, "versions");
	free(root);
	DIR *d = opendir(versions);
	char *best = NULL;
	int bestv[3] = { -1, -1, -1 };
	struct dirent *de;
	while (d && (de = readdir(d))) {
		int dv[3];
		if (parse_version(de->d_name, dv) != 3)
			continue;
		int match = 1;
		for (int i = 0; i < n; i++)
			match &= dv[i] == v[i];
		if (!match || cmp_version(dv, bestv) <= 0)
			continue;
		char *exe = cmd ? xasprintf("%s/%s/bin/%s", versions, de->d_name, cmd)
			: xasprintf("%s/%s/bin/python%d.%d", versions, de->d_name, dv[0], dv[1]);
		if (is_exec_file(exe)) {
			free(best);
			best = exe;
			memcpy(bestv, dv, sizeof dv);
		} else {
			free(exe);
		}
	}
	if (d)
		closedir(d);
	free(versions);
	return best;
}

/* bin/cmd (or bin/python3, bin/python) of the pyenv version called name:
 * an install's directory name, or a version prefix such as "3.12". */
static char *pyenv_named(const char *name, const char *cmd)
{
	int v[3], n = parse_version(name, v);
	if (!version_name_ok(name))
		return NULL;
	char *root = pyenv_root();
	if (!root)
		return NULL;
	char *dir = xasprintf("%s/versions/%s", root, name);
	free(root);
	const char *const names[] = { cmd, "python3", "python" };
	char *r = NULL;
	for (size_t i = cmd ? 0 : 1; i < 3 && !r; i++) {
		char *exe = xasprintf("%s/bin/%s", dir, names[i]);
		if (is_exec_file(exe))
			r = exe;
		else
			free(exe);
	}
	free(dir);
	if (!r && n)
		r = pyenv_best(v, n, cmd);
	return r;
}

/* The version pyenv would pick here: PYENV_VERSION, the nearest
 * .python-version, the global version file, else "system". */
static char *pyenv_selected(void)
{
	const char *env = env_get("PYENV_VERSION");
	if (env) {
		size_t n = strcspn(env, ": \t\n");
		return xstrndup(env, n);
	}
	char *name = NULL;
	char *cwd = current_dir();
	char *file = python_version_file(cwd, &name);
	free(cwd);
	free(file);
	if (name)
		return name;
	char *root = pyenv_root();
	if (root) {
		char *global = path_join(root, "version");
		name = version_file_read(global);
		free(global);
		free(root);
	}
	return name ? name : xstrdup("system");
}

static int is_shim_dir(const char *dir)
{
	char *root = pyenv_root();
	if (!root)
		return 0;
	char *shims = path_join(root, "shims");
	char *d = path_normalize("/", dir);
	int r = strcmp(d, shims) == 0;
	free(d);
	free(shims);
	free(root);
	return r;
}

/* Searches PATH for cmd.  Relative entries are skipped.  A pyenv shim is
 * resolved (resolve_shims) or skipped. */
static char *path_search(const char *cmd, int resolve_shims)
{
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	char *copy = xstrdup(path);
	char *r = NULL;
	for (char *dir = copy, *next; dir && !r; dir = next) {
		next = strchr(dir, ':');
		if (next)
			*next++ = '\0';
		if (dir[0] != '/')
			continue;
		char *exe = path_join(dir, cmd);
		if (!is_exec_file(exe)) {
			free(exe);
			continue;
		}
		if (is_shim_dir(dir)) {
			free(exe);
			if (!resolve_shims)
				continue;
			char *sel = pyenv_selected();
			if (strcmp(sel, "system") != 0)
				r = pyenv_named(sel, cmd);
			free(sel);
			continue;
		}
		r = path_normalize("/", exe);
		free(exe);
	}
	free(copy);
	return r;
}

static char *find_version(const int v[3], int n)
{
	char *cmd = n == 1 ? xasprintf("python%d", v[0]) : xasprintf("python%d.%d", v[0], v[1]);
	char *r = path_search(cmd, 0);
	if (r && n == 3) {
		/* pythonX.Y on PATH is the wanted X.Y.Z only if it says so. */
		struct python_info pi;
		char e[MSG_MAX];
		int ok = python_probe(r, &pi, e, sizeof e) == 0 && pi.major == v[0] &&
			 pi.minor == v[1] && pi.micro == v[2];
		python_info_free(&pi);
		if (!ok) {
			free(r);
			r = NULL;
		}
	}
	if (!r)
		r = pyenv_best(v, n, n == 1 ? cmd : NULL);
	free(cmd);
	return r;
}

static char *find_command(const char *cmd)
{
	char *r = path_search(cmd, 1);
	if (!r) {
		int any[3] = { 0, 0, 0 };
		r = pyenv_best(any, 0, cmd);
	}
	return r;
}

char *python_find(const char *spec, const char *project_dir, char *err, size_t errlen)
{
	int v[3], n;
	char *r;
	if (spec && strchr(spec, '/')) {
		char *cwd = current_dir();
		r = path_normalize(cwd, spec);
		free(cwd);
		if (!is_exec_file(r)) {
			snprintf(err, errlen, "cannot use Python '%s': %s", spec,
				 access(r, F_OK) < 0 ? "no such file" : "not an executable file");
			free(r);
			return NULL;
		}
		return r;
	}
	if (spec) {
		if (!*spec || strpbrk(spec, "\n\t ") || strcmp(spec, ".") == 0 || strcmp(spec, "..") == 0) {
			snprintf(err, errlen, "'%s' is not a Python interpreter's name", spec);
			return NULL;
		}
		n = parse_version(spec, v);
		r = n ? find_version(v, n) : find_command(spec);
		if (!r)
			snprintf(err, errlen, "cannot find Python '%s' on PATH or in pyenv's versions", spec);
		return r;
	}
	char *name = NULL;
	char *file = python_version_file(project_dir, &name);
	if (!file) {
		r = find_command("python3");
		if (!r)
			snprintf(err, errlen, "cannot find python3 on PATH; name an interpreter with --python");
		return r;
	}
	r = NULL;
	if (!name)
		snprintf(err, errlen, "'%s' names no Python version", file);
	else if (strcmp(name, "system") == 0)
		r = path_search("python3", 0);
	else if ((n = parse_version(name, v)))
		r = find_version(v, n);
	else if (version_name_ok(name))
		r = pyenv_named(name, NULL);
	if (!r && name)
		snprintf(err, errlen, "'%s' names Python '%s', which is not on PATH nor in pyenv's versions",
			 file, name);
	free(name);
	free(file);
	return r;
}

/* ---- probing -------------------------------------------------------- */

/* The probe's answers that are kept as strings: the key, the member of
 * python_info, and whether the value comes in hex (paths: any byte). */
#define PROBE_STR(key, hex) { #key, offsetof(struct python_info, key), hex }
static const struct { const char *key; size_t off; int hex; } probe_strs[] = {
	PROBE_STR(executable, 1), PROBE_STR(base_executable, 1), PROBE_STR(real, 1),
	PROBE_STR(scripts, 1), PROBE_STR(include, 1), PROBE_STR(purelib, 1), PROBE_STR(ps1, 1),
	PROBE_STR(cache_tag, 0), PROBE_STR(magic, 0),
};
#define NPROBE_STRS (sizeof probe_strs / sizeof probe_strs[0])

static char **probe_str(struct python_info *pi, size_t i)
{
	return (char **)(void *)((char *)pi + probe_strs[i].off);
}

void python_info_free(struct python_info *pi)
{
	free(pi->path);
	free(pi->version);
	for (size_t i = 0; i < NPROBE_STRS; i++)
		free(*probe_str(pi, i));
	for (size_t i = 0; i < pi->nwheels; i++)
		free(pi->wheels[i]);
	free(pi->wheels);
	memset(pi, 0, sizeof *pi);
}

/* A path the env layout may use: relative and clean. */
static int rel_ok(const char *p)
{
	return p && path_clean_relative(p);
}

/* Parses the probe's answer (also the tail of a cache file). */
static int parse_probe(const char *text, struct python_info *pi, struct sbuf *watch)
{
	char *copy = xstrdup(text);
	int ok = 1;
	for (char *line = copy, *next; line && *line; line = next) {
		next = str_cut(line, '\n');
		const char *k = line, *val = str_cut(line, '=');
		if (!val)
			continue;
		size_t i = 0;
		while (i < NPROBE_STRS && strcmp(k, probe_strs[i].key) != 0)
			i++;
		if (i < NPROBE_STRS) {
			char **slot = probe_str(pi, i);
			free(*slot);
			*slot = probe_strs[i].hex ? hex_decode(val, strlen(val)) : xstrdup(val);
			if (!*slot && *val)
				ok = 0;
		} else if (strcmp(k, "version") == 0) {
			if (sscanf(val, "%d.%d.%d", &pi->major, &pi->minor, &pi->micro) != 3)
				ok = 0;
			free(pi->version);
			pi->version = xstrdup(val);
		} else if (strcmp(k, "lib64") == 0) {
			pi->lib64 = strcmp(val, "1") == 0;
		} else if (strcmp(k, "ensurepip") == 0) {
			pi->ensurepip = 1;
		} else if (strcmp(k, "wheel") == 0) {
			char *w = hex_decode(val, strlen(val));
			if (!w) {
				ok = 0;
				continue;
			}
			pi->wheels = xrealloc(pi->wheels, (pi->nwheels + 1) * sizeof *pi->wheels);
			pi->wheels[pi->nwheels++] = w;
		} else if (strcmp(k, "watch") == 0 && watch) {
			sb_adds(watch, val);
			sb_addc(watch, '\n');
		}
	}
	free(copy);
	return ok;
}

static int probe_complete(const struct python_info *pi)
{
	return pi->version && pi->executable && pi->base_executable && pi->real && pi->cache_tag &&
	       pi->magic && rel_ok(pi->scripts) && rel_ok(pi->include) && rel_ok(pi->purelib);
}

static int is_elf(const char *path)
{
	char m[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, m, 4);
	close(fd);
	return n == 4 && memcmp(m, "\177ELF", 4) == 0;
}

int python_probe(const char *path, struct python_info *pi, char *err, size_t errlen)
{
	memset(pi, 0, sizeof *pi);
	struct sbuf out = SBUF_INIT, errout = SBUF_INIT, watch = SBUF_INIT;
	/* Only a real binary's answer is kept: a wrapper script may pick
	 * another interpreter at every call. */
	int keep = is_elf(path);
	if (keep && python_cache_get(path, "probe", &out)) {
		if (parse_probe(out.s, pi, NULL) && probe_complete(pi)) {
			pi->path = xstrdup(path);
			sb_free(&out);
			return 0;
		}
		python_info_free(pi);
		memset(pi, 0, sizeof *pi);
	}
	char *argv[] = { (char *)path, "-E", "-s", "-c", (char *)probe_script, NULL };
	struct proc p = { .argv = argv, .out = &out, .err = &errout, .cwd = "/" };
	int r = -1;
	int st = proc_run(&p, err, errlen);
	if (st < 0)
		goto out;
	if (!parse_probe(out.s ? out.s : "", pi, &watch) || !pi->version) {
		size_t n = errout.len;
		while (n && errout.s[n - 1] == '\n')
			n--;
		const char *last = n ? errout.s : "";
		for (size_t i = 0; i < n; i++)
			if (errout.s[i] == '\n')
				last = errout.s + i + 1;
		snprintf(err, errlen, "'%s' does not answer like a Python interpreter%s%.*s", path,
			 n ? ": " : "", (int)(errout.s + n - last), last);
		goto out;
	}
	if (pi->major < 3 || (pi->major == 3 && pi->minor < 8)) {
		snprintf(err, errlen, "'%s' is Python %s; venvhook needs Python 3.8 or newer", path,
			 pi->version);
		goto out;
	}
	if (st != 0 || !probe_complete(pi)) {
		snprintf(err, errlen, "'%s' (Python %s) did not say where it lives (exit status %d)",
			 path, pi->version, st);
		goto out;
	}
	if (!*pi->base_executable) {
		snprintf(err, errlen, "'%s' cannot tell the path of its own executable", path);
		goto out;
	}
	if (keep)
		python_cache_put(path, "probe", watch.s, out.s, out.len);
	pi->path = xstrdup(path);
	r = 0;
out:
	if (r < 0)
		python_info_free(pi);
	sb_free(&out);
	sb_free(&errout);
	sb_free(&watch);
	return r;
}
