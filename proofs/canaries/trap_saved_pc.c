/* proofs/canaries/trap_saved_pc.c — FALSE on purpose: "a trap does not store the saved
 * P in the old PSW" (ISA §5.2 says E[1] := saved P).  Written against the model's own
 * contract of pgv_trap; the gate fails if WP proves it. */
#include "../../model/pgv.h"
#include "../../model/pgv_contracts.h"

/*@ requires \valid(s) && \valid(s->mem + (0 .. 15)) && s->q >= 16;
    assigns s->mem[0 .. 15], s->pc, s->l, s->b, s->mode, s->ie, s->flags, s->cause;
    ensures canary_saved_pc_not_stored: s->mem[PGV_OLD_PSW + 1] != 5;
*/
void canary(pgv_state *s)
{
    pgv_trap(s, PGV_CAUSE_SVC, 0, 5);
}
