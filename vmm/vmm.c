/* vmm/vmm.c — the VMM's run loop, scheduler, host abstraction and recursion (spec/VMM.md).
 *
 * pgv_vmm_vm_run gives a VM exactly pgv_run's semantics (ISA manual §8.2): it steps
 * the VM until it is halted, `budget` guest steps are taken, or — with
 * PGV_RUN_STOP_ON_TRAP — a trap leaves it in virtual supervisor mode.  A guest step
 * is a directly executed instruction, an emulated one, a reflected trap or (hybrid)
 * an interpreted one, so a run with budget N stops at exactly guest step N
 * (spec/VMM.md §5).  Before every entry and after every emulated step it applies the
 * start-of-step rule of §5.4 to the virtual state (TP && IE -> reflect TIMER).
 * Because a VM has pgv_run's semantics, a VM is a host a monitor can run on
 * (pgv_host_run): a depth-D stack is D monitors, monitor j running on VM 0 of monitor
 * j - 1 and monitor 0 on the real machine (spec/VMM.md §7).  pgv_vmm_run lays the
 * stack out in the caller's real storage, copies the guests in, schedules the top
 * monitor's VMs round-robin by slices of guest steps (the real timer enforces the
 * slice, so no guest, whatever its mode or IE, keeps the machine), copies them out,
 * and reports counters and resource control.  No memory allocation anywhere.
 */
#include <stdio.h>
#include <string.h>
#include "monitor.h"

#define PGV_VMM_WORDS_MAX 0xFFFFFFFFu   /* host storage must be 32-bit addressable */

int pgv_vmm_config_check(const pgv_vmm_config *cfg, char *err, size_t errlen)
{
    const char *msg = 0;
    if (!cfg)
        msg = "no configuration";
    else if (cfg->profile >= PGV_NPROFILES)
        msg = "unknown profile";
    else if (cfg->hybrid > 1)
        msg = "hybrid must be 0 or 1";
    else if (cfg->depth < 1 || cfg->depth > PGV_VMM_MAX_DEPTH)
        msg = "depth must be 1..4";
    else if (cfg->vms < 1 || cfg->vms > PGV_VMM_MAX_VMS)
        msg = "vms must be 1..8";
    if (msg) {
        if (err && errlen)
            snprintf(err, errlen, "invalid VMM configuration: %s", msg);
        return 2;
    }
    return 0;
}

/* Storage per level: the top monitor needs pgv_alloc_size(vms, guest_q); each monitor
 * below it runs one VM holding the whole storage of the monitor above. */
uint64_t pgv_vmm_storage_words(const pgv_vmm_config *cfg, uint32_t guest_q)
{
    uint32_t depth = cfg && cfg->depth >= 1 ? cfg->depth : 1;
    uint32_t vms = cfg && cfg->vms >= 1 ? cfg->vms : 1;
    uint64_t s = pgv_alloc_size(vms, guest_q);
    for (uint32_t d = 1; d < depth; d++)
        s = PGV_VMM_RESERVED + s + PGV_VMM_GUARD;
    return s;
}

pgv_stop pgv_host_run(pgv_host *h, uint64_t budget, unsigned flags, uint64_t *done)
{
    if (h->mon == 0)
        return pgv_run(h->cpu, budget, flags, done);
    return pgv_vmm_vm_run(h->mon, h->vm, budget, flags, done);
}

/* Run VM i for at most `budget` guest steps, at most `slice` of them before
 * preemption; *done receives the guest steps taken. */
static pgv_vmx vm_run(pgv_monitor *m, uint32_t i, uint64_t budget, unsigned flags,
                      uint64_t slice, uint64_t *done)
{
    pgv_vm *vm = &m->vm[i];
    pgv_state *v = &vm->v;
    const int stop_on_trap = (flags & PGV_RUN_STOP_ON_TRAP) != 0;
    uint64_t n = 0;
    pgv_vmx why;
    for (;;) {
        if (v->halted) {
            why = PGV_VMX_HALT;
            break;
        }
        if (n >= budget) {
            why = PGV_VMX_BUDGET;
            break;
        }
        if (n >= slice) {
            why = PGV_VMX_PREEMPT;
            break;
        }
        if (v->tp && v->ie) {               /* §5.4 / §8.1(2): the virtual timer trap */
            pgv_reflect(v, PGV_CAUSE_TIMER, 0, v->pc);
            vm->c.reflected++;
            n++;
            if (stop_on_trap && v->mode != PGV_MODE_USER) {
                why = PGV_VMX_TRAP;
                break;
            }
            continue;
        }
        if (m->hybrid && v->mode != PGV_MODE_USER) {   /* Theorem 3: interpret */
            pgv_event ev = pgv_hybrid_step(m, i);
            n++;
            if (ev == PGV_EV_TRAP && stop_on_trap && v->mode != PGV_MODE_USER) {
                why = PGV_VMX_TRAP;
                break;
            }
            continue;
        }
        uint64_t lim = budget - n < slice - n ? budget - n : slice - n;
        pgv_disp d = pgv_dispatch_burst(m, i, lim, &n);
        if (d == PGV_DISP_NONE)
            continue;
        if (d == PGV_DISP_FAULT) {
            why = PGV_VMX_FAULT;
            break;
        }
        n++;                                 /* the emulated or reflected step */
        if (d == PGV_DISP_TRAP && stop_on_trap && v->mode != PGV_MODE_USER) {
            why = PGV_VMX_TRAP;
            break;
        }
    }
    *done = n;
    return why;
}

