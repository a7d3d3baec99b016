#!/usr/bin/env bash
# tests/verdicts.sh — the equivalence verdicts Popek & Goldberg predict for pgv's examples (ISA §7, §12).
#
# Sourced by tests/demo.sh (`make demo`) and tests/check_verdicts.sh (`make test`), so
# both check the same predictions.  The prediction for a profile follows from the
# theorem verdicts of ISA §7 (pg T1 yes T3 yes; popf T1 no T3 yes; jrst T1 no T3 yes;
# redpill T1 no T3 no): the plain trap-and-emulate VMM (Theorem 1) and the recursive
# stacks and multiple VMs built from it (Theorem 2) keep every program equivalent when
# T1 holds; the hybrid VMM (Theorem 3) does when T3 holds.  When a theorem's condition
# fails, P&G give no VMM — and the example written for that profile (it executes the
# offending instruction where it matters) diverges: that is the prediction checked.
# Each verdict is pgv diff's exit status (0 equivalent, 1 divergent, 2 error).
# shellcheck disable=SC2034  # (file-wide) the variables are used by the scripts sourcing it

PGV=${PGV:-bin/pgv}

# The theorem verdicts of ISA §7, per profile: "T1 T3" with y/n.
declare -A PG_THEOREMS=([pg]="y y" [popf]="n y" [jrst]="n y" [redpill]="n n")
# The instruction §7 names as the violator in each profile.
declare -A PG_VIOLATOR=([pg]="" [popf]="POPF" [jrst]="JRSTU" [redpill]="RDR")
# The example each non-pg profile is demonstrated with.
declare -A PG_EXAMPLE=([popf]="examples/popf.s" [jrst]="examples/jrst.s" [redpill]="examples/redpill.s")
PG_PROFILES="pg popf jrst redpill"
PG_EXAMPLES_ALL="examples/hello.s examples/kernel.s examples/popf.s examples/jrst.s examples/redpill.s"

# Configurations: name -> pgv diff options.
declare -A PG_CFG_OPTS=([vmm]="" [hybrid]="--hybrid" [depth2]="--depth 2" [depth3]="--depth 3" [vms4]="--vms 4")
declare -A PG_CFG_TITLE=([vmm]="VMM" [hybrid]="hybrid" [depth2]="depth 2" [depth3]="depth 3" [vms4]="4 VMs")
PG_CONFIGS="vmm hybrid depth2 depth3 vms4"

# The configurations checked per profile: pg all of them; the others the plain VMM
# (which Theorem 1 no longer covers) and the hybrid VMM (Theorem 3).
pg_configs_for() { if [ "$1" = pg ]; then echo "$PG_CONFIGS"; else echo "vmm hybrid"; fi; }
pg_examples_for() { if [ "$1" = pg ]; then echo "$PG_EXAMPLES_ALL"; else echo "${PG_EXAMPLE[$1]}"; fi; }

# Predicted verdict of (profile, config): "equivalent" or "DIVERGES".
pg_predict() {
    local t1 t3
    read -r t1 t3 <<<"${PG_THEOREMS[$1]}"
    case "$2" in
        hybrid) [ "$t3" = y ] && echo equivalent || echo DIVERGES ;;
        *)      [ "$t1" = y ] && echo equivalent || echo DIVERGES ;;
    esac
}

# Run pgv diff; sets PG_DIFF_OUT (its output) and returns its exit status.
pg_diff() {
    local profile=$1 prog=$2 cfg=$3
    # shellcheck disable=SC2086
    PG_DIFF_OUT=$("$PGV" diff "$prog" --profile "$profile" ${PG_CFG_OPTS[$cfg]} 2>&1)
}

pg_verdict_of() {   # exit status -> verdict word
    case "$1" in 0) echo equivalent ;; 1) echo DIVERGES ;; *) echo "ERROR($1)" ;; esac
}
