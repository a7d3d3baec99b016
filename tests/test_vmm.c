/* tests/test_vmm.c — the VMM against the reference machine (spec/VMM.md, ISA manual §5–§8).
 *
 * Every test builds a guest (hand-encoded programs with testutil.h's enc()), runs it
 * natively with pgv_run and virtualized with pgv_vmm_run / pgv_diff_run, and compares
 * with pgv_compare: every sensitive instruction in virtual supervisor and virtual user
 * mode, every trap cause, LPSW into user mode with relocation, the timer with IE on
 * and off, I/O, the budget cut at every step, plain / hybrid / depth 1..4 / 4 VMs;
 * hostile guests (resource control under attack); the profiles popf, jrst and
 * redpill (plain VMM diverges, hybrid is equivalent for popf and jrst only); exact
 * efficiency counters; the composition of R against pgv_translate.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "tests/testutil.h"
#include "model/compare.h"
#include "vmm/vmm.h"
#include "vmm/diff.h"
#include "vmm/monitor.h"

/* ---- a tiny program builder --------------------------------------------------------- */

#define Q 256u
typedef struct prog {
    uint32_t mem[Q];
    uint32_t pc;             /* emission point (absolute) */
    uint32_t entry;
    uint32_t in[16];
    uint32_t in_len;
    uint32_t profile;
} prog;

static void emit(prog *p, uint32_t w) { p->mem[p->pc++] = w; }
static void org(prog *p, uint32_t a) { p->pc = a; }
static uint32_t here(const prog *p) { return p->pc; }
/* branch / JAL offset from the instruction at `at` to `target` */
static uint32_t off(uint32_t at, uint32_t target) { return (target - at - 1u) & 0xFFFFu; }
static void patch(prog *p, uint32_t at, uint32_t target)
{
    p->mem[at] = (p->mem[at] & 0xFFFF0000u) | off(at, target);
}

#define O(x) PGV_OPC_##x
#define N(op)              enc(O(op), 0, 0, 0, 0)
#define D(op, rd)          enc(O(op), rd, 0, 0, 0)
#define S(op, rs)          enc(O(op), 0, rs, 0, 0)
#define DS(op, rd, rs)     enc(O(op), rd, rs, 0, 0)
#define ST2(op, rs, rt)    enc(O(op), 0, rs, rt, 0)
#define DST(op, rd, rs, rt) enc(O(op), rd, rs, rt, 0)
#define DSI(op, rd, rs, i) enc_i(O(op), rd, rs, i)
#define SI(op, rs, i)      enc_i(O(op), 0, rs, i)
#define MEM(op, rd, i, rs) enc_i(O(op), rd, rs, i)
#define LPSWI(i, rs)       enc_i(O(LPSW), 0, rs, i)
#define DI(op, rd, i)      enc_i(O(op), rd, 0, i)
#define U(op, i)           enc_i(O(op), 0, 0, i)
#define BRANCH(p, op, target) emit(p, enc_i(O(op), 0, 0, off(here(p), target)))

/* load a 32-bit constant into rd (LUI + ORI) */
static void li(prog *p, uint32_t rd, uint32_t v)
{
    emit(p, DI(LUI, rd, v >> 16));
    emit(p, DSI(ORI, rd, rd, v & 0xFFFFu));
}

/* a PSW block of four words at absolute a */
static void psw(prog *p, uint32_t a, uint32_t mode, uint32_t ie, uint32_t pc, uint32_t l, uint32_t b)
{
    p->mem[a] = mode | ie << 1;
    p->mem[a + 1] = pc;
    p->mem[a + 2] = l;
    p->mem[a + 3] = b;
}

static void prog_init(prog *p, uint32_t profile)
{
    memset(p, 0, sizeof *p);
    p->profile = profile;
    p->entry = 0x10;
    p->pc = 0x10;
}

/* The standard kernel trap handler at 0x40 (new PSW: supervisor, IE 0, R = (0, Q)).
 * It counts traps in E[9], logs cause and info with OUT, halts on SVC 0xFF, returns
 * after SVC and TIMER, recovers from a fetch BOUNDS (info == saved P) by resuming at
 * the PSW (status, P, l, b) = (E[13], E[10..12]), skips the trapping instruction for PRIV / ILLEGAL /
 * data BOUNDS, and returns with LPSW 0(r0).  It uses r6, r7 only.                  */
#define HANDLER 0x40u
static void std_handler(prog *p)
{
    psw(p, PGV_NEW_PSW, PGV_MODE_SUP, 0, HANDLER, 0, Q);
    uint32_t save = p->pc;
    org(p, HANDLER);
    emit(p, MEM(LD, 6, 9, 0));         /* count */
    emit(p, DSI(ADDI, 6, 6, 1));
    emit(p, MEM(ST, 6, 9, 0));
    emit(p, MEM(LD, 6, 0, 0));         /* cause */
    emit(p, DSI(SHRI, 6, 6, 8));
    emit(p, S(OUT, 6));
    emit(p, MEM(LD, 7, 8, 0));         /* info */
    emit(p, S(OUT, 7));
    emit(p, SI(CMPI, 6, PGV_CAUSE_SVC));
    uint32_t b_svc = here(p);
    emit(p, U(BEQ, 0));
    emit(p, SI(CMPI, 6, PGV_CAUSE_TIMER));
    uint32_t b_ret = here(p);
    emit(p, U(BEQ, 0));
    emit(p, SI(CMPI, 6, PGV_CAUSE_BOUNDS));
    uint32_t b_skip = here(p);
    emit(p, U(BNE, 0));
    emit(p, MEM(LD, 6, 1, 0));          /* fetch BOUNDS: info == saved P */
    emit(p, ST2(CMP, 6, 7));
    uint32_t b_skip2 = here(p);
    emit(p, U(BNE, 0));
    emit(p, MEM(LD, 7, 13, 0));         /* resume at the recovery PSW */
    emit(p, MEM(ST, 7, 0, 0));
    emit(p, MEM(LD, 7, 10, 0));
    emit(p, MEM(ST, 7, 1, 0));
    emit(p, MEM(LD, 7, 11, 0));
    emit(p, MEM(ST, 7, 2, 0));
    emit(p, MEM(LD, 7, 12, 0));
    emit(p, MEM(ST, 7, 3, 0));
    uint32_t b_ret2 = here(p);
    emit(p, U(BR, 0));
    uint32_t skip = here(p);
    emit(p, MEM(LD, 7, 1, 0));          /* P + 1 */
    emit(p, DSI(ADDI, 7, 7, 1));
    emit(p, MEM(ST, 7, 1, 0));
    uint32_t ret = here(p);
    emit(p, LPSWI(0, 0));
    uint32_t svc = here(p);
    emit(p, SI(CMPI, 7, 0xFF));
    BRANCH(p, BNE, ret);
    emit(p, N(HALT));
    assert_true(here(p) <= 0x80);
    patch(p, b_svc, svc);
    patch(p, b_ret, ret);
    patch(p, b_ret2, ret);
    patch(p, b_skip, skip);
    patch(p, b_skip2, skip);
    p->pc = save;
}

