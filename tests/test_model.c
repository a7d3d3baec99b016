/* tests/test_model.c — the reference machine (model/) against the manual, instruction by instruction.
 *
 * Every instruction of spec/ISA.md §6 is executed from a fully specified state in every
 * profile and in both modes, and the WHOLE resulting state (registers, P, R, M, IE,
 * flags, cause, timer, TP, halted, steps, every storage word, I/O) is compared with
 * pgv_compare (§8.4) against an expected state written by hand from the manual: a
 * retired instruction changes exactly what its §6 semantics say plus the §5.4 tick
 * and P; a privileged instruction in user mode takes exactly the §5.2 PSW swap with
 * cause PRIV.  The opcode list, formats and privilege columns are restated here by
 * hand from the manual and checked against the table (spec/opcodes.def), so an edit
 * of the table that changes the ISA fails here.  Traps, relocation, the timer, I/O,
 * pgv_run, pgv_compare and the step/run property are in tests/test_model_machine.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "test_model_harness.h"

/* ---------------------------------------------------------------------------------
 * §4/§7 The opcode table restated by hand: name, opcode, format.
 * ------------------------------------------------------------------------------- */
typedef struct hand_op {
    const char *name;
    uint32_t opc;
    uint32_t fmt;
} hand_op;

static const hand_op hand_ops[] = {
    { "NOP", 0x01, FMT_N },    { "ADD", 0x02, FMT_DST },  { "SUB", 0x03, FMT_DST },
    { "AND", 0x04, FMT_DST },  { "OR", 0x05, FMT_DST },   { "XOR", 0x06, FMT_DST },
    { "SHL", 0x07, FMT_DST },  { "SHR", 0x08, FMT_DST },  { "SRA", 0x09, FMT_DST },
    { "MUL", 0x0A, FMT_DST },  { "DIVU", 0x0B, FMT_DST }, { "REMU", 0x0C, FMT_DST },
    { "ADDI", 0x10, FMT_DSI }, { "ANDI", 0x11, FMT_DSU }, { "ORI", 0x12, FMT_DSU },
    { "XORI", 0x13, FMT_DSU }, { "SHLI", 0x14, FMT_DSH }, { "SHRI", 0x15, FMT_DSH },
    { "SRAI", 0x16, FMT_DSH }, { "LUI", 0x17, FMT_DI },   { "CMP", 0x18, FMT_ST },
    { "CMPI", 0x19, FMT_SI },  { "LD", 0x20, FMT_MEM },   { "ST", 0x21, FMT_MEM },
    { "BR", 0x28, FMT_B },     { "BEQ", 0x29, FMT_B },    { "BNE", 0x2A, FMT_B },
    { "BLT", 0x2B, FMT_B },    { "BGE", 0x2C, FMT_B },    { "BLTU", 0x2D, FMT_B },
    { "BGEU", 0x2E, FMT_B },   { "JAL", 0x30, FMT_DB },   { "JR", 0x31, FMT_S },
    { "JALR", 0x32, FMT_DS },  { "SVC", 0x38, FMT_U },    { "HALT", 0x40, FMT_N },
    { "LPSW", 0x41, FMT_MEMS },{ "RDPSW", 0x42, FMT_D },  { "SETR", 0x43, FMT_ST },
    { "RDR", 0x44, FMT_DS },   { "STMR", 0x45, FMT_S },   { "RDTMR", 0x46, FMT_D },
    { "EI", 0x47, FMT_N },     { "DI", 0x48, FMT_N },     { "POPF", 0x49, FMT_S },
    { "PUSHF", 0x4A, FMT_D },  { "JRSTU", 0x4B, FMT_S },  { "IN", 0x4C, FMT_D },
    { "OUT", 0x4D, FMT_S },
};
#define N_HAND_OPS (sizeof hand_ops / sizeof hand_ops[0])

/* §4.2 Which fields each format uses (restated from the manual's format list). */
enum { U_RD = 1, U_RS = 2, U_RT = 4, U_IMM = 8, U_SH = 16 };
static unsigned hand_uses(uint32_t fmt)
{
    switch (fmt) {
    case FMT_N: return 0;
    case FMT_D: return U_RD;
    case FMT_S: return U_RS;
    case FMT_DS: return U_RD | U_RS;
    case FMT_ST: return U_RS | U_RT;
    case FMT_DST: return U_RD | U_RS | U_RT;
    case FMT_DSI: case FMT_DSU: case FMT_MEM: return U_RD | U_RS | U_IMM;
    case FMT_DSH: return U_RD | U_RS | U_SH;
    case FMT_DI: case FMT_DB: return U_RD | U_IMM;
    case FMT_SI: case FMT_MEMS: return U_RS | U_IMM;
    case FMT_B: case FMT_U: return U_IMM;
    }
    fail_msg("unknown format %u", fmt);
    return 0;
}

/* The bits of bits 23..0 that must be zero in a legal word of format fmt: every unused
 * field, the top bit of every used register field (r0..r7), shift bits 15..5. */
static uint32_t hand_zero_mask(uint32_t fmt)
{
    unsigned u = hand_uses(fmt);
    uint32_t m = 0x00FFFFFFu;
    if (u & U_RD) m &= ~0x00700000u;
    if (u & U_RS) m &= ~0x00070000u;
    if (u & U_RT) m &= ~0x00007000u;
    if (u & U_IMM) m &= ~0x0000FFFFu;
    if (u & U_SH) m &= ~0x0000001Fu;
    return m;
}

static int hand_signed(uint32_t fmt)
{
    return fmt == FMT_DSI || fmt == FMT_SI || fmt == FMT_MEM || fmt == FMT_MEMS ||
           fmt == FMT_B || fmt == FMT_DB;
}

static const hand_op *hand_find(uint32_t opc)
{
    for (size_t i = 0; i < N_HAND_OPS; i++)
        if (hand_ops[i].opc == opc)
            return &hand_ops[i];
    return NULL;
}

/* ---------------------------------------------------------------------------------
 * The opcode table itself
 * ------------------------------------------------------------------------------- */

/* The table has exactly the manual's 49 opcodes, names and formats, in table order. */
static void test_optab_matches_manual(void **state)
{
    (void)state;
    assert_int_equal(pgv_nops, N_HAND_OPS);
    for (size_t i = 0; i < N_HAND_OPS; i++)
        assert_int_equal(pgv_op_list[i], hand_ops[i].opc);
    for (uint32_t opc = 0; opc < 256; opc++) {
        const hand_op *h = hand_find(opc);
        if (h == NULL) {
            assert_null(pgv_optab[opc].name);
            continue;
        }
        assert_non_null(pgv_optab[opc].name);
        assert_string_equal(pgv_optab[opc].name, h->name);
        assert_int_equal(pgv_optab[opc].fmt, h->fmt);
    }
    assert_null(pgv_optab[0].name);   /* §4.2: opcode 0x00 is unassigned */
}

