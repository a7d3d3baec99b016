/* fuzz/driver.c — the plain-cc fallback main of the fuzz harness, and its in-process tools.
 *
 * Runs pgv_fuzz_one (fuzz/harness.c, the same entry point AFL++ and libFuzzer use) on
 * files, directories of files, stdin, or a fixed-seed stream of generated tests, without
 * AFL++.  Besides plain replay it offers what the campaign scripts need: --bench
 * (in-process differential tests per second), --stats (how deep the inputs reach:
 * steps, sensitive instructions by mode, traps by cause, relocation changes, timer
 * interrupts — measured on native runs of the model), --signature (a deduplication key
 * per divergent input), --bake (write an input with the campaign's fixed options baked
 * into its header) and --emit (write generated tests as files, for the seed corpus).
 * Exit status: 0 all equivalent, 1 some divergence, 2 usage/input error or checker refusal.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "harness.h"
#include "gen.h"
#include "../model/optab.h"

#define MAX_FILE (1u << 20)

typedef struct blob { uint8_t *p; size_t n; char *name; } blob;

static blob *inputs;
static size_t ninputs, cap_inputs;

static int add_input(const uint8_t *p, size_t n, const char *name)
{
    if (ninputs == cap_inputs) {
        size_t nc = cap_inputs ? 2 * cap_inputs : 64;
        blob *b = realloc(inputs, nc * sizeof *b);
        if (!b)
            return -1;
        inputs = b;
        cap_inputs = nc;
    }
    blob *b = &inputs[ninputs];
    b->p = malloc(n ? n : 1);
    b->name = strdup(name);
    if (!b->p || !b->name)
        return -1;
    memcpy(b->p, p, n);
    b->n = n;
    ninputs++;
    return 0;
}

static int read_stream(FILE *f, const char *name)
{
    static uint8_t buf[MAX_FILE];
    size_t n = fread(buf, 1, sizeof buf, f);
    if (ferror(f)) {
        fprintf(stderr, "pgv-fuzz: %s: read error\n", name);
        return -1;
    }
    return add_input(buf, n, name);
}

static int read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "pgv-fuzz: %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = read_stream(f, path);
    fclose(f);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "pgv-fuzz: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return read_file(path);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "pgv-fuzz: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = 0;
    size_t nn = 0, cn = 0;
    struct dirent *e;
    while ((e = readdir(d)) != 0) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.txt") == 0)
            continue;
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".note") == 0)
            continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (nn == cn) {
            cn = cn ? 2 * cn : 64;
            names = realloc(names, cn * sizeof *names);
        }
        names[nn++] = strdup(full);
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_str);
    int rc = 0;
    for (size_t i = 0; i < nn; i++) {
        if (read_file(names[i]) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

/* ---- depth statistics (native runs of the model) ----------------------------------- */

typedef struct depth_stats {
    uint64_t tests, steps, halted;
    uint64_t ge100, ge1000;
    uint64_t sens_s, sens_u;          /* tests retiring a sensitive instruction in s / u */
    uint64_t priv_u;                  /* tests with a PRIV trap (sensitive attempted in u) */
    uint64_t trap[PGV_NCAUSES];       /* tests with a trap of that cause                  */
    uint64_t reloc_change, lpsw, user_steps, timer_trap;
    uint64_t ops_seen[256];           /* tests that retire the opcode at least once       */
} depth_stats;

static uint32_t st_mem[PGV_FUZZ_MAX_Q], st_out[PGV_FUZZ_OUT_CAP];

