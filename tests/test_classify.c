/* tests/test_classify.c — the P&G classification derived by execution (vmm/classify.c, ISA §7).
 *
 * Checks that the classification derived by running the machine equals the manual's
 * table (spec/opcodes.def, pgv_optab) in all four profiles; that the Theorem 1 and 3
 * verdicts are those §7 states, with the named violators; that every witness really
 * is one — re-run here with pgv_step and judged with pgv_compare, independently of
 * pgv_cls_witness_verify, and that tampered witnesses are rejected; that deliberately
 * wrong table entries are reported by pgv_cls_compare; and that a run is a function
 * of (profile, samples, seed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include "model/compare.h"
#include "model/optab.h"
#include "vmm/classify.h"

#define SAMPLES 2000u
#define SEED 1u

static pgv_cls_result res[PGV_NPROFILES];

static int setup(void **st)
{
    (void)st;
    for (uint32_t p = 0; p < PGV_NPROFILES; p++)
        if (pgv_classify(p, SAMPLES, SEED, &res[p]) != 0)
            return -1;
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    for (uint32_t p = 0; p < PGV_NPROFILES; p++)
        pgv_cls_result_free(&res[p]);
    return 0;
}

static uint32_t opc_of(const char *name)
{
    for (unsigned i = 0; i < 256; i++)
        if (pgv_optab[i].name && strcmp(pgv_optab[i].name, name) == 0)
            return i;
    fail_msg("no instruction %s", name);
    return 0;
}

static uint32_t derived(uint32_t p, const char *name)
{
    const pgv_cls_insn *in = pgv_cls_find(&res[p], opc_of(name));
    assert_non_null(in);
    return in->derived;
}

/* §7: derived == table, for every profile, every instruction, every class. */
static void derived_equals_table(void **st)
{
    (void)st;
    for (uint32_t p = 0; p < PGV_NPROFILES; p++) {
        pgv_cls_disagreement d[16];
        size_t n = pgv_cls_compare(&res[p], pgv_optab, d, 16);
        for (size_t i = 0; i < n && i < 16; i++)
            print_message("%s: %s %s derived %d table %d\n", pgv_profile_name(p),
                          pgv_optab[d[i].opc].name, pgv_cls_name(d[i].cls), d[i].derived,
                          d[i].table);
        assert_int_equal(n, 0);
        assert_int_equal(res[p].ninsn, pgv_nops);
        /* every instruction was really exercised in both modes and retired often */
        for (uint32_t i = 0; i < res[p].ninsn; i++) {
            const pgv_cls_insn *in = &res[p].insn[i];
            assert_true(in->n_user > SAMPLES / 4);
            assert_true(in->n_sup > SAMPLES / 4);
            if (in->opc != PGV_OPC_SVC)
                assert_true(in->n_exec > SAMPLES / 4);
        }
    }
}

/* §7 verdicts: pg T1 T3; popf !T1 (POPF) T3; jrst !T1 (JRSTU) T3; redpill !T1 !T3 (RDR). */
static void theorem_verdicts(void **st)
{
    (void)st;
    static const struct { uint32_t p; bool t1, t3; const char *who; } want[] = {
        { PGV_PROFILE_PG, true, true, NULL },
        { PGV_PROFILE_POPF, false, true, "POPF" },
        { PGV_PROFILE_JRST, false, true, "JRSTU" },
        { PGV_PROFILE_REDPILL, false, false, "RDR" },
    };
    for (unsigned k = 0; k < 4; k++) {
        const pgv_cls_result *r = &res[want[k].p];
        assert_int_equal(r->theorem1, want[k].t1);
        assert_int_equal(r->theorem3, want[k].t3);
        uint32_t v[8];
        size_t n1 = pgv_cls_violations(r, 1, v, 8);
        assert_int_equal(n1, want[k].who ? 1 : 0);
        if (n1)
            assert_int_equal(v[0], opc_of(want[k].who));
        size_t n3 = pgv_cls_violations(r, 3, v, 8);
        assert_int_equal(n3, want[k].t3 ? 0 : 1);
        if (n3)
            assert_int_equal(v[0], opc_of(want[k].who));
        /* and the table agrees with the machine on the verdicts */
        assert_int_equal(pgv_cls_table_theorem(pgv_optab, want[k].p, 1), want[k].t1);
        assert_int_equal(pgv_cls_table_theorem(pgv_optab, want[k].p, 3), want[k].t3);
    }
}

