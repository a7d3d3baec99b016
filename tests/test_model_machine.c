/* tests/test_model_machine.c — the reference machine's traps, relocation, timer, I/O, run loop and comparison.
 *
 * The cross-cutting rules of spec/ISA.md, each with hand-computed expected states:
 * every trap cause and the PSW swap (§5.2) including reserved status bits and
 * check-then-commit; the step order of §8.1 (TIMER before fetch, fetch BOUNDS before
 * decode, ILLEGAL before PRIV); relocation edge cases of §2.3 (a = b - 1, a + l =
 * q - 1, l >= q, no 32-bit wraparound, b = 0, LPSW near 2^32); the interval timer of
 * §5.4 (expiry, pending with IE = 0, delivery after EI/POPF/LPSW/trap, STMR, RDTMR,
 * traps do not tick, HALT ticks); the I/O channel (§2.5); pgv_run (§8.2), pgv_init
 * (§8.3) and pgv_compare (§8.4); and the property pgv_run(N) = N x pgv_step on
 * thousands of random programs.  Instruction-by-instruction semantics are in
 * tests/test_model.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "test_model_harness.h"

#define NOP_W  0x01000000u
#define HALT_W 0x40000000u

/* ---------------------------------------------------------------------------------
 * §5.2 The PSW swap
 * ------------------------------------------------------------------------------- */

/* Literal numbers: old PSW with the trap's cause replacing the current cause field,
 * reserved bits of the new status ignored, registers/timer/I/O untouched. */
static void test_psw_swap_literal(void **state)
{
    (void)state;
    vm m, e;
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    m.s.ie = 1;
    m.s.flags = 6;
    m.s.cause = 0x33;
    m.s.pc = 5;
    m.s.timer = 1;                         /* would expire if the trap ticked */
    put(&m, 5, 0xFF000000u);               /* unassigned opcode: ILLEGAL */
    m.mem[4] = 0xFFFFA5F2u;                /* M 0, IE 1, flags 7, cause 0xA5, junk elsewhere */
    m.mem[5] = 0x40;
    m.mem[6] = 3;
    m.mem[7] = 60;
    vm_copy(&e, &m);
    e.mem[0] = 0x00000363u;                /* M 1 | IE 1<<1 | 6<<4 | ILLEGAL 3<<8 */
    e.mem[1] = 5;
    e.mem[2] = WIN_L;
    e.mem[3] = WIN_B;
    e.mem[8] = 0xFF000000u;
    e.s.mode = 0;
    e.s.ie = 1;
    e.s.flags = 7;
    e.s.cause = 0xA5;
    e.s.pc = 0x40;
    e.s.l = 3;
    e.s.b = 60;
    e.s.steps = STEPS0 + 1;
    step_check(&m, &e, PGV_EV_TRAP, "PSW swap");
    assert_int_equal(m.s.timer, 1);
    assert_int_equal(m.s.tp, 0);
}

/* A new PSW may put the machine in user mode (a handler running in M = u). */
static void test_psw_swap_into_user_mode(void **state)
{
    (void)state;
    vm m, e;
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    put(&m, P0, enc_i(PGV_OPC_SVC, 0, 0, 9));
    m.mem[4] = 0x00000001u;
    m.mem[5] = 2;
    m.mem[6] = 16;
    m.mem[7] = 32;
    vm_copy(&e, &m);
    e.mem[0] = 0x00000450u;                /* M 0, IE 0, flags 5, SVC 4 */
    e.mem[1] = P0 + 1;
    e.mem[2] = WIN_L;
    e.mem[3] = WIN_B;
    e.mem[8] = 9;
    e.s.mode = 1;
    e.s.ie = 0;
    e.s.flags = 0;
    e.s.cause = 0;
    e.s.pc = 2;
    e.s.l = 16;
    e.s.b = 32;
    e.s.steps++;
    step_check(&m, &e, PGV_EV_TRAP, "swap into user mode");
}

/* The protocol end to end: a user program's SVCs enter a supervisor handler (new PSW),
 * which reads the info word E[8], accumulates it and returns with LPSW 0(r0) of the
 * old PSW — resuming at saved P = P + 1 in user mode under the old R, with the old
 * flags and IE, and the cause field the old PSW carried (SVC = 4, §5.1). */
static void test_trap_and_return(void **state)
{
    (void)state;
    vm m, e;
    uint64_t done;
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    m.s.r[0] = 0;
    m.s.r[3] = 1000;
    put(&m, P0, enc_i(PGV_OPC_SVC, 0, 0, 7));
    put(&m, P0 + 1, enc_i(PGV_OPC_SVC, 0, 0, 9));
    put(&m, P0 + 2, enc_i(PGV_OPC_BR, 0, 0, 0xFFFF));        /* BR to itself */
    m.mem[NEW_P + 0] = enc_i(PGV_OPC_LD, 2, 0, 8);            /* r2 := E[8]     */
    m.mem[NEW_P + 1] = enc(PGV_OPC_ADD, 3, 3, 2, 0);          /* r3 += r2       */
    m.mem[NEW_P + 2] = enc_i(PGV_OPC_LPSW, 0, 0, 0);          /* return: E[0..3] */
    vm_copy(&e, &m);
    /* 9 steps: SVC, LD, ADD, LPSW, SVC, LD, ADD, LPSW, BR; 7 of them retire and tick */
    assert_int_equal(pgv_run(&m.s, 9, 0, &done), PGV_STOP_BUDGET);
    assert_int_equal(done, 9);
    e.s.r[2] = 9;
    e.s.r[3] = 1016;
    e.s.pc = P0 + 2;
    e.s.cause = PGV_CAUSE_SVC;
    e.s.timer = TIMER0 - 7;
    e.s.steps = STEPS0 + 9;
    e.mem[0] = 0x00000451u;                 /* M 1, IE 0, flags 5, SVC */
    e.mem[1] = P0 + 2;
    e.mem[2] = WIN_L;
    e.mem[3] = WIN_B;
    e.mem[8] = 9;
    assert_state(&m, &e, "SVC, handler, LPSW return");
}

/* pgv_trap: the PSW swap alone (not a step: steps and timer unchanged). */
static void test_pgv_trap_api(void **state)
{
    (void)state;
    vm m, e;
    vm_boot(&m, PGV_PROFILE_JRST, PGV_MODE_USER);
    vm_copy(&e, &m);
    pgv_trap(&m.s, PGV_CAUSE_BOUNDS, 0x1234, 77);
    expect_trap(&e, PGV_CAUSE_BOUNDS, 0x1234, 77);
    e.s.steps--;
    assert_state(&m, &e, "pgv_trap");
    assert_int_equal(m.mem[0], 0x00000251u);   /* M 1, flags 5, BOUNDS 2 */
}

