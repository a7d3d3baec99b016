/* tools/cmd_asm.c — placeholder until `pgv asm` lands: reports that it is missing. */
#include <stdio.h>
#include "cmds.h"

int cmd_asm(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "pgv %s: not implemented yet\n", argv[0]);
    return 2;
}
