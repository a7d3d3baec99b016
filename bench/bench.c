/* bench/bench.c — `make bench`: speed of the model, the VMM and the equivalence checker (ISA §8, §11, §12).
 *
 * Guest programs are encoded here directly from the opcode enumeration (spec/isa.h,
 * §4 encoding), so the bench depends on nothing but the model and VMM libraries.
 * It measures (CPU time of the thread, CLOCK_THREAD_CPUTIME_ID, so that time spent
 * waiting for a CPU on this shared machine does not count; every figure is the best
 * and the median of 5 runs):
 *  1. native pgv_run speed in guest M instructions/s for an ALU+branch loop and a
 *     load/store loop (runs of >= 0.5 s; target >= 400 M/s);
 *  2. VMM/native time ratio (pgv_vmm_run, profile pg, plain trap-and-emulate, depth 1)
 *     for a guest in virtual supervisor mode with no sensitive instruction and with one
 *     (RDTMR, emulated by the VMM, §6) per 1000, 100 and 10 instructions (targets
 *     <= 1.05 and, at one per 10, <= 1.5), and the cost of one trap round trip
 *     (exit + emulation + re-entry) in native guest-instruction times;
 *  3. the hybrid VMM (Theorem 3) on a supervisor-heavy workload, and depth 2 and 3
 *     stacks (Theorem 2), with the direct-execution fraction of each from the VMM
 *     counters (direct / (direct + emulated + interpreted + reflected));
 *  4. pgv_diff_run (native + virtualized run + comparison) on a 1,000-step program:
 *     time per check (target well under 1 ms) and checks per second.
 * Every virtualized run is compared with the native run (pgv_compare): a ratio of a
 * run that is not equivalent is meaningless and is flagged.  Misses of targets are
 * marked "MISS"; the exit status is 0 whatever the numbers (2 only if a run errs).
 * BENCH_QUICK=1 in the environment shortens every run tenfold (smoke use).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "model/compare.h"
#include "model/pgv.h"
#include "vmm/diff.h"
#include "vmm/vmm.h"

#define RUNS 5
#define GUEST_Q 4096u

static double min_secs = 0.5;    /* native speed runs            */
static double ratio_secs = 0.25; /* each run of a ratio pair     */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* --- §4 encoding ------------------------------------------------------------------- */
static uint32_t R3(uint32_t op, uint32_t rd, uint32_t rs, uint32_t rt)
{
    return op << 24 | rd << 20 | rs << 16 | rt << 12;
}
static uint32_t RI(uint32_t op, uint32_t rd, uint32_t rs, int32_t imm)
{
    return op << 24 | rd << 20 | rs << 16 | ((uint32_t)imm & 0xFFFFu);
}
static uint32_t BR(uint32_t op, uint32_t from, uint32_t to)   /* target = P + 1 + sext */
{
    return op << 24 | ((to - from - 1u) & 0xFFFFu);
}

/* A guest program: words at 0.., entry 0, storage GUEST_Q words. */
typedef struct prog {
    const char *name;
    uint32_t mem[GUEST_Q];
    uint32_t n;
} prog;

static void emit(prog *p, uint32_t w)
{
    p->mem[p->n++] = w;
}

/* ALU work: k instructions, no sensitive instruction, no control transfer. */
static void alu(prog *p, uint32_t k)
{
    static const uint32_t ops[] = { PGV_OPC_ADD, PGV_OPC_XOR, PGV_OPC_SUB, PGV_OPC_OR,
                                    PGV_OPC_AND, PGV_OPC_SHL, PGV_OPC_MUL, PGV_OPC_SHR };
    for (uint32_t i = 0; i < k; i++) {
        uint32_t rd = 2 + i % 5, rs = 2 + (i + 1) % 5, rt = 2 + (i + 3) % 5;
        if (i % 4 == 3)
            emit(p, RI(PGV_OPC_ADDI, rd, rs, (int32_t)(i % 13) + 1));
        else
            emit(p, R3(ops[i % 8], rd, rs, rt));
    }
}