static void stats_one(depth_stats *ds, const uint8_t *p, size_t n, const pgv_fuzz_opts *o)
{
    static pgv_fuzz_input in;
    pgv_fuzz_test t;
    pgv_state s;
    if (pgv_fuzz_parse(p, n, &in) != 0)
        return;
    pgv_fuzz_resolve(&in, o, &t);
    pgv_fuzz_build(&in, &t, st_mem, st_out, &s);
    int sens_s = 0, sens_u = 0, priv = 0, reloc = 0, lpsw = 0, user = 0;
    int trap[PGV_NCAUSES] = {0};
    uint8_t seen[256] = {0};
    for (uint64_t k = 0; k < t.budget && !s.halted; k++) {
        uint32_t l = s.l, b = s.b, mode = s.mode, pa, w = 0;
        int fetched = !(s.tp && s.ie) && pgv_translate(s.l, s.b, s.q, s.pc, &pa);
        if (fetched)
            w = s.mem[pa];
        pgv_event ev = pgv_step(&s);
        if (mode == PGV_MODE_USER)
            user = 1;
        if (ev == PGV_EV_TRAP) {
            uint32_t c = (s.mem[PGV_OLD_PSW] >> PGV_ST_CAUSE_SH) & PGV_ST_CAUSE_MASK;
            if (c < PGV_NCAUSES)
                trap[c] = 1;
            if (c == PGV_CAUSE_PRIV)
                priv = 1;
        } else if (fetched) {
            uint32_t opc = PGV_OPC(w);
            seen[opc] = 1;
            if (pgv_gen_class(opc) == PGV_GEN_SENSITIVE) {
                if (mode == PGV_MODE_USER)
                    sens_u = 1;
                else
                    sens_s = 1;
            }
            if (opc == PGV_OPC_LPSW)
                lpsw = 1;
        }
        if (s.l != l || s.b != b)
            reloc = 1;
    }
    ds->tests++;
    ds->steps += s.steps;
    ds->halted += s.halted;
    ds->ge100 += s.steps >= 100;
    ds->ge1000 += s.steps >= 1000;
    ds->sens_s += sens_s;
    ds->sens_u += sens_u;
    ds->priv_u += priv;
    for (unsigned c = 0; c < PGV_NCAUSES; c++)
        ds->trap[c] += trap[c];
    ds->timer_trap += trap[PGV_CAUSE_TIMER];
    ds->reloc_change += reloc;
    ds->lpsw += lpsw;
    ds->user_steps += user;
    for (unsigned i = 0; i < 256; i++)
        ds->ops_seen[i] += seen[i];
}

static void stats_print(const depth_stats *ds)
{
    double n = ds->tests ? (double)ds->tests : 1.0;
#define PCT(x) (100.0 * (double)(x) / n)
    printf("depth statistics over %llu tests (native runs):\n", (unsigned long long)ds->tests);
    printf("  mean steps                              %.0f\n", (double)ds->steps / n);
    printf("  >= 100 steps                            %5.1f %%\n", PCT(ds->ge100));
    printf("  >= 1000 steps                           %5.1f %%\n", PCT(ds->ge1000));
    printf("  halted within the budget                %5.1f %%\n", PCT(ds->halted));
    printf("  sensitive instruction retired in mode s %5.1f %%\n", PCT(ds->sens_s));
    printf("  sensitive instruction retired in mode u %5.1f %%\n", PCT(ds->sens_u));
    printf("  ran in user mode                        %5.1f %%\n", PCT(ds->user_steps));
    for (unsigned c = 1; c < PGV_NCAUSES; c++)
        printf("  trap %-8s                           %5.1f %%\n", pgv_cause_name(c), PCT(ds->trap[c]));
    printf("  LPSW retired (trap return)              %5.1f %%\n", PCT(ds->lpsw));
    printf("  relocation register changed             %5.1f %%\n", PCT(ds->reloc_change));
    printf("  opcodes retired at least once by some test: ");
    unsigned k = 0;
    for (unsigned i = 0; i < pgv_nops; i++)
        k += ds->ops_seen[pgv_op_list[i]] != 0;
    printf("%u of %u\n", k, pgv_nops);
    for (unsigned i = 0; i < pgv_nops; i++)
        if (!ds->ops_seen[pgv_op_list[i]])
            printf("    never: %s\n", pgv_optab[pgv_op_list[i]].name);
#undef PCT
}

