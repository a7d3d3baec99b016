#!/usr/bin/env bash
# tests/check_proof_names.sh — the names agree: the manual's classification, the
# machine's derived classification and the proved lemmas and witnesses (ISA §7).
#
# Run by `make test` (tests/run.sh runs every tests/check_*.sh).  For every profile it
# takes the sets of privileged, sensitive (control- or behavior-sensitive) and
# user-sensitive instructions, the Theorem 1 and Theorem 3 verdicts and their
# violators from three places and requires them to be equal:
#   manual   the generated tables of spec/ISA.md §7.3 (classes, verdicts, violators);
#   machine  `pgv classify --profile P --json` (derived by executing the machine);
#   proofs   the lemmas of spec/classify.acsl (classes_priv_P, classes_sens_P,
#            classes_usens_P list the opcodes; thm1_holds_P / thm1_fails_P and
#            thm3_*; thm1_violators_P, thm3_violators_P; violator_P_NAME) and the
#            witness functions witness_P_NAME of proofs/witness/witness.c (one for each
#            Theorem 1 violator, none elsewhere, each about PGV_OPC_NAME in
#            PGV_PROFILE_P).
# It also checks that proofs/units runs proofs/witness/lemmas.c (which enables every
# lemma of spec/classify.acsl) as a unit without function selection (WP proves lemmas
# only then), so the lemmas are in the gate, and runs every witness function.
# Prints one line per check and "N checks, N failed"; exits 1 on any failure.
set -u
cd "$(dirname "$0")/.." || exit 2
PGV=${PGV:-bin/pgv}
export PGV
exec python3 - "$@" <<'EOF'
import json, os, re, subprocess, sys

PROFILES = ["pg", "popf", "jrst", "redpill"]
n = failed = 0


def check(desc, ok, detail=""):
    global n, failed
    n += 1
    if ok:
        print(f"ok   {desc}")
    else:
        failed += 1
        print(f"FAIL {desc}{': ' + detail if detail else ''}")


def fmt(x):
    return "{" + ", ".join(sorted(x)) + "}" if isinstance(x, (set, frozenset)) else str(x)


# --- the manual: spec/ISA.md §7.3, generated tables ----------------------------------
isa = open("spec/ISA.md").read()
sec = isa[isa.index("<!-- BEGIN GENERATED: pgv table classes -->"):
          isa.index("<!-- END GENERATED -->", isa.index("<!-- BEGIN GENERATED: pgv table classes -->"))]
manual = {p: {"PRIV": set(), "SENS": set(), "USENS": set()} for p in PROFILES}
manual_verdict = {}
for line in sec.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 8 and re.fullmatch(r"[A-Z]+", cells[0]):
        def members(cell):
            if cell == "all":
                return set(PROFILES)
            if cell in ("—", "-", ""):
                return set()
            return set(cell.split())
        name = cells[0]
        priv, ctl, bm, br, bc, us = (members(c) for c in cells[1:7])
        for p in PROFILES:
            if p in priv:
                manual[p]["PRIV"].add(name)
            if p in ctl | bm | br | bc:
                manual[p]["SENS"].add(name)
            if p in us:
                manual[p]["USENS"].add(name)
    elif len(cells) == 5 and cells[0] in PROFILES:
        vio = lambda c: set() if c in ("—", "-") else set(c.replace(",", " ").split())
        manual_verdict[cells[0]] = {"T1": cells[1] == "yes", "T1V": vio(cells[2]),
                                    "T3": cells[3] == "yes", "T3V": vio(cells[4])}
check("manual: classification table parsed (49 instructions)",
      len(manual["pg"]["PRIV"]) > 0 and sec.count("\n| ") >= 49)
check("manual: verdict table parsed (4 profiles)", sorted(manual_verdict) == sorted(PROFILES))

# --- the machine: pgv classify --json ------------------------------------------------
machine, machine_verdict = {}, {}
for p in PROFILES:
    r = subprocess.run([os.environ["PGV"], "classify", "--profile", p, "--json"],
                       capture_output=True, text=True)
    check(f"pgv classify --profile {p} --json runs (exit {r.returncode})", r.returncode == 0)
    if r.returncode not in (0, 1):
        machine[p] = {"PRIV": set(), "SENS": set(), "USENS": set()}
        machine_verdict[p] = {}
        continue
    d = json.loads(r.stdout)
    sets = {"PRIV": set(), "SENS": set(), "USENS": set()}
    for ins in d["instructions"]:
        c = ins["derived"]
        if c["PRIV"]:
            sets["PRIV"].add(ins["name"])
        if c["CTL"] or c["BEH_M"] or c["BEH_R"] or c["BEH_C"]:
            sets["SENS"].add(ins["name"])
        if c["USENS"]:
            sets["USENS"].add(ins["name"])
    machine[p] = sets
    v = d.get("violations", {})
    machine_verdict[p] = {"T1": d["theorem1"], "T3": d["theorem3"],
                          "T1V": {x["instruction"] for x in v.get("theorem1", [])},
                          "T3V": {x["instruction"] for x in v.get("theorem3", [])}}

# --- the proofs: spec/classify.acsl lemmas, proofs/witness/witness.c witnesses --------
acsl = open("spec/classify.acsl").read()
# a lemma runs from "lemma NAME:" to the ";" that ends its line before the next
# lemma, comment or block end (its body has ";" after each \forall binder)
lemmas = dict(re.findall(r"\blemma\s+(\w+)\s*:(.*?);[ \t]*(?=\n\s*(?:lemma\b|//|\}|\*/))",
                         acsl, re.S))