/* code to set the recovery PSW (E[13], E[10..12]) := (status, pc, l, b), using r5 */
static void recovery(prog *p, uint32_t status, uint32_t pc, uint32_t l, uint32_t b)
{
    emit(p, DSI(ORI, 5, 0, status));
    emit(p, MEM(ST, 5, 13, 0));
    emit(p, DSI(ORI, 5, 0, pc));
    emit(p, MEM(ST, 5, 10, 0));
    emit(p, DSI(ORI, 5, 0, l));
    emit(p, MEM(ST, 5, 11, 0));
    emit(p, DSI(ORI, 5, 0, b));
    emit(p, MEM(ST, 5, 12, 0));
}

/* boot: a native initial state from the program (storage copied into mem) */
static void boot(const prog *p, pgv_state *s, uint32_t *mem, uint32_t *out, uint32_t out_cap)
{
    memcpy(mem, p->mem, sizeof p->mem);
    pgv_init(s, mem, Q, p->profile, p->entry);
    s->in = p->in;
    s->in_len = p->in_len;
    s->out = out;
    s->out_cap = out_cap;
}

/* ---- equivalence drivers ----------------------------------------------------------- */

static pgv_diff_ws *ws;

static int setup(void **st) { (void)st; ws = pgv_diff_ws_new(); return ws ? 0 : -1; }
static int teardown(void **st) { (void)st; pgv_diff_ws_free(ws); ws = 0; return 0; }

static pgv_vmm_config cfg_of(uint32_t profile, uint32_t hybrid, uint32_t depth, uint32_t vms,
                             uint32_t slice)
{
    pgv_vmm_config c = { profile, hybrid, depth, vms, slice };
    return c;
}

/* The diff of p under cfg with the given budget; fails the test on an error. */
static void diff1(const prog *p, pgv_vmm_config cfg, uint64_t budget, pgv_diff_result *r)
{
    static uint32_t mem[Q], out[64];
    pgv_state s;
    boot(p, &s, mem, out, 64);
    pgv_diff_case c = { cfg, budget, &s };
    assert_int_equal(pgv_diff_run(ws, &c, r), 0);
}

static void report_mismatch(const prog *p, pgv_vmm_config cfg, uint64_t budget,
                            const pgv_diff_result *r)
{
    print_error("divergence: profile %s hybrid %u depth %u vms %u slice %u budget %llu vm %u: "
                "%zu mismatches\n", pgv_profile_name(p->profile), cfg.hybrid, cfg.depth, cfg.vms,
                cfg.slice, (unsigned long long)budget, r->vm, r->nmismatch);
    for (size_t i = 0; i < r->nmismatch && i < 8; i++)
        print_error("  %s[%u]: native 0x%llx vmm 0x%llx\n", r->mm[i].field, r->mm[i].index,
                    (unsigned long long)r->mm[i].a, (unsigned long long)r->mm[i].b);
    if (!r->rc_ok)
        print_error("  resource control: %s\n", r->rep.rc_first);
}

/* Equivalent and resource control held after every budget 0..n (and n is a halt). */
static void equiv_every_budget(const prog *p, pgv_vmm_config cfg, uint64_t n)
{
    pgv_diff_result r;
    for (uint64_t b = 0; b <= n; b++) {
        diff1(p, cfg, b, &r);
        if (!r.equivalent || !r.rc_ok)
            report_mismatch(p, cfg, b, &r);
        assert_true(r.equivalent);
        assert_true(r.rc_ok);
        uint64_t g = r.rep.total.direct + r.rep.total.emulated + r.rep.total.reflected +
                     r.rep.total.interpreted;
        assert_int_equal(g, pgv_diff_native(ws)->steps * cfg.vms);
    }
}

/* Native step count to HALT (fails if it does not halt within limit). */
static uint64_t native_steps(const prog *p, uint64_t limit)
{
    static uint32_t mem[Q], out[64];
    pgv_state s;
    boot(p, &s, mem, out, 64);
    pgv_stop st = pgv_run(&s, limit, 0, 0);
    assert_int_equal(st, PGV_STOP_HALT);
    return s.steps;
}

/* Every configuration that must be equivalent in profile pg: plain, hybrid, depth
 * 1..4 (plain and hybrid), 4 VMs, short slices; every budget up to the halt + 2.    */
static void equiv_all_configs(const prog *p)
{
    uint64_t n = native_steps(p, 100000) + 2;
    for (uint32_t hy = 0; hy <= 1; hy++)
        for (uint32_t d = 1; d <= PGV_VMM_MAX_DEPTH; d++)
            equiv_every_budget(p, cfg_of(p->profile, hy, d, 1, 0), n);
    equiv_every_budget(p, cfg_of(p->profile, 0, 1, 4, 3), n);
    equiv_every_budget(p, cfg_of(p->profile, 1, 2, 4, 1), n);
    equiv_every_budget(p, cfg_of(p->profile, 0, 3, 2, 7), n);
}

/* ---- programs ------------------------------------------------------------------------ */

/* Every sensitive instruction in virtual supervisor mode, then HALT. */
static void prog_sup_sensitive(prog *p, uint32_t profile)
{
    prog_init(p, profile);
    p->in[0] = 0x11111111u;
    p->in[1] = 0x22222222u;
    p->in_len = 2;
    std_handler(p);
    li(p, 1, 0x12345678u);
    emit(p, S(OUT, 1));
    emit(p, D(IN, 2));
    emit(p, D(IN, 3));
    emit(p, D(IN, 4));                  /* tape exhausted: 0xFFFFFFFF */
    emit(p, D(RDPSW, 5));
    emit(p, DS(RDR, 1, 2));
    emit(p, DS(RDR, 3, 3));             /* rd = rs: ends with b */
    emit(p, DSI(ADDI, 1, 0, 50));
    emit(p, S(STMR, 1));
    emit(p, D(RDTMR, 2));
    emit(p, D(RDTMR, 3));
    emit(p, N(EI));
    emit(p, D(PUSHF, 4));
    emit(p, N(DI));
    emit(p, D(PUSHF, 5));
    emit(p, DSI(ORI, 1, 0, 0x205));    /* flags Z|C, IE */
    emit(p, S(POPF, 1));
    emit(p, D(PUSHF, 6));
    emit(p, DSI(ORI, 1, 0, 0x002));
    emit(p, S(POPF, 1));
    emit(p, D(RDPSW, 7));
    emit(p, DSI(ADDI, 1, 0, 0));       /* SETR (0, Q) again, then an identity */
    emit(p, DSI(ADDI, 2, 0, Q));
    emit(p, ST2(SETR, 1, 2));
    emit(p, DS(RDR, 3, 4));
    emit(p, DSI(ADDI, 1, 0, 0));
    emit(p, S(STMR, 1));                /* timer off */
    emit(p, D(RDTMR, 5));
    emit(p, S(OUT, 5));
    emit(p, N(HALT));
}

/* A kernel that enters a user program with LPSW (relocation R = (0xC0, 0x40)); the user
 * program executes every sensitive instruction (each traps PRIV, the handler skips it),
 * SVC, an illegal word, LD/ST out of bounds, a jump out of bounds, and SVC 0xFF. */
