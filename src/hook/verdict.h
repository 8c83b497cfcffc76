/* verdict.h: what should be active in a directory, and why. */
#ifndef VENVHOOK_VERDICT_H
#define VENVHOOK_VERDICT_H

#include "marker.h"
#include "trust.h"
#include "venv.h"

struct config;

enum verdict_kind {
	VERDICT_NONE,       /* no marker from here to / */
	VERDICT_ACTIVATE,   /* an env that is valid, safe and trusted */
	VERDICT_DISABLED,   /* .venvhook says activate = false */
	VERDICT_ERROR,      /* the marker cannot be read or names nothing usable */
	VERDICT_BROKEN,     /* the env is missing or broken */
	VERDICT_UNSAFE,     /* the env must never be activated */
	VERDICT_UNTRUSTED,  /* neither allowed nor denied, or replaced since allowed */
	VERDICT_DENIED,
};

struct verdict {
	enum verdict_kind kind;
	struct project proj;
	struct venv_cfg cfg;
	enum venv_state state;
	enum trust trust;
	struct env_id id;
	char *real;         /* the env's real path, when it exists */
	char *name;         /* the name for the prompt */
	int env_broken;     /* DISABLED, and the env is missing, broken or unsafe */
	char why[MSG_MAX];  /* one line for kinds other than NONE, ACTIVATE */
};

/* Decides for dir (absolute); w, if not NULL, collects what was looked at. */
void verdict_for(const struct config *cfg, const char *dir, struct verdict *v, struct watch *w);
/* Decides for what a command-line argument names: an env directory, a
 * project directory (walking up from it) or a .venv or .venvhook file.
 * Returns 0, or -1 with a message in err. */
int verdict_for_arg(const struct config *cfg, const char *arg, struct verdict *v, char *err, size_t errlen);
void verdict_free(struct verdict *v);

#endif
