/* proofs/compose/compose.c — the composition lemmas (spec/compose.acsl).
 *
 * Proof unit `compose` of proofs/units (WP, gated by proofs/gate.py); not compiled into
 * pgv.  It defines PGV_COMPOSE_LEMMAS, so WP proves here, as goals, the lemmas of
 * spec/compose.acsl — the storage layout (alloc_*), the composition of R (compose_legal,
 * compose_tr, compose_inside, compose_words), of the timer (timer_*), and the
 * composition lemma lifted to instructions (compose_addr, compose_fetch, compose_data,
 * compose_LD, compose_ST, compose_X for every register-only innocuous instruction).
 * WP proves lemmas only in a unit without function selection; the other units do not
 * see them.  The two inline compositions of vmm/alloc_contracts.h (pgv_alloc_compose_r,
 * pgv_alloc_timer) are proved here as well as in the unit vmm_alloc.
 */
#define PGV_COMPOSE_LEMMAS 1
/* Not the model's function contracts (model/pgv_contracts.h): they would bring the
 * model's ghost functions (pgv_dec_fact) into this unit as goals; the logic this unit
 * needs comes with spec/compose.acsl.                                               */
#define PGV_MODEL_CONTRACTS_H 1
#include "../../vmm/monitor.h"