/* pgv_status_word and the stored status word: reserved bits are zero. */
static void test_status_word(void **state)
{
    (void)state;
    vm m;
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    m.s.ie = 1;
    m.s.flags = 6;
    m.s.cause = 0xAB;
    assert_int_equal(pgv_status_word(&m.s), 0x0000AB63u);
    m.s.mode = 0;
    m.s.ie = 0;
    m.s.flags = 0;
    m.s.cause = 0;
    assert_int_equal(pgv_status_word(&m.s), 0);
}

/* ---------------------------------------------------------------------------------
 * Every trap cause, with saved P and info (§5.2 table)
 * ------------------------------------------------------------------------------- */

static void test_trap_bounds_fetch(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        vm_boot(&m, p, mode);
        m.s.pc = WIN_B;                            /* a = b */
        vm_copy(&e, &m);
        expect_trap(&e, PGV_CAUSE_BOUNDS, WIN_B, WIN_B);
        step_check(&m, &e, PGV_EV_TRAP, "fetch a = b");

        vm_boot(&m, p, mode);
        m.s.pc = 0xFFFFFFFFu;
        vm_copy(&e, &m);
        expect_trap(&e, PGV_CAUSE_BOUNDS, 0xFFFFFFFFu, 0xFFFFFFFFu);
        step_check(&m, &e, PGV_EV_TRAP, "fetch a = 2^32 - 1");

        vm_boot(&m, p, mode);
        m.s.pc = WIN_B - 1;                        /* a = b - 1: legal */
        put(&m, WIN_B - 1, NOP_W);
        vm_copy(&e, &m);
        expect_retire(&e, WIN_B);
        step_check(&m, &e, PGV_EV_EXEC, "fetch a = b - 1");
    }
}

static void test_trap_bounds_data(void **state)
{
    (void)state;
    vm m, e;
    static const struct { uint32_t base, imm, a; } bv[] = {
        { 30, 2, 32 },                      /* a = b                              */
        { 0x7FFFFFFFu, 1, 0x80000000u },
        { 0, 0xFFFF, 0xFFFFFFFFu },         /* 0 + sext(-1)                       */
        { 100, 0, 100 },
    };
    FOR_ALL_PM(p, mode)
        for (size_t i = 0; i < sizeof bv / sizeof bv[0]; i++) {
            /* LD: rd unchanged */
            uint32_t w = enc_i(PGV_OPC_LD, 3, 1, bv[i].imm);
            vm_boot(&m, p, mode);
            put(&m, P0, w);
            m.s.r[1] = bv[i].base;
            vm_copy(&e, &m);
            expect_trap(&e, PGV_CAUSE_BOUNDS, bv[i].a, P0);
            step_check(&m, &e, PGV_EV_TRAP, "LD out of bounds");
            /* ST: storage unchanged */
            w = enc_i(PGV_OPC_ST, 3, 1, bv[i].imm);
            vm_boot(&m, p, mode);
            put(&m, P0, w);
            m.s.r[1] = bv[i].base;
            vm_copy(&e, &m);
            expect_trap(&e, PGV_CAUSE_BOUNDS, bv[i].a, P0);
            step_check(&m, &e, PGV_EV_TRAP, "ST out of bounds");
        }
}

/* LPSW needs all four words legal: partially out -> BOUNDS, info = a, nothing loaded. */
static void test_trap_bounds_lpsw(void **state)
{
    (void)state;
    vm m, e;
    for (unsigned p = 0; p < PGV_NPROFILES; p++) {
        /* R = (16, 32): a = 29 has a + 3 = 32 = b */
        for (uint32_t a = 29; a <= 32; a++) {
            vm_boot(&m, p, PGV_MODE_SUP);
            put(&m, P0, enc_i(PGV_OPC_LPSW, 0, 1, 0));
            m.s.r[1] = a;
            vm_copy(&e, &m);
            expect_trap(&e, PGV_CAUSE_BOUNDS, a, P0);
            step_check(&m, &e, PGV_EV_TRAP, "LPSW a + 3 >= b");
        }
        /* a = 28: the last four words of the window; loads them */
        vm_boot(&m, p, PGV_MODE_SUP);
        put(&m, P0, enc_i(PGV_OPC_LPSW, 0, 1, 0));
        m.s.r[1] = 28;
        m.mem[44] = 0x00000002u;
        m.mem[45] = 11;
        m.mem[46] = 1;
        m.mem[47] = 2;
        vm_copy(&e, &m);
        e.s.mode = 0;
        e.s.ie = 1;
        e.s.flags = 0;
        e.s.cause = 0;
        e.s.l = 1;
        e.s.b = 2;
        expect_retire(&e, 11);
        step_check(&m, &e, PGV_EV_EXEC, "LPSW at b - 4");
        /* R = (16, 100), q = 64: a = 45 has a + 3 + l = 64 = q */
        vm_boot(&m, p, PGV_MODE_SUP);
        m.s.b = 100;
        put(&m, P0, enc_i(PGV_OPC_LPSW, 0, 1, 0));
        m.s.r[1] = 45;
        vm_copy(&e, &m);
        expect_trap(&e, PGV_CAUSE_BOUNDS, 45, P0);
        step_check(&m, &e, PGV_EV_TRAP, "LPSW a + 3 + l >= q");
        /* R = (0, 0xFFFFFFFF): a = 0xFFFFFFFC..0xFFFFFFFF never legal, no wraparound
         * to a + 1 = 0 (E[0..2] would be legal words) */
        for (uint32_t a = 0xFFFFFFFCu; a != 0; a++) {
            vm_boot(&m, p, PGV_MODE_SUP);
            m.s.l = 0;
            m.s.b = 0xFFFFFFFFu;
            put(&m, P0, enc_i(PGV_OPC_LPSW, 0, 1, 0xFFFF));   /* a = r1 - 1 */
            m.s.r[1] = a + 1u;
            vm_copy(&e, &m);
            expect_trap(&e, PGV_CAUSE_BOUNDS, a, P0);
            step_check(&m, &e, PGV_EV_TRAP, "LPSW a near 2^32");
        }
    }
}

static void test_trap_illegal(void **state)
{
    (void)state;
    static const uint32_t words[] = { 0x00000000u, 0xFFFFFFFFu, 0x01000001u /* NOP, junk */,
                                      0x02800000u /* ADD r8 */, 0x14120020u /* SHLI 32 */ };
    vm m, e;
    FOR_ALL_PM(p, mode)
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
            vm_boot(&m, p, mode);
            put(&m, P0, words[i]);
            vm_copy(&e, &m);
            expect_trap(&e, PGV_CAUSE_ILLEGAL, words[i], P0);
            step_check(&m, &e, PGV_EV_TRAP, "ILLEGAL");
        }
}

/* Step order (§8.1): TIMER before fetch; fetch BOUNDS before decode; ILLEGAL before
 * PRIV; PRIV before data BOUNDS. */
