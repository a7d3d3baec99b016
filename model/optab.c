/* model/optab.c — instantiates the opcode table from spec/opcodes.def (ISA manual §4).
 *
 * The only place the X-macro table becomes data: one designated initializer per
 * opcode, and the per-format masks that make every 32-bit word either exactly one
 * instruction or ILLEGAL (§4.2).
 */
#include "optab.h"

const pgv_opinfo pgv_optab[256] = {
#define PGV_OP(NAME, OPC, FMT, PRIV, CTL, BM, BR, BC, US, SUM) \
    [OPC] = { #NAME, FMT, PRIV, CTL, BM, BR, BC, US, SUM },
#include "../spec/opcodes.def"
#undef PGV_OP
};

const uint8_t pgv_op_list[] = {
#define PGV_OP(NAME, OPC, FMT, PRIV, CTL, BM, BR, BC, US, SUM) OPC,
#include "../spec/opcodes.def"
#undef PGV_OP
};
const unsigned pgv_nops = sizeof pgv_op_list / sizeof pgv_op_list[0];

/* §4.2: bits that must be zero, per format.  rd = 23..20, rs = 19..16, rt = 15..12;
 * a used register field must have its top bit (23, 19, 15) clear (r0..r7).        */
#define PGV_ZMASK_FMT_N 0x00FFFFFFu
#define PGV_ZMASK_FMT_D 0x008FFFFFu
#define PGV_ZMASK_FMT_S 0x00F8FFFFu
#define PGV_ZMASK_FMT_DS 0x0088FFFFu
#define PGV_ZMASK_FMT_ST 0x00F88FFFu
#define PGV_ZMASK_FMT_DST 0x00888FFFu
#define PGV_ZMASK_FMT_DSI 0x00880000u
#define PGV_ZMASK_FMT_DSU 0x00880000u
#define PGV_ZMASK_FMT_DSH 0x0088FFE0u
#define PGV_ZMASK_FMT_DI 0x008F0000u
#define PGV_ZMASK_FMT_SI 0x00F80000u
#define PGV_ZMASK_FMT_MEM 0x00880000u
#define PGV_ZMASK_FMT_MEMS 0x00F80000u
#define PGV_ZMASK_FMT_B 0x00FF0000u
#define PGV_ZMASK_FMT_DB 0x008F0000u
#define PGV_ZMASK_FMT_U 0x00FF0000u
const uint32_t pgv_fmt_zero_mask[PGV_NFORMATS] = {
    [FMT_N] = PGV_ZMASK_FMT_N,
    [FMT_D] = PGV_ZMASK_FMT_D,
    [FMT_S] = PGV_ZMASK_FMT_S,
    [FMT_DS] = PGV_ZMASK_FMT_DS,
    [FMT_ST] = PGV_ZMASK_FMT_ST,
    [FMT_DST] = PGV_ZMASK_FMT_DST,
    [FMT_DSI] = PGV_ZMASK_FMT_DSI,
    [FMT_DSU] = PGV_ZMASK_FMT_DSU,
    [FMT_DSH] = PGV_ZMASK_FMT_DSH,
    [FMT_DI] = PGV_ZMASK_FMT_DI,
    [FMT_SI] = PGV_ZMASK_FMT_SI,
    [FMT_MEM] = PGV_ZMASK_FMT_MEM,
    [FMT_MEMS] = PGV_ZMASK_FMT_MEMS,
    [FMT_B] = PGV_ZMASK_FMT_B,
    [FMT_DB] = PGV_ZMASK_FMT_DB,
    [FMT_U] = PGV_ZMASK_FMT_U,
};

const uint8_t pgv_fmt_signed[PGV_NFORMATS] = {
    [FMT_DSI] = 1, [FMT_SI] = 1, [FMT_MEM] = 1, [FMT_MEMS] = 1, [FMT_B] = 1, [FMT_DB] = 1,
};

const char *const pgv_fmt_name[PGV_NFORMATS] = {
    [FMT_N] = "-", [FMT_D] = "rd", [FMT_S] = "rs", [FMT_DS] = "rd, rs", [FMT_ST] = "rs, rt",
    [FMT_DST] = "rd, rs, rt", [FMT_DSI] = "rd, rs, simm", [FMT_DSU] = "rd, rs, uimm",
    [FMT_DSH] = "rd, rs, shamt", [FMT_DI] = "rd, uimm", [FMT_SI] = "rs, simm",
    [FMT_MEM] = "rd, simm(rs)", [FMT_MEMS] = "simm(rs)", [FMT_B] = "target",
    [FMT_DB] = "rd, target", [FMT_U] = "uimm",
};

/* The decoder's compact view of the table, one load per step: bits 0..31 the zero
 * mask of the opcode's format, bits 32..35 PRIV.  Unassigned opcodes are 0 here and
 * reach the step's `default:` case, which raises ILLEGAL (§4.2). */
const uint64_t pgv_dec[256] = {
#define PGV_OP(NAME, OPC, FMT, PRIV, CTL, BM, BR, BC, US, SUM) \
    [OPC] = ((uint64_t)(PRIV) << 32) | PGV_ZMASK_##FMT,
#include "../spec/opcodes.def"
#undef PGV_OP
};
