/* tools/cmd_disasm.c — `pgv disasm FILE`: an image (or FILE.s) as re-assemblable source (ISA §4).
 *
 * Prints pgv_disasm_image: .org/.entry, then one word per line with its address and
 * hex in a comment; `pgv asm` of the output gives back the identical image.
 */
#include "cmds.h"
#include "cli.h"

static void help(FILE *f)
{
    fprintf(f, "usage: pgv disasm FILE.img|FILE.s\n\n"
               "Print the image as assembler source that re-assembles to the identical image:\n"
               ".org/.entry, one word per line, \"; 0xADDR: 0xWORD\" comments; illegal words\n"
               "(ISA §4) as .word.\n\n"
               "options:\n"
               "  -h, --help     this help\n");
}

int cmd_disasm(int argc, char **argv)
{
    const char *in = NULL;
    for (int i = 1; i < argc; i++) {
        if (pgv_cli_is_help(argv[i])) {
            help(stdout);
            return 0;
        }
        if (argv[i][0] == '-' || in)
            return pgv_cli_unknown("disasm", argv[i]);
        in = argv[i];
    }
    if (!in) {
        fprintf(stderr, "pgv disasm: missing input file (usage: pgv disasm FILE.img)\n");
        return 2;
    }
    pgv_image img;
    char err[1024];
    if (pgv_load_program(in, &img, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    pgv_disasm_image(&img, stdout);
    pgv_image_free(&img);
    return 0;
}
