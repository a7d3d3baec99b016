#!/usr/bin/env bash
# tests/check_diff.sh — `pgv diff` end to end (spec/VMM.md §12): exit codes, verdicts and
# output on examples/*.s (the P&G verdict of each example under the plain and hybrid
# VMM, depths 1..4, several VMs), the first divergent step and its disassembly, --json
# parseability and consistency (python3 -m json.tool), and usage/input errors (exit 2).
set -u
cd "$(dirname "$0")/.."
PGV=bin/pgv
fails=0; checks=0
ok()   { checks=$((checks + 1)); }
bad()  { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# expect RC ARGS...: run pgv diff ARGS and check its exit status
expect() {
    local want=$1; shift
    "$PGV" diff "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else bad "pgv diff $* -> exit $rc, expected $want"; sed 's/^/    /' "$tmp/err" | head -5; fi
}

[ -x "$PGV" ] || { echo "FAIL: $PGV not built"; exit 1; }

# --- verdicts on the examples (skipped if an example is not there) --------------------
have() { [ -f "examples/$1" ]; }
if have popf.s; then
    expect 0 examples/popf.s --profile pg
    expect 1 examples/popf.s --profile popf
    grep -q '^verdict: DIVERGENT' "$tmp/out" && ok || bad "popf.s: no DIVERGENT verdict line"
    grep -Eq '^first divergent step: [0-9]+' "$tmp/out" && ok || bad "popf.s: no first divergent step"
    grep -Eq 'instruction at P 0x[0-9A-F]{8} .*POPF' "$tmp/out" && ok || bad "popf.s: divergent instruction is not the POPF"
    grep -q '^\* ie ' "$tmp/out" && ok || bad "popf.s: side-by-side does not mark ie"
    expect 0 examples/popf.s --profile popf --hybrid
    grep -q '^verdict: EQUIVALENT' "$tmp/out" && ok || bad "popf.s hybrid: no EQUIVALENT verdict"
    expect 0 examples/popf.s --profile popf --hybrid --depth 3 --vms 2
fi
if have jrst.s; then
    expect 0 examples/jrst.s --profile pg
    expect 1 examples/jrst.s --profile jrst
    grep -Eq 'instruction at P .*JRSTU' "$tmp/out" && ok || bad "jrst.s: divergent instruction is not the JRSTU"
    expect 0 examples/jrst.s --profile jrst --hybrid
    expect 0 examples/jrst.s --profile jrst --hybrid --depth 2
fi
if have redpill.s; then
    expect 0 examples/redpill.s --profile pg
    expect 1 examples/redpill.s --profile redpill
    expect 1 examples/redpill.s --profile redpill --hybrid
    grep -Eq 'instruction at P .*RDR' "$tmp/out" && ok || bad "redpill.s hybrid: divergent instruction is not the RDR"
fi
n=0
for f in examples/*.s; do
    [ -f "$f" ] || continue
    # every example is equivalent in profile pg: plain, hybrid, depth 1..4, several VMs
    for d in 1 2 3 4; do
        expect 0 "$f" --depth "$d"
        expect 0 "$f" --depth "$d" --hybrid --vms 3 --slice 5
    done
    expect 0 "$f" --vms 8 --slice 1
    grep -q '^resource control: ok' "$tmp/out" && ok || bad "$f: resource control line"
    grep -Eq '^  VM 7: [0-9]+ guest steps: direct' "$tmp/out" && ok || bad "$f: no counters for VM 7"
    # --json: one object per run, checked all at once below (python starts slowly)
    for prof in pg popf jrst redpill; do
        for hy in "" --hybrid; do
            n=$((n + 1))
            "$PGV" diff "$f" --profile "$prof" $hy --json >"$tmp/j$n.json" 2>"$tmp/err"
            echo "$? $f $prof $hy" >"$tmp/j$n.rc"
        done
    done
done
# parseable by python3 -m json.tool (one of them through the tool itself), and each
# consistent: keys, verdict vs exit status, first divergent step, counters add up
if [ "$n" -gt 0 ]; then
    python3 -m json.tool "$tmp/j1.json" >/dev/null 2>&1 && ok || bad "--json not parseable by json.tool"
    python3 - "$tmp" "$n" <<'EOF2' && ok || bad "--json outputs inconsistent"
import json, sys
tmp, n = sys.argv[1], int(sys.argv[2])
bad = 0
for i in range(1, n + 1):
    rc, *what = open(f"{tmp}/j{i}.rc").read().split()
    rc = int(rc)
    try:
        d = json.load(open(f"{tmp}/j{i}.json"))
        for k in ("verdict", "equivalent", "rc_ok", "first_divergent_step", "mismatches", "counters"):
            assert k in d, k
        assert (rc == 0) == (d["equivalent"] and d["rc_ok"]), "exit status vs verdict"
        assert d["verdict"] == ("equivalent" if d["equivalent"] and d["rc_ok"] else
                                "divergent" if not d["equivalent"] else "resource-control-violated")
        if d["equivalent"]:
            assert d["first_divergent_step"] is None and d["mismatches"] == []
        else:
            assert isinstance(d["first_divergent_step"], int) and d["first_divergent_step"] >= 1
            assert len(d["mismatches"]) >= 1
            assert d["divergence"]["at"]["step"] == d["first_divergent_step"]
        t = d["counters"]["total"]
        assert t["guest_steps"] == t["direct"] + t["emulated"] + t["interpreted"] + t["reflected"]
        assert t["guest_steps"] == sum(v["steps"] for v in d["vm"])
    except Exception as e:
        print("FAIL: --json", " ".join(what), "exit", rc, ":", repr(e))
        bad += 1
sys.exit(1 if bad else 0)
EOF2
fi

# --- usage and input errors: exit 2 -----------------------------------------------------
expect 2
expect 2 --no-such-option examples/hello.s
expect 2 /nonexistent/prog.s
f=$(ls examples/*.s 2>/dev/null | head -1)
if [ -n "$f" ]; then
    expect 2 "$f" --depth 0
    expect 2 "$f" --depth 5
    expect 2 "$f" --vms 0
    expect 2 "$f" --vms 9
    expect 2 "$f" --profile nosuch
    expect 2 "$f" --budget
    expect 2 "$f" --slice -1
    expect 2 "$f" "$f"
fi
printf 'HALT\n  BOGUS r1\n' >"$tmp/bad.s"
expect 2 "$tmp/bad.s"
"$PGV" diff --help >"$tmp/out" 2>&1 && grep -q 'usage: pgv diff' "$tmp/out" && ok || bad "pgv diff --help"

# --- a budget cut: equivalent at a small budget, and the verdict reports BUDGET -------------
if have kernel.s; then
    for b in 0 1 2 3 10 100 333; do expect 0 examples/kernel.s --budget "$b" --vms 2 --depth 2; done
    grep -q 'stopped by budget' "$tmp/out" && ok || bad "kernel.s --budget: stop reason"
fi

echo "check_diff: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
