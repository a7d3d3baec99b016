/* vmm/monitor.h — the VMM's internal data and the interfaces between its units (spec/VMM.md).
 *
 * A monitor (one VMM) runs on a host — the real machine, or a VM of another monitor
 * (recursion, spec/VMM.md §7) — and holds up to PGV_VMM_MAX_VMS virtual machines.
 * Each VM's virtual CPU is a pgv_state whose storage pointer is its allocation inside
 * the host's storage: that pgv_state, together with (base, q), IS the abstraction
 * function f from real states to virtual machines (spec/VMM.md §2).  The units are
 * the dispatcher (vmm/dispatch.c), the allocator (vmm/alloc.c), the interpreter
 * routines (vmm/interp.c), trap reflection (vmm/reflect.c) and the hybrid interpreter
 * (vmm/hybrid.c); vmm/vmm.c holds the run loop, the scheduler and the host
 * abstraction.  Nothing here allocates memory (ISA manual §5, §5.4, §8).
 */
#ifndef PGV_VMM_MONITOR_H
#define PGV_VMM_MONITOR_H

#include <stdbool.h>
#include <stdint.h>
#include "../model/pgv.h"
#include "vmm.h"

struct pgv_monitor;

/* The machine a monitor runs on (spec/VMM.md §7).  With mon == NULL it is the real
 * machine and run is pgv_run on cpu; otherwise it is VM `vm` of monitor `mon`, cpu is
 * that VM's virtual state and run is pgv_vmm_vm_run (pgv_run's semantics for a VM).
 * A monitor touches its host only through cpu (the host's PSW, registers, timer),
 * cpu->mem (the host's storage, including its low storage) and pgv_host_run.      */
typedef struct pgv_host {
    pgv_state *cpu;
    struct pgv_monitor *mon;
    uint32_t vm;
} pgv_host;

/* One virtual machine of a monitor. */
typedef struct pgv_vm {
    pgv_state v;             /* f: the VM's virtual state; v.mem = host storage + base */
    uint32_t base;           /* allocation [base, base + q) in host storage            */
    uint32_t q;              /* = v.q, kept apart so a corrupted v.q cannot widen it   */
    uint32_t finished;       /* scheduler: the VM halted, used its budget or faulted   */
    uint64_t left;           /* scheduler: guest steps left in the budget              */
    pgv_stop stop;           /* why it finished                                        */
    pgv_vmm_counters c;      /* efficiency counters                                    */
} pgv_vm;

/* One VMM (one level of the stack, spec/VMM.md §7). */
typedef struct pgv_monitor {
    pgv_host host;
    uint32_t level;          /* 0 runs on the real machine, depth - 1 is the top      */
    uint32_t profile;
    uint32_t hybrid;
    uint32_t slice;          /* scheduling quantum in guest steps (>= 1)              */
    uint32_t nvms;
    uint32_t size;           /* host storage words this monitor uses (<= host q)      */
    uint32_t newpsw[PGV_PSW_WORDS];  /* the new PSW it keeps at host E[4..7]          */
    pgv_vm vm[PGV_VMM_MAX_VMS];
    uint32_t *rc_violations; /* shared counter and first message (the report's)      */
    char *rc_first;
    size_t rc_len;
} pgv_monitor;

/* Internal result of running a VM for a while (vmm/vmm.c). */
typedef enum pgv_vmx {
    PGV_VMX_HALT,            /* the VM is halted                                      */
    PGV_VMX_BUDGET,          /* the VM used the step budget of this call              */
    PGV_VMX_TRAP,            /* a trap left the VM in virtual supervisor mode         */
    PGV_VMX_PREEMPT,         /* the scheduling slice ended                            */
    PGV_VMX_FAULT            /* resource control failed: the VM was stopped           */
} pgv_vmx;

/* What the dispatcher did with one exit (vmm/dispatch.c). */
typedef enum pgv_disp {
    PGV_DISP_NONE,           /* a scheduling/budget timer exit: no guest step         */
    PGV_DISP_EXEC,           /* an interpreter routine retired the instruction        */
    PGV_DISP_HALT,           /* the emulated instruction was HALT                     */
    PGV_DISP_TRAP,           /* a trap was reflected into the guest                   */
    PGV_DISP_FAULT           /* an exit the VMM cannot account for (resource control) */
} pgv_disp;

/* ---- vmm/alloc.c: the allocator; vmm/dispatch.c: the dispatcher --------------- */

/* Declarations and ACSL contracts (resource control, spec/compose.acsl): the layout,
 * the composed R and timer (static inline, so the proofs and tests/test_vmm.c see the
 * same code), the entry check, the final check, violations; the dispatcher's burst
 * and routing (pgv_dispatch_burst, pgv_dispatch).                                   */
#include "alloc_contracts.h"

/* ---- vmm/reflect.c: trap reflection ----------------------------------------------- */

/* §5 The trap, delivered into the guest as the native machine would: guest old PSW
 * at guest absolute E[0..3] (cause, saved P), info at E[8], new PSW from E[4..7];
 * TIMER also clears TP.  Counts the guest step.                                   */
void pgv_reflect(pgv_state *v, uint32_t cause, uint32_t info, uint32_t saved_pc);

/* ---- vmm/interp.c: interpreter routines (one per sensitive instruction, §6) ------ */

/* pgv_emu_halt .. pgv_emu_out, one routine per sensitive instruction (each given the
 * trapped word, whose fields are its operands), and the ACSL contracts of this section and of
 * pgv_reflect: equivalence per instruction and trap reflection, stated against the
 * manual's logic (spec/insn.acsl, spec/step.acsl, spec/vmm.acsl).                  */
#include "interp_contracts.h"
#include "../spec/vmm.acsl"        /* the abstraction f (needs pgv_monitor) */

/* ---- vmm/dispatch.c: see vmm/alloc_contracts.h (pgv_dispatch_burst, pgv_dispatch) */

/* ---- vmm/hybrid.c: the hybrid monitor's software interpreter (Theorem 3) ---------- */

/* Interpret one guest step of VM i in virtual supervisor mode (model pgv_step). */
pgv_event pgv_hybrid_step(pgv_monitor *m, uint32_t i);

/* ---- vmm/vmm.c: running VMs and hosts ------------------------------------------------ */

/* pgv_run's semantics for the host: the real machine or a VM (spec/VMM.md §7). */
pgv_stop pgv_host_run(pgv_host *h, uint64_t budget, unsigned flags, uint64_t *done);

/* pgv_run's semantics for VM i of m: step until halted, budget guest steps, or (with
 * PGV_RUN_STOP_ON_TRAP) a trap leaves the VM in virtual supervisor mode.          */
pgv_stop pgv_vmm_vm_run(pgv_monitor *m, uint32_t i, uint64_t budget, unsigned flags,
                        uint64_t *done);

/* Build a depth-cfg->depth stack in real_mem (real_q >= pgv_vmm_storage_words words):
 * mon[0] on the real machine *real, mon[j] on VM 0 of mon[j - 1], the top monitor with
 * cfg->vms VMs of q words; violations are counted into rep.  Arguments already valid. */
void pgv_vmm_stack_init(pgv_monitor mon[], pgv_state *real, const pgv_vmm_config *cfg,
                        uint32_t q, uint32_t *real_mem, uint64_t real_q, pgv_vmm_report *rep);

/* Load guest g as VM k of m: its virtual state and its storage (copied in). */
void pgv_vmm_load_guest(pgv_monitor *m, uint32_t k, const pgv_state *g);

#endif /* PGV_VMM_MONITOR_H */
