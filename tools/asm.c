/* tools/asm.c — the pgv assembler: source text to an image (ISA manual §4, §5, §9; syntax in
 * spec/ASSEMBLY.md).
 *
 * Every mnemonic, opcode and operand format comes from the opcode table
 * (spec/opcodes.def via model/optab.h); the assembler only knows how to parse and
 * encode each operand *format* of §4 (fields rd 23..20, rs 19..16, rt 15..12, imm16
 * 15..0, immediates range-checked per format), the directives (.org .entry .word
 * .zero .equ .psw — .psw lays out the four PSW words of §5) and four pseudo-
 * instructions (LI MOV CALL RET).  It works in two passes over the lines: pass 1
 * parses every statement completely, defines the labels and lays out the image
 * (so forward references work, and writing an address twice is detected), pass 2
 * evaluates every expression and encodes.  The first error stops it and is reported
 * as "file:line:col: error: message" (col = 1-based byte column of the offending
 * token); the parser never trusts its input (no fixed-size line buffers, bounded
 * recursion, no undefined arithmetic), so garbage yields a message, never a crash.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "image.h"
#include "../model/optab.h"

/* ---------------------------------------------------------------------------------
 * Tokens and context
 * ------------------------------------------------------------------------------- */

enum { TK_EOL, TK_IDENT, TK_DIR, TK_NUM, TK_DOT, TK_PUNCT };
#define OP_SHL 'L'   /* "<<" */
#define OP_SHR 'R'   /* ">>" */

typedef struct token {
    int kind;
    int op;              /* TK_PUNCT: the character (or OP_SHL / OP_SHR)           */
    size_t start, end;   /* byte offsets in the current line                       */
    int64_t num;         /* TK_NUM                                                 */
} token;

enum { SYM_LABEL, SYM_EQU, SYM_PENDING };

typedef struct symbol {
    char *name;
    int64_t value;
    int state;           /* SYM_LABEL, SYM_EQU (value known) or SYM_PENDING         */
    unsigned line, col;  /* where it is defined                                     */
    size_t line_off, line_len, expr_pos;   /* SYM_PENDING: the .equ's expression   */
    int64_t dot;                           /* ... and `.` at that statement         */
} symbol;

typedef struct range {   /* pass 1: the words one statement writes                   */
    uint32_t addr, n;
    unsigned line, col, seq;
} range;

typedef struct val {
    int64_t v;
    int known;           /* 0: depends on a symbol not (yet) defined                */
} val;

typedef struct asmctx {
    const char *name;
    const char *src;
    size_t srclen;
    /* the current line */
    const char *ln;
    size_t lnlen, lnoff;
    unsigned lineno;
    size_t pos;          /* lexer position within the line                         */
    size_t prev_end;     /* end offset of the last consumed token                  */
    token tok;           /* the current (not yet consumed) token                   */
    int pass;
    int64_t dot;         /* `.`: address of the current statement                  */
    uint64_t lc;         /* location counter                                       */
    size_t stmt_col;     /* offset of the statement's first token                   */
    uint64_t stmt_addr;  /* address of the statement's first word, and word count  */
    uint64_t stmt_n;
    unsigned seq;
    int depth;
    /* symbols: array + open-addressing hash of indices */
    symbol *syms;
    size_t nsyms, capsyms;
    size_t *hash;
    size_t hashcap;
    /* layout */
    range *ranges;
    size_t nranges, capranges;
    int have_first;
    uint32_t first_addr;
    int have_entry;
    unsigned entry_line;
    int64_t entry;
    uint32_t origin;
    uint32_t len;
    uint32_t *words;
    /* the first undefined symbol met by a lenient (pass-1) evaluation */
    int undef;
    size_t undef_start, undef_end;
    /* error */
    jmp_buf jb;
    char *err;
    size_t errlen;
} asmctx;

/* ---------------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------------- */

static void fail_lc(asmctx *c, unsigned line, size_t col1, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), noreturn));

