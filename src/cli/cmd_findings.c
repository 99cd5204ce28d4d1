/*
 * cmd_findings.c - `patchline findings`: list findings (open by default)
 * with their tier, due date and overdue flag.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/match.h"
#include "patchline/parse.h"
#include "patchline/policy.h"
#include "patchline/report.h"

#include "cli_int.h"

static const char findings_usage[] =
    "usage: patchline findings [--tier N|NAME] [--asset A] [--status S] [--overdue] [--kev]\n"
    "                          [--unscored] [--policy NAME|FILE] [--format table|json|csv]\n"
    "List findings, most urgent first: open ones unless --status names another\n"
    "status (open fixed mitigated accepted false-positive package-removed\n"
    "asset-retired disputed not-affected awaiting-repo). --overdue keeps those past their due\n"
    "date at --now. Disputed and not-affected findings add the column 'why': the\n"
    "advisory comparison that contradicts the scanner, or the VEX statement.\n"
    "--tier takes a tier of the policy (--policy, default: the one that decided)\n"
    "by number or name; a tier it does not define is an error.\n";

/* The columns of pl_finding_col_names, with their types; JSON adds distro_decision, upgrade. */
static struct pl_col findings_cols[PL_FINDING_N_COLS + 2];

/* The tier of --tier under the policy named (NULL: the deciding one); an exit code, or -1. */
static int parse_tier(struct pl_cli *cli, const char *pname, const char *text, int *tier)
{
    struct pl_error err = PL_ERROR_INIT;

    if (pl_match_tier_parse(cli->store, pname, text, tier, &err) != PL_OK)
        return pl__cli_fail(cli, "findings --tier", &err);
    return -1;
}

static int parse(int argc, char **argv, struct pl_cli *cli, struct pl_finding_filter *f)
{
    static const struct option longopts[] = {
        {"tier", required_argument, NULL, 't'},
        {"asset", required_argument, NULL, 'a'},
        {"status", required_argument, NULL, 's'},
        {"overdue", no_argument, NULL, 'o'},
        {"kev", no_argument, NULL, 'k'},
        {"unscored", no_argument, NULL, 'u'},
        {"policy", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    const char *tier = NULL, *pname = NULL;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+t:a:s:okup:h", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            tier = optarg;
            break;
        case 'p':
            pname = optarg;
            break;
        case 'a':
            if (pl_store_asset_resolve(cli->store, optarg, &f->asset_id, &err) != PL_OK)
                return pl__cli_fail(cli, "findings", &err);
            break;
        case 's':
            if (!pl_report_finding_status_known(optarg))
                return pl__cli_usage(findings_usage, "--status: unknown status '%s'", optarg);
            f->status = optarg;
            break;
        case 'o':
            f->overdue = true;
            break;
        case 'k':
            f->kev = true;
            break;
        case 'u':
            f->unscored = true;
            break;
        case 'h':
            fputs(findings_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(findings_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return pl__cli_usage(findings_usage, "unexpected argument '%s'", argv[optind]);
    return tier ? parse_tier(cli, pname, tier, &f->tier) : -1;
}

struct list {
    struct pl_table t;
    pl_time_t now;
    bool why;
    bool decision; /* JSON: the distribution's decision not to fix, as its own field */
};

static pl_status row(void *ctx, const struct pl_finding *f, struct pl_error *err)
{
    struct list *l = ctx;
    struct pl_finding_cells c;

    (void)err;
    pl_report_finding_cells(f, l->now, &c);
    for (size_t i = 0; i < (size_t)PL_FINDING_N_COLS - !l->why; i++)
        pl__cli_table_cell(&l->t, c.v[i]);
    if (l->decision) {
        pl__cli_table_cell(&l->t, pl_report_finding_decision(f));
        pl__cli_table_cell(&l->t, pl_report_finding_upgrade(f));
    }
    return PL_OK;
}

/* The findings in the AWS Security Finding Format, for Security Hub. */
static int render_asff(const struct pl_finding_list *l, pl_time_t now)
{
    struct pl_asff_finding *a = pl_xcalloc(l->n + 1, sizeof(*a));
    struct pl_buf out = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    int rc = PL_EXIT_OK;

    for (size_t i = 0; i < l->n; i++) {
        const struct pl_finding *f = &l->items[i];
        enum pl_mx_status st = PL_MX_OPEN;

        for (int k = 0; k < PL_MX_N_STATUS; k++)
            if (strcmp(pl_mx_status_name((enum pl_mx_status)k), f->status) == 0)
                st = (enum pl_mx_status)k;
        a[i] = (struct pl_asff_finding){.id = f->id,
                                        .asset = f->asset_name,
                                        .vuln_id = f->vuln_id,
                                        .package = f->package,
                                        .installed_version = f->installed_version,
                                        .fixed_version = f->fixed_version,
                                        .severity = f->severity,
                                        .tier = f->tier,
                                        .status = st,
                                        .first_seen = f->first_seen,
                                        .updated_at = now};
    }
    if (pl_report_asff(a, l->n, NULL, &out, &err) != PL_OK)
        rc = pl__cli_fail(NULL, "findings", &err);
    else if (fwrite(pl_buf_cstr(&out), 1, out.len, stdout) != out.len)
        rc = PL_EXIT_ERROR;
    pl_buf_release(&out);
    free(a);
    return rc;
}

int pl__cli_cmd_findings(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_finding_filter f = {.tier = -1, .now = pl_clock_now()};
    struct pl_finding_list l = {NULL, 0, 0};
    struct pl_error err = PL_ERROR_INIT;
    struct list out;
    int rc;

    if ((rc = parse(argc, argv, cli, &f)) >= 0)
        return rc;
    if (strcmp(pl__cli_format(cli), "asff") == 0) {
        if (pl_store_findings_list(cli->store, &f, &l, &err) != PL_OK)
            return pl__cli_fail(cli, "findings", &err);
        rc = render_asff(&l, f.now);
        pl_finding_list_release(&l);
        return rc;
    }
    /* rows go out as they come: millions of findings are never held */
    out.now = f.now;
    out.why = pl_report_finding_has_why(f.status);
    out.decision = strcmp(pl__cli_format(cli), "json") == 0;
    for (size_t i = 0, k = 0; i < PL_FINDING_N_COLS; i++)
        if (out.why || i + 1 < PL_FINDING_N_COLS)
            findings_cols[k++] =
                (struct pl_col){pl_finding_col_names[i], (enum pl_col_type)pl_finding_col_types[i]};
    findings_cols[PL_FINDING_N_COLS - !out.why] = (struct pl_col){"distro_decision", PL_COL_TEXT};
    findings_cols[PL_FINDING_N_COLS - !out.why + 1] = (struct pl_col){"upgrade", PL_COL_TEXT};
    pl__cli_table_stream(&out.t, findings_cols, PL_FINDING_N_COLS - !out.why + 2 * out.decision,
                         pl__cli_format(cli), stdout);
    if (pl_store_findings_each(cli->store, &f, row, &out, &err) != PL_OK) {
        pl__cli_table_release(&out.t);
        return pl__cli_fail(cli, "findings", &err);
    }
    return pl__cli_table_finish(&out.t);
}
