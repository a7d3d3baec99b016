/* tools/cmd_diff.c — `pgv diff`: native run vs virtualized run, first divergent step (spec/VMM.md §12).
 *
 * Loads a program (FILE.s or an image) and boots the native machine of ISA manual §8
 * with the shared CLI options (tools/cli.h), then asks the equivalence checker
 * (vmm/diff.h) to run it natively and under the VMM configuration (--hybrid, --depth,
 * --vms, --slice) with the same budget and to compare every VM's final virtual state
 * with the native one (pgv_compare, §8.4).  It prints the verdict, the efficiency
 * counters and resource control; on divergence it bisects the budget to the first
 * divergent step and shows the instruction executed at that step (address,
 * disassembly, what it did natively) and both states after it side by side with the
 * differing fields marked.  --json prints one JSON object instead.
 * Exit status: 0 equivalent, 1 divergent or resource control violated, 2 usage/input.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "cli.h"
#include "image.h"
#include "print.h"
#include "../vmm/diff.h"

static void help(FILE *f)
{
    fprintf(f, "usage: pgv diff FILE.s|FILE.img [options]\n\n"
               "Run the program natively (ISA §8) and virtualized under the VMM with the same\n"
               "budget, from the same initial state, and compare every VM's final virtual\n"
               "state with the native final state (registers, PSW, R, timer, TP, halted,\n"
               "steps, all storage, I/O).  On divergence, find the first divergent step by\n"
               "bisection and show that instruction and both states after it.\n\n"
               "options:\n");
    pgv_cli_help_common(f, PGV_CLI_NATIVE);
    fprintf(f, "  --hybrid       hybrid VMM: interpret virtual supervisor mode (Theorem 3)\n"
               "  --depth N      N stacked VMMs, 1..%u (default 1; Theorem 2)\n"
               "  --vms K        K VMs, each from the same initial state, 1..%u (default 1)\n"
               "  --slice N      scheduling quantum in guest steps (default %u)\n"
               "  -h, --help     this help\n\n"
               "exit status: 0 equivalent, 1 divergent or resource control violated,\n"
               "             2 usage or input error\n",
            PGV_VMM_MAX_DEPTH, PGV_VMM_MAX_VMS, PGV_VMM_SLICE);
}

/* The instruction executed at 1-based step `step` of the native run of init. */
typedef struct step_info {
    int valid;          /* the step exists (step >= 1)                               */
    uint32_t pc, abs;   /* P and its absolute address                                */
    int fetched;        /* P translated (else the step is a fetch BOUNDS trap)       */
    int timer;          /* the step is the TIMER trap (TP && IE at its start)        */
    uint32_t word;
    char text[80];
    pgv_event ev;       /* what the step did natively                                */
    uint32_t cause;     /* its trap cause, if ev == PGV_EV_TRAP                      */
} step_info;

static int native_step_info(const pgv_state *init, uint64_t step, step_info *si)
{
    memset(si, 0, sizeof *si);
    if (step == 0)
        return 0;
    pgv_state s = *init;
    s.mem = malloc((size_t)init->q * sizeof(uint32_t));
    if (!s.mem)
        return -1;
    memcpy(s.mem, init->mem, (size_t)init->q * sizeof(uint32_t));
    s.out = 0;                    /* output words are not needed to find the step */
    s.out_cap = 0;
    pgv_run(&s, step - 1, 0, 0);
    si->valid = 1;
    si->pc = s.pc;
    si->timer = s.tp && s.ie;
    si->fetched = pgv_translate(s.l, s.b, s.q, s.pc, &si->abs);
    if (si->fetched) {
        si->word = s.mem[si->abs];
        pgv_disasm_word(si->word, s.pc, si->text, sizeof si->text);
    } else {
        snprintf(si->text, sizeof si->text, "(P outside R: fetch BOUNDS)");
    }
    si->ev = pgv_step(&s);
    if (si->ev == PGV_EV_TRAP)
        si->cause = (s.mem[PGV_OLD_PSW] >> PGV_ST_CAUSE_SH) & PGV_ST_CAUSE_MASK;
    free(s.mem);
    return 0;
}

