/* vmm/dispatch.c — the dispatcher: one direct run of a guest, its exit, and the routing.
 *
 * Popek & Goldberg's dispatcher is the VMM's trap entry (spec/VMM.md §6).  A direct run
 * enters the guest through the allocator (host CPU loaded, resource control checked),
 * runs the host until its next trap (pgv_host_run with PGV_RUN_STOP_ON_TRAP: the
 * monitor's new PSW is supervisor mode, so every trap returns here), and then reads
 * the exit from the host's low storage as the hardware left it (ISA manual §5): the
 * old PSW at E[0..3] (status with the cause, the saved P) and the info word at E[8].
 * The guest's registers, flags and P are copied back into its virtual state, the
 * directly executed instructions (k minus the host timer) are counted and ticked on
 * the virtual timer (§5.4), and the exit is routed:
 *   TIMER                         -> the allocator's time accounting (no guest step),
 *   PRIV, virtual supervisor mode -> the instruction's interpreter routine (interp.c),
 *                                    by opcode; one that changes the configuration (SETR,
 *                                    LPSW: R; STMR: timer; IN/OUT: the VM's channel)
 *                                    changes only the virtual resource, and the
 *                                    allocator maps it at the next entry (and checks),
 *   PRIV in virtual user mode, BOUNDS, ILLEGAL, SVC -> reflection (reflect.c);
 *   LPSW's operand is checked here first (interp.c pgv_emu_lpsw_operand): legal ->
 *   its routine, illegal -> the BOUNDS trap with info a, reflected (§6.6).
 * No allocation; the round trip is a few dozen loads and stores.
 */
#include "monitor.h"

/* Stepping stones for the frame "every other VM unchanged" (SameVm, spec/compose.acsl)
 * after a call that writes VM i: every VM j != i as at entry (Pre), one group of fields
 * per assert, so that each goal is small.  Used after dispatch_exit's exit_save and
 * after every call of pgv_dispatch whose path did not prove the frame in one goal. */
#define PGV_OTHERS(...) \forall integer j; 0 <= j < PGV_VMM_MAX_VMS && j != i ==> __VA_ARGS__
#define PGV_KEPT_REGS PGV_OTHERS(SameRegs{Pre,Here}(VmState(m, j)))
#define PGV_KEPT_PSW                                                                   \
    PGV_OTHERS(SamePsw{Pre,Here}(VmState(m, j)) && SameTimer{Pre,Here}(VmState(m, j)))
#define PGV_KEPT_SHAPE PGV_OTHERS(SameShape{Pre,Here}(VmState(m, j)))
/* SameShape in two halves: the pointers, and the sizes with the profile. */
#define PGV_KEPT_PTRS                                                                  \
    PGV_OTHERS(VmState(m, j)->mem == \at(VmState(m, j)->mem, Pre) &&                    \
               VmState(m, j)->in == \at(VmState(m, j)->in, Pre) &&                      \
               VmState(m, j)->out == \at(VmState(m, j)->out, Pre))
#define PGV_KEPT_SIZES                                                                 \
    PGV_OTHERS(VmState(m, j)->q == \at(VmState(m, j)->q, Pre) &&                        \
               VmState(m, j)->in_len == \at(VmState(m, j)->in_len, Pre) &&              \
               VmState(m, j)->out_cap == \at(VmState(m, j)->out_cap, Pre) &&            \
               VmState(m, j)->profile == \at(VmState(m, j)->profile, Pre))
#define PGV_KEPT_REST                                                                  \
    PGV_OTHERS(VmState(m, j)->pc == \at(VmState(m, j)->pc, Pre) &&                      \
               VmState(m, j)->halted == \at(VmState(m, j)->halted, Pre) &&              \
               VmState(m, j)->steps == \at(VmState(m, j)->steps, Pre) &&                \
               VmState(m, j)->in_pos == \at(VmState(m, j)->in_pos, Pre) &&              \
               VmState(m, j)->out_len == \at(VmState(m, j)->out_len, Pre) &&            \
               m->vm[j].base == \at(m->vm[j].base, Pre) && m->vm[j].q == \at(m->vm[j].q, Pre))

