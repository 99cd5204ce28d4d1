/*
 * cmd_rollback.c - `patchline rollback JOB`: put back the versions an apply
 * job replaced, from the package files it kept.
 */
#include <getopt.h>
#include <stdio.h>

#include "patchline/apply.h"
#include "patchline/file.h"
#include "patchline/parse.h"

#include "cli_int.h"

static const char rollback_usage[] =
    "usage: patchline rollback JOB [--root DIR] [--config FILE]\n"
    "Reinstall the versions apply job JOB replaced, from the package files it kept\n"
    "(no repository needed), run the restore hook, re-collect, reopen the findings the\n"
    "job closed. Recorded as a new job. --root defaults to the job's root.\n";

static void print_line(void *data, const char *line)
{
    (void)data;
    pl__cli_line(stdout, "%s", line);
}

int pl__cli_cmd_rollback(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"root", required_argument, NULL, 'r'},
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_apply_opts o = {0};
    struct pl_apply_result res;
    struct pl_error err = PL_ERROR_INIT;
    int64_t job;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+r:c:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            o.root = optarg;
            break;
        case 'c':
            o.config_path = optarg;
            break;
        case 'h':
            fputs(rollback_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(rollback_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return pl__cli_usage(rollback_usage, "give one job id");
    if (pl_parse_i64(argv[optind], &job, &err) != PL_OK || job < 1)
        return pl__cli_usage(rollback_usage, "'%s' is not a job id", argv[optind]);
    o.print = print_line;
    if (o.config_path == NULL && pl_path_exists("/etc/patchline/apply.conf"))
        o.config_path = "/etc/patchline/apply.conf";
    if (pl_apply_rollback(cli->store, job, &o, &res, &err) != PL_OK)
        return pl__cli_fail(cli, "rollback", &err);
    pl__cli_line(stdout, "job %lld %s: rollback of job %lld, %zu packages", (long long)res.job_id,
                 res.status, (long long)job, res.n_packages);
    return pl__cli_apply_exit(&res);
}
