/* model/pgv_contracts.h — ACSL contracts of the model's functions (ISA manual §2–§8).
 *
 * The contracts of the functions declared in model/pgv.h, written against the
 * logic in the spec/ .acsl files (one concept per file): each gives requires, assigns and
 * ensures in that order, with one behavior per outcome ending in `complete
 * behaviors; disjoint behaviors;`.  Contracts that a static function of
 * model/machine.c shares with a public one (the trap, the step of a running
 * machine) are macros here, used in both places, so they cannot differ.  Included
 * by model/machine.c; for the C compiler it only declares macros.  Proved by
 * `make proofs` (proofs/run.sh); see proofs/REPORT.md.  All state predicates take a
 * pgv_state pointer and labels, never a state value (proofs/TRUSTED.md).
 */
#ifndef PGV_MODEL_CONTRACTS_H
#define PGV_MODEL_CONTRACTS_H
#include "pgv.h"
#include "optab.h"
#include "../spec/state.acsl"
#include "../spec/translate.acsl"
#include "../spec/psw.acsl"
#include "../spec/trap.acsl"
#include "../spec/decode.acsl"
#include "../spec/classify.acsl"
#include "../spec/insn.acsl"
#include "../spec/step.acsl"
#ifdef __FRAMAC__
#include "../build/proofs/dec_fact.acsl"   /* ghost pgv_dec_fact (proofs/gen_opcodes.sh) */
#endif

/*@ requires \valid(out);
    assigns *out;
    behavior legal:
      assumes Decodes(w);
      assigns *out;
      ensures \result == 1;
      ensures out->opc == Opc(w) && out->fmt == OpFmt(Opc(w));
      ensures out->rd == RdField(w) && out->rs == RsField(w) && out->rt == RtField(w);
      ensures out->imm == ImmOf(w);
    behavior illegal:
      assumes !Decodes(w);
      assigns \nothing;
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
bool pgv_decode(uint32_t w, pgv_insn *out);

/* §2.3 Translation (pgv_translate and its inlined body translate in model/machine.c). */
#define PGV_TRANSLATE_CONTRACT                                                         \
    requires \valid(pa);                                                               \
    assigns *pa;                                                                       \
    behavior legal:                                                                    \
      assumes Legal(l, b, q, a);                                                       \
      assigns *pa;                                                                     \
      ensures \result == 1 && *pa == Tr(l, a);                                         \
    behavior illegal:                                                                  \
      assumes !Legal(l, b, q, a);                                                      \
      ensures \result == 0 && *pa == \old(*pa);                                        \
    complete behaviors;                                                                \
    disjoint behaviors;

/*@ PGV_TRANSLATE_CONTRACT */
bool pgv_translate(uint32_t l, uint32_t b, uint32_t q, uint32_t a, uint32_t *pa);

/*@ assigns \nothing;
    behavior privileged:
      assumes opc < 256 && profile < PGV_NPROFILES && Priv(opc, profile);
      ensures \result == 1;
    behavior not_privileged:
      assumes !(opc < 256 && profile < PGV_NPROFILES && Priv(opc, profile));
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
bool pgv_is_privileged(uint32_t opc, uint32_t profile);

/*@ requires \valid_read(s);
    assigns \nothing;
    ensures \result == StatusOf{Pre}(s);
*/
uint32_t pgv_status_word(const pgv_state *s);

/*@ requires \valid(s);
    assigns s->r[0 .. PGV_NREGS - 1], s->pc, s->l, s->b, s->mode, s->ie, s->flags,
            s->cause, s->timer, s->tp, s->halted, s->profile, s->mem, s->q, s->in,
            s->in_len, s->in_pos, s->out, s->out_cap, s->out_len, s->steps;
    ensures \forall integer i; 0 <= i < PGV_NREGS ==> s->r[i] == 0;
    ensures s->pc == entry && s->l == 0 && s->b == q;
    ensures s->mode == PGV_MODE_SUP && s->ie == 0 && s->flags == 0 && s->cause == 0;
    ensures s->timer == 0 && s->tp == 0 && s->halted == 0 && s->steps == 0;
    ensures s->profile == profile && s->mem == mem && s->q == q;
    ensures s->in == \null && s->in_len == 0 && s->in_pos == 0;
    ensures s->out == \null && s->out_cap == 0 && s->out_len == 0;
    ensures PGV_MIN_WORDS <= q <= PGV_MAX_WORDS && \valid(mem + (0 .. q - 1)) &&
            \separated(s, mem + (0 .. q - 1)) && profile < PGV_NPROFILES ==>
            WellFormed{Post}(s);
*/
void pgv_init(pgv_state *s, uint32_t *mem, uint32_t q, uint32_t profile, uint32_t entry);