static void prog_user_sensitive(prog *p, uint32_t profile)
{
    prog_init(p, profile);
    std_handler(p);
    psw(p, 0x80, PGV_MODE_USER, 0, 0, 0xC0, 0x40);
    recovery(p, PGV_MODE_USER, 0x19, 0xC0, 0x40);
    emit(p, LPSWI(0x80, 0));
    /* user code at absolute 0xC0 = virtual 0 */
    org(p, 0xC0);
    emit(p, DSI(ADDI, 1, 0, 7));
    emit(p, SI(CMPI, 1, 9));
    emit(p, N(HALT));
    emit(p, LPSWI(0x10, 0));
    emit(p, D(RDPSW, 2));
    emit(p, ST2(SETR, 0, 0));
    emit(p, DS(RDR, 2, 3));
    emit(p, S(STMR, 1));
    emit(p, D(RDTMR, 2));
    emit(p, N(EI));
    emit(p, N(DI));
    emit(p, S(POPF, 1));
    emit(p, D(PUSHF, 2));
    emit(p, S(JRSTU, 1));
    emit(p, D(IN, 2));
    emit(p, S(OUT, 1));
    emit(p, U(SVC, 0x1234));
    emit(p, 0x00000000u);               /* ILLEGAL */
    emit(p, 0x01000001u);               /* NOP with a nonzero unused field: ILLEGAL */
    emit(p, MEM(ST, 1, 0x40, 0));       /* virtual 0x40 = b: BOUNDS */
    emit(p, MEM(LD, 2, 0xFFFF, 0));     /* virtual 0xFFFFFFFF: BOUNDS */
    emit(p, MEM(ST, 1, 0x3F, 0));       /* legal: absolute 0xFF */
    emit(p, MEM(LD, 3, 0x3F, 0));
    emit(p, DSI(ADDI, 4, 0, 0x40));
    emit(p, S(JR, 4));                  /* fetch BOUNDS at virtual 0x40 */
    assert_int_equal(here(p), 0xC0 + 0x19);
    emit(p, U(SVC, 0xFF));              /* -> HALT in the handler */
}

/* The timer: IE = 0 with the timer expiring (pending), delivered on EI; then IE = 1
 * in user mode (TIMER reflected while the user program loops), RDTMR values. */
static void prog_timer(prog *p, uint32_t profile)
{
    prog_init(p, profile);
    std_handler(p);
    emit(p, DSI(ADDI, 1, 0, 3));
    emit(p, S(STMR, 1));                /* T = 3, IE = 0 */
    emit(p, N(NOP));
    emit(p, D(RDTMR, 2));
    emit(p, N(NOP));                    /* T -> 0: TP pending, IE 0 */
    emit(p, N(NOP));
    emit(p, N(NOP));
    emit(p, N(EI));                     /* TIMER taken at the next step */
    emit(p, N(NOP));
    emit(p, N(DI));
    emit(p, DSI(ADDI, 1, 0, 1));
    emit(p, S(STMR, 1));                /* T = 1 */
    emit(p, N(NOP));                    /* T -> 0: TP pending */
    emit(p, S(STMR, 0));                /* STMR clears TP: nothing delivered on EI */
    emit(p, N(EI));
    emit(p, N(NOP));
    emit(p, N(DI));
    emit(p, DSI(ADDI, 1, 0, 5));
    emit(p, S(STMR, 1));
    psw(p, 0x80, PGV_MODE_USER, 1, 0, 0xC0, 0x40);   /* user, IE = 1 */
    emit(p, LPSWI(0x80, 0));
    /* user: count to 12 then SVC 0xFF; the timer (5) fires in the loop */
    org(p, 0xC0);
    emit(p, DSI(ADDI, 3, 3, 1));
    emit(p, SI(CMPI, 3, 12));
    emit(p, U(BNE, 0xFFFD));
    emit(p, U(SVC, 0xFF));
}

/* A user program with the timer re-armed by the handler every time (IE on in user). */
static void prog_timer_rearm(prog *p, uint32_t profile, uint32_t period)
{
    prog_init(p, profile);
    psw(p, PGV_NEW_PSW, PGV_MODE_SUP, 0, HANDLER, 0, Q);
    org(p, HANDLER);
    emit(p, MEM(LD, 6, 0, 0));
    emit(p, DSI(SHRI, 6, 6, 8));
    emit(p, S(OUT, 6));
    emit(p, SI(CMPI, 6, PGV_CAUSE_SVC));
    emit(p, U(BNE, 1));
    emit(p, N(HALT));
    emit(p, DSI(ADDI, 7, 0, period));
    emit(p, S(STMR, 7));
    emit(p, LPSWI(0, 0));
    org(p, 0x10);
    emit(p, DSI(ADDI, 7, 0, period));
    emit(p, S(STMR, 7));
    psw(p, 0x80, PGV_MODE_USER, 1, 0, 0xC0, 0x40);
    emit(p, LPSWI(0x80, 0));
    org(p, 0xC0);
    emit(p, DSI(ADDI, 3, 3, 1));
    emit(p, SI(CMPI, 3, 40));
    emit(p, U(BNE, 0xFFFD));
    emit(p, U(SVC, 0));
}

/* Innocuous-only loop of 3*200 instructions in supervisor mode, then HALT. */
static void prog_innocuous(prog *p, uint32_t profile)
{
    prog_init(p, profile);
    emit(p, DSI(ADDI, 1, 1, 1));
    emit(p, SI(CMPI, 1, 200));
    emit(p, U(BNE, 0xFFFD));
    emit(p, MEM(ST, 1, 0x90, 0));
    emit(p, N(HALT));
}

/* ---- tests: profile pg -------------------------------------------------------------- */

static void test_sup_sensitive(void **st)
{
    (void)st;
    prog p;
    prog_sup_sensitive(&p, PGV_PROFILE_PG);
    equiv_all_configs(&p);
    /* and it really exercised the interpreter: every sensitive instruction emulated */
    pgv_diff_result r;
    diff1(&p, cfg_of(PGV_PROFILE_PG, 0, 1, 1, 0), 1000, &r);
    assert_true(r.equivalent);
    assert_int_equal(r.rep.total.emulated, 24);
    assert_int_equal(r.rep.total.reflected, 0);
    assert_int_equal(pgv_diff_native(ws)->halted, 1);
    assert_int_equal(pgv_diff_virtual(ws, 0)->out_len, 2);
}

static void test_user_sensitive(void **st)
{
    (void)st;
    prog p;
    prog_user_sensitive(&p, PGV_PROFILE_PG);
    equiv_all_configs(&p);
    pgv_diff_result r;
    diff1(&p, cfg_of(PGV_PROFILE_PG, 0, 1, 1, 0), 1000, &r);
    assert_true(r.equivalent);
    const pgv_state *v = pgv_diff_virtual(ws, 0);
    assert_int_equal(v->halted, 1);
    assert_int_equal(v->mem[0xFF], 7);       /* relocated store landed */
    /* traps reflected: 14 PRIV + SVC + 2 ILLEGAL + 3 BOUNDS + final SVC */
    assert_int_equal(v->mem[9], 21);
    assert_true(r.rep.total.exits[PGV_CAUSE_PRIV] >= 14);
    assert_int_equal(r.rep.total.exits[PGV_CAUSE_ILLEGAL], 2);
    assert_int_equal(r.rep.total.exits[PGV_CAUSE_BOUNDS], 3);
    assert_int_equal(r.rep.total.exits[PGV_CAUSE_SVC], 2);
}

