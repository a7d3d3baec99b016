/* fuzz/input.c — the fuzzer's input codec: parse, serialize, resolve, build (fuzz/input.h).
 *
 * Turns any byte string of at least PGV_FUZZ_HEADER bytes into one deterministic
 * differential test: a guest storage image (low storage with a generated new PSW, a
 * trap handler region, the program, a data area), an initial native state and a VMM
 * configuration.  Campaign-fixed options (FUZZ_PROFILE etc.) override the carved header
 * fields without changing how the bytes are carved.  Instruction words are derived from
 * the opcode table (spec/opcodes.def via model/optab.h), never listed here.  No
 * allocation, no I/O; total on its inputs (every field value means something).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "input.h"
#include "../model/optab.h"
#include "../vmm/vmm.h"

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

uint32_t pgv_fuzz_enc(uint32_t opc, uint32_t rd, uint32_t rs, uint32_t rt, uint32_t imm)
{
    return (opc & 0xFFu) << 24 | (rd & 15u) << 20 | (rs & 15u) << 16 | (rt & 15u) << 12 |
           (imm & 0xFFFFu);
}

uint32_t pgv_fuzz_legalize(uint32_t w)
{
    const pgv_opinfo *oi = &pgv_optab[PGV_OPC(w)];
    if (oi->name == 0)
        return w;
    return w & ~pgv_fmt_zero_mask[oi->fmt];
}

void pgv_fuzz_opts_default(pgv_fuzz_opts *o)
{
    o->profile = -1;
    o->hybrid = -1;
    o->depth = -1;
    o->vms = -1;
    o->budget = 0;
    o->max_budget = 0;
    o->slice = 0;
    o->verbose = 0;
}

static int parse_num(const char *val, long lo, long hi, long *out)
{
    char *end;
    long v;
    if (val == 0 || *val == 0)
        return -1;
    v = strtol(val, &end, 0);
    if (*end != 0 || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int pgv_fuzz_opts_set(pgv_fuzz_opts *o, const char *key, const char *val, char *err, size_t errlen)
{
    long v;
    if (strcmp(key, "profile") == 0) {
        if (strcmp(val, "any") == 0 || *val == 0) {
            o->profile = -1;
            return 0;
        }
        int p = pgv_profile_parse(val);
        if (p < 0)
            goto bad;
        o->profile = p;
    } else if (strcmp(key, "vmm") == 0) {
        if (strcmp(val, "plain") == 0)
            o->hybrid = 0;
        else if (strcmp(val, "hybrid") == 0)
            o->hybrid = 1;
        else if (strcmp(val, "any") == 0 || *val == 0)
            o->hybrid = -1;
        else
            goto bad;
    } else if (strcmp(key, "depth") == 0) {
        if (parse_num(val, 1, PGV_VMM_MAX_DEPTH, &v))
            goto bad;
        o->depth = (int)v;
    } else if (strcmp(key, "vms") == 0) {
        if (parse_num(val, 1, PGV_VMM_MAX_VMS, &v))
            goto bad;
        o->vms = (int)v;
    } else if (strcmp(key, "budget") == 0) {
        if (parse_num(val, 1, 100000000L, &v))
            goto bad;
        o->budget = v;
    } else if (strcmp(key, "max-budget") == 0) {
        if (parse_num(val, 1, 100000000L, &v))
            goto bad;
        o->max_budget = (uint32_t)v;
    } else if (strcmp(key, "slice") == 0) {
        if (parse_num(val, 0, 100000000L, &v))
            goto bad;
        o->slice = (uint32_t)v;
    } else {
        snprintf(err, errlen, "unknown option '%s'", key);
        return 2;
    }
    return 0;
bad:
    snprintf(err, errlen, "bad value '%s' for %s", val ? val : "", key);
    return 2;
}

int pgv_fuzz_opts_env(pgv_fuzz_opts *o, char *err, size_t errlen)
{
    static const char *const vars[][2] = {
        {"FUZZ_PROFILE", "profile"}, {"FUZZ_VMM", "vmm"},       {"FUZZ_DEPTH", "depth"},
        {"FUZZ_VMS", "vms"},         {"FUZZ_BUDGET", "budget"}, {"FUZZ_MAX_BUDGET", "max-budget"},
        {"FUZZ_SLICE", "slice"},
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i][0]);
        if (v == 0 || *v == 0)
            continue;
        if (pgv_fuzz_opts_set(o, vars[i][1], v, err, errlen) != 0) {
            size_t n = strlen(err);
            snprintf(err + n, errlen - n, " (from %s)", vars[i][0]);
            return 2;
        }
    }
    return 0;
}

int pgv_fuzz_parse(const uint8_t *data, size_t size, pgv_fuzz_input *in)
{
    if (data == 0 || size < PGV_FUZZ_HEADER)
        return -1;
    in->cfg = data[PGV_FUZZ_OFF_CFG];
    in->psw = data[PGV_FUZZ_OFF_PSW];
    in->budget = (uint16_t)(data[PGV_FUZZ_OFF_BUDGET] | data[PGV_FUZZ_OFF_BUDGET + 1] << 8);
    in->timer = data[PGV_FUZZ_OFF_TIMER];
    in->reloc = data[PGV_FUZZ_OFF_RELOC];
    in->handler = data[PGV_FUZZ_OFF_HANDLER];
    in->limit = data[PGV_FUZZ_OFF_LIMIT];
    in->rearm = data[PGV_FUZZ_OFF_REARM];
    in->sizes = data[PGV_FUZZ_OFF_SIZES];
    in->hlen = data[PGV_FUZZ_OFF_HLEN];
    in->rsvd = data[PGV_FUZZ_OFF_RSVD];
    for (unsigned i = 0; i < PGV_NREGS; i++)
        in->r[i] = get32(data + PGV_FUZZ_OFF_REGS + 4 * i);
    size_t off = PGV_FUZZ_HEADER;
    size_t words = (size - off) / 4;
    uint32_t want = (in->handler & PGV_FUZZ_H_CUSTOM) ? 1u + (in->hlen & 31u) : 0u;
    in->nhandler = want < words ? want : (uint32_t)words;
    for (uint32_t i = 0; i < in->nhandler; i++, off += 4)
        in->handler_w[i] = get32(data + off);
    words -= in->nhandler;
    want = in->sizes & 15u;
    in->ntape = want < words ? want : (uint32_t)words;
    for (uint32_t i = 0; i < in->ntape; i++, off += 4)
        in->tape[i] = get32(data + off);
    words -= in->ntape;
    in->nprog = words < PGV_FUZZ_MAX_PROG ? (uint32_t)words : PGV_FUZZ_MAX_PROG;
    for (uint32_t i = 0; i < in->nprog; i++, off += 4)
        in->prog[i] = get32(data + off);
    return 0;
}

size_t pgv_fuzz_serialize(const pgv_fuzz_input *in, uint8_t *buf, size_t cap)
{
    /* Normalizes so that parse(serialize(x)) describes the same test as x: a custom
     * handler is padded with zero words (the storage holds zeros there anyway) to its
     * declared length, and the tape length nibble is the number of tape words. */
    uint32_t nh = 0, ntape = in->ntape, nprog = in->nprog;
    if (in->handler & PGV_FUZZ_H_CUSTOM)
        nh = 1u + (in->hlen & 31u);
    if (ntape > PGV_FUZZ_MAX_TAPE)
        ntape = PGV_FUZZ_MAX_TAPE;
    if (nprog > PGV_FUZZ_MAX_PROG)
        nprog = PGV_FUZZ_MAX_PROG;
    size_t need = PGV_FUZZ_HEADER + 4u * ((size_t)nh + ntape + nprog);
    if (need > cap)
        return 0;
    buf[PGV_FUZZ_OFF_CFG] = in->cfg;
    buf[PGV_FUZZ_OFF_PSW] = in->psw;
    buf[PGV_FUZZ_OFF_BUDGET] = (uint8_t)in->budget;
    buf[PGV_FUZZ_OFF_BUDGET + 1] = (uint8_t)(in->budget >> 8);
    buf[PGV_FUZZ_OFF_TIMER] = in->timer;
    buf[PGV_FUZZ_OFF_RELOC] = in->reloc;
    buf[PGV_FUZZ_OFF_HANDLER] = in->handler;
    buf[PGV_FUZZ_OFF_LIMIT] = in->limit;
    buf[PGV_FUZZ_OFF_REARM] = in->rearm;
    buf[PGV_FUZZ_OFF_SIZES] = (uint8_t)((in->sizes & 0xF0u) | ntape);
    buf[PGV_FUZZ_OFF_HLEN] = in->hlen;
    buf[PGV_FUZZ_OFF_RSVD] = in->rsvd;
    for (unsigned i = 0; i < PGV_NREGS; i++)
        put32(buf + PGV_FUZZ_OFF_REGS + 4 * i, in->r[i]);
    size_t off = PGV_FUZZ_HEADER;
    for (uint32_t i = 0; i < nh; i++, off += 4)
        put32(buf + off, i < in->nhandler ? in->handler_w[i] : 0u);
    for (uint32_t i = 0; i < ntape; i++, off += 4)
        put32(buf + off, in->tape[i]);
    for (uint32_t i = 0; i < nprog; i++, off += 4)
        put32(buf + off, in->prog[i]);
    return off;
}