static void test_step_order(void **state)
{
    (void)state;
    vm m, e;
    /* pending timer with IE = 1 and P out of bounds: TIMER, saved P = P */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    m.s.pc = 1000;
    m.s.ie = 1;
    m.s.tp = 1;
    m.s.timer = 0;
    vm_copy(&e, &m);
    e.s.tp = 0;
    expect_trap(&e, PGV_CAUSE_TIMER, 0, 1000);
    step_check(&m, &e, PGV_EV_TRAP, "TIMER before fetch");
    /* a privileged opcode with a reserved bit in user mode: ILLEGAL, not PRIV */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    put(&m, P0, 0x40000001u);
    vm_copy(&e, &m);
    expect_trap(&e, PGV_CAUSE_ILLEGAL, 0x40000001u, P0);
    step_check(&m, &e, PGV_EV_TRAP, "ILLEGAL before PRIV");
    /* LPSW from an illegal address in user mode: PRIV (privilege before data check) */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    put(&m, P0, enc_i(PGV_OPC_LPSW, 0, 1, 0));
    m.s.r[1] = 0xFFFFFFFFu;
    vm_copy(&e, &m);
    expect_trap(&e, PGV_CAUSE_PRIV, enc_i(PGV_OPC_LPSW, 0, 1, 0), P0);
    step_check(&m, &e, PGV_EV_TRAP, "PRIV before BOUNDS");
}

/* ---------------------------------------------------------------------------------
 * §2.3 Translation
 * ------------------------------------------------------------------------------- */
static void test_translate_edges(void **state)
{
    (void)state;
    uint32_t pa;
    static const struct { uint32_t l, b, q, a; int ok; uint32_t pa; } tv[] = {
        { 0, 10, 64, 9, 1, 9 },                         /* a = b - 1                */
        { 0, 10, 64, 10, 0, 0 },                        /* a = b                    */
        { 16, 100, 64, 47, 1, 63 },                     /* a + l = q - 1            */
        { 16, 100, 64, 48, 0, 0 },                      /* a + l = q                */
        { 64, 100, 64, 0, 0, 0 },                       /* l = q                    */
        { 65, 100, 64, 0, 0, 0 },                       /* l > q                    */
        { 0xFFFFFFF0u, 0xFFFFFFFFu, 64, 0x20, 0, 0 },   /* would wrap to 0x10       */
        { 0xFFFFFFFFu, 0xFFFFFFFFu, 64, 1, 0, 0 },      /* would wrap to 0          */
        { 0, 0, 64, 0, 0, 0 },                          /* b = 0: nothing legal     */
        { 5, 0, 64, 0, 0, 0 },
        { 0, 0xFFFFFFFFu, 64, 0xFFFFFFFEu, 0, 0 },
        { 0, 1, 16, 0, 1, 0 },
        { (1u << 28) - 1, 1, 1u << 28, 0, 1, (1u << 28) - 1 },   /* q = 2^28    */
        { (1u << 28) - 1, 2, 1u << 28, 1, 0, 0 },
        { 0, 0xFFFFFFFFu, 1u << 28, (1u << 28) - 1, 1, (1u << 28) - 1 },
    };
    for (size_t i = 0; i < sizeof tv / sizeof tv[0]; i++) {
        pa = 0xDEADu;
        bool ok = pgv_translate(tv[i].l, tv[i].b, tv[i].q, tv[i].a, &pa);
        if (ok != (tv[i].ok != 0))
            fail_msg("translate case %zu: got %d", i, ok);
        if (ok)
            assert_int_equal(pa, tv[i].pa);
    }
}

/* The same edges through the step: fetch and data, with wrong-but-plausible words
 * placed where a wrapping implementation would look. */
static void test_relocation_in_step(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        /* R = (16, 100): a + l = q - 1 fetch legal, a + l = q traps */
        vm_boot(&m, p, mode);
        m.s.b = 100;
        m.s.pc = 47;
        m.mem[63] = NOP_W;
        vm_copy(&e, &m);
        expect_retire(&e, 48);
        step_check(&m, &e, PGV_EV_EXEC, "fetch at a + l = q - 1");
        vm_copy(&e, &m);
        expect_trap(&e, PGV_CAUSE_BOUNDS, 48, 48);
        step_check(&m, &e, PGV_EV_TRAP, "fetch at a + l = q");
        /* data at a + l = q - 1 legal, a + l = q traps */
        vm_boot(&m, p, mode);
        m.s.b = 100;
        put(&m, P0, enc_i(PGV_OPC_LD, 3, 1, 0));
        m.s.r[1] = 47;
        m.mem[63] = 0x63636363u;
        vm_copy(&e, &m);
        e.s.r[3] = 0x63636363u;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "LD at a + l = q - 1");
        vm_boot(&m, p, mode);
        m.s.b = 100;
        put(&m, P0, enc_i(PGV_OPC_ST, 3, 1, 0));
        m.s.r[1] = 48;
        vm_copy(&e, &m);
        expect_trap(&e, PGV_CAUSE_BOUNDS, 48, P0);
        step_check(&m, &e, PGV_EV_TRAP, "ST at a + l = q");
        /* l = 0xFFFFFFF0, a = 0x20: must trap, not fetch E[0x10] */
        vm_boot(&m, p, mode);
        m.s.l = 0xFFFFFFF0u;
        m.s.b = 0xFFFFFFFFu;
        m.s.pc = 0x20;
        m.mem[0x10] = NOP_W;
        vm_copy(&e, &m);
        expect_trap(&e, PGV_CAUSE_BOUNDS, 0x20, 0x20);
        step_check(&m, &e, PGV_EV_TRAP, "no wraparound of a + l");
        /* l >= q */
        vm_boot(&m, p, mode);
        m.s.l = QW;
        m.s.b = 100;
        m.s.pc = 0;
        vm_copy(&e, &m);
        expect_trap(&e, PGV_CAUSE_BOUNDS, 0, 0);
        step_check(&m, &e, PGV_EV_TRAP, "l = q");
        /* b = 0 */
        vm_boot(&m, p, mode);
        m.s.b = 0;
        m.s.pc = 0;
        put(&m, 0, NOP_W);
        vm_copy(&e, &m);
        expect_trap(&e, PGV_CAUSE_BOUNDS, 0, 0);
        step_check(&m, &e, PGV_EV_TRAP, "b = 0");
    }
}

/* Low storage is absolute: a relocated program's virtual 0..8 are not E[0..8]. */
static void test_low_storage_absolute(void **state)
{
    (void)state;
    vm m;
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    for (uint32_t a = 0; a < 9; a++)
        put(&m, a, 0x99999999u);           /* guest-virtual 0..8 = E[16..24] */
    put(&m, P0, enc_i(PGV_OPC_SVC, 0, 0, 0x77));
    assert_int_equal(pgv_step(&m.s), PGV_EV_TRAP);
    assert_int_equal(m.mem[8], 0x77);
    assert_int_equal(m.mem[1], P0 + 1);
    assert_int_equal(m.s.pc, NEW_P);
    for (uint32_t a = 0; a < 9; a++)
        if (a != P0)
            assert_int_equal(m.mem[WIN_L + a], 0x99999999u);
}

