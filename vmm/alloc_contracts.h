/* vmm/alloc_contracts.h — the allocator and the dispatcher's routing: declarations and
 * ACSL contracts (spec/VMM.md §3, §4, §5, §6, §8; resource control).
 *
 * Resource control as proved here, against spec/compose.acsl and spec/vmm.acsl:
 * the layout puts every VM's allocation above the monitor's reserved words, inside
 * the host storage, pairwise disjoint and clear of every guard word
 * (pgv_alloc_layout); the composed R is the exact composition of spec/VMM.md §4, its
 * window inside the allocation, legal exactly where the virtual R is
 * (pgv_alloc_compose_r); the composed timer is at least 1, at most the step limit
 * and never beyond the virtual timer (pgv_alloc_timer); on every return to a guest
 * the real mode is user, IE is 1, the real timer is k >= 1 and the real R lies inside
 * that VM's allocation, and the host's registers, P and flags are the VM's
 * (pgv_alloc_enter); routing an exit changes only VM i's record, its trap words
 * E[0..3], E[8] and its output log — the VMM-owned storage, every other host word and
 * every other VM are unchanged (pgv_dispatch).  House style of model/pgv_contracts.h:
 * requires, assigns, ensures, behaviors; predicates over pointers with labels only
 * (/work/shared/notes/wp-pitfalls.md §1).  Included by vmm/monitor.h after the
 * typedefs; for the C compiler it only declares (and defines the two inline
 * compositions).  Proved by the units vmm_alloc and vmm_dispatch (proofs/units, unproved
 * goals listed in proofs/KNOWN_UNPROVED); pgv_dispatch_burst, pgv_alloc_note are not.
 */
#ifndef PGV_VMM_ALLOC_CONTRACTS_H
#define PGV_VMM_ALLOC_CONTRACTS_H
#include "../model/pgv.h"
#include "../model/pgv_contracts.h"
#include "../spec/compose.acsl"
#include "../spec/interp.acsl"

/* ---- vmm/alloc.c: the allocator ------------------------------------------------- */

/* Reserved-word and guard patterns (spec/VMM.md §3). */
#define PGV_VMM_RESERVED_PATTERN(i) (0x50475600u + (uint32_t)(i))   /* "PGV" + i (i < 16) */
#define PGV_VMM_GUARD_PATTERN(i)    (0x47D0A5C3u + (uint32_t)(i) * 0x9E3779B9u)
/* The same patterns as ACSL terms (wrapping mod 2^32, as in C).  Arithmetic, not
 * bitwise: with | and ^ the provers unfold the patterns into bit operations they
 * cannot handle and time out on goals that only need the two sides to be equal. */
/*@ logic integer ReservedPattern(integer i) = 0x50475600 + i;
    logic integer GuardPattern(integer a) = (uint32_t)(0x47D0A5C3 + (uint32_t)(a * 0x9E3779B9));
*/

/* Host storage words one monitor needs for nvms VMs of q words. */
/*@ assigns \nothing;
    ensures nvms <= PGV_VMM_MAX_VMS ==> \result == AllocSize(nvms, q);
*/
uint64_t pgv_alloc_size(uint32_t nvms, uint32_t q);

/* Lay out m's storage in its host: bases, reserved words (new PSW at E[4..7], the
 * pattern at E[9..15]) and guard words.  The VMs' storage itself is not touched.
 * The caller (pgv_vmm_stack_init) sized the host storage by pgv_vmm_storage_words,
 * which is at least pgv_alloc_size(nvms, q).                                        */
