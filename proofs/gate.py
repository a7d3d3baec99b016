#!/usr/bin/env python3
"""proofs/gate.py — the honesty gate of `make proofs`: reads WP's JSON reports, decides.

Frama-C exits 0 even when goals stay unproved, so this script reads the
`-wp-report-json` files that proofs/run.sh produced and fails (exit 1) when:
  * a goal of a proof unit is not proved, unless it is listed, with its reason, in
    proofs/KNOWN_UNPROVED (an explicit and visible list).  A listed goal that now
    proves is reported as a WARNING (printed and in REPORT.md) — most listed goals are
    10 s timeouts whose outcome depends on the machine's load, and a gate that flips
    on load is not a gate; PROOF_STRICT_KNOWN=1 makes it an error (to prune the list).  Goals are the functions' goals
    ("wp:functions" of the report) AND the ACSL lemmas ("wp:axiomatics": WP proves a
    `lemma` as a goal named lemma_NAME, grouped by its axiomatic block, "" for a
    global one; it does so only in a unit without function selection).  A lemma
    group is a row "lemmas:GROUP" (GROUP = the axiomatic's name, or "global");
  * a function or lemma group has fewer goals than its floor in proofs/floors (an
    emptied function, a dropped contract or deleted lemmas cannot pass as 0/0), or a
    floored function or lemma group is missing;
  * any goal of a canary (proofs/canaries/: deliberately false contracts) is proved
    other than its RTE/assigns scaffolding (the false properties are the ensures and
    asserts named canary_* and the lemmas named canary_*) — a proved false statement
    means the encoding is unsound and every green result beside it is in doubt;
  * a smoke test (-wp-smoke-tests) is proved, i.e. a precondition is inconsistent or
    code is dead;
  * an `axiom`, `admit`, `check lemma` or `assumes/requires \\false` in spec/, model/,
    vmm/, proofs/witness/ is not listed in proofs/TRUSTED.md.
It writes proofs/REPORT.md: per unit and function, goals, proved, by which prover.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "proofs", ".work")
# The unit set: "gated" (proofs/units, what `make proofs` and CI decide on) or
# "pending" (proofs/units.pending: contracts written, runs not settled yet; run by
# `make proofs-pending`, reported in proofs/REPORT-pending.md, never claimed as proved).
SET = os.environ.get("PROOF_SET", "gated")
SUFFIX = "" if SET == "gated" else "." + SET
REPORT = "REPORT.md" if SET == "gated" else f"REPORT-{SET}.md"


def load(path):
    with open(path) as f:
        return json.load(f)


def read_list(path):
    """Lines 'key  reason...' of a list file; '#' comments and blank lines skipped."""
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 1)
        out[parts[0]] = parts[1] if len(parts) > 1 else ""
    return out


def lemma_group(axiomatic):
    """The row name of the lemmas of one axiomatic block ("" = global lemmas)."""
    return "lemmas:" + (axiomatic or "global")


def goal_stats(entry):
    """(proved?, provers that proved it) for one goal's JSON entry."""
    main = entry.get("wp:main", {})
    ok = main.get("total", 0) > 0 and main.get("valid", 0) == main.get("total", 0)
    provers = sorted(k for k, v in entry.items() if k != "wp:main" and v.get("valid", 0) > 0)
    return ok, provers


