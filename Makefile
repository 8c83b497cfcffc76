# venvhook: plain Makefile.  make, make check, make bench, make install.
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
SHAREDIR ?= $(PREFIX)/share/venvhook
DESTDIR  ?=

CC       ?= cc
CFLAGS   ?= -O2 -g
WARNINGS  = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
CPPFLAGS += -D_GNU_SOURCE -Isrc
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS) -MMD -MP

PKGS     = libpcre2-8 inih jansson zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lpcre2-8 -linih -ljansson -lz)

# The helper starts on every prompt that needs it: link it statically (no
# dynamic loader, no relocations).  SANITIZE=address,undefined builds a
# dynamically linked, instrumented binary instead.
ifdef SANITIZE
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -O1
LDFLAGS    += -fsanitize=$(SANITIZE)
STATIC      =
else
STATIC     ?= -static
endif

SRC      = $(filter-out src/scripts.c,$(wildcard src/*.c)) src/scripts.c
OBJ      = $(SRC:.c=.o)
LIBOBJ   = $(filter-out src/main.o,$(OBJ))
SCRIPTS  = shell/bash/venvhook.bash shell/zsh/venvhook.zsh shell/fish/venvhook.fish
UNIT_SRC = $(wildcard tests/unit/*_test.c)
UNIT_BIN = $(UNIT_SRC:.c=.t)

all: venvhook

venvhook: $(OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(STATIC) -o $@ $(OBJ) $(PKG_LIBS)

src/%.o: src/%.c
	$(CC) $(ALL_CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) -c -o $@ $<

src/scripts.c: $(SCRIPTS) tools/embed.sh
	sh tools/embed.sh $(SCRIPTS) > $@.tmp && mv $@.tmp $@

tests/unit/%.t: tests/unit/%.c tests/unit/unit.h $(LIBOBJ)
	$(CC) $(ALL_CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJ) $(PKG_LIBS)

unit: $(UNIT_BIN)

check: venvhook unit
	mandoc -Tlint -W warning man/venvhook.1
	sh tests/run

bench: venvhook
	sh bench/run

# Installs every Debian package needed to build, test and benchmark.
deps:
	sh tools/deps.sh

install: venvhook
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(SHAREDIR)/bash $(DESTDIR)$(SHAREDIR)/zsh $(DESTDIR)$(SHAREDIR)/fish
	install -m 755 venvhook $(DESTDIR)$(BINDIR)/venvhook
	install -m 644 man/venvhook.1 $(DESTDIR)$(MANDIR)/man1/venvhook.1
	install -m 644 shell/bash/venvhook.bash $(DESTDIR)$(SHAREDIR)/bash/venvhook.bash
	install -m 644 shell/zsh/venvhook.zsh $(DESTDIR)$(SHAREDIR)/zsh/venvhook.zsh
	install -m 644 shell/fish/venvhook.fish $(DESTDIR)$(SHAREDIR)/fish/venvhook.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/venvhook $(DESTDIR)$(MANDIR)/man1/venvhook.1
	rm -f $(DESTDIR)$(SHAREDIR)/bash/venvhook.bash $(DESTDIR)$(SHAREDIR)/zsh/venvhook.zsh \
	    $(DESTDIR)$(SHAREDIR)/fish/venvhook.fish
	-rmdir $(DESTDIR)$(SHAREDIR)/bash $(DESTDIR)$(SHAREDIR)/zsh $(DESTDIR)$(SHAREDIR)/fish \
	    $(DESTDIR)$(SHAREDIR)

clean:
	rm -f venvhook src/*.o src/*.d src/scripts.c tests/unit/*.t tests/unit/*.d

.PHONY: all unit check bench deps install uninstall clean
-include $(OBJ:.o=.d) $(UNIT_BIN:.t=.d)
