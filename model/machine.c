/* model/machine.c — the reference machine: decode, translate, trap, step, run (ISA §2–§8).
 *
 * One step is one instruction or one trap (§8.1).  Every instruction first computes
 * whether it traps — fetch bounds, ILLEGAL, PRIV, data bounds — without touching the
 * state ("check"), and writes state only once it cannot trap ("commit").  pgv_run is
 * the same step inlined into a loop over a local copy of the state, so the loop
 * keeps the registers out of the storage's alias set; there is one step function,
 * not a fast one and a proved one.  No allocation, no I/O.
 */
#include "pgv.h"
#include "optab.h"
#include "pgv_contracts.h"

/* §4.3: sign-extend a 16-bit immediate, in unsigned arithmetic. */
/*@ requires x <= 0xFFFF;
    assigns \nothing;
    ensures \result == Sext16(x);
*/
static inline uint32_t sext16(uint32_t x)
{
    return (x & 0x8000u) ? (x | 0xFFFF0000u) : x;
}

/* The decoder's format of each opcode plus one (0: unassigned), from the table:
 * pgv_optab's fmt column as a scalar array, which the provers can read (the
 * initializer facts of an array of structs with strings are too large for them). */
static const uint8_t dec_fmt1[256] = {
#define PGV_OP(NAME, OPC, FMT, PRIV, CTL, BM, BR, BC, US, SUM) [OPC] = (FMT) + 1,
#include "../spec/opcodes.def"
#undef PGV_OP
};

/*@ ghost
  /@ requires opc < 256;
     assigns \nothing;
     ensures dec_fmt1[opc] == OpFmt(opc) + 1;
  @/
  static void dec_fmt1_fact(uint32_t opc) { }
*/

bool pgv_decode(uint32_t w, pgv_insn *out)
{
    uint32_t opc = PGV_OPC(w);
    //@ ghost dec_fmt1_fact(opc);
    uint32_t f1 = dec_fmt1[opc];
    if (f1 == 0 || (w & pgv_fmt_zero_mask[f1 - 1]) != 0)
        return false;
    uint32_t fmt = f1 - 1;
    //@ assert table_sign: (pgv_fmt_signed[fmt] != 0) <==> SignedImm(fmt) == \true;
    out->opc = opc;
    out->fmt = fmt;
    out->rd = PGV_RD(w);
    out->rs = PGV_RS(w);
    out->rt = PGV_RT(w);
    out->imm = pgv_fmt_signed[fmt] ? sext16(PGV_IMM(w)) : PGV_IMM(w);
    return true;
}

/*@ PGV_TRANSLATE_CONTRACT */
static inline bool translate(uint32_t l, uint32_t b, uint32_t q, uint32_t a, uint32_t *pa)
{
    /* a + l < q as integers: computed in 64 bits, so it cannot wrap (§2.3). */
    if (a < b && (uint64_t)a + l < q) {
        *pa = a + l;
        return true;
    }
    return false;
}

bool pgv_translate(uint32_t l, uint32_t b, uint32_t q, uint32_t a, uint32_t *pa)
{
    return translate(l, b, q, a, pa);
}

bool pgv_is_privileged(uint32_t opc, uint32_t profile)
{
    if (opc >= 256u || profile >= PGV_NPROFILES)
        return false;
    //@ ghost pgv_dec_fact(opc);
    return ((pgv_dec[opc] >> 32) & PGV_PROFILE_BIT(profile)) != 0;   /* the PRIV column */
}

/* §5 the status word of (M, IE, flags, cause): one expression for the trap, RDPSW
 * and pgv_status_word (the proofs match it against spec/psw.acsl's StatusWord). */
/*@ assigns \nothing;
    ensures \result == StatusWord(mode, ie, flags, cause);
*/
static inline uint32_t status_word(uint32_t mode, uint32_t ie, uint32_t flags, uint32_t cause)
{
    return (mode & PGV_ST_M) | ((ie & 1u) << 1) |
           ((flags & PGV_FLAGS_MASK) << PGV_ST_FLAGS_SH) |
           ((cause & PGV_ST_CAUSE_MASK) << PGV_ST_CAUSE_SH);
}

uint32_t pgv_status_word(const pgv_state *s)
{
    return status_word(s->mode, s->ie, s->flags, s->cause);
}

void pgv_init(pgv_state *s, uint32_t *mem, uint32_t q, uint32_t profile, uint32_t entry)
{
    /*@ loop invariant 0 <= i <= PGV_NREGS;
        loop invariant \forall integer k; 0 <= k < i ==> s->r[k] == 0;
        loop assigns i, s->r[0 .. PGV_NREGS - 1];
        loop variant PGV_NREGS - i; */
    for (unsigned i = 0; i < PGV_NREGS; i++)
        s->r[i] = 0;
    s->pc = entry;
    s->l = 0;
    s->b = q;
    s->mode = PGV_MODE_SUP;
    s->ie = 0;
    s->flags = 0;
    s->cause = 0;
    s->timer = 0;
    s->tp = 0;
    s->halted = 0;
    s->profile = profile;
    s->mem = mem;
    s->q = q;
    s->in = 0;
    s->in_len = 0;
    s->in_pos = 0;
    s->out = 0;
    s->out_cap = 0;
    s->out_len = 0;
    s->steps = 0;
}

/* §5 Load the PSW fields other than P from a status word, and R = (l, b): a trap's new
 * PSW (trap_core) and LPSW's commit.  The contract states the field ranges one by one,
 * so callers keep them as plain facts (what WellFormed needs), not as bit arithmetic. */