static void fail_lc(asmctx *c, unsigned line, size_t col1, const char *fmt, ...)
{
    if (c->err && c->errlen) {
        int k = snprintf(c->err, c->errlen, "%s:%u:%zu: error: ", c->name, line, col1);
        if (k >= 0 && (size_t)k < c->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    longjmp(c->jb, 1);
}

/* An error at byte offset `at` of the current line. */
#define FAIL(c, at, ...) fail_lc((c), (c)->lineno, (size_t)(at) + 1u, __VA_ARGS__)

/* The text of line[s..e) for a message: at most 40 bytes, non-printables escaped. */
static const char *show(const asmctx *c, size_t s, size_t e, char *buf, size_t n)
{
    size_t k = 0;
    if (e > c->lnlen)
        e = c->lnlen;
    for (size_t i = s; i < e && k + 8 < n; i++) {
        unsigned char ch = (unsigned char)c->ln[i];
        if (i - s >= 40) {
            memcpy(buf + k, "...", 3);
            k += 3;
            break;
        }
        if (ch >= 0x20 && ch < 0x7F) {
            buf[k++] = (char)ch;
        } else {
            snprintf(buf + k, n - k, "\\x%02X", ch);
            k += 4;
        }
    }
    buf[k] = 0;
    return buf;
}

#define SHOWTOK(c, t, buf) show((c), (t).start, (t).end, (buf), sizeof(buf))

/* ---------------------------------------------------------------------------------
 * Lexer
 * ------------------------------------------------------------------------------- */

static int is_id0(int ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_'; }
static int is_id(int ch) { return is_id0(ch) || (ch >= '0' && ch <= '9'); }
static int is_digit(int ch) { return ch >= '0' && ch <= '9'; }
static int lower(int ch) { return (ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch; }

static int digit_value(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = lower(ch);
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 10;
    return 99;
}

static void lex_number(asmctx *c, size_t p)
{
    const char *s = c->ln;
    size_t q = p;
    while (q < c->lnlen && is_id((unsigned char)s[q]))
        q++;
    token *t = &c->tok;
    t->kind = TK_NUM;
    t->start = p;
    t->end = q;
    char buf[64];
    unsigned base = 10;
    size_t d = p;
    if (q - p >= 2 && s[p] == '0' && lower((unsigned char)s[p + 1]) == 'x') {
        base = 16;
        d = p + 2;
    } else if (q - p >= 2 && s[p] == '0' && lower((unsigned char)s[p + 1]) == 'b') {
        base = 2;
        d = p + 2;
    }
    if (d == q)
        FAIL(c, p, "bad number '%s'", show(c, p, q, buf, sizeof buf));
    uint64_t v = 0;
    for (size_t i = d; i < q; i++) {
        unsigned dv = (unsigned)digit_value((unsigned char)s[i]);
        if (dv >= base)
            FAIL(c, p, "bad number '%s'", show(c, p, q, buf, sizeof buf));
        if (v > ((uint64_t)INT64_MAX - dv) / base)
            FAIL(c, p, "number '%s' is too large", show(c, p, q, buf, sizeof buf));
        v = v * base + dv;
    }
    t->num = (int64_t)v;
}

static void lex_char(asmctx *c, size_t p)
{
    const char *s = c->ln;
    size_t n = c->lnlen, q = p + 1;
    char buf[64];
    int64_t v = -1;
    if (q < n && s[q] == '\\') {
        q++;
        if (q >= n)
            FAIL(c, p, "bad character constant");
        switch (s[q]) {
        case 'n': v = '\n'; break;
        case 't': v = '\t'; break;
        case 'r': v = '\r'; break;
        case '0': v = 0; break;
        case '\\': v = '\\'; break;
        case '\'': v = '\''; break;
        case '"': v = '"'; break;
        case 'x':
            if (q + 2 < n && digit_value((unsigned char)s[q + 1]) < 16 &&
                digit_value((unsigned char)s[q + 2]) < 16) {
                v = digit_value((unsigned char)s[q + 1]) * 16 + digit_value((unsigned char)s[q + 2]);
                q += 2;
            }
            break;
        default: break;
        }
        if (v < 0)
            FAIL(c, p, "bad escape '%s' in character constant", show(c, q - 1, q + 1, buf, sizeof buf));
        q++;
    } else if (q < n && s[q] != '\'') {
        v = (unsigned char)s[q];
        q++;
    } else {
        FAIL(c, p, "bad character constant (empty or unterminated)");
    }
    if (q >= n || s[q] != '\'')
        FAIL(c, p, "bad character constant: expected a closing quote");
    c->tok.kind = TK_NUM;
    c->tok.start = p;
    c->tok.end = q + 1;
    c->tok.num = v;
}

static void lex(asmctx *c)
{
    const char *s = c->ln;
    size_t n = c->lnlen, p = c->pos;
    while (p < n && (s[p] == ' ' || s[p] == '\t' || s[p] == '\r' || s[p] == '\f' || s[p] == '\v'))
        p++;
    token *t = &c->tok;
    t->start = p;
    t->op = 0;
    t->num = 0;
    if (p >= n || s[p] == ';' || s[p] == '#') {
        t->kind = TK_EOL;
        t->end = p;
    } else {
        unsigned char ch = (unsigned char)s[p];
        if (is_id0(ch)) {
            size_t q = p;
            while (q < n && is_id((unsigned char)s[q]))
                q++;
            t->kind = TK_IDENT;
            t->end = q;
        } else if (ch == '.') {
            if (p + 1 < n && is_id0((unsigned char)s[p + 1])) {
                size_t q = p + 1;
                while (q < n && is_id((unsigned char)s[q]))
                    q++;
                t->kind = TK_DIR;
                t->end = q;
            } else {
                t->kind = TK_DOT;
                t->end = p + 1;
            }
        } else if (is_digit(ch)) {
            lex_number(c, p);
        } else if (ch == '\'') {
            lex_char(c, p);
        } else if ((ch == '<' || ch == '>') && p + 1 < n && s[p + 1] == (char)ch) {
            t->kind = TK_PUNCT;
            t->op = ch == '<' ? OP_SHL : OP_SHR;
            t->end = p + 2;
        } else if (ch && strchr(",():=+-*/%&|^~", ch)) {
            t->kind = TK_PUNCT;
            t->op = ch;
            t->end = p + 1;
        } else {
            char buf[16];
            FAIL(c, p, "unexpected character '%s'", show(c, p, p + 1, buf, sizeof buf));
        }
    }
    c->pos = t->end;
}

static void advance(asmctx *c)
{
    c->prev_end = c->tok.end;
    lex(c);
}

/* The token after the current one, without consuming anything. */
static token peek(asmctx *c)
{
    token save = c->tok;
    size_t pos = c->pos, pe = c->prev_end;
    lex(c);
    token next = c->tok;
    c->tok = save;
    c->pos = pos;
    c->prev_end = pe;
    return next;
}

static int is_punct(const token *t, int op) { return t->kind == TK_PUNCT && t->op == op; }

/* Case-insensitive comparison of line[s..e) with a NUL-terminated word. */
static int tok_is(const asmctx *c, const token *t, const char *word)
{
    size_t n = t->end - t->start;
    if (strlen(word) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)c->ln[t->start + i]) != lower((unsigned char)word[i]))
            return 0;
    return 1;
}

/* r0..r7 -> 0..7; -1 if not a register name; -2 if it looks like one ("r9", "R12"). */
static int reg_number(const asmctx *c, const token *t)
{
    if (t->kind != TK_IDENT)
        return -1;
    size_t n = t->end - t->start;
    const char *s = c->ln + t->start;
    if (n < 2 || lower((unsigned char)s[0]) != 'r')
        return -1;
    for (size_t i = 1; i < n; i++)
        if (!is_digit((unsigned char)s[i]))
            return -1;
    if (n == 2 && s[1] >= '0' && s[1] <= '7')
        return s[1] - '0';
    return -2;
}

/* ---------------------------------------------------------------------------------
 * Symbols
 * ------------------------------------------------------------------------------- */

static uint64_t hash_str(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void *xrealloc(asmctx *c, void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        fail_lc(c, c->lineno, 1, "out of memory");
    return q;
}

static symbol *sym_find(const asmctx *c, const char *s, size_t n)
{
    if (!c->hashcap)
        return NULL;
    size_t m = c->hashcap - 1;
    for (size_t i = (size_t)hash_str(s, n) & m;; i = (i + 1) & m) {
        size_t k = c->hash[i];
        if (k == 0)
            return NULL;
        symbol *y = &c->syms[k - 1];
        if (strlen(y->name) == n && memcmp(y->name, s, n) == 0)
            return y;
    }
}

static symbol *sym_add(asmctx *c, const char *s, size_t n)
{
    if ((c->nsyms + 1) * 2 > c->hashcap) {
        size_t cap = c->hashcap ? c->hashcap * 2 : 64;
        size_t *h = calloc(cap, sizeof *h);
        if (!h)
            fail_lc(c, c->lineno, 1, "out of memory");
        for (size_t k = 0; k < c->nsyms; k++) {
            const char *nm = c->syms[k].name;
            size_t i = (size_t)hash_str(nm, strlen(nm)) & (cap - 1);
            while (h[i])
                i = (i + 1) & (cap - 1);
            h[i] = k + 1;
        }
        free(c->hash);
        c->hash = h;
        c->hashcap = cap;
    }
    if (c->nsyms == c->capsyms) {
        size_t cap = c->capsyms ? c->capsyms * 2 : 64;
        c->syms = xrealloc(c, c->syms, cap * sizeof *c->syms);
        c->capsyms = cap;
    }
    char *nm = malloc(n + 1);
    if (!nm)
        fail_lc(c, c->lineno, 1, "out of memory");
    memcpy(nm, s, n);
    nm[n] = 0;
    symbol *y = &c->syms[c->nsyms++];
    memset(y, 0, sizeof *y);
    y->name = nm;
    size_t m = c->hashcap - 1, i = (size_t)hash_str(s, n) & m;
    while (c->hash[i])
        i = (i + 1) & m;
    c->hash[i] = c->nsyms;
    return y;
}

/* Pass 1: define the symbol named by token t (a label or an .equ). */
static symbol *define(asmctx *c, const token *t, const char *kind)
{
    char buf[64];
    if (reg_number(c, t) != -1)
        FAIL(c, t->start, "'%s' is a register name and cannot be defined as a symbol",
             SHOWTOK(c, *t, buf));
    symbol *y = sym_find(c, c->ln + t->start, t->end - t->start);
    if (y)
        FAIL(c, t->start, "duplicate %s '%s' (first defined at line %u)", kind, y->name, y->line);
    y = sym_add(c, c->ln + t->start, t->end - t->start);
    y->line = c->lineno;
    y->col = (unsigned)t->start + 1u;
    return y;
}

/* ---------------------------------------------------------------------------------
 * Expressions: C precedence  | ^ & << >> + - * / % unary(- + ~) primary
 * 64-bit two's complement arithmetic; / and % truncate toward zero.
 * ------------------------------------------------------------------------------- */

#define MAX_DEPTH 200

static val expr_or(asmctx *c);

static val primary(asmctx *c)
{
    char buf[64];
    token t = c->tok;
    val r = { 0, 1 };
    if (++c->depth > MAX_DEPTH)
        FAIL(c, t.start, "expression nested too deeply");
    switch (t.kind) {
    case TK_NUM:
        r.v = t.num;
        advance(c);
        break;
    case TK_DOT:
        r.v = c->dot;
        advance(c);
        break;
    case TK_IDENT: {
        if (reg_number(c, &t) != -1)
            FAIL(c, t.start, "register '%s' cannot be used in an expression", SHOWTOK(c, t, buf));
        symbol *y = sym_find(c, c->ln + t.start, t.end - t.start);
        if (y && y->state != SYM_PENDING) {
            r.v = y->value;
        } else if (c->pass == 1) {
            r.known = 0;
            if (!c->undef) {
                c->undef = 1;
                c->undef_start = t.start;
                c->undef_end = t.end;
            }
        } else {
            FAIL(c, t.start, "undefined symbol '%s'", SHOWTOK(c, t, buf));
        }
        advance(c);
        break;
    }
    case TK_PUNCT:
        if (t.op == '(') {
            advance(c);
            r = expr_or(c);
            if (!is_punct(&c->tok, ')')) {
                if (c->tok.kind == TK_EOL)
                    FAIL(c, c->tok.start, "expected ')' before end of line");
                FAIL(c, c->tok.start, "expected ')', found '%s'", SHOWTOK(c, c->tok, buf));
            }
            advance(c);
            break;
        }
        FAIL(c, t.start, "expected an expression, found '%s'", SHOWTOK(c, t, buf));
    case TK_EOL:
        FAIL(c, t.start, "expected an expression before end of line");
    default:
        FAIL(c, t.start, "expected an expression, found '%s'", SHOWTOK(c, t, buf));
    }
    c->depth--;
    return r;
}

static val unary(asmctx *c)
{
    token t = c->tok;
    if (is_punct(&t, '-') || is_punct(&t, '+') || is_punct(&t, '~')) {
        if (++c->depth > MAX_DEPTH)
            FAIL(c, t.start, "expression nested too deeply");
        advance(c);
        val r = unary(c);
        c->depth--;
        if (t.op == '-')
            r.v = (int64_t)(0u - (uint64_t)r.v);
        else if (t.op == '~')
            r.v = ~r.v;
        return r;
    }
    return primary(c);
}

static val binop(asmctx *c, const token *op, val a, val b)
{
    val r = { 0, a.known && b.known };
    if (!r.known)
        return r;
    uint64_t x = (uint64_t)a.v, y = (uint64_t)b.v;
    switch (op->op) {
    case '+': r.v = (int64_t)(x + y); break;
    case '-': r.v = (int64_t)(x - y); break;
    case '*': r.v = (int64_t)(x * y); break;
    case '/':
    case '%':
        if (b.v == 0)
            FAIL(c, op->start, "division by zero");
        if (a.v == INT64_MIN && b.v == -1)
            r.v = op->op == '/' ? INT64_MIN : 0;
        else
            r.v = op->op == '/' ? a.v / b.v : a.v % b.v;
        break;
    case '&': r.v = (int64_t)(x & y); break;
    case '|': r.v = (int64_t)(x | y); break;
    case '^': r.v = (int64_t)(x ^ y); break;
    case OP_SHL:
    case OP_SHR:
        if (b.v < 0 || b.v > 63)
            FAIL(c, op->start, "shift count %lld out of range (0..63)", (long long)b.v);
        if (op->op == OP_SHL)
            r.v = (int64_t)(x << b.v);
        else
            r.v = a.v < 0 ? ~(int64_t)(~x >> b.v) : (int64_t)(x >> b.v);
        break;
    }
    return r;
}

/* One precedence level: operand (ops operand)*. */
static val level(asmctx *c, int lv);

static const char *const level_ops[] = { "|", "^", "&", "LR", "+-", "*/%" };
#define NLEVELS 6

static val level(asmctx *c, int lv)
{
    if (lv == NLEVELS)
        return unary(c);
    val a = level(c, lv + 1);
    while (c->tok.kind == TK_PUNCT && strchr(level_ops[lv], c->tok.op)) {
        token op = c->tok;
        advance(c);
        val b = level(c, lv + 1);
        a = binop(c, &op, a, b);
    }
    return a;
}

static val expr_or(asmctx *c)
{
    return level(c, 0);
}

/* An expression operand.  In pass 2 every symbol must be defined (primary fails
 * otherwise); in pass 1 the value may be unknown (forward reference). */
static val expr(asmctx *c, size_t *start)
{
    if (start)
        *start = c->tok.start;
    c->undef = 0;
    c->depth = 0;
    return expr_or(c);
}

/* An expression the layout depends on (.org, .zero): it must be known in pass 1. */
static int64_t expr_layout(asmctx *c, const char *what, size_t *start)
{
    val v = expr(c, start);
    if (!v.known) {
        char buf[64];
        FAIL(c, c->undef_start, "symbol '%s' must be defined before this %s "
             "(the layout cannot depend on later definitions)",
             show(c, c->undef_start, c->undef_end, buf, sizeof buf), what);
    }
    return v.v;
}

/* Pass 2: fail unless lo <= v <= hi. */
static void check_range(asmctx *c, val v, int64_t lo, int64_t hi, size_t at, const char *what)
{
    if (c->pass == 2 && v.known && (v.v < lo || v.v > hi))
        FAIL(c, at, "%s %lld out of range (%lld..%lld)", what, (long long)v.v, (long long)lo,
             (long long)hi);
}

#define W32_LO ((int64_t)INT32_MIN)
#define W32_HI ((int64_t)UINT32_MAX)

/* ---------------------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------------------- */

static void emit_n(asmctx *c, uint64_t n, const uint32_t *w)
{
    if (n == 0)
        return;
    if (c->lc + n > PGV_MAX_WORDS)
        FAIL(c, c->stmt_col, "image beyond 2^28 words: address 0x%llX is outside the largest "
             "storage (§2)", (unsigned long long)(c->lc + n > c->lc ? c->lc + n - 1 : c->lc));
    if (c->stmt_n == 0)
        c->stmt_addr = c->lc;
    if (c->pass == 1) {
        if (!c->have_first) {
            c->have_first = 1;
            c->first_addr = (uint32_t)c->lc;
        }
    } else if (w) {
        for (uint64_t i = 0; i < n; i++)
            c->words[c->lc + i - c->origin] = w[i];
    }
    c->stmt_n += n;
    c->lc += n;
}

static void emit(asmctx *c, uint32_t w)
{
    emit_n(c, 1, &w);
}

static uint32_t encode(uint32_t opc, uint32_t rd, uint32_t rs, uint32_t rt, uint32_t imm)
{
    return opc << 24 | rd << 20 | rs << 16 | rt << 12 | (imm & 0xFFFFu);
}

/* ---------------------------------------------------------------------------------
 * Operands
 * ------------------------------------------------------------------------------- */

typedef struct opctx {
    const char *mn;       /* canonical mnemonic, for messages                       */
    const char *syntax;   /* its operands, e.g. "rd, rs, rt" ("-": none)            */
} opctx;

static void missing(asmctx *c, const opctx *o) __attribute__((noreturn));
static void missing(asmctx *c, const opctx *o)
{
    FAIL(c, c->prev_end, "missing operand: %s takes %s", o->mn, o->syntax);
}

static unsigned p_reg(asmctx *c, const opctx *o)
{
    char buf[64];
    token t = c->tok;
    if (t.kind == TK_EOL)
        missing(c, o);
    int r = reg_number(c, &t);
    if (r == -2)
        FAIL(c, t.start, "bad register '%s' (the registers are r0..r7)", SHOWTOK(c, t, buf));
    if (r < 0)
        FAIL(c, t.start, "expected a register (r0..r7), found '%s'", SHOWTOK(c, t, buf));
    advance(c);
    return (unsigned)r;
}

static void p_comma(asmctx *c, const opctx *o)
{
    char buf[64];
    if (c->tok.kind == TK_EOL)
        missing(c, o);
    if (!is_punct(&c->tok, ','))
        FAIL(c, c->tok.start, "expected ',', found '%s'", SHOWTOK(c, c->tok, buf));
    advance(c);
}

static val p_expr(asmctx *c, const opctx *o, size_t *start)
{
    if (c->tok.kind == TK_EOL)
        missing(c, o);
    return expr(c, start);
}

static void p_end(asmctx *c, const opctx *o)
{
    if (c->tok.kind == TK_EOL)
        return;
    size_t at = c->tok.start;
    if (is_punct(&c->tok, ',')) {
        token n = peek(c);
        if (n.kind != TK_EOL)
            at = n.start;
    }
    if (strcmp(o->syntax, "-") == 0)
        FAIL(c, at, "extra operand: %s takes no operands", o->mn);
    FAIL(c, at, "extra operand: %s takes %s", o->mn, o->syntax);
}

/* imm(rs), or (rs) for a zero offset. */
static unsigned p_mem(asmctx *c, const opctx *o, val *off, size_t *at)
{
    char buf[64];
    if (c->tok.kind == TK_EOL)
        missing(c, o);
    *at = c->tok.start;
    if (is_punct(&c->tok, '(')) {
        token n = peek(c);
        if (reg_number(c, &n) != -1) {
            off->v = 0;
            off->known = 1;
            goto base;
        }
    }
    *off = expr(c, at);
base:
    if (!is_punct(&c->tok, '(')) {
        if (c->tok.kind == TK_EOL)
            FAIL(c, c->prev_end, "missing base register: %s takes %s (e.g. 4(r2))", o->mn, o->syntax);
        FAIL(c, c->tok.start, "expected '(' and a base register, found '%s'", SHOWTOK(c, c->tok, buf));
    }
    advance(c);
    unsigned r = p_reg(c, o);
    if (!is_punct(&c->tok, ')')) {
        if (c->tok.kind == TK_EOL)
            FAIL(c, c->prev_end, "expected ')' after the base register");
        FAIL(c, c->tok.start, "expected ')', found '%s'", SHOWTOK(c, c->tok, buf));
    }
    advance(c);
    return r;
}

/* The simm16 of a branch to absolute `target` from the instruction at `.` (§4:
 * target = P + 1 + sext(imm) mod 2^32). */
static uint32_t branch_offset(asmctx *c, val target, size_t at)
{
    if (c->pass != 2)
        return 0;
    check_range(c, target, W32_LO, W32_HI, at, "branch target");
    int64_t off = (int64_t)(int32_t)(uint32_t)((uint64_t)target.v - ((uint64_t)c->dot + 1u));
    if (off < -32768 || off > 32767)
        FAIL(c, at, "branch out of range: target 0x%X is %lld words from 0x%llX "
             "(simm16 reaches -32768..32767)", (uint32_t)target.v, (long long)off,
             (unsigned long long)c->dot + 1u);
    return (uint32_t)off & 0xFFFFu;
}

/* One instruction of the table: parse its operands by format, encode, emit. */
static void instruction(asmctx *c, uint32_t opc)
{
    const pgv_opinfo *oi = &pgv_optab[opc];
    opctx o = { oi->name, pgv_fmt_name[oi->fmt] };
    unsigned rd = 0, rs = 0, rt = 0;
    uint32_t imm = 0;
    val v = { 0, 1 };
    size_t at = 0;
    switch ((enum pgv_format)oi->fmt) {
    case FMT_N:
        break;
    case FMT_D:
        rd = p_reg(c, &o);
        break;
    case FMT_S:
        rs = p_reg(c, &o);
        break;
    case FMT_DS:
        rd = p_reg(c, &o);
        p_comma(c, &o);
        rs = p_reg(c, &o);
        break;
    case FMT_ST:
        rs = p_reg(c, &o);
        p_comma(c, &o);
        rt = p_reg(c, &o);
        break;
    case FMT_DST:
        rd = p_reg(c, &o);
        p_comma(c, &o);
        rs = p_reg(c, &o);
        p_comma(c, &o);
        rt = p_reg(c, &o);
        break;
    case FMT_DSI:
    case FMT_DSU:
    case FMT_DSH:
        rd = p_reg(c, &o);
        p_comma(c, &o);
        rs = p_reg(c, &o);
        p_comma(c, &o);
        v = p_expr(c, &o, &at);
        break;
    case FMT_DI:
        rd = p_reg(c, &o);
        p_comma(c, &o);
        v = p_expr(c, &o, &at);
        break;
    case FMT_SI:
        rs = p_reg(c, &o);
        p_comma(c, &o);
        v = p_expr(c, &o, &at);
        break;
    case FMT_MEM:
        rd = p_reg(c, &o);
        p_comma(c, &o);
        rs = p_mem(c, &o, &v, &at);
        break;
    case FMT_MEMS:
        rs = p_mem(c, &o, &v, &at);
        break;
    case FMT_B:
        v = p_expr(c, &o, &at);
        break;
    case FMT_DB:
        rd = p_reg(c, &o);
        p_comma(c, &o);
        v = p_expr(c, &o, &at);
        break;
    case FMT_U:
        v = p_expr(c, &o, &at);
        break;
    case PGV_NFORMATS:
        break;
    }
    p_end(c, &o);
    switch ((enum pgv_format)oi->fmt) {
    case FMT_DSI: case FMT_SI: case FMT_MEM: case FMT_MEMS:
        check_range(c, v, -32768, 32767, at, "immediate (simm16)");
        imm = (uint32_t)v.v;
        break;
    case FMT_DSU: case FMT_DI: case FMT_U:
        check_range(c, v, 0, 65535, at, "immediate (uimm16)");
        imm = (uint32_t)v.v;
        break;
    case FMT_DSH:
        check_range(c, v, 0, 31, at, "shift amount");
        imm = (uint32_t)v.v;
        break;
    case FMT_B: case FMT_DB:
        imm = branch_offset(c, v, at);
        break;
    default:
        break;
    }
    uint32_t w = encode(opc, rd, rs, rt, imm);
    pgv_insn chk;
    if (c->pass == 2 && !pgv_decode(w, &chk))   /* cannot happen: the checks above */
        FAIL(c, c->stmt_col, "internal error: %s encodes to illegal word 0x%08X", o.mn, w);
    emit(c, w);
}

/* The pseudo-instructions (spec/ASSEMBLY.md §Pseudo-instructions). */
enum { PS_LI, PS_MOV, PS_CALL, PS_RET, PS_N };
static const opctx pseudo_ops[PS_N] = {
    [PS_LI] = { "LI", "rd, value32" },
    [PS_MOV] = { "MOV", "rd, rs" },
    [PS_CALL] = { "CALL", "target" },
    [PS_RET] = { "RET", "-" },
};

static void pseudo(asmctx *c, int which)
{
    const opctx *o = &pseudo_ops[which];
    unsigned rd, rs;
    size_t at = 0;
    val v;
    switch (which) {
    case PS_LI: {   /* LUI rd, hi16; ORI rd, rd, lo16 — always two words */
        rd = p_reg(c, o);
        p_comma(c, o);
        v = p_expr(c, o, &at);
        p_end(c, o);
        check_range(c, v, W32_LO, W32_HI, at, "LI value");
        uint32_t x = (uint32_t)v.v;
        uint32_t w[2] = { encode(PGV_OPC_LUI, rd, 0, 0, x >> 16),
                          encode(PGV_OPC_ORI, rd, rd, 0, x & 0xFFFFu) };
        emit_n(c, 2, w);
        break;
    }
    case PS_MOV:    /* ADDI rd, rs, 0 */
        rd = p_reg(c, o);
        p_comma(c, o);
        rs = p_reg(c, o);
        p_end(c, o);
        emit(c, encode(PGV_OPC_ADDI, rd, rs, 0, 0));
        break;
    case PS_CALL:   /* JAL r7, target */
        v = p_expr(c, o, &at);
        p_end(c, o);
        emit(c, encode(PGV_OPC_JAL, 7, 0, 0, branch_offset(c, v, at)));
        break;
    case PS_RET:    /* JR r7 */
        p_end(c, o);
        emit(c, encode(PGV_OPC_JR, 0, 7, 0, 0));
        break;
    }
}

/* ---------------------------------------------------------------------------------
 * Directives
 * ------------------------------------------------------------------------------- */

static void equ_body(asmctx *c, const token *name, const opctx *o)
{
    /* the expression of NAME: the current token starts it */
    size_t at;
    if (c->pass == 2) {       /* defined in pass 1; nothing to emit */
        while (c->tok.kind != TK_EOL)
            advance(c);
        return;
    }
    symbol *y = define(c, name, "symbol");
    y->state = SYM_PENDING;   /* not visible to its own expression */
    size_t epos = c->tok.start;
    val v = p_expr(c, o, &at);
    p_end(c, o);
    if (v.known) {
        y->state = SYM_EQU;
        y->value = v.v;
    } else {
        y->line_off = c->lnoff;
        y->line_len = c->lnlen;
        y->expr_pos = epos;
        y->dot = c->dot;
    }
}

static const char *const psw_keys[] = { "mode", "ie", "pc", "l", "b", "flags", "cause" };
enum { K_MODE, K_IE, K_PC, K_L, K_B, K_FLAGS, K_CAUSE, K_N };

static void dir_psw(asmctx *c, const opctx *o)
{
    char buf[64];
    int64_t val_[K_N] = { 0 };
    int seen[K_N] = { 0 };
    while (c->tok.kind != TK_EOL) {
        token k = c->tok;
        if (k.kind != TK_IDENT)
            FAIL(c, k.start, "expected a .psw key (mode ie pc l b flags cause), found '%s'",
                 SHOWTOK(c, k, buf));
        int key = -1;
        for (int i = 0; i < K_N; i++)
            if (tok_is(c, &k, psw_keys[i]))
                key = i;
        if (key < 0)
            FAIL(c, k.start, "unknown .psw key '%s' (keys: mode ie pc l b flags cause)",
                 SHOWTOK(c, k, buf));
        if (seen[key])
            FAIL(c, k.start, "duplicate .psw key '%s'", psw_keys[key]);
        seen[key] = 1;
        advance(c);
        if (!is_punct(&c->tok, '=')) {
            if (c->tok.kind == TK_EOL)
                FAIL(c, c->prev_end, "expected '=' and a value after .psw key '%s'", psw_keys[key]);
            FAIL(c, c->tok.start, "expected '=' after .psw key '%s', found '%s'", psw_keys[key],
                 SHOWTOK(c, c->tok, buf));
        }
        advance(c);
        if (c->tok.kind == TK_EOL)
            FAIL(c, c->prev_end, "missing value for .psw key '%s'", psw_keys[key]);
        size_t at = c->tok.start;
        val v;
        if (key == K_MODE && c->tok.kind == TK_IDENT &&
            (tok_is(c, &c->tok, "s") || tok_is(c, &c->tok, "supervisor") ||
             tok_is(c, &c->tok, "u") || tok_is(c, &c->tok, "user"))) {
            v.v = (tok_is(c, &c->tok, "u") || tok_is(c, &c->tok, "user")) ? PGV_MODE_USER
                                                                          : PGV_MODE_SUP;
            v.known = 1;
            advance(c);
        } else if (key == K_MODE && c->tok.kind == TK_IDENT) {
            FAIL(c, at, "bad .psw mode '%s' (s, u, supervisor, user, or 0 or 1)",
                 SHOWTOK(c, c->tok, buf));
        } else {
            v = expr(c, &at);
        }
        static const int64_t hi[K_N] = { 1, 1, W32_HI, W32_HI, W32_HI, PGV_FLAGS_MASK,
                                         PGV_ST_CAUSE_MASK };
        static const char *const what[K_N] = { ".psw mode (s|u|supervisor|user or 0|1)",
                                               ".psw ie", ".psw pc", ".psw l", ".psw b",
                                               ".psw flags", ".psw cause" };
        int64_t lo = (key == K_PC || key == K_L || key == K_B) ? W32_LO : 0;
        check_range(c, v, lo, hi[key], at, what[key]);
        val_[key] = v.v;
        if (is_punct(&c->tok, ','))
            advance(c);
    }
    (void)o;
    /* §5: word0 status = M | IE << 1 | flags << 4 | cause << 8; word1 P; word2 l; word3 b */
    uint32_t w[PGV_PSW_WORDS] = {
        ((uint32_t)val_[K_MODE] & PGV_ST_M) | ((uint32_t)val_[K_IE] & 1u) << 1 |
            ((uint32_t)val_[K_FLAGS] & PGV_FLAGS_MASK) << PGV_ST_FLAGS_SH |
            ((uint32_t)val_[K_CAUSE] & PGV_ST_CAUSE_MASK) << PGV_ST_CAUSE_SH,
        (uint32_t)val_[K_PC], (uint32_t)val_[K_L], (uint32_t)val_[K_B] };
    emit_n(c, PGV_PSW_WORDS, w);
}

static void directive(asmctx *c)
{
    char buf[64];
    token d = c->tok;
    advance(c);
    size_t at = 0;
    if (tok_is(c, &d, ".org")) {
        opctx o = { ".org", "one address" };
        if (c->tok.kind == TK_EOL)
            missing(c, &o);
        int64_t v = expr_layout(c, ".org", &at);
        p_end(c, &o);
        if (v < 0 || v > W32_HI)
            FAIL(c, at, ".org address %lld out of range (0..0xFFFFFFFF)", (long long)v);
        c->lc = (uint64_t)v;
    } else if (tok_is(c, &d, ".entry")) {
        opctx o = { ".entry", "one address" };
        val v = p_expr(c, &o, &at);
        p_end(c, &o);
        if (c->pass == 1) {
            if (c->have_entry)
                FAIL(c, d.start, "duplicate .entry (first at line %u)", c->entry_line);
            c->have_entry = 1;
            c->entry_line = c->lineno;
        } else {
            check_range(c, v, W32_LO, W32_HI, at, ".entry address");
            c->entry = v.v;
        }
    } else if (tok_is(c, &d, ".word")) {
        opctx o = { ".word", "one or more values" };
        for (;;) {
            val v = p_expr(c, &o, &at);
            check_range(c, v, W32_LO, W32_HI, at, ".word value");
            emit(c, (uint32_t)v.v);
            if (!is_punct(&c->tok, ','))
                break;
            advance(c);
        }
        if (c->tok.kind != TK_EOL)
            FAIL(c, c->tok.start, "expected ',' or end of line after a .word value, found '%s'",
                 SHOWTOK(c, c->tok, buf));
    } else if (tok_is(c, &d, ".zero")) {
        opctx o = { ".zero", "a word count" };
        if (c->tok.kind == TK_EOL)
            missing(c, &o);
        int64_t n = expr_layout(c, ".zero", &at);
        p_end(c, &o);
        if (n < 0 || n > (int64_t)PGV_MAX_WORDS)
            FAIL(c, at, ".zero count %lld out of range (0..2^28)", (long long)n);
        emit_n(c, (uint64_t)n, NULL);    /* storage is zeroed: nothing to write */
    } else if (tok_is(c, &d, ".equ")) {
        opctx o = { ".equ", "NAME, value" };
        if (c->tok.kind == TK_EOL)
            missing(c, &o);
        token name = c->tok;
        if (name.kind != TK_IDENT)
            FAIL(c, name.start, "expected a symbol name after .equ, found '%s'",
                 SHOWTOK(c, name, buf));
        advance(c);
        p_comma(c, &o);
        if (c->tok.kind == TK_EOL)
            missing(c, &o);
        equ_body(c, &name, &o);
    } else if (tok_is(c, &d, ".psw")) {
        opctx o = { ".psw", "key=value ..." };
        dir_psw(c, &o);
    } else {
        FAIL(c, d.start, "unknown directive '%s' (directives: .org .entry .word .zero .equ .psw)",
             SHOWTOK(c, d, buf));
    }
}

/* ---------------------------------------------------------------------------------
 * Statements and passes
 * ------------------------------------------------------------------------------- */

static int lookup_opcode(const asmctx *c, const token *t)
{
    for (unsigned i = 0; i < pgv_nops; i++)
        if (tok_is(c, t, pgv_optab[pgv_op_list[i]].name))
            return pgv_op_list[i];
    return -1;
}

static void add_range(asmctx *c)
{
    if (c->nranges == c->capranges) {
        size_t cap = c->capranges ? c->capranges * 2 : 256;
        c->ranges = xrealloc(c, c->ranges, cap * sizeof *c->ranges);
        c->capranges = cap;
    }
    range *r = &c->ranges[c->nranges++];
    r->addr = (uint32_t)c->stmt_addr;
    r->n = (uint32_t)c->stmt_n;
    r->line = c->lineno;
    r->col = (unsigned)c->stmt_col + 1u;
    r->seq = c->seq++;
}

static void statement(asmctx *c)
{
    char buf[64];
    c->pos = 0;
    c->prev_end = 0;
    lex(c);
    /* labels: NAME ':' (any number, then possibly a statement) */
    while (c->tok.kind == TK_IDENT) {
        token n = peek(c);
        if (!is_punct(&n, ':'))
            break;
        if (c->pass == 1) {
            symbol *y = define(c, &c->tok, "label");
            y->state = SYM_LABEL;
            y->value = (int64_t)c->lc;
        }
        advance(c);
        advance(c);
    }
    if (c->tok.kind == TK_EOL)
        return;
    c->dot = (int64_t)c->lc;
    c->stmt_col = c->tok.start;
    c->stmt_n = 0;
    token t = c->tok;
    if (t.kind == TK_DIR) {
        directive(c);
    } else if (t.kind == TK_IDENT) {
        token n = peek(c);
        if (is_punct(&n, '=')) {           /* NAME = EXPR */
            opctx o = { "'='", "a value" };
            advance(c);
            advance(c);
            if (c->tok.kind == TK_EOL)
                missing(c, &o);
            equ_body(c, &t, &o);
        } else {
            int opc = lookup_opcode(c, &t);
            advance(c);
            if (opc >= 0) {
                instruction(c, (uint32_t)opc);
            } else {
                int ps = -1;
                for (int i = 0; i < PS_N; i++)
                    if (tok_is(c, &t, pseudo_ops[i].mn))
                        ps = i;
                if (ps < 0)
                    FAIL(c, t.start, "unknown mnemonic '%s'", SHOWTOK(c, t, buf));
                pseudo(c, ps);
            }
        }
    } else {
        FAIL(c, t.start, "expected a label, instruction or directive, found '%s'",
             SHOWTOK(c, t, buf));
    }
    if (c->pass == 1 && c->stmt_n)
        add_range(c);
}

static void set_line(asmctx *c, size_t off, size_t len, unsigned lineno)
{
    c->ln = c->src + off;
    c->lnoff = off;
    c->lnlen = len;
    c->lineno = lineno;
}

static void run_pass(asmctx *c, int pass)
{
    c->pass = pass;
    c->lc = 0;
    c->dot = 0;
    c->seq = 0;
    size_t off = 0;
    unsigned lineno = 0;
    while (off < c->srclen || (off == c->srclen && lineno == 0)) {
        const char *nl = memchr(c->src + off, '\n', c->srclen - off);
        size_t len = nl ? (size_t)(nl - (c->src + off)) : c->srclen - off;
        lineno++;
        set_line(c, off, len, lineno);
        statement(c);
        off += len + 1;
        if (!nl)
            break;
    }
}

/* Between the passes: resolve .equ symbols whose values depend on later labels. */
static void resolve_pending(asmctx *c)
{
    int progress = 1;
    while (progress) {
        progress = 0;
        for (size_t k = 0; k < c->nsyms; k++) {
            symbol *y = &c->syms[k];
            if (y->state != SYM_PENDING)
                continue;
            set_line(c, y->line_off, y->line_len, y->line);
            c->pos = y->expr_pos;
            c->dot = y->dot;
            lex(c);
            val v = expr(c, NULL);
            if (v.known) {
                y->state = SYM_EQU;
                y->value = v.v;
                progress = 1;
            }
        }
    }
    /* what is left depends on a symbol that is never defined, or on itself */
    for (size_t k = 0; k < c->nsyms; k++) {
        symbol *y = &c->syms[k];
        if (y->state != SYM_PENDING)
            continue;
        set_line(c, y->line_off, y->line_len, y->line);
        c->pos = y->expr_pos;
        c->dot = y->dot;
        lex(c);
        (void)expr(c, NULL);
        char buf[64];
        show(c, c->undef_start, c->undef_end, buf, sizeof buf);
        if (!sym_find(c, c->ln + c->undef_start, c->undef_end - c->undef_start))
            FAIL(c, c->undef_start, "undefined symbol '%s'", buf);
    }
    for (size_t k = 0; k < c->nsyms; k++) {
        symbol *y = &c->syms[k];
        if (y->state == SYM_PENDING)
            fail_lc(c, y->line, y->col, "circular definition of '%s'", y->name);
    }
}

static int range_cmp(const void *a, const void *b)
{
    const range *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Between the passes: no address written twice; the image spans lowest..highest. */
static void layout(asmctx *c)
{
    if (c->nranges == 0) {
        c->origin = (uint32_t)(c->lc <= PGV_MAX_WORDS ? c->lc : 0);
        c->len = 0;
        return;
    }
    qsort(c->ranges, c->nranges, sizeof *c->ranges, range_cmp);
    uint64_t max_end = 0;
    size_t max_i = 0;
    for (size_t i = 0; i < c->nranges; i++) {
        const range *r = &c->ranges[i];
        if (i > 0 && r->addr < max_end) {
            const range *o = &c->ranges[max_i];
            const range *later = r->seq > o->seq ? r : o, *earlier = later == r ? o : r;
            fail_lc(c, later->line, later->col,
                    "address 0x%X is written twice (also by line %u)", r->addr, earlier->line);
        }
        if ((uint64_t)r->addr + r->n > max_end) {
            max_end = (uint64_t)r->addr + r->n;
            max_i = i;
        }
    }
    c->origin = c->ranges[0].addr;
    c->len = (uint32_t)(max_end - c->origin);
}

/* Both passes; every error longjmps back here (all state lives in *c). */
static int assemble(asmctx *const c, pgv_image *img)
{
    if (setjmp(c->jb) != 0)
        return 2;
    run_pass(c, 1);
    resolve_pending(c);
    layout(c);
    c->words = calloc(c->len ? c->len : 1u, sizeof *c->words);
    if (!c->words)
        fail_lc(c, 1, 1, "out of memory for an image of %u words", c->len);
    run_pass(c, 2);
    img->origin = c->origin;
    img->len = c->len;
    img->entry = c->have_entry ? (uint32_t)c->entry : c->have_first ? c->first_addr : c->origin;
    img->words = c->words;
    c->words = NULL;
    return 0;
}

int pgv_asm_string(const char *src, const char *name, pgv_image *img, char *err, size_t errlen)
{
    img->origin = img->entry = img->len = 0;
    img->words = NULL;
    if (err && errlen)
        err[0] = 0;
    asmctx *c = calloc(1, sizeof *c);
    if (!c) {
        if (err && errlen)
            snprintf(err, errlen, "%s: out of memory", name);
        return 2;
    }
    c->name = name;
    c->src = src;
    c->srclen = strlen(src);
    c->err = err;
    c->errlen = errlen;
    int rc = assemble(c, img);
    for (size_t k = 0; k < c->nsyms; k++)
        free(c->syms[k].name);
    free(c->syms);
    free(c->hash);
    free(c->ranges);
    free(c->words);
    free(c);
    return rc;
}

int pgv_asm_file(const char *path, pgv_image *img, char *err, size_t errlen)
{
    unsigned char *data;
    size_t n;
    img->origin = img->entry = img->len = 0;
    img->words = NULL;
    int rc = pgv_read_file(path, &data, &n, err, errlen);
    if (rc)
        return rc;
    const unsigned char *z = memchr(data, 0, n);
    if (z) {   /* a NUL would silently end the text: refuse it */
        unsigned line = 1;
        size_t col = 1;
        for (const unsigned char *p = data; p < z; p++) {
            if (*p == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        if (err && errlen)
            snprintf(err, errlen, "%s:%u:%zu: error: NUL byte in source (not a text file?)",
                     path, line, col);
        free(data);
        return 2;
    }
    rc = pgv_asm_string((const char *)data, path, img, err, errlen);
    free(data);
    return rc;
}
