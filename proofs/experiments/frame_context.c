/* proofs/experiments/frame_context.c — a reduced test of why pgv_dispatch's frame goals do
 * not prove (proofs/KNOWN_UNPROVED, proofs/STATUS.md session 9).  Not part of the gate.
 *
 * Two callers make the same call shape as pgv_dispatch's emulation path: VM record v
 * (written by the callee in pgv_interp's 17 regions, PGV_INTERP_WRITES), another VM
 * record u separate from it, and one frame fact to prove after the call: u->pc is
 * unchanged.  The callees differ only in their postconditions:
 *   frame_only   assigns PGV_INTERP_WRITES and ensures nothing;
 *   with_interp  the same assigns, plus pgv_interp's WellFormed and Interp (the
 *                per-opcode effects, spec/interp.acsl).
 * Measured (session 9, 2-core machine, Z3 4.8.12 and CVC4 1.8, 30 s):
 *   after_frame_only: a_pc proved (Z3, about 3 s);
 *   after_interp:     a_pc NOT proved (Z3 times out, CVC4 times out; 120 s did not help).
 * So the callee's functional postcondition alone makes a one-field frame fact
 * unprovable.  It is not the only cost: without it, one-field facts prove, but the
 * whole SameVmState (about 30 fields) under pgv_dispatch's preconditions still times
 * out (STATUS.md, session 9).  With Z3's auto_config=false the SMT-LIB file of
 * after_interp's goal is solved in 6-25 s; on pgv_dispatch itself that did not prove
 * any listed goal at 60 s (STATUS.md).
 * Run: frama-c '-cpp-extra-args=-I. -D_POSIX_C_SOURCE=200809L' \
 *        proofs/experiments/frame_context.c -wp -wp-prover z3,cvc4 -wp-timeout 30
 */
#include "vmm/monitor.h"

/* pgv_interp's write set and its one-predicate contract Interp (spec/interp.acsl until
 * session 11, when pgv_interp, which no code called any more, was removed), kept here
 * so that this reduced test still runs as it did.                                  */
/* What pgv_interp (removed in session 11) could write: every routine's writes. */
#define PGV_INTERP_WRITES                                                              \
            v->r[0 .. PGV_NREGS - 1], v->pc, v->l, v->b, v->mode, v->ie, v->flags,     \
            v->cause, v->timer, v->tp, v->halted, v->steps, v->in_pos, v->out_len,     \
            v->mem[PGV_OLD_PSW .. PGV_OLD_PSW + 3], v->mem[PGV_TRAP_INFO],             \
            v->out[0 .. v->out_cap - 1]

/*@
  predicate Interp{A,B}(pgv_state *s, integer w, integer ev) =
    (EmuIs(w, PGV_OPC_HALT) ==> ev == PGV_EV_HALT && Insn_HALT{A,B}(s, w)) &&
    (EmuIs(w, PGV_OPC_LPSW) ==>
        (LpswLegal{A}(s, EA{A}(s, w)) ==> ev == PGV_EV_EXEC && Insn_LPSW{A,B}(s, w)) &&
        (!LpswLegal{A}(s, EA{A}(s, w)) ==> ev == PGV_EV_TRAP &&
            StepTrap{A,B}(s, PGV_CAUSE_BOUNDS, EA{A}(s, w), \at(s->pc,A)))) &&
    (EmuIs(w, PGV_OPC_RDPSW) ==> ev == PGV_EV_EXEC && Insn_RDPSW{A,B}(s, w)) &&
    (EmuIs(w, PGV_OPC_SETR) ==> ev == PGV_EV_EXEC && Insn_SETR{A,B}(s, w)) &&
    (EmuIs(w, PGV_OPC_RDR) ==> ev == PGV_EV_EXEC && Insn_RDR{A,B}(s, w)) &&
    (EmuIs(w, PGV_OPC_STMR) ==> ev == PGV_EV_EXEC && Insn_STMR{A,B}(s, w)) &&
    (EmuIs(w, PGV_OPC_RDTMR) ==> ev == PGV_EV_EXEC && Insn_RDTMR{A,B}(s, w)) &&
    (EmuIs(w, PGV_OPC_EI) ==> ev == PGV_EV_EXEC && Insn_EI{A,B}(s, w)) &&
    (EmuIs(w, PGV_OPC_DI) ==> ev == PGV_EV_EXEC && Insn_DI{A,B}(s, w)) &&
    (EmuIs(w, PGV_OPC_POPF) ==> ev == PGV_EV_EXEC && Insn_POPF{A,B}(s, w)) &&
    (EmuIs(w, PGV_OPC_PUSHF) ==> ev == PGV_EV_EXEC && Insn_PUSHF{A,B}(s, w)) &&
    (EmuIs(w, PGV_OPC_JRSTU) ==> ev == PGV_EV_EXEC && Insn_JRSTU{A,B}(s, w)) &&
    (EmuIs(w, PGV_OPC_IN) ==> ev == PGV_EV_EXEC && Insn_IN{A,B}(s, w)) &&
    (EmuIs(w, PGV_OPC_OUT) ==> ev == PGV_EV_EXEC && Insn_OUT{A,B}(s, w)) &&
    (!(Decodes(w) && EmuOp(Opc(w))) ==> ev == PGV_EV_IDLE && Unchanged{A,B}(s));
*/

/*@ requires \valid(v);
    assigns PGV_INTERP_WRITES;
*/
pgv_event frame_only(pgv_state *v, uint32_t w);

/*@ requires \valid(v);
    assigns PGV_INTERP_WRITES;
    ensures WellFormed(v);
    ensures Interp{Pre,Post}(v, w, \result);
*/
pgv_event with_interp(pgv_state *v, uint32_t w);

/*@ requires \valid(v) && \valid(u) && \separated(v, u);
    requires \separated(v->mem + (0 .. 8), u);
    requires \separated(v->out + (0 .. v->out_cap - 1), u);
*/
void after_frame_only(pgv_state *v, pgv_state *u, uint32_t w)
{
    frame_only(v, w);
    /*@ assert a_pc: u->pc == \at(u->pc, Pre); */
}

/*@ requires \valid(v) && \valid(u) && \separated(v, u);
    requires \separated(v->mem + (0 .. 8), u);
    requires \separated(v->out + (0 .. v->out_cap - 1), u);
*/
void after_interp(pgv_state *v, pgv_state *u, uint32_t w)
{
    with_interp(v, w);
    /*@ assert a_pc: u->pc == \at(u->pc, Pre); */
}
