/* tools/disasm.c — the pgv disassembler: words back to assembler source (ISA manual §4).
 *
 * Every 32-bit word is exactly one instruction or ILLEGAL (§4), so disassembly is a
 * function: pgv_decode (model/machine.c) decides legality with the opcode table's
 * per-format zero masks, and the operands are printed per format in exactly the
 * syntax tools/asm.c accepts (spec/ASSEMBLY.md) — signed immediates in decimal,
 * unsigned ones in hex, branch and JAL targets as absolute addresses P + 1 +
 * sext(imm) mod 2^32 — and an illegal word as `.word 0x........`.  The image form
 * adds `.org`/`.entry` and one word per line, so assembling the output of
 * pgv_disasm_image reproduces the image exactly (origin, entry, length, every word;
 * tested on random images in tests/test_asm.c).
 */
#include <string.h>
#include "image.h"
#include "../model/optab.h"

void pgv_disasm_word(uint32_t w, uint32_t pc, char *buf, size_t n)
{
    pgv_insn in;
    if (n == 0)
        return;
    if (!pgv_decode(w, &in)) {
        snprintf(buf, n, ".word 0x%08X", w);
        return;
    }
    const char *mn = pgv_optab[in.opc].name;
    int32_t simm = (int32_t)in.imm;          /* already sign-extended for simm formats */
    uint32_t target = pc + 1u + in.imm;      /* §4: P + 1 + sext(imm) mod 2^32          */
    switch ((enum pgv_format)in.fmt) {
    case FMT_N:    snprintf(buf, n, "%s", mn); break;
    case FMT_D:    snprintf(buf, n, "%-5s r%u", mn, in.rd); break;
    case FMT_S:    snprintf(buf, n, "%-5s r%u", mn, in.rs); break;
    case FMT_DS:   snprintf(buf, n, "%-5s r%u, r%u", mn, in.rd, in.rs); break;
    case FMT_ST:   snprintf(buf, n, "%-5s r%u, r%u", mn, in.rs, in.rt); break;
    case FMT_DST:  snprintf(buf, n, "%-5s r%u, r%u, r%u", mn, in.rd, in.rs, in.rt); break;
    case FMT_DSI:  snprintf(buf, n, "%-5s r%u, r%u, %d", mn, in.rd, in.rs, simm); break;
    case FMT_DSU:  snprintf(buf, n, "%-5s r%u, r%u, 0x%X", mn, in.rd, in.rs, in.imm); break;
    case FMT_DSH:  snprintf(buf, n, "%-5s r%u, r%u, %u", mn, in.rd, in.rs, in.imm); break;
    case FMT_DI:   snprintf(buf, n, "%-5s r%u, 0x%X", mn, in.rd, in.imm); break;
    case FMT_SI:   snprintf(buf, n, "%-5s r%u, %d", mn, in.rs, simm); break;
    case FMT_MEM:  snprintf(buf, n, "%-5s r%u, %d(r%u)", mn, in.rd, simm, in.rs); break;
    case FMT_MEMS: snprintf(buf, n, "%-5s %d(r%u)", mn, simm, in.rs); break;
    case FMT_B:    snprintf(buf, n, "%-5s 0x%X", mn, target); break;
    case FMT_DB:   snprintf(buf, n, "%-5s r%u, 0x%X", mn, in.rd, target); break;
    case FMT_U:    snprintf(buf, n, "%-5s %u", mn, in.imm); break;
    default:       snprintf(buf, n, ".word 0x%08X", w); break;
    }
}

void pgv_disasm_image(const pgv_image *img, FILE *out)
{
    char text[64];
    fprintf(out, "; pgv image: origin 0x%X, entry 0x%X, %u word%s\n", img->origin, img->entry,
            img->len, img->len == 1 ? "" : "s");
    fprintf(out, "        .org   0x%X\n", img->origin);
    fprintf(out, "        .entry 0x%X\n", img->entry);
    for (uint32_t i = 0; i < img->len; i++) {
        uint32_t a = img->origin + i;
        pgv_disasm_word(img->words[i], a, text, sizeof text);
        fprintf(out, "        %-28s ; 0x%08X: 0x%08X\n", text, a, img->words[i]);
    }
}