/*@ requires \valid(s);
    assigns s->mode, s->ie, s->flags, s->cause, s->l, s->b;
    ensures loaded: PswLoaded(s, st, l, b);
    ensures ranges: s->mode <= 1 && s->ie <= 1 && s->flags <= PGV_FLAGS_MASK &&
                    s->cause <= PGV_ST_CAUSE_MASK;
*/
static inline void psw_load(pgv_state *s, uint32_t st, uint32_t l, uint32_t b)
{
    s->mode = st & PGV_ST_M;
    s->ie = (st >> 1) & 1u;
    s->flags = (st >> PGV_ST_FLAGS_SH) & PGV_FLAGS_MASK;
    s->cause = (st >> PGV_ST_CAUSE_SH) & PGV_ST_CAUSE_MASK;
    s->l = l;
    s->b = b;
}

/* §5.2 The trap: old PSW to E[0..3], info to E[8], new PSW from E[4..7] (absolute). */
/*@ PGV_TRAP_CONTRACT */
static inline void trap_core(pgv_state *s, uint32_t cause, uint32_t info, uint32_t saved_pc)
{
    uint32_t *e = s->mem;
    /* read first (the old PSW from s, the new PSW from E[4..7]), then write */
    uint32_t old_st = status_word(s->mode, s->ie, s->flags, cause);
    uint32_t old_l = s->l, old_b = s->b;
    uint32_t st = e[PGV_NEW_PSW + 0], np = e[PGV_NEW_PSW + 1];
    uint32_t nl = e[PGV_NEW_PSW + 2], nb = e[PGV_NEW_PSW + 3];
    e[PGV_OLD_PSW + 0] = old_st;
    e[PGV_OLD_PSW + 1] = saved_pc;
    e[PGV_OLD_PSW + 2] = old_l;
    e[PGV_OLD_PSW + 3] = old_b;
    e[PGV_TRAP_INFO] = info;
    psw_load(s, st, nl, nb);
    s->pc = np;
    /* the postconditions' parts, proved once each; the contract's conjunctions
     * (Trap, WellFormed) then follow from them */
    //@ assert ranges: s->mode <= 1 && s->ie <= 1 && s->flags <= 7 && s->cause <= 255;
    //@ assert a_stored: TrapStored{Pre,Here}(s, cause, info, saved_pc);
    //@ assert a_storage: TrapMemFrame{Pre,Here}(s);
    //@ assert a_loaded: TrapLoaded{Pre,Here}(s);
    //@ assert a_frame: TrapFrame{Pre,Here}(s);
    //@ assert a_timer: SameTimer{Pre,Here}(s) && s->steps == \at(s->steps, Pre);
}

void pgv_trap(pgv_state *s, uint32_t cause, uint32_t info, uint32_t saved_pc)
{
    trap_core(s, cause, info, saved_pc);
}

/* §6.2 compare: Z equal, N signed less, C unsigned less. */
/*@ assigns \nothing;
    ensures \result == CompareFlags(a, b);
*/
static inline uint32_t compare_flags(uint32_t a, uint32_t b)
{
    return (a == b ? PGV_FLAG_Z : 0u) +          /* disjoint bits: + is | */
           ((a ^ 0x80000000u) < (b ^ 0x80000000u) ? PGV_FLAG_N : 0u) +
           (a < b ? PGV_FLAG_C : 0u);
}

/*@ requires n < 32;
    assigns \nothing;
    ensures \result == Sra32(x, n);
*/
static inline uint32_t sra(uint32_t x, uint32_t n)
{
    return (x & 0x80000000u) ? ~(~x >> n) : x >> n;
}

/* §4 The opcode field, as a function so that the proofs see the spec's Opc(w). */
/*@ assigns \nothing;
    ensures \result == Opc(w) && \result < 256;
*/
static inline uint32_t opc_of(uint32_t w)
{
    return PGV_OPC(w);
}

/* §8.1 The step is written as one small function per instruction (op_ADD, ...), each
 * proved against its predicate Insn_X of spec/insn.acsl, and a dispatcher (step_live)
 * that does the checks — timer, fetch, decode, privilege — and calls them.  Every
 * function here is always_inline: after inlining the machine code is the one switch
 * of the original single function; the split exists for the proofs, which cannot
 * afford one function with ~50 outcomes (proofs/REPORT.md). */
#define PGV_INLINE static inline __attribute__((always_inline))

/* §8.1 (7) Retirement: the tick (§5.4: a running timer counts down and sets TP when
 * it reaches 0; RDTMR has read T before), then P := next and one more step. */
/*@ requires \valid(s);
    assigns s->timer, s->tp, s->pc, s->steps;
    ensures Retire{Pre,Post}(s, next);
    ensures \result == ev;
*/
PGV_INLINE pgv_event insn_retire(pgv_state *s, uint32_t next, pgv_event ev)
{
    if (s->timer != 0) {
        s->timer--;
        if (s->timer == 0)
            s->tp = 1;
    }
    s->pc = next;
    s->steps++;
    return ev;
}

/* §5 A step that traps: the PSW swap and one more step; no tick. */
/*@ requires WellFormed(s);
    assigns s->mem[PGV_OLD_PSW .. PGV_OLD_PSW + 3], s->mem[PGV_TRAP_INFO],
            s->mode, s->ie, s->flags, s->cause, s->pc, s->l, s->b, s->steps;
    ensures stored: TrapStored{Pre,Post}(s, cause, info, saved);
    ensures storage: TrapMemFrame{Pre,Post}(s);
    ensures loaded: TrapLoaded{Pre,Post}(s);
    ensures frame: TrapFrame{Pre,Post}(s);
    ensures timer: SameTimer{Pre,Post}(s);
    ensures steps: s->steps == (uint64_t)(\old(s->steps) + 1);
    ensures wf: WellFormed(s);
    ensures \result == PGV_EV_TRAP;
*/
PGV_INLINE pgv_event trap_step(pgv_state *s, uint32_t cause, uint32_t info, uint32_t saved)
{
    trap_core(s, cause, info, saved);
    s->steps++;
    return PGV_EV_TRAP;
}

