/* proofs/canaries/storage_frame.c — FALSE on purpose: a frame condition that omits a
 * changed storage word ("a store leaves every word of E unchanged").  The gate fails
 * if WP proves it. */
#include "../../model/pgv.h"

/*@ requires \valid(s) && 16 <= s->q <= 0x10000000 && \valid(s->mem + (0 .. s->q - 1));
    requires a < s->q;
    assigns s->mem[a];
    ensures canary_storage_frame: \forall integer i; 0 <= i < s->q ==>
                                  s->mem[i] == \old(s->mem[i]);
*/
void canary(pgv_state *s, uint32_t a)
{
    s->mem[a] = s->mem[a] + 1u;
}
