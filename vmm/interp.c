/* vmm/interp.c — the interpreter routines: one per sensitive instruction (ISA manual §6).
 *
 * When a guest in virtual supervisor mode executes a privileged instruction, the host
 * traps (PRIV, it runs in real user mode) and the dispatcher calls the routine for
 * that instruction here (spec/VMM.md §6).  Each routine emulates ISA §6 on the VM's
 * virtual state v — registers, virtual PSW, virtual R, virtual timer, the VM's own
 * storage v->mem (its allocation) and its own I/O channel — and then retires the
 * instruction as §8.1 step 7 says: the tick of the virtual timer (§5.4; STMR
 * overrides it), P := next, one guest step.  The routines are this project's second,
 * independent implementation of the sensitive instructions (the first is the model's
 * pgv_step, which they never call); the only model code they reuse is the pure
 * pgv_translate (§2.3) and pgv_status_word (§5), and the dispatcher's pgv_decode
 * (§4) (spec/VMM.md §10).  Structure for the proofs: copy the operands into locals,
 * check everything that can fail, then commit all writes.
 */
#include "monitor.h"

/* §5.4 the tick of a retired instruction, then §8.1(7) P := next and the step count. */
/*@ requires \valid(v);
    assigns v->timer, v->tp, v->pc, v->steps;
    ensures Retire{Pre,Post}(v, next);
    ensures wf: WfMem{Pre}(v) && WfIo{Pre}(v) && \old(v->mode) <= 1 && \old(v->ie) <= 1 &&
                \old(v->tp) <= 1 && \old(v->halted) <= 1 &&
                \old(v->flags) <= PGV_FLAGS_MASK && \old(v->cause) <= PGV_ST_CAUSE_MASK &&
                \old(v->profile) < PGV_NPROFILES ==> WellFormed(v);
    ensures \result == ev;
*/
static inline pgv_event emu_retire(pgv_state *v, uint32_t next, pgv_event ev)
{
    uint32_t t = v->timer;
    if (t != 0) {
        t = t - 1u;
        v->timer = t;
        if (t == 0)
            v->tp = 1;
    }
    v->pc = next;
    v->steps++;
    return ev;
}

/* The operands of the trapped word w (ISA §4.1), as the manual names them
 * (spec/decode.acsl): a register is its field's low three bits — for a word that
 * decodes, the 4-bit field itself (§4.2) — written with / and %, which the provers
 * relate to the spec; the immediate sign-extended as §4.3 says (LPSW's format). */
/*@ assigns \nothing;
    ensures \result == Rd(w) && \result < PGV_NREGS;
*/
static inline uint32_t emu_rd(uint32_t w)
{
    return (w / 0x100000u) % PGV_NREGS;
}

/*@ assigns \nothing;
    ensures \result == Rs(w) && \result < PGV_NREGS;
*/
static inline uint32_t emu_rs(uint32_t w)
{
    return (w / 0x10000u) % PGV_NREGS;
}

/*@ assigns \nothing;
    ensures \result == Rt(w) && \result < PGV_NREGS;
*/
static inline uint32_t emu_rt(uint32_t w)
{
    return (w / 0x1000u) % PGV_NREGS;
}

/*@ requires x <= 0xFFFF;
    assigns \nothing;
    ensures \result == Sext16(x);
*/
static inline uint32_t emu_sext16(uint32_t x)
{
    return (x & 0x8000u) ? (x | 0xFFFF0000u) : x;
}

/*@ assigns \nothing;
    ensures \result == SImm(w);
*/
static inline uint32_t emu_simm(uint32_t w)
{
    return emu_sext16(PGV_IMM(w));
}