def main():
    units = [u for u in sys.argv[1:]]
    errors = []
    floors = read_list(os.path.join(ROOT, "proofs", "floors" + SUFFIX))
    known = read_list(os.path.join(ROOT, "proofs", "KNOWN_UNPROVED" + SUFFIX))
    seen_known = set()
    warnings = []
    rows = []          # (unit, function, goals, proved, provers, smoke)
    totals = {"goals": 0, "proved": 0}
    prover_totals = {}
    func_goals = {}
    for unit in units:
        path = os.path.join(WORK, unit + ".json")
        if not os.path.exists(path):
            errors.append(f"{unit}: no WP report ({path}): frama-c failed, see proofs/.work/{unit}.log")
            continue
        rep = load(path)
        # functions, then lemma groups ("wp:axiomatics": axiomatic name -> goals)
        sections = [(fn, goals) for fn, goals in sorted(rep.get("wp:functions", {}).items())]
        sections += [(lemma_group(ax), goals)
                     for ax, goals in sorted(rep.get("wp:axiomatics", {}).items())]
        for fn, goals in sections:
            n = p = 0
            provers = {}
            for gname, entry in goals.items():
                if gname.startswith("wp:"):      # per-function summary, not a goal
                    continue
                ok, pv = goal_stats(entry)
                smoke = "_wp_smoke_" in gname
                if smoke:
                    # WP reports a smoke test as valid when it PASSED (the prover could not
                    # derive \false there); anything else means dead code or an
                    # inconsistent precondition ("Failed Smoke-test" in the log)
                    if not ok:
                        errors.append(f"{unit}: {fn}: smoke test {gname} failed: dead code or "
                                      "inconsistent precondition")
                    continue
                n += 1
                for x in pv:
                    provers[x] = provers.get(x, 0) + 1
                    prover_totals[x] = prover_totals.get(x, 0) + 1
                if ok:
                    p += 1
                    if gname in known:
                        seen_known.add(gname)
                        msg = (f"{unit}: {gname} is listed in proofs/KNOWN_UNPROVED but now "
                               "proves: remove it from the list")
                        (errors if os.environ.get("PROOF_STRICT_KNOWN") == "1" else warnings).append(msg)
                        continue
                elif gname in known:
                    seen_known.add(gname)
                else:
                    errors.append(f"{unit}: goal not proved: {gname}")
            rows.append((unit, fn, n, p, provers,
                         [g for g in goals if not g.startswith("wp:") and "_wp_smoke_" not in g]))
            func_goals[fn] = func_goals.get(fn, 0) + n
            totals["goals"] += n
            totals["proved"] += p
    for fn, floor in floors.items():
        got = func_goals.get(fn)
        try:
            need = int(floor.split()[0])
        except ValueError:
            errors.append(f"proofs/floors: bad floor for {fn}: {floor!r}")
            continue
        if got is None:
            what = "lemma group" if fn.startswith("lemmas:") else "function"
            errors.append(f"{fn}: {what} has a floor of {need} goals but produced no goals")
        elif got < need:
            errors.append(f"{fn}: {got} goals, below its floor of {need}")
    for g in known:
        if g not in seen_known and not any(g in e for e in errors):
            errors.append(f"proofs/KNOWN_UNPROVED lists {g}, which no unit produced")

    # canaries: every canary report must prove none of its canary goals
    canary_rows = []
    cdir = os.path.join(WORK, "canaries")
    for fname in sorted(os.listdir(cdir)) if os.path.isdir(cdir) else []:
        if not fname.endswith(".json"):
            continue
        rep = load(os.path.join(cdir, fname))
        name = fname[:-5]
        proved_false = []
        total = 0
        sections = list(rep.get("wp:functions", {}).values()) + \
            list(rep.get("wp:axiomatics", {}).values())
        for goals in sections:
            for gname, entry in goals.items():
                if gname.startswith("wp:"):
                    continue
                # the false properties are the ensures/asserts named canary_* and the
                # lemmas named canary_*; the function's RTE and assigns goals (and
                # helper lemmas) are scaffolding and may prove
                if not re.search(r"(ensures|assert)_canary_|^(check_)?lemma_canary_", gname):
                    continue
                total += 1
                ok, _ = goal_stats(entry)
                if ok:
                    proved_false.append(gname)
        canary_rows.append((name, total, proved_false))
        if total == 0:
            errors.append(f"canary {name}: has no ensures/assert/lemma named canary_*: it tests nothing")
        for g in proved_false:
            errors.append(f"canary {name}: the FALSE property {g} was PROVED: the encoding is unsound")
    if not canary_rows:
        errors.append("no canary ran (proofs/canaries/*.c)")

    # trusted base
    trusted_text = open(os.path.join(ROOT, "proofs", "TRUSTED.md")).read() \
        if os.path.exists(os.path.join(ROOT, "proofs", "TRUSTED.md")) else ""
    pat = re.compile(r"\b(axiom|admit|check\s+lemma)\b|assumes\s+\\false|requires\s+\\false")
    for d in ("spec", "model", "vmm", os.path.join("proofs", "witness")):
        for dp, _, files in os.walk(os.path.join(ROOT, d)):
            for f in files:
                if not f.endswith((".c", ".h", ".acsl")):
                    continue
                fp = os.path.join(dp, f)
                rel = os.path.relpath(fp, ROOT)
                for i, line in enumerate(open(fp, errors="replace"), 1):
                    m = pat.search(line)
                    if not m:
                        continue
                    ident = re.search(r"(?:axiom|lemma)\s+(\w+)", line)
                    key = ident.group(1) if ident else f"{rel}:{i}"
                    if key not in trusted_text:
                        errors.append(f"{rel}:{i}: '{m.group(0)}' ({key}) is not listed in proofs/TRUSTED.md")

    write_report(rows, totals, prover_totals, canary_rows, known, errors)
    print(f"proofs: {totals['proved']} / {totals['goals']} goals proved"
          + (f" ({len(seen_known)} listed in proofs/KNOWN_UNPROVED)" if seen_known else ""))
    print(f"proofs: {len(canary_rows)} canaries, "
          f"{sum(1 for c in canary_rows if not c[2])} refuted as they must be")
    for w in warnings:
        print("proofs: warning: " + w)
    if errors:
        print("proofs: GATE FAILED:")
        for e in errors:
            print("  - " + e)
        return 1
    print("proofs: gate passed")
    return 0


