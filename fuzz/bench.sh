#!/usr/bin/env bash
# fuzz/bench.sh — `make -C fuzz bench`: fuzzing throughput (a benchmark, not a test).
#
# 1. AFL++'s ceiling on this machine: afl-fuzz on build/null-afl (persistent mode,
#    shared-memory input, does nothing) — and the harness build/pgv-fuzz-afl with the
#    very same afl-fuzz options (seed corpus, dictionary, custom mutator, one core,
#    BENCH_TIME seconds each, alternated BENCH_REPEAT times, medians reported), profile
#    pg, plain VMM; once with the campaign's budgets (up to 10,000 steps) and once with
#    FUZZ_MAX_BUDGET=1000.  Target: the harness at >= 80 % of the ceiling.
# 2. In-process differential tests per second (build/pgv-fuzz --bench, no AFL++): the seed
#    corpus, generated programs of up to 256 instructions with budgets up to 10,000 steps,
#    and the same with budgets up to 1,000.  Target: >= 100,000 tests/s.
# Throughput is proportional to the guest steps a test runs (the model's pgv_run is
# most of the time), so every line states the mean native steps per test.
set -eu
cd "$(dirname "$0")"
T=${BENCH_TIME:-30}
R=${BENCH_REPEAT:-2}
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_IGNORE_UNKNOWN_ENVS=1
export AFL_TRY_AFFINITY=1 AFL_CUSTOM_MUTATOR_LIBRARY="$PWD/build/pgv-mutator.so"
export FUZZ_PROFILE=pg FUZZ_VMM=plain FUZZ_DEPTH=1 FUZZ_VMS=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
afl_eps() {   # afl_eps BINARY -> execs/s after T seconds
    rm -rf "$tmp/o"
    afl-fuzz -i build/corpus -o "$tmp/o" -x pgv.dict -G $((44 + 4 * 256)) -V "$T" -- "$1" > "$tmp/log" 2>&1 || true
    local s="$tmp/o/default/fuzzer_stats"
    [ -f "$s" ] || { echo 0; return; }
    awk -F' *: *' '$1=="execs_done"{e=$2} $1=="run_time"{t=$2} END{printf "%.0f\n", t ? e / t : 0}' "$s"
}
median() { sort -n | awk '{a[NR]=$1} END{print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
echo "bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), ${T}s per AFL++ run, $R repeats"
: > "$tmp/null"; : > "$tmp/harn"; : > "$tmp/short"
for i in $(seq "$R"); do
    afl_eps build/null-afl >> "$tmp/null"
    afl_eps build/pgv-fuzz-afl >> "$tmp/harn"
    FUZZ_MAX_BUDGET=1000 afl_eps build/pgv-fuzz-afl >> "$tmp/short"
done
ceil=$(median < "$tmp/null"); harn=$(median < "$tmp/harn"); short=$(median < "$tmp/short")
printf '%-58s %8s execs/s  (runs: %s)\n' "AFL++ ceiling (null harness, 1 core)" "$ceil" "$(tr '\n' ' ' < "$tmp/null")"
printf '%-58s %8s execs/s  (runs: %s) = %s %% of the ceiling\n' "harness under AFL++ (pg, plain VMM, 1 core)" "$harn" \
    "$(tr '\n' ' ' < "$tmp/harn")" "$(awk -v a="$harn" -v b="$ceil" 'BEGIN{printf "%.0f", b ? 100 * a / b : 0}')"
printf '%-58s %8s execs/s  (runs: %s) = %s %% of the ceiling\n' "harness under AFL++, budgets <= 1,000 (FUZZ_MAX_BUDGET)" "$short" \
    "$(tr '\n' ' ' < "$tmp/short")" "$(awk -v a="$short" -v b="$ceil" 'BEGIN{printf "%.0f", b ? 100 * a / b : 0}')"
inproc() {   # inproc LABEL ARGS...
    local label=$1; shift
    local line
    line=$(build/pgv-fuzz --bench 5 --profile pg --vmm plain --depth 1 --vms 1 "$@" | tail -1)
    printf '%-58s %s\n' "$label" "$(echo "$line" | sed 's/^bench: [0-9]* differential tests in [0-9.]* s = //')"
}
inproc "in-process: seed corpus" build/corpus
inproc "in-process: generated, <= 256 insns, budget <= 10,000" --random 2000 --max-words 256
inproc "in-process: generated, <= 256 insns, budget <= 1,000" --random 2000 --max-words 256 --max-budget 1000
inproc "in-process: generated, <= 64 insns, budget <= 100" --random 2000 --max-words 64 --max-budget 100
echo "bench: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
