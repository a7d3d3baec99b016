/* tools/cmd_classify.c — `pgv classify`: the P&G classes derived by execution vs the manual (ISA §7).
 *
 * pgv classify [--profile P|all] [--json] [--samples N] [--seed S]
 * Runs pgv_classify (vmm/classify.c) for the profile(s): every instruction of
 * spec/opcodes.def is stepped once from N generated states (plus their M-, R-, IE-,
 * timer- and I/O-twins) and its classes PRIV, CTL, BEH_M, BEH_R, BEH_C, USENS are
 * decided from what the steps did.  Prints the derived table, every cell where it
 * disagrees with the manual's table (pgv_optab, i.e. spec/opcodes.def), and the
 * verdicts of Theorem 1 (sensitive ⊆ privileged) and Theorem 3 (user-sensitive ⊆
 * privileged) for the derived classes, each violating instruction with its witnesses
 * (the state or pair of states and the step results that show it).  Nothing printed
 * is read from the table except the comparison column.  Exit (tools/cmds.h): 0 derived
 * == table for the requested profile(s), 1 a disagreement, 2 usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "../model/optab.h"
#include "../vmm/classify.h"

#define MAX_DIS 512

static void usage(FILE *f)
{
    fprintf(f,
        "usage: pgv classify [--profile P|all] [--json] [--samples N] [--seed S]\n\n"
        "Derive the Popek & Goldberg classification (ISA manual §7) by running the machine:\n"
        "each instruction is executed for one step from N generated states per profile\n"
        "(default %u, seed default %u) and classified PRIV (privileged), CTL (control-\n"
        "sensitive), BEH_M (mode-), BEH_R (location-), BEH_C (IE/timer/I/O-sensitive) and\n"
        "USENS (user-sensitive).  The derived table is compared with the manual's table\n"
        "(spec/opcodes.def) and Theorems 1 and 3 are decided, with witnesses.\n\n"
        "  --profile P   pg, popf, jrst, redpill or all (default all)\n"
        "  --json        one JSON object instead of text\n"
        "  --samples N   base states per instruction and profile (1..10000000)\n"
        "  --seed S      PRNG seed (an unsigned integer)\n\n"
        "exit status: 0 derived == manual, 1 a disagreement, 2 usage error\n",
        PGV_CLS_DEFAULT_SAMPLES, PGV_CLS_DEFAULT_SEED);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || !*s || *s == '-')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

/* --- text output ------------------------------------------------------------------ */

static void print_comps(FILE *f, uint32_t m)
{
    const char *sep = "";
    for (unsigned i = 0; i < PGV_NCOMP_BITS; i++)
        if (m & (1u << i)) {
            fprintf(f, "%s%s", sep, pgv_comp_name(1u << i));
            sep = ", ";
        }
}

/* Registers worth showing: the instruction's operand fields, plus any that differ. */
static uint32_t reg_mask(uint32_t word, const pgv_state *a, const pgv_state *b)
{
    pgv_insn in;
    uint32_t m = 0;
    if (pgv_decode(word, &in)) {
        switch (in.fmt) {
        case FMT_D: case FMT_DI: case FMT_DB: m = 1u << in.rd; break;
        case FMT_S: case FMT_SI: case FMT_MEMS: m = 1u << in.rs; break;
        case FMT_DS: case FMT_DSI: case FMT_DSU: case FMT_DSH: case FMT_MEM:
            m = 1u << in.rd | 1u << in.rs; break;
        case FMT_ST: m = 1u << in.rs | 1u << in.rt; break;
        case FMT_DST: m = 1u << in.rd | 1u << in.rs | 1u << in.rt; break;
        default: break;
        }
    }
    for (unsigned i = 0; i < PGV_NREGS; i++)
        if (a && b && a->r[i] != b->r[i])
            m |= 1u << i;
    return m;
}

