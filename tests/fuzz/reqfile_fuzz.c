/* reqfile_fuzz.c: libFuzzer harness for the requirements file decoder and
 * parser (with pip 23's rules and the newest), the specifier matcher and
 * the marker evaluator.  Build with `make fuzz`; `make fuzz-run` gives each
 * input FUZZ_TIMEOUT seconds (up to 256 KB, tests/fuzz/reqfile.max_len),
 * so that a pass that is not linear in the line fails as a hang. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pep440.h"
#include "reqfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const char *text, int pip)
{
	struct req_file rf;
	reqfile_parse_pip(text, pip, &rf);
	struct marker_env env = {
		.python_version = "3.11", .python_full_version = "3.11.2",
		.implementation_name = "cpython", .platform_python_implementation = "CPython",
		.implementation_version = "3.11.2", .sys_platform = "linux", .os_name = "posix",
		.platform_system = "Linux", .platform_machine = "x86_64",
		.platform_release = "6.1.0-13-amd64", .pip = pip,
	};
	struct pep440 v;
	pep440_parse("1.0.post1", &v);
	for (size_t i = 0; i < rf.n; i++) {
		struct req_line *l = &rf.l[i];
		char err[256];
		if (l->kind == REQ_ERROR && !l->error)
			abort();        /* a refused line says why */
		if (l->marker)
			marker_eval(l->marker, &env, err, sizeof err);
		if (l->spec)
			pep440_specset_match(l->spec, &v, "1.0.post1");
	}
	pep440_free(&v);
	reqfile_free(&rf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	char *text = reqfile_decode((const char *)data, size, err, sizeof err);
	if (text) {
		run(text, PIP_NEWEST);
		run(text, 2300);
		free(text);
	}
	/* The raw bytes, up to a NUL, as one file, one marker and one version. */
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	run(text, PIP_NEWEST);
	static const struct marker_env env = {
		.python_version = "3.11", .python_full_version = "3.11.2",
		.implementation_name = "cpython", .platform_python_implementation = "CPython",
		.implementation_version = "3.11.2", .sys_platform = "linux", .os_name = "posix",
		.platform_system = "Linux", .platform_machine = "x86_64", .platform_release = "6.1",
	};
	marker_eval(text, &env, err, sizeof err);
	struct pep440 v;
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
	free(text);
	return 0;
}
