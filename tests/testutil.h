/* tests/testutil.h — shared helpers for the cmocka unit tests.
 *
 * Encoding instruction words from the opcode table's fields and booting a small
 * machine, so that tests state programs compactly.  Include after cmocka.h.
 */
#ifndef PGV_TESTS_TESTUTIL_H
#define PGV_TESTS_TESTUTIL_H

#include <stdint.h>
#include <string.h>
#include "model/pgv.h"

/* An instruction word from its fields (ISA §4.1); imm is truncated to 16 bits. */
static inline uint32_t enc(uint32_t opc, uint32_t rd, uint32_t rs, uint32_t rt, uint32_t imm)
{
    return opc << 24 | (rd & 15u) << 20 | (rs & 15u) << 16 | (rt & 15u) << 12 | (imm & 0xFFFFu);
}
static inline uint32_t enc_i(uint32_t opc, uint32_t rd, uint32_t rs, uint32_t imm)
{
    return opc << 24 | (rd & 15u) << 20 | (rs & 15u) << 16 | (imm & 0xFFFFu);
}

#endif
