/* vmm/vmm.h — the trap-and-emulate virtual machine monitor: public API (ISA manual §11).
 *
 * The VMM owns real supervisor mode and real low storage; every guest runs in real
 * user mode under a real relocation register confined to its allocation, and every
 * trap returns to the VMM (pgv_run with PGV_RUN_STOP_ON_TRAP).  Internally it is
 * split as in Popek & Goldberg and the seed's Figure 3: dispatcher (vmm/dispatch.c),
 * allocator (vmm/alloc.c), interpreter routines (vmm/interp.c), trap reflection
 * (vmm/reflect.c), the hybrid interpreter (vmm/hybrid.c) and recursion (a VMM's VM
 * is itself a machine a VMM can run on).  The caller sees one function: run K guests,
 * each given as the native initial state it would start from, and get back each
 * guest's final virtual state, the efficiency counters and the resource-control
 * verdict.
 */
#ifndef PGV_VMM_VMM_H
#define PGV_VMM_VMM_H

#include <stdint.h>
#include "../model/pgv.h"

#define PGV_VMM_MAX_VMS   8u
#define PGV_VMM_MAX_DEPTH 4u
#define PGV_VMM_RESERVED  16u    /* words the VMM owns at the bottom of its storage   */
#define PGV_VMM_GUARD     16u    /* guard words after each allocation                 */
#define PGV_VMM_SLICE     10000u /* default round-robin quantum, in guest steps       */

typedef struct pgv_vmm_config {
    uint32_t profile;   /* ISA profile of the real machine (and so of the VMs)        */
    uint32_t hybrid;    /* 0: trap-and-emulate (Theorem 1); 1: hybrid (Theorem 3)     */
    uint32_t depth;     /* 1..PGV_VMM_MAX_DEPTH VMMs stacked (Theorem 2); 1 = plain   */
    uint32_t vms;       /* 1..PGV_VMM_MAX_VMS VMs under the top VMM                   */
    uint32_t slice;     /* scheduling quantum in guest steps; 0 = PGV_VMM_SLICE       */
} pgv_vmm_config;

/* Efficiency counters (P&G's efficiency property as numbers). */
typedef struct pgv_vmm_counters {
    uint64_t direct;               /* guest steps executed directly (real user mode) */
    uint64_t emulated;             /* guest steps done by interpreter routines       */
    uint64_t interpreted;          /* guest steps interpreted (hybrid, virtual sup.)  */
    uint64_t reflected;            /* traps reflected into the guest                 */
    uint64_t exits[PGV_NCAUSES];   /* VM exits (real traps into the VMM) by cause    */
    uint64_t entries;              /* guest entries into real user mode              */
    uint64_t preemptions;          /* slices ended by the scheduling timer           */
} pgv_vmm_counters;

typedef struct pgv_vmm_report {
    pgv_stop stop[PGV_VMM_MAX_VMS];    /* PGV_STOP_HALT or PGV_STOP_BUDGET per VM        */
    pgv_vmm_counters vm[PGV_VMM_MAX_VMS];
    pgv_vmm_counters total;
    uint32_t rc_violations;            /* resource-control checks that failed            */
    char rc_first[200];                /* description of the first failure, or ""        */
    /* Additions (spec/VMM.md §11): counters of every VMM in the stack, summed over its
     * VMs.  level[0] is the VMM on the real machine, level[levels-1] the top one (whose
     * per-VM counters are vm[] and total above); levels = cfg->depth.                 */
    uint32_t levels;
    pgv_vmm_counters level[PGV_VMM_MAX_DEPTH];
} pgv_vmm_report;

/* Check a configuration; 0 if valid, else 2 with a message in err.                */
int pgv_vmm_config_check(const pgv_vmm_config *cfg, char *err, size_t errlen);

/* Real storage (in words) needed to run cfg->vms guests of guest_q words.          */
uint64_t pgv_vmm_storage_words(const pgv_vmm_config *cfg, uint32_t guest_q);

/* Run guests[0..cfg->vms-1] virtualized.  Each guests[k] holds the VM's initial
 * virtual state exactly as a native run would start from it (registers, PSW, R,
 * timer, storage guests[k]->mem of guests[k]->q words, I/O buffers); all guests
 * must have the same q and the same profile as cfg.  On return each holds its final
 * virtual state (storage copied back into guests[k]->mem, steps = guest steps) as it
 * stands after `budget` guest steps or at HALT.  real_mem has real_q words, at
 * least pgv_vmm_storage_words(cfg, q).  Returns 0, or 2 (invalid arguments, message
 * in rep->rc_first).  Resource control is checked throughout: rep->rc_violations.  */
int pgv_vmm_run(const pgv_vmm_config *cfg, pgv_state *const guests[], uint64_t budget,
                uint32_t *real_mem, uint64_t real_q, pgv_vmm_report *rep);

#endif
