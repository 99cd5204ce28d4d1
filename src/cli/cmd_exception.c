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
const char pl__cli_exception_show_usage[] =
    "usage: patchline exception show ID [--format table|json|csv]\n"
    "An exception and the findings in its scope.\n";
const char pl__cli_exception_revoke_usage[] =
    "usage: patchline exception revoke ID --reason TEXT\n";

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
        return pl__cli_fail(cli, "policy", &err);
    return PL_EXIT_OK;
}

static int add_asset(struct pl_exception_request *r, const char ***assets, const char *name)
{
    if (r->n_assets >= PL_MAX_EXCEPTION_ASSETS)
        return pl__cli_usage(add_usage, "more than %d assets", PL_MAX_EXCEPTION_ASSETS);
    *assets = pl_xrealloc(*assets, (r->n_assets + 1) * sizeof(**assets));
    (*assets)[r->n_assets++] = name;
    r->assets = *assets;
    return PL_EXIT_OK;
}

/* Parse add's options into r (assets collected into *assets, malloc'd). */
int pl__cli_exception_add_options(int argc, char **argv, struct pl_exception_request *r,
                                  const char ***assets, const char **policy)
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
                return pl__cli_usage(add_usage, "--finding: want a finding id, not '%s'", optarg);
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
        return pl__cli_usage(add_usage, "unexpected argument '%s'", argv[optind]);
    for (; optind < argc; optind++)
        if (add_asset(r, assets, argv[optind]) != PL_EXIT_OK)
            return PL_EXIT_USAGE;
    if (r->type == NULL)
        return pl__cli_usage(add_usage, "--type is required");
    return PL_EXIT_OK;
}

