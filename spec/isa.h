/* spec/isa.h — the architectural constants of the pgv machine, as C (ISA manual §2–§5).
 *
 * Every number the manual defines lives here once: register count, PSW layout in
 * storage and in the status word, trap causes, low-storage addresses, instruction
 * field positions, operand formats and ISA profiles.  The opcode table itself is
 * spec/opcodes.def; this header gives it the names it uses (FMT_*, P_*).  Plain C,
 * no code: it is included by the model, the VMM, the tools, the fuzzer and Frama-C.
 */
#ifndef PGV_SPEC_ISA_H
#define PGV_SPEC_ISA_H

#include <stdint.h>

/* §2 Machine state ------------------------------------------------------------ */
#define PGV_NREGS        8u          /* general registers r0..r7, 32 bits each      */
#define PGV_MODE_SUP     0u          /* M = s (supervisor)                          */
#define PGV_MODE_USER    1u          /* M = u (user, "problem state")               */
#define PGV_MIN_WORDS    16u         /* q >= 16: low storage must exist             */
#define PGV_MAX_WORDS    (1u << 28)  /* q <= 2^28 words (1 GiB)                     */

/* §3 Flags word (CMP/CMPI write Z N C; POPF/PUSHF see IE at bit 9, as IA-32 IF) -- */
#define PGV_FLAG_Z       1u          /* equal                                        */
#define PGV_FLAG_N       2u          /* signed less-than                             */
#define PGV_FLAG_C       4u          /* unsigned less-than                           */
#define PGV_FLAGS_MASK   7u
#define PGV_FLAGW_IE_BIT 9u          /* IE's position in the POPF/PUSHF flags word   */

/* §5 PSW: four words in storage --------------------------------------------------
 *   word 0  status: bit 0 M, bit 1 IE, bits 4..6 flags, bits 8..15 cause
 *   word 1  P       word 2  l       word 3  b
 * Status bits outside those fields are ignored when a PSW is loaded and are zero
 * when one is stored. */
#define PGV_PSW_WORDS    4u
#define PGV_ST_M         0x1u
#define PGV_ST_IE        0x2u
#define PGV_ST_FLAGS_SH  4u
#define PGV_ST_CAUSE_SH  8u
#define PGV_ST_CAUSE_MASK 0xFFu

/* §5 Low storage (absolute addresses, never relocated) ---------------------------- */
#define PGV_OLD_PSW      0u          /* a trap stores the old PSW at E[0..3]         */
#define PGV_NEW_PSW      4u          /* ... and loads the new PSW from E[4..7]       */
#define PGV_TRAP_INFO    8u          /* ... and stores the trap's info word at E[8]  */

/* §5 Trap causes (the PSW cause field) --------------------------------------------- */
#define PGV_CAUSE_NONE    0u
#define PGV_CAUSE_PRIV    1u         /* privileged instruction in user mode          */
#define PGV_CAUSE_BOUNDS  2u         /* relocation-bounds (memory) trap              */
#define PGV_CAUSE_ILLEGAL 3u         /* the word decodes to no instruction           */
#define PGV_CAUSE_SVC     4u         /* supervisor call                              */
#define PGV_CAUSE_TIMER   5u         /* interval timer expired with IE = 1           */
#define PGV_NCAUSES       6u

/* §4 Instruction word: opcode | rd | rs | rt-or-imm --------------------------------
 *   31..24 opcode   23..20 rd   19..16 rs   15..12 rt (FMT_DST, FMT_ST)
 *   15..0  imm16 (formats with an immediate)                                     */
#define PGV_OPC(w)   ((uint32_t)(w) >> 24)
#define PGV_RD(w)    (((uint32_t)(w) >> 20) & 0xFu)
#define PGV_RS(w)    (((uint32_t)(w) >> 16) & 0xFu)
#define PGV_RT(w)    (((uint32_t)(w) >> 12) & 0xFu)
#define PGV_IMM(w)   ((uint32_t)(w) & 0xFFFFu)
#define PGV_LOW12(w) ((uint32_t)(w) & 0xFFFu)

/* §4 Operand formats.  Fields a format does not name must be zero; register fields
 * must be < 8; a FMT_DSH shift amount must be < 32.  Otherwise: ILLEGAL trap.     */
enum pgv_format {
    FMT_N,     /* (none)                                                      */
    FMT_D,     /* rd                                                          */
    FMT_S,     /* rs                                                          */
    FMT_DS,    /* rd, rs                                                      */
    FMT_ST,    /* rs, rt                                                      */
    FMT_DST,   /* rd, rs, rt                                                  */
    FMT_DSI,   /* rd, rs, simm16                                              */
    FMT_DSU,   /* rd, rs, uimm16                                              */
    FMT_DSH,   /* rd, rs, shamt (imm16 < 32)                                  */
    FMT_DI,    /* rd, uimm16                                                  */
    FMT_SI,    /* rs, simm16                                                  */
    FMT_MEM,   /* rd, simm16(rs)                                              */
    FMT_MEMS,  /* simm16(rs)                                                  */
    FMT_B,     /* target: P + 1 + simm16                                      */
    FMT_DB,    /* rd, target: P + 1 + simm16                                  */
    FMT_U,     /* uimm16                                                      */
    PGV_NFORMATS
};

/* §7 ISA profiles (bit masks, as used by the opcode table's class columns) ------- */
#define P_PG      1u    /* every sensitive instruction privileged (Theorem 1 holds) */
#define P_POPF    2u    /* POPF unprivileged, silently keeps IE in user mode         */
#define P_JRST    4u    /* JRSTU unprivileged: jump and enter user mode (PDP-10)     */
#define P_REDPILL 8u    /* RDR unprivileged: reads the real R (IA-32 SIDT/SMSW)      */
#define P_ALL     15u

enum pgv_profile { PGV_PROFILE_PG, PGV_PROFILE_POPF, PGV_PROFILE_JRST, PGV_PROFILE_REDPILL,
                   PGV_NPROFILES };
#define PGV_PROFILE_BIT(p) (1u << (p))

/* Opcode enumeration, derived from the table: PGV_OPC_ADD = 0x02, ...             */
enum pgv_opcode {
#define PGV_OP(NAME, OPC, FMT, PRIV, CTL, BM, BR, BC, US, SUM) PGV_OPC_##NAME = OPC,
#include "opcodes.def"
#undef PGV_OP
    PGV_OPC_NONE_ = 0x100
};

#endif /* PGV_SPEC_ISA_H */
