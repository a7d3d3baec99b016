/* vmm/reflect.c — trap reflection: deliver a trap into a guest as the native machine would.
 *
 * ISA manual §5: a trap stores the current PSW with the trap's cause and the saved P
 * at absolute E[0..3], the info word at E[8], and loads M, IE, flags, cause, P, l, b
 * from the new PSW at E[4..7]; registers, storage, timer and I/O are unchanged, and a
 * TIMER trap clears TP (§5.4).  Here "absolute" is the guest's absolute storage: the
 * VM's pgv_state has mem = host storage + base, so guest E[0] is host word base + 0
 * (spec/VMM.md §6).  The PSW stored is the virtual one (virtual M, IE, flags, l, b),
 * never the host's.  Written against the manual, not by calling the model's
 * pgv_trap, so the fuzzer compares two implementations of the trap.  The trap is a
 * guest step (§8.1).  Check, then commit: nothing can fail here — low storage exists
 * because q >= 16 — so the routine reads the old and the new PSW into locals, then
 * writes (the order the proofs need: no read after a write).
 */
#include "monitor.h"

/* §5 the old PSW's status word (M, IE, flags, the trap's cause), reserved bits 0. */
/*@ assigns \nothing;
    ensures \result == StatusWord(mode, ie, flags, cause);
*/
static inline uint32_t old_status_word(uint32_t mode, uint32_t ie, uint32_t flags,
                                       uint32_t cause)
{
    return (mode & PGV_ST_M) | ((ie & 1u) << 1) |
           ((flags & PGV_FLAGS_MASK) << PGV_ST_FLAGS_SH) |
           ((cause & PGV_ST_CAUSE_MASK) << PGV_ST_CAUSE_SH);
}

/* §5 the loading of a PSW, all but P (declared in vmm/interp_contracts.h). */
void pgv_vpsw_load(pgv_state *v, uint32_t st, uint32_t l, uint32_t b)
{
    v->mode = st & PGV_ST_M;
    v->ie = (st >> 1) & 1u;
    v->flags = (st >> PGV_ST_FLAGS_SH) & PGV_FLAGS_MASK;
    v->cause = (st >> PGV_ST_CAUSE_SH) & PGV_ST_CAUSE_MASK;
    v->l = l;
    v->b = b;
}

/* §5 the PSW swap on the virtual machine: the old PSW to E[0..3], info to E[8], the
 * new PSW from E[4..7].  Its contract is the model's trap contract, word for word
 * (PGV_TRAP_CONTRACT, model/pgv_contracts.h): the swap the manual gives, proved here
 * a second time for this second implementation.  pgv_reflect adds what makes it a
 * step (TP for TIMER, the step count), as the model's trap_step does. */
/*@ PGV_TRAP_CONTRACT */
static inline void reflect_swap(pgv_state *s, uint32_t cause, uint32_t info,
                                uint32_t saved_pc)
{
    /* read: the old PSW from the virtual state (§5: word0 status, word1 P, word2 l,
     * word3 b) and the new PSW from guest E[4..7] ... */
    uint32_t old_status = old_status_word(s->mode, s->ie, s->flags, cause);
    uint32_t old_l = s->l, old_b = s->b;
    uint32_t *e = s->mem;
    uint32_t st = e[PGV_NEW_PSW + 0];
    uint32_t np = e[PGV_NEW_PSW + 1];
    uint32_t nl = e[PGV_NEW_PSW + 2];
    uint32_t nb = e[PGV_NEW_PSW + 3];
    /* ... then write: guest E[0..3], E[8], and the virtual PSW */
    e[PGV_OLD_PSW + 0] = old_status;
    e[PGV_OLD_PSW + 1] = saved_pc;
    e[PGV_OLD_PSW + 2] = old_l;
    e[PGV_OLD_PSW + 3] = old_b;
    e[PGV_TRAP_INFO] = info;
    pgv_vpsw_load(s, st, nl, nb);
    s->pc = np;
    /* the postconditions' parts, one goal each */
    //@ assert ranges: s->mode <= 1 && s->ie <= 1 && s->flags <= 7 && s->cause <= 255;
    //@ assert a_stored: TrapStored{Pre,Here}(s, cause, info, saved_pc);
    //@ assert a_storage: TrapMemFrame{Pre,Here}(s);
    //@ assert a_loaded: TrapLoaded{Pre,Here}(s);
    //@ assert a_frame: TrapFrame{Pre,Here}(s);
    //@ assert a_timer: SameTimer{Pre,Here}(s) && s->steps == \at(s->steps, Pre);
}

void pgv_reflect(pgv_state *v, uint32_t cause, uint32_t info, uint32_t saved_pc)
{
    reflect_swap(v, cause, info, saved_pc);
    //@ assert swapped: v->timer == \at(v->timer, Pre) && v->tp == \at(v->tp, Pre) && v->steps == \at(v->steps, Pre);
    /* §5.4 a TIMER trap clears TP; §8.1 the trap is a guest step */
    if (cause == PGV_CAUSE_TIMER)
        v->tp = 0;
    v->steps++;
    /* the trap's parts, one goal each (the contract's StepTrap is their conjunction) */
    //@ assert stored: TrapStored{Pre,Here}(v, cause, info, saved_pc);
    //@ assert storage: TrapMemFrame{Pre,Here}(v);
    //@ assert loaded: TrapLoaded{Pre,Here}(v);
    //@ assert frame: TrapFrame{Pre,Here}(v);
    //@ assert timer: v->timer == \at(v->timer, Pre);
    //@ assert tp: v->tp == (cause == PGV_CAUSE_TIMER ? 0 : \at(v->tp, Pre));
    //@ assert count: v->steps == (uint64_t)(\at(v->steps, Pre) + 1);
}
