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
