/* fuzz/input.h — the fuzzer's input format: how a byte string becomes a differential test.
 *
 * Every byte string of at least PGV_FUZZ_HEADER bytes is one valid test; shorter ones
 * are rejected as too short, nothing else is ever rejected.  The carving is fixed and
 * deterministic (fuzz/README.md §Input format): a 44-byte header (VMM configuration,
 * initial PSW, budget, timer, relocation, trap-handler recipe, sizes, registers), then
 * optional trap-handler words, input-tape words and finally the program words.  The
 * codec has three layers: parse/serialize (bytes <-> the raw fields, exact inverse up to
 * a trailing partial word and the caps), resolve (raw fields + the campaign's fixed
 * options -> concrete test parameters) and build (lay out guest storage and the initial
 * native state).  The custom mutator, the seed builder, the harness and `pgv replay` all
 * go through this one codec.  No allocation; the caller owns every buffer.
 */
#ifndef PGV_FUZZ_INPUT_H
#define PGV_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include "../model/pgv.h"

/* Header layout (byte offsets).  Multi-byte fields are little-endian. */
#define PGV_FUZZ_OFF_CFG      0   /* profile:2 hybrid:1 depth-1:2 vms-1:3                */
#define PGV_FUZZ_OFF_PSW      1   /* M:1 IE:1 flags:3 raw:1 TP:1 image:1                  */
#define PGV_FUZZ_OFF_BUDGET   2   /* 16 bits: budget = 1 + v % max_budget                */
#define PGV_FUZZ_OFF_TIMER    4   /* initial T                                            */
#define PGV_FUZZ_OFF_RELOC    5   /* l choice:3 b choice:3 prepared-PSW choice:2          */
#define PGV_FUZZ_OFF_HANDLER  6   /* trap-handler recipe (PGV_FUZZ_H_*)                   */
#define PGV_FUZZ_OFF_LIMIT    7   /* trap count before the handler halts (0 = 256)        */
#define PGV_FUZZ_OFF_REARM    8   /* value the handler writes to the timer                */
#define PGV_FUZZ_OFF_SIZES    9   /* tape words:4 extra storage/16:4                      */
#define PGV_FUZZ_OFF_HLEN    10   /* custom handler words - 1 :5, image entry bits 8..10 :3 */
#define PGV_FUZZ_OFF_RSVD    11   /* image entry bits 0..7                                */
#define PGV_FUZZ_OFF_REGS    12   /* r0..r7, 4 bytes each                                 */
#define PGV_FUZZ_HEADER      44

/* Header bits. */
#define PGV_FUZZ_PSW_USER     0x01u
#define PGV_FUZZ_PSW_IE       0x02u
#define PGV_FUZZ_PSW_FLAGS_SH 2u
#define PGV_FUZZ_PSW_RAW      0x20u   /* program words are taken as they are (else legalized) */
#define PGV_FUZZ_PSW_TP       0x40u
#define PGV_FUZZ_PSW_IMAGE    0x80u   /* image mode: the program words ARE storage from
                                         address 0 (own low storage, PSWs, handlers, data),
                                         taken raw; P = entry; no generated handler      */

#define PGV_FUZZ_H_COUNT      0x01u   /* count traps; HALT when the count reaches the limit */
#define PGV_FUZZ_H_REARM      0x02u   /* reload the timer from E[9] on every trap          */
#define PGV_FUZZ_H_TOUSER     0x04u   /* return to user mode (sets M in the old PSW)       */
#define PGV_FUZZ_H_NEWIE      0x08u   /* new PSW has IE = 1 (timer traps nest)             */
#define PGV_FUZZ_H_NEWUSER    0x10u   /* new PSW has M = u (the handler runs in user mode) */
#define PGV_FUZZ_H_CUSTOM     0x20u   /* handler words come from the input                 */
#define PGV_FUZZ_H_POLICY_SH  6u      /* resume policy, bits 6..7 (PGV_FUZZ_RESUME_*)      */
enum { PGV_FUZZ_RESUME_SKIP_FAULT = 0,   /* PRIV/BOUNDS/ILLEGAL: P+1; SVC/TIMER: P  */
       PGV_FUZZ_RESUME_RETRY = 1,        /* always return to the saved P           */
       PGV_FUZZ_RESUME_SKIP = 2,         /* always saved P + 1                      */
       PGV_FUZZ_RESUME_HALT = 3 };       /* HALT on the first trap                   */

/* Guest storage layout (absolute word addresses). */
#define PGV_FUZZ_REARM_ADDR   9u
#define PGV_FUZZ_LIMIT_ADDR  10u
#define PGV_FUZZ_PSW_ADDR    12u      /* a prepared PSW (4 words) the program may LPSW    */
#define PGV_FUZZ_HANDLER     16u      /* trap handler region                              */
#define PGV_FUZZ_MAX_HANDLER 32u
#define PGV_FUZZ_ORIGIN      48u      /* program origin                                   */
#define PGV_FUZZ_MAX_TAPE    15u
#define PGV_FUZZ_MAX_PROG    1024u
#define PGV_FUZZ_OUT_CAP     64u
#define PGV_FUZZ_MIN_DATA    16u
#define PGV_FUZZ_MAX_Q       (PGV_FUZZ_ORIGIN + PGV_FUZZ_MAX_PROG + PGV_FUZZ_MIN_DATA + 15u * 16u)
#define PGV_FUZZ_MAX_INPUT   (PGV_FUZZ_HEADER + 4u * (PGV_FUZZ_MAX_HANDLER + PGV_FUZZ_MAX_TAPE + PGV_FUZZ_MAX_PROG))
#define PGV_FUZZ_DEFAULT_BUDGET 10000u