def tool_versions():
    def run(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except Exception:
            return "?"
    return {
        "frama-c": run("frama-c -version"),
        "why3": run("why3 --version"),
        "z3": run("z3 --version"),
        "cvc4": run("cvc4 --version"),
    }


def goal_times(unit):
    """Seconds each goal took, from WP's log lines '... Goal typed_NAME : Valid (...) (Ts)'."""
    out = {}
    path = os.path.join(WORK, unit + ".log")
    if not os.path.exists(path):
        return out
    rx = re.compile(r"Goal typed_(\w+) : Valid.*\((\d+(?:\.\d+)?)(ms|s)\)(?: \(\d+\))?$")
    for line in open(path, errors="replace"):
        m = rx.search(line.strip())
        if m:
            t = float(m.group(2)) / (1000.0 if m.group(3) == "ms" else 1.0)
            out[m.group(1)] = out.get(m.group(1), 0.0) + t
    return out


def write_report(rows, totals, prover_totals, canary_rows, known, errors):
    times = read_list(os.path.join(WORK, "times"))
    v = tool_versions()
    lines = ["# Proof report (generated by `make proofs`; do not edit)" if SET == "gated" else
             f"# Proof report, {SET} units (generated by `make proofs-{SET}`; do not edit)", "",
             *([] if SET == "gated" else
               ["These units (proofs/units.pending) have contracts whose runs have not settled; "
                "they are NOT part of the gate and nothing here is claimed as proved.", ""]),
             "Frama-C WP with `-wp-rte`, provers Z3 then CVC4 (`-wp-prover z3,cvc4`). "
             "Tool versions: " + "; ".join(f"{k} {val}" for k, val in v.items()) + ".", "",
             f"**Total: {totals['proved']} / {totals['goals']} goals proved**"
             + (f", {len(known)} listed in `proofs/KNOWN_UNPROVED`" if known else "")
             + ". Goals discharged by: "
             + ", ".join(f"{k} {n}" for k, n in sorted(prover_totals.items())) + ". "
             "(`qed` is WP's own simplifier; a goal can be counted for several provers.)", ""]
    if times:
        jobs = os.environ.get("PROOF_RUN_JOBS", "1")
        par = os.environ.get("PROOF_RUN_PAR", "2")
        total = os.environ.get("PROOF_RUN_UNITS_S")
        lines.append(f"Wall time per unit (this machine, 2 cores, {jobs} unit(s) at a time, "
                     f"`-wp-par {par}`): "
                     + ", ".join(f"{u} {t}" for u, t in times.items()) + "."
                     + (f" All units: {total} s." if total else ""))
        lines.append("")
    lines += ["Rows `lemmas:GROUP` are ACSL lemmas proved as goals (GROUP: their axiomatic block).", "",
              "| unit | function | goals | proved | provers (goals) | prover time, s (cache hits count ≈ 0) |",
              "|---|---|---|---|---|---|"]
    gt = {}
    for unit in sorted({r[0] for r in rows}):
        gt[unit] = goal_times(unit)
    for unit, fn, n, p, provers, gnames in rows:
        pv = ", ".join(f"{k} {c}" for k, c in sorted(provers.items()))
        mark = "" if n == p else " **(unproved)**"
        names = set(gnames)
        t = sum(v for k, v in gt[unit].items()
                if k in names or ("_part" in k and k[:k.rindex("_part")] in names))
        lines.append(f"| {unit} | `{fn}` | {n} | {p}{mark} | {pv} | {t:.1f} |")
    lines += ["", "## Canaries (deliberately false contracts; each must stay unproved)", "",
              "| canary | false goals | proved |", "|---|---|---|"]
    for name, total, proved in canary_rows:
        lines.append(f"| {name} | {total} | {len(proved)} {'(UNSOUND!)' if proved else ''} |")
    pending = read_list(os.path.join(ROOT, "proofs", "PENDING"))
    if pending:
        lines += ["", "## Functions whose contracts are not (yet) in the gate (proofs/PENDING)", "",
                  "These contracts exist in the sources but are not proved by `make proofs`; "
                  "nothing here is claimed as proved.", ""]
        for fn, why in pending.items():
            lines.append(f"- `{fn}`: {why}")
    if known:
        lines += ["", "## Known unproved goals (proofs/KNOWN_UNPROVED)", ""]
        for g, why in known.items():
            lines.append(f"- `{g}`: {why}")
    lines += ["", f"Gate: {'FAILED' if errors else 'passed'}."]
    if errors:
        lines += [""] + [f"- {e}" for e in errors]
    with open(os.path.join(ROOT, "proofs", REPORT), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
