/*
 * cmd_assets.c - `patchline assets`: the asset inventory, and its curation:
 * show, set, retire, merge, split.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/parse.h"

#include "cli_int.h"

static const char assets_usage[] =
    "usage: patchline assets [--unmanaged] [--conflicts] [--stale DAYS] [--select SELECTOR]\n"
    "                        [--retired]\n"
    "       patchline assets show ASSET      (each attribute: effective value, source, losers)\n"
    "       patchline assets set ASSET FIELD=VALUE... (owner env exposure criticality os arch\n"
    "                                 kernel last_patched kind name managed; tag+=TAG tag-=TAG;\n"
    "                                 an observed attribute is pinned, FIELD= unpins it)\n"
    "       patchline assets precedence FILE | --default\n"
    "       patchline assets livepatch ASSET FILE (canonical-livepatch status --format json, or\n"
    "                                           kpatch list)\n"
    "       patchline assets retire ASSET\n"
    "       patchline assets merge ASSET OTHER   (OTHER's sources join ASSET)\n"
    "       patchline assets split ASSET SOURCE  (SOURCE's observations leave ASSET)\n"
    "List the assets in the inventory with their package counts, or curate one.\n"
    "  --unmanaged      only assets no source that can patch covers (only discovery\n"
    "                   sources saw them)\n"
    "  --conflicts      only assets whose sources name disagreeing OSes\n"
    "  --stale DAYS     only assets not seen for DAYS days before --now\n"
    "  --select SEL     only assets matching SEL: env=prod,kind=host,tag=pci,exposure=yes,\n"
    "                   owner=ops,os=debian,name=web-*,criticality=high\n"
    "  --retired        include retired assets\n";

static struct pl_col asset_cols[PL_ASSET_N_COLS];

static pl_status list_row(void *ctx, const struct pl_asset_info *x, struct pl_error *err)
{
    struct pl_table *t = ctx;
    struct pl_asset_cells c;

    (void)err;
    pl_asset_cells(&x->a, &c);
    for (size_t i = 0; i < PL_ASSET_N_COLS; i++)
        pl__cli_table_cell(t, c.v[i]);
    return PL_OK;
}

/* Rows go out as they come: a million assets are never held in memory. */
static int list_assets(struct pl_cli *cli, const struct pl_asset_query *q)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_table t;
    int rc;

    for (size_t i = 0; i < PL_ASSET_N_COLS; i++)
        asset_cols[i] =
            (struct pl_col){pl_asset_col_names[i], (enum pl_col_type)pl_asset_col_types[i]};
    pl__cli_table_stream(&t, asset_cols, PL_ARRAY_LEN(asset_cols), pl__cli_format(cli), stdout);
    if (pl_store_asset_each(cli->store, q, list_row, &t, &err) != PL_OK) {
        pl__cli_table_release(&t);
        return pl__cli_fail(cli, "assets", &err);
    }
    rc = pl__cli_table_finish(&t);
    return rc;
}

static int resolve(struct pl_cli *cli, const char *what, const char *ref, int64_t *id)
{
    struct pl_error err = PL_ERROR_INIT;

    if (pl_store_asset_resolve(cli->store, ref, id, &err) != PL_OK)
        return pl__cli_fail(cli, what, &err);
    return PL_EXIT_OK;
}

static int cmd_set(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    int64_t id;
    int rc;

    if (argc < 3)
        return pl__cli_usage(assets_usage, "assets set: want ASSET FIELD=VALUE...");
    if ((rc = resolve(cli, "assets set", argv[1], &id)) != PL_EXIT_OK)
        return rc;
    for (int i = 2; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        pl_status st;

        if (eq == NULL || eq == argv[i])
            return pl__cli_usage(assets_usage, "assets set: '%s': want FIELD=VALUE", argv[i]);
        *eq = '\0';
        if (strcmp(argv[i], "tag+") == 0 || strcmp(argv[i], "tag-") == 0)
            st = pl_store_asset_tag(cli->store, id, eq + 1, argv[i][3] == '+', &err);
        else
            st = pl_store_asset_set(cli->store, id, argv[i], eq + 1, &err);
        if (st != PL_OK)
            return pl__cli_fail(cli, "assets set", &err);
    }
    printf("asset %lld updated\n", (long long)id);
    return PL_EXIT_OK;
}

static int cmd_retire(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    int64_t id;
    int rc;

    if (argc != 2)
        return pl__cli_usage(assets_usage, "assets retire: want ASSET");
    if ((rc = resolve(cli, "assets retire", argv[1], &id)) != PL_EXIT_OK)
        return rc;
    if (pl_store_asset_retire(cli->store, id, &err) != PL_OK)
        return pl__cli_fail(cli, "assets retire", &err);
    printf("asset %lld retired\n", (long long)id);
    return PL_EXIT_OK;
}

static int cmd_merge(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    int64_t into, from;
    int rc;

    if (argc != 3)
        return pl__cli_usage(assets_usage, "assets merge: want ASSET OTHER");
    if ((rc = resolve(cli, "assets merge", argv[1], &into)) != PL_EXIT_OK ||
        (rc = resolve(cli, "assets merge", argv[2], &from)) != PL_EXIT_OK)
        return rc;
    if (pl_store_asset_merge(cli->store, into, from, &err) != PL_OK)
        return pl__cli_fail(cli, "assets merge", &err);
    printf("asset %lld merged into asset %lld\n", (long long)from, (long long)into);
    return PL_EXIT_OK;
}