static void print_state_line(FILE *f, const char *title, const pgv_state *s, uint32_t regs)
{
    fprintf(f, "      %-9s M=%c P=%#" PRIx32 " R=(%#" PRIx32 ",%#" PRIx32 ") IE=%" PRIu32
               " flags=%" PRIu32 " cause=%" PRIu32 " T=%#" PRIx32 " TP=%" PRIu32
               " in=%" PRIu32 "/%" PRIu32 " out_len=%" PRIu32 " halted=%" PRIu32,
            title, s->mode ? 'u' : 's', s->pc, s->l, s->b, s->ie, s->flags, s->cause,
            s->timer, s->tp, s->in_pos, s->in_len, s->out_len, s->halted);
    for (unsigned i = 0; i < PGV_NREGS; i++)
        if (regs & (1u << i))
            fprintf(f, " r%u=%#" PRIx32, i, s->r[i]);
    fputc('\n', f);
}

static void print_result_line(FILE *f, const char *title, const pgv_cls_witness *w, unsigned k,
                              uint32_t regs)
{
    char t[32];
    if (w->ev[k] == PGV_EV_TRAP)
        snprintf(t, sizeof t, "%s trap", pgv_cause_name(w->trap_cause[k]));
    else
        snprintf(t, sizeof t, "%s", w->ev[k] == PGV_EV_HALT ? "retires (halt)" : "retires");
    fprintf(f, "      %-9s %s ->\n", title, t);
    print_state_line(f, "", &w->after[k].s, regs);
}

/* Differing storage words of two results (virtual addresses under R for R pairs). */
static void print_mem_diff(FILE *f, const pgv_cls_witness *w)
{
    if (!(w->diff & PGV_COMP_MEM))
        return;
    const pgv_state *a = &w->after[0].s, *b = &w->after[1].s;
    bool virt = w->rel == PGV_REL_R;
    unsigned shown = 0;
    uint32_t n = a->q < b->q ? a->q : b->q;
    for (uint32_t i = 0; i < n && shown < 4; i++) {
        uint32_t ia = virt ? a->l + i : i, ib = virt ? b->l + i : i;
        if (ia >= a->q || ib >= b->q || (virt && (i >= a->b || i >= b->b)))
            break;
        if (a->mem[ia] != b->mem[ib]) {
            fprintf(f, "      storage %s%#" PRIx32 ": %#" PRIx32 " vs %#" PRIx32 "\n",
                    virt ? "virtual " : "", i, a->mem[ia], b->mem[ib]);
            shown++;
        }
    }
}

static void print_witness(FILE *f, const pgv_cls_witness *w)
{
    const char *name = pgv_optab[w->opc].name;
    if (w->rel == PGV_REL_NONE) {
        const pgv_state *b = &w->before[0].s;
        uint32_t regs = reg_mask(w->word, b, &w->after[0].s);
        if (w->cls == PGV_CLS_PRIV)
            fprintf(f, "    not PRIV: in this %s-mode state %s (word %#010" PRIx32 ") %s\n",
                    b->mode ? "user" : "supervisor", name, w->word,
                    b->mode ? "does not trap PRIV" : "traps PRIV");
        else
            fprintf(f, "    %s: from this %s-mode state %s (word %#010" PRIx32 ") changes the "
                       "configuration beyond the tick (",
                    pgv_cls_name(w->cls), b->mode ? "user" : "supervisor", name, w->word);
        if (w->cls != PGV_CLS_PRIV) {
            print_comps(f, w->diff);
            fprintf(f, ")\n");
        }
        print_state_line(f, "state", b, regs);
        print_result_line(f, "step", w, 0, regs);
        return;
    }
    const pgv_state *a = &w->before[0].s, *b = &w->before[1].s;
    uint32_t regs = reg_mask(w->word, a, b) | reg_mask(w->word, &w->after[0].s, &w->after[1].s);
    fprintf(f, "    %s: two %sstates differing only in %s%s, %s (word %#010" PRIx32
               ") retires in both; results differ beyond %s in: ",
            pgv_cls_name(w->cls), w->cls == PGV_CLS_USENS ? "user-mode " : "",
            pgv_cls_rel_name(w->rel), w->rel == PGV_REL_R ? " (storage relocated)" : "",
            name, w->word, pgv_cls_rel_name(w->rel));
    print_comps(f, w->diff);
    fputc('\n', f);
    print_state_line(f, "state A", a, regs);
    print_state_line(f, "state B", b, regs);
    print_result_line(f, "step A", w, 0, regs);
    print_result_line(f, "step B", w, 1, regs);
    print_mem_diff(f, w);
}

