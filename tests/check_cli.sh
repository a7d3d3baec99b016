#!/usr/bin/env bash
# tests/check_cli.sh — the `pgv` command line: asm, disasm, run, table (README §Usage).
#
# Usage and input errors must give exit status 2 and a message on stderr (unknown
# command or option, missing file, bad profile, bad number, truncated or foreign
# image, bad input tape, assembler errors as file:line:col); every command answers
# --help with status 0; the image written by `pgv asm` runs exactly like its source;
# --input, --budget, --json, --trace and the VMM options behave as documented; `pgv
# table` is deterministic and its Theorem 1 / Theorem 3 verdicts are the manual's (§7).
set -u
cd "$(dirname "$0")/.."
PGV=bin/pgv
T=$(mktemp -d /tmp/pgv_check_cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect STATUS PATTERN CMD...: exit status STATUS and PATTERN (grep -E) in stdout+stderr
expect() {
    local want=$1 pat=$2; shift 2
    local out rc
    out=$("$@" 2>&1); rc=$?
    if [ "$rc" -ne "$want" ]; then bad "$* -> exit $rc, expected $want"; echo "$out" | head -5; return; fi
    if [ -n "$pat" ] && ! echo "$out" | grep -qE -- "$pat"; then
        bad "$* -> output lacks /$pat/"; echo "$out" | head -5; return; fi
    ok
}

cat > "$T/p.s" <<'S'
; reads two numbers, prints their sum twice
        .org 0x10
start:  IN    r1
        IN    r2
        ADD   r3, r1, r2
        OUT   r3
        OUT   r3
        HALT
S
printf '40, 2  # the operands\n' > "$T/tape"
printf '1\n2 zz\n' > "$T/badtape"
printf 'NOP\nADD r1, r2\n' > "$T/err.s"

# --- usage errors: exit 2 with a message
expect 2 "usage: pgv"                 $PGV
expect 2 "unknown command 'bogus'"    $PGV bogus
expect 0 "commands:"                  $PGV --help
for c in asm disasm run table; do
    expect 0 "usage: pgv $c"          $PGV $c --help
    expect 0 "usage: pgv $c"          $PGV $c -h
    expect 2 "unknown option '--bogus'" $PGV $c --bogus
done
expect 2 "missing program file"       $PGV run
expect 2 "missing input file"         $PGV asm
expect 2 "missing input file"         $PGV disasm
expect 2 "cannot open"                $PGV run "$T/nonexistent.s"
expect 2 "cannot open"                $PGV run "$T/nonexistent.img"
expect 2 "cannot open"                $PGV asm "$T/nonexistent.s" -o "$T/x.img"
expect 2 "unknown profile 'x86'"      $PGV run "$T/p.s" --profile x86
expect 2 "bad number 'ten' for --budget" $PGV run "$T/p.s" --budget ten
expect 2 "bad number '-1' for --budget"  $PGV run "$T/p.s" --budget -1
expect 2 "bad number '8' for --mem"   $PGV run "$T/p.s" --mem 8
expect 2 "bad number '268435457' for --mem" $PGV run "$T/p.s" --mem 268435457
expect 2 "bad number '0' for --vms"   $PGV run "$T/p.s" --vmm --vms 0
expect 2 "bad number '9' for --vms"   $PGV run "$T/p.s" --vmm --vms 9
expect 2 "needs a value"              $PGV run "$T/p.s" --budget
expect 2 "needs a value"              $PGV asm "$T/p.s" -o
expect 2 "unexpected argument"        $PGV run "$T/p.s" "$T/p.s"
expect 2 "--vms needs --vmm"          $PGV run "$T/p.s" --vms 2
expect 2 "--hybrid needs --vmm"       $PGV run "$T/p.s" --hybrid
expect 2 "not available with --vmm"   $PGV run "$T/p.s" --vmm --trace
expect 2 "does not fit in storage of 16 words" $PGV run "$T/p.s" --mem 16
expect 2 "unknown table 'opcodes'"    $PGV table opcodes
expect 2 "err.s:2:11: error: missing operand: ADD takes rd, rs, rt" $PGV asm "$T/err.s" -o "$T/err.img"
expect 2 "err.s:2:11: error: missing operand" $PGV run "$T/err.s"
expect 2 "badtape:2: bad number 'zz'" $PGV run "$T/p.s" --input "$T/badtape"
expect 2 "cannot open"                $PGV run "$T/p.s" --input "$T/nonexistent.tape"
[ ! -e "$T/err.img" ] && ok || bad "a failed asm left an output file"

# --- images: asm writes one, disasm/run read it; damaged images are refused
expect 0 ""                           $PGV asm "$T/p.s" -o "$T/q.img"
expect 0 ""                           $PGV asm "$T/p.s"          # default: p.img beside it
[ -s "$T/p.img" ] && cmp -s "$T/p.img" "$T/q.img" && ok || bad "asm -o and the default output differ"
head -c 4 "$T/p.img" | grep -q PGVI && ok || bad "image does not start with PGVI"
head -c 30 "$T/p.img" > "$T/trunc.img"
expect 2 "truncated image"            $PGV run "$T/trunc.img"
expect 2 "truncated image"            $PGV disasm "$T/trunc.img"
head -c 10 "$T/p.img" > "$T/short.img"
expect 2 "header alone needs 20"      $PGV run "$T/short.img"
{ cat "$T/p.img"; printf 'xxxx'; } > "$T/long.img"
expect 2 "trailing bytes"             $PGV run "$T/long.img"
printf 'ELF!0000000000000000' > "$T/foreign.img"
expect 2 "not a pgv image"            $PGV disasm "$T/foreign.img"
cp "$T/p.s" "$T/p.txt"
expect 2 "not a pgv image"            $PGV run "$T/p.txt"

# --- run: the image behaves exactly like its source
a=$($PGV run "$T/p.s" --input "$T/tape" 2>&1 | tail -n +2)
b=$($PGV run "$T/p.img" --input "$T/tape" 2>&1 | tail -n +2)
[ -n "$a" ] && [ "$a" = "$b" ] && ok || bad "run p.s and run p.img differ"
expect 0 "stopped by halt after 6 steps" $PGV run "$T/p.s" --input "$T/tape"
expect 0 "r0-r3   0x00000000 0x00000028 0x00000002 0x0000002A" $PGV run "$T/p.s" --input "$T/tape"
expect 0 "input   2 of 2 words read"     $PGV run "$T/p.s" --input "$T/tape"
expect 0 "output  2 words \(first 1 kept" $PGV run "$T/p.s" --input "$T/tape" --out-cap 1
expect 0 "stopped by budget after 3 steps" $PGV run "$T/p.s" --budget 3
expect 0 "0xFFFFFFFF 0xFFFFFFFF 0xFFFFFFFE" $PGV run "$T/p.s"    # empty tape: IN gives -1
expect 0 '"stop":"halt".*"out":\[42,42\]' $PGV run "$T/p.s" --input "$T/tape" --json
expect 0 '^\{"program":'                 $PGV run "$T/p.s" --json --profile=redpill
if command -v python3 >/dev/null; then
    $PGV run "$T/p.s" --input "$T/tape" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["state"]["out"]==[42,42] and d["stop"]=="halt"' \
        && ok || bad "run --json is not the expected JSON"
    $PGV run "$T/p.s" --vmm --vms 2 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["vm"])==2 and d["rc_violations"]==0' \
        && ok || bad "run --vmm --json is not the expected JSON"
