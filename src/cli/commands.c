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
    {"cvss", pl_cmd_cvss, 0, NULL, "score CVSS v2, v3.x and v4.0 vectors", NULL},
    {"report", pl_cmd_report, PL_CMD_STORE | PL_CMD_NOW, "html,md,json,csv",
     "monthly or quarterly report: SLA, time to patch, coverage, backlog", NULL},
    {"metrics", pl_cmd_metrics, PL_CMD_STORE | PL_CMD_NOW, "table,json,prometheus",
     "the report's metrics for monitoring (Prometheus text)", NULL},
    {"snapshot", pl_cmd_snapshot, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, NULL,
     "record today's backlog for the trend (idempotent)", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};
