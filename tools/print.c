/* tools/print.c — printing machine states for people and for programs (ISA manual §2, §5, §8).
 *
 * The one printer behind `pgv run`, `pgv diff`, `pgv replay` and the fuzzer's reports
 * (tools/print.h).  It shows the whole state of §2 — registers, the PSW of §5 (M, P,
 * R = (l, b), IE, flags, cause), timer and TP (§5.4), halted, steps and the I/O
 * channel — as a readable block (output words also as characters when printable), as
 * one JSON object, side by side for two states with the differing fields marked, and
 * as one trace line per step (the disassembled instruction, and what the step did:
 * changed registers and PSW fields, or the trap taken with its cause and info read
 * back from low storage E[0] and E[8], §5).
 */
#include <inttypes.h>
#include <string.h>
#include "print.h"
#include "image.h"

static void flags_str(uint32_t f, char out[4])
{
    out[0] = (f & PGV_FLAG_Z) ? 'Z' : '-';
    out[1] = (f & PGV_FLAG_N) ? 'N' : '-';
    out[2] = (f & PGV_FLAG_C) ? 'C' : '-';
    out[3] = 0;
}

/* A word as a character literal when it is printable ASCII, else "". */
static const char *char_of(uint32_t w, char buf[8])
{
    if (w >= 0x20 && w < 0x7F) {
        if (w == '\'' || w == '\\')
            snprintf(buf, 8, "'\\%c'", (char)w);
        else
            snprintf(buf, 8, "'%c'", (char)w);
    } else if (w == '\n') {
        snprintf(buf, 8, "'\\n'");
    } else if (w == '\t') {
        snprintf(buf, 8, "'\\t'");
    } else {
        buf[0] = 0;
    }
    return buf;
}

static uint32_t kept_out(const pgv_state *s)
{
    if (!s->out)
        return 0;
    return s->out_len < s->out_cap ? s->out_len : s->out_cap;
}

void pgv_print_state(FILE *f, const pgv_state *s)
{
    char fl[4], cb[8];
    flags_str(s->flags, fl);
    fprintf(f, "  halted  %-3s      steps %" PRIu64 "      profile %s\n", s->halted ? "yes" : "no",
            s->steps, pgv_profile_name(s->profile));
    fprintf(f, "  P       0x%08X   M %s (%s)   IE %u   flags %s   cause %u (%s)\n", s->pc,
            s->mode == PGV_MODE_USER ? "u" : "s", s->mode == PGV_MODE_USER ? "user" : "supervisor",
            s->ie, fl, s->cause, pgv_cause_name(s->cause));
    fprintf(f, "  R       l 0x%08X   b 0x%08X   (storage q = %u words)\n", s->l, s->b, s->q);
    fprintf(f, "  timer   %u   TP %u\n", s->timer, s->tp);
    for (unsigned i = 0; i < PGV_NREGS; i += 4)
        fprintf(f, "  r%u-r%u   0x%08X 0x%08X 0x%08X 0x%08X\n", i, i + 3, s->r[i], s->r[i + 1],
                s->r[i + 2], s->r[i + 3]);
    fprintf(f, "  input   %u of %u words read\n", s->in_pos, s->in_len);
    uint32_t k = kept_out(s);
    fprintf(f, "  output  %u word%s", s->out_len, s->out_len == 1 ? "" : "s");
    if (k < s->out_len)
        fprintf(f, " (first %u kept, --out-cap)", k);
    if (k) {
        fputs("   text \"", f);
        for (uint32_t i = 0; i < k; i++) {
            uint32_t w = s->out[i];
            if (w == '\n')
                fputs("\\n", f);
            else if (w == '"' || w == '\\')
                fprintf(f, "\\%c", (char)w);
            else
                fputc(w >= 0x20 && w < 0x7F ? (int)w : '.', f);
        }
        fputc('"', f);
    }
    fputc('\n', f);
    for (uint32_t i = 0; i < k; i++)
        fprintf(f, "    out[%u] = 0x%08X  %10u%s%s\n", i, s->out[i], s->out[i],
                char_of(s->out[i], cb)[0] ? "  " : "", cb);
}