/* Routing of a PRIV exit by opcode (ISA §4.1, Opc): one routine per path, so each path's
 * goals carry one Insn_X, not all 16 (one routine for all: proofs/STATUS.md, s. 9); the
 * default is OUT (pgv_emu_word checked the word).  A contract, not a macro: WP rewrites
 * a shift compared with a constant into a mask test that the provers cannot undo.    */
/*@ assigns \nothing;
    ensures \result == Opc(w);
*/
static inline uint32_t dispatch_opc(uint32_t w)
{
    return PGV_OPC(w);
}

pgv_disp pgv_dispatch(pgv_monitor *m, uint32_t i, uint32_t cause, uint32_t info,
                      uint32_t saved_pc)
{
    pgv_vm *vm = &m->vm[i];
    pgv_state *v = &vm->v;
    /* For the frame proofs: VM i's storage is host storage [base, base + q), which is
     * separate from the monitor record (which holds v) and the host CPU record. */
    /*@ assert vm_storage: v->mem == HostMem(m) + vm->base && v->q == vm->q &&
          vm->base + vm->q <= HostQ(m) && PGV_MIN_WORDS <= v->q; */
    /*@ assert vm_storage_sep: \separated(v->mem + (0 .. v->q - 1), m, HostCpu(m),
          m->rc_violations, m->rc_first + (0 .. m->rc_len - 1)); */
    switch (cause) {
    case PGV_CAUSE_TIMER:
        /* The real timer ran out: the virtual timer's expiry (already ticked into v by
         * the caller), the budget or the slice.  Not a guest step; the run loop applies
         * the start-of-step rule (§5.4) and the slice/budget limits next.           */
        return PGV_DISP_NONE;
    case PGV_CAUSE_PRIV:
        switch (v->mode) {     /* a switch, so that WP's goals split the two modes */
        case PGV_MODE_USER:
            /* virtual user mode: the native machine traps PRIV too */
            pgv_reflect(v, PGV_CAUSE_PRIV, info, saved_pc);
            /*@ assert kept_regs: PGV_KEPT_REGS; */
            /*@ assert kept_psw: PGV_KEPT_PSW; */
            /*@ assert kept_ptrs: PGV_KEPT_PTRS; */
            /*@ assert kept_sizes: PGV_KEPT_SIZES; */
            /*@ assert kept_rest: PGV_KEPT_REST; */
            return PGV_DISP_TRAP;
        default:
            break;
        }
        /* A privileged instruction in virtual supervisor mode: emulate it.  The
         * word is the trap's info (§5: PRIV info = the instruction word).       */
        if (!pgv_emu_word(info)) {
            pgv_alloc_violation(m, i, "PRIV exit for a non-sensitive word", info);
            return PGV_DISP_FAULT;
        }
        switch (dispatch_opc(info)) {
        case PGV_OPC_HALT:  pgv_emu_halt(v, info);  return PGV_DISP_HALT;
        case PGV_OPC_LPSW: {
            /* LPSW (§6.6): the operand checked first, then one of its two outcomes,
             * each a path of its own (a switch: WP splits goals by case, not by if).
             * Executed: pgv_emu_lpsw loads the PSW and writes no storage.  Illegal:
             * the BOUNDS trap with info a, reflected as the reflections below are,
             * with the same stepping stones.                                       */
            uint32_t a = pgv_emu_ea(v, info), p = 0;
            switch ((int)pgv_emu_lpsw_operand(v, a, &p)) {
            case 1:
                pgv_emu_lpsw(v, info, p);
                /*@ assert kept_regs: PGV_KEPT_REGS; */
                /*@ assert kept_psw: PGV_KEPT_PSW; */
                /*@ assert kept_ptrs: PGV_KEPT_PTRS; */
                /*@ assert kept_sizes: PGV_KEPT_SIZES; */
                /*@ assert kept_rest: PGV_KEPT_REST; */
                return PGV_DISP_EXEC;
            default:
                break;
            }
            pgv_reflect(v, PGV_CAUSE_BOUNDS, a, v->pc);
            /*@ assert kept_regs: PGV_KEPT_REGS; */
            /*@ assert kept_psw: PGV_KEPT_PSW; */
            /*@ assert kept_ptrs: PGV_KEPT_PTRS; */
            /*@ assert kept_sizes: PGV_KEPT_SIZES; */
            /*@ assert kept_rest: PGV_KEPT_REST; */
            return PGV_DISP_TRAP;
        }
        case PGV_OPC_RDPSW: pgv_emu_rdpsw(v, info); return PGV_DISP_EXEC;
        case PGV_OPC_SETR:  pgv_emu_setr(v, info);  return PGV_DISP_EXEC;
        case PGV_OPC_RDR:   pgv_emu_rdr(v, info);   return PGV_DISP_EXEC;
        case PGV_OPC_STMR:  pgv_emu_stmr(v, info);  return PGV_DISP_EXEC;
        case PGV_OPC_RDTMR: pgv_emu_rdtmr(v, info); return PGV_DISP_EXEC;
        case PGV_OPC_EI:    pgv_emu_ei(v, info);    return PGV_DISP_EXEC;
        case PGV_OPC_DI:    pgv_emu_di(v, info);    return PGV_DISP_EXEC;
        case PGV_OPC_POPF:  pgv_emu_popf(v, info);  return PGV_DISP_EXEC;
        case PGV_OPC_PUSHF: pgv_emu_pushf(v, info); return PGV_DISP_EXEC;
        case PGV_OPC_JRSTU: pgv_emu_jrstu(v, info); return PGV_DISP_EXEC;
        case PGV_OPC_IN:
            pgv_emu_in(v, info);
            /*@ assert kept_regs: PGV_KEPT_REGS; */
            /*@ assert kept_psw: PGV_KEPT_PSW; */
            /*@ assert kept_ptrs: PGV_KEPT_PTRS; */
            /*@ assert kept_sizes: PGV_KEPT_SIZES; */
            /*@ assert kept_rest: PGV_KEPT_REST; */
            return PGV_DISP_EXEC;
        default:
            pgv_emu_out(v, info);
            /*@ assert kept_regs: PGV_KEPT_REGS; */
            /*@ assert kept_psw: PGV_KEPT_PSW; */
            /*@ assert kept_ptrs: PGV_KEPT_PTRS; */
            /*@ assert kept_sizes: PGV_KEPT_SIZES; */
            /*@ assert kept_rest: PGV_KEPT_REST; */
            return PGV_DISP_EXEC;
        }
    case PGV_CAUSE_BOUNDS:
    case PGV_CAUSE_ILLEGAL:
    case PGV_CAUSE_SVC:
        /* The host's check is the guest's check (alloc.c, composition of R), with the
         * same virtual address / word / imm as info and the same saved P.           */
        pgv_reflect(v, cause, info, saved_pc);
        /*@ assert kept_regs: PGV_KEPT_REGS; */
        /*@ assert kept_psw: PGV_KEPT_PSW; */
        /*@ assert kept_ptrs: PGV_KEPT_PTRS; */
        /*@ assert kept_sizes: PGV_KEPT_SIZES; */
        /*@ assert kept_rest: PGV_KEPT_REST; */
        return PGV_DISP_TRAP;
    default:
        pgv_alloc_violation(m, i, "exit with an unknown cause", cause);
        return PGV_DISP_FAULT;
    }
}

