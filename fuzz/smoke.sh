#!/usr/bin/env bash
# fuzz/smoke.sh — `make fuzz-smoke`: the bounded, deterministic fuzz run for CI.
#
# Everything goes through the harness entry point pgv_fuzz_one, in-process (the plain
# driver build/pgv-fuzz), no AFL++ needed: (1) the seed corpus under profile pg with the
# plain VMM, the hybrid VMM, depth 2 and 2 VMs; (2) the kept regressions with their
# recorded expectations (tests/check_fuzz_regressions.sh); (3) fixed-seed streams of
# generated programs (a few thousand) under pg in the same four configurations and with
# the configuration carved from the bytes; (4) if clang is there, a few hundred of them
# again under ASan + UBSan.  Fails on any divergence, refusal or sanitizer report.
set -eu
cd "$(dirname "$0")"
unset FUZZ_PROFILE FUZZ_VMM FUZZ_DEPTH FUZZ_VMS FUZZ_BUDGET FUZZ_MAX_BUDGET FUZZ_SLICE
D=build/pgv-fuzz
[ -x "$D" ] || { echo "smoke: $D not built (make -C fuzz driver)"; exit 2; }
fails=0
run() {   # run LABEL ARGS...
    local label=$1; shift
    local t0 t1 out
    t0=$(date +%s%N)
    if out=$("$@" 2>&1); then
        t1=$(date +%s%N)
        printf 'ok    %-44s %s (%d ms)\n' "$label" "$(echo "$out" | tail -1)" $(( (t1 - t0) / 1000000 ))
    else
        fails=$((fails + 1))
        printf 'FAIL  %-44s\n' "$label"
        echo "$out" | tail -60 | sed 's/^/      /'
    fi
}
PG="--profile pg"
run "seeds: pg plain"          $D $PG --vmm plain  --depth 1 --vms 1 build/corpus
run "seeds: pg hybrid"         $D $PG --vmm hybrid --depth 1 --vms 1 build/corpus
run "seeds: pg depth 2"        $D $PG --vmm plain  --depth 2 --vms 1 build/corpus
run "seeds: pg 2 VMs"          $D $PG --vmm plain  --depth 1 --vms 2 build/corpus
[ -x ../bin/pgv ] || make -C .. --no-print-directory bin/pgv >/dev/null
run "regressions"              ../tests/check_fuzz_regressions.sh
run "random 5000: pg plain"    $D $PG --vmm plain  --depth 1 --vms 1 --random 5000 --seed 1
run "random 1000: pg hybrid"   $D $PG --vmm hybrid --depth 1 --vms 1 --random 1000 --seed 2
run "random 500: pg depth 2"   $D $PG --vmm plain  --depth 2 --vms 1 --random 500 --seed 3
run "random 500: pg 2 VMs"     $D $PG --vmm plain  --depth 1 --vms 2 --random 500 --seed 4
run "random 1000: pg, carved configuration" $D $PG --random 1000 --seed 5
if command -v clang >/dev/null 2>&1 && [ "${SMOKE_ASAN:-1}" != 0 ]; then
    make --no-print-directory build/pgv-fuzz-asan >/dev/null 2>&1 || { echo "FAIL  asan build"; fails=$((fails + 1)); }
    if [ -x build/pgv-fuzz-asan ]; then
        run "asan+ubsan: seeds, pg"        build/pgv-fuzz-asan $PG build/corpus
        run "asan+ubsan: random 300, pg"   build/pgv-fuzz-asan $PG --random 300 --seed 6
        run "asan+ubsan: random 300, any profile (divergences allowed)" \
            sh -c 'build/pgv-fuzz-asan --random 300 --seed 7 --keep-going --quiet; [ $? -le 1 ]'
    fi
fi
if [ "$fails" -ne 0 ]; then
    echo "fuzz-smoke: $fails check(s) FAILED"
    exit 1
fi
echo "fuzz-smoke: all checks passed"
