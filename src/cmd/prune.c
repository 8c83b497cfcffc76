/* prune.c: `venvhook prune [--dry-run] [--yes]`.
 *
 * Forgets the records of envs that are gone, and offers to delete envs
 * whose project or base interpreter is gone.  It deletes only with --yes
 * or a "y" typed on a terminal, and only what rm would delete, the same
 * way (env_delete.h).  What a create, rm or prune killed mid-way left
 * beside an env (leftover.h) is removed without asking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "env_delete.h"
#include "env_state.h"
#include "leftover.h"
#include "quote.h"
#include "registry.h"

struct drop {
	char **forget;      /* gone: forgotten if still gone */
	size_t n_forget;
	char **deleted;     /* deleted: forgotten */
	size_t n_deleted;
};

static void push(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

static int drop_fn(struct registry *r, void *arg, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	struct drop *d = arg;
	int changed = 0;
	for (size_t i = r->n; i-- > 0;) {
		const char *env = r->e[i].env;
		int drop = 0;
		for (size_t k = 0; !drop && k < d->n_deleted; k++)
			drop = strcmp(env, d->deleted[k]) == 0;
		for (size_t k = 0; !drop && k < d->n_forget; k++)
			drop = strcmp(env, d->forget[k]) == 0 && !venv_looks_like(env);
		if (drop) {
			registry_remove(r, i);
			changed = 1;
		}
	}
	return changed;
}

int cmd_prune(int argc, char **argv)
{
	int dry = 0, yes = 0;
	const struct option opts[] = {
		{ "--dry-run", "-n", OPTION_FLAG, &dry },
		{ "--yes", "-y", OPTION_FLAG, &yes },
	};
	struct operands o;
	options_parse("prune", argc, argv, opts, 2, 0, &o);
	if (o.n || o.dashdash)
		usage_error("prune", "prune takes no arguments");
	char err[MSG_MAX];
	struct registry r;
	if (registry_update(&r, NULL, NULL, err, sizeof err) < 0) {
		char *shown = printable(err);
		error("%s", shown);
		free(shown);
		return EXIT_FAIL;
	}
	int interactive = !yes && !dry && isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
	struct drop d = { NULL, 0, NULL, 0 };
	size_t offered = 0, failed = 0, said = 0;
	/* Forgetting first, then what may be deleted. */
	for (size_t k = 0; k < 2 * r.n; k++) {
		struct registry_entry *e = &r.e[k % r.n];
		struct env_status st;
		enum env_state s = env_state_check(e->env, e->project, &st);
		if ((s == ENV_GONE) != (k < r.n)) {
			env_status_free(&st);
			continue;
		}
		char *env = printable(e->env);
		char *why = printable(st.why ? st.why : "");
		/* For a broken interpreter, deleting is not the only way out. */
		char *offer = xasprintf("%s%s", why, s == ENV_PYTHON_GONE || s == ENV_PYTHON_CHANGED
					? "; 'venvhook repair ENV' rebuilds it instead" : "");
		if (s == ENV_GONE) {
			said++;
			printf("%s '%s': %s\n", dry ? "would forget" : "forgot", env, why);
			push(&d.forget, &d.n_forget, e->env);
		} else if (s != ENV_OK) {
			said++;
			fflush(stdout);
			if (dry) {
				printf("would %s '%s': %s\n", yes ? "delete" : "offer to delete", env,
				       yes ? why : offer);
			} else if (yes || (interactive && ask_yes("delete '%s'? %s", env, offer))) {
				if (env_delete(e->env, err, sizeof err) == 0) {
					printf("deleted '%s': %s\n", env, why);
					push(&d.deleted, &d.n_deleted, e->env);
				} else {
					char *shown = printable(err);
					error("%s", shown);
					free(shown);
					failed++;
				}
			} else if (!interactive) {
				printf("can delete '%s': %s\n", env, offer);
				offered++;
			}
		}
		free(env);
		free(why);
		free(offer);
		env_status_free(&st);
	}
	/* What creates, rm and prune killed mid-way left: venvhook's own
	 * half-done work, removed without asking. */
	struct leftovers lo;
	registry_leftovers(&r, &lo);
	for (size_t i = 0; i < lo.n; i++) {
		char *why = leftover_why(&lo.v[i]);
		said++;
		if (dry) {
			print_line(stdout, "would remove '%s': %s", lo.v[i].path, why);
		} else if (leftover_remove(&lo.v[i], err, sizeof err) == 0) {
			print_line(stdout, "removed '%s': %s", lo.v[i].path, why);
		} else {
			error("%s", err);
			failed++;
		}
		free(why);
	}
	leftovers_free(&lo);
	/* Silence says it all to a script; a person is told. */
	if (!said && isatty(STDOUT_FILENO)) {
		if (r.n == 0)
			printf("nothing to prune: no env is recorded\n");
		else if (r.n == 1)
			printf("nothing to prune: the one recorded env is fine\n");
		else
			printf("nothing to prune: all %zu recorded envs are fine\n", r.n);
	}
	registry_free(&r);
	int status = failed ? EXIT_FAIL : EXIT_OK;
	if (!dry && (d.n_forget || d.n_deleted)) {
		if (registry_update(&r, drop_fn, &d, err, sizeof err) < 0) {
			char *shown = printable(err);
			error("%s", shown);
			free(shown);
			status = EXIT_FAIL;
		} else {
			registry_free(&r);
		}
	}
	if (offered)
		error("nothing deleted: run 'venvhook prune --yes', or prune on a terminal to be asked");
	for (size_t k = 0; k < d.n_forget; k++)
		free(d.forget[k]);
	for (size_t k = 0; k < d.n_deleted; k++)
		free(d.deleted[k]);
	free(d.forget);
	free(d.deleted);
	return stdout_finish() < 0 ? EXIT_FAIL : status;
}
