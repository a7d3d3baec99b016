# Makefile — builds, tests, proves, fuzzes and benchmarks pgv.  `make help` lists the targets.
#
# Layout: spec/ (manual, opcode table, ACSL logic) -> model/ (reference machine, lib)
# -> vmm/ (monitor, diff, classify; lib) -> tools/ (assembler, disassembler, pgv CLI)
# -> tests/, fuzz/, proofs/, bench/.  Sources are picked up by wildcard, so adding a
# file to a directory adds it to its library.

CC      ?= cc
CSTD    := -std=c11
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -I.
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(CPPFLAGS)

BUILD   := build
MODEL_SRC := $(wildcard model/*.c)
VMM_SRC   := $(wildcard vmm/*.c)
TOOLS_SRC := $(filter-out tools/main.c,$(wildcard tools/*.c))
TEST_SRC  := $(wildcard tests/test_*.c)
HEADERS   := $(wildcard spec/*.h spec/*.def model/*.h vmm/*.h tools/*.h)

MODEL_OBJ := $(MODEL_SRC:%.c=$(BUILD)/%.o)
VMM_OBJ   := $(VMM_SRC:%.c=$(BUILD)/%.o)
TOOLS_OBJ := $(TOOLS_SRC:%.c=$(BUILD)/%.o)
LIBS      := $(BUILD)/libpgvtools.a $(BUILD)/libpgvvmm.a $(BUILD)/libpgvmodel.a
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all check test demo help clean proofs proofs-pending bench fuzz fuzz-smoke check-manual examples

## all: build bin/pgv (default)
all: bin/pgv

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libpgvmodel.a: $(MODEL_OBJ)
	@rm -f $@; ar rcs $@ $^
$(BUILD)/libpgvvmm.a: $(VMM_OBJ)
	@rm -f $@; ar rcs $@ $^
$(BUILD)/libpgvtools.a: $(TOOLS_OBJ)
	@rm -f $@; ar rcs $@ $^

bin/pgv: $(BUILD)/tools/main.o $(LIBS)
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $< $(LIBS)

$(BUILD)/tests/%: tests/%.c $(LIBS) $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(LIBS) -lcmocka

## test: build everything and run the whole test suite (unit tests, examples, regressions, manual check)
test: bin/pgv $(TEST_BIN)
	@tests/run.sh $(TEST_BIN)

## check: everything CI runs — the proofs, the fuzz smoke run, then the test suite
check:
	@$(MAKE) --no-print-directory proofs
	@$(MAKE) --no-print-directory fuzz-smoke
	@$(MAKE) --no-print-directory test

## demo: native vs virtualized runs of the examples and the P&G verdicts for every profile
demo: bin/pgv
	@tests/demo.sh

## check-manual: the tables in spec/ISA.md equal those generated from spec/opcodes.def
check-manual: bin/pgv
	@tests/check_manual.sh

## proofs: Frama-C WP over model/ and vmm/; fails on any goal neither proved nor listed in proofs/KNOWN_UNPROVED (see proofs/; PROOF_JOBS=1 for one unit at a time)
proofs:
	@proofs/run.sh

## proofs-pending: run the units whose contracts exist but whose runs have not settled (proofs/units.pending; not gated; writes proofs/REPORT-pending.md)
proofs-pending:
	@PROOF_SET=pending proofs/run.sh

## bench: speed of the model, the VMM and the differential checker (prints a table)
bench:
	@$(MAKE) --no-print-directory -f bench/bench.mk

## fuzz: AFL++ campaign (FUZZ_TIME, FUZZ_PROFILE, FUZZ_VMM, FUZZ_DEPTH, FUZZ_VMS, FUZZ_JOBS)
fuzz:
	@$(MAKE) --no-print-directory -C fuzz campaign

## fuzz-smoke: bounded deterministic fuzz run (corpus, regressions, fixed-seed random programs)
fuzz-smoke:
	@$(MAKE) --no-print-directory -C fuzz smoke

## clean: remove build products
clean:
	rm -rf $(BUILD) bin

## help: list the documented targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -E 's/^## ([a-z-]+): /\1\t/' | \
	    awk -F'\t' '{ printf "  make %-13s %s\n", $$1, $$2 }'

# cmd_replay and the fuzz-input test compile the fuzzer's codec in (#include of fuzz/*.c)
$(BUILD)/tools/cmd_replay.o $(BUILD)/tests/test_fuzz_input: $(wildcard fuzz/*.c fuzz/*.h)
