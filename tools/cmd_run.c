/* tools/cmd_run.c — `pgv run`: run a program natively or under the VMM (ISA manual §8, §11).
 *
 * Native: the machine of §8 — supervisor mode, R = (0, q), P = the image's entry,
 * everything else zero — runs until HALT or the step budget (pgv_run, §8.2), or step
 * by step with --trace (one line per step, traps included).  With --vmm the same
 * initial state is given to pgv_vmm_run (vmm/vmm.h) as each VM's virtual machine, and
 * every VM's final virtual state is printed in the same format, followed by the
 * efficiency counters (steps executed directly / emulated / interpreted / reflected,
 * VM exits by cause) and the resource-control verdict (P&G's three properties).
 * Exit status: 0 ok, 1 resource control violated (--vmm), 2 usage or input error.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "cli.h"
#include "print.h"
#include "../vmm/vmm.h"

static void help(FILE *f)
{
    fprintf(f, "usage: pgv run FILE.s|FILE.img [options]\n\n"
               "Run a program on the reference machine (ISA §8: supervisor mode, R = (0, q),\n"
               "P = entry) until HALT or the budget, and print the final state: registers,\n"
               "PSW, R, timer, steps, the halt reason and the output words.\n\n"
               "options:\n");
    pgv_cli_help_common(f, PGV_CLI_NATIVE);
    fprintf(f, "  --trace        print one line per step (instruction, effect, traps); with\n"
               "                 --json the trace goes to stderr\n"
               "  --vmm          run virtualized under the trap-and-emulate VMM (vmm/vmm.h)\n"
               "  --vms K        with --vmm: K identical VMs, 1..%u (default 1)\n"
               "  --depth N      with --vmm: N stacked VMMs, 1..%u (default 1)\n"
               "  --hybrid       with --vmm: hybrid VMM (interprets virtual supervisor mode)\n"
               "  --slice N      with --vmm: scheduling quantum in guest steps (default %u)\n"
               "  -h, --help     this help\n\n"
               "exit status: 0 ok, 1 resource control violated (--vmm), 2 usage or input error\n",
            PGV_VMM_MAX_VMS, PGV_VMM_MAX_DEPTH, PGV_VMM_SLICE);
}

/* Native run, with or without a trace.  Returns the stop reason. */
static pgv_stop run_native(pgv_state *s, uint64_t budget, FILE *trace)
{
    if (!trace)
        return pgv_run(s, budget, 0, NULL);
    for (uint64_t n = 0; n < budget; n++) {
        if (s->halted)
            return PGV_STOP_HALT;
        pgv_state before = *s;
        pgv_event ev = pgv_step(s);
        pgv_print_trace_line(trace, &before, ev, s);
        if (ev == PGV_EV_HALT)
            return PGV_STOP_HALT;
    }
    return s->halted ? PGV_STOP_HALT : PGV_STOP_BUDGET;
}

static void counters_text(FILE *f, const char *title, const pgv_vmm_counters *c, uint64_t steps)
{
    fprintf(f, "  %s: %" PRIu64 " guest steps: direct %" PRIu64, title, steps, c->direct);
    if (steps)
        fprintf(f, " (%.1f%% executed directly)", 100.0 * (double)c->direct / (double)steps);
    fprintf(f, ", emulated %" PRIu64 ", interpreted %" PRIu64 ", reflected %" PRIu64 "\n",
            c->emulated, c->interpreted, c->reflected);
    fprintf(f, "    VM exits by cause:");
    for (uint32_t k = 1; k < PGV_NCAUSES; k++)
        fprintf(f, " %s %" PRIu64, pgv_cause_name(k), c->exits[k]);
    fprintf(f, "; entries %" PRIu64 ", preemptions %" PRIu64 "\n", c->entries, c->preemptions);
}

static void counters_json(FILE *f, const pgv_vmm_counters *c, uint64_t steps)
{
    fprintf(f, "{\"direct\":%" PRIu64 ",\"emulated\":%" PRIu64 ",\"interpreted\":%" PRIu64
               ",\"reflected\":%" PRIu64 ",\"exits\":{",
            c->direct, c->emulated, c->interpreted, c->reflected);
    for (uint32_t k = 1; k < PGV_NCAUSES; k++)
        fprintf(f, "%s\"%s\":%" PRIu64, k > 1 ? "," : "", pgv_cause_name(k), c->exits[k]);
    fprintf(f, "},\"entries\":%" PRIu64 ",\"preemptions\":%" PRIu64 ",\"direct_fraction\":%.6f}",
            c->entries, c->preemptions, steps ? (double)c->direct / (double)steps : 0.0);
}