/* HALT: halted := 1, P := P + 1, the tick applies (§6). */
pgv_event pgv_emu_halt(pgv_state *v, uint32_t w)
{
    (void)w;
    uint32_t next = v->pc + 1u;
    v->halted = 1;
    pgv_event ev = emu_retire(v, next, PGV_EV_HALT);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* §6 the data address of w: a = rs + sext(imm) (mod 2^32).  LPSW's operand, and
 * LPSW's BOUNDS info when the operand is illegal (the dispatcher reflects it).      */
uint32_t pgv_emu_ea(const pgv_state *v, uint32_t w)
{
    return v->r[emu_rs(w)] + emu_simm(w);
}

/* LPSW's check (§6.6): whether a <= 0xFFFFFFFC and a, a+1, a+2, a+3 are all legal
 * under the virtual R = (l, b) in q words (§2.3, pgv_translate); then *pa = tr(a), and
 * tr(a + i) is *pa + i.  Nothing is written when the check fails.  The dispatcher
 * asks it first; its answer picks LPSW's outcome (the routine below, or the BOUNDS
 * trap reflected), as two paths (vmm/dispatch.c).                                  */
bool pgv_emu_lpsw_operand(const pgv_state *v, uint32_t a, uint32_t *pa)
{
    uint32_t l = v->l, b = v->b, q = v->q, p0, p1, p2, p3;
    if (a > 0xFFFFFFFCu || !pgv_translate(l, b, q, a, &p0) ||
        !pgv_translate(l, b, q, a + 1u, &p1) || !pgv_translate(l, b, q, a + 2u, &p2) ||
        !pgv_translate(l, b, q, a + 3u, &p3))
        return false;
    *pa = p0;
    return true;
}

/* LPSW imm(rs) whose operand passed the check (§6.6): p = tr(a), a = rs + sext(imm),
 * and a, a+1, a+2, a+3 are legal under the VIRTUAL R in the guest's q words (§2.3).
 * M, IE, flags, cause, P, l, b := the four words E[p..p+3] (§5, §6).  The check is
 * the caller's (pgv_emu_lpsw_operand): validate, then an effect that cannot fail.  */
pgv_event pgv_emu_lpsw(pgv_state *v, uint32_t w, uint32_t p)
{
    (void)w;                    /* its operand's translation is p; w is the contract's */
    //@ assert legal: p + 3 < v->q;
    uint32_t st = v->mem[p], np = v->mem[p + 1u], nl = v->mem[p + 2u], nb = v->mem[p + 3u];
    /*@ assert words: st == \at(v->mem[Tr(v->l, EA{Pre}(v, w))], Pre) &&
                      np == \at(v->mem[Tr(v->l, EA{Pre}(v, w) + 1)], Pre) &&
                      nl == \at(v->mem[Tr(v->l, EA{Pre}(v, w) + 2)], Pre) &&
                      nb == \at(v->mem[Tr(v->l, EA{Pre}(v, w) + 3)], Pre); */
    /* commit */
    pgv_vpsw_load(v, st, nl, nb);
    //@ assert ranges: v->mode <= 1 && v->ie <= 1 && v->flags <= 7 && v->cause <= 255;
    //@ assert ranges0: v->tp <= 1 && v->halted <= 1 && v->profile < PGV_NPROFILES;
    //@ assert keep0: Keep{Pre,Here}(v) && v->tp == \at(v->tp,Pre);
    //@ assert mem0: SameMem{Pre,Here}(v);
    //@ assert io0: SameIo{Pre,Here}(v);
    //@ assert regs0: SameRegs{Pre,Here}(v);
    //@ assert wf0_mem: WfMem(v);
    //@ assert wf0_io: WfIo(v);
    pgv_event ev = emu_retire(v, np, PGV_EV_EXEC);
    /* Insn_LPSW's parts, one goal each; WellFormed from wf0_*, the ranges and the
     * retirement (emu_retire's wf: the ranges spelled out, not WfFields, because Qed
     * drops a bound x & c <= c that it finds trivial and the provers then lack it) */
    //@ assert loaded: PswLoaded{Here}(v, st, nl, nb);
    //@ assert regs: SameRegs{Pre,Here}(v);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert io: SameIo{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    //@ assert keep: Keep{Pre,Here}(v);
    return ev;
}

/* RDPSW rd: rd := the status word (§5) — virtual M, IE, flags, cause. */
pgv_event pgv_emu_rdpsw(pgv_state *v, uint32_t w)
{
    uint32_t sw = pgv_status_word(v), k = emu_rd(w), next = v->pc + 1u;
    //@ assert ops: sw == StatusOf{Pre}(v) && k == Rd(w) && k < PGV_NREGS;
    v->r[k] = sw;
    //@ assert tick0: Keep{Pre,Here}(v) && v->timer == \at(v->timer,Pre) && v->tp == \at(v->tp,Pre);
    pgv_event ev = emu_retire(v, next, PGV_EV_EXEC);
    /* Insn_RDPSW's parts and WellFormed's, one goal each */
    //@ assert regs: RegSet{Pre,Here}(v, Rd(w), StatusOf{Pre}(v));
    //@ assert psw: SamePsw{Pre,Here}(v);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert io: SameIo{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    //@ assert keep: Keep{Pre,Here}(v);
    //@ assert ret: Retire{Pre,Here}(v, NextPc{Pre}(v));
    //@ assert wf_fields: WfFields(v);
    //@ assert wf_mem: WfMem(v);
    //@ assert wf_io: WfIo(v);
    return ev;
}

/* SETR rs, rt: R := (rs, rt) — the virtual R; the allocator composes it (§6). */
pgv_event pgv_emu_setr(pgv_state *v, uint32_t w)
{
    uint32_t nl = v->r[emu_rs(w)], nb = v->r[emu_rt(w)], next = v->pc + 1u;
    //@ assert ops: nl == RegS{Pre}(v, w) && nb == RegT{Pre}(v, w);
    v->l = nl;
    v->b = nb;
    //@ assert keep0: Keep{Pre,Here}(v) && v->timer == \at(v->timer,Pre) && v->tp == \at(v->tp,Pre);
    pgv_event ev = emu_retire(v, next, PGV_EV_EXEC);
    /* Insn_SETR's parts, one goal each */
    //@ assert regs: SameRegs{Pre,Here}(v);
    /*@ assert psw: PswIs{Here}(v, \at(v->mode,Pre), \at(v->ie,Pre), \at(v->flags,Pre),
                               \at(v->cause,Pre), RegS{Pre}(v, w), RegT{Pre}(v, w)); */
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert io: SameIo{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    //@ assert keep: Keep{Pre,Here}(v);
    //@ assert ret: Retire{Pre,Here}(v, NextPc{Pre}(v));
    return ev;
}

/* RDR rd, rs: rd := l, then rs := b (rd = rs ends with b) — the virtual R (§6). */
pgv_event pgv_emu_rdr(pgv_state *v, uint32_t w)
{
    uint32_t d = emu_rd(w), s = emu_rs(w), ol = v->l, ob = v->b, next = v->pc + 1u;
    //@ assert ops: d == Rd(w) && s == Rs(w) && d < PGV_NREGS && s < PGV_NREGS;
    v->r[d] = ol;
    v->r[s] = ob;                 /* rd = rs: the register ends with b */
    //@ assert keep0: Keep{Pre,Here}(v) && v->timer == \at(v->timer,Pre) && v->tp == \at(v->tp,Pre);
    pgv_event ev = emu_retire(v, next, PGV_EV_EXEC);
    /* Insn_RDR's parts, one goal each */
    //@ assert rs: v->r[Rs(w)] == \at(v->b,Pre);
    //@ assert rd: v->r[Rd(w)] == (Rd(w) == Rs(w) ? \at(v->b,Pre) : \at(v->l,Pre));
    /*@ assert others: \forall integer i; 0 <= i < PGV_NREGS && i != Rd(w) && i != Rs(w) ==>
            v->r[i] == \at(v->r[i],Pre); */
    //@ assert psw: SamePsw{Pre,Here}(v);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert io: SameIo{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    //@ assert keep: Keep{Pre,Here}(v);
    //@ assert ret: Retire{Pre,Here}(v, NextPc{Pre}(v));
    return ev;
}

/* STMR rs: T := rs, TP := 0, and no tick this step (§5.4). */
pgv_event pgv_emu_stmr(pgv_state *v, uint32_t w)
{
    uint32_t t = v->r[emu_rs(w)];
    v->timer = t;
    v->tp = 0;
    v->pc = v->pc + 1u;
    v->steps++;
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return PGV_EV_EXEC;
}

/* RDTMR rd: rd := T, read before the tick (§5.4). */
pgv_event pgv_emu_rdtmr(pgv_state *v, uint32_t w)
{
    uint32_t t = v->timer;
    v->r[emu_rd(w)] = t;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* EI: IE := 1.  A pending timer is delivered at the start of the next step (§5.4). */
pgv_event pgv_emu_ei(pgv_state *v, uint32_t w)
{
    (void)w;
    v->ie = 1;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* DI: IE := 0. */
pgv_event pgv_emu_di(pgv_state *v, uint32_t w)
{
    (void)w;
    v->ie = 0;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* POPF rs: flags := rs & 7; IE := bit 9 of rs, except in user mode (§6). */
pgv_event pgv_emu_popf(pgv_state *v, uint32_t w)
{
    uint32_t fw = v->r[emu_rs(w)], next = v->pc + 1u;
    uint32_t f = fw & PGV_FLAGS_MASK;
    uint32_t ie = v->mode == PGV_MODE_SUP ? (fw >> PGV_FLAGW_IE_BIT) & 1u
                                          : v->ie;   /* popf profile, user mode: IE kept */
    //@ assert ops: fw == RegS{Pre}(v, w);
    //@ assert ranges: f <= PGV_FLAGS_MASK && ie <= 1;
    v->flags = f;
    v->ie = ie;
    //@ assert keep0: Keep{Pre,Here}(v) && v->timer == \at(v->timer,Pre) && v->tp == \at(v->tp,Pre);
    //@ assert wf0_mem: WfMem(v);
    //@ assert wf0_io: WfIo(v);
    pgv_event ev = emu_retire(v, next, PGV_EV_EXEC);
    /* Insn_POPF's parts, one goal each; WellFormed as in LPSW */
    //@ assert regs: SameRegs{Pre,Here}(v);
    /*@ assert psw: PswIs{Here}(v, \at(v->mode,Pre), ie, f, \at(v->cause,Pre),
                               \at(v->l,Pre), \at(v->b,Pre)); */
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert io: SameIo{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    //@ assert keep: Keep{Pre,Here}(v);
    //@ assert ret: Retire{Pre,Here}(v, NextPc{Pre}(v));
    return ev;
}

/* PUSHF rd: rd := flags | IE << 9 (§3, §6). */
pgv_event pgv_emu_pushf(pgv_state *v, uint32_t w)
{
    /* flags | IE << 9 as the manual writes it (§3: flags < 8 and IE < 2 in a
     * well-formed state, so no masking is needed) */
    uint32_t fw = v->flags | (v->ie << PGV_FLAGW_IE_BIT), k = emu_rd(w), next = v->pc + 1u;
    //@ assert ops: fw == (\at(v->flags,Pre) | (uint32_t)(\at(v->ie,Pre) << PGV_FLAGW_IE_BIT)) && k == Rd(w) && k < PGV_NREGS;
    v->r[k] = fw;
    //@ assert keep0: Keep{Pre,Here}(v) && v->timer == \at(v->timer,Pre) && v->tp == \at(v->tp,Pre);
    pgv_event ev = emu_retire(v, next, PGV_EV_EXEC);
    /* Insn_PUSHF's parts, one goal each */
    //@ assert regs: RegSet{Pre,Here}(v, Rd(w), \at(v->flags,Pre) | (uint32_t)(\at(v->ie,Pre) << PGV_FLAGW_IE_BIT));
    //@ assert psw: SamePsw{Pre,Here}(v);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert io: SameIo{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    //@ assert keep: Keep{Pre,Here}(v);
    //@ assert ret: Retire{Pre,Here}(v, NextPc{Pre}(v));
    return ev;
}

/* JRSTU rs: P := rs, M := u (§6). */
pgv_event pgv_emu_jrstu(pgv_state *v, uint32_t w)
{
    uint32_t target = v->r[emu_rs(w)];
    v->mode = PGV_MODE_USER;
    pgv_event ev = emu_retire(v, target, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* IN rd: rd := the next word of the VM's input tape, or 0xFFFFFFFF at its end (§6). */
pgv_event pgv_emu_in(pgv_state *v, uint32_t w)
{
    uint32_t pos = v->in_pos;
    if (pos < v->in_len) {
        v->r[emu_rd(w)] = v->in[pos];
        v->in_pos = pos + 1u;
    } else {
        v->r[emu_rd(w)] = 0xFFFFFFFFu;
    }
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* OUT rs: append rs to the VM's output log; out_len counts every word (§6). */
pgv_event pgv_emu_out(pgv_state *v, uint32_t w)
{
    uint32_t x = v->r[emu_rs(w)], n = v->out_len;
    if (n < v->out_cap)
        v->out[n] = x;
    if (n != 0xFFFFFFFFu)
        v->out_len = n + 1u;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* Whether opcode o has a routine here: the fourteen sensitive instructions of ISA
 * §6.6, HALT (0x40) .. OUT (0x4D), contiguous in spec/opcodes.def. */
/*@ assigns \nothing;
    ensures \result == 1 <==> EmuOp(o);
*/
static inline bool emu_op(uint32_t o)
{
    return o >= PGV_OPC_HALT && o <= PGV_OPC_OUT;
}

/* Whether w decodes (§4) to an opcode that has a routine: a pure test (contract in
 * interp_contracts.h) that the dispatcher asks before it emulates (a PRIV exit for
 * any other word is a resource-control violation, without a call that could write
 * the virtual state). */
bool pgv_emu_word(uint32_t w)
{
    pgv_insn in;
    return pgv_decode(w, &in) && emu_op(in.opc);
}
