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

/* The scalars of PGV_CMP_SCALARS that differ, as a sum of 0/1 terms in int (no
 * modular size_t arithmetic between them, so the verdict is plain arithmetic). */
#define CMP_NE_(f) (a->f != b->f) +
#define CMP_SCALARS_DIFFER (PGV_CMP_SCALARS(CMP_NE_) 0)

/* The number of words of x[0 .. len - 1] and y[0 .. len - 1] that differ; 0 iff the
 * two ranges are equal.  The same range (one pointer) is equal to itself. */
/*@ requires \valid_read(x + (0 .. len - 1)) && \valid_read(y + (0 .. len - 1));
    assigns \nothing;
    ensures bound: \result <= len;
    ensures equal: \result == 0 <==> (\forall integer j; 0 <= j < len ==> x[j] == y[j]);
*/
static uint32_t count_word_diffs(const uint32_t *x, const uint32_t *y, uint32_t len)
{
    uint32_t n = 0;
    if (x == y)
        return 0;
    /*@ loop invariant 0 <= i <= len && n <= i;
        loop invariant n == 0 <==> (\forall integer j; 0 <= j < i ==> x[j] == y[j]);
        loop assigns i, n;
        loop variant len - i;
    */
    for (uint32_t i = 0; i < len; i++)
        if (x[i] != y[i])
            n++;
    return n;
}

/* The compared ranges (§8.4), the C twins of CmpMinQ and CmpOutN: the smaller of the
 * two storage sizes, and the output words both states kept (the smaller count, capped
 * by both capacities). */
/*@ requires \valid_read(a) && \valid_read(b);
    assigns \nothing;
    ensures \result == CmpMinQ(a, b);
*/
static uint32_t cmp_min_q(const pgv_state *a, const pgv_state *b)
{
    return a->q < b->q ? a->q : b->q;
}

/*@ requires \valid_read(a) && \valid_read(b);
    assigns \nothing;
    ensures \result == CmpOutN(a, b);
*/
static uint32_t cmp_out_n(const pgv_state *a, const pgv_state *b)
{
    uint32_t k = a->out_len < b->out_len ? a->out_len : b->out_len;
    if (k > a->out_cap)
        k = a->out_cap;
    if (k > b->out_cap)
        k = b->out_cap;
    return k;
}

/* The number of differing items, in the order registers, the scalars of
 * PGV_CMP_SCALARS, storage words, output words; 0 iff CmpEqual.  Writes nothing. */
/*@ CMP_READS(a, b)
    assigns \nothing;
    ensures bound: \result <= PGV_NREGS + PGV_CMP_NSCALARS + CmpMinQ(a, b) + CmpOutN(a, b);
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
    const int d = CMP_SCALARS_DIFFER;
    /*@ assert d: 0 <= d <= PGV_CMP_NSCALARS &&
                  (d == 0 <==> (PGV_CMP_SCALARS(PGV_CMP_EQ_) \true)); */
    /*@ assert regs: n <= PGV_NREGS &&
          (n == 0 <==> (\forall integer j; 0 <= j < PGV_NREGS ==> a->r[j] == b->r[j])); */
    //@ ghost size_t nr = n;
    n += (size_t)d;
    //@ assert sum: n == nr + d;
    /*@ assert scalars: n <= PGV_NREGS + PGV_CMP_NSCALARS && (n == 0 <==> CmpScalars(a, b)); */
    const uint32_t q = cmp_min_q(a, b);
    //@ ghost size_t ns = n;
    const uint32_t dm = count_word_diffs(a->mem, b->mem, q);
    n += dm;
    //@ assert sum_mem: n == ns + dm && dm <= q;
    /*@ assert storage: n <= PGV_NREGS + PGV_CMP_NSCALARS + q &&
          (n == 0 <==> (CmpScalars(a, b) &&
                        \forall integer j; 0 <= j < q ==> a->mem[j] == b->mem[j])); */
    const uint32_t k = cmp_out_n(a, b);
    //@ ghost size_t nm = n;
    const uint32_t dk = count_word_diffs(a->out, b->out, k);
    n += dk;
    //@ assert sum_out: n == nm + dk;
    /*@ assert all: n == 0 <==> CmpEqual(a, b); */
    return n;
}

/* Fill one mismatch record (the caller checked that there is room for it). */
/*@ requires \valid(rec);
    assigns *rec;
*/
static void note(pgv_mismatch *rec, const char *field, uint32_t index, uint64_t a,
                 uint64_t b)
{
    rec->field = field;
    rec->index = index;
    rec->a = a;
    rec->b = b;
}

/* Record the words of x[0 .. len - 1] and y[0 .. len - 1] that differ, as mismatches
 * n, n + 1, ... up to max - 1 (field name, word address, both words); the new count. */
