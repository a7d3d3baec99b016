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

/* HALT: halted := 1, P := P + 1, the tick applies (§6). */
pgv_event pgv_emu_halt(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    (void)in;
    uint32_t next = v->pc + 1u;
    v->halted = 1;
    pgv_event ev = emu_retire(v, next, PGV_EV_HALT);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* §6.6 LPSW's operand check: a <= 0xFFFFFFFC and a, a+1, a+2, a+3 all legal under
 * R = (l, b) in q words (§2.3, pgv_translate); then *pa = tr(a), and tr(a + i) is
 * *pa + i.  Nothing is written when the check fails. */
/*@ requires \valid(pa);
    assigns *pa;
    behavior legal:
      assumes a <= 0xFFFFFFFC && Legal(l, b, q, a) && Legal(l, b, q, a + 1) &&
              Legal(l, b, q, a + 2) && Legal(l, b, q, a + 3);
      ensures \result == 1 && *pa == Tr(l, a);
    behavior illegal:
      assumes !(a <= 0xFFFFFFFC && Legal(l, b, q, a) && Legal(l, b, q, a + 1) &&
                Legal(l, b, q, a + 2) && Legal(l, b, q, a + 3));
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
static inline bool lpsw_operand(uint32_t l, uint32_t b, uint32_t q, uint32_t a, uint32_t *pa)
{
    uint32_t p0, p1, p2, p3;
    if (a > 0xFFFFFFFCu || !pgv_translate(l, b, q, a, &p0) ||
        !pgv_translate(l, b, q, a + 1u, &p1) || !pgv_translate(l, b, q, a + 2u, &p2) ||
        !pgv_translate(l, b, q, a + 3u, &p3))
        return false;
    *pa = p0;
    return true;
}

/* LPSW imm(rs): a = rs + sext(imm); a, a+1, a+2, a+3 must all be legal under the
 * VIRTUAL R in the guest's q words (§2.3), else BOUNDS with info a and nothing else
 * changes.  Then M, IE, flags, cause, P, l, b := the four words (§5, §6).          */
pgv_event pgv_emu_lpsw(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    uint32_t a = v->r[in->rs] + in->imm;
    uint32_t p;
    //@ assert ea: a == EA(v, w);
    /* check */
    if (!lpsw_operand(v->l, v->b, v->q, a, &p)) {
        //@ assert illegal: !LpswLegal(v, EA(v, w));
        pgv_reflect(v, PGV_CAUSE_BOUNDS, a, v->pc);
        return PGV_EV_TRAP;
    }
    //@ assert legal: LpswLegal(v, EA(v, w)) && p == Tr(v->l, EA(v, w));
    uint32_t st = v->mem[p], np = v->mem[p + 1u], nl = v->mem[p + 2u], nb = v->mem[p + 3u];
    /* commit */
    v->mode = st & PGV_ST_M;
    v->ie = (st >> 1) & 1u;
    v->flags = (st >> PGV_ST_FLAGS_SH) & PGV_FLAGS_MASK;
    v->cause = (st >> PGV_ST_CAUSE_SH) & PGV_ST_CAUSE_MASK;
    v->l = nl;
    v->b = nb;
    //@ assert ranges: v->mode <= 1 && v->ie <= 1 && v->flags <= 7 && v->cause <= 255;
    pgv_event ev = emu_retire(v, np, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* RDPSW rd: rd := the status word (§5) — virtual M, IE, flags, cause. */
pgv_event pgv_emu_rdpsw(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    uint32_t sw = pgv_status_word(v);
    v->r[in->rd] = sw;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* SETR rs, rt: R := (rs, rt) — the virtual R; the allocator composes it (§6). */
pgv_event pgv_emu_setr(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    uint32_t nl = v->r[in->rs], nb = v->r[in->rt];
    v->l = nl;
    v->b = nb;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* RDR rd, rs: rd := l, then rs := b (rd = rs ends with b) — the virtual R (§6). */
pgv_event pgv_emu_rdr(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    uint32_t d = in->rd, s = in->rs, ol = v->l, ob = v->b;
    v->r[d] = ol;
    v->r[s] = ob;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* STMR rs: T := rs, TP := 0, and no tick this step (§5.4). */
pgv_event pgv_emu_stmr(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    uint32_t t = v->r[in->rs];
    v->timer = t;
    v->tp = 0;
    v->pc = v->pc + 1u;
    v->steps++;
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return PGV_EV_EXEC;
}

/* RDTMR rd: rd := T, read before the tick (§5.4). */
pgv_event pgv_emu_rdtmr(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    uint32_t t = v->timer;
    v->r[in->rd] = t;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* EI: IE := 1.  A pending timer is delivered at the start of the next step (§5.4). */
pgv_event pgv_emu_ei(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    (void)in;
    v->ie = 1;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* DI: IE := 0. */
pgv_event pgv_emu_di(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    (void)in;
    v->ie = 0;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* POPF rs: flags := rs & 7; IE := bit 9 of rs, except in user mode (§6). */
pgv_event pgv_emu_popf(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    uint32_t fw = v->r[in->rs];
    v->flags = fw & PGV_FLAGS_MASK;
    if (v->mode == PGV_MODE_SUP)
        v->ie = (fw >> PGV_FLAGW_IE_BIT) & 1u;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* PUSHF rd: rd := flags | IE << 9 (§3, §6). */
pgv_event pgv_emu_pushf(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    uint32_t fw = (v->flags & PGV_FLAGS_MASK) | ((v->ie & 1u) << PGV_FLAGW_IE_BIT);
    v->r[in->rd] = fw;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* JRSTU rs: P := rs, M := u (§6). */
pgv_event pgv_emu_jrstu(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    uint32_t target = v->r[in->rs];
    v->mode = PGV_MODE_USER;
    pgv_event ev = emu_retire(v, target, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* IN rd: rd := the next word of the VM's input tape, or 0xFFFFFFFF at its end (§6). */
pgv_event pgv_emu_in(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    uint32_t pos = v->in_pos;
    if (pos < v->in_len) {
        v->r[in->rd] = v->in[pos];
        v->in_pos = pos + 1u;
    } else {
        v->r[in->rd] = 0xFFFFFFFFu;
    }
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* OUT rs: append rs to the VM's output log; out_len counts every word (§6). */
pgv_event pgv_emu_out(pgv_state *v, const pgv_insn *in) /*@ ghost (uint32_t w) */
{
    uint32_t x = v->r[in->rs], n = v->out_len;
    if (n < v->out_cap)
        v->out[n] = x;
    if (n != 0xFFFFFFFFu)
        v->out_len = n + 1u;
    pgv_event ev = emu_retire(v, v->pc + 1u, PGV_EV_EXEC);
    //@ assert mem: SameMem{Pre,Here}(v);
    //@ assert shape: SameShape{Pre,Here}(v);
    return ev;
}

/* The dispatch of pgv_interp on the decoded word, into the caller's *in: its contract
 * is the one predicate Interp (spec/interp.acsl), from which pgv_interp's behaviors
 * follow.                                                                          */
/*@ requires WellFormed(v);
    requires \valid(in) && \separated(in, v) &&
             \separated(in, v->mem + (0 .. v->q - 1)) &&
             \separated(in, v->out + (0 .. v->out_cap - 1));
    assigns *in, PGV_INTERP_WRITES;
    ensures wf: WellFormed(v);
    ensures interp: Interp{Pre,Post}(v, w, \result);
    behavior emulated:
      assumes Decodes(w) && EmuOp(Opc(w));
    behavior not_emulated:
      assumes !(Decodes(w) && EmuOp(Opc(w)));
      assigns *in;
    complete behaviors;
    disjoint behaviors;
*/
static inline pgv_event interp_core(pgv_state *v, uint32_t w, pgv_insn *in)
{
    if (!pgv_decode(w, in))
        return PGV_EV_IDLE;
    /* The register operands as the manual names them (spec/decode.acsl Rd, Rs, Rt):
     * each field's low three bits.  For a word that decodes that is the 4-bit field
     * pgv_decode stored (its top bit is 0, §4.2), so this changes no value; it is
     * written with / and % because the provers relate those, not the decoder's shift
     * and mask, to the spec (proofs/REPORT.md), and it keeps r[] in bounds by
     * construction.                                                               */
    in->rd = (w / 0x100000u) % PGV_NREGS;
    in->rs = (w / 0x10000u) % PGV_NREGS;
    in->rt = (w / 0x1000u) % PGV_NREGS;
    switch (in->opc) {
    case PGV_OPC_HALT:  return pgv_emu_halt(v, in) /*@ ghost (w) */;
    case PGV_OPC_LPSW:  return pgv_emu_lpsw(v, in) /*@ ghost (w) */;
    case PGV_OPC_RDPSW: return pgv_emu_rdpsw(v, in) /*@ ghost (w) */;
    case PGV_OPC_SETR:  return pgv_emu_setr(v, in) /*@ ghost (w) */;
    case PGV_OPC_RDR:   return pgv_emu_rdr(v, in) /*@ ghost (w) */;
    case PGV_OPC_STMR:  return pgv_emu_stmr(v, in) /*@ ghost (w) */;
    case PGV_OPC_RDTMR: return pgv_emu_rdtmr(v, in) /*@ ghost (w) */;
    case PGV_OPC_EI:    return pgv_emu_ei(v, in) /*@ ghost (w) */;
    case PGV_OPC_DI:    return pgv_emu_di(v, in) /*@ ghost (w) */;
    case PGV_OPC_POPF:  return pgv_emu_popf(v, in) /*@ ghost (w) */;
    case PGV_OPC_PUSHF: return pgv_emu_pushf(v, in) /*@ ghost (w) */;
    case PGV_OPC_JRSTU: return pgv_emu_jrstu(v, in) /*@ ghost (w) */;
    case PGV_OPC_IN:    return pgv_emu_in(v, in) /*@ ghost (w) */;
    case PGV_OPC_OUT:   return pgv_emu_out(v, in) /*@ ghost (w) */;
    default:            return PGV_EV_IDLE;
    }
}

pgv_event pgv_interp(pgv_state *v, uint32_t w)
{
    pgv_insn in;
    return interp_core(v, w, &in);
}