fi
n=$($PGV run "$T/p.s" --input "$T/tape" --trace | grep -cE '^ +[0-9]+  [su] [0-9A-F]{8}  ')
[ "$n" = 6 ] && ok || bad "--trace printed $n step lines, expected 6"
expect 0 "out\+=0x2A"                    $PGV run "$T/p.s" --input "$T/tape" --trace
n=$($PGV run "$T/p.s" --trace --json 2>/dev/null | grep -c '')
[ "$n" = 1 ] && ok || bad "--trace --json: stdout should be the JSON line only"
expect 0 "trap-and-emulate VMM.*2 VMs"   $PGV run "$T/p.s" --vmm --vms 2
expect 0 "resource control: ok"          $PGV run "$T/p.s" --vmm --input "$T/tape"
expect 0 "executed directly"             $PGV run "$T/p.s" --vmm --hybrid --slice 5 --depth 2

# --- disasm | asm reproduces the image
$PGV disasm "$T/p.img" > "$T/d.s" && $PGV asm "$T/d.s" -o "$T/d.img" && cmp -s "$T/p.img" "$T/d.img" \
    && ok || bad "disasm/asm round trip of p.img"
expect 0 "\.entry 0x10"                  $PGV disasm "$T/p.s"

# --- table: deterministic, the manual's verdicts (§7)
t1=$($PGV table); t2=$($PGV table all)
[ -n "$t1" ] && [ "$t1" = "$t2" ] && ok || bad "pgv table is not deterministic / all is not the default"
expect 0 "^\| mnemonic \| opcode \| format \| operands \| bits \| summary \|$" $PGV table encoding
expect 0 "^\| ADD \| 0x02 \| DST \| ADD rd, rs, rt \| \`02dst000\` \|" $PGV table encoding
expect 0 "^\| pg \| yes \| — \| yes \| — \|$"            $PGV table classes
expect 0 "^\| popf \| no \| POPF \| yes \| — \|$"        $PGV table classes
expect 0 "^\| jrst \| no \| JRSTU \| yes \| — \|$"       $PGV table classes
expect 0 "^\| redpill \| no \| RDR \| no \| RDR \|$"     $PGV table classes
n=$($PGV table encoding | grep -c '^| [A-Z]* | 0x')
m=$(grep -c '^PGV_OP(' spec/opcodes.def)
[ "$n" = "$m" ] && ok || bad "table encoding has $n rows, spec/opcodes.def $m entries"

echo "check_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
