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

/* Compare a and b.  Returns the number of differing items; the first `max` are
 * written to out (out may be NULL when max is 0).                                 */
size_t pgv_compare(const pgv_state *a, const pgv_state *b, pgv_mismatch *out, size_t max);

#endif