static const pgv_cls_witness *wit(const pgv_cls_result *r, const pgv_cls_insn *in, unsigned c)
{
    return in->wit[c] >= 0 ? &r->wit[in->wit[c]] : NULL;
}

/* The witness that makes an instruction violate a theorem (its sensitivity). */
static const pgv_cls_witness *sens_witness(const pgv_cls_result *r, const pgv_cls_insn *in,
                                           int theorem)
{
    if (theorem == 3)
        return wit(r, in, PGV_CLS_USENS);
    static const unsigned order[] = { PGV_CLS_CTL, PGV_CLS_BEH_M, PGV_CLS_BEH_R, PGV_CLS_BEH_C };
    for (unsigned i = 0; i < 4; i++)
        if (in->derived & PGV_CLS_BIT(order[i]))
            return wit(r, in, order[i]);
    return NULL;
}

static void print_classes(FILE *f, uint32_t m)
{
    const char *sep = "";
    for (unsigned c = 0; c < PGV_NCLS; c++)
        if (m & PGV_CLS_BIT(c)) {
            fprintf(f, "%s%s", sep, pgv_cls_name(c));
            sep = ",";
        }
    if (!*sep)
        fprintf(f, "innocuous");
}

/* The executions behind a "no": the non-trapping steps or pairs that were compared. */
static void print_tries(FILE *f, const pgv_cls_insn *in, unsigned cls)
{
    const uint32_t *np = in->n_pairs;
    switch (cls) {
    case PGV_CLS_PRIV:
        fprintf(f, " (%" PRIu32 " user-mode states, %" PRIu32 " supervisor-mode states)",
                in->n_user, in->n_sup);
        break;
    case PGV_CLS_CTL:
        fprintf(f, " (%" PRIu32 " non-trapping steps)", in->n_exec);
        break;
    case PGV_CLS_BEH_M:
        fprintf(f, " (%" PRIu32 " non-trapping M pairs)", np[PGV_REL_M]);
        break;
    case PGV_CLS_BEH_R:
        fprintf(f, " (%" PRIu32 " non-trapping R pairs)", np[PGV_REL_R]);
        break;
    case PGV_CLS_BEH_C:
        fprintf(f, " (%" PRIu32 " IE, %" PRIu32 " timer, %" PRIu32 " I/O non-trapping pairs)",
                np[PGV_REL_IE], np[PGV_REL_TIMER], np[PGV_REL_IO]);
        break;
    default:
        fprintf(f, " (%" PRIu32 " non-trapping steps, %" PRIu32 " user-mode states)",
                in->n_exec, in->n_user);
        break;
    }
}

static void print_table(FILE *f, pgv_cls_result *res, const uint32_t *profs, unsigned np)
{
    if (np == 1)
        fprintf(f, "derived classification, profile %s (x member, . not; * the manual's table "
                   "disagrees)\n", pgv_profile_name(profs[0]));
    else {
        fprintf(f, "derived classification; each cell: ");
        for (unsigned k = 0; k < np; k++)
            fprintf(f, "%s%s", k ? " " : "", pgv_profile_name(profs[k]));
        fprintf(f, " (x member, . not; * the manual's table disagrees)\n");
    }
    fprintf(f, "  %-6s", "insn");
    for (unsigned c = 0; c < PGV_NCLS; c++)
        fprintf(f, " %-6s", pgv_cls_name(c));
    fputc('\n', f);
    for (uint32_t i = 0; i < res[0].ninsn; i++) {
        fprintf(f, "  %-6s", res[0].insn[i].name);
        for (unsigned c = 0; c < PGV_NCLS; c++) {
            char cell[8];
            bool dis = false;
            for (unsigned k = 0; k < np; k++) {
                const pgv_cls_insn *in = &res[k].insn[i];
                int d = (in->derived >> c) & 1u;
                int t = (pgv_cls_expected(pgv_optab, in->opc, profs[k]) >> c) & 1u;
                cell[k] = d ? 'x' : '.';
                dis |= d != t;
            }
            cell[np] = dis ? '*' : ' ';
            cell[np + 1] = 0;
            fprintf(f, " %-6s", cell);
        }
        fputc('\n', f);
    }
}