static void counters_text(FILE *f, const char *title, const pgv_vmm_counters *c)
{
    uint64_t steps = c->direct + c->emulated + c->interpreted + c->reflected;
    fprintf(f, "  %s: %" PRIu64 " guest steps: direct %" PRIu64, title, steps, c->direct);
    if (steps)
        fprintf(f, " (%.1f%%)", 100.0 * (double)c->direct / (double)steps);
    fprintf(f, ", emulated %" PRIu64 ", interpreted %" PRIu64 ", reflected %" PRIu64 "\n",
            c->emulated, c->interpreted, c->reflected);
    fprintf(f, "    exits:");
    for (uint32_t k = 1; k < PGV_NCAUSES; k++)
        fprintf(f, " %s %" PRIu64, pgv_cause_name(k), c->exits[k]);
    fprintf(f, "; entries %" PRIu64 ", preemptions %" PRIu64 "\n", c->entries, c->preemptions);
}

static void counters_json(FILE *f, const pgv_vmm_counters *c)
{
    uint64_t steps = c->direct + c->emulated + c->interpreted + c->reflected;
    fprintf(f, "{\"guest_steps\":%" PRIu64 ",\"direct\":%" PRIu64 ",\"emulated\":%" PRIu64
               ",\"interpreted\":%" PRIu64 ",\"reflected\":%" PRIu64 ",\"exits\":{",
            steps, c->direct, c->emulated, c->interpreted, c->reflected);
    for (uint32_t k = 1; k < PGV_NCAUSES; k++)
        fprintf(f, "%s\"%s\":%" PRIu64, k > 1 ? "," : "", pgv_cause_name(k), c->exits[k]);
    fprintf(f, "},\"entries\":%" PRIu64 ",\"preemptions\":%" PRIu64 ",\"direct_fraction\":%.6f}",
            c->entries, c->preemptions, steps ? (double)c->direct / (double)steps : 0.0);
}

static void mismatches_json(FILE *f, const pgv_mismatch *mm, size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s{\"field\":\"%s\",\"index\":%u,\"native\":%" PRIu64 ",\"vmm\":%" PRIu64 "}",
                i ? "," : "", mm[i].field, mm[i].index, mm[i].a, mm[i].b);
    fputc(']', f);
}

static const char *verdict_of(const pgv_diff_result *r)
{
    return !r->equivalent ? "divergent" : !r->rc_ok ? "resource-control-violated" : "equivalent";
}

static void step_text(const step_info *si, uint64_t step)
{
    printf("first divergent step: %" PRIu64 " (the runs agree after %" PRIu64 " steps, not after %"
           PRIu64 ")\n", step, step - 1, step);
    if (!si->valid)
        return;
    printf("  instruction at P 0x%08X", si->pc);
    if (si->fetched)
        printf(" (absolute 0x%08X): %08X  %s", si->abs, si->word, si->text);
    else
        printf(": %s", si->text);
    if (si->timer)
        printf("  [a pending timer interrupt is taken first]");
    printf("\n  native: ");
    if (si->ev == PGV_EV_TRAP)
        printf("trap %s\n", pgv_cause_name(si->cause));
    else
        printf("%s\n", pgv_event_name(si->ev));
}

static void step_json(const step_info *si, uint64_t step)
{
    printf("{\"step\":%" PRIu64, step);
    if (si->valid) {
        printf(",\"pc\":%u,\"fetched\":%s", si->pc, si->fetched ? "true" : "false");
        if (si->fetched)
            printf(",\"abs\":%u,\"word\":%u", si->abs, si->word);
        fputs(",\"insn\":", stdout);
        pgv_print_json_string(stdout, si->text);
        printf(",\"timer_first\":%s,\"native_event\":\"%s\"", si->timer ? "true" : "false",
               si->ev == PGV_EV_TRAP ? pgv_cause_name(si->cause) : pgv_event_name(si->ev));
    }
    fputc('}', stdout);
}

