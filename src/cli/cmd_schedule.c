/*
 * cmd_schedule.c - `patchline schedule run JOB`: run a job of the server's
 * schedule now (docs/server.md, "Scheduled work"), as the caller. There is
 * no local scheduler: the command needs --server (or PATCHLINE_SERVER).
 */
#include <stdio.h>
#include <string.h>

#include "cli_int.h"

static const char schedule_usage[] =
    "usage: patchline --server URL schedule run JOB\n"
    "Run a job of the server's schedule now, as you (an operator), and wait for it to end.\n"
    "JOB: feed-sync, scan, snapshot or notify-deliver, as the server's configuration\n"
    "names it (schedule.JOB). Only through a server (--server URL or PATCHLINE_SERVER,\n"
    "with PATCHLINE_TOKEN): the schedule is the server's.\n";

int pl__cli_cmd_schedule_run(int argc, char **argv, struct pl_cli *cli)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(schedule_usage, stdout);
            return PL_EXIT_OK;
        }
    if (argc != 2 || argv[1][0] == '-' || argv[1][0] == '\0')
        return pl__cli_usage(schedule_usage, "schedule run: name one JOB");
    if (pl__cli_server(cli) == NULL)
        return pl__cli_usage(schedule_usage,
                             "schedule run: the schedule is the server's: give --server URL (or "
                             "PATCHLINE_SERVER) and PATCHLINE_TOKEN");
    return pl__cli_remote_schedule_run(cli, argv[1]);
}