/* §5.4 The timer trap: TP := 0, then the trap with P not yet executed. */
/*@ requires WellFormed(s);
    assigns s->tp, s->mem[PGV_OLD_PSW .. PGV_OLD_PSW + 3], s->mem[PGV_TRAP_INFO],
            s->mode, s->ie, s->flags, s->cause, s->pc, s->l, s->b, s->steps;
    ensures stored: TrapStored{Pre,Post}(s, PGV_CAUSE_TIMER, 0, \old(s->pc));
    ensures storage: TrapMemFrame{Pre,Post}(s);
    ensures loaded: TrapLoaded{Pre,Post}(s);
    ensures frame: TrapFrame{Pre,Post}(s);
    ensures timer: s->timer == \old(s->timer) && s->tp == 0;
    ensures steps: s->steps == (uint64_t)(\old(s->steps) + 1);
    ensures wf: WellFormed(s);
    ensures \result == PGV_EV_TRAP;
*/
PGV_INLINE pgv_event timer_trap(pgv_state *s)
{
    s->tp = 0;
    return trap_step(s, PGV_CAUSE_TIMER, 0, s->pc);
}

/* Effect classes (spec/insn.acsl): most instructions change one register, or only P,
 * or one or two PSW fields, and then retire.  Each class is one function whose frame
 * conditions are proved once; the instruction functions below compose them. */

/* RegEffect: r[k] := v, then retire to P + 1. */
/*@ requires WellFormed(s) && k < PGV_NREGS;
    assigns s->r[k], s->timer, s->tp, s->pc, s->steps;
    ensures effect: RegEffect{Pre,Post}(s, k, v);
    ensures \result == PGV_EV_EXEC;
*/
PGV_INLINE pgv_event reg_retire(pgv_state *s, uint32_t k, uint32_t v)
{
    uint32_t next = s->pc + 1u;
    s->r[k] = v;
    /*@ assert tick0: s->timer == \at(s->timer,Pre) && s->tp == \at(s->tp,Pre) &&
                      s->steps == \at(s->steps,Pre); */
    pgv_event ev = insn_retire(s, next, PGV_EV_EXEC);
    /* RegEffect's parts, one goal each */
    //@ assert regs: RegSet{Pre,Here}(s, k, v);
    //@ assert psw: SamePsw{Pre,Here}(s);
    //@ assert mem: SameMem{Pre,Here}(s);
    //@ assert io: SameIo{Pre,Here}(s);
    //@ assert keep: Keep{Pre,Here}(s);
    //@ assert ret: Retire{Pre,Here}(s, NextPc{Pre}(s));
    return ev;
}

/* JumpEffect: retire to next. */
/*@ requires WellFormed(s);
    assigns s->timer, s->tp, s->pc, s->steps;
    ensures effect: JumpEffect{Pre,Post}(s, next);
    ensures \result == PGV_EV_EXEC;
*/
PGV_INLINE pgv_event jump_retire(pgv_state *s, uint32_t next)
{
    pgv_event ev = insn_retire(s, next, PGV_EV_EXEC);
    /* JumpEffect's parts, one goal each */
    //@ assert regs: SameRegs{Pre,Here}(s);
    //@ assert psw: SamePsw{Pre,Here}(s);
    //@ assert mem: SameMem{Pre,Here}(s);
    //@ assert io: SameIo{Pre,Here}(s);
    //@ assert keep: Keep{Pre,Here}(s);
    return ev;
}

/* LinkEffect: r[k] := P + 1, then retire to next. */
/*@ requires WellFormed(s) && k < PGV_NREGS;
    assigns s->r[k], s->timer, s->tp, s->pc, s->steps;
    ensures effect: LinkEffect{Pre,Post}(s, k, next);
    ensures \result == PGV_EV_EXEC;
*/
PGV_INLINE pgv_event link_retire(pgv_state *s, uint32_t k, uint32_t next)
{
    s->r[k] = s->pc + 1u;
    /*@ assert tick0: s->timer == \at(s->timer,Pre) && s->tp == \at(s->tp,Pre) &&
                      s->steps == \at(s->steps,Pre); */
    pgv_event ev = insn_retire(s, next, PGV_EV_EXEC);
    /* LinkEffect's parts, one goal each */
    //@ assert regs: RegSet{Pre,Here}(s, k, NextPc{Pre}(s));
    //@ assert psw: SamePsw{Pre,Here}(s);
    //@ assert mem: SameMem{Pre,Here}(s);
    //@ assert io: SameIo{Pre,Here}(s);
    //@ assert keep: Keep{Pre,Here}(s);
    //@ assert ret: Retire{Pre,Here}(s, next);
    return ev;
}

/* PswEffect with new flags: flags := f, then retire to P + 1. */
/*@ requires WellFormed(s) && f <= PGV_FLAGS_MASK;
    assigns s->flags, s->timer, s->tp, s->pc, s->steps;
    ensures effect: PswEffect{Pre,Post}(s, \old(s->mode), \old(s->ie), f, \old(s->l), \old(s->b));
    ensures \result == PGV_EV_EXEC;
*/
PGV_INLINE pgv_event flags_retire(pgv_state *s, uint32_t f)
{
    uint32_t next = s->pc + 1u;
    s->flags = f;
    pgv_event ev = insn_retire(s, next, PGV_EV_EXEC);
    /* PswEffect's parts, one goal each */
    //@ assert regs: SameRegs{Pre,Here}(s);
    /*@ assert psw: PswIs{Here}(s, \at(s->mode,Pre), \at(s->ie,Pre), f, \at(s->cause,Pre),
                               \at(s->l,Pre), \at(s->b,Pre)); */
    //@ assert mem: SameMem{Pre,Here}(s);
    //@ assert io: SameIo{Pre,Here}(s);
    //@ assert keep: Keep{Pre,Here}(s);
    //@ assert ret: Retire{Pre,Here}(s, NextPc{Pre}(s));
    return ev;
}

