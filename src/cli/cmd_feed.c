/*
 * cmd_feed.c - `patchline feed import|status|sync`: vulnerability feeds.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patchline/intel.h"
#include "patchline/inventory.h"

#include "cli_int.h"

static const char import_usage[] =
    "usage: patchline feed import [--force] [--as-of TIME] [KIND] FILE...\n"
    "Import feed files (gzip and xz are read as they are). KIND is one of the kinds\n"
    "listed by 'patchline feed status'; without it each file's kind is detected from\n"
    "its content (standard input '-' needs a KIND). All files are one transaction:\n"
    "a bad file changes nothing. Every entry a catalogue (kev, epss) no longer lists\n"
    "is named in a warning. Refused unless --force (which the audit log records):\n"
    "a feed dated more than 24 hours past the system clock; a catalogue that goes\n"
    "backwards, has more than 1 % fewer records than the last import, or whose\n"
    "removals over 30 days pass 1 % of the entries it ever listed.\n"
    "VEX documents (KIND openvex or csaf-vex, or detected: OpenVEX, and CSAF VEX of\n"
    "vendors other than Red Hat, whose CSAF is the csaf kind) are statements about\n"
    "findings, imported as 'inventory import' does; the next scan applies them.\n"
    "--as-of TIME (kev only): the catalogue as it stood at TIME: entries CISA added\n"
    "later are left out (to rebuild a history, or replay one with --now).\n";

static const char status_usage[] =
    "usage: patchline feed status [--format table|json|csv]\n"
    "The last import of every feed kind: version, release date, records, age in\n"
    "days (from the release date, else the import; a release date more than a day\n"
    "past the system clock does not count) and whether it is stale (older than 7\n"
    "days, relative to --now).\n";

void pl__cli_print_import(const struct pl_feed_result *res, const char *path)
{
    const struct pl_import_stats *st = &res->stats;
    char when[PL_TIME_STR_LEN];

    pl__cli_line(
        stdout,
        "%s: %s: %llu records, %llu new, %llu updated, %llu unchanged, %llu withdrawn%s%s%s%s",
        res->kind, path, (unsigned long long)st->records, (unsigned long long)st->inserted,
        (unsigned long long)st->updated, (unsigned long long)st->unchanged,
        (unsigned long long)st->withdrawn, st->version[0] ? ", version " : "", st->version,
        st->released ? ", released " : "", st->released ? pl_time_format(st->released, when) : "");
    if (st->later)
        pl__cli_line(stdout, "%s: %llu entries added after the as-of date left out", res->kind,
                     (unsigned long long)st->later);
}

void pl__cli_feed_notice(enum pl_feed_notice what, const char *kind, const char *text, void *data)
{
    const char *cmd = data;

    if (what == PL_FEED_REMOVED)
        pl__cli_warn("%s: warning: %s no longer lists %s", cmd, kind, text);
    else
        pl__cli_warn("%s: warning: accepted with --force: %s", cmd, text);
}

/* A VEX document: its statements, imported as `inventory import` does. */
static int import_vex(struct pl_cli *cli, const char *kind, const char *path)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_inv_import_opts o = {0};
    struct pl_inv_import_stats st = {0};
    const char *used = NULL;

    if (pl_inventory_import(cli->store, kind, path, &o, &st, &used, &err) != PL_OK)
        return pl__cli_fail(cli, "feed import", &err);
    pl__cli_line(stdout, "%s: %s: %llu VEX statements", used, path, (unsigned long long)st.vulns);
    return PL_EXIT_OK;
}

static int import_one(struct pl_cli *cli, const char *kind, const char *path,
                      const struct pl_import_opts *opts)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_feed_result res;
    const char *vex = NULL;

    if (pl_inventory_vex_choose(kind, path, &vex, &err) != PL_OK)
        return pl__cli_fail(cli, "feed import", &err);
    if (vex)
        return import_vex(cli, vex, path);
    if (pl_feed_import(cli->store, kind, path, opts, &res, &err) != PL_OK)
        return pl__cli_fail(cli, "feed import", &err);
    pl__cli_print_import(&res, path);
    return PL_EXIT_OK;
}

