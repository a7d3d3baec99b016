/* vmm/classify.c — derives the P&G classification of every instruction by execution (ISA §7).
 *
 * Nothing here reads the class columns of spec/opcodes.def except pgv_cls_expected
 * (the comparison).  The classes are decided from single pgv_step executions of the
 * reference machine on generated states, with these definitions (§7; P&G 1974):
 *
 *  reached    a state in which step (§8.1) gets to the privilege check: no timer trap
 *             pending (not TP && IE) and P translates (§2.3).  States are never halted.
 *  PRIV       at least one reached user-mode state was sampled; EVERY reached
 *             user-mode state traps with cause PRIV (read from the old PSW, E[0]);
 *             NO supervisor-mode state traps with cause PRIV.  (Other traps, e.g. a
 *             data BOUNDS trap in supervisor mode, do not matter: P&G exclude memory
 *             traps.)  A counterexample is the witness of non-membership.
 *  CTL        some non-trapping step (event EXEC or HALT) from state S ends in a
 *             configuration (M, R, IE, T, TP, I/O = in_pos/out_len/out words, halted)
 *             different from tick(S): S's configuration with only the §5.4 tick
 *             applied (T != 0: T := T - 1; T = 0 then: TP := 1).
 *  BEH_M      states S_s, S_u differing only in M, both steps non-trapping, with
 *             results S_s', S_u' such that S_s' with M replaced by S_u'.M differs from
 *             S_u' — i.e. the results differ in some component other than M
 *             (registers, flags, P, R, IE, T/TP, I/O, halted, cause, storage, steps).
 *             So JRSTU (both results M = u, same P) is not mode-sensitive, while POPF
 *             in profile popf (IE loaded in s, kept in u) is.
 *  BEH_R      S1 with R = (l1, b), S2 with R = (l2, b), l1 != l2, both windows inside
 *             storage (b <= q - l), E2[a + l2] = E1[a + l1] for a < b, everything else
 *             but storage outside the windows equal; both steps non-trapping and R
 *             unchanged by both; the VIRTUAL views of the results differ: registers,
 *             flags, P, M, IE, T/TP, I/O, halted, cause, steps, and storage words at
 *             virtual addresses 0..b-1 (under each result's own R).
 *  BEH_C      pairs differing only in IE, or only in (T, TP), or only in the I/O state
 *             (in_pos, out_len, out words; tape and out capacity equal); both steps
 *             non-trapping; results differ in some component other than the one the
 *             states differed in (storage compared absolutely).
 *  USENS      a CTL witness from a user-mode state, or a BEH_R or BEH_C pair whose two
 *             states are both in user mode.
 *  sensitive  CTL or BEH_M or BEH_R or BEH_C.  Theorem 1 condition: every sensitive
 *             instruction is PRIV.  Theorem 3 condition: every USENS one is PRIV.
 *
 * Every state pair is built from one random base state S (either mode): S's M-flip,
 * a relocated copy (when S's window allows one), an IE-flip, another (T, TP) and
 * another I/O state.  All six states are also observed singly (PRIV, CTL).  The
 * PRNG is splitmix64, seeded from (seed, profile, opcode).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "classify.h"

/* --- names ---------------------------------------------------------------------- */

static const char *const cls_names[PGV_NCLS] = { "PRIV", "CTL", "BEH_M", "BEH_R", "BEH_C",
                                                 "USENS" };
static const char *const comp_names[PGV_NCOMP_BITS] = {
    "r", "flags", "P", "M", "R", "IE", "timer", "io", "halted", "cause", "mem", "steps"
};
static const char *const rel_names[PGV_NREL] = { "-", "M", "R", "IE", "timer", "io" };
static const uint32_t rel_comp[PGV_NREL] = { 0, PGV_COMP_M, PGV_COMP_R, PGV_COMP_IE,
                                             PGV_COMP_TIMER, PGV_COMP_IO };

const char *pgv_cls_name(unsigned cls)
{
    return cls < PGV_NCLS ? cls_names[cls] : "?";
}

const char *pgv_comp_name(uint32_t one_bit)
{
    for (unsigned i = 0; i < PGV_NCOMP_BITS; i++)
        if (one_bit == (1u << i))
            return comp_names[i];
    return "?";
}