static void print_text(FILE *f, pgv_cls_result *res, const uint32_t *profs, unsigned np,
                       uint32_t samples, uint64_t seed)
{
    fprintf(f, "pgv classify: Popek & Goldberg classes derived by execution (ISA §7): one "
               "pgv_step from %" PRIu32 " generated states per instruction and profile, plus "
               "their M/R/IE/timer/I/O twins; seed %" PRIu64 ".\n\n", samples, seed);
    print_table(f, res, profs, np);

    fprintf(f, "\nagreement with the manual's table (spec/opcodes.def):\n");
    for (unsigned k = 0; k < np; k++) {
        pgv_cls_disagreement dis[MAX_DIS];
        size_t n = pgv_cls_compare(&res[k], pgv_optab, dis, MAX_DIS);
        if (n == 0) {
            fprintf(f, "  %-8s derived == table (%" PRIu32 " instructions x %u classes)\n",
                    pgv_profile_name(profs[k]), res[k].ninsn, (unsigned)PGV_NCLS);
            continue;
        }
        fprintf(f, "  %-8s %zu DISAGREEMENT%s\n", pgv_profile_name(profs[k]), n, n == 1 ? "" : "S");
        for (size_t i = 0; i < n && i < MAX_DIS; i++) {
            const pgv_cls_insn *in = pgv_cls_find(&res[k], dis[i].opc);
            fprintf(f, "    %-6s %-6s derived %s, table %s", pgv_optab[dis[i].opc].name,
                    pgv_cls_name(dis[i].cls), dis[i].derived ? "yes" : "no",
                    dis[i].table ? "yes" : "no");
            if (in && !dis[i].derived)   /* how hard the machine was tried */
                print_tries(f, in, dis[i].cls);
            fputc('\n', f);
            /* a derived membership (or a derived non-privilege) has a witness */
            if (in && in->wit[dis[i].cls] >= 0 &&
                (dis[i].derived || dis[i].cls == PGV_CLS_PRIV))
                print_witness(f, &res[k].wit[in->wit[dis[i].cls]]);
        }
    }

    fprintf(f, "\nverdicts on the derived classes (T1: sensitive ⊆ privileged, T3: user-sensitive "
               "⊆ privileged):\n");
    for (unsigned k = 0; k < np; k++) {
        fprintf(f, "  %-8s", pgv_profile_name(profs[k]));
        for (int th = 1; th <= 3; th += 2) {
            uint32_t v[PGV_CLS_MAX_INSNS];
            size_t n = pgv_cls_violations(&res[k], th, v, PGV_CLS_MAX_INSNS);
            char buf[160] = "holds";
            if (n) {
                size_t o = (size_t)snprintf(buf, sizeof buf, "FAILS (");
                for (size_t i = 0; i < n && o < sizeof buf - 16; i++)
                    o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? " " : "",
                                          pgv_optab[v[i]].name);
                snprintf(buf + o, sizeof buf - o, ")");
            }
            fprintf(f, "  Theorem %d %-22s", th, buf);
        }
        fprintf(f, "   (the manual's table predicts: T1 %s, T3 %s)\n",
                pgv_cls_table_theorem(pgv_optab, profs[k], 1) ? "holds" : "fails",
                pgv_cls_table_theorem(pgv_optab, profs[k], 3) ? "holds" : "fails");
    }
    for (unsigned k = 0; k < np; k++)
        for (int th = 1; th <= 3; th += 2) {
            uint32_t v[PGV_CLS_MAX_INSNS];
            size_t n = pgv_cls_violations(&res[k], th, v, PGV_CLS_MAX_INSNS);
            for (size_t i = 0; i < n; i++) {
                const pgv_cls_insn *in = pgv_cls_find(&res[k], v[i]);
                fprintf(f, "\n  %s, Theorem %d: %s is %s (", pgv_profile_name(profs[k]), th,
                        in->name, th == 1 ? "sensitive" : "user-sensitive");
                print_classes(f, in->derived & (th == 1 ? PGV_CLS_SENSITIVE
                                                        : ~PGV_CLS_BIT(PGV_CLS_PRIV)));
                fprintf(f, ") but not privileged; witnesses:\n");
                if (th == 1) {   /* every sensitivity class it has, each with a witness */
                    static const unsigned sens[] = { PGV_CLS_CTL, PGV_CLS_BEH_M, PGV_CLS_BEH_R,
                                                     PGV_CLS_BEH_C };
                    for (unsigned j = 0; j < 4; j++)
                        if (wit(&res[k], in, sens[j]))
                            print_witness(f, wit(&res[k], in, sens[j]));
                } else if (wit(&res[k], in, PGV_CLS_USENS)) {
                    print_witness(f, wit(&res[k], in, PGV_CLS_USENS));
                }
                const pgv_cls_witness *pw = wit(&res[k], in, PGV_CLS_PRIV);
                if (pw)
                    print_witness(f, pw);
                else
                    fprintf(f, "    not PRIV: no reached user-mode state was sampled\n");
            }
        }
}