/* f at a direct run's exit, on the VM's own record (spec/VMM.md §2): the host's
 * registers, the flags and P from the old PSW, and d = retired directly executed
 * instructions (§5.4: d ticks of the virtual timer — d <= T when T != 0 — and d guest
 * steps).  A function of its own so that dispatch_exit sees these stores as one frame
 * (v's fields only, v separate from the host CPU record), not as a chain of stores
 * into the memory chunks of the fields it reads afterwards.                          */
/*@ requires wf: WellFormed(v) && \valid_read(h) && \separated(v, h);
    requires flags: flags <= PGV_FLAGS_MASK;
    requires tick: v->timer == 0 || retired <= v->timer;
    assigns v->r[0 .. PGV_NREGS - 1], v->flags, v->pc, v->timer, v->tp, v->steps;
    ensures wf: WellFormed(v);
    ensures regs: \forall integer j; 0 <= j < PGV_NREGS ==> v->r[j] == h->r[j];
    ensures psw: v->flags == flags && v->pc == pc;
    ensures timer: v->timer == TimerAfter(\old(v->timer), retired) &&
                   v->tp == TpAfter(\old(v->timer), \old(v->tp), retired);
    ensures steps: v->steps == (uint64_t)(\old(v->steps) + retired);
*/
static void exit_save(pgv_state *v, const pgv_state *h, uint32_t flags, uint32_t pc,
                      uint32_t retired)
{
    pgv_regs_copy(v, h);
    v->flags = flags;
    v->pc = pc;
    if (v->timer != 0) {
        uint32_t nt = v->timer - retired;
        v->timer = nt;
        if (nt == 0)
            v->tp = 1;
    }
    v->steps += retired;
}

