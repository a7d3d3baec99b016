/* tests/test_fuzz_input.c — unit tests of the fuzzer's input codec, generator, mutator and harness.
 *
 * The fuzz input format (fuzz/README.md) promises that every byte string decodes to a
 * valid test or is rejected as too short, never a crash; that serialize inverts parse;
 * that campaign-fixed options override the header and can be baked into it; that the
 * generated trap handlers behave as documented; that the custom mutator only emits
 * valid inputs within AFL++'s size limit; and that the harness entry point finds no
 * divergence under profile pg and does find one under popf (the oracle has teeth).
 * The fuzzer's sources are compiled in directly (they are not part of a library).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "testutil.h"
#include "fuzz/input.c"
#include "fuzz/gen.c"
#include "fuzz/harness.c"
#include "fuzz/mutator.c"

static uint32_t mem_a[PGV_FUZZ_MAX_Q], out_a[PGV_FUZZ_OUT_CAP];
static pgv_fuzz_input in_a, in_b;
static uint8_t bytes[PGV_FUZZ_MAX_INPUT + 64], bytes2[PGV_FUZZ_MAX_INPUT + 64];

static void fill_random(pgv_rng *r, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)pgv_rng_next(r);
}

static void test_short_inputs_rejected(void **st)
{
    (void)st;
    pgv_fuzz_opts o;
    pgv_fuzz_opts_default(&o);
    assert_int_equal(pgv_fuzz_configure(&o), 0);
    memset(bytes, 0xAB, sizeof bytes);
    for (size_t n = 0; n < PGV_FUZZ_HEADER; n++) {
        assert_int_equal(pgv_fuzz_parse(bytes, n, &in_a), -1);
        assert_int_equal(pgv_fuzz_one(bytes, n, NULL), PGV_FUZZ_OK);
        assert_true(pgv_fuzz_last_rejected());
    }
    assert_int_equal(pgv_fuzz_parse(NULL, 100, &in_a), -1);
    assert_int_equal(pgv_fuzz_parse(bytes, PGV_FUZZ_HEADER, &in_a), 0);
    assert_int_equal(in_a.nprog, 0);
}

/* Any bytes: a valid test within the format's and the VMM's limits. */
static void test_every_byte_string_is_a_valid_test(void **st)
{
    (void)st;
    pgv_rng r = { 42 };
    pgv_fuzz_test t;
    pgv_state s;
    for (int k = 0; k < 3000; k++) {
        size_t n = PGV_FUZZ_HEADER + pgv_rng_below(&r, k < 2000 ? 200 : sizeof bytes - PGV_FUZZ_HEADER);
        fill_random(&r, bytes, n);
        assert_int_equal(pgv_fuzz_parse(bytes, n, &in_a), 0);
        pgv_fuzz_resolve(&in_a, NULL, &t);
        assert_true(t.profile < PGV_NPROFILES);
        assert_true(t.hybrid <= 1);
        assert_true(t.depth >= 1 && t.depth <= PGV_VMM_MAX_DEPTH);
        assert_true(t.vms >= 1 && t.vms <= PGV_VMM_MAX_VMS);
        assert_true(t.budget >= 1 && t.budget <= PGV_FUZZ_DEFAULT_BUDGET);
        assert_true(t.q >= PGV_MIN_WORDS && t.q <= PGV_FUZZ_MAX_Q);
        assert_true(t.nprog <= PGV_FUZZ_MAX_PROG && t.ntape <= PGV_FUZZ_MAX_TAPE);
        assert_true(in_a.nhandler <= PGV_FUZZ_MAX_HANDLER);
        size_t words = (n - PGV_FUZZ_HEADER) / 4, used = in_a.nhandler + in_a.ntape + in_a.nprog;
        assert_true(used == words || (in_a.nprog == PGV_FUZZ_MAX_PROG && used < words));
        pgv_fuzz_build(&in_a, &t, mem_a, out_a, &s);
        assert_true(s.mode <= 1 && s.ie <= 1 && s.tp <= 1 && s.flags <= 7 && s.halted == 0);
        assert_int_equal(s.q, t.q);
        assert_int_equal(s.in_len, t.ntape);
        if (!t.image) {
            assert_int_equal(mem_a[PGV_NEW_PSW + 1], PGV_FUZZ_HANDLER);
            assert_int_equal(mem_a[PGV_NEW_PSW + 3], t.q);
        } else {
            assert_memory_equal(mem_a, in_a.prog, t.nprog * 4);
        }
        if (t.legalize)
            for (uint32_t i = 0; i < t.nprog; i++) {
                pgv_insn ins;
                uint32_t w = mem_a[PGV_FUZZ_ORIGIN + i];
                assert_int_equal(pgv_decode(w, &ins), pgv_optab[PGV_OPC(w)].name != NULL);
            }
    }
}

