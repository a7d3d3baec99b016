/* tools/cli.h — helpers shared by the `pgv` subcommands (README §Usage, ISA manual §2, §8).
 *
 * Option parsing for the options several commands take (--profile, --budget, --mem,
 * --input, --out-cap, --json), strict number parsing, reading input-tape files, and
 * booting a native machine (§8) from a program file plus those options — so that
 * `run`, `diff` and `replay` spell, default, check and report them identically.
 * Every function reports a problem as one line on stderr prefixed "pgv CMD: " (or in
 * an err buffer) and returns 2, the exit status for usage and input errors.
 *
 * Typical use in a command:
 *
 *     pgv_cli_opts o;
 *     pgv_cli_defaults(&o);
 *     for (int i = 1; i < argc; i++) {
 *         int r = pgv_cli_common("run", argc, argv, &i, PGV_CLI_NATIVE, &o);
 *         if (r == 1) continue;            // consumed (with its value)
 *         if (r == 2) return 2;            // bad value: message printed
 *         ... command-specific options, else pgv_cli_unknown("run", argv[i]) ...
 *     }
 *     pgv_cli_machine m;
 *     if (pgv_cli_machine_load(&m, file, &o, err, sizeof err)) ...
 */
#ifndef PGV_TOOLS_CLI_H
#define PGV_TOOLS_CLI_H

#include <stdint.h>
#include <stdio.h>
#include "image.h"

#define PGV_CLI_DEFAULT_BUDGET  10000000ull   /* steps                               */
#define PGV_CLI_DEFAULT_MEM     65536u        /* words of storage (q)                */
#define PGV_CLI_DEFAULT_OUTCAP  65536u        /* output words kept                   */

/* Which common options a command accepts (bit mask for pgv_cli_common). */
#define PGV_CLI_PROFILE  0x01u   /* --profile pg|popf|jrst|redpill                 */
#define PGV_CLI_BUDGET   0x02u   /* --budget N     step budget                     */
#define PGV_CLI_MEM      0x04u   /* --mem Q        storage words, 16..2^28 (§2)    */
#define PGV_CLI_INPUT    0x08u   /* --input FILE   input tape                      */
#define PGV_CLI_JSON     0x10u   /* --json         machine-readable output         */
#define PGV_CLI_OUTCAP   0x20u   /* --out-cap N    output words kept               */
#define PGV_CLI_NATIVE   0x3Fu   /* all of the above                               */

typedef struct pgv_cli_opts {
    uint32_t profile;     /* enum pgv_profile; default PGV_PROFILE_PG                 */
    uint64_t budget;      /* default PGV_CLI_DEFAULT_BUDGET                           */
    uint32_t mem;         /* q; default PGV_CLI_DEFAULT_MEM                           */
    const char *input;    /* input tape file, or NULL (empty tape)                    */
    int json;             /* 0 or 1                                                   */
    uint32_t out_cap;     /* default PGV_CLI_DEFAULT_OUTCAP                           */
} pgv_cli_opts;

void pgv_cli_defaults(pgv_cli_opts *o);

/* If argv[*i] is one of the common options in `which` (as "--opt VALUE" or
 * "--opt=VALUE"), parse it into o, advance *i past its value and return 1.  Return 0
 * if argv[*i] is not such an option, 2 after printing "pgv CMD: message" to stderr
 * if its value is missing or bad.                                                  */
int pgv_cli_common(const char *cmd, int argc, char **argv, int *i, unsigned which,
                   pgv_cli_opts *o);

/* For command-specific options: the value of "--name VALUE" or "--name=VALUE" at
 * argv[*i] (advancing *i), NULL if argv[*i] is not --name; *bad is set (and a
 * message printed) when the option is there but has no value.                     */
const char *pgv_cli_value(const char *cmd, int argc, char **argv, int *i, const char *name,
                          int *bad);

/* Strict unsigned number: decimal or 0x hex, whole string, value <= max.  0 or 2
 * (no message).                                                                    */
int pgv_cli_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* "pgv CMD: unknown option 'X' (see pgv CMD --help)" on stderr; returns 2.         */
int pgv_cli_unknown(const char *cmd, const char *arg);

/* Is arg --help or -h? */
int pgv_cli_is_help(const char *arg);

/* Print the help lines of the common options in `which`.                           */
void pgv_cli_help_common(FILE *f, unsigned which);

/* Read an input tape: numbers separated by whitespace and/or commas, decimal (a
 * leading '-' gives two's complement, down to -2^31) or 0x hex, up to 0xFFFFFFFF;
 * '#' starts a comment to the end of the line.  On success *words is malloc'd (may
 * be NULL when *n = 0).  0, or 2 with "FILE:LINE: message" in err.                */
int pgv_cli_read_tape(const char *path, uint32_t **words, uint32_t *n, char *err, size_t errlen);
/* The same on text in memory (named `name` in messages).                           */
int pgv_cli_parse_tape(const char *text, const char *name, uint32_t **words, uint32_t *n,
                       char *err, size_t errlen);

/* A native machine booted from a program file and the options (§8): the image,
 * storage of o->mem words, the input tape of o->input and an output buffer of
 * o->out_cap words, all owned by the struct.                                       */
typedef struct pgv_cli_machine {
    pgv_image img;
    uint32_t *mem;
    uint32_t *in;
    uint32_t in_len;
    uint32_t *out;
    pgv_state s;
} pgv_cli_machine;

/* Load `program` (FILE.s or an image, pgv_load_program), read the tape, allocate and
 * boot (pgv_image_boot).  0, or 2 with a message in err (m is then freed).        */
int pgv_cli_machine_load(pgv_cli_machine *m, const char *program, const pgv_cli_opts *o,
                         char *err, size_t errlen);
void pgv_cli_machine_free(pgv_cli_machine *m);

#endif
