/* tests/test_model_harness.h — the fixture shared by the reference-machine tests (tests/test_model*.c).
 *
 * A small machine `vm` (64 words of storage, a 4-word input tape, an 8-word output
 * buffer with capacity 4) booted into a fully specified, deliberately "busy" state —
 * relocation window R = (16, 32), P = 4, distinct register values, flags 5, cause
 * 0x21, timer 100, a recognisable new PSW in E[4..7] — so that an expected state can
 * be written as "the initial state plus what the manual says changes".  The
 * expectation helpers restate the manual's rules by hand: expect_retire is §8.1 step
 * (7) with the §5.4 tick; expect_trap is the §5.2 PSW swap.  assert_state compares
 * the whole state with pgv_compare (§8.4) and additionally the parts pgv_compare does
 * not look at (the output buffer past out_len, profile, in_len, out_cap).
 * Include after <cmocka.h>.
 */
#ifndef PGV_TESTS_TEST_MODEL_HARNESS_H
#define PGV_TESTS_TEST_MODEL_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "model/compare.h"
#include "model/optab.h"
#include "model/pgv.h"

#define QW      64u           /* storage words of the test machine              */
#define WIN_L   16u           /* the default relocation window: E[16..47]        */
#define WIN_B   32u
#define P0      4u            /* the default P (virtual; absolute E[20])         */
#define TIMER0  100u          /* the default timer: running, far from expiry     */
#define STEPS0  7u            /* the default steps counter                       */
#define NEW_ST  0x0000C340u   /* new PSW status: M = s, IE = 0, flags 4, cause 0xC3 */
#define NEW_P   0x30u         /* new PSW P                                        */
#define OUT_CAP 4u

typedef struct vm {
    pgv_state s;
    uint32_t mem[QW];
    uint32_t in[4];
    uint32_t out[8];
} vm;

/* Copy a vm, re-pointing the state's buffers that pointed into the source's arrays. */
static inline void vm_copy(vm *d, const vm *src)
{
    *d = *src;
    if (src->s.mem == src->mem) d->s.mem = d->mem;
    if (src->s.in == src->in) d->s.in = d->in;
    if (src->s.out == src->out) d->s.out = d->out;
}

/* The default initial state (see the file comment). */
static inline void vm_boot(vm *m, unsigned profile, unsigned mode)
{
    memset(m, 0, sizeof *m);
    for (uint32_t i = 0; i < QW; i++)
        m->mem[i] = 0xA5000000u | i;          /* opcode 0xA5 is unassigned */
    pgv_init(&m->s, m->mem, QW, profile, P0);
    for (uint32_t i = 0; i < 4; i++)
        m->mem[PGV_OLD_PSW + i] = 0xD0D0D000u | i;
    m->mem[PGV_TRAP_INFO] = 0xD0D0D008u;
    m->mem[PGV_NEW_PSW + 0] = NEW_ST;
    m->mem[PGV_NEW_PSW + 1] = NEW_P;
    m->mem[PGV_NEW_PSW + 2] = 0;
    m->mem[PGV_NEW_PSW + 3] = QW;
    m->s.mode = mode;
    m->s.l = WIN_L;
    m->s.b = WIN_B;
    for (unsigned i = 0; i < PGV_NREGS; i++)
        m->s.r[i] = 0x01010101u * (i + 1);
    m->s.flags = 5;
    m->s.cause = 0x21;
    m->s.timer = TIMER0;
    m->s.steps = STEPS0;
    m->in[0] = 0x11111111u;
    m->in[1] = 0x22222222u;
    m->in[2] = 0x33333333u;
    m->in[3] = 0x44444444u;                   /* beyond in_len: never read */
    m->s.in = m->in;
    m->s.in_len = 3;
    for (unsigned i = 0; i < 8; i++)
        m->out[i] = 0xEEEEEEEEu;
    m->s.out = m->out;
    m->s.out_cap = OUT_CAP;
}

/* Place word w at virtual address a under the current R. */
static inline void put(vm *m, uint32_t a, uint32_t w)
{
    m->mem[m->s.l + a] = w;
}

/* §8.1 (7): the instruction retired: the §5.4 tick, then P := next; one more step. */
static inline void expect_retire(vm *e, uint32_t next)
{
    if (e->s.timer != 0) {
        e->s.timer--;
        if (e->s.timer == 0)
            e->s.tp = 1;
    }
    e->s.pc = next;
    e->s.steps++;
}