/* §2.3-relevant choices for the initial relocation register: the natural (0, q), off-by-
 * one bounds, bounds beyond storage, l so large that a + l wraps 32 bits, and so on. */
static void reloc_choice(uint8_t reloc, uint32_t q, uint32_t origin, uint32_t nprog, uint32_t *l,
                         uint32_t *b)
{
    static const uint8_t lsel_map[8] = {0, 0, 0, 1, 2, 3, 4, 5};
    uint32_t lv = 0;
    switch (lsel_map[reloc & 7u]) {
    case 0: lv = 0; break;
    case 1: lv = PGV_FUZZ_HANDLER; break;
    case 2: lv = origin; break;
    case 3: lv = 1; break;
    case 4: lv = q - 1u; break;
    default: lv = 0xFFFFFFF0u; break;
    }
    uint32_t bv;
    switch ((reloc >> 3) & 7u) {
    case 0:
    case 1: bv = q - lv; break;                               /* exact fit (wraps if l > q) */
    case 2: bv = q; break;
    case 3: bv = q - lv - 1u; break;                          /* one word short             */
    case 4: bv = 0xFFFFFFFFu; break;                          /* bound beyond storage       */
    case 5: bv = origin + nprog - lv; break;                  /* program end                */
    case 6: bv = origin + nprog + 8u - lv; break;
    default: bv = 8; break;
    }
    *l = lv;
    *b = bv;
}