/* §7.3: the privilege column per profile, and pgv_is_privileged. */
static void test_optab_privilege_columns(void **state)
{
    (void)state;
    for (uint32_t opc = 0; opc < 256; opc++)
        for (unsigned p = 0; p < PGV_NPROFILES; p++) {
            int want = hand_find(opc) != NULL && hand_priv(opc, p);
            assert_int_equal(pgv_is_privileged(opc, p), want);
            assert_int_equal((pgv_optab[opc].priv >> p) & 1u, (unsigned)want);
        }
    /* out of range arguments are not privileged */
    assert_false(pgv_is_privileged(256, PGV_PROFILE_PG));
    assert_false(pgv_is_privileged(PGV_OPC_HALT, PGV_NPROFILES));
    /* P&G's "sensitive ⊆ privileged" per profile (§7.4), from the class columns:
     * the sensitive set is the same in every profile; only PRIV differs. */
    for (unsigned p = 0; p < PGV_NPROFILES; p++) {
        unsigned bit = 1u << p, sens_not_priv = 0, usens_not_priv = 0;
        for (size_t i = 0; i < N_HAND_OPS; i++) {
            const pgv_opinfo *oi = &pgv_optab[hand_ops[i].opc];
            int sens = ((oi->ctl | oi->beh_m | oi->beh_r | oi->beh_c) & bit) != 0;
            assert_int_equal(sens, hand_ops[i].opc >= 0x40);
            if (sens && !(oi->priv & bit)) sens_not_priv++;
            if ((oi->usens & bit) && !(oi->priv & bit)) usens_not_priv++;
        }
        assert_int_equal(sens_not_priv, p == PGV_PROFILE_PG ? 0u : 1u);     /* Theorem 1 */
        assert_int_equal(usens_not_priv, p == PGV_PROFILE_REDPILL ? 1u : 0u); /* Theorem 3 */
    }
}

/* §4.2: the per-format zero masks equal the manual's field rules. */
static void test_format_zero_masks(void **state)
{
    (void)state;
    for (uint32_t f = 0; f < PGV_NFORMATS; f++) {
        assert_int_equal(pgv_fmt_zero_mask[f], hand_zero_mask(f));
        assert_int_equal(pgv_fmt_signed[f] != 0, hand_signed(f));
    }
}

/* §4.2 + §8.1: every assigned opcode has its own semantics in the step: executed in
 * supervisor mode from a state where it cannot trap otherwise, it never takes the
 * ILLEGAL path (the step's `default:`).  Only SVC traps, and with cause SVC. */
static void test_every_opcode_has_semantics(void **state)
{
    (void)state;
    vm m;
    for (size_t i = 0; i < N_HAND_OPS; i++)
        for (unsigned p = 0; p < PGV_NPROFILES; p++) {
            uint32_t opc = hand_ops[i].opc, w = opc << 24;
            vm_boot(&m, p, PGV_MODE_SUP);
            m.s.l = 0;
            m.s.b = QW;
            m.s.pc = 24;
            for (unsigned r = 0; r < PGV_NREGS; r++)
                m.s.r[r] = 20;        /* addresses 20..23 legal for LD/ST/LPSW */
            put(&m, 24, w);
            pgv_event ev = pgv_step(&m.s);
            if (opc == PGV_OPC_SVC) {
                assert_int_equal(ev, PGV_EV_TRAP);
                assert_int_equal(old_cause(&m), PGV_CAUSE_SVC);
            } else if (opc == PGV_OPC_HALT) {
                assert_int_equal(ev, PGV_EV_HALT);
            } else {
                if (ev != PGV_EV_EXEC)
                    fail_msg("%s (0x%02X) in profile %s: event %s, E[0] cause %u",
                             hand_ops[i].name, opc, pgv_profile_name(p), pgv_event_name(ev),
                             old_cause(&m));
            }
        }
}

/* §4.2: every unassigned opcode (including 0x00) is ILLEGAL, whatever its low bits,
 * in both modes and every profile: info = the word, saved P = P, nothing else. */
static void test_unassigned_opcodes_illegal(void **state)
{
    (void)state;
    vm m, e;
    static const uint32_t lows[] = { 0x000000, 0xFFFFFF, 0x123456, 0x000001, 0x800000 };
    for (uint32_t opc = 0; opc < 256; opc++) {
        if (hand_find(opc))
            continue;
        for (unsigned p = 0; p < PGV_NPROFILES; p++)
            for (unsigned mode = 0; mode < 2; mode++)
                for (size_t k = 0; k < sizeof lows / sizeof lows[0]; k++) {
                    uint32_t w = opc << 24 | lows[k];
                    vm_boot(&m, p, mode);
                    put(&m, P0, w);
                    vm_copy(&e, &m);
                    expect_trap(&e, PGV_CAUSE_ILLEGAL, w, P0);
                    step_check(&m, &e, PGV_EV_TRAP, "unassigned opcode");
                }
    }
}

/* §4.2: setting any one reserved bit of a legal word makes it ILLEGAL — checked for
 * every opcode, every bit of its format's zero mask, both modes (ILLEGAL is decided
 * before PRIV, §8.1), every profile; and every bit outside the mask keeps it legal. */
static void test_reserved_bits_illegal(void **state)
{
    (void)state;
    vm m, e;
    pgv_insn d;
    for (size_t i = 0; i < N_HAND_OPS; i++) {
        uint32_t opc = hand_ops[i].opc, zm = hand_zero_mask(hand_ops[i].fmt);
        for (unsigned bit = 0; bit < 24; bit++) {
            uint32_t w = opc << 24 | 1u << bit;
            if (!(zm & (1u << bit))) {
                assert_true(pgv_decode(w, &d));
                continue;
            }
            assert_false(pgv_decode(w, &d));
            for (unsigned p = 0; p < PGV_NPROFILES; p++)
                for (unsigned mode = 0; mode < 2; mode++) {
                    vm_boot(&m, p, mode);
                    put(&m, P0, w);
                    vm_copy(&e, &m);
                    expect_trap(&e, PGV_CAUSE_ILLEGAL, w, P0);
                    step_check(&m, &e, PGV_EV_TRAP, hand_ops[i].name);
                }
        }
    }
}

