/* verdict.c: what should be active in a directory, and why. */
#include "verdict.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "env_moved.h"
#include "quote.h"

static void verdict_judge(const struct config *cfg, struct verdict *v);

void verdict_for(const struct config *cfg, const char *dir, struct verdict *v,
		 struct watch *w)
{
	memset(v, 0, sizeof *v);
	project_find(cfg, dir, &v->proj, w);
	verdict_judge(cfg, v);
}

int verdict_for_arg(const struct config *cfg, const char *arg, struct verdict *v, char *err,
		    size_t errlen)
{
	memset(v, 0, sizeof *v);
	char *cwd = current_dir();
	char *abs = path_normalize(cwd, arg);
	free(cwd);
	struct stat st;
	int r = 0;
	if (stat(abs, &st) < 0) {
		snprintf(err, errlen, "cannot find '%s': %s", arg, strerror(errno));
		r = -1;
	} else if (S_ISDIR(st.st_mode) && venv_looks_like(abs)) {
		struct project *p = &v->proj;
		p->kind = MARKER_VENV_DIR;
		p->dir = path_dirname(abs);
		p->marker = xstrdup(abs);
		p->env = xstrdup(abs);
		p->activate = 1;
		verdict_judge(cfg, v);
	} else if (S_ISDIR(st.st_mode)) {
		verdict_for(cfg, abs, v, NULL);
		if (v->proj.kind == MARKER_NONE) {
			snprintf(err, errlen, "no env found from '%s'", arg);
			r = -1;
		}
	} else {
		const char *base = path_basename(abs);
		char *dir = path_dirname(abs);
		int known = strcmp(base, ".venv") == 0 ? marker_load(dir, ".venv", MARKER_VENV_FILE, &v->proj, NULL)
			: strcmp(base, ".venvhook") == 0 ? marker_load(dir, ".venvhook", MARKER_VENVHOOK, &v->proj, NULL)
			: 0;
		free(dir);
		if (known) {
			verdict_judge(cfg, v);
		} else {
			snprintf(err, errlen, "'%s' is neither an env, a project directory nor a marker file", arg);
			r = -1;
		}
	}
	free(abs);
	return r;
}

/* Judges the env itself: is it there, safe and trusted? */
static void judge_env(const struct config *cfg, struct verdict *v)
{
	struct project *p = &v->proj;
	struct stat st;
	char why[REASON_MAX];
	v->state = venv_check(p->env, &st, &v->real, why, sizeof why);
	char cfg_err[REASON_MAX];
	int cfg_bad = (v->state == VENV_OK || v->state == VENV_FOREIGN || v->state == VENV_WRITABLE) &&
		      venv_cfg_load(p->env, &v->cfg, cfg_err, sizeof cfg_err) < 0;
	if (cfg_bad)
		venv_cfg_parse("", &v->cfg);      /* for the name, all the same */
	v->name = venv_name(p->env, p->dir, p->prompt, &v->cfg);
	int have_id = v->real && env_id_get(v->real, &v->id) == 0;
	int id_errno = have_id ? 0 : v->real ? errno : ENOENT;
	if (have_id)
		v->trust = trust_get(v->real, &v->id);
	switch (v->state) {
	case VENV_OK:
		break;
	case VENV_FOREIGN: case VENV_WRITABLE: case VENV_BAD_PATH:
		v->kind = VERDICT_UNSAFE;
		snprintf(v->why, sizeof v->why, "refusing to activate '%s': %s", p->env, why);
		return;
	default:
		v->kind = VERDICT_BROKEN;
		snprintf(v->why, sizeof v->why, "cannot activate the env of '%s': %s%s", p->marker, why,
			 v->state == VENV_NO_PYTHON ? "; 'venvhook repair' rebuilds it" : "");
		return;
	}
	/* A pyvenv.cfg that cannot be read: Python would not run as the env's
	 * either, and its pip would install into the base. */
	if (cfg_bad) {
		v->kind = VERDICT_BROKEN;
		snprintf(v->why, sizeof v->why, "cannot activate the env of '%s': %s", p->marker,
			 cfg_err);
		return;
	}
	if (!have_id) {
		v->kind = VERDICT_BROKEN;
		snprintf(v->why, sizeof v->why, "cannot resolve '%s': %s", p->env, strerror(id_errno));
		return;
	}
	/* [trust] directories come from the user's own config only. */
	if ((v->trust == TRUST_UNKNOWN || v->trust == TRUST_REPLACED) &&
	    config_trusted(cfg, v->real))
		v->trust = TRUST_CONFIG;
	switch (v->trust) {
	case TRUST_ALLOWED: case TRUST_CONFIG:
		v->kind = VERDICT_ACTIVATE;
		break;
	case TRUST_DENIED:
		v->kind = VERDICT_DENIED;
		snprintf(v->why, sizeof v->why, "'%s' is denied; 'venvhook allow' trusts it", p->env);
		break;
	case TRUST_REPLACED:
		v->kind = VERDICT_UNTRUSTED;
		snprintf(v->why, sizeof v->why,
			 "'%s' is not the env that was allowed at that path; 'venvhook allow' trusts it",
			 p->env);
		break;
	case TRUST_UNKNOWN: {
		v->kind = VERDICT_UNTRUSTED;
		/* A project moved or copied: its env's scripts name the old path. */
		char *old = env_made_elsewhere(p->env, &v->cfg);
		if (old)
			snprintf(v->why, sizeof v->why,
				 "'%s' is not trusted: it was made at another path, '%s'; "
				 "'venvhook allow' activates it, then 'venvhook repair' fixes it",
				 p->env, old);
		else
			snprintf(v->why, sizeof v->why,
				 "'%s' is not trusted; 'venvhook allow' activates it, 'venvhook deny' silences this",
				 p->env);
		free(old);
		break;
	}
	}
}

/* Fills in the rest of v once v->proj is known. */
static void verdict_judge(const struct config *cfg, struct verdict *v)
{
	struct project *p = &v->proj;
	if (p->kind == MARKER_NONE)
		return;
	if (p->error) {
		v->kind = VERDICT_ERROR;
		snprintf(v->why, sizeof v->why, "%s", p->error);
		return;
	}
	judge_env(cfg, v);
	/* activate = false wins, but what was learnt of the env stays for
	 * status and allow. */
	if (!p->activate) {
		if (v->kind != VERDICT_ACTIVATE && v->kind != VERDICT_UNTRUSTED &&
		    v->kind != VERDICT_DENIED)
			v->env_broken = 1;
		v->kind = VERDICT_DISABLED;
		snprintf(v->why, sizeof v->why, "'%s' says activate = false", p->marker);
	}
}

void verdict_free(struct verdict *v)
{
	project_free(&v->proj);
	venv_cfg_free(&v->cfg);
	free(v->real);
	free(v->name);
	memset(v, 0, sizeof *v);
}
