/* fuzz_reqfile.c: libFuzzer harness for the requirements file parser,
 * the specifier matcher and the marker evaluator.  Build with `make fuzz`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pep440.h"
#include "reqfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct req_file rf;
	reqfile_parse(text, &rf);
	static const struct marker_env env = {
		.python_version = "3.11", .python_full_version = "3.11.2",
		.implementation_name = "cpython", .platform_python_implementation = "CPython",
		.implementation_version = "3.11.2", .sys_platform = "linux", .os_name = "posix",
		.platform_system = "Linux", .platform_machine = "x86_64", .platform_release = "6.1",
	};
	struct pep440 v;
	pep440_parse("1.0.post1", &v);
	for (size_t i = 0; i < rf.n; i++) {
		struct req_line *l = &rf.l[i];
		char err[256];
		if (l->marker)
			marker_eval(l->marker, &env, err, sizeof err);
		if (l->spec)
			pep440_specset_match(l->spec, &v, "1.0.post1");
	}
	pep440_free(&v);
	/* The whole input as one marker and one specifier set, too. */
	char err[256];
	marker_eval(text, &env, err, sizeof err);
	if (pep440_parse(text, &v) == 0) {
		char *s = pep440_str(&v);
		struct pep440 w;
		if (pep440_parse(s, &w) == 0) {
			if (pep440_cmp(&v, &w) != 0)
				abort();        /* normalizing must not change the version */
			pep440_free(&w);
		} else {
			abort();                /* a normalized version must parse */
		}
		free(s);
		pep440_free(&v);
	}
	reqfile_free(&rf);
	free(text);
	return 0;
}
