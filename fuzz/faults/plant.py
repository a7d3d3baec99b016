#!/usr/bin/env python3
"""fuzz/faults/plant.py — copy vmm/ and plant one known fault in the copy (never in vmm/ itself).

usage: plant.py N SRC_VMM_DIR DEST_DIR     (N = 1..5, or 0 for an unmodified copy)

Each fault is an exact-text replacement in one file of the copy, inside
`#if PGV_FAULT == N ... #else ... #endif`, so the copy compiles to the faulty VMM only
with -DPGV_FAULT=N (fuzz/Makefile's fault builds pass it).  If the anchor text is not
found exactly once (vmm/ changed), plant.py fails loudly instead of planting nothing.
The faults are the classic ways a trap-and-emulate VMM goes wrong:
  1 missed trap reflection: a privileged instruction in VIRTUAL USER mode is emulated
    instead of reflected as PRIV to the guest (dispatch.c)
  2 off-by-one bound composition: the real bound allows one word past the guest's
    allocation (monitor.h, pgv_alloc_compose_r)
  3 wrong saved PC: a reflected SVC stores P instead of P + 1 in the old PSW (reflect.c)
  4 timer accounting error: an emulated instruction does not tick the virtual timer
    (interp.c, retire)
  5 lost output word: the emulated OUT drops the last word that fits in the output
    buffer (interp.c, pgv_emu_out)
"""
import os
import shutil
import sys

FAULTS = {
    1: ("dispatch.c",
        "    case PGV_CAUSE_PRIV:\n        if (v->mode != PGV_MODE_USER) {",
        "    case PGV_CAUSE_PRIV:\n        if (1) {"),
    2: ("monitor.h",
        "*rb = vb < q - vl ? vb : q - vl;",
        "*rb = vb < q - vl + 1u ? vb : q - vl + 1u;"),
    3: ("reflect.c",
        "e[PGV_OLD_PSW + 1] = saved_pc;",
        "e[PGV_OLD_PSW + 1] = cause == PGV_CAUSE_SVC ? saved_pc - 1u : saved_pc;"),
    4: ("interp.c",
        "    uint32_t t = v->timer;\n    if (t != 0) {\n        t = t - 1u;",
        "    uint32_t t = v->timer;\n    if (0 && t != 0) {\n        t = t - 1u;"),
    5: ("interp.c",
        "    if (n < v->out_cap)\n        v->out[n] = w;",
        "    if (n + 1u < v->out_cap)\n        v->out[n] = w;"),
}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    n, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    if n == 0:
        return
    if n not in FAULTS:
        sys.exit("plant.py: unknown fault %d" % n)
    fname, old, new = FAULTS[n]
    path = os.path.join(dst, fname)
    text = open(path).read()
    if text.count(old) != 1:
        sys.exit("plant.py: fault %d: anchor not found exactly once in %s (vmm/ changed?)" % (n, fname))
    planted = "\n#if PGV_FAULT == %d\n%s\n#else\n%s\n#endif\n" % (n, new, old)
    open(path, "w").write(text.replace(old, planted))


if __name__ == "__main__":
    main()
