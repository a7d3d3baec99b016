#!/usr/bin/env bash
# tests/demo.sh — `make demo`: the first thing to run; pgv and Popek & Goldberg in one screen.
#
# 1. the reference machine runs examples/hello.s and examples/kernel.s natively (ISA §8);
# 2. `pgv classify` derives, by running the machine, which instructions are sensitive
#    and which privileged, and decides Theorems 1 and 3 for every profile (ISA §7);
# 3. `pgv diff` runs each example natively and virtualized and compares the complete
#    final states (ISA §12): profile pg — every example equivalent under the VMM, the
#    hybrid VMM, stacks of depth 2 and 3 and 4 VMs; popf and jrst — their example
#    diverges under the plain VMM and is equivalent under the hybrid one; redpill —
#    divergent under both.
# Ends with a verdict table (profile x configuration) against P&G's predictions
# (tests/verdicts.sh) and exits 1 if any verdict contradicts them.
set -u
cd "$(dirname "$0")/.." || exit 2
. tests/verdicts.sh

bad=0
h() { printf '\n== %s\n' "$1"; }

echo "pgv demo — Popek & Goldberg (1974), \"Formal Requirements for Virtualizable Third"
echo "Generation Architectures\", as a machine you can run.  Manual: spec/ISA.md."

h "1. The reference machine runs programs natively (ISA §8)"
for f in examples/hello.s examples/kernel.s; do
    echo "\$ $PGV run $f"
    if ! out=$("$PGV" run "$f" 2>&1); then
        echo "$out" | sed 's/^/    /' | head -5
        echo "    ERROR: pgv run failed"
        bad=1
        continue
    fi
    first=$(echo "$out" | head -1 | sed 's/^[^:]*: *//')
    text=$(echo "$out" | sed -n 's/^ *output .*text \(".*"\)$/\1/p' | head -1)
    echo "    $first"
    [ -n "$text" ] && echo "    output: $text"
done

h "2. Sensitive vs privileged, derived by running the machine (pgv classify, ISA §7)"
echo "    each instruction stepped from thousands of generated states per profile;"
echo "    T1: sensitive ⊆ privileged (a VMM exists)   T3: user-sensitive ⊆ privileged (a hybrid VMM exists)"
cls=$("$PGV" classify 2>&1); crc=$?
echo "$cls" | sed -n '/^verdicts/,/^$/p' | sed '1d;/^$/d' | sed 's/  (the manual.*//; s/ *$//; s/^  /    /'
case $crc in
    0) echo "    derived classification == the manual's table (spec/opcodes.def) in all 4 profiles" ;;
    1) echo "    DISAGREEMENT with the manual's table:"; echo "$cls" | grep -E 'derived (yes|no), table' | sed 's/^/    /'; bad=1 ;;
    *) echo "    ERROR: pgv classify failed:"; echo "$cls" | head -5 | sed 's/^/    /'; bad=1 ;;
esac
declare -A derived_ok derived_th
for p in $PG_PROFILES; do
    line=$(echo "$cls" | grep -E "^  $p +Theorem 1" | head -1)
    d1=$([[ "$line" == *"Theorem 1 holds"* ]] && echo yes || echo no)
    d3=$([[ "$line" == *"Theorem 3 holds"* ]] && echo yes || echo no)
    derived_th[$p]="$d1 / $d3"
    read -r t1 t3 <<<"${PG_THEOREMS[$p]}"
    want1=$([ "$t1" = y ] && echo "Theorem 1 holds" || echo "Theorem 1 FAILS (${PG_VIOLATOR[$p]})")
    want3=$([ "$t3" = y ] && echo "Theorem 3 holds" || echo "Theorem 3 FAILS (${PG_VIOLATOR[$p]})")
    if [[ "$line" == *"$want1"* && "$line" == *"$want3"* ]]; then derived_ok[$p]=yes
    else derived_ok[$p]=NO; bad=1; fi
done
echo "    (full table and witnesses: $PGV classify;  --json for programs)"