/* Compute loop: ALU and a conditional branch, counter in r1 (never reaches r7). */
static void make_compute(prog *p)
{
    memset(p, 0, sizeof *p);
    p->name = "ALU+branch loop";
    emit(p, RI(PGV_OPC_ADDI, 7, 0, -1));            /* r7 = 0xFFFFFFFF        */
    uint32_t top = p->n;
    alu(p, 6);
    emit(p, RI(PGV_OPC_ADDI, 1, 1, 1));
    emit(p, R3(PGV_OPC_CMP, 0, 1, 7));
    emit(p, BR(PGV_OPC_BNE, p->n, top));
    emit(p, BR(PGV_OPC_BR, p->n, top));
}

/* Load/store loop over a 1024-word array at 2048: a[i] += i. */
static void make_loadstore(prog *p)
{
    memset(p, 0, sizeof *p);
    p->name = "load/store loop";
    uint32_t top = p->n;
    emit(p, RI(PGV_OPC_LD, 2, 1, 2048));
    emit(p, R3(PGV_OPC_ADD, 2, 2, 1));
    emit(p, RI(PGV_OPC_ST, 2, 1, 2048));
    emit(p, RI(PGV_OPC_LD, 3, 1, 2049));
    emit(p, R3(PGV_OPC_XOR, 3, 3, 2));
    emit(p, RI(PGV_OPC_ST, 3, 1, 2049));
    emit(p, RI(PGV_OPC_ADDI, 1, 1, 2));
    emit(p, RI(PGV_OPC_ANDI, 1, 1, 1022));
    emit(p, BR(PGV_OPC_BR, p->n, top));
}

/* A loop of `period` instructions of which one is RDTMR (sensitive, §7) — or none
 * when period is 0 (a 100-instruction innocuous loop). */
static void make_sensitive(prog *p, uint32_t period, const char *name)
{
    memset(p, 0, sizeof *p);
    p->name = name;
    uint32_t len = period ? period : 100;
    uint32_t top = p->n;
    alu(p, len - (period ? 3 : 2));
    if (period)
        emit(p, RI(PGV_OPC_RDTMR, 6, 0, 0));
    emit(p, RI(PGV_OPC_ADDI, 1, 1, 1));
    emit(p, BR(PGV_OPC_BR, p->n, top));
}

/* A program that halts after exactly 1000 steps: 99 loop iterations of 10 and a
 * tail, with one sensitive instruction (RDTMR) per iteration. */
static void make_thousand(prog *p)
{
    memset(p, 0, sizeof *p);
    p->name = "1000-step program";
    emit(p, RI(PGV_OPC_ADDI, 1, 0, 99));
    uint32_t top = p->n;
    alu(p, 6);
    emit(p, RI(PGV_OPC_RDTMR, 6, 0, 0));
    emit(p, RI(PGV_OPC_ADDI, 1, 1, -1));
    emit(p, RI(PGV_OPC_CMPI, 0, 1, 0));
    emit(p, BR(PGV_OPC_BNE, p->n, top));
    alu(p, 8);
    emit(p, R3(PGV_OPC_HALT, 0, 0, 0));   /* 1 + 99 * 10 + 8 + 1 = 1000 steps */
}

/* --- running ------------------------------------------------------------------------------ */

static uint32_t out_buf[2][64];

static void boot(pgv_state *s, uint32_t *mem, const prog *p, uint32_t which_out)
{
    memcpy(mem, p->mem, sizeof p->mem);
    pgv_init(s, mem, GUEST_Q, PGV_PROFILE_PG, 0);
    s->out = out_buf[which_out];
    s->out_cap = 64;
}

static uint32_t native_mem[GUEST_Q], guest_mem[GUEST_Q];
static uint32_t *real_mem;
static uint64_t real_q;