pgv_stop pgv_vmm_vm_run(pgv_monitor *m, uint32_t i, uint64_t budget, unsigned flags,
                        uint64_t *done)
{
    uint64_t total = 0;
    pgv_stop st;
    for (;;) {
        uint64_t d;
        pgv_vmx x = vm_run(m, i, budget - total, flags, m->slice, &d);
        total += d;
        if (x == PGV_VMX_PREEMPT) {         /* one VM on this monitor: keep it running */
            m->vm[i].c.preemptions++;
            continue;
        }
        st = x == PGV_VMX_HALT ? PGV_STOP_HALT : x == PGV_VMX_TRAP ? PGV_STOP_TRAP
                                                                    : PGV_STOP_BUDGET;
        break;
    }
    if (done)
        *done = total;
    return st;
}

/* Round-robin over the VMs of the top monitor: each turn is one slice of guest steps. */
static void schedule(pgv_monitor *m)
{
    for (;;) {
        int any = 0;
        for (uint32_t i = 0; i < m->nvms; i++) {
            pgv_vm *vm = &m->vm[i];
            if (vm->finished)
                continue;
            uint64_t d;
            pgv_vmx x = vm_run(m, i, vm->left, 0, m->slice, &d);
            vm->left -= d;
            if (x == PGV_VMX_PREEMPT) {
                vm->c.preemptions++;
                any = 1;
                continue;
            }
            vm->finished = 1;
            vm->stop = x == PGV_VMX_HALT ? PGV_STOP_HALT : PGV_STOP_BUDGET;
        }
        if (!any)
            break;
    }
}

void pgv_vmm_stack_init(pgv_monitor mon[], pgv_state *real, const pgv_vmm_config *cfg,
                        uint32_t q, uint32_t *real_mem, uint64_t real_q, pgv_vmm_report *rep)
{
    const uint32_t depth = cfg->depth, nvms = cfg->vms;
    const uint64_t need = pgv_vmm_storage_words(cfg, q);
    const uint32_t slice = cfg->slice ? cfg->slice : PGV_VMM_SLICE;
    pgv_init(real, real_mem, real_q > PGV_VMM_WORDS_MAX ? PGV_VMM_WORDS_MAX : (uint32_t)real_q,
             cfg->profile, 0);
    for (uint32_t j = 0; j < depth; j++) {
        pgv_monitor *m = &mon[j];
        memset(m, 0, sizeof *m);
        m->level = j;
        m->profile = cfg->profile;
        m->hybrid = cfg->hybrid;
        m->slice = slice;
        m->nvms = j + 1 == depth ? nvms : 1;
        m->rc_violations = &rep->rc_violations;
        m->rc_first = rep->rc_first;
        m->rc_len = sizeof rep->rc_first;
        if (j == 0) {
            m->host.cpu = real;
            m->host.mon = 0;
        } else {
            m->host.cpu = &mon[j - 1].vm[0].v;
            m->host.mon = &mon[j - 1];
            m->host.vm = 0;
        }
        m->size = j == 0 ? (uint32_t)need : m->host.cpu->q;
        uint32_t vq = j + 1 == depth
                          ? q
                          : (uint32_t)pgv_vmm_storage_words(
                                &(pgv_vmm_config){ .depth = depth - j - 1, .vms = nvms }, q);
        pgv_alloc_layout(m, vq);
        if (j + 1 < depth) {
            /* VM 0 holds the next monitor: a fresh machine of vq words (§8), no I/O. */
            pgv_vm *vm = &m->vm[0];
            pgv_init(&vm->v, m->host.cpu->mem + vm->base, vq, cfg->profile, 0);
        }
    }
}

