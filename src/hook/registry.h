/* registry.h: every env venvhook created, allowed, activated or found.
 *
 * One file, $XDG_STATE_HOME/venvhook/registry, changed only under an
 * exclusive flock of registry.lock beside it: read, modify, write a new
 * file beside it, rename.  Many shells may record at once; none is lost.
 *
 * The prompt hook does not read it: an activation appends one line to
 * registry.journal beside it under a shared lock, at a cost that does not
 * grow with the registry.  Every update under the exclusive lock (list,
 * prune, allow, ...) first merges the journal into the registry and removes
 * it; an append that finds the journal large shortens it first, keeping
 * one line per env, and merges it only when that is not enough. */
#ifndef VENVHOOK_REGISTRY_H
#define VENVHOOK_REGISTRY_H

#include <stddef.h>

#include "leftover.h"
#include "util.h"

enum registry_event {
	REGISTRY_CREATED,       /* venvhook made it */
	REGISTRY_ALLOWED,       /* venvhook allow */
	REGISTRY_ACTIVATED,     /* the prompt hook activated it */
	REGISTRY_FOUND,         /* venvhook list --scan found it */
};

struct registry_entry {
	char *env;              /* the env's real path when recorded */
	char *project;          /* the project directory, or NULL */
	char *python;           /* the base interpreter (pyvenv.cfg executable or home) */
	char *version;          /* pyvenv.cfg version */
	long long created;      /* when the env was made (Unix time; 0 unknown) */
	long long used;         /* last activated by the hook (0 never) */
	enum registry_event how;        /* how it was first recorded */
};

struct registry {
	struct registry_entry *e;
	size_t n, cap;
	/* An index of e by env: slot[h] is an entry's index + 1, 0 when free;
	 * nslot a power of two, or 0 when it must be rebuilt. */
	size_t *slot, nslot;
};

/* Records real (an existing venv's real path: every caller has resolved it
 * already) for project (NULL if not known).  ACTIVATED updates the last use, through the journal.  Returns 0,
 * or -1 with a message in err; nothing else of the registry changes on
 * failure. */
int registry_record(const char *real, const char *project, enum registry_event event,
		    char *err, size_t errlen);
/* An env venvhook has just made at env (create, repair's rebuild): allows
 * it, with a new token, and records it as created.  Returns 0; 1 when only
 * the record failed (it costs the record: err says why); -1 when the env
 * could not be allowed (err says why, and that `venvhook allow` does it). */
int registry_made(const char *env, char *err, size_t errlen);

/* Drops the record of real (an env's real path), if there is one.  Returns
 * 0, or -1 with a message in err. */
int registry_forget(const char *real, char *err, size_t errlen);

/* Runs fn on the registry under the lock; fn returns 1 if it changed
 * anything, which is then written, 0 if not, or -1 to abandon (then fn has
 * set err).  fn may be NULL to just load.  A damaged registry is reported on
 * stderr in one line and rebuilt from its good lines and the trust records.
 * On return r holds the registry as written (or read); free it with
 * registry_free.  Returns 0, or -1 with a message in err. */
int registry_update(struct registry *r, int (*fn)(struct registry *, void *, char *, size_t),
		    void *arg, char *err, size_t errlen);
void registry_free(struct registry *r);
/* What killed creates, rms and prunes left beside the envs of r and in
 * the journal (leftover.h). */
void registry_leftovers(const struct registry *r, struct leftovers *out);

/* Records real (an env's real path) in a loaded registry, as
 * registry_record does; project NULL keeps the known one or guesses it (the
 * directory that holds an env named .venv, venv or a configured marker).
 * Returns 1 if the registry changed, else 0. */
int registry_note(struct registry *r, const char *real, const char *project,
		  enum registry_event event, long long now);

/* Finds the entry of env (compared as recorded: real paths). */
struct registry_entry *registry_find(struct registry *r, const char *env);
/* Adds an empty entry for env (copied) and returns it. */
struct registry_entry *registry_add(struct registry *r, const char *env);
/* Removes entry i, keeping the order of the others. */
void registry_remove(struct registry *r, size_t i);

/* The file's text, and back: exposed for the tests.  registry_parse keeps
 * the good lines and returns how many lines were damaged (a missing or
 * wrong first line counts as one). */
void registry_format(const struct registry *r, struct sbuf *out);
size_t registry_parse(const char *text, struct registry *r);
/* The journal's text, lines as in the registry without the first line:
 * one line per env, its latest project and use.  Returns the damage. */
size_t registry_journal_parse(const char *text, struct registry *r);
/* Merges what a journal says (parsed as above) into r: adds the envs it
 * does not know, updates project and last use.  Returns 1 if r changed. */
int registry_journal_merge(struct registry *r, const struct registry *journal);

const char *registry_event_name(enum registry_event e);

#endif
