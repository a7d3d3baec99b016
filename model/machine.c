/* model/machine.c — the reference machine: decode, translate, trap, step, run (ISA §2–§8).
 *
 * One step is one instruction or one trap (§8.1).  Every instruction first computes
 * whether it traps — fetch bounds, ILLEGAL, PRIV, data bounds — without touching the
 * state ("check"), and writes state only once it cannot trap ("commit").  pgv_run is
 * the same step inlined into a loop over a local copy of the state, so the loop
 * keeps the registers out of the storage's alias set; there is one step function,
 * not a fast one and a proved one.  No allocation, no I/O.
 */
#include "pgv.h"
#include "optab.h"
#include "pgv_contracts.h"

/* §4.3: sign-extend a 16-bit immediate, in unsigned arithmetic. */
/*@ requires x <= 0xFFFF;
    assigns \nothing;
    ensures \result == Sext16(x);
*/
static inline uint32_t sext16(uint32_t x)
{
    return (x & 0x8000u) ? (x | 0xFFFF0000u) : x;
}

/* The decoder's format of each opcode plus one (0: unassigned), from the table:
 * pgv_optab's fmt column as a scalar array, which the provers can read (the
 * initializer facts of an array of structs with strings are too large for them). */
static const uint8_t dec_fmt1[256] = {
#define PGV_OP(NAME, OPC, FMT, PRIV, CTL, BM, BR, BC, US, SUM) [OPC] = (FMT) + 1,
#include "../spec/opcodes.def"
#undef PGV_OP
};

/*@ ghost
  /@ requires opc < 256;
     assigns \nothing;
     ensures dec_fmt1[opc] == OpFmt(opc) + 1;
  @/
  static void dec_fmt1_fact(uint32_t opc) { }
*/

bool pgv_decode(uint32_t w, pgv_insn *out)
{
    uint32_t opc = PGV_OPC(w);
    //@ ghost dec_fmt1_fact(opc);
    uint32_t f1 = dec_fmt1[opc];
    if (f1 == 0 || (w & pgv_fmt_zero_mask[f1 - 1]) != 0)
        return false;
    uint32_t fmt = f1 - 1;
    //@ assert table_sign: (pgv_fmt_signed[fmt] != 0) <==> SignedImm(fmt) == \true;
    out->opc = opc;
    out->fmt = fmt;
    out->rd = PGV_RD(w);
    out->rs = PGV_RS(w);
    out->rt = PGV_RT(w);
    out->imm = pgv_fmt_signed[fmt] ? sext16(PGV_IMM(w)) : PGV_IMM(w);
    return true;
}

/*@ PGV_TRANSLATE_CONTRACT */
static inline bool translate(uint32_t l, uint32_t b, uint32_t q, uint32_t a, uint32_t *pa)
{
    /* a + l < q as integers: computed in 64 bits, so it cannot wrap (§2.3). */
    if (a < b && (uint64_t)a + l < q) {
        *pa = a + l;
        return true;
    }
    return false;
}

bool pgv_translate(uint32_t l, uint32_t b, uint32_t q, uint32_t a, uint32_t *pa)
{
    return translate(l, b, q, a, pa);
}

bool pgv_is_privileged(uint32_t opc, uint32_t profile)
{
    if (opc >= 256u || profile >= PGV_NPROFILES)
        return false;
    //@ ghost pgv_dec_fact(opc);
    return ((pgv_dec[opc] >> 32) & PGV_PROFILE_BIT(profile)) != 0;   /* the PRIV column */
}

/* §5 the status word of (M, IE, flags, cause): one expression for the trap, RDPSW
 * and pgv_status_word (the proofs match it against spec/psw.acsl's StatusWord). */
/*@ assigns \nothing;
    ensures \result == StatusWord(mode, ie, flags, cause);
*/
static inline uint32_t status_word(uint32_t mode, uint32_t ie, uint32_t flags, uint32_t cause)
{
    return (mode & PGV_ST_M) | ((ie & 1u) << 1) |
           ((flags & PGV_FLAGS_MASK) << PGV_ST_FLAGS_SH) |
           ((cause & PGV_ST_CAUSE_MASK) << PGV_ST_CAUSE_SH);
}

uint32_t pgv_status_word(const pgv_state *s)
{
    return status_word(s->mode, s->ie, s->flags, s->cause);
}

