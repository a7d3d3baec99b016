/* proofs/canaries/run_stop_mode.c — FALSE on purpose: "a run that stops on a trap has
 * left the machine in user mode" (ISA §8.2: PGV_STOP_TRAP means a trap left it in
 * supervisor mode, M = s).  Written against the model's own contract of pgv_run; the
 * gate fails if WP proves it. */
#include "../../model/pgv.h"
#include "../../model/pgv_contracts.h"

/*@ requires WellFormed(s) && Running(s);
    PGV_STEP_ASSIGNS
    ensures canary_run_trap_user: \result == PGV_STOP_TRAP ==> s->mode == PGV_MODE_USER;
*/
pgv_stop canary(pgv_state *s)
{
    return pgv_run(s, 100, PGV_RUN_STOP_ON_TRAP, 0);
}
