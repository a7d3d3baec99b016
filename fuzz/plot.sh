#!/usr/bin/env bash
# fuzz/plot.sh — `make -C fuzz plot [OUT=dir]`: afl-plot graphs (PNG) of each instance of a campaign.
#
# Writes OUT/plot/INSTANCE/{edges,exec_speed,high_freq,low_freq}.png and index.html
# (gnuplot is needed; gnuplot-nox is enough).  OUT defaults to the newest campaign.
set -eu
cd "$(dirname "$0")"
OUT=${1:-}
if [ -z "$OUT" ]; then OUT=$(ls -td out/*/ 2>/dev/null | head -1); OUT=${OUT%/}; fi
[ -n "$OUT" ] && [ -d "$OUT" ] || { echo "plot: no campaign directory"; exit 2; }
command -v gnuplot >/dev/null || { echo "plot: gnuplot is not installed (apt-get install gnuplot-nox)"; exit 2; }
for d in "$OUT"/*/; do
    [ -f "$d/plot_data" ] || continue
    name=$(basename "$d")
    mkdir -p "$OUT/plot/$name"
    afl-plot "$d" "$OUT/plot/$name" > "$OUT/plot/$name.log" 2>&1 || { echo "plot: afl-plot failed for $name"; tail -3 "$OUT/plot/$name.log"; continue; }
    echo "plot: $OUT/plot/$name/: $(cd "$OUT/plot/$name" && ls *.png | tr '\n' ' ')"
done
