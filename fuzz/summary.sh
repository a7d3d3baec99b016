#!/usr/bin/env bash
# fuzz/summary.sh — the summary of an AFL++ campaign directory (`make -C fuzz summary OUT=...`).
#
# Reads every instance's fuzzer_stats (execs, execs/s, corpus, coverage, stability,
# crashes), replays every saved crash through the plain driver with the campaign's fixed
# configuration (FUZZ_OUT/campaign.env) to classify it — a divergence (deduplicated by
# its signature: configuration, native event at the first divergent step, differing
# fields; see pgv_fuzz_signature) or another crash (a sanitizer finding, a harness
# abort that does not replay) — adds the seed divergences found at triage, and prints
# one table.  Its LAST line is `divergences: N`, N = unique divergences.
set -u
cd "$(dirname "$0")"
OUT=${1:-}
if [ -z "$OUT" ]; then
    OUT=$(ls -td out/*/ 2>/dev/null | head -1); OUT=${OUT%/}
fi
[ -n "$OUT" ] && [ -d "$OUT" ] || { echo "summary: no campaign directory"; echo "divergences: 0"; exit 2; }
[ -f "$OUT/campaign.env" ] && . "$OUT/campaign.env"
export FUZZ_PROFILE FUZZ_VMM FUZZ_DEPTH FUZZ_VMS 2>/dev/null || true
stat() { sed -n "s/^$2 *: *//p" "$1" | head -1; }
inst=0; execs=0; eps=0; corpus=0; cov=0; edges=0; crashes=0; stab=""; runtime=0
for s in "$OUT"/*/fuzzer_stats; do
    [ -f "$s" ] || continue
    inst=$((inst + 1))
    e=$(stat "$s" execs_done); execs=$((execs + ${e:-0}))
    r=$(stat "$s" run_time); [ "${r:-0}" -gt "$runtime" ] && runtime=$r
    eps=$(awk -v a="$eps" -v b="$(stat "$s" execs_per_sec)" 'BEGIN{printf "%.1f", a + b}')
    c=$(stat "$s" corpus_count); [ "${c:-0}" -gt "$corpus" ] && corpus=$c
    g=$(stat "$s" edges_found); [ "${g:-0}" -gt "$edges" ] && edges=$g
    cv=$(stat "$s" bitmap_cvg | tr -d '%'); cov=$(awk -v a="$cov" -v b="${cv:-0}" 'BEGIN{print (b > a) ? b : a}')
    k=$(stat "$s" saved_crashes); crashes=$((crashes + ${k:-0}))
    stab="$stab $(basename "$(dirname "$s")")=$(stat "$s" stability)"
done
# classify crashes
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
: > "$tmp/sigs"; : > "$tmp/other"; first_ms=""; first_execs=""
for c in "$OUT"/*/crashes/id:*; do
    [ -f "$c" ] || continue
    line=$("${FUZZ_BIN_DIR:-build}/pgv-fuzz" --signature "$c" 2>/dev/null | head -1)
    if [ -n "$line" ]; then
        echo "$line" >> "$tmp/sigs"
        t=$(basename "$c" | sed -n 's/.*,time:\([0-9]*\).*/\1/p')
        x=$(basename "$c" | sed -n 's/.*,execs:\([0-9]*\).*/\1/p')
        if [ -n "$t" ] && { [ -z "$first_ms" ] || [ "$t" -lt "$first_ms" ]; }; then first_ms=$t; first_execs=$x; fi
    else
        echo "$c" >> "$tmp/other"
    fi
done
[ -f "$OUT/seed-divergences.txt" ] && cat "$OUT/seed-divergences.txt" >> "$tmp/sigs"
ndiv=$(cut -f1 "$tmp/sigs" | sort -u | grep -c . || true)
nother=$(grep -c . "$tmp/other" || true)
nseed=0
[ -f "$OUT/seed-divergences.txt" ] && nseed=$(grep -c . "$OUT/seed-divergences.txt" || true)
echo "== campaign summary: $OUT"
echo "configuration:        profile ${FUZZ_PROFILE:-?}, ${FUZZ_VMM:-?} VMM, depth ${FUZZ_DEPTH:-?}, ${FUZZ_VMS:-?} VM(s)"
echo "instances:            $inst (run time ${runtime}s)"
echo "execs:                $execs"
echo "execs/s:              $eps total, $(awk -v a="$eps" -v n="$inst" 'BEGIN{printf "%.0f", n ? a / n : 0}') per instance"
echo "corpus size:          $corpus"
echo "coverage:             ${cov}% of the map, $edges edges"
echo "stability:           $stab"
echo "saved crashes:        $crashes ($nother not a divergence when replayed)"
echo "seed divergences:     $nseed"
if [ -n "$first_ms" ]; then
    echo "first divergence:     $(awk -v t="$first_ms" 'BEGIN{printf "%.2f", t / 1000}') s into the campaign (after ${first_execs:-?} execs of that instance)"
fi
if [ "$ndiv" -gt 0 ]; then
    echo "unique divergences (signature, example input):"
    sort -t'	' -k1,1 -u "$tmp/sigs" | sed 's/^/  /'
fi
if [ "$nother" -gt 0 ]; then
    echo "crashes that are not divergences (replay under build/pgv-fuzz-asan):"
    sed 's/^/  /' "$tmp/other"
fi
echo "divergences: $ndiv"