/* The two instructions the brief singles out (§7): JRSTU is never mode-sensitive
 * (both results are in user mode), POPF is mode-sensitive exactly in profile popf. */
static void jrstu_and_popf_mode(void **st)
{
    (void)st;
    for (uint32_t p = 0; p < PGV_NPROFILES; p++) {
        assert_false(derived(p, "JRSTU") & PGV_CLS_BIT(PGV_CLS_BEH_M));
        assert_int_equal(!!(derived(p, "POPF") & PGV_CLS_BIT(PGV_CLS_BEH_M)),
                         p == PGV_PROFILE_POPF);
        assert_true(derived(p, "JRSTU") & PGV_CLS_BIT(PGV_CLS_CTL));
    }
    const pgv_cls_insn *in = pgv_cls_find(&res[PGV_PROFILE_JRST], PGV_OPC_JRSTU);
    assert_true(in->n_pairs[PGV_REL_M] > 0);   /* not mode-sensitive for lack of tries */
}

/* Independent re-run of a witness: pgv_step on copies, pgv_compare for the relations. */
static void rerun_witness(const pgv_cls_witness *w)
{
    unsigned n = w->rel == PGV_REL_NONE ? 1u : 2u;
    pgv_cls_snap b[2], a[2];
    pgv_event ev[2];
    for (unsigned k = 0; k < n; k++) {
        memcpy(&b[k], &w->before[k], sizeof b[k]);
        pgv_cls_snap_fix(&b[k]);
        memcpy(&a[k], &w->before[k], sizeof a[k]);
        pgv_cls_snap_fix(&a[k]);
        ev[k] = pgv_step(&a[k].s);
        assert_int_equal(ev[k], w->ev[k]);
        pgv_cls_snap stored;
        memcpy(&stored, &w->after[k], sizeof stored);
        pgv_cls_snap_fix(&stored);
        assert_int_equal(pgv_compare(&a[k].s, &stored.s, NULL, 0), 0);
        assert_int_equal(PGV_OPC(w->word), w->opc);
    }
    if (w->cls == PGV_CLS_PRIV) {   /* counterexample to privilege */
        bool user = b[0].s.mode == PGV_MODE_USER;
        bool priv_trap = ev[0] == PGV_EV_TRAP &&
                         ((a[0].mem[PGV_OLD_PSW] >> PGV_ST_CAUSE_SH) & 0xFFu) == PGV_CAUSE_PRIV;
        assert_true(user != priv_trap);
        assert_false(b[0].s.tp && b[0].s.ie);   /* the instruction was reached */
        return;
    }
    if (n == 1) {                  /* CTL (or USENS from a user-mode state) */
        assert_int_not_equal(ev[0], PGV_EV_TRAP);
        if (w->cls == PGV_CLS_USENS)
            assert_int_equal(b[0].s.mode, PGV_MODE_USER);
        pgv_state ref = b[0].s;     /* the configuration with only the tick applied */
        if (ref.timer && --ref.timer == 0)
            ref.tp = 1;
        const pgv_state *x = &a[0].s;
        bool changed = x->mode != ref.mode || x->l != ref.l || x->b != ref.b || x->ie != ref.ie ||
                       x->timer != ref.timer || x->tp != ref.tp || x->in_pos != ref.in_pos ||
                       x->out_len != ref.out_len || x->halted != ref.halted ||
                       (x->out_len < x->out_cap && x->out_len > 0 &&
                        x->out[x->out_len - 1] != ref.out[x->out_len - 1]);
        assert_true(changed);
        return;
    }
    /* pairs: both retire; the before-states differ only in the relation */
    assert_int_not_equal(ev[0], PGV_EV_TRAP);
    assert_int_not_equal(ev[1], PGV_EV_TRAP);
    pgv_mismatch mm[64];
    if (w->rel == PGV_REL_R) {
        const pgv_state *s0 = &b[0].s, *s1 = &b[1].s;
        assert_int_equal(s0->b, s1->b);
        assert_int_not_equal(s0->l, s1->l);
        for (uint32_t i = 0; i < s0->b; i++)     /* storage relocated */
            assert_int_equal(s0->mem[s0->l + i], s1->mem[s1->l + i]);
        /* same virtual view: compare copies with R and storage made equal */
        pgv_cls_snap v0, v1;
        memcpy(&v0, &b[0], sizeof v0); pgv_cls_snap_fix(&v0);
        memcpy(&v1, &b[1], sizeof v1); pgv_cls_snap_fix(&v1);
        v1.s.l = v0.s.l;
        memcpy(v1.mem, v0.mem, sizeof v1.mem);
        assert_int_equal(pgv_compare(&v0.s, &v1.s, NULL, 0), 0);
        /* R unchanged by both */
        assert_int_equal(a[0].s.l, s0->l);
        assert_int_equal(a[1].s.l, s1->l);
        assert_int_equal(a[0].s.b, s0->b);
        /* virtual results differ: registers, PSW, ... or a virtual storage word */
        pgv_cls_snap r1;
        memcpy(&r1, &a[1], sizeof r1); pgv_cls_snap_fix(&r1);
        r1.s.l = a[0].s.l;
        memset(r1.mem, 0, sizeof r1.mem);
        memcpy(&r1.mem[a[0].s.l], &a[1].mem[a[1].s.l], a[1].s.b * sizeof(uint32_t));
        pgv_cls_snap r0;
        memcpy(&r0, &a[0], sizeof r0); pgv_cls_snap_fix(&r0);
        memset(r0.mem, 0, sizeof r0.mem);
        memcpy(&r0.mem[a[0].s.l], &a[0].mem[a[0].s.l], a[0].s.b * sizeof(uint32_t));
        assert_true(pgv_compare(&r0.s, &r1.s, NULL, 0) > 0);
        return;
    }
    size_t nb = pgv_compare(&b[0].s, &b[1].s, mm, 64);
    assert_true(nb > 0);
    for (size_t i = 0; i < nb && i < 64; i++) {
        const char *f = mm[i].field;
        switch (w->rel) {
        case PGV_REL_M: assert_string_equal(f, "mode"); break;
        case PGV_REL_IE: assert_string_equal(f, "ie"); break;
        case PGV_REL_TIMER: assert_true(!strcmp(f, "timer") || !strcmp(f, "tp")); break;
        case PGV_REL_IO:
            assert_true(!strcmp(f, "in_pos") || !strcmp(f, "out_len") || !strcmp(f, "out"));
            break;
        default: fail();
        }
    }
    size_t na = pgv_compare(&a[0].s, &a[1].s, mm, 64);
    bool beyond = false;
    for (size_t i = 0; i < na && i < 64; i++) {
        const char *f = mm[i].field;
        bool inrel = (w->rel == PGV_REL_M && !strcmp(f, "mode")) ||
                     (w->rel == PGV_REL_IE && !strcmp(f, "ie")) ||
                     (w->rel == PGV_REL_TIMER && (!strcmp(f, "timer") || !strcmp(f, "tp"))) ||
                     (w->rel == PGV_REL_IO && (!strcmp(f, "in_pos") || !strcmp(f, "out_len") ||
                                               !strcmp(f, "out")));
        beyond |= !inrel;
    }
    assert_true(beyond);
    if (w->cls == PGV_CLS_USENS) {
        assert_int_equal(b[0].s.mode, PGV_MODE_USER);
        assert_int_equal(b[1].s.mode, PGV_MODE_USER);
    }
}