void pgv_init(pgv_state *s, uint32_t *mem, uint32_t q, uint32_t profile, uint32_t entry)
{
    /*@ loop invariant 0 <= i <= PGV_NREGS;
        loop invariant \forall integer k; 0 <= k < i ==> s->r[k] == 0;
        loop assigns i, s->r[0 .. PGV_NREGS - 1];
        loop variant PGV_NREGS - i; */
    for (unsigned i = 0; i < PGV_NREGS; i++)
        s->r[i] = 0;
    s->pc = entry;
    s->l = 0;
    s->b = q;
    s->mode = PGV_MODE_SUP;
    s->ie = 0;
    s->flags = 0;
    s->cause = 0;
    s->timer = 0;
    s->tp = 0;
    s->halted = 0;
    s->profile = profile;
    s->mem = mem;
    s->q = q;
    s->in = 0;
    s->in_len = 0;
    s->in_pos = 0;
    s->out = 0;
    s->out_cap = 0;
    s->out_len = 0;
    s->steps = 0;
}

/* §5.2 The trap: old PSW to E[0..3], info to E[8], new PSW from E[4..7] (absolute). */
/*@ PGV_TRAP_CONTRACT */
static inline void trap_core(pgv_state *s, uint32_t cause, uint32_t info, uint32_t saved_pc)
{
    uint32_t *e = s->mem;
    /* read first (the old PSW from s, the new PSW from E[4..7]), then write */
    uint32_t old_st = status_word(s->mode, s->ie, s->flags, cause);
    uint32_t old_l = s->l, old_b = s->b;
    uint32_t st = e[PGV_NEW_PSW + 0], np = e[PGV_NEW_PSW + 1];
    uint32_t nl = e[PGV_NEW_PSW + 2], nb = e[PGV_NEW_PSW + 3];
    e[PGV_OLD_PSW + 0] = old_st;
    e[PGV_OLD_PSW + 1] = saved_pc;
    e[PGV_OLD_PSW + 2] = old_l;
    e[PGV_OLD_PSW + 3] = old_b;
    e[PGV_TRAP_INFO] = info;
    s->mode = st & PGV_ST_M;
    s->ie = (st >> 1) & 1u;
    s->flags = (st >> PGV_ST_FLAGS_SH) & PGV_FLAGS_MASK;
    s->cause = (st >> PGV_ST_CAUSE_SH) & PGV_ST_CAUSE_MASK;
    s->pc = np;
    s->l = nl;
    s->b = nb;
    //@ assert ranges: s->mode <= 1 && s->ie <= 1 && s->flags <= 7 && s->cause <= 255;
}

void pgv_trap(pgv_state *s, uint32_t cause, uint32_t info, uint32_t saved_pc)
{
    trap_core(s, cause, info, saved_pc);
}

/* §6.2 compare: Z equal, N signed less, C unsigned less. */
/*@ assigns \nothing;
    ensures \result == CompareFlags(a, b);
*/
static inline uint32_t compare_flags(uint32_t a, uint32_t b)
{
    return (a == b ? PGV_FLAG_Z : 0u) |
           ((a ^ 0x80000000u) < (b ^ 0x80000000u) ? PGV_FLAG_N : 0u) |
           (a < b ? PGV_FLAG_C : 0u);
}

/*@ requires n < 32;
    assigns \nothing;
    ensures \result == Sra32(x, n);
*/
static inline uint32_t sra(uint32_t x, uint32_t n)
{
    return (x & 0x80000000u) ? ~(~x >> n) : x >> n;
}

/* §4 The opcode field, as a function so that the proofs see the spec's Opc(w). */
/*@ assigns \nothing;
    ensures \result == Opc(w) && \result < 256;
*/
static inline uint32_t opc_of(uint32_t w)
{
    return PGV_OPC(w);
}

/* §8.1 One step of a machine that is not halted.  Order: timer trap, fetch, decode,
 * privilege, execute.  pgv_step adds the halted check; pgv_run hoists it. */