/* §4.2: a used register field holding 8..15 is ILLEGAL; a shift amount >= 32 too. */
static void test_register_fields_8_to_15_illegal(void **state)
{
    (void)state;
    vm m, e;
    pgv_insn d;
    for (size_t i = 0; i < N_HAND_OPS; i++) {
        uint32_t opc = hand_ops[i].opc;
        unsigned u = hand_uses(hand_ops[i].fmt);
        for (uint32_t v = 0; v < 16; v++) {
            uint32_t ws[3];
            int nw = 0;
            if (u & U_RD) ws[nw++] = enc(opc, v, 0, 0, 0);
            if (u & U_RS) ws[nw++] = enc(opc, 0, v, 0, 0);
            if (u & U_RT) ws[nw++] = enc(opc, 0, 0, v, 0);
            for (int k = 0; k < nw; k++) {
                assert_int_equal(pgv_decode(ws[k], &d), v < 8);
                if (v < 8)
                    continue;
                vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
                put(&m, P0, ws[k]);
                vm_copy(&e, &m);
                expect_trap(&e, PGV_CAUSE_ILLEGAL, ws[k], P0);
                step_check(&m, &e, PGV_EV_TRAP, hand_ops[i].name);
            }
        }
        if (u & U_SH)
            for (uint32_t sh = 0; sh < 0x10000; sh++)
                assert_int_equal(pgv_decode(enc_i(opc, 1, 2, sh), &d), sh < 32);
    }
}

/* §4.1/§4.3 pgv_decode: fields and the immediate's extension per format; an illegal
 * word leaves the output untouched. */
static void test_decode_fields(void **state)
{
    (void)state;
    pgv_insn d;
    for (size_t i = 0; i < N_HAND_OPS; i++) {
        uint32_t opc = hand_ops[i].opc, f = hand_ops[i].fmt;
        unsigned u = hand_uses(f);
        uint32_t w = opc << 24;
        if (u & U_RD) w |= 5u << 20;
        if (u & U_RS) w |= 6u << 16;
        if (u & U_RT) w |= 7u << 12;
        if (u & U_IMM) w |= 0x8001u;
        if (u & U_SH) w |= 31u;
        assert_true(pgv_decode(w, &d));
        assert_int_equal(d.opc, opc);
        assert_int_equal(d.fmt, f);
        assert_int_equal(d.rd, (u & U_RD) ? 5u : 0u);
        assert_int_equal(d.rs, (u & U_RS) ? 6u : 0u);
        if (u & U_RT)
            assert_int_equal(d.rt, 7u);
        if (u & U_IMM)
            assert_int_equal(d.imm, hand_signed(f) ? 0xFFFF8001u : 0x00008001u);
        if (u & U_SH)
            assert_int_equal(d.imm, 31u);
    }
    memset(&d, 0x5A, sizeof d);
    pgv_insn before = d;
    assert_false(pgv_decode(0x00000000u, &d));
    assert_false(pgv_decode(0xFFFFFFFFu, &d));
    assert_false(pgv_decode(enc(PGV_OPC_ADD, 8, 0, 0, 0), &d));
    assert_memory_equal(&d, &before, sizeof d);
}

/* §4: every 32-bit word is exactly one instruction or ILLEGAL: on random words the
 * step takes the ILLEGAL trap iff pgv_decode rejects the word (never for a legal one). */
static void test_decode_iff_not_illegal(void **state)
{
    (void)state;
    vm m;
    pgv_insn d;
    rng_seed(12345);
    for (int k = 0; k < 200000; k++) {
        uint32_t w = (uint32_t)rnd();
        if (k & 1)   /* half of them with an assigned opcode */
            w = (w & 0x00FFFFFFu) | (uint32_t)pgv_op_list[rnd() % pgv_nops] << 24;
        vm_boot(&m, (unsigned)(rnd() % PGV_NPROFILES), PGV_MODE_SUP);
        m.s.timer = 0;
        put(&m, P0, w);
        pgv_event ev = pgv_step(&m.s);
        int illegal = ev == PGV_EV_TRAP && old_cause(&m) == PGV_CAUSE_ILLEGAL;
        if (illegal == pgv_decode(w, &d))
            fail_msg("word 0x%08X: decode %d, ILLEGAL trap %d", w, !illegal, illegal);
        if (illegal) {
            assert_int_equal(m.mem[PGV_TRAP_INFO], w);
            assert_int_equal(m.mem[PGV_OLD_PSW + 1], P0);
        }
    }
}

/* ---------------------------------------------------------------------------------
 * §6.1 Arithmetic and logic, in every profile and both modes
 * ------------------------------------------------------------------------------- */
typedef struct alu_vec {
    uint32_t opc, a, b, want;   /* r1 = a; r2 = b (DST) or imm16 = b (immediate forms) */
} alu_vec;

