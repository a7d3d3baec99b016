/* fuzz/harness.c — the differential fuzzing harness of pgv: one entry point, four users.
 *
 * PROPERTY UNDER TEST: for every input, the virtualized run of the decoded test equals
 * the native run in every guest-visible state component and resource control holds.
 * Precisely: the byte string is carved into a test (fuzz/input.h: storage with a trap
 * handler and a program, an initial PSW, registers, timer, tape, a VMM configuration and
 * a step budget); pgv_diff_run (vmm/diff.h, THE oracle, which compares with pgv_compare)
 * runs it natively and under the VMM; any VM whose final state differs from the native
 * one in any component (registers, P, R, M, IE, flags, cause, timer, TP, halted, steps,
 * storage, input position, output) or any resource-control violation is a failure,
 * reported with both states side by side and the differing fields marked, then abort().
 *
 * pgv_fuzz_one is used by: AFL++ persistent mode with shared-memory test cases
 * (PGV_FUZZ_AFL_MAIN, built with afl-clang-fast), libFuzzer (PGV_FUZZ_LIBFUZZER,
 * LLVMFuzzerTestOneInput), the plain-cc driver fuzz/driver.c, and `pgv replay`
 * (tools/cmd_replay.c).  Every iteration rebuilds the whole test from the bytes (stability
 * 100 %); the storage and the diff workspace are static and reused (no allocation per
 * iteration).
 */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "../model/optab.h"
#include "../tools/image.h"
#include "../tools/print.h"

static struct {
    int configured;
    pgv_fuzz_opts opts;
    pgv_diff_ws *ws;
    pgv_fuzz_input in;
    pgv_fuzz_test t;
    pgv_state init;
    pgv_diff_case c;
    pgv_diff_result res;
    pgv_diff_result first;
    int rejected;
    uint32_t mem[PGV_FUZZ_MAX_Q];
    uint32_t out[PGV_FUZZ_OUT_CAP];
    uint32_t scratch_mem[PGV_FUZZ_MAX_Q];
    uint32_t scratch_out[PGV_FUZZ_OUT_CAP];
} H;

int pgv_fuzz_configure(const pgv_fuzz_opts *o)
{
    if (o) {
        H.opts = *o;
    } else {
        char err[200];
        pgv_fuzz_opts_default(&H.opts);
        if (pgv_fuzz_opts_env(&H.opts, err, sizeof err) != 0) {
            fprintf(stderr, "pgv fuzz: %s\n", err);
            return 2;
        }
    }
    if (H.ws == 0) {
        H.ws = pgv_diff_ws_new();
        if (H.ws == 0) {
            fprintf(stderr, "pgv fuzz: cannot allocate the diff workspace\n");
            return 2;
        }
        /* Warm-up: one test of the largest shape the format can produce (q, VMs, depth),
         * so the workspace reaches its final size now and no later iteration allocates
         * (and AFL++ sees the same code paths for the same input: stability 100 %). */
        memset(&H.in, 0, sizeof H.in);
        H.in.nprog = PGV_FUZZ_MAX_PROG;
        H.in.sizes = 0xF0u;
        H.in.cfg = (uint8_t)(3u << 3 | 7u << 5);
        pgv_fuzz_resolve(&H.in, 0, &H.t);
        H.t.budget = 1;
        pgv_fuzz_build(&H.in, &H.t, H.mem, H.out, &H.init);
        H.c.cfg.profile = H.t.profile;
        H.c.cfg.hybrid = H.t.hybrid;
        H.c.cfg.depth = PGV_VMM_MAX_DEPTH;
        H.c.cfg.vms = PGV_VMM_MAX_VMS;
        H.c.cfg.slice = 0;
        H.c.budget = 1;
        H.c.init = &H.init;
        if (pgv_diff_run(H.ws, &H.c, &H.res) != 0) {
            fprintf(stderr, "pgv fuzz: warm-up test refused: %s\n", H.res.rep.rc_first);
            return 2;
        }
    }
    H.configured = 1;
    return 0;
}

