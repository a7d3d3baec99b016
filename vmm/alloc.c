/* vmm/alloc.c — the allocator: real storage, the composed R and timer, resource control.
 *
 * The allocator owns the host storage of one monitor (spec/VMM.md §3): the reserved
 * words [0, 16) — the host's low storage (ISA manual §5), whose new PSW at E[4..7] is
 * supervisor mode so that every trap returns control to the monitor — then one
 * allocation [base_k, base_k + q) per VM, each followed by PGV_VMM_GUARD guard words
 * holding a pattern.  On every guest entry it loads the host CPU: the VM's registers,
 * flags and P, user mode, IE = 1, the relocation register composed from the VM's
 * virtual R and its allocation (§2.3; spec/VMM.md §4, proof below) and the real timer
 * composed from the virtual timer, the remaining budget and the remaining slice
 * (§5.4; spec/VMM.md §5), and it checks resource control on what it loaded.  At the
 * end it checks that nothing outside the allocations changed.  No allocation of
 * memory: the layout is arithmetic on the storage it is given.
 */
#include <stdio.h>
/* The proofs of this file (unit vmm_alloc) use the layout lemmas of spec/compose.acsl
 * as hypotheses; they are proved in the unit compose (see spec/compose.acsl).       */
#define PGV_COMPOSE_ARITH 1
#include "monitor.h"

/* ------------------------------------------------------------------------------------
 * Theorem (composition of R, spec/VMM.md §4).  Let a VM have allocation [base, base+q)
 * in host storage of Q >= base + q words, and virtual R = (vl, vb).  Define
 *     rl = base + vl,  rb = min(vb, q - vl)     if vl < q,
 *     rl = base,       rb = 0                   if vl >= q.
 * Then for every 32-bit a (all arithmetic on mathematical integers):
 *   (1) legal_virtual(a) := a < vb && a + vl < q   <=>   a < rb,
 *   (2) a < rb  ==>  a + rl < Q  (so legal_real(a) := a < rb && a + rl < Q  <=>  a < rb),
 *   (3) a < rb  ==>  a + rl = base + (a + vl)      (the real word is the virtual word
 *                                                   translated into the allocation),
 *   (4) rl >= base and rl + rb <= base + q         (R stays inside the allocation),
 *   (5) rl and rb do not wrap: base + vl < base + q <= Q <= 2^32 - 1.
 * Proof.  Case vl >= q: a + vl >= q for every a >= 0, so legal_virtual(a) is false;
 * rb = 0, so a < rb is false: (1).  (2), (3) hold vacuously; (4): rl = base, rb = 0.
 * Case vl < q: q - vl >= 1 is a natural number.  a < min(vb, q - vl) <=> a < vb &&
 * a < q - vl <=> a < vb && a + vl < q: (1).  If a < rb then a + rl = base + a + vl <
 * base + q <= Q: (2), and a + rl = base + (a + vl): (3).  rl = base + vl >= base and
 * rl + rb <= base + vl + (q - vl) = base + q: (4).  (5): vl < q gives base + vl <
 * base + q <= Q, and Q fits in 32 bits (pgv_vmm_run rejects larger storage).  QED.
 * So the host's §2.3 check on (rl, rb) — for instruction fetch, LD, ST (and LPSW,
 * which the host never executes for the guest: it is privileged) — traps exactly when
 * the virtual check traps, with the same virtual address as info, and otherwise
 * touches exactly the word base + (a + vl), i.e. v.mem[a + vl].  This is the heart of
 * Theorem 1's equivalence for storage; (4) is resource control for storage.
 * ------------------------------------------------------------------------------------ */

uint64_t pgv_alloc_size(uint32_t nvms, uint32_t q)
{
    const uint64_t per = (uint64_t)q + PGV_VMM_GUARD;
    /*@ assert per: per == q + PGV_VMM_GUARD; */
    /*@ assert bound: nvms <= PGV_VMM_MAX_VMS ==>
          0 <= nvms * per <= PGV_VMM_MAX_VMS * (0xFFFFFFFF + PGV_VMM_GUARD); */
    return (uint64_t)PGV_VMM_RESERVED + (uint64_t)nvms * per;
}

