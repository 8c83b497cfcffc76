# venvhook: plain Makefile.  make, make check, make bench, make install.
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
SHAREDIR ?= $(PREFIX)/share/venvhook
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
DESTDIR  ?=
VERSION  := $(shell sed -n 's/^\#define VENVHOOK_VERSION "\(.*\)"/\1/p' src/lib/util.h)
DISTDIR  ?= build

CC       ?= cc
CFLAGS   ?= -O2 -g
WARNINGS  = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
# The layers (src/README): each folder is on the include path, so that a
# file names a header by its own name.
LAYERS    = lib pkg env hook cmd
CPPFLAGS += -Isrc $(addprefix -Isrc/,$(LAYERS))
# Every file is POSIX.1-2008 with its XSI option and nothing more, so that
# a call only Linux or glibc has fails the build outside src/lib/platform.c,
# the one file that may make it (platform.h).
FEATURES  = -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700
PLATFORM_FEATURES = -D_GNU_SOURCE
src/lib/platform.o tests/fuzz/obj/lib/platform.o: FEATURES = $(PLATFORM_FEATURES)
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS) -MMD -MP

PKGS     = libpcre2-8 inih jansson zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lpcre2-8 -linih -ljansson -lz)

# The helper starts on every prompt that needs it: link it statically (no
# dynamic loader, no relocations).  SANITIZE=address,undefined builds a
# dynamically linked, instrumented binary instead.
SAN_OPT  ?= -O1
ifdef SANITIZE
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer $(SAN_OPT)
LDFLAGS    += -fsanitize=$(SANITIZE)
STATIC      =
else
STATIC     ?= -static
endif

# Shell text embedded in the binary by tools/embed.sh, each set with the
# header that declares it: the integration scripts, the activation scripts.
SCRIPTS_C = src/hook/scripts.c src/env/activate_scripts.c
SRC      = src/main.c $(filter-out $(SCRIPTS_C),$(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))) \
	   $(SCRIPTS_C)
