/* vmm/hybrid.c — the hybrid monitor's software interpreter (Popek & Goldberg Theorem 3).
 *
 * A hybrid VMM runs virtual user mode directly, like the trap-and-emulate VMM, but
 * interprets EVERY instruction the guest executes in virtual supervisor mode
 * (spec/VMM.md §9).  The interpreter is the reference machine's own step (ISA manual
 * §8.1, model pgv_step) applied to the VM's virtual pgv_state, whose storage is the
 * VM's allocation (mem = host storage + base, q = the guest's q): a step therefore
 * checks §2.3 against the guest's own q and cannot reach outside the allocation, and
 * traps land in the guest's low storage.  This is the only place the VMM runs model
 * code on a VM (listed in spec/VMM.md §10).  Each step is one guest step, counted as
 * "interpreted"; instructions that are sensitive only in supervisor mode (POPF in
 * profile popf, JRSTU in profile jrst) are thereby handled exactly.
 */
#include "monitor.h"

pgv_event pgv_hybrid_step(pgv_monitor *m, uint32_t i)
{
    pgv_vm *vm = &m->vm[i];
    pgv_event ev = pgv_step(&vm->v);
    if (ev != PGV_EV_IDLE)
        vm->c.interpreted++;
    return ev;
}