const pgv_fuzz_opts *pgv_fuzz_options(void) { return &H.opts; }
const pgv_fuzz_input *pgv_fuzz_last_input(void) { return &H.in; }
const pgv_fuzz_test *pgv_fuzz_last_test(void) { return &H.t; }
const pgv_state *pgv_fuzz_last_init(void) { return &H.init; }
const pgv_diff_result *pgv_fuzz_last_result(void) { return &H.res; }
int pgv_fuzz_last_rejected(void) { return H.rejected; }
uint64_t pgv_fuzz_last_steps(void)
{
    const pgv_state *n = H.rejected || !H.ws ? 0 : pgv_diff_native(H.ws);
    return n ? n->steps : 0;
}

void pgv_fuzz_describe(FILE *f, const pgv_fuzz_test *t)
{
    fprintf(f, "profile %s, %s VMM, depth %u, %u VM%s, budget %llu, q %u, slice %u",
            pgv_profile_name(t->profile), t->hybrid ? "hybrid" : "plain", t->depth, t->vms,
            t->vms == 1 ? "" : "s", (unsigned long long)t->budget, t->q, t->slice);
}

static void print_test(FILE *f)
{
    const pgv_fuzz_test *t = &H.t;
    char buf[96];
    fprintf(f, "test: ");
    pgv_fuzz_describe(f, t);
    fprintf(f, "\nstart: P=%u M=%s IE=%u flags=%u T=%u TP=%u R=(l=0x%08x, b=0x%08x) tape=%u words%s\n",
            t->pc, t->mode ? "u" : "s", t->ie, t->flags, t->timer, t->tp, t->l, t->b, t->ntape,
            t->image ? " (image mode)" : t->legalize ? "" : " (raw words)");
    fprintf(f, "registers:");
    for (unsigned i = 0; i < PGV_NREGS; i++)
        fprintf(f, " r%u=0x%08x", i, H.init.r[i]);
    fprintf(f, "\nnew PSW: status=0x%x P=%u l=%u b=%u\n", H.mem[PGV_NEW_PSW], H.mem[PGV_NEW_PSW + 1],
            H.mem[PGV_NEW_PSW + 2], H.mem[PGV_NEW_PSW + 3]);
    if (!t->image) {
        fprintf(f, "trap handler (%s):\n", (H.in.handler & PGV_FUZZ_H_CUSTOM) ? "from input" : "generated");
        uint32_t hl = PGV_FUZZ_MAX_HANDLER;
        while (hl > 0 && H.mem[PGV_FUZZ_HANDLER + hl - 1] == 0)
            hl--;
        for (uint32_t a = PGV_FUZZ_HANDLER; a < PGV_FUZZ_HANDLER + hl; a++) {
            pgv_disasm_word(H.mem[a], a, buf, sizeof buf);
            fprintf(f, "  %5u  %08x  %s\n", a, H.mem[a], buf);
        }
    }
    fprintf(f, "%s (%u words at %u):\n", t->image ? "storage image" : "program", t->nprog, t->origin);
    for (uint32_t i = 0; i < t->nprog; i++) {
        uint32_t a = t->origin + i;
        pgv_disasm_word(H.mem[a], a, buf, sizeof buf);
        fprintf(f, "  %5u  %08x  %s\n", a, H.mem[a], buf);
    }
}

