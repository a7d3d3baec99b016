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
static inline pgv_event retire(pgv_state *v, uint32_t next, pgv_event ev)
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
pgv_event pgv_emu_halt(pgv_state *v, const pgv_insn *in)
{
    (void)in;
    uint32_t next = v->pc + 1u;
    v->halted = 1;
    return retire(v, next, PGV_EV_HALT);
}

/* LPSW imm(rs): a = rs + sext(imm); a, a+1, a+2, a+3 must all be legal under the
 * VIRTUAL R in the guest's q words (§2.3), else BOUNDS with info a and nothing else
 * changes.  Then M, IE, flags, cause, P, l, b := the four words (§5, §6).          */
pgv_event pgv_emu_lpsw(pgv_state *v, const pgv_insn *in)
{
    uint32_t a = v->r[in->rs] + in->imm;
    uint32_t l = v->l, b = v->b, q = v->q;
    uint32_t p0, p1, p2, p3;
    /* check */
    if (a > 0xFFFFFFFCu || !pgv_translate(l, b, q, a, &p0) ||
        !pgv_translate(l, b, q, a + 1u, &p1) || !pgv_translate(l, b, q, a + 2u, &p2) ||
        !pgv_translate(l, b, q, a + 3u, &p3)) {
        pgv_reflect(v, PGV_CAUSE_BOUNDS, a, v->pc);
        return PGV_EV_TRAP;
    }
    uint32_t st = v->mem[p0], np = v->mem[p1], nl = v->mem[p2], nb = v->mem[p3];
    /* commit */
    v->mode = st & PGV_ST_M;
    v->ie = (st >> 1) & 1u;
    v->flags = (st >> PGV_ST_FLAGS_SH) & PGV_FLAGS_MASK;
    v->cause = (st >> PGV_ST_CAUSE_SH) & PGV_ST_CAUSE_MASK;
    v->l = nl;
    v->b = nb;
    return retire(v, np, PGV_EV_EXEC);
}

/* RDPSW rd: rd := the status word (§5) — virtual M, IE, flags, cause. */
pgv_event pgv_emu_rdpsw(pgv_state *v, const pgv_insn *in)
{
    uint32_t w = pgv_status_word(v);
    v->r[in->rd] = w;
    return retire(v, v->pc + 1u, PGV_EV_EXEC);
}

/* SETR rs, rt: R := (rs, rt) — the virtual R; the allocator composes it (§6). */
pgv_event pgv_emu_setr(pgv_state *v, const pgv_insn *in)
{
    uint32_t nl = v->r[in->rs], nb = v->r[in->rt];
    v->l = nl;
    v->b = nb;
    return retire(v, v->pc + 1u, PGV_EV_EXEC);
}

/* RDR rd, rs: rd := l, then rs := b (rd = rs ends with b) — the virtual R (§6). */
pgv_event pgv_emu_rdr(pgv_state *v, const pgv_insn *in)
{
    uint32_t ol = v->l, ob = v->b;
    v->r[in->rd] = ol;
    v->r[in->rs] = ob;
    return retire(v, v->pc + 1u, PGV_EV_EXEC);
}

/* STMR rs: T := rs, TP := 0, and no tick this step (§5.4). */
pgv_event pgv_emu_stmr(pgv_state *v, const pgv_insn *in)
{
    uint32_t t = v->r[in->rs];
    v->timer = t;
    v->tp = 0;
    v->pc = v->pc + 1u;
    v->steps++;
    return PGV_EV_EXEC;
}

/* RDTMR rd: rd := T, read before the tick (§5.4). */
pgv_event pgv_emu_rdtmr(pgv_state *v, const pgv_insn *in)
{
    uint32_t t = v->timer;
    v->r[in->rd] = t;
    return retire(v, v->pc + 1u, PGV_EV_EXEC);
}

/* EI: IE := 1.  A pending timer is delivered at the start of the next step (§5.4). */
pgv_event pgv_emu_ei(pgv_state *v, const pgv_insn *in)
{
    (void)in;
    v->ie = 1;
    return retire(v, v->pc + 1u, PGV_EV_EXEC);
}