const char *pgv_cls_rel_name(unsigned rel)
{
    return rel < PGV_NREL ? rel_names[rel] : "?";
}

void pgv_cls_snap_fix(pgv_cls_snap *x)
{
    x->s.mem = x->mem;
    x->s.in = x->in;
    x->s.out = x->out;
}

static void snap_copy(pgv_cls_snap *dst, const pgv_cls_snap *src)
{
    memcpy(dst, src, sizeof *dst);
    pgv_cls_snap_fix(dst);
}

/* --- comparing states (§7) ------------------------------------------------------- */

/* Number of legal virtual addresses under R: min(b, q - l), 0 if l >= q (§2.3). */
static uint32_t extent(const pgv_state *s)
{
    if (s->l >= s->q)
        return 0;
    return s->b < s->q - s->l ? s->b : s->q - s->l;
}

static uint32_t io_diff(const pgv_state *a, const pgv_state *b)
{
    if (a->in_pos != b->in_pos || a->out_len != b->out_len)
        return PGV_COMP_IO;
    uint32_t k = a->out_len;
    if (k > a->out_cap) k = a->out_cap;
    if (k > b->out_cap) k = b->out_cap;
    for (uint32_t i = 0; i < k; i++)
        if (a->out[i] != b->out[i])
            return PGV_COMP_IO;
    return 0;
}

uint32_t pgv_cls_diff(const pgv_state *a, const pgv_state *b, bool virt)
{
    uint32_t d = 0;
    if (memcmp(a->r, b->r, sizeof a->r) != 0) d |= PGV_COMP_REGS;
    if (a->flags != b->flags) d |= PGV_COMP_FLAGS;
    if (a->pc != b->pc) d |= PGV_COMP_P;
    if (a->mode != b->mode) d |= PGV_COMP_M;
    if (a->l != b->l || a->b != b->b) d |= PGV_COMP_R;
    if (a->ie != b->ie) d |= PGV_COMP_IE;
    if (a->timer != b->timer || a->tp != b->tp) d |= PGV_COMP_TIMER;
    d |= io_diff(a, b);
    if (a->halted != b->halted) d |= PGV_COMP_HALTED;
    if (a->cause != b->cause) d |= PGV_COMP_CAUSE;
    if (a->steps != b->steps) d |= PGV_COMP_STEPS;
    if (virt) {
        uint32_t na = extent(a), nb = extent(b);
        if (na != nb) {
            d |= PGV_COMP_MEM;
        } else {
            for (uint32_t i = 0; i < na; i++)
                if (a->mem[a->l + i] != b->mem[b->l + i]) {
                    d |= PGV_COMP_MEM;
                    break;
                }
        }
    } else if (a->q != b->q || memcmp(a->mem, b->mem, (size_t)a->q * sizeof(uint32_t)) != 0) {
        d |= PGV_COMP_MEM;
    }
    return d;
}

/* §5.4 the tick alone, applied to a copy of the configuration. */
static void apply_tick(pgv_state *s)
{
    if (s->timer != 0) {
        s->timer--;
        if (s->timer == 0)
            s->tp = 1;
    }
}

/* Configuration components changed by a non-trapping step beyond the tick. */
static uint32_t ctl_diff(const pgv_state *before, const pgv_state *after)
{
    pgv_state ref = *before;   /* shares storage/I/O pointers: only read */
    apply_tick(&ref);
    return pgv_cls_diff(&ref, after, false) & PGV_COMP_CONFIG;
}

/* --- the classification table side -------------------------------------------------- */

uint32_t pgv_cls_expected(const pgv_opinfo *table, uint32_t opc, uint32_t profile)
{
    const pgv_opinfo *oi = &table[opc & 0xFFu];
    uint32_t bit = PGV_PROFILE_BIT(profile), m = 0;
    if (oi->priv & bit) m |= PGV_CLS_BIT(PGV_CLS_PRIV);
    if (oi->ctl & bit) m |= PGV_CLS_BIT(PGV_CLS_CTL);
    if (oi->beh_m & bit) m |= PGV_CLS_BIT(PGV_CLS_BEH_M);
    if (oi->beh_r & bit) m |= PGV_CLS_BIT(PGV_CLS_BEH_R);
    if (oi->beh_c & bit) m |= PGV_CLS_BIT(PGV_CLS_BEH_C);
    if (oi->usens & bit) m |= PGV_CLS_BIT(PGV_CLS_USENS);
    return m;
}

