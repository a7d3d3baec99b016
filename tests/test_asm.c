/* tests/test_asm.c — the assembler and disassembler (tools/asm.c, tools/disasm.c; spec/ASSEMBLY.md, ISA §4, §5).
 *
 * Every operand format against words encoded independently from the manual's field
 * layout (§4: opcode 31..24, rd 23..20, rs 19..16, rt 15..12, imm 15..0, via
 * tests/testutil.h), every table entry through the assembler and back through the
 * decoder, every directive and pseudo-instruction, expressions and their precedence,
 * immediate and branch ranges at their exact edges, every error message with its exact
 * file:line:col, the disassembler's text, and the round-trip property: assembling the
 * disassembly of ANY image (the examples, thousands of random-word images, thousands
 * of random legal instructions built from the table) gives the identical image.  A
 * fuzz loop feeds random garbage and mutated examples to the parser: it must answer
 * 0 or 2 with a well-formed message, never crash (run under ASan/UBSan too).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include "tools/image.h"
#include "model/optab.h"

/* ---------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------- */

static char errbuf[1024];

static void asm_ok(const char *src, pgv_image *img)
{
    int rc = pgv_asm_string(src, "t.s", img, errbuf, sizeof errbuf);
    if (rc != 0)
        print_error("unexpected error for:\n%s\n-> %s\n", src, errbuf);
    assert_int_equal(rc, 0);
}

/* The single word `src` assembles to. */
static uint32_t word_of(const char *src)
{
    pgv_image img;
    asm_ok(src, &img);
    assert_int_equal(img.len, 1);
    uint32_t w = img.words[0];
    pgv_image_free(&img);
    return w;
}

static void asm_err(const char *src, const char *expected)
{
    pgv_image img;
    int rc = pgv_asm_string(src, "t.s", &img, errbuf, sizeof errbuf);
    if (rc != 2 || strcmp(errbuf, expected) != 0)
        print_error("source:\n%s\nexpected: %s\n     got: %s (rc %d)\n", src, expected,
                    rc ? errbuf : "(no error)", rc);
    assert_int_equal(rc, 2);
    assert_string_equal(errbuf, expected);
    assert_null(img.words);
    pgv_image_free(&img);
}

static void expect_words(const char *src, uint32_t origin, uint32_t entry, uint32_t n,
                         const uint32_t *w)
{
    pgv_image img;
    asm_ok(src, &img);
    assert_int_equal(img.origin, origin);
    assert_int_equal(img.entry, entry);
    assert_int_equal(img.len, n);
    for (uint32_t i = 0; i < n; i++) {
        if (img.words[i] != w[i])
            print_error("word %u: expected 0x%08X, got 0x%08X\n", i, w[i], img.words[i]);
        assert_int_equal(img.words[i], w[i]);
    }
    pgv_image_free(&img);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/* Disassemble img into a malloc'd string. */
static char *disasm_to_string(const pgv_image *img)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    pgv_disasm_image(img, f);
    fclose(f);
    return buf;
}

/* assemble(disasm(img)) == img, field by field and word by word. */
static void check_roundtrip(const pgv_image *img)
{
    char *text = disasm_to_string(img);
    pgv_image back;
    int rc = pgv_asm_string(text, "disasm.s", &back, errbuf, sizeof errbuf);
    if (rc)
        print_error("reassembly failed: %s\n", errbuf);
    assert_int_equal(rc, 0);
    assert_int_equal(back.origin, img->origin);
    assert_int_equal(back.entry, img->entry);
    assert_int_equal(back.len, img->len);
    for (uint32_t i = 0; i < img->len; i++) {
        if (back.words[i] != img->words[i])
            print_error("address 0x%X: 0x%08X came back as 0x%08X\n%s", img->origin + i,
                        img->words[i], back.words[i], text);
        assert_int_equal(back.words[i], img->words[i]);
    }
    pgv_image_free(&back);
    free(text);
}

/* ---------------------------------------------------------------------------------
 * Formats (§4), each against an independently encoded word
 * ------------------------------------------------------------------------------- */