/*@ PGV_STEP_LIVE_CONTRACT */
static inline __attribute__((always_inline)) pgv_event step_live(pgv_state *s, uint32_t pbit)
{
    uint32_t pc = s->pc;
    uint32_t cause, info, saved = pc;
    if (s->tp && s->ie) {                       /* §5.4: pending timer, IE = 1 */
        s->tp = 0;
        cause = PGV_CAUSE_TIMER;
        info = 0;
        goto trap;
    }
    uint32_t pa;
    if (!translate(s->l, s->b, s->q, pc, &pa)) {   /* §2.3 fetch */
        cause = PGV_CAUSE_BOUNDS;
        info = pc;
        goto trap;
    }
    uint32_t w = s->mem[pa];
    uint32_t opc = opc_of(w);
    uint64_t dec = pgv_dec[opc];        /* zero mask | privilege mask << 32 */
    //@ ghost pgv_dec_fact(opc);
    if ((w & (uint32_t)dec) != 0) {     /* §4.2; unassigned opcodes: switch default */
        cause = PGV_CAUSE_ILLEGAL;
        info = w;
        goto trap;
    }
    /* §5.3: privileged in this profile and M = u.  pbit = PGV_PROFILE_BIT(profile)
     * is computed once per pgv_run (the profile is fixed for a machine's lifetime). */
    if (s->mode == PGV_MODE_USER && ((dec >> 32) & pbit)) {
        cause = PGV_CAUSE_PRIV;
        info = w;
        goto trap;
    }
    {
        uint32_t *r = s->r;
        /* operand fields are extracted inside each case, so an instruction pays only
         * for the fields its format has (§4.1) */
#define RD   r[PGV_RD(w) % PGV_NREGS]   /* % 8: a no-op on a decoded word (§4.2),  */
#define RS   r[PGV_RS(w) % PGV_NREGS]   /* compiled as the field's 3-bit mask; it  */
#define RT   r[PGV_RT(w) % PGV_NREGS]   /* makes r[] in bounds by construction     */
#define IMM  PGV_IMM(w)
#define SIMM sext16(PGV_IMM(w))
        uint32_t next = pc + 1u;
        pgv_event ev = PGV_EV_EXEC;
        switch (opc) {
        case PGV_OPC_NOP:  break;
        case PGV_OPC_ADD:  RD = RS + RT; break;
        case PGV_OPC_SUB:  RD = RS - RT; break;
        case PGV_OPC_AND:  RD = RS & RT; break;
        case PGV_OPC_OR:   RD = RS | RT; break;
        case PGV_OPC_XOR:  RD = RS ^ RT; break;
        case PGV_OPC_SHL:  RD = RS << (RT & 31u); break;
        case PGV_OPC_SHR:  RD = RS >> (RT & 31u); break;
        case PGV_OPC_SRA:  RD = sra(RS, RT & 31u); break;
        case PGV_OPC_MUL:  RD = RS * RT; break;
        case PGV_OPC_DIVU: RD = RT ? RS / RT : 0xFFFFFFFFu; break;
        case PGV_OPC_REMU: RD = RT ? RS % RT : RS; break;
        case PGV_OPC_ADDI: RD = RS + SIMM; break;
        case PGV_OPC_ANDI: RD = RS & IMM; break;
        case PGV_OPC_ORI:  RD = RS | IMM; break;
        case PGV_OPC_XORI: RD = RS ^ IMM; break;
        case PGV_OPC_SHLI: RD = RS << IMM; break;
        case PGV_OPC_SHRI: RD = RS >> IMM; break;
        case PGV_OPC_SRAI: RD = sra(RS, IMM); break;
        case PGV_OPC_LUI:  RD = IMM << 16; break;
        case PGV_OPC_CMP:  s->flags = compare_flags(RS, RT); break;
        case PGV_OPC_CMPI: s->flags = compare_flags(RS, SIMM); break;
        case PGV_OPC_LD:
        case PGV_OPC_ST: {
            uint32_t a = RS + SIMM, da;
            if (!translate(s->l, s->b, s->q, a, &da)) {
                cause = PGV_CAUSE_BOUNDS;
                info = a;
                goto trap;
            }
            if (opc == PGV_OPC_LD)
                RD = s->mem[da];
            else
                s->mem[da] = RD;
            break;
        }
        case PGV_OPC_BR:   next = next + SIMM; break;
        case PGV_OPC_BEQ:  if (s->flags & PGV_FLAG_Z) next = next + SIMM; break;
        case PGV_OPC_BNE:  if (!(s->flags & PGV_FLAG_Z)) next = next + SIMM; break;
        case PGV_OPC_BLT:  if (s->flags & PGV_FLAG_N) next = next + SIMM; break;
        case PGV_OPC_BGE:  if (!(s->flags & PGV_FLAG_N)) next = next + SIMM; break;
        case PGV_OPC_BLTU: if (s->flags & PGV_FLAG_C) next = next + SIMM; break;
        case PGV_OPC_BGEU: if (!(s->flags & PGV_FLAG_C)) next = next + SIMM; break;
        case PGV_OPC_JAL:  RD = next; next = next + SIMM; break;
        case PGV_OPC_JR:   next = RS; break;
        case PGV_OPC_JALR: { uint32_t target = RS; RD = next; next = target; break; }
        case PGV_OPC_SVC:
            cause = PGV_CAUSE_SVC;   /* §5.2: SVC saves P + 1 */
            info = IMM;
            saved = next;
            goto trap;
        case PGV_OPC_HALT:
            s->halted = 1;
            ev = PGV_EV_HALT;
            break;
        case PGV_OPC_LPSW: {
            uint32_t a = RS + SIMM, p0, p1, p2, p3;
            /* all four words must translate: a, a+1, a+2, a+3 < b (as integers) */
            if (a > 0xFFFFFFFCu ||
                !translate(s->l, s->b, s->q, a, &p0) ||
                !translate(s->l, s->b, s->q, a + 1u, &p1) ||
                !translate(s->l, s->b, s->q, a + 2u, &p2) ||
                !translate(s->l, s->b, s->q, a + 3u, &p3)) {
                cause = PGV_CAUSE_BOUNDS;
                info = a;
                goto trap;
            }
            uint32_t st = s->mem[p0];
            next = s->mem[p1];
            uint32_t nl = s->mem[p2], nb = s->mem[p3];
            s->mode = st & PGV_ST_M;
            s->ie = (st >> 1) & 1u;
            s->flags = (st >> PGV_ST_FLAGS_SH) & PGV_FLAGS_MASK;
            s->cause = (st >> PGV_ST_CAUSE_SH) & PGV_ST_CAUSE_MASK;
            s->l = nl;
            s->b = nb;
            break;
        }
        case PGV_OPC_RDPSW: RD = pgv_status_word(s); break;
        case PGV_OPC_SETR: { uint32_t nl = RS, nb = RT; s->l = nl; s->b = nb; break; }
        case PGV_OPC_RDR: { uint32_t ol = s->l, ob = s->b; RD = ol; RS = ob; break; }
        case PGV_OPC_STMR:  /* overrides this step's tick (§5.4) */
            s->timer = RS;
            s->tp = 0;
            s->pc = next;
            s->steps++;
            return PGV_EV_EXEC;
        case PGV_OPC_RDTMR: RD = s->timer; break;
        case PGV_OPC_EI:    s->ie = 1; break;
        case PGV_OPC_DI:    s->ie = 0; break;
        case PGV_OPC_POPF: {
            uint32_t v = RS;
            s->flags = v & PGV_FLAGS_MASK;
            if (s->mode == PGV_MODE_SUP)          /* popf profile, user mode: IE kept */
                s->ie = (v >> PGV_FLAGW_IE_BIT) & 1u;
            break;
        }
        case PGV_OPC_PUSHF: RD = s->flags | (s->ie << PGV_FLAGW_IE_BIT); break;
        case PGV_OPC_JRSTU: next = RS; s->mode = PGV_MODE_USER; break;
        case PGV_OPC_IN:
            if (s->in_pos < s->in_len) {
                RD = s->in[s->in_pos];
                s->in_pos++;
            } else {
                RD = 0xFFFFFFFFu;
            }
            break;
        case PGV_OPC_OUT:
            if (s->out_len < s->out_cap)
                s->out[s->out_len] = RS;
            if (s->out_len != 0xFFFFFFFFu)
                s->out_len++;
            break;
        default:
            /* unassigned opcodes: pgv_dec[] is 0 for them, so they pass the mask check
             * and end here as ILLEGAL (§4.2); every assigned opcode has a case */
            cause = PGV_CAUSE_ILLEGAL;
            info = w;
            goto trap;
        }
        /* §5.4 the tick: every retired instruction but STMR decrements a running
         * timer; reaching 0 sets TP.  RDTMR above read the value before the tick. */
        if (s->timer != 0) {
            s->timer--;
            if (s->timer == 0)
                s->tp = 1;
        }
        s->pc = next;
        s->steps++;
        return ev;
#undef RD
#undef RS
#undef RT
#undef IMM
#undef SIMM
    }
trap:
    trap_core(s, cause, info, saved);
    s->steps++;
    return PGV_EV_TRAP;
}

