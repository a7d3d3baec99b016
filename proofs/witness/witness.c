/* proofs/witness/witness.c — proved witnesses of the classification (ISA manual §7).
 *
 * Proof unit `witness` of proofs/units (WP, gated by proofs/gate.py); not compiled
 * into pgv.  The classification lemmas themselves (the classes per profile and the
 * verdicts of Theorems 1 and 3) are proved in the unit `classify` (lemmas.c); this
 * file sees only the relations of §7.1 and the arithmetic facts (PGV_CLASSIFY_LEMMAS
 * 1), so its goals do not carry the 256-opcode lemmas.
 *
 * For each profile in which Theorem 1's condition fails, one function builds two
 * CONCRETE states that differ as §7.1 requires, runs the model's pgv_step on each
 * (WP uses pgv_step's contract, model/pgv_contracts.h; that contract is proved in
 * the model unit, see proofs/PENDING while it is not) and proves, as named asserts:
 *   reached     both states are well-formed and reached for the instruction
 *               (ExecutesOp of spec/step.acsl: no TIMER due, P translates, the word
 *               decodes to the instruction, no PRIV trap);
 *   not_priv    the user-mode state's step does not trap: the instruction is not
 *               privileged in the profile (a user-mode state with no PRIV trap);
 *   the class   control-sensitive (the configuration changes beyond the tick),
 *               mode-sensitive (results differ beyond M for states differing only
 *               in M), location-sensitive and user-sensitive (results differ for two
 *               user-mode states differing only in R, storage relocated).
 * The functions are named witness_<profile>_<INSTRUCTION>; tests/check_proof_names.sh
 * checks those names against the manual's table and `pgv classify`.
 */
#define PGV_CLASSIFY_LEMMAS 1   /* the relations, words and arithmetic facts; every lemma is proved in lemmas.c */
#include "../../model/pgv_contracts.h"

#define WQ 16u                    /* storage words of a witness state (q)         */

/* The words' decoding facts (lemmas, group ClassifyWitness) are in spec/classify.acsl,
 * proved by the unit classify. */

/* The step of a reached state executing one given instruction: pgv_step, with its
 * contract (model/pgv_contracts.h) narrowed to that instruction's behavior and to the
 * witness states' shape (WQ words, no output log: PGV_STEP_ASSIGNS with constant
 * ranges), so that the witnesses' goals do not carry the step's other fifty-odd
 * behaviors nor symbolic frames. */
