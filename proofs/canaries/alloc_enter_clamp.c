/* proofs/canaries/alloc_enter_clamp.c — FALSE on purpose: two resource-control claims
 * that a hostile guest breaks, stated with the allocator's and the dispatcher's own
 * (proved) contracts (vmm/alloc_contracts.h).
 * (1) "entering a VM keeps the guest's bound as the real bound": a guest with
 *     R = (q - 1, 2) has a window that pokes one word past its allocation, so the
 *     allocator must clamp the real bound to 1 (spec/VMM.md §4) — the claim is false.
 * (2) "routing a BOUNDS exit leaves the VM's word E[8] alone": the reflection writes
 *     the trap's info at guest E[8], host word base + 8 — a frame that omits it is false.
 * The gate fails if WP proves either.
 * canary-files: model/optab.c
 */
#include "../../vmm/monitor.h"

/*@ requires VmView(m, i) && MonSep(m);
    requires VmState(m, i)->l == m->vm[i].q - 1 && VmState(m, i)->b == 2;
    requires HostCpu(m)->halted == 0;
    assigns HostCpu(m)->r[0 .. PGV_NREGS - 1], HostCpu(m)->pc, HostCpu(m)->flags,
            HostCpu(m)->mode, HostCpu(m)->ie, HostCpu(m)->cause, HostCpu(m)->l,
            HostCpu(m)->b, HostCpu(m)->timer, HostCpu(m)->tp,
            *m->rc_violations, m->rc_first[0 .. m->rc_len - 1];
    ensures canary_enter_keeps_guest_bound: \result == 1 ==> HostCpu(m)->b == 2;
*/
int canary_enter(pgv_monitor *m, uint32_t i)
{
    return pgv_alloc_enter(m, i, 1);
}

/*@ requires VmWellFormed(m, i) && MonSep(m) && VmIoSep(m, i);
    assigns VmState(m, i)->r[0 .. PGV_NREGS - 1], VmState(m, i)->pc, VmState(m, i)->l,
            VmState(m, i)->b, VmState(m, i)->mode, VmState(m, i)->ie,
            VmState(m, i)->flags, VmState(m, i)->cause, VmState(m, i)->timer,
            VmState(m, i)->tp, VmState(m, i)->halted, VmState(m, i)->steps,
            VmState(m, i)->in_pos, VmState(m, i)->out_len,
            VmState(m, i)->mem[PGV_OLD_PSW .. PGV_OLD_PSW + 3],
            VmState(m, i)->mem[PGV_TRAP_INFO],
            VmState(m, i)->out[0 .. VmState(m, i)->out_cap - 1],
            m->vm[i].c.emulated, m->vm[i].c.reflected,
            *m->rc_violations, m->rc_first[0 .. m->rc_len - 1];
    ensures canary_dispatch_frame_omits_info:
      HostMem(m)[m->vm[i].base + PGV_TRAP_INFO] ==
        \old(HostMem(m)[m->vm[i].base + PGV_TRAP_INFO]);
*/
void canary_dispatch(pgv_monitor *m, uint32_t i, uint32_t info, uint32_t saved_pc)
{
    pgv_dispatch(m, i, PGV_CAUSE_BOUNDS, info, saved_pc);
}
