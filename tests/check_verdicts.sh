#!/usr/bin/env bash
# tests/check_verdicts.sh — the test suite checks the theory's predictions (ISA §7, §12), by exit codes.
#
# Run by `make test` (tests/run.sh).  Asserts: `pgv classify` derives exactly the
# manual's table in every profile (exit 0) with the theorem verdicts of ISA §7 and the
# named violators (from --json); and `pgv diff` gives the verdicts P&G predict
# (tests/verdicts.sh): profile pg — every example equivalent under the VMM, the hybrid
# VMM, depth 2 and 3 and 4 VMs (exit 0); popf, jrst — their example diverges under the
# plain VMM (exit 1) and is equivalent under the hybrid VMM (exit 0); redpill — divergent
# under both; resource control intact in every run.  Also the usage-error exit status 2
# of both commands.  Prints one line per
# check and "N checks, N failed"; exits 1 on any failure.
set -u
cd "$(dirname "$0")/.." || exit 2
. tests/verdicts.sh
n=0; failed=0
check() {   # check DESCRIPTION EXPECTED_RC ACTUAL_RC
    n=$((n + 1))
    if [ "$2" = "$3" ]; then echo "ok   $1"
    else echo "FAIL $1: got $3, expected $2"; failed=$((failed + 1)); fi
}

# --- pgv classify: derived == table (exit 0), and the theorem verdicts of §7 ---------
"$PGV" classify --samples 500 >/dev/null; check "pgv classify (all profiles) == manual" 0 $?
for p in $PG_PROFILES; do
    json=$("$PGV" classify --profile "$p" --json --samples 500)
    check "pgv classify --profile $p --json == manual" 0 $?
    read -r t1 t3 <<<"${PG_THEOREMS[$p]}"
    for th in 1 3; do
        want=$([ "$([ $th = 1 ] && echo "$t1" || echo "$t3")" = y ] && echo true || echo false)
        got=$(echo "$json" | grep -o "\"theorem$th\":[a-z]*" | head -1 | cut -d: -f2)
        check "classify: $p Theorem $th $([ "$want" = true ] && echo holds || echo fails)" \
            "$want" "${got:-missing}"
    done
    # the Theorem 1 violator named in the JSON is exactly §7's instruction
    v=$(echo "$json" | grep -o '"violations":{"theorem1":\[{"instruction":"[A-Z]*"' |
        grep -o '[A-Z]*"$' | tr -d '"')
    check "classify: $p Theorem 1 violator '${PG_VIOLATOR[$p]}'" "${PG_VIOLATOR[$p]}" "$v"
    v=$(echo "$json" | grep -o '"theorem3":\[{"instruction":"[A-Z]*"' | grep -o '[A-Z]*"$' | tr -d '"')
    check "classify: $p Theorem 3 violator '$([ "$t3" = y ] || echo "${PG_VIOLATOR[$p]}")'" \
        "$([ "$t3" = y ] || echo "${PG_VIOLATOR[$p]}")" "$v"
done
"$PGV" classify --profile nosuch >/dev/null 2>&1; check "pgv classify bad profile -> usage error" 2 $?

# --- pgv diff: the predicted equivalence verdicts --------------------------------------
for p in $PG_PROFILES; do
    for cfg in $(pg_configs_for "$p"); do
        want=$(pg_predict "$p" "$cfg")
        for prog in $(pg_examples_for "$p"); do
            if [ ! -f "$prog" ]; then check "diff $prog: file exists" 0 1; continue; fi
            pg_diff "$p" "$prog" "$cfg"; rc=$?
            check "diff $(basename "$prog") --profile $p ${PG_CFG_OPTS[$cfg]}: $want" \
                "$([ "$want" = equivalent ] && echo 0 || echo 1)" "$rc"
            [ "$rc" -le 1 ] || echo "     $(echo "$PG_DIFF_OUT" | head -2 | tr '\n' ' ')"
            # exit 1 also means "resource control violated": a divergence must be one, and
            # the VMM must keep control of the resources in every case
            if [ "$rc" = 1 ]; then
                echo "$PG_DIFF_OUT" | grep -q "verdict: DIVERGENT"
                check "  ... and pgv diff reports a divergence" 0 $?
            fi
            echo "$PG_DIFF_OUT" | grep -q "resource control: ok"
            check "  ... with resource control intact" 0 $?
        done
    done
done
"$PGV" diff >/dev/null 2>&1; check "pgv diff without a program -> usage error" 2 $?

echo "$n checks, $failed failed"
[ $failed = 0 ]