int pl__cli_cmd_feed_import(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"force", no_argument, NULL, 'f'},
        {"as-of", required_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static char cmd_name[] = "feed import";
    struct pl_import_opts opts = {0};
    struct pl_error err = PL_ERROR_INIT;
    const char *kind = NULL;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+fh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            opts.force = true;
            break;
        case 'A':
            if (pl_time_parse(optarg, &opts.as_of, &err) != PL_OK || opts.as_of <= 0)
                return pl__cli_usage(import_usage, "--as-of: want a time, not '%s'", optarg);
            break;
        case 'h':
            fputs(import_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(import_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind < argc &&
        (pl_feed_kind_known(argv[optind]) || pl_inventory_vex_kind_known(argv[optind])))
        kind = argv[optind++];
    if (optind == argc)
        return pl__cli_usage(import_usage, "no FILE to import");
    opts.progress = isatty(STDERR_FILENO) != 0;
    opts.notice = pl__cli_feed_notice;
    opts.notice_data = cmd_name;
    for (int i = optind; i < argc; i++) {
        struct pl_path_list files = {NULL, 0};
        int rc = PL_EXIT_OK;

        /* a folder is every regular file in it (OSV exports are a record per file) */
        if (!pl_path_is_dir(argv[i])) {
            rc = import_one(cli, kind, argv[i], &opts);
        } else if (pl_dir_list(argv[i], &files, &err) != PL_OK) {
            rc = pl__cli_fail(cli, "feed import", &err);
        } else if (files.n == 0) {
            pl__cli_warn("feed import: folder '%s' has no files", argv[i]);
            rc = PL_EXIT_ERROR;
        }
        for (size_t f = 0; rc == PL_EXIT_OK && f < files.n; f++)
            rc = import_one(cli, kind, files.paths[f], &opts);
        pl_path_list_release(&files);
        if (rc != PL_EXIT_OK)
            return rc;
    }
    return PL_EXIT_OK;
}

static struct pl_col status_cols[PL_FEED_STATUS_N_COLS];

static const struct pl_feed_row *row_of(const struct pl_feed_row *rows, size_t n, const char *kind)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].kind, kind) == 0)
            return &rows[i];
    return NULL;
}

static void status_row(struct pl_table *t, const char *kind, const struct pl_feed_row *r,
                       pl_time_t now)
{
    struct pl_feed_status_cells c;

    pl_feed_status_cells(kind, r, now, &c);
    for (size_t i = 0; i < PL_FEED_STATUS_N_COLS; i++)
        pl__cli_table_cell(t, c.v[i]);
    if (c.stale)
        pl__cli_warn("feed status: warning: %s is %lld days old (more than %d)", kind,
                     (long long)c.age_days, PL_FEED_STALE_DAYS);
}

int pl__cli_cmd_feed_status(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_feed_row *rows = NULL;
    struct pl_table t;
    size_t n = 0;
    int rc;

    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
            fputs(status_usage, stdout);
            return PL_EXIT_OK;
        }
        return pl__cli_usage(status_usage, "unexpected argument '%s'", argv[1]);
    }
    if (pl_store_feed_latest(cli->store, &rows, &n, &err) != PL_OK)
        return pl__cli_fail(cli, "feed status", &err);
    for (size_t i = 0; i < PL_FEED_STATUS_N_COLS; i++)
        status_cols[i] = (struct pl_col){pl_feed_status_col_names[i],
                                         (enum pl_col_type)pl_feed_status_col_types[i]};
    pl__cli_table_init(&t, status_cols, PL_ARRAY_LEN(status_cols));
    for (size_t i = 0; i < pl_feed_kind_count(); i++)
        status_row(&t, pl_feed_kind_name(i), row_of(rows, n, pl_feed_kind_name(i)), pl_clock_now());
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    free(rows);
    return rc;
}