static const alu_vec alu_vecs[] = {
    /* ADD/SUB wrap mod 2^32 */
    { PGV_OPC_ADD, 0xFFFFFFFFu, 2, 1 },
    { PGV_OPC_ADD, 0x7FFFFFFFu, 1, 0x80000000u },
    { PGV_OPC_ADD, 3, 4, 7 },
    { PGV_OPC_SUB, 1, 2, 0xFFFFFFFFu },
    { PGV_OPC_SUB, 0, 0x80000000u, 0x80000000u },
    { PGV_OPC_SUB, 10, 3, 7 },
    { PGV_OPC_AND, 0xF0F0F0F0u, 0xFF00FF00u, 0xF000F000u },
    { PGV_OPC_OR, 0xF0F0F0F0u, 0x0F000000u, 0xFFF0F0F0u },
    { PGV_OPC_XOR, 0xFFFF0000u, 0x0F0F0F0Fu, 0xF0F00F0Fu },
    /* shifts use rt & 31 */
    { PGV_OPC_SHL, 0x80000001u, 33, 0x00000002u },
    { PGV_OPC_SHL, 1, 31, 0x80000000u },
    { PGV_OPC_SHL, 0x12345678u, 32, 0x12345678u },
    { PGV_OPC_SHL, 0x12345678u, 0xFFFFFFE4u, 0x23456780u },   /* 0xFFFFFFE4 & 31 = 4 */
    { PGV_OPC_SHR, 0x80000000u, 31, 1 },
    { PGV_OPC_SHR, 0x80000000u, 32, 0x80000000u },
    { PGV_OPC_SHR, 0xF0000000u, 4, 0x0F000000u },
    { PGV_OPC_SRA, 0x80000000u, 31, 0xFFFFFFFFu },
    { PGV_OPC_SRA, 0xF0000000u, 4, 0xFF000000u },
    { PGV_OPC_SRA, 0x70000000u, 4, 0x07000000u },
    { PGV_OPC_SRA, 0x80000000u, 0x20, 0x80000000u },
    { PGV_OPC_SRA, 0x80000000u, 0xFFFFFFFFu, 0xFFFFFFFFu },
    { PGV_OPC_MUL, 0x10000u, 0x10000u, 0 },
    { PGV_OPC_MUL, 0xFFFFFFFFu, 0xFFFFFFFFu, 1 },
    { PGV_OPC_MUL, 7, 6, 42 },
    { PGV_OPC_MUL, 0x80000000u, 3, 0x80000000u },
    /* DIVU/REMU unsigned; by zero: 0xFFFFFFFF and rs (§A) */
    { PGV_OPC_DIVU, 100, 7, 14 },
    { PGV_OPC_DIVU, 0xFFFFFFFFu, 2, 0x7FFFFFFFu },
    { PGV_OPC_DIVU, 0x80000000u, 0xFFFFFFFFu, 0 },
    { PGV_OPC_DIVU, 0x12345678u, 0, 0xFFFFFFFFu },
    { PGV_OPC_DIVU, 0, 0, 0xFFFFFFFFu },
    { PGV_OPC_REMU, 100, 7, 2 },
    { PGV_OPC_REMU, 0xFFFFFFFFu, 0x10, 0xF },
    { PGV_OPC_REMU, 0x12345678u, 0, 0x12345678u },
    { PGV_OPC_REMU, 0, 0, 0 },
    /* immediates: ADDI sign-extends; ANDI/ORI/XORI zero-extend */
    { PGV_OPC_ADDI, 5, 0xFFFF, 4 },
    { PGV_OPC_ADDI, 0xFFFFFFFFu, 1, 0 },
    { PGV_OPC_ADDI, 0, 0x8000, 0xFFFF8000u },
    { PGV_OPC_ADDI, 0, 0x7FFF, 0x7FFF },
    { PGV_OPC_ANDI, 0xFFFFFFFFu, 0x8001, 0x8001 },
    { PGV_OPC_ANDI, 0x0000FFFFu, 0, 0 },
    { PGV_OPC_ORI, 0x12340000u, 0xFFFF, 0x1234FFFFu },
    { PGV_OPC_ORI, 0x80000000u, 0x8000, 0x80008000u },
    { PGV_OPC_XORI, 0xFFFFFFFFu, 0x8000, 0xFFFF7FFFu },
    { PGV_OPC_SHLI, 3, 31, 0x80000000u },
    { PGV_OPC_SHLI, 0xABCD, 0, 0xABCD },
    { PGV_OPC_SHLI, 0x00018000u, 16, 0x80000000u },
    { PGV_OPC_SHRI, 0x80000000u, 31, 1 },
    { PGV_OPC_SHRI, 0xFFFFFFFFu, 4, 0x0FFFFFFFu },
    { PGV_OPC_SRAI, 0x80000000u, 31, 0xFFFFFFFFu },
    { PGV_OPC_SRAI, 0x80000000u, 0, 0x80000000u },
    { PGV_OPC_SRAI, 0xFFFFFF00u, 4, 0xFFFFFFF0u },
    { PGV_OPC_SRAI, 0x7FFFFFFFu, 30, 1 },
    { PGV_OPC_LUI, 0, 0xABCD, 0xABCD0000u },
    { PGV_OPC_LUI, 0, 0x8000, 0x80000000u },
    { PGV_OPC_LUI, 0, 0, 0 },
};

static void test_alu(void **state)
{
    (void)state;
    vm m, e;
    char label[96];
    for (size_t i = 0; i < sizeof alu_vecs / sizeof alu_vecs[0]; i++) {
        const alu_vec *v = &alu_vecs[i];
        uint32_t fmt = hand_find(v->opc)->fmt, w;
        if (fmt == FMT_DST)
            w = enc(v->opc, 3, 1, 2, 0);
        else if (fmt == FMT_DI)
            w = enc_i(v->opc, 3, 0, v->b);
        else
            w = enc_i(v->opc, 3, 1, v->b);
        FOR_ALL_PM(p, mode) {
            snprintf(label, sizeof label, "%s vector %zu prof %s mode %u",
                     hand_find(v->opc)->name, i, pgv_profile_name(p), mode);
            vm_boot(&m, p, mode);
            put(&m, P0, w);
            m.s.r[1] = v->a;
            m.s.r[2] = v->b;
            vm_copy(&e, &m);
            e.s.r[3] = v->want;
            expect_retire(&e, P0 + 1);
            step_check(&m, &e, PGV_EV_EXEC, label);
        }
    }
}

/* §6.1: the destination may equal a source (read before write); r0 is an ordinary
 * register (not hard-wired to zero); NOP changes only P (and the tick). */
static void test_alu_aliasing_r0_nop(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        vm_boot(&m, p, mode);
        put(&m, P0, enc(PGV_OPC_ADD, 1, 1, 1, 0));
        m.s.r[1] = 0x40000001u;
        vm_copy(&e, &m);
        e.s.r[1] = 0x80000002u;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "ADD r1, r1, r1");

        vm_boot(&m, p, mode);
        put(&m, P0, enc(PGV_OPC_SUB, 2, 2, 2, 0));
        vm_copy(&e, &m);
        e.s.r[2] = 0;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "SUB r2, r2, r2");

        vm_boot(&m, p, mode);
        put(&m, P0, enc_i(PGV_OPC_ADDI, 0, 0, 1));
        m.s.r[0] = 41;
        vm_copy(&e, &m);
        e.s.r[0] = 42;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "ADDI r0, r0, 1");

        vm_boot(&m, p, mode);
        put(&m, P0, enc(PGV_OPC_NOP, 0, 0, 0, 0));
        vm_copy(&e, &m);
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "NOP");
    }
}

/* ---------------------------------------------------------------------------------
 * §6.2 Compare: flags := Z | N << 1 | C << 2 (replacing all three)
 * ------------------------------------------------------------------------------- */
