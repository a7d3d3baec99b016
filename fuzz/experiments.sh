#!/usr/bin/env bash
# fuzz/experiments.sh — `make -C fuzz experiments`: does the oracle have teeth?  (measured tables)
#
# Every run is a short AFL++ campaign (fuzz/campaign.sh) with one instance, at most
# EXP_TIME seconds (60), two runs at a time (one per core):
#  (a) time to first divergence, plain VMM, profiles popf, jrst, redpill — EXP_RUNS runs
#      each (5), from the single seed `ADDI r1, r1, 1; HALT` (build/minimal), stopping at
#      the first divergence (AFL_BENCH_UNTIL_CRASH);
#  (b) no divergence expected: the hybrid VMM on popf and jrst, and profile pg with the
#      plain VMM, the hybrid VMM, depth 2 and 2 VMs — one full-length run each from the
#      whole seed corpus;
#  (c) planted faults (fuzz/faults/plant.py, a copy of vmm/ built with -DPGV_FAULT=N),
#      profile pg, plain VMM: time to first divergence, EXP_FAULT_RUNS runs each (3),
#      from the single minimal seed.
# Results: out/exp/results.tsv (one line per run) and out/exp/results.md (the tables).
# EXP_ONLY=a|b|c runs one part.  About 20-30 minutes on 2 cores.
set -u
cd "$(dirname "$0")"
T=${EXP_TIME:-60}
RUNS=${EXP_RUNS:-5}
FRUNS=${EXP_FAULT_RUNS:-3}
ONLY=${EXP_ONLY:-abc}
SLOTS=${EXP_SLOTS:-2}
E=out/exp
mkdir -p "$E"
R="$E/results.tsv"
[ -f "$R" ] || printf 'part\tlabel\trun\tfound_s\tfound_execs\tdivergences\texecs\tsignature\n' > "$R"
one() {   # one PART LABEL RUN SEEDS BIN_DIR STOP PROFILE VMM DEPTH VMS
    local part=$1 label=$2 run=$3 seeds=$4 bin=$5 stop=$6
    local out="$E/$label-$run" mut=1
    case $label in *-nomut) mut=0 ;; esac
    FUZZ_MUTATOR=$mut FUZZ_OUT="$out" FUZZ_TIME="$T" FUZZ_JOBS=1 FUZZ_SEEDS="$seeds" FUZZ_BIN_DIR="$bin" \
        FUZZ_STOP_ON_CRASH="$stop" FUZZ_PROFILE=$7 FUZZ_VMM=$8 FUZZ_DEPTH=$9 FUZZ_VMS=${10} \
        ./campaign.sh > "$out.summary" 2>&1
    local found fexecs div execs sig
    found=$(sed -n 's/^first divergence: *\([0-9.]*\) s.*/\1/p' "$out.summary")
    fexecs=$(sed -n 's/^first divergence:.*after \([0-9]*\) execs.*/\1/p' "$out.summary")
    div=$(sed -n 's/^divergences: //p' "$out.summary" | tail -1)
    execs=$(sed -n 's/^execs: *//p' "$out.summary")
    sig=$(sed -n '/^unique divergences/{n;p;q}' "$out.summary" | cut -f1 | sed 's/^ *//')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$part" "$label" "$run" "${found:-none}" "${fexecs:--}" "${div:-?}" "${execs:-0}" "$sig" >> "$R"
    echo "exp: $label run $run: first divergence ${found:-none} s (${fexecs:--} execs), $div divergence(s), $execs execs"
}
jobs_running() { jobs -rp | wc -l; }
queue() { while [ "$(jobs_running)" -ge "$SLOTS" ]; do wait -n; done; one "$@" & }
case $ONLY in *a*)
    for p in popf jrst redpill; do
        for i in $(seq "$RUNS"); do queue a "$p-plain" "$i" build/minimal build 1 "$p" plain 1 1; done
    done
    # the same without the custom mutator (AFL++ byte-level mutations and the dictionary)
    for p in popf jrst redpill; do
        for i in $(seq "$RUNS"); do queue a "$p-plain-nomut" "$i" build/minimal build 1 "$p" plain 1 1; done
    done ;;
esac
case $ONLY in *b*)
    queue b popf-hybrid 1 build/corpus build 0 popf hybrid 1 1
    queue b jrst-hybrid 1 build/corpus build 0 jrst hybrid 1 1
    queue b pg-plain 1 build/corpus build 0 pg plain 1 1
    queue b pg-hybrid 1 build/corpus build 0 pg hybrid 1 1
    queue b pg-depth2 1 build/corpus build 0 pg plain 2 1
    queue b pg-2vms 1 build/corpus build 0 pg plain 1 2 ;;
esac
case $ONLY in *c*)
    for n in 1 2 3 4 5; do
        for i in $(seq "$FRUNS"); do queue c "fault$n" "$i" build/minimal "build/fault-$n" 1 pg plain 1 1; done
    done ;;
esac
wait
./exp_table.sh "$R" > "$E/results.md"
cat "$E/results.md"