typedef struct vmm_opts {
    int on, hybrid;
    uint64_t vms, depth, slice;
    const char *set;   /* the first VMM-only option given, for "needs --vmm"            */
} vmm_opts;

static int run_vmm(const char *file, pgv_cli_machine *m, const pgv_cli_opts *o,
                   const vmm_opts *v)
{
    pgv_vmm_config cfg = { o->profile, (uint32_t)v->hybrid, (uint32_t)v->depth,
                           (uint32_t)v->vms, (uint32_t)v->slice };
    char err[512];
    if (pgv_vmm_config_check(&cfg, err, sizeof err)) {
        fprintf(stderr, "pgv run: %s\n", err);
        return 2;
    }
    uint32_t q = m->s.q, k = cfg.vms;
    pgv_state st[PGV_VMM_MAX_VMS];
    pgv_state *guests[PGV_VMM_MAX_VMS];
    uint32_t *mem[PGV_VMM_MAX_VMS] = { 0 }, *out[PGV_VMM_MAX_VMS] = { 0 };
    uint64_t real_q = pgv_vmm_storage_words(&cfg, q);
    uint32_t *real = NULL;
    int rc = 2;
    if (real_q == 0 || real_q > SIZE_MAX / sizeof(uint32_t) / 2) {
        fprintf(stderr, "pgv run: the VMM needs %" PRIu64 " words of real storage: too many\n",
                real_q);
        return 2;
    }
    real = calloc((size_t)real_q, sizeof *real);
    if (!real)
        goto oom;
    for (uint32_t i = 0; i < k; i++) {
        mem[i] = malloc((size_t)q * sizeof *mem[i]);
        out[i] = malloc((o->out_cap ? (size_t)o->out_cap : 1u) * sizeof *out[i]);
        if (!mem[i] || !out[i])
            goto oom;
        memcpy(mem[i], m->s.mem, (size_t)q * sizeof *mem[i]);
        st[i] = m->s;          /* the native initial state of §8, own storage and output */
        st[i].mem = mem[i];
        st[i].out = out[i];
        guests[i] = &st[i];
    }
    pgv_vmm_report rep;
    memset(&rep, 0, sizeof rep);
    if (pgv_vmm_run(&cfg, guests, o->budget, real, real_q, &rep)) {
        fprintf(stderr, "pgv run: the VMM refused to run: %s\n",
                rep.rc_first[0] ? rep.rc_first : "(no reason given)");
        goto done;
    }
    uint64_t total_steps = 0;
    for (uint32_t i = 0; i < k; i++)
        total_steps += st[i].steps;
    if (o->json) {
        fputs("{\"program\":", stdout);
        pgv_print_json_string(stdout, file);
        printf(",\"profile\":\"%s\",\"vmm\":{\"hybrid\":%u,\"depth\":%u,\"vms\":%u,\"slice\":%u}"
               ",\"budget\":%" PRIu64 ",\"vm\":[",
               pgv_profile_name(o->profile), cfg.hybrid, cfg.depth, cfg.vms, cfg.slice, o->budget);
        for (uint32_t i = 0; i < k; i++) {
            printf("%s{\"stop\":\"%s\",\"state\":", i ? "," : "", pgv_stop_name(rep.stop[i]));
            pgv_print_state_json(stdout, &st[i]);
            fputs(",\"counters\":", stdout);
            counters_json(stdout, &rep.vm[i], st[i].steps);
            fputs("}", stdout);
        }
        fputs("],\"total\":", stdout);
        counters_json(stdout, &rep.total, total_steps);
        printf(",\"rc_violations\":%u,\"rc_first\":", rep.rc_violations);
        pgv_print_json_string(stdout, rep.rc_first);
        fputs("}\n", stdout);
    } else {
        printf("pgv run %s: profile %s, %s VMM, depth %u, %u VM%s, budget %" PRIu64 " guest steps\n",
               file, pgv_profile_name(o->profile), cfg.hybrid ? "hybrid" : "trap-and-emulate",
               cfg.depth, cfg.vms, cfg.vms == 1 ? "" : "s", o->budget);
        for (uint32_t i = 0; i < k; i++) {
            printf("VM %u (virtual state): stopped by %s after %" PRIu64 " steps\n", i,
                   pgv_stop_name(rep.stop[i]), st[i].steps);
            pgv_print_state(stdout, &st[i]);
        }
        printf("efficiency:\n");
        char title[32];
        for (uint32_t i = 0; i < k; i++) {
            snprintf(title, sizeof title, "VM %u", i);
            counters_text(stdout, title, &rep.vm[i], st[i].steps);
        }
        if (k > 1)
            counters_text(stdout, "total", &rep.total, total_steps);
        if (rep.rc_violations == 0)
            printf("resource control: ok (no violation)\n");
        else
            printf("resource control: VIOLATED (%u violation%s; first: %s)\n", rep.rc_violations,
                   rep.rc_violations == 1 ? "" : "s", rep.rc_first);
    }
    rc = rep.rc_violations ? 1 : 0;
    goto done;
oom:
    fprintf(stderr, "pgv run: out of memory\n");
done:
    for (uint32_t i = 0; i < k; i++) {
        free(mem[i]);
        free(out[i]);
    }
    free(real);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    pgv_cli_opts o;
    pgv_cli_defaults(&o);
    vmm_opts v = { 0, 0, 1, 1, 0, NULL };
    int trace = 0;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (pgv_cli_is_help(argv[i])) {
            help(stdout);
            return 0;
        }
        int r = pgv_cli_common("run", argc, argv, &i, PGV_CLI_NATIVE, &o);
        if (r == 1)
            continue;
        if (r == 2)
            return 2;
        if (strcmp(argv[i], "--trace") == 0) {
            trace = 1;
            continue;
        }
        if (strcmp(argv[i], "--vmm") == 0) {
            v.on = 1;
            continue;
        }
        if (strcmp(argv[i], "--hybrid") == 0) {
            v.hybrid = 1;
            v.set = v.set ? v.set : "--hybrid";
            continue;
        }
        static const struct { const char *name; uint64_t max; } num[] = {
            { "--vms", PGV_VMM_MAX_VMS }, { "--depth", PGV_VMM_MAX_DEPTH }, { "--slice", UINT32_MAX },
        };
        int matched = 0;
        for (unsigned j = 0; j < sizeof num / sizeof num[0] && !matched; j++) {
            int bad;
            const char *val = pgv_cli_value("run", argc, argv, &i, num[j].name, &bad);
            if (bad)
                return 2;
            if (!val)
                continue;
            uint64_t x;
            if (pgv_cli_parse_u64(val, num[j].max, &x) || (j < 2 && x == 0)) {
                fprintf(stderr, "pgv run: bad number '%s' for %s (expected %s..%" PRIu64 ")\n",
                        val, num[j].name, j < 2 ? "1" : "0", num[j].max);
                return 2;
            }
            if (j == 0)
                v.vms = x;
            else if (j == 1)
                v.depth = x;
            else
                v.slice = x;
            v.set = v.set ? v.set : num[j].name;
            matched = 1;
        }
        if (matched)
            continue;
        if (argv[i][0] == '-' || file)
            return pgv_cli_unknown("run", argv[i]);
        file = argv[i];
    }
    if (!file) {
        fprintf(stderr, "pgv run: missing program file (usage: pgv run FILE.s|FILE.img [options])\n");
        return 2;
    }
    if (v.set && !v.on) {
        fprintf(stderr, "pgv run: %s needs --vmm\n", v.set);
        return 2;
    }
    if (v.on && trace) {
        fprintf(stderr, "pgv run: --trace is not available with --vmm (use pgv diff to find "
                        "the first divergent step)\n");
        return 2;
    }
    pgv_cli_machine m;
    char err[1024];
    if (pgv_cli_machine_load(&m, file, &o, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    int rc = 0;
    if (v.on) {
        rc = run_vmm(file, &m, &o, &v);
    } else {
        pgv_stop why = run_native(&m.s, o.budget, trace ? (o.json ? stderr : stdout) : NULL);
        if (o.json) {
            fputs("{\"program\":", stdout);
            pgv_print_json_string(stdout, file);
            printf(",\"profile\":\"%s\",\"budget\":%" PRIu64 ",\"stop\":\"%s\",\"state\":",
                   pgv_profile_name(o.profile), o.budget, pgv_stop_name(why));
            pgv_print_state_json(stdout, &m.s);
            fputs("}\n", stdout);
        } else {
            printf("pgv run %s: profile %s, native, stopped by %s after %" PRIu64 " steps\n", file,
                   pgv_profile_name(o.profile), pgv_stop_name(why), m.s.steps);
            pgv_print_state(stdout, &m.s);
        }
    }
    pgv_cli_machine_free(&m);
    return rc;
}