/* §5 The trap (pgv_trap and its inlined body trap_core in model/machine.c). */
#define PGV_TRAP_CONTRACT                                                              \
    requires WellFormed(s);                                                            \
    assigns s->mem[PGV_OLD_PSW .. PGV_OLD_PSW + 3], s->mem[PGV_TRAP_INFO],             \
            s->mode, s->ie, s->flags, s->cause, s->pc, s->l, s->b;                     \
    ensures stored: TrapStored{Pre,Post}(s, cause, info, saved_pc);                    \
    ensures storage: TrapMemFrame{Pre,Post}(s);                                        \
    ensures loaded: TrapLoaded{Pre,Post}(s);                                           \
    ensures frame: TrapFrame{Pre,Post}(s);                                             \
    ensures timer: SameTimer{Pre,Post}(s) && s->steps == \old(s->steps);              \
    ensures trap: Trap{Pre,Post}(s, cause, info, saved_pc);                            \
    ensures wf_mem: WfMem(s);                                                          \
    ensures wf_io: WfIo(s);                                                            \
    ensures wf_fields: s->mode <= 1 && s->ie <= 1 && s->tp <= 1 && s->halted <= 1 &&   \
                       s->flags <= PGV_FLAGS_MASK && s->cause <= PGV_ST_CAUSE_MASK &&  \
                       s->profile < PGV_NPROFILES;  /* WfFields(s), spelled out */

/*@ PGV_TRAP_CONTRACT */
void pgv_trap(pgv_state *s, uint32_t cause, uint32_t info, uint32_t saved_pc);

/* §8.1 What a step may write: the state's registers, PSW, timer, counters, storage
 * E[0..q-1] and output log — nothing else (no other memory, not the shape). */
#define PGV_STEP_ASSIGNS                                                               \
    assigns s->r[0 .. PGV_NREGS - 1], s->pc, s->l, s->b, s->mode, s->ie, s->flags,     \
            s->cause, s->timer, s->tp, s->halted, s->steps, s->in_pos, s->out_len,     \
            s->mem[0 .. s->q - 1], s->out[0 .. s->out_cap - 1];

/* §8.1 The outcomes of a step of a running machine, one behavior each, in the
 * manual's order: TIMER trap, fetch BOUNDS, ILLEGAL, PRIV, then one behavior per
 * opcode (LD, ST, LPSW split into the legal case and the data BOUNDS trap, which
 * changes nothing but the trap's PSW swap: check, then commit).  Shared by
 * pgv_step and by its body step_live in model/machine.c. */
#define PGV_EXEC(OP, EV)                                                               \
    behavior OP:                                                                       \
      assumes Executes(s) && Opc(s->mem[Tr(s->l, s->pc)]) == PGV_OPC_##OP;             \
      ensures \result == EV;                                                           \
      ensures Insn_##OP{Pre,Post}(s, Fetch{Pre}(s));
#define PGV_EXEC_MEM(OP, LEGAL)                                                        \
    behavior OP:                                                                       \
      assumes Executes(s) && Opc(s->mem[Tr(s->l, s->pc)]) == PGV_OPC_##OP &&           \
              LEGAL(s, EA(s, Fetch(s)));                                               \
      ensures \result == PGV_EV_EXEC;                                                  \
      ensures Insn_##OP{Pre,Post}(s, Fetch{Pre}(s));                                   \
    behavior OP##_bounds:                                                              \
      assumes Executes(s) && Opc(s->mem[Tr(s->l, s->pc)]) == PGV_OPC_##OP &&           \
              !LEGAL(s, EA(s, Fetch(s)));                                              \
      ensures \result == PGV_EV_TRAP;                                                  \
      ensures StepTrap{Pre,Post}(s, PGV_CAUSE_BOUNDS, EA{Pre}(s, Fetch{Pre}(s)), \old(s->pc));
