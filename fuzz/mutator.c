/* fuzz/mutator.c — the AFL++ custom mutator: instruction-level mutation of pgv fuzz inputs.
 *
 * Built as build/pgv-mutator.so and loaded with AFL_CUSTOM_MUTATOR_LIBRARY.  Each call
 * parses the input with the fuzzer's codec (fuzz/input.h), applies one to four
 * structure-aware mutations and serializes the result, so that every output is a valid
 * test.  Mutations are derived from the opcode table (model/optab.h <- spec/opcodes.def):
 * replace an opcode within its class (innocuous / sensitive) or across classes with the
 * operands re-fitted to the new format, change a register field or an immediate (to
 * boundary and layout values), insert a generated instruction or idiom (a sensitive
 * instruction with prepared operands, SETR, a timer arm, LPSW of a prepared PSW...),
 * delete, duplicate or swap instructions, splice program words from another corpus
 * entry, mutate PSW words (an image's new PSW at storage words 4..7, or the generated
 * new PSW's mode/IE and the prepared PSW), and mutate the header (initial PSW, budget, timer, relocation, trap-handler
 * recipe, registers, tape).  AFL++ keeps its own byte-level havoc as well unless
 * AFL_CUSTOM_MUTATOR_ONLY is set.
 */
#include <stdlib.h>
#include <string.h>
#include "gen.h"
#include "input.h"
#include "../model/optab.h"

typedef struct pgv_mutator {
    pgv_rng r;
    pgv_fuzz_input in, other;
    uint8_t out[PGV_FUZZ_MAX_INPUT];
    const char *last;
} pgv_mutator;

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
const char *afl_custom_describe(void *data, size_t max_description_len);
void afl_custom_deinit(void *data);

void *afl_custom_init(void *afl, unsigned int seed)
{
    (void)afl;
    pgv_mutator *m = calloc(1, sizeof *m);
    if (!m)
        return 0;
    m->r.s = 0x5047560000000000ull ^ seed;
    m->last = "none";
    return m;
}

void afl_custom_deinit(void *data)
{
    free(data);
}

const char *afl_custom_describe(void *data, size_t max_description_len)
{
    pgv_mutator *m = data;
    (void)max_description_len;
    return m->last;
}

static uint32_t cur_q(const pgv_fuzz_input *in)
{
    return PGV_FUZZ_ORIGIN + in->nprog + PGV_FUZZ_MIN_DATA + 16u * (uint32_t)(in->sizes >> 4);
}

static void insert_words(pgv_fuzz_input *in, uint32_t at, const uint32_t *w, uint32_t n)
{
    if (in->nprog + n > PGV_FUZZ_MAX_PROG)
        n = PGV_FUZZ_MAX_PROG - in->nprog;
    if (at > in->nprog)
        at = in->nprog;
    memmove(in->prog + at + n, in->prog + at, (in->nprog - at) * sizeof *w);
    memcpy(in->prog + at, w, n * sizeof *w);
    in->nprog += n;
}

static void delete_words(pgv_fuzz_input *in, uint32_t at, uint32_t n)
{
    if (at >= in->nprog)
        return;
    if (at + n > in->nprog)
        n = in->nprog - at;
    memmove(in->prog + at, in->prog + at + n, (in->nprog - at - n) * sizeof *in->prog);
    in->nprog -= n;
}

static uint32_t interesting_imm(pgv_rng *r, uint32_t old, uint32_t q)
{
    switch (pgv_rng_below(r, 10)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return 0xFFFFu;
    case 3: return 0x7FFFu;
    case 4: return 0x8000u;
    case 5: return old + 1u;
    case 6: return old - 1u;
    case 7: return pgv_rng_below(r, 16);                 /* low storage, PSW words  */
    case 8: return pgv_rng_below(r, q + 8);              /* storage, past its end   */
    default: return pgv_rng_below(r, 0x10000);
    }
}

