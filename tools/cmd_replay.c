/* tools/cmd_replay.c — `pgv replay INPUT`: re-run one fuzzer input and explain it (fuzz/README.md).
 *
 * Decodes INPUT with the fuzzer's codec (fuzz/input.c), prints the test (configuration,
 * initial PSW, registers, the trap handler and the program, disassembled with
 * pgv_disasm_word), runs it through the fuzzer's one entry point pgv_fuzz_one
 * (fuzz/harness.c, which calls the equivalence checker pgv_diff_run) and, on a
 * divergence, prints the report and the first divergent step found by
 * pgv_diff_first_divergence with both states side by side (pgv_print_side_by_side),
 * as `pgv diff` does.  The campaign's fixed options are given as flags (FUZZ_* in the
 * environment are deliberately not read, so a replay means the same everywhere).
 * Exit status: 0 equivalent, 1 divergent or resource control violated, 2 usage/input
 * error or a test the checker refused.
 *
 * The fuzzer's codec and harness are compiled into this command (included below) so that
 * `pgv replay` and the fuzzer can never decode an input differently.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "cli.h"
#include "../fuzz/input.c"
#include "../fuzz/harness.c"

static void replay_usage(FILE *f)
{
    fprintf(f,
            "usage: pgv replay INPUT [options]\n"
            "  Re-run a fuzzer input (fuzz/README.md, input format) natively and under the VMM.\n"
            "  --profile pg|popf|jrst|redpill   fix the profile (else the input's header)\n"
            "  --vmm plain|hybrid               fix the VMM kind\n"
            "  --depth N                        fix the VMM stack depth (1..%u)\n"
            "  --vms K                          fix the number of VMs (1..%u)\n"
            "  --budget N                       fix the step budget\n"
            "  --max-budget N                   modulus for the header's budget (default %u)\n"
            "  --slice N                        VMM scheduling quantum\n"
            "  --quiet                          print only the verdict line (and a divergence)\n"
            "exit status: 0 equivalent, 1 divergent or resource control violated, 2 error\n",
            PGV_VMM_MAX_DEPTH, PGV_VMM_MAX_VMS, PGV_FUZZ_DEFAULT_BUDGET);
}

int cmd_replay(int argc, char **argv)
{
    static const char *const keys[] = {"--profile", "--vmm", "--depth", "--vms", "--budget",
                                       "--max-budget", "--slice"};
    pgv_fuzz_opts o;
    const char *file = 0;
    int quiet = 0;
    char err[200];
    pgv_fuzz_opts_default(&o);
    for (int i = 1; i < argc; i++) {
        if (pgv_cli_is_help(argv[i])) {
            replay_usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
            continue;
        }
        int matched = 0;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0] && !matched; k++) {
            int bad = 0;
            const char *v = pgv_cli_value("replay", argc, argv, &i, keys[k], &bad);
            if (bad)
                return 2;
            if (v) {
                matched = 1;
                if (pgv_fuzz_opts_set(&o, keys[k] + 2, v, err, sizeof err) != 0) {
                    fprintf(stderr, "pgv replay: %s\n", err);
                    return 2;
                }
            }
        }
        if (matched)
            continue;
        if (argv[i][0] == '-' && argv[i][1] != 0)
            return pgv_cli_unknown("replay", argv[i]);
        if (file) {
            fprintf(stderr, "pgv replay: more than one INPUT ('%s' and '%s')\n", file, argv[i]);
            return 2;
        }
        file = argv[i];
    }
    if (!file) {
        replay_usage(stderr);
        return 2;
    }
    static uint8_t data[PGV_FUZZ_MAX_INPUT + 1];
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "pgv replay: %s: %s\n", file, strerror(errno));
        return 2;
    }
    /* Inputs longer than the format can use are truncated: the codec ignores the rest. */
    size_t n = fread(data, 1, sizeof data, f);
    int rerr = ferror(f);
    if (f != stdin)
        fclose(f);
    if (rerr) {
        fprintf(stderr, "pgv replay: %s: read error\n", file);
        return 2;
    }
    if (n < PGV_FUZZ_HEADER) {
        fprintf(stderr, "pgv replay: %s: %zu bytes, shorter than the %u-byte header: not a test\n",
                file, n, PGV_FUZZ_HEADER);
        return 2;
    }
    o.verbose = !quiet;
    if (pgv_fuzz_configure(&o) != 0)
        return 2;
    int rc = pgv_fuzz_one(data, n, stdout);
    if (rc == PGV_FUZZ_OK) {
        if (quiet) {
            printf("EQUIVALENT: ");
            pgv_fuzz_describe(stdout, pgv_fuzz_last_test());
            printf("\n");
        }
        return 0;
    }
    return rc == PGV_FUZZ_DIVERGE ? 1 : 2;
}
