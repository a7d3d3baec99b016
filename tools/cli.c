/* tools/cli.c — option parsing, number parsing, input tapes and native boot for the `pgv`
 * subcommands (tools/cli.h; ISA manual §2 storage limits, §6 IN, §8 native start).
 *
 * Kept general so that every command that runs a program (run, diff, replay) parses
 * --profile/--budget/--mem/--input/--out-cap/--json the same way, with the same
 * defaults, limits and messages, and boots the machine exactly as §8 says.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

void pgv_cli_defaults(pgv_cli_opts *o)
{
    o->profile = PGV_PROFILE_PG;
    o->budget = PGV_CLI_DEFAULT_BUDGET;
    o->mem = PGV_CLI_DEFAULT_MEM;
    o->input = NULL;
    o->json = 0;
    o->out_cap = PGV_CLI_DEFAULT_OUTCAP;
}

int pgv_cli_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || !*s)
        return 2;
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (!*s)
            return 2;
    }
    uint64_t v = 0;
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return 2;
        if (v > (UINT64_MAX - d) / base)
            return 2;
        v = v * base + d;
    }
    if (v > max)
        return 2;
    *out = v;
    return 0;
}

int pgv_cli_unknown(const char *cmd, const char *arg)
{
    if (arg[0] == '-')
        fprintf(stderr, "pgv %s: unknown option '%s' (see pgv %s --help)\n", cmd, arg, cmd);
    else
        fprintf(stderr, "pgv %s: unexpected argument '%s' (see pgv %s --help)\n", cmd, arg, cmd);
    return 2;
}

int pgv_cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

const char *pgv_cli_value(const char *cmd, int argc, char **argv, int *i, const char *name,
                          int *bad)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    *bad = 0;
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != 0)
        return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "pgv %s: option %s needs a value (see pgv %s --help)\n", cmd, name, cmd);
        *bad = 1;
        return NULL;
    }
    (*i)++;
    return argv[*i];
}

static int bad_number(const char *cmd, const char *opt, const char *v, const char *range)
{
    fprintf(stderr, "pgv %s: bad number '%s' for %s (expected %s)\n", cmd, v, opt, range);
    return 2;
}

int pgv_cli_common(const char *cmd, int argc, char **argv, int *i, unsigned which,
                   pgv_cli_opts *o)
{
    int bad = 0;
    const char *v;
    uint64_t x;
    if ((which & PGV_CLI_JSON) && strcmp(argv[*i], "--json") == 0) {
        o->json = 1;
        return 1;
    }
    if ((which & PGV_CLI_PROFILE) && (v = pgv_cli_value(cmd, argc, argv, i, "--profile", &bad))) {
        int p = pgv_profile_parse(v);
        if (p < 0) {
            fprintf(stderr, "pgv %s: unknown profile '%s' (profiles: pg popf jrst redpill)\n",
                    cmd, v);
            return 2;
        }
        o->profile = (uint32_t)p;
        return 1;
    }
    if (bad)
        return 2;
    if ((which & PGV_CLI_BUDGET) && (v = pgv_cli_value(cmd, argc, argv, i, "--budget", &bad))) {
        if (pgv_cli_parse_u64(v, UINT64_MAX, &x))
            return bad_number(cmd, "--budget", v, "a step count, decimal or 0x hex");
        o->budget = x;
        return 1;
    }
    if (bad)
        return 2;
    if ((which & PGV_CLI_MEM) && (v = pgv_cli_value(cmd, argc, argv, i, "--mem", &bad))) {
        if (pgv_cli_parse_u64(v, PGV_MAX_WORDS, &x) || x < PGV_MIN_WORDS)
            return bad_number(cmd, "--mem", v, "16..268435456 words (2^28, ISA §2)");
        o->mem = (uint32_t)x;
        return 1;
    }
    if (bad)
        return 2;
    if ((which & PGV_CLI_OUTCAP) && (v = pgv_cli_value(cmd, argc, argv, i, "--out-cap", &bad))) {
        if (pgv_cli_parse_u64(v, PGV_MAX_WORDS, &x))
            return bad_number(cmd, "--out-cap", v, "0..268435456 words");
        o->out_cap = (uint32_t)x;
        return 1;
    }
    if (bad)
        return 2;
    if ((which & PGV_CLI_INPUT) && (v = pgv_cli_value(cmd, argc, argv, i, "--input", &bad))) {
        o->input = v;
        return 1;
    }
    if (bad)
        return 2;
    return 0;
}

void pgv_cli_help_common(FILE *f, unsigned which)
{
    if (which & PGV_CLI_PROFILE)
        fprintf(f, "  --profile P    ISA profile: pg (default), popf, jrst, redpill (ISA §7)\n");
    if (which & PGV_CLI_BUDGET)
        fprintf(f, "  --budget N     stop after N steps (default %llu)\n",
                (unsigned long long)PGV_CLI_DEFAULT_BUDGET);
    if (which & PGV_CLI_MEM)
        fprintf(f, "  --mem Q        storage size q in words, 16..2^28 (default %u)\n",
                PGV_CLI_DEFAULT_MEM);
    if (which & PGV_CLI_INPUT)
        fprintf(f, "  --input FILE   input tape for IN: numbers (decimal or 0x hex) separated by\n"
                   "                 whitespace or commas, '#' comments (default: empty tape)\n");
    if (which & PGV_CLI_OUTCAP)
        fprintf(f, "  --out-cap N    keep the first N output words (default %u)\n",
                PGV_CLI_DEFAULT_OUTCAP);
    if (which & PGV_CLI_JSON)
        fprintf(f, "  --json         print the result as one JSON object\n");
}

int pgv_cli_parse_tape(const char *text, const char *name, uint32_t **words, uint32_t *n,
                       char *err, size_t errlen)
{
    size_t cap = 0, len = 0;
    uint32_t *w = NULL;
    unsigned line = 1;
    const char *p = text;
    *words = NULL;
    *n = 0;
    while (*p) {
        if (*p == '\n') {
            line++;
            p++;
            continue;
        }
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == ',' || *p == '\f' || *p == '\v') {
            p++;
            continue;
        }
        if (*p == '#') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        const char *s = p;
        while (*p && !strchr(" \t\r\n,#\f\v", *p))
            p++;
        size_t tl = (size_t)(p - s);
        char tok[72];
        int neg = s[0] == '-';
        uint64_t v = 0;
        int ok = tl < sizeof tok;
        if (ok) {
            memcpy(tok, s, tl);
            tok[tl] = 0;
            ok = pgv_cli_parse_u64(tok + neg, neg ? 0x80000000u : 0xFFFFFFFFu, &v) == 0;
        }
        if (!ok) {
            snprintf(err, errlen, "%s:%u: bad number '%.*s' in input tape (expected decimal "
                     "or 0x hex, 0..0xFFFFFFFF or down to -2147483648)",
                     name, line, (int)(tl > 40 ? 40 : tl), s);
            free(w);
            return 2;
        }
        if (len == UINT32_MAX) {
            snprintf(err, errlen, "%s:%u: input tape too long", name, line);
            free(w);
            return 2;
        }
        if (len == cap) {
            cap = cap ? cap * 2 : 64;
            uint32_t *nw = realloc(w, cap * sizeof *w);
            if (!nw) {
                free(w);
                snprintf(err, errlen, "%s: out of memory", name);
                return 2;
            }
            w = nw;
        }
        w[len++] = neg ? (uint32_t)(0u - (uint32_t)v) : (uint32_t)v;
    }
    *words = w;
    *n = (uint32_t)len;
    return 0;
}

int pgv_cli_read_tape(const char *path, uint32_t **words, uint32_t *n, char *err, size_t errlen)
{
    unsigned char *data;
    size_t len;
    *words = NULL;
    *n = 0;
    if (pgv_read_file(path, &data, &len, err, errlen))
        return 2;
    if (memchr(data, 0, len)) {
        snprintf(err, errlen, "%s: NUL byte in input tape (not a text file?)", path);
        free(data);
        return 2;
    }
    int rc = pgv_cli_parse_tape((const char *)data, path, words, n, err, errlen);
    free(data);
    return rc;
}

void pgv_cli_machine_free(pgv_cli_machine *m)
{
    pgv_image_free(&m->img);
    free(m->mem);
    free(m->in);
    free(m->out);
    m->mem = m->in = m->out = NULL;
    m->in_len = 0;
}

int pgv_cli_machine_load(pgv_cli_machine *m, const char *program, const pgv_cli_opts *o,
                         char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    if (pgv_load_program(program, &m->img, err, errlen))
        return 2;
    if (o->input && pgv_cli_read_tape(o->input, &m->in, &m->in_len, err, errlen)) {
        pgv_cli_machine_free(m);
        return 2;
    }
    m->mem = malloc((size_t)o->mem * sizeof *m->mem);
    m->out = malloc((o->out_cap ? (size_t)o->out_cap : 1u) * sizeof *m->out);
    if (!m->mem || !m->out) {
        snprintf(err, errlen, "out of memory for %u words of storage", o->mem);
        pgv_cli_machine_free(m);
        return 2;
    }
    char e2[512];
    if (pgv_image_boot(&m->img, &m->s, m->mem, o->mem, o->profile, e2, sizeof e2)) {
        snprintf(err, errlen, "%s: %s", program, e2);
        pgv_cli_machine_free(m);
        return 2;
    }
    m->s.in = m->in;
    m->s.in_len = m->in_len;
    m->s.in_pos = 0;
    m->s.out = m->out;
    m->s.out_cap = o->out_cap;
    m->s.out_len = 0;
    return 0;
}
