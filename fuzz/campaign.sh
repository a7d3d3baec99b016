#!/usr/bin/env bash
# fuzz/campaign.sh — `make fuzz`: an AFL++ campaign of the differential harness, then its summary.
#
# Settings (environment, as make variables): FUZZ_TIME seconds (default 60),
# FUZZ_PROFILE pg|popf|jrst|redpill (pg), FUZZ_VMM plain|hybrid (plain), FUZZ_DEPTH 1..4
# (1), FUZZ_VMS 1..8 (1), FUZZ_JOBS instances (cores), FUZZ_OUT output directory
# (out/PROFILE-VMM-dDEPTH-vVMS), FUZZ_SEEDS seed directory (build/corpus), FUZZ_NODE
# instance-name prefix for multi-machine runs, FUZZ_ROLE main|secondary (secondary: no
# -M instance here, for the second and later machines), FUZZ_MUTATOR 0 to run without
# the custom mutator, FUZZ_ASAN 1 to make one secondary the ASan+UBSan build,
# FUZZ_RESUME 1 to continue an existing FUZZ_OUT, FUZZ_STOP_ON_CRASH 1 to stop at the
# first divergence (AFL_BENCH_UNTIL_CRASH; used by the experiments).
# The profile and VMM configuration are fixed for the target through FUZZ_* (the carved
# header bytes do not override them).  Seeds that already diverge under the fixed
# configuration are not given to afl-fuzz (it refuses crashing seeds); they are recorded
# in FUZZ_OUT/seed-divergences.txt and counted by the summary.
set -u
cd "$(dirname "$0")"
FUZZ_TIME=${FUZZ_TIME:-60}
FUZZ_PROFILE=${FUZZ_PROFILE:-pg}
FUZZ_VMM=${FUZZ_VMM:-plain}
FUZZ_DEPTH=${FUZZ_DEPTH:-1}
FUZZ_VMS=${FUZZ_VMS:-1}
FUZZ_JOBS=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
FUZZ_NODE=${FUZZ_NODE:-}
FUZZ_ROLE=${FUZZ_ROLE:-main}
OUT=${FUZZ_OUT:-out/$FUZZ_PROFILE-$FUZZ_VMM-d$FUZZ_DEPTH-v$FUZZ_VMS}
SEEDS=${FUZZ_SEEDS:-build/corpus}
BIN=${FUZZ_BIN_DIR:-build}   # where pgv-fuzz and pgv-fuzz-afl are (the fault builds: build/fault-N)
export FUZZ_PROFILE FUZZ_VMM FUZZ_DEPTH FUZZ_VMS
unset FUZZ_BUDGET FUZZ_SLICE 2>/dev/null || true
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_IGNORE_UNKNOWN_ENVS=1 AFL_TRY_AFFINITY=1
[ "${FUZZ_MUTATOR:-1}" != 0 ] && export AFL_CUSTOM_MUTATOR_LIBRARY="$PWD/build/pgv-mutator.so"
[ "${FUZZ_STOP_ON_CRASH:-0}" != 0 ] && export AFL_BENCH_UNTIL_CRASH=1
for b in "$BIN/pgv-fuzz" "$BIN/pgv-fuzz-afl"; do
    [ -x "$b" ] || { echo "campaign: $b missing (make -C fuzz all afl)"; exit 2; }
done
[ "$FUZZ_JOBS" -ge 1 ] 2>/dev/null || FUZZ_JOBS=1

if [ "${FUZZ_RESUME:-0}" != 0 ] && [ -d "$OUT" ]; then
    IN=-
else
    rm -rf "$OUT"
    mkdir -p "$OUT/in"
    # seed triage under the fixed configuration
    "$BIN/pgv-fuzz" --signature "$SEEDS" > "$OUT/seed-divergences.txt" || true
    for f in "$SEEDS"/*; do
        [ -f "$f" ] || continue
        grep -qF "	$f" "$OUT/seed-divergences.txt" || cp "$f" "$OUT/in/"
    done
    [ -n "$(ls "$OUT/in")" ] || { echo "campaign: every seed diverges; nothing to start from"; }
    IN="$OUT/in"
fi
cat > "$OUT/campaign.env" <<EOV
FUZZ_PROFILE=$FUZZ_PROFILE
FUZZ_VMM=$FUZZ_VMM
FUZZ_DEPTH=$FUZZ_DEPTH
FUZZ_VMS=$FUZZ_VMS
FUZZ_TIME=$FUZZ_TIME
FUZZ_JOBS=$FUZZ_JOBS
FUZZ_BIN_DIR=$BIN
EOV
echo "campaign: profile $FUZZ_PROFILE, $FUZZ_VMM VMM, depth $FUZZ_DEPTH, $FUZZ_VMS VM(s), $FUZZ_JOBS job(s), ${FUZZ_TIME}s -> $OUT"
MAXLEN=$(( 44 + 4 * 1100 ))
pids=()
start() {   # start NAME ROLEFLAG BINARY
    local name=$1 role=$2 bin=$3
    afl-fuzz -i "$IN" -o "$OUT" "$role" "$name" -x pgv.dict -G "$MAXLEN" -V "$FUZZ_TIME" \
        -- "$bin" > "$OUT/$name.log" 2>&1 &
    pids+=($!)
}
prefix=${FUZZ_NODE:+$FUZZ_NODE-}
j=1
if [ "$FUZZ_ROLE" = main ]; then
    start "${prefix}main" -M "$BIN/pgv-fuzz-afl"
    j=2
fi
while [ "$j" -le "$FUZZ_JOBS" ]; do
    bin=$BIN/pgv-fuzz-afl
    if [ "${FUZZ_ASAN:-0}" != 0 ] && [ "$j" -eq 2 ] && [ -x build/pgv-fuzz-afl-asan ]; then
        bin=build/pgv-fuzz-afl-asan
    fi
    start "${prefix}s$j" -S "$bin"
    j=$((j + 1))
done
for p in "${pids[@]}"; do wait "$p" || true; done
for l in "$OUT"/*.log; do
    grep -q "PROGRAM ABORT\|Fatal" "$l" && { echo "campaign: afl-fuzz failed, see $l:"; grep -A3 "PROGRAM ABORT" "$l" | head -8; }
done
./summary.sh "$OUT"
