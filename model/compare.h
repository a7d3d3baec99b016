/* model/compare.h — THE comparison of two machine states (ISA manual §8.4).
 *
 * Equivalence in pgv means: the complete guest-visible state is equal — registers,
 * P, R, M, IE, flags, cause, timer, TP, halted, steps, every storage word, the input
 * position and the output log.  `pgv diff`, the fuzzer and the tests all call this
 * one function, so "equal" cannot mean two things.
 */
#ifndef PGV_MODEL_COMPARE_H
#define PGV_MODEL_COMPARE_H

#include <stddef.h>
#include "pgv.h"

typedef struct pgv_mismatch {
    const char *field;   /* "r", "pc", "l", "b", "mode", ..., "mem", "out", "q"     */
    uint32_t index;      /* register number or word address; 0 for scalars          */
    uint64_t a, b;       /* the two values                                          */
} pgv_mismatch;

/* The compared scalars of a pgv_state, in report order (§8.4): THE one list.  The
 * ACSL predicate below, the verdict and the mismatch records (field name and both
 * values) of model/compare.c are all generated from it, so they cannot drift.  The
 * registers, storage and output log are compared separately (they are arrays). */
#define PGV_CMP_SCALARS(X)                                                             \
    X(pc) X(l) X(b) X(mode) X(ie) X(flags) X(cause) X(timer) X(tp) X(halted) X(steps) \
    X(in_pos) X(out_len) X(q)
/* Generators over two states named a and b (the names in every user of the list):
 * `PGV_CMP_SCALARS(PGV_CMP_EQ_) \true` is "all compared scalars are equal" in ACSL. */
#define PGV_CMP_EQ_(f)   a->f == b->f &&
#define PGV_CMP_ONE_(f)  + 1
/* The number of compared scalars (a constant expression, in C and in ACSL). */
#define PGV_CMP_NSCALARS (0 PGV_CMP_SCALARS(PGV_CMP_ONE_))

/* What pgv_compare compares, as ACSL logic (over pointers at one label, never a
 * pgv_state value: proofs/TRUSTED.md).  Storage is compared over the smaller of the
 * two sizes and the output log over the words both states kept (q and out_len are
 * compared as well, so equal states have the same storage and the same log). */
/*@
  logic integer CmpMinQ{L}(pgv_state *a, pgv_state *b) = a->q < b->q ? a->q : b->q;
  logic integer CmpOutN{L}(pgv_state *a, pgv_state *b) =
    \let k1 = a->out_len < b->out_len ? a->out_len : b->out_len;
    \let k2 = k1 > a->out_cap ? a->out_cap : k1;
    k2 > b->out_cap ? b->out_cap : k2;

  // The two states are equal in every compared component: registers and the scalars
  // of PGV_CMP_SCALARS (P, R, M, IE, flags, cause, timer, TP, halted, steps, input
  // position, output count, storage size); CmpEqual adds every storage word and every
  // kept output word.
  predicate CmpScalars{L}(pgv_state *a, pgv_state *b) =
    (\forall integer i; 0 <= i < PGV_NREGS ==> a->r[i] == b->r[i]) &&
    PGV_CMP_SCALARS(PGV_CMP_EQ_) \true;
  predicate CmpEqual{L}(pgv_state *a, pgv_state *b) =
    CmpScalars{L}(a, b) &&
    (\forall integer k; 0 <= k < a->q ==> a->mem[k] == b->mem[k]) &&
    (\forall integer k; 0 <= k < CmpOutN(a, b) ==> a->out[k] == b->out[k]);
*/

/* Compare a and b.  Returns the number of differing items; the first `max` are
 * written to out (out may be NULL when max is 0).  Reads the records, storage
 * E[0 .. min(q) - 1] of both and the output words both kept; 0 iff equal.  It
 * writes only out[0 .. max - 1], separated from everything it reads, so the states
 * after the call are the states at the call (equal: at return; equal_at_call: at the
 * call — the verdict is computed before anything is written).                    */
/*@ requires \valid_read(a) && \valid_read(b);
    requires \valid_read(a->mem + (0 .. CmpMinQ(a, b) - 1)) &&
             \valid_read(b->mem + (0 .. CmpMinQ(a, b) - 1));
    requires \valid_read(a->out + (0 .. CmpOutN(a, b) - 1)) &&
             \valid_read(b->out + (0 .. CmpOutN(a, b) - 1));
    requires max > 0 ==> \valid(out + (0 .. max - 1));
    requires max > 0 ==> \separated(out + (0 .. max - 1), a, b,
                                     a->mem + (0 .. CmpMinQ(a, b) - 1),
                                     b->mem + (0 .. CmpMinQ(a, b) - 1),
                                     a->out + (0 .. CmpOutN(a, b) - 1),
                                     b->out + (0 .. CmpOutN(a, b) - 1));
    assigns out[0 .. max - 1];
    ensures equal: \result == 0 <==> CmpEqual{Post}(a, b);
    ensures equal_at_call: \result == 0 <==> CmpEqual{Pre}(a, b);
*/
size_t pgv_compare(const pgv_state *a, const pgv_state *b, pgv_mismatch *out, size_t max);

#endif
