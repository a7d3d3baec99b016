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
 * (WP uses pgv_step's contract, model/pgv_contracts.h, which the unit model_step
 * proves from step_live's Step contract) and proves, as named asserts:
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

/* A witness state, spelled out field by field (not as a predicate): profile PROF,
 * R = (L, B), P = PC, r1 = V1 and every other register 0, IE = flags = cause = T =
 * TP = halted = steps = 0, no I/O (empty tape and log), and WQ storage words all
 * holding the instruction word W; M is left to the caller.  Spelled out because a
 * caller that has just stepped ANOTHER state must establish it: WP's simplifier
 * carries single field reads across that step's writes (different locals), while
 * the provers, given a predicate such as WellFormed over the memory after the
 * step, must unfold it through the write's havoc and do not (measured: every
 * predicate of the second state timed out, every spelled-out field proved). */
#define WITNESS_STATE(s, PROF, L, B, PC, V1, W)                                        \
    \valid(s) && \valid(s->mem + (0 .. WQ - 1)) && \separated(s, s->mem + (0 .. WQ - 1)) && \
    s->q == WQ && s->in_len == 0 && s->in_pos == 0 && s->out_cap == 0 &&               \
    s->out_len == 0 && s->profile == PROF && s->l == L && s->b == B && s->pc == PC &&  \
    s->ie == 0 && s->flags == 0 && s->cause == 0 && s->timer == 0 && s->tp == 0 &&     \
    s->halted == 0 && s->steps == 0 && s->r[1] == V1 &&                                \
    (\forall integer i; 0 <= i < PGV_NREGS && i != 1 ==> s->r[i] == 0) &&              \
    (\forall integer k; 0 <= k < WQ ==> s->mem[k] == W)

/* The step of a witness state executing one given instruction: pgv_step, with its
 * contract (model/pgv_contracts.h) narrowed to that instruction's behavior and to the
 * witness states' shape (WQ words, no output log: PGV_STEP_ASSIGNS with constant
 * ranges), so that the witnesses' goals do not carry the step's other fifty-odd
 * behaviors nor symbolic frames.  It ensures the instruction's effect Insn_X and,
 * derived from it here, the concrete result fields the witness compares. */
#define PGV_STEP_AS(OP, PROF, L, B, PC, V1)                                            \
    requires WITNESS_STATE(s, PROF, L, B, PC, V1, W_##OP);                             \
    requires s->mode == PGV_MODE_SUP || s->mode == PGV_MODE_USER;                      \
    assigns s->r[0 .. PGV_NREGS - 1], s->pc, s->l, s->b, s->mode, s->ie, s->flags,     \
            s->cause, s->timer, s->tp, s->halted, s->steps, s->in_pos, s->out_len,     \
            s->mem[0 .. WQ - 1];                                                       \
    ensures exec: \result == PGV_EV_EXEC;                                              \
    ensures effect: Insn_##OP{Pre,Post}(s, Fetch{Pre}(s));

/* POPF r1 with r1 = IE bit: IE := 1 from M = s, IE kept (0) from M = u; M kept. */
/*@ PGV_STEP_AS(POPF, PGV_PROFILE_POPF, 0, WQ, 8, 1u << PGV_FLAGW_IE_BIT)
    ensures ie: s->ie == (\old(s->mode) == PGV_MODE_SUP ? 1 : 0);
    ensures mode: s->mode == \old(s->mode);
*/
static pgv_event step_popf(pgv_state *s)
{
    //@ assert fetch: Fetch(s) == W_POPF;
    //@ assert reached: WellFormed(s) && ExecutesOp(s, PGV_OPC_POPF);
    return pgv_step(s);
}

/* JRSTU r1: M := u from either mode. */
/*@ PGV_STEP_AS(JRSTU, PGV_PROFILE_JRST, 0, WQ, 8, 3)
    ensures mode: s->mode == PGV_MODE_USER;
*/
static pgv_event step_jrstu(pgv_state *s)
{
    //@ assert fetch: Fetch(s) == W_JRSTU;
    //@ assert reached: WellFormed(s) && ExecutesOp(s, PGV_OPC_JRSTU);
    return pgv_step(s);
}

/* RDR r1, r2 in user mode: r1 := l, r2 := b, R kept. */
/*@ requires s->l == 0 || s->l == 8;
    PGV_STEP_AS(RDR, PGV_PROFILE_REDPILL, s->l, 8, 2, 0)
    ensures r1: s->r[1] == \old(s->l);
    ensures r_kept: s->l == \old(s->l) && s->b == \old(s->b);
*/
static pgv_event step_rdr(pgv_state *s)
{
    //@ assert fetch: Fetch(s) == W_RDR;
    //@ assert reached: WellFormed(s) && ExecutesOp(s, PGV_OPC_RDR);
    pgv_event e = pgv_step(s);
    //@ assert psw: SamePsw{Pre,Here}(s);
    return e;
}

/* A witness state: profile, M, R = (l, b), P, r1 = v1 and every other register 0,
 * IE = flags = cause = T = TP = halted = steps = 0, no I/O (empty tape and log), and
 * storage of WQ words all holding the instruction word w (so that every R sees the
 * same window contents).  Plain initializers: straight-line stores WP resolves. */
#define W16(w) { w, w, w, w, w, w, w, w, w, w, w, w, w, w, w, w }
#define WSTATE(S, MEM, PROF, MODE, L, B, PC, V1)                                       \
    pgv_state S = { .r = { 0, V1 }, .pc = PC, .l = L, .b = B, .mode = MODE,            \
                    .profile = PROF, .mem = MEM, .q = WQ }

/* Each witness builds BOTH states first (label A) and states everything about the pair
 * there: the relation of §7.1 (spec/classify.acsl: DifferOnlyInM{A,A},
 * DifferOnlyInR{A,A}), that both are well-formed and reach the instruction, and that
 * it is not privileged in the profile.  Then it steps the first state and copies the
 * results it needs into plain locals (no address taken: WP keeps them as values, so
 * nothing has to be carried through the second step), and steps the second, whose
 * record and storage the first step does not touch (step_X's assigns). */

/* popf: POPF is mode-sensitive and control-sensitive and not privileged.  Two
 * states differing only in M, r1 = 1 << 9: from M = s POPF sets IE (a configuration
 * change), from M = u it retires without a trap and leaves IE at 0. */
/*@ assigns \nothing;
    ensures \result == 1;
*/
int witness_popf_POPF(void)
{
    uint32_t ms[WQ] = W16(W_POPF);
    uint32_t mu[WQ] = W16(W_POPF);
    WSTATE(ss, ms, PGV_PROFILE_POPF, PGV_MODE_SUP, 0, WQ, 8, 1u << PGV_FLAGW_IE_BIT);
    WSTATE(su, mu, PGV_PROFILE_POPF, PGV_MODE_USER, 0, WQ, 8, 1u << PGV_FLAGW_IE_BIT);
A:;
    /*@ assert storage_s: \forall integer k; 0 <= k < WQ ==> ms[k] == W_POPF; */
    /*@ assert storage_u: \forall integer k; 0 <= k < WQ ==> mu[k] == W_POPF; */
    /*@ assert regs_s: \forall integer i; 0 <= i < PGV_NREGS ==> ss.r[i] == (i == 1 ? (1 << PGV_FLAGW_IE_BIT) : 0); */
    /*@ assert regs_u: \forall integer i; 0 <= i < PGV_NREGS ==> su.r[i] == (i == 1 ? (1 << PGV_FLAGW_IE_BIT) : 0); */
    /*@ assert pair: DifferOnlyInM{A,A}(&ss, &su); */
    /*@ assert fetch_s: Fetch(&ss) == W_POPF; */
    /*@ assert fetch_u: Fetch(&su) == W_POPF; */
    /*@ assert not_priv: !Priv(PGV_OPC_POPF, su.profile); */
    /*@ assert reached_s: WellFormed(&ss) && ExecutesOp(&ss, PGV_OPC_POPF) &&
                          ss.mode == PGV_MODE_SUP; */
    /*@ assert reached_u: WellFormed(&su) && ExecutesOp(&su, PGV_OPC_POPF) &&
                          su.mode == PGV_MODE_USER; */
    pgv_event es = step_popf(&ss);
    const uint32_t ie_s = ss.ie;   /* a plain local: a value, not carried through eu's step */
    /*@ assert control_sensitive: es == PGV_EV_EXEC && \at(ss.ie, A) == 0 && ie_s == 1; */
    pgv_event eu = step_popf(&su);
    /*@ assert nontrapping: es == PGV_EV_EXEC && eu == PGV_EV_EXEC; */
    /*@ assert mode_sensitive: ie_s == 1 && su.ie == 0; */
    return (es == PGV_EV_EXEC) & (eu == PGV_EV_EXEC) & (ie_s == 1) & (su.ie == 0);
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
    uint32_t mu[WQ] = W16(W_JRSTU);
    WSTATE(ss, ms, PGV_PROFILE_JRST, PGV_MODE_SUP, 0, WQ, 8, 3);
    WSTATE(su, mu, PGV_PROFILE_JRST, PGV_MODE_USER, 0, WQ, 8, 3);
A:;
    /*@ assert storage_s: \forall integer k; 0 <= k < WQ ==> ms[k] == W_JRSTU; */
    /*@ assert storage_u: \forall integer k; 0 <= k < WQ ==> mu[k] == W_JRSTU; */
    /*@ assert regs_s: \forall integer i; 0 <= i < PGV_NREGS ==> ss.r[i] == (i == 1 ? 3 : 0); */
    /*@ assert regs_u: \forall integer i; 0 <= i < PGV_NREGS ==> su.r[i] == (i == 1 ? 3 : 0); */
    /*@ assert pair: DifferOnlyInM{A,A}(&ss, &su); */
    /*@ assert fetch_s: Fetch(&ss) == W_JRSTU; */
    /*@ assert fetch_u: Fetch(&su) == W_JRSTU; */
    /*@ assert not_priv: !Priv(PGV_OPC_JRSTU, su.profile); */
    /*@ assert reached_s: WellFormed(&ss) && ExecutesOp(&ss, PGV_OPC_JRSTU) &&
                          ss.mode == PGV_MODE_SUP; */
    /*@ assert reached_u: WellFormed(&su) && ExecutesOp(&su, PGV_OPC_JRSTU) &&
                          su.mode == PGV_MODE_USER; */
    pgv_event es = step_jrstu(&ss);
    const uint32_t mode_s = ss.mode;
    /*@ assert control_sensitive: es == PGV_EV_EXEC && \at(ss.mode, A) == PGV_MODE_SUP &&
                                  mode_s == PGV_MODE_USER; */
    pgv_event eu = step_jrstu(&su);
    /*@ assert nontrapping: es == PGV_EV_EXEC && eu == PGV_EV_EXEC; */
    return (es == PGV_EV_EXEC) & (eu == PGV_EV_EXEC) & (mode_s == PGV_MODE_USER);
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
    uint32_t m2[WQ] = W16(W_RDR);
    WSTATE(s1, m1, PGV_PROFILE_REDPILL, PGV_MODE_USER, 0, 8, 2, 0);
    WSTATE(s2, m2, PGV_PROFILE_REDPILL, PGV_MODE_USER, 8, 8, 2, 0);
A:;
    /*@ assert storage_1: \forall integer k; 0 <= k < WQ ==> m1[k] == W_RDR; */
    /*@ assert storage_2: \forall integer k; 0 <= k < WQ ==> m2[k] == W_RDR; */
    /*@ assert regs_1: \forall integer i; 0 <= i < PGV_NREGS ==> s1.r[i] == 0; */
    /*@ assert regs_2: \forall integer i; 0 <= i < PGV_NREGS ==> s2.r[i] == 0; */
    /*@ assert pair: DifferOnlyInR{A,A}(&s1, &s2); */
    /*@ assert fetch_1: Fetch(&s1) == W_RDR; */
    /*@ assert fetch_2: Fetch(&s2) == W_RDR; */
    /*@ assert not_priv: !Priv(PGV_OPC_RDR, s1.profile); */
    /*@ assert reached_1: WellFormed(&s1) && ExecutesOp(&s1, PGV_OPC_RDR) &&
                          s1.mode == PGV_MODE_USER; */
    /*@ assert reached_2: WellFormed(&s2) && ExecutesOp(&s2, PGV_OPC_RDR) &&
                          s2.mode == PGV_MODE_USER; */
    pgv_event e1 = step_rdr(&s1);
    const uint32_t r1_1 = s1.r[1];
    /*@ assert result_1: e1 == PGV_EV_EXEC && r1_1 == 0 &&
                         s1.l == \at(s1.l, A) && s1.b == \at(s1.b, A); */
    pgv_event e2 = step_rdr(&s2);
    /*@ assert nontrapping: e1 == PGV_EV_EXEC && e2 == PGV_EV_EXEC; */
    /*@ assert r_kept: s2.l == \at(s2.l, A) && s2.b == \at(s2.b, A); */
    /*@ assert location_sensitive: r1_1 == 0 && s2.r[1] == 8; */
    return (e1 == PGV_EV_EXEC) & (e2 == PGV_EV_EXEC) & (r1_1 == 0) & (s2.r[1] == 8);
}