static bool violates(uint32_t classes, int theorem)
{
    uint32_t lhs = theorem == 1 ? PGV_CLS_SENSITIVE : PGV_CLS_BIT(PGV_CLS_USENS);
    return (classes & lhs) != 0 && !(classes & PGV_CLS_BIT(PGV_CLS_PRIV));
}

size_t pgv_cls_compare(const pgv_cls_result *r, const pgv_opinfo *table,
                       pgv_cls_disagreement *out, size_t max)
{
    size_t n = 0;
    for (uint32_t i = 0; i < r->ninsn; i++) {
        const pgv_cls_insn *in = &r->insn[i];
        uint32_t exp = pgv_cls_expected(table, in->opc, r->profile);
        for (unsigned c = 0; c < PGV_NCLS; c++) {
            int d = (in->derived >> c) & 1u, t = (exp >> c) & 1u;
            if (d != t) {
                if (n < max) {
                    out[n].opc = in->opc;
                    out[n].cls = c;
                    out[n].derived = d;
                    out[n].table = t;
                }
                n++;
            }
        }
    }
    /* an opcode the table assigns but the result lacks disagrees in every class it has */
    for (unsigned opc = 0; opc < 256; opc++) {
        if (!table[opc].name || pgv_cls_find(r, opc))
            continue;
        uint32_t exp = pgv_cls_expected(table, opc, r->profile);
        for (unsigned c = 0; c < PGV_NCLS; c++)
            if ((exp >> c) & 1u) {
                if (n < max) {
                    out[n].opc = opc;
                    out[n].cls = c;
                    out[n].derived = 0;
                    out[n].table = 1;
                }
                n++;
            }
    }
    return n;
}

size_t pgv_cls_violations(const pgv_cls_result *r, int theorem, uint32_t *opcs, size_t max)
{
    size_t n = 0;
    for (uint32_t i = 0; i < r->ninsn; i++)
        if (violates(r->insn[i].derived, theorem)) {
            if (n < max)
                opcs[n] = r->insn[i].opc;
            n++;
        }
    return n;
}

bool pgv_cls_table_theorem(const pgv_opinfo *table, uint32_t profile, int theorem)
{
    for (unsigned opc = 0; opc < 256; opc++)
        if (table[opc].name && violates(pgv_cls_expected(table, opc, profile), theorem))
            return false;
    return true;
}

const pgv_cls_insn *pgv_cls_find(const pgv_cls_result *r, uint32_t opc)
{
    for (uint32_t i = 0; i < r->ninsn; i++)
        if (r->insn[i].opc == opc)
            return &r->insn[i];
    return NULL;
}

/* --- the PRNG and the state generator -------------------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rnext(rng *g)
{
    uint64_t z = (g->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint32_t r32(rng *g)
{
    return (uint32_t)(rnext(g) >> 32);
}

static uint32_t below(rng *g, uint32_t n)
{
    return n ? (uint32_t)(rnext(g) % n) : 0u;
}

/* A register or storage value: edge values, small numbers, legal addresses, words
 * with bit 9 (the POPF IE bit) varying, and plain random words. */
static uint32_t value(rng *g, uint32_t ext)
{
    switch (below(g, 12)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return 0xFFFFFFFFu;
    case 3: return below(g, 2) ? 0x80000000u : 0x7FFFFFFFu;
    case 4: return below(g, 16);
    case 5: return ext ? below(g, ext) : below(g, 64);
    case 6: return 1u << below(g, 32);
    case 7: return below(g, 1024);
    case 8: return 0xFFFFFFFFu - below(g, 8);
    default: return r32(g);
    }
}

/* The timer: 0 (not counting), 1 (expires on this tick), 2, small, large. */
static void gen_timer(rng *g, pgv_state *s)
{
    switch (below(g, 10)) {
    case 0: case 1: case 2: s->timer = 0; break;
    case 3: case 4: s->timer = 1; break;
    case 5: s->timer = 2; break;
    case 6: s->timer = 3 + below(g, 100); break;
    case 7: s->timer = 0xFFFFFFFFu; break;
    default: s->timer = r32(g); break;
    }
    s->tp = below(g, 4) == 0;
}