/* PswEffect with new IE and flags: IE := ie, flags := f, then retire to P + 1. */
/*@ requires WellFormed(s) && ie <= 1 && f <= PGV_FLAGS_MASK;
    assigns s->ie, s->flags, s->timer, s->tp, s->pc, s->steps;
    ensures effect: PswEffect{Pre,Post}(s, \old(s->mode), ie, f, \old(s->l), \old(s->b));
    ensures wf: WellFormed(s);
    ensures \result == PGV_EV_EXEC;
*/
PGV_INLINE pgv_event ie_retire(pgv_state *s, uint32_t ie, uint32_t f)
{
    uint32_t next = s->pc + 1u;
    s->ie = ie;
    s->flags = f;
    pgv_event ev = insn_retire(s, next, PGV_EV_EXEC);
    /* PswEffect's parts, one goal each */
    //@ assert regs: SameRegs{Pre,Here}(s);
    /*@ assert psw: PswIs{Here}(s, \at(s->mode,Pre), ie, f, \at(s->cause,Pre),
                               \at(s->l,Pre), \at(s->b,Pre)); */
    //@ assert mem: SameMem{Pre,Here}(s);
    //@ assert io: SameIo{Pre,Here}(s);
    //@ assert keep: Keep{Pre,Here}(s);
    //@ assert ret: Retire{Pre,Here}(s, NextPc{Pre}(s));
    return ev;
}

/* Operands: the fields an instruction's format has, extracted from the word (§4.1).
 * A register is the low three bits of its field — bits 22..20 for rd, 18..16 for rs,
 * 14..12 for rt — written as division and remainder by powers of two (the compiler
 * emits the same shift and mask; the provers reason about / and %, not about >> and
 * &).  For a decoded word this is the 4-bit field itself (its top bit is 0, §4.2),
 * and r[] is in bounds by construction, without relying on the decoder.  Shift
 * amounts are likewise taken mod 32 (rt & 31 in the manual; imm16 < 32 when
 * decoded, and imm16 mod 32 = w mod 32). */
/*@ assigns \nothing;
    ensures \result == Rd(w) && \result < PGV_NREGS;
*/
PGV_INLINE uint32_t rd_of(uint32_t w)
{
    return (w / 0x100000u) % PGV_NREGS;
}

/*@ assigns \nothing;
    ensures \result == Rs(w) && \result < PGV_NREGS;
*/
PGV_INLINE uint32_t rs_of(uint32_t w)
{
    return (w / 0x10000u) % PGV_NREGS;
}

/*@ assigns \nothing;
    ensures \result == Rt(w) && \result < PGV_NREGS;
*/
PGV_INLINE uint32_t rt_of(uint32_t w)
{
    return (w / 0x1000u) % PGV_NREGS;
}

/*@ assigns \nothing;
    ensures \result == Imm(w) && \result <= 0xFFFF;
*/
PGV_INLINE uint32_t imm_of(uint32_t w)
{
    return PGV_IMM(w);
}

/*@ assigns \nothing;
    ensures \result == SImm(w);
*/
PGV_INLINE uint32_t simm_of(uint32_t w)
{
    return sext16(PGV_IMM(w));
}

#define KD   rd_of(w)
#define RD   s->r[rd_of(w)]
#define RS   s->r[rs_of(w)]
#define RT   s->r[rt_of(w)]
#define IMM  imm_of(w)
#define SIMM simm_of(w)
#define NEXT (s->pc + 1u)

/* §6.1–§6.2, §6.6 instructions whose effect is rd := value. */
#define OP_REG(NAME, VALUE)                                                   \
    PGV_INLINE pgv_event op_##NAME(pgv_state *s, uint32_t w)                  \
    {                                                                         \
        return reg_retire(s, KD, (VALUE));                                    \
    }
/*@ PGV_OP_SPEC(ADD) */   OP_REG(ADD, RS + RT)
/*@ PGV_OP_SPEC(SUB) */   OP_REG(SUB, RS - RT)
/*@ PGV_OP_SPEC(AND) */   OP_REG(AND, RS & RT)
/*@ PGV_OP_SPEC(OR) */    OP_REG(OR, RS | RT)
/*@ PGV_OP_SPEC(XOR) */   OP_REG(XOR, RS ^ RT)
/*@ PGV_OP_SPEC(SHL) */   OP_REG(SHL, RS << (RT % 32u))
/*@ PGV_OP_SPEC(SHR) */   OP_REG(SHR, RS >> (RT % 32u))
/*@ PGV_OP_SPEC(SRA) */   OP_REG(SRA, sra(RS, RT % 32u))
/*@ PGV_OP_SPEC(MUL) */   OP_REG(MUL, RS * RT)
/*@ PGV_OP_SPEC(DIVU) */  OP_REG(DIVU, RT ? RS / RT : 0xFFFFFFFFu)
/*@ PGV_OP_SPEC(REMU) */  OP_REG(REMU, RT ? RS % RT : RS)
/*@ PGV_OP_SPEC(ADDI) */  OP_REG(ADDI, RS + SIMM)
/*@ PGV_OP_SPEC(ANDI) */  OP_REG(ANDI, RS & IMM)
/*@ PGV_OP_SPEC(ORI) */   OP_REG(ORI, RS | IMM)
/*@ PGV_OP_SPEC(XORI) */  OP_REG(XORI, RS ^ IMM)
/*@ PGV_OP_SPEC(SHLI) */  OP_REG(SHLI, RS << (w % 32u))
/*@ PGV_OP_SPEC(SHRI) */  OP_REG(SHRI, RS >> (w % 32u))
/*@ PGV_OP_SPEC(SRAI) */  OP_REG(SRAI, sra(RS, w % 32u))
/*@ PGV_OP_SPEC(LUI) */   OP_REG(LUI, IMM << 16)
/*@ PGV_OP_SPEC(RDPSW) */ OP_REG(RDPSW, pgv_status_word(s))
/*@ PGV_OP_SPEC(RDTMR) */ OP_REG(RDTMR, s->timer)
/*@ PGV_OP_SPEC(PUSHF) */ OP_REG(PUSHF, s->flags | (s->ie << PGV_FLAGW_IE_BIT))
#undef OP_REG

