# embargo - one non-recursive GNU Makefile.
#
#   make            build the library and the `embargo` command (optimised, build/rel)
#   make demo       install what is missing, build, run the demo on the bundled lists
#   make test       everything under ASan/UBSan with -Werror (build/san): unit tests,
#                   end-to-end tests on the real binary, fuzz corpora replayed
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS each (default 60)
#   make bench      benchmarks, results appended to bench/RESULTS.md by hand
#   make lint       cppcheck and clang-format check
#
# Variables: SANITIZE=address,undefined  WERROR=1  CC=clang  V=1

SHELL := /bin/bash
.SUFFIXES:
.DELETE_ON_ERROR:

CC ?= cc
PKGS := libutf8proc icu-uc icu-i18n expat jansson zlib libzip
DEPS_STAMP := build/.deps-ok

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla \
        -Wno-missing-field-initializers
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Isrc $(WARN) -MMD -MP
# The public reference data the tests read: ../shared/data beside the clone, else the
# workplace's /work/shared/data; EMBARGO_DATA=... overrides both.
EMBARGO_DATA ?= $(firstword $(wildcard $(abspath ../shared/data) /work/shared/data) $(abspath ../shared/data))
TEST_CFLAGS := -DEMB_TEST_DATA=\"$(EMBARGO_DATA)\"
BASE_CFLAGS += -DEMB_DATA_DIR=\"$(abspath data)\"

ifeq ($(SANITIZE),)
  BUILD ?= build/rel
  OPT := -O2 -g
else
  BUILD ?= build/san
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=$(SANITIZE) -fno-sanitize-recover=all
endif
ifeq ($(WERROR),1)
  WARN += -Werror
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS_ALL = $(BASE_CFLAGS) $(OPT) $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lm -lpthread $(LDLIBS)

ifneq ($(V),1)
  Q := @
endif

LIB_SRC := $(sort $(wildcard src/core/*.c src/text/*.c src/lists/*.c src/index/*.c src/match/*.c \
                             src/goods/*.c src/screen/*.c src/store/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCH_SRC := $(sort $(wildcard bench/bench_*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libembargo.a
BIN := $(BUILD)/embargo
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: eval all demo test unit e2e fuzz-replay fuzz fuzz-build bench lint clean deps san-test
all: $(BIN)

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/install-deps.sh
	$(Q)./scripts/install-deps.sh
	$(Q)mkdir -p $(@D) && touch $@

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  TEST-CC $<")
	$(Q)$(CC) $(CFLAGS_ALL) $(TEST_CFLAGS) -o $@ $< $(LIB) $(LDLIBS_ALL) -lcmocka

$(BUILD)/bench/%: bench/%.c $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB) $(LDLIBS_ALL)

# ---------------------------------------------------------------- demo
demo: | $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory all
	$(Q)./scripts/demo.sh $(BIN)

# ---------------------------------------------------------------- tests
# `make test` builds a separate sanitizer tree and runs every suite in it.
test: | $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory SANITIZE=address,undefined WERROR=1 san-test

# Every unit test runs; the failures are named at the end.
RUN_UNITS = fail=""; for t in $(UNIT_BIN); do echo "== $$t"; $$t || fail="$$fail $$(basename $$t)"; done; \
	  if [ -n "$$fail" ]; then echo "unit tests failed:$$fail"; exit 1; fi

san-test: $(BIN) $(UNIT_BIN) fuzz-replay
	$(Q)test -d "$(EMBARGO_DATA)/lists" || { echo "reference data not found in $(EMBARGO_DATA); set EMBARGO_DATA" >&2; exit 1; }
	$(Q)$(RUN_UNITS)
	$(Q)EMBARGO=$(BIN) EMBARGO_DATA=$(EMBARGO_DATA) ./tests/e2e/run.sh
	@echo "all tests passed"

unit: $(UNIT_BIN)
	$(Q)$(RUN_UNITS)

e2e: $(BIN)
	$(Q)EMBARGO=$(BIN) EMBARGO_DATA=$(EMBARGO_DATA) ./tests/e2e/run.sh

# ---------------------------------------------------------------- fuzzing
# libFuzzer needs clang; the library is rebuilt with coverage in build/fuzz.
FUZZ_BUILD := build/fuzz
FUZZ_CFLAGS := $(BASE_CFLAGS) -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
               -fno-sanitize-recover=all $(PKG_CFLAGS)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_SECONDS ?= 60

$(FUZZ_BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  FUZZ-CC $<")
	$(Q)clang $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/libembargo.a: $(FUZZ_LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libembargo.a
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libembargo.a $(LDLIBS_ALL)

fuzz-build: $(FUZZ_BIN)

# Replays every corpus file through its target once (part of `make test`).
fuzz-replay: $(FUZZ_BIN)
	$(Q)set -e; for f in $(FUZZ_BIN); do n=$$(basename $$f); d=tests/fuzz/corpus/$${n#fuzz_}; \
	  if [ -d $$d ] && [ -n "$$(ls -A $$d)" ]; then echo "== replay $$n ($$(ls $$d | wc -l) inputs)"; \
	    $$f -runs=0 $$d/* >/dev/null 2>build/fuzz/$$n.log || { cat build/fuzz/$$n.log; exit 1; }; fi; done

# Runs each target for FUZZ_SECONDS; new inputs go to build/fuzz/new/<target>.
fuzz: $(FUZZ_BIN)
	$(Q)set -e; for f in $(FUZZ_BIN); do n=$$(basename $$f); d=tests/fuzz/corpus/$${n#fuzz_}; \
	  mkdir -p build/fuzz/new/$${n#fuzz_} $$d; echo "== fuzz $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=65536 \
	    build/fuzz/new/$${n#fuzz_} $$d 2>&1 | tail -3; done

# ---------------------------------------------------------------- eval
# Match quality on ../shared/eval beside the reference figures; reports, never fails.
eval: | $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory all
	$(Q)python3 tools/eval.py $(BIN) $(EMBARGO_DATA)/../eval $(EMBARGO_DATA)/lists/un/consolidated-2026-02-27.xml || true

# ---------------------------------------------------------------- bench
bench: | $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory all $(BENCH_BIN)
	$(Q)./bench/run.sh $(BIN) $(BUILD)/bench

# ---------------------------------------------------------------- lint
lint: | $(DEPS_STAMP)
	$(Q)cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
	  --suppress=missingIncludeSystem -Iinclude -Isrc src
	$(Q)clang-format --dry-run --Werror $(LIB_SRC) $(CLI_SRC) include/embargo.h

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(FUZZ_LIB_OBJ:.o=.d) $(UNIT_BIN:=.d) $(FUZZ_BIN:=.d)
