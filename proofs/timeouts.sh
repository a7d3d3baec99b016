# proofs/timeouts.sh — sourced by proofs/run.sh and proofs/unit.sh (from the project
# root): the prover timeouts of proofs/timeouts as WP options, in one place.
# fct_timeouts FILES: "f1:t1,f2:t2" for -wp-fct-timeout, only for the functions
# DEFINED in FILES (WP rejects a function it has no body for: a call, as
# proofs/witness/witness.c's calls of pgv_step, must not count).  A definition's first
# line starts in column 0 and has no ';' (a prototype or a call has one).
fct_timeouts() {
    local fn t out=""
    while read -r fn t _; do
        case "$fn" in ''|'#'*|unit:*) continue ;; esac
        # shellcheck disable=SC2086
        grep -qE "^[A-Za-z_][^;]*[^A-Za-z0-9_]$fn\([^;]*\$" $1 2>/dev/null &&
            out="$out${out:+,}$fn:$t"
    done < proofs/timeouts
    echo "$out"
}
# unit_timeout NAME DEFAULT: the unit's own timeout ("unit:NAME seconds"), else DEFAULT.
unit_timeout() {
    awk -v u="unit:$1" -v d="$2" '$1 == u { t = $2 } END { print (t ? t : d) }' proofs/timeouts
}