/* §6 control transfer: P := next (conditional branches test a flag). */
#define OP_JUMP(NAME, TAKEN, TARGET)                                          \
    PGV_INLINE pgv_event op_##NAME(pgv_state *s, uint32_t w)                  \
    {                                                                         \
        (void)w;                                                              \
        return jump_retire(s, (TAKEN) ? (TARGET) : NEXT);                     \
    }
/*@ PGV_OP_SPEC(NOP) */   OP_JUMP(NOP, 0, NEXT)
/*@ PGV_OP_SPEC(BR) */    OP_JUMP(BR, 1, NEXT + SIMM)
/*@ PGV_OP_SPEC(BEQ) */   OP_JUMP(BEQ, s->flags & PGV_FLAG_Z, NEXT + SIMM)
/*@ PGV_OP_SPEC(BNE) */   OP_JUMP(BNE, !(s->flags & PGV_FLAG_Z), NEXT + SIMM)
/*@ PGV_OP_SPEC(BLT) */   OP_JUMP(BLT, s->flags & PGV_FLAG_N, NEXT + SIMM)
/*@ PGV_OP_SPEC(BGE) */   OP_JUMP(BGE, !(s->flags & PGV_FLAG_N), NEXT + SIMM)
/*@ PGV_OP_SPEC(BLTU) */  OP_JUMP(BLTU, s->flags & PGV_FLAG_C, NEXT + SIMM)
/*@ PGV_OP_SPEC(BGEU) */  OP_JUMP(BGEU, !(s->flags & PGV_FLAG_C), NEXT + SIMM)
/*@ PGV_OP_SPEC(JR) */    OP_JUMP(JR, 1, RS)
#undef OP_JUMP

/*@ PGV_OP_SPEC(JAL) */
PGV_INLINE pgv_event op_JAL(pgv_state *s, uint32_t w)
{
    return link_retire(s, KD, NEXT + SIMM);
}

/*@ PGV_OP_SPEC(JALR) */
PGV_INLINE pgv_event op_JALR(pgv_state *s, uint32_t w)
{
    return link_retire(s, KD, RS);    /* target read before rd is written (rd = rs ok) */
}

/* §3 compare: flags := Z | N << 1 | C << 2. */
/*@ PGV_OP_SPEC(CMP) */
PGV_INLINE pgv_event op_CMP(pgv_state *s, uint32_t w)
{
    return flags_retire(s, compare_flags(RS, RT));
}

/*@ PGV_OP_SPEC(CMPI) */
PGV_INLINE pgv_event op_CMPI(pgv_state *s, uint32_t w)
{
    return flags_retire(s, compare_flags(RS, SIMM));
}

/* §6 storage: the data address is checked before anything is written (check, then
 * commit); an illegal one is a BOUNDS trap with the virtual address as info. */
/*@ PGV_OP_MEM_SPEC(LD, DataLegal) */
PGV_INLINE pgv_event op_LD(pgv_state *s, uint32_t w)
{
    uint32_t a = RS + SIMM, da;
    //@ assert ea: a == EA{Pre}(s, w);
    if (!translate(s->l, s->b, s->q, a, &da))
        return trap_step(s, PGV_CAUSE_BOUNDS, a, s->pc);
    uint32_t v = s->mem[da];
    //@ assert word: v == \at(s->mem[Tr(s->l, EA{Pre}(s, w))], Pre);
    return reg_retire(s, KD, v);
}

/*@ PGV_OP_MEM_SPEC(ST, DataLegal) */
PGV_INLINE pgv_event op_ST(pgv_state *s, uint32_t w)
{
    uint32_t a = RS + SIMM, da;
    //@ assert ea: a == EA{Pre}(s, w);
    if (!translate(s->l, s->b, s->q, a, &da))
        return trap_step(s, PGV_CAUSE_BOUNDS, a, s->pc);
    //@ assert pa: da == Tr(s->l, EA{Pre}(s, w)) && da < s->q;
    //@ assert sep: \separated(s, s->mem + da);
    uint32_t next = s->pc + 1u, v = RD;
    s->mem[da] = v;
    //@ assert keep0: Keep{Pre,Here}(s) && s->timer == \at(s->timer,Pre) && s->tp == \at(s->tp,Pre) && s->steps == \at(s->steps,Pre) && s->pc == \at(s->pc,Pre);
    pgv_event ev = insn_retire(s, next, PGV_EV_EXEC);
    /* Insn_ST's parts, one goal each */
    //@ assert stored: MemSet{Pre,Here}(s, Tr(\at(s->l,Pre), EA{Pre}(s, w)), RegD{Pre}(s, w));
    //@ assert regs: SameRegs{Pre,Here}(s);
    //@ assert psw: SamePsw{Pre,Here}(s);
    //@ assert io: SameIo{Pre,Here}(s);
    //@ assert keep: Keep{Pre,Here}(s);
    //@ assert ret: Retire{Pre,Here}(s, NextPc{Pre}(s));
    return ev;
}

/* §6.6 LPSW: all four words must translate: a, a+1, a+2, a+3 < b (as integers).
 * With a <= 0xFFFFFFFC (no wraparound) the four are legal iff a + 3 is: a + 3 < b
 * and a + 3 + l < q imply the same for a, a + 1, a + 2, whose words are then the
 * three before E[tr(a + 3)]. */