/* §5.2: the PSW swap, restated: old PSW (status with the trap's cause) to E[0..3],
 * info to E[8], new PSW from E[4..7] (reserved status bits ignored); one more step. */
static inline void expect_trap(vm *e, uint32_t cause, uint32_t info, uint32_t saved_p)
{
    uint32_t *E = e->s.mem;
    E[0] = (e->s.mode & 1u) | (e->s.ie & 1u) << 1 | (e->s.flags & 7u) << 4 | (cause & 0xFFu) << 8;
    E[1] = saved_p;
    E[2] = e->s.l;
    E[3] = e->s.b;
    E[8] = info;
    e->s.mode = E[4] & 1u;
    e->s.ie = (E[4] >> 1) & 1u;
    e->s.flags = (E[4] >> 4) & 7u;
    e->s.cause = (E[4] >> 8) & 0xFFu;
    e->s.pc = E[5];
    e->s.l = E[6];
    e->s.b = E[7];
    e->s.steps++;
}

/* The cause recorded in the old PSW by the last trap (§5.1 status bits 8..15). */
static inline uint32_t old_cause(const vm *m)
{
    return (m->s.mem[PGV_OLD_PSW] >> 8) & 0xFFu;
}

/* §7.3, restated by hand: the privileged instructions of each profile. */
static inline int hand_priv(uint32_t opc, unsigned profile)
{
    switch (opc) {
    case PGV_OPC_HALT: case PGV_OPC_LPSW: case PGV_OPC_RDPSW: case PGV_OPC_SETR:
    case PGV_OPC_STMR: case PGV_OPC_RDTMR: case PGV_OPC_EI: case PGV_OPC_DI:
    case PGV_OPC_PUSHF: case PGV_OPC_IN: case PGV_OPC_OUT:
        return 1;
    case PGV_OPC_RDR: return profile != PGV_PROFILE_REDPILL;
    case PGV_OPC_POPF: return profile != PGV_PROFILE_POPF;
    case PGV_OPC_JRSTU: return profile != PGV_PROFILE_JRST;
    default: return 0;
    }
}

/* The whole state of got equals exp: pgv_compare, plus what it does not cover. */
static inline void assert_state(const vm *got, const vm *exp, const char *label)
{
    pgv_mismatch mm[16];
    size_t n = pgv_compare(&got->s, &exp->s, mm, 16);
    if (n != 0) {
        print_message("state mismatch (%s, profile %s, M %u at start of the case): %zu item(s)\n",
                      label, pgv_profile_name(exp->s.profile), (unsigned)exp->s.mode, n);
        for (size_t i = 0; i < n && i < 16; i++)
            print_message("  %s[%u]: got 0x%llx, expected 0x%llx\n", mm[i].field,
                          (unsigned)mm[i].index, (unsigned long long)mm[i].a,
                          (unsigned long long)mm[i].b);
        fail_msg("%s: %zu differing item(s)", label, n);
    }
    if (memcmp(got->out, exp->out, sizeof got->out) != 0)
        fail_msg("%s: output buffer differs past out_len/out_cap", label);
    assert_int_equal(got->s.profile, exp->s.profile);
    assert_int_equal(got->s.in_len, exp->s.in_len);
    assert_int_equal(got->s.out_cap, exp->s.out_cap);
}

/* One pgv_step: its event and the whole resulting state. */
static inline void step_check(vm *m, const vm *e, pgv_event want, const char *label)
{
    pgv_event ev = pgv_step(&m->s);
    if (ev != want)
        fail_msg("%s: event %s, expected %s (E[0] = 0x%08X)", label, pgv_event_name(ev),
                 pgv_event_name(want), m->s.mem[0]);
    assert_state(m, e, label);
}

/* Every profile, both modes. */
#define FOR_ALL_PM(p, mode)                                   \
    for (unsigned p = 0; p < PGV_NPROFILES; p++)              \
        for (unsigned mode = 0; mode < 2; mode++)

/* A deterministic generator (splitmix64), so failures reproduce. */
static uint64_t pgv_test_rng;
static inline void rng_seed(uint64_t s) { pgv_test_rng = s; }
static inline uint64_t rnd(void)
{
    uint64_t z = (pgv_test_rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#endif /* PGV_TESTS_TEST_MODEL_HARNESS_H */