/* ---------------------------------------------------------------------------------
 * §5.4 The interval timer
 * ------------------------------------------------------------------------------- */

/* T = 1, IE = 1: the retiring instruction sets TP (no trap yet); the next step is the
 * TIMER trap with saved P = the next instruction (here a branch target), TP := 0. */
static void test_timer_expiry_ie_on(void **state)
{
    (void)state;
    vm m, e;
    FOR_ALL_PM(p, mode) {
        vm_boot(&m, p, mode);
        m.s.timer = 1;
        m.s.ie = 1;
        put(&m, P0, enc_i(PGV_OPC_BR, 0, 0, 5));
        vm_copy(&e, &m);
        e.s.timer = 0;
        e.s.tp = 1;
        e.s.pc = 10;
        e.s.steps++;
        step_check(&m, &e, PGV_EV_EXEC, "tick to 0");
        vm_copy(&e, &m);
        e.s.tp = 0;
        expect_trap(&e, PGV_CAUSE_TIMER, 0, 10);
        step_check(&m, &e, PGV_EV_TRAP, "TIMER");
        assert_int_equal(m.mem[0], (mode | 1u << 1 | 5u << 4 | 5u << 8));
    }
}

/* IE = 0: TP stays pending through any number of steps (T = 0 does not count). */
static void test_timer_pending_ie_off(void **state)
{
    (void)state;
    vm m, e;
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    m.s.timer = 1;
    for (uint32_t a = P0; a < P0 + 5; a++)
        put(&m, a, NOP_W);
    vm_copy(&e, &m);
    for (int k = 0; k < 5; k++)
        expect_retire(&e, e.s.pc + 1);
    for (int k = 0; k < 5; k++)
        assert_int_equal(pgv_step(&m.s), PGV_EV_EXEC);
    assert_int_equal(e.s.tp, 1);
    assert_int_equal(e.s.timer, 0);
    assert_state(&m, &e, "pending with IE = 0");
}

/* Delivered right after EI / POPF / LPSW / a trap's new PSW enables IE. */
static void test_timer_delivery_after_enable(void **state)
{
    (void)state;
    vm m, e;
    for (unsigned p = 0; p < PGV_NPROFILES; p++) {
        /* EI */
        vm_boot(&m, p, PGV_MODE_SUP);
        m.s.timer = 0;
        m.s.tp = 1;
        put(&m, P0, enc(PGV_OPC_EI, 0, 0, 0, 0));
        vm_copy(&e, &m);
        e.s.ie = 1;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "EI");
        vm_copy(&e, &m);
        e.s.tp = 0;
        expect_trap(&e, PGV_CAUSE_TIMER, 0, P0 + 1);
        step_check(&m, &e, PGV_EV_TRAP, "TIMER after EI");
        /* POPF with bit 9 */
        vm_boot(&m, p, PGV_MODE_SUP);
        m.s.timer = 0;
        m.s.tp = 1;
        m.s.r[2] = 0x200;
        put(&m, P0, enc(PGV_OPC_POPF, 0, 2, 0, 0));
        vm_copy(&e, &m);
        e.s.ie = 1;
        e.s.flags = 0;
        expect_retire(&e, P0 + 1);
        step_check(&m, &e, PGV_EV_EXEC, "POPF");
        vm_copy(&e, &m);
        e.s.tp = 0;
        expect_trap(&e, PGV_CAUSE_TIMER, 0, P0 + 1);
        step_check(&m, &e, PGV_EV_TRAP, "TIMER after POPF");
        /* LPSW loading IE = 1, M = u, new R: saved P and R are the loaded ones */
        vm_boot(&m, p, PGV_MODE_SUP);
        m.s.timer = 0;
        m.s.tp = 1;
        m.s.r[1] = 10;
        put(&m, P0, enc_i(PGV_OPC_LPSW, 0, 1, 0));
        put(&m, 10, 0x00000023u);          /* M 1, IE 1, flags 2 */
        put(&m, 11, 6);
        put(&m, 12, 20);
        put(&m, 13, 30);
        vm_copy(&e, &m);
        e.s.mode = 1;
        e.s.ie = 1;
        e.s.flags = 2;
        e.s.cause = 0;
        e.s.l = 20;
        e.s.b = 30;
        expect_retire(&e, 6);
        step_check(&m, &e, PGV_EV_EXEC, "LPSW");
        vm_copy(&e, &m);
        e.s.tp = 0;
        expect_trap(&e, PGV_CAUSE_TIMER, 0, 6);
        step_check(&m, &e, PGV_EV_TRAP, "TIMER after LPSW");
        assert_int_equal(m.mem[0], 0x00000523u);
        assert_int_equal(m.mem[2], 20);
        assert_int_equal(m.mem[3], 30);
        /* a trap whose new PSW has IE = 1 */
        vm_boot(&m, p, PGV_MODE_USER);
        m.s.timer = 0;
        m.s.tp = 1;
        m.mem[4] = 0x00000002u;
        put(&m, P0, enc_i(PGV_OPC_SVC, 0, 0, 1));
        vm_copy(&e, &m);
        expect_trap(&e, PGV_CAUSE_SVC, 1, P0 + 1);
        step_check(&m, &e, PGV_EV_TRAP, "SVC");
        vm_copy(&e, &m);
        e.s.tp = 0;
        expect_trap(&e, PGV_CAUSE_TIMER, 0, NEW_P);
        step_check(&m, &e, PGV_EV_TRAP, "TIMER after a trap enabling IE");
    }
}

/* STMR overrides the tick (T := rs exactly, not rs - 1) and clears TP — even when the
 * tick would have expired the timer; STMR 0 stops it. */