/* Native run in the conditions a VMM gives a guest: real user mode, a running timer,
 * IE = 1 (the step then pays the privilege check and the tick, §5.4, §8.1). */
static int user_timer;

/* Native: seconds for `budget` steps. */
static double native_once(const prog *p, uint64_t budget, pgv_state *fin)
{
    pgv_state s;
    boot(&s, native_mem, p, 0);
    if (user_timer) {
        s.mode = PGV_MODE_USER;
        s.timer = 0xFFFFFFFFu;
        s.ie = 1;
    }
    double t = now();
    pgv_run(&s, budget, 0, NULL);
    t = now() - t;
    if (fin)
        *fin = s;
    return t;
}

/* Steps such that a native run of p takes about `secs`. */
static uint64_t calibrate(const prog *p, double secs)
{
    uint64_t b = 1000000;
    for (;;) {
        double t = native_once(p, b, NULL);
        if (t > 0.05 || b > (1ull << 40))
            return (uint64_t)((double)b * secs / (t > 0 ? t : 1e-9)) + 1;
        b *= 4;
    }
}

typedef struct stat5 {
    double best, median;
} stat5;

static stat5 summarize(double *t)
{
    qsort(t, RUNS, sizeof t[0], cmp_double);
    return (stat5){ t[0], t[RUNS / 2] };
}

/* Virtualized: seconds for `budget` guest steps; rep and the final state out. */
static double vmm_once(const prog *p, const pgv_vmm_config *cfg, uint64_t budget,
                       pgv_vmm_report *rep, pgv_state *fin, int *err)
{
    pgv_state g;
    boot(&g, guest_mem, p, 1);
    uint64_t need = pgv_vmm_storage_words(cfg, GUEST_Q);
    if (need > real_q) {
        free(real_mem);
        real_q = need;
        real_mem = calloc(real_q, sizeof *real_mem);
        if (!real_mem) {
            fprintf(stderr, "bench: out of memory\n");
            exit(2);
        }
    }
    pgv_state *gs[1] = { &g };
    double t = now();
    int rc = pgv_vmm_run(cfg, gs, budget, real_mem, real_q, rep);
    t = now() - t;
    if (rc != 0)
        *err = 1;
    if (fin)
        *fin = g;
    return t;
}

static const char *mark(int miss)
{
    return miss ? "  MISS" : "";
}

/* --- 1. native speed -------------------------------------------------------------------- */

/* The plain native run and the same run in a VMM guest's conditions (real user mode,
 * timer running), interleaved so that the two rows see the same noise. */
static void bench_native(const prog *p)
{
    uint64_t budget = calibrate(p, min_secs * 1.1);
    double t[2][RUNS];
    for (int i = 0; i < RUNS; i++)
        for (int u = 0; u < 2; u++) {
            user_timer = u;
            t[u][i] = native_once(p, budget, NULL);
        }
    user_timer = 0;
    for (int u = 0; u < 2; u++) {
        stat5 s = summarize(t[u]);
        double best = (double)budget / s.best / 1e6, med = (double)budget / s.median / 1e6;
        char label[64];
        snprintf(label, sizeof label, "%s%s", p->name, u ? ", M=u + timer on" : "");
        printf("  %-34s %5.0f M/s best %5.0f M/s median  (%llu steps/run)%s\n", label, best, med,
               (unsigned long long)budget, u ? "" : mark(best < 400));
    }
}

/* --- 2./3. VMM ratios ------------------------------------------------------------------- */

typedef struct ratio_row {
    const char *label;
    const prog *p;
    pgv_vmm_config cfg;
    double target;        /* 0: none                */
    int round_trip;       /* print the trap cost    */
} ratio_row;

static double direct_fraction(const pgv_vmm_counters *c)
{
    double all = (double)(c->direct + c->emulated + c->interpreted + c->reflected);
    return all > 0 ? (double)c->direct / all : 0;
}

