/* fuzz/gen.c — random instructions, idioms and tests derived from the opcode table.
 *
 * Everything instruction-shaped is read from model/optab.h (itself generated from
 * spec/opcodes.def): the opcode list, operand formats, must-be-zero masks and the
 * classification columns.  The only opcode names used directly (PGV_OPC_*, from the
 * same table) are those the idioms need as glue (LUI/ORI to load a constant, the
 * instruction an idiom is about).  Deterministic for a given seed.
 */
#include <string.h>
#include "gen.h"
#include "../model/optab.h"

uint64_t pgv_rng_next(pgv_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint32_t pgv_rng_below(pgv_rng *r, uint32_t n)
{
    return (uint32_t)(((pgv_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int pgv_rng_chance(pgv_rng *r, unsigned percent)
{
    return pgv_rng_below(r, 100) < percent;
}

unsigned pgv_gen_class(uint32_t opc)
{
    const pgv_opinfo *oi = &pgv_optab[opc & 0xFFu];
    if (oi->name == 0)
        return 0;
    return (oi->priv | oi->ctl | oi->beh_m | oi->beh_r | oi->beh_c | oi->usens) ? PGV_GEN_SENSITIVE
                                                                                : PGV_GEN_INNOCUOUS;
}

uint32_t pgv_gen_opcode(pgv_rng *r, unsigned classes)
{
    unsigned cnt = 0;
    for (unsigned i = 0; i < pgv_nops; i++)
        if (pgv_gen_class(pgv_op_list[i]) & classes)
            cnt++;
    if (cnt == 0)
        return pgv_op_list[pgv_rng_below(r, pgv_nops)];
    unsigned k = pgv_rng_below(r, cnt);
    for (unsigned i = 0; i < pgv_nops; i++)
        if (pgv_gen_class(pgv_op_list[i]) & classes) {
            if (k == 0)
                return pgv_op_list[i];
            k--;
        }
    return pgv_op_list[0];
}

uint32_t pgv_gen_value(pgv_rng *r, uint32_t q)
{
    switch (pgv_rng_below(r, 16)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return 0xFFFFFFFFu;
    case 3: return 0x80000000u;
    case 4: return 0x7FFFFFFFu;
    case 5: return q;
    case 6: return q - 1u;
    case 7: return 1u << PGV_FLAGW_IE_BIT;                       /* POPF/PUSHF IE bit   */
    case 8: return (1u << PGV_FLAGW_IE_BIT) | pgv_rng_below(r, 8);
    case 9: return PGV_FUZZ_ORIGIN + pgv_rng_below(r, 16);
    case 10: return pgv_rng_below(r, 16);                        /* low storage         */
    case 11: return PGV_ST_M | PGV_ST_IE | pgv_rng_below(r, 8) << PGV_ST_FLAGS_SH;
    case 12: return 0xFFFFFFF0u + pgv_rng_below(r, 16);
    case 13: return pgv_rng_below(r, 256);
    case 14: return 1u << pgv_rng_below(r, 32);
    default: return (uint32_t)pgv_rng_next(r);
    }
}

static uint32_t gen_reg(pgv_rng *r)
{
    /* r6/r7 are the generated handlers' registers: used, but less often. */
    return pgv_rng_chance(r, 85) ? pgv_rng_below(r, 6) : 6u + pgv_rng_below(r, 2);
}

static uint32_t gen_simm(pgv_rng *r, uint32_t q)
{
    switch (pgv_rng_below(r, 6)) {
    case 0: return pgv_rng_below(r, 16);
    case 1: return (uint32_t)-(int32_t)(1 + pgv_rng_below(r, 8));
    case 2: return pgv_rng_below(r, q);
    case 3: return pgv_rng_chance(r, 50) ? 0x7FFFu : 0x8000u;
    default: return pgv_rng_below(r, 0x10000);
    }
}

uint32_t pgv_gen_insn_op(pgv_rng *r, uint32_t opc, uint32_t pos, uint32_t n, uint32_t q)
{
    const pgv_opinfo *oi = &pgv_optab[opc & 0xFFu];
    uint32_t rd = gen_reg(r), rs = gen_reg(r), rt = gen_reg(r), imm;
    if (oi->name == 0)
        return opc << 24 | (uint32_t)pgv_rng_next(r) >> 8;
    switch (oi->fmt) {
    case FMT_DSH:
        imm = pgv_rng_below(r, 32);
        break;
    case FMT_B:
    case FMT_DB: {
        /* mostly within the program: forward skips, short backward loops */
        int32_t lo = -(int32_t)pos - 1, hi = (int32_t)n - (int32_t)pos - 1;
        if (pgv_rng_chance(r, 80) && hi > lo) {
            int32_t span = hi - lo;
            int32_t off = lo + (int32_t)pgv_rng_below(r, (uint32_t)span + 1);
            if (pgv_rng_chance(r, 60))
                off = (int32_t)pgv_rng_below(r, 6);
            imm = (uint32_t)off;
        } else {
            imm = gen_simm(r, q);
        }
        break;
    }
    case FMT_DSU:
    case FMT_DI:
    case FMT_U:
        imm = pgv_rng_chance(r, 50) ? pgv_rng_below(r, 64) : pgv_rng_below(r, 0x10000);
        break;
    default:
        imm = gen_simm(r, q);
        break;
    }
    return pgv_fuzz_legalize(pgv_fuzz_enc(opc, rd, rs, rt, imm));
}

uint32_t pgv_gen_reshape(uint32_t w, uint32_t opc)
{
    const pgv_opinfo *oi = &pgv_optab[opc & 0xFFu];
    w = (opc & 0xFFu) << 24 | (w & 0x00FFFFFFu);
    if (oi->name == 0)
        return w;
    /* registers keep their low 3 bits, the rest is cleared by the format's mask */
    w &= ~0x00888000u;
    if (oi->fmt == FMT_DSH)
        w &= ~0x0000FFE0u;
    return w & ~pgv_fmt_zero_mask[oi->fmt];
}

#define E(o, d, s, t, i) pgv_fuzz_enc(PGV_OPC_##o, d, s, t, i)

/* rX := v in two words (LUI; ORI). */
static uint32_t load_const(uint32_t *p, uint32_t rx, uint32_t v)
{
    p[0] = E(LUI, rx, 0, 0, v >> 16);
    p[1] = E(ORI, rx, rx, 0, v & 0xFFFFu);
    return 2;
}

uint32_t pgv_gen_idiom(pgv_rng *r, uint32_t *prog, uint32_t n, uint32_t room, uint32_t q)
{
    uint32_t buf[16], k = 0;
    uint32_t rx = gen_reg(r), ry = gen_reg(r);
    uint32_t pos = n;
    switch (pgv_rng_below(r, 18)) {
    case 0: case 1: case 2: /* a random innocuous instruction */
        buf[k++] = pgv_gen_insn_op(r, pgv_gen_opcode(r, PGV_GEN_INNOCUOUS), pos, pos + 8, q);
        break;
    case 3: case 4: /* a random sensitive instruction */
        buf[k++] = pgv_gen_insn_op(r, pgv_gen_opcode(r, PGV_GEN_SENSITIVE), pos, pos + 8, q);
        break;
    case 5: /* POPF with a prepared flags word (IE bit toggled) */
        k += load_const(buf + k, rx, pgv_rng_chance(r, 70) ? (1u << PGV_FLAGW_IE_BIT) | pgv_rng_below(r, 8)
                                                           : pgv_rng_below(r, 8));
        buf[k++] = E(POPF, 0, rx, 0, 0);
        if (pgv_rng_chance(r, 50))
            buf[k++] = E(PUSHF, ry, 0, 0, 0);
        break;
    case 6: /* relocation change: SETR with a prepared (l, b) */
        k += load_const(buf + k, rx, pgv_rng_chance(r, 70) ? 0 : pgv_gen_value(r, q));
        k += load_const(buf + k, ry, pgv_rng_chance(r, 60) ? q : pgv_gen_value(r, q));
        buf[k++] = E(SETR, 0, rx, ry, 0);
        break;
    case 7: /* timer: arm, enable, spin a little */
        buf[k++] = E(LUI, rx, 0, 0, 0);
        buf[k++] = E(ORI, rx, rx, 0, 1 + pgv_rng_below(r, 12));
        buf[k++] = E(STMR, 0, rx, 0, 0);
        buf[k++] = E(EI, 0, 0, 0, 0);
        if (pgv_rng_chance(r, 50))
            buf[k++] = E(RDTMR, ry, 0, 0, 0);
        break;
    case 8: /* LPSW of the prepared PSW at E[12..15] or a PSW built in storage */
        buf[k++] = E(LUI, 7, 0, 0, 0);
        if (pgv_rng_chance(r, 50)) {
            k += load_const(buf + k, rx, pgv_gen_value(r, q) & 0xFF73u);
            buf[k++] = E(ST, rx, 7, 0, PGV_FUZZ_PSW_ADDR);
        }
        buf[k++] = E(LPSW, 0, 7, 0, PGV_FUZZ_PSW_ADDR);
        break;
    case 9: /* JRSTU to the next instruction (enter user mode) */
        k += load_const(buf + k, rx, PGV_FUZZ_ORIGIN + pos + 3u);   /* virtual P when l = 0 */
        buf[k++] = E(JRSTU, 0, rx, 0, 0);
        break;
    case 10: /* read the real configuration into the output */
        buf[k++] = pgv_gen_insn_op(r, pgv_rng_chance(r, 50) ? PGV_OPC_RDR : PGV_OPC_RDPSW, pos, pos, q);
        buf[k++] = E(OUT, 0, PGV_RD(buf[0]), 0, 0);
        break;
    case 11: /* a counted loop around a random body instruction */
        buf[k++] = E(LUI, 5, 0, 0, 0);
        buf[k++] = E(ORI, 5, 5, 0, 2 + pgv_rng_below(r, 30));
        buf[k++] = pgv_gen_insn_op(r, pgv_gen_opcode(r, PGV_GEN_ANY), 0, 0, q);
        if (PGV_OPC(buf[k - 1]) >= PGV_OPC_BR && PGV_OPC(buf[k - 1]) <= PGV_OPC_JALR)
            buf[k - 1] = E(NOP, 0, 0, 0, 0);
        buf[k++] = E(ADDI, 5, 5, 0, 0xFFFF);
        buf[k++] = E(CMPI, 0, 5, 0, 0);
        buf[k++] = E(BNE, 0, 0, 0, (uint32_t)-4);
        break;
    case 12: /* memory traffic to low storage / data area (absolute base) */
        buf[k++] = E(LUI, 7, 0, 0, 0);
        buf[k++] = E(LD, rx, 7, 0, pgv_rng_below(r, q + 4));
        buf[k++] = E(ST, rx, 7, 0, pgv_rng_below(r, q + 4));
        break;
    case 13: /* supervisor call */
        buf[k++] = E(SVC, 0, 0, 0, pgv_rng_below(r, 0x10000));
        break;
    case 14: /* I/O */
        buf[k++] = E(IN, rx, 0, 0, 0);
        buf[k++] = E(OUT, 0, rx, 0, 0);
        break;
    case 15: /* DI / EI window */
        buf[k++] = E(DI, 0, 0, 0, 0);
        buf[k++] = pgv_gen_insn_op(r, pgv_gen_opcode(r, PGV_GEN_INNOCUOUS), 0, 0, q);
        if (PGV_OPC(buf[k - 1]) >= PGV_OPC_BR && PGV_OPC(buf[k - 1]) <= PGV_OPC_SVC)
            buf[k - 1] = E(NOP, 0, 0, 0, 0);
        buf[k++] = E(EI, 0, 0, 0, 0);
        break;
    case 16: /* a constant into a register */
        k += load_const(buf + k, rx, pgv_gen_value(r, q));
        break;
    default: /* compare and branch forward */
        buf[k++] = E(CMP, 0, rx, ry, 0);
        buf[k++] = pgv_gen_insn_op(r, PGV_OPC_BEQ + pgv_rng_below(r, 6), 0, 0, q) & 0xFF000000u;
        buf[k - 1] |= pgv_rng_below(r, 4);
        break;
    }
    if (k > room)
        k = room;
    memcpy(prog + n, buf, k * sizeof *buf);
    return k;
}

void pgv_gen_test(pgv_rng *r, pgv_fuzz_input *in, uint32_t max_words)
{
    memset(in, 0, sizeof *in);
    if (max_words > PGV_FUZZ_MAX_PROG)
        max_words = PGV_FUZZ_MAX_PROG;
    if (max_words == 0)
        max_words = 1;
    in->cfg = pgv_rng_chance(r, 70) ? 0 : (uint8_t)pgv_rng_below(r, 256);
    in->psw = (uint8_t)((pgv_rng_chance(r, 25) ? PGV_FUZZ_PSW_USER : 0u) |
                        (pgv_rng_chance(r, 30) ? PGV_FUZZ_PSW_IE : 0u) |
                        pgv_rng_below(r, 8) << PGV_FUZZ_PSW_FLAGS_SH |
                        (pgv_rng_chance(r, 3) ? PGV_FUZZ_PSW_RAW : 0u) |
                        (pgv_rng_chance(r, 5) ? PGV_FUZZ_PSW_TP : 0u));
    in->budget = (uint16_t)pgv_rng_below(r, 0x10000);
    in->timer = pgv_rng_chance(r, 50) ? 0 : (uint8_t)(1 + pgv_rng_below(r, 255));
    in->reloc = pgv_rng_chance(r, 60) ? (uint8_t)(pgv_rng_below(r, 4) << 6) : (uint8_t)pgv_rng_below(r, 256);
    unsigned pol = pgv_rng_below(r, 100);
    pol = pol < 60 ? PGV_FUZZ_RESUME_SKIP_FAULT : pol < 75 ? PGV_FUZZ_RESUME_RETRY
        : pol < 90 ? PGV_FUZZ_RESUME_SKIP : PGV_FUZZ_RESUME_HALT;
    in->handler = (uint8_t)(pol << PGV_FUZZ_H_POLICY_SH |
                            (pgv_rng_chance(r, 50) ? PGV_FUZZ_H_COUNT : 0u) |
                            (pgv_rng_chance(r, 30) ? PGV_FUZZ_H_REARM : 0u) |
                            (pgv_rng_chance(r, 30) ? PGV_FUZZ_H_TOUSER : 0u) |
                            (pgv_rng_chance(r, 10) ? PGV_FUZZ_H_NEWIE : 0u) |
                            (pgv_rng_chance(r, 4) ? PGV_FUZZ_H_NEWUSER : 0u) |
                            (pgv_rng_chance(r, 5) ? PGV_FUZZ_H_CUSTOM : 0u));
    in->limit = (uint8_t)pgv_rng_below(r, 256);
    in->rearm = (uint8_t)pgv_rng_below(r, 64);
    uint32_t ntape = pgv_rng_below(r, PGV_FUZZ_MAX_TAPE + 1);
    in->sizes = (uint8_t)(pgv_rng_below(r, 16) << 4 | ntape);
    for (unsigned i = 0; i < PGV_NREGS; i++)
        in->r[i] = pgv_rng_chance(r, 50) ? pgv_rng_below(r, 64) : pgv_gen_value(r, 256);
    uint32_t n = 1 + pgv_rng_below(r, max_words);
    uint32_t q = PGV_FUZZ_ORIGIN + n + PGV_FUZZ_MIN_DATA + 16u * (uint32_t)(in->sizes >> 4);
    if (in->handler & PGV_FUZZ_H_CUSTOM) {
        uint32_t tmpl[PGV_FUZZ_MAX_HANDLER];
        uint32_t tn = pgv_fuzz_handler_template((uint8_t)(in->handler & ~PGV_FUZZ_H_CUSTOM), tmpl);
        in->hlen = (uint8_t)(tn - 1u);
        in->nhandler = tn;
        for (uint32_t i = 0; i < tn; i++)   /* a template with one random change */
            in->handler_w[i] = tmpl[i];
        uint32_t at = pgv_rng_below(r, tn);
        in->handler_w[at] = pgv_gen_insn_op(r, pgv_gen_opcode(r, PGV_GEN_ANY), at, tn, q);
    }
    in->ntape = ntape;
    for (uint32_t i = 0; i < ntape; i++)
        in->tape[i] = pgv_gen_value(r, q);
    uint32_t k = 0;
    while (k < n) {
        if (pgv_rng_chance(r, 35))
            in->prog[k] = pgv_gen_insn_op(r, pgv_gen_opcode(r, PGV_GEN_ANY), k, n, q), k++;
        else
            k += pgv_gen_idiom(r, in->prog, k, n - k, q);
    }
    if (n > 1 && pgv_rng_chance(r, 70))
        in->prog[n - 1] = E(HALT, 0, 0, 0, 0);
    in->nprog = n;
}