static void witnesses_are_witnesses(void **st)
{
    (void)st;
    unsigned checked = 0;
    for (uint32_t p = 0; p < PGV_NPROFILES; p++) {
        const pgv_cls_result *r = &res[p];
        for (uint32_t i = 0; i < r->ninsn; i++) {
            const pgv_cls_insn *in = &r->insn[i];
            for (unsigned c = 0; c < PGV_NCLS; c++) {
                /* a witness exactly for the derived memberships (PRIV: non-membership) */
                bool member = (in->derived >> c) & 1u;
                assert_int_equal(in->wit[c] >= 0, c == PGV_CLS_PRIV ? !member : member);
                if (in->wit[c] < 0)
                    continue;
                const pgv_cls_witness *w = &r->wit[in->wit[c]];
                assert_int_equal(w->opc, in->opc);
                assert_int_equal(w->cls, c);
                assert_int_equal(w->profile, p);
                char why[128] = "";
                if (!pgv_cls_witness_verify(w, why, sizeof why))
                    fail_msg("%s %s %s: %s", pgv_profile_name(p), in->name, pgv_cls_name(c), why);
                rerun_witness(w);
                checked++;
            }
        }
    }
    assert_true(checked > 40);
}

/* A witness that is altered must no longer verify. */
static void tampered_witnesses_rejected(void **st)
{
    (void)st;
    const pgv_cls_result *r = &res[PGV_PROFILE_POPF];
    const pgv_cls_insn *in = pgv_cls_find(r, PGV_OPC_POPF);
    assert_true(in->wit[PGV_CLS_BEH_M] >= 0);
    pgv_cls_witness *w = malloc(sizeof *w);
    assert_non_null(w);
    char why[128];

    memcpy(w, &r->wit[in->wit[PGV_CLS_BEH_M]], sizeof *w);
    for (unsigned k = 0; k < 2; k++) {
        pgv_cls_snap_fix(&w->before[k]);
        pgv_cls_snap_fix(&w->after[k]);
    }
    assert_true(pgv_cls_witness_verify(w, why, sizeof why));
    w->before[1].s.r[5] ^= 1u;               /* the states differ in more than M */
    assert_false(pgv_cls_witness_verify(w, why, sizeof why));
    w->before[1].s.r[5] ^= 1u;
    w->after[1].s.flags ^= 1u;               /* a stored result that is not the step's */
    assert_false(pgv_cls_witness_verify(w, why, sizeof why));
    w->after[1].s.flags ^= 1u;
    w->cls = PGV_CLS_BEH_R;                  /* an M pair does not show location sensitivity */
    assert_false(pgv_cls_witness_verify(w, why, sizeof why));
    w->cls = PGV_CLS_BEH_M;
    assert_true(pgv_cls_witness_verify(w, why, sizeof why));

    /* in profile pg the same pair of states shows nothing: the user-mode step traps */
    w->profile = PGV_PROFILE_PG;
    w->before[0].s.profile = w->before[1].s.profile = PGV_PROFILE_PG;
    assert_false(pgv_cls_witness_verify(w, why, sizeof why));

    /* a privilege counterexample of JRSTU (profile jrst) run in profile pg traps PRIV */
    const pgv_cls_insn *j = pgv_cls_find(&res[PGV_PROFILE_JRST], PGV_OPC_JRSTU);
    assert_true(j->wit[PGV_CLS_PRIV] >= 0);
    memcpy(w, &res[PGV_PROFILE_JRST].wit[j->wit[PGV_CLS_PRIV]], sizeof *w);
    for (unsigned k = 0; k < 2; k++) {
        pgv_cls_snap_fix(&w->before[k]);
        pgv_cls_snap_fix(&w->after[k]);
    }
    assert_true(pgv_cls_witness_verify(w, why, sizeof why));
    w->profile = PGV_PROFILE_PG;
    w->before[0].s.profile = PGV_PROFILE_PG;
    assert_false(pgv_cls_witness_verify(w, why, sizeof why));
    free(w);
}