static void test_timer(void **st)
{
    (void)st;
    prog p;
    prog_timer(&p, PGV_PROFILE_PG);
    equiv_all_configs(&p);
    pgv_diff_result r;
    diff1(&p, cfg_of(PGV_PROFILE_PG, 0, 1, 1, 0), 1000, &r);
    const pgv_state *v = pgv_diff_virtual(ws, 0);
    assert_true(r.equivalent);
    assert_int_equal(v->r[2], 2);                   /* RDTMR before its tick */
    assert_true(r.rep.total.reflected >= 3);        /* two TIMER traps + SVC */
    assert_int_equal(v->out[0], PGV_CAUSE_TIMER);   /* delivered on EI */
}

static void test_timer_rearm(void **st)
{
    (void)st;
    for (uint32_t period = 2; period <= 5; period++) {
        prog p;
        prog_timer_rearm(&p, PGV_PROFILE_PG, period);
        equiv_all_configs(&p);
    }
}

static void test_every_cause(void **st)
{
    (void)st;
    /* PRIV, BOUNDS (fetch and data, LPSW), ILLEGAL, SVC, TIMER all reflected */
    prog p;
    prog_user_sensitive(&p, PGV_PROFILE_PG);
    pgv_diff_result r;
    diff1(&p, cfg_of(PGV_PROFILE_PG, 0, 1, 1, 0), 1000, &r);
    assert_true(r.equivalent);
    prog_init(&p, PGV_PROFILE_PG);
    std_handler(&p);
    emit(&p, MEM(LD, 1, 0x1000, 0));                 /* data BOUNDS in supervisor */
    emit(&p, LPSWI(Q - 2, 0));                       /* LPSW BOUNDS: a+2 >= q */
    emit(&p, DSI(ADDI, 1, 0, 0xFFFC));               /* LPSW at 0xFFFFFFFC: b fails */
    emit(&p, LPSWI(0, 1));
    emit(&p, DSI(ADDI, 1, 0, 0xFFFD));               /* a > 0xFFFFFFFC */
    emit(&p, LPSWI(0, 1));
    emit(&p, U(SVC, 0));
    uint32_t fix = here(&p);
    recovery(&p, 0, 0, 0, Q);
    li(&p, 2, 0x20);
    li(&p, 3, 0x10);
    emit(&p, ST2(SETR, 2, 3));                       /* R = (0x20, 0x10): fetch BOUNDS */
    p.mem[fix + 2] |= here(&p);                      /* recover at the SVC below */
    emit(&p, U(SVC, 0xFF));
    equiv_all_configs(&p);
    diff1(&p, cfg_of(PGV_PROFILE_PG, 0, 1, 1, 0), 1000, &r);
    assert_true(r.equivalent);
    const pgv_state *v = pgv_diff_virtual(ws, 0);
    assert_int_equal(v->halted, 1);
    /* OUT log: cause, info pairs */
    assert_int_equal(v->out[0], PGV_CAUSE_BOUNDS);
    assert_int_equal(v->out[1], 0x1000);
    assert_int_equal(v->out[2], PGV_CAUSE_BOUNDS);
    assert_int_equal(v->out[3], Q - 2);
    assert_int_equal(v->out[4], PGV_CAUSE_BOUNDS);
    assert_int_equal(v->out[5], 0xFFFFFFFCu);
    assert_int_equal(v->out[6], PGV_CAUSE_BOUNDS);
    assert_int_equal(v->out[7], 0xFFFFFFFDu);
    assert_int_equal(v->out[8], PGV_CAUSE_SVC);
    assert_int_equal(v->out[9], 0);
    assert_int_equal(v->out[10], PGV_CAUSE_BOUNDS);  /* the fetch after SETR */
    assert_int_equal(v->out[12], PGV_CAUSE_SVC);
    assert_int_equal(v->out[13], 0xFF);
    assert_int_equal(v->l, 0);
    assert_int_equal(v->b, Q);
}

static void test_io(void **st)
{
    (void)st;
    prog p;
    prog_init(&p, PGV_PROFILE_PG);
    for (uint32_t i = 0; i < 5; i++)
        p.in[i] = 100 + i;
    p.in_len = 5;
    emit(&p, D(IN, 1));
    emit(&p, S(OUT, 1));
    emit(&p, SI(CMPI, 1, -1));
    emit(&p, U(BNE, 0xFFFC));
    emit(&p, N(HALT));
    equiv_all_configs(&p);
    /* small out_cap: out_len keeps counting past the capacity */
    static uint32_t mem[Q], out[2];
    pgv_state s;
    boot(&p, &s, mem, out, 2);
    pgv_diff_case c = { cfg_of(PGV_PROFILE_PG, 0, 2, 2, 0), 1000, &s };
    pgv_diff_result r;
    assert_int_equal(pgv_diff_run(ws, &c, &r), 0);
    assert_true(r.equivalent);
    assert_int_equal(pgv_diff_virtual(ws, 1)->out_len, 6);
    assert_int_equal(pgv_diff_virtual(ws, 1)->in_pos, 5);
}

/* LPSW into user mode with relocation; the user code computes, stores relocated and
 * leaves by a fetch BOUNDS, which the handler turns into a return to the kernel (the
 * recovery PSW, whose cause field 0x37 RDPSW then shows); the kernel moves R and
 * enters again. */
static void test_lpsw_relocation(void **st)
{
    (void)st;
    prog p;
    prog_init(&p, PGV_PROFILE_PG);
    std_handler(&p);
    p.mem[0x80] = PGV_MODE_USER | (0x37u << PGV_ST_CAUSE_SH) | (5u << PGV_ST_FLAGS_SH);
    p.mem[0x81] = 0;
    p.mem[0x82] = 0xC0;
    p.mem[0x83] = 0x20;
    uint32_t fix1 = here(&p);
    recovery(&p, 0x3700, 0, 0, Q);
    emit(&p, LPSWI(0x80, 0));
    p.mem[fix1 + 2] |= here(&p);
    emit(&p, D(RDPSW, 1));
    emit(&p, DSI(ADDI, 2, 0, 0xE0));
    emit(&p, MEM(ST, 2, 0x82, 0));       /* next entry at R = (0xE0, 0x20) */
    uint32_t fix2 = here(&p);
    recovery(&p, 0, 0, 0, Q);
    emit(&p, LPSWI(0x80, 0));
    p.mem[fix2 + 2] |= here(&p);
    emit(&p, U(SVC, 0xFF));
    assert_true(here(&p) <= HANDLER);
    org(&p, 0xC0);                       /* user code for R = (0xC0, 0x20) */
    emit(&p, DSI(ADDI, 4, 4, 1));
    emit(&p, MEM(ST, 4, 0x1F, 0));       /* abs 0xDF */
    emit(&p, MEM(LD, 5, 0x1F, 0));
    emit(&p, DSI(ADDI, 3, 0, 0x20));
    emit(&p, S(JR, 3));                  /* fetch BOUNDS at virtual 0x20 */
    org(&p, 0xE0);                       /* user code for R = (0xE0, 0x20) */
    emit(&p, DSI(ADDI, 4, 4, 10));
    emit(&p, MEM(ST, 4, 0x1F, 0));       /* abs 0xFF */
    emit(&p, DSI(ADDI, 3, 0, 0x20));
    emit(&p, S(JR, 3));
    equiv_all_configs(&p);
    pgv_diff_result r;
    diff1(&p, cfg_of(PGV_PROFILE_PG, 0, 1, 1, 0), 1000, &r);
    const pgv_state *v = pgv_diff_virtual(ws, 0);
    assert_true(r.equivalent);
    assert_int_equal(v->halted, 1);
    assert_int_equal(v->mem[0xDF], 1);
    assert_int_equal(v->mem[0xFF], 11);
    assert_int_equal(v->r[1], 0x3700u);
}

