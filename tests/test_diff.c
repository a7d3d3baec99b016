/* tests/test_diff.c — the equivalence checker vmm/diff.c (spec/VMM.md §12, ISA manual §8.4).
 *
 * pgv_diff_run: verdicts for equivalent and divergent programs, the initial state left
 * untouched, independent output buffers, workspace reuse across sizes, invalid input;
 * pgv_diff_first_divergence: the bisected step equals the brute-force first divergent
 * step and the workspace holds the states after it; and the checker's speed (printed:
 * checks per second for a short and a 1000-step program, VMM/native time ratio).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <time.h>
#include <cmocka.h>
#include "tests/testutil.h"
#include "vmm/diff.h"

#define Q 128u
#define O(x) PGV_OPC_##x

typedef struct prog {
    uint32_t mem[Q];
    uint32_t n;
    uint32_t profile;
    uint32_t in[4];
    uint32_t out[32];
    pgv_state s;
} prog;

static void begin(prog *p, uint32_t profile)
{
    memset(p, 0, sizeof *p);
    p->profile = profile;
    p->n = 0x10;
    /* trap vectors: supervisor, IE 0, handler at 0x60 (OUT cause; skip; LPSW 0) */
    p->mem[4] = 0;
    p->mem[5] = 0x60;
    p->mem[6] = 0;
    p->mem[7] = Q;
    uint32_t h = 0x60;
    p->mem[h++] = enc_i(O(LD), 6, 0, 0);          /* r6 := old status */
    p->mem[h++] = enc_i(O(SHRI), 6, 6, 8);
    p->mem[h++] = enc(O(OUT), 0, 6, 0, 0);
    p->mem[h++] = enc_i(O(LD), 7, 0, 1);          /* P + 1 unless SVC/TIMER */
    p->mem[h++] = enc_i(O(CMPI), 0, 6, 4);
    p->mem[h++] = enc_i(O(BGEU), 0, 0, 1);
    p->mem[h++] = enc_i(O(ADDI), 7, 7, 1);
    p->mem[h++] = enc_i(O(ST), 7, 0, 1);
    p->mem[h++] = enc_i(O(LPSW), 0, 0, 0);
}
static void emit(prog *p, uint32_t w) { p->mem[p->n++] = w; }

static pgv_state *boot(prog *p)
{
    pgv_init(&p->s, p->mem, Q, p->profile, 0x10);
    p->s.in = p->in;
    p->s.in_len = 4;
    p->s.out = p->out;
    p->s.out_cap = 32;
    return &p->s;
}

/* A kernel that enables interrupts with POPF (IA-32 style) and waits for the timer. */
static void popf_prog(prog *p, uint32_t profile)
{
    begin(p, profile);
    emit(p, enc_i(O(ADDI), 1, 0, 4));
    emit(p, enc(O(STMR), 0, 1, 0, 0));
    emit(p, enc(O(PUSHF), 2, 0, 0, 0));
    emit(p, enc_i(O(ORI), 2, 2, 0x200));
    emit(p, enc(O(POPF), 0, 2, 0, 0));             /* step 5 */
    for (int i = 0; i < 6; i++)
        emit(p, enc(O(NOP), 0, 0, 0, 0));
    emit(p, enc(O(HALT), 0, 0, 0, 0));
}

/* An innocuous loop of about 3 * iters steps, then I/O and HALT. */
static void loop_prog(prog *p, uint32_t iters)
{
    begin(p, PGV_PROFILE_PG);
    emit(p, enc(O(IN), 3, 0, 0, 0));
    emit(p, enc_i(O(ADDI), 1, 1, 1));
    emit(p, enc_i(O(CMPI), 0, 1, iters));
    emit(p, enc_i(O(BNE), 0, 0, 0xFFFD));
    emit(p, enc(O(OUT), 0, 1, 0, 0));
    emit(p, enc(O(HALT), 0, 0, 0, 0));
}

