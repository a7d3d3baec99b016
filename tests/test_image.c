/* tests/test_image.c — image files, loading and booting, CLI helpers and the state printer
 * (tools/image.c, tools/cli.c, tools/print.c; ISA manual §2, §5, §8, §10).
 *
 * The image format byte by byte (little-endian header "PGVI", version, entry, origin,
 * length, words) and every rejection with its exact message: truncated header, short
 * or long body, partial word, wrong magic, wrong version, length beyond 2^28, origin +
 * length beyond 2^28.  pgv_load_program on source and on images; pgv_image_boot against
 * the native start state of §8 (zeroed storage, words at the origin, registers 0, M = s,
 * R = (0, q), P = entry) and its refusals.  The shared CLI helpers: strict numbers,
 * common options in both spellings and their errors, input tapes with file:line
 * messages, booting a machine from options.  The printer: the text block, JSON, side
 * by side and trace lines contain what tools/print.h promises.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "testutil.h"
#include "tools/image.h"
#include "tools/cli.h"
#include "tools/print.h"

static char errbuf[1024];

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* A well-formed image file in memory: header + n words (w[i] = 0x1000 + i). */
static size_t make_bytes(unsigned char *b, uint32_t magic, uint32_t version, uint32_t entry,
                         uint32_t origin, uint32_t len, uint32_t actual_words)
{
    put32(b, magic);
    put32(b + 4, version);
    put32(b + 8, entry);
    put32(b + 12, origin);
    put32(b + 16, len);
    for (uint32_t i = 0; i < actual_words; i++)
        put32(b + 20 + 4 * i, 0x1000u + i);
    return 20u + 4u * actual_words;
}