OBJ      = $(SRC:.c=.o)
LIBOBJ   = $(filter-out src/main.o,$(OBJ))
SCRIPTS  = shell/bash/venvhook.bash shell/zsh/venvhook.zsh shell/fish/venvhook.fish
ACTIVATE = shell/activate/activate shell/activate/activate.fish shell/activate/activate.csh
UNIT_SRC = $(wildcard tests/unit/*_test.c)
UNIT_BIN = $(UNIT_SRC:.c=.t)

all: venvhook

venvhook: $(OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(STATIC) -o $@ $(OBJ) $(PKG_LIBS)

src/%.o: src/%.c
	$(CC) $(ALL_CFLAGS) $(FEATURES) $(CPPFLAGS) $(PKG_CFLAGS) -c -o $@ $<

src/hook/scripts.c: $(SCRIPTS) tools/embed.sh
	sh tools/embed.sh scripts.h $(SCRIPTS) > $@.tmp && mv $@.tmp $@
src/env/activate_scripts.c: $(ACTIVATE) tools/embed.sh
	sh tools/embed.sh activate_scripts.h $(ACTIVATE) > $@.tmp && mv $@.tmp $@

# The unit tests link against an archive of every object but main.o, so that
# each test pulls in only what it uses (the commands need main.c's usage_error).
# They run on Linux and may use what it has (a mount namespace, unshare).
src/libvenvhook.a: $(LIBOBJ)
	rm -f $@ && $(AR) rcs $@ $(LIBOBJ)

tests/unit/%.t: tests/unit/%.c tests/unit/unit.h src/libvenvhook.a
	$(CC) $(ALL_CFLAGS) $(PLATFORM_FEATURES) $(CPPFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< src/libvenvhook.a $(PKG_LIBS)

unit: $(UNIT_BIN)

# libFuzzer harnesses beside the parsers (make check runs each for
# CHECK_FUZZ_TIME seconds, below):
#   make fuzz            builds tests/fuzz/*.fuzz with clang, ASan and UBSan
#   make fuzz-run        runs each for FUZZ_TIME seconds on a copy of its seeds
#                        and its corpus, FUZZ_JOBS at a time (default: one per
#                        CPU); tests/fuzz/run says which files it reads
#   make fuzz-corpus     the same, then puts what the runs found in the corpus
#                        (tests/fuzz/corpus/NAME.tar.gz, the fewest inputs that
#                        cover as much): after a long run (FUZZ_TIME=600),
#                        commit it, and every run starts from there
#   tests/fuzz/marker_fuzz.fuzz -dict=tests/fuzz/marker.dict DIR   runs one by hand
FUZZ_CC    ?= clang
FUZZ_TIME  ?= 60
FUZZ_JOBS  ?= $(NPROC)
# A run of one input longer than this (seconds) is a hang, and fails.
FUZZ_TIMEOUT ?= 10
# (clang's -Wformat-nonliteral, unlike gcc's, also flags the va_list functions in util.c)
FUZZ_FLAGS  = -std=c11 $(WARNINGS) -Wno-format-nonliteral -g -O1 -fno-omit-frame-pointer \
	      -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SRC    = $(wildcard tests/fuzz/*_fuzz.c)
FUZZ_BIN    = $(FUZZ_SRC:.c=.fuzz)
FUZZ_OBJ    = $(patsubst src/%.c,tests/fuzz/obj/%.o,$(filter-out src/main.c,$(SRC)))

tests/fuzz/obj/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(FEATURES) $(CPPFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# The archive holds the objects of FUZZ_OBJ; make fuzz names there only
# the sources the harnesses need (tests/fuzz/objs.sh: those their headers
# lead to, a third of the tree), which it notes in tests/fuzz/obj/sources,
# so that the archive is made again when that list changes.
tests/fuzz/libfuzz.a: $(FUZZ_OBJ) $(wildcard tests/fuzz/obj/sources)
	rm -f $@ && $(AR) rcs $@ $(FUZZ_OBJ)

tests/fuzz/%.fuzz: tests/fuzz/%.c tests/fuzz/libfuzz.a
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(FEATURES) $(CPPFLAGS) $(PKG_CFLAGS) -o $@ $< \
	    tests/fuzz/libfuzz.a $(PKG_LIBS)

fuzz: $(SCRIPTS_C)
	@srcs=$$(sh tests/fuzz/objs.sh $(FUZZ_SRC) -- $(filter-out src/main.c,$(SRC))) && \
	mkdir -p tests/fuzz/obj && \
	{ echo "$$srcs" | cmp -s - tests/fuzz/obj/sources || echo "$$srcs" >tests/fuzz/obj/sources; } && \
	$(MAKE) --no-print-directory fuzz-harnesses \
	    FUZZ_OBJ="$$(echo "$$srcs" | sed -n 's|^src/\(.*\)\.c$$|tests/fuzz/obj/\1.o|p' | tr '\n' ' ')"
fuzz-harnesses: $(FUZZ_BIN)

fuzz-run: fuzz
	sh tests/fuzz/run -j $(FUZZ_JOBS) -t $(FUZZ_TIME) -T $(FUZZ_TIMEOUT) $(FUZZ_RUN_FLAGS) $(FUZZ_BIN)

fuzz-corpus: fuzz
	sh tests/fuzz/run -m -j $(FUZZ_JOBS) -t $(FUZZ_TIME) -T $(FUZZ_TIMEOUT) $(FUZZ_BIN)

# make check: the binary and the unit tests (a job per CPU), then the man
# page's lint and every test suite (side by side, tests/run); meanwhile, at a
# lower priority, the unit and golden tests again built with ASan and UBSan
# (in a copy of the tree under build/san, so that the static build stays)
# and the fuzz harnesses' build; then every fuzz harness for CHECK_FUZZ_TIME
# seconds: it runs its seeds and corpus (what make fuzz-corpus's long runs
# found: all the coverage 20 s runs reached, and more), then new inputs until
# the time is up.  make check-quick: unit, golden and one suite that drives
# bash, zsh and fish, for the edit-test loop.
SAN_DIR    = build/san
SAN_ENV    = ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 \
	     UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# Seconds per harness (libFuzzer stops at the second after: 3 s each, 7
# harnesses, a job per CPU, one of them the golden test's in make check),
# the run of its seeds and corpus included: a tenth of a second, reqfile's
# 2 s.
CHECK_FUZZ_TIME = 2
NPROC     := $(shell nproc 2>/dev/null || echo 1)

# The suites are the first answer: they run at the normal priority; the
# sanitizer build and the fuzz build (a job per CPU each) at nice 10, in the
# time the suites leave (they wait for shells and files), then the unit
# tests of the sanitizer build beside the suites; once the suites are done,
# the sanitizer build's golden test (a job of its own: 168 runs of a
# binary that starts ASan and ends with LeakSanitizer's check, some 20 s
# on a 2-CPU VM) beside the fuzzers, which share the other jobs
# (tests/fuzz/run -x).
# Each step prints its own "N passed, N failed" (a fuzzer that finds nothing
# passes), in that order, after the suites; the last line adds them up.
TALLY = $(CURDIR)/build/tally
check:
	@$(MAKE) -j$(NPROC) venvhook unit
	@mkdir -p build && rm -f $(TALLY) build/check-sanitize.st build/check-sanitize.built
	@export VENVHOOK_TEST_TALLY=$(TALLY); \
	{ nice -n 10 $(MAKE) -s -j$(NPROC) san-build && : >build/check-sanitize.built && \
	    $(MAKE) -s check-sanitize SAN_TESTS='$(UNIT_BIN)'; } >build/check-sanitize.log 2>&1 & san=$$!; \
	nice -n 10 $(MAKE) -s -j$(NPROC) fuzz >build/check-fuzz.log 2>&1 & fuzz=$$!; \
	$(MAKE) check-suites; st=$$?; \
	wait $$san; ust=$$?; \
	sanrun=; [ -e build/check-sanitize.built ] && sanrun='$(MAKE) -s check-sanitize-job'; \
	if wait $$fuzz; then $(MAKE) -s check-fuzz CHECK_FUZZ_EXTRA="$$sanrun" >>build/check-fuzz.log 2>&1; \
	else false; fi; fst=$$?; \
	[ -z "$$sanrun" ] || [ -s build/check-sanitize.st ] || $$sanrun; \
	read -r sst <build/check-sanitize.st 2>/dev/null || sst=1; \
	[ $$ust -eq 0 ] || sst=1; \
	cat build/check-sanitize.log build/check-fuzz.log; \
	[ $$sst -eq 0 ] || echo "make check: the sanitizer step failed" >&2; \
	[ $$fst -eq 0 ] || echo "make check: the fuzz step failed" >&2; \
	[ $$st -eq 0 ] && [ $$sst -eq 0 ] && [ $$fst -eq 0 ]
	@awk '{ p += $$1; f += $$2 } END { printf "%d passed, %d failed\n", p, f; exit f > 0 }' $(TALLY)

check-suites: venvhook unit
	mandoc -Tlint -W warning man/venvhook.1
	sh tests/run

check-quick:
	@$(MAKE) -j$(NPROC) venvhook unit
	sh tests/run tests/shell/t_activate.sh tests/golden/t_golden.sh $(UNIT_BIN)

# The copy keeps its objects between runs (and starts afresh when the flags
# change); its sources are replaced each time.  A sanitizer report ends the
# program (-fno-sanitize-recover, ASan's default), also where a test runs it
# with env -i.
# -O0: a third less of the compiler's work than -O1, and nothing the
# sanitizers look at is optimized away; the tests run as fast (they wait
# for processes, not for the code).
SAN_MAKE   = SANITIZE=address,undefined SAN_OPT=-O0 CFLAGS='$(CFLAGS) -fno-sanitize-recover=all'
SAN_TESTS  = tests/golden/t_golden.sh $(UNIT_BIN)
check-sanitize: san-build
	cd $(SAN_DIR) && $(SAN_ENV) sh tests/run $(SAN_TESTS)
# make check's golden test of the sanitizer build: its output to its log,
# its status to build/check-sanitize.st.
check-sanitize-job:
	@$(MAKE) -s check-sanitize SAN_TESTS=tests/golden/t_golden.sh >>build/check-sanitize.log 2>&1; \
	echo $$? >build/check-sanitize.st

san-build:
	@mkdir -p $(SAN_DIR)
	@echo "$(SAN_MAKE) $(CC)" | cmp -s - $(SAN_DIR)/flags || \
	    { rm -rf $(SAN_DIR) && mkdir -p $(SAN_DIR) && echo "$(SAN_MAKE) $(CC)" >$(SAN_DIR)/flags; }
	@find $(SAN_DIR) -type f ! -name '*.o' ! -name '*.d' ! -name '*.a' ! -name '*.t' \
	    ! -name venvhook ! -path $(SAN_DIR)/flags $(foreach f,$(SCRIPTS_C),! -path $(SAN_DIR)/$(f)) -delete
	@tar -cf - --exclude='*.o' --exclude='*.d' --exclude='*.a' --exclude='*.t' \
	    --exclude='*.fuzz' --exclude=scripts.c --exclude=activate_scripts.c --exclude=tests/fuzz/obj \
	    Makefile src shell tools tests man | tar -xf - -C $(SAN_DIR)
	$(MAKE) -C $(SAN_DIR) $(SAN_MAKE) venvhook unit

check-fuzz:
	$(MAKE) fuzz-run FUZZ_TIME=$(CHECK_FUZZ_TIME) \
	    FUZZ_RUN_FLAGS="$(if $(CHECK_FUZZ_EXTRA),-x '$(CHECK_FUZZ_EXTRA)')"

clean: clean-check
clean-check:
	rm -rf $(SAN_DIR)

.PHONY: check-suites check-quick check-sanitize check-sanitize-job san-build check-fuzz clean-check

bench: venvhook
	sh bench/run

# Installs every Debian package needed to build, test and benchmark.
deps:
	sh tools/deps.sh

install: venvhook
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(SHAREDIR)/bash $(DESTDIR)$(SHAREDIR)/zsh $(DESTDIR)$(SHAREDIR)/fish
	install -m 755 -s venvhook $(DESTDIR)$(BINDIR)/venvhook
	install -m 644 man/venvhook.1 $(DESTDIR)$(MANDIR)/man1/venvhook.1
	for s in bash/venvhook.bash zsh/venvhook.zsh fish/venvhook.fish; do \
	    sed "s|@VENVHOOK@|'$(BINDIR)/venvhook'|" shell/$$s > $(DESTDIR)$(SHAREDIR)/$$s.tmp && \
	    chmod 644 $(DESTDIR)$(SHAREDIR)/$$s.tmp && \
	    mv $(DESTDIR)$(SHAREDIR)/$$s.tmp $(DESTDIR)$(SHAREDIR)/$$s || exit 1; \
	done
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 644 completions/venvhook.bash $(DESTDIR)$(BASHCOMPDIR)/venvhook
	install -m 644 completions/_venvhook $(DESTDIR)$(ZSHCOMPDIR)/_venvhook
	install -m 644 completions/venvhook.fish $(DESTDIR)$(FISHCOMPDIR)/venvhook.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/venvhook $(DESTDIR)$(MANDIR)/man1/venvhook.1
	rm -f $(DESTDIR)$(SHAREDIR)/bash/venvhook.bash $(DESTDIR)$(SHAREDIR)/zsh/venvhook.zsh \
	    $(DESTDIR)$(SHAREDIR)/fish/venvhook.fish
	rm -f $(DESTDIR)$(BASHCOMPDIR)/venvhook $(DESTDIR)$(ZSHCOMPDIR)/_venvhook \
	    $(DESTDIR)$(FISHCOMPDIR)/venvhook.fish
	-rmdir $(DESTDIR)$(SHAREDIR)/bash $(DESTDIR)$(SHAREDIR)/zsh $(DESTDIR)$(SHAREDIR)/fish \
	    $(DESTDIR)$(SHAREDIR)

# make dist: DISTDIR/venvhook-VERSION.tar.gz, the tracked files of this tree.
# make deb: DISTDIR/venvhook_VERSION-1_ARCH.deb, built with dpkg-deb.
dist:
	@sh packaging/mkdist.sh $(DISTDIR) $(VERSION)

deb: venvhook
	@MAKE="$(MAKE)" sh packaging/mkdeb.sh $(DISTDIR) $(VERSION)

clean:
	rm -f venvhook src/*.o src/*.d src/*/*.o src/*/*.d src/libvenvhook.a $(SCRIPTS_C) \
	    tests/unit/*.t tests/unit/*.d
	rm -rf tests/fuzz/obj tests/fuzz/libfuzz.a tests/fuzz/*.fuzz $(FUZZ_BIN)

.PHONY: all unit check bench deps install uninstall dist deb clean fuzz fuzz-harnesses fuzz-run fuzz-corpus
-include $(OBJ:.o=.d) $(UNIT_BIN:.t=.d)
