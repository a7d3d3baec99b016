#!/usr/bin/env bash
# proofs/unit.sh — run WP on ONE unit of proofs/units (or on given files) and list what
# did not prove: the developer's loop while writing contracts.  Not the gate: `make proofs`
# (proofs/run.sh + gate.py) is what decides.  Work files go to proofs/.work-NAME so that
# several developers (or several units) can run at once without clobbering each other.
# Usage: proofs/unit.sh UNIT [extra frama-c options...]
#        proofs/unit.sh -f "files" [| selection] NAME [extra options]   (ad hoc unit)
# Environment: PROOF_TIMEOUT (default 10), PROOF_PAR (default 2), PROOF_CACHE (default update).
set -u
cd "$(dirname "$0")/.."
. proofs/timeouts.sh    # fct_timeouts, unit_timeout (proofs/timeouts)
if [ "${1:-}" = -f ]; then
    line="$3: $2"; shift 3
else
    [ $# -ge 1 ] || { echo "usage: proofs/unit.sh UNIT [frama-c options]" >&2; exit 2; }
    line=$(grep -E "^$1:" proofs/units) || { echo "proofs/unit.sh: no unit '$1' in proofs/units" >&2; exit 2; }
    shift
fi
name=${line%%:*}; rest=${line#*:}
files=${rest%%|*}; fcts=""
case "$rest" in *'|'*) fcts=$(echo "${rest#*|}" | tr -d ' ') ;; esac
WORK=proofs/.work-$name
rm -rf "$WORK"; mkdir -p "$WORK"
CACHE=${PROOF_CACHE:-update}
mkdir -p proofs/cache
export FRAMAC_WP_CACHE="$CACHE" FRAMAC_WP_CACHEDIR="$PWD/proofs/cache"
bash proofs/gen_opcodes.sh || exit 2
sel=()
case "$fcts" in
    '') ;;
    '!'*) sel=(-wp-skip-fct "${fcts#!}") ;;
    *) sel=(-wp-fct "$fcts") ;;
esac
ft=$(fct_timeouts "$files")
[ -n "$ft" ] && sel+=(-wp-fct-timeout "$ft")
sel+=(-wp-timeout "$(unit_timeout "$name" "${PROOF_TIMEOUT:-10}")")
t0=$(date +%s)
# shellcheck disable=SC2086
frama-c '-cpp-extra-args=-I. -D_POSIX_C_SOURCE=200809L' $files \
    -wp -wp-rte -warn-signed-overflow -warn-signed-downcast -wp-prover z3,cvc4 \
    -wp-timeout "${PROOF_TIMEOUT:-10}" -wp-par "${PROOF_PAR:-2}" -wp-smoke-tests \
    -wp-cache "$CACHE" -wp-cache-env "${sel[@]}" "$@" \
    -wp-report-json "$WORK/report.json" > "$WORK/log" 2>&1
rc=$?
echo "unit $name: $(( $(date +%s) - t0 )) s, frama-c exit $rc; log: $WORK/log"
grep -E '^\[wp\] Proved goals' "$WORK/log"
grep -E '^\[kernel\].*(error|Error)|user error' "$WORK/log" | head -20
grep -E -A2 '^\[wp\] \[(Failed|Timeout|Unknown|Stepout)\]' "$WORK/log" | head -80
grep -E -i 'smoke' "$WORK/log" | grep -v -i 'valid' | head -10
exit $rc
