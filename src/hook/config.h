/* config.h: the user's own settings, from $XDG_CONFIG_HOME/venvhook/config.ini
 * or $VENVHOOK_CONFIG.
 *
 * The file is read by the helper only (never on the shell's fast path), once
 * per process.  A malformed file is refused as a whole: one message naming
 * the file and line, and every setting keeps its default.  Settings that
 * govern trust come from this file only, never from a project's .venvhook. */
#ifndef VENVHOOK_CONFIG_H
#define VENVHOOK_CONFIG_H

#include <stddef.h>

#include "util.h"

#define CONFIG_FILE_MAX (64 * 1024)
/* The longest prompt format and [create] prompt, in bytes. */
#define CONFIG_STRING_MAX 128

/* An [hook] ignore pattern and where it was written. */
struct config_pattern {
	char *text;
	int line;
	void *re;           /* pcre2_code_8 */
};

enum config_seed { CONFIG_SEED_PIP, CONFIG_SEED_NONE };

struct config {
	char *path;         /* the file that was read, or NULL if there was none */
	char *error;        /* the message about a malformed file, or NULL */
	/* [hook] */
	struct config_pattern *ignore;
	size_t n_ignore;
	struct strlist ceiling;     /* normalized absolute paths */
	struct strlist markers;     /* extra env directory names */
	int notify;                 /* one-line notices at the prompt; default on */
	int drift;                  /* say on entry when the env drifted from its requirements */
	int suggest;                /* say on entry how to make an env for a project without one */
	char *requirements;         /* NULL: "requirements.txt" */
	/* [prompt] */
	int prompt_enabled;         /* default on */
	char *prompt_format;        /* NULL: "({name}) " */
	/* [create] */
	char *create_python;        /* NULL: not set */
	char *create_prompt;        /* NULL: not set */
	enum config_seed create_seed;
	int create_seed_set;
	/* [trust] */
	struct strlist trust_dirs;  /* real paths where they exist, else normalized */
};

/* Fills c with the defaults. */
void config_init(struct config *c);
void config_free(struct config *c);

/* Parses the text of a config file; path is used in messages.  Returns 0,
 * or -1 with "'path' line N: ..." in err, and then c holds the defaults:
 * nothing of a malformed file is kept. */
int config_parse(struct config *c, const char *text, const char *path, char *err, size_t errlen);

/* The file to read: $VENVHOOK_CONFIG, else $XDG_CONFIG_HOME/venvhook/config.ini
 * (or ~/.config/...).  *explicit is set when it came from $VENVHOOK_CONFIG.
 * NULL when no file can be named (no $HOME); err then says why if explicit. */
char *config_path(int *explicit, char *err, size_t errlen);

/* Reads and parses path.  A missing file is no error unless explicit.
 * A file owned by another user (other than root) or writable by others is
 * refused.  Returns 0, or -1 with a message in err (c holds the defaults). */
int config_load(struct config *c, const char *path, int explicit, char *err, size_t errlen);

/* The settings of this process, loaded on first use.  config_get reports a
 * malformed file on stderr (once per process); config_get_quiet leaves
 * that to the caller, in ->error. */
const struct config *config_get(void);
const struct config *config_get_quiet(void);

/* Whether an [hook] ignore pattern matches dir: 1 (and *which), 0, or -1 if
 * a pattern hit its match limit (then *which names it). */
int config_ignored(const struct config *c, const char *dir, const struct config_pattern **which);

/* Whether the walk that started at start must not look at dir (a parent of
 * start) because dir is, or lies above, a ceiling directory that start is
 * below. */
int config_ceiling_stops(const struct config *c, const char *start, const char *dir);

/* Whether real (an env's real path) lies in a [trust] directory; returns the
 * directory or NULL. */
const char *config_trusted(const struct config *c, const char *real);

/* The prompt prefix for an env name: "" when [prompt] enabled is off.
 * Control bytes in the name are shown as '?'. */
char *config_prompt_prefix(const struct config *c, const char *name);

#endif