static void test_timer_stmr(void **state)
{
    (void)state;
    vm m, e;
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    m.s.timer = 1;
    m.s.r[1] = 5;
    put(&m, P0, enc(PGV_OPC_STMR, 0, 1, 0, 0));
    vm_copy(&e, &m);
    e.s.timer = 5;
    e.s.tp = 0;
    e.s.pc = P0 + 1;
    e.s.steps++;
    step_check(&m, &e, PGV_EV_EXEC, "STMR over an expiring tick");

    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    m.s.timer = 0;
    m.s.tp = 1;
    m.s.r[1] = 0;
    put(&m, P0, enc(PGV_OPC_STMR, 0, 1, 0, 0));
    vm_copy(&e, &m);
    e.s.tp = 0;
    e.s.pc = P0 + 1;
    e.s.steps++;
    step_check(&m, &e, PGV_EV_EXEC, "STMR 0 clears TP");

    /* STMR 1: the next retired instruction expires it */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    m.s.r[1] = 1;
    put(&m, P0, enc(PGV_OPC_STMR, 0, 1, 0, 0));
    put(&m, P0 + 1, NOP_W);
    assert_int_equal(pgv_step(&m.s), PGV_EV_EXEC);
    assert_int_equal(m.s.timer, 1);
    assert_int_equal(pgv_step(&m.s), PGV_EV_EXEC);
    assert_int_equal(m.s.timer, 0);
    assert_int_equal(m.s.tp, 1);

    /* TP = 1 and IE = 1 when STMR is next: the TIMER trap comes first */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    m.s.timer = 0;
    m.s.tp = 1;
    m.s.ie = 1;
    put(&m, P0, enc(PGV_OPC_STMR, 0, 1, 0, 0));
    vm_copy(&e, &m);
    e.s.tp = 0;
    expect_trap(&e, PGV_CAUSE_TIMER, 0, P0);
    step_check(&m, &e, PGV_EV_TRAP, "TIMER before STMR");
}

/* RDTMR reads the value before the tick, including the expiring 1. */
static void test_timer_rdtmr(void **state)
{
    (void)state;
    vm m, e;
    static const uint32_t tv[] = { 0, 1, 2, 0xFFFFFFFFu };
    for (size_t i = 0; i < sizeof tv / sizeof tv[0]; i++) {
        vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
        m.s.timer = tv[i];
        put(&m, P0, enc(PGV_OPC_RDTMR, 3, 0, 0, 0));
        vm_copy(&e, &m);
        e.s.r[3] = tv[i];
        e.s.timer = tv[i] ? tv[i] - 1 : 0;
        e.s.tp = tv[i] == 1;
        e.s.pc = P0 + 1;
        e.s.steps++;
        step_check(&m, &e, PGV_EV_EXEC, "RDTMR");
    }
}

/* Trap steps do not tick (every cause); HALT ticks; T = 0 never counts. */
static void test_timer_traps_do_not_tick(void **state)
{
    (void)state;
    vm m, e;
    static const uint32_t words[] = { 0x00000000u /* ILLEGAL */, 0x38000001u /* SVC */,
                                      0x40000000u /* HALT: PRIV in user mode */,
                                      0x20310000u /* LD r3, 0(r1): BOUNDS */ };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
        m.s.timer = 1;
        m.s.r[1] = 1000;
        put(&m, P0, words[i]);
        assert_int_equal(pgv_step(&m.s), PGV_EV_TRAP);
        assert_int_equal(m.s.timer, 1);
        assert_int_equal(m.s.tp, 0);
        assert_int_equal(m.s.steps, STEPS0 + 1);
    }
    /* fetch BOUNDS */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    m.s.timer = 1;
    m.s.pc = 999;
    assert_int_equal(pgv_step(&m.s), PGV_EV_TRAP);
    assert_int_equal(m.s.timer, 1);
    /* HALT ticks and can expire the timer; the halted machine takes no TIMER trap */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    m.s.timer = 1;
    m.s.ie = 1;
    put(&m, P0, HALT_W);
    vm_copy(&e, &m);
    e.s.halted = 1;
    e.s.timer = 0;
    e.s.tp = 1;
    e.s.pc = P0 + 1;
    e.s.steps++;
    step_check(&m, &e, PGV_EV_HALT, "HALT ticks");
    step_check(&m, &e, PGV_EV_IDLE, "halted: no TIMER trap");
    /* T = 0: not counting */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    m.s.timer = 0;
    put(&m, P0, NOP_W);
    vm_copy(&e, &m);
    e.s.pc = P0 + 1;
    e.s.steps++;
    step_check(&m, &e, PGV_EV_EXEC, "T = 0");
}

/* ---------------------------------------------------------------------------------
 * §2.5 The I/O channel
 * ------------------------------------------------------------------------------- */
static void test_io_in_end_of_tape(void **state)
{
    (void)state;
    vm m, e;
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    for (uint32_t a = P0; a < P0 + 5; a++)
        put(&m, a, enc(PGV_OPC_IN, (a - P0) % 8, 0, 0, 0));
    vm_copy(&e, &m);
    const uint32_t want[5] = { 0x11111111u, 0x22222222u, 0x33333333u, 0xFFFFFFFFu, 0xFFFFFFFFu };
    for (int k = 0; k < 5; k++) {
        e.s.r[k] = want[k];
        e.s.in_pos = k < 3 ? (uint32_t)k + 1 : 3;   /* unchanged at end of tape */
        expect_retire(&e, e.s.pc + 1);
        step_check(&m, &e, PGV_EV_EXEC, "IN");
    }
    /* no tape at all */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    m.s.in = NULL;
    m.s.in_len = 0;
    put(&m, P0, enc(PGV_OPC_IN, 3, 0, 0, 0));
    vm_copy(&e, &m);
    e.s.r[3] = 0xFFFFFFFFu;
    expect_retire(&e, P0 + 1);
    step_check(&m, &e, PGV_EV_EXEC, "IN without tape");
}

static void test_io_out_beyond_capacity(void **state)
{
    (void)state;
    vm m, e;
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    m.s.out_cap = 2;
    for (uint32_t a = P0; a < P0 + 4; a++)
        put(&m, a, enc(PGV_OPC_OUT, 0, (a - P0) + 1, 0, 0));
    vm_copy(&e, &m);
    for (uint32_t k = 0; k < 4; k++) {
        if (k < 2)
            e.out[k] = e.s.r[k + 1];
        e.s.out_len = k + 1;              /* counts every word */
        expect_retire(&e, e.s.pc + 1);
        step_check(&m, &e, PGV_EV_EXEC, "OUT");
    }
    assert_int_equal(m.out[2], 0xEEEEEEEEu);     /* not stored */
    /* no buffer at all */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    m.s.out = NULL;
    m.s.out_cap = 0;
    put(&m, P0, enc(PGV_OPC_OUT, 0, 1, 0, 0));
    vm_copy(&e, &m);
    e.s.out_len = 1;
    expect_retire(&e, P0 + 1);
    step_check(&m, &e, PGV_EV_EXEC, "OUT without buffer");
    /* the count saturates at 2^32 - 1 (§A) */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    m.s.out_len = 0xFFFFFFFFu;
    put(&m, P0, enc(PGV_OPC_OUT, 0, 1, 0, 0));
    vm_copy(&e, &m);
    expect_retire(&e, P0 + 1);
    step_check(&m, &e, PGV_EV_EXEC, "OUT count saturates");
}

/* ---------------------------------------------------------------------------------
 * §8.3 pgv_init
 * ------------------------------------------------------------------------------- */
