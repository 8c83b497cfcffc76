/* trust.c: which envs the user allowed or denied.
 *
 * One small file per env under $XDG_DATA_HOME/venvhook/trust/, named by a
 * hash of the env's real path and written atomically:
 *   venvhook-trust 1
 *   allow DEV INO BIRTH GEN  (or: deny)
 *   PATH                     (the rest of the file)
 * An allow holds only while the directory at PATH is the one that was
 * allowed; a deny holds for the path, whatever is there. */
#include "trust.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util.h"

#define TRUST_MAGIC "venvhook-trust 1\n"
#define TRUST_MAX 8192

int env_id_get(const char *path, struct env_id *id)
{
	struct statx sx;
	memset(id, 0, sizeof *id);
	if (statx(AT_FDCWD, path, 0, STATX_INO | STATX_BTIME, &sx) < 0)
		return -1;
	id->dev = (unsigned long long)makedev(sx.stx_dev_major, sx.stx_dev_minor);
	id->ino = sx.stx_ino;
	if (sx.stx_mask & STATX_BTIME)
		id->birth = (unsigned long long)sx.stx_btime.tv_sec * 1000000000ULL + sx.stx_btime.tv_nsec;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0) {
		int gen = 0;
		if (ioctl(fd, FS_IOC_GETVERSION, &gen) == 0)
			id->gen = (unsigned int)gen;
		close(fd);
	}
	return 0;
}

static unsigned long long fnv1a(const char *s)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

char *trust_record_path(const char *real)
{
	char *data = xdg_dir("DATA");
	if (!data)
		return NULL;
	char *r = xasprintf("%s/trust/%016llx", data, fnv1a(real));
	free(data);
	return r;
}

enum trust trust_get(const char *real, const struct env_id *id)
{
	char *path = trust_record_path(real);
	if (!path)
		return TRUST_UNKNOWN;
	struct sbuf text = SBUF_INIT;
	char err[256];
	enum trust r = TRUST_UNKNOWN;
	if (file_read(path, TRUST_MAX, &text, err, sizeof err) < 0 ||
	    strncmp(text.s, TRUST_MAGIC, strlen(TRUST_MAGIC)) != 0)
		goto out;
	char *line = text.s + strlen(TRUST_MAGIC);
	char *nl = strchr(line, '\n');
	if (!nl || strcmp(nl + 1, real) != 0)
		goto out;
	struct env_id rec;
	if (strncmp(line, "deny\n", 5) == 0)
		r = TRUST_DENIED;
	else if (sscanf(line, "allow %llu %llu %llu %llu\n", &rec.dev, &rec.ino, &rec.birth,
			&rec.gen) == 4)
		r = rec.dev == id->dev && rec.ino == id->ino && rec.birth == id->birth &&
		    rec.gen == id->gen ? TRUST_ALLOWED : TRUST_REPLACED;
out:
	sb_free(&text);
	free(path);
	return r;
}

int trust_set(const char *real, const struct env_id *id, int allow, char *err, size_t errlen)
{
	char *path = trust_record_path(real);
	if (!path) {
		snprintf(err, errlen, "cannot record trust: set $HOME or $XDG_DATA_HOME");
		return -1;
	}
	char *dir = path_dirname(path);
	struct sbuf rec = SBUF_INIT;
	sb_adds(&rec, TRUST_MAGIC);
	if (allow)
		sb_addf(&rec, "allow %llu %llu %llu %llu\n", id->dev, id->ino, id->birth, id->gen);
	else
		sb_adds(&rec, "deny\n");
	sb_adds(&rec, real);
	int r = 0;
	if (mkdir_p(dir, 0700) < 0 || file_write_atomic(path, rec.s, rec.len, 0600) < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		r = -1;
	}
	sb_free(&rec);
	free(dir);
	free(path);
	return r;
}

int trust_forget(const char *real)
{
	char *path = trust_record_path(real);
	if (!path)
		return 0;
	int r = unlink(path) < 0 && errno != ENOENT ? -1 : 0;
	free(path);
	return r;
}

void trust_each_allowed(void (*fn)(const char *real, void *arg), void *arg)
{
	char *data = xdg_dir("DATA");
	if (!data)
		return;
	char *dir = path_join(data, "trust");
	free(data);
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		return;
	}
	struct sbuf text = SBUF_INIT;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *path = path_join(dir, de->d_name);
		char err[256];
		if (file_read(path, TRUST_MAX, &text, err, sizeof err) == 0 &&
		    strncmp(text.s, TRUST_MAGIC "allow ", strlen(TRUST_MAGIC "allow ")) == 0) {
			char *nl = strchr(text.s + strlen(TRUST_MAGIC), '\n');
			if (nl && nl[1] == '/')
				fn(nl + 1, arg);
		}
		free(path);
	}
	sb_free(&text);
	closedir(d);
	free(dir);
}
