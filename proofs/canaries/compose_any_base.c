/* proofs/canaries/compose_any_base.c — FALSE on purpose: the composition lemma's storage
 * step (compose_same_mem of spec/compose.acsl) stated over a correspondence that does
 * not require the allocation base to be a storage address (0 <= base).  With base < 0
 * the VM's words a < -base correspond to host "words" base + a below E[0], which the
 * host's SameMem (words 0 .. q-1) does not cover: the VM's storage may change while the
 * host's does not.  Until 2026-11-25, spec/compose.acsl's Composed lacked 0 <= base and
 * its two storage lemmas (compose_same_mem, compose_mem_set) were listed as provers'
 * timeouts — they were false as stated; this canary keeps the provers from ever
 * "proving" that form.  The gate fails if WP proves it.
 * canary-files: model/optab.c
 */
#include "../../vmm/monitor.h"

/*@
  predicate ComposedAnyBase{L}(pgv_state *h, pgv_state *g, integer base) =
    base + g->q <= h->q &&
    h->l == ComposeL(base, g->q, g->l) && h->b == ComposeB(g->q, g->l, g->b) &&
    (\forall integer j; 0 <= j < PGV_NREGS ==> h->r[j] == g->r[j]) &&
    h->pc == g->pc && h->flags == g->flags &&
    (\forall integer a; 0 <= a < g->q ==> h->mem[base + a] == g->mem[a]);

  lemma canary_compose_same_mem_any_base{A,B}: \forall pgv_state *h, *g, integer base;
    ComposedAnyBase{A}(h, g, base) && ComposedAnyBase{B}(h, g, base) &&
    SameMem{A,B}(h) && \at(g->q,B) == \at(g->q,A) ==> SameMem{A,B}(g);
*/
