/* tools/cmd_diff.c — placeholder until `pgv diff` lands: reports that it is missing. */
#include <stdio.h>
#include "cmds.h"

int cmd_diff(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "pgv %s: not implemented yet\n", argv[0]);
    return 2;
}
