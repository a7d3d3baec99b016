/* proofs/witness/lemmas.c — proof unit `classify` of proofs/units: the classification
 * of ISA manual §7 as proved lemmas.
 *
 * Defines PGV_CLASSIFY_LEMMAS as 2, so WP proves every lemma of spec/classify.acsl
 * here: the exact sets of privileged, sensitive and user-sensitive opcodes per
 * profile (over all 256 opcodes of the generated table logic), the conditions of
 * Theorems 1 and 3 per profile and their violators, and the arithmetic facts they
 * rest on.  No C code: WP proves lemmas only in a unit without function selection.
 * Not compiled into pgv.  tests/check_proof_names.sh checks the names in the lemmas.
 */
#define PGV_CLASSIFY_LEMMAS 2
#include "../../model/pgv.h"
#include "../../spec/classify.acsl"