static void test_budget_every_step_long(void **st)
{
    (void)st;
    prog p;
    prog_innocuous(&p, PGV_PROFILE_PG);
    equiv_every_budget(&p, cfg_of(PGV_PROFILE_PG, 0, 1, 1, 0), 610);
    equiv_every_budget(&p, cfg_of(PGV_PROFILE_PG, 0, 3, 3, 17), 610);
    equiv_every_budget(&p, cfg_of(PGV_PROFILE_PG, 1, 2, 1, 1), 610);
}

/* Efficiency: innocuous code runs directly; the only emulated step is HALT. */
static void test_efficiency(void **st)
{
    (void)st;
    prog p;
    prog_innocuous(&p, PGV_PROFILE_PG);
    uint64_t n = native_steps(&p, 100000);
    pgv_diff_result r;
    diff1(&p, cfg_of(PGV_PROFILE_PG, 0, 1, 1, 0), 1000000, &r);
    assert_true(r.equivalent);
    assert_int_equal(r.rep.total.emulated, 1);
    assert_int_equal(r.rep.total.direct, n - 1);
    assert_int_equal(r.rep.total.reflected, 0);
    assert_int_equal(r.rep.total.interpreted, 0);
    /* one entry (the program is shorter than a slice, PGV_VMM_SLICE) plus the HALT exit */
    assert_int_equal(r.rep.total.entries, 1);
    assert_int_equal(r.rep.total.exits[PGV_CAUSE_PRIV], 1);
    /* the same under depth 3: the top VMM's counters are identical */
    diff1(&p, cfg_of(PGV_PROFILE_PG, 0, 3, 1, 0), 1000000, &r);
    assert_true(r.equivalent);
    assert_int_equal(r.rep.total.direct, n - 1);
    assert_int_equal(r.rep.total.emulated, 1);
    assert_int_equal(r.rep.levels, 3);
    /* lower levels see the HALT as a PRIV in virtual user mode: reflected */
    assert_int_equal(r.rep.level[0].reflected, 1);
    assert_int_equal(r.rep.level[0].direct, n - 1);
    /* slice of 100: 6 preemptions on 601 direct steps */
    diff1(&p, cfg_of(PGV_PROFILE_PG, 0, 1, 1, 100), 1000000, &r);
    assert_true(r.equivalent);
    assert_int_equal(r.rep.total.preemptions, 6);
    assert_int_equal(r.rep.total.exits[PGV_CAUSE_TIMER], 6);
    assert_int_equal(r.rep.total.direct, n - 1);
}

/* The composition of R equals translation inside the allocation (alloc.c theorem). */
static void test_compose_r(void **st)
{
    (void)st;
    static const uint32_t vals[] = { 0, 1, 2, 7, 15, 16, 17, 31, 32, 33, 100, 0x7FFFFFFFu,
                                     0x80000000u, 0xFFFFFFF0u, 0xFFFFFFFEu, 0xFFFFFFFFu };
    const uint32_t nv = sizeof vals / sizeof vals[0];
    const uint32_t base = 48, q = 32, Qr = 100;
    for (uint32_t i = 0; i < nv; i++)
        for (uint32_t j = 0; j < nv; j++) {
            uint32_t vl = vals[i], vb = vals[j], rl, rb;
            pgv_alloc_compose_r(base, q, vl, vb, &rl, &rb);
            assert_true(rl >= base && (uint64_t)rl + rb <= base + q);
            for (uint32_t k = 0; k < nv; k++) {
                uint32_t a = vals[k], vpa = 0, rpa = 0;
                bool lv = pgv_translate(vl, vb, q, a, &vpa);
                bool lr = pgv_translate(rl, rb, Qr, a, &rpa);
                assert_int_equal(lv, lr);
                if (lv)
                    assert_int_equal(rpa, base + vpa);
            }
            for (uint32_t a = 0; a < 40; a++) {
                uint32_t vpa = 0, rpa = 0;
                bool lv = pgv_translate(vl, vb, q, a, &vpa);
                bool lr = pgv_translate(rl, rb, Qr, a, &rpa);
                assert_int_equal(lv, lr);
                if (lv)
                    assert_int_equal(rpa, base + vpa);
            }
        }
}

/* ---- several VMs, hostile guests, resource control ---------------------------------- */

#define NH 8
/* Run progs[k] in VM k (K VMs) under cfg with budget and compare each with its own
 * native run; check resource control and the layout of real storage. */
static void run_each_native(prog *progs, uint32_t K, pgv_vmm_config cfg, uint64_t budget,
                            pgv_vmm_report *rep)
{
    static uint32_t mem[NH][Q], nmem[NH][Q], out[NH][64], nout[NH][64];
    static uint32_t real[20000];
    pgv_state g[NH], nat[NH];
    pgv_state *gp[NH];
    for (uint32_t k = 0; k < K; k++) {
        boot(&progs[k], &g[k], mem[k], out[k], 64);
        boot(&progs[k], &nat[k], nmem[k], nout[k], 64);
        pgv_run(&nat[k], budget, 0, 0);
        gp[k] = &g[k];
    }
    uint64_t need = pgv_vmm_storage_words(&cfg, Q);
    assert_true(need + 100 <= 20000);
    for (uint32_t i = 0; i < 20000; i++)
        real[i] = 0xC0FFEE00u + i;
    assert_int_equal(pgv_vmm_run(&cfg, gp, budget, real, need + 100, rep), 0);
    if (rep->rc_violations)
        print_error("rc: %s\n", rep->rc_first);
    assert_int_equal(rep->rc_violations, 0);
    for (uint32_t k = 0; k < K; k++) {
        pgv_mismatch mm[8];
        size_t n = pgv_compare(&nat[k], &g[k], mm, 8);
        for (size_t i = 0; i < n && i < 8; i++)
            print_error("vm %u: %s[%u] native 0x%llx vmm 0x%llx\n", k, mm[i].field, mm[i].index,
                        (unsigned long long)mm[i].a, (unsigned long long)mm[i].b);
        assert_int_equal(n, 0);
        assert_int_equal(rep->stop[k], nat[k].halted ? PGV_STOP_HALT : PGV_STOP_BUDGET);
    }
    /* words beyond the VMM's storage untouched; at depth 1 the guard words intact */
    for (uint64_t i = need; i < need + 100; i++)
        assert_int_equal(real[i], 0xC0FFEE00u + (uint32_t)i);
    if (cfg.depth == 1)
        for (uint32_t k = 0; k < K; k++) {
            uint32_t g0 = PGV_VMM_RESERVED + k * (Q + PGV_VMM_GUARD) + Q;
            for (uint32_t i = g0; i < g0 + PGV_VMM_GUARD; i++)
                assert_int_equal(real[i], PGV_VMM_GUARD_PATTERN(i));
        }
}

