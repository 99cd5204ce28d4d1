/*
 * cmd_report.c - `patchline report`: the monthly or quarterly report as
 * HTML, Markdown, JSON or CSV (docs/reports.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/match.h"
#include "patchline/policy.h"
#include "patchline/report.h"

#include "cli_int.h"

static const char report_usage[] =
    "usage: patchline report [--period month|quarter] [--from TIME --to TIME] [-o FILE]\n"
    "                        [--policy NAME|FILE] [--format html|md|json|csv]\n"
    "Report SLA compliance, time to patch, coverage, backlog and KEV incidents for the\n"
    "calendar month (default) or quarter ending at --now. The tiers, their names and\n"
    "SLAs are those of --policy (default: the policy that decided the findings).\n"
    "Reads the store only.\n";

/*
 * Parse --period/--from/--to/--policy shared by report and metrics; returns
 * PL_EXIT_OK, -1 after --help, or a usage exit. *policy gets the --policy
 * value (NULL when absent).
 */
int pl__cli_report_opts(int argc, char **argv, const char *usage, struct pl_report_opts *o,
                        const char **out_path, const char **policy)
{
    static const struct option longopts[] = {
        {"period", required_argument, NULL, 'p'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},
        {"policy", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    bool from = false, to = false;
    int c;

    o->period = PL_PERIOD_MONTH;
    o->now = pl_clock_now();
    optind = 0;
    *policy = NULL;
    while ((c = getopt_long(argc, argv, out_path ? "+p:f:t:o:P:h" : "+p:f:t:P:h", longopts,
                            NULL)) != -1) {
        switch (c) {
        case 'P':
            *policy = optarg;
            break;
        case 'p':
            if (strcmp(optarg, "month") != 0 && strcmp(optarg, "quarter") != 0)
                return pl__cli_usage(usage, "--period: want month or quarter, not '%s'", optarg);
            o->period = strcmp(optarg, "month") == 0 ? PL_PERIOD_MONTH : PL_PERIOD_QUARTER;
            break;
        case 'f':
        case 't':
            if (pl_time_parse(optarg, c == 'f' ? &o->from : &o->to, &err) != PL_OK)
                return pl__cli_usage(usage, "--%s: %s", c == 'f' ? "from" : "to", err.msg);
            *(c == 'f' ? &from : &to) = true;
            break;
        case 'o':
            if (out_path == NULL)
                return pl__cli_usage(usage, "unexpected option -o");
            *out_path = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return -1;
        default:
            fputs(usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return pl__cli_usage(usage, "unexpected argument '%s'", argv[optind]);
    if (from != to)
        return pl__cli_usage(usage, "--from and --to go together");
    if (from) {
        if (o->from >= o->to)
            return pl__cli_usage(usage, "--from must be before --to");
        o->period = PL_PERIOD_RANGE;
    }
    return PL_EXIT_OK;
}

int pl__cli_report_emit(const struct pl_buf *b, const char *path)
{
    struct pl_error err = PL_ERROR_INIT;
    FILE *fp = stdout;
    bool ok;

    if (path && pl_file_create(path, 0666, &fp, &err) != PL_OK) {
        pl__cli_warn("report: %s", err.msg);
        return PL_EXIT_ERROR;
    }
    ok = fwrite(pl_buf_cstr(b), 1, b->len, fp) == b->len;
    if (path && fclose(fp) != 0)
        ok = false;
    if (!ok) {
        pl__cli_warn("report: cannot write '%s'", path ? path : "stdout");
        return PL_EXIT_ERROR;
    }
    return PL_EXIT_OK;
}

int pl__cli_cmd_report(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_report_opts o = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_policy *policy = NULL;
    struct pl_report r;
    const char *path = NULL, *pname, *fmt = pl__cli_format(cli);
    pl_status rc;
    int x;

    if ((x = pl__cli_report_opts(argc, argv, report_usage, &o, &path, &pname)) != PL_EXIT_OK)
        return x < 0 ? PL_EXIT_OK : x;
    if (pl_match_policy_load(cli->store, pname, &policy, &err) != PL_OK)
        return pl__cli_fail(cli, "report", &err);
    o.policy = policy;
    rc = pl_report_build(cli->store, &o, &r, &err);
    pl_policy_free(policy);
    if (rc != PL_OK)
        return pl__cli_fail(cli, "report", &err);
    if (strcmp(fmt, "md") == 0)
        rc = pl_report_markdown(&r, &b, &err);
    else if (strcmp(fmt, "json") == 0)
        rc = pl_report_json(&r, &b, &err);
    else if (strcmp(fmt, "csv") == 0)
        rc = pl_report_csv(&r, &b, &err);
    else
        rc = pl_report_html(&r, &b, &err);
    pl_report_release(&r);
    x = rc == PL_OK ? pl__cli_report_emit(&b, path) : pl__cli_fail(cli, "report", &err);
    pl_buf_release(&b);
    return x;
}
