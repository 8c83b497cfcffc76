/* listing.h: the directories of the search path as the scans see them.
 *
 * Each directory is read once per run (site.py's .pth files, pip's own
 * dist-info, the distributions are all looked for in the same ones).  A
 * large directory (a standard library, a full site-packages: ext4 reads
 * one in hash order, building a tree of every entry, at each listing) is
 * also kept between runs, under $XDG_CACHE_HOME/venvhook/listings, for as
 * long as a stat says it is unchanged: same device, inode, size, mtime and
 * ctime.  A listing is kept only where those times are to be trusted (a
 * local file system: ext2/3/4, XFS, Btrfs, F2FS, tmpfs, overlayfs) and
 * are settled (util.h's TIME_SETTLED) when it is read, so that a change
 * made after the read always moves them, also where the file system's
 * clock is coarse. */
#ifndef VENVHOOK_LISTING_H
#define VENVHOOK_LISTING_H

#include "dist.h"

/* Directories with fewer entries are read each time (that is as cheap as
 * a stat). */
#define LISTING_CACHE_MIN 64

/* A name's type in a listing: its S_IFMT bits (platform.h's dirent_type)
 * shifted as d_type numbers them, so that DT_REG is LISTING_TYPE(S_IFREG). */
#define LISTING_TYPE(mode) ((unsigned char)((mode) >> 12))

/* What the scans and site.py look at in a directory. */
struct dir_listing {
	struct strlist names;   /* names ending in .dist-info, .egg-info, .egg or
	                         * .egg-link, or egg-info, in directory order */
	unsigned char *types;   /* each name's LISTING_TYPE (0 where not told) */
	struct strlist pth;     /* *.pth names not starting with '.', in directory order */
	int fd;                 /* the directory (O_DIRECTORY, close-on-exec), or -1:
	                         * not kept open, or the listing came from the cache */
};
/* The listing of directory path ("" is the current directory), or NULL
 * if it cannot be opened and read as a directory; then *err (unless NULL)
 * is the errno of that failure. */
const struct dir_listing *dist_dir_listing(const char *path, int *err);
/* Its names, or NULL. */
const struct strlist *dist_dir_names(const char *path);
/* Forgets the listings and closes the directories (they may change before
 * the next run); the cache is written if a listing was added to it. */
void dist_dir_names_forget(void);

#endif