static void mutate_once(pgv_mutator *m, pgv_fuzz_input *in, const uint8_t *add, size_t addn)
{
    pgv_rng *r = &m->r;
    uint32_t q = cur_q(in);
    uint32_t n = in->nprog;
    uint32_t i = n ? pgv_rng_below(r, n) : 0;
    unsigned op = pgv_rng_below(r, 100);
    if (n == 0 && op < 50)
        op = 50;   /* nothing to change in place: insert */
    if (op < 12) {                                   /* opcode within its class */
        uint32_t opc = PGV_OPC(in->prog[i]);
        unsigned cls = pgv_gen_class(opc);
        in->prog[i] = pgv_gen_reshape(in->prog[i], pgv_gen_opcode(r, cls ? cls : PGV_GEN_ANY));
        m->last = "opcode-in-class";
    } else if (op < 20) {                            /* opcode across classes */
        unsigned cls = pgv_gen_class(PGV_OPC(in->prog[i]));
        unsigned want = cls == PGV_GEN_SENSITIVE ? PGV_GEN_INNOCUOUS : PGV_GEN_SENSITIVE;
        in->prog[i] = pgv_gen_reshape(in->prog[i], pgv_gen_opcode(r, want));
        m->last = "opcode-cross-class";
    } else if (op < 30) {                            /* a register field */
        static const unsigned sh[3] = {20, 16, 12};
        unsigned f = sh[pgv_rng_below(r, 3)];
        uint32_t w = (in->prog[i] & ~(15u << f)) | pgv_rng_below(r, 8) << f;
        in->prog[i] = pgv_gen_reshape(w, PGV_OPC(w));
        m->last = "register";
    } else if (op < 42) {                            /* the immediate */
        uint32_t w = in->prog[i];
        w = (w & 0xFFFF0000u) | (interesting_imm(r, w & 0xFFFFu, q) & 0xFFFFu);
        in->prog[i] = pgv_gen_reshape(w, PGV_OPC(w));
        m->last = "immediate";
    } else if (op < 50) {                            /* delete / duplicate / swap */
        unsigned k = pgv_rng_below(r, 3);
        if (k == 0 && n > 1) {
            delete_words(in, i, 1 + pgv_rng_below(r, 4));
            m->last = "delete";
        } else if (k == 1) {
            uint32_t len = 1 + pgv_rng_below(r, 8), tmp[8];
            if (i + len > n)
                len = n - i;
            memcpy(tmp, in->prog + i, len * sizeof *tmp);
            insert_words(in, pgv_rng_below(r, n + 1), tmp, len);
            m->last = "duplicate";
        } else {
            uint32_t j = pgv_rng_below(r, n), t = in->prog[i];
            in->prog[i] = in->prog[j];
            in->prog[j] = t;
            m->last = "swap";
        }
    } else if (op < 58) {                            /* insert a generated instruction */
        uint32_t at = pgv_rng_below(r, n + 1);
        uint32_t w = pgv_gen_insn_op(r, pgv_gen_opcode(r, pgv_rng_chance(r, 50) ? PGV_GEN_SENSITIVE
                                                                               : PGV_GEN_ANY),
                                     at, n + 1, q);
        insert_words(in, at, &w, 1);
        m->last = "insert-insn";
    } else if (op < 68) {                            /* insert an idiom */
        uint32_t tmp[16];
        uint32_t at = pgv_rng_below(r, n + 1);
        uint32_t k = pgv_gen_idiom(r, tmp, 0, 16, q);
        insert_words(in, at, tmp, k);
        m->last = "insert-idiom";
    } else if (op < 72) {                            /* splice from another entry */
        if (add && pgv_fuzz_parse(add, addn, &m->other) == 0 && m->other.nprog > 0) {
            uint32_t from = pgv_rng_below(r, m->other.nprog);
            uint32_t len = 1 + pgv_rng_below(r, 16);
            if (from + len > m->other.nprog)
                len = m->other.nprog - from;
            uint32_t at = pgv_rng_below(r, n + 1);
            if (pgv_rng_chance(r, 50)) {
                insert_words(in, at, m->other.prog + from, len);
            } else {
                for (uint32_t k = 0; k < len && at + k < in->nprog; k++)
                    in->prog[at + k] = m->other.prog[from + k];
            }
            m->last = "splice";
        }
    } else if (op < 75) {                            /* PSW words: the new PSW / a prepared PSW */
        if (in->psw & PGV_FUZZ_PSW_IMAGE) {
            /* image mode: storage words 4..7 are the new PSW (status, P, l, b) */
            while (in->nprog < PGV_NEW_PSW + PGV_PSW_WORDS)
                in->prog[in->nprog++] = 0;
            uint32_t k = pgv_rng_below(r, PGV_PSW_WORDS), *w = &in->prog[PGV_NEW_PSW + k];
            if (k == 0)
                *w ^= pgv_rng_chance(r, 50) ? PGV_ST_M : PGV_ST_IE;
            else if (k == 1)
                *w = pgv_rng_chance(r, 50) ? *w + pgv_rng_below(r, 5) - 2u : pgv_rng_below(r, in->nprog);
            else
                *w = pgv_gen_value(r, q);
        } else if (pgv_rng_chance(r, 50)) {
            in->handler ^= pgv_rng_chance(r, 50) ? PGV_FUZZ_H_NEWUSER : PGV_FUZZ_H_NEWIE;
        } else {
            in->reloc = (uint8_t)((in->reloc & 0x3Fu) | pgv_rng_below(r, 4) << 6);
        }
        m->last = "psw-words";
    } else if (op < 78) {                            /* initial PSW bits */
        static const uint8_t bits[] = {PGV_FUZZ_PSW_USER, PGV_FUZZ_PSW_IE, 1u << PGV_FUZZ_PSW_FLAGS_SH,
                                       2u << PGV_FUZZ_PSW_FLAGS_SH, 4u << PGV_FUZZ_PSW_FLAGS_SH,
                                       PGV_FUZZ_PSW_TP, PGV_FUZZ_PSW_RAW, PGV_FUZZ_PSW_IMAGE};
        in->psw ^= bits[pgv_rng_below(r, sizeof bits)];
        m->last = "psw";
    } else if (op < 84) {                            /* budget, timer, relocation, sizes */
        switch (pgv_rng_below(r, 4)) {
        case 0: in->budget = (uint16_t)pgv_rng_below(r, 0x10000); break;
        case 1: in->timer = pgv_rng_chance(r, 30) ? 0 : (uint8_t)(1 + pgv_rng_below(r, 255)); break;
        case 2: in->reloc = (uint8_t)pgv_rng_below(r, 256); break;
        default: in->sizes = (uint8_t)((in->sizes & 15u) | pgv_rng_below(r, 16) << 4); break;
        }
        m->last = "header";
    } else if (op < 89) {                            /* trap-handler recipe */
        switch (pgv_rng_below(r, 4)) {
        case 0: in->handler ^= (uint8_t)(1u << pgv_rng_below(r, 8)); break;
        case 1: in->limit = (uint8_t)pgv_rng_below(r, 256); break;
        case 2: in->rearm = (uint8_t)pgv_rng_below(r, 64); break;
        default:
            if (!(in->handler & PGV_FUZZ_H_CUSTOM)) {
                in->nhandler = pgv_fuzz_handler_template(in->handler, in->handler_w);
                in->hlen = (uint8_t)(in->nhandler - 1u);
                in->handler |= PGV_FUZZ_H_CUSTOM;
            }
            if (in->nhandler > 0) {
                uint32_t k = pgv_rng_below(r, in->nhandler);
                in->handler_w[k] = pgv_gen_insn_op(r, pgv_gen_opcode(r, PGV_GEN_ANY), k, in->nhandler, q);
            }
            break;
        }
        m->last = "handler";
    } else if (op < 95) {                            /* a register value */
        in->r[pgv_rng_below(r, PGV_NREGS)] = pgv_gen_value(r, q);
        m->last = "regval";
    } else if (op < 97) {                            /* tape */
        if (in->ntape < PGV_FUZZ_MAX_TAPE && pgv_rng_chance(r, 50))
            in->tape[in->ntape++] = pgv_gen_value(r, q);
        else if (in->ntape > 0)
            in->tape[pgv_rng_below(r, in->ntape)] = pgv_gen_value(r, q);
        in->sizes = (uint8_t)((in->sizes & 0xF0u) | in->ntape);
        m->last = "tape";
    } else if (op < 99) {                            /* a raw word (mostly ILLEGAL) */
        in->prog[i] = (uint32_t)pgv_rng_next(r);
        m->last = "raw-word";
    } else {                                         /* the configuration byte */
        in->cfg = (uint8_t)pgv_rng_below(r, 256);
        m->last = "cfg";
    }
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
    pgv_mutator *m = data;
    pgv_fuzz_input *in = &m->in;
    if (pgv_fuzz_parse(buf, buf_size, in) != 0 || pgv_rng_chance(&m->r, 1)) {
        pgv_gen_test(&m->r, in, 64);
        m->last = "generate";
    } else {
        unsigned k = 1 + pgv_rng_below(&m->r, 4);
        for (unsigned j = 0; j < k; j++)
            mutate_once(m, in, add_buf, add_buf_size);
    }
    size_t cap = max_size < sizeof m->out ? max_size : sizeof m->out;
    size_t n;
    while ((n = pgv_fuzz_serialize(in, m->out, cap)) == 0 && in->nprog > 0)
        in->nprog = in->nprog / 2;
    if (n == 0) {   /* even the header does not fit: hand back the input unchanged */
        n = buf_size < cap ? buf_size : cap;
        memcpy(m->out, buf, n);
    }
    *out_buf = m->out;
    return n;
}
