/* model/pgv.h — the public C API of the pgv reference machine (ISA manual §2–§8).
 *
 * The machine state S = <E, M, P, R> of Popek & Goldberg plus registers, flags,
 * interrupt enable, interval timer and an I/O channel, and the two operations
 * every other part of pgv is built on: pgv_step (one instruction or one trap) and
 * pgv_run (steps until HALT, a budget, or a trap into supervisor mode — the hook by
 * which a VMM sits on top of the machine).  The state refers to its storage by
 * pointer and size, so the same step runs on a guest's slice of a larger storage.
 * The library does no allocation and no I/O.  Field names follow the manual:
 * r, pc (P), l and b (R), mode (M), ie, flags, cause, timer, tp, halted.
 * ACSL contracts of these functions are in model/pgv_contracts.h (spec/ logic).
 */
#ifndef PGV_MODEL_PGV_H
#define PGV_MODEL_PGV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../spec/isa.h"

/* The I/O channel (§2.5): an input tape read by IN and an output log written by OUT.
 * out_len counts every word OUT wrote; only the first out_cap are kept.          */
typedef struct pgv_state {
    uint32_t r[PGV_NREGS];  /* general registers                                   */
    uint32_t pc;            /* P: virtual address of the next instruction          */
    uint32_t l, b;          /* R = (l, b): relocation base and bound               */
    uint32_t mode;          /* M: PGV_MODE_SUP or PGV_MODE_USER                    */
    uint32_t ie;            /* interrupt enable, 0 or 1                            */
    uint32_t flags;         /* Z N C (PGV_FLAGS_MASK)                              */
    uint32_t cause;         /* PSW cause field, 0..255                             */
    uint32_t timer;         /* interval timer; 0 = not counting                    */
    uint32_t tp;            /* timer interrupt pending, 0 or 1                     */
    uint32_t halted;        /* 1 once HALT has executed                            */
    uint32_t profile;       /* enum pgv_profile: fixed for the machine's lifetime  */
    uint32_t *mem;          /* E: storage, q words                                 */
    uint32_t q;
    const uint32_t *in;     /* input tape and read position                        */
    uint32_t in_len, in_pos;
    uint32_t *out;          /* output log, capacity out_cap, out_len words written */
    uint32_t out_cap, out_len;
    uint64_t steps;         /* steps taken (instructions retired + traps taken)    */
} pgv_state;

/* What one step did (§8.1). */
typedef enum pgv_event {
    PGV_EV_EXEC = 0,   /* an instruction retired                                  */
    PGV_EV_TRAP = 1,   /* a trap was taken (the PSW swap); its cause is in the old
                          PSW, E[0] bits 8..15 (s->cause is now the new PSW's) */
    PGV_EV_HALT = 2,   /* HALT retired; the machine is now halted                  */
    PGV_EV_IDLE = 3    /* the machine was already halted: nothing changed          */
} pgv_event;

/* Why pgv_run returned (§8.2). */
typedef enum pgv_stop {
    PGV_STOP_HALT = 0,    /* the machine is halted                                 */
    PGV_STOP_BUDGET = 1,  /* the step budget is used up                            */
    PGV_STOP_TRAP = 2     /* a trap left the machine in supervisor mode (only with
                             PGV_RUN_STOP_ON_TRAP)                                 */
} pgv_stop;

#define PGV_RUN_STOP_ON_TRAP 1u   /* pgv_run flag: return after a trap into M = s   */

/* A decoded instruction word (§4). */
typedef struct pgv_insn {
    uint32_t opc;   /* opcode (enum pgv_opcode)                                   */
    uint32_t fmt;   /* enum pgv_format                                            */
    uint32_t rd, rs, rt;
    uint32_t imm;   /* the immediate, already extended as its format says          */
} pgv_insn;

/* --- Pure functions (no side effects) ------------------------------------------ */

/* §4: decode w; false (and *out untouched) when the word is illegal.              */
bool pgv_decode(uint32_t w, pgv_insn *out);

/* §2.3: translate virtual address a under R = (l, b) in storage of q words.
 * true and *pa = a + l when a < b and a + l < q (as integers, no wraparound).    */
bool pgv_translate(uint32_t l, uint32_t b, uint32_t q, uint32_t a, uint32_t *pa);

/* §5: is the instruction with opcode opc privileged in profile p?                 */
bool pgv_is_privileged(uint32_t opc, uint32_t profile);

/* §5: the PSW status word of a state (M, IE, flags, cause).                       */
uint32_t pgv_status_word(const pgv_state *s);

/* --- State changes ---------------------------------------------------------------- */

/* Initialise a native machine (§8.3): registers 0, M = s, P = entry, R = (0, q),
 * IE = 0, flags 0, cause 0, timer 0, TP 0, not halted, steps 0.  Storage and the
 * I/O buffers are the caller's and are not touched.                              */
void pgv_init(pgv_state *s, uint32_t *mem, uint32_t q, uint32_t profile, uint32_t entry);

/* §5.2: take a trap: store the old PSW (cause, P = saved_pc) at E[0..3] and info at
 * E[8], load the new PSW from E[4..7].  Registers, timer and I/O are unchanged.   */
void pgv_trap(pgv_state *s, uint32_t cause, uint32_t info, uint32_t saved_pc);

/* §8.1: one step.  Check, then commit: a trapping instruction changes nothing but
 * the PSW swap.                                                                  */
pgv_event pgv_step(pgv_state *s);

/* §8.2: step until halted, `budget` steps taken, or (with PGV_RUN_STOP_ON_TRAP) a
 * trap leaves the machine in supervisor mode.  *done (may be NULL) receives the
 * number of steps taken by this call.                                            */
pgv_stop pgv_run(pgv_state *s, uint64_t budget, unsigned flags, uint64_t *done);

/* --- Names ------------------------------------------------------------------------- */
const char *pgv_cause_name(uint32_t cause);       /* "PRIV", "BOUNDS", ...         */
const char *pgv_profile_name(uint32_t profile);   /* "pg", "popf", ...             */
int pgv_profile_parse(const char *name);          /* -1 if unknown                 */
const char *pgv_event_name(pgv_event ev);
const char *pgv_stop_name(pgv_stop st);

#endif /* PGV_MODEL_PGV_H */