static void test_cmp_cmpi(void **state)
{
    (void)state;
    static const struct { uint32_t a, b, flags; } cv[] = {
        { 5, 5, 1 },                      /* equal: Z                          */
        { 1, 2, 6 },                      /* less both ways: N C                */
        { 0xFFFFFFFFu, 1, 2 },            /* -1 < 1 signed only: N              */
        { 1, 0xFFFFFFFFu, 4 },            /* 1 < 0xFFFFFFFF unsigned only: C     */
        { 0x80000000u, 0x7FFFFFFFu, 2 },  /* INT_MIN < INT_MAX: N               */
        { 2, 1, 0 },                      /* greater: none                      */
        { 0, 0, 1 },
        { 0x80000000u, 0x80000000u, 1 },
    };
    static const struct { uint32_t a, imm, flags; } iv[] = {
        { 0xFFFFFFFFu, 0xFFFF, 1 },       /* imm sign-extended to -1: equal      */
        { 0, 0xFFFF, 4 },                 /* 0 vs 0xFFFFFFFF: C only             */
        { 0xFFFF8000u, 0x8000, 1 },
        { 0x00008000u, 0x8000, 4 },       /* 0x8000 > -0x8000 signed; < 0xFFFF8000 unsigned: C */
        { 3, 7, 6 },
        { 7, 3, 0 },
    };
    vm m, e;
    FOR_ALL_PM(p, mode) {
        for (size_t i = 0; i < sizeof cv / sizeof cv[0]; i++)
            for (uint32_t f0 = 0; f0 < 8; f0 += 7) {   /* initial flags 0 and 7 */
                vm_boot(&m, p, mode);
                put(&m, P0, enc(PGV_OPC_CMP, 0, 1, 2, 0));
                m.s.r[1] = cv[i].a;
                m.s.r[2] = cv[i].b;
                m.s.flags = f0;
                vm_copy(&e, &m);
                e.s.flags = cv[i].flags;
                expect_retire(&e, P0 + 1);
                step_check(&m, &e, PGV_EV_EXEC, "CMP");
            }
        for (size_t i = 0; i < sizeof iv / sizeof iv[0]; i++) {
            vm_boot(&m, p, mode);
            put(&m, P0, enc_i(PGV_OPC_CMPI, 0, 1, iv[i].imm));
            m.s.r[1] = iv[i].a;
            vm_copy(&e, &m);
            e.s.flags = iv[i].flags;
            expect_retire(&e, P0 + 1);
            step_check(&m, &e, PGV_EV_EXEC, "CMPI");
        }
    }
}

/* ---------------------------------------------------------------------------------
 * §6.3 Storage: LD and ST through the relocation register (window E[16..47])
 * ------------------------------------------------------------------------------- */
static void test_ld(void **state)
{
    (void)state;
    static const struct { uint32_t base, imm, a; } lv[] = {
        { 10, 5, 15 },                   /* a = 15 -> E[31]                   */
        { 20, 0xFFFD, 17 },              /* negative displacement             */
        { 0xFFFFFFFFu, 2, 1 },           /* rs + sext(imm) wraps mod 2^32     */
        { 0, 0, 0 },                     /* first word of the window          */
        { 31, 0, 31 },                   /* a = b - 1: last legal             */
    };
    vm m, e;
    FOR_ALL_PM(p, mode) {
        for (size_t i = 0; i < sizeof lv / sizeof lv[0]; i++) {
            vm_boot(&m, p, mode);
            put(&m, P0, enc_i(PGV_OPC_LD, 3, 1, lv[i].imm));
            m.s.r[1] = lv[i].base;
            m.mem[WIN_L + lv[i].a] = 0xCAFEBABEu;
            vm_copy(&e, &m);
            e.s.r[3] = 0xCAFEBABEu;
            expect_retire(&e, P0 + 1);
            step_check(&m, &e, PGV_EV_EXEC, "LD");
        }
        /* rd = rs: the address is formed before the load */
        vm_boot(&m, p, mode);
        put(&m, P0, enc_i(PGV_OPC_LD, 1, 1, 0));
        m.s.r[1] = 6;
        m.mem[WIN_L + 6] = 0x600DF00Du;
        vm_copy(&e, &m);
        e.s.r[1] = 0x600DF00Du;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "LD r1, 0(r1)");
    }
}

static void test_st(void **state)
{
    (void)state;
    static const struct { uint32_t base, imm, a; } sv[] = {
        { 10, 5, 15 }, { 20, 0xFFFD, 17 }, { 0xFFFFFFFFu, 2, 1 }, { 31, 0, 31 }, { 0, 0, 0 },
    };
    vm m, e;
    FOR_ALL_PM(p, mode) {
        for (size_t i = 0; i < sizeof sv / sizeof sv[0]; i++) {
            vm_boot(&m, p, mode);
            put(&m, P0, enc_i(PGV_OPC_ST, 3, 1, sv[i].imm));
            m.s.r[1] = sv[i].base;
            m.s.r[3] = 0x5EED5EEDu;
            vm_copy(&e, &m);
            e.mem[WIN_L + sv[i].a] = 0x5EED5EEDu;
            expect_retire(&e, P0 + 1);
            step_check(&m, &e, PGV_EV_EXEC, "ST");
        }
        /* ST may overwrite the instruction itself: the change is visible next fetch */
        vm_boot(&m, p, mode);
        put(&m, P0, enc_i(PGV_OPC_ST, 3, 1, 0));
        m.s.r[1] = P0;
        m.s.r[3] = 0x01000000u;
        vm_copy(&e, &m);
        e.mem[WIN_L + P0] = 0x01000000u;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "ST over itself");
    }
}

/* ---------------------------------------------------------------------------------
 * §6.4 Control transfer
 * ------------------------------------------------------------------------------- */
static int hand_taken(uint32_t opc, uint32_t f)
{
    switch (opc) {
    case PGV_OPC_BR: return 1;
    case PGV_OPC_BEQ: return (f & 1) != 0;
    case PGV_OPC_BNE: return (f & 1) == 0;
    case PGV_OPC_BLT: return (f & 2) != 0;
    case PGV_OPC_BGE: return (f & 2) == 0;
    case PGV_OPC_BLTU: return (f & 4) != 0;
    case PGV_OPC_BGEU: return (f & 4) == 0;
    }
    fail_msg("not a branch");
    return 0;
}

static void test_branches(void **state)
{
    (void)state;
    static const struct { uint32_t imm, target; } tv[] = {
        { 5, 10 },          /* P0 + 1 + 5                    */
        { 0xFFFB, 0 },      /* P0 + 1 - 5                    */
        { 0xFFFF, P0 },     /* branch to itself               */
        { 0, P0 + 1 },      /* taken = not taken              */
        { 0xFFF0, 0xFFFFFFF5u },   /* P0 + 1 - 16 wraps mod 2^32 */
        { 0x7FFF, P0 + 1 + 0x7FFF },
    };
    vm m, e;
    char label[64];
    for (uint32_t opc = PGV_OPC_BR; opc <= PGV_OPC_BGEU; opc++)
        FOR_ALL_PM(p, mode)
            for (uint32_t f = 0; f < 8; f++)
                for (size_t i = 0; i < sizeof tv / sizeof tv[0]; i++) {
                    snprintf(label, sizeof label, "%s flags %u imm 0x%X", hand_find(opc)->name,
                             f, tv[i].imm);
                    vm_boot(&m, p, mode);
                    put(&m, P0, enc_i(opc, 0, 0, tv[i].imm));
                    m.s.flags = f;
                    vm_copy(&e, &m);
                    expect_retire(&e, hand_taken(opc, f) ? tv[i].target : P0 + 1);
                    step_check(&m, &e, PGV_EV_EXEC, label);
                }
}