/*@ PGV_OP_MEM_SPEC(LPSW, LpswLegal) */
PGV_INLINE pgv_event op_LPSW(pgv_state *s, uint32_t w)
{
    uint32_t a = RS + SIMM, p3;
    //@ assert ea: a == EA{Pre}(s, w);
    //@ assert sep: \separated(s, s->mem + (0 .. s->q - 1));
    if (a > 0xFFFFFFFCu || !translate(s->l, s->b, s->q, a + 3u, &p3)) {
        //@ assert !LpswLegal{Pre}(s, EA{Pre}(s, w));
        return trap_step(s, PGV_CAUSE_BOUNDS, a, s->pc);
    }
    //@ assert legal: LpswLegal{Pre}(s, EA{Pre}(s, w)) && 3 <= p3 < s->q;
    uint32_t st = s->mem[p3 - 3u], np = s->mem[p3 - 2u];
    uint32_t nl = s->mem[p3 - 1u], nb = s->mem[p3];
    /*@ assert words: st == \at(s->mem[Tr(s->l, EA{Pre}(s, w))], Pre) &&
                      np == \at(s->mem[Tr(s->l, EA{Pre}(s, w) + 1)], Pre) &&
                      nl == \at(s->mem[Tr(s->l, EA{Pre}(s, w) + 2)], Pre) &&
                      nb == \at(s->mem[Tr(s->l, EA{Pre}(s, w) + 3)], Pre); */
    psw_load(s, st, nl, nb);
    //@ assert keep0: Keep{Pre,Here}(s);
    pgv_event ev = insn_retire(s, np, PGV_EV_EXEC);
    /* Insn_LPSW's parts, one goal each */
    //@ assert loaded: PswLoaded{Here}(s, st, nl, nb);
    //@ assert regs: SameRegs{Pre,Here}(s);
    //@ assert mem: SameMem{Pre,Here}(s);
    //@ assert io: SameIo{Pre,Here}(s);
    //@ assert keep: Keep{Pre,Here}(s);
    //@ assert ret: Retire{Pre,Here}(s, np);
    return ev;
}

/* §5.2 SVC always traps and saves P + 1. */
/*@ requires WellFormed(s);
    PGV_STEP_ASSIGNS
    ensures wf: WellFormed(s);
    ensures \result == PGV_EV_TRAP;
    ensures StepTrap{Pre,Post}(s, PGV_CAUSE_SVC, Imm(w), NextPc{Pre}(s));
*/
PGV_INLINE pgv_event op_SVC(pgv_state *s, uint32_t w)
{
    return trap_step(s, PGV_CAUSE_SVC, IMM, NEXT);
}

/*@ requires WellFormed(s);
    PGV_STEP_ASSIGNS
    ensures wf: WellFormed(s);
    ensures \result == PGV_EV_HALT;
    ensures Insn_HALT{Pre,Post}(s, w);
*/
PGV_INLINE pgv_event op_HALT(pgv_state *s, uint32_t w)
{
    (void)w;
    s->halted = 1;
    return insn_retire(s, NEXT, PGV_EV_HALT);
}

/*@ PGV_OP_SPEC(SETR) */
PGV_INLINE pgv_event op_SETR(pgv_state *s, uint32_t w)
{
    uint32_t nl = RS, nb = RT;
    s->l = nl;
    s->b = nb;
    pgv_event ev = insn_retire(s, NEXT, PGV_EV_EXEC);
    /* Insn_SETR's parts, one goal each */
    //@ assert regs: SameRegs{Pre,Here}(s);
    /*@ assert psw: PswIs{Here}(s, \at(s->mode,Pre), \at(s->ie,Pre), \at(s->flags,Pre),
                               \at(s->cause,Pre), RegS{Pre}(s, w), RegT{Pre}(s, w)); */
    //@ assert mem: SameMem{Pre,Here}(s);
    //@ assert io: SameIo{Pre,Here}(s);
    //@ assert keep: Keep{Pre,Here}(s);
    return ev;
}

/*@ PGV_OP_SPEC(RDR) */
PGV_INLINE pgv_event op_RDR(pgv_state *s, uint32_t w)
{
    uint32_t ol = s->l, ob = s->b;
    RD = ol;
    RS = ob;                   /* rd = rs: the register ends with b */
    pgv_event ev = insn_retire(s, NEXT, PGV_EV_EXEC);
    /* Insn_RDR's parts, one goal each */
    //@ assert rs: s->r[Rs(w)] == \at(s->b,Pre);
    //@ assert rd: s->r[Rd(w)] == (Rd(w) == Rs(w) ? \at(s->b,Pre) : \at(s->l,Pre));
    /*@ assert others: \forall integer i; 0 <= i < PGV_NREGS && i != Rd(w) && i != Rs(w) ==>
            s->r[i] == \at(s->r[i],Pre); */
    //@ assert psw: SamePsw{Pre,Here}(s);
    //@ assert mem: SameMem{Pre,Here}(s);
    //@ assert io: SameIo{Pre,Here}(s);
    //@ assert keep: Keep{Pre,Here}(s);
    //@ assert ret: Retire{Pre,Here}(s, NextPc{Pre}(s));
    return ev;
}

/* §5.4 STMR sets T and clears TP; its own tick does not happen. */
/*@ PGV_OP_SPEC(STMR) */
PGV_INLINE pgv_event op_STMR(pgv_state *s, uint32_t w)
{
    s->timer = RS;
    s->tp = 0;
    s->pc = NEXT;
    s->steps++;
    return PGV_EV_EXEC;
}

/*@ PGV_OP_SPEC(EI) */
PGV_INLINE pgv_event op_EI(pgv_state *s, uint32_t w)
{
    (void)w;
    return ie_retire(s, 1, s->flags);
}

/*@ PGV_OP_SPEC(DI) */
PGV_INLINE pgv_event op_DI(pgv_state *s, uint32_t w)
{
    (void)w;
    return ie_retire(s, 0, s->flags);
}

