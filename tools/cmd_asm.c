/* tools/cmd_asm.c — `pgv asm FILE.s [-o FILE.img]`: assemble into an image file (ISA manual §10).
 *
 * Assembles with tools/asm.c (syntax: spec/ASSEMBLY.md) and writes the image format of
 * tools/image.h.  Without -o the output is FILE.s with ".s" replaced by ".img".
 * Errors are printed as "file:line:col: error: message"; exit status 0 or 2.
 */
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "cli.h"

static void help(FILE *f)
{
    fprintf(f, "usage: pgv asm FILE.s [-o FILE.img]\n\n"
               "Assemble FILE.s (syntax: spec/ASSEMBLY.md) into an image file (default:\n"
               "FILE.img beside it).  Errors: file:line:col: error: message, exit status 2.\n\n"
               "options:\n"
               "  -o FILE        output image file\n"
               "  -h, --help     this help\n");
}

int cmd_asm(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        int bad;
        const char *v;
        if (pgv_cli_is_help(argv[i])) {
            help(stdout);
            return 0;
        }
        if ((v = pgv_cli_value("asm", argc, argv, &i, "-o", &bad))) {
            out = v;
            continue;
        }
        if (bad)
            return 2;
        if (argv[i][0] == '-' || in)
            return pgv_cli_unknown("asm", argv[i]);
        in = argv[i];
    }
    if (!in) {
        fprintf(stderr, "pgv asm: missing input file (usage: pgv asm FILE.s -o FILE.img)\n");
        return 2;
    }
    char *def = NULL;
    if (!out) {
        size_t n = strlen(in);
        def = malloc(n + 5);
        if (!def)
            return 2;
        memcpy(def, in, n + 1);
        if (n > 2 && strcmp(in + n - 2, ".s") == 0)
            def[n - 2] = 0;
        strcat(def, ".img");
        out = def;
    }
    pgv_image img;
    char err[1024];
    int rc = pgv_asm_file(in, &img, err, sizeof err);
    if (rc == 0) {
        rc = pgv_image_write(out, &img, err, sizeof err);
        pgv_image_free(&img);
    }
    if (rc)
        fprintf(stderr, "%s\n", err);
    free(def);
    return rc ? 2 : 0;
}