static void test_jal_jr_jalr(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        vm_boot(&m, p, mode);                      /* JAL r3, +7 */
        put(&m, P0, enc_i(PGV_OPC_JAL, 3, 0, 7));
        vm_copy(&e, &m);
        e.s.r[3] = P0 + 1;
        expect_retire(&e, P0 + 1 + 7);
        step_check(&m, &e, PGV_EV_EXEC, "JAL");

        vm_boot(&m, p, mode);                      /* JAL r0, -1: to itself */
        put(&m, P0, enc_i(PGV_OPC_JAL, 0, 0, 0xFFFF));
        vm_copy(&e, &m);
        e.s.r[0] = P0 + 1;
        expect_retire(&e, P0);
        step_check(&m, &e, PGV_EV_EXEC, "JAL -1");

        vm_boot(&m, p, mode);                      /* JR r1: any value */
        put(&m, P0, enc(PGV_OPC_JR, 0, 1, 0, 0));
        m.s.r[1] = 0xDEADBEEFu;
        vm_copy(&e, &m);
        expect_retire(&e, 0xDEADBEEFu);
        step_check(&m, &e, PGV_EV_EXEC, "JR");

        vm_boot(&m, p, mode);                      /* JALR r3, r1 */
        put(&m, P0, enc(PGV_OPC_JALR, 3, 1, 0, 0));
        m.s.r[1] = 0x00000019u;
        vm_copy(&e, &m);
        e.s.r[3] = P0 + 1;
        expect_retire(&e, 0x19);
        step_check(&m, &e, PGV_EV_EXEC, "JALR");

        vm_boot(&m, p, mode);                      /* JALR r1, r1: target read first */
        put(&m, P0, enc(PGV_OPC_JALR, 1, 1, 0, 0));
        m.s.r[1] = 0x0000001Bu;
        vm_copy(&e, &m);
        e.s.r[1] = P0 + 1;
        expect_retire(&e, 0x1B);
        step_check(&m, &e, PGV_EV_EXEC, "JALR r1, r1");
    }
}

/* ---------------------------------------------------------------------------------
 * §6.5 SVC: traps in both modes and every profile; saved P = P + 1, info = zext(imm)
 * ------------------------------------------------------------------------------- */
static void test_svc(void **state)
{
    (void)state;
    static const uint32_t imms[] = { 0, 1, 0xBEEF, 0xFFFF, 0x8000 };
    vm m, e;
    FOR_ALL_PM(p, mode)
        for (size_t i = 0; i < sizeof imms / sizeof imms[0]; i++) {
            vm_boot(&m, p, mode);
            put(&m, P0, enc_i(PGV_OPC_SVC, 0, 0, imms[i]));
            vm_copy(&e, &m);
            expect_trap(&e, PGV_CAUSE_SVC, imms[i], P0 + 1);
            step_check(&m, &e, PGV_EV_TRAP, "SVC");
        }
}

/* ---------------------------------------------------------------------------------
 * §6.6 Sensitive instructions: supervisor semantics, user-mode PRIV per profile,
 * and the three profile differences (POPF, JRSTU, RDR).
 * ------------------------------------------------------------------------------- */

/* In user mode, when opc is privileged in the profile: the whole state after the step
 * is the §5.2 swap with cause PRIV, info = the word, saved P = P.  Returns 1 if so. */
static int priv_case(vm *m, vm *e, uint32_t w, const char *label)
{
    if (m->s.mode != PGV_MODE_USER || !hand_priv(PGV_OPC(w), m->s.profile))
        return 0;
    vm_copy(e, m);
    expect_trap(e, PGV_CAUSE_PRIV, w, m->s.pc);
    step_check(m, e, PGV_EV_TRAP, label);
    return 1;
}

static void test_halt(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        uint32_t w = enc(PGV_OPC_HALT, 0, 0, 0, 0);
        vm_boot(&m, p, mode);
        put(&m, P0, w);
        if (priv_case(&m, &e, w, "HALT"))
            continue;
        vm_copy(&e, &m);
        e.s.halted = 1;
        expect_retire(&e, P0 + 1);          /* P := P + 1 and the tick apply */
        step_check(&m, &e, PGV_EV_HALT, "HALT");
        /* a halted machine does nothing: pgv_step is IDLE, not even steps changes */
        step_check(&m, &e, PGV_EV_IDLE, "after HALT");
    }
}

static void test_lpsw(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        uint32_t w = enc_i(PGV_OPC_LPSW, 0, 1, 2);    /* LPSW 2(r1), r1 = 10: a = 12 */
        vm_boot(&m, p, mode);
        put(&m, P0, w);
        m.s.r[1] = 10;
        m.mem[WIN_L + 12] = 0xABCD7E73u;  /* M=1 IE=1 flags=7 cause=0x7E; bits 2,3,7,16.. ignored */
        m.mem[WIN_L + 13] = 0x00000123u;
        m.mem[WIN_L + 14] = 5;
        m.mem[WIN_L + 15] = 9;
        if (priv_case(&m, &e, w, "LPSW"))
            continue;
        vm_copy(&e, &m);
        e.s.mode = 1;
        e.s.ie = 1;
        e.s.flags = 7;
        e.s.cause = 0x7E;
        e.s.l = 5;
        e.s.b = 9;
        expect_retire(&e, 0x123);
        step_check(&m, &e, PGV_EV_EXEC, "LPSW");

        /* the other direction: status 0 loads M = s, IE = 0, flags 0, cause 0 */
        vm_boot(&m, p, mode);
        put(&m, P0, w);
        m.s.r[1] = 10;
        m.s.ie = 1;
        m.mem[WIN_L + 12] = 0xFFFF0008u;   /* only reserved bits set */
        m.mem[WIN_L + 13] = 7;
        m.mem[WIN_L + 14] = 0;
        m.mem[WIN_L + 15] = QW;
        vm_copy(&e, &m);
        e.s.mode = 0;
        e.s.ie = 0;
        e.s.flags = 0;
        e.s.cause = 0;
        e.s.l = 0;
        e.s.b = QW;
        expect_retire(&e, 7);
        step_check(&m, &e, PGV_EV_EXEC, "LPSW reserved bits");
    }
}