static void test_formats(void **st)
{
    (void)st;
    assert_int_equal(word_of("NOP"), enc(PGV_OPC_NOP, 0, 0, 0, 0));
    assert_int_equal(word_of("HALT"), enc(PGV_OPC_HALT, 0, 0, 0, 0));
    assert_int_equal(word_of("RDPSW r5"), enc(PGV_OPC_RDPSW, 5, 0, 0, 0));     /* D    */
    assert_int_equal(word_of("STMR r6"), enc(PGV_OPC_STMR, 0, 6, 0, 0));       /* S    */
    assert_int_equal(word_of("JR r7"), enc(PGV_OPC_JR, 0, 7, 0, 0));
    assert_int_equal(word_of("RDR r1, r2"), enc(PGV_OPC_RDR, 1, 2, 0, 0));     /* DS   */
    assert_int_equal(word_of("JALR r3, r3"), enc(PGV_OPC_JALR, 3, 3, 0, 0));
    assert_int_equal(word_of("SETR r1, r2"), enc(PGV_OPC_SETR, 0, 1, 2, 0));   /* ST   */
    assert_int_equal(word_of("CMP r3, r4"), enc(PGV_OPC_CMP, 0, 3, 4, 0));
    assert_int_equal(word_of("ADD r1, r2, r3"), enc(PGV_OPC_ADD, 1, 2, 3, 0)); /* DST  */
    assert_int_equal(word_of("REMU r7, r6, r5"), enc(PGV_OPC_REMU, 7, 6, 5, 0));
    assert_int_equal(word_of("ADDI r1, r2, -5"), enc_i(PGV_OPC_ADDI, 1, 2, 0xFFFB)); /* DSI */
    assert_int_equal(word_of("ANDI r7, r0, 0xFFFF"), enc_i(PGV_OPC_ANDI, 7, 0, 0xFFFF)); /* DSU */
    assert_int_equal(word_of("SHLI r1, r2, 31"), enc_i(PGV_OPC_SHLI, 1, 2, 31)); /* DSH  */
    assert_int_equal(word_of("SRAI r1, r2, 0"), enc_i(PGV_OPC_SRAI, 1, 2, 0));
    assert_int_equal(word_of("LUI r1, 0x1234"), enc_i(PGV_OPC_LUI, 1, 0, 0x1234)); /* DI */
    assert_int_equal(word_of("CMPI r1, 7"), enc_i(PGV_OPC_CMPI, 0, 1, 7));      /* SI   */
    assert_int_equal(word_of("CMPI r1, -32768"), enc_i(PGV_OPC_CMPI, 0, 1, 0x8000));
    assert_int_equal(word_of("LD r1, 4(r2)"), enc_i(PGV_OPC_LD, 1, 2, 4));      /* MEM  */
    assert_int_equal(word_of("ST r1, -1(r0)"), enc_i(PGV_OPC_ST, 1, 0, 0xFFFF));
    assert_int_equal(word_of("LD r1, (r2)"), enc_i(PGV_OPC_LD, 1, 2, 0));
    assert_int_equal(word_of("LD r1, (2+2)(r2)"), enc_i(PGV_OPC_LD, 1, 2, 4));
    assert_int_equal(word_of("LPSW 0(r3)"), enc_i(PGV_OPC_LPSW, 0, 3, 0));      /* MEMS */
    assert_int_equal(word_of("LPSW -4(r3)"), enc_i(PGV_OPC_LPSW, 0, 3, 0xFFFC));
    assert_int_equal(word_of("SVC 3"), enc_i(PGV_OPC_SVC, 0, 0, 3));            /* U    */
    assert_int_equal(word_of("SVC 65535"), enc_i(PGV_OPC_SVC, 0, 0, 0xFFFF));
    /* B and DB: target absolute, encoded as target - (P + 1) */
    assert_int_equal(word_of("BR ."), enc_i(PGV_OPC_BR, 0, 0, 0xFFFF));
    assert_int_equal(word_of("BEQ .+1"), enc_i(PGV_OPC_BEQ, 0, 0, 0));
    assert_int_equal(word_of(".org 0x100\nBNE 0x200"), enc_i(PGV_OPC_BNE, 0, 0, 0xFF));
    assert_int_equal(word_of(".org 0x100\nJAL r7, 0x80"),
                     enc_i(PGV_OPC_JAL, 7, 0, (uint32_t)(0x80 - 0x101) & 0xFFFF));
}

static void test_branch_labels(void **st)
{
    (void)st;
    /* forward and backward, P-relative (§4) */
    const char *src = ".org 0x10\n"
                      "        BEQ fwd\n"
                      "back:   NOP\n"
                      "        BR back\n"
                      "fwd:    CALL back\n"
                      "        RET\n";
    const uint32_t want[] = {
        enc_i(PGV_OPC_BEQ, 0, 0, 2),
        enc(PGV_OPC_NOP, 0, 0, 0, 0),
        enc_i(PGV_OPC_BR, 0, 0, (uint32_t)(0x11 - 0x13) & 0xFFFF),
        enc_i(PGV_OPC_JAL, 7, 0, (uint32_t)(0x11 - 0x14) & 0xFFFF),
        enc(PGV_OPC_JR, 0, 7, 0, 0),
    };
    expect_words(src, 0x10, 0x10, 5, want);
}

/* Every opcode of the table, in both letter cases, assembled from operands chosen per
 * format and decoded back: the assembler covers the whole table. */
static void test_every_table_op(void **st)
{
    (void)st;
    for (unsigned i = 0; i < pgv_nops; i++) {
        uint32_t opc = pgv_op_list[i];
        const pgv_opinfo *oi = &pgv_optab[opc];
        char ops[64];
        uint32_t erd = 0, ers = 0, ert = 0, eimm = 0;
        switch ((enum pgv_format)oi->fmt) {
        case FMT_N: ops[0] = 0; break;
        case FMT_D: strcpy(ops, "r3"); erd = 3; break;
        case FMT_S: strcpy(ops, "r4"); ers = 4; break;
        case FMT_DS: strcpy(ops, "r1, r6"); erd = 1; ers = 6; break;
        case FMT_ST: strcpy(ops, "r2, r5"); ers = 2; ert = 5; break;
        case FMT_DST: strcpy(ops, "r7, r1, r2"); erd = 7; ers = 1; ert = 2; break;
        case FMT_DSI: strcpy(ops, "r1, r2, -300"); erd = 1; ers = 2; eimm = (uint32_t)-300; break;
        case FMT_DSU: strcpy(ops, "r1, r2, 0xBEEF"); erd = 1; ers = 2; eimm = 0xBEEF; break;
        case FMT_DSH: strcpy(ops, "r1, r2, 17"); erd = 1; ers = 2; eimm = 17; break;
        case FMT_DI: strcpy(ops, "r5, 0xCAFE"); erd = 5; eimm = 0xCAFE; break;
        case FMT_SI: strcpy(ops, "r6, -2"); ers = 6; eimm = (uint32_t)-2; break;
        case FMT_MEM: strcpy(ops, "r3, -7(r4)"); erd = 3; ers = 4; eimm = (uint32_t)-7; break;
        case FMT_MEMS: strcpy(ops, "12(r5)"); ers = 5; eimm = 12; break;
        case FMT_B: strcpy(ops, "0x20"); eimm = 0x20 - 0x11; break;   /* at 0x10 */
        case FMT_DB: strcpy(ops, "r7, 0x8"); erd = 7; eimm = (uint32_t)(0x8 - 0x11); break;
        case FMT_U: strcpy(ops, "4242"); eimm = 4242; break;
        default: fail();
        }
        for (int lc = 0; lc < 2; lc++) {
            char name[16], src[128];
            size_t k;
            for (k = 0; oi->name[k] && k < sizeof name - 1; k++)
                name[k] = lc && oi->name[k] >= 'A' && oi->name[k] <= 'Z'
                              ? (char)(oi->name[k] - 'A' + 'a') : oi->name[k];
            name[k] = 0;
            snprintf(src, sizeof src, ".org 0x10\n%s %s\n", name, ops);
            pgv_image img;
            asm_ok(src, &img);
            assert_int_equal(img.len, 1);
            pgv_insn in;
            assert_true(pgv_decode(img.words[0], &in));
            assert_int_equal(in.opc, opc);
            assert_int_equal(in.rd, erd);
            assert_int_equal(in.rs, ers);
            if (oi->fmt == FMT_DST || oi->fmt == FMT_ST)
                assert_int_equal(in.rt, ert);
            if ((pgv_fmt_zero_mask[oi->fmt] & 0xFFFFu) != 0xFFFFu &&   /* has an imm16 */
                oi->fmt != FMT_DST && oi->fmt != FMT_ST)
                assert_int_equal(in.imm, pgv_fmt_signed[oi->fmt] ? eimm : (eimm & 0xFFFF));
            pgv_image_free(&img);
        }
    }
}

