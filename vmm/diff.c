/* vmm/diff.c — the equivalence checker: the same program natively and virtualized (spec/VMM.md §12).
 *
 * pgv_diff_run copies one initial state (storage, output log; the input tape is only
 * read and is shared) into workspace buffers, runs it natively with pgv_run for the
 * budget (ISA manual §8.2) and under the VMM configuration with every VM starting from
 * that same state (pgv_vmm_run), and compares each VM's final virtual state with the
 * native final state using pgv_compare (model/compare.h, ISA §8.4) — the one
 * comparison of the project.  The workspace grows on the first calls and is reused:
 * no allocation per call once it is large enough, so the fuzzer can run >100k short
 * checks a second.  pgv_diff_first_divergence bisects the budget to the first step
 * after which the two runs differ.
 */
#include <stdlib.h>
#include <string.h>
#include "diff.h"

struct pgv_diff_ws {
    uint32_t q_cap;                       /* words per storage buffer                  */
    uint32_t out_cap;                     /* words per output buffer                   */
    uint64_t real_cap;                    /* words of real storage                     */
    uint32_t *mem[1 + PGV_VMM_MAX_VMS];   /* [0] native, [1 + k] VM k                  */
    uint32_t *out[1 + PGV_VMM_MAX_VMS];
    uint32_t *real;
    uint32_t nvms;
    pgv_state native;
    pgv_state vm[PGV_VMM_MAX_VMS];
};

pgv_diff_ws *pgv_diff_ws_new(void)
{
    return calloc(1, sizeof(pgv_diff_ws));
}

void pgv_diff_ws_free(pgv_diff_ws *ws)
{
    if (!ws)
        return;
    for (unsigned i = 0; i < 1 + PGV_VMM_MAX_VMS; i++) {
        free(ws->mem[i]);
        free(ws->out[i]);
    }
    free(ws->real);
    free(ws);
}

/* Make the buffers at least q storage words, oc output words and rq real words. */
static int ws_reserve(pgv_diff_ws *ws, uint32_t q, uint32_t oc, uint64_t rq)
{
    if (q > ws->q_cap) {
        for (unsigned i = 0; i < 1 + PGV_VMM_MAX_VMS; i++) {
            free(ws->mem[i]);
            ws->mem[i] = malloc((size_t)q * sizeof(uint32_t));
            if (!ws->mem[i]) {
                ws->q_cap = 0;
                return -1;
            }
        }
        ws->q_cap = q;
    }
    if (oc > ws->out_cap) {
        for (unsigned i = 0; i < 1 + PGV_VMM_MAX_VMS; i++) {
            free(ws->out[i]);
            ws->out[i] = malloc((size_t)oc * sizeof(uint32_t));
            if (!ws->out[i]) {
                ws->out_cap = 0;
                return -1;
            }
        }
        ws->out_cap = oc;
    }
    if (rq > ws->real_cap) {
        free(ws->real);
        ws->real = malloc((size_t)rq * sizeof(uint32_t));
        if (!ws->real) {
            ws->real_cap = 0;
            return -1;
        }
        ws->real_cap = rq;
    }
    return 0;
}

/* s := init with its own copies of storage and output log in buffer slot `slot`. */
static void load(pgv_diff_ws *ws, pgv_state *s, const pgv_state *init, unsigned slot)
{
    *s = *init;
    s->mem = ws->mem[slot];
    memcpy(s->mem, init->mem, (size_t)init->q * sizeof(uint32_t));
    s->out = init->out_cap ? ws->out[slot] : 0;
    uint32_t keep = init->out_len < init->out_cap ? init->out_len : init->out_cap;
    if (keep && init->out)
        memcpy(s->out, init->out, (size_t)keep * sizeof(uint32_t));
}

int pgv_diff_run(pgv_diff_ws *ws, const pgv_diff_case *c, pgv_diff_result *r)
{
    if (!ws || !c || !r || !c->init)
        return 2;
    const pgv_state *init = c->init;
    r->equivalent = 0;
    r->rc_ok = 0;
    r->vm = 0;
    r->nmismatch = 0;
    r->native_stop = PGV_STOP_BUDGET;
    if (pgv_vmm_config_check(&c->cfg, r->rep.rc_first, sizeof r->rep.rc_first))
        return 2;
    if (!init->mem || init->q < PGV_MIN_WORDS || init->profile != c->cfg.profile ||
        (init->out_cap && !init->out) || (init->in_len && !init->in))
        return 2;
    uint64_t need = pgv_vmm_storage_words(&c->cfg, init->q);
    if (need > 0xFFFFFFFFu || ws_reserve(ws, init->q, init->out_cap, need) != 0)
        return 2;

    load(ws, &ws->native, init, 0);
    r->native_stop = pgv_run(&ws->native, c->budget, 0, 0);

    pgv_state *g[PGV_VMM_MAX_VMS];
    ws->nvms = c->cfg.vms;
    for (uint32_t k = 0; k < c->cfg.vms; k++) {
        load(ws, &ws->vm[k], init, 1 + k);
        g[k] = &ws->vm[k];
    }
    if (pgv_vmm_run(&c->cfg, g, c->budget, ws->real, need, &r->rep) != 0)
        return 2;

    r->rc_ok = r->rep.rc_violations == 0;
    r->equivalent = 1;
    for (uint32_t k = 0; k < c->cfg.vms; k++) {
        size_t n = pgv_compare(&ws->native, &ws->vm[k], r->mm, PGV_DIFF_MAX_MISMATCH);
        if (n) {
            r->equivalent = 0;
            r->vm = k;
            r->nmismatch = n;
            break;
        }
    }
    return 0;
}

const pgv_state *pgv_diff_native(const pgv_diff_ws *ws)
{
    return ws ? &ws->native : 0;
}

const pgv_state *pgv_diff_virtual(const pgv_diff_ws *ws, uint32_t vm)
{
    return ws && vm < ws->nvms ? &ws->vm[vm] : 0;
}

/* Invariant of the bisection: equivalent after lo steps, divergent after hi steps.
 * Divergence need not be monotone in the budget; the bisection still ends at some
 * k = lo with hi = k + 1, which is what the contract asks.  If even the state after
 * 0 steps differs (a VMM that corrupts a state it never ran), *step = 0.          */
int pgv_diff_first_divergence(pgv_diff_ws *ws, const pgv_diff_case *c, uint64_t *step,
                              pgv_diff_result *r)
{
    if (!c || !step)
        return 2;
    pgv_diff_case t = *c;
    if (pgv_diff_run(ws, &t, r) != 0)
        return 2;
    if (r->equivalent)
        return 1;
    uint64_t hi = c->budget, lo = 0;
    t.budget = 0;
    if (pgv_diff_run(ws, &t, r) != 0)
        return 2;
    if (!r->equivalent) {
        *step = 0;
        return 0;
    }
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        t.budget = mid;
        if (pgv_diff_run(ws, &t, r) != 0)
            return 2;
        if (r->equivalent)
            lo = mid;
        else
            hi = mid;
    }
    t.budget = hi;
    if (pgv_diff_run(ws, &t, r) != 0)
        return 2;
    *step = hi;
    return 0;
}
