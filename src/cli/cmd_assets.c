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

static void kv(struct pl_table *t, const char *k, const char *v)
{
    pl__cli_table_cell(t, k);
    pl__cli_table_cell(t, v);
}

static void kv_count(struct pl_table *t, const char *k, int64_t v)
{
    pl__cli_table_cell(t, k);
    if (v < 0)
        pl__cli_table_cell(t, NULL);
    else
        pl__cli_table_cell_i64(t, v);
}

static void kv_time(struct pl_table *t, const char *k, pl_time_t v, bool is_null)
{
    pl__cli_table_cell(t, k);
    pl__cli_table_cell_time(t, v, is_null);
}

static int show_facts(const struct pl_asset_info *x)
{
    static const struct pl_col cols[] = {{"field", PL_COL_TEXT}, {"value", PL_COL_TEXT}};
    const struct pl_asset *a = &x->a;
    struct pl_table t;
    int rc;

    pl__cli_table_init(&t, cols, PL_ARRAY_LEN(cols));
    kv_count(&t, "id", a->id);
    kv(&t, "name", a->name);
    kv(&t, "kind", a->kind);
    kv(&t, "owner", a->owner);
    kv(&t, "environment", a->environment);
    kv(&t, "criticality", a->criticality);
    kv(&t, "exposure", a->exposure);
    kv(&t, "exposure_evidence", x->exposure_evidence);
    kv(&t, "os_family", a->os_family);
    kv(&t, "os", a->os_name);
    kv(&t, "os_version", a->os_version);
    kv(&t, "os_codename", a->os_codename);
    if (x->os_conflict)
        kv(&t, "os_conflict", x->os_conflict);
    kv(&t, "tags", x->tags);
    kv(&t, "sources", x->sources);
    kv(&t, "cloud_account", x->cloud_account);
    kv(&t, "cloud_region", x->cloud_region);
    kv(&t, "network_scope", x->network_scope);
    kv(&t, "runtime", x->runtime);
    kv_time(&t, "runtime_deprecated", x->runtime_deprecated, !x->has_runtime_deprecated);
    kv_count(&t, "patches_missing", x->patches_missing);
    kv_count(&t, "patches_failed", x->patches_failed);
    kv_count(&t, "patches_installed", x->patches_installed);
    kv_count(&t, "packages", a->n_packages);
    kv_count(&t, "open_findings", x->open_findings);
    kv(&t, "managed", x->managed ? "yes" : "no");
    kv(&t, "retired", x->retired ? "yes" : "no");
    if (x->merged_into)
        kv_count(&t, "merged_into", x->merged_into);
    kv_time(&t, "first_seen", a->first_seen, false);
    kv_time(&t, "last_seen", a->last_seen, false);
    kv_time(&t, "last_patched", a->last_patched, !a->has_last_patched);
    rc = pl__cli_table_render(&t, "table", stdout);
    pl__cli_table_release(&t);
    return rc;
}

static int show_rows(const char *title, const struct pl_text_rows *r, const struct pl_col *cols)
{
    struct pl_table t;
    int rc;

    if (r->n_rows == 0)
        return PL_EXIT_OK;
    printf("\n%s:\n", title);
    pl__cli_table_init(&t, cols, r->n_cols);
    for (size_t i = 0; i < r->n_rows * r->n_cols; i++)
        pl__cli_table_cell(&t, r->cells[i]);
    rc = pl__cli_table_render(&t, "table", stdout);
    pl__cli_table_release(&t);
    return rc;
}

static int cmd_show(int argc, char **argv, struct pl_cli *cli)
{
    static const struct pl_col src_cols[] = {{"source", PL_COL_TEXT},
                                             {"key", PL_COL_TEXT},
                                             {"first_seen", PL_COL_TEXT},
                                             {"last_seen", PL_COL_TEXT}};
    static const struct pl_col id_cols[] = {{"kind", PL_COL_TEXT},
                                            {"value", PL_COL_TEXT},
                                            {"scope", PL_COL_TEXT},
                                            {"source", PL_COL_TEXT}};
    static const struct pl_col merge_cols[] = {{"merge", PL_COL_INT}, {"at", PL_COL_TEXT},
                                               {"why", PL_COL_TEXT},  {"source", PL_COL_TEXT},
                                               {"key", PL_COL_TEXT},  {"undone_at", PL_COL_TEXT}};
    static const struct pl_col svc_cols[] = {
        {"protocol", PL_COL_TEXT},    {"port", PL_COL_INT},     {"state", PL_COL_TEXT},
        {"service", PL_COL_TEXT},     {"product", PL_COL_TEXT}, {"version", PL_COL_TEXT},
        {"banner_seen", PL_COL_TEXT}, {"source", PL_COL_TEXT},  {"closed_at", PL_COL_TEXT}};
    static const struct pl_col cpe_cols[] = {{"cpe", PL_COL_TEXT},
                                             {"protocol", PL_COL_TEXT},
                                             {"port", PL_COL_INT},
                                             {"source", PL_COL_TEXT}};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_asset_query q = {0};
    struct pl_asset_info_list list = {NULL, 0};
    struct pl_asset_detail d;
    int rc;

    if (argc != 2)
        return pl__cli_usage(assets_usage, "assets show: want ASSET");
    if ((rc = resolve(cli, "assets show", argv[1], &q.id)) != PL_EXIT_OK)
        return rc;
    q.include_retired = true;
    if (pl_store_asset_query(cli->store, &q, &list, &err) != PL_OK ||
        pl_store_asset_detail(cli->store, q.id, &d, &err) != PL_OK) {
        pl_asset_info_list_release(&list);
        return pl__cli_fail(cli, "assets show", &err);
    }
    if (list.n && strcmp(pl__cli_format(cli), "json") == 0) {
        rc = pl__cli_assets_show_json(cli, &list.items[0]);
        pl_asset_detail_release(&d);
        pl_asset_info_list_release(&list);
        return rc;
    }
    rc = list.n ? show_facts(&list.items[0]) : PL_EXIT_ERROR;
    if (rc == PL_EXIT_OK)
        rc = pl__cli_assets_show_attrs(cli, q.id);
    if (rc == PL_EXIT_OK)
        rc = show_rows("sources", &d.sources, src_cols);
    if (rc == PL_EXIT_OK)
        rc = show_rows("identifiers", &d.identifiers, id_cols);
    if (rc == PL_EXIT_OK)
        rc = show_rows("merges", &d.merges, merge_cols);
    if (rc == PL_EXIT_OK)
        rc = show_rows("services", &d.services, svc_cols);
    if (rc == PL_EXIT_OK)
        rc = show_rows("cpes", &d.cpes, cpe_cols);
    pl_asset_detail_release(&d);
    pl_asset_info_list_release(&list);
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