static void test_rdpsw(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        uint32_t w = enc(PGV_OPC_RDPSW, 3, 0, 0, 0);
        vm_boot(&m, p, mode);
        put(&m, P0, w);
        m.s.ie = 1;
        m.s.flags = 5;
        m.s.cause = 0x5A;
        if (priv_case(&m, &e, w, "RDPSW"))
            continue;
        vm_copy(&e, &m);
        e.s.r[3] = 0x00005A52u;     /* M 0 | IE 1 << 1 | 5 << 4 | 0x5A << 8 */
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "RDPSW");
    }
}

static void test_setr(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        uint32_t w = enc(PGV_OPC_SETR, 0, 1, 2, 0);
        vm_boot(&m, p, mode);
        put(&m, P0, w);
        m.s.r[1] = 0xFFFFFFF0u;     /* no check on the new R: any values */
        m.s.r[2] = 7;
        if (priv_case(&m, &e, w, "SETR"))
            continue;
        vm_copy(&e, &m);
        e.s.l = 0xFFFFFFF0u;
        e.s.b = 7;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "SETR");
        /* the next fetch uses the new R: virtual P0+1 = 5 < b = 7 but l + 5 >= q */
        vm_copy(&e, &m);
        expect_trap(&e, PGV_CAUSE_BOUNDS, P0 + 1, P0 + 1);
        step_check(&m, &e, PGV_EV_TRAP, "fetch after SETR");
    }
}

static void test_rdr(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        uint32_t w = enc(PGV_OPC_RDR, 3, 4, 0, 0);
        vm_boot(&m, p, mode);
        put(&m, P0, w);
        if (priv_case(&m, &e, w, "RDR"))
            continue;
        /* supervisor mode in every profile; user mode only in redpill: the REAL R */
        vm_copy(&e, &m);
        e.s.r[3] = WIN_L;
        e.s.r[4] = WIN_B;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "RDR");

        w = enc(PGV_OPC_RDR, 5, 5, 0, 0);     /* rd = rs: ends with b */
        vm_boot(&m, p, mode);
        put(&m, P0, w);
        vm_copy(&e, &m);
        e.s.r[5] = WIN_B;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "RDR r5, r5");
    }
    /* exactly the profiles the manual names */
    for (unsigned p = 0; p < PGV_NPROFILES; p++) {
        vm_boot(&m, p, PGV_MODE_USER);
        put(&m, P0, enc(PGV_OPC_RDR, 3, 4, 0, 0));
        pgv_event ev = pgv_step(&m.s);
        assert_int_equal(ev, p == PGV_PROFILE_REDPILL ? PGV_EV_EXEC : PGV_EV_TRAP);
    }
}

static void test_stmr(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        uint32_t w = enc(PGV_OPC_STMR, 0, 1, 0, 0);
        vm_boot(&m, p, mode);
        put(&m, P0, w);
        m.s.r[1] = 12345;
        m.s.tp = 1;               /* pending, IE = 0: STMR clears it */
        if (priv_case(&m, &e, w, "STMR"))
            continue;
        vm_copy(&e, &m);
        e.s.timer = 12345;        /* no tick on top of the new value */
        e.s.tp = 0;
        e.s.pc = P0 + 1;
        e.s.steps++;
        step_check(&m, &e, PGV_EV_EXEC, "STMR");
    }
}

static void test_rdtmr(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        uint32_t w = enc(PGV_OPC_RDTMR, 3, 0, 0, 0);
        vm_boot(&m, p, mode);
        put(&m, P0, w);
        if (priv_case(&m, &e, w, "RDTMR"))
            continue;
        vm_copy(&e, &m);
        e.s.r[3] = TIMER0;         /* the value before this step's tick */
        e.s.timer = TIMER0 - 1;
        e.s.pc = P0 + 1;
        e.s.steps++;
        step_check(&m, &e, PGV_EV_EXEC, "RDTMR");
    }
}

static void test_ei_di(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode)
        for (uint32_t ie0 = 0; ie0 < 2; ie0++) {
            uint32_t w = enc(PGV_OPC_EI, 0, 0, 0, 0);
            vm_boot(&m, p, mode);
            put(&m, P0, w);
            m.s.ie = ie0;
            if (!priv_case(&m, &e, w, "EI")) {
                vm_copy(&e, &m);
                e.s.ie = 1;
                expect_retire(&e, P0 + 1);
                step_check(&m, &e, PGV_EV_EXEC, "EI");
            }
            w = enc(PGV_OPC_DI, 0, 0, 0, 0);
            vm_boot(&m, p, mode);
            put(&m, P0, w);
            m.s.ie = ie0;
            if (!priv_case(&m, &e, w, "DI")) {
                vm_copy(&e, &m);
                e.s.ie = 0;
                expect_retire(&e, P0 + 1);
                step_check(&m, &e, PGV_EV_EXEC, "DI");
            }
        }
}

/* POPF: supervisor: flags := rs & 7, IE := bit 9.  User mode, profile popf (where it
 * is not privileged): flags := rs & 7, IE unchanged in either direction. */
static void test_popf(void **state)
{
    (void)state;
    static const struct { uint32_t v, flags, ie; } pv[] = {
        { 0x00000207u, 7, 1 },
        { 0x00000000u, 0, 0 },
        { 0xFFFFFDF8u, 0, 0 },       /* every bit but 0..2 and 9: flags 0, IE 0  */
        { 0xFFFFFFFFu, 7, 1 },
        { 0x00000100u, 0, 0 },       /* bit 8 is not IE                          */
        { 0x00000002u, 2, 0 },
    };
    vm m, e;
    FOR_ALL_PM(p, mode)
        for (size_t i = 0; i < sizeof pv / sizeof pv[0]; i++)
            for (uint32_t ie0 = 0; ie0 < 2; ie0++) {
                uint32_t w = enc(PGV_OPC_POPF, 0, 1, 0, 0);
                vm_boot(&m, p, mode);
                put(&m, P0, w);
                m.s.r[1] = pv[i].v;
                m.s.ie = ie0;
                if (priv_case(&m, &e, w, "POPF"))
                    continue;
                vm_copy(&e, &m);
                e.s.flags = pv[i].flags;
                if (mode == PGV_MODE_SUP)
                    e.s.ie = pv[i].ie;
                else
                    assert_int_equal(p, PGV_PROFILE_POPF);   /* IE silently kept */
                expect_retire(&e, P0 + 1);
                step_check(&m, &e, PGV_EV_EXEC, "POPF");
            }
}

