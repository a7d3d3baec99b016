/* model/compare.c — the one state comparison used by diff, fuzzer and tests (ISA §8.4).
 * Contract (and the logic it is stated in) in model/compare.h; proved by the proof
 * unit `compare` of proofs/units. */
#include "compare.h"

/* Record mismatch number n (if there is room) and count it. */
/*@ requires n < 0xFFFFFFFFFFFFull;
    requires max > 0 ==> \valid(out + (0 .. max - 1));
    assigns out[0 .. max - 1];
    ensures \result == n + 1;
*/
static size_t note(pgv_mismatch *out, size_t max, size_t n, const char *field,
                   uint32_t index, uint64_t a, uint64_t b)
{
    if (n < max) {
        out[n].field = field;
        out[n].index = index;
        out[n].a = a;
        out[n].b = b;
    }
    return n + 1;
}

#define CMP_FIELD(f)                                                   \
    do {                                                               \
        if (a->f != b->f)                                              \
            n = note(out, max, n, #f, 0, a->f, b->f);                  \
    } while (0)

size_t pgv_compare(const pgv_state *a, const pgv_state *b, pgv_mismatch *out, size_t max)
{
    size_t n = 0;
    /*@ loop invariant 0 <= i <= PGV_NREGS;
        loop invariant n <= i;
        loop invariant n == 0 <==> (\forall integer j; 0 <= j < i ==> a->r[j] == b->r[j]);
        loop assigns i, n, out[0 .. max - 1];
        loop variant PGV_NREGS - i;
    */
    for (uint32_t i = 0; i < PGV_NREGS; i++)
        if (a->r[i] != b->r[i])
            n = note(out, max, n, "r", i, a->r[i], b->r[i]);
    CMP_FIELD(pc);
    CMP_FIELD(l);
    CMP_FIELD(b);
    CMP_FIELD(mode);
    CMP_FIELD(ie);
    CMP_FIELD(flags);
    CMP_FIELD(cause);
    CMP_FIELD(timer);
    CMP_FIELD(tp);
    CMP_FIELD(halted);
    CMP_FIELD(steps);
    CMP_FIELD(in_pos);
    CMP_FIELD(out_len);
    CMP_FIELD(q);
    /*@ assert scalars: n <= PGV_NREGS + 14 && (n == 0 <==> CmpScalars(a, b)); */
    uint32_t q = a->q < b->q ? a->q : b->q;
    /* the same storage (one pointer) is equal to itself: nothing to compare */
    if (a->mem != b->mem) {
        /*@ loop invariant 0 <= i <= q;
            loop invariant \at(n, LoopEntry) <= n <= \at(n, LoopEntry) + i;
            loop invariant n == 0 <==> (\at(n, LoopEntry) == 0 &&
                             \forall integer j; 0 <= j < i ==> a->mem[j] == b->mem[j]);
            loop assigns i, n, out[0 .. max - 1];
            loop variant q - i;
        */
        for (uint32_t i = 0; i < q; i++)
            if (a->mem[i] != b->mem[i])
                n = note(out, max, n, "mem", i, a->mem[i], b->mem[i]);
    }
    /*@ assert storage: n <= PGV_NREGS + 14 + q &&
          (n == 0 <==> (CmpScalars(a, b) &&
                        \forall integer j; 0 <= j < q ==> a->mem[j] == b->mem[j])); */
    uint32_t k = a->out_len < b->out_len ? a->out_len : b->out_len;
    if (k > a->out_cap) k = a->out_cap;
    if (k > b->out_cap) k = b->out_cap;
    /*@ loop invariant 0 <= i <= k;
        loop invariant \at(n, LoopEntry) <= n <= \at(n, LoopEntry) + i;
        loop invariant n == 0 <==> (\at(n, LoopEntry) == 0 &&
                         \forall integer j; 0 <= j < i ==> a->out[j] == b->out[j]);
        loop assigns i, n, out[0 .. max - 1];
        loop variant k - i;
    */
    for (uint32_t i = 0; i < k; i++)
        if (a->out[i] != b->out[i])
            n = note(out, max, n, "out", i, a->out[i], b->out[i]);
    /*@ assert all: n == 0 <==> CmpEqual(a, b); */
    return n;
}
