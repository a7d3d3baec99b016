/* tools/cmd_table.c — `pgv table`: the manual's tables generated from spec/opcodes.def (ISA §4, §7).
 *
 * Prints Markdown generated only from pgv_optab (model/optab.h): the encoding table
 * of §4 (mnemonic, opcode, format, assembler operand syntax, bit pattern derived from
 * the format's zero mask, summary) and the classification of §7 (for every
 * instruction, the profiles in which it is privileged, control-sensitive, behavior-
 * sensitive to M / R / the rest of the configuration, user-sensitive, innocuous),
 * followed per profile by whether the conditions of Theorem 1 (sensitive ⊆ privileged)
 * and Theorem 3 (user-sensitive ⊆ privileged) hold according to the table, naming the
 * violators.  The output is deterministic (table order, no dates): spec/ISA.md embeds
 * it between markers and `make check-manual` compares.
 */
#include <string.h>
#include "cmds.h"
#include "cli.h"
#include "../model/optab.h"

/* The identifiers of enum pgv_format (spec/isa.h), without the FMT_ prefix. */
static const char *const fmt_id[PGV_NFORMATS] = {
    [FMT_N] = "N", [FMT_D] = "D", [FMT_S] = "S", [FMT_DS] = "DS", [FMT_ST] = "ST",
    [FMT_DST] = "DST", [FMT_DSI] = "DSI", [FMT_DSU] = "DSU", [FMT_DSH] = "DSH", [FMT_DI] = "DI",
    [FMT_SI] = "SI", [FMT_MEM] = "MEM", [FMT_MEMS] = "MEMS", [FMT_B] = "B", [FMT_DB] = "DB",
    [FMT_U] = "U",
};

static void help(FILE *f)
{
    fprintf(f, "usage: pgv table [encoding|classes|all]\n\n"
               "Print Markdown tables generated from the opcode table (spec/opcodes.def):\n"
               "  encoding   mnemonic, opcode, format, operand syntax, bits, summary (ISA §4)\n"
               "  classes    per instruction and profile: privileged, control-sensitive,\n"
               "             behavior-sensitive (M, R, C), user-sensitive, innocuous, and per\n"
               "             profile the Theorem 1 and Theorem 3 conditions (ISA §7)\n"
               "  all        both (default)\n\n"
               "options:\n"
               "  -h, --help     this help\n");
}

/* The 32-bit pattern of a format, one character per hex digit: the opcode's two hex
 * digits, then per nibble 'd' 's' 't' (register fields), 'i' (immediate bits) or '0'
 * (bits that must be zero), derived from pgv_fmt_zero_mask (§4). */
static void bits_pattern(uint32_t opc, unsigned fmt, char out[16])
{
    uint32_t zm = pgv_fmt_zero_mask[fmt];
    snprintf(out, 16, "%02X", opc);
    size_t k = 2;
    for (int nib = 5; nib >= 0; nib--) {
        uint32_t m = (zm >> (nib * 4)) & 0xFu;
        char ch;
        if (m == 0xFu)
            ch = '0';
        else if (nib >= 3 && m == 0x8u)
            ch = nib == 5 ? 'd' : nib == 4 ? 's' : 't';
        else
            ch = 'i';
        out[k++] = ch;
    }
    out[k] = 0;
}

/* A table cell: `s` with '|' escaped for Markdown. */
static void cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else
            fputc(*s, f);
    }
}

static void print_encoding(FILE *f)
{
    fprintf(f, "| mnemonic | opcode | format | operands | bits | summary |\n");
    fprintf(f, "|---|---|---|---|---|---|\n");
    for (unsigned i = 0; i < pgv_nops; i++) {
        uint32_t opc = pgv_op_list[i];
        const pgv_opinfo *oi = &pgv_optab[opc];
        char bits[16];
        bits_pattern(opc, oi->fmt, bits);
        const char *syn = pgv_fmt_name[oi->fmt];
        fprintf(f, "| %s | 0x%02X | %s | %s%s%s | `%s` | ", oi->name, opc, fmt_id[oi->fmt],
                oi->name, strcmp(syn, "-") ? " " : "", strcmp(syn, "-") ? syn : "", bits);
        cell(f, oi->summary);
        fprintf(f, " |\n");
    }
    fprintf(f, "\nBits: one character per hex digit of the word, high to low: the opcode, then "
               "`d` rd, `s` rs, `t` rt (register fields, r0..r7), `i` immediate bits "
               "(a shift amount must be < 32), `0` bits that must be zero (else ILLEGAL).\n");
}