/*@ requires n <= max && \valid(out + (0 .. max - 1));
    requires \valid_read(x + (0 .. len - 1)) && \valid_read(y + (0 .. len - 1));
    requires \separated(out + (0 .. max - 1), x + (0 .. len - 1), y + (0 .. len - 1));
    assigns out[0 .. max - 1];
    ensures bound: n <= \result <= max;
*/
static size_t note_word_diffs(pgv_mismatch *out, size_t max, size_t n, const char *field,
                              const uint32_t *x, const uint32_t *y, uint32_t len)
{
    if (x == y)
        return n;
    /*@ loop invariant 0 <= i <= len && \at(n, Pre) <= n <= max;
        loop assigns i, n, out[0 .. max - 1];
        loop variant len - i;
    */
    for (uint32_t i = 0; i < len; i++)
        if (x[i] != y[i] && n < max)
            note(&out[n++], field, i, x[i], y[i]);
    return n;
}

/* The names of PGV_CMP_SCALARS in a mismatch record, and the values, in its order. */
#define CMP_NAME_(f) #f,
#define CMP_VALUE_A_(f) a->f,
#define CMP_VALUE_B_(f) b->f,
static const char *const cmp_scalar_names[PGV_CMP_NSCALARS] = {
    PGV_CMP_SCALARS(CMP_NAME_)
};

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
    const uint64_t va[PGV_CMP_NSCALARS] = { PGV_CMP_SCALARS(CMP_VALUE_A_) },
                   vb[PGV_CMP_NSCALARS] = { PGV_CMP_SCALARS(CMP_VALUE_B_) };
    const uint32_t *am = a->mem, *bm = b->mem, *ao = a->out, *bo = b->out;
    const uint32_t q = cmp_min_q(a, b), k = cmp_out_n(a, b);
    //@ assert ranges: q == CmpMinQ(a, b) && k == CmpOutN(a, b);
    size_t n = 0;
    /*@ loop invariant 0 <= i <= PGV_NREGS && n <= max;
        loop assigns i, n, out[0 .. max - 1];
        loop variant PGV_NREGS - i;
    */
    for (uint32_t i = 0; i < PGV_NREGS; i++)
        if (ra[i] != rb[i] && n < max)
            note(&out[n++], "r", i, ra[i], rb[i]);
    /*@ loop invariant 0 <= i <= PGV_CMP_NSCALARS && n <= max;
        loop assigns i, n, out[0 .. max - 1];
        loop variant PGV_CMP_NSCALARS - i;
    */
    for (uint32_t i = 0; i < PGV_CMP_NSCALARS; i++)
        if (va[i] != vb[i] && n < max)
            note(&out[n++], cmp_scalar_names[i], 0, va[i], vb[i]);
    n = note_word_diffs(out, max, n, "mem", am, bm, q);
    (void)note_word_diffs(out, max, n, "out", ao, bo, k);
}

/* "Field f of both states is as at the call" (pgv_compare's kept_scalars). */
#define CMP_KEPT_(f) a->f == \at(a->f, Pre) && b->f == \at(b->f, Pre) &&

size_t pgv_compare(const pgv_state *a, const pgv_state *b, pgv_mismatch *out, size_t max)
{
    size_t n = count_mismatches(a, b);
    if (n != 0 && max != 0) {
        list_mismatches(a, b, out, max);
        /* list_mismatches wrote only out[]: every compared component is as at the call
         * (spelled out as single reads, then the verdict restated at return). */
        /*@ assert kept_scalars: PGV_CMP_SCALARS(CMP_KEPT_) \true; */
        /*@ assert kept_ptrs: a->mem == \at(a->mem, Pre) && b->mem == \at(b->mem, Pre) &&
              a->out == \at(a->out, Pre) && b->out == \at(b->out, Pre) &&
              a->out_cap == \at(a->out_cap, Pre) && b->out_cap == \at(b->out_cap, Pre); */
        /*@ assert kept_regs: \forall integer j; 0 <= j < PGV_NREGS ==>
              a->r[j] == \at(a->r[j], Pre) && b->r[j] == \at(b->r[j], Pre); */
        /*@ assert kept_mem: \forall integer j; 0 <= j < \at(CmpMinQ(a, b), Pre) ==>
              a->mem[j] == \at(a->mem[j], Pre) && b->mem[j] == \at(b->mem[j], Pre); */
        /*@ assert kept_out: \forall integer j; 0 <= j < \at(CmpOutN(a, b), Pre) ==>
              a->out[j] == \at(a->out[j], Pre) && b->out[j] == \at(b->out[j], Pre); */
    }
    return n;
}
