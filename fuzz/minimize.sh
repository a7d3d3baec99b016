#!/usr/bin/env bash
# fuzz/minimize.sh — `make -C fuzz minimize INPUT=... [NAME=...] [NOTE="..."]`: keep a divergence.
#
# Minimises a divergent input with afl-tmin against the AFL++ build (same fixed
# configuration as the campaign that found it: FUZZ_OUT/campaign.env next to the input,
# else FUZZ_PROFILE/FUZZ_VMM/FUZZ_DEPTH/FUZZ_VMS, default pg/plain/1/1), checks that the
# minimised input still diverges with the same signature (else keeps the original),
# bakes the fixed configuration into its header (so it replays the same without
# flags), and stores it as fuzz/regressions/NAME.pgvf with NAME.note: the signature,
# where it came from, the flags, and the expectation `make test` enforces — `divergent`
# for profiles the theorems predict to be unvirtualizable by that VMM (popf and jrst
# with the plain VMM, redpill with either), `equivalent` otherwise (a VMM bug: it must be
# fixed, and then stays fixed).
set -eu
cd "$(dirname "$0")"
INPUT=${1:-}; NAME=${2:-}; NOTE=${3:-}
[ -n "$INPUT" ] && [ -f "$INPUT" ] || { echo "usage: make -C fuzz minimize INPUT=file [NAME=name] [NOTE=text]"; exit 2; }
case "$INPUT" in /*) ;; *) [ -f "$INPUT" ] || INPUT="../$INPUT" ;; esac
env_file="$(dirname "$(dirname "$(dirname "$INPUT")")")/campaign.env"
[ -f "$env_file" ] && . "$env_file"
export FUZZ_PROFILE=${FUZZ_PROFILE:-pg} FUZZ_VMM=${FUZZ_VMM:-plain} FUZZ_DEPTH=${FUZZ_DEPTH:-1} FUZZ_VMS=${FUZZ_VMS:-1}
BIN=${FUZZ_BIN_DIR:-build}   # build/fault-N for an input found against a planted fault
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_IGNORE_UNKNOWN_ENVS=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sig=$("$BIN/pgv-fuzz" --signature "$INPUT" | cut -f1 | head -1)
[ -n "$sig" ] || { echo "minimize: $INPUT does not diverge under $FUZZ_PROFILE/$FUZZ_VMM/d$FUZZ_DEPTH/v$FUZZ_VMS"; exit 1; }
src="$INPUT"
if afl-tmin -i "$INPUT" -o "$tmp/min" -- "$BIN/pgv-fuzz-afl" > "$tmp/tmin.log" 2>&1; then
    sig2=$("$BIN/pgv-fuzz" --signature "$tmp/min" | cut -f1 | head -1)
    # same configuration and same native event at the first divergent step (the set of
    # differing fields may shrink with the input)
    if [ "${sig2%:*}" = "${sig%:*}" ]; then src="$tmp/min"; sig=$sig2
    else echo "minimize: afl-tmin changed the signature ('$sig2'); keeping the original"; fi
else
    echo "minimize: afl-tmin failed (see below); keeping the original"; tail -5 "$tmp/tmin.log"
fi
build/pgv-fuzz --bake "$tmp/baked" "$src"
# the baked input must replay the same without any fixed option
sig3=$(env -u FUZZ_PROFILE -u FUZZ_VMM -u FUZZ_DEPTH -u FUZZ_VMS "$BIN/pgv-fuzz" --signature "$tmp/baked" | cut -f1 | head -1)
[ "$sig3" = "$sig" ] || { echo "minimize: baked input replays as '$sig3', not '$sig'"; exit 1; }
case "$FUZZ_PROFILE/$FUZZ_VMM" in
    popf/plain|jrst/plain|redpill/*) expect=divergent ;;
    *) expect=equivalent ;;
esac
fault=""
if [ "$BIN" != build ]; then
    # found against a planted fault: on the real VMM it must be equivalent, and it stays
    # in the regressions as a detector of that fault
    fault=" (detects the fault planted in $BIN)"
    if ! env -u FUZZ_PROFILE -u FUZZ_VMM -u FUZZ_DEPTH -u FUZZ_VMS build/pgv-fuzz --quiet "$tmp/baked" >/dev/null; then
        echo "minimize: the input also diverges on the real VMM: a real bug, kept as expect: equivalent"
    fi
    expect=equivalent
fi
if [ -z "$NAME" ]; then
    slug=$(echo "$sig" | sed 's/[^A-Za-z0-9]\{1,\}/-/g; s/-$//' | cut -c1-60)
    NAME="$slug-$(cksum < "$tmp/baked" | cut -c1-6)"
    [ "$BIN" != build ] && NAME="$(basename "$BIN")-$NAME"
fi
mkdir -p regressions
cp "$tmp/baked" "regressions/$NAME.pgvf"
cat > "regressions/$NAME.note" <<EON
expect: $expect
flags: --profile $FUZZ_PROFILE --vmm $FUZZ_VMM --depth $FUZZ_DEPTH --vms $FUZZ_VMS
signature: $sig$fault
found: $(date -u +%Y-%m-%d) from $(echo "$INPUT" | sed 's|^\.\./||'), minimised $(stat -c %s "$INPUT") -> $(stat -c %s "$src") bytes
note: ${NOTE:-(none)}
EON
echo "kept fuzz/regressions/$NAME.pgvf ($(stat -c %s "regressions/$NAME.pgvf") bytes), expect $expect:"
cat "regressions/$NAME.note"
