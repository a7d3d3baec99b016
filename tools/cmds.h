/* tools/cmds.h — the subcommands of `pgv` (README §Usage, ISA manual §13).
 *
 * Each subcommand lives in its own tools/cmd_NAME.c and has the signature of main:
 * argv[0] is the subcommand name.  Exit codes (all commands): 0 success (for diff:
 * equivalent), 1 a negative verdict (diff: divergent or resource control violated;
 * classify: the derived table disagrees with the manual), 2 usage or input error.
 */
#ifndef PGV_TOOLS_CMDS_H
#define PGV_TOOLS_CMDS_H

int cmd_asm(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_table(int argc, char **argv);

#endif