static uint64_t exits_of(const pgv_vmm_counters *c)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < PGV_NCAUSES; i++)
        n += c->exits[i];
    return n;
}

static void bench_ratio(const ratio_row *row)
{
    uint64_t budget = calibrate(row->p, ratio_secs);
    double tn[RUNS], tv[RUNS];
    pgv_vmm_report *rep = calloc(1, sizeof *rep);
    pgv_state nf, vf;
    int err = 0;
    for (int i = 0; i < RUNS; i++) {     /* interleaved, so that noise hits both alike */
        tn[i] = native_once(row->p, budget, &nf);
        tv[i] = vmm_once(row->p, &row->cfg, budget, rep, &vf, &err);
        if (err)
            break;
    }
    if (err) {
        printf("  %-34s  n/a: pgv_vmm_run failed: %s\n", row->label, rep->rc_first);
        free(rep);
        return;
    }
    /* same budget, same program: the final states must be equal (equivalence) */
    vf.mem = guest_mem;
    nf.mem = native_mem;
    pgv_state a = nf, b = vf;
    a.out = out_buf[0];
    b.out = out_buf[1];
    size_t mism = pgv_compare(&a, &b, NULL, 0);
    stat5 n = summarize(tn), v = summarize(tv);
    double rb = v.best / n.best, rm = v.median / n.median;
    int miss = row->target > 0 && rb > row->target;
    const pgv_vmm_counters *c = &rep->total;
    printf("  %-34s %6.3f %6.3f  %-7s %7.3f%%  %10llu%s%s\n", row->label, rb, rm,
           row->target > 0 ? (row->target < 1.1 ? "<=1.05" : "<=1.5") : "-",
           100.0 * direct_fraction(c), (unsigned long long)exits_of(c), mark(miss),
           mism ? "  NOT EQUIVALENT" : "");
    if (rep->levels > 1) {
        printf("  %-34s", "    per level (0 = real) direct%:");
        for (uint32_t j = 0; j < rep->levels; j++)
            printf(" L%u %.3f%%", j, 100.0 * direct_fraction(&rep->level[j]));
        printf("\n");
    }
    if (row->round_trip) {
        uint64_t ex = exits_of(c);
        double per_insn = n.best / (double)budget;
        double extra = v.best - n.best;
        if (ex > 0 && per_insn > 0)
            printf("  %-34s %.0f guest-instruction times (%.1f ns per exit, %.2f ns per "
                   "native instruction)\n", "  trap round trip (exit+emulate+entry):",
                   extra / (double)ex / per_insn, 1e9 * extra / (double)ex, 1e9 * per_insn);
    }
    free(rep);
}

/* --- 4. pgv_diff_run ---------------------------------------------------------------------- */

static void bench_diff(const prog *p)
{
    pgv_diff_ws *ws = pgv_diff_ws_new();
    pgv_diff_result *r = calloc(1, sizeof *r);
    if (!ws || !r) {
        printf("  pgv_diff_run: n/a (no workspace)\n");
        free(r);
        pgv_diff_ws_free(ws);
        return;
    }
    static uint32_t mem[GUEST_Q];
    pgv_state s;
    boot(&s, mem, p, 0);
    pgv_diff_case c = { .cfg = { .profile = PGV_PROFILE_PG, .hybrid = 0, .depth = 1, .vms = 1 },
                        .budget = 100000, .init = &s };
    if (pgv_diff_run(ws, &c, r) != 0) {
        printf("  pgv_diff_run: n/a (it returned an error)\n");
        free(r);
        pgv_diff_ws_free(ws);
        return;
    }
    uint64_t steps = pgv_diff_native(ws)->steps;
    int eq = r->equivalent;
    /* iterations per run: about ratio_secs */
    uint64_t iters = 16;
    for (;;) {
        double t = now();
        for (uint64_t i = 0; i < iters; i++)
            pgv_diff_run(ws, &c, r);
        t = now() - t;
        if (t > 0.05) {
            iters = (uint64_t)((double)iters * ratio_secs / t) + 1;
            break;
        }
        iters *= 4;
    }
    double tt[RUNS];
    for (int k = 0; k < RUNS; k++) {
        double t = now();
        for (uint64_t i = 0; i < iters; i++)
            pgv_diff_run(ws, &c, r);
        tt[k] = (now() - t) / (double)iters;
    }
    stat5 st = summarize(tt);
    printf("  %-34s %5.1f us/check best %5.1f us median, %.0f checks/s\n"
           "  %-34s (%llu steps, q = %u, %s; target well under 1000 us)%s\n", "pgv_diff_run", st.best * 1e6, st.median * 1e6,
           1.0 / st.best, "", (unsigned long long)steps, GUEST_Q,
           eq ? "equivalent" : "NOT EQUIVALENT", mark(st.best > 1e-3));
    free(r);
    pgv_diff_ws_free(ws);
}

