/* vmm/classify.h — the Popek & Goldberg classification, derived by running the machine (ISA §7).
 *
 * For every instruction of spec/opcodes.def and an ISA profile, pgv_classify generates
 * many machine states from a deterministic PRNG (random registers, flags, IE, timer
 * including 0, 1 and large values, TP, I/O positions, relocation including edge values,
 * storage contents; the instruction placed at P, memory operands arranged legal and
 * illegal), runs ONE pgv_step from each, and decides membership of the six classes of
 * §7 — PRIV, CTL, BEH_M, BEH_R, BEH_C, USENS — from what the steps did.  It never reads
 * the table's class columns: pgv_cls_compare then sets the derived classes against a
 * table (the manual's pgv_optab, or a modified copy) and lists the disagreements.
 * A class membership found by execution comes with a WITNESS (one state, or a pair of
 * states differing in one component, and the step results), which
 * pgv_cls_witness_verify re-runs.  Precise definitions: vmm/classify.c, top comment.
 * `pgv classify` (tools/cmd_classify.c) prints all of this; the tests call it directly.
 */
#ifndef PGV_VMM_CLASSIFY_H
#define PGV_VMM_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../model/pgv.h"
#include "../model/optab.h"

/* §7 the six classes, in the order of the columns of spec/opcodes.def. */
enum pgv_cls {
    PGV_CLS_PRIV,    /* privileged                                                */
    PGV_CLS_CTL,     /* control-sensitive                                         */
    PGV_CLS_BEH_M,   /* mode-sensitive                                            */
    PGV_CLS_BEH_R,   /* location-sensitive                                        */
    PGV_CLS_BEH_C,   /* sensitive to IE, timer/TP or the I/O state                */
    PGV_CLS_USENS,   /* user-sensitive                                            */
    PGV_NCLS
};
#define PGV_CLS_BIT(c) (1u << (c))
/* "sensitive" = control- or behavior-sensitive (Theorem 1's left-hand side). */
#define PGV_CLS_SENSITIVE (PGV_CLS_BIT(PGV_CLS_CTL) | PGV_CLS_BIT(PGV_CLS_BEH_M) | \
                           PGV_CLS_BIT(PGV_CLS_BEH_R) | PGV_CLS_BIT(PGV_CLS_BEH_C))

/* Column names exactly as in spec/opcodes.def: "PRIV", "CTL", "BEH_M", ...       */
const char *pgv_cls_name(unsigned cls);

/* Components of a machine state, as a bit mask (what two states differ in). */
enum pgv_comp {
    PGV_COMP_REGS = 1u << 0,    /* r0..r7                                         */
    PGV_COMP_FLAGS = 1u << 1,   /* Z N C                                          */
    PGV_COMP_P = 1u << 2,       /* P                                              */
    PGV_COMP_M = 1u << 3,       /* M                                              */
    PGV_COMP_R = 1u << 4,       /* R = (l, b)                                     */
    PGV_COMP_IE = 1u << 5,      /* IE                                             */
    PGV_COMP_TIMER = 1u << 6,   /* T and TP                                       */
    PGV_COMP_IO = 1u << 7,      /* in_pos, out_len, the out words written         */
    PGV_COMP_HALTED = 1u << 8,  /* halted                                         */
    PGV_COMP_CAUSE = 1u << 9,   /* PSW cause field                                */
    PGV_COMP_MEM = 1u << 10,    /* storage (absolute, or the words under R)       */
    PGV_COMP_STEPS = 1u << 11,  /* steps counter                                  */
    PGV_NCOMP_BITS = 12
};
/* §7 the configuration: (M, R, IE, T, TP, I/O, halted). */
#define PGV_COMP_CONFIG (PGV_COMP_M | PGV_COMP_R | PGV_COMP_IE | PGV_COMP_TIMER | \
                         PGV_COMP_IO | PGV_COMP_HALTED)
const char *pgv_comp_name(uint32_t one_bit);   /* "r", "flags", "P", "M", "R", ...  */

/* Components in which a and b differ.  virt: compare storage as the words under each
 * state's own R (virtual addresses 0..min(b, q-l)-1), else all q words absolutely.  */
uint32_t pgv_cls_diff(const pgv_state *a, const pgv_state *b, bool virt);

/* How the two states of a pair differ (the "differing only in ..." of §7). */
enum pgv_cls_rel {
    PGV_REL_NONE,    /* a single state (PRIV counterexample, CTL)                 */
    PGV_REL_M,       /* only in M                                                 */
    PGV_REL_R,       /* only in R = (l1, b) vs (l2, b), storage relocated         */
    PGV_REL_IE,      /* only in IE                                                */
    PGV_REL_TIMER,   /* only in T and/or TP                                       */
    PGV_REL_IO,      /* only in the I/O state (in_pos, out_len, out words)        */
    PGV_NREL
};
const char *pgv_cls_rel_name(unsigned rel);   /* "-", "M", "R", "IE", "timer", "io" */

/* A self-contained machine state: s.mem, s.in, s.out point into the arrays.  After
 * copying a snapshot by assignment call pgv_cls_snap_fix on the copy.            */