/* The carved input, field by field, as raw as the bytes (so serialize inverts parse). */
typedef struct pgv_fuzz_input {
    uint8_t cfg, psw, timer, reloc, handler, limit, rearm, sizes, hlen, rsvd;
    uint16_t budget;
    uint32_t r[PGV_NREGS];
    uint32_t nhandler;                       /* custom handler words present           */
    uint32_t handler_w[PGV_FUZZ_MAX_HANDLER];
    uint32_t ntape;
    uint32_t tape[PGV_FUZZ_MAX_TAPE];
    uint32_t nprog;
    uint32_t prog[PGV_FUZZ_MAX_PROG];
} pgv_fuzz_input;

/* What a campaign fixes (-1 / 0: taken from the input).  pgv_fuzz_opts_env fills it from
 * FUZZ_PROFILE, FUZZ_VMM (plain|hybrid), FUZZ_DEPTH, FUZZ_VMS, FUZZ_BUDGET, FUZZ_SLICE. */
typedef struct pgv_fuzz_opts {
    int profile;          /* enum pgv_profile or -1                                   */
    int hybrid;           /* 0, 1 or -1                                               */
    int depth;            /* 1..PGV_VMM_MAX_DEPTH or -1                                */
    int vms;              /* 1..PGV_VMM_MAX_VMS or -1                                  */
    long budget;          /* > 0: every test runs exactly this budget                  */
    uint32_t max_budget;  /* modulus for the carved budget (0: PGV_FUZZ_DEFAULT_BUDGET) */
    uint32_t slice;       /* VMM quantum (0: the VMM's default)                         */
    int verbose;          /* harness: print the test and the first divergence           */
} pgv_fuzz_opts;

/* Concrete parameters of one test, after the options are applied. */
typedef struct pgv_fuzz_test {
    uint32_t profile, hybrid, depth, vms, slice;
    uint64_t budget;
    uint32_t q;                    /* guest storage words                              */
    uint32_t nprog, nhandler, ntape;
    uint32_t handler_len;          /* words of handler code placed at PGV_FUZZ_HANDLER  */
    uint32_t l, b, pc, mode, ie, flags, tp, timer;
    int legalize;
    int image;                     /* image mode (PGV_FUZZ_PSW_IMAGE)                  */
    uint32_t origin;               /* where the program words go: 48, or 0 (image)     */
} pgv_fuzz_test;

/* The fixed options as nothing fixed. */
void pgv_fuzz_opts_default(pgv_fuzz_opts *o);
/* Read FUZZ_* from the environment into o (unset variables leave o alone).  Returns 0,
 * or 2 with a message in err for a malformed value.                                   */
int pgv_fuzz_opts_env(pgv_fuzz_opts *o, char *err, size_t errlen);
/* Parse one option value: "profile" "vmm" "depth" "vms" "budget" "slice".  0 or 2.    */
int pgv_fuzz_opts_set(pgv_fuzz_opts *o, const char *key, const char *val, char *err, size_t errlen);

/* bytes -> raw fields.  0, or -1 if size < PGV_FUZZ_HEADER (the only rejection).       */
int pgv_fuzz_parse(const uint8_t *data, size_t size, pgv_fuzz_input *in);
/* raw fields -> bytes; returns the length written, or 0 if cap is too small.           */
size_t pgv_fuzz_serialize(const pgv_fuzz_input *in, uint8_t *buf, size_t cap);
/* raw fields + options -> concrete parameters.                                         */
void pgv_fuzz_resolve(const pgv_fuzz_input *in, const pgv_fuzz_opts *o, pgv_fuzz_test *t);
/* Write the options' fixed values into the raw header so that resolving without options
 * gives the same test (for self-contained regression inputs).  Returns 0, or -1 if the
 * fixed budget cannot be expressed (> PGV_FUZZ_DEFAULT_BUDGET).                         */
int pgv_fuzz_bake(pgv_fuzz_input *in, const pgv_fuzz_opts *o);
/* Lay out guest storage mem[0..t->q) (zeroed here), the output buffer and the initial
 * native state s (which points at mem, in->tape and out).                              */
void pgv_fuzz_build(const pgv_fuzz_input *in, const pgv_fuzz_test *t, uint32_t *mem,
                    uint32_t *out, pgv_state *s);

/* The legal word closest to w: the format's must-be-zero bits cleared (unassigned
 * opcodes are left alone and stay ILLEGAL).                                            */
uint32_t pgv_fuzz_legalize(uint32_t w);
/* The generated trap handler of a recipe byte (not PGV_FUZZ_H_CUSTOM): writes at most
 * PGV_FUZZ_MAX_HANDLER words to w, returns the count.                                  */
uint32_t pgv_fuzz_handler_template(uint8_t recipe, uint32_t *w);
/* Encode an instruction word from its fields (ISA §4; imm truncated to 16 bits).       */
uint32_t pgv_fuzz_enc(uint32_t opc, uint32_t rd, uint32_t rs, uint32_t rt, uint32_t imm);

#endif