int main(void)
{
    const char *quick = getenv("BENCH_QUICK");
    if (quick && *quick && strcmp(quick, "0") != 0) {
        min_secs /= 10;
        ratio_secs /= 10;
    }
    static prog compute, ldst, s0, s1000, s100, s10, thousand;
    make_compute(&compute);
    make_loadstore(&ldst);
    make_sensitive(&s0, 0, "innocuous only");
    make_sensitive(&s1000, 1000, "1 sensitive / 1000");
    make_sensitive(&s100, 100, "1 sensitive / 100");
    make_sensitive(&s10, 10, "1 sensitive / 10");
    make_thousand(&thousand);

    printf("pgv bench — best and median of %d runs (thread CPU time: waiting for a CPU does not\n"
           "count; cache and SMT contention from other processes still do)\n\n", RUNS);
    printf("1. native reference machine (pgv_run), guest M instructions/s (target >= 400 M/s;\n"
           "   the M=u rows: the conditions a VMM runs a guest in, for reference)\n");
    bench_native(&compute);
    bench_native(&ldst);

    const pgv_vmm_config vmm = { .profile = PGV_PROFILE_PG, .hybrid = 0, .depth = 1, .vms = 1 };
    pgv_vmm_config hyb = vmm, d2 = vmm, d3 = vmm, big = vmm;
    hyb.hybrid = 1;
    big.slice = 1000000;
    d2.depth = 2;
    d3.depth = 3;
    const ratio_row rows[] = {
        { "VMM   innocuous only", &s0, vmm, 1.05, 0 },
        { "VMM   innocuous only, slice 10^6", &s0, big, 0, 0 },
        { "VMM   1 sensitive / 1000 (RDTMR)", &s1000, vmm, 0, 0 },
        { "VMM   1 sensitive / 100", &s100, vmm, 0, 0 },
        { "VMM   1 sensitive / 10", &s10, vmm, 1.5, 1 },
        { "hybrid supervisor-heavy (1/100)", &s100, hyb, 0, 0 },
        { "depth 2  innocuous only", &s0, d2, 0, 0 },
        { "depth 2  1 sensitive / 100", &s100, d2, 0, 0 },
        { "depth 3  innocuous only", &s0, d3, 0, 0 },
        { "depth 3  1 sensitive / 100", &s100, d3, 0, 0 },
    };
    printf("\n2./3. virtualized / native time (profile pg, guest in virtual supervisor mode, "
           "default slice %u)\n", PGV_VMM_SLICE);
    printf("  %-34s %6s %6s  %-7s %8s  %10s\n", "workload", "best", "median", "target",
           "direct", "VMM exits");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        bench_ratio(&rows[i]);

    printf("\n4. equivalence checker (native run + VMM run + comparison)\n");
    bench_diff(&thousand);
    free(real_mem);
    return 0;
}
