/* model/optab.h — the opcode table of spec/opcodes.def as a C array (ISA manual §4, §7).
 *
 * pgv_optab[opc] holds, for every 8-bit opcode, whether it is assigned, its
 * mnemonic, operand format and the manual's classification masks.  It is generated
 * by the preprocessor from spec/opcodes.def, so the decoder, the assembler, the
 * disassembler, the classifier and the fuzzer all read one table.
 * pgv_fmt_zero_mask[fmt] gives the bits that must be zero in a legal word of that
 * format (unused fields, the high bit of each 4-bit register field, shift bits).
 */
#ifndef PGV_MODEL_OPTAB_H
#define PGV_MODEL_OPTAB_H

#include <stdint.h>
#include "../spec/isa.h"

typedef struct pgv_opinfo {
    const char *name;     /* NULL: unassigned opcode (ILLEGAL)                     */
    uint8_t fmt;          /* enum pgv_format                                       */
    uint8_t priv;         /* profile masks, as the table's columns                 */
    uint8_t ctl, beh_m, beh_r, beh_c, usens;
    const char *summary;
} pgv_opinfo;

extern const pgv_opinfo pgv_optab[256];
extern const uint32_t pgv_fmt_zero_mask[PGV_NFORMATS];
extern const uint8_t pgv_fmt_signed[PGV_NFORMATS];   /* 1: imm16 is sign-extended */
extern const uint64_t pgv_dec[256];            /* zero mask | PRIV << 32 (decoder) */
extern const char *const pgv_fmt_name[PGV_NFORMATS];

/* Number of assigned opcodes, and their list in table order. */
extern const unsigned pgv_nops;
extern const uint8_t pgv_op_list[];

#endif