static void test_case_and_comments(void **st)
{
    (void)st;
    assert_int_equal(word_of("add R1, r2, R3"), enc(PGV_OPC_ADD, 1, 2, 3, 0));
    assert_int_equal(word_of("  Add r1,r2,r3   ; comment, with ; and #"), enc(PGV_OPC_ADD, 1, 2, 3, 0));
    assert_int_equal(word_of("\tADD\tr1 , r2 , r3 # hash comment"), enc(PGV_OPC_ADD, 1, 2, 3, 0));
    assert_int_equal(word_of(".WORD ';'   ; the char is data"), ';');
    assert_int_equal(word_of(".word '#'   # so is this one"), '#');
    assert_int_equal(word_of("\r\n; only a comment\r\n\r\nNOP\r\n"), enc(PGV_OPC_NOP, 0, 0, 0, 0));
    /* labels are case-sensitive: Foo and foo are two symbols */
    const uint32_t w[] = { 1, 0 };
    expect_words("Foo: .word foo\nfoo: .word Foo\n", 0, 0, 2, w);
    asm_err("foo: BR FOO", "t.s:1:9: error: undefined symbol 'FOO'");
}

static void test_labels(void **st)
{
    (void)st;
    /* several labels on a line, a label alone, label + statement, forward use */
    const char *src = "a: b:\n"
                      "c: .word end, c2, c3\n"
                      "c2:\n"
                      "c3: end: .word a + 0x10\n";
    pgv_image img;
    asm_ok(src, &img);
    assert_int_equal(img.len, 4);
    assert_int_equal(img.words[0], 3);   /* end = 3 */
    assert_int_equal(img.words[1], 3);   /* c2 = 3 (label alone binds to the next word) */
    assert_int_equal(img.words[2], 3);
    assert_int_equal(img.words[3], 0x10);
    pgv_image_free(&img);
    /* a label before a .org on its line takes the counter before the .org */
    const uint32_t w[] = { 0, 0x42 };
    expect_words("x: .org 0x40\n.word x, y\ny:\n", 0x40, 0x40, 2, w);
}

static void test_numbers(void **st)
{
    (void)st;
    const uint32_t w[] = { 42, 0x2A, 42, 0x2A, 'A', '\n', '\t', '\r', 0, '\\', '\'', '"',
                           0x41, 0xFFFFFFFFu, 0x80000000u, 0xFFFFFFFFu, 0x7FFFFFFF, ' ' };
    expect_words(".word 42, 0x2A, 0b101010, 0X2a, 'A', '\\n', '\\t', '\\r', '\\0', '\\\\', "
                 "'\\'', '\\\"', '\\x41', -1, -2147483648, 4294967295, 2147483647, ' '",
                 0, 0, sizeof w / sizeof w[0], w);
}

static void test_expressions(void **st)
{
    (void)st;
    pgv_image img;
    asm_ok(".word 1+2*3, (1+2)*3, 1<<4|1, ~0 & 0xFF, -8>>1, 7/2, -7/2, -7%2, 6^3, --1, +5,"
           " 0x10|1+2, 1^3&1, 2+3*4, 2*2<<1, 0x7fffffff*2 >> 32, ((((((1))))))", &img);
    const uint32_t want[] = { 7, 9, 17, 255, 0xFFFFFFFCu, 3, (uint32_t)-3, (uint32_t)-1, 5, 1, 5,
                              0x13, 0 /* 1^(3&1) = 0 */, 14, 8, 0, 1 };
    assert_int_equal(img.len, sizeof want / sizeof want[0]);
    for (unsigned i = 0; i < img.len; i++) {
        if (img.words[i] != want[i])
            print_error("expression %u: expected 0x%X, got 0x%X\n", i, want[i], img.words[i]);
        assert_int_equal(img.words[i], want[i]);
    }
    pgv_image_free(&img);
    /* `.` is the address of the current statement; labels in arithmetic */
    asm_ok(".org 0x20\nstart: .word .\n.word . + 5\nh: .word (start - h) & 0xFFFF, h\n", &img);
    assert_int_equal(img.len, 4);
    assert_int_equal(img.words[0], 0x20);
    assert_int_equal(img.words[1], 0x26);
    assert_int_equal(img.words[2], (uint32_t)(0x20 - 0x22) & 0xFFFF);
    assert_int_equal(img.words[3], 0x22);
    pgv_image_free(&img);
}

/* ---------------------------------------------------------------------------------
 * Directives
 * ------------------------------------------------------------------------------- */

