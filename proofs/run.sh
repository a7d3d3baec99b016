#!/usr/bin/env bash
# proofs/run.sh — `make proofs`: Frama-C WP over model/ (and the VMM units listed in
# proofs/units), the canaries, and the honesty gate (proofs/gate.py).
#
# Prints the tool versions first; runs WP with -wp-rte on every unit with Z3 then CVC4,
# two cores, a proof cache (proofs/cache, replayed when the tree is unchanged), and WP's
# smoke tests (WP proves the ACSL lemmas of a unit's files only in a unit without a
# function selection: gate.py counts them as rows lemmas:GROUP); runs every canary in
# proofs/canaries/ (false on purpose: must not prove; a canary may be a lemma canary_*);
# then proofs/gate.py decides and writes proofs/REPORT.md.  Frama-C's own exit status
# does not reflect unproved goals, so the gate reads the JSON reports.
# PROOF_SET=pending runs proofs/units.pending instead (contracts whose runs have not
# settled: reported in proofs/REPORT-pending.md against floors.pending and
# KNOWN_UNPROVED.pending, never part of the gate); `make proofs-pending` does that.
# Environment: PROOF_TIMEOUT (s per goal, default 10), PROOF_JOBS (units run at once,
# default 2), PROOF_PAR (-wp-par of each unit, default 2), PROOF_CACHE
# (update|replay|offline|none, default update).  WP builds a unit's goals on one core,
# so with the committed cache (a replay) two units at once take about half the time.
# Keep -wp-par 2: the cache holds the prover results that WP's scheduling of Z3 and
# CVC4 left with -wp-par 2 (measured: with -wp-par 1 a replay from a clean clone ran
# provers again on 47 of model_core's goals, and took 242 s instead of 78 s).  For a
# cold run, PROOF_JOBS=1 keeps the provers to two at a time.
set -u
cd "$(dirname "$0")/.."
. proofs/timeouts.sh    # fct_timeouts, unit_timeout (proofs/timeouts)
SET=${PROOF_SET:-gated}
case "$SET" in
    gated) UNITS=proofs/units ;;
    pending) UNITS=proofs/units.pending ;;
    *) echo "proofs: PROOF_SET must be gated or pending, not '$SET'" >&2; exit 2 ;;
esac
export PROOF_SET="$SET"
if ! grep -qvE '^[[:space:]]*(#|$)' "$UNITS"; then
    [ "$SET" = pending ] && { echo "proofs: no pending units ($UNITS lists none)"; exit 0; }
    echo "proofs: $UNITS lists no units" >&2; exit 2
fi
TIMEOUT=${PROOF_TIMEOUT:-10}
JOBS=${PROOF_JOBS:-2}
case "$JOBS" in ''|*[!0-9]*|0) echo "proofs: PROOF_JOBS must be a positive number, not '$JOBS'" >&2; exit 2 ;; esac
PAR=${PROOF_PAR:-2}
CACHE=${PROOF_CACHE:-update}
WORK=proofs/.work
rm -rf "$WORK"
mkdir -p "$WORK/canaries"

need() { command -v "$1" >/dev/null 2>&1 || { echo "proofs: $1 is not installed (run .ci/setup)"; exit 2; }; }
for t in frama-c why3 z3 cvc4 python3; do need "$t"; done
echo "proofs: tools: frama-c $(frama-c -version 2>/dev/null); $(why3 --version 2>/dev/null);" \
     "$(z3 --version); $(cvc4 --version | head -1); $(cvc5 --version 2>/dev/null | head -1)"
why3 config detect >/dev/null 2>&1 || true

CPP='-cpp-extra-args=-I. -D_POSIX_C_SOURCE=200809L'
WPFLAGS=(-wp -wp-rte -warn-signed-overflow -warn-signed-downcast -wp-prover z3,cvc4
         -wp-timeout "$TIMEOUT" -wp-par "$PAR" -wp-smoke-tests)