/*@ requires MonSep(m);
    requires m->nvms <= PGV_VMM_MAX_VMS;
    requires AllocSize(m->nvms, q) <= HostQ(m);
    assigns m->newpsw[0 .. PGV_PSW_WORDS - 1], m->vm[0 .. m->nvms - 1].base,
            m->vm[0 .. m->nvms - 1].q, HostMem(m)[0 .. AllocSize(m->nvms, q) - 1];
    ensures newpsw: m->newpsw[0] == PGV_MODE_SUP && m->newpsw[1] == 0 &&
                    m->newpsw[2] == 0 && m->newpsw[3] == m->size;
    ensures reserved: \forall integer a; 0 <= a < PGV_VMM_RESERVED ==>
      HostMem(m)[a] == (PGV_NEW_PSW <= a < PGV_NEW_PSW + PGV_PSW_WORDS ?
                        m->newpsw[a - PGV_NEW_PSW] : ReservedPattern(a));
    ensures bases: \forall integer k; 0 <= k < m->nvms ==>
      m->vm[k].base == AllocBase(k, q) && m->vm[k].q == q;
    ensures guards: \forall integer k, g; 0 <= k < m->nvms && 0 <= g < PGV_VMM_GUARD ==>
      HostMem(m)[AllocBase(k, q) + q + g] == GuardPattern(AllocBase(k, q) + q + g);
    ensures untouched: \forall integer k, a; 0 <= k < m->nvms && 0 <= a < q ==>
      HostMem(m)[AllocBase(k, q) + a] == \old(HostMem(m)[AllocBase(k, q) + a]);
    ensures disjoint: \forall integer j, k; 0 <= j < k < m->nvms ==>
      m->vm[j].base + m->vm[j].q + PGV_VMM_GUARD <= m->vm[k].base;
    ensures layout: LayoutOk(m);
*/
void pgv_alloc_layout(pgv_monitor *m, uint32_t q);

/* §2.3 composition of the virtual R with the allocation (base, q) (spec/VMM.md §4).
 * rl wraps mod 2^32 only if base + q does not fit in a word (never for an allocation
 * inside 32-bit-addressable host storage: the "inside" postcondition's premise).    */
/*@ requires \valid(rl) && \valid(rb) && \separated(rl, rb);
    assigns *rl, *rb;
    ensures composed: *rl == (uint32_t)ComposeL(base, q, vl) && *rb == ComposeB(q, vl, vb);
    ensures inside: base + q <= 0xFFFFFFFF ==>
      *rl == ComposeL(base, q, vl) && base <= *rl && *rl + *rb <= base + q;
    ensures legal: base + q <= 0xFFFFFFFF ==> \forall integer hq, a; base + q <= hq ==>
      (Legal(*rl, *rb, hq, a) <==> Legal(vl, vb, q, a));
    ensures tr: base + q <= 0xFFFFFFFF ==> \forall integer a;
      Legal(vl, vb, q, a) ==> Tr(*rl, a) == base + Tr(vl, a);
    behavior window:
      assumes vl < q;
      ensures *rb == (vb < q - vl ? vb : q - vl);
    behavior empty:
      assumes vl >= q;
      ensures *rl == base && *rb == 0;
    complete behaviors;
    disjoint behaviors;
*/
static inline void pgv_alloc_compose_r(uint32_t base, uint32_t q, uint32_t vl, uint32_t vb,
                                       uint32_t *rl, uint32_t *rb)
{
    if (vl < q) {
        *rl = base + vl;
        *rb = vb < q - vl ? vb : q - vl;
    } else {
        *rl = base;
        *rb = 0;
    }
}

/* §5.4 composition of the virtual timer with the step limit lim (>= 1) of this entry
 * (the remaining budget and the remaining slice): the real timer (spec/VMM.md §5).
 * The run loop's lim is at most the slice, a word; a larger lim is truncated.       */
/*@ assigns \nothing;
    ensures \result == (uint32_t)ComposeTimer(vtimer, lim);
    behavior limited:
      assumes 1 <= lim <= 0xFFFFFFFF;
      ensures \result == ComposeTimer(vtimer, lim);
      ensures 1 <= \result <= lim;
      ensures vtimer != 0 ==> \result <= vtimer;
    behavior other:
      assumes !(1 <= lim <= 0xFFFFFFFF);
    complete behaviors;
    disjoint behaviors;
*/
static inline uint32_t pgv_alloc_timer(uint32_t vtimer, uint64_t lim)
{
    uint64_t k = lim;
    if (vtimer != 0 && vtimer < k)
        k = vtimer;
    return (uint32_t)k;
}

/* Record a resource-control violation (counted; the first message kept). */
/*@ requires RcOk(m);
    assigns *m->rc_violations, m->rc_first[0 .. m->rc_len - 1];
    ensures counted: *m->rc_violations == (uint32_t)(\old(*m->rc_violations) + 1);
*/
void pgv_alloc_violation(pgv_monitor *m, uint32_t i, const char *what, uint32_t x);

