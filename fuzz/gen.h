/* fuzz/gen.h — random generation of instructions and whole tests from the opcode table.
 *
 * A small deterministic PRNG (splitmix64) and generators that know the instruction
 * classes of spec/opcodes.def (innocuous / sensitive, operand formats) and the input
 * layout of fuzz/input.h, so that generated programs run many steps and reach sensitive
 * instructions in both modes, traps, relocation changes and timer interrupts.  Used by
 * the custom mutator, the seed builder and the fixed-seed smoke run of the driver.
 */
#ifndef PGV_FUZZ_GEN_H
#define PGV_FUZZ_GEN_H

#include <stdint.h>
#include "input.h"

typedef struct pgv_rng { uint64_t s; } pgv_rng;

uint64_t pgv_rng_next(pgv_rng *r);
uint32_t pgv_rng_below(pgv_rng *r, uint32_t n);     /* uniform in [0, n), n > 0        */
int pgv_rng_chance(pgv_rng *r, unsigned percent);

/* Opcode classes, from the table: innocuous = privileged and sensitive in no profile. */
#define PGV_GEN_INNOCUOUS 1u
#define PGV_GEN_SENSITIVE 2u
#define PGV_GEN_ANY       3u
unsigned pgv_gen_class(uint32_t opc);
/* A random assigned opcode of the given classes. */
uint32_t pgv_gen_opcode(pgv_rng *r, unsigned classes);
/* An "interesting" 32-bit value (boundaries, storage addresses, PSW and flag words). */
uint32_t pgv_gen_value(pgv_rng *r, uint32_t q);
/* A random legal instruction with opcode opc at program index pos of n words. */
uint32_t pgv_gen_insn_op(pgv_rng *r, uint32_t opc, uint32_t pos, uint32_t n, uint32_t q);
/* Re-fit w's operands to opcode opc (keeping what fits), legal. */
uint32_t pgv_gen_reshape(uint32_t w, uint32_t opc);

/* Append an idiom (a few instructions exercising one feature: a sensitive instruction
 * with prepared operands, a relocation change, a timer arm, an LPSW of a prepared PSW,
 * a loop, memory traffic...) at prog[*n]; at most `room` words.  Returns words added. */
uint32_t pgv_gen_idiom(pgv_rng *r, uint32_t *prog, uint32_t n, uint32_t room, uint32_t q);

/* A whole random test of up to max_words program words (header biased to deep runs). */
void pgv_gen_test(pgv_rng *r, pgv_fuzz_input *in, uint32_t max_words);

#endif