/* Deliberately wrong table entries are detected, in both directions, in the right cell. */
static void wrong_table_detected(void **st)
{
    (void)st;
    static pgv_opinfo t[256];
    pgv_cls_disagreement d[8];
    struct { const char *name; uint32_t p; unsigned cls; } flips[] = {
        { "POPF", PGV_PROFILE_POPF, PGV_CLS_BEH_M },   /* table would say: not mode-sensitive */
        { "JRSTU", PGV_PROFILE_JRST, PGV_CLS_BEH_M },  /* table would say: mode-sensitive     */
        { "RDR", PGV_PROFILE_REDPILL, PGV_CLS_PRIV },  /* table would say: privileged         */
        { "NOP", PGV_PROFILE_PG, PGV_CLS_CTL },
        { "RDTMR", PGV_PROFILE_PG, PGV_CLS_BEH_C },
        { "RDR", PGV_PROFILE_PG, PGV_CLS_USENS },
        { "LD", PGV_PROFILE_JRST, PGV_CLS_BEH_R },
        { "OUT", PGV_PROFILE_POPF, PGV_CLS_BEH_C },
    };
    for (unsigned k = 0; k < sizeof flips / sizeof flips[0]; k++) {
        memcpy(t, pgv_optab, sizeof t);
        uint32_t opc = opc_of(flips[k].name);
        uint8_t *col[PGV_NCLS] = { &t[opc].priv, &t[opc].ctl, &t[opc].beh_m, &t[opc].beh_r,
                                   &t[opc].beh_c, &t[opc].usens };
        *col[flips[k].cls] ^= (uint8_t)PGV_PROFILE_BIT(flips[k].p);
        for (uint32_t p = 0; p < PGV_NPROFILES; p++) {
            size_t n = pgv_cls_compare(&res[p], t, d, 8);
            if (p != flips[k].p) {
                assert_int_equal(n, 0);
                continue;
            }
            assert_int_equal(n, 1);
            assert_int_equal(d[0].opc, opc);
            assert_int_equal(d[0].cls, flips[k].cls);
            assert_int_not_equal(d[0].derived, d[0].table);
        }
    }
    /* the redpill flip also turns the table's theorems: the comparison is what catches it */
    memcpy(t, pgv_optab, sizeof t);
    t[PGV_OPC_RDR].priv |= P_REDPILL;
    assert_true(pgv_cls_table_theorem(t, PGV_PROFILE_REDPILL, 1));
    assert_false(res[PGV_PROFILE_REDPILL].theorem1);
    /* a table entry with no derived counterpart (an extra opcode) is reported too */
    memcpy(t, pgv_optab, sizeof t);
    t[0xFE] = t[PGV_OPC_HALT];
    assert_int_equal(pgv_cls_compare(&res[PGV_PROFILE_PG], t, d, 8), 2);   /* PRIV, CTL */
}

