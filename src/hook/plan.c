/* plan.c: what the prompt hook does in a directory (see plan.h). */
#include "plan.h"

#include <string.h>

#include "util.h"

void plan_make(const char *dir, const struct config *cfg, const struct hook_state *st,
	       int flags, struct plan *p)
{
	memset(p, 0, sizeof *p);
	const char *applied = st->applied ? st->applied : "";
	const char *off = st->off ? st->off : "";
	const char *ours = st->ours;

	/* Ours was replaced or unset by something other than our deactivate. */
	if (ours && (!st->venv || strcmp(st->venv, ours) != 0)) {
		p->disown = 1;
		ours = NULL;
	}
	p->current = ours;
	p->manual = st->venv && !ours;

	if (config_ignored(cfg, dir, &p->ignored) != 1)
		p->ignored = NULL;
	/* [hook] ignore: nothing here, not even a walk. */
	if (!p->ignored || (flags & PLAN_SHOW_IGNORED))
		verdict_for(cfg, dir, &p->v, (flags & PLAN_WATCH) ? &p->w : NULL);

	/* The real path: the one that was judged (a .venv link may be
	 * retargeted later; the shell's same-test notices). */
	p->want = p->v.kind == VERDICT_ACTIVATE && !p->ignored ? p->v.real : NULL;
	if (*off) {
		if (p->v.proj.dir && strcmp(p->v.proj.dir, off) == 0 && path_within(dir, off)) {
			p->kept_off = 1;
			p->want = NULL;
		} else {
			p->clear_off = 1;
		}
	}

	if (p->manual)
		return;
	if (p->current && p->want && strcmp(p->current, p->want) == 0 &&
	    (!*applied || strcmp(applied, p->v.proj.dir) == 0)) {
		p->adopt = !*applied;   /* inherited from a parent shell */
		return;
	}
	p->deactivate = p->current != NULL;
	p->activate = p->want != NULL;
}

void plan_free(struct plan *p)
{
	watch_free(&p->w);
	verdict_free(&p->v);
}
