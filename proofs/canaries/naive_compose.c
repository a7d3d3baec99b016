/* proofs/canaries/naive_compose.c — FALSE on purpose: a resource-control claim that a
 * hostile guest breaks.  Composing the guest's R with its allocation naively (real
 * l = base + l, real b = b, without the clamp of spec/VMM.md §4) does NOT keep the real
 * window inside the allocation: a guest with b = 0xFFFFFFFF escapes.  The gate fails
 * if WP proves the containment. */
#include <stdint.h>

/*@ requires 16 <= q <= 0x10000000 && base <= 0x40000000 && vl < q;
    requires \valid(rl) && \valid(rb) && \separated(rl, rb);
    assigns *rl, *rb;
    ensures canary_naive_composition_contained: *rl + *rb <= base + q;
*/
void canary(uint32_t base, uint32_t q, uint32_t vl, uint32_t vb, uint32_t *rl, uint32_t *rb)
{
    *rl = base + vl;
    *rb = vb;
}