static void test_init(void **state)
{
    (void)state;
    uint32_t mem[32];
    pgv_state s;
    for (int i = 0; i < 32; i++)
        mem[i] = 0x1000u + (uint32_t)i;
    memset(&s, 0xA5, sizeof s);
    pgv_init(&s, mem, 32, PGV_PROFILE_REDPILL, 9);
    for (int i = 0; i < 8; i++)
        assert_int_equal(s.r[i], 0);
    assert_int_equal(s.pc, 9);
    assert_int_equal(s.l, 0);
    assert_int_equal(s.b, 32);
    assert_int_equal(s.mode, PGV_MODE_SUP);
    assert_int_equal(s.ie, 0);
    assert_int_equal(s.flags, 0);
    assert_int_equal(s.cause, 0);
    assert_int_equal(s.timer, 0);
    assert_int_equal(s.tp, 0);
    assert_int_equal(s.halted, 0);
    assert_int_equal(s.profile, PGV_PROFILE_REDPILL);
    assert_ptr_equal(s.mem, mem);
    assert_int_equal(s.q, 32);
    assert_null(s.in);
    assert_int_equal(s.in_len, 0);
    assert_int_equal(s.in_pos, 0);
    assert_null(s.out);
    assert_int_equal(s.out_cap, 0);
    assert_int_equal(s.out_len, 0);
    assert_int_equal(s.steps, 0);
    for (int i = 0; i < 32; i++)
        assert_int_equal(mem[i], 0x1000u + (uint32_t)i);
}

/* ---------------------------------------------------------------------------------
 * §8.2 pgv_run
 * ------------------------------------------------------------------------------- */

/* A supervisor program: three NOPs then HALT at P0. */
static void boot_nops_halt(vm *m)
{
    vm_boot(m, PGV_PROFILE_PG, PGV_MODE_SUP);
    put(m, P0, NOP_W);
    put(m, P0 + 1, NOP_W);
    put(m, P0 + 2, NOP_W);
    put(m, P0 + 3, HALT_W);
}

static void test_run_budget(void **state)
{
    (void)state;
    vm m, e;
    uint64_t done = 99;
    /* budget 0: nothing, BUDGET */
    boot_nops_halt(&m);
    vm_copy(&e, &m);
    assert_int_equal(pgv_run(&m.s, 0, 0, &done), PGV_STOP_BUDGET);
    assert_int_equal(done, 0);
    assert_state(&m, &e, "budget 0");
    /* budget 3: exactly the three NOPs */
    assert_int_equal(pgv_run(&m.s, 3, 0, &done), PGV_STOP_BUDGET);
    assert_int_equal(done, 3);
    for (int k = 0; k < 3; k++)
        expect_retire(&e, e.s.pc + 1);
    assert_state(&m, &e, "budget 3");
    /* budget 1 more: the HALT; HALT wins over an exhausted budget */
    assert_int_equal(pgv_run(&m.s, 1, 0, &done), PGV_STOP_HALT);
    assert_int_equal(done, 1);
    e.s.halted = 1;
    expect_retire(&e, e.s.pc + 1);
    assert_state(&m, &e, "HALT as the last budgeted step");
    /* halted machine: HALT at once, done 0, nothing changes (IDLE for pgv_step) */
    assert_int_equal(pgv_run(&m.s, 1000, PGV_RUN_STOP_ON_TRAP, &done), PGV_STOP_HALT);
    assert_int_equal(done, 0);
    assert_state(&m, &e, "halted");
    assert_int_equal(pgv_run(&m.s, 0, 0, NULL), PGV_STOP_HALT);
    assert_int_equal(pgv_step(&m.s), PGV_EV_IDLE);
    assert_state(&m, &e, "halted, step");
    /* large budget: stops at HALT with done = 4 */
    boot_nops_halt(&m);
    assert_int_equal(pgv_run(&m.s, UINT64_MAX, 0, &done), PGV_STOP_HALT);
    assert_int_equal(done, 4);
    assert_int_equal(m.s.steps, STEPS0 + 4);
    assert_int_equal(m.s.pc, P0 + 4);
    /* done may be NULL */
    boot_nops_halt(&m);
    assert_int_equal(pgv_run(&m.s, 2, 0, NULL), PGV_STOP_BUDGET);
    assert_int_equal(m.s.pc, P0 + 2);
}

/* §8.2: the budget counts the steps this call takes, whatever the state's steps
 * counter holds; steps is a 64-bit counter (mod 2^64).  So from steps = 2^64 - 3 a
 * budget of 10 takes 10 steps, exactly as 10 pgv_step calls do. */
static void test_run_budget_near_steps_wrap(void **state)
{
    (void)state;
    vm a, b;
    uint64_t done = 0;
    vm_boot(&a, PGV_PROFILE_PG, PGV_MODE_SUP);
    put(&a, P0, enc_i(PGV_OPC_BR, 0, 0, 0xFFFF));   /* BR to itself */
    a.s.timer = 0;
    a.s.steps = UINT64_MAX - 2;
    vm_copy(&b, &a);
    for (int k = 0; k < 10; k++)
        assert_int_equal(pgv_step(&b.s), PGV_EV_EXEC);
    assert_true(b.s.steps == 7);                     /* UINT64_MAX - 2 + 10 mod 2^64 */
    assert_int_equal(pgv_run(&a.s, 10, 0, &done), PGV_STOP_BUDGET);
    if (done != 10)
        fail_msg("pgv_run(budget 10) from steps = 2^64 - 3 took %llu steps, expected 10",
                 (unsigned long long)done);
    assert_state(&a, &b, "run near the wrap of steps");
}

/* STOP_ON_TRAP: stops after a trap into supervisor mode (counted in done); not after a
 * trap whose new PSW is user mode; without the flag traps do not stop the run. */