void pgv_fuzz_resolve(const pgv_fuzz_input *in, const pgv_fuzz_opts *o, pgv_fuzz_test *t)
{
    uint32_t maxb = (o && o->max_budget) ? o->max_budget : PGV_FUZZ_DEFAULT_BUDGET;
    t->profile = in->cfg & 3u;
    t->hybrid = (in->cfg >> 2) & 1u;
    t->depth = 1u + ((in->cfg >> 3) & 3u);
    t->vms = 1u + ((in->cfg >> 5) & 7u);
    t->budget = 1u + (uint64_t)(in->budget % maxb);
    t->slice = 0;
    if (o) {
        if (o->profile >= 0) t->profile = (uint32_t)o->profile;
        if (o->hybrid >= 0) t->hybrid = (uint32_t)o->hybrid;
        if (o->depth > 0) t->depth = (uint32_t)o->depth;
        if (o->vms > 0) t->vms = (uint32_t)o->vms;
        if (o->budget > 0) t->budget = (uint64_t)o->budget;
        t->slice = o->slice;
    }
    if (t->depth > PGV_VMM_MAX_DEPTH) t->depth = PGV_VMM_MAX_DEPTH;
    if (t->vms > PGV_VMM_MAX_VMS) t->vms = PGV_VMM_MAX_VMS;
    t->nprog = in->nprog > PGV_FUZZ_MAX_PROG ? PGV_FUZZ_MAX_PROG : in->nprog;
    t->nhandler = in->nhandler;
    t->ntape = in->ntape > PGV_FUZZ_MAX_TAPE ? PGV_FUZZ_MAX_TAPE : in->ntape;
    t->image = (in->psw & PGV_FUZZ_PSW_IMAGE) != 0;
    t->origin = t->image ? 0u : PGV_FUZZ_ORIGIN;
    t->q = t->origin + t->nprog + PGV_FUZZ_MIN_DATA + 16u * (uint32_t)(in->sizes >> 4);
    t->legalize = !(in->psw & PGV_FUZZ_PSW_RAW) && !t->image;
    reloc_choice(in->reloc, t->q, t->origin, t->nprog, &t->l, &t->b);
    uint32_t entry = t->image ? (uint32_t)in->rsvd | (uint32_t)(in->hlen >> 5) << 8 : PGV_FUZZ_ORIGIN;
    t->pc = t->l <= entry ? entry - t->l : entry;
    t->mode = in->psw & PGV_FUZZ_PSW_USER ? PGV_MODE_USER : PGV_MODE_SUP;
    t->ie = (in->psw & PGV_FUZZ_PSW_IE) ? 1u : 0u;
    t->flags = (in->psw >> PGV_FUZZ_PSW_FLAGS_SH) & PGV_FLAGS_MASK;
    t->tp = (in->psw & PGV_FUZZ_PSW_TP) ? 1u : 0u;
    t->timer = in->timer;
    t->handler_len = (in->handler & PGV_FUZZ_H_CUSTOM) ? 1u + (in->hlen & 31u) : 0u;
    if (t->image)
        t->handler_len = 0;
}