#define PGV_CLS_MAX_Q 128u
#define PGV_CLS_TAPE 8u
#define PGV_CLS_OUT 8u
typedef struct pgv_cls_snap {
    pgv_state s;
    uint32_t mem[PGV_CLS_MAX_Q];
    uint32_t in[PGV_CLS_TAPE];
    uint32_t out[PGV_CLS_OUT];
} pgv_cls_snap;
void pgv_cls_snap_fix(pgv_cls_snap *x);

/* A witness of one class membership of one instruction in one profile:
 *  cls PRIV:  a COUNTEREXAMPLE to privilege — a user-mode state in which the
 *             instruction is reached and does not trap PRIV, or a supervisor-mode
 *             state in which it traps PRIV (rel NONE);
 *  cls CTL:   a state whose non-trapping step changes the configuration beyond the
 *             tick (rel NONE; diff = the configuration components changed);
 *  cls BEH_*: a pair of states differing only in `rel`, both steps non-trapping,
 *             results differing beyond rel (diff = those components);
 *  cls USENS: a CTL witness from a user-mode state, or a BEH_R/BEH_C pair of two
 *             user-mode states.
 * before[1], after[1] are used by pairs only.  trap_cause[k] is the cause of the
 * trap the step took (0: it did not trap).                                         */
typedef struct pgv_cls_witness {
    uint32_t opc, profile, cls, rel;
    uint32_t diff;
    uint32_t word;              /* the instruction word at P                      */
    pgv_event ev[2];
    uint32_t trap_cause[2];
    pgv_cls_snap before[2], after[2];
} pgv_cls_witness;

/* Per-instruction result. */
typedef struct pgv_cls_insn {
    uint32_t opc;
    const char *name;          /* the mnemonic (pgv_optab[opc].name)              */
    uint32_t derived;          /* PGV_CLS_BIT(c): derived member of class c        */
    int wit[PGV_NCLS];         /* index into result->wit, or -1 (for PRIV: the
                                  counterexample, present iff not privileged)     */
    uint32_t n_user, n_sup;    /* reached user / supervisor states stepped         */
    uint32_t n_exec;           /* non-trapping steps                               */
    uint32_t n_pairs[PGV_NREL];/* non-trapping pairs compared, per relation        */
} pgv_cls_insn;

#define PGV_CLS_MAX_INSNS 256u
typedef struct pgv_cls_result {
    uint32_t profile, samples;
    uint64_t seed;
    uint32_t ninsn;                         /* = pgv_nops, in table order           */
    pgv_cls_insn insn[PGV_CLS_MAX_INSNS];
    uint32_t nwit;
    pgv_cls_witness *wit;                   /* malloc'd; pgv_cls_result_free        */
    bool theorem1;   /* derived: every sensitive instruction is privileged          */
    bool theorem3;   /* derived: every user-sensitive instruction is privileged     */
} pgv_cls_result;

#define PGV_CLS_DEFAULT_SAMPLES 2000u
#define PGV_CLS_DEFAULT_SEED 1u

/* Derive the classification of every instruction in `profile` from `samples` random
 * states per instruction (0: the default), PRNG seeded by `seed` (the sequence of an
 * instruction depends on seed, profile and opcode only).  Returns 0, or 2 if the
 * profile is invalid or memory is exhausted.  r must be freed with
 * pgv_cls_result_free.                                                             */
int pgv_classify(uint32_t profile, uint32_t samples, uint64_t seed, pgv_cls_result *r);
void pgv_cls_result_free(pgv_cls_result *r);

/* The result's entry for opcode opc, or NULL. */
const pgv_cls_insn *pgv_cls_find(const pgv_cls_result *r, uint32_t opc);

/* The classes a table (pgv_optab or a modified copy) gives opc in profile. */
uint32_t pgv_cls_expected(const pgv_opinfo *table, uint32_t opc, uint32_t profile);

/* One cell where the derived classification and the table differ. */
typedef struct pgv_cls_disagreement {
    uint32_t opc, cls;
    int derived, table;
} pgv_cls_disagreement;

/* Compare r with table for r->profile: the number of disagreeing (instruction,
 * class) cells; the first max are written to out (may be NULL if max is 0).        */
size_t pgv_cls_compare(const pgv_cls_result *r, const pgv_opinfo *table,
                       pgv_cls_disagreement *out, size_t max);

/* The theorem conditions evaluated on a set of classes: which instructions violate
 * Theorem 1 (sensitive and not privileged) or Theorem 3 (user-sensitive and not
 * privileged).  theorem is 1 or 3; the number of violators, first max to opcs.     */
size_t pgv_cls_violations(const pgv_cls_result *r, int theorem, uint32_t *opcs, size_t max);
/* The same condition evaluated on a table's columns for a profile. */
bool pgv_cls_table_theorem(const pgv_opinfo *table, uint32_t profile, int theorem);

/* Re-run a witness's before-state(s) with pgv_step and check that it shows what it
 * claims (the states are related as stated, the results are the stored ones, and the
 * class's condition holds).  true if so; else false with a reason in why.          */
bool pgv_cls_witness_verify(const pgv_cls_witness *w, char *why, size_t whylen);

#endif
