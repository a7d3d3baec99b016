/* proofs/canaries/translate_edge.c — FALSE on purpose: "a = b is a legal address"
 * (ISA §2.3: legal iff a < b and a + l < q).  The gate fails if WP proves it. */
#include "../../model/pgv.h"
#include "../../model/pgv_contracts.h"

/*@ requires 16 <= q <= 0x10000000;
    assigns \nothing;
    ensures canary_a_eq_b_legal: \result == 1;
*/
int canary(uint32_t l, uint32_t b, uint32_t q)
{
    uint32_t pa;
    return pgv_translate(l, b, q, b, &pa);
}
