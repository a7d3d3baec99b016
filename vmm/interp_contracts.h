/* vmm/interp_contracts.h — ACSL contracts of the interpreter routines and of trap
 * reflection (spec/VMM.md §6; ISA manual §5, §6.6, §8.1).
 *
 * Equivalence per instruction: each routine pgv_emu_X, given the trapped word w of
 * opcode X (it reads its operands from w's fields, §4.1), changes the virtual
 * machine v exactly as the manual's instruction
 * does — Insn_X{Pre,Post}(v, w) of spec/insn.acsl, the very predicate the model's
 * step is proved against.  pgv_reflect is the manual's trap step on v:
 * StepTrap{Pre,Post} (the PSW swap of spec/trap.acsl, TP := 0 for TIMER, no tick, one
 * more step).  pgv_emu_word says which words have a routine, and
 * pgv_emu_lpsw_operand whether LPSW's operand (pgv_emu_ea) is legal (the
 * dispatcher's tests): LPSW's routine runs only on a legal operand, and an illegal
 * one is the manual's BOUNDS trap, reflected (StepTrap, spec/step.acsl).  The
 * precondition is that v is a well-formed machine (spec/state.acsl), which the VMM
 * maintains for every VM (VmWellFormed, spec/vmm.acsl), and for LPSW's routine the
 * checked operand (validate, then an effect that cannot fail); nothing here needs virtual
 * supervisor mode (POPF's user-mode case is in Insn_POPF).  Writes are confined to
 * v's record, its storage v->mem[0 .. q-1] (the allocation; only the reflection's
 * E[0..3], E[8]) and its output log.  House style of model/pgv_contracts.h: requires,
 * assigns, ensures, then behaviors; predicates over pointers with labels only.
 * Included by vmm/monitor.h (which also includes spec/vmm.acsl, the abstraction);
 * for the C compiler it only declares the routines.  Proved by the unit vmm_interp of proofs/units.
 */
#ifndef PGV_VMM_INTERP_CONTRACTS_H
#define PGV_VMM_INTERP_CONTRACTS_H
#include "../model/pgv.h"
#include "../model/pgv_contracts.h"
#include "../spec/interp.acsl"

/* ---- vmm/reflect.c ------------------------------------------------------------------ */

/*@ requires WellFormed(v);
    assigns v->mem[PGV_OLD_PSW .. PGV_OLD_PSW + 3], v->mem[PGV_TRAP_INFO],
            v->mode, v->ie, v->flags, v->cause, v->pc, v->l, v->b, v->tp, v->steps;
    ensures stored: TrapStored{Pre,Post}(v, cause, info, saved_pc);
    ensures storage: TrapMemFrame{Pre,Post}(v);
    ensures loaded: TrapLoaded{Pre,Post}(v);
    ensures frame: TrapFrame{Pre,Post}(v);
    ensures steps: v->timer == \old(v->timer) && v->steps == (uint64_t)(\old(v->steps) + 1);
    ensures trap: StepTrap{Pre,Post}(v, cause, info, saved_pc);
    ensures wf: WellFormed(v);
    behavior timer:
      assumes cause == PGV_CAUSE_TIMER;
      ensures v->tp == 0;
    behavior other:
      assumes cause != PGV_CAUSE_TIMER;
      ensures v->tp == \old(v->tp);
    complete behaviors;
    disjoint behaviors;
*/
void pgv_reflect(pgv_state *v, uint32_t cause, uint32_t info, uint32_t saved_pc);

/* §5 a PSW's fields into v, all but P: M, IE, flags and cause from the status word st,
 * R := (l, b).  The one unpacking of a status word in the VMM, shared by trap
 * reflection (the new PSW from E[4..7]) and LPSW (the PSW at its operand).          */
/*@ requires \valid(v);
    assigns v->mode, v->ie, v->flags, v->cause, v->l, v->b;
    ensures loaded: PswLoaded(v, st, l, b);
    ensures ranges: v->mode <= 1 && v->ie <= 1 && v->flags <= PGV_FLAGS_MASK &&
                    v->cause <= PGV_ST_CAUSE_MASK;
*/
void pgv_vpsw_load(pgv_state *v, uint32_t st, uint32_t l, uint32_t b);

/* ---- vmm/interp.c: the routines -------------------------------------------------------- */

/* What every routine assumes: a well-formed virtual machine, and a trapped word w of
 * opcode OP (the routine takes its operands from w, as the manual's §4.1 fields). */
#define PGV_EMU_REQUIRES(OP)                                                           \
    requires WellFormed(v);                                                            \
    requires Opc(w) == PGV_OPC_##OP;

/* ... and what a routine that retires ensures: the event, well-formedness, Insn_OP. */
#define PGV_EMU_ENSURES(OP, EV)                                                        \
    ensures \result == EV;                                                             \
    ensures wf: WellFormed(v);                                                         \
    ensures insn: Insn_##OP{Pre,Post}(v, w);

/* The retirement's writes (§8.1 (7)): the tick, P, the step count. */
#define PGV_EMU_RETIRE v->timer, v->tp, v->pc, v->steps

