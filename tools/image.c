/* tools/image.c — the pgv image file format, program loading and booting (ISA manual §8, §10).
 *
 * An image is a block of `len` words placed at absolute address `origin`, plus an
 * entry point (the initial P of a native run, §8).  On disk (§10) it is five
 * little-endian 32-bit header words — magic "PGVI", version 1, entry, origin, length —
 * followed by exactly `length` words; every deviation (short file, trailing bytes,
 * foreign magic, unknown version, a block that could not fit in the largest storage
 * of 2^28 words, §2) is rejected with a one-line "FILE: message".  pgv_load_program
 * accepts either assembler source (`*.s`, tools/asm.c) or an image file, and
 * pgv_image_boot builds the native initial state of §8 from an image.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "image.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return 2;
}

void pgv_image_free(pgv_image *img)
{
    if (!img)
        return;
    free(img->words);
    img->words = NULL;
    img->len = 0;
}

static uint32_t get_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

int pgv_image_parse(const unsigned char *bytes, size_t n, const char *name, pgv_image *img,
                    char *err, size_t errlen)
{
    const size_t hdr = PGV_IMAGE_HEADER * 4u;
    img->origin = img->entry = img->len = 0;
    img->words = NULL;
    if (n < hdr)
        return fail(err, errlen, "%s: truncated image: %zu bytes, the header alone needs %zu",
                    name, n, hdr);
    uint32_t magic = get_le32(bytes), version = get_le32(bytes + 4);
    uint32_t entry = get_le32(bytes + 8), origin = get_le32(bytes + 12);
    uint32_t len = get_le32(bytes + 16);
    if (magic != PGV_IMAGE_MAGIC)
        return fail(err, errlen, "%s: not a pgv image (magic 0x%08X, expected 0x%08X \"PGVI\")",
                    name, magic, PGV_IMAGE_MAGIC);
    if (version != PGV_IMAGE_VERSION)
        return fail(err, errlen, "%s: unsupported image version %u (this pgv reads version %u)",
                    name, version, PGV_IMAGE_VERSION);
    if (len > PGV_IMAGE_MAX_WORDS)
        return fail(err, errlen, "%s: image length %u words exceeds the limit of 2^28 words",
                    name, len);
    if ((uint64_t)origin + len > PGV_IMAGE_MAX_WORDS)
        return fail(err, errlen,
                    "%s: image at origin 0x%X with %u words ends beyond address 2^28 "
                    "(the largest storage, §2)", name, origin, len);
    size_t body = n - hdr;
    if (body % 4u != 0)
        return fail(err, errlen, "%s: truncated image: %zu data bytes is not a whole number "
                    "of words", name, body);
    if (body / 4u < len)
        return fail(err, errlen, "%s: truncated image: header says %u words, file holds %zu",
                    name, len, body / 4u);
    if (body / 4u > len)
        return fail(err, errlen, "%s: %zu trailing bytes after the %u words the header declares",
                    name, body - (size_t)len * 4u, len);
    uint32_t *w = malloc(len ? (size_t)len * sizeof *w : 1u);
    if (!w)
        return fail(err, errlen, "%s: out of memory for %u words", name, len);
    for (uint32_t i = 0; i < len; i++)
        w[i] = get_le32(bytes + hdr + (size_t)i * 4u);
    img->origin = origin;
    img->entry = entry;
    img->len = len;
    img->words = w;
    return 0;
}

/* Read a whole file into memory (text or binary).  0, or 2 with "path: reason". */
int pgv_read_file(const char *path, unsigned char **data, size_t *n, char *err, size_t errlen)
{
    *data = NULL;
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        return fail(err, errlen, "%s: out of memory", path);
    }
    for (;;) {
        if (len == cap) {
            if (cap > ((size_t)1 << 34)) {
                free(buf);
                fclose(f);
                return fail(err, errlen, "%s: file too large", path);
            }
            unsigned char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                return fail(err, errlen, "%s: out of memory", path);
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                int e = errno;
                free(buf);
                fclose(f);
                return fail(err, errlen, "%s: read error: %s", path, strerror(e));
            }
            break;
        }
    }
    fclose(f);
    buf[len] = 0;   /* so text files can be used as C strings */
    *data = buf;
    *n = len;
    return 0;
}

int pgv_image_read(const char *path, pgv_image *img, char *err, size_t errlen)
{
    unsigned char *data;
    size_t n;
    img->origin = img->entry = img->len = 0;
    img->words = NULL;
    int rc = pgv_read_file(path, &data, &n, err, errlen);
    if (rc)
        return rc;
    rc = pgv_image_parse(data, n, path, img, err, errlen);
    free(data);
    return rc;
}

int pgv_image_write(const char *path, const pgv_image *img, char *err, size_t errlen)
{
    if (img->len > PGV_IMAGE_MAX_WORDS || (uint64_t)img->origin + img->len > PGV_IMAGE_MAX_WORDS)
        return fail(err, errlen, "%s: image of %u words at 0x%X does not fit below 2^28",
                    path, img->len, img->origin);
    FILE *f = fopen(path, "wb");
    if (!f)
        return fail(err, errlen, "%s: cannot create: %s", path, strerror(errno));
    unsigned char hdr[PGV_IMAGE_HEADER * 4u];
    put_le32(hdr, PGV_IMAGE_MAGIC);
    put_le32(hdr + 4, PGV_IMAGE_VERSION);
    put_le32(hdr + 8, img->entry);
    put_le32(hdr + 12, img->origin);
    put_le32(hdr + 16, img->len);
    int ok = fwrite(hdr, 1, sizeof hdr, f) == sizeof hdr;
    unsigned char buf[4096];
    size_t k = 0;
    for (uint32_t i = 0; ok && i < img->len; i++) {
        put_le32(buf + k, img->words[i]);
        k += 4;
        if (k == sizeof buf) {
            ok = fwrite(buf, 1, k, f) == k;
            k = 0;
        }
    }
    if (ok && k)
        ok = fwrite(buf, 1, k, f) == k;
    int e = errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (!ok)
        return fail(err, errlen, "%s: write error: %s", path, strerror(e));
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int pgv_load_program(const char *path, pgv_image *img, char *err, size_t errlen)
{
    if (ends_with(path, ".s") || ends_with(path, ".S"))
        return pgv_asm_file(path, img, err, errlen);
    return pgv_image_read(path, img, err, errlen);
}

int pgv_image_boot(const pgv_image *img, pgv_state *s, uint32_t *mem, uint32_t q,
                   uint32_t profile, char *err, size_t errlen)
{
    if (q < PGV_MIN_WORDS || q > PGV_MAX_WORDS)
        return fail(err, errlen, "storage of %u words is outside %u..2^28 words (§2)",
                    q, PGV_MIN_WORDS);
    if (profile >= PGV_NPROFILES)
        return fail(err, errlen, "unknown profile %u", profile);
    if ((uint64_t)img->origin + img->len > q)
        return fail(err, errlen,
                    "the image (0x%X..0x%X, %u words) does not fit in storage of %u words "
                    "(use a larger --mem)", img->origin,
                    img->len ? img->origin + img->len - 1u : img->origin, img->len, q);
    memset(mem, 0, (size_t)q * sizeof *mem);
    if (img->len)
        memcpy(mem + img->origin, img->words, (size_t)img->len * sizeof *mem);
    pgv_init(s, mem, q, profile, img->entry);
    return 0;
}