#define PGV_STEP_AS(OP)                                                                \
    requires WellFormed(s) && ExecutesOp(s, PGV_OPC_##OP);                             \
    requires s->q == WQ && s->out_cap == 0;                                            \
    assigns s->r[0 .. PGV_NREGS - 1], s->pc, s->l, s->b, s->mode, s->ie, s->flags,     \
            s->cause, s->timer, s->tp, s->halted, s->steps, s->in_pos, s->out_len,     \
            s->mem[0 .. WQ - 1];                                                       \
    ensures exec: \result == PGV_EV_EXEC;                                              \
    ensures effect: Insn_##OP{Pre,Post}(s, Fetch{Pre}(s));

/*@ PGV_STEP_AS(POPF) */
static pgv_event step_popf(pgv_state *s) { return pgv_step(s); }
/*@ PGV_STEP_AS(JRSTU) */
static pgv_event step_jrstu(pgv_state *s) { return pgv_step(s); }
/*@ PGV_STEP_AS(RDR) */
static pgv_event step_rdr(pgv_state *s) { return pgv_step(s); }

/* A witness state: profile, M, R = (l, b), P, r1 = v1 and every other register 0,
 * IE = flags = cause = T = TP = halted = steps = 0, no I/O (empty tape and log), and
 * storage of WQ words all holding the instruction word w (so that every R sees the
 * same window contents).  Plain initializers: straight-line stores WP resolves. */
#define W16(w) { w, w, w, w, w, w, w, w, w, w, w, w, w, w, w, w }
#define WSTATE(S, MEM, PROF, MODE, L, B, PC, V1)                                       \
    pgv_state S = { .r = { 0, V1 }, .pc = PC, .l = L, .b = B, .mode = MODE,            \
                    .profile = PROF, .mem = MEM, .q = WQ }

/* Each witness builds the first state (label A) and steps it (label A2), then builds
 * the second (label B) and steps it: the pair relation is stated between the two
 * states at A and B (spec/classify.acsl: DifferOnlyInM{A,B}, DifferOnlyInR{A,B}). */

/* popf: POPF is mode-sensitive and control-sensitive and not privileged.  Two
 * states differing only in M, r1 = 1 << 9: from M = s POPF sets IE (a configuration
 * change), from M = u it retires without a trap and leaves IE at 0. */
/*@ assigns \nothing;
    ensures \result == 1;
*/
int witness_popf_POPF(void)
{
    uint32_t ms[WQ] = W16(W_POPF);
    WSTATE(ss, ms, PGV_PROFILE_POPF, PGV_MODE_SUP, 0, WQ, 8, 1u << PGV_FLAGW_IE_BIT);
A:;
    /*@ assert storage_s: \forall integer k; 0 <= k < WQ ==> ms[k] == W_POPF; */
    /*@ assert regs_s: \forall integer i; 0 <= i < PGV_NREGS ==> ss.r[i] == (i == 1 ? (1 << PGV_FLAGW_IE_BIT) : 0); */
    /*@ assert fetch_s: Fetch(&ss) == W_POPF; */
    /*@ assert reached_s: WellFormed(&ss) && ExecutesOp(&ss, PGV_OPC_POPF) &&
                          ss.mode == PGV_MODE_SUP; */
    pgv_event es = step_popf(&ss);
A2:;
    /*@ assert control_sensitive: es == PGV_EV_EXEC && \at(ss.ie, A) == 0 && ss.ie == 1; */
    uint32_t mu[WQ] = W16(W_POPF);
    WSTATE(su, mu, PGV_PROFILE_POPF, PGV_MODE_USER, 0, WQ, 8, 1u << PGV_FLAGW_IE_BIT);
B:;
    /*@ assert storage_u: \forall integer k; 0 <= k < WQ ==> mu[k] == W_POPF; */
    /*@ assert regs_u: \forall integer i; 0 <= i < PGV_NREGS ==> su.r[i] == (i == 1 ? (1 << PGV_FLAGW_IE_BIT) : 0); */
    /*@ assert pair: DifferOnlyInM{A,B}(&ss, &su); */
    /*@ assert fetch_u: Fetch(&su) == W_POPF; */
    /*@ assert not_priv: !Priv(PGV_OPC_POPF, su.profile); */
    /*@ assert wf_u: WellFormed(&su); */
    /*@ assert reached_u: ExecutesOp(&su, PGV_OPC_POPF) &&
                          su.mode == PGV_MODE_USER; */
    pgv_event eu = step_popf(&su);
    /*@ assert nontrapping: es == PGV_EV_EXEC && eu == PGV_EV_EXEC; */
    /*@ assert mode_sensitive: \at(ss.ie, A2) == 1 && su.ie == 0; */
    return (es == PGV_EV_EXEC) & (eu == PGV_EV_EXEC) & (su.ie == 0);
}

/* jrst: JRSTU is control-sensitive and not privileged.  Two states differing only
 * in M, r1 = 3: from M = s JRSTU enters user mode (a configuration change), from
 * M = u it retires without a trap. */
/*@ assigns \nothing;
    ensures \result == 1;
*/
int witness_jrst_JRSTU(void)
{
    uint32_t ms[WQ] = W16(W_JRSTU);
    WSTATE(ss, ms, PGV_PROFILE_JRST, PGV_MODE_SUP, 0, WQ, 8, 3);
A:;
    /*@ assert storage_s: \forall integer k; 0 <= k < WQ ==> ms[k] == W_JRSTU; */
    /*@ assert regs_s: \forall integer i; 0 <= i < PGV_NREGS ==> ss.r[i] == (i == 1 ? 3 : 0); */
    /*@ assert fetch_s: Fetch(&ss) == W_JRSTU; */
    /*@ assert reached_s: WellFormed(&ss) && ExecutesOp(&ss, PGV_OPC_JRSTU) &&
                          ss.mode == PGV_MODE_SUP; */
    pgv_event es = step_jrstu(&ss);
    /*@ assert control_sensitive: es == PGV_EV_EXEC && \at(ss.mode, A) == PGV_MODE_SUP &&
                                  ss.mode == PGV_MODE_USER; */
    uint32_t mu[WQ] = W16(W_JRSTU);
    WSTATE(su, mu, PGV_PROFILE_JRST, PGV_MODE_USER, 0, WQ, 8, 3);
B:;
    /*@ assert storage_u: \forall integer k; 0 <= k < WQ ==> mu[k] == W_JRSTU; */
    /*@ assert regs_u: \forall integer i; 0 <= i < PGV_NREGS ==> su.r[i] == (i == 1 ? 3 : 0); */
    /*@ assert pair: DifferOnlyInM{A,B}(&ss, &su); */
    /*@ assert fetch_u: Fetch(&su) == W_JRSTU; */
    /*@ assert not_priv: !Priv(PGV_OPC_JRSTU, su.profile); */
    /*@ assert wf_u: WellFormed(&su); */
    /*@ assert reached_u: ExecutesOp(&su, PGV_OPC_JRSTU) &&
                          su.mode == PGV_MODE_USER; */
    pgv_event eu = step_jrstu(&su);
    /*@ assert nontrapping: es == PGV_EV_EXEC && eu == PGV_EV_EXEC; */
    return (es == PGV_EV_EXEC) & (eu == PGV_EV_EXEC);
}

/* redpill: RDR is location-sensitive, user-sensitive and not privileged.  Two
 * user-mode states differing only in R = (0, 8) versus (8, 8), with the same window
 * contents (every word RDR r1, r2; P = 2): both retire without a trap, R stays, and
 * r1 receives 0 in one and 8 in the other. */
/*@ assigns \nothing;
    ensures \result == 1;
*/
int witness_redpill_RDR(void)
{
    uint32_t m1[WQ] = W16(W_RDR);
    WSTATE(s1, m1, PGV_PROFILE_REDPILL, PGV_MODE_USER, 0, 8, 2, 0);
A:;
    /*@ assert storage_1: \forall integer k; 0 <= k < WQ ==> m1[k] == W_RDR; */
    /*@ assert regs_1: \forall integer i; 0 <= i < PGV_NREGS ==> s1.r[i] == (i == 1 ? 0 : 0); */
    /*@ assert fetch_1: Fetch(&s1) == W_RDR; */
    /*@ assert not_priv: !Priv(PGV_OPC_RDR, s1.profile); */
    /*@ assert reached_1: WellFormed(&s1) && ExecutesOp(&s1, PGV_OPC_RDR) &&
                          s1.mode == PGV_MODE_USER; */
    pgv_event e1 = step_rdr(&s1);
A2:;
    /*@ assert result_1: e1 == PGV_EV_EXEC && s1.r[1] == 0 &&
                         s1.l == \at(s1.l, A) && s1.b == \at(s1.b, A); */
    uint32_t m2[WQ] = W16(W_RDR);
    WSTATE(s2, m2, PGV_PROFILE_REDPILL, PGV_MODE_USER, 8, 8, 2, 0);
B:;
    /*@ assert storage_2: \forall integer k; 0 <= k < WQ ==> m2[k] == W_RDR; */
    /*@ assert regs_2: \forall integer i; 0 <= i < PGV_NREGS ==> s2.r[i] == (i == 1 ? 0 : 0); */
    /*@ assert pair: DifferOnlyInR{A,B}(&s1, &s2); */
    /*@ assert fetch_2: Fetch(&s2) == W_RDR; */
    /*@ assert wf_2: WellFormed(&s2); */
    /*@ assert reached_2: ExecutesOp(&s2, PGV_OPC_RDR) &&
                          s2.mode == PGV_MODE_USER; */
    pgv_event e2 = step_rdr(&s2);
    /*@ assert nontrapping: e1 == PGV_EV_EXEC && e2 == PGV_EV_EXEC; */
    /*@ assert r_kept: s2.l == \at(s2.l, B) && s2.b == \at(s2.b, B); */
    /*@ assert location_sensitive: \at(s1.r[1], A2) == 0 && s2.r[1] == 8; */
    return (e1 == PGV_EV_EXEC) & (e2 == PGV_EV_EXEC) & (s2.r[1] == 8);
}
