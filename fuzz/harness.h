/* fuzz/harness.h — the one fuzzing entry point, shared by AFL++, libFuzzer, the plain
 * driver and `pgv replay`.
 *
 * pgv_fuzz_one decodes a byte string (fuzz/input.h), runs the test natively and under
 * the VMM with the equivalence checker pgv_diff_run (vmm/diff.h, THE oracle) and
 * reports a divergence or resource-control violation as a readable report (both
 * states side by side, differing fields marked).  State is static and reused: after
 * pgv_fuzz_configure, no call allocates.
 */
#ifndef PGV_FUZZ_HARNESS_H
#define PGV_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "input.h"
#include "../vmm/diff.h"

enum {
    PGV_FUZZ_OK = 0,        /* equivalent and resource control held (or input rejected)  */
    PGV_FUZZ_DIVERGE = 1,   /* a divergence or a resource-control violation (reported)   */
    PGV_FUZZ_ERROR = 2      /* the checker refused the test (a harness or VMM bug)       */
};

/* Fix the options for every following call (copied).  NULL: read FUZZ_* from the
 * environment.  Allocates the diff workspace once.  Returns 0, or 2 with a message on
 * stderr (bad environment, no memory).  pgv_fuzz_one calls it itself if needed.       */
int pgv_fuzz_configure(const pgv_fuzz_opts *o);
const pgv_fuzz_opts *pgv_fuzz_options(void);

/* THE entry point.  Returns PGV_FUZZ_OK, PGV_FUZZ_DIVERGE (report written to `report`
 * if not NULL) or PGV_FUZZ_ERROR.  With options.verbose the test, the disassembly and,
 * on divergence, the first divergent step are printed as well.                       */
int pgv_fuzz_one(const uint8_t *data, size_t size, FILE *report);

/* The last test and its result (valid until the next call). */
const pgv_fuzz_input *pgv_fuzz_last_input(void);
const pgv_fuzz_test *pgv_fuzz_last_test(void);
const pgv_state *pgv_fuzz_last_init(void);
const pgv_diff_result *pgv_fuzz_last_result(void);
int pgv_fuzz_last_rejected(void);
uint64_t pgv_fuzz_last_steps(void);   /* native steps of the last test (0 if rejected) */

/* One line naming the test's configuration, e.g. "profile popf, plain VMM, depth 1,
 * 1 VM, budget 5000, q 120". */
void pgv_fuzz_describe(FILE *f, const pgv_fuzz_test *t);

/* A divergence signature for deduplication: configuration, the first divergent step's
 * event in native (instruction mnemonic and mode, or trap cause) and the differing
 * fields.  Runs pgv_diff_first_divergence on the last test.  0, or -1 (no divergence). */
int pgv_fuzz_signature(char *buf, size_t n);

#endif
