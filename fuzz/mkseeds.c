/* fuzz/mkseeds.c — builds the seed corpus: assembler programs wrapped in the fuzz input format.
 *
 * usage: mkseeds OUTDIR [DIR ...]  |  mkseeds --neutral OUTDIR  |  mkseeds --minimal OUTDIR
 * Every .s file in each DIR is assembled (tools/asm.c) into one input in image mode
 * (PGV_FUZZ_PSW_IMAGE: the image is guest storage from address 0 with its own low
 * storage, new PSW and trap handlers, entry from the image), or, with the directive
 * `layout=program`, into the program region at PGV_FUZZ_ORIGIN served by a generated
 * trap handler.  Header fields come from
 * `; fuzz: key=value ...` comment lines in the source (keys: cfg psw budget timer reloc
 * handler limit rearm sizes r0..r7 tape=v,v,...), with defaults chosen for deep runs
 * (budget 10000, handler: skip faulting instructions, count traps, halt after 64).
 * Then 64 generated tests (fixed seed) are added.  --neutral writes instead 16 generated
 * tests whose programs hold innocuous instructions only (and a final HALT): the seed set
 * of the measurements (fuzz/experiments.sh), so that every divergence the campaign
 * reports is one it had to find; --minimal writes the single seed `ADDI r1, r1, 1; HALT`
 * (with the default handler), from which the experiments start.  Sources live in fuzz/seeds/ (feature
 * programs) and examples/ (the CLI engineer's examples), both as .s files.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"
#include "input.h"
#include "../tools/image.h"

static uint8_t buf[PGV_FUZZ_MAX_INPUT];

static int write_input(const char *dir, const char *name, const pgv_fuzz_input *in)
{
    char path[4096];
    size_t n = pgv_fuzz_serialize(in, buf, sizeof buf);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "mkseeds: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

static void defaults(pgv_fuzz_input *in)
{
    memset(in, 0, sizeof *in);
    in->budget = PGV_FUZZ_DEFAULT_BUDGET - 1u;
    in->handler = PGV_FUZZ_RESUME_SKIP_FAULT << PGV_FUZZ_H_POLICY_SH | PGV_FUZZ_H_COUNT;
    in->limit = 64;
}

/* Apply "; fuzz: k=v k=v" lines of the source.  Returns 1 if layout=program was given. */
static int directives(const char *path, pgv_fuzz_input *in)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int program_layout = 0;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        char *p = strstr(line, "fuzz:");
        if (!p || (line[0] != ';' && line[0] != '#'))
            continue;
        for (char *tok = strtok(p + 5, " \t\r\n"); tok; tok = strtok(0, " \t\r\n")) {
            char *eq = strchr(tok, '=');
            if (!eq)
                continue;
            *eq = 0;
            const char *k = tok, *v = eq + 1;
            unsigned long x = strtoul(v, 0, 0);
            if (strcmp(k, "layout") == 0) program_layout = strcmp(v, "program") == 0;
            else if (strcmp(k, "cfg") == 0) in->cfg = (uint8_t)x;
            else if (strcmp(k, "psw") == 0) in->psw = (uint8_t)x;
            else if (strcmp(k, "budget") == 0) in->budget = (uint16_t)(x - 1);
            else if (strcmp(k, "timer") == 0) in->timer = (uint8_t)x;
            else if (strcmp(k, "reloc") == 0) in->reloc = (uint8_t)x;
            else if (strcmp(k, "handler") == 0) in->handler = (uint8_t)x;
            else if (strcmp(k, "limit") == 0) in->limit = (uint8_t)x;
            else if (strcmp(k, "rearm") == 0) in->rearm = (uint8_t)x;
            else if (strcmp(k, "sizes") == 0) in->sizes = (uint8_t)x;
            else if (k[0] == 'r' && k[1] >= '0' && k[1] <= '7' && k[2] == 0) in->r[k[1] - '0'] = (uint32_t)x;
            else if (strcmp(k, "tape") == 0) {
                char *s = (char *)v;
                in->ntape = 0;
                while (*s && in->ntape < PGV_FUZZ_MAX_TAPE) {
                    in->tape[in->ntape++] = (uint32_t)strtoul(s, &s, 0);
                    if (*s == ',')
                        s++;
                    else
                        break;
                }
                in->sizes = (uint8_t)((in->sizes & 0xF0u) | in->ntape);
            } else
                fprintf(stderr, "mkseeds: %s: unknown fuzz key '%s'\n", path, k);
        }
    }
    fclose(f);
    return program_layout;
}

