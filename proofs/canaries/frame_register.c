/* proofs/canaries/frame_register.c — FALSE on purpose, in the house style (a predicate
 * over a pointer with a label, never a struct value): a register written by the
 * function is claimed unchanged.  This is the shape that WP proved falsely when the
 * state was passed by value (shared/notes/wp-pitfalls.md §1); written over pointers
 * it must stay unproved.  The gate fails if WP proves it. */
#include "../../model/pgv.h"

/*@ predicate RegIs{L}(pgv_state *s, integer i, integer v) = \at(s->r[i], L) == v; */

/*@ requires \valid(s);
    requires RegIs{Here}(s, 1, 5);
    assigns s->r[1];
    ensures canary_register_frame: RegIs{Here}(s, 1, 5);
*/
void canary(pgv_state *s)
{
    s->r[1] = 6;
}