static char *tmp_path(const char *suffix)
{
    static char buf[4][128];
    static int k;
    char *p = buf[k++ & 3];
    snprintf(p, 128, "/tmp/pgv_test_image_%d_%d%s", (int)getpid(), k, suffix);
    return p;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* ---------------------------------------------------------------------------------
 * Image format (§10)
 * ------------------------------------------------------------------------------- */

static void test_write_read_roundtrip(void **st)
{
    (void)st;
    uint32_t words[] = { 0x02123000, 0xFFFFFFFF, 0, 0x80000001 };
    pgv_image img = { 0x10, 0x12, 4, words };
    const char *path = tmp_path(".img");
    assert_int_equal(pgv_image_write(path, &img, errbuf, sizeof errbuf), 0);
    /* bytes on disk: little-endian, "PGVI" first */
    unsigned char *data;
    size_t n;
    assert_int_equal(pgv_read_file(path, &data, &n, errbuf, sizeof errbuf), 0);
    assert_int_equal(n, 20 + 16);
    assert_memory_equal(data, "PGVI", 4);
    static const unsigned char hdr[] = { 'P', 'G', 'V', 'I', 1, 0, 0, 0, 0x12, 0, 0, 0,
                                         0x10, 0, 0, 0, 4, 0, 0, 0, 0x00, 0x30, 0x12, 0x02 };
    assert_memory_equal(data, hdr, sizeof hdr);
    free(data);
    pgv_image back;
    assert_int_equal(pgv_image_read(path, &back, errbuf, sizeof errbuf), 0);
    assert_int_equal(back.origin, 0x10);
    assert_int_equal(back.entry, 0x12);
    assert_int_equal(back.len, 4);
    assert_memory_equal(back.words, words, sizeof words);
    pgv_image_free(&back);
    assert_null(back.words);
    /* empty image */
    pgv_image empty = { 0x30, 0x99, 0, NULL };
    assert_int_equal(pgv_image_write(path, &empty, errbuf, sizeof errbuf), 0);
    assert_int_equal(pgv_image_read(path, &back, errbuf, sizeof errbuf), 0);
    assert_int_equal(back.len, 0);
    assert_int_equal(back.origin, 0x30);
    assert_int_equal(back.entry, 0x99);
    pgv_image_free(&back);
    remove(path);
    /* unwritable path */
    assert_int_equal(pgv_image_write("/nonexistent/dir/x.img", &img, errbuf, sizeof errbuf), 2);
    assert_non_null(strstr(errbuf, "/nonexistent/dir/x.img: cannot create"));
}

static void parse_err(const unsigned char *b, size_t n, const char *msg)
{
    pgv_image img;
    int rc = pgv_image_parse(b, n, "x.img", &img, errbuf, sizeof errbuf);
    if (rc != 2 || strcmp(errbuf, msg) != 0)
        print_error("expected: %s\n     got: %s\n", msg, rc ? errbuf : "(accepted)");
    assert_int_equal(rc, 2);
    assert_string_equal(errbuf, msg);
    assert_null(img.words);
}

static void test_parse_errors(void **st)
{
    (void)st;
    unsigned char b[20 + 4 * 8 + 8];
    size_t n;
    pgv_image img;
    n = make_bytes(b, PGV_IMAGE_MAGIC, 1, 0, 0x10, 3, 3);
    assert_int_equal(pgv_image_parse(b, n, "x.img", &img, errbuf, sizeof errbuf), 0);
    assert_int_equal(img.len, 3);
    assert_int_equal(img.words[2], 0x1002);
    pgv_image_free(&img);

    parse_err(b, 0, "x.img: truncated image: 0 bytes, the header alone needs 20");
    parse_err(b, 19, "x.img: truncated image: 19 bytes, the header alone needs 20");
    n = make_bytes(b, PGV_IMAGE_MAGIC, 1, 0, 0x10, 3, 2);
    parse_err(b, n, "x.img: truncated image: header says 3 words, file holds 2");
    n = make_bytes(b, PGV_IMAGE_MAGIC, 1, 0, 0x10, 3, 3);
    parse_err(b, n - 1, "x.img: truncated image: 11 data bytes is not a whole number of words");
    n = make_bytes(b, PGV_IMAGE_MAGIC, 1, 0, 0x10, 3, 4);
    parse_err(b, n, "x.img: 4 trailing bytes after the 3 words the header declares");
    n = make_bytes(b, PGV_IMAGE_MAGIC, 1, 0, 0x10, 3, 3);
    b[n] = 0;
    parse_err(b, n + 1, "x.img: truncated image: 13 data bytes is not a whole number of words");
    n = make_bytes(b, 0x464C457Fu, 1, 0, 0x10, 3, 3);   /* an ELF file */
    parse_err(b, n, "x.img: not a pgv image (magic 0x464C457F, expected 0x49564750 \"PGVI\")");
    n = make_bytes(b, PGV_IMAGE_MAGIC, 2, 0, 0x10, 3, 3);
    parse_err(b, n, "x.img: unsupported image version 2 (this pgv reads version 1)");
    n = make_bytes(b, PGV_IMAGE_MAGIC, 0, 0, 0x10, 3, 3);
    parse_err(b, n, "x.img: unsupported image version 0 (this pgv reads version 1)");
    n = make_bytes(b, PGV_IMAGE_MAGIC, 1, 0, 0, PGV_MAX_WORDS + 1, 0);
    parse_err(b, n, "x.img: image length 268435457 words exceeds the limit of 2^28 words");
    n = make_bytes(b, PGV_IMAGE_MAGIC, 1, 0, 0xFFFFFFFFu, 3, 3);   /* origin + len wraps */
    parse_err(b, n, "x.img: image at origin 0xFFFFFFFF with 3 words ends beyond address 2^28 "
                    "(the largest storage, §2)");
    n = make_bytes(b, PGV_IMAGE_MAGIC, 1, 0, PGV_MAX_WORDS - 2, 3, 3);
    parse_err(b, n, "x.img: image at origin 0xFFFFFFE with 3 words ends beyond address 2^28 "
                    "(the largest storage, §2)");
    n = make_bytes(b, PGV_IMAGE_MAGIC, 1, 0, PGV_MAX_WORDS - 3, 3, 3);   /* exactly fits */
    assert_int_equal(pgv_image_parse(b, n, "x.img", &img, errbuf, sizeof errbuf), 0);
    pgv_image_free(&img);
    /* read errors through a real file */
    const char *path = tmp_path(".img");
    n = make_bytes(b, PGV_IMAGE_MAGIC, 1, 0, 0x10, 3, 1);
    write_file(path, b, n);
    assert_int_equal(pgv_image_read(path, &img, errbuf, sizeof errbuf), 2);
    char want[256];
    snprintf(want, sizeof want, "%s: truncated image: header says 3 words, file holds 1", path);
    assert_string_equal(errbuf, want);
    remove(path);
    assert_int_equal(pgv_image_read("/nonexistent/x.img", &img, errbuf, sizeof errbuf), 2);
    assert_non_null(strstr(errbuf, "/nonexistent/x.img: cannot open: "));
}

static void test_load_program(void **st)
{
    (void)st;
    const char *src = tmp_path(".s");
    const char *imgp = tmp_path(".img");
    const char *text = ".org 0x20\nstart: LI r1, 'x'\nOUT r1\nHALT\n";
    write_file(src, text, strlen(text));
    pgv_image a, b;
    assert_int_equal(pgv_load_program(src, &a, errbuf, sizeof errbuf), 0);
    assert_int_equal(a.origin, 0x20);
    assert_int_equal(a.len, 4);
    assert_int_equal(pgv_image_write(imgp, &a, errbuf, sizeof errbuf), 0);
    assert_int_equal(pgv_load_program(imgp, &b, errbuf, sizeof errbuf), 0);
    assert_int_equal(b.origin, a.origin);
    assert_int_equal(b.entry, a.entry);
    assert_int_equal(b.len, a.len);
    assert_memory_equal(b.words, a.words, a.len * sizeof(uint32_t));
    pgv_image_free(&a);
    pgv_image_free(&b);
    /* a source file that is not .s is read as an image: rejected with the image message */
    assert_int_equal(pgv_load_program(src, &a, errbuf, sizeof errbuf), 0);
    pgv_image_free(&a);
    const char *txt = tmp_path(".txt");
    write_file(txt, text, strlen(text));
    assert_int_equal(pgv_load_program(txt, &a, errbuf, sizeof errbuf), 2);
    assert_non_null(strstr(errbuf, "not a pgv image"));
    /* assembler errors come through with file:line:col */
    write_file(src, "NOP\nBOGUS\n", 10);
    assert_int_equal(pgv_load_program(src, &a, errbuf, sizeof errbuf), 2);
    char want[256];
    snprintf(want, sizeof want, "%s:2:1: error: unknown mnemonic 'BOGUS'", src);
    assert_string_equal(errbuf, want);
    remove(src);
    remove(imgp);
    remove(txt);
}

/* ---------------------------------------------------------------------------------
 * Boot (§8)
 * ------------------------------------------------------------------------------- */

static void test_boot(void **st)
{
    (void)st;
    uint32_t words[] = { 0x11, 0x22, 0x33 };
    pgv_image img = { 0x10, 0x11, 3, words };
    uint32_t mem[64];
    for (int i = 0; i < 64; i++)
        mem[i] = 0xDEADBEEF;   /* boot must zero storage */
    pgv_state s;
    memset(&s, 0xA5, sizeof s);
    assert_int_equal(pgv_image_boot(&img, &s, mem, 64, PGV_PROFILE_JRST, errbuf, sizeof errbuf), 0);
    for (uint32_t a = 0; a < 64; a++) {
        uint32_t want = (a >= 0x10 && a < 0x13) ? words[a - 0x10] : 0;
        assert_int_equal(mem[a], want);
    }
    for (unsigned i = 0; i < PGV_NREGS; i++)
        assert_int_equal(s.r[i], 0);
    assert_int_equal(s.pc, 0x11);
    assert_int_equal(s.mode, PGV_MODE_SUP);
    assert_int_equal(s.l, 0);
    assert_int_equal(s.b, 64);
    assert_int_equal(s.q, 64);
    assert_ptr_equal(s.mem, mem);
    assert_int_equal(s.ie, 0);
    assert_int_equal(s.flags, 0);
    assert_int_equal(s.cause, 0);
    assert_int_equal(s.timer, 0);
    assert_int_equal(s.tp, 0);
    assert_int_equal(s.halted, 0);
    assert_int_equal(s.steps, 0);
    assert_int_equal(s.profile, PGV_PROFILE_JRST);
    /* the image must fit: last word at q - 1 is fine, one more is not */
    pgv_image edge = { 61, 0, 3, words };
    assert_int_equal(pgv_image_boot(&edge, &s, mem, 64, 0, errbuf, sizeof errbuf), 0);
    assert_int_equal(mem[63], 0x33);
    pgv_image over = { 62, 0, 3, words };
    assert_int_equal(pgv_image_boot(&over, &s, mem, 64, 0, errbuf, sizeof errbuf), 2);
    assert_string_equal(errbuf, "the image (0x3E..0x40, 3 words) does not fit in storage of "
                                "64 words (use a larger --mem)");
    assert_int_equal(pgv_image_boot(&img, &s, mem, 15, 0, errbuf, sizeof errbuf), 2);
    assert_string_equal(errbuf, "storage of 15 words is outside 16..2^28 words (§2)");
    assert_int_equal(pgv_image_boot(&img, &s, mem, 64, PGV_NPROFILES, errbuf, sizeof errbuf), 2);
    /* and the booted machine runs: LI/OUT/HALT from source */
    pgv_image prog;
    assert_int_equal(pgv_asm_string(".org 0x10\nLI r1, 'x'\nOUT r1\nHALT\n", "p.s", &prog,
                                    errbuf, sizeof errbuf), 0);
    uint32_t out[4];
    assert_int_equal(pgv_image_boot(&prog, &s, mem, 64, 0, errbuf, sizeof errbuf), 0);
    s.out = out;
    s.out_cap = 4;
    assert_int_equal(pgv_run(&s, 100, 0, NULL), PGV_STOP_HALT);
    assert_int_equal(s.out_len, 1);
    assert_int_equal(out[0], 'x');
    assert_int_equal(s.steps, 4);
    pgv_image_free(&prog);
}

/* ---------------------------------------------------------------------------------
 * CLI helpers (tools/cli.c)
 * ------------------------------------------------------------------------------- */

static void test_parse_u64(void **st)
{
    (void)st;
    uint64_t v;
    assert_int_equal(pgv_cli_parse_u64("0", 10, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(pgv_cli_parse_u64("10", 10, &v), 0);
    assert_int_equal(v, 10);
    assert_int_equal(pgv_cli_parse_u64("11", 10, &v), 2);
    assert_int_equal(pgv_cli_parse_u64("0x1F", 100, &v), 0);
    assert_int_equal(v, 31);
    assert_int_equal(pgv_cli_parse_u64("0XfF", 1000, &v), 0);
    assert_int_equal(v, 255);
    assert_int_equal(pgv_cli_parse_u64("18446744073709551615", UINT64_MAX, &v), 0);
    assert_true(v == UINT64_MAX);
    static const char *const bad[] = { "", "0x", "-1", "1e3", "12ab", " 1", "1 ", "0b1",
                                       "18446744073709551616", "+1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(pgv_cli_parse_u64(bad[i], UINT64_MAX, &v), 2);
    assert_int_equal(pgv_cli_parse_u64(NULL, 1, &v), 2);
}

static int common(int argc, char **argv, pgv_cli_opts *o, int *i)
{
    return pgv_cli_common("t", argc, argv, i, PGV_CLI_NATIVE, o);
}

static void test_cli_common(void **st)
{
    (void)st;
    pgv_cli_opts o;
    pgv_cli_defaults(&o);
    assert_int_equal(o.profile, PGV_PROFILE_PG);
    assert_true(o.budget == 10000000u);
    assert_int_equal(o.mem, 65536);
    assert_int_equal(o.out_cap, 65536);
    assert_null(o.input);
    assert_int_equal(o.json, 0);
    char *argv[] = { "t", "--profile", "popf", "--budget=0x10", "--mem", "4096", "--input=tape",
                     "--json", "--out-cap", "3", "--other", "file.s" };
    int argc = (int)(sizeof argv / sizeof argv[0]);
    int i = 1;
    assert_int_equal(common(argc, argv, &o, &i), 1);
    assert_int_equal(i, 2);
    assert_int_equal(o.profile, PGV_PROFILE_POPF);
    i++;
    assert_int_equal(common(argc, argv, &o, &i), 1);
    assert_true(o.budget == 16);
    i++;
    assert_int_equal(common(argc, argv, &o, &i), 1);
    assert_int_equal(o.mem, 4096);
    i++;
    assert_int_equal(common(argc, argv, &o, &i), 1);
    assert_string_equal(o.input, "tape");
    i++;
    assert_int_equal(common(argc, argv, &o, &i), 1);
    assert_int_equal(o.json, 1);
    i++;
    assert_int_equal(common(argc, argv, &o, &i), 1);
    assert_int_equal(o.out_cap, 3);
    i++;
    assert_int_equal(common(argc, argv, &o, &i), 0);    /* not a common option */
    assert_int_equal(i, 10);
    i++;
    assert_int_equal(common(argc, argv, &o, &i), 0);    /* a file name */
    /* errors: bad profile, bad numbers, limits, missing value */
    static const char *const bads[][2] = {
        { "--profile", "x86" }, { "--budget", "ten" }, { "--budget", "-5" }, { "--mem", "15" },
        { "--mem", "268435457" }, { "--mem", "0x" }, { "--out-cap", "268435457" },
    };
    for (size_t k = 0; k < sizeof bads / sizeof bads[0]; k++) {
        char *av[] = { "t", (char *)bads[k][0], (char *)bads[k][1] };
        i = 1;
        assert_int_equal(common(3, av, &o, &i), 2);
    }
    char *av2[] = { "t", "--mem" };
    i = 1;
    assert_int_equal(common(2, av2, &o, &i), 2);
    char *av3[] = { "t", "--mem=268435456" };   /* 2^28 is allowed */
    i = 1;
    assert_int_equal(common(2, av3, &o, &i), 1);
    assert_int_equal(o.mem, PGV_MAX_WORDS);
    /* options outside `which` are not recognised */
    char *av4[] = { "t", "--json" };
    i = 1;
    assert_int_equal(pgv_cli_common("t", 2, av4, &i, PGV_CLI_PROFILE, &o), 0);
    assert_true(pgv_cli_is_help("--help") && pgv_cli_is_help("-h") && !pgv_cli_is_help("help"));
}

static void tape_ok(const char *text, uint32_t n, const uint32_t *want)
{
    uint32_t *w, k;
    int rc = pgv_cli_parse_tape(text, "tape", &w, &k, errbuf, sizeof errbuf);
    if (rc)
        print_error("%s\n", errbuf);
    assert_int_equal(rc, 0);
    assert_int_equal(k, n);
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(w[i], want[i]);
    free(w);
}

static void tape_err(const char *text, const char *msg)
{
    uint32_t *w, k;
    assert_int_equal(pgv_cli_parse_tape(text, "tape", &w, &k, errbuf, sizeof errbuf), 2);
    assert_string_equal(errbuf, msg);
    assert_null(w);
}

static void test_tape(void **st)
{
    (void)st;
    const uint32_t a[] = { 1, 2, 16, 0xFFFFFFFFu, 0x80000000u, 4294967295u, 7 };
    tape_ok("1 2,0x10 # comment, 99\n-1\n\t-2147483648,,4294967295\r\n  7", 7, a);
    tape_ok("", 0, NULL);
    tape_ok("# only a comment\n\n", 0, NULL);
    tape_err("1\n2\nx3\n", "tape:3: bad number 'x3' in input tape (expected decimal or 0x hex, "
                          "0..0xFFFFFFFF or down to -2147483648)");
    tape_err("4294967296", "tape:1: bad number '4294967296' in input tape (expected decimal or "
                           "0x hex, 0..0xFFFFFFFF or down to -2147483648)");
    tape_err("\n-2147483649", "tape:2: bad number '-2147483649' in input tape (expected decimal "
                              "or 0x hex, 0..0xFFFFFFFF or down to -2147483648)");
    tape_err("0x", "tape:1: bad number '0x' in input tape (expected decimal or 0x hex, "
                   "0..0xFFFFFFFF or down to -2147483648)");
    /* from a file */
    const char *path = tmp_path(".tape");
    write_file(path, "5 6\n7", 5);
    uint32_t *w, k;
    assert_int_equal(pgv_cli_read_tape(path, &w, &k, errbuf, sizeof errbuf), 0);
    assert_int_equal(k, 3);
    assert_int_equal(w[2], 7);
    free(w);
    write_file(path, "5\0 6", 4);
    assert_int_equal(pgv_cli_read_tape(path, &w, &k, errbuf, sizeof errbuf), 2);
    assert_non_null(strstr(errbuf, "NUL byte"));
    remove(path);
    assert_int_equal(pgv_cli_read_tape("/nonexistent/tape", &w, &k, errbuf, sizeof errbuf), 2);
    assert_non_null(strstr(errbuf, "/nonexistent/tape: cannot open"));
}

static void test_machine_load(void **st)
{
    (void)st;
    const char *src = tmp_path(".s");
    const char *tape = tmp_path(".tape");
    const char *text = ".org 0x10\nIN r1\nIN r2\nADD r3, r1, r2\nOUT r3\nOUT r3\nHALT\n";
    write_file(src, text, strlen(text));
    write_file(tape, "40 2", 4);
    pgv_cli_opts o;
    pgv_cli_defaults(&o);
    o.profile = PGV_PROFILE_REDPILL;
    o.mem = 256;
    o.out_cap = 1;
    o.input = tape;
    pgv_cli_machine m;
    assert_int_equal(pgv_cli_machine_load(&m, src, &o, errbuf, sizeof errbuf), 0);
    assert_int_equal(m.s.q, 256);
    assert_int_equal(m.s.b, 256);
    assert_int_equal(m.s.pc, 0x10);
    assert_int_equal(m.s.profile, PGV_PROFILE_REDPILL);
    assert_int_equal(m.s.in_len, 2);
    assert_int_equal(m.s.out_cap, 1);
    assert_int_equal(pgv_run(&m.s, 1000, 0, NULL), PGV_STOP_HALT);
    assert_int_equal(m.s.r[3], 42);
    assert_int_equal(m.s.out_len, 2);     /* counts every OUT (§6) ... */
    assert_int_equal(m.out[0], 42);       /* ... keeps out_cap words   */
    pgv_cli_machine_free(&m);
    /* errors: bad tape, image too large for --mem, missing program */
    write_file(tape, "1 zz", 4);
    assert_int_equal(pgv_cli_machine_load(&m, src, &o, errbuf, sizeof errbuf), 2);
    assert_non_null(strstr(errbuf, ":1: bad number 'zz'"));
    o.input = NULL;
    o.mem = 16;
    assert_int_equal(pgv_cli_machine_load(&m, src, &o, errbuf, sizeof errbuf), 2);
    assert_non_null(strstr(errbuf, "does not fit in storage of 16 words"));
    assert_int_equal(pgv_cli_machine_load(&m, "/nonexistent.s", &o, errbuf, sizeof errbuf), 2);
    remove(src);
    remove(tape);
}

/* ---------------------------------------------------------------------------------
 * Printer (tools/print.c)
 * ------------------------------------------------------------------------------- */

static void capture_begin(FILE **f, size_t *n, char **buf)
{
    *f = open_memstream(buf, n);
    assert_non_null(*f);
}

static void test_print(void **st)
{
    (void)st;
    uint32_t mem[32] = { 0 }, out[4] = { 'H', 'i', 7, '"' };
    pgv_state s;
    pgv_init(&s, mem, 32, PGV_PROFILE_POPF, 0x10);
    s.r[3] = 0xCAFEBABE;
    s.out = out;
    s.out_cap = 4;
    s.out_len = 5;   /* one more written than kept */
    s.flags = PGV_FLAG_Z | PGV_FLAG_C;
    s.halted = 1;
    s.steps = 1234;
    FILE *f;
    size_t n;
    char *buf;
    capture_begin(&f, &n, &buf);
    pgv_print_state(f, &s);
    fclose(f);
    assert_non_null(strstr(buf, "halted  yes"));
    assert_non_null(strstr(buf, "steps 1234"));
    assert_non_null(strstr(buf, "profile popf"));
    assert_non_null(strstr(buf, "0xCAFEBABE"));
    assert_non_null(strstr(buf, "flags Z-C"));
    assert_non_null(strstr(buf, "M s (supervisor)"));
    assert_non_null(strstr(buf, "output  5 words (first 4 kept, --out-cap)"));
    assert_non_null(strstr(buf, "text \"Hi.\\\"\""));
    assert_non_null(strstr(buf, "out[0] = 0x00000048          72  'H'"));
    assert_non_null(strstr(buf, "out[2] = 0x00000007           7\n"));
    free(buf);

    capture_begin(&f, &n, &buf);
    pgv_print_state_json(f, &s);
    fclose(f);
    assert_string_equal(buf, "{\"r\":[0,0,0,3405691582,0,0,0,0],\"pc\":16,\"mode\":\"s\",\"l\":0,"
                             "\"b\":32,\"ie\":0,\"flags\":5,\"cause\":0,\"timer\":0,\"tp\":0,"
                             "\"halted\":1,\"steps\":1234,\"in_pos\":0,\"out_len\":5,"
                             "\"out\":[72,105,7,34]}");
    free(buf);

    capture_begin(&f, &n, &buf);
    pgv_print_json_string(f, "a\"b\\c\n");
    fclose(f);
    assert_string_equal(buf, "\"a\\\"b\\\\c\\u000a\"");
    free(buf);

    /* side by side: differing fields marked, mem/out mismatches listed */
    pgv_state t = s;
    uint32_t mem2[32] = { 0 };
    mem2[5] = 9;
    t.mem = mem2;
    t.r[3] = 1;
    pgv_mismatch mm[8];
    size_t k = pgv_compare(&s, &t, mm, 8);
    assert_int_equal(k, 2);
    capture_begin(&f, &n, &buf);
    pgv_print_side_by_side(f, "native", &s, "vmm", &t, mm, k);
    fclose(f);
    assert_non_null(strstr(buf, "native"));
    assert_non_null(strstr(buf, "* r3       0xCAFEBABE"));
    assert_non_null(strstr(buf, "  r2       0x00000000"));
    assert_non_null(strstr(buf, "* mem[0x00000005]"));
    free(buf);
}

static void test_trace_line(void **st)
{
    (void)st;
    pgv_image prog;
    /* an OUT in user mode traps PRIV; the new PSW sends it to HALT */
    assert_int_equal(pgv_asm_string(".org 4\n.psw mode=s pc=h l=0 b=0xFFFFFFFF\n.org 0x10\n"
                                    ".entry s\ns: LI r1, 'A'\nOUT r1\nJRSTU r2\nh: HALT\n",
                                    "p.s", &prog, errbuf, sizeof errbuf), 0);
    uint32_t mem[64], out[4];
    pgv_state s;
    assert_int_equal(pgv_image_boot(&prog, &s, mem, 64, 0, errbuf, sizeof errbuf), 0);
    s.out = out;
    s.out_cap = 4;
    s.r[2] = 0x12;   /* JRSTU r2: user mode at the OUT, which traps PRIV into h: HALT */
    FILE *f;
    size_t n;
    char *buf;
    capture_begin(&f, &n, &buf);
    for (int i = 0; i < 8 && !s.halted; i++) {
        pgv_state before = s;
        pgv_event ev = pgv_step(&s);
        pgv_print_trace_line(f, &before, ev, &s);
    }
    fclose(f);
    assert_non_null(strstr(buf, "LUI   r1, 0x0"));
    assert_non_null(strstr(buf, "OUT   r1"));
    assert_non_null(strstr(buf, "out+=0x41 'A'"));
    assert_non_null(strstr(buf, "JRSTU r2                     M=u -> 0x12"));
    assert_non_null(strstr(buf, "u 00000012  OUT   r1                     TRAP PRIV"));
    assert_non_null(strstr(buf, "s 00000014  HALT                         HALT"));
    free(buf);
    pgv_image_free(&prog);
}

static void test_trace_trap(void **st)
{
    (void)st;
    pgv_image prog;
    assert_int_equal(pgv_asm_string(".org 4\n.psw mode=s pc=h l=0 b=0xFFFFFFFF\n.org 0x10\n"
                                    ".entry u\nh: HALT\nu: OUT r1\n",
                                    "p.s", &prog, errbuf, sizeof errbuf), 0);
    uint32_t mem[64];
    pgv_state s;
    assert_int_equal(pgv_image_boot(&prog, &s, mem, 64, 0, errbuf, sizeof errbuf), 0);
    s.mode = PGV_MODE_USER;
    FILE *f;
    size_t n;
    char *buf;
    capture_begin(&f, &n, &buf);
    pgv_state before = s;
    pgv_event ev = pgv_step(&s);
    assert_int_equal(ev, PGV_EV_TRAP);
    pgv_print_trace_line(f, &before, ev, &s);
    /* a fetch outside R */
    s.mode = PGV_MODE_USER;
    s.b = 4;
    before = s;
    s.pc = 0x20;
    before.pc = 0x20;
    ev = pgv_step(&s);
    pgv_print_trace_line(f, &before, ev, &s);
    fclose(f);
    assert_non_null(strstr(buf, "u 00000011  OUT   r1"));
    assert_non_null(strstr(buf, "TRAP PRIV info=0x4D010000 -> P=0x10 M=s"));
    assert_non_null(strstr(buf, "(fetch outside R)"));
    assert_non_null(strstr(buf, "TRAP BOUNDS info=0x20"));
    free(buf);
    pgv_image_free(&prog);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_read_roundtrip),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_load_program),
        cmocka_unit_test(test_boot),
        cmocka_unit_test(test_parse_u64),
        cmocka_unit_test(test_cli_common),
        cmocka_unit_test(test_tape),
        cmocka_unit_test(test_machine_load),
        cmocka_unit_test(test_print),
        cmocka_unit_test(test_trace_line),
        cmocka_unit_test(test_trace_trap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
