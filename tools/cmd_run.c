/* tools/cmd_run.c — placeholder until `pgv run` lands: reports that it is missing. */
#include <stdio.h>
#include "cmds.h"

int cmd_run(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "pgv %s: not implemented yet\n", argv[0]);
    return 2;
}
