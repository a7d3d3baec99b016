/* proofs/canaries/vm_view_base.c — FALSE on purpose: an abstraction without relocation.
 * Under f (spec/vmm.acsl) virtual storage word a of VM i is host word base + a, and
 * base >= 16; claimed here: it is host word a.  The gate fails if WP proves it. */
#include "../../vmm/monitor.h"

/*@ requires VmWellFormed(m, i) && a < m->vm[i].q;
    assigns \nothing;
    ensures canary_view_unrelocated: VmState(m, i)->mem[a] == HostMem(m)[a];
*/
void canary(pgv_monitor *m, uint32_t i, uint32_t a)
{
}