static void test_run_stop_on_trap(void **state)
{
    (void)state;
    vm m, e;
    uint64_t done;
    /* user program: NOP, NOP, SVC 3; new PSW supervisor */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    put(&m, P0, NOP_W);
    put(&m, P0 + 1, NOP_W);
    put(&m, P0 + 2, enc_i(PGV_OPC_SVC, 0, 0, 3));
    vm_copy(&e, &m);
    assert_int_equal(pgv_run(&m.s, 100, PGV_RUN_STOP_ON_TRAP, &done), PGV_STOP_TRAP);
    assert_int_equal(done, 3);
    expect_retire(&e, P0 + 1);
    expect_retire(&e, P0 + 2);
    expect_trap(&e, PGV_CAUSE_SVC, 3, P0 + 3);
    assert_state(&m, &e, "STOP_ON_TRAP");
    /* a trap in supervisor mode into supervisor mode also stops */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_SUP);
    put(&m, P0, 0);
    assert_int_equal(pgv_run(&m.s, 100, PGV_RUN_STOP_ON_TRAP, &done), PGV_STOP_TRAP);
    assert_int_equal(done, 1);
    /* TIMER trap into supervisor stops */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    m.s.timer = 2;
    m.s.ie = 1;
    put(&m, P0, NOP_W);
    put(&m, P0 + 1, NOP_W);
    assert_int_equal(pgv_run(&m.s, 100, PGV_RUN_STOP_ON_TRAP, &done), PGV_STOP_TRAP);
    assert_int_equal(done, 3);
    assert_int_equal(old_cause(&m), PGV_CAUSE_TIMER);
    assert_int_equal(m.mem[1], P0 + 2);
    /* new PSW in user mode: the run goes on into the handler */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    m.mem[4] = 1;                          /* M = u */
    m.mem[5] = 8;
    m.mem[6] = WIN_L;
    m.mem[7] = WIN_B;
    put(&m, P0, enc_i(PGV_OPC_SVC, 0, 0, 3));
    put(&m, 8, NOP_W);
    put(&m, 9, NOP_W);
    assert_int_equal(pgv_run(&m.s, 3, PGV_RUN_STOP_ON_TRAP, &done), PGV_STOP_BUDGET);
    assert_int_equal(done, 3);
    assert_int_equal(m.s.pc, 10);
    assert_int_equal(m.s.mode, PGV_MODE_USER);
    /* without the flag: the trap does not stop the run */
    vm_boot(&m, PGV_PROFILE_PG, PGV_MODE_USER);
    put(&m, P0, enc_i(PGV_OPC_SVC, 0, 0, 3));
    m.mem[NEW_P] = HALT_W;                 /* handler at absolute 0x30 (R = (0, q)) */
    assert_int_equal(pgv_run(&m.s, 100, 0, &done), PGV_STOP_HALT);
    assert_int_equal(done, 2);
    assert_int_equal(m.s.halted, 1);
}

/* ---------------------------------------------------------------------------------
 * §8.4 pgv_compare
 * ------------------------------------------------------------------------------- */
static void test_compare_fields(void **state)
{
    (void)state;
    vm a, b;
    pgv_mismatch mm[8];
    static const struct { const char *name; size_t off; } f32[] = {
        { "pc", offsetof(pgv_state, pc) },         { "l", offsetof(pgv_state, l) },
        { "b", offsetof(pgv_state, b) },           { "mode", offsetof(pgv_state, mode) },
        { "ie", offsetof(pgv_state, ie) },         { "flags", offsetof(pgv_state, flags) },
        { "cause", offsetof(pgv_state, cause) },   { "timer", offsetof(pgv_state, timer) },
        { "tp", offsetof(pgv_state, tp) },         { "halted", offsetof(pgv_state, halted) },
        { "in_pos", offsetof(pgv_state, in_pos) }, { "out_len", offsetof(pgv_state, out_len) },
    };
    vm_boot(&a, PGV_PROFILE_PG, PGV_MODE_USER);
    vm_copy(&b, &a);
    assert_int_equal(pgv_compare(&a.s, &b.s, NULL, 0), 0);
    assert_int_equal(pgv_compare(&a.s, &a.s, mm, 8), 0);
    for (size_t i = 0; i < sizeof f32 / sizeof f32[0]; i++) {
        vm_copy(&b, &a);
        uint32_t *pb = (uint32_t *)((char *)&b.s + f32[i].off);
        uint32_t va = *pb;
        *pb = va ^ 0x2u;   /* out_len 0 -> 2: no output word compared beyond cap 4 */
        assert_int_equal(pgv_compare(&a.s, &b.s, mm, 8), 1);
        assert_string_equal(mm[0].field, f32[i].name);
        assert_int_equal(mm[0].index, 0);
        assert_int_equal(mm[0].a, va);
        assert_int_equal(mm[0].b, va ^ 0x2u);
    }
    for (uint32_t r = 0; r < PGV_NREGS; r++) {
        vm_copy(&b, &a);
        b.s.r[r] = 0xFFFF0000u;
        assert_int_equal(pgv_compare(&a.s, &b.s, mm, 8), 1);
        assert_string_equal(mm[0].field, "r");
        assert_int_equal(mm[0].index, r);
        assert_int_equal(mm[0].a, a.s.r[r]);
        assert_int_equal(mm[0].b, 0xFFFF0000u);
    }
    vm_copy(&b, &a);
    b.s.steps = (uint64_t)1 << 40;          /* the full 64-bit value is reported */
    assert_int_equal(pgv_compare(&a.s, &b.s, mm, 8), 1);
    assert_string_equal(mm[0].field, "steps");
    assert_true(mm[0].b == (uint64_t)1 << 40);
    /* storage words */
    vm_copy(&b, &a);
    b.mem[10] ^= 0x100u;
    b.mem[QW - 1] = 0;
    assert_int_equal(pgv_compare(&a.s, &b.s, mm, 8), 2);
    assert_string_equal(mm[0].field, "mem");
    assert_int_equal(mm[0].index, 10);
    assert_int_equal(mm[0].a, a.mem[10]);
    assert_int_equal(mm[0].b, a.mem[10] ^ 0x100u);
    assert_string_equal(mm[1].field, "mem");
    assert_int_equal(mm[1].index, QW - 1);
    /* q: reported, and storage compared on the common prefix */
    vm_copy(&b, &a);
    b.s.q = 32;
    b.mem[40] = 0;
    assert_int_equal(pgv_compare(&a.s, &b.s, mm, 8), 1);
    assert_string_equal(mm[0].field, "q");
    /* output words: within min(out_len, out_cap) only */
    a.s.out_len = 3;
    a.out[0] = 1; a.out[1] = 2; a.out[2] = 3; a.out[3] = 4;
    vm_copy(&b, &a);
    b.out[1] = 22;
    b.out[3] = 44;                          /* beyond out_len: not compared */
    assert_int_equal(pgv_compare(&a.s, &b.s, mm, 8), 1);
    assert_string_equal(mm[0].field, "out");
    assert_int_equal(mm[0].index, 1);
    assert_int_equal(mm[0].a, 2);
    assert_int_equal(mm[0].b, 22);
    a.s.out_len = b.s.out_len = 6;          /* beyond out_cap = 4: not compared */
    b.out[1] = 2;
    b.out[4] = 55;
    assert_int_equal(pgv_compare(&a.s, &b.s, mm, 8), 1);   /* out[3] only */
    assert_int_equal(mm[0].index, 3);
    /* output words: within the smaller capacity when the capacities differ */
    vm_copy(&b, &a);
    a.s.out_cap = 2;
    b.out[2] = 33;
    assert_int_equal(pgv_compare(&a.s, &b.s, mm, 8), 0);
    assert_int_equal(pgv_compare(&b.s, &a.s, mm, 8), 0);
    a.s.out_cap = OUT_CAP;
    /* not part of the state compared: profile, in_len, out_cap, buffer addresses */
    vm_copy(&b, &a);
    b.s.profile = PGV_PROFILE_REDPILL;
    b.s.in_len = 1;
    b.s.out_cap = 3;
    assert_int_equal(pgv_compare(&a.s, &b.s, mm, 8), 0);
}

