/* fuzz/stub_print.c — stand-in for tools/print.c, linked into the fuzz builds only while
 * tools/print.c does not exist yet (fuzz/Makefile picks it with $(wildcard)).  Prints
 * the two states as plain field lists with the mismatches marked; the real printer
 * (tools/print.h) replaces it as soon as it lands.
 */
#include <inttypes.h>
#include "../tools/print.h"

void pgv_print_state(FILE *f, const pgv_state *s)
{
    for (unsigned i = 0; i < PGV_NREGS; i++)
        fprintf(f, "r%u=0x%08x ", i, s->r[i]);
    fprintf(f, "\nP=%u M=%u l=0x%x b=0x%x IE=%u flags=%u cause=%u T=%u TP=%u halted=%u steps=%" PRIu64
               " in_pos=%u out_len=%u\n",
            s->pc, s->mode, s->l, s->b, s->ie, s->flags, s->cause, s->timer, s->tp, s->halted,
            s->steps, s->in_pos, s->out_len);
}

void pgv_print_state_json(FILE *f, const pgv_state *s)
{
    fprintf(f, "{\"pc\":%u,\"steps\":%" PRIu64 "}", s->pc, s->steps);
}

void pgv_print_side_by_side(FILE *f, const char *left, const pgv_state *a, const char *right,
                            const pgv_state *b, const pgv_mismatch *mm, size_t n)
{
    fprintf(f, "--- %s\n", left);
    pgv_print_state(f, a);
    fprintf(f, "--- %s\n", right);
    pgv_print_state(f, b);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  * %s[%u]: 0x%" PRIx64 " vs 0x%" PRIx64 "\n", mm[i].field, mm[i].index,
                mm[i].a, mm[i].b);
}

void pgv_print_trace_line(FILE *f, const pgv_state *before, pgv_event ev, const pgv_state *after)
{
    fprintf(f, "%" PRIu64 " P=%u %s\n", before->steps, before->pc, pgv_event_name(ev));
    (void)after;
}