/* DI: IE := 0. */
pgv_event pgv_emu_di(pgv_state *v, const pgv_insn *in)
{
    (void)in;
    v->ie = 0;
    return retire(v, v->pc + 1u, PGV_EV_EXEC);
}

/* POPF rs: flags := rs & 7; IE := bit 9 of rs, except in user mode (§6). */
pgv_event pgv_emu_popf(pgv_state *v, const pgv_insn *in)
{
    uint32_t w = v->r[in->rs];
    v->flags = w & PGV_FLAGS_MASK;
    if (v->mode == PGV_MODE_SUP)
        v->ie = (w >> PGV_FLAGW_IE_BIT) & 1u;
    return retire(v, v->pc + 1u, PGV_EV_EXEC);
}

/* PUSHF rd: rd := flags | IE << 9 (§3, §6). */
pgv_event pgv_emu_pushf(pgv_state *v, const pgv_insn *in)
{
    uint32_t w = (v->flags & PGV_FLAGS_MASK) | ((v->ie & 1u) << PGV_FLAGW_IE_BIT);
    v->r[in->rd] = w;
    return retire(v, v->pc + 1u, PGV_EV_EXEC);
}

/* JRSTU rs: P := rs, M := u (§6). */
pgv_event pgv_emu_jrstu(pgv_state *v, const pgv_insn *in)
{
    uint32_t target = v->r[in->rs];
    v->mode = PGV_MODE_USER;
    return retire(v, target, PGV_EV_EXEC);
}

/* IN rd: rd := the next word of the VM's input tape, or 0xFFFFFFFF at its end (§6). */
pgv_event pgv_emu_in(pgv_state *v, const pgv_insn *in)
{
    uint32_t pos = v->in_pos;
    if (pos < v->in_len) {
        v->r[in->rd] = v->in[pos];
        v->in_pos = pos + 1u;
    } else {
        v->r[in->rd] = 0xFFFFFFFFu;
    }
    return retire(v, v->pc + 1u, PGV_EV_EXEC);
}

/* OUT rs: append rs to the VM's output log; out_len counts every word (§6). */
pgv_event pgv_emu_out(pgv_state *v, const pgv_insn *in)
{
    uint32_t w = v->r[in->rs], n = v->out_len;
    if (n < v->out_cap)
        v->out[n] = w;
    if (n != 0xFFFFFFFFu)
        v->out_len = n + 1u;
    return retire(v, v->pc + 1u, PGV_EV_EXEC);
}

pgv_event pgv_interp(pgv_state *v, uint32_t w)
{
    pgv_insn in;
    if (!pgv_decode(w, &in))
        return PGV_EV_IDLE;
    switch (in.opc) {
    case PGV_OPC_HALT:  return pgv_emu_halt(v, &in);
    case PGV_OPC_LPSW:  return pgv_emu_lpsw(v, &in);
    case PGV_OPC_RDPSW: return pgv_emu_rdpsw(v, &in);
    case PGV_OPC_SETR:  return pgv_emu_setr(v, &in);
    case PGV_OPC_RDR:   return pgv_emu_rdr(v, &in);
    case PGV_OPC_STMR:  return pgv_emu_stmr(v, &in);
    case PGV_OPC_RDTMR: return pgv_emu_rdtmr(v, &in);
    case PGV_OPC_EI:    return pgv_emu_ei(v, &in);
    case PGV_OPC_DI:    return pgv_emu_di(v, &in);
    case PGV_OPC_POPF:  return pgv_emu_popf(v, &in);
    case PGV_OPC_PUSHF: return pgv_emu_pushf(v, &in);
    case PGV_OPC_JRSTU: return pgv_emu_jrstu(v, &in);
    case PGV_OPC_IN:    return pgv_emu_in(v, &in);
    case PGV_OPC_OUT:   return pgv_emu_out(v, &in);
    default:            return PGV_EV_IDLE;
    }
}
