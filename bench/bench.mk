# bench/bench.mk — `make bench`: builds bench/*.c with -O2 against build/lib*.a and runs it.
#
# Invoked by the top Makefile as `$(MAKE) -f bench/bench.mk` from the repository root.
# It first builds bin/pgv (so the libraries exist, compiled by the top Makefile with
# its -O2), then links build/bench/pgv_bench and runs it.  The benchmark prints a table
# of native speed, VMM/native ratios (ISA manual §11), trap cost and pgv_diff_run speed
# (§12), marking target misses; it exits 0 whatever the numbers (see bench/README.md).
# BENCH_QUICK=1 shortens every run tenfold.

CC      ?= cc
BENCH_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
                -Wmissing-prototypes -D_POSIX_C_SOURCE=200809L -I.
LIBS    := build/libpgvtools.a build/libpgvvmm.a build/libpgvmodel.a
BIN     := build/bench/pgv_bench
SRC     := $(wildcard bench/*.c)
HDRS    := $(wildcard spec/*.h spec/*.def model/*.h vmm/*.h)

.PHONY: run libs

run: $(BIN)
	@$(BIN)

libs:
	@$(MAKE) --no-print-directory -f Makefile bin/pgv

$(LIBS): libs
	@:

$(BIN): $(SRC) $(HDRS) libs
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ $(SRC) $(LIBS)