pgv_event pgv_step(pgv_state *s)
{
    if (s->halted)
        return PGV_EV_IDLE;
    return step_live(s, PGV_PROFILE_BIT(s->profile));
}

pgv_stop pgv_run(pgv_state *s, uint64_t budget, unsigned flags, uint64_t *done)
{
    pgv_state c = *s;
    const uint64_t start = c.steps;
    /* every step adds exactly 1 to c.steps, so after `budget` steps c.steps equals
     * start + budget mod 2^64 — also when the counter wraps */
    const uint64_t limit = start + budget;
    pgv_stop why = PGV_STOP_BUDGET;
    const int stop_on_trap = (flags & PGV_RUN_STOP_ON_TRAP) != 0;
    const uint32_t pbit = PGV_PROFILE_BIT(c.profile);
    if (c.halted) {
        why = PGV_STOP_HALT;
    } else {
        while (c.steps != limit) {
            pgv_event ev = step_live(&c, pbit);
            if (ev != PGV_EV_EXEC) {
                if (ev == PGV_EV_HALT) {
                    why = PGV_STOP_HALT;
                    break;
                }
                if (stop_on_trap && c.mode == PGV_MODE_SUP) {
                    why = PGV_STOP_TRAP;
                    break;
                }
            }
        }
    }
    *s = c;
    if (done)
        *done = c.steps - start;
    return why;
}