/*@ PGV_EMU_REQUIRES(HALT)
    assigns v->halted, PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(HALT, PGV_EV_HALT)
*/
pgv_event pgv_emu_halt(pgv_state *v, uint32_t w);

/* §6 w's data address EA (rs + sext(imm), mod 2^32): LPSW's operand. */
/*@ requires \valid_read(v);
    assigns \nothing;
    ensures \result == EA(v, w);
*/
uint32_t pgv_emu_ea(const pgv_state *v, uint32_t w);

/* LPSW's operand check (§6.6), asked before LPSW's routine: legal, with its
 * translation, or not (then the caller reflects BOUNDS with info a, §6.6).    */
/*@ requires \valid_read(v) && \valid(pa) && \separated(pa, v);
    assigns *pa;
    behavior legal:
      assumes LpswLegal(v, a);
      ensures \result == 1 && *pa == Tr(v->l, a);
    behavior illegal:
      assumes !LpswLegal(v, a);
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
bool pgv_emu_lpsw_operand(const pgv_state *v, uint32_t a, uint32_t *pa);

/* LPSW executed: its operand checked legal, p its translation (validate first, then
 * an effect that cannot fail; the illegal operand's BOUNDS trap is pgv_reflect's). */
/*@ PGV_EMU_REQUIRES(LPSW)
    requires legal: LpswLegal(v, EA(v, w)) && p == Tr(v->l, EA(v, w));
    assigns v->mode, v->ie, v->flags, v->cause, v->l, v->b, PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(LPSW, PGV_EV_EXEC)
*/
pgv_event pgv_emu_lpsw(pgv_state *v, uint32_t w, uint32_t p);

/*@ PGV_EMU_REQUIRES(RDPSW)
    assigns v->r[0 .. PGV_NREGS - 1], PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(RDPSW, PGV_EV_EXEC)
*/
pgv_event pgv_emu_rdpsw(pgv_state *v, uint32_t w);

/*@ PGV_EMU_REQUIRES(SETR)
    assigns v->l, v->b, PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(SETR, PGV_EV_EXEC)
*/
pgv_event pgv_emu_setr(pgv_state *v, uint32_t w);

/*@ PGV_EMU_REQUIRES(RDR)
    assigns v->r[0 .. PGV_NREGS - 1], PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(RDR, PGV_EV_EXEC)
*/
pgv_event pgv_emu_rdr(pgv_state *v, uint32_t w);

/*@ PGV_EMU_REQUIRES(STMR)
    assigns PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(STMR, PGV_EV_EXEC)
*/
pgv_event pgv_emu_stmr(pgv_state *v, uint32_t w);

/*@ PGV_EMU_REQUIRES(RDTMR)
    assigns v->r[0 .. PGV_NREGS - 1], PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(RDTMR, PGV_EV_EXEC)
*/
pgv_event pgv_emu_rdtmr(pgv_state *v, uint32_t w);

/*@ PGV_EMU_REQUIRES(EI)
    assigns v->ie, PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(EI, PGV_EV_EXEC)
*/
pgv_event pgv_emu_ei(pgv_state *v, uint32_t w);

/*@ PGV_EMU_REQUIRES(DI)
    assigns v->ie, PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(DI, PGV_EV_EXEC)
*/
pgv_event pgv_emu_di(pgv_state *v, uint32_t w);

/*@ PGV_EMU_REQUIRES(POPF)
    assigns v->flags, v->ie, PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(POPF, PGV_EV_EXEC)
*/
pgv_event pgv_emu_popf(pgv_state *v, uint32_t w);

/*@ PGV_EMU_REQUIRES(PUSHF)
    assigns v->r[0 .. PGV_NREGS - 1], PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(PUSHF, PGV_EV_EXEC)
*/
pgv_event pgv_emu_pushf(pgv_state *v, uint32_t w);

/*@ PGV_EMU_REQUIRES(JRSTU)
    assigns v->mode, PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(JRSTU, PGV_EV_EXEC)
*/
pgv_event pgv_emu_jrstu(pgv_state *v, uint32_t w);

/*@ PGV_EMU_REQUIRES(IN)
    assigns v->r[0 .. PGV_NREGS - 1], v->in_pos, PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(IN, PGV_EV_EXEC)
*/
pgv_event pgv_emu_in(pgv_state *v, uint32_t w);

/*@ PGV_EMU_REQUIRES(OUT)
    assigns v->out[0 .. v->out_cap - 1], v->out_len, PGV_EMU_RETIRE;
    PGV_EMU_ENSURES(OUT, PGV_EV_EXEC)
*/
pgv_event pgv_emu_out(pgv_state *v, uint32_t w);

/* Whether w decodes (§4) to an opcode that has an interpreter routine: the dispatcher
 * emulates w exactly then (behavior emulate of pgv_dispatch).  Reads nothing but w. */
/*@ assigns \nothing;
    ensures \result == 1 <==> Decodes(w) && EmuOp(Opc(w));
*/
bool pgv_emu_word(uint32_t w);

#endif /* PGV_VMM_INTERP_CONTRACTS_H */
