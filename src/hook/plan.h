/* plan.h: what the prompt hook does in a directory, decided once.
 *
 * State in (what the shell says is active, and what it kept), the settings
 * and the directory; out, the steps that get from what is active to what
 * should be, and the verdict with its reason.  Nothing is printed: the hook
 * (cmd/hook.c) writes the steps as shell code, `venvhook status` (cmd/
 * status.c) says in words why an env is or is not active. */
#ifndef VENVHOOK_PLAN_H
#define VENVHOOK_PLAN_H

#include "config.h"
#include "marker.h"
#include "verdict.h"

/* What the shell says. */
struct hook_state {
	const char *venv;       /* $VIRTUAL_ENV, or NULL */
	const char *ours;       /* $__VENVHOOK_ENV: what venvhook activated, or NULL */
	const char *applied;    /* the project the shell set its prompt up for, or "" */
	const char *off;        /* the project where the user typed deactivate, or "" */
};

struct plan {
	struct verdict v;       /* what the directory asks for */
	struct watch w;         /* what the walk looked at */
	const char *want;       /* the env that should be active (v.real), or NULL */
	const char *current;    /* venvhook's env, active now, or NULL */
	int disown;             /* ours was replaced or unset behind venvhook's back */
	int manual;             /* an env activated by hand is active: not ours to touch */
	const struct config_pattern *ignored; /* the [hook] ignore pattern that matches */
	int kept_off;           /* the user typed deactivate in this project */
	int clear_off;          /* OFF no longer applies */
	int deactivate;         /* take current off */
	int activate;           /* put want on */
	int adopt;              /* want is active already, inherited from a parent shell */
};

enum {
	PLAN_WATCH = 1,         /* collect what the walk looked at, for the shell's test */
	PLAN_SHOW_IGNORED = 2,  /* walk an ignored directory too, to say what is there */
};

/* Decides for dir (absolute) from st under cfg, as flags say. */
void plan_make(const char *dir, const struct config *cfg, const struct hook_state *st,
	       int flags, struct plan *p);
void plan_free(struct plan *p);

#endif