static void print_divergence(FILE *f, const pgv_diff_result *r, const char *what)
{
    char title[64];
    fprintf(f, "pgv fuzz: %s: ", what);
    pgv_fuzz_describe(f, &H.t);
    fprintf(f, "\n");
    if (!r->rc_ok)
        fprintf(f, "resource control VIOLATED (%u checks failed): %s\n", r->rep.rc_violations,
                r->rep.rc_first);
    if (!r->equivalent) {
        fprintf(f, "VM %u differs from the native run in %zu item%s (native stop: %s, VM stop: %s)\n",
                r->vm, r->nmismatch, r->nmismatch == 1 ? "" : "s", pgv_stop_name(r->native_stop),
                pgv_stop_name(r->rep.stop[r->vm < PGV_VMM_MAX_VMS ? r->vm : 0]));
        snprintf(title, sizeof title, "virtual (VM %u)", r->vm);
        size_t n = r->nmismatch < PGV_DIFF_MAX_MISMATCH ? r->nmismatch : PGV_DIFF_MAX_MISMATCH;
        pgv_print_side_by_side(f, "native", pgv_diff_native(H.ws), title,
                               pgv_diff_virtual(H.ws, r->vm), r->mm, n);
    }
}

/* The native event at step `k` (1-based) of the last test, as a short string. */
static void native_event_at(uint64_t k, char *buf, size_t n)
{
    pgv_state s = H.init;
    memcpy(H.scratch_mem, H.mem, (size_t)H.t.q * sizeof(uint32_t));
    memcpy(H.scratch_out, H.out, sizeof H.scratch_out);
    s.mem = H.scratch_mem;
    s.out = H.scratch_out;
    if (k > 1)
        pgv_run(&s, k - 1, 0, 0);
    const char *mode = s.mode == PGV_MODE_USER ? "u" : "s";
    uint32_t pa;
    if (s.halted) {
        snprintf(buf, n, "idle");
    } else if (s.tp && s.ie) {
        snprintf(buf, n, "trap TIMER@%s", mode);
    } else if (!pgv_translate(s.l, s.b, s.q, s.pc, &pa)) {
        snprintf(buf, n, "trap BOUNDS(fetch)@%s", mode);
    } else {
        pgv_insn ins;
        uint32_t w = s.mem[pa];
        if (!pgv_decode(w, &ins)) {
            snprintf(buf, n, "trap ILLEGAL@%s", mode);
        } else {
            pgv_event ev = pgv_step(&s);
            const char *name = pgv_optab[ins.opc].name;
            if (ev == PGV_EV_TRAP)
                snprintf(buf, n, "%s trap %s@%s", name, pgv_cause_name(s.mem[0] >> 8 & 0xFFu), mode);
            else
                snprintf(buf, n, "%s@%s", name, mode);
        }
    }
}

int pgv_fuzz_signature(char *buf, size_t n)
{
    uint64_t step = 0;
    size_t o;
    int rc = pgv_diff_first_divergence(H.ws, &H.c, &step, &H.first);
    o = (size_t)snprintf(buf, n, "%s/%s/d%u/v%u: ", pgv_profile_name(H.t.profile),
                         H.t.hybrid ? "hybrid" : "plain", H.t.depth, H.t.vms);
    if (o >= n)
        return 0;
    if (rc != 0) {
        if (H.res.rc_ok)
            return -1;
        /* resource control only: the rc message up to its first ':' */
        const char *m = H.res.rep.rc_first;
        size_t len = strcspn(m, ":0123456789");
        snprintf(buf + o, n - o, "rc %.*s", (int)len, m);
        return 0;
    }
    char ev[64];
    native_event_at(step, ev, sizeof ev);
    o += (size_t)snprintf(buf + o, n - o, "%s:", ev);
    size_t k = H.first.nmismatch < PGV_DIFF_MAX_MISMATCH ? H.first.nmismatch : PGV_DIFF_MAX_MISMATCH;
    for (size_t i = 0; i < k && o < n; i++) {
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            if (strcmp(H.first.mm[j].field, H.first.mm[i].field) == 0)
                dup = 1;
        if (!dup)
            o += (size_t)snprintf(buf + o, n - o, " %s", H.first.mm[i].field);
    }
    return 0;
}

