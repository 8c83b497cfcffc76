/* cleanup.h: undoing a half-done job when it fails, exits early or is
 * interrupted by SIGINT, SIGTERM or SIGHUP. */
#ifndef VENVHOOK_CLEANUP_H
#define VENVHOOK_CLEANUP_H

enum cleanup_kind {
	CLEANUP_TREE,           /* remove a directory tree (never following links) */
	CLEANUP_RMDIR,          /* remove a directory if it is empty */
	CLEANUP_EXCHANGE,       /* swap path and other back (rename_exchange) */
	CLEANUP_RENAME,         /* move path back to other */
};

/* Installs the signal handlers (they only record the signal) and an atexit
 * hook that runs whatever actions are still registered. */
void cleanup_init(void);
/* Registers an action; returns its handle for cleanup_drop. */
int cleanup_add(enum cleanup_kind kind, const char *path, const char *other);
/* Forgets an action: its job succeeded. */
void cleanup_drop(int handle);
/* Forgets every action: the whole job succeeded. */
void cleanup_forget(void);
/* Runs the registered actions, newest first, and forgets them. */
void cleanup_run(void);
/* The signal that arrived since cleanup_init, or 0. */
int interrupted(void);
/* If a signal arrived: runs the actions and dies of that signal. */
void cleanup_check(void);

#endif