/*@ PGV_OP_SPEC(POPF) */
PGV_INLINE pgv_event op_POPF(pgv_state *s, uint32_t w)
{
    uint32_t v = RS;
    uint32_t ie = s->mode == PGV_MODE_SUP ? (v >> PGV_FLAGW_IE_BIT) & 1u
                                          : s->ie;   /* popf profile, user mode: IE kept */
    return ie_retire(s, ie, v & PGV_FLAGS_MASK);
}

/*@ PGV_OP_SPEC(JRSTU) */
PGV_INLINE pgv_event op_JRSTU(pgv_state *s, uint32_t w)
{
    uint32_t next = RS;
    s->mode = PGV_MODE_USER;
    return insn_retire(s, next, PGV_EV_EXEC);
}

/*@ PGV_OP_SPEC(IN) */
PGV_INLINE pgv_event op_IN(pgv_state *s, uint32_t w)
{
    uint32_t pos = s->in_pos, v = 0xFFFFFFFFu;   /* end of tape: position kept */
    if (pos < s->in_len) {
        v = s->in[pos];
        pos++;
    }
    RD = v;
    s->in_pos = pos;
    pgv_event ev = insn_retire(s, NEXT, PGV_EV_EXEC);
    /* Insn_IN's parts, one goal each */
    /*@ assert tape: \at(s->in_pos,Pre) < \at(s->in_len,Pre) ==>
            RegSet{Pre,Here}(s, Rd(w), \at(s->in[s->in_pos],Pre)) &&
            s->in_pos == \at(s->in_pos,Pre) + 1; */
    /*@ assert end: \at(s->in_pos,Pre) >= \at(s->in_len,Pre) ==>
            RegSet{Pre,Here}(s, Rd(w), 0xFFFFFFFF) && s->in_pos == \at(s->in_pos,Pre); */
    //@ assert count: s->out_len == \at(s->out_len,Pre);
    /*@ assert log: \forall integer i; 0 <= i < \at(s->out_cap,Pre) ==>
            s->out[i] == \at(s->out[i],Pre); */
    //@ assert psw: SamePsw{Pre,Here}(s);
    //@ assert mem: SameMem{Pre,Here}(s);
    //@ assert keep: Keep{Pre,Here}(s);
    return ev;
}

/*@ PGV_OP_SPEC(OUT) */
PGV_INLINE pgv_event op_OUT(pgv_state *s, uint32_t w)
{
    if (s->out_len < s->out_cap)
        s->out[s->out_len] = RS;
    if (s->out_len != 0xFFFFFFFFu)
        s->out_len++;
    pgv_event ev = insn_retire(s, NEXT, PGV_EV_EXEC);
    /* Insn_OUT's parts, one goal each */
    /*@ assert log: \forall integer i; 0 <= i < \at(s->out_cap,Pre) ==>
            s->out[i] == (i == \at(s->out_len,Pre) ? RegS{Pre}(s, w) : \at(s->out[i],Pre)); */
    /*@ assert count: s->out_len == (\at(s->out_len,Pre) == 0xFFFFFFFF ? 0xFFFFFFFF
                                                                  : \at(s->out_len,Pre) + 1); */
    //@ assert in: s->in_pos == \at(s->in_pos,Pre);
    //@ assert regs: SameRegs{Pre,Here}(s);
    //@ assert psw: SamePsw{Pre,Here}(s);
    //@ assert mem: SameMem{Pre,Here}(s);
    //@ assert keep: Keep{Pre,Here}(s);
    return ev;
}
#undef RD
#undef RS
#undef RT
#undef IMM
#undef SIMM
#undef NEXT
#undef KD

/* §4.2 The decoder's check, as the step makes it: with mask the must-be-zero bits of
 * w's opcode (pgv_dec's low word, DecMask), w decodes exactly when no masked bit is
 * set and the opcode is assigned.  A ghost fact proved here, in a small context,
 * which step_live cites (its own goals carry the decoder table's initializer). */
/*@ ghost
  /@ requires opc == Opc(w) && mask == DecMask(opc);
     assigns \nothing;
     ensures illegal: (w & mask) != 0 ==> !Decodes(w);
     ensures legal: (w & mask) == 0 ==> (Decodes(w) <==> Assigned(opc));
  @/
  static void decode_fact(uint32_t w, uint32_t opc, uint32_t mask) { }
*/

/* §5.3 The privilege check, as the step makes it: with privs opcode o's privilege
 * column (pgv_dec's high word, OpPriv) and bit profile p's bit, privs & bit is the
 * manual's Priv(o, p); only assigned opcodes have a privilege bit (`table`, which
 * is pgv_dec_fact's priv_assigned).  A ghost fact, as decode_fact. */
/*@ ghost
  /@ requires privs == OpPriv(o) && bit == ProfileBit(p);
     requires table: OpPriv(o) != 0 ==> Assigned(o);
     assigns \nothing;
     ensures priv: (privs & bit) != 0 <==> Priv(o, p);
     ensures assigned: (privs & bit) != 0 ==> Assigned(o);
  @/
  static void priv_fact(uint32_t o, uint64_t privs, uint32_t p, uint32_t bit) { }
*/

/* §8.1 One step of a machine that is not halted.  Order: timer trap, fetch, decode,
 * privilege, execute.  pgv_step adds the halted check; pgv_run hoists it. */