int pgv_fuzz_bake(pgv_fuzz_input *in, const pgv_fuzz_opts *o)
{
    pgv_fuzz_test t;
    pgv_fuzz_resolve(in, o, &t);
    if (t.budget > PGV_FUZZ_DEFAULT_BUDGET || t.depth > 4u || t.vms > 8u)
        return -1;
    in->cfg = (uint8_t)(t.profile | t.hybrid << 2 | (t.depth - 1u) << 3 | (t.vms - 1u) << 5);
    in->budget = (uint16_t)(t.budget - 1u);
    return 0;
}

/* Handler code, built from opcode-table names (ISA §5: E[0..3] old PSW, absolute).
 * r7 := 0 is the base for absolute addressing (the new PSW has R = (0, q)); r6 is the
 * scratch register.  The program's r6/r7 are therefore clobbered by every trap. */
uint32_t pgv_fuzz_handler_template(uint8_t recipe, uint32_t *w)
{
    uint32_t n = 0;
    const uint32_t B = 7, T = 6;
    unsigned policy = (recipe >> PGV_FUZZ_H_POLICY_SH) & 3u;
    w[n++] = pgv_fuzz_enc(PGV_OPC_LUI, B, 0, 0, 0);
    if (policy == PGV_FUZZ_RESUME_HALT) {
        w[n++] = pgv_fuzz_enc(PGV_OPC_HALT, 0, 0, 0, 0);
        return n;
    }
    if (policy == PGV_FUZZ_RESUME_SKIP_FAULT) {
        w[n++] = pgv_fuzz_enc(PGV_OPC_LD, T, B, 0, PGV_OLD_PSW);
        w[n++] = pgv_fuzz_enc(PGV_OPC_SHRI, T, T, 0, PGV_ST_CAUSE_SH);
        w[n++] = pgv_fuzz_enc(PGV_OPC_CMPI, 0, T, 0, PGV_CAUSE_SVC);
        w[n++] = pgv_fuzz_enc(PGV_OPC_BGEU, 0, 0, 0, 3);      /* SVC, TIMER: resume at P */
    }
    if (policy == PGV_FUZZ_RESUME_SKIP_FAULT || policy == PGV_FUZZ_RESUME_SKIP) {
        w[n++] = pgv_fuzz_enc(PGV_OPC_LD, T, B, 0, PGV_OLD_PSW + 1);
        w[n++] = pgv_fuzz_enc(PGV_OPC_ADDI, T, T, 0, 1);
        w[n++] = pgv_fuzz_enc(PGV_OPC_ST, T, B, 0, PGV_OLD_PSW + 1);
    }
    if (recipe & PGV_FUZZ_H_COUNT) {
        w[n++] = pgv_fuzz_enc(PGV_OPC_LD, T, B, 0, PGV_FUZZ_LIMIT_ADDR);
        w[n++] = pgv_fuzz_enc(PGV_OPC_ADDI, T, T, 0, 0xFFFF);
        w[n++] = pgv_fuzz_enc(PGV_OPC_ST, T, B, 0, PGV_FUZZ_LIMIT_ADDR);
        w[n++] = pgv_fuzz_enc(PGV_OPC_CMPI, 0, T, 0, 0);
        w[n++] = pgv_fuzz_enc(PGV_OPC_BNE, 0, 0, 0, 1);
        w[n++] = pgv_fuzz_enc(PGV_OPC_HALT, 0, 0, 0, 0);
    }
    if (recipe & PGV_FUZZ_H_REARM) {
        w[n++] = pgv_fuzz_enc(PGV_OPC_LD, T, B, 0, PGV_FUZZ_REARM_ADDR);
        w[n++] = pgv_fuzz_enc(PGV_OPC_STMR, 0, T, 0, 0);
    }
    if (recipe & PGV_FUZZ_H_TOUSER) {
        w[n++] = pgv_fuzz_enc(PGV_OPC_LD, T, B, 0, PGV_OLD_PSW);
        w[n++] = pgv_fuzz_enc(PGV_OPC_ORI, T, T, 0, PGV_ST_M);
        w[n++] = pgv_fuzz_enc(PGV_OPC_ST, T, B, 0, PGV_OLD_PSW);
    }
    w[n++] = pgv_fuzz_enc(PGV_OPC_LPSW, 0, B, 0, PGV_OLD_PSW);
    return n;
}