if [ "$CACHE" != none ]; then
    mkdir -p proofs/cache
    WPFLAGS+=(-wp-cache "$CACHE" -wp-cache-env)
    export FRAMAC_WP_CACHE="$CACHE" FRAMAC_WP_CACHEDIR="$PWD/proofs/cache"
fi

# The ACSL generated from the opcode table (spec/optable.acsl includes it).
bash proofs/gen_opcodes.sh || { echo "proofs: proofs/gen_opcodes.sh failed"; exit 2; }

# One unit: "name: files [| selection]"; its log and report in $WORK, its wall time in
# $WORK/times, and its summary printed when it ends.
run_unit() {
    local name=$1 files=$2 fcts=$3 t0 t1 rc ft sel=()
    t0=$(date +%s)
    case "$fcts" in
        '') ;;
        '!'*) sel=(-wp-skip-fct "${fcts#!}") ;;
        *) sel=(-wp-fct "$fcts") ;;
    esac
    ft=$(fct_timeouts "$files")
    [ -n "$ft" ] && sel+=(-wp-fct-timeout "$ft")
    sel+=(-wp-timeout "$(unit_timeout "$name" "$TIMEOUT")")
    # shellcheck disable=SC2086
    frama-c "$CPP" $files "${WPFLAGS[@]}" "${sel[@]}" \
        -wp-report-json "$WORK/$name.json" > "$WORK/$name.log" 2>&1
    rc=$?
    t1=$(date +%s)
    echo "$name $((t1 - t0))s" >> "$WORK/times"
    {
        echo "proofs: unit $name done ($((t1 - t0)) s)"
        grep -E '^\[wp\] Proved goals' "$WORK/$name.log" | sed "s/^/  /"
        if [ $rc -ne 0 ]; then echo "proofs: frama-c failed on unit $name (exit $rc):"; tail -20 "$WORK/$name.log"; fi
    }
}

# Units: "name: files" lines in proofs/units, PROOF_JOBS at a time.
units=()
: > "$WORK/times"
export PROOF_RUN_JOBS="$JOBS" PROOF_RUN_PAR="$PAR"   # for the report's time line
T_UNITS=$(date +%s)
echo "proofs: $JOBS unit(s) at a time, $PAR prover process(es) each"
while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    name=${line%%:*}; rest=${line#*:}
    files=${rest%%|*}; fcts=""
    case "$rest" in *'|'*) fcts=$(echo "${rest#*|}" | tr -d ' ') ;; esac
    units+=("$name")
    echo "proofs: unit $name ($files${fcts:+ | functions $fcts})"
    if [ "$JOBS" -eq 1 ]; then
        run_unit "$name" "$files" "$fcts"
    else
        while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
        run_unit "$name" "$files" "$fcts" < /dev/null &
    fi
done < "$UNITS"
wait
export PROOF_RUN_UNITS_S=$(( $(date +%s) - T_UNITS ))

# Canaries (false on purpose), PROOF_JOBS at a time like the units.
run_canary() {
    local c=$1 n extra
    n=$(basename "$c" .c)
    # a canary may name the sources it needs in a "canary-files: a.c b.c" comment line
    extra=$(sed -n 's/.*canary-files:[[:space:]]*\([^*]*\).*/\1/p' "$c" | head -1)
    # shellcheck disable=SC2086
    frama-c "$CPP" "$c" ${extra:-model/optab.c} -wp -wp-prover z3,cvc4 -wp-timeout "$TIMEOUT" -wp-par "$PAR" \
        -wp-report-json "$WORK/canaries/$n.json" > "$WORK/canaries/$n.log" 2>&1 \
        || { echo "proofs: frama-c failed on canary $n:"; tail -20 "$WORK/canaries/$n.log"; }
}
for c in proofs/canaries/*.c; do
    [ -e "$c" ] || continue
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
    run_canary "$c" < /dev/null &
done
wait

python3 proofs/gate.py "${units[@]}"