/* hostile 1: stores everywhere outside its bounds, in supervisor mode with SETR to huge
 * bounds and wraparound values, then loops storing a pattern forever. */
static void hostile_store(prog *p)
{
    prog_init(p, PGV_PROFILE_PG);
    std_handler(p);
    li(p, 1, 0xDEADBEEFu);
    emit(p, MEM(ST, 1, Q, 0));                   /* BOUNDS */
    emit(p, MEM(ST, 1, Q + 20, 0));              /* would be a guard / next VM */
    emit(p, MEM(ST, 1, 0xFFF0, 0));              /* -16 */
    li(p, 2, 0xFFFFFFFFu);
    emit(p, ST2(SETR, 0, 2));                    /* b huge */
    emit(p, MEM(ST, 1, Q + 1, 0));               /* still BOUNDS: a + l >= q */
    li(p, 3, 0xFFFFFFF0u);
    li(p, 4, 0x100u);
    emit(p, ST2(SETR, 3, 4));                    /* l = -16: everything traps (wrap) */
    /* the fetch traps BOUNDS; recovery E[10..12] = 0: R = (0, 0), a BOUNDS storm */
}

/* hostile 2: LPSW with supervisor mode and an R beyond its storage, stores there, then
 * LPSW into user mode with IE and a huge R, executing its own low storage as code. */
static void hostile_lpsw(prog *p)
{
    prog_init(p, PGV_PROFILE_PG);
    std_handler(p);
    psw(p, 0x80, PGV_MODE_SUP, 0, 0xA0, 0, 0xFFFFFFFFu);
    psw(p, 0x84, PGV_MODE_USER, 1, 0, 0, 0x7FFFFFFFu);
    emit(p, LPSWI(0x80, 0));
    org(p, 0xA0);
    li(p, 1, 0x5A5A5A5Au);
    emit(p, MEM(ST, 1, 0x200, 0));
    emit(p, MEM(ST, 1, 0x7FFF, 0));
    emit(p, MEM(ST, 1, Q + PGV_VMM_GUARD, 0));   /* where the next VM would be */
    emit(p, LPSWI(0x84, 0));
}

/* hostile 3: timer set to 1 with IE = 1 and a handler that re-arms it (trap storm). */
static void hostile_timer1(prog *p) { prog_timer_rearm(p, PGV_PROFILE_PG, 1); }

/* hostile 4: timer huge, IE = 0, loop forever in supervisor mode. */
static void hostile_loop(prog *p)
{
    prog_init(p, PGV_PROFILE_PG);
    li(p, 1, 0xFFFFFFFFu);
    emit(p, S(STMR, 1));
    emit(p, N(DI));
    emit(p, DSI(ADDI, 2, 2, 1));
    emit(p, U(BR, 0xFFFE));
}

/* hostile 5: rewrites its own trap vectors: the new PSW becomes user mode with R = (0, 0)
 * — every trap now traps again (BOUNDS on fetch), a trap storm inside the guest. */
static void hostile_vectors(prog *p)
{
    prog_init(p, PGV_PROFILE_PG);
    std_handler(p);
    emit(p, DSI(ADDI, 1, 0, PGV_MODE_USER));
    emit(p, MEM(ST, 1, 4, 0));
    emit(p, MEM(ST, 0, 6, 0));
    emit(p, MEM(ST, 0, 7, 0));
    emit(p, U(SVC, 3));
}

/* hostile 6: loops forever in user mode with IE = 0 (the VMM's timer still preempts). */
static void hostile_user_loop(prog *p)
{
    prog_init(p, PGV_PROFILE_PG);
    psw(p, 0x80, PGV_MODE_USER, 0, 0, 0xC0, 0x40);
    emit(p, LPSWI(0x80, 0));
    org(p, 0xC0);
    emit(p, DSI(ADDI, 1, 1, 1));
    emit(p, MEM(ST, 1, 0x3F, 0));
    emit(p, U(BR, 0xFFFD));
}

/* hostile 7: jumps to P near 2^32 and wraps, executes from low storage (its trap words). */
static void hostile_wrap(prog *p)
{
    prog_init(p, PGV_PROFILE_PG);
    std_handler(p);
    li(p, 1, 0xFFFFFFFFu);
    emit(p, ST2(SETR, 0, 1));
    emit(p, S(JR, 1));                          /* fetch at 0xFFFFFFFF: BOUNDS */
}

static void test_hostile(void **st)
{
    (void)st;
    prog progs[NH];
    void (*mk[])(prog *) = { hostile_store, hostile_lpsw, hostile_timer1, hostile_loop,
                             hostile_vectors, hostile_user_loop, hostile_wrap, hostile_store };
    for (uint32_t k = 0; k < NH; k++)
        mk[k](&progs[k]);
    prog_sup_sensitive(&progs[7], PGV_PROFILE_PG);   /* a well-behaved one that halts */
    static const uint32_t budgets[] = { 0, 1, 2, 3, 50, 999, 1000, 1001, 5000, 20000 };
    for (uint32_t bi = 0; bi < sizeof budgets / sizeof budgets[0]; bi++)
        for (uint32_t d = 1; d <= 3; d++)
            for (uint32_t hy = 0; hy <= 1; hy++) {
                pgv_vmm_report rep;
                /* slice 1000: the endless loops must be preempted many times */
                run_each_native(progs, NH, cfg_of(PGV_PROFILE_PG, hy, d, NH, 1000), budgets[bi],
                                &rep);
                if (budgets[bi] == 20000) {
                    assert_int_equal(rep.stop[7], PGV_STOP_HALT);   /* others did not keep it */
                    assert_int_equal(rep.stop[3], PGV_STOP_BUDGET);
                    assert_true(rep.vm[3].preemptions >= 19);
                }
            }
    /* every hostile guest alone, every budget up to 300, plain and depth 2 */
    for (uint32_t k = 0; k < NH; k++) {
        equiv_every_budget(&progs[k], cfg_of(PGV_PROFILE_PG, 0, 1, 1, 0), 300);
        equiv_every_budget(&progs[k], cfg_of(PGV_PROFILE_PG, 0, 2, 2, 5), 120);
    }
}

/* A guest that would write outside its allocation cannot: the resource-control check of
 * the allocator itself flags a corrupted guard / reserved word (the check can fail). */
