/* unit.h: a tiny TAP test harness for the C unit tests. */
#ifndef VENVHOOK_UNIT_H
#define VENVHOOK_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_n, unit_failed;

#define CHECK(cond) unit_check(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_STR(got, want) unit_check_str((got), (want), #got, __FILE__, __LINE__)
/* The same for a malloc'd string, freed after: CHECK_OWNED_STR(f(x), "want"). */
#define CHECK_OWNED_STR(got, want) unit_check_owned_str((got), (want), #got, __FILE__, __LINE__)

static inline int unit_check(int ok, const char *what, const char *file, int line)
{
	unit_n++;
	printf("%sok %d - %s\n", ok ? "" : "not ", unit_n, what);
	if (!ok) {
		printf("#   at %s:%d\n", file, line);
		unit_failed++;
	}
	return ok;
}

static inline int unit_check_str(const char *got, const char *want, const char *what,
				 const char *file, int line)
{
	int ok = (got == NULL && want == NULL) ||
		 (got != NULL && want != NULL && strcmp(got, want) == 0);
	unit_check(ok, what, file, line);
	if (!ok)
		printf("#   got  '%s'\n#   want '%s'\n", got ? got : "(null)", want ? want : "(null)");
	return ok;
}

static inline int unit_check_owned_str(char *got, const char *want, const char *what,
				       const char *file, int line)
{
	int ok = unit_check_str(got, want, what, file, line);
	free(got);
	return ok;
}

static inline int unit_done(void)
{
	printf("1..%d\n", unit_n);
	return unit_failed != 0;
}

#endif