int cmd_diff(int argc, char **argv)
{
    pgv_cli_opts o;
    pgv_cli_defaults(&o);
    pgv_vmm_config cfg = { PGV_PROFILE_PG, 0, 1, 1, 0 };
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (pgv_cli_is_help(argv[i])) {
            help(stdout);
            return 0;
        }
        int r = pgv_cli_common("diff", argc, argv, &i, PGV_CLI_NATIVE, &o);
        if (r == 1)
            continue;
        if (r == 2)
            return 2;
        if (strcmp(argv[i], "--hybrid") == 0) {
            cfg.hybrid = 1;
            continue;
        }
        static const struct { const char *name; uint64_t min, max; } num[] = {
            { "--vms", 1, PGV_VMM_MAX_VMS }, { "--depth", 1, PGV_VMM_MAX_DEPTH },
            { "--slice", 0, UINT32_MAX },
        };
        int matched = 0;
        for (unsigned j = 0; j < sizeof num / sizeof num[0] && !matched; j++) {
            int bad;
            const char *val = pgv_cli_value("diff", argc, argv, &i, num[j].name, &bad);
            if (bad)
                return 2;
            if (!val)
                continue;
            uint64_t x;
            if (pgv_cli_parse_u64(val, num[j].max, &x) || x < num[j].min) {
                fprintf(stderr, "pgv diff: bad number '%s' for %s (expected %" PRIu64 "..%" PRIu64
                                ")\n", val, num[j].name, num[j].min, num[j].max);
                return 2;
            }
            if (j == 0)
                cfg.vms = (uint32_t)x;
            else if (j == 1)
                cfg.depth = (uint32_t)x;
            else
                cfg.slice = (uint32_t)x;
            matched = 1;
        }
        if (matched)
            continue;
        if (argv[i][0] == '-' || file)
            return pgv_cli_unknown("diff", argv[i]);
        file = argv[i];
    }
    if (!file) {
        fprintf(stderr, "pgv diff: missing program file (usage: pgv diff FILE.s|FILE.img [options])\n");
        return 2;
    }
    cfg.profile = o.profile;
    char err[1024];
    if (pgv_vmm_config_check(&cfg, err, sizeof err)) {
        fprintf(stderr, "pgv diff: %s\n", err);
        return 2;
    }
    pgv_cli_machine m;
    if (pgv_cli_machine_load(&m, file, &o, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    int rc = 2;
    pgv_diff_ws *ws = pgv_diff_ws_new();
    pgv_diff_result *r = calloc(1, sizeof *r), *d = calloc(1, sizeof *d);
    if (!ws || !r || !d) {
        fprintf(stderr, "pgv diff: out of memory\n");
        goto done;
    }
    pgv_diff_case c = { cfg, o.budget, &m.s };
    if (pgv_diff_run(ws, &c, r) != 0) {
        fprintf(stderr, "pgv diff: cannot run the VMM: %s\n",
                r->rep.rc_first[0] ? r->rep.rc_first : "invalid input or out of memory");
        goto done;
    }
    /* what the full runs ended in, before bisection reuses the workspace */
    const uint64_t native_steps = pgv_diff_native(ws)->steps;
    uint64_t vm_steps[PGV_VMM_MAX_VMS];
    for (uint32_t k = 0; k < cfg.vms; k++)
        vm_steps[k] = pgv_diff_virtual(ws, k)->steps;
    uint64_t step = 0;
    step_info si;
    memset(&si, 0, sizeof si);
    int have_step = 0;
    if (!r->equivalent) {
        int b = pgv_diff_first_divergence(ws, &c, &step, d);
        if (b == 2) {
            fprintf(stderr, "pgv diff: bisection failed\n");
            goto done;
        }
        have_step = b == 0;
        if (have_step && native_step_info(&m.s, step, &si) != 0) {
            fprintf(stderr, "pgv diff: out of memory\n");
            goto done;
        }
    }
    if (o.json) {
        fputs("{\"program\":", stdout);
        pgv_print_json_string(stdout, file);
        printf(",\"profile\":\"%s\",\"vmm\":{\"hybrid\":%u,\"depth\":%u,\"vms\":%u,\"slice\":%u}"
               ",\"budget\":%" PRIu64 ",\"verdict\":\"%s\",\"equivalent\":%s,\"rc_ok\":%s"
               ",\"rc_violations\":%u,\"rc_first\":",
               pgv_profile_name(cfg.profile), cfg.hybrid, cfg.depth, cfg.vms,
               cfg.slice ? cfg.slice : PGV_VMM_SLICE, o.budget, verdict_of(r),
               r->equivalent ? "true" : "false", r->rc_ok ? "true" : "false",
               r->rep.rc_violations);
        pgv_print_json_string(stdout, r->rep.rc_first);
        printf(",\"native\":{\"stop\":\"%s\",\"steps\":%" PRIu64 "},\"vm\":[",
               pgv_stop_name(r->native_stop), native_steps);
        for (uint32_t k = 0; k < cfg.vms; k++) {
            printf("%s{\"stop\":\"%s\",\"steps\":%" PRIu64 ",\"counters\":", k ? "," : "",
                   pgv_stop_name(r->rep.stop[k]), vm_steps[k]);
            counters_json(stdout, &r->rep.vm[k]);
            fputc('}', stdout);
        }
        fputs("],\"first_divergent_step\":", stdout);
        if (have_step)
            printf("%" PRIu64, step);
        else
            fputs("null", stdout);
        size_t n = r->nmismatch < PGV_DIFF_MAX_MISMATCH ? r->nmismatch : PGV_DIFF_MAX_MISMATCH;
        printf(",\"divergent_vm\":");
        if (r->equivalent)
            fputs("null", stdout);
        else
            printf("%u", r->vm);
        printf(",\"nmismatch\":%zu,\"mismatches\":", r->equivalent ? (size_t)0 : r->nmismatch);
        mismatches_json(stdout, r->mm, r->equivalent ? 0 : n);
        fputs(",\"divergence\":", stdout);
        if (have_step) {
            size_t dn = d->nmismatch < PGV_DIFF_MAX_MISMATCH ? d->nmismatch : PGV_DIFF_MAX_MISMATCH;
            fputs("{\"at\":", stdout);
            step_json(&si, step);
            fputs(",\"mismatches\":", stdout);
            mismatches_json(stdout, d->mm, dn);
            fputs(",\"native\":", stdout);
            pgv_print_state_json(stdout, pgv_diff_native(ws));
            fputs(",\"vmm\":", stdout);
            pgv_print_state_json(stdout, pgv_diff_virtual(ws, d->vm));
            fputc('}', stdout);
        } else {
            fputs("null", stdout);
        }
        fputs(",\"counters\":{\"total\":", stdout);
        counters_json(stdout, &r->rep.total);
        fputs(",\"levels\":[", stdout);
        for (uint32_t j = 0; j < r->rep.levels; j++) {
            if (j)
                fputc(',', stdout);
            counters_json(stdout, &r->rep.level[j]);
        }
        fputs("]}}\n", stdout);
    } else {
        printf("pgv diff %s: profile %s, %s VMM, depth %u, %u VM%s, slice %u, budget %" PRIu64 "\n",
               file, pgv_profile_name(cfg.profile), cfg.hybrid ? "hybrid" : "trap-and-emulate",
               cfg.depth, cfg.vms, cfg.vms == 1 ? "" : "s", cfg.slice ? cfg.slice : PGV_VMM_SLICE,
               o.budget);
        printf("native: stopped by %s after %" PRIu64 " steps\n", pgv_stop_name(r->native_stop),
               native_steps);
        for (uint32_t k = 0; k < cfg.vms; k++)
            printf("VM %u:   stopped by %s after %" PRIu64 " steps\n", k,
                   pgv_stop_name(r->rep.stop[k]), vm_steps[k]);
        if (r->equivalent)
            printf("verdict: EQUIVALENT (every VM's final state equals the native final state)\n");
        else
            printf("verdict: DIVERGENT (VM %u differs from the native run in %zu item%s)\n", r->vm,
                   r->nmismatch, r->nmismatch == 1 ? "" : "s");
        if (r->rc_ok)
            printf("resource control: ok (no violation)\n");
        else
            printf("resource control: VIOLATED (%u violation%s; first: %s)\n",
                   r->rep.rc_violations, r->rep.rc_violations == 1 ? "" : "s", r->rep.rc_first);
        printf("efficiency:\n");
        char title[64];
        for (uint32_t k = 0; k < cfg.vms; k++) {
            snprintf(title, sizeof title, "VM %u", k);
            counters_text(stdout, title, &r->rep.vm[k]);
        }
        if (cfg.vms > 1)
            counters_text(stdout, "total", &r->rep.total);
        for (uint32_t j = 0; j + 1 < r->rep.levels; j++) {
            if (j == 0)
                snprintf(title, sizeof title, "VMM level 0 (on the real machine)");
            else
                snprintf(title, sizeof title, "VMM level %u (on VM 0 of level %u)", j, j - 1);
            counters_text(stdout, title, &r->rep.level[j]);
        }
        if (have_step) {
            step_text(&si, step);
            printf("states after step %" PRIu64 " (native | VM %u), differing fields marked '*':\n",
                   step, d->vm);
            char right[16];
            snprintf(right, sizeof right, "VM %u", d->vm);
            size_t dn = d->nmismatch < PGV_DIFF_MAX_MISMATCH ? d->nmismatch : PGV_DIFF_MAX_MISMATCH;
            pgv_print_side_by_side(stdout, "native", pgv_diff_native(ws), right,
                                   pgv_diff_virtual(ws, d->vm), d->mm, dn);
        } else if (!r->equivalent) {
            printf("first divergent step: none found (the states already differ before any step)\n");
        }
    }
    rc = r->equivalent && r->rc_ok ? 0 : 1;
done:
    free(r);
    free(d);
    pgv_diff_ws_free(ws);
    pgv_cli_machine_free(&m);
    return rc;
}