/* --- JSON output ---------------------------------------------------------------------- */

static void json_state(FILE *f, const pgv_state *s)
{
    fprintf(f, "{\"mode\":\"%c\",\"pc\":%" PRIu32 ",\"l\":%" PRIu32 ",\"b\":%" PRIu32
               ",\"ie\":%" PRIu32 ",\"flags\":%" PRIu32 ",\"cause\":%" PRIu32 ",\"timer\":%" PRIu32
               ",\"tp\":%" PRIu32 ",\"halted\":%" PRIu32 ",\"steps\":%" PRIu64 ",\"q\":%" PRIu32
               ",\"in_pos\":%" PRIu32 ",\"in_len\":%" PRIu32 ",\"out_len\":%" PRIu32
               ",\"out_cap\":%" PRIu32 ",\"r\":[",
            s->mode ? 'u' : 's', s->pc, s->l, s->b, s->ie, s->flags, s->cause, s->timer, s->tp,
            s->halted, s->steps, s->q, s->in_pos, s->in_len, s->out_len, s->out_cap);
    for (unsigned i = 0; i < PGV_NREGS; i++)
        fprintf(f, "%s%" PRIu32, i ? "," : "", s->r[i]);
    /* storage, tape and output too, so that a witness can be replayed from the JSON */
    fprintf(f, "],\"mem\":[");
    for (uint32_t i = 0; i < s->q; i++)
        fprintf(f, "%s%" PRIu32, i ? "," : "", s->mem[i]);
    fprintf(f, "],\"in\":[");
    for (uint32_t i = 0; i < s->in_len; i++)
        fprintf(f, "%s%" PRIu32, i ? "," : "", s->in[i]);
    fprintf(f, "],\"out\":[");
    for (uint32_t i = 0; i < s->out_cap && i < s->out_len; i++)
        fprintf(f, "%s%" PRIu32, i ? "," : "", s->out[i]);
    fprintf(f, "]}");
}

static void json_comps(FILE *f, uint32_t m)
{
    fputc('[', f);
    const char *sep = "";
    for (unsigned i = 0; i < PGV_NCOMP_BITS; i++)
        if (m & (1u << i)) {
            fprintf(f, "%s\"%s\"", sep, pgv_comp_name(1u << i));
            sep = ",";
        }
    fputc(']', f);
}

static void json_witness(FILE *f, const pgv_cls_witness *w)
{
    unsigned n = w->rel == PGV_REL_NONE ? 1u : 2u;
    fprintf(f, "{\"instruction\":\"%s\",\"word\":%" PRIu32 ",\"class\":\"%s\",\"relation\":\"%s\","
               "\"differ\":", pgv_optab[w->opc].name, w->word, pgv_cls_name(w->cls),
            pgv_cls_rel_name(w->rel));
    json_comps(f, w->diff);
    fprintf(f, ",\"states\":[");
    for (unsigned k = 0; k < n; k++) {
        fprintf(f, "%s", k ? "," : "");
        json_state(f, &w->before[k].s);
    }
    fprintf(f, "],\"results\":[");
    for (unsigned k = 0; k < n; k++) {
        fprintf(f, "%s{\"event\":\"%s\",\"trap_cause\":", k ? "," : "", pgv_event_name(w->ev[k]));
        if (w->ev[k] == PGV_EV_TRAP)
            fprintf(f, "\"%s\"", pgv_cause_name(w->trap_cause[k]));
        else
            fprintf(f, "null");
        fprintf(f, ",\"state\":");
        json_state(f, &w->after[k].s);
        fputc('}', f);
    }
    fprintf(f, "]}");
}