static void test_rc_check_detects(void **st)
{
    (void)st;
    static uint32_t real[1000];
    pgv_state h;
    pgv_init(&h, real, 1000, PGV_PROFILE_PG, 0);
    pgv_monitor m;
    uint32_t viol = 0;
    char first[200] = "";
    memset(&m, 0, sizeof m);
    m.host.cpu = &h;
    m.nvms = 2;
    m.size = (uint32_t)pgv_alloc_size(2, 100);
    m.rc_violations = &viol;
    m.rc_first = first;
    m.rc_len = sizeof first;
    pgv_alloc_layout(&m, 100);
    assert_int_equal(m.vm[1].base, PGV_VMM_RESERVED + 100 + PGV_VMM_GUARD);
    pgv_alloc_check_final(&m);
    assert_int_equal(viol, 0);
    real[0] = real[1] = real[8] = 12345;                 /* hardware-written: allowed */
    pgv_alloc_check_final(&m);
    assert_int_equal(viol, 0);
    real[m.vm[0].base + 100 + 3] ^= 1;                    /* a guard word */
    pgv_alloc_check_final(&m);
    assert_int_equal(viol, 1);
    real[5] ^= 1;                                         /* the new PSW's P */
    real[12] ^= 1;
    pgv_alloc_check_final(&m);
    assert_int_equal(viol, 4);
    assert_non_null(strstr(first, "guard"));
    /* entry check: an allocation that does not fit the host */
    m.vm[1].v.l = 0;
    m.vm[1].v.b = 100;
    h.q = m.vm[1].base + 50;
    assert_false(pgv_alloc_enter(&m, 1, 5));
    assert_int_equal(viol, 5);
    h.q = 1000;
    assert_true(pgv_alloc_enter(&m, 1, 5));
    assert_int_equal(h.l, m.vm[1].base);
    assert_int_equal(h.b, 100);
    assert_int_equal(h.mode, PGV_MODE_USER);
    assert_int_equal(h.timer, 5);
}

static void test_four_vms(void **st)
{
    (void)st;
    prog progs[4];
    prog_sup_sensitive(&progs[0], PGV_PROFILE_PG);
    prog_user_sensitive(&progs[1], PGV_PROFILE_PG);
    prog_timer(&progs[2], PGV_PROFILE_PG);
    prog_timer_rearm(&progs[3], PGV_PROFILE_PG, 2);
    for (uint32_t slice = 0; slice <= 13; slice += 1)
        for (uint32_t d = 1; d <= 4; d++) {
            pgv_vmm_report rep;
            run_each_native(progs, 4, cfg_of(PGV_PROFILE_PG, slice & 1, d, 4, slice), 100000,
                            &rep);
            for (uint32_t k = 0; k < 4; k++)
                assert_int_equal(rep.stop[k], PGV_STOP_HALT);
        }
}

/* ---- profiles popf, jrst, redpill ----------------------------------------------------- */

/* An OS that saves flags, disables interrupts and restores them with POPF (the IA-32
 * pattern), with a timer pending so that the restored IE matters. */
static void prog_popf_os(prog *p, uint32_t profile)
{
    prog_init(p, profile);
    std_handler(p);
    emit(p, N(EI));
    emit(p, D(PUSHF, 1));                /* save flags (IE = 1) */
    emit(p, N(DI));                      /* critical section */
    emit(p, DSI(ADDI, 2, 0, 2));
    emit(p, S(STMR, 2));
    emit(p, N(NOP));
    emit(p, N(NOP));                     /* timer pending, IE = 0 */
    emit(p, S(POPF, 1));                 /* restore IE = 1: the timer is delivered */
    emit(p, N(NOP));
    emit(p, U(SVC, 0xFF));
}

/* An OS that enters its user program with JRSTU (PDP-10 JRST 1); the user program's
 * privileged instruction must trap into the OS. */
static void prog_jrst_os(prog *p, uint32_t profile)
{
    prog_init(p, profile);
    std_handler(p);
    emit(p, DSI(ADDI, 1, 0, 0x90));
    emit(p, S(JRSTU, 1));
    org(p, 0x90);                        /* user mode, R = (0, Q) */
    emit(p, DSI(ADDI, 3, 0, 1));
    emit(p, D(RDPSW, 4));                /* traps PRIV natively */
    emit(p, U(SVC, 0xFF));
}

/* An OS that runs its user program relocated; the program reads R with RDR (a red pill). */
static void prog_redpill_os(prog *p, uint32_t profile)
{
    prog_init(p, profile);
    std_handler(p);
    emit(p, DS(RDR, 1, 2));              /* supervisor RDR: fine under a hybrid VMM */
    psw(p, 0x80, PGV_MODE_USER, 0, 0, 0xC0, 0x40);
    emit(p, LPSWI(0x80, 0));
    org(p, 0xC0);
    emit(p, DS(RDR, 3, 4));              /* user RDR: reveals the real R */
    emit(p, U(SVC, 0xFF));
}

static void expect(const prog *p, uint32_t hybrid, int equivalent)
{
    pgv_diff_result r;
    for (uint32_t d = 1; d <= 2; d++) {
        diff1(p, cfg_of(p->profile, hybrid, d, 1, 0), 10000, &r);
        assert_int_equal(r.equivalent, equivalent);
        assert_true(r.rc_ok);     /* divergent, but the VMM keeps control */
    }
}

static void test_profiles(void **st)
{
    (void)st;
    prog p;
    /* the OS programs are equivalent everywhere in profile pg */
    prog_popf_os(&p, PGV_PROFILE_PG);
    equiv_all_configs(&p);
    prog_jrst_os(&p, PGV_PROFILE_PG);
    equiv_all_configs(&p);
    prog_redpill_os(&p, PGV_PROFILE_PG);
    equiv_all_configs(&p);
    /* popf: plain diverges, hybrid equivalent */
    prog_popf_os(&p, PGV_PROFILE_POPF);
    expect(&p, 0, 0);
    expect(&p, 1, 1);
    equiv_every_budget(&p, cfg_of(PGV_PROFILE_POPF, 1, 1, 1, 0), 40);
    equiv_every_budget(&p, cfg_of(PGV_PROFILE_POPF, 1, 3, 2, 3), 40);
    /* jrst: plain diverges, hybrid equivalent */
    prog_jrst_os(&p, PGV_PROFILE_JRST);
    expect(&p, 0, 0);
    expect(&p, 1, 1);
    equiv_every_budget(&p, cfg_of(PGV_PROFILE_JRST, 1, 1, 1, 0), 40);
    equiv_every_budget(&p, cfg_of(PGV_PROFILE_JRST, 1, 3, 2, 3), 40);
    /* redpill: both diverge */
    prog_redpill_os(&p, PGV_PROFILE_REDPILL);
    expect(&p, 0, 0);
    expect(&p, 1, 0);
    /* every pg test program is also equivalent under hybrid in popf and jrst when it
     * does not use the unprivileged instruction in supervisor mode */
    prog_user_sensitive(&p, PGV_PROFILE_POPF);
    equiv_every_budget(&p, cfg_of(PGV_PROFILE_POPF, 1, 1, 1, 0), 150);
    prog_user_sensitive(&p, PGV_PROFILE_JRST);
    equiv_every_budget(&p, cfg_of(PGV_PROFILE_JRST, 1, 2, 1, 0), 150);
}

/* A VM has exactly pgv_run's semantics (the property recursion rests on, spec/VMM.md
 * §7): pgv_vmm_vm_run with PGV_RUN_STOP_ON_TRAP and assorted budgets, step for step
 * against pgv_run with the same flags — stop reason, steps done, whole state. */