h "3. Equivalence: native vs virtualized, complete final states compared (pgv diff, ISA §12)"
declare -A cell
for p in $PG_PROFILES; do
    for prog in $(pg_examples_for "$p"); do
        line=$(printf '    %-8s %-10s' "$p" "$(basename "$prog")")
        notes=()
        for cfg in $(pg_configs_for "$p"); do
            if [ ! -f "$prog" ]; then v="ERROR(missing)"
            else
                pg_diff "$p" "$prog" "$cfg"; v=$(pg_verdict_of $?)
                if [ "$v" = DIVERGES ]; then   # where: pgv diff's first divergent step
                    step=$(echo "$PG_DIFF_OUT" | sed -n 's/^first divergent step: \([0-9]*\).*/\1/p' | head -1)
                    insn=$(echo "$PG_DIFF_OUT" | sed -n 's/^ *instruction at P.*: [0-9A-Fa-f]\{8\} *//p' | head -1 | tr -s ' ')
                    fld=$(echo "$PG_DIFF_OUT" | sed -n 's/^\* *\([a-z_0-9]*\) *\([^ ]*\) *\([^ ]*\).*/\1 \2 (native) vs \3/p' | head -2 | paste -sd, - | sed 's/,/, /g')
                    notes+=("${PG_CFG_TITLE[$cfg]} diverges at step ${step:-?}: ${insn:-?} -> ${fld:-?}")
                elif [ "$v" != equivalent ]; then
                    notes+=("${PG_CFG_TITLE[$cfg]}: $(echo "$PG_DIFF_OUT" | head -1)")
                fi
            fi
            # the cell of the verdict table: the worst verdict over the profile's programs
            old=${cell[$p,$cfg]:-}
            if [ -z "$old" ] || { [ "$old" = equivalent ] && [ "$v" != equivalent ]; } ||
               [[ "$v" == ERROR* ]]; then cell[$p,$cfg]=$v; fi
            line+="  ${PG_CFG_TITLE[$cfg]} $([ "$v" = equivalent ] && echo equiv || echo "$v")"
        done
        echo "$line"
        for n in "${notes[@]}"; do echo "                        $n"; done
    done
done

h "Verdicts (pgv diff) against Popek & Goldberg's predictions"
printf '  %-8s %-11s' profile program
for cfg in $PG_CONFIGS; do printf ' %-10s' "${PG_CFG_TITLE[$cfg]}"; done
printf ' %-14s %s\n' "T1 / T3" "as predicted?"
for p in $PG_PROFILES; do
    if [ "$p" = pg ]; then prog="5 examples"; else prog=$(basename "${PG_EXAMPLE[$p]}"); fi
    printf '  %-8s %-11s' "$p" "$prog"
    ok=yes
    for cfg in $PG_CONFIGS; do
        v=${cell[$p,$cfg]:-}
        if [ -z "$v" ]; then printf ' %-10s' "-"; continue; fi
        want=$(pg_predict "$p" "$cfg")
        [ "$v" = "$want" ] || ok=NO
        printf ' %-10s' "$([ "$v" = equivalent ] && echo equiv || echo "$v")"
    done
    [ "${derived_ok[$p]}" = yes ] || ok=NO
    printf ' %-14s %s\n' "${derived_th[$p]}" "$ok"
    [ "$ok" = yes ] || bad=1
done
echo "  equiv: every final state equals the native one.  T1 / T3: the theorem's condition holds,"
echo "  as derived by pgv classify.  Prediction: VMM, depth 2/3 and 4 VMs equivalent iff T1"
echo "  holds (Theorems 1, 2), hybrid iff T3 holds (Theorem 3); each non-pg example executes"
echo "  its profile's violating instruction.  as predicted: theorems as ISA §7 states, and"
echo "  every verdict as predicted."
echo "  next: $PGV classify | $PGV diff examples/popf.s --profile popf | spec/ISA.md §7"
if [ $bad = 0 ]; then echo; echo "every verdict is as Popek & Goldberg predict."
else echo; echo "SOME VERDICT CONTRADICTS THE PREDICTION (see above)."; fi
exit $bad