/* The I/O state: tape contents and out capacity are the environment; in_pos, out_len
 * and the out words written are the state (in_pos = in_len: tape exhausted; out_len
 * past the capacity; out_len at its saturation value). */
static void gen_io_state(rng *g, pgv_state *s)
{
    s->in_pos = below(g, s->in_len + 1);
    uint32_t k = below(g, 50);
    s->out_len = k == 0 ? 0xFFFFFFFFu : below(g, s->out_cap + 3);
    uint32_t w = s->out_len < s->out_cap ? s->out_len : s->out_cap;
    for (uint32_t i = 0; i < s->out_cap; i++)
        s->out[i] = i < w ? value(g, 0) : 0;
}

/* Arrange the memory operand of an instruction (LD, ST: one word; LPSW: four) so that
 * its virtual address is legal (70%) or not, by choosing r[rs]. */
static void arrange_mem(rng *g, pgv_state *s, const pgv_insn *in, uint32_t ext)
{
    uint32_t words = in->fmt == FMT_MEMS ? PGV_PSW_WORDS : 1u;
    uint32_t a;
    if (ext >= words && below(g, 10) < 7) {
        a = below(g, ext - words + 1);
    } else {
        switch (below(g, 6)) {
        case 0: a = ext; break;                                  /* just past the end */
        case 1: a = ext ? ext - 1 : 0; break;                    /* last word (LPSW: overruns) */
        case 2: a = ext + below(g, 64); break;
        case 3: a = 0xFFFFFFFFu - below(g, 4); break;            /* wraparound edge   */
        case 4: a = s->b; break;
        default: a = r32(g); break;
        }
    }
    s->r[in->rs] = a - in->imm;
}

/* A random base state for opcode opc, the instruction at P. */
static void gen_base(rng *g, uint32_t profile, uint32_t opc, pgv_cls_snap *x)
{
    memset(x, 0, sizeof *x);
    pgv_cls_snap_fix(x);
    pgv_state *s = &x->s;
    uint32_t q;
    switch (below(g, 8)) {
    case 0: q = PGV_MIN_WORDS; break;
    case 1: q = PGV_CLS_MAX_Q; break;
    default: q = PGV_MIN_WORDS + below(g, PGV_CLS_MAX_Q - PGV_MIN_WORDS + 1); break;
    }
    pgv_init(s, x->mem, q, profile, 0);
    s->in = x->in;
    s->out = x->out;

    /* §2.3 relocation, including the edges */
    uint32_t l, b;
    switch (below(g, 20)) {
    case 0: case 1: case 2: case 3: case 4: l = 0; b = q; break;          /* native  */
    case 5: case 6: case 7: case 8: case 9: case 10:
        l = below(g, q); b = 1 + below(g, q - l); break;                     /* inside  */
    case 11: case 12: l = below(g, q); b = q - l; break;                    /* exact   */
    case 13: l = 0; b = 1 + below(g, q); break;
    case 14: case 15: l = below(g, q); b = q - l + 1 + below(g, 1000); break; /* partial */
    case 16: l = below(g, q); b = 0; break;                                  /* empty   */
    case 17: l = q - 1 + below(g, 3); b = 1 + below(g, 4); break;            /* top     */
    case 18: l = below(g, 2) ? 0xFFFFFFF0u : 0x80000000u; b = q; break;      /* huge l  */
    default: l = below(g, q); b = 0xFFFFFFFFu; break;                        /* huge b  */
    }
    s->l = l;
    s->b = b;
    uint32_t ext = extent(s);

    for (uint32_t i = 0; i < q; i++)
        x->mem[i] = below(g, 8) == 0 ? 0 : value(g, ext);
    for (unsigned i = 0; i < PGV_NREGS; i++)
        s->r[i] = value(g, ext);
    s->mode = below(g, 2) ? PGV_MODE_USER : PGV_MODE_SUP;
    s->ie = below(g, 2);
    s->flags = below(g, 8);
    s->cause = below(g, 4) == 0 ? below(g, 256) : below(g, PGV_NCAUSES);
    gen_timer(g, s);
    s->in_len = below(g, PGV_CLS_TAPE + 1);
    for (uint32_t i = 0; i < PGV_CLS_TAPE; i++)
        x->in[i] = value(g, 0);
    s->out_cap = below(g, 4) == 0 ? below(g, PGV_CLS_OUT + 1) : PGV_CLS_OUT;
    gen_io_state(g, s);
    s->steps = below(g, 2) ? 0 : r32(g);

    /* the instruction: a random legal encoding (§4.2: unused fields zero) at P */
    uint32_t w = opc << 24 | (r32(g) & 0x00FFFFFFu & ~pgv_fmt_zero_mask[pgv_optab[opc].fmt]);
    pgv_insn in;
    if (ext > 0 && below(g, 20) != 0) {
        s->pc = below(g, ext);
        x->mem[s->pc + l] = w;
    } else {
        switch (below(g, 3)) {    /* P illegal: fetch traps BOUNDS */
        case 0: s->pc = ext; break;
        case 1: s->pc = ext + below(g, 100); break;
        default: s->pc = 0xFFFFFFFFu; break;
        }
    }
    if (pgv_decode(w, &in) && (in.fmt == FMT_MEM || in.fmt == FMT_MEMS))
        arrange_mem(g, s, &in, ext);
}

