/* tools/image.h — program images, the assembler and the disassembler (ISA manual §9, §10).
 *
 * An image is a block of words placed at an absolute origin, with an entry point.
 * File format (§10, all words little-endian 32-bit):
 *   word 0 magic 0x49564750 ("PGVI" in file byte order), word 1 version (1),
 *   word 2 entry, word 3 origin, word 4 length n, then n words.
 * A file shorter than its header says, longer, or with another magic/version is
 * rejected with a message.  The assembler reports errors as file:line:col.
 */
#ifndef PGV_TOOLS_IMAGE_H
#define PGV_TOOLS_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../model/pgv.h"

#define PGV_IMAGE_MAGIC   0x49564750u
#define PGV_IMAGE_VERSION 1u
#define PGV_IMAGE_HEADER  5u
#define PGV_IMAGE_MAX_WORDS PGV_MAX_WORDS

typedef struct pgv_image {
    uint32_t origin;   /* absolute address of words[0]                */
    uint32_t entry;    /* initial P                                   */
    uint32_t len;      /* number of words                             */
    uint32_t *words;   /* malloc'd; pgv_image_free releases it        */
} pgv_image;

void pgv_image_free(pgv_image *img);

/* Read/write the image file format.  Return 0 on success; on failure write one
 * line "FILE: message" into err (errlen bytes) and return 2.                    */
int pgv_image_read(const char *path, pgv_image *img, char *err, size_t errlen);
int pgv_image_write(const char *path, const pgv_image *img, char *err, size_t errlen);
/* Decode an image from memory (same checks as reading a file). */
int pgv_image_parse(const unsigned char *bytes, size_t n, const char *name, pgv_image *img,
                    char *err, size_t errlen);

/* Assemble source text `src` (named `name` in messages).  Return 0, or 2 with
 * "name:line:col: error: message" in err.                                      */
int pgv_asm_string(const char *src, const char *name, pgv_image *img, char *err, size_t errlen);
int pgv_asm_file(const char *path, pgv_image *img, char *err, size_t errlen);

/* Disassemble one word at address pc into buf: the instruction text (branch
 * targets as absolute addresses) or ".word 0x........" if the word is illegal.   */
void pgv_disasm_word(uint32_t w, uint32_t pc, char *buf, size_t n);
/* Disassemble a whole image as re-assemblable source (.org/.entry directives,
 * one word per line, address and hex in comments).                             */
void pgv_disasm_image(const pgv_image *img, FILE *out);

/* Read a whole file into a malloc'd buffer with a NUL appended (so text can be
 * used as a C string); *n excludes the NUL.  0, or 2 with "path: reason".     */
int pgv_read_file(const char *path, unsigned char **data, size_t *n, char *err, size_t errlen);

/* Load FILE.s (assembled) or any other file (read as an image).  0 or 2.       */
int pgv_load_program(const char *path, pgv_image *img, char *err, size_t errlen);

/* Place an image in zeroed storage of q words and initialise a native machine
 * (§8.3).  Returns 0, or 2 with a message if the image does not fit.           */
int pgv_image_boot(const pgv_image *img, pgv_state *s, uint32_t *mem, uint32_t q,
                   uint32_t profile, char *err, size_t errlen);

#endif