static int from_source(const char *outdir, const char *dir, const char *file, const char *prefix)
{
    char path[4096], err[512], name[512];
    static pgv_fuzz_input in;
    pgv_image img;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (pgv_asm_file(path, &img, err, sizeof err) != 0) {
        fprintf(stderr, "mkseeds: skipping %s: %s\n", path, err);
        return 0;
    }
    defaults(&in);
    int program_layout = directives(path, &in) == 1;
    uint32_t n = 0;
    if (program_layout) {
        /* `; fuzz: layout=program`: the words go to the program region at 48 (the image
         * must start there) and the generated handler serves the traps */
        if (img.origin != PGV_FUZZ_ORIGIN)
            fprintf(stderr, "mkseeds: %s: layout=program needs .org %u\n", path, PGV_FUZZ_ORIGIN);
        if (img.entry != img.origin && img.entry - img.origin < img.len)
            in.prog[n++] = pgv_fuzz_enc(PGV_OPC_BR, 0, 0, 0, img.entry - img.origin);
        for (uint32_t i = 0; i < img.len && n < PGV_FUZZ_MAX_PROG; i++)
            in.prog[n++] = img.words[i];
    } else {
        /* image mode: the image IS guest storage from address 0 (its own low storage,
         * new PSW and handlers), entry from the image */
        if ((uint64_t)img.origin + img.len > PGV_FUZZ_MAX_PROG || img.entry > 2047u) {
            fprintf(stderr, "mkseeds: skipping %s: image beyond %u words or entry > 2047\n", path,
                    PGV_FUZZ_MAX_PROG);
            pgv_image_free(&img);
            return 0;
        }
        in.psw |= PGV_FUZZ_PSW_IMAGE;
        in.handler = 0;
        in.rsvd = (uint8_t)img.entry;
        in.hlen = (uint8_t)((img.entry >> 8) << 5);
        for (uint32_t i = 0; i < img.len; i++)
            in.prog[img.origin + i] = img.words[i];
        n = img.origin + img.len;
    }
    in.nprog = n;
    pgv_image_free(&img);
    size_t len = strlen(file);
    snprintf(name, sizeof name, "%s%.*s", prefix, (int)(len > 2 ? len - 2 : len), file);
    return write_input(outdir, name, &in);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mkseeds OUTDIR [DIR ...]\n");
        return 2;
    }
    if (strcmp(argv[1], "--minimal") == 0) {   /* one seed: ADDI r1, r1, 1; HALT */
        static pgv_fuzz_input in;
        if (argc != 3)
            return 2;
        defaults(&in);
        in.prog[0] = pgv_fuzz_enc(PGV_OPC_ADDI, 1, 1, 0, 1);
        in.prog[1] = pgv_fuzz_enc(PGV_OPC_HALT, 0, 0, 0, 0);
        in.nprog = 2;
        return write_input(argv[2], "minimal", &in) ? 2 : 0;
    }
    if (strcmp(argv[1], "--neutral") == 0) {
        if (argc != 3)
            return 2;
        pgv_rng r = { 0x4E55 };
        static pgv_fuzz_input in;
        for (int k = 0; k < 16; k++) {
            char name[64];
            pgv_gen_test(&r, &in, 64);
            in.cfg = 0;
            in.psw = 0;
            uint32_t q = PGV_FUZZ_ORIGIN + in.nprog + PGV_FUZZ_MIN_DATA + 16u * (uint32_t)(in.sizes >> 4);
            for (uint32_t i = 0; i < in.nprog; i++)
                in.prog[i] = pgv_gen_insn_op(&r, pgv_gen_opcode(&r, PGV_GEN_INNOCUOUS), i, in.nprog, q);
            in.prog[in.nprog - 1] = pgv_fuzz_enc(PGV_OPC_HALT, 0, 0, 0, 0);
            if (in.handler & PGV_FUZZ_H_CUSTOM)
                in.handler &= (uint8_t)~PGV_FUZZ_H_CUSTOM;
            snprintf(name, sizeof name, "neutral-%02d", k);
            if (write_input(argv[2], name, &in) != 0)
                return 2;
        }
        printf("mkseeds: 16 neutral seeds in %s\n", argv[2]);
        return 0;
    }
    const char *out = argv[1];
    int count = 0;
    for (int a = 2; a < argc; a++) {
        DIR *d = opendir(argv[a]);
        if (!d)
            continue;
        char *names[1024];
        size_t nn = 0;
        struct dirent *e;
        while ((e = readdir(d)) != 0 && nn < 1024) {
            size_t len = strlen(e->d_name);
            if (len > 2 && strcmp(e->d_name + len - 2, ".s") == 0)
                names[nn++] = strdup(e->d_name);
        }
        closedir(d);
        qsort(names, nn, sizeof *names, cmp_str);
        const char *prefix = strstr(argv[a], "examples") ? "ex-" : "seed-";
        for (size_t i = 0; i < nn; i++) {
            if (from_source(out, argv[a], names[i], prefix) != 0)
                return 2;
            count++;
            free(names[i]);
        }
    }
    pgv_rng r = { 0x5EED };
    static pgv_fuzz_input in;
    for (int k = 0; k < 64; k++) {
        char name[64];
        pgv_gen_test(&r, &in, 256);
        in.cfg = 0;   /* the campaign fixes the configuration; keep seeds neutral */
        snprintf(name, sizeof name, "gen-%02d", k);
        if (write_input(out, name, &in) != 0)
            return 2;
        count++;
    }
    printf("mkseeds: %d seeds in %s\n", count, out);
    return 0;
}
