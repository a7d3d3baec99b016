#!/usr/bin/env bash
# tests/run.sh — runs every cmocka test binary given, then the shell-level checks
# (examples, CLI errors, regressions), and prints one closing line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
pass=0; fail=0; failed=()
for t in "$@"; do
    echo "== $t"
    out=$("$t" 2>&1); rc=$?
    echo "$out" | grep -E '^\[  (PASSED|FAILED) \]|^\[  FAILED  \]|^\[==========\]' | tail -3
    p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
    if [ $rc -ne 0 ]; then
        [ -z "$f" ] && fail=$((fail + 1))
        failed+=("$t"); echo "$out" | tail -40
    fi
done
for s in tests/check_*.sh; do
    [ -x "$s" ] || continue
    echo "== $s"
    if out=$("$s" 2>&1); then pass=$((pass + 1)); echo "$out" | tail -2
    else fail=$((fail + 1)); failed+=("$s"); echo "$out" | tail -40; fi
done
[ ${#failed[@]} -gt 0 ] && echo "failing: ${failed[*]}"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