static void json_classes(FILE *f, uint32_t m)
{
    fputc('{', f);
    for (unsigned c = 0; c < PGV_NCLS; c++)
        fprintf(f, "%s\"%s\":%s", c ? "," : "", pgv_cls_name(c),
                (m & PGV_CLS_BIT(c)) ? "true" : "false");
    fputc('}', f);
}

/* One profile's object; head (may be "") is printed first inside the braces. */
static void json_profile(FILE *f, const pgv_cls_result *r, const char *head)
{
    fprintf(f, "{%s\"profile\":\"%s\",\"instructions\":[", head, pgv_profile_name(r->profile));
    for (uint32_t i = 0; i < r->ninsn; i++) {
        const pgv_cls_insn *in = &r->insn[i];
        uint32_t t = pgv_cls_expected(pgv_optab, in->opc, r->profile);
        fprintf(f, "%s{\"name\":\"%s\",\"opcode\":%" PRIu32 ",\"derived\":", i ? "," : "",
                in->name, in->opc);
        json_classes(f, in->derived);
        fprintf(f, ",\"table\":");
        json_classes(f, t);
        fprintf(f, ",\"agrees\":%s,\"observed\":{\"user_states\":%" PRIu32
                   ",\"supervisor_states\":%" PRIu32 ",\"retired\":%" PRIu32 ",\"pairs\":{",
                in->derived == t ? "true" : "false", in->n_user, in->n_sup, in->n_exec);
        for (unsigned rel = PGV_REL_M; rel < PGV_NREL; rel++)
            fprintf(f, "%s\"%s\":%" PRIu32, rel > PGV_REL_M ? "," : "", pgv_cls_rel_name(rel),
                    in->n_pairs[rel]);
        fprintf(f, "}}}");
    }
    pgv_cls_disagreement dis[MAX_DIS];
    size_t n = pgv_cls_compare(r, pgv_optab, dis, MAX_DIS);
    fprintf(f, "],\"agrees\":%s,\"disagreements\":[", n ? "false" : "true");
    for (size_t i = 0; i < n && i < MAX_DIS; i++) {
        const pgv_cls_insn *in = pgv_cls_find(r, dis[i].opc);
        fprintf(f, "%s{\"instruction\":\"%s\",\"class\":\"%s\",\"derived\":%s,\"table\":%s,"
                   "\"witness\":", i ? "," : "", pgv_optab[dis[i].opc].name,
                pgv_cls_name(dis[i].cls), dis[i].derived ? "true" : "false",
                dis[i].table ? "true" : "false");
        if (in && in->wit[dis[i].cls] >= 0 && (dis[i].derived || dis[i].cls == PGV_CLS_PRIV))
            json_witness(f, &r->wit[in->wit[dis[i].cls]]);
        else
            fprintf(f, "null");
        fputc('}', f);
    }
    fprintf(f, "],\"theorem1\":%s,\"theorem3\":%s,\"table_theorem1\":%s,\"table_theorem3\":%s,"
               "\"violations\":{",
            r->theorem1 ? "true" : "false", r->theorem3 ? "true" : "false",
            pgv_cls_table_theorem(pgv_optab, r->profile, 1) ? "true" : "false",
            pgv_cls_table_theorem(pgv_optab, r->profile, 3) ? "true" : "false");
    for (int th = 1; th <= 3; th += 2) {
        uint32_t v[PGV_CLS_MAX_INSNS];
        size_t nv = pgv_cls_violations(r, th, v, PGV_CLS_MAX_INSNS);
        fprintf(f, "%s\"theorem%d\":[", th == 3 ? "," : "", th);
        for (size_t i = 0; i < nv; i++) {
            const pgv_cls_insn *in = pgv_cls_find(r, v[i]);
            const pgv_cls_witness *sw = sens_witness(r, in, th), *pw = wit(r, in, PGV_CLS_PRIV);
            fprintf(f, "%s{\"instruction\":\"%s\",\"sensitivity_witness\":", i ? "," : "",
                    in->name);
            if (sw) json_witness(f, sw); else fprintf(f, "null");
            fprintf(f, ",\"not_privileged_witness\":");
            if (pw) json_witness(f, pw); else fprintf(f, "null");
            fputc('}', f);
        }
        fputc(']', f);
    }
    fprintf(f, "}}");
}

