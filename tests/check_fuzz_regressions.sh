#!/usr/bin/env bash
# tests/check_fuzz_regressions.sh — replays every kept fuzzer input in fuzz/regressions/ (run by `make test`).
#
# Each input NAME.pgvf has a note NAME.note whose `expect:` line says what must hold:
#   expect: equivalent   a divergence the fuzzer found that has been FIXED: it must stay
#                        fixed (pgv replay exits 0);
#   expect: divergent    evidence of an unvirtualizable profile (Theorem 1/3 conditions
#                        false): it must still diverge (exit 1).
# and whose `flags:` line gives the fixed campaign options for `pgv replay` (--profile,
# --vmm, --depth, --vms, --budget).  Any other exit status (2, a crash, a sanitizer
# report) fails.  Takes well under a second per input.
set -u
cd "$(dirname "$0")/.."
PGV=bin/pgv
DIR=fuzz/regressions
[ -x "$PGV" ] || { echo "FAIL: $PGV not built"; exit 1; }
pass=0; fail=0
shopt -s nullglob
for f in "$DIR"/*.pgvf; do
    note="${f%.pgvf}.note"
    name=$(basename "$f")
    if [ ! -f "$note" ]; then
        echo "FAIL $name: no note ${note#$DIR/} (needs 'expect:' and 'flags:' lines)"; fail=$((fail + 1)); continue
    fi
    expect=$(sed -n 's/^expect:[[:space:]]*//p' "$note" | head -1 | tr -d '[:space:]')
    flags=$(sed -n 's/^flags:[[:space:]]*//p' "$note" | head -1)
    case "$expect" in
        equivalent) want=0 ;;
        divergent)  want=1 ;;
        *) echo "FAIL $name: note has no valid 'expect: equivalent|divergent'"; fail=$((fail + 1)); continue ;;
    esac
    # shellcheck disable=SC2086
    out=$(timeout 60 "$PGV" replay "$f" $flags --quiet 2>&1); rc=$?
    if [ "$rc" -eq "$want" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: pgv replay $flags -> exit $rc, expected $want ($expect)"
        echo "$out" | head -30 | sed 's/^/    /'
    fi
done
# `pgv replay` itself: usage and input errors exit 2, never crash
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'short' > "$tmp/short"
check_rc() {   # check_rc WANT ARGS...
    local want=$1; shift
    "$PGV" replay "$@" >/dev/null 2>&1; local rc=$?
    if [ "$rc" -eq "$want" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL pgv replay $* -> exit $rc, expected $want"; fi
}
check_rc 0 --help
check_rc 2
check_rc 2 "$tmp/short"
check_rc 2 "$tmp/missing"
check_rc 2 "$tmp/short" --profile nosuch
check_rc 2 "$tmp/short" --depth 9
head -c 44 /dev/zero > "$tmp/header"
check_rc 0 "$tmp/header" --profile pg
echo "regressions: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