/* The exit of a direct run, as the (real or virtual) hardware left it in the host's
 * low storage and CPU: check it (resource control, spec/VMM.md §8), then compute f at
 * the exit (spec/VMM.md §2): copy the guest's registers, flags and P back into its
 * virtual state and account the d = k - host timer directly executed instructions
 * (§5.4: d ticks of the virtual timer, d guest steps).  M, IE and R cannot have
 * changed (no instruction that runs in user mode writes them; POPF in user mode keeps
 * IE, §6).  Returns false (a violation recorded, v unchanged) if the host did not
 * trap from user mode into the VMM within k + 1 steps.                             */
/*@ requires view: VmWellFormed(m, i);
    requires sep: MonSep(m) && \valid(n) &&
      \separated(n, m, HostCpu(m), HostMem(m) + (0 .. HostQ(m) - 1), m->rc_violations,
                 m->rc_first + (0 .. m->rc_len - 1));
    requires timer: VmState(m, i)->timer == 0 || k <= VmState(m, i)->timer;
    assigns VmState(m, i)->r[0 .. PGV_NREGS - 1], VmState(m, i)->flags, VmState(m, i)->pc,
            VmState(m, i)->timer, VmState(m, i)->tp, VmState(m, i)->steps, *n,
            m->vm[i].c.direct, m->vm[i].c.exits[0 .. PGV_NCAUSES - 1],
            *m->rc_violations, m->rc_first[0 .. m->rc_len - 1];
    ensures wf: VmWellFormed(m, i);
    ensures host: \forall integer a; 0 <= a < HostQ(m) ==> HostMem(m)[a] == \old(HostMem(m)[a]);
    ensures other_vms: \forall integer j; 0 <= j < PGV_VMM_MAX_VMS && j != i ==>
      SameVm{Pre,Post}(m, j);
    ensures same: VmState(m, i)->mode == \old(VmState(m, i)->mode) &&
      VmState(m, i)->ie == \old(VmState(m, i)->ie) &&
      VmState(m, i)->cause == \old(VmState(m, i)->cause) &&
      VmState(m, i)->l == \old(VmState(m, i)->l) && VmState(m, i)->b == \old(VmState(m, i)->b) &&
      VmState(m, i)->halted == \old(VmState(m, i)->halted);
    behavior exit:
      assumes st == PGV_STOP_TRAP && HostCpu(m)->mode == PGV_MODE_SUP &&
              (HostMem(m)[PGV_OLD_PSW] & PGV_ST_M) == PGV_MODE_USER &&
              HostCpu(m)->timer <= k && hdone != 0;
      ensures \result == 1;
      ensures regs: \forall integer j; 0 <= j < PGV_NREGS ==>
        VmState(m, i)->r[j] == HostCpu(m)->r[j];
      ensures pc: VmState(m, i)->pc == HostMem(m)[PGV_OLD_PSW + 1];
      ensures flags: VmState(m, i)->flags ==
        ((HostMem(m)[PGV_OLD_PSW] >> PGV_ST_FLAGS_SH) & PGV_FLAGS_MASK);
      ensures timer: VmState(m, i)->timer ==
          TimerAfter(\old(VmState(m, i)->timer), k - HostCpu(m)->timer) &&
        VmState(m, i)->tp ==
          TpAfter(\old(VmState(m, i)->timer), \old(VmState(m, i)->tp), k - HostCpu(m)->timer);
      ensures steps: VmState(m, i)->steps ==
          (uint64_t)(\old(VmState(m, i)->steps) + (k - HostCpu(m)->timer)) &&
        *n == (uint64_t)(\old(*n) + (k - HostCpu(m)->timer));
    behavior fault:
      assumes !(st == PGV_STOP_TRAP && HostCpu(m)->mode == PGV_MODE_SUP &&
                (HostMem(m)[PGV_OLD_PSW] & PGV_ST_M) == PGV_MODE_USER &&
                HostCpu(m)->timer <= k && hdone != 0);
      ensures \result == 0;
      ensures SameVmState{Pre,Post}(VmState(m, i)) && *n == \old(*n);
      ensures *m->rc_violations == (uint32_t)(\old(*m->rc_violations) + 1);
    complete behaviors;
    disjoint behaviors;
*/
static bool dispatch_exit(pgv_monitor *m, uint32_t i, uint32_t k, pgv_stop st,
                          uint64_t hdone, uint64_t *n)
{
    pgv_vm *vm = &m->vm[i];
    pgv_state *v = &vm->v;
    const pgv_state *h = m->host.cpu;
    const uint32_t *e = h->mem;
    uint32_t status = e[PGV_OLD_PSW + 0];
    uint32_t saved_pc = e[PGV_OLD_PSW + 1];
    uint32_t cause = (status >> PGV_ST_CAUSE_SH) & PGV_ST_CAUSE_MASK;
    uint32_t t = h->timer;
    const bool trapped = (st == PGV_STOP_TRAP) & (h->mode == PGV_MODE_SUP) &
                         ((status & PGV_ST_M) == PGV_MODE_USER) & (t <= k) & (hdone != 0);
    if (!trapped) {
        /* Not behavior exit (its assumes, as the contract states them), and after the
         * violation's record every VM as at entry: the refusal's facts, one goal each. */
        /*@ assert refused: !\at(st == PGV_STOP_TRAP && HostCpu(m)->mode == PGV_MODE_SUP &&
              (HostMem(m)[PGV_OLD_PSW] & PGV_ST_M) == PGV_MODE_USER &&
              HostCpu(m)->timer <= k && hdone != 0, Pre); */
        pgv_alloc_violation(m, i, "exit: the host did not trap from user mode into the VMM",
                            (uint32_t)st);
        /*@ assert refused_vms: \forall integer j; 0 <= j < PGV_VMM_MAX_VMS && j != i ==>
              SameVm{Pre,Here}(m, j); */
        return false;
    }
    /*@ assert accepted: st == PGV_STOP_TRAP && h->mode == PGV_MODE_SUP &&
          (status & PGV_ST_M) == PGV_MODE_USER && t <= k && hdone != 0; */
    uint32_t retired = k - t;
    /* The counters first (the caller's count and the efficiency counters: not the
     * guest's state), then the guest's state, so that the postconditions are the
     * last call's.                                                                */
    *n += retired;
    vm->c.direct += retired;
    vm->c.exits[cause < PGV_NCAUSES ? cause : 0]++;
    /* Stepping stones for the postconditions: the guest's timer, TP and steps are as
     * at entry (the counters are other fields), and the host CPU is not written.    */
    /*@ assert before: v->timer == \at(VmState(m, i)->timer, Pre) &&
          v->tp == \at(VmState(m, i)->tp, Pre) && v->steps == \at(VmState(m, i)->steps, Pre) &&
          h->timer == t && *n == (uint64_t)(\at(*n, Pre) + retired); */
    /*@ assert others: \forall integer j; 0 <= j < PGV_VMM_MAX_VMS && j != i ==>
          SameVm{Pre,Here}(m, j); */
    exit_save(v, h, (status >> PGV_ST_FLAGS_SH) & PGV_FLAGS_MASK, saved_pc, retired);
    /*@ assert after: h == HostCpu(m) && h->timer == t && retired == k - h->timer &&
          *n == (uint64_t)(\at(*n, Pre) + retired); */
    //@ assert steps_after: v->steps == (uint64_t)(\at(VmState(m, i)->steps, Pre) + retired);
    /* Every other VM as at entry (SameVm), one group of fields per goal.          */
    /*@ assert others_regs: PGV_KEPT_REGS; */
    /*@ assert others_psw: PGV_KEPT_PSW; */
    /*@ assert others_shape: PGV_KEPT_SHAPE; */
    /*@ assert others_rest: PGV_KEPT_REST; */
    /*@ assert timer_after: v->timer == TimerAfter(\at(VmState(m, i)->timer, Pre), retired) &&
          v->tp == TpAfter(\at(VmState(m, i)->timer, Pre), \at(VmState(m, i)->tp, Pre), retired); */
    /*@ assert post_timer: VmState(m, i)->timer ==
            TimerAfter(\at(VmState(m, i)->timer, Pre), k - HostCpu(m)->timer) &&
          VmState(m, i)->tp ==
            TpAfter(\at(VmState(m, i)->timer, Pre), \at(VmState(m, i)->tp, Pre),
                    k - HostCpu(m)->timer); */
    /*@ assert post_steps: VmState(m, i)->steps ==
            (uint64_t)(\at(VmState(m, i)->steps, Pre) + (k - HostCpu(m)->timer)) &&
          *n == (uint64_t)(\at(*n, Pre) + (k - HostCpu(m)->timer)); */
    return true;
}

