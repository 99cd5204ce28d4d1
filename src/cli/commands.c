/*
 * commands.c - the command table. To add a command: write cmd_<name>.c with
 * `int pl_cmd_<name>(int argc, char **argv, struct pl_cli *cli)`, declare it
 * in cli_int.h, and add one line here (the help output comes from here).
 */
#include "cli_int.h"

#define LIST_FORMATS "table,json,csv"

const struct pl_command pl_commands[] = {
    {"help", pl_cmd_help, 0, NULL, "show help for patchline or one command", NULL},
    {"init", pl_cmd_init, PL_CMD_STORE | PL_CMD_WRITES, NULL, "create or migrate the store", NULL},
    {"audit", pl_cmd_audit, PL_CMD_STORE, LIST_FORMATS, "list recent audit events", NULL},
    {"vercmp", pl_cmd_vercmp, 0, NULL, "compare two versions under a scheme's order", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};