static int cmd_split(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    int64_t id, new_id = 0;
    int rc;

    if (argc != 3)
        return pl__cli_usage(assets_usage, "assets split: want ASSET SOURCE");
    if ((rc = resolve(cli, "assets split", argv[1], &id)) != PL_EXIT_OK)
        return rc;
    if (pl_store_asset_split(cli->store, id, argv[2], &new_id, &err) != PL_OK)
        return pl__cli_fail(cli, "assets split", &err);
    pl__cli_line(stdout, "source '%s' of asset %lld split into asset %lld", argv[2], (long long)id,
                 (long long)new_id);
    return PL_EXIT_OK;
}

int pl__cli_assets_show_print(const struct pl_asset_show *x)
{
    int rc = PL_EXIT_OK;

    for (size_t i = 0; i < PL_ASSET_SHOW_N && rc == PL_EXIT_OK; i++) {
        const struct pl_asset_show_section *sec = &pl_asset_show_sections[i];
        const struct pl_text_rows *r = &x->s[i];
        struct pl_col cols[16];
        struct pl_table t;

        if (r->n_rows == 0)
            continue;
        if (sec->title)
            printf("\n%s:\n", sec->title);
        pl__cli_cols_of(cols, sec->names, sec->types, sec->n_cols);
        pl__cli_table_init(&t, cols, sec->n_cols);
        for (size_t k = 0; k < r->n_rows * r->n_cols; k++)
            pl__cli_table_cell(&t, r->cells[k]);
        rc = pl__cli_table_render(&t, "table", stdout);
        pl__cli_table_release(&t);
    }
    return rc;
}

static int cmd_show(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_buf b = PL_BUF_INIT((size_t)16 * 1024 * 1024);
    struct pl_error err = PL_ERROR_INIT;
    struct pl_asset_show x;
    int64_t id;
    int rc;

    if (argc != 2)
        return pl__cli_usage(assets_usage, "assets show: want ASSET");
    if ((rc = resolve(cli, "assets show", argv[1], &id)) != PL_EXIT_OK)
        return rc;
    if (strcmp(pl__cli_format(cli), "json") == 0) {
        if (pl_store_asset_show_json(cli->store, id, pl_clock_now(), &b, &err) != PL_OK)
            rc = pl__cli_fail(cli, "assets show", &err);
        else
            fputs(pl_buf_cstr(&b), stdout);
        pl_buf_release(&b);
        return rc;
    }
    if (pl_store_asset_show(cli->store, id, pl_clock_now(), &x, &err) != PL_OK)
        return pl__cli_fail(cli, "assets show", &err);
    rc = pl__cli_assets_show_print(&x);
    pl_asset_show_release(&x);
    return rc;
}

static const struct {
    const char *verb;
    int (*fn)(int argc, char **argv, struct pl_cli *cli);
    bool writes; /* in one transaction; refused on a real store with --now */
} verbs[] = {
    {"show", cmd_show, false},
    {"set", cmd_set, true},
    {"retire", cmd_retire, true},
    {"merge", cmd_merge, true},
    {"split", cmd_split, true},
    {"precedence", pl__cli_assets_precedence, true},
    {"livepatch", pl__cli_assets_livepatch, true},
};

static int run_verb(size_t i, int argc, char **argv, struct pl_cli *cli)
{
    int rc;

    /* the dispatcher opens no store for --help: answer it before a verb needs one */
    for (int k = 1; k < argc && strcmp(argv[k], "--") != 0; k++)
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
            fputs(assets_usage, stdout);
            return PL_EXIT_OK;
        }
    if (!verbs[i].writes)
        return verbs[i].fn(argc, argv, cli);
    if ((rc = pl__cli_begin(cli)) != PL_EXIT_OK)
        return rc;
    return pl__cli_end(cli, verbs[i].fn(argc, argv, cli));
}

int pl__cli_cmd_assets(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"unmanaged", no_argument, NULL, 'u'},
        {"stale", required_argument, NULL, 's'},
        {"select", required_argument, NULL, 'S'},
        {"retired", no_argument, NULL, 'r'},
        {"conflicts", no_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_asset_selector sel = {0};
    struct pl_asset_query q = {0};
    struct pl_error err = PL_ERROR_INIT;
    int c, rc;

    if (argc > 1)
        for (size_t i = 0; i < PL_ARRAY_LEN(verbs); i++)
            if (strcmp(argv[1], verbs[i].verb) == 0)
                return run_verb(i, argc - 1, argv + 1, cli);
    optind = 0;
    while ((c = getopt_long(argc, argv, "+ucs:S:rh", longopts, NULL)) != -1) {
        if (c == 'u') {
            q.unmanaged = true;
        } else if (c == 'c') {
            q.conflicts = true;
        } else if (c == 's') {
            if (pl_parse_i64(optarg, &q.stale_days, &err) != PL_OK || q.stale_days < 0) {
                pl_asset_selector_release(&sel);
                return pl__cli_usage(assets_usage, "--stale '%s': want a number of days", optarg);
            }
            q.stale = true;
        } else if (c == 'S' && sel.text == NULL) {
            if (pl_asset_selector_parse(optarg, &sel, &err) != PL_OK)
                return pl__cli_fail(cli, "assets", &err);
            q.select = &sel;
        } else if (c == 'r') {
            q.include_retired = true;
        } else {
            pl_asset_selector_release(&sel);
            fputs(assets_usage, c == 'h' ? stdout : stderr);
            return c == 'h' ? PL_EXIT_OK : PL_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        pl_asset_selector_release(&sel);
        return pl__cli_usage(assets_usage, "unexpected argument '%s'", argv[optind]);
    }
    q.now = pl_clock_now();
    rc = list_assets(cli, &q);
    pl_asset_selector_release(&sel);
    return rc;
}
