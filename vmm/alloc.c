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
 * (§5.4; spec/VMM.md §5), checking resource control on what it loads first.  At the
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

/* The reserved words as pgv_alloc_layout leaves them (spec/VMM.md §3): the monitor's
 * new PSW at E[4..7] — M = s, IE = 0, flags 0, cause 0; P 0 (unused: the monitor is
 * C code); R = (0, size) — and the pattern everywhere else in [0, 16).            */
/*@ logic integer ReservedWord(integer a, integer size) =
      a == PGV_NEW_PSW ? PGV_MODE_SUP :
      (a == PGV_NEW_PSW + 1 || a == PGV_NEW_PSW + 2) ? 0 :
      a == PGV_NEW_PSW + 3 ? size : ReservedPattern(a);
*/

/* Write the reserved words e[0 .. 15]. */
/*@ requires \valid(e + (0 .. PGV_VMM_RESERVED - 1));
    assigns e[0 .. PGV_VMM_RESERVED - 1];
    ensures reserved: \forall integer a; 0 <= a < PGV_VMM_RESERVED ==>
      e[a] == ReservedWord(a, size);
*/
static void layout_reserved(uint32_t *e, uint32_t size)
{
    /*@ loop invariant 0 <= i <= PGV_VMM_RESERVED;
        loop invariant \forall integer a; 0 <= a < i ==> e[a] == ReservedPattern(a);
        loop assigns i, e[0 .. PGV_VMM_RESERVED - 1];
        loop variant PGV_VMM_RESERVED - i;
    */
    for (uint32_t i = 0; i < PGV_VMM_RESERVED; i++)
        e[i] = PGV_VMM_RESERVED_PATTERN(i);
    e[PGV_NEW_PSW + 0] = PGV_MODE_SUP;
    e[PGV_NEW_PSW + 1] = 0;
    e[PGV_NEW_PSW + 2] = 0;
    e[PGV_NEW_PSW + 3] = size;
}

/* The layout: reserved words, then for each VM k its base AllocBase(k, q) and the
 * guard words after its q words; the VMs' words are not written.  The invariants are
 * linear in base = AllocBase(k, q): all at or above base is as it was (kept_above),
 * each earlier VM's words and guards lie below base (below); the layout lemmas of
 * spec/compose.acsl relate AllocBase(k + 1, q) to base and bound it by AllocSize.
 * Memory facts are quantified over the address x itself, never over an offset in an
 * index (e[AllocBase(j, q) + a]): an SMT trigger cannot contain arithmetic, and with
 * the offset form the provers never instantiated them.                             */
