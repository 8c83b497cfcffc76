/* env_moved.c: an env moved or copied from where it was made still names
 * its old path.  repair rewrites it; the hook says so. */
#include "env_moved.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "platform.h"
#include "util.h"

#define SCRIPT_MAX (4 << 20)

/* The env path that a script's first lines run Python from: "#!X/bin/python..."
 * or pip's "'''exec' "X/bin/python..." for paths a shebang cannot carry. */
static char *script_env(const char *text)
{
	const char *line = text;
	for (int k = 0; k < 2 && line; k++) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *start = NULL;
		if (k == 0 && strncmp(line, "#!", 2) == 0 && line[2] == '/')
			start = line + 2;
		else if (k == 1 && strncmp(line, "'''exec' \"", 10) == 0)
			start = line + 10;
		if (start) {
			const char *py = mem_find(start, len - (size_t)(start - line), "/bin/python", 11);
			if (py && py > start)
				return xstrndup(start, (size_t)(py - start));
		}
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

/* bin/activate's VIRTUAL_ENV=: a small file, read only when pyvenv.cfg
 * does not tell. */
static char *activate_env(const char *env)
{
	char *act = path_join(env, "bin/activate");
	struct sbuf text = SBUF_INIT;
	char err[MSG_MAX], *found = NULL;
	if (file_read(act, 1 << 16, &text, err, sizeof err) == 0) {
		for (char *l = text.s; l && !found; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
			char *v = l + strspn(l, " \t");
			if (strncmp(v, "export ", 7) == 0)
				v += 7;
			if (strncmp(v, "VIRTUAL_ENV=", 12) != 0)
				continue;
			v += 12;
			size_t n = strcspn(v, "\n");
			if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
				v++, n -= 2;
			if (n && v[0] == '/')
				found = xstrndup(v, n);
		}
	}
	sb_free(&text);
	free(act);
	return found;
}

/* The env path the env's scripts were written for: from the shebangs of
 * its console scripts, else from bin/activate's VIRTUAL_ENV=.  NULL if
 * nothing tells. */
char *env_scripts_made_for(const char *env)
{
	char *bin = path_join(env, "bin");
	DIR *d = opendir(bin);
	struct sbuf text = SBUF_INIT;
	char *found = NULL, err[MSG_MAX];
	struct dirent *de;
	while (d && !found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *p = path_join(bin, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < SCRIPT_MAX &&
		    file_read(p, SCRIPT_MAX, &text, err, sizeof err) == 0)
			found = script_env(text.s);
		free(p);
	}
	if (d)
		closedir(d);
	if (!found)
		found = activate_env(env);
	sb_free(&text);
	free(bin);
	return found;
}

int env_same_dir(const char *a, const char *b)
{
	struct stat x, y;
	if (strcmp(a, b) == 0)
		return 1;
	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* The env path at the end of pyvenv.cfg's "command = PYTHON -m venv [OPTS] PATH". */
static char *command_env(const char *command)
{
	const char *m = command ? strstr(command, " -m venv ") : NULL;
	const char *p = m ? strrchr(m, ' ') : NULL;
	if (!p || p[1] != '/')
		return NULL;
	return xstrdup(p + 1);
}

char *env_made_elsewhere(const char *env, const struct venv_cfg *cfg)
{
	char *old = command_env(cfg ? cfg->command : NULL);
	if (!old)
		old = activate_env(env);
	if (old && env_same_dir(old, env)) {
		free(old);
		old = NULL;
	}
	return old;
}