static void print_json(FILE *f, pgv_cls_result *res, const uint32_t *profs, unsigned np,
                       bool all, uint32_t samples, uint64_t seed, bool agrees)
{
    if (!all) {
        /* one profile: its object (theorem1, theorem3, agrees at the top level) */
        char head[80];
        snprintf(head, sizeof head, "\"samples\":%" PRIu32 ",\"seed\":%" PRIu64 ",", samples,
                 seed);
        json_profile(f, &res[0], head);
        fputc('\n', f);
        return;
    }
    fprintf(f, "{\"samples\":%" PRIu32 ",\"seed\":%" PRIu64 ",\"agrees\":%s,\"profiles\":{",
            samples, seed, agrees ? "true" : "false");
    for (unsigned k = 0; k < np; k++) {
        fprintf(f, "%s\"%s\":", k ? "," : "", pgv_profile_name(profs[k]));
        json_profile(f, &res[k], "");
    }
    for (int th = 1; th <= 3; th += 2) {
        fprintf(f, "},\"theorem%d\":{", th);
        for (unsigned k = 0; k < np; k++)
            fprintf(f, "%s\"%s\":%s", k ? "," : "", pgv_profile_name(profs[k]),
                    (th == 1 ? res[k].theorem1 : res[k].theorem3) ? "true" : "false");
    }
    fprintf(f, "}}\n");
}

int cmd_classify(int argc, char **argv)
{
    bool json = false, all = true;
    uint32_t profile = 0;
    uint64_t samples = PGV_CLS_DEFAULT_SAMPLES, seed = PGV_CLS_DEFAULT_SEED;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "--profile") || !strcmp(a, "--samples") || !strcmp(a, "--seed")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "pgv classify: %s needs a value\n", a);
                usage(stderr);
                return 2;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--profile")) {
                if (!strcmp(v, "all")) {
                    all = true;
                } else {
                    int p = pgv_profile_parse(v);
                    if (p < 0) {
                        fprintf(stderr, "pgv classify: unknown profile '%s' (pg, popf, jrst, "
                                        "redpill, all)\n", v);
                        return 2;
                    }
                    all = false;
                    profile = (uint32_t)p;
                }
            } else if (!strcmp(a, "--samples")) {
                if (parse_u64(v, 10000000u, &samples) || samples == 0) {
                    fprintf(stderr, "pgv classify: --samples wants 1..10000000, not '%s'\n", v);
                    return 2;
                }
            } else if (parse_u64(v, UINT64_MAX, &seed)) {
                fprintf(stderr, "pgv classify: --seed wants an unsigned integer, not '%s'\n", v);
                return 2;
            }
        } else {
            fprintf(stderr, "pgv classify: unexpected argument '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }

    uint32_t profs[PGV_NPROFILES];
    unsigned np = 0;
    if (all)
        for (uint32_t p = 0; p < PGV_NPROFILES; p++)
            profs[np++] = p;
    else
        profs[np++] = profile;

    static pgv_cls_result res[PGV_NPROFILES];
    bool agrees = true;
    int rc = 0;
    for (unsigned k = 0; k < np; k++) {
        if (pgv_classify(profs[k], (uint32_t)samples, seed, &res[k]) != 0) {
            fprintf(stderr, "pgv classify: out of memory\n");
            for (unsigned j = 0; j < k; j++)
                pgv_cls_result_free(&res[j]);
            return 2;
        }
        if (pgv_cls_compare(&res[k], pgv_optab, NULL, 0) != 0)
            agrees = false;
    }
    if (json)
        print_json(stdout, res, profs, np, all, (uint32_t)samples, seed, agrees);
    else
        print_text(stdout, res, profs, np, (uint32_t)samples, seed);
    if (!json)
        printf("\n%s\n", agrees ? "derived classification == the manual's table"
                                : "the derived classification DISAGREES with the manual's table");
    rc = agrees ? 0 : 1;
    for (unsigned k = 0; k < np; k++)
        pgv_cls_result_free(&res[k]);
    return rc;
}