static pgv_diff_ws *ws;
static int setup(void **st) { (void)st; ws = pgv_diff_ws_new(); return ws ? 0 : -1; }
static int teardown(void **st) { (void)st; pgv_diff_ws_free(ws); return 0; }

static pgv_diff_case mk(const pgv_state *s, uint32_t profile, uint32_t hybrid, uint32_t depth,
                        uint32_t vms, uint64_t budget)
{
    pgv_diff_case c = { { profile, hybrid, depth, vms, 0 }, budget, s };
    return c;
}

static void test_equivalent(void **st)
{
    (void)st;
    prog p;
    loop_prog(&p, 50);
    p.in[0] = 77;
    pgv_state *s = boot(&p);
    pgv_state before = *s;
    uint32_t mem_before[Q];
    memcpy(mem_before, p.mem, sizeof mem_before);
    pgv_diff_result r;
    pgv_diff_case c = mk(s, PGV_PROFILE_PG, 0, 2, 3, 100000);
    assert_int_equal(pgv_diff_run(ws, &c, &r), 0);
    assert_true(r.equivalent);
    assert_true(r.rc_ok);
    assert_int_equal(r.nmismatch, 0);
    assert_int_equal(r.native_stop, PGV_STOP_HALT);
    for (uint32_t k = 0; k < 3; k++)
        assert_int_equal(r.rep.stop[k], PGV_STOP_HALT);
    const pgv_state *n = pgv_diff_native(ws), *v = pgv_diff_virtual(ws, 2);
    assert_non_null(v);
    assert_null(pgv_diff_virtual(ws, 3));
    assert_int_equal(n->r[3], 77);
    assert_int_equal(v->out_len, 1);
    assert_int_equal(v->out[0], 50);
    /* each run had its own storage and output; the initial state is untouched */
    assert_true(n->mem != v->mem && n->out != v->out && n->mem != p.mem && n->out != p.out);
    assert_int_equal(pgv_compare(&before, s, 0, 0), 0);
    assert_memory_equal(mem_before, p.mem, sizeof mem_before);
    assert_int_equal(p.s.out_len, 0);
    /* the first divergence of an equivalent case: 1 */
    uint64_t step = 99;
    assert_int_equal(pgv_diff_first_divergence(ws, &c, &step, &r), 1);
    assert_int_equal(step, 99);
}

/* Brute force: the first budget after which the runs differ. */
static uint64_t brute_first(const pgv_diff_case *c0, uint64_t max)
{
    pgv_diff_case c = *c0;
    pgv_diff_result r;
    for (uint64_t b = 0; b <= max; b++) {
        c.budget = b;
        assert_int_equal(pgv_diff_run(ws, &c, &r), 0);
        if (!r.equivalent)
            return b;
    }
    return 0;
}

static void test_divergent_popf(void **st)
{
    (void)st;
    prog p;
    popf_prog(&p, PGV_PROFILE_POPF);
    pgv_state *s = boot(&p);
    pgv_diff_result r;
    pgv_diff_case c = mk(s, PGV_PROFILE_POPF, 0, 1, 1, 1000);
    assert_int_equal(pgv_diff_run(ws, &c, &r), 0);
    assert_false(r.equivalent);
    assert_true(r.rc_ok);
    assert_true(r.nmismatch > 0);
    uint64_t step = 0;
    assert_int_equal(pgv_diff_first_divergence(ws, &c, &step, &r), 0);
    assert_int_equal(step, 5);                     /* the POPF */
    assert_int_equal(step, brute_first(&c, 50));
    /* the workspace now holds the states after step 5: IE differs, nothing else */
    assert_int_equal(pgv_diff_first_divergence(ws, &c, &step, &r), 0);
    assert_int_equal(r.nmismatch, 1);
    assert_string_equal(r.mm[0].field, "ie");
    assert_int_equal(r.mm[0].a, 1);
    assert_int_equal(r.mm[0].b, 0);
    assert_int_equal(pgv_diff_native(ws)->steps, 5);
    assert_int_equal(pgv_diff_virtual(ws, 0)->steps, 5);
    /* hybrid, any depth: equivalent */
    for (uint32_t d = 1; d <= 4; d++) {
        c = mk(s, PGV_PROFILE_POPF, 1, d, 2, 1000);
        assert_int_equal(pgv_diff_run(ws, &c, &r), 0);
        assert_true(r.equivalent);
        assert_int_equal(pgv_diff_first_divergence(ws, &c, &step, &r), 1);
    }
    /* profile pg: POPF is privileged, equivalent */
    popf_prog(&p, PGV_PROFILE_PG);
    s = boot(&p);
    c = mk(s, PGV_PROFILE_PG, 0, 3, 4, 1000);
    assert_int_equal(pgv_diff_run(ws, &c, &r), 0);
    assert_true(r.equivalent);
}

