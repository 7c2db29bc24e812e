# quire — build, test, install. `make demo` and `make test` are the whole
# set-up on a fresh Debian machine (see README.md).

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

# build-asan/ holds the sanitizer build (make check-asan).
BUILD ?= build
SAN ?=

VERSION := 0.2.0
SOMAJOR := 0

CC := cc
CXX := c++
OPT ?= -O2
comma := ,
SANFLAGS := $(if $(SAN),-fsanitize=address$(comma)undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
WARN := -Wall -Wextra -Werror
CFLAGS_ALL = -std=c11 $(WARN) $(OPT) -g -fPIC -fvisibility=hidden \
             -D_POSIX_C_SOURCE=200809L -Iinclude -Ilib -I$(BUILD)/gen $(SANFLAGS) $(DEP_CFLAGS) $(CFLAGS)
CXXFLAGS_ALL = -std=c++17 $(WARN) $(OPT) -g -fPIC -fvisibility=hidden -fvisibility-inlines-hidden \
               -Iinclude -Ilib $(SANFLAGS) $(DEP_CFLAGS) $(CXXFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

CONFIG_MK := $(BUILD)/config.mk
NOCONFIG_GOALS := clean distclean help
ifeq ($(filter-out $(NOCONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
else
-include $(CONFIG_MK)
endif

LIB_C := $(sort $(wildcard lib/*.c))
LIB_OBJ := $(patsubst lib/%.c,$(BUILD)/lib/%.o,$(LIB_C)) \
           $(BUILD)/lib/xapian_shim.o $(BUILD)/gen/stopwords_data.o
STOPWORDS := $(sort $(wildcard stopwords/*.txt))
INDEX_C := $(sort $(wildcard indexer/*.c))
QUERY_C := $(sort $(wildcard query/*.c))
COMMON_C := $(sort $(wildcard common/*.c))
SERVE_C := $(sort $(wildcard serve/*.c))
SERVE_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(SERVE_C))
INDEX_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(INDEX_C))
QUERY_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(QUERY_C))
COMMON_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(COMMON_C))
# What the programs share beyond the library (JSON documents, option
# parsing): an archive, so each program links only the parts it uses.
COMMON_LIB := $(BUILD)/libcommon.a

STATIC_LIB := $(BUILD)/libquire.a
# The same objects as a plain archive, every internal name visible: for the
# fuzz targets and bench tools that call internals. The unit tests, the
# fuzz replays and the test copies of the programs link TEST_LIB instead,
# whose test_pause() honours QUIRE_TEST_PAUSE (lib/testpause.h); nothing
# that is installed does.
INTERNAL_LIB := $(BUILD)/libquire-internal.a
TEST_LIB := $(BUILD)/tests/libquire-test.a
TEST_LIB_OBJ := $(filter-out $(BUILD)/lib/testpause.o,$(LIB_OBJ)) $(BUILD)/tests/testpause_hooks.o
SHARED_LIB := $(BUILD)/libquire.so.$(VERSION)
PROGRAMS := $(BUILD)/quire-index $(BUILD)/quire-query $(BUILD)/quire-serve
TEST_PROGRAMS := $(BUILD)/tests/quire-index

TEST_C := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_C))
FUZZ_C := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(FUZZ_C))
FUZZ_REPLAY := $(patsubst %,$(BUILD)/tests/%,$(FUZZ_NAMES))
FUZZ_HDR := tests/fuzz/fuzz.h tests/fuzz/fuzz_common.h

.PHONY: all lib programs demo test check check-asan install uninstall clean \
        distclean help bench bench-smoke bench-tools fuzz check-valgrind

all: lib programs

help:
	@echo "make            build libquire and the programs into $(BUILD)/"
	@echo "make demo       build, index testdata/ and run sample searches"
	@echo "make test       build and run every test"
	@echo "make check-asan run every test under ASan+UBSan (build-asan/)"
	@echo "make check-valgrind  the CLI tests with the programs under valgrind"
	@echo "make fuzz       run each libFuzzer target FUZZ_SECONDS (default 60)"
	@echo "make install    install (PREFIX=$(PREFIX), DESTDIR=...)"
	@echo "make bench      benchmarks against the anchors -> bench/REPORT.md"
	@echo "make bench-smoke a tiny benchmark run that checks the harness"

$(CONFIG_MK): scripts/configure
	@scripts/configure $@ $(if $(filter test check check-asan,$(MAKECMDGOALS)),test)

lib: $(STATIC_LIB) $(SHARED_LIB) $(INTERNAL_LIB)
programs: $(PROGRAMS)

$(BUILD)/lib/%.o: lib/%.c $(CONFIG_MK) | $(BUILD)/lib
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/lib/xapian_shim.o: lib/xapian_shim.cc $(CONFIG_MK) | $(BUILD)/lib
	$(CXX) $(CXXFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/gen/stopwords_data.c: scripts/gen-stopwords.sh $(STOPWORDS) | $(BUILD)/gen
	scripts/gen-stopwords.sh $@ $(STOPWORDS)

$(BUILD)/gen/stopwords_data.o: $(BUILD)/gen/stopwords_data.c $(CONFIG_MK)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# The programs see only the public header and common/: -Ilib is left out
# on purpose.
PROG_CFLAGS = $(filter-out -Ilib,$(CFLAGS_ALL)) -Icommon
$(BUILD)/indexer/%.o: indexer/%.c $(CONFIG_MK) | $(BUILD)/indexer
	$(CC) $(PROG_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/query/%.o: query/%.c $(CONFIG_MK) | $(BUILD)/query
	$(CC) $(PROG_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/serve/%.o: serve/%.c $(CONFIG_MK) | $(BUILD)/serve
	$(CC) $(PROG_CFLAGS) $(SERVE_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/common/%.o: common/%.c $(CONFIG_MK) | $(BUILD)/common
	$(CC) $(PROG_CFLAGS) -MMD -MP -c $< -o $@
$(COMMON_LIB): $(COMMON_OBJ)
	rm -f $@
	ar rcs $@ $^

# libquire.a is one relocatable object, linked with ld -r, in which every
# defined name but quire_* is made local, so a program linking it
# statically may define its own utf8_decode or sb_add. (C++ template and
# typeinfo copies stay weak: the linker merges those by design.)
$(STATIC_LIB): $(LIB_OBJ)
	rm -f $@ $(BUILD)/libquire.o
	ld -r -o $(BUILD)/libquire.o $^
	nm -g --defined-only $(BUILD)/libquire.o | \
	    awk '$$2 ~ /^[TDBRGS]$$/ && $$3 !~ /^quire_/ { print $$3 }' >$(BUILD)/libquire.localize
	objcopy --localize-symbols=$(BUILD)/libquire.localize $(BUILD)/libquire.o
	ar rcs $@ $(BUILD)/libquire.o

$(INTERNAL_LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/testpause_hooks.o: lib/testpause.c $(CONFIG_MK) | $(BUILD)/tests
	$(CC) $(CFLAGS_ALL) -DQUIRE_TEST_HOOKS -c $< -o $@

$(TEST_LIB): $(TEST_LIB_OBJ) | $(BUILD)/tests
	rm -f $@
	ar rcs $@ $^

$(SHARED_LIB): $(LIB_OBJ) lib/libquire.map
	$(CXX) -shared -Wl,-soname,libquire.so.$(SOMAJOR) -Wl,--version-script=lib/libquire.map \
	    -Wl,--no-undefined $(LDFLAGS_ALL) -o $@ $(LIB_OBJ) $(DEP_LIBS)
	ln -sf libquire.so.$(VERSION) $(BUILD)/libquire.so.$(SOMAJOR)
	ln -sf libquire.so.$(SOMAJOR) $(BUILD)/libquire.so

# The programs link libquire statically, so they run from the build tree.
$(BUILD)/quire-index: $(INDEX_OBJ) $(COMMON_LIB) $(STATIC_LIB)
	$(CXX) $(LDFLAGS_ALL) -o $@ $(INDEX_OBJ) $(COMMON_LIB) $(STATIC_LIB) $(DEP_LIBS)
$(BUILD)/quire-query: $(QUERY_OBJ) $(COMMON_LIB) $(STATIC_LIB)
	$(CXX) $(LDFLAGS_ALL) -o $@ $(QUERY_OBJ) $(COMMON_LIB) $(STATIC_LIB) $(DEP_LIBS)
$(BUILD)/quire-serve: $(SERVE_OBJ) $(COMMON_LIB) $(STATIC_LIB)
	$(CXX) $(LDFLAGS_ALL) -o $@ $(SERVE_OBJ) $(COMMON_LIB) $(STATIC_LIB) $(SERVE_LIBS) $(DEP_LIBS)
# The indexer once more, with the test hooks, for the crash tests.
$(BUILD)/tests/quire-index: $(INDEX_OBJ) $(COMMON_LIB) $(TEST_LIB)
	$(CXX) $(LDFLAGS_ALL) -o $@ $(INDEX_OBJ) $(COMMON_LIB) $(TEST_LIB) $(DEP_LIBS)

# Unit tests may use internal headers (tests/unit/harness.h, lib/*.h).
$(BUILD)/tests/%: tests/unit/%.c tests/unit/harness.h $(COMMON_LIB) $(TEST_LIB) | $(BUILD)/tests
	$(CC) $(CFLAGS_ALL) -Itests/unit -Icommon -o $@ $< $(COMMON_LIB) $(TEST_LIB) $(LDFLAGS_ALL) $(DEP_LIBS) -lstdc++ -lm

# The fuzz targets with a plain main() (tests/fuzz/driver.c) replay their
# seeds and past crashes in every test run.
$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c $(FUZZ_HDR) $(TEST_LIB) | $(BUILD)/tests
	$(CC) $(CFLAGS_ALL) -Itests/fuzz -o $@ $< tests/fuzz/driver.c $(TEST_LIB) $(LDFLAGS_ALL) $(DEP_LIBS) -lstdc++ -lm

# Helpers the CLI tests run (public API only).
$(BUILD)/tests/remote_probe: tests/tools/remote_probe.c $(STATIC_LIB) | $(BUILD)/tests
	$(CC) $(CFLAGS_ALL) -o $@ $< $(STATIC_LIB) $(LDFLAGS_ALL) $(DEP_LIBS) -lstdc++ -lm

# make fuzz: the same targets under libFuzzer (clang), FUZZ_SECONDS each,
# from a copy of the seeds in build-fuzz/corpus/. Needs clang and
# libclang-rt-14-dev (scripts/fuzz installs them as root).
FUZZ_SECONDS ?= 60
fuzz:
	@scripts/fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

$(BUILD)/lib $(BUILD)/gen $(BUILD)/indexer $(BUILD)/query $(BUILD)/common $(BUILD)/serve $(BUILD)/tests:
	mkdir -p $@

demo: all
	@scripts/demo.sh $(BUILD)

test check: all $(TEST_BIN) $(FUZZ_REPLAY) $(TEST_PROGRAMS) $(BUILD)/tests/remote_probe
	@scripts/configure $(CONFIG_MK) test
	@QUIRE_MAKE_ARGS="BUILD=$(BUILD) SAN=$(SAN) OPT=$(OPT)" QUIRE_SANFLAGS="$(SANFLAGS)" tests/run.sh $(BUILD)

# The CLI suites again with both programs under valgrind's memcheck.
check-valgrind: all
	@command -v valgrind >/dev/null || { echo "quire: run: sudo apt-get install -y valgrind" >&2; exit 1; }
	@QUIRE_VALGRIND=1 QUIRE_ONLY="test_index_cli.sh test_query_cli.sh" tests/run.sh $(BUILD)

# new_delete_type_mismatch=0: libxapian 1.4's checker (Database::check,
# run before writing into an index whose files changed) deletes a table
# cursor through a base pointer of another size; that is inside libxapian,
# and harmless with glibc's allocator.
check-asan:
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    ASAN_OPTIONS=new_delete_type_mismatch=0$(if $(ASAN_OPTIONS),:$(ASAN_OPTIONS)) \
	    $(MAKE) --no-print-directory BUILD=build-asan SAN=1 OPT=-O1 test

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 755 $(PROGRAMS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(STATIC_LIB) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHARED_LIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libquire.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libquire.so.$(SOMAJOR)
	ln -sf libquire.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libquire.so
	install -m 644 include/quire.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' quire.pc.in >$(DESTDIR)$(PKGCONFIGDIR)/quire.pc
	install -m 644 man/quire-index.1 man/quire-query.1 man/quire-serve.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/quire.3 $(DESTDIR)$(MANDIR)/man3/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/quire-index $(DESTDIR)$(BINDIR)/quire-query $(DESTDIR)$(BINDIR)/quire-serve \
	    $(DESTDIR)$(LIBDIR)/libquire.a $(DESTDIR)$(LIBDIR)/libquire.so \
	    $(DESTDIR)$(LIBDIR)/libquire.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libquire.so.$(VERSION) \
	    $(DESTDIR)$(INCLUDEDIR)/quire.h $(DESTDIR)$(PKGCONFIGDIR)/quire.pc \
	    $(DESTDIR)$(MANDIR)/man1/quire-index.1 $(DESTDIR)$(MANDIR)/man1/quire-query.1 \
	    $(DESTDIR)$(MANDIR)/man1/quire-serve.1 \
	    $(DESTDIR)$(MANDIR)/man3/quire.3

# Benchmarks (bench/README.md). The anchors need xapian-omega, SQLite and
# gnuplot; scripts/bench-deps installs them (as root) or names the command.
BENCH_BIN := $(BUILD)/bench/qsearch $(BUILD)/bench/treceval $(BUILD)/bench/fts5 \
             $(BUILD)/bench/tg_index $(BUILD)/bench/tg_search $(BUILD)/bench/phases \
             $(BUILD)/bench/slotbytes
BENCH_ARGS ?=

bench-tools: all
	@scripts/bench-deps
	@$(MAKE) --no-print-directory $(BENCH_BIN)

bench: bench-tools
	python3 bench/run.py --build $(BUILD) $(BENCH_ARGS)

bench-smoke: bench-tools
	python3 bench/run.py --build $(BUILD) --smoke $(BENCH_ARGS)

$(BUILD)/bench:
	mkdir -p $@
$(BUILD)/bench/qsearch: bench/tools/qsearch.c bench/tools/latency.h $(STATIC_LIB) | $(BUILD)/bench
	$(CC) $(CFLAGS_ALL) -Ibench/tools -o $@ $< $(STATIC_LIB) $(LDFLAGS_ALL) $(DEP_LIBS) -lstdc++ -lm
$(BUILD)/bench/phases: bench/tools/phases.c $(INTERNAL_LIB) | $(BUILD)/bench
	$(CC) $(CFLAGS_ALL) -o $@ $< $(INTERNAL_LIB) $(LDFLAGS_ALL) $(DEP_LIBS) -lstdc++ -lm
$(BUILD)/bench/treceval: bench/tools/treceval.c | $(BUILD)/bench
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LDFLAGS_ALL) -lm
$(BUILD)/bench/fts5: bench/anchors/fts5.c bench/tools/latency.h | $(BUILD)/bench
	$(CC) $(CFLAGS_ALL) -Ibench/tools -o $@ $< $(LDFLAGS_ALL) -lsqlite3 -ljansson -lpthread
$(BUILD)/bench/tg_index: bench/anchors/tg_index.cc | $(BUILD)/bench
	$(CXX) $(CXXFLAGS_ALL) -o $@ $< $(LDFLAGS_ALL) $(DEP_LIBS)
$(BUILD)/bench/slotbytes: bench/tools/slotbytes.cc | $(BUILD)/bench
	$(CXX) $(CXXFLAGS_ALL) -o $@ $< $(LDFLAGS_ALL) $(DEP_LIBS)
$(BUILD)/bench/tg_search: bench/anchors/tg_search.cc bench/tools/latency.h | $(BUILD)/bench
	$(CXX) $(CXXFLAGS_ALL) -Ibench/tools -o $@ $< $(LDFLAGS_ALL) $(DEP_LIBS)

clean:
	rm -rf build build-asan

distclean: clean

-include $(wildcard $(BUILD)/lib/*.d $(BUILD)/indexer/*.d $(BUILD)/query/*.d $(BUILD)/common/*.d $(BUILD)/serve/*.d)