static void test_org_entry_gaps(void **st)
{
    (void)st;
    /* image = lowest..highest written, gaps zero; default entry = first word emitted */
    const uint32_t w[] = { 0xB, 0, 0, 0xA };
    expect_words(".org 0x13\n.word 0xA\n.org 0x10\n.word 0xB\n", 0x10, 0x13, 4, w);
    const uint32_t w2[] = { 1, 2 };
    expect_words(".org 0x40\n.entry go + 1\ngo: .word 1, 2\n", 0x40, 0x41, 2, w2);
    expect_words(".entry -1\n.word 1, 2\n", 0, 0xFFFFFFFFu, 2, w2);
    /* empty source: empty image at the location counter */
    expect_words("", 0, 0, 0, NULL);
    expect_words("; nothing\n.org 0x30\n", 0x30, 0x30, 0, NULL);
    expect_words(".org 0x30\n.entry 0x99\n", 0x30, 0x99, 0, NULL);
    /* the highest storage word is reachable */
    const uint32_t w3[] = { 7 };
    expect_words(".org 0xFFFFFFF\n.word 7", 0xFFFFFFF, 0xFFFFFFF, 1, w3);
}

static void test_word_zero_equ(void **st)
{
    (void)st;
    const uint32_t w[] = { 1, 0, 0, 0, 2, 0xFFFFFFFEu, 5, 8, 9 + 0x10 };   /* AFTER = 9 */
    expect_words(".word 1\n.zero 3\n.word 2, -2\n"
                 ".equ FIVE, 5\nEIGHT = FIVE + 3\n.word FIVE, EIGHT, LATER\n"
                 ".equ LATER, AFTER + 0x10\nAFTER:\n", 0, 0, 9, w);
    /* .equ capturing `.`, and chains of forward .equ */
    const uint32_t w2[] = { 0x102, 0x100, 3 };
    expect_words(".org 0x100\nHERE = .\n.word A, HERE, C\n.equ A, B + 1\n.equ B, HERE + 1\n"
                 ".equ C, 3\n", 0x100, 0x100, 3, w2);
    expect_words(".zero 0\n", 0, 0, 0, NULL);
}

static void test_psw(void **st)
{
    (void)st;
    /* §5: status = M | IE << 1 | flags << 4 | cause << 8; then P, l, b */
    const uint32_t w[] = { 1u | 2u | 5u << 4 | 3u << 8, 0x100, 0x200, 0x40 };
    expect_words(".psw mode=u ie=1 pc=0x100 l=0x200 b=0x40 flags=5 cause=3", 0, 0, 4, w);
    expect_words(".PSW CAUSE=3, FLAGS=5, b=0x40, L=0x200, Pc=0x100, IE=1, MODE=USER", 0, 0, 4, w);
    const uint32_t z[] = { 0, 0, 0, 0 };
    expect_words(".psw", 0, 0, 4, z);
    expect_words(".psw mode=supervisor", 0, 0, 4, z);
    expect_words(".psw mode=S ie=0", 0, 0, 4, z);
    const uint32_t m1[] = { 1, 0xFFFFFFFFu, 0, 0 };
    expect_words(".psw mode=1 pc=-1", 0, 0, 4, m1);
    /* labels in values, forward */
    const uint32_t t[] = { 0, 4, 0, 0xFFFFFFFFu, enc(PGV_OPC_HALT, 0, 0, 0, 0) };
    expect_words(".psw mode=s pc=handler l=0 b=0xFFFFFFFF\nhandler: HALT", 0, 0, 5, t);
}

static void test_pseudo(void **st)
{
    (void)st;
    const uint32_t li[] = { enc_i(PGV_OPC_LUI, 1, 0, 0x1234), enc_i(PGV_OPC_ORI, 1, 1, 0x5678) };
    expect_words("LI r1, 0x12345678", 0, 0, 2, li);
    const uint32_t lm[] = { enc_i(PGV_OPC_LUI, 2, 0, 0xFFFF), enc_i(PGV_OPC_ORI, 2, 2, 0xFFFF) };
    expect_words("li r2, -1", 0, 0, 2, lm);
    const uint32_t ls[] = { enc_i(PGV_OPC_LUI, 3, 0, 0), enc_i(PGV_OPC_ORI, 3, 3, 5) };
    expect_words("LI r3, 5", 0, 0, 2, ls);            /* always two words */
    const uint32_t ll[] = { enc_i(PGV_OPC_LUI, 4, 0, 0), enc_i(PGV_OPC_ORI, 4, 4, 2),
                            enc(PGV_OPC_NOP, 0, 0, 0, 0) };
    expect_words("LI r4, x\nx: NOP", 0, 0, 3, ll);   /* forward reference, size fixed */
    assert_int_equal(word_of("MOV r1, r2"), enc_i(PGV_OPC_ADDI, 1, 2, 0));
    assert_int_equal(word_of(".org 5\nCALL 2"), enc_i(PGV_OPC_JAL, 7, 0, (uint32_t)(2 - 6) & 0xFFFF));
    assert_int_equal(word_of("ret"), enc(PGV_OPC_JR, 0, 7, 0, 0));
}