/* jrst and redpill: the bisected step agrees with brute force; which VM differs. */
static void test_divergent_jrst_redpill(void **st)
{
    (void)st;
    prog p;
    /* jrst: JRSTU to user code whose RDPSW must trap natively */
    begin(&p, PGV_PROFILE_JRST);
    emit(&p, enc_i(O(ADDI), 1, 0, 0x30));
    emit(&p, enc(O(JRSTU), 0, 1, 0, 0));            /* step 2: M := u natively */
    p.mem[0x30] = enc(O(RDPSW), 4, 0, 0, 0);
    p.mem[0x31] = enc(O(HALT), 0, 0, 0, 0);
    pgv_state *s = boot(&p);
    pgv_diff_result r;
    uint64_t step;
    pgv_diff_case c = mk(s, PGV_PROFILE_JRST, 0, 2, 2, 200);
    assert_int_equal(pgv_diff_first_divergence(ws, &c, &step, &r), 0);
    assert_int_equal(step, 2);
    assert_int_equal(step, brute_first(&c, 200));
    assert_int_equal(r.vm, 0);
    c.cfg.hybrid = 1;
    assert_int_equal(pgv_diff_first_divergence(ws, &c, &step, &r), 1);
    /* redpill: user-mode RDR reveals the real R even under the hybrid VMM */
    begin(&p, PGV_PROFILE_REDPILL);
    p.mem[0x40] = PGV_MODE_USER;
    p.mem[0x41] = 0;
    p.mem[0x42] = 0x50;
    p.mem[0x43] = 0x10;
    emit(&p, enc(O(RDR), 1, 2, 0, 0));              /* supervisor RDR: step 1 */
    emit(&p, enc_i(O(LPSW), 0, 0, 0x40));
    p.mem[0x50] = enc(O(NOP), 0, 0, 0, 0);
    p.mem[0x51] = enc(O(RDR), 3, 4, 0, 0);          /* user RDR: step 4 */
    p.mem[0x52] = enc_i(O(SVC), 0, 0, 1);
    s = boot(&p);
    c = mk(s, PGV_PROFILE_REDPILL, 0, 1, 1, 200);
    assert_int_equal(pgv_diff_first_divergence(ws, &c, &step, &r), 0);
    assert_int_equal(step, 1);
    c.cfg.hybrid = 1;
    assert_int_equal(pgv_diff_first_divergence(ws, &c, &step, &r), 0);
    assert_int_equal(step, 4);
    assert_int_equal(step, brute_first(&c, 200));
    assert_string_equal(r.mm[0].field, "r");
    assert_int_equal(r.mm[0].index, 3);
    assert_int_equal(r.mm[0].a, 0x50);                  /* virtual l */
    assert_true(r.mm[0].b > 0x50);                      /* real l = base + 0x50 */
}