void pgv_alloc_layout(pgv_monitor *m, uint32_t q)
{
    uint32_t *e = m->host.cpu->mem;
    const uint32_t n = m->nvms;
    m->newpsw[0] = PGV_MODE_SUP;            /* M = s, IE = 0, flags 0, cause 0 */
    m->newpsw[1] = 0;                       /* P: unused, the monitor is C code */
    m->newpsw[2] = 0;                       /* R = (0, size)                    */
    m->newpsw[3] = m->size;
    /*@ loop invariant 0 <= i <= PGV_VMM_RESERVED;
        loop invariant \forall integer a; 0 <= a < i ==> e[a] == ReservedPattern(a);
        loop assigns i, e[0 .. PGV_VMM_RESERVED - 1];
        loop variant PGV_VMM_RESERVED - i;
    */
    for (uint32_t i = 0; i < PGV_VMM_RESERVED; i++)
        e[i] = PGV_VMM_RESERVED_PATTERN(i);
    /*@ loop invariant 0 <= i <= PGV_PSW_WORDS;
        loop invariant \forall integer a; 0 <= a < PGV_VMM_RESERVED ==>
          e[a] == (PGV_NEW_PSW <= a < PGV_NEW_PSW + i ? m->newpsw[a - PGV_NEW_PSW]
                                                      : ReservedPattern(a));
        loop assigns i, e[PGV_NEW_PSW .. PGV_NEW_PSW + PGV_PSW_WORDS - 1];
        loop variant PGV_PSW_WORDS - i;
    */
    for (uint32_t i = 0; i < PGV_PSW_WORDS; i++)
        e[PGV_NEW_PSW + i] = m->newpsw[i];
    uint32_t base = PGV_VMM_RESERVED;
    /*@ loop invariant 0 <= k <= n && n == m->nvms;
        loop invariant base == AllocBase(k, q);
        loop invariant \forall integer j; 0 <= j < k ==>
          m->vm[j].base == AllocBase(j, q) && m->vm[j].q == q;
        loop invariant \forall integer j, g; 0 <= j < k && 0 <= g < PGV_VMM_GUARD ==>
          e[AllocBase(j, q) + q + g] == GuardPattern(AllocBase(j, q) + q + g);
        loop invariant \forall integer j, a; 0 <= j < n && 0 <= a < q ==>
          e[AllocBase(j, q) + a] == \at(m->host.cpu->mem[AllocBase(j, q) + a], Pre);
        loop invariant \forall integer a; 0 <= a < PGV_VMM_RESERVED ==>
          e[a] == (PGV_NEW_PSW <= a < PGV_NEW_PSW + PGV_PSW_WORDS ?
                   m->newpsw[a - PGV_NEW_PSW] : ReservedPattern(a));
        loop assigns k, base, m->vm[0 .. n - 1].base, m->vm[0 .. n - 1].q,
                     e[PGV_VMM_RESERVED .. AllocSize(n, q) - 1];
        loop variant n - k;
    */
    for (uint32_t k = 0; k < n; k++) {
        m->vm[k].base = base;
        m->vm[k].q = q;
        /*@ loop invariant 0 <= g <= PGV_VMM_GUARD;
            loop invariant \forall integer j, g2; 0 <= j < k && 0 <= g2 < PGV_VMM_GUARD ==>
              e[AllocBase(j, q) + q + g2] == GuardPattern(AllocBase(j, q) + q + g2);
            loop invariant \forall integer g2; 0 <= g2 < g ==>
              e[base + q + g2] == GuardPattern(base + q + g2);
            loop invariant \forall integer j, a; 0 <= j < n && 0 <= a < q ==>
              e[AllocBase(j, q) + a] == \at(m->host.cpu->mem[AllocBase(j, q) + a], Pre);
            loop invariant \forall integer a; 0 <= a < PGV_VMM_RESERVED ==>
              e[a] == (PGV_NEW_PSW <= a < PGV_NEW_PSW + PGV_PSW_WORDS ?
                       m->newpsw[a - PGV_NEW_PSW] : ReservedPattern(a));
            loop assigns g, e[base + q .. base + q + PGV_VMM_GUARD - 1];
            loop variant PGV_VMM_GUARD - g;
        */
        for (uint32_t g = 0; g < PGV_VMM_GUARD; g++)
            e[base + q + g] = PGV_VMM_GUARD_PATTERN(base + q + g);
        base += q + PGV_VMM_GUARD;
    }
}

/* The first violation's message (the C library's snprintf: writes at most len bytes
 * of buf).  Its contract is used without proof (proofs/TRUSTED.md): WP cannot reason
 * about a variadic call.                                                           */
