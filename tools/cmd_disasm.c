/* tools/cmd_disasm.c — placeholder until `pgv disasm` lands: reports that it is missing. */
#include <stdio.h>
#include "cmds.h"

int cmd_disasm(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "pgv %s: not implemented yet\n", argv[0]);
    return 2;
}
