/* tools/print.h — printing machine states for people and for programs (README §Output).
 *
 * One printer for `pgv run`, `pgv diff`, `pgv replay` and the fuzzer's reports:
 * a human-readable block, a JSON object, and two states side by side with the
 * differing fields marked (from pgv_compare's mismatch list).
 */
#ifndef PGV_TOOLS_PRINT_H
#define PGV_TOOLS_PRINT_H

#include <stdio.h>
#include "../model/compare.h"

/* Human-readable final state: registers, PSW, R, timer, TP, halted, steps, output. */
void pgv_print_state(FILE *f, const pgv_state *s);

/* The same as one JSON object (no trailing newline): keys r (array), pc, mode ("s"/"u"),
 * l, b, ie, flags, cause, timer, tp, halted, steps, in_pos, out_len, out (array). */
void pgv_print_state_json(FILE *f, const pgv_state *s);

/* Two states side by side (left title, right title), each differing field marked
 * with '*', followed by the differing storage and output words (from mm[0..n-1]). */
void pgv_print_side_by_side(FILE *f, const char *left, const pgv_state *a, const char *right,
                            const pgv_state *b, const pgv_mismatch *mm, size_t n);

/* One trace line for a step: steps, P, the disassembled instruction, the event. */
void pgv_print_trace_line(FILE *f, const pgv_state *before, pgv_event ev, const pgv_state *after);

/* s as a JSON string literal (quotes included, control characters escaped).     */
void pgv_print_json_string(FILE *f, const char *s);

#endif