/* ---- main --------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: pgv-fuzz [options] [FILE|DIR ...]   (no FILE and no --random: stdin)\n"
            "  --profile P --vmm plain|hybrid --depth N --vms K --budget N --max-budget N\n"
            "  --slice N          fix these (else from FUZZ_* or from each input's header)\n"
            "  --random N         also run N generated tests (fixed seed: --seed S, default 1)\n"
            "  --max-words W      generated programs have at most W words (default 256)\n"
            "  --keep-going       count divergences instead of stopping at the first\n"
            "  --abort            abort() on a divergence (as under AFL++)\n"
            "  --verbose          print each test, its disassembly and the first divergence\n"
            "  --quiet            no per-divergence report\n"
            "  --bench SECONDS    loop over the inputs, print differential tests per second\n"
            "  --stats            print depth statistics of the inputs (native runs)\n"
            "  --signature        print 'SIGNATURE<TAB>NAME' for each divergent input\n"
            "  --bake OUT         write the (single) input with the fixed options baked in\n"
            "  --emit DIR         write the generated tests to DIR (with --random)\n");
}

int main(int argc, char **argv)
{
    pgv_fuzz_opts o;
    char err[200];
    long nrandom = 0, max_words = 256;
    uint64_t seed = 1;
    int keep_going = 0, do_abort = 0, quiet = 0, stats = 0, sig = 0;
    double bench = 0;
    const char *bake = 0, *emit = 0;
    int nfiles = 0;
    pgv_fuzz_opts_default(&o);
    if (pgv_fuzz_opts_env(&o, err, sizeof err) != 0) {
        fprintf(stderr, "pgv-fuzz: %s\n", err);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || strcmp(a, "--") == 0) {
            nfiles++;
            continue;
        }
        const char *key = a + 2;
        if (strcmp(key, "keep-going") == 0) { keep_going = 1; argv[i] = 0; continue; }
        if (strcmp(key, "abort") == 0) { do_abort = 1; argv[i] = 0; continue; }
        if (strcmp(key, "verbose") == 0) { o.verbose = 1; argv[i] = 0; continue; }
        if (strcmp(key, "quiet") == 0) { quiet = 1; argv[i] = 0; continue; }
        if (strcmp(key, "stats") == 0) { stats = 1; argv[i] = 0; continue; }
        if (strcmp(key, "signature") == 0) { sig = 1; keep_going = 1; quiet = 1; argv[i] = 0; continue; }
        if (strcmp(key, "help") == 0) { usage(stdout); return 0; }
        if (i + 1 >= argc) {
            fprintf(stderr, "pgv-fuzz: %s needs a value\n", a);
            usage(stderr);
            return 2;
        }
        const char *val = argv[i + 1];
        argv[i] = argv[i + 1] = 0;
        i++;
        if (strcmp(key, "random") == 0) nrandom = strtol(val, 0, 0);
        else if (strcmp(key, "seed") == 0) seed = strtoull(val, 0, 0);
        else if (strcmp(key, "max-words") == 0) max_words = strtol(val, 0, 0);
        else if (strcmp(key, "bench") == 0) bench = strtod(val, 0);
        else if (strcmp(key, "bake") == 0) bake = val;
        else if (strcmp(key, "emit") == 0) emit = val;
        else if (pgv_fuzz_opts_set(&o, key, val, err, sizeof err) != 0) {
            fprintf(stderr, "pgv-fuzz: %s\n", err);
            usage(stderr);
            return 2;
        }
    }
    for (int i = 1; i < argc; i++)
        if (argv[i] && strcmp(argv[i], "--") != 0 && read_path(argv[i]) != 0)
            return 2;
    if (nfiles == 0 && nrandom == 0 && read_stream(stdin, "<stdin>") != 0)
        return 2;
    if (nrandom > 0) {
        pgv_rng r = { seed };
        static pgv_fuzz_input in;
        static uint8_t buf[PGV_FUZZ_MAX_INPUT];
        for (long k = 0; k < nrandom; k++) {
            char name[4096];
            pgv_gen_test(&r, &in, (uint32_t)max_words);
            size_t n = pgv_fuzz_serialize(&in, buf, sizeof buf);
            snprintf(name, sizeof name, "random:%llu:%ld", (unsigned long long)seed, k);
            if (emit) {
                snprintf(name, sizeof name, "%s/gen-%03ld", emit, k);
                FILE *f = fopen(name, "wb");
                if (!f || fwrite(buf, 1, n, f) != n) {
                    fprintf(stderr, "pgv-fuzz: cannot write %s\n", name);
                    return 2;
                }
                fclose(f);
            }
            if (add_input(buf, n, name) != 0)
                return 2;
        }
    }
    if (bake) {
        static pgv_fuzz_input in;
        static uint8_t buf[PGV_FUZZ_MAX_INPUT];
        if (ninputs != 1 || pgv_fuzz_parse(inputs[0].p, inputs[0].n, &in) != 0) {
            fprintf(stderr, "pgv-fuzz: --bake needs exactly one input of at least %u bytes\n",
                    PGV_FUZZ_HEADER);
            return 2;
        }
        if (pgv_fuzz_bake(&in, &o) != 0) {
            fprintf(stderr, "pgv-fuzz: the fixed budget cannot be baked into the header\n");
            return 2;
        }
        size_t n = pgv_fuzz_serialize(&in, buf, sizeof buf);
        FILE *f = fopen(bake, "wb");
        if (!f || fwrite(buf, 1, n, f) != n || fclose(f) != 0) {
            fprintf(stderr, "pgv-fuzz: cannot write %s\n", bake);
            return 2;
        }
        return 0;
    }
    if (stats) {
        static depth_stats ds;
        for (size_t i = 0; i < ninputs; i++)
            stats_one(&ds, inputs[i].p, inputs[i].n, &o);
        stats_print(&ds);
        return 0;
    }
    if (pgv_fuzz_configure(&o) != 0)
        return 2;
    if (bench > 0) {
        if (ninputs == 0)
            return 2;
        struct timespec t0, t1;
        uint64_t tests = 0, steps = 0;
        double el = 0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        while (el < bench) {
            for (size_t i = 0; i < ninputs; i++) {
                int rc = pgv_fuzz_one(inputs[i].p, inputs[i].n, 0);
                if (rc == PGV_FUZZ_ERROR) {
                    pgv_fuzz_one(inputs[i].p, inputs[i].n, stderr);
                    return 2;
                }
                steps += pgv_fuzz_last_steps();
                tests++;
            }
            clock_gettime(CLOCK_MONOTONIC, &t1);
            el = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        }
        printf("bench: %llu differential tests in %.2f s = %.0f tests/s (%zu distinct inputs, "
               "mean %.0f native steps per test, %.1f M guest steps/s native + virtual)\n",
               (unsigned long long)tests, el, (double)tests / el, ninputs,
               (double)steps / (double)tests, 2e-6 * (double)steps / el);
        return 0;
    }
    uint64_t equiv = 0, div = 0, rej = 0, errs = 0;
    for (size_t i = 0; i < ninputs; i++) {
        FILE *rep = quiet ? 0 : stdout;
        if (o.verbose)
            printf("== %s\n", inputs[i].name);
        int rc = pgv_fuzz_one(inputs[i].p, inputs[i].n, rep);
        if (rc == PGV_FUZZ_OK) {
            if (pgv_fuzz_last_rejected())
                rej++;
            else
                equiv++;
            continue;
        }
        if (rc == PGV_FUZZ_ERROR) {
            errs++;
            if (quiet)
                pgv_fuzz_one(inputs[i].p, inputs[i].n, stderr);
            fprintf(stderr, "pgv-fuzz: %s: the checker refused the test\n", inputs[i].name);
            if (do_abort)
                abort();
            if (!keep_going)
                break;
            continue;
        }
        div++;
        if (!quiet)
            printf("input: %s\n", inputs[i].name);
        if (sig) {
            char s[512];
            if (pgv_fuzz_signature(s, sizeof s) == 0)
                printf("%s\t%s\n", s, inputs[i].name);
        }
        if (do_abort)
            abort();
        if (!keep_going)
            break;
    }
    if (!sig)
        printf("%llu tests: %llu equivalent, %llu divergent, %llu rejected (too short), %llu refused\n",
               (unsigned long long)(equiv + div + rej + errs), (unsigned long long)equiv,
               (unsigned long long)div, (unsigned long long)rej, (unsigned long long)errs);
    return errs ? 2 : div ? 1 : 0;
}
