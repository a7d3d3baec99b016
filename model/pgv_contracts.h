/* model/pgv_contracts.h — ACSL contracts of the model's functions (ISA manual §2–§8).
 *
 * The contracts of the functions declared in model/pgv.h, written against the
 * logic in spec/*.acsl (one concept per file): each gives requires, assigns and
 * ensures in that order, with one behavior per outcome ending in `complete
 * behaviors; disjoint behaviors;`.  Contracts that a static function of
 * model/machine.c shares with a public one (the trap, the step of a running
 * machine) are macros here, used in both places, so they cannot differ.  Included
 * by model/machine.c; for the C compiler it only declares macros.  Proved by
 * `make proofs` (proofs/run.sh); see proofs/REPORT.md.  All state predicates take a
 * pgv_state pointer and labels, never a state value (proofs/TRUSTED.md).
 */
#ifndef PGV_MODEL_CONTRACTS_H
#define PGV_MODEL_CONTRACTS_H
#include "pgv.h"
#include "../spec/state.acsl"
#include "../spec/translate.acsl"
#include "../spec/psw.acsl"
#include "../spec/trap.acsl"
#include "../spec/decode.acsl"
#include "../spec/classify.acsl"
#include "../spec/insn.acsl"
#include "../spec/step.acsl"

/*@ requires \valid(out);
    assigns *out;
    behavior legal:
      assumes Decodes(w);
      assigns *out;
      ensures \result == 1;
      ensures out->opc == Opc(w) && out->fmt == OpFmt(Opc(w));
      ensures out->rd == Rd(w) && out->rs == Rs(w) && out->rt == Rt(w);
      ensures out->imm == ImmOf(w);
    behavior illegal:
      assumes !Decodes(w);
      assigns \nothing;
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
bool pgv_decode(uint32_t w, pgv_insn *out);

/*@ requires \valid(pa);
    assigns *pa;
    behavior legal:
      assumes Legal(l, b, q, a);
      assigns *pa;
      ensures \result == 1 && *pa == Tr(l, a);
    behavior illegal:
      assumes !Legal(l, b, q, a);
      assigns \nothing;
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
bool pgv_translate(uint32_t l, uint32_t b, uint32_t q, uint32_t a, uint32_t *pa);

/*@ assigns \nothing;
    behavior privileged:
      assumes opc < 256 && profile < PGV_NPROFILES && Priv(opc, profile);
      ensures \result == 1;
    behavior not_privileged:
      assumes !(opc < 256 && profile < PGV_NPROFILES && Priv(opc, profile));
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
bool pgv_is_privileged(uint32_t opc, uint32_t profile);

/*@ requires \valid_read(s);
    assigns \nothing;
    ensures \result == StatusOf{Pre}(s);
*/
uint32_t pgv_status_word(const pgv_state *s);

/*@ requires \valid(s);
    assigns s->r[0 .. PGV_NREGS - 1], s->pc, s->l, s->b, s->mode, s->ie, s->flags,
            s->cause, s->timer, s->tp, s->halted, s->profile, s->mem, s->q, s->in,
            s->in_len, s->in_pos, s->out, s->out_cap, s->out_len, s->steps;
    ensures \forall integer i; 0 <= i < PGV_NREGS ==> s->r[i] == 0;
    ensures s->pc == entry && s->l == 0 && s->b == q;
    ensures s->mode == PGV_MODE_SUP && s->ie == 0 && s->flags == 0 && s->cause == 0;
    ensures s->timer == 0 && s->tp == 0 && s->halted == 0 && s->steps == 0;
    ensures s->profile == profile && s->mem == mem && s->q == q;
    ensures s->in == \null && s->in_len == 0 && s->in_pos == 0;
    ensures s->out == \null && s->out_cap == 0 && s->out_len == 0;
    ensures PGV_MIN_WORDS <= q <= PGV_MAX_WORDS && \valid(mem + (0 .. q - 1)) &&
            \separated(s, mem + (0 .. q - 1)) && profile < PGV_NPROFILES ==>
            WellFormed{Post}(s);
*/
void pgv_init(pgv_state *s, uint32_t *mem, uint32_t q, uint32_t profile, uint32_t entry);

/* §5 The trap (pgv_trap and its inlined body trap_core in model/machine.c). */
#define PGV_TRAP_CONTRACT                                                              \
    requires WellFormed(s);                                                            \
    assigns s->mem[PGV_OLD_PSW .. PGV_OLD_PSW + 3], s->mem[PGV_TRAP_INFO],             \
            s->mode, s->ie, s->flags, s->cause, s->pc, s->l, s->b;                     \
    ensures Trap{Pre,Post}(s, cause, info, saved_pc);                                  \
    ensures WellFormed(s);

/*@ PGV_TRAP_CONTRACT */
void pgv_trap(pgv_state *s, uint32_t cause, uint32_t info, uint32_t saved_pc);

#endif