static void test_pushf(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode)
        for (uint32_t ie0 = 0; ie0 < 2; ie0++)
            for (uint32_t f = 0; f < 8; f++) {
                uint32_t w = enc(PGV_OPC_PUSHF, 3, 0, 0, 0);
                vm_boot(&m, p, mode);
                put(&m, P0, w);
                m.s.ie = ie0;
                m.s.flags = f;
                if (priv_case(&m, &e, w, "PUSHF"))
                    continue;
                vm_copy(&e, &m);
                e.s.r[3] = f | ie0 << 9;
                expect_retire(&e, P0 + 1);
                step_check(&m, &e, PGV_EV_EXEC, "PUSHF");
            }
}

/* JRSTU rs: P := rs, M := u.  Supervisor mode (every profile): enters user mode.
 * User mode, profile jrst (unprivileged there): just a jump. */
static void test_jrstu(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        uint32_t w = enc(PGV_OPC_JRSTU, 0, 1, 0, 0);
        vm_boot(&m, p, mode);
        put(&m, P0, w);
        m.s.r[1] = 9;
        if (priv_case(&m, &e, w, "JRSTU"))
            continue;
        if (mode == PGV_MODE_USER)
            assert_int_equal(p, PGV_PROFILE_JRST);
        vm_copy(&e, &m);
        e.s.mode = PGV_MODE_USER;
        expect_retire(&e, 9);
        step_check(&m, &e, PGV_EV_EXEC, "JRSTU");
    }
}

static void test_in(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        uint32_t w = enc(PGV_OPC_IN, 3, 0, 0, 0);
        vm_boot(&m, p, mode);
        put(&m, P0, w);
        if (priv_case(&m, &e, w, "IN"))
            continue;
        vm_copy(&e, &m);
        e.s.r[3] = 0x11111111u;
        e.s.in_pos = 1;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "IN");
    }
}

static void test_out(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        uint32_t w = enc(PGV_OPC_OUT, 0, 1, 0, 0);
        vm_boot(&m, p, mode);
        put(&m, P0, w);
        m.s.r[1] = 0x0BADCAFEu;
        if (priv_case(&m, &e, w, "OUT"))
            continue;
        vm_copy(&e, &m);
        e.out[0] = 0x0BADCAFEu;
        e.s.out_len = 1;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "OUT");
    }
}

/* §5.2 literally, once, for PRIV: every number written out by hand. */
static void test_priv_trap_literal(void **state)
{
    (void)state;
    vm m, e;
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    put(&m, P0, 0x40000000u);                 /* HALT */
    vm_copy(&e, &m);
    e.mem[0] = 0x00000151u;                   /* M=1, IE=0, flags 5, cause PRIV=1 */
    e.mem[1] = P0;
    e.mem[2] = WIN_L;
    e.mem[3] = WIN_B;
    e.mem[8] = 0x40000000u;
    e.s.mode = 0;                             /* new PSW 0x0000C340 */
    e.s.ie = 0;
    e.s.flags = 4;
    e.s.cause = 0xC3;
    e.s.pc = NEW_P;
    e.s.l = 0;
    e.s.b = QW;
    e.s.steps = STEPS0 + 1;                   /* the trap is a step; no tick: timer 100 */
    step_check(&m, &e, PGV_EV_TRAP, "PRIV literal");
    assert_int_equal(m.s.timer, TIMER0);
}

/* Every privileged instruction in supervisor mode does not trap PRIV, for every
 * profile (the other half of "privileged"); and in user mode it traps in every
 * state tried (random registers, flags, IE, R). */
static void test_privileged_both_halves(void **state)
{
    (void)state;
    vm m, e;
    rng_seed(777);
    for (size_t i = 0; i < N_HAND_OPS; i++)
        for (unsigned p = 0; p < PGV_NPROFILES; p++) {
            uint32_t opc = hand_ops[i].opc;
            for (int k = 0; k < 50; k++) {
                uint32_t w = (opc << 24) |
                             ((uint32_t)rnd() & 0x00FFFFFFu & ~hand_zero_mask(hand_ops[i].fmt));
                vm_boot(&m, p, PGV_MODE_USER);
                for (unsigned r = 0; r < PGV_NREGS; r++)
                    m.s.r[r] = (uint32_t)rnd() % 40;
                m.s.flags = (uint32_t)rnd() & 7;
                m.s.ie = (uint32_t)rnd() & 1;
                put(&m, P0, w);
                vm_copy(&e, &m);
                pgv_event ev = pgv_step(&m.s);
                int trapped_priv = ev == PGV_EV_TRAP && old_cause(&m) == PGV_CAUSE_PRIV;
                assert_int_equal(trapped_priv, hand_priv(opc, p));
                if (trapped_priv) {
                    expect_trap(&e, PGV_CAUSE_PRIV, w, P0);
                    assert_state(&m, &e, hand_ops[i].name);
                }
                /* supervisor: never PRIV */
                vm_boot(&m, p, PGV_MODE_SUP);
                put(&m, P0, w);
                ev = pgv_step(&m.s);
                assert_false(ev == PGV_EV_TRAP && old_cause(&m) == PGV_CAUSE_PRIV);
            }
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_optab_matches_manual),
        cmocka_unit_test(test_optab_privilege_columns),
        cmocka_unit_test(test_format_zero_masks),
        cmocka_unit_test(test_every_opcode_has_semantics),
        cmocka_unit_test(test_unassigned_opcodes_illegal),
        cmocka_unit_test(test_reserved_bits_illegal),
        cmocka_unit_test(test_register_fields_8_to_15_illegal),
        cmocka_unit_test(test_decode_fields),
        cmocka_unit_test(test_decode_iff_not_illegal),
        cmocka_unit_test(test_alu),
        cmocka_unit_test(test_alu_aliasing_r0_nop),
        cmocka_unit_test(test_cmp_cmpi),
        cmocka_unit_test(test_ld),
        cmocka_unit_test(test_st),
        cmocka_unit_test(test_branches),
        cmocka_unit_test(test_jal_jr_jalr),
        cmocka_unit_test(test_svc),
        cmocka_unit_test(test_halt),
        cmocka_unit_test(test_lpsw),
        cmocka_unit_test(test_rdpsw),
        cmocka_unit_test(test_setr),
        cmocka_unit_test(test_rdr),
        cmocka_unit_test(test_stmr),
        cmocka_unit_test(test_rdtmr),
        cmocka_unit_test(test_ei_di),
        cmocka_unit_test(test_popf),
        cmocka_unit_test(test_pushf),
        cmocka_unit_test(test_jrstu),
        cmocka_unit_test(test_in),
        cmocka_unit_test(test_out),
        cmocka_unit_test(test_priv_trap_literal),
        cmocka_unit_test(test_privileged_both_halves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
