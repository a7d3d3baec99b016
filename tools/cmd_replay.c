/* tools/cmd_replay.c — placeholder until `pgv replay` lands: reports that it is missing. */
#include <stdio.h>
#include "cmds.h"

int cmd_replay(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "pgv %s: not implemented yet\n", argv[0]);
    return 2;
}