static void test_ranges(void **st)
{
    (void)st;
    /* immediates at their exact edges */
    assert_int_equal(word_of("ADDI r1, r1, 32767"), enc_i(PGV_OPC_ADDI, 1, 1, 0x7FFF));
    assert_int_equal(word_of("ADDI r1, r1, -32768"), enc_i(PGV_OPC_ADDI, 1, 1, 0x8000));
    asm_err("ADDI r1, r1, 32768", "t.s:1:14: error: immediate (simm16) 32768 out of range (-32768..32767)");
    asm_err("ADDI r1, r1, -32769", "t.s:1:14: error: immediate (simm16) -32769 out of range (-32768..32767)");
    assert_int_equal(word_of("ORI r1, r1, 65535"), enc_i(PGV_OPC_ORI, 1, 1, 0xFFFF));
    asm_err("ORI r1, r1, 65536", "t.s:1:13: error: immediate (uimm16) 65536 out of range (0..65535)");
    asm_err("LUI r1, -1", "t.s:1:9: error: immediate (uimm16) -1 out of range (0..65535)");
    asm_err("SVC 65536", "t.s:1:5: error: immediate (uimm16) 65536 out of range (0..65535)");
    asm_err("SHLI r1, r2, 32", "t.s:1:14: error: shift amount 32 out of range (0..31)");
    asm_err("SHRI r1, r2, -1", "t.s:1:14: error: shift amount -1 out of range (0..31)");
    asm_err("LD r1, 32768(r2)", "t.s:1:8: error: immediate (simm16) 32768 out of range (-32768..32767)");
    asm_err("LPSW -32769(r2)", "t.s:1:6: error: immediate (simm16) -32769 out of range (-32768..32767)");
    asm_err("CMPI r1, 0xFFFF", "t.s:1:10: error: immediate (simm16) 65535 out of range (-32768..32767)");
    /* branches: the offset target - (P + 1) must fit simm16 */
    assert_int_equal(word_of("BR 32768"), enc_i(PGV_OPC_BR, 0, 0, 0x7FFF));     /* +32767 */
    asm_err("BR 32769", "t.s:1:4: error: branch out of range: target 0x8001 is 32768 words "
                        "from 0x1 (simm16 reaches -32768..32767)");
    assert_int_equal(word_of(".org 0x8000\nBR 1"), enc_i(PGV_OPC_BR, 0, 0, 0x8000));  /* -32768 */
    asm_err(".org 0x8000\nBR 0", "t.s:2:4: error: branch out of range: target 0x0 is -32769 words "
                                 "from 0x8001 (simm16 reaches -32768..32767)");
    /* mod 2^32 (§4): from 0, -17 reaches 0xFFFFFFF0 */
    assert_int_equal(word_of("BR 0xFFFFFFF0"), enc_i(PGV_OPC_BR, 0, 0, 0xFFEF));
    assert_int_equal(word_of("JAL r1, -16"), enc_i(PGV_OPC_JAL, 1, 0, 0xFFEF));
    asm_err("BR 0x100000000", "t.s:1:4: error: branch target 4294967296 out of range "
                              "(-2147483648..4294967295)");
    /* 32-bit values */
    asm_err(".word 0x100000000", "t.s:1:7: error: .word value 4294967296 out of range "
                                 "(-2147483648..4294967295)");
    asm_err(".word -2147483649", "t.s:1:7: error: .word value -2147483649 out of range "
                                 "(-2147483648..4294967295)");
    asm_err("LI r1, 0x100000000", "t.s:1:8: error: LI value 4294967296 out of range "
                                  "(-2147483648..4294967295)");
    asm_err(".psw flags=8", "t.s:1:12: error: .psw flags 8 out of range (0..7)");
    asm_err(".psw cause=256", "t.s:1:12: error: .psw cause 256 out of range (0..255)");
    asm_err(".psw pc=0x100000000", "t.s:1:9: error: .psw pc 4294967296 out of range "
                                   "(-2147483648..4294967295)");
    asm_err(".org -1", "t.s:1:6: error: .org address -1 out of range (0..0xFFFFFFFF)");
    asm_err(".zero 0x10000001", "t.s:1:7: error: .zero count 268435457 out of range (0..2^28)");
}

/* ---------------------------------------------------------------------------------
 * Errors: exact message and position
 * ------------------------------------------------------------------------------- */

