/* env_scan.h: finding envs in directory trees, and their disk use. */
#ifndef VENVHOOK_ENV_SCAN_H
#define VENVHOOK_ENV_SCAN_H

#include <stddef.h>

/* Walks the tree at root (followed if it is a link; nothing below is) and
 * calls fn with the path of every venv in it: a directory that holds a
 * pyvenv.cfg file beside bin/python.  It does not look inside envs, nor
 * into .git, .hg, .svn, node_modules or __pycache__.  Directories that
 * cannot be read are counted in *unreadable and skipped.  Returns 0, or -1
 * with a message in err if root itself cannot be read. */
int env_scan(const char *root, void (*fn)(const char *env, void *arg), void *arg,
	     size_t *unreadable, char *err, size_t errlen);

/* Hard-linked files already counted, by device and inode. */
struct inode_set {
	unsigned long long *key;    /* pairs: dev, ino */
	size_t n, cap;              /* cap: slots, a power of two */
};

/* The disk use of the tree at path in bytes (st_blocks), without following
 * links, counting a file with several links once per set.  -1 if path
 * cannot be read. */
long long disk_usage(const char *path, struct inode_set *seen);
void inode_set_free(struct inode_set *s);

#endif
