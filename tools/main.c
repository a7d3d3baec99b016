/* tools/main.c — the `pgv` command: dispatches to the subcommands (README §Usage).
 *
 * pgv asm | disasm | run | diff | classify | replay | table.  `pgv --help` and
 * `pgv CMD --help` describe them; exit status 2 for every usage or input error.
 */
#include <stdio.h>
#include <string.h>
#include "cmds.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} commands[] = {
    { "asm",      cmd_asm,      "assemble FILE.s into an image: pgv asm FILE.s -o FILE.img" },
    { "disasm",   cmd_disasm,   "disassemble an image into re-assemblable source" },
    { "run",      cmd_run,      "run a program natively (or under the VMM with --vmm)" },
    { "diff",     cmd_diff,     "equivalence check: native vs virtualized, first divergent step" },
    { "classify", cmd_classify, "derive the P&G classification by running the machine" },
    { "replay",   cmd_replay,   "decode a fuzzer input, show its program and diff it" },
    { "table",    cmd_table,    "print the manual's tables generated from spec/opcodes.def" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: pgv COMMAND [ARGS]   (pgv COMMAND --help for details)\n\n"
               "pgv — a Popek & Goldberg reference machine, trap-and-emulate VMM and\n"
               "equivalence checker.\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\nexit status: 0 ok/equivalent, 1 divergent/disagreement, 2 usage or input error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "pgv: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