static void test_serialize_inverts_parse(void **st)
{
    (void)st;
    pgv_rng r = { 7 };
    for (int k = 0; k < 500; k++) {
        /* word-aligned random bytes without a custom handler: bytes round-trip exactly */
        size_t n = PGV_FUZZ_HEADER + 4 * pgv_rng_below(&r, 300);
        fill_random(&r, bytes, n);
        bytes[PGV_FUZZ_OFF_HANDLER] &= (uint8_t)~PGV_FUZZ_H_CUSTOM;
        assert_int_equal(pgv_fuzz_parse(bytes, n, &in_a), 0);
        size_t m = pgv_fuzz_serialize(&in_a, bytes2, sizeof bytes2);
        if (in_a.ntape == (bytes[PGV_FUZZ_OFF_SIZES] & 15u)) {
            assert_int_equal(m, n);
            assert_memory_equal(bytes, bytes2, n);
        }
        /* generated inputs: parse(serialize(x)) == x field by field */
        pgv_gen_test(&r, &in_a, 300);
        m = pgv_fuzz_serialize(&in_a, bytes, sizeof bytes);
        assert_true(m >= PGV_FUZZ_HEADER);
        assert_int_equal(pgv_fuzz_parse(bytes, m, &in_b), 0);
        assert_int_equal(in_b.nprog, in_a.nprog);
        assert_memory_equal(in_b.prog, in_a.prog, in_a.nprog * 4);
        assert_int_equal(in_b.ntape, in_a.ntape);
        assert_memory_equal(in_b.r, in_a.r, sizeof in_a.r);
        assert_int_equal(in_b.handler, in_a.handler);
        assert_int_equal(in_b.budget, in_a.budget);
        if (in_a.handler & PGV_FUZZ_H_CUSTOM)
            assert_memory_equal(in_b.handler_w, in_a.handler_w, in_a.nhandler * 4);
    }
    assert_int_equal(pgv_fuzz_serialize(&in_a, bytes, PGV_FUZZ_HEADER - 1), 0);
}

static void test_options_override_and_bake(void **st)
{
    (void)st;
    pgv_fuzz_opts o;
    pgv_fuzz_test t, t2;
    char err[200];
    memset(&t, 0, sizeof t);
    memset(&t2, 0, sizeof t2);
    pgv_fuzz_opts_default(&o);
    memset(bytes, 0xFF, PGV_FUZZ_HEADER + 8);
    assert_int_equal(pgv_fuzz_parse(bytes, PGV_FUZZ_HEADER + 8, &in_a), 0);
    pgv_fuzz_resolve(&in_a, &o, &t);
    assert_int_equal(t.profile, PGV_PROFILE_REDPILL);
    assert_int_equal(t.hybrid, 1);
    assert_int_equal(t.depth, 4);
    assert_int_equal(t.vms, 8);
    assert_int_equal(pgv_fuzz_opts_set(&o, "profile", "popf", err, sizeof err), 0);
    assert_int_equal(pgv_fuzz_opts_set(&o, "vmm", "plain", err, sizeof err), 0);
    assert_int_equal(pgv_fuzz_opts_set(&o, "depth", "2", err, sizeof err), 0);
    assert_int_equal(pgv_fuzz_opts_set(&o, "vms", "3", err, sizeof err), 0);
    assert_int_equal(pgv_fuzz_opts_set(&o, "budget", "777", err, sizeof err), 0);
    assert_int_equal(pgv_fuzz_opts_set(&o, "vmm", "neither", err, sizeof err), 2);
    assert_int_equal(pgv_fuzz_opts_set(&o, "depth", "9", err, sizeof err), 2);
    assert_int_equal(pgv_fuzz_opts_set(&o, "profile", "x86", err, sizeof err), 2);
    assert_int_equal(pgv_fuzz_opts_set(&o, "colour", "red", err, sizeof err), 2);
    pgv_fuzz_resolve(&in_a, &o, &t);
    assert_int_equal(t.profile, PGV_PROFILE_POPF);
    assert_int_equal(t.hybrid, 0);
    assert_int_equal(t.depth, 2);
    assert_int_equal(t.vms, 3);
    assert_int_equal(t.budget, 777);
    assert_int_equal(pgv_fuzz_bake(&in_a, &o), 0);
    pgv_fuzz_resolve(&in_a, NULL, &t2);
    assert_memory_equal(&t, &t2, sizeof t);
    o.budget = 20000;
    assert_int_equal(pgv_fuzz_bake(&in_a, &o), -1);
    /* the environment */
    pgv_fuzz_opts_default(&o);
    setenv("FUZZ_PROFILE", "jrst", 1);
    setenv("FUZZ_VMM", "hybrid", 1);
    assert_int_equal(pgv_fuzz_opts_env(&o, err, sizeof err), 0);
    assert_int_equal(o.profile, PGV_PROFILE_JRST);
    assert_int_equal(o.hybrid, 1);
    setenv("FUZZ_DEPTH", "zero", 1);
    assert_int_equal(pgv_fuzz_opts_env(&o, err, sizeof err), 2);
    unsetenv("FUZZ_PROFILE");
    unsetenv("FUZZ_VMM");
    unsetenv("FUZZ_DEPTH");
}

