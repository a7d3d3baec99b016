/* tools/cmd_classify.c — placeholder until `pgv classify` lands: reports that it is missing. */
#include <stdio.h>
#include "cmds.h"

int cmd_classify(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "pgv %s: not implemented yet\n", argv[0]);
    return 2;
}