int pl__cli_cmd_exception_add(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_exception_request r = {0};
    struct pl_exception_row x;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *p = NULL;
    const char **assets = NULL, *policy = NULL;
    char when[PL_TIME_STR_LEN];
    int64_t id = 0;
    int rc = pl__cli_exception_add_options(argc, argv, &r, &assets, &policy);

    if (rc == PL_EXIT_OK && (rc = load_policy(cli, policy, &p)) == PL_EXIT_OK) {
        if (pl_exception_add(cli->store, p, &r, pl_clock_now(), &id, &err) != PL_OK ||
            pl_store_exception_get(cli->store, id, &x, &err) != PL_OK) {
            rc = pl__cli_fail(cli, "exception add", &err);
        } else {
            pl__cli_line(stdout,
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
int pl__cli_exception_id_command(int argc, char **argv, const char *usage,
                                 const struct option *longopts, int64_t *id, const char **opt_p,
                                 const char **opt_r)
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
        return pl__cli_usage(usage, "name an exception id");
    if (!parse_id(argv[optind], id))
        return pl__cli_usage(usage, "want an exception id, not '%s'", argv[optind]);
    if (optind + 1 != argc)
        return pl__cli_usage(usage, "unexpected argument '%s'", argv[optind + 1]);
    return PL_EXIT_OK;
}

int pl__cli_cmd_exception_approve(int argc, char **argv, struct pl_cli *cli)
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
    int rc =
        pl__cli_exception_id_command(argc, argv, approve_usage, longopts, &id, &policy, &unused);

    if (rc != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if ((rc = load_policy(cli, policy, &p)) != PL_EXIT_OK)
        return rc;
    if (pl_exception_approve(cli->store, p, id, pl_clock_now(), &err) != PL_OK ||
        pl_store_exception_get(cli->store, id, &x, &err) != PL_OK) {
        rc = pl__cli_fail(cli, "exception approve", &err);
    } else {
        pl__cli_line(stdout,
                     "exception %lld approved by %s: active until %s, covers %lld finding%s",
                     (long long)id, x.approver, pl_time_format(x.expires_at, when),
                     (long long)x.n_covered, x.n_covered == 1 ? "" : "s");
        pl_exception_row_release(&x);
    }
    pl_policy_free(p);
    return rc;
}

int pl__cli_cmd_exception_revoke(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"reason", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    const char *reason = NULL, *unused = NULL;
    int64_t id = 0;
    int rc = pl__cli_exception_id_command(argc, argv, pl__cli_exception_revoke_usage, longopts, &id,
                                          &unused, &reason);

    if (rc != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if (pl_exception_revoke(cli->store, id, reason, pl_clock_now(), &err) != PL_OK)
        return pl__cli_fail(cli, "exception revoke", &err);
    printf("exception %lld revoked; its findings are back on their clocks\n", (long long)id);
    return PL_EXIT_OK;
}

static struct pl_col list_cols[PL_EXCEPTION_N_COLS];

static void list_row(struct pl_table *t, const struct pl_exception_row *x, pl_time_t now)
{
    struct pl_exception_cells c;

    pl_exception_cells(x, now, &c);
    for (size_t i = 0; i < PL_EXCEPTION_N_COLS; i++)
        pl__cli_table_cell(t, c.v[i]);
}

int pl__cli_cmd_exception_list(int argc, char **argv, struct pl_cli *cli)
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
            return pl__cli_usage(list_usage, "--status: unknown status '%s'", optarg);
        else if (c == 'e' && pl_duration_parse(optarg, &d, &err) == PL_OK)
            before = pl_clock_now() + d;
        else if (c == 'e')
            return pl__cli_usage(list_usage, "--expiring: want a duration (14d), not '%s'", optarg);
        else if (c == 'h')
            return fputs(list_usage, stdout), PL_EXIT_OK;
        else
            return fputs(list_usage, stderr), PL_EXIT_USAGE;
    }
    if (optind != argc)
        return pl__cli_usage(list_usage, "unexpected argument '%s'", argv[optind]);
    /* a read: expiry is computed at --now, never recorded here (scan records it) */
    if (pl_store_exception_list(cli->store, NULL, before, &l, &err) != PL_OK)
        return pl__cli_fail(cli, "exception list", &err);
    for (size_t i = 0; i < PL_EXCEPTION_N_COLS; i++)
        list_cols[i] =
            (struct pl_col){pl_exception_col_names[i], (enum pl_col_type)pl_exception_col_types[i]};
    pl__cli_table_init(&t, list_cols, PL_ARRAY_LEN(list_cols));
    for (size_t i = 0; i < l.n; i++)
        if (!status || strcmp(pl_exception_status_at(&l.items[i], now), status) == 0)
            list_row(&t, &l.items[i], now);
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_exception_list_release(&l);
    return rc;
}

/* The rows of `exception show` (the library's cells, as the server sends them). */
static void fill_findings(struct pl_table *t, const struct pl_exception_findings *fs, int64_t id)
{
    for (size_t i = 0; i < fs->n; i++) {
        struct pl_exception_scope_cells c;

        pl_exception_scope_cells(&fs->items[i], id, pl_clock_now(), &c);
        for (size_t k = 0; k < PL_EXCEPTION_SCOPE_N_COLS; k++)
            pl__cli_table_cell(t, c.v[k]);
    }
}

static void fill_exception(struct pl_table *t, const struct pl_exception_row *x)
{
    struct pl_exception_show_cells c;

    pl_exception_show_cells(x, pl_clock_now(), &c);
    for (size_t k = 0; k < PL_EXCEPTION_SHOW_N_COLS; k++)
        pl__cli_table_cell(t, c.v[k]);
}

int pl__cli_cmd_exception_show(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_exception_findings fs = {NULL, 0};
    struct pl_exception_row x;
    const char *unused = NULL, *format = pl__cli_format(cli);
    struct pl_col exception_cols[PL_EXCEPTION_SHOW_N_COLS], finding_cols[PL_EXCEPTION_SCOPE_N_COLS];
    struct pl_table t, rec;
    int64_t id = 0;
    int rc = pl__cli_exception_id_command(argc, argv, pl__cli_exception_show_usage, longopts, &id,
                                          &unused, &unused);

    if (rc != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    /* a read: expiry is computed at --now, never recorded here (scan records it) */
    if (pl_store_exception_get(cli->store, id, &x, &err) != PL_OK)
        return pl__cli_fail(cli, "exception show", &err);
    if (pl_store_exception_scope(cli->store, id, &fs, &err) != PL_OK) {
        pl_exception_row_release(&x);
        return pl__cli_fail(cli, "exception show", &err);
    }
    pl__cli_cols_of(exception_cols, pl_exception_show_col_names, pl_exception_show_col_types,
                    PL_EXCEPTION_SHOW_N_COLS);
    pl__cli_cols_of(finding_cols, pl_exception_scope_col_names, pl_exception_scope_col_types,
                    PL_EXCEPTION_SCOPE_N_COLS);
    pl__cli_table_init(&rec, exception_cols, PL_EXCEPTION_SHOW_N_COLS);
    fill_exception(&rec, &x);
    pl__cli_table_init(&t, finding_cols, PL_EXCEPTION_SCOPE_N_COLS);
    fill_findings(&t, &fs, id);
    rc = pl__cli_table_render_record("exception", &rec, "findings", &t, format, stdout);
    pl__cli_table_release(&rec);
    pl__cli_table_release(&t);
    pl_exception_findings_release(&fs);
    pl_exception_row_release(&x);
    return rc;
}
