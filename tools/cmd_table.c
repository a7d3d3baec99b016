/* tools/cmd_table.c — placeholder until `pgv table` lands: reports that it is missing. */
#include <stdio.h>
#include "cmds.h"

int cmd_table(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "pgv %s: not implemented yet\n", argv[0]);
    return 2;
}