void pgv_alloc_layout(pgv_monitor *m, uint32_t q)
{
    uint32_t *e = m->host.cpu->mem;
    const uint32_t n = m->nvms, size = m->size;
    m->newpsw[0] = PGV_MODE_SUP;
    m->newpsw[1] = 0;
    m->newpsw[2] = 0;
    m->newpsw[3] = size;
    layout_reserved(e, size);
    //@ assert newpsw0: m->newpsw[0] == PGV_MODE_SUP && m->newpsw[1] == 0 && m->newpsw[2] == 0 && m->newpsw[3] == size;
    uint32_t base = PGV_VMM_RESERVED;
    /*@ loop invariant count: 0 <= k <= n && n == m->nvms && n <= PGV_VMM_MAX_VMS &&
                              size == m->size;
        loop invariant sep: \separated(m, HostCpu(m)) &&
                            \separated(m, e + (0 .. AllocSize(n, q) - 1)) &&
                            \separated(HostCpu(m), e + (0 .. AllocSize(n, q) - 1)) &&
                            \valid(e + (0 .. AllocSize(n, q) - 1)) && e == HostMem(m);
        loop invariant hostq: AllocSize(n, q) <= HostQ(m) && HostQ(m) == \at(HostQ(m), Pre);
        loop invariant at: base == AllocBase(k, q);
        loop invariant room: PGV_VMM_RESERVED <= base <= AllocSize(n, q) <= 0xFFFFFFFF;
        loop invariant bases: \forall integer j; 0 <= j < k ==>
          m->vm[j].base == AllocBase(j, q) && m->vm[j].q == q;
        loop invariant below: \forall integer j; 0 <= j < k ==>
          PGV_VMM_RESERVED <= AllocBase(j, q) && AllocBase(j, q) + q + PGV_VMM_GUARD <= base;
        loop invariant guards: \forall integer j, x; 0 <= j < k &&
          AllocBase(j, q) + q <= x < AllocBase(j, q) + q + PGV_VMM_GUARD ==>
          e[x] == GuardPattern(x);
        loop invariant kept_below: \forall integer j, x; 0 <= j < k &&
          AllocBase(j, q) <= x < AllocBase(j, q) + q ==> e[x] == \at(HostMem(m)[x], Pre);
        loop invariant kept_above: \forall integer x; base <= x < AllocSize(n, q) ==>
          e[x] == \at(HostMem(m)[x], Pre);
        loop invariant reserved: \forall integer a; 0 <= a < PGV_VMM_RESERVED ==>
          e[a] == ReservedWord(a, size);
        loop invariant newpsw: m->newpsw[0] == PGV_MODE_SUP && m->newpsw[1] == 0 &&
                               m->newpsw[2] == 0 && m->newpsw[3] == size;
        loop assigns k, base, m->vm[0 .. n - 1].base, m->vm[0 .. n - 1].q,
                     e[PGV_VMM_RESERVED .. AllocSize(n, q) - 1];
        loop variant n - k;
    */
    for (uint32_t k = 0; k < n; k++) {
        //@ assert next: base + q + PGV_VMM_GUARD == AllocBase(k + 1, q) <= AllocSize(n, q);
        //@ assert nowrap: base + q + PGV_VMM_GUARD <= 0xFFFFFFFF;
        m->vm[k].base = base;
        m->vm[k].q = q;
        /*@ assert bases0: \forall integer j; 0 <= j <= k ==>
              m->vm[j].base == AllocBase(j, q) && m->vm[j].q == q; */
        /*@ assert kept0: \forall integer j, x; 0 <= j <= k &&
              AllocBase(j, q) <= x < AllocBase(j, q) + q ==> e[x] == \at(HostMem(m)[x], Pre); */
        /* The guard words after VM k, in this loop (a call here would leave every
         * fact above to a separation argument through its frame; the provers ran
         * out of memory on those): each invariant below is one store's frame, and
         * below1 (nothing under g0 changes) carries the VMs' own words to kept1.   */
        const uint32_t g0 = base + q;
        //@ assert g0: g0 == base + q && g0 + PGV_VMM_GUARD <= AllocSize(n, q);
        //@ assert inside_g0: \forall integer j; 0 <= j <= k ==> AllocBase(j, q) + q <= g0;
        /*@ loop invariant g: 0 <= g <= PGV_VMM_GUARD;
            loop invariant done: \forall integer x; g0 <= x < g0 + g ==>
              e[x] == GuardPattern(x);
            loop invariant count1: n == m->nvms && size == m->size;
            loop invariant sep1: \separated(m, HostCpu(m)) &&
                                 \separated(m, e + (0 .. AllocSize(n, q) - 1)) &&
                                 \separated(HostCpu(m), e + (0 .. AllocSize(n, q) - 1)) &&
                                 e == HostMem(m);
            loop invariant hostq1: HostQ(m) == \at(HostQ(m), Pre);
            loop invariant bases1: \forall integer j; 0 <= j <= k ==>
              m->vm[j].base == AllocBase(j, q) && m->vm[j].q == q;
            loop invariant guards1: \forall integer j, x; 0 <= j < k &&
              AllocBase(j, q) + q <= x < AllocBase(j, q) + q + PGV_VMM_GUARD ==>
              e[x] == GuardPattern(x);
            loop invariant below1: \forall integer x; 0 <= x < g0 ==>
              e[x] == \at(e[x], LoopEntry);
            loop invariant above1: \forall integer x; g0 + PGV_VMM_GUARD <= x < AllocSize(n, q) ==>
              e[x] == \at(HostMem(m)[x], Pre);
            loop invariant reserved1: \forall integer a; 0 <= a < PGV_VMM_RESERVED ==>
              e[a] == ReservedWord(a, size);
            loop invariant newpsw1: m->newpsw[0] == PGV_MODE_SUP && m->newpsw[1] == 0 &&
                                    m->newpsw[2] == 0 && m->newpsw[3] == size;
            loop assigns g, e[g0 .. g0 + PGV_VMM_GUARD - 1];
            loop variant PGV_VMM_GUARD - g;
        */
        for (uint32_t g = 0; g < PGV_VMM_GUARD; g++) {
            uint32_t x = g0 + g;
            //@ assert nowrap: x == g0 + g;
            e[x] = PGV_VMM_GUARD_PATTERN(x);
            //@ assert stored: e[x] == GuardPattern(x);
        }
        /* What the guard loop kept of the VMs' words, from kept0 and below1.        */
        /*@ assert kept1: \forall integer j, x; 0 <= j <= k &&
              AllocBase(j, q) <= x < AllocBase(j, q) + q ==> e[x] == \at(HostMem(m)[x], Pre); */
        base += q + PGV_VMM_GUARD;
    }
    //@ assert host: e == HostMem(m);
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

/* The loads of an entry: the host CPU h gets the VM's registers, P and flags, user
 * mode, IE = 1, cause 0, the composed R (rl, rb) and the real timer k with TP clear.
 * A function of its own so that its caller sees the ten stores as one frame (h's
 * fields only, h separate from the VM's record) instead of a chain of stores into the
 * same memory chunks as the fields it reads afterwards.                             */
/*@ requires \valid(h) && \valid_read(v) && \separated(h, v);
    assigns h->r[0 .. PGV_NREGS - 1], h->pc, h->flags, h->mode, h->ie, h->cause,
            h->l, h->b, h->timer, h->tp;
    ensures regs: \forall integer j; 0 <= j < PGV_NREGS ==> h->r[j] == v->r[j];
    ensures psw: h->pc == v->pc && h->flags == v->flags && h->mode == PGV_MODE_USER &&
                 h->ie == 1 && h->cause == 0;
    ensures r: h->l == rl && h->b == rb;
    ensures timer: h->timer == k && h->tp == 0;
*/
static void enter_load(pgv_state *h, const pgv_state *v, uint32_t rl, uint32_t rb,
                       uint32_t k)
{
    pgv_regs_copy(h, v);
    h->pc = v->pc;
    h->flags = v->flags;
    h->mode = PGV_MODE_USER;
    h->ie = 1;
    h->cause = 0;
    h->l = rl;
    h->b = rb;
    h->timer = k;
    h->tp = 0;
}

bool pgv_alloc_enter(pgv_monitor *m, uint32_t i, uint32_t k)
{
    pgv_state *h = m->host.cpu;
    const pgv_vm *vm = &m->vm[i];
    const pgv_state *v = &vm->v;
    uint32_t rl, rb;
    pgv_alloc_compose_r(vm->base, vm->q, v->l, v->b, &rl, &rb);
    /* Resource control at every entry (spec/VMM.md §8), checked on the PSW about to be
     * loaded, before anything is written (check, then commit): the guest will run in
     * real user mode with IE = 1 (enter_load's constants), confined to its allocation,
     * and the timer k >= 1 will bring control back.  A refusal is recorded first, so
     * that the postconditions below are stated after the last call.                 */
    const bool confined = (k != 0) & (rl >= vm->base) &
                          ((uint64_t)rl + rb <= (uint64_t)vm->base + vm->q) &
                          ((uint64_t)vm->base + vm->q <= h->q) & (h->halted == 0);
    if (!confined)
        pgv_alloc_violation(m, i, "entry: real PSW not confined to the allocation", rl);
    //@ assert rc: *m->rc_violations == (uint32_t)(\at(*m->rc_violations, Pre) + (confined ? 0 : 1));
    enter_load(h, v, rl, rb, k);
    /* The postconditions' parts, one goal each, stated right after the loads.       */
    //@ assert regs: \forall integer j; 0 <= j < PGV_NREGS ==> h->r[j] == v->r[j];
    /*@ assert psw: h->pc == v->pc && h->flags == v->flags && h->mode == PGV_MODE_USER &&
                    h->ie == 1 && h->cause == 0 && h->timer == k && h->tp == 0; */
    /*@ assert r: h->l == ComposeL(vm->base, vm->q, v->l) &&
                  h->b == ComposeB(vm->q, v->l, v->b); */
    /*@ assert legal: \forall integer a;
          Legal(h->l, h->b, h->q, a) <==> Legal(v->l, v->b, v->q, a); */
    /*@ assert tr: \forall integer a; Legal(v->l, v->b, v->q, a) ==>
          Tr(h->l, a) == vm->base + Tr(v->l, a); */
    //@ assert composed: Composed(h, VmState(m, i), m->vm[i].base);
    //@ assert direct: VmDirect(m, i, k, VmState(m, i));
    return confined;
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