static void test_errors(void **st)
{
    (void)st;
    static const struct { const char *src, *msg; } cases[] = {
        { "FOO r1", "t.s:1:1: error: unknown mnemonic 'FOO'" },
        { "NOP\n\n   bogus", "t.s:3:4: error: unknown mnemonic 'bogus'" },
        { "\tFOO", "t.s:1:2: error: unknown mnemonic 'FOO'" },
        { "  ADD r1, r2", "t.s:1:13: error: missing operand: ADD takes rd, rs, rt" },
        { "ADD r1, r2,", "t.s:1:12: error: missing operand: ADD takes rd, rs, rt" },
        { "ADD r1, r2   ; c", "t.s:1:11: error: missing operand: ADD takes rd, rs, rt" },
        { "JAL r7", "t.s:1:7: error: missing operand: JAL takes rd, target" },
        { "SVC", "t.s:1:4: error: missing operand: SVC takes uimm" },
        { "LI r1", "t.s:1:6: error: missing operand: LI takes rd, value32" },
        { "ADD r1, r9, r3", "t.s:1:9: error: bad register 'r9' (the registers are r0..r7)" },
        { "ADD r1, R12, r3", "t.s:1:9: error: bad register 'R12' (the registers are r0..r7)" },
        { "ADD r1, x, r3", "t.s:1:9: error: expected a register (r0..r7), found 'x'" },
        { "ADD r1, 5, r2", "t.s:1:9: error: expected a register (r0..r7), found '5'" },
        { "ADD r1, r2, r3, r4", "t.s:1:17: error: extra operand: ADD takes rd, rs, rt" },
        { "ADD r1, r2, r3,", "t.s:1:15: error: extra operand: ADD takes rd, rs, rt" },
        { "LD r1, 4(r2) r3", "t.s:1:14: error: extra operand: LD takes rd, simm(rs)" },
        { "HALT r1", "t.s:1:6: error: extra operand: HALT takes no operands" },
        { "RET r7", "t.s:1:5: error: extra operand: RET takes no operands" },
        { "ADD r1 r2, r3", "t.s:1:8: error: expected ',', found 'r2'" },
        { "ADDI r1, r2, r3", "t.s:1:14: error: register 'r3' cannot be used in an expression" },
        { ".word 12ab", "t.s:1:7: error: bad number '12ab'" },
        { ".word 0x", "t.s:1:7: error: bad number '0x'" },
        { ".word 0b102", "t.s:1:7: error: bad number '0b102'" },
        { ".word 0xG", "t.s:1:7: error: bad number '0xG'" },
        { ".word 99999999999999999999", "t.s:1:7: error: number '99999999999999999999' is too large" },
        { ".word 'ab'", "t.s:1:7: error: bad character constant: expected a closing quote" },
        { ".word ''", "t.s:1:7: error: bad character constant (empty or unterminated)" },
        { ".word '\\q'", "t.s:1:7: error: bad escape '\\q' in character constant" },
        { "BEQ nowhere", "t.s:1:5: error: undefined symbol 'nowhere'" },
        { ".entry nowhere", "t.s:1:8: error: undefined symbol 'nowhere'" },
        { ".equ A, Z + 1", "t.s:1:9: error: undefined symbol 'Z'" },
        { "x: NOP\nx: NOP", "t.s:2:1: error: duplicate label 'x' (first defined at line 1)" },
        { "x = 1\nx: NOP", "t.s:2:1: error: duplicate label 'x' (first defined at line 1)" },
        { "x: NOP\n.equ x, 2", "t.s:2:6: error: duplicate symbol 'x' (first defined at line 1)" },
        { "r1: NOP", "t.s:1:1: error: 'r1' is a register name and cannot be defined as a symbol" },
        { ".equ R7, 1", "t.s:1:6: error: 'R7' is a register name and cannot be defined as a symbol" },
        { ".equ A, B\n.equ B, A", "t.s:1:6: error: circular definition of 'A'" },
        { "X = X + 1", "t.s:1:1: error: circular definition of 'X'" },
        { ".org later\nlater: NOP", "t.s:1:6: error: symbol 'later' must be defined before this "
                                    ".org (the layout cannot depend on later definitions)" },
        { ".zero n\nn = 2", "t.s:1:7: error: symbol 'n' must be defined before this .zero "
                            "(the layout cannot depend on later definitions)" },
        { ".org 0x10000000\nNOP", "t.s:2:1: error: image beyond 2^28 words: address 0x10000000 "
                                  "is outside the largest storage (§2)" },
        { ".org 0xFFFFFFF\nLI r1, 1", "t.s:2:1: error: image beyond 2^28 words: address "
                                      "0x10000000 is outside the largest storage (§2)" },
        { ".org 0x10\nNOP\n.org 0x10\nNOP", "t.s:4:1: error: address 0x10 is written twice "
                                            "(also by line 2)" },
        { ".zero 4\n.org 2\n.word 1", "t.s:3:1: error: address 0x2 is written twice (also by line 1)" },
        { ".org 8\n.psw\n.org 6\n.psw", "t.s:4:1: error: address 0x8 is written twice (also by line 2)" },
        { ".psw foo=1", "t.s:1:6: error: unknown .psw key 'foo' (keys: mode ie pc l b flags cause)" },
        { ".psw ie=2", "t.s:1:9: error: .psw ie 2 out of range (0..1)" },
        { ".psw mode=x", "t.s:1:11: error: bad .psw mode 'x' (s, u, supervisor, user, or 0 or 1)" },
        { ".psw mode=2", "t.s:1:11: error: .psw mode (s|u|supervisor|user or 0|1) 2 out of range (0..1)" },
        { ".psw ie=1 ie=0", "t.s:1:11: error: duplicate .psw key 'ie'" },
        { ".psw ie 1", "t.s:1:9: error: expected '=' after .psw key 'ie', found '1'" },
        { ".psw pc=", "t.s:1:9: error: missing value for .psw key 'pc'" },
        { ".psw 5", "t.s:1:6: error: expected a .psw key (mode ie pc l b flags cause), found '5'" },
        { ".foo 1", "t.s:1:1: error: unknown directive '.foo' (directives: .org .entry .word "
                    ".zero .equ .psw)" },
        { "NOP @", "t.s:1:5: error: unexpected character '@'" },
        { "NOP \x01", "t.s:1:5: error: unexpected character '\\x01'" },
        { "NOP \"x\"", "t.s:1:5: error: unexpected character '\"'" },
        { ".word 1/0", "t.s:1:8: error: division by zero" },
        { ".word 1%(2-2)", "t.s:1:8: error: division by zero" },
        { ".word 1<<64", "t.s:1:8: error: shift count 64 out of range (0..63)" },
        { ".word (1", "t.s:1:9: error: expected ')' before end of line" },
        { ".word (1 2)", "t.s:1:10: error: expected ')', found '2'" },
        { ".word 1 +", "t.s:1:10: error: expected an expression before end of line" },
        { ".word 1, ,", "t.s:1:10: error: expected an expression, found ','" },
        { ".word 1 2", "t.s:1:9: error: expected ',' or end of line after a .word value, found '2'" },
        { ".word", "t.s:1:6: error: missing operand: .word takes one or more values" },
        { ".word 1,", "t.s:1:9: error: missing operand: .word takes one or more values" },
        { ".org", "t.s:1:5: error: missing operand: .org takes one address" },
        { ".org 1 2", "t.s:1:8: error: extra operand: .org takes one address" },
        { ".zero", "t.s:1:6: error: missing operand: .zero takes a word count" },
        { ".equ X 5", "t.s:1:8: error: expected ',', found '5'" },
        { ".equ 5, 5", "t.s:1:6: error: expected a symbol name after .equ, found '5'" },
        { "X =", "t.s:1:4: error: missing operand: '=' takes a value" },
        { ".entry 1\n.entry 2", "t.s:2:1: error: duplicate .entry (first at line 1)" },
        { "LD r1, 4", "t.s:1:9: error: missing base register: LD takes rd, simm(rs) (e.g. 4(r2))" },
        { "LD r1, 4(r2", "t.s:1:12: error: expected ')' after the base register" },
        { "LD r1, 4(5)", "t.s:1:10: error: expected a register (r0..r7), found '5'" },
        { "LD r1, 4 r2", "t.s:1:10: error: expected '(' and a base register, found 'r2'" },
        { "LPSW", "t.s:1:5: error: missing operand: LPSW takes simm(rs)" },
        { "5", "t.s:1:1: error: expected a label, instruction or directive, found '5'" },
        { "x: : NOP", "t.s:1:4: error: expected a label, instruction or directive, found ':'" },
        { ".", "t.s:1:1: error: expected a label, instruction or directive, found '.'" },
        { "NOP\nADD r1, r2, r3\nBR far\n.org 0x9000\nfar: NOP",
          "t.s:3:4: error: branch out of range: target 0x9000 is 36861 words from 0x3 "
          "(simm16 reaches -32768..32767)" },
        { "ADDI r1, r2, ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
          "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
          "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1",
          "t.s:1:214: error: expression nested too deeply" },
        { "ThisIsAVeryLongMnemonicThatGoesOnAndOnAndOnForeverAndEver",
          "t.s:1:1: error: unknown mnemonic 'ThisIsAVeryLongMnemonicThatGoesOnAndOnAn...'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        asm_err(cases[i].src, cases[i].msg);
}

static void test_asm_file_errors(void **st)
{
    (void)st;
    pgv_image img;
    assert_int_equal(pgv_asm_file("/nonexistent/dir/x.s", &img, errbuf, sizeof errbuf), 2);
    assert_non_null(strstr(errbuf, "/nonexistent/dir/x.s: cannot open"));
    char path[] = "/tmp/pgv_test_asm_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    fwrite("NOP\nAD\0D r1\n", 1, 12, f);
    fclose(f);
    assert_int_equal(pgv_asm_file(path, &img, errbuf, sizeof errbuf), 2);
    char want[256];
    snprintf(want, sizeof want, "%s:2:3: error: NUL byte in source (not a text file?)", path);
    assert_string_equal(errbuf, want);
    /* file name and line in messages from a real file */
    f = fopen(path, "wb");
    fputs("NOP\nNOP\nBAD\n", f);
    fclose(f);
    assert_int_equal(pgv_asm_file(path, &img, errbuf, sizeof errbuf), 2);
    snprintf(want, sizeof want, "%s:3:1: error: unknown mnemonic 'BAD'", path);
    assert_string_equal(errbuf, want);
    f = fopen(path, "wb");
    fputs("start: LI r1, 'x'\nOUT r1\nHALT\n", f);
    fclose(f);
    assert_int_equal(pgv_asm_file(path, &img, errbuf, sizeof errbuf), 0);
    assert_int_equal(img.len, 4);
    pgv_image_free(&img);
    remove(path);
}

/* ---------------------------------------------------------------------------------
 * Disassembler
 * ------------------------------------------------------------------------------- */

static void test_disasm_word(void **st)
{
    (void)st;
    char b[64];
    static const struct { uint32_t w, pc; const char *text; } cases[] = {
        { 0x01000000, 0, "NOP" },
        { 0x02123000, 0, "ADD   r1, r2, r3" },
        { 0x1012FFFB, 0, "ADDI  r1, r2, -5" },
        { 0x1212BEEF, 0, "ORI   r1, r2, 0xBEEF" },
        { 0x1412001F, 0, "SHLI  r1, r2, 31" },
        { 0x17101234, 0, "LUI   r1, 0x1234" },
        { 0x19018000, 0, "CMPI  r1, -32768" },
        { 0x2012FFFC, 0, "LD    r1, -4(r2)" },
        { 0x41030004, 0, "LPSW  4(r3)" },
        { 0x29000003, 0x13, "BEQ   0x17" },
        { 0x2800FFFF, 0x20, "BR    0x20" },
        { 0x2800FFEF, 0, "BR    0xFFFFFFF0" },
        { 0x30700001, 0x10, "JAL   r7, 0x12" },
        { 0x38000003, 0, "SVC   3" },
        { 0x44120000, 0, "RDR   r1, r2" },
        { 0x43012000, 0, "SETR  r1, r2" },
        { 0x42500000, 0, "RDPSW r5" },
        { 0x00000000, 0, ".word 0x00000000" },   /* opcode 0 is unassigned (§4) */
        { 0x02123001, 0, ".word 0x02123001" },   /* unused bits set          */
        { 0x02823000, 0, ".word 0x02823000" },   /* register field >= 8      */
        { 0x14120020, 0, ".word 0x14120020" },   /* shift amount 32          */
        { 0xFFFFFFFF, 0, ".word 0xFFFFFFFF" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pgv_disasm_word(cases[i].w, cases[i].pc, b, sizeof b);
        assert_string_equal(b, cases[i].text);
    }
    /* a tiny buffer is truncated, never overrun */
    char tiny[4] = { 'x', 'x', 'x', 'x' };
    pgv_disasm_word(0x02123000, 0, tiny, 3);
    assert_string_equal(tiny, "AD");
}

static void test_disasm_image_text(void **st)
{
    (void)st;
    pgv_image img;
    asm_ok(".org 0x10\n.entry 0x11\nNOP\nHALT\n.word 0\n", &img);
    char *text = disasm_to_string(&img);
    assert_non_null(strstr(text, ".org   0x10\n"));
    assert_non_null(strstr(text, ".entry 0x11\n"));
    assert_non_null(strstr(text, "NOP"));
    assert_non_null(strstr(text, "; 0x00000011: 0x40000000\n"));
    assert_non_null(strstr(text, ".word 0x00000000"));
    free(text);
    pgv_image_free(&img);
}

/* ---------------------------------------------------------------------------------
 * Round trips: assemble(disasm(image)) == image
 * ------------------------------------------------------------------------------- */

static void test_roundtrip_examples(void **st)
{
    (void)st;
    DIR *d = opendir("examples");
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t k = strlen(e->d_name);
        if (k < 3 || strcmp(e->d_name + k - 2, ".s") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "examples/%s", e->d_name);
        pgv_image img;
        int rc = pgv_asm_file(path, &img, errbuf, sizeof errbuf);
        if (rc)
            print_error("%s\n", errbuf);
        assert_int_equal(rc, 0);
        assert_true(img.len > 0);
        check_roundtrip(&img);
        pgv_image_free(&img);
        n++;
    }
    closedir(d);
    assert_true(n >= 5);   /* hello kernel popf jrst redpill */
}

static void test_roundtrip_random_words(void **st)
{
    (void)st;
    for (int it = 0; it < 3000; it++) {
        pgv_image img;
        img.len = rnd() % 48;
        img.origin = it % 7 == 0 ? PGV_MAX_WORDS - img.len : rnd() % (PGV_MAX_WORDS - 64);
        img.entry = it % 5 == 0 ? img.origin : rnd();
        img.words = malloc((img.len ? img.len : 1) * sizeof(uint32_t));
        for (uint32_t i = 0; i < img.len; i++) {
            uint32_t w = rnd();
            if (it % 3 == 0)   /* mostly assigned opcodes, random fields: many near-misses */
                w = (uint32_t)pgv_op_list[rnd() % pgv_nops] << 24 | (w & 0x00FFFFFFu);
            img.words[i] = w;
        }
        check_roundtrip(&img);
        pgv_image_free(&img);
    }
}

/* Random legal instructions built from the table: every field of the format random
 * within its legal range, unused fields zero. */
static void test_roundtrip_random_insns(void **st)
{
    (void)st;
    int legal = 0;
    for (int it = 0; it < 2000; it++) {
        pgv_image img;
        img.len = 1 + rnd() % 32;
        img.origin = rnd() % (PGV_MAX_WORDS - 64);
        img.entry = img.origin;
        img.words = malloc(img.len * sizeof(uint32_t));
        for (uint32_t i = 0; i < img.len; i++) {
            uint32_t opc = pgv_op_list[rnd() % pgv_nops];
            uint32_t zm = pgv_fmt_zero_mask[pgv_optab[opc].fmt];
            /* registers 0..7 in used register fields, random bits elsewhere, then the
             * format's zero mask clears everything unused (incl. shift bits >= 32) */
            uint32_t w = opc << 24 | ((rnd() & 0x00777FFFu) & ~zm);
            pgv_insn in;
            assert_true(pgv_decode(w, &in));
            legal++;
            img.words[i] = w;
        }
        check_roundtrip(&img);
        pgv_image_free(&img);
    }
    assert_true(legal > 20000);
}

/* ---------------------------------------------------------------------------------
 * Fuzz: the parser answers garbage with a message, never a crash
 * ------------------------------------------------------------------------------- */

static void check_sane(const char *src)
{
    pgv_image img;
    int rc = pgv_asm_string(src, "f.s", &img, errbuf, sizeof errbuf);
    assert_true(rc == 0 || rc == 2);
    if (rc == 2) {
        assert_int_equal(strncmp(errbuf, "f.s:", 4), 0);
        assert_non_null(strstr(errbuf, ": error: "));
        assert_null(img.words);
    } else {
        assert_non_null(img.words);
    }
    pgv_image_free(&img);
}

static char *read_example(const char *path)
{
    unsigned char *d;
    size_t n;
    if (pgv_read_file(path, &d, &n, errbuf, sizeof errbuf))
        return NULL;
    return (char *)d;
}

static void test_fuzz_garbage(void **st)
{
    (void)st;
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzADDILSTr01234567890x_.,:;#'\"()"
                                   "+-*/%&|^~<>=@!$ \t\n\r\\\x01\x7f\x80\xff";
    static const char *const words[] = {
        "ADD", "LD", "BEQ", ".org", ".word", ".psw", ".equ", ".zero", ".entry", "LI", "r1",
        "r8", "(", ")", ",", ":", "=", "0x", "'", "mode=", "pc=", "label", ".", "-", "<<",
        "\n", " ", "0xFFFFFFFF", "99999999999999999999", "CALL", "RET", "MOV", "(r2)",
    };
    char buf[600];
    for (int it = 0; it < 4000; it++) {
        size_t n = rnd() % (sizeof buf - 1);
        size_t k = 0;
        while (k < n) {
            if (rnd() % 3 == 0) {
                const char *w = words[rnd() % (sizeof words / sizeof words[0])];
                size_t l = strlen(w);
                if (k + l >= n)
                    break;
                memcpy(buf + k, w, l);
                k += l;
            } else {
                buf[k++] = alphabet[rnd() % (sizeof alphabet - 1)];
            }
        }
        buf[k] = 0;
        check_sane(buf);
    }
    /* mutated examples: delete, insert, replace bytes */
    static const char *const ex[] = { "examples/kernel.s", "examples/hello.s", "examples/popf.s" };
    for (size_t e = 0; e < sizeof ex / sizeof ex[0]; e++) {
        char *src = read_example(ex[e]);
        assert_non_null(src);
        size_t len = strlen(src);
        char *m = malloc(len + 64);
        for (int it = 0; it < 300; it++) {
            memcpy(m, src, len + 1);
            size_t ml = len;
            int edits = 1 + (int)(rnd() % 6);
            for (int j = 0; j < edits && ml > 1; j++) {
                size_t p = rnd() % ml;
                switch (rnd() % 3) {
                case 0:
                    memmove(m + p, m + p + 1, ml - p);
                    ml--;
                    break;
                case 1:
                    if (ml + 1 < len + 63) {
                        memmove(m + p + 1, m + p, ml - p + 1);
                        m[p] = alphabet[rnd() % (sizeof alphabet - 1)];
                        ml++;
                    }
                    break;
                default:
                    m[p] = alphabet[rnd() % (sizeof alphabet - 1)];
                    break;
                }
            }
            check_sane(m);
        }
        free(m);
        free(src);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_branch_labels),
        cmocka_unit_test(test_every_table_op),
        cmocka_unit_test(test_case_and_comments),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_expressions),
        cmocka_unit_test(test_org_entry_gaps),
        cmocka_unit_test(test_word_zero_equ),
        cmocka_unit_test(test_psw),
        cmocka_unit_test(test_pseudo),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_asm_file_errors),
        cmocka_unit_test(test_disasm_word),
        cmocka_unit_test(test_disasm_image_text),
        cmocka_unit_test(test_roundtrip_examples),
        cmocka_unit_test(test_roundtrip_random_words),
        cmocka_unit_test(test_roundtrip_random_insns),
        cmocka_unit_test(test_fuzz_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