/* --- running and observing --------------------------------------------------------------- */

typedef struct run {
    pgv_cls_snap after;
    pgv_event ev;
    uint32_t trap_cause;   /* cause of the trap taken (0: none)   */
    bool reached;          /* the step got to the privilege check  */
} run;

static bool is_reached(const pgv_state *s)
{
    uint32_t pa;
    return !s->halted && !(s->tp && s->ie) && pgv_translate(s->l, s->b, s->q, s->pc, &pa);
}

static uint32_t word_at_p(const pgv_state *s)
{
    uint32_t pa;
    return pgv_translate(s->l, s->b, s->q, s->pc, &pa) ? s->mem[pa] : 0;
}

static void do_run(const pgv_cls_snap *before, run *o)
{
    snap_copy(&o->after, before);
    o->reached = is_reached(&before->s);
    o->ev = pgv_step(&o->after.s);
    o->trap_cause = o->ev == PGV_EV_TRAP
        ? (o->after.mem[PGV_OLD_PSW] >> PGV_ST_CAUSE_SH) & PGV_ST_CAUSE_MASK : 0u;
}

typedef struct ctx {
    pgv_cls_result *r;
    pgv_cls_insn *in;
    bool priv_bad;     /* a counterexample to PRIV was seen */
    bool oom;
} ctx;

static void note(ctx *c, uint32_t cls, uint32_t rel, uint32_t diff, const pgv_cls_snap *b0,
                 const run *r0, const pgv_cls_snap *b1, const run *r1)
{
    pgv_cls_insn *in = c->in;
    if (cls != PGV_CLS_PRIV)
        in->derived |= PGV_CLS_BIT(cls);
    if (in->wit[cls] >= 0 || c->oom)
        return;
    pgv_cls_result *r = c->r;
    pgv_cls_witness *nw = realloc(r->wit, (r->nwit + 1) * sizeof *nw);
    if (!nw) {
        c->oom = true;
        return;
    }
    r->wit = nw;
    for (uint32_t i = 0; i < r->nwit; i++)   /* realloc moved the snapshots */
        for (unsigned k = 0; k < 2; k++) {
            pgv_cls_snap_fix(&nw[i].before[k]);
            pgv_cls_snap_fix(&nw[i].after[k]);
        }
    pgv_cls_witness *w = &nw[r->nwit];
    memset(w, 0, sizeof *w);
    w->opc = in->opc;
    w->profile = r->profile;
    w->cls = cls;
    w->rel = rel;
    w->diff = diff;
    w->word = word_at_p(&b0->s);
    snap_copy(&w->before[0], b0);
    snap_copy(&w->after[0], &r0->after);
    w->ev[0] = r0->ev;
    w->trap_cause[0] = r0->trap_cause;
    if (b1) {
        snap_copy(&w->before[1], b1);
        snap_copy(&w->after[1], &r1->after);
        w->ev[1] = r1->ev;
        w->trap_cause[1] = r1->trap_cause;
    } else {
        pgv_cls_snap_fix(&w->before[1]);
        pgv_cls_snap_fix(&w->after[1]);
    }
    in->wit[cls] = (int)r->nwit;
    r->nwit++;
}

