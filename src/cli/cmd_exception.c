/*
 * cmd_exception.c - `patchline exception add|approve|list|show|revoke`:
 * exceptions and compensating controls (docs/exceptions.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/exception.h"
#include "patchline/limits.h"
#include "patchline/parse.h"

#include "cli_int.h"

static const char add_usage[] =
    "usage: patchline exception add --type TYPE SCOPE --justification TEXT --expires 30d|DATE\n"
    "                               [--policy NAME|FILE]\n"
    "SCOPE is one of: --finding ID; --cve CVE --select SELECTOR; --cve CVE --asset A [B...];\n"
    "--asset A [B...] (every finding of the assets). TYPE: waf-rule network-segmentation\n"
    "feature-disabled enhanced-monitoring access-restriction risk-acceptance false-positive.\n"
    "The exception is pending until another user approves it.\n";
static const char approve_usage[] = "usage: patchline exception approve [--policy NAME|FILE] ID\n"
                                    "Approve a pending (or needs-review) exception; the approver "
                                    "must not be its requester.\n";
static const char list_usage[] =
    "usage: patchline exception list [--status STATUS] [--expiring 14d] [--format table|json|csv]\n"
    "STATUS: pending active expired revoked needs-review.\n";
static const char show_usage[] = "usage: patchline exception show ID [--format table|json|csv]\n"
                                 "An exception and the findings in its scope.\n";
static const char revoke_usage[] = "usage: patchline exception revoke ID --reason TEXT\n";

/* Parse an exception id argument. */
static bool parse_id(const char *s, int64_t *id)
{
    struct pl_error err = PL_ERROR_INIT;

    return pl_parse_i64(s, id, &err) == PL_OK && *id > 0;
}

static int load_policy(struct pl_cli *cli, const char *name, struct pl_policy **p)
{
    struct pl_error err = PL_ERROR_INIT;

    if (pl_policy_load(name ? name : "default", p, &err) != PL_OK)
        return pl_cli_fail(cli, "policy", &err);
    return PL_EXIT_OK;
}

static int add_asset(struct pl_exception_request *r, const char ***assets, const char *name)
{
    if (r->n_assets >= PL_MAX_EXCEPTION_ASSETS)
        return pl_cli_usage(add_usage, "more than %d assets", PL_MAX_EXCEPTION_ASSETS);
    *assets = pl_xrealloc(*assets, (r->n_assets + 1) * sizeof(**assets));
    (*assets)[r->n_assets++] = name;
    r->assets = *assets;
    return PL_EXIT_OK;
}

/* Parse add's options into r (assets collected into *assets, malloc'd). */
static int add_options(int argc, char **argv, struct pl_exception_request *r, const char ***assets,
                       const char **policy)
{
    static const struct option longopts[] = {
        {"type", required_argument, NULL, 't'},    {"finding", required_argument, NULL, 'f'},
        {"cve", required_argument, NULL, 'c'},     {"select", required_argument, NULL, 's'},
        {"asset", required_argument, NULL, 'a'},   {"justification", required_argument, NULL, 'j'},
        {"expires", required_argument, NULL, 'e'}, {"policy", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    /* no '+': in "--asset A B C", B and C are operands, taken as more assets below */
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            r->type = optarg;
            break;
        case 'f':
            if (!parse_id(optarg, &r->finding_id))
                return pl_cli_usage(add_usage, "--finding: want a finding id, not '%s'", optarg);
            break;
        case 'c':
            r->vuln_id = optarg;
            break;
        case 's':
            r->selector = optarg;
            break;
        case 'a':
            if (add_asset(r, assets, optarg) != PL_EXIT_OK)
                return PL_EXIT_USAGE;
            break;
        case 'j':
            r->justification = optarg;
            break;
        case 'e':
            r->expires = optarg;
            break;
        case 'p':
            *policy = optarg;
            break;
        case 'h':
            fputs(add_usage, stdout);
            return -1;
        default:
            fputs(add_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc && r->n_assets == 0)
        return pl_cli_usage(add_usage, "unexpected argument '%s'", argv[optind]);
    for (; optind < argc; optind++)
        if (add_asset(r, assets, argv[optind]) != PL_EXIT_OK)
            return PL_EXIT_USAGE;
    if (r->type == NULL)
        return pl_cli_usage(add_usage, "--type is required");
    return PL_EXIT_OK;
}

int pl_cmd_exception_add(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_exception_request r = {0};
    struct pl_exception_row x;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *p = NULL;
    const char **assets = NULL, *policy = NULL;
    char when[PL_TIME_STR_LEN];
    int64_t id = 0;
    int rc = add_options(argc, argv, &r, &assets, &policy);

    if (rc == PL_EXIT_OK && (rc = load_policy(cli, policy, &p)) == PL_EXIT_OK) {
        if (pl_exception_add(cli->store, p, &r, pl_clock_now(), &id, &err) != PL_OK ||
            pl_store_exception_get(cli->store, id, &x, &err) != PL_OK) {
            rc = pl_cli_fail(cli, "exception add", &err);
        } else {
            pl_cli_line(stdout,
                        "exception %lld added: %s, pending approval by another user than %s; "
                        "expires %s",
                        (long long)id, x.type, x.requester, pl_time_format(x.expires_at, when));
            pl_exception_row_release(&x);
        }
    }
    pl_policy_free(p);
    free(assets);
    return rc < 0 ? PL_EXIT_OK : rc;
}

/* "ID" plus options; returns PL_EXIT_OK, -1 after --help, or a usage exit. */
static int id_command(int argc, char **argv, const char *usage, const struct option *longopts,
                      int64_t *id, const char **opt_p, const char **opt_r)
{
    int c;

    optind = 0;
    /* no '+': options may follow the id */
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'p')
            *opt_p = optarg;
        else if (c == 'r')
            *opt_r = optarg;
        else if (c == 'h')
            return fputs(usage, stdout), -1;
        else
            return fputs(usage, stderr), PL_EXIT_USAGE;
    }
    if (optind >= argc)
        return pl_cli_usage(usage, "name an exception id");
    if (!parse_id(argv[optind], id))
        return pl_cli_usage(usage, "want an exception id, not '%s'", argv[optind]);
    if (optind + 1 != argc)
        return pl_cli_usage(usage, "unexpected argument '%s'", argv[optind + 1]);
    return PL_EXIT_OK;
}