/* Boot a header-only input whose program is `prog`, run natively; return the state. */
static void run_native(uint8_t handler, const uint32_t *prog, uint32_t n, pgv_state *s)
{
    pgv_fuzz_test t;
    memset(&in_a, 0, sizeof in_a);
    in_a.handler = handler;
    in_a.limit = 3;
    in_a.budget = 999;
    memcpy(in_a.prog, prog, n * 4);
    in_a.nprog = n;
    pgv_fuzz_resolve(&in_a, NULL, &t);
    pgv_fuzz_build(&in_a, &t, mem_a, out_a, s);
    pgv_run(s, t.budget, 0, NULL);
}

static void test_handler_templates(void **st)
{
    (void)st;
    pgv_state s;
    const uint32_t illegal_then_halt[] = {0x00000000u, enc(PGV_OPC_ADDI, 1, 1, 0, 5), enc(PGV_OPC_HALT, 0, 0, 0, 0)};
    /* skip faulting instructions: ILLEGAL skipped, ADDI runs, HALT */
    run_native(PGV_FUZZ_RESUME_SKIP_FAULT << PGV_FUZZ_H_POLICY_SH, illegal_then_halt, 3, &s);
    assert_true(s.halted);
    assert_int_equal(s.r[1], 5);
    assert_int_equal(s.pc, PGV_FUZZ_ORIGIN + 3);
    assert_int_equal(mem_a[PGV_OLD_PSW] >> 8, PGV_CAUSE_ILLEGAL);
    /* halt on the first trap */
    run_native(PGV_FUZZ_RESUME_HALT << PGV_FUZZ_H_POLICY_SH, illegal_then_halt, 3, &s);
    assert_true(s.halted);
    assert_int_equal(s.r[1], 0);
    assert_int_equal(s.pc, PGV_FUZZ_HANDLER + 2);
    /* SVC resumes after the SVC (saved P + 1), counting traps halts after `limit` */
    const uint32_t svc_loop[] = {enc(PGV_OPC_SVC, 0, 0, 0, 9), enc(PGV_OPC_BR, 0, 0, 0, 0xFFFE)};
    run_native(PGV_FUZZ_RESUME_SKIP_FAULT << PGV_FUZZ_H_POLICY_SH | PGV_FUZZ_H_COUNT, svc_loop, 2, &s);
    assert_true(s.halted);
    assert_int_equal(mem_a[PGV_FUZZ_LIMIT_ADDR], 0);
    assert_int_equal(mem_a[PGV_TRAP_INFO], 9);
    /* return to user mode: the privileged HALT then traps (PRIV) and is skipped */
    const uint32_t user[] = {enc(PGV_OPC_SVC, 0, 0, 0, 1), enc(PGV_OPC_HALT, 0, 0, 0, 0),
                             enc(PGV_OPC_ADDI, 2, 2, 0, 1), enc(PGV_OPC_BR, 0, 0, 0, 0xFFFD)};
    run_native(PGV_FUZZ_H_TOUSER | PGV_FUZZ_H_COUNT, user, 4, &s);
    assert_true(s.halted);
    assert_int_equal(s.r[2], 1);
    uint32_t w[PGV_FUZZ_MAX_HANDLER];
    for (unsigned recipe = 0; recipe < 256; recipe++) {
        uint32_t n = pgv_fuzz_handler_template((uint8_t)recipe, w);
        assert_true(n >= 2 && n <= PGV_FUZZ_MAX_HANDLER);
        for (uint32_t i = 0; i < n; i++) {
            pgv_insn ins;
            assert_true(pgv_decode(w[i], &ins));
        }
    }
}

static void test_generator_and_reshape_are_legal(void **st)
{
    (void)st;
    pgv_rng r = { 3 };
    for (int k = 0; k < 20000; k++) {
        pgv_insn ins;
        uint32_t opc = pgv_gen_opcode(&r, PGV_GEN_ANY);
        assert_non_null(pgv_optab[opc].name);
        assert_true(pgv_decode(pgv_gen_insn_op(&r, opc, 5, 10, 100), &ins));
        uint32_t raw = (uint32_t)pgv_rng_next(&r);
        assert_true(pgv_decode(pgv_gen_reshape(raw, opc), &ins));
        assert_int_equal(ins.opc, opc);
    }
    assert_int_equal(pgv_gen_class(PGV_OPC_ADD), PGV_GEN_INNOCUOUS);
    assert_int_equal(pgv_gen_class(PGV_OPC_POPF), PGV_GEN_SENSITIVE);
    assert_int_equal(pgv_gen_class(PGV_OPC_RDR), PGV_GEN_SENSITIVE);
    assert_int_equal(pgv_gen_class(0), 0);
}