void pgv_print_state_json(FILE *f, const pgv_state *s)
{
    fputs("{\"r\":[", f);
    for (unsigned i = 0; i < PGV_NREGS; i++)
        fprintf(f, "%s%u", i ? "," : "", s->r[i]);
    fprintf(f, "],\"pc\":%u,\"mode\":\"%s\",\"l\":%u,\"b\":%u,\"ie\":%u,\"flags\":%u,"
               "\"cause\":%u,\"timer\":%u,\"tp\":%u,\"halted\":%u,\"steps\":%" PRIu64
               ",\"in_pos\":%u,\"out_len\":%u,\"out\":[",
            s->pc, s->mode == PGV_MODE_USER ? "u" : "s", s->l, s->b, s->ie, s->flags, s->cause,
            s->timer, s->tp, s->halted, s->steps, s->in_pos, s->out_len);
    uint32_t k = kept_out(s);
    for (uint32_t i = 0; i < k; i++)
        fprintf(f, "%s%u", i ? "," : "", s->out[i]);
    fputs("]}", f);
}

static void row(FILE *f, const char *name, uint64_t a, uint64_t b, int hex)
{
    char x[32], y[32];
    if (hex) {
        snprintf(x, sizeof x, "0x%08" PRIX64, a);
        snprintf(y, sizeof y, "0x%08" PRIX64, b);
    } else {
        snprintf(x, sizeof x, "%" PRIu64, a);
        snprintf(y, sizeof y, "%" PRIu64, b);
    }
    fprintf(f, "%c %-8s %-20s %-20s\n", a != b ? '*' : ' ', name, x, y);
}

void pgv_print_side_by_side(FILE *f, const char *left, const pgv_state *a, const char *right,
                            const pgv_state *b, const pgv_mismatch *mm, size_t n)
{
    char nm[16];
    fprintf(f, "  %-8s %-20s %-20s\n", "field", left, right);
    for (unsigned i = 0; i < PGV_NREGS; i++) {
        snprintf(nm, sizeof nm, "r%u", i);
        row(f, nm, a->r[i], b->r[i], 1);
    }
    row(f, "pc", a->pc, b->pc, 1);
    row(f, "l", a->l, b->l, 1);
    row(f, "b", a->b, b->b, 1);
    row(f, "mode", a->mode, b->mode, 0);
    row(f, "ie", a->ie, b->ie, 0);
    row(f, "flags", a->flags, b->flags, 0);
    row(f, "cause", a->cause, b->cause, 0);
    row(f, "timer", a->timer, b->timer, 0);
    row(f, "tp", a->tp, b->tp, 0);
    row(f, "halted", a->halted, b->halted, 0);
    row(f, "steps", a->steps, b->steps, 0);
    row(f, "in_pos", a->in_pos, b->in_pos, 0);
    row(f, "out_len", a->out_len, b->out_len, 0);
    row(f, "q", a->q, b->q, 0);
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(mm[i].field, "mem") != 0 && strcmp(mm[i].field, "out") != 0)
            continue;
        if (shown++ == 0)
            fprintf(f, "  differing storage and output words:\n");
        char cb1[8], cb2[8];
        if (strcmp(mm[i].field, "mem") == 0)
            fprintf(f, "* mem[0x%08X] 0x%08" PRIX64 "           0x%08" PRIX64 "\n", mm[i].index,
                    mm[i].a, mm[i].b);
        else
            fprintf(f, "* out[%u]%*s 0x%08" PRIX64 " %-8s  0x%08" PRIX64 " %s\n", mm[i].index,
                    mm[i].index < 10 ? 5 : mm[i].index < 100 ? 4 : 1, "", mm[i].a,
                    char_of((uint32_t)mm[i].a, cb1), mm[i].b, char_of((uint32_t)mm[i].b, cb2));
    }
}

/* The instruction word a step started from (the storage is the one after the step:
 * only a store into the instruction's own word, or a trap into E[0..8], can differ). */
static int fetch_before(const pgv_state *s, uint32_t *w)
{
    uint32_t pa;
    if (!pgv_translate(s->l, s->b, s->q, s->pc, &pa) || !s->mem)
        return 0;
    *w = s->mem[pa];
    return 1;
}