def opcodes(lemma):
    return set(re.findall(r"PGV_OPC_(\w+)", lemmas.get(lemma, "")))


proofs, proofs_verdict = {}, {}
for p in PROFILES:
    proofs[p] = {"PRIV": opcodes(f"classes_priv_{p}"), "SENS": opcodes(f"classes_sens_{p}"),
                 "USENS": opcodes(f"classes_usens_{p}")}
    for k in ("priv", "sens", "usens"):
        check(f"proofs: lemma classes_{k}_{p} exists", f"classes_{k}_{p}" in lemmas)
    v = {}
    for th in ("1", "3"):
        holds, fails = f"thm{th}_holds_{p}" in lemmas, f"thm{th}_fails_{p}" in lemmas
        check(f"proofs: exactly one of thm{th}_holds_{p} / thm{th}_fails_{p}", holds != fails)
        v["T" + th] = holds
        v[f"T{th}V"] = opcodes(f"thm{th}_violators_{p}")
        if fails:
            check(f"proofs: lemma thm{th}_violators_{p} names the violators",
                  f"thm{th}_violators_{p}" in lemmas and v[f"T{th}V"] != set())
    v["named"] = {m for m in re.findall(rf"\bviolator_{p}_(\w+)\b", " ".join(lemmas))}
    proofs_verdict[p] = v

wsrc = open("proofs/witness/witness.c").read()
wfuncs = re.findall(r"^\w[\w\s\*]*?\bwitness_(\w+?)_([A-Z]+)\s*\(void\)\s*\{(.*?)^\}", wsrc, re.S | re.M)
witness = {p: set() for p in PROFILES}
for prof, name, body in wfuncs:
    if prof not in witness:
        check(f"witness: witness_{prof}_{name} names a known profile", False)
        continue
    witness[prof].add(name)
    check(f"witness: witness_{prof}_{name} is about PGV_OPC_{name} in PGV_PROFILE_{prof.upper()}",
          f"PGV_OPC_{name}" in body and f"PGV_PROFILE_{prof.upper()}" in body)
check("witness: proofs/witness/witness.c defines witness functions", len(wfuncs) > 0)
units = open("proofs/units").read()
check("proofs/units: a unit runs proofs/witness/lemmas.c without function selection "
      "(so WP proves the lemmas)",
      re.search(r"^\w+:[^|\n]*proofs/witness/lemmas\.c[^|\n]*$", units, re.M) is not None)
# The witnesses must be in a gated unit, or else (should pgv_step's contract, which they
# use, ever be unproved) in a pending unit AND each named in proofs/PENDING.
def witness_unit(text):
    m = re.search(r"^\w+:[^|\n]*proofs/witness/witness\.c[^\n]*$", text, re.M)
    return m is not None and all(f"witness_{p}_{n}" in m.group(0) or "|" not in m.group(0)
                                 for p, n, _ in wfuncs)
pending_fns = {l.split()[0] for l in open("proofs/PENDING") if l.strip() and not l.startswith("#")}
gated_w = witness_unit(units)
check("proofs/units proves the witness functions of proofs/witness/witness.c, or "
      "proofs/units.pending does and proofs/PENDING names every witness",
      gated_w or (witness_unit(open("proofs/units.pending").read()) and
                  all(f"witness_{p}_{n}" in pending_fns for p, n, _ in wfuncs)))
lsrc = open("proofs/witness/lemmas.c").read()
check("proofs/witness/lemmas.c defines PGV_CLASSIFY_LEMMAS 2 (all lemmas of spec/classify.acsl)",
      re.search(r"^#define PGV_CLASSIFY_LEMMAS 2\b", lsrc, re.M) is not None)

# --- the three agree ------------------------------------------------------------------
for p in PROFILES:
    for cls in ("PRIV", "SENS", "USENS"):
        a, b, c = manual[p][cls], machine[p][cls], proofs[p][cls]
        check(f"{p} {cls}: manual == pgv classify == lemmas ({len(a)} instructions)",
              a == b == c, f"manual {fmt(a)}, pgv classify {fmt(b)}, lemmas {fmt(c)}")
    mv, cv, pv = manual_verdict.get(p, {}), machine_verdict.get(p, {}), proofs_verdict[p]
    for th in ("T1", "T3"):
        check(f"{p} Theorem {th[1]} condition: manual == pgv classify == lemma "
              f"({'holds' if mv.get(th) else 'fails'})",
              mv.get(th) == cv.get(th) == pv.get(th),
              f"manual {mv.get(th)}, pgv classify {cv.get(th)}, lemma {pv.get(th)}")
        a, b, c = mv.get(th + "V", set()), cv.get(th + "V", set()), pv.get(th + "V", set())
        check(f"{p} Theorem {th[1]} violators: manual == pgv classify == lemma {fmt(a)}",
              a == b == c, f"manual {fmt(a)}, pgv classify {fmt(b)}, lemma {fmt(c)}")
    t1v = mv.get("T1V", set())
    check(f"{p} violator lemmas violator_{p}_NAME == Theorem 1 violators {fmt(t1v)}",
          pv["named"] == t1v, f"lemmas {fmt(pv['named'])}")
    check(f"{p} witnesses witness_{p}_NAME == Theorem 1 violators {fmt(t1v)}",
          witness[p] == t1v, f"witnesses {fmt(witness[p])}")

print(f"{n} checks, {failed} failed")
sys.exit(1 if failed else 0)
EOF