/* The count is of all differences; only the first `max` are written. */
static void test_compare_counts(void **state)
{
    (void)state;
    vm a, b;
    pgv_mismatch mm[3];
    vm_boot(&a, PGV_PROFILE_PG, PGV_MODE_USER);
    vm_copy(&b, &a);
    b.s.r[0] ^= 1;
    b.s.pc ^= 1;
    b.s.halted ^= 1;
    b.mem[3] ^= 1;
    b.mem[4] ^= 1;
    memset(mm, 0, sizeof mm);
    mm[2].field = "sentinel";
    assert_int_equal(pgv_compare(&a.s, &b.s, mm, 2), 5);
    assert_string_equal(mm[0].field, "r");
    assert_string_equal(mm[1].field, "pc");
    assert_string_equal(mm[2].field, "sentinel");
    assert_int_equal(pgv_compare(&a.s, &b.s, NULL, 0), 5);
}

/* ---------------------------------------------------------------------------------
 * Property: pgv_run(N) equals N pgv_step calls (same state, stop reason and count)
 * ------------------------------------------------------------------------------- */

static uint32_t random_legal_word(void)
{
    uint32_t opc = pgv_op_list[rnd() % pgv_nops];
    return opc << 24 | ((uint32_t)rnd() & 0x00FFFFFFu & ~pgv_fmt_zero_mask[pgv_optab[opc].fmt]);
}

static void random_machine(vm *m)
{
    vm_boot(m, (unsigned)(rnd() % PGV_NPROFILES), (unsigned)(rnd() & 1));
    for (uint32_t i = 0; i < QW; i++)
        m->mem[i] = rnd() % 20 == 0 ? (uint32_t)rnd() : random_legal_word();
    if (rnd() & 1) {                        /* a sane trap handler half of the time */
        m->mem[4] = (uint32_t)rnd() & 0x7Fu & ~1u;
        m->mem[5] = 9 + (uint32_t)(rnd() % 50);
        m->mem[6] = 0;
        m->mem[7] = QW;
    }
    for (unsigned r = 0; r < PGV_NREGS; r++)
        m->s.r[r] = rnd() & 1 ? (uint32_t)(rnd() % 70) : (uint32_t)rnd();
    m->s.pc = (uint32_t)(rnd() % 40);
    m->s.l = (uint32_t)(rnd() % 70);
    m->s.b = (uint32_t)(rnd() % 80);
    m->s.ie = (uint32_t)rnd() & 1;
    m->s.tp = rnd() % 8 == 0;
    m->s.timer = (uint32_t)(rnd() % 30);
    m->s.flags = (uint32_t)rnd() & 7;
    m->s.out_cap = (uint32_t)(rnd() % 5);
}

static void test_property_run_equals_steps(void **state)
{
    (void)state;
    vm a, b;
    for (uint64_t seed = 1; seed <= 5000; seed++) {
        rng_seed(seed);
        random_machine(&a);
        vm_copy(&b, &a);
        uint64_t budget = rnd() % 300;
        unsigned flags = rnd() & 1 ? PGV_RUN_STOP_ON_TRAP : 0;
        uint64_t done;
        pgv_stop why = pgv_run(&a.s, budget, flags, &done);
        /* the reference loop, from §8.2 */
        uint64_t n = 0;
        pgv_stop want = PGV_STOP_BUDGET;
        while (1) {
            if (b.s.halted) { want = PGV_STOP_HALT; break; }
            if (n == budget) break;
            pgv_event ev = pgv_step(&b.s);
            n++;
            if (ev == PGV_EV_HALT) { want = PGV_STOP_HALT; break; }
            if (ev == PGV_EV_TRAP && flags && b.s.mode == PGV_MODE_SUP) {
                want = PGV_STOP_TRAP;
                break;
            }
        }
        if (why != want || done != n)
            fail_msg("seed %llu: run %s/%llu, steps %s/%llu", (unsigned long long)seed,
                     pgv_stop_name(why), (unsigned long long)done, pgv_stop_name(want),
                     (unsigned long long)n);
        assert_state(&a, &b, "run vs steps");
    }
}

/* Names used by printers: one spelling each. */
static void test_names(void **state)
{
    (void)state;
    static const char *const causes[] = { "NONE", "PRIV", "BOUNDS", "ILLEGAL", "SVC", "TIMER" };
    for (uint32_t c = 0; c < PGV_NCAUSES; c++)
        assert_string_equal(pgv_cause_name(c), causes[c]);
    assert_string_equal(pgv_cause_name(6), "?");
    static const char *const profiles[] = { "pg", "popf", "jrst", "redpill" };
    for (uint32_t p = 0; p < PGV_NPROFILES; p++) {
        assert_string_equal(pgv_profile_name(p), profiles[p]);
        assert_int_equal(pgv_profile_parse(profiles[p]), (int)p);
    }
    assert_int_equal(pgv_profile_parse("PG"), -1);
    assert_int_equal(pgv_profile_parse(""), -1);
    assert_string_equal(pgv_event_name(PGV_EV_IDLE), "idle");
    assert_string_equal(pgv_stop_name(PGV_STOP_TRAP), "trap");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psw_swap_literal),
        cmocka_unit_test(test_psw_swap_into_user_mode),
        cmocka_unit_test(test_trap_and_return),
        cmocka_unit_test(test_pgv_trap_api),
        cmocka_unit_test(test_status_word),
        cmocka_unit_test(test_trap_bounds_fetch),
        cmocka_unit_test(test_trap_bounds_data),
        cmocka_unit_test(test_trap_bounds_lpsw),
        cmocka_unit_test(test_trap_illegal),
        cmocka_unit_test(test_step_order),
        cmocka_unit_test(test_translate_edges),
        cmocka_unit_test(test_relocation_in_step),
        cmocka_unit_test(test_low_storage_absolute),
        cmocka_unit_test(test_timer_expiry_ie_on),
        cmocka_unit_test(test_timer_pending_ie_off),
        cmocka_unit_test(test_timer_delivery_after_enable),
        cmocka_unit_test(test_timer_stmr),
        cmocka_unit_test(test_timer_rdtmr),
        cmocka_unit_test(test_timer_traps_do_not_tick),
        cmocka_unit_test(test_io_in_end_of_tape),
        cmocka_unit_test(test_io_out_beyond_capacity),
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_run_budget),
        cmocka_unit_test(test_run_budget_near_steps_wrap),
        cmocka_unit_test(test_run_stop_on_trap),
        cmocka_unit_test(test_compare_fields),
        cmocka_unit_test(test_compare_counts),
        cmocka_unit_test(test_property_run_equals_steps),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
