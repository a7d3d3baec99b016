/* model/compare.c — the one state comparison used by diff, fuzzer and tests (ISA §8.4).
 * Contract (and the logic it is stated in) in model/compare.h; proved by the proof
 * unit `compare` of proofs/units.  Check, then commit: count_mismatches decides the
 * verdict reading only; list_mismatches, called only when the states differ, writes
 * the first `max` mismatches to out.  The verdict is therefore computed on the states
 * at the call, before anything is written. */
#include "compare.h"

/* The reads of a comparison (§8.4): both records, E[0 .. min(q) - 1] of both, the
 * output words both kept. */
#define CMP_READS(a, b)                                                                \
    requires \valid_read(a) && \valid_read(b);                                         \
    requires \valid_read(a->mem + (0 .. CmpMinQ(a, b) - 1)) &&                         \
             \valid_read(b->mem + (0 .. CmpMinQ(a, b) - 1));                           \
    requires \valid_read(a->out + (0 .. CmpOutN(a, b) - 1)) &&                         \
             \valid_read(b->out + (0 .. CmpOutN(a, b) - 1));

/* The 14 scalars of CmpScalars that differ, as a sum of 0/1 terms in int (no
 * modular size_t arithmetic between them, so the verdict is plain arithmetic). */
#define CMP_SCALARS_DIFFER(a, b)                                                       \
    ((a->pc != b->pc) + (a->l != b->l) + (a->b != b->b) + (a->mode != b->mode) +       \
     (a->ie != b->ie) + (a->flags != b->flags) + (a->cause != b->cause) +             \
     (a->timer != b->timer) + (a->tp != b->tp) + (a->halted != b->halted) +           \
     (a->steps != b->steps) + (a->in_pos != b->in_pos) + (a->out_len != b->out_len) + \
     (a->q != b->q))

/* The number of differing items, in the order registers, the 14 scalars of
 * CmpScalars, storage words, output words; 0 iff CmpEqual.  Writes nothing. */
/*@ CMP_READS(a, b)
    assigns \nothing;
    ensures bound: \result <= PGV_NREGS + 14 + CmpMinQ(a, b) + CmpOutN(a, b);
    ensures equal: \result == 0 <==> CmpEqual(a, b);
*/
static size_t count_mismatches(const pgv_state *a, const pgv_state *b)
{
    size_t n = 0;
    /*@ loop invariant 0 <= i <= PGV_NREGS;
        loop invariant n <= i;
        loop invariant n == 0 <==> (\forall integer j; 0 <= j < i ==> a->r[j] == b->r[j]);
        loop assigns i, n;
        loop variant PGV_NREGS - i;
    */
    for (uint32_t i = 0; i < PGV_NREGS; i++)
        if (a->r[i] != b->r[i])
            n++;
    const int d = CMP_SCALARS_DIFFER(a, b);
    /*@ assert d: 0 <= d <= 14 &&
          (d == 0 <==> (a->pc == b->pc && a->l == b->l && a->b == b->b &&
                        a->mode == b->mode && a->ie == b->ie && a->flags == b->flags &&
                        a->cause == b->cause && a->timer == b->timer && a->tp == b->tp &&
                        a->halted == b->halted && a->steps == b->steps &&
                        a->in_pos == b->in_pos && a->out_len == b->out_len &&
                        a->q == b->q)); */
    /*@ assert regs: n <= PGV_NREGS &&
          (n == 0 <==> (\forall integer j; 0 <= j < PGV_NREGS ==> a->r[j] == b->r[j])); */
    //@ ghost size_t nr = n;
    n += (size_t)d;
    //@ assert sum: n == nr + d;
    /*@ assert scalars: n <= PGV_NREGS + 14 && (n == 0 <==> CmpScalars(a, b)); */
    const uint32_t *am = a->mem, *bm = b->mem;
    uint32_t q = a->q < b->q ? a->q : b->q;
    //@ ghost size_t n0 = n;
    /* the same storage (one pointer) is equal to itself: nothing to compare */
    if (am != bm) {
        /*@ loop invariant 0 <= i <= q;
            loop invariant n0 <= n <= n0 + i;
            loop invariant n == 0 <==> (n0 == 0 &&
                             \forall integer j; 0 <= j < i ==> am[j] == bm[j]);
            loop assigns i, n;
            loop variant q - i;
        */
        for (uint32_t i = 0; i < q; i++)
            if (am[i] != bm[i])
                n++;
    }
    /*@ assert storage: n <= PGV_NREGS + 14 + q &&
          (n == 0 <==> (CmpScalars(a, b) &&
                        \forall integer j; 0 <= j < q ==> a->mem[j] == b->mem[j])); */
    const uint32_t *ao = a->out, *bo = b->out;
    uint32_t k = a->out_len < b->out_len ? a->out_len : b->out_len;
    if (k > a->out_cap) k = a->out_cap;
    if (k > b->out_cap) k = b->out_cap;
    //@ ghost size_t n1 = n;
    /*@ loop invariant 0 <= i <= k;
        loop invariant n1 <= n <= n1 + i;
        loop invariant n == 0 <==> (n1 == 0 &&
                         \forall integer j; 0 <= j < i ==> ao[j] == bo[j]);
        loop assigns i, n;
        loop variant k - i;
    */
    for (uint32_t i = 0; i < k; i++)
        if (ao[i] != bo[i])
            n++;
    /*@ assert all: n == 0 <==> CmpEqual(a, b); */
    return n;
}