int pl_cmd_exception_approve(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"policy", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *p = NULL;
    struct pl_exception_row x;
    const char *policy = NULL, *unused = NULL;
    char when[PL_TIME_STR_LEN];
    int64_t id = 0;
    int rc = id_command(argc, argv, approve_usage, longopts, &id, &policy, &unused);

    if (rc != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if ((rc = load_policy(cli, policy, &p)) != PL_EXIT_OK)
        return rc;
    if (pl_exception_approve(cli->store, p, id, pl_clock_now(), &err) != PL_OK ||
        pl_store_exception_get(cli->store, id, &x, &err) != PL_OK) {
        rc = pl_cli_fail(cli, "exception approve", &err);
    } else {
        pl_cli_line(stdout, "exception %lld approved by %s: active until %s, covers %lld finding%s",
                    (long long)id, x.approver, pl_time_format(x.expires_at, when),
                    (long long)x.n_covered, x.n_covered == 1 ? "" : "s");
        pl_exception_row_release(&x);
    }
    pl_policy_free(p);
    return rc;
}

int pl_cmd_exception_revoke(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"reason", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    const char *reason = NULL, *unused = NULL;
    int64_t id = 0;
    int rc = id_command(argc, argv, revoke_usage, longopts, &id, &unused, &reason);

    if (rc != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if (pl_exception_revoke(cli->store, id, reason, pl_clock_now(), &err) != PL_OK)
        return pl_cli_fail(cli, "exception revoke", &err);
    printf("exception %lld revoked; its findings are back on their clocks\n", (long long)id);
    return PL_EXIT_OK;
}

static struct pl_col list_cols[PL_EXCEPTION_N_COLS];

static void list_row(struct pl_table *t, const struct pl_exception_row *x, pl_time_t now)
{
    struct pl_exception_cells c;

    pl_exception_cells(x, now, &c);
    for (size_t i = 0; i < PL_EXCEPTION_N_COLS; i++)
        pl_table_cell(t, c.v[i]);
}

int pl_cmd_exception_list(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"status", required_argument, NULL, 's'},
        {"expiring", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_exception_list l = {NULL, 0};
    const char *status = NULL;
    pl_time_t before = 0, now = pl_clock_now();
    struct pl_table t;
    int64_t d;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 's' && pl_exception_status_known(optarg))
            status = optarg;
        else if (c == 's')
            return pl_cli_usage(list_usage, "--status: unknown status '%s'", optarg);
        else if (c == 'e' && pl_duration_parse(optarg, &d, &err) == PL_OK)
            before = pl_clock_now() + d;
        else if (c == 'e')
            return pl_cli_usage(list_usage, "--expiring: want a duration (14d), not '%s'", optarg);
        else if (c == 'h')
            return fputs(list_usage, stdout), PL_EXIT_OK;
        else
            return fputs(list_usage, stderr), PL_EXIT_USAGE;
    }
    if (optind != argc)
        return pl_cli_usage(list_usage, "unexpected argument '%s'", argv[optind]);
    /* a read: expiry is computed at --now, never recorded here (scan records it) */
    if (pl_store_exception_list(cli->store, NULL, before, &l, &err) != PL_OK)
        return pl_cli_fail(cli, "exception list", &err);
    for (size_t i = 0; i < PL_EXCEPTION_N_COLS; i++)
        list_cols[i] =
            (struct pl_col){pl_exception_col_names[i], (enum pl_col_type)pl_exception_col_types[i]};
    pl_table_init(&t, list_cols, PL_ARRAY_LEN(list_cols));
    for (size_t i = 0; i < l.n; i++)
        if (!status || strcmp(pl_exception_status_at(&l.items[i], now), status) == 0)
            list_row(&t, &l.items[i], now);
    rc = pl_table_render(&t, pl_cli_format(cli), stdout);
    pl_table_release(&t);
    pl_exception_list_release(&l);
    return rc;
}