static void test_invalid(void **st)
{
    (void)st;
    prog p;
    loop_prog(&p, 3);
    pgv_state *s = boot(&p);
    pgv_diff_result r;
    pgv_diff_case c = mk(s, PGV_PROFILE_PG, 0, 1, 1, 100);
    assert_int_equal(pgv_diff_run(ws, 0, &r), 2);
    assert_int_equal(pgv_diff_run(0, &c, &r), 2);
    c.init = 0;
    assert_int_equal(pgv_diff_run(ws, &c, &r), 2);
    c.init = s;
    c.cfg.profile = PGV_PROFILE_POPF;                   /* differs from the state's */
    assert_int_equal(pgv_diff_run(ws, &c, &r), 2);
    c.cfg.profile = PGV_PROFILE_PG;
    c.cfg.depth = 5;
    assert_int_equal(pgv_diff_run(ws, &c, &r), 2);
    uint64_t step;
    assert_int_equal(pgv_diff_first_divergence(ws, &c, &step, &r), 2);
    c.cfg.depth = 1;
    c.cfg.vms = 0;
    assert_int_equal(pgv_diff_run(ws, &c, &r), 2);
    c.cfg.vms = 1;
    s->q = 8;
    assert_int_equal(pgv_diff_run(ws, &c, &r), 2);
    s->q = Q;
    s->mode = 3;                                        /* not a state of §2 */
    assert_int_equal(pgv_diff_run(ws, &c, &r), 2);
    s->mode = 0;
    assert_int_equal(pgv_diff_run(ws, &c, &r), 0);
    assert_true(r.equivalent);
}

/* The workspace grows and is reused across sizes; results do not depend on history. */
static void test_workspace_reuse(void **st)
{
    (void)st;
    pgv_diff_ws *w = pgv_diff_ws_new();
    static uint32_t big[4096], out[8];
    prog p;
    loop_prog(&p, 20);
    pgv_state *s = boot(&p);
    pgv_diff_result r, r2;
    pgv_diff_case c = mk(s, PGV_PROFILE_PG, 0, 1, 1, 1000);
    assert_int_equal(pgv_diff_run(w, &c, &r), 0);
    memcpy(big, p.mem, sizeof p.mem);
    pgv_state sb;
    pgv_init(&sb, big, 4096, PGV_PROFILE_PG, 0x10);
    sb.out = out;
    sb.out_cap = 8;
    pgv_diff_case cb = mk(&sb, PGV_PROFILE_PG, 1, 4, 8, 1000);
    assert_int_equal(pgv_diff_run(w, &cb, &r2), 0);
    assert_true(r2.equivalent);
    assert_int_equal(pgv_diff_virtual(w, 7)->q, 4096);
    assert_int_equal(pgv_diff_run(w, &c, &r2), 0);
    assert_true(r2.equivalent);
    assert_int_equal(pgv_diff_native(w)->steps, 3 + 3 * 20);
    assert_int_equal(r2.rep.total.direct, r.rep.total.direct);
    pgv_diff_ws_free(w);
    pgv_diff_ws_free(0);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Speed of the checker (printed, not asserted: sanitizer builds are slower). */
static void test_speed(void **st)
{
    (void)st;
    prog p;
    pgv_diff_result r;
    static const uint32_t iters[] = { 3, 333 };
    for (unsigned i = 0; i < 2; i++) {
        loop_prog(&p, iters[i]);
        pgv_state *s = boot(&p);
        pgv_diff_case c = mk(s, PGV_PROFILE_PG, 0, 1, 1, 100000);
        assert_int_equal(pgv_diff_run(ws, &c, &r), 0);
        uint64_t steps = pgv_diff_native(ws)->steps;
        int n = 0;
        double t0 = now();
        while (now() - t0 < 0.3) {
            for (int j = 0; j < 100; j++)
                assert_int_equal(pgv_diff_run(ws, &c, &r), 0);
            n += 100;
        }
        double dt = now() - t0;
        assert_true(r.equivalent);
        print_message("    diff speed: %llu-step program, q = %u: %.0f checks/s\n",
                      (unsigned long long)steps, Q, n / dt);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equivalent),
        cmocka_unit_test(test_divergent_popf),
        cmocka_unit_test(test_divergent_jrst_redpill),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_workspace_reuse),
        cmocka_unit_test(test_speed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