static void test_mutator_emits_valid_inputs(void **st)
{
    (void)st;
    void *m = afl_custom_init(NULL, 1);
    assert_non_null(m);
    pgv_rng r = { 11 };
    pgv_gen_test(&r, &in_a, 64);
    size_t n = pgv_fuzz_serialize(&in_a, bytes, sizeof bytes);
    size_t other_n = pgv_fuzz_serialize(&in_a, bytes2, sizeof bytes2);
    for (int k = 0; k < 20000; k++) {
        uint8_t *out = NULL;
        size_t max = k % 7 == 0 ? 300 : 1u << 20;
        size_t len = afl_custom_fuzz(m, bytes, n, &out, bytes2, other_n, max);
        assert_non_null(out);
        assert_true(len <= max);
        assert_true(len >= PGV_FUZZ_HEADER);
        assert_int_equal(pgv_fuzz_parse(out, len, &in_b), 0);
        assert_non_null(afl_custom_describe(m, 64));
        if (len <= sizeof bytes) {
            memcpy(bytes, out, len);
            n = len;
        }
    }
    /* too-short input: a fresh test is generated */
    uint8_t *out = NULL;
    size_t len = afl_custom_fuzz(m, bytes, 3, &out, NULL, 0, 1u << 20);
    assert_true(len >= PGV_FUZZ_HEADER);
    afl_custom_deinit(m);
}

/* The harness against the real checker: pg equivalent, popf (plain VMM) divergent. */
static void test_harness_pg_equivalent_popf_divergent(void **st)
{
    (void)st;
    pgv_fuzz_opts o;
    char err[200];
    pgv_rng r = { 1 };
    pgv_fuzz_opts_default(&o);
    pgv_fuzz_opts_set(&o, "profile", "pg", err, sizeof err);
    assert_int_equal(pgv_fuzz_configure(&o), 0);
    for (int k = 0; k < 300; k++) {
        pgv_gen_test(&r, &in_a, 64);
        size_t n = pgv_fuzz_serialize(&in_a, bytes, sizeof bytes);
        int rc = pgv_fuzz_one(bytes, n, stderr);
        if (rc != PGV_FUZZ_OK) {   /* print the input so it can be replayed */
            fprintf(stderr, "failing input (hex, for xxd -r -p | pgv replay -):\n");
            for (size_t i = 0; i < n; i++)
                fprintf(stderr, "%02x%s", bytes[i], i % 32 == 31 ? "\n" : "");
            fprintf(stderr, "\n");
        }
        assert_int_equal(rc, PGV_FUZZ_OK);
    }
    pgv_fuzz_opts_set(&o, "profile", "popf", err, sizeof err);
    pgv_fuzz_opts_set(&o, "vmm", "plain", err, sizeof err);
    pgv_fuzz_opts_set(&o, "depth", "1", err, sizeof err);
    pgv_fuzz_opts_set(&o, "vms", "1", err, sizeof err);
    assert_int_equal(pgv_fuzz_configure(&o), 0);
    /* POPF in virtual supervisor mode with IE changing: the classic popf divergence */
    memset(&in_a, 0, sizeof in_a);
    in_a.budget = 99;
    in_a.prog[0] = enc(PGV_OPC_ORI, 1, 1, 0, 1u << PGV_FLAGW_IE_BIT);
    in_a.prog[1] = enc(PGV_OPC_POPF, 0, 1, 0, 0);
    in_a.prog[2] = enc(PGV_OPC_HALT, 0, 0, 0, 0);
    in_a.nprog = 3;
    size_t n = pgv_fuzz_serialize(&in_a, bytes, sizeof bytes);
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(pgv_fuzz_one(bytes, n, devnull), PGV_FUZZ_DIVERGE);
    char sig[256];
    assert_int_equal(pgv_fuzz_signature(sig, sizeof sig), 0);
    assert_non_null(strstr(sig, "POPF@s"));
    assert_non_null(strstr(sig, "ie"));
    fclose(devnull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_inputs_rejected),
        cmocka_unit_test(test_every_byte_string_is_a_valid_test),
        cmocka_unit_test(test_serialize_inverts_parse),
        cmocka_unit_test(test_options_override_and_bake),
        cmocka_unit_test(test_handler_templates),
        cmocka_unit_test(test_generator_and_reshape_are_legal),
        cmocka_unit_test(test_mutator_emits_valid_inputs),
        cmocka_unit_test(test_harness_pg_equivalent_popf_divergent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
