/* proofs/canaries/reflect_saved_next.c — FALSE on purpose: "a reflection saves P + 1".
 * Only SVC's saved P is the next instruction (ISA §5.2), and the dispatcher passes it;
 * pgv_reflect stores the saved P it is given.  Claimed here: the guest's old PSW
 * holds saved_pc + 1.  Written against pgv_reflect's contract (vmm/interp_contracts.h)
 * with the spec's TrapStored; the gate fails if WP proves it. */
#include "../../model/pgv.h"
#include "../../vmm/interp_contracts.h"

/*@ requires WellFormed(v);
    assigns v->mem[PGV_OLD_PSW .. PGV_OLD_PSW + 3], v->mem[PGV_TRAP_INFO],
            v->mode, v->ie, v->flags, v->cause, v->pc, v->l, v->b, v->tp, v->steps;
    ensures canary_reflect_saves_next:
      TrapStored{Pre,Post}(v, cause, info, (uint32_t)(saved_pc + 1));
*/
void canary(pgv_state *v, uint32_t cause, uint32_t info, uint32_t saved_pc)
{
    pgv_reflect(v, cause, info, saved_pc);
}