static void test_vm_is_host(void **st)
{
    (void)st;
    static uint32_t real[8000], nmem[Q], nout[64], gmem[Q], gout[64];
    static const uint64_t budgets[] = { 1, 7, 3, 1000, 2, 1, 13 };
    prog progs[5];
    prog_sup_sensitive(&progs[0], PGV_PROFILE_PG);
    prog_user_sensitive(&progs[1], PGV_PROFILE_PG);
    prog_timer(&progs[2], PGV_PROFILE_PG);
    prog_timer_rearm(&progs[3], PGV_PROFILE_PG, 3);
    prog_popf_os(&progs[4], PGV_PROFILE_POPF);
    for (uint32_t pi = 0; pi < 5; pi++)
        for (uint32_t hy = 0; hy <= 1; hy++)
            for (uint32_t d = 1; d <= 3; d++)
                for (unsigned flags = 0; flags <= PGV_RUN_STOP_ON_TRAP; flags++) {
                    if (pi == 4 && !hy)
                        continue;               /* popf: only the hybrid is exact */
                    pgv_vmm_config cfg = cfg_of(progs[pi].profile, hy, d, 1, 5);
                    pgv_state nat, g, realcpu;
                    boot(&progs[pi], &nat, nmem, nout, 64);
                    boot(&progs[pi], &g, gmem, gout, 64);
                    pgv_monitor mon[PGV_VMM_MAX_DEPTH];
                    pgv_vmm_report rep;
                    memset(&rep, 0, sizeof rep);
                    uint64_t need = pgv_vmm_storage_words(&cfg, Q);
                    pgv_vmm_stack_init(mon, &realcpu, &cfg, Q, real, need, &rep);
                    pgv_monitor *top = &mon[d - 1];
                    pgv_vmm_load_guest(top, 0, &g);
                    int traps = 0;
                    for (unsigned it = 0; it < 400 && !nat.halted; it++) {
                        uint64_t b = budgets[it % 7], dn = 0, dv = 0;
                        pgv_stop sn = pgv_run(&nat, b, flags, &dn);
                        pgv_stop sv = pgv_vmm_vm_run(top, 0, b, flags, &dv);
                        assert_int_equal(sv, sn);
                        assert_int_equal(dv, dn);
                        assert_int_equal(pgv_compare(&nat, &top->vm[0].v, 0, 0), 0);
                        traps += sn == PGV_STOP_TRAP;
                    }
                    assert_true(nat.halted);
                    assert_int_equal(rep.rc_violations, 0);
                    assert_true(pi == 0 || flags == 0 || traps > 0);
                }
}

/* ---- API errors ------------------------------------------------------------------------- */

static void test_api_errors(void **st)
{
    (void)st;
    char err[100];
    pgv_vmm_config c = cfg_of(PGV_PROFILE_PG, 0, 1, 1, 0);
    assert_int_equal(pgv_vmm_config_check(&c, err, sizeof err), 0);
    c.depth = 0;
    assert_int_equal(pgv_vmm_config_check(&c, err, sizeof err), 2);
    c.depth = 5;
    assert_int_equal(pgv_vmm_config_check(&c, err, sizeof err), 2);
    c.depth = 1;
    c.vms = 9;
    assert_int_equal(pgv_vmm_config_check(&c, err, sizeof err), 2);
    c.vms = 1;
    c.profile = 4;
    assert_int_equal(pgv_vmm_config_check(&c, err, sizeof err), 2);
    c.profile = 0;
    c.hybrid = 2;
    assert_int_equal(pgv_vmm_config_check(&c, err, sizeof err), 2);
    c.hybrid = 0;
    /* storage: 16 + vms (q + 16), +32 per extra level */
    assert_int_equal(pgv_vmm_storage_words(&c, 100), 16 + 116);
    c.vms = 3;
    c.depth = 3;
    assert_int_equal(pgv_vmm_storage_words(&c, 100), 16 + 3 * 116 + 64);
    /* run: too little storage, mismatched profile, bad state */
    static uint32_t mem[Q], real[2000];
    pgv_state s;
    pgv_init(&s, mem, Q, PGV_PROFILE_PG, 0);
    pgv_state *g[1] = { &s };
    pgv_vmm_report rep;
    c = cfg_of(PGV_PROFILE_PG, 0, 1, 1, 0);
    assert_int_equal(pgv_vmm_run(&c, g, 10, real, 100, &rep), 2);
    assert_true(strlen(rep.rc_first) > 0);
    c.profile = PGV_PROFILE_POPF;
    assert_int_equal(pgv_vmm_run(&c, g, 10, real, 2000, &rep), 2);
    c.profile = PGV_PROFILE_PG;
    s.mode = 7;
    assert_int_equal(pgv_vmm_run(&c, g, 10, real, 2000, &rep), 2);
    s.mode = 0;
    assert_int_equal(pgv_vmm_run(&c, g, 10, real, 2000, &rep), 0);
    assert_int_equal(rep.stop[0], PGV_STOP_BUDGET);
    assert_int_equal(s.steps, 10);              /* 10 ILLEGAL traps (E is zero) */
    assert_int_equal(rep.total.reflected, 10);
}

/* Halted initial state, budget 0, slice 1: the corner cases of pgv_run's semantics. */
static void test_corners(void **st)
{
    (void)st;
    prog p;
    prog_sup_sensitive(&p, PGV_PROFILE_PG);
    static uint32_t mem[Q], out[64];
    pgv_state s;
    boot(&p, &s, mem, out, 64);
    s.halted = 1;
    pgv_diff_case c = { cfg_of(PGV_PROFILE_PG, 0, 2, 2, 1), 100, &s };
    pgv_diff_result r;
    assert_int_equal(pgv_diff_run(ws, &c, &r), 0);
    assert_true(r.equivalent);
    assert_int_equal(r.rep.stop[0], PGV_STOP_HALT);
    assert_int_equal(pgv_diff_virtual(ws, 1)->steps, 0);
    /* initial state with TP pending and IE set, timer running, user mode */
    boot(&p, &s, mem, out, 64);
    s.tp = 1;
    s.ie = 1;
    s.timer = 3;
    for (uint64_t b = 0; b < 60; b++) {
        c.budget = b;
        c.cfg = cfg_of(PGV_PROFILE_PG, b & 1, 1 + (uint32_t)(b % 3), 1, 1 + (uint32_t)(b % 4));
        assert_int_equal(pgv_diff_run(ws, &c, &r), 0);
        assert_true(r.equivalent);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compose_r),
        cmocka_unit_test(test_rc_check_detects),
        cmocka_unit_test(test_api_errors),
        cmocka_unit_test(test_sup_sensitive),
        cmocka_unit_test(test_user_sensitive),
        cmocka_unit_test(test_every_cause),
        cmocka_unit_test(test_timer),
        cmocka_unit_test(test_timer_rearm),
        cmocka_unit_test(test_io),
        cmocka_unit_test(test_lpsw_relocation),
        cmocka_unit_test(test_budget_every_step_long),
        cmocka_unit_test(test_efficiency),
        cmocka_unit_test(test_four_vms),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_profiles),
        cmocka_unit_test(test_corners),
        cmocka_unit_test(test_vm_is_host),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
