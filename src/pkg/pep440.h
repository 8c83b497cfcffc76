/* pep440.h: Python package versions (PEP 440) as pip's packaging reads them. */
#ifndef VENVHOOK_PEP440_H
#define VENVHOOK_PEP440_H

#include <stddef.h>

/* A parsed version.  Numbers are kept as digit strings without leading
 * zeros, so that any length compares correctly. */
struct pep440 {
	char *epoch;            /* "0" when absent */
	char **release;
	size_t nrelease;
	char pre_l;             /* 0, 'a', 'b' or 'r' (rc) */
	char *pre_n;
	char *post;             /* NULL when absent */
	char *dev;              /* NULL when absent */
	char **local;           /* lowercased segments; NULL when absent */
	size_t nlocal;
};

/* Parses s with packaging's VERSION_PATTERN (surrounding whitespace
 * allowed, case-insensitive).  Returns 0, or -1 if s is not a valid
 * version (pip then prints it as "name===s"). */
int pep440_parse(const char *s, struct pep440 *v);
void pep440_free(struct pep440 *v);
/* str(Version(s)): the normalized form ("1.0.0-rc1" gives "1.0.0rc1"). */
char *pep440_str(const struct pep440 *v);
/* The normalized form of s, or NULL if s is not a valid version. */
char *pep440_normalize(const char *s);
/* Orders as packaging's Version does: <0, 0, >0. */
int pep440_cmp(const struct pep440 *a, const struct pep440 *b);

/* Whether version v satisfies one specifier clause such as ">=1.0",
 * "==1.*", "~=2.2", "!=1.5", "===x".  Returns 1 or 0, or -1 if the
 * clause is not a valid specifier.  raw is v as written (for ===). */
int pep440_spec_match(const char *clause, const struct pep440 *v, const char *raw);
/* A comma-separated specifier set: 1 if every clause matches (an empty
 * set matches everything), 0 if one does not, -1 if one is invalid. */
int pep440_specset_match(const char *set, const struct pep440 *v, const char *raw);

#endif