/* Check resource control on the PSW a direct run of VM i with real timer k needs
 * (mode user, R inside the allocation, IE 1, timer k >= 1), then load the host CPU
 * with it.  false: a violation was recorded and the VM must not be entered.  The
 * caller's k is pgv_alloc_timer(v.timer, lim) with lim >= 1, so the refusal happens
 * only on a halted host (which the VMM never produces: HALT is privileged).         */
/*@ requires view: VmView(m, i);
    requires sep: MonSep(m);
    assigns HostCpu(m)->r[0 .. PGV_NREGS - 1], HostCpu(m)->pc, HostCpu(m)->flags,
            HostCpu(m)->mode, HostCpu(m)->ie, HostCpu(m)->cause, HostCpu(m)->l,
            HostCpu(m)->b, HostCpu(m)->timer, HostCpu(m)->tp,
            *m->rc_violations, m->rc_first[0 .. m->rc_len - 1];
    ensures regs: \forall integer j; 0 <= j < PGV_NREGS ==>
      HostCpu(m)->r[j] == VmState(m, i)->r[j];
    ensures psw: HostCpu(m)->pc == VmState(m, i)->pc &&
      HostCpu(m)->flags == VmState(m, i)->flags && HostCpu(m)->mode == PGV_MODE_USER &&
      HostCpu(m)->ie == 1 && HostCpu(m)->cause == 0;
    ensures timer: HostCpu(m)->timer == k && HostCpu(m)->tp == 0;
    ensures r: HostCpu(m)->l == ComposeL(m->vm[i].base, m->vm[i].q, VmState(m, i)->l) &&
      HostCpu(m)->b == ComposeB(m->vm[i].q, VmState(m, i)->l, VmState(m, i)->b);
    ensures legal: \forall integer a;
      Legal(HostCpu(m)->l, HostCpu(m)->b, HostCpu(m)->q, a) <==>
      Legal(VmState(m, i)->l, VmState(m, i)->b, VmState(m, i)->q, a);
    ensures tr: \forall integer a; Legal(VmState(m, i)->l, VmState(m, i)->b, VmState(m, i)->q, a) ==>
      Tr(HostCpu(m)->l, a) == m->vm[i].base + Tr(VmState(m, i)->l, a);
    ensures composed: Composed(HostCpu(m), VmState(m, i), m->vm[i].base);
    ensures direct: VmDirect(m, i, k, VmState(m, i));
    behavior enter:
      assumes k != 0 && HostCpu(m)->halted == 0;
      ensures \result == 1;
      ensures confined: HostCpu(m)->mode == PGV_MODE_USER && HostCpu(m)->ie == 1 &&
        HostCpu(m)->timer >= 1 && HostCpu(m)->tp == 0 && HostCpu(m)->halted == 0 &&
        m->vm[i].base <= HostCpu(m)->l &&
        HostCpu(m)->l + HostCpu(m)->b <= m->vm[i].base + m->vm[i].q &&
        m->vm[i].base + m->vm[i].q <= HostCpu(m)->q;
      ensures *m->rc_violations == \old(*m->rc_violations);
    behavior refuse:
      assumes k == 0 || HostCpu(m)->halted != 0;
      ensures \result == 0;
      ensures *m->rc_violations == (uint32_t)(\old(*m->rc_violations) + 1);
    complete behaviors;
    disjoint behaviors;
*/
bool pgv_alloc_enter(pgv_monitor *m, uint32_t i, uint32_t k);

/* End-of-run resource control: reserved words (but E[0..3], E[8]) and guard words
 * unchanged.  Records violations; reads only.                                       */
/*@ requires MonSep(m);
    requires LayoutOk(m);
    assigns *m->rc_violations, m->rc_first[0 .. m->rc_len - 1];
*/
void pgv_alloc_check_final(pgv_monitor *m);

/* ---- vmm/dispatch.c: one direct run and its exit --------------------------------- */

/* Enter VM i directly for at most lim >= 1 guest steps, run it on the host until the
 * next exit, account the directly executed steps into *n, then dispatch the exit.
 * No contract proved: it runs the host (pgv_host_run: the real machine, or a whole
 * lower monitor for nested VMMs) — proofs/PENDING.                                 */
pgv_disp pgv_dispatch_burst(pgv_monitor *m, uint32_t i, uint64_t lim, uint64_t *n);

