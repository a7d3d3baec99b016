#!/usr/bin/env bash
# fuzz/exp_table.sh — turns out/exp/results.tsv (fuzz/experiments.sh) into the Markdown tables of README.md.
#
# Per label: the runs' times to first divergence (seconds; "none" = not found within the
# run), their median (a run that found nothing counts as longer than every time), the
# divergences and execs of each run, and the divergence signature seen.
set -u
R=${1:-out/exp/results.tsv}
awk -F'\t' '
NR == 1 { next }
{
    key = $1 "\t" $2
    if (!(key in n)) { order[++k] = key }
    n[key]++; t[key, n[key]] = $4; x[key, n[key]] = $5; d[key] = d[key] (d[key] == "" ? "" : ", ") $6; e[key] += $7
    if ($8 != "") s[key] = $8
}
function median(key,   i, j, m, a, tmp, cnt) {
    cnt = n[key]
    for (i = 1; i <= cnt; i++) a[i] = (t[key, i] == "none") ? 1e9 : t[key, i] + 0
    for (i = 1; i <= cnt; i++) for (j = i + 1; j <= cnt; j++) if (a[j] < a[i]) { tmp = a[i]; a[i] = a[j]; a[j] = tmp }
    m = (cnt % 2) ? a[(cnt + 1) / 2] : (a[cnt / 2] + a[cnt / 2 + 1]) / 2
    return (m >= 1e9) ? "not found" : sprintf("%.2f s", m)
}
END {
    split("a b c", parts, " ")
    title["a"] = "Time to first divergence, plain VMM (from the single seed `ADDI r1, r1, 1; HALT`)"
    title["b"] = "Runs that must find no divergence (whole seed corpus)"
    title["c"] = "Planted faults, profile pg, plain VMM (from the single minimal seed)"
    for (p = 1; p <= 3; p++) {
        P = parts[p]; any = 0
        for (i = 1; i <= k; i++) { split(order[i], f, "\t"); if (f[1] == P) any = 1 }
        if (!any) continue
        printf "\n#### %s\n\n| configuration | runs | time to first divergence per run (s) | execs to first divergence per run | median time | divergences per run | execs (all runs) | signature |\n|---|---|---|---|---|---|---|---|\n", title[P]
        for (i = 1; i <= k; i++) {
            split(order[i], f, "\t"); if (f[1] != P) continue
            key = order[i]; list = ""
            xl = ""
            for (j = 1; j <= n[key]; j++) { list = list (j > 1 ? ", " : "") t[key, j]; xl = xl (j > 1 ? ", " : "") x[key, j] }
            printf "| %s | %d | %s | %s | %s | %s | %d | %s |\n", f[2], n[key], list, xl, median(key), d[key], e[key], (key in s) ? s[key] : "-"
        }
    }
}' "$R"