int pgv_fuzz_one(const uint8_t *data, size_t size, FILE *report)
{
    if (!H.configured && pgv_fuzz_configure(0) != 0)
        return PGV_FUZZ_ERROR;
    if (pgv_fuzz_parse(data, size, &H.in) != 0) {
        H.rejected = 1;
        if (H.opts.verbose && report)
            fprintf(report, "input rejected: %zu bytes, shorter than the %u-byte header\n", size,
                    PGV_FUZZ_HEADER);
        return PGV_FUZZ_OK;
    }
    H.rejected = 0;
    pgv_fuzz_resolve(&H.in, &H.opts, &H.t);
    pgv_fuzz_build(&H.in, &H.t, H.mem, H.out, &H.init);
    H.c.cfg.profile = H.t.profile;
    H.c.cfg.hybrid = H.t.hybrid;
    H.c.cfg.depth = H.t.depth;
    H.c.cfg.vms = H.t.vms;
    H.c.cfg.slice = H.t.slice;
    H.c.budget = H.t.budget;
    H.c.init = &H.init;
    if (H.opts.verbose && report)
        print_test(report);
    int rc = pgv_diff_run(H.ws, &H.c, &H.res);
    if (rc != 0) {
        if (report) {
            fprintf(report, "pgv fuzz: the checker refused the test (%d): %s\n  ", rc,
                    H.res.rep.rc_first);
            pgv_fuzz_describe(report, &H.t);
            fprintf(report, "\n");
        }
        return PGV_FUZZ_ERROR;
    }
    if (H.res.equivalent && H.res.rc_ok) {
        if (H.opts.verbose && report) {
            fprintf(report, "EQUIVALENT: every VM's final state equals the native final state"
                            " (native stop: %s, %llu steps); resource control held\n",
                    pgv_stop_name(H.res.native_stop),
                    (unsigned long long)pgv_diff_native(H.ws)->steps);
        }
        return PGV_FUZZ_OK;
    }
    if (report) {
        print_divergence(report, &H.res, H.res.equivalent ? "RESOURCE-CONTROL VIOLATION"
                                                          : "DIVERGENCE");
        if (H.opts.verbose && !H.res.equivalent) {
            uint64_t step = 0;
            if (pgv_diff_first_divergence(H.ws, &H.c, &step, &H.first) == 0) {
                char ev[64];
                native_event_at(step, ev, sizeof ev);
                fprintf(report, "\nfirst divergence at step %llu (native: %s); states after that step:\n",
                        (unsigned long long)step, ev);
                char title[64];
                snprintf(title, sizeof title, "virtual (VM %u)", H.first.vm);
                size_t k = H.first.nmismatch < PGV_DIFF_MAX_MISMATCH ? H.first.nmismatch
                                                                     : PGV_DIFF_MAX_MISMATCH;
                pgv_print_side_by_side(report, "native", pgv_diff_native(H.ws), title,
                                       pgv_diff_virtual(H.ws, H.first.vm), H.first.mm, k);
            }
        }
        fflush(report);
    }
    return PGV_FUZZ_DIVERGE;
}

/* ---- Entry points ------------------------------------------------------------------ */

#if defined(PGV_FUZZ_AFL_MAIN) && defined(__AFL_FUZZ_TESTCASE_LEN)
/* AFL++ persistent mode, test cases in shared memory (afl-clang-fast).  Outside afl-fuzz
 * the macros read one test case from stdin. */
#include <unistd.h>
__AFL_FUZZ_INIT();
int main(void)
{
    if (pgv_fuzz_configure(0) != 0)
        return 2;
#ifdef __AFL_HAVE_MANUAL_CONTROL
    __AFL_INIT();
#endif
    const unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(100000)) {
        size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
        if (pgv_fuzz_one(buf, len, stderr) != PGV_FUZZ_OK)
            abort();
    }
    return 0;
}
#endif

#if defined(PGV_FUZZ_LIBFUZZER)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (pgv_fuzz_one(data, size, stderr) != PGV_FUZZ_OK)
        abort();
    return 0;
}
#endif
