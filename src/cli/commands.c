/*
 * commands.c - the command table. To add a command: write cmd_<name>.c with
 * `int pl_cmd_<name>(int argc, char **argv, struct pl_cli *cli)`, declare it
 * in cli_int.h, and add one line here (the help output comes from here).
 */
#include "cli_int.h"

#define LIST_FORMATS "table,json,csv"

static const struct pl_command inventory_cmds[] = {
    {"import", pl_cmd_inventory_import, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, NULL,
     "import assets from a discovery source (CSV, Nmap, AWS, Azure, ...)", NULL},
    {"export", pl_cmd_inventory_export, PL_CMD_STORE, "csv", "export the assets as a CMDB CSV",
     NULL},
    {"collect", pl_cmd_inventory_collect, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, NULL,
     "record this host (or --root DIR) and its packages", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

static const struct pl_command window_cmds[] = {
    {"next", pl_cmd_window_next, PL_CMD_NOW, NULL, "next start times of a maintenance window",
     NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

const struct pl_command pl_commands[] = {
    {"help", pl_cmd_help, 0, NULL, "show help for patchline or one command", NULL},
    {"init", pl_cmd_init, PL_CMD_STORE | PL_CMD_WRITES, NULL, "create or migrate the store", NULL},
    {"audit", pl_cmd_audit, PL_CMD_STORE, LIST_FORMATS, "list recent audit events", NULL},
    {"cvss", pl_cmd_cvss, 0, NULL, "score CVSS v2, v3.x and v4.0 vectors", NULL},
    {"inventory", NULL, 0, NULL, "collect, import and export the asset inventory", inventory_cmds},
    {"assets", pl_cmd_assets, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, LIST_FORMATS,
     "list, show and curate assets (set, retire, merge, split)", NULL},
    {"packages", pl_cmd_packages, PL_CMD_STORE, LIST_FORMATS, "list the packages of one asset",
     NULL},
    {"window", NULL, 0, NULL, "maintenance windows", window_cmds},
    {NULL, NULL, 0, NULL, NULL, NULL},
};
