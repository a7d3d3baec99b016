/* proofs/canaries/emu_lpsw_ie.c — FALSE on purpose: "a wrong emulated PSW".  The VMM's
 * LPSW emulation is claimed to load IE from bit 0 of the status word (that is M; ISA
 * §5.1 puts IE in bit 1).  Written against pgv_emu_lpsw's contract
 * (vmm/interp_contracts.h) with the same predicates and the same trapped word; the gate
 * fails if WP proves it. */
#include "../../model/pgv.h"
#include "../../vmm/interp_contracts.h"

/*@ requires WellFormed(v);
    requires Opc(w) == PGV_OPC_LPSW;
    requires LpswLegal(v, EA(v, w)) && p == Tr(v->l, EA(v, w));
    assigns v->mode, v->ie, v->flags, v->cause, v->l, v->b, v->timer, v->tp, v->pc,
            v->steps;
    ensures canary_lpsw_ie_from_bit0:
      v->ie == StM(\at(v->mem[Tr(v->l, EA(v, w))], Pre));
*/
pgv_event canary(pgv_state *v, uint32_t w, uint32_t p)
{
    return pgv_emu_lpsw(v, w, p);
}
