/*
 * cmd_handoff_results.c - `patchline handoff results import FILE --rollout ID
 * [--plan FILE] [--wave N|WAVE]`: read back the health results a tool
 * reported for a handed-off wave (Ansible json callback, AWX job host
 * summaries, SSM command invocations) in one transaction; the release gate
 * of the next ring reads them (docs/handoffs.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/handoff.h"
#include "patchline/parse.h"
#include "patchline/plan.h"

#include "cli_int.h"

static const char results_usage[] =
    "usage: patchline handoff results import FILE --rollout ID [--plan FILE] [--wave N|WAVE]\n"
    "Import the health results a tool reported for one handed-off wave of plan ID:\n"
    "the output of ansible-playbook with ANSIBLE_STDOUT_CALLBACK=json, an AWX\n"
    "/api/v2/jobs/N/job_host_summaries/ page, or aws ssm list-command-invocations\n"
    "--details. The next ring is released only when the results show its previous\n"
    "ring healthy after its watch (docs/handoffs.md).\n"
    "  --rollout ID   the stored plan the wave belongs to\n"
    "  --plan FILE    the plan file the plan was built with (default: the built-in plan)\n"
    "  --wave N|WAVE  the wave (number or hand-off id), when the file does not name it\n";

static const struct option results_longopts[] = {
    {"rollout", required_argument, NULL, 'r'},
    {"plan", required_argument, NULL, 'F'},
    {"wave", required_argument, NULL, 'w'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct results_args {
    const char *file, *plan_file, *wave;
    int64_t rollout;
};

static int parse(int argc, char **argv, struct results_args *a)
{
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "r:w:h", results_longopts, NULL)) != -1) {
        if (c == 'r' && (pl_parse_i64(optarg, &a->rollout, NULL) != PL_OK || a->rollout < 1))
            return pl__cli_usage(results_usage, "--rollout: want a plan id (a number), not '%s'",
                                 optarg);
        if (c == 'F')
            a->plan_file = optarg;
        else if (c == 'w')
            a->wave = optarg;
        else if (c == 'h') {
            fputs(results_usage, stdout);
            return -1;
        } else if (c != 'r') {
            fputs(results_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind + 2 != argc || strcmp(argv[optind], "import") != 0)
        return pl__cli_usage(results_usage, "handoff results: want 'import FILE'");
    a->file = argv[optind + 1];
    if (a->rollout == 0)
        return pl__cli_usage(results_usage, "handoff results import: --rollout ID is required");
    return PL_EXIT_OK;
}

void pl__cli_handoff_results_print(const struct pl_handoff_import *r)
{
    pl__cli_line(stdout,
                 "wave %d (%s): %zu healthy, %zu failed, %zu unreachable from %s; %zu hosts "
                 "still to report",
                 r->wave, r->wave_id, r->n_healthy, r->n_failed, r->n_unreachable, r->tool,
                 r->n_missing + r->n_pending);
    if (r->n_nothing)
        pl__cli_line(stdout, "%zu hosts had nothing to install and count as healthy", r->n_nothing);
    if (r->n_pending)
        pl__cli_warn("handoff results import: %zu SSM invocations are not finished: import "
                     "them again when they are",
                     r->n_pending);
}

static int import(struct pl_cli *cli, const struct results_args *a)
{
    struct pl_plan_config *c = NULL;
    struct pl_handoff_plan *plan = NULL;
    struct pl_handoff_import r;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_plan_config_load(a->plan_file, &c, &err) != PL_OK ||
        pl_handoff_plan_from_store(cli->store, a->rollout, c, &plan, &err) != PL_OK ||
        pl_handoff_results_import(cli->store, plan, a->file, a->wave, &r, &err) != PL_OK) {
        pl_handoff_plan_free(plan);
        pl_plan_config_free(c);
        return pl__cli_fail(cli, "handoff results import", &err);
    }
    pl__cli_handoff_results_print(&r);
    pl_handoff_plan_free(plan);
    pl_plan_config_free(c);
    return PL_EXIT_OK;
}

int pl__cli_cmd_handoff_results(int argc, char **argv, struct pl_cli *cli)
{
    struct results_args a = {0};
    int rc = parse(argc, argv, &a);

    if (rc != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if (pl__cli_server(cli)) /* the file goes to the server, which imports it as the caller */
        return pl__cli_remote_handoff_results(cli, a.rollout, a.file, a.plan_file, a.wave);
    if ((rc = pl__cli_open_store(cli, 0, true)) != PL_EXIT_OK)
        return rc;
    return pl__cli_end(cli, import(cli, &a));
}