/* One state on its own: privilege and control sensitivity. */
static void observe_single(ctx *c, const pgv_cls_snap *b, const run *o)
{
    if (!o->reached)
        return;
    bool user = b->s.mode == PGV_MODE_USER;
    bool trapped_priv = o->ev == PGV_EV_TRAP && o->trap_cause == PGV_CAUSE_PRIV;
    if (user) {
        c->in->n_user++;
        if (!trapped_priv) {
            c->priv_bad = true;
            note(c, PGV_CLS_PRIV, PGV_REL_NONE, 0, b, o, NULL, NULL);
        }
    } else {
        c->in->n_sup++;
        if (trapped_priv) {
            c->priv_bad = true;
            note(c, PGV_CLS_PRIV, PGV_REL_NONE, 0, b, o, NULL, NULL);
        }
    }
    if (o->ev == PGV_EV_TRAP)
        return;
    c->in->n_exec++;
    uint32_t d = ctl_diff(&b->s, &o->after.s);
    if (d) {
        note(c, PGV_CLS_CTL, PGV_REL_NONE, d, b, o, NULL, NULL);
        if (user)
            note(c, PGV_CLS_USENS, PGV_REL_NONE, d, b, o, NULL, NULL);
    }
}

/* A pair of states differing only in `rel`: behavior sensitivity. */
static void observe_pair(ctx *c, uint32_t rel, const pgv_cls_snap *b0, const run *o0,
                         const pgv_cls_snap *b1, const run *o1)
{
    if (o0->ev == PGV_EV_TRAP || o1->ev == PGV_EV_TRAP)
        return;
    bool virt = rel == PGV_REL_R;
    if (virt && ((pgv_cls_diff(&b0->s, &o0->after.s, false) & PGV_COMP_R) ||
                 (pgv_cls_diff(&b1->s, &o1->after.s, false) & PGV_COMP_R)))
        return;   /* the instruction changed R: not a location-sensitivity test */
    c->in->n_pairs[rel]++;
    uint32_t d = pgv_cls_diff(&o0->after.s, &o1->after.s, virt) & ~rel_comp[rel];
    if (!d)
        return;
    uint32_t cls = rel == PGV_REL_M ? PGV_CLS_BEH_M : rel == PGV_REL_R ? PGV_CLS_BEH_R
                                                                       : PGV_CLS_BEH_C;
    note(c, cls, rel, d, b0, o0, b1, o1);
    if (cls != PGV_CLS_BEH_M && b0->s.mode == PGV_MODE_USER && b1->s.mode == PGV_MODE_USER)
        note(c, PGV_CLS_USENS, rel, d, b0, o0, b1, o1);
}

/* The relocated twin of x: same b, another l, window contents copied.  false when
 * x's window does not allow one (empty, partly outside storage, or filling it). */
static bool gen_relocated(rng *g, const pgv_cls_snap *x, pgv_cls_snap *y)
{
    const pgv_state *s = &x->s;
    if (s->l >= s->q || s->b == 0 || s->b > s->q - s->l || s->q - s->b == 0 || s->pc >= s->b)
        return false;
    snap_copy(y, x);
    uint32_t room = s->q - s->b, l2;   /* l2 in 0..room, != l */
    do {
        switch (below(g, 4)) {
        case 0: l2 = room; break;
        case 1: l2 = 0; break;
        default: l2 = below(g, room + 1); break;
        }
    } while (l2 == s->l);
    for (uint32_t i = 0; i < s->q; i++)
        y->mem[i] = value(g, s->b);
    memcpy(&y->mem[l2], &x->mem[s->l], (size_t)s->b * sizeof(uint32_t));
    y->s.l = l2;
    return true;
}

static void gen_other_timer(rng *g, const pgv_cls_snap *x, pgv_cls_snap *y)
{
    snap_copy(y, x);
    do
        gen_timer(g, &y->s);
    while (y->s.timer == x->s.timer && y->s.tp == x->s.tp);
}