/* Not proved (proofs/PENDING): it runs the host — pgv_host_run, the real machine or,
 * for a nested VMM, a whole lower monitor.  Everything around that call is proved:
 * the timer and the entry (pgv_alloc_timer, pgv_alloc_enter), the exit
 * (dispatch_exit) and the routing (pgv_dispatch).                                  */
pgv_disp pgv_dispatch_burst(pgv_monitor *m, uint32_t i, uint64_t lim, uint64_t *n)
{
    pgv_vm *vm = &m->vm[i];
    pgv_state *v = &vm->v;
    pgv_state *h = m->host.cpu;
    uint32_t k = pgv_alloc_timer(v->timer, lim);
    if (!pgv_alloc_enter(m, i, k))
        return PGV_DISP_FAULT;
    vm->c.entries++;
    uint64_t hdone;
    pgv_stop st = pgv_host_run(&m->host, (uint64_t)k + 1u, PGV_RUN_STOP_ON_TRAP, &hdone);
    if (!dispatch_exit(m, i, k, st, hdone, n))
        return PGV_DISP_FAULT;
    /* The exit's cause and info, as the hardware left them in host low storage. */
    const uint32_t *e = h->mem;
    pgv_disp d = pgv_dispatch(m, i, (e[PGV_OLD_PSW] >> PGV_ST_CAUSE_SH) & PGV_ST_CAUSE_MASK,
                              e[PGV_TRAP_INFO], e[PGV_OLD_PSW + 1]);
    /* The efficiency counters, by the routing's outcome: an instruction done by an
     * interpreter routine, or a trap reflected into the guest (LPSW's bounds failure
     * included).  Kept out of pgv_dispatch so that no bookkeeping store follows the
     * routine's call: its postconditions are then the routine's own. */
    if (d == PGV_DISP_EXEC || d == PGV_DISP_HALT)
        vm->c.emulated++;
    else if (d == PGV_DISP_TRAP)
        vm->c.reflected++;
    return d;
}