static const struct pl_col finding_cols[] = {
    {"finding", PL_COL_INT},  {"asset", PL_COL_TEXT},   {"vuln", PL_COL_TEXT},
    {"package", PL_COL_TEXT}, {"status", PL_COL_TEXT},  {"tier", PL_COL_INT},
    {"due", PL_COL_TEXT},     {"overdue", PL_COL_BOOL}, {"covered_by", PL_COL_INT},
    {"until", PL_COL_TEXT},
};

static void fill_findings(struct pl_table *t, const struct pl_exception_findings *fs, int64_t id)
{
    pl_time_t now = pl_clock_now();

    for (size_t i = 0; i < fs->n; i++) {
        const struct pl_exception_finding *f = &fs->items[i];
        bool covered = f->exception_id == id && strcmp(f->status, "open") != 0;

        pl_table_cell_i64(t, f->id);
        pl_table_cell(t, f->asset);
        pl_table_cell(t, f->vuln_id);
        pl_table_cell(t, f->package);
        pl_table_cell(t, f->status);
        if (f->tier >= 0)
            pl_table_cell_i64(t, f->tier);
        else
            pl_table_cell(t, NULL);
        pl_table_cell_time(t, f->due_at, f->due_at == 0);
        pl_table_cell(t, pl_finding_overdue(f->status, f->due_at, now) ? "true" : "false");
        if (covered)
            pl_table_cell_i64(t, id);
        else
            pl_table_cell(t, NULL);
        pl_table_cell_time(t, f->mitigated_until, f->exception_id != id || f->mitigated_until == 0);
    }
}

static const struct pl_col exception_cols[] = {
    {"id", PL_COL_INT},         {"type", PL_COL_TEXT},       {"status", PL_COL_TEXT},
    {"scope", PL_COL_TEXT},     {"finding", PL_COL_INT},     {"vuln", PL_COL_TEXT},
    {"selector", PL_COL_TEXT},  {"assets", PL_COL_TEXT},     {"justification", PL_COL_TEXT},
    {"requester", PL_COL_TEXT}, {"requested", PL_COL_TEXT},  {"approver", PL_COL_TEXT},
    {"approved", PL_COL_TEXT},  {"expires", PL_COL_TEXT},    {"ended", PL_COL_TEXT},
    {"ended_by", PL_COL_TEXT},  {"end_reason", PL_COL_TEXT}, {"covered", PL_COL_INT},
};

/* The exception as one row of exception_cols. */
static void fill_exception(struct pl_table *t, const struct pl_exception_row *x)
{
    pl_table_cell_i64(t, x->id);
    pl_table_cell(t, x->type);
    pl_table_cell(t, pl_exception_status_at(x, pl_clock_now()));
    pl_table_cell(t, x->scope);
    if (x->finding_id)
        pl_table_cell_i64(t, x->finding_id);
    else
        pl_table_cell(t, NULL);
    pl_table_cell(t, x->vuln_id);
    pl_table_cell(t, x->selector);
    pl_table_cell(t, x->assets);
    pl_table_cell(t, x->justification);
    pl_table_cell(t, x->requester);
    pl_table_cell_time(t, x->requested_at, false);
    pl_table_cell(t, x->approver);
    pl_table_cell_time(t, x->approved_at, x->approved_at == 0);
    pl_table_cell_time(t, x->expires_at, false);
    pl_table_cell_time(t, x->ended_at, x->ended_at == 0);
    pl_table_cell(t, x->ended_by);
    pl_table_cell(t, x->end_reason);
    pl_table_cell_i64(t, x->n_covered);
}

int pl_cmd_exception_show(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_exception_findings fs = {NULL, 0};
    struct pl_exception_row x;
    const char *unused = NULL, *format = pl_cli_format(cli);
    struct pl_table t, rec;
    int64_t id = 0;
    int rc = id_command(argc, argv, show_usage, longopts, &id, &unused, &unused);

    if (rc != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    /* a read: expiry is computed at --now, never recorded here (scan records it) */
    if (pl_store_exception_get(cli->store, id, &x, &err) != PL_OK)
        return pl_cli_fail(cli, "exception show", &err);
    if (pl_store_exception_scope(cli->store, id, &fs, &err) != PL_OK) {
        pl_exception_row_release(&x);
        return pl_cli_fail(cli, "exception show", &err);
    }
    pl_table_init(&rec, exception_cols, PL_ARRAY_LEN(exception_cols));
    fill_exception(&rec, &x);
    pl_table_init(&t, finding_cols, PL_ARRAY_LEN(finding_cols));
    fill_findings(&t, &fs, id);
    rc = pl_table_render_record("exception", &rec, "findings", &t, format, stdout);
    pl_table_release(&rec);
    pl_table_release(&t);
    pl_exception_findings_release(&fs);
    pl_exception_row_release(&x);
    return rc;
}