void pgv_print_trace_line(FILE *f, const pgv_state *before, pgv_event ev, const pgv_state *after)
{
    char text[64], fl[4], cb[8];
    uint32_t w = 0;
    uint32_t cause = 0, info = 0;
    if (ev == PGV_EV_TRAP && after->mem && after->q > PGV_TRAP_INFO) {
        cause = (after->mem[PGV_OLD_PSW] >> PGV_ST_CAUSE_SH) & PGV_ST_CAUSE_MASK;
        info = after->mem[PGV_TRAP_INFO];
    }
    if (ev == PGV_EV_TRAP && cause == PGV_CAUSE_TIMER)
        snprintf(text, sizeof text, "(timer interrupt)");
    else if (ev == PGV_EV_TRAP && (cause == PGV_CAUSE_PRIV || cause == PGV_CAUSE_ILLEGAL))
        pgv_disasm_word(info, before->pc, text, sizeof text);   /* info = the word (§5) */
    else if (fetch_before(before, &w))
        pgv_disasm_word(w, before->pc, text, sizeof text);
    else
        snprintf(text, sizeof text, "(fetch outside R)");
    fprintf(f, "%10" PRIu64 "  %c %08X  %s", after->steps,
            before->mode == PGV_MODE_USER ? 'u' : 's', before->pc, text);
    int pad = 28 - (int)strlen(text);   /* the effects column, when there is one */
    if (pad < 0)
        pad = 0;
    int trailing = ev == PGV_EV_EXEC &&
        memcmp(after->r, before->r, sizeof after->r) == 0 && after->flags == before->flags &&
        after->mode == before->mode && after->ie == before->ie && after->l == before->l &&
        after->b == before->b && after->tp == before->tp && after->out_len == before->out_len &&
        after->in_pos == before->in_pos && after->pc == before->pc + 1u &&
        (after->timer == before->timer ||
         (before->timer != 0 && after->timer == before->timer - 1u));
    if (!trailing)
        fprintf(f, "%*s", pad, "");
    switch (ev) {
    case PGV_EV_TRAP:
        fprintf(f, " TRAP %s info=0x%X -> P=0x%X M=%s R=(0x%X,0x%X)", pgv_cause_name(cause), info,
                after->pc, after->mode == PGV_MODE_USER ? "u" : "s", after->l, after->b);
        break;
    case PGV_EV_IDLE:
        fputs(" (halted)", f);
        break;
    case PGV_EV_HALT:
        fputs(" HALT", f);
        /* fall through */
    case PGV_EV_EXEC:
        for (unsigned i = 0; i < PGV_NREGS; i++)
            if (after->r[i] != before->r[i])
                fprintf(f, " r%u=0x%X", i, after->r[i]);
        if (after->flags != before->flags) {
            flags_str(after->flags, fl);
            fprintf(f, " flags=%s", fl);
        }
        if (after->mode != before->mode)
            fprintf(f, " M=%s", after->mode == PGV_MODE_USER ? "u" : "s");
        if (after->ie != before->ie)
            fprintf(f, " IE=%u", after->ie);
        if (after->l != before->l || after->b != before->b)
            fprintf(f, " R=(0x%X,0x%X)", after->l, after->b);
        if (after->timer != before->timer &&
            !(before->timer != 0 && after->timer == before->timer - 1u))
            fprintf(f, " T=%u", after->timer);
        if (after->tp != before->tp)
            fprintf(f, " TP=%u", after->tp);
        if (after->out_len != before->out_len && after->out && before->out_len < after->out_cap)
            fprintf(f, " out+=0x%X %s", after->out[before->out_len],
                    char_of(after->out[before->out_len], cb));
        if (after->in_pos != before->in_pos)
            fprintf(f, " in#%u", before->in_pos);
        if (after->pc != before->pc + 1u && ev == PGV_EV_EXEC)
            fprintf(f, " -> 0x%X", after->pc);
        break;
    }
    fputc('\n', f);
}

void pgv_print_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}