void pgv_vmm_load_guest(pgv_monitor *m, uint32_t k, const pgv_state *g)
{
    pgv_vm *vm = &m->vm[k];
    vm->v = *g;
    vm->v.mem = m->host.cpu->mem + vm->base;
    memcpy(vm->v.mem, g->mem, (size_t)vm->q * sizeof(uint32_t));
}

static int bad_state(const pgv_state *g)
{
    return g->mode > 1 || g->ie > 1 || g->tp > 1 || g->halted > 1 || g->flags > PGV_FLAGS_MASK ||
           g->cause > PGV_ST_CAUSE_MASK || (g->in_len && !g->in) || (g->out_cap && !g->out);
}

static int fail(pgv_vmm_report *rep, const char *msg)
{
    snprintf(rep->rc_first, sizeof rep->rc_first, "%s", msg);
    return 2;
}

static void add_counters(pgv_vmm_counters *t, const pgv_vmm_counters *c)
{
    t->direct += c->direct;
    t->emulated += c->emulated;
    t->interpreted += c->interpreted;
    t->reflected += c->reflected;
    for (unsigned j = 0; j < PGV_NCAUSES; j++)
        t->exits[j] += c->exits[j];
    t->entries += c->entries;
    t->preemptions += c->preemptions;
}

/* FNV-1a over storage the VMM must not touch (real words beyond the stack's size). */
static uint64_t hash_words(const uint32_t *w, uint64_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (uint64_t i = 0; i < n; i++) {
        h ^= w[i];
        h *= 1099511628211ull;
    }
    return h;
}

int pgv_vmm_run(const pgv_vmm_config *cfg, pgv_state *const guests[], uint64_t budget,
                uint32_t *real_mem, uint64_t real_q, pgv_vmm_report *rep)
{
    if (!rep)
        return 2;
    memset(rep, 0, sizeof *rep);
    if (pgv_vmm_config_check(cfg, rep->rc_first, sizeof rep->rc_first))
        return 2;
    if (!guests || !real_mem)
        return fail(rep, "no guests or no real storage");
    const uint32_t depth = cfg->depth, nvms = cfg->vms;
    uint32_t q = 0;
    for (uint32_t k = 0; k < nvms; k++) {
        const pgv_state *g = guests[k];
        if (!g || !g->mem)
            return fail(rep, "guest without storage");
        if (k == 0)
            q = g->q;
        if (g->q != q || q < PGV_MIN_WORDS)
            return fail(rep, "guests must have the same q >= 16");
        if (g->profile != cfg->profile)
            return fail(rep, "guest profile differs from the VMM's");
        if (bad_state(g))
            return fail(rep, "guest state out of range (mode/ie/tp/halted/flags/cause/I/O)");
    }
    const uint64_t need = pgv_vmm_storage_words(cfg, q);
    if (need > PGV_VMM_WORDS_MAX)
        return fail(rep, "configuration needs more than 2^32-1 words of real storage");
    if (real_q < need)
        return fail(rep, "real storage too small (see pgv_vmm_storage_words)");
    const uint64_t extra_hash = hash_words(real_mem + need, real_q - need);

    pgv_monitor mon[PGV_VMM_MAX_DEPTH];
    pgv_state real;
    pgv_vmm_stack_init(mon, &real, cfg, q, real_mem, real_q, rep);
    pgv_monitor *top = &mon[depth - 1];
    for (uint32_t k = 0; k < nvms; k++) {
        pgv_vmm_load_guest(top, k, guests[k]);
        top->vm[k].left = budget;
    }

    schedule(top);

    for (uint32_t j = 0; j < depth; j++)
        pgv_alloc_check_final(&mon[j]);
    if (hash_words(real_mem + need, real_q - need) != extra_hash)
        pgv_alloc_violation(&mon[0], 0, "real storage beyond the VMM's changed", 0);

    for (uint32_t k = 0; k < nvms; k++) {
        pgv_vm *vm = &top->vm[k];
        uint32_t *gm = guests[k]->mem;
        memcpy(gm, vm->v.mem, (size_t)q * sizeof(uint32_t));
        *guests[k] = vm->v;
        guests[k]->mem = gm;
        rep->stop[k] = vm->stop;
        rep->vm[k] = vm->c;
        add_counters(&rep->total, &vm->c);
    }
    rep->levels = depth;
    for (uint32_t j = 0; j < depth; j++)
        for (uint32_t k = 0; k < mon[j].nvms; k++)
            add_counters(&rep->level[j], &mon[j].vm[k].c);
    return 0;
}
