/* vmm/diff.h — the equivalence checker: native run vs virtualized run (ISA manual §12).
 *
 * One function decides equivalence and resource control for `pgv diff`, the fuzzer
 * (fuzz/) and the tests: it runs the same initial state natively and under the VMM
 * configuration with the same budget, and compares every VM's final virtual state
 * with the native final state using pgv_compare (model/compare.h).  A workspace
 * holds the buffers so that repeated checks (100k/s in the fuzzer) do not allocate.
 */
#ifndef PGV_VMM_DIFF_H
#define PGV_VMM_DIFF_H

#include <stddef.h>
#include "../model/compare.h"
#include "vmm.h"

#define PGV_DIFF_MAX_MISMATCH 64u

typedef struct pgv_diff_case {
    pgv_vmm_config cfg;
    uint64_t budget;
    const pgv_state *init;   /* native initial state; its mem/in/out are only read   */
} pgv_diff_case;

typedef struct pgv_diff_result {
    int equivalent;          /* every VM's final state equals the native final state */
    int rc_ok;               /* no resource-control violation                        */
    uint32_t vm;             /* the first VM that differs (when !equivalent)          */
    size_t nmismatch;        /* number of differing items for that VM                 */
    pgv_mismatch mm[PGV_DIFF_MAX_MISMATCH];
    pgv_stop native_stop;
    pgv_vmm_report rep;
} pgv_diff_result;

typedef struct pgv_diff_ws pgv_diff_ws;

pgv_diff_ws *pgv_diff_ws_new(void);
void pgv_diff_ws_free(pgv_diff_ws *ws);

/* Run c natively and virtualized; fill r.  Returns 0, or 2 on invalid input.        */
int pgv_diff_run(pgv_diff_ws *ws, const pgv_diff_case *c, pgv_diff_result *r);

/* The final states of the last pgv_diff_run (valid until the next call).           */
const pgv_state *pgv_diff_native(const pgv_diff_ws *ws);
const pgv_state *pgv_diff_virtual(const pgv_diff_ws *ws, uint32_t vm);

/* When c diverges: find by bisection on the budget a step k such that the runs are
 * equivalent after k steps and not after k + 1; *step = k + 1 (1-based number of
 * the divergent step), r describes the divergence after k + 1 steps, and the
 * workspace holds those states.  Returns 0, 1 if c does not diverge, 2 on error.   */
int pgv_diff_first_divergence(pgv_diff_ws *ws, const pgv_diff_case *c, uint64_t *step,
                              pgv_diff_result *r);

#endif