/*@ PGV_STEP_LIVE_CONTRACT */
PGV_INLINE pgv_event step_live(pgv_state *s, uint32_t pbit)
{
    uint32_t pc = s->pc;
    if (s->tp && s->ie)                          /* §5.4: pending timer, IE = 1 */
        return timer_trap(s);
    uint32_t pa;
    if (!translate(s->l, s->b, s->q, pc, &pa))   /* §2.3 fetch */
        return trap_step(s, PGV_CAUSE_BOUNDS, pc, pc);
    uint32_t w = s->mem[pa];
    //@ assert fetch: !TimerDue{Pre}(s) && FetchLegal{Pre}(s) && w == Fetch{Pre}(s);
    uint32_t opc = opc_of(w);
    uint64_t dec = pgv_dec[opc];        /* zero mask | privilege mask << 32 */
    //@ ghost pgv_dec_fact(opc);
    //@ ghost decode_fact(w, opc, (uint32_t)dec);
    //@ ghost priv_fact(opc, dec >> 32, s->profile, pbit);
    if ((w & (uint32_t)dec) != 0) {     /* §4.2; unassigned opcodes: switch default */
        //@ assert illegal: !Decodes(w);
        return trap_step(s, PGV_CAUSE_ILLEGAL, w, pc);
    }
    //@ assert decodes: Assigned(opc) <==> Decodes(w);
    /* §5.3: privileged in this profile and M = u.  pbit = PGV_PROFILE_BIT(profile)
     * is computed once per pgv_run (the profile is fixed for a machine's lifetime). */
    if (s->mode == PGV_MODE_USER && ((dec >> 32) & pbit)) {
        //@ assert priv_op: Priv(opc, s->profile) && Assigned(opc);
        //@ assert priv: Decodes(w) && PrivTrap{Pre}(s);
        return trap_step(s, PGV_CAUSE_PRIV, w, pc);
    }
    //@ assert not_priv: !(s->mode == PGV_MODE_USER && Priv(opc, s->profile));
    //@ assert executes: Decodes(w) ==> ExecutesOp{Pre}(s, opc);
    switch (opc) {                      /* §6: one case per row of spec/opcodes.def */
#define PGV_OP(NAME, OPC, FMT, PRIV, CTL, BM, BR, BC, US, SUM) \
    case OPC: return op_##NAME(s, w);
#include "../spec/opcodes.def"
#undef PGV_OP
    default:
        break;
    }
    /* unassigned opcodes: pgv_dec[] is 0 for them, so they pass the mask check and
     * end here as ILLEGAL (§4.2).  (Outside the switch: WP's assigns check of a call
     * result inside the switch's default arm left an unprovable goal on the
     * temporary's scope, proofs/STATUS.md.) */
    return trap_step(s, PGV_CAUSE_ILLEGAL, w, pc);
}

pgv_event pgv_step(pgv_state *s)
{
    if (s->halted)
        return PGV_EV_IDLE;
    return step_live(s, PGV_PROFILE_BIT(s->profile));
}

/* One step of pgv_run's loop: step_live, seen through the facts the loop needs (the
 * state stays well-formed, its shape is kept, the writes are a step's), so that the
 * loop's goals do not carry Step's cases.  Always inlined: the code is step_live's. */
/*@ requires WellFormed(s) && Running(s);
    requires pbit == ProfileBit(s->profile);
    PGV_STEP_ASSIGNS
    ensures wf: WellFormed(s);
    ensures shape: SameShape{Pre,Post}(s);
*/
PGV_INLINE pgv_event run_step(pgv_state *s, uint32_t pbit)
{
    return step_live(s, pbit);
}

/* §8.2 pgv_run's steps on a running machine s: until s->steps reaches limit (every step
 * adds 1, so this is start + budget mod 2^64), HALT (the halted bit: only HALT sets it,
 * §6; it keeps step_live's precondition Running), or, with stop_on_trap, a step that
 * leaves M = s without retiring.  Always inlined; pgv_run's goals see this contract. */
/*@ requires WellFormed(s) && Running(s);
    requires pbit == ProfileBit(s->profile);
    PGV_STEP_ASSIGNS
    ensures wf: WellFormed(s);
    ensures shape: SameShape{Pre,Post}(s);
    ensures halt: \result == PGV_STOP_HALT ==> s->halted == 1;
    ensures budget: \result == PGV_STOP_BUDGET ==> Running(s) && s->steps == limit;
    ensures trap: \result == PGV_STOP_TRAP ==>
      stop_on_trap != 0 && Running(s) && s->mode == PGV_MODE_SUP;
    ensures reason: \result == PGV_STOP_HALT || \result == PGV_STOP_BUDGET ||
                    \result == PGV_STOP_TRAP;
*/
PGV_INLINE pgv_stop run_loop(pgv_state *s, uint64_t limit, int stop_on_trap, uint32_t pbit)
{
    /*@ loop invariant wf: WellFormed(s);
        loop invariant running: Running(s);
        loop invariant shape: SameShape{Pre,Here}(s);
        loop assigns s->r[0 .. PGV_NREGS - 1], s->pc, s->l, s->b, s->mode, s->ie,
          s->flags, s->cause, s->timer, s->tp, s->halted, s->steps, s->in_pos,
          s->out_len, s->mem[0 .. \at(s->q, Pre) - 1],
          s->out[0 .. \at(s->out_cap, Pre) - 1];
    */
    while (s->steps != limit) {
        pgv_event ev = run_step(s, pbit);
        if (s->halted)
            return PGV_STOP_HALT;
        if (ev != PGV_EV_EXEC && stop_on_trap && s->mode == PGV_MODE_SUP)
            return PGV_STOP_TRAP;
    }
    return PGV_STOP_BUDGET;
}

pgv_stop pgv_run(pgv_state *s, uint64_t budget, unsigned flags, uint64_t *done)
{
    const uint64_t start = s->steps;
    const uint64_t limit = start + budget;
    const int stop_on_trap = (flags & PGV_RUN_STOP_ON_TRAP) != 0;
    pgv_stop why = PGV_STOP_HALT;
    if (!s->halted)
        why = run_loop(s, limit, stop_on_trap, PGV_PROFILE_BIT(s->profile));
    if (done) {
        //@ assert done_sep: \separated(done, &s->steps);
        *done = s->steps - start;
    }
    return why;
}