#define PGV_STEP_OUTCOMES                                                              \
    behavior timer:                                                                    \
      assumes Running(s) && s->tp != 0 && s->ie != 0;                                  \
      ensures \result == PGV_EV_TRAP;                                                  \
      ensures StepTrap{Pre,Post}(s, PGV_CAUSE_TIMER, 0, \old(s->pc));                  \
    behavior fetch_bounds:                                                             \
      assumes Running(s) && !(s->tp != 0 && s->ie != 0) &&                             \
              !Legal(s->l, s->b, s->q, s->pc);                                         \
      ensures \result == PGV_EV_TRAP;                                                  \
      ensures StepTrap{Pre,Post}(s, PGV_CAUSE_BOUNDS, \old(s->pc), \old(s->pc));       \
    behavior illegal:                                                                  \
      assumes Running(s) && !(s->tp != 0 && s->ie != 0) &&                             \
              Legal(s->l, s->b, s->q, s->pc) && !Decodes(s->mem[Tr(s->l, s->pc)]);     \
      ensures \result == PGV_EV_TRAP;                                                  \
      ensures StepTrap{Pre,Post}(s, PGV_CAUSE_ILLEGAL, Fetch{Pre}(s), \old(s->pc));    \
    behavior priv:                                                                     \
      assumes Running(s) && !(s->tp != 0 && s->ie != 0) &&                             \
              Legal(s->l, s->b, s->q, s->pc) && Decodes(s->mem[Tr(s->l, s->pc)]) &&    \
              PrivTrap(s);                                                             \
      ensures \result == PGV_EV_TRAP;                                                  \
      ensures StepTrap{Pre,Post}(s, PGV_CAUSE_PRIV, Fetch{Pre}(s), \old(s->pc));       \
    PGV_EXEC(NOP, PGV_EV_EXEC)   PGV_EXEC(ADD, PGV_EV_EXEC)   PGV_EXEC(SUB, PGV_EV_EXEC) \
    PGV_EXEC(AND, PGV_EV_EXEC)   PGV_EXEC(OR, PGV_EV_EXEC)    PGV_EXEC(XOR, PGV_EV_EXEC) \
    PGV_EXEC(SHL, PGV_EV_EXEC)   PGV_EXEC(SHR, PGV_EV_EXEC)   PGV_EXEC(SRA, PGV_EV_EXEC) \
    PGV_EXEC(MUL, PGV_EV_EXEC)   PGV_EXEC(DIVU, PGV_EV_EXEC)  PGV_EXEC(REMU, PGV_EV_EXEC) \
    PGV_EXEC(ADDI, PGV_EV_EXEC)  PGV_EXEC(ANDI, PGV_EV_EXEC)  PGV_EXEC(ORI, PGV_EV_EXEC) \
    PGV_EXEC(XORI, PGV_EV_EXEC)  PGV_EXEC(SHLI, PGV_EV_EXEC)  PGV_EXEC(SHRI, PGV_EV_EXEC) \
    PGV_EXEC(SRAI, PGV_EV_EXEC)  PGV_EXEC(LUI, PGV_EV_EXEC)   PGV_EXEC(CMP, PGV_EV_EXEC) \
    PGV_EXEC(CMPI, PGV_EV_EXEC)                                                        \
    PGV_EXEC_MEM(LD, DataLegal)  PGV_EXEC_MEM(ST, DataLegal)                       \
    PGV_EXEC(BR, PGV_EV_EXEC)    PGV_EXEC(BEQ, PGV_EV_EXEC)   PGV_EXEC(BNE, PGV_EV_EXEC) \
    PGV_EXEC(BLT, PGV_EV_EXEC)   PGV_EXEC(BGE, PGV_EV_EXEC)   PGV_EXEC(BLTU, PGV_EV_EXEC) \
    PGV_EXEC(BGEU, PGV_EV_EXEC)  PGV_EXEC(JAL, PGV_EV_EXEC)   PGV_EXEC(JR, PGV_EV_EXEC) \
    PGV_EXEC(JALR, PGV_EV_EXEC)                                                        \
    behavior SVC:                                                                      \
      assumes Executes(s) && Opc(s->mem[Tr(s->l, s->pc)]) == PGV_OPC_SVC;              \
      ensures \result == PGV_EV_TRAP;                                                  \
      ensures StepTrap{Pre,Post}(s, PGV_CAUSE_SVC, Imm(Fetch{Pre}(s)),                 \
                                 Add32(\old(s->pc), 1));                               \
    PGV_EXEC(HALT, PGV_EV_HALT)                                                        \
    PGV_EXEC_MEM(LPSW, LpswLegal)                                                      \
    PGV_EXEC(RDPSW, PGV_EV_EXEC) PGV_EXEC(SETR, PGV_EV_EXEC)  PGV_EXEC(RDR, PGV_EV_EXEC) \
    PGV_EXEC(STMR, PGV_EV_EXEC)  PGV_EXEC(RDTMR, PGV_EV_EXEC) PGV_EXEC(EI, PGV_EV_EXEC) \
    PGV_EXEC(DI, PGV_EV_EXEC)    PGV_EXEC(POPF, PGV_EV_EXEC)  PGV_EXEC(PUSHF, PGV_EV_EXEC) \
    PGV_EXEC(JRSTU, PGV_EV_EXEC) PGV_EXEC(IN, PGV_EV_EXEC)    PGV_EXEC(OUT, PGV_EV_EXEC)

/* The step of a running machine (step_live in model/machine.c, inlined into both
 * pgv_step and pgv_run's loop; pbit is the profile's bit, hoisted out of the loop):
 * one postcondition, Step{Pre,Post} of spec/step.acsl, which has the outcomes of
 * PGV_STEP_OUTCOMES as its cases (one goal per switch case instead of one per case
 * and behavior). */
