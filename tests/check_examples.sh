#!/usr/bin/env bash
# tests/check_examples.sh — every program in examples/ does what its header says.
#
# Each examples/*.s must assemble, round-trip through disasm (assembling the
# disassembly gives a byte-identical image file), and HALT natively within the default
# budget on profile pg and, for popf/jrst/redpill.s, on its own profile.  kernel.s must
# print both tasks' words (interleaved by preemption) and the fault marker, and halt.
# The counterexamples must show the divergences their headers describe (ISA §7,
# P&G Theorems 1 and 3): on their own profile the plain trap-and-emulate VMM diverges
# from the native output, the hybrid VMM is equivalent for popf.s and jrst.s and still
# diverges for redpill.s; on profile pg every example is equivalent under both VMMs.
set -u
cd "$(dirname "$0")/.."
PGV=bin/pgv
T=$(mktemp -d /tmp/pgv_check_examples.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# The output words of a run, one "out[i] = ..." line each, plus the stop reason.
outwords() { "$PGV" run "$@" 2>&1 | grep -E '^    out\[|stopped by' | sed -E 's/^pgv run .*(stopped by [a-z]+).*/\1/; s/^VM 0.*(stopped by [a-z]+).*/\1/'; }

n=0
for f in examples/*.s; do
    n=$((n + 1))
    name=$(basename "$f" .s)
    head -1 "$f" | grep -q "^; examples/$name.s — " && ok || bad "$f: no header comment naming the file"
    grep -q "Run it:" "$f" && ok || bad "$f: header does not say how to run it"
    if "$PGV" asm "$f" -o "$T/$name.img" 2>"$T/err"; then ok; else bad "$f does not assemble: $(cat "$T/err")"; continue; fi
    "$PGV" disasm "$T/$name.img" > "$T/$name.dis.s" && "$PGV" asm "$T/$name.dis.s" -o "$T/$name.dis.img" \
        && cmp -s "$T/$name.img" "$T/$name.dis.img" && ok || bad "$f: disasm/asm round trip differs"
    profiles=pg
    case $name in popf|jrst|redpill) profiles="pg $name" ;; esac
    for p in $profiles; do
        out=$("$PGV" run "$f" --profile "$p" 2>&1)
        echo "$out" | grep -q "stopped by halt" && ok || bad "$f does not halt natively on profile $p"
        echo "$out" | grep -q "halted  yes" && ok || bad "$f: final state not halted on profile $p"
        a=$("$PGV" run "$T/$name.img" --profile "$p" 2>&1 | tail -n +2)
        [ "$a" = "$(echo "$out" | tail -n +2)" ] && ok || bad "$f: the image runs differently from the source ($p)"
    done
done
[ "$n" -ge 5 ] && ok || bad "expected at least 5 examples, found $n"
for e in hello kernel popf jrst redpill; do
    [ -f "examples/$e.s" ] && ok || bad "examples/$e.s is missing"
done

# hello.s prints its greeting
"$PGV" run examples/hello.s | grep -q 'text "Hello, pgv!\\n"' && ok || bad "hello.s does not print Hello, pgv!"

# kernel.s: both tasks' words, the fault marker, halt
k=$("$PGV" run examples/kernel.s)
echo "$k" | grep -q "stopped by halt" && ok || bad "kernel.s does not halt"
text=$(echo "$k" | sed -n 's/.*text "\(.*\)"$/\1/p')
for c in a b c d e f A B C D '!'; do
    case $text in *"$c"*) ok ;; *) bad "kernel.s output '$text' lacks task word '$c'" ;; esac
done
# interleaved: some word of task B (upper case) comes before the last word of task A
case $text in *[A-D]*f*) ok ;; *) bad "kernel.s output '$text' is not interleaved" ;; esac
# task B is killed before it could print a 5th letter, and B's fault shows after its D
case $text in *E*) bad "kernel.s: task B printed past its fault" ;; *) ok ;; esac
case $text in *D*'!'*) ok ;; *) bad "kernel.s: the fault marker does not follow task B's last word" ;; esac
echo "$k" | grep -q "  timer" && ok || bad "kernel.s: no state printed"
# the trace shows the preemptions, the system calls and the fault
tr=$("$PGV" run examples/kernel.s --trace)
echo "$tr" | grep -q "TRAP TIMER" && ok || bad "kernel.s: no timer preemption in the trace"
echo "$tr" | grep -q "TRAP SVC" && ok || bad "kernel.s: no SVC in the trace"
echo "$tr" | grep -q "TRAP BOUNDS" && ok || bad "kernel.s: no bounds fault in the trace"

# The counterexamples (§7).  same/differs NATIVE-ARGS -- VMM-ARGS
same() { local a b; a=$(outwords "$1" --profile "$2"); b=$(outwords "$1" --profile "$2" --vmm $3)
         [ -n "$a" ] && [ "$a" = "$b" ] && ok || bad "$1 --profile $2: --vmm $3 should be equivalent"; }
differs() { local a b; a=$(outwords "$1" --profile "$2"); b=$(outwords "$1" --profile "$2" --vmm $3)
         [ -n "$a" ] && [ "$a" != "$b" ] && ok || bad "$1 --profile $2: --vmm $3 should diverge"; }
for f in examples/*.s; do
    same "$f" pg ""
    same "$f" pg "--hybrid"
done
differs examples/popf.s popf ""
same    examples/popf.s popf "--hybrid"
differs examples/jrst.s jrst ""
same    examples/jrst.s jrst "--hybrid"
differs examples/redpill.s redpill ""
differs examples/redpill.s redpill "--hybrid"
# and what the headers promise natively
"$PGV" run examples/popf.s --profile popf | grep -q "out\[0\] = 0x00000054 .* 'T'" && ok || bad "popf.s: no timer tick natively"
"$PGV" run examples/popf.s --profile popf --vmm | grep -q "out\[0\] = 0x0000004E .* 'N'" && ok || bad "popf.s: the plain VMM should lose the tick"
"$PGV" run examples/jrst.s --profile jrst | grep -q 'text "K!1"' && ok || bad "jrst.s: native output is not K!1"
"$PGV" run examples/jrst.s --profile jrst --vmm | grep -q 'text "Ku"' && ok || bad "jrst.s: plain VMM output is not Ku"
r=$("$PGV" run examples/redpill.s --profile redpill --json)
echo "$r" | grep -q '"out":\[0,65536,256,32\]' && ok || bad "redpill.s: native output is not l, b of kernel and task"

echo "check_examples: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