/* The same (profile, samples, seed) gives the same classification and witnesses. */
static void deterministic(void **st)
{
    (void)st;
    pgv_cls_result *a = malloc(sizeof *a);
    assert_non_null(a);
    assert_int_equal(pgv_classify(PGV_PROFILE_POPF, SAMPLES, SEED, a), 0);
    const pgv_cls_result *b = &res[PGV_PROFILE_POPF];
    assert_int_equal(a->nwit, b->nwit);
    for (uint32_t i = 0; i < a->ninsn; i++) {
        assert_int_equal(a->insn[i].derived, b->insn[i].derived);
        assert_memory_equal(a->insn[i].n_pairs, b->insn[i].n_pairs, sizeof a->insn[i].n_pairs);
    }
    for (uint32_t i = 0; i < a->nwit; i++)
        assert_int_equal(pgv_compare(&a->wit[i].before[0].s, &b->wit[i].before[0].s, NULL, 0), 0);
    pgv_cls_result_free(a);
    /* another seed still derives the table */
    assert_int_equal(pgv_classify(PGV_PROFILE_REDPILL, 500, 12345, a), 0);
    assert_int_equal(pgv_cls_compare(a, pgv_optab, NULL, 0), 0);
    pgv_cls_result_free(a);
    assert_int_equal(pgv_classify(PGV_NPROFILES, 10, 1, a), 2);
    free(a);
}

/* pgv_cls_diff and the names it reports. */
static void diff_components(void **st)
{
    (void)st;
    static uint32_t m1[32], m2[32];
    pgv_state a, b;
    pgv_init(&a, m1, 32, PGV_PROFILE_PG, 0);
    pgv_init(&b, m2, 32, PGV_PROFILE_PG, 0);
    assert_int_equal(pgv_cls_diff(&a, &b, false), 0);
    b.ie = 1;
    b.timer = 3;
    m2[31] = 7;
    assert_int_equal(pgv_cls_diff(&a, &b, false), PGV_COMP_IE | PGV_COMP_TIMER | PGV_COMP_MEM);
    /* virtual storage: relocated windows with the same contents are equal */
    pgv_init(&b, m2, 32, PGV_PROFILE_PG, 0);
    memset(m1, 0, sizeof m1);
    memset(m2, 0, sizeof m2);
    a.b = b.b = 8;
    b.l = 20;
    m1[3] = 9;
    m2[23] = 9;
    m2[0] = 1;   /* outside b's window */
    assert_int_equal(pgv_cls_diff(&a, &b, true), PGV_COMP_R);
    assert_int_equal(pgv_cls_diff(&a, &b, false), PGV_COMP_R | PGV_COMP_MEM);
    assert_string_equal(pgv_comp_name(PGV_COMP_IE), "IE");
    for (unsigned c = 0; c < PGV_NCLS; c++)   /* the names are the table's column names */
        assert_non_null(pgv_cls_name(c));
    assert_string_equal(pgv_cls_name(PGV_CLS_BEH_M), "BEH_M");
    assert_string_equal(pgv_cls_name(PGV_CLS_USENS), "USENS");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(derived_equals_table),
        cmocka_unit_test(theorem_verdicts),
        cmocka_unit_test(jrstu_and_popf_mode),
        cmocka_unit_test(witnesses_are_witnesses),
        cmocka_unit_test(tampered_witnesses_rejected),
        cmocka_unit_test(wrong_table_detected),
        cmocka_unit_test(deterministic),
        cmocka_unit_test(diff_components),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