/* Record mismatch number n in out[n] (there is room) and count it. */
/*@ requires n < max && \valid(out + n);
    assigns out[n];
    ensures \result == n + 1;
*/
static size_t note(pgv_mismatch *out, size_t max, size_t n, const char *field,
                   uint32_t index, uint64_t a, uint64_t b)
{
    (void)max;
    out[n].field = field;
    out[n].index = index;
    out[n].a = a;
    out[n].b = b;
    return n + 1;
}

/* The scalars of CmpScalars, in order, and their names in a mismatch record. */
#define CMP_NSCALARS 14
static const char *const cmp_scalar_names[CMP_NSCALARS] = {
    "pc", "l", "b", "mode", "ie", "flags", "cause", "timer", "tp", "halted", "steps",
    "in_pos", "out_len", "q"
};
#define CMP_SCALARS(s)                                                                 \
    { s->pc, s->l, s->b, s->mode, s->ie, s->flags, s->cause, s->timer, s->tp,         \
      s->halted, s->steps, s->in_pos, s->out_len, s->q }

/* The first `max` mismatches, in count_mismatches's order, written to out[0 .. max-1]
 * (field name, index: register number or word address, 0 for scalars; both values).
 * Everything compared is read before the first write: registers and scalars into
 * local arrays, the storage and log pointers into locals. */
/*@ CMP_READS(a, b)
    requires max > 0 && \valid(out + (0 .. max - 1));
    requires \separated(out + (0 .. max - 1), a, b,
                        a->mem + (0 .. CmpMinQ(a, b) - 1),
                        b->mem + (0 .. CmpMinQ(a, b) - 1),
                        a->out + (0 .. CmpOutN(a, b) - 1),
                        b->out + (0 .. CmpOutN(a, b) - 1));
    assigns out[0 .. max - 1];
*/
static void list_mismatches(const pgv_state *a, const pgv_state *b, pgv_mismatch *out,
                            size_t max)
{
    uint32_t ra[PGV_NREGS], rb[PGV_NREGS];
    /*@ loop invariant 0 <= i <= PGV_NREGS;
        loop assigns i, ra[0 .. PGV_NREGS - 1], rb[0 .. PGV_NREGS - 1];
        loop variant PGV_NREGS - i;
    */
    for (uint32_t i = 0; i < PGV_NREGS; i++) {
        ra[i] = a->r[i];
        rb[i] = b->r[i];
    }
    const uint64_t va[CMP_NSCALARS] = CMP_SCALARS(a), vb[CMP_NSCALARS] = CMP_SCALARS(b);
    const uint32_t *am = a->mem, *bm = b->mem, *ao = a->out, *bo = b->out;
    const uint32_t q = a->q < b->q ? a->q : b->q;
    uint32_t k = a->out_len < b->out_len ? a->out_len : b->out_len;
    if (k > a->out_cap) k = a->out_cap;
    if (k > b->out_cap) k = b->out_cap;
    //@ assert ranges: q == CmpMinQ(a, b) && k == CmpOutN(a, b);
    size_t n = 0;
    /*@ loop invariant 0 <= i <= PGV_NREGS && n <= max;
        loop assigns i, n, out[0 .. max - 1];
        loop variant PGV_NREGS - i;
    */
    for (uint32_t i = 0; i < PGV_NREGS; i++)
        if (ra[i] != rb[i] && n < max)
            n = note(out, max, n, "r", i, ra[i], rb[i]);
    /*@ loop invariant 0 <= i <= CMP_NSCALARS && n <= max;
        loop assigns i, n, out[0 .. max - 1];
        loop variant CMP_NSCALARS - i;
    */
    for (uint32_t i = 0; i < CMP_NSCALARS; i++)
        if (va[i] != vb[i] && n < max)
            n = note(out, max, n, cmp_scalar_names[i], 0, va[i], vb[i]);
    if (am != bm) {
        /*@ loop invariant 0 <= i <= q && n <= max;
            loop assigns i, n, out[0 .. max - 1];
            loop variant q - i;
        */
        for (uint32_t i = 0; i < q; i++)
            if (am[i] != bm[i] && n < max)
                n = note(out, max, n, "mem", i, am[i], bm[i]);
    }
    /*@ loop invariant 0 <= i <= k && n <= max;
        loop assigns i, n, out[0 .. max - 1];
        loop variant k - i;
    */
    for (uint32_t i = 0; i < k; i++)
        if (ao[i] != bo[i] && n < max)
            n = note(out, max, n, "out", i, ao[i], bo[i]);
}

size_t pgv_compare(const pgv_state *a, const pgv_state *b, pgv_mismatch *out, size_t max)
{
    size_t n = count_mismatches(a, b);
    if (n != 0 && max != 0)
        list_mismatches(a, b, out, max);
    return n;
}