/*@ requires \valid(buf + (0 .. len - 1));
    assigns buf[0 .. len - 1];
*/
static void pgv_alloc_note(char *buf, size_t len, uint32_t level, uint32_t i,
                           const char *what, uint32_t x)
{
    snprintf(buf, len, "level %u VM %u: %s (0x%08x)", (unsigned)level, (unsigned)i, what,
             (unsigned)x);
}

void pgv_alloc_violation(pgv_monitor *m, uint32_t i, const char *what, uint32_t x)
{
    if (*m->rc_violations == 0 && m->rc_first && m->rc_len)
        pgv_alloc_note(m->rc_first, m->rc_len, m->level, i, what, x);
    (*m->rc_violations)++;
}

bool pgv_alloc_enter(pgv_monitor *m, uint32_t i, uint32_t k)
{
    pgv_state *h = m->host.cpu;
    const pgv_vm *vm = &m->vm[i];
    const pgv_state *v = &vm->v;
    uint32_t rl, rb;
    pgv_alloc_compose_r(vm->base, vm->q, v->l, v->b, &rl, &rb);
    /*@ loop invariant 0 <= j <= PGV_NREGS;
        loop invariant \forall integer jj; 0 <= jj < j ==> h->r[jj] == v->r[jj];
        loop assigns j, h->r[0 .. PGV_NREGS - 1];
        loop variant PGV_NREGS - j;
    */
    for (unsigned j = 0; j < PGV_NREGS; j++)
        h->r[j] = v->r[j];
    h->pc = v->pc;
    h->flags = v->flags;
    h->mode = PGV_MODE_USER;
    h->ie = 1;
    h->cause = 0;
    h->l = rl;
    h->b = rb;
    h->timer = k;
    h->tp = 0;
    /* Resource control at every entry (spec/VMM.md §8): the guest runs in real user
     * mode, confined to its allocation, and the timer will bring control back.      */
    const bool confined = (h->mode == PGV_MODE_USER) & (h->ie == 1) & (h->timer != 0) &
                          (h->tp == 0) & (h->l >= vm->base) &
                          ((uint64_t)h->l + h->b <= (uint64_t)vm->base + vm->q) &
                          ((uint64_t)vm->base + vm->q <= h->q) & (h->halted == 0);
    if (!confined) {
        pgv_alloc_violation(m, i, "entry: real PSW not confined to the allocation", h->l);
        return false;
    }
    return true;
}

void pgv_alloc_check_final(pgv_monitor *m)
{
    const uint32_t *e = m->host.cpu->mem;
    /*@ loop invariant 0 <= i <= PGV_PSW_WORDS;
        loop assigns i, *m->rc_violations, m->rc_first[0 .. m->rc_len - 1];
        loop variant PGV_PSW_WORDS - i;
    */
    for (uint32_t i = 0; i < PGV_PSW_WORDS; i++)
        if (e[PGV_NEW_PSW + i] != m->newpsw[i])
            pgv_alloc_violation(m, 0, "reserved new PSW word changed", PGV_NEW_PSW + i);
    /*@ loop invariant PGV_TRAP_INFO + 1 <= i <= PGV_VMM_RESERVED;
        loop assigns i, *m->rc_violations, m->rc_first[0 .. m->rc_len - 1];
        loop variant PGV_VMM_RESERVED - i;
    */
    for (uint32_t i = PGV_TRAP_INFO + 1; i < PGV_VMM_RESERVED; i++)
        if (e[i] != PGV_VMM_RESERVED_PATTERN(i))
            pgv_alloc_violation(m, 0, "reserved word changed", i);
    /*@ loop invariant 0 <= k <= m->nvms;
        loop assigns k, *m->rc_violations, m->rc_first[0 .. m->rc_len - 1];
        loop variant m->nvms - k;
    */
    for (uint32_t k = 0; k < m->nvms; k++) {
        uint32_t g0 = m->vm[k].base + m->vm[k].q;
        /*@ loop invariant g0 <= g <= g0 + PGV_VMM_GUARD;
            loop assigns g, *m->rc_violations, m->rc_first[0 .. m->rc_len - 1];
            loop variant g0 + PGV_VMM_GUARD - g;
        */
        for (uint32_t g = g0; g < g0 + PGV_VMM_GUARD; g++)
            if (e[g] != PGV_VMM_GUARD_PATTERN(g))
                pgv_alloc_violation(m, k, "guard word changed", g);
    }
}