static void gen_other_io(rng *g, const pgv_cls_snap *x, pgv_cls_snap *y)
{
    snap_copy(y, x);
    for (int tries = 0; tries < 100; tries++) {
        gen_io_state(g, &y->s);
        if (io_diff(&x->s, &y->s))
            return;
    }
    y->s.out_len = x->s.out_len + 1;   /* always a different I/O state */
}

static void classify_insn(ctx *c, uint32_t profile, uint32_t opc, uint32_t samples, uint64_t seed)
{
    rng g = { seed * 0x9E3779B97F4A7C15ull + ((uint64_t)profile << 40) + ((uint64_t)opc << 16) + 1 };
    rnext(&g);
    pgv_cls_snap base, var;
    run o_base, o_var;
    for (uint32_t k = 0; k < samples && !c->oom; k++) {
        gen_base(&g, profile, opc, &base);
        do_run(&base, &o_base);
        observe_single(c, &base, &o_base);

        snap_copy(&var, &base);                       /* only M differs */
        var.s.mode ^= 1u;
        do_run(&var, &o_var);
        observe_single(c, &var, &o_var);
        if (base.s.mode == PGV_MODE_SUP)
            observe_pair(c, PGV_REL_M, &base, &o_base, &var, &o_var);
        else
            observe_pair(c, PGV_REL_M, &var, &o_var, &base, &o_base);

        if (gen_relocated(&g, &base, &var)) {         /* only R (and the placement) */
            do_run(&var, &o_var);
            observe_single(c, &var, &o_var);
            observe_pair(c, PGV_REL_R, &base, &o_base, &var, &o_var);
        }

        snap_copy(&var, &base);                       /* only IE differs */
        var.s.ie ^= 1u;
        do_run(&var, &o_var);
        observe_single(c, &var, &o_var);
        observe_pair(c, PGV_REL_IE, &base, &o_base, &var, &o_var);

        gen_other_timer(&g, &base, &var);             /* only T/TP differ */
        do_run(&var, &o_var);
        observe_single(c, &var, &o_var);
        observe_pair(c, PGV_REL_TIMER, &base, &o_base, &var, &o_var);

        gen_other_io(&g, &base, &var);                /* only the I/O state differs */
        do_run(&var, &o_var);
        observe_single(c, &var, &o_var);
        observe_pair(c, PGV_REL_IO, &base, &o_base, &var, &o_var);
    }
}

int pgv_classify(uint32_t profile, uint32_t samples, uint64_t seed, pgv_cls_result *r)
{
    memset(r, 0, sizeof *r);
    if (profile >= PGV_NPROFILES)
        return 2;
    if (samples == 0)
        samples = PGV_CLS_DEFAULT_SAMPLES;
    r->profile = profile;
    r->samples = samples;
    r->seed = seed;
    ctx c = { .r = r };
    for (unsigned i = 0; i < pgv_nops && i < PGV_CLS_MAX_INSNS; i++) {
        pgv_cls_insn *in = &r->insn[r->ninsn++];
        in->opc = pgv_op_list[i];
        in->name = pgv_optab[in->opc].name;
        for (unsigned k = 0; k < PGV_NCLS; k++)
            in->wit[k] = -1;
        c.in = in;
        c.priv_bad = false;
        classify_insn(&c, profile, in->opc, samples, seed);
        if (in->n_user > 0 && !c.priv_bad)
            in->derived |= PGV_CLS_BIT(PGV_CLS_PRIV);
    }
    if (c.oom) {
        pgv_cls_result_free(r);
        return 2;
    }
    r->theorem1 = pgv_cls_violations(r, 1, NULL, 0) == 0;
    r->theorem3 = pgv_cls_violations(r, 3, NULL, 0) == 0;
    return 0;
}

void pgv_cls_result_free(pgv_cls_result *r)
{
    free(r->wit);
    r->wit = NULL;
    r->nwit = 0;
}

/* --- witness verification ------------------------------------------------------------- */

static bool fail(char *why, size_t n, const char *msg)
{
    if (why && n)
        snprintf(why, n, "%s", msg);
    return false;
}

