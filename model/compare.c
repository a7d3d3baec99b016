/* model/compare.c — the one state comparison used by diff, fuzzer and tests (ISA §8.4). */
#include <string.h>
#include "compare.h"

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
    uint32_t q = a->q < b->q ? a->q : b->q;
    if (a->mem != b->mem && memcmp(a->mem, b->mem, (size_t)q * sizeof(uint32_t)) != 0)
        for (uint32_t i = 0; i < q; i++)
            if (a->mem[i] != b->mem[i])
                n = note(out, max, n, "mem", i, a->mem[i], b->mem[i]);
    uint32_t k = a->out_len < b->out_len ? a->out_len : b->out_len;
    if (k > a->out_cap) k = a->out_cap;
    if (k > b->out_cap) k = b->out_cap;
    for (uint32_t i = 0; i < k; i++)
        if (a->out[i] != b->out[i])
            n = note(out, max, n, "out", i, a->out[i], b->out[i]);
    return n;
}