void pgv_fuzz_build(const pgv_fuzz_input *in, const pgv_fuzz_test *t, uint32_t *mem,
                    uint32_t *out, pgv_state *s)
{
    const uint32_t q = t->q;
    memset(mem, 0, (size_t)q * sizeof *mem);
    if (t->image) {   /* the words are the storage image from address 0, as they are */
        memcpy(mem, in->prog, (size_t)t->nprog * sizeof *mem);
        goto state;
    }
    /* §5 low storage: the new PSW enters the handler with R = (0, q). */
    mem[PGV_NEW_PSW + 0] = ((in->handler & PGV_FUZZ_H_NEWUSER) ? PGV_ST_M : 0u) |
                           ((in->handler & PGV_FUZZ_H_NEWIE) ? PGV_ST_IE : 0u);
    mem[PGV_NEW_PSW + 1] = PGV_FUZZ_HANDLER;
    mem[PGV_NEW_PSW + 2] = 0;
    mem[PGV_NEW_PSW + 3] = q;
    mem[PGV_FUZZ_REARM_ADDR] = in->rearm;
    mem[PGV_FUZZ_LIMIT_ADDR] = in->limit ? in->limit : 256u;
    uint32_t *psw = mem + PGV_FUZZ_PSW_ADDR;
    switch (in->reloc >> 6) {
    case 1: psw[0] = PGV_ST_M; psw[1] = PGV_FUZZ_ORIGIN; psw[2] = 0; psw[3] = q; break;
    case 2: psw[0] = PGV_ST_IE; psw[1] = PGV_FUZZ_ORIGIN; psw[2] = 0; psw[3] = q; break;
    case 3: psw[0] = PGV_ST_M | PGV_ST_IE; psw[1] = 0; psw[2] = PGV_FUZZ_ORIGIN;
            psw[3] = q - PGV_FUZZ_ORIGIN; break;
    default: break;
    }
    uint32_t *h = mem + PGV_FUZZ_HANDLER;
    if (in->handler & PGV_FUZZ_H_CUSTOM) {
        for (uint32_t i = 0; i < t->nhandler && i < PGV_FUZZ_MAX_HANDLER; i++)
            h[i] = t->legalize ? pgv_fuzz_legalize(in->handler_w[i]) : in->handler_w[i];
    } else {
        pgv_fuzz_handler_template(in->handler, h);
    }
    uint32_t *p = mem + PGV_FUZZ_ORIGIN;
    for (uint32_t i = 0; i < t->nprog; i++)
        p[i] = t->legalize ? pgv_fuzz_legalize(in->prog[i]) : in->prog[i];
state:
    pgv_init(s, mem, q, t->profile, t->pc);
    for (unsigned i = 0; i < PGV_NREGS; i++)
        s->r[i] = in->r[i];
    s->l = t->l;
    s->b = t->b;
    s->mode = t->mode;
    s->ie = t->ie;
    s->flags = t->flags;
    s->timer = t->timer;
    s->tp = t->tp;
    s->in = in->tape;
    s->in_len = t->ntape;
    s->in_pos = 0;
    s->out = out;
    s->out_cap = PGV_FUZZ_OUT_CAP;
    s->out_len = 0;
    memset(out, 0, PGV_FUZZ_OUT_CAP * sizeof *out);
}