bool pgv_cls_witness_verify(const pgv_cls_witness *w, char *why, size_t whylen)
{
    pgv_cls_snap b[2];
    run o[2];
    unsigned n = w->rel == PGV_REL_NONE ? 1u : 2u;
    if (w->rel >= PGV_NREL || w->cls >= PGV_NCLS)
        return fail(why, whylen, "malformed witness");
    for (unsigned k = 0; k < n; k++) {
        snap_copy(&b[k], &w->before[k]);
        if (b[k].s.profile != w->profile)
            return fail(why, whylen, "state has another profile");
        if (word_at_p(&b[k].s) != w->word || PGV_OPC(w->word) != w->opc)
            return fail(why, whylen, "the instruction at P is not the witness's");
        do_run(&b[k], &o[k]);
        pgv_cls_snap a;
        snap_copy(&a, &w->after[k]);
        if (o[k].ev != w->ev[k] || o[k].trap_cause != w->trap_cause[k] ||
            pgv_cls_diff(&o[k].after.s, &a.s, false) != 0)
            return fail(why, whylen, "re-running the step gives another result");
    }
    if (w->rel != PGV_REL_NONE) {
        /* the two states must differ exactly in the relation's component */
        bool virt = w->rel == PGV_REL_R;
        uint32_t d = pgv_cls_diff(&b[0].s, &b[1].s, virt);
        if (d != rel_comp[w->rel])
            return fail(why, whylen, "the states differ in more than the stated component");
        if (virt && (b[0].s.b != b[1].s.b || b[0].s.l == b[1].s.l ||
                     b[0].s.b > b[0].s.q - b[0].s.l || b[1].s.b > b[1].s.q - b[1].s.l))
            return fail(why, whylen, "not a relocation (l1, b) vs (l2, b) inside storage");
        if (w->rel == PGV_REL_IO && (b[0].s.in_len != b[1].s.in_len || b[0].s.out_cap !=
                                     b[1].s.out_cap || memcmp(b[0].in, b[1].in, sizeof b[0].in)))
            return fail(why, whylen, "the tapes differ");
        if (o[0].ev == PGV_EV_TRAP || o[1].ev == PGV_EV_TRAP)
            return fail(why, whylen, "a step of the pair traps");
        if (virt && ((pgv_cls_diff(&b[0].s, &o[0].after.s, false) & PGV_COMP_R) ||
                     (pgv_cls_diff(&b[1].s, &o[1].after.s, false) & PGV_COMP_R)))
            return fail(why, whylen, "the instruction changed R");
        uint32_t r = pgv_cls_diff(&o[0].after.s, &o[1].after.s, virt) & ~rel_comp[w->rel];
        if (r == 0 || r != w->diff)
            return fail(why, whylen, "the results do not differ beyond the stated component");
        uint32_t want = w->rel == PGV_REL_M ? PGV_CLS_BEH_M : w->rel == PGV_REL_R
                                                                ? PGV_CLS_BEH_R : PGV_CLS_BEH_C;
        if (w->cls == PGV_CLS_USENS) {
            if (want == PGV_CLS_BEH_M || b[0].s.mode != PGV_MODE_USER ||
                b[1].s.mode != PGV_MODE_USER)
                return fail(why, whylen, "a user-sensitivity pair must be two user-mode states");
        } else if (w->cls != want) {
            return fail(why, whylen, "the relation does not show this class");
        }
        return true;
    }
    /* single state */
    if (!is_reached(&b[0].s))
        return fail(why, whylen, "the step does not reach the instruction");
    bool user = b[0].s.mode == PGV_MODE_USER;
    if (w->cls == PGV_CLS_PRIV) {
        bool tp = o[0].ev == PGV_EV_TRAP && o[0].trap_cause == PGV_CAUSE_PRIV;
        if (user == tp)
            return fail(why, whylen, user ? "it traps PRIV in user mode"
                                          : "it does not trap PRIV in supervisor mode");
        return true;
    }
    if (w->cls != PGV_CLS_CTL && w->cls != PGV_CLS_USENS)
        return fail(why, whylen, "a single state shows only PRIV, CTL or USENS");
    if (o[0].ev == PGV_EV_TRAP)
        return fail(why, whylen, "the step traps");
    uint32_t d = ctl_diff(&b[0].s, &o[0].after.s);
    if (d == 0 || d != w->diff)
        return fail(why, whylen, "the configuration does not change beyond the tick");
    if (w->cls == PGV_CLS_USENS && !user)
        return fail(why, whylen, "user-sensitivity needs a user-mode state");
    return true;
}