/* pgv_dispatch's outcome for one emulated opcode OP (the PRIV exit's word w). */
#define PGV_DISP_EMU(OP, EV)                                                           \
      ensures Opc(info) == PGV_OPC_##OP ==>                                            \
        \result == EV && Insn_##OP{Pre,Post}(VmState(m, i), info);

/* Route one exit of VM i (cause and info from the host's low storage, saved P).
 * Resource control: it writes only VM i's record, its trap words E[0..3], E[8] (by
 * reflection, at host words base + 0..3, base + 8), its output log (OUT) and the
 * report's violation counter (the caller counts): the VMM-owned storage (reserved and
 * guard words), every other host word, every other VM and the monitor's own fields
 * are unchanged (frame postconditions, explicit).                                   */
/*@ requires view: VmWellFormed(m, i);
    requires sep: MonSep(m) && VmIoSep(m, i);
    assigns VmState(m, i)->r[0 .. PGV_NREGS - 1], VmState(m, i)->pc, VmState(m, i)->l,
            VmState(m, i)->b, VmState(m, i)->mode, VmState(m, i)->ie,
            VmState(m, i)->flags, VmState(m, i)->cause, VmState(m, i)->timer,
            VmState(m, i)->tp, VmState(m, i)->halted, VmState(m, i)->steps,
            VmState(m, i)->in_pos, VmState(m, i)->out_len,
            VmState(m, i)->mem[PGV_OLD_PSW .. PGV_OLD_PSW + 3],
            VmState(m, i)->mem[PGV_TRAP_INFO],
            VmState(m, i)->out[0 .. VmState(m, i)->out_cap - 1],
            *m->rc_violations, m->rc_first[0 .. m->rc_len - 1];
    ensures wf: VmWellFormed(m, i);
    ensures host_frame: HostFrame{Pre,Post}(m, \old(m->vm[i].base),
                                            \old(m->vm[i].base) + \old(m->vm[i].q));
    ensures trap_words_only: \forall integer a; 0 <= a < \old(HostQ(m)) &&
      a != \old(m->vm[i].base) + PGV_OLD_PSW && a != \old(m->vm[i].base) + PGV_OLD_PSW + 1 &&
      a != \old(m->vm[i].base) + PGV_OLD_PSW + 2 &&
      a != \old(m->vm[i].base) + PGV_OLD_PSW + 3 &&
      a != \old(m->vm[i].base) + PGV_TRAP_INFO ==>
      \at(HostMem(m)[a],Post) == \at(HostMem(m)[a],Pre);
    ensures vmm_owned: \forall integer a; 0 <= a < PGV_VMM_RESERVED ==>
      \at(HostMem(m)[a],Post) == \at(HostMem(m)[a],Pre);
    ensures guards: \forall integer g; 0 <= g < PGV_VMM_GUARD &&
      \old(m->vm[i].base + m->vm[i].q) + g < \old(HostQ(m)) ==>
      \at(HostMem(m)[\at(m->vm[i].base + m->vm[i].q, Pre) + g],Post) ==
      \at(HostMem(m)[\at(m->vm[i].base + m->vm[i].q, Pre) + g],Pre);
    ensures other_vms: \forall integer j; 0 <= j < PGV_VMM_MAX_VMS && j != i ==>
      SameVm{Pre,Post}(m, j);
    ensures monitor: m->host.cpu == \old(m->host.cpu) && m->nvms == \old(m->nvms) &&
      m->size == \old(m->size) && m->vm[i].base == \old(m->vm[i].base) &&
      m->vm[i].q == \old(m->vm[i].q) &&
      (\forall integer j; 0 <= j < PGV_PSW_WORDS ==> m->newpsw[j] == \old(m->newpsw[j]));
    behavior timer:
      assumes cause == PGV_CAUSE_TIMER;
      assigns \nothing;
      ensures \result == PGV_DISP_NONE;
      ensures Unchanged{Pre,Post}(VmState(m, i));
    behavior emulate:
      assumes cause == PGV_CAUSE_PRIV && VmState(m, i)->mode != PGV_MODE_USER &&
              Decodes(info) && EmuOp(Opc(info));
      PGV_DISP_EMU(HALT, PGV_DISP_HALT)
      PGV_DISP_EMU(RDPSW, PGV_DISP_EXEC) PGV_DISP_EMU(SETR, PGV_DISP_EXEC)
      PGV_DISP_EMU(RDR, PGV_DISP_EXEC)   PGV_DISP_EMU(STMR, PGV_DISP_EXEC)
      PGV_DISP_EMU(RDTMR, PGV_DISP_EXEC) PGV_DISP_EMU(EI, PGV_DISP_EXEC)
      PGV_DISP_EMU(DI, PGV_DISP_EXEC)    PGV_DISP_EMU(POPF, PGV_DISP_EXEC)
      PGV_DISP_EMU(PUSHF, PGV_DISP_EXEC) PGV_DISP_EMU(JRSTU, PGV_DISP_EXEC)
      PGV_DISP_EMU(IN, PGV_DISP_EXEC)    PGV_DISP_EMU(OUT, PGV_DISP_EXEC)
      ensures Opc(info) == PGV_OPC_LPSW && LpswLegal{Pre}(VmState(m, i), EA{Pre}(VmState(m, i), info)) ==>
        \result == PGV_DISP_EXEC && Insn_LPSW{Pre,Post}(VmState(m, i), info);
      ensures Opc(info) == PGV_OPC_LPSW && !LpswLegal{Pre}(VmState(m, i), EA{Pre}(VmState(m, i), info)) ==>
        \result == PGV_DISP_TRAP &&
        StepTrap{Pre,Post}(VmState(m, i), PGV_CAUSE_BOUNDS, EA{Pre}(VmState(m, i), info),
                           \old(VmState(m, i)->pc));
    behavior not_sensitive:
      assumes cause == PGV_CAUSE_PRIV && VmState(m, i)->mode != PGV_MODE_USER &&
              !(Decodes(info) && EmuOp(Opc(info)));
      ensures \result == PGV_DISP_FAULT;
      ensures Unchanged{Pre,Post}(VmState(m, i));
      ensures *m->rc_violations == (uint32_t)(\old(*m->rc_violations) + 1);
    behavior reflect_priv:
      assumes cause == PGV_CAUSE_PRIV && VmState(m, i)->mode == PGV_MODE_USER;
      ensures \result == PGV_DISP_TRAP;
      ensures StepTrap{Pre,Post}(VmState(m, i), PGV_CAUSE_PRIV, info, saved_pc);
    behavior reflect:
      assumes cause == PGV_CAUSE_BOUNDS || cause == PGV_CAUSE_ILLEGAL ||
              cause == PGV_CAUSE_SVC;
      ensures \result == PGV_DISP_TRAP;
      ensures StepTrap{Pre,Post}(VmState(m, i), cause, info, saved_pc);
    behavior unknown:
      assumes cause != PGV_CAUSE_TIMER && cause != PGV_CAUSE_PRIV &&
              cause != PGV_CAUSE_BOUNDS && cause != PGV_CAUSE_ILLEGAL &&
              cause != PGV_CAUSE_SVC;
      ensures \result == PGV_DISP_FAULT;
      ensures Unchanged{Pre,Post}(VmState(m, i));
      ensures *m->rc_violations == (uint32_t)(\old(*m->rc_violations) + 1);
    complete behaviors;
    disjoint behaviors;
*/
pgv_disp pgv_dispatch(pgv_monitor *m, uint32_t i, uint32_t cause, uint32_t info,
                      uint32_t saved_pc);

/* The registers r0..r7 of src copied into dst: an entry loads the VM's into the host
 * CPU (enter_load, alloc.c), an exit saves the host CPU's into the VM (exit_save,
 * dispatch.c).  Static inline, proved in the units that define it (vmm_alloc,
 * vmm_dispatch, compose).                                                           */
/*@ requires \valid(dst) && \valid_read(src) && \separated(dst, src);
    assigns dst->r[0 .. PGV_NREGS - 1];
    ensures regs: \forall integer j; 0 <= j < PGV_NREGS ==> dst->r[j] == src->r[j];
*/
static inline void pgv_regs_copy(pgv_state *dst, const pgv_state *src)
{
    /*@ loop invariant 0 <= j <= PGV_NREGS;
        loop invariant \forall integer jj; 0 <= jj < j ==> dst->r[jj] == src->r[jj];
        loop assigns j, dst->r[0 .. PGV_NREGS - 1];
        loop variant PGV_NREGS - j;
    */
    for (unsigned j = 0; j < PGV_NREGS; j++)
        dst->r[j] = src->r[j];
}

#endif /* PGV_VMM_ALLOC_CONTRACTS_H */