#define PGV_STEP_LIVE_CONTRACT                                                         \
    requires WellFormed(s);                                                            \
    requires Running(s);                                                               \
    requires pbit == ProfileBit(s->profile);                                           \
    PGV_STEP_ASSIGNS                                                                   \
    ensures wf: WellFormed(s);                                                         \
    ensures step: Step{Pre,Post}(s, \result);

/* The contract of op_X, the model's function for instruction X (model/machine.c):
 * from a well-formed state, executing the instruction word w (opcode X; its operand
 * fields are read from w) retires with the effect Insn_X of spec/insn.acsl, and the
 * state stays well-formed (what step_live's own `wf` needs from each case). */
#define PGV_OP_SPEC(OP)                                                                \
    requires WellFormed(s);                                                            \
    PGV_STEP_ASSIGNS                                                                   \
    ensures wf: WellFormed(s);                                                         \
    ensures \result == PGV_EV_EXEC;                                                    \
    ensures Insn_##OP{Pre,Post}(s, w);

/* ... and for LD, ST, LPSW: the legal case, or the data BOUNDS trap (check, then
 * commit: nothing but the PSW swap). */
#define PGV_OP_MEM_SPEC(OP, LEGAL)                                                     \
    requires WellFormed(s);                                                            \
    PGV_STEP_ASSIGNS                                                                   \
    ensures wf: WellFormed(s);                                                         \
    behavior legal:                                                                    \
      assumes LEGAL(s, EA(s, w));                                                      \
      ensures \result == PGV_EV_EXEC;                                                  \
      ensures Insn_##OP{Pre,Post}(s, w);                                               \
    behavior bounds:                                                                   \
      assumes !LEGAL(s, EA(s, w));                                                     \
      ensures \result == PGV_EV_TRAP;                                                  \
      ensures StepTrap{Pre,Post}(s, PGV_CAUSE_BOUNDS, EA{Pre}(s, w), \old(s->pc));     \
    complete behaviors;                                                                \
    disjoint behaviors;

/*@ requires WellFormed(s);
    PGV_STEP_ASSIGNS
    ensures WellFormed(s);
    ensures SameShape{Pre,Post}(s);
    behavior idle:
      assumes !Running(s);
      assigns \nothing;
      ensures \result == PGV_EV_IDLE;
      ensures Unchanged{Pre,Post}(s);
    PGV_STEP_OUTCOMES
    complete behaviors;
    disjoint behaviors;
*/
pgv_event pgv_step(pgv_state *s);

/* §8.2 pgv_run: steps until the machine is halted, `budget` steps are taken, or (with
 * PGV_RUN_STOP_ON_TRAP) a step leaves it in supervisor mode.  What is proved: no
 * runtime error, the writes (the state's mutable fields, E, the output log, *done),
 * well-formedness and shape kept, *done = the steps taken by this call (mod 2^64),
 * and each stop reason's condition on the final state.  Not stated: that the final
 * state is the budget-fold of Step (no multi-step predicate in spec/), and
 * *done <= budget (it needs "a step adds 1 to steps" as a postcondition of step_live;
 * today that follows only from Step's per-outcome cases).                            */
/*@ requires wf: WellFormed(s);
    requires done: done == \null ||
      (\valid(done) && \separated(done, s) && \separated(done, s->mem + (0 .. s->q - 1)) &&
       \separated(done, s->out + (0 .. s->out_cap - 1)));
    assigns s->r[0 .. PGV_NREGS - 1], s->pc, s->l, s->b, s->mode, s->ie, s->flags,
            s->cause, s->timer, s->tp, s->halted, s->steps, s->in_pos, s->out_len,
            s->mem[0 .. s->q - 1], s->out[0 .. s->out_cap - 1], *done;
    ensures wf: WellFormed(s);
    ensures shape: SameShape{Pre,Post}(s);
    ensures done: done != \null ==> *done == (uint64_t)(s->steps - \old(s->steps));
    behavior halted:
      assumes !Running(s);
      ensures \result == PGV_STOP_HALT;
      ensures Unchanged{Pre,Post}(s);
    behavior running:
      assumes Running(s);
      ensures halt: \result == PGV_STOP_HALT ==> s->halted == 1;
      ensures budget: \result == PGV_STOP_BUDGET ==>
        Running(s) && s->steps == (uint64_t)(\old(s->steps) + budget);
      ensures trap: \result == PGV_STOP_TRAP ==>
        (flags & PGV_RUN_STOP_ON_TRAP) != 0 && Running(s) && s->mode == PGV_MODE_SUP;
      ensures reason: \result == PGV_STOP_HALT || \result == PGV_STOP_BUDGET ||
                      \result == PGV_STOP_TRAP;
    complete behaviors;
    disjoint behaviors;
*/
pgv_stop pgv_run(pgv_state *s, uint64_t budget, unsigned flags, uint64_t *done);

#endif