/* The profiles in a mask, as a cell: "all", "—" or the names. */
static void profiles(FILE *f, unsigned mask)
{
    if ((mask & P_ALL) == P_ALL) {
        fputs("all", f);
        return;
    }
    if ((mask & P_ALL) == 0) {
        fputs("—", f);
        return;
    }
    int first = 1;
    for (unsigned p = 0; p < PGV_NPROFILES; p++)
        if (mask & PGV_PROFILE_BIT(p)) {
            fprintf(f, "%s%s", first ? "" : " ", pgv_profile_name(p));
            first = 0;
        }
}

static unsigned sensitive_mask(const pgv_opinfo *oi)
{
    return (unsigned)(oi->ctl | oi->beh_m | oi->beh_r | oi->beh_c) & P_ALL;
}

static void print_classes(FILE *f)
{
    fprintf(f, "| instruction | privileged | control | behavior M | behavior R | behavior C "
               "| user-sensitive | innocuous |\n");
    fprintf(f, "|---|---|---|---|---|---|---|---|\n");
    for (unsigned i = 0; i < pgv_nops; i++) {
        const pgv_opinfo *oi = &pgv_optab[pgv_op_list[i]];
        const unsigned cols[] = { oi->priv, oi->ctl, oi->beh_m, oi->beh_r, oi->beh_c, oi->usens,
                                  ~sensitive_mask(oi) & P_ALL };
        fprintf(f, "| %s |", oi->name);
        for (unsigned c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            fputc(' ', f);
            profiles(f, cols[c]);
            fputs(" |", f);
        }
        fputc('\n', f);
    }
    fprintf(f, "\nEach cell names the profiles in which the instruction is in that class "
               "(all = every profile, — = none).\n\n");
    fprintf(f, "| profile | sensitive ⊆ privileged (Theorem 1) | violators | user-sensitive ⊆ "
               "privileged (Theorem 3) | violators |\n");
    fprintf(f, "|---|---|---|---|---|\n");
    for (unsigned p = 0; p < PGV_NPROFILES; p++) {
        unsigned bit = PGV_PROFILE_BIT(p);
        char v1[512] = "", v3[512] = "";
        for (unsigned i = 0; i < pgv_nops; i++) {
            const pgv_opinfo *oi = &pgv_optab[pgv_op_list[i]];
            int priv = (oi->priv & bit) != 0;
            if ((sensitive_mask(oi) & bit) && !priv)
                snprintf(v1 + strlen(v1), sizeof v1 - strlen(v1), "%s%s", v1[0] ? " " : "",
                         oi->name);
            if ((oi->usens & bit) && !priv)
                snprintf(v3 + strlen(v3), sizeof v3 - strlen(v3), "%s%s", v3[0] ? " " : "",
                         oi->name);
        }
        fprintf(f, "| %s | %s | %s | %s | %s |\n", pgv_profile_name(p), v1[0] ? "no" : "yes",
                v1[0] ? v1 : "—", v3[0] ? "no" : "yes", v3[0] ? v3 : "—");
    }
}

int cmd_table(int argc, char **argv)
{
    const char *which = NULL;
    for (int i = 1; i < argc; i++) {
        if (pgv_cli_is_help(argv[i])) {
            help(stdout);
            return 0;
        }
        if (argv[i][0] == '-' || which)
            return pgv_cli_unknown("table", argv[i]);
        which = argv[i];
    }
    if (!which)
        which = "all";
    if (strcmp(which, "encoding") == 0) {
        print_encoding(stdout);
    } else if (strcmp(which, "classes") == 0) {
        print_classes(stdout);
    } else if (strcmp(which, "all") == 0) {
        print_encoding(stdout);
        fputc('\n', stdout);
        print_classes(stdout);
    } else {
        fprintf(stderr, "pgv table: unknown table '%s' (encoding, classes or all)\n", which);
        return 2;
    }
    return 0;
}
