/*
 * cmd_assets_attrs.c - the observations part of `assets show`: every
 * attribute's effective value, its source and date, and the values of the
 * sources that lost (table or JSON); and `assets precedence FILE`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/inventory.h"

#include "cli_int.h"

static const char *status_of(const struct pl_asset_attr *a)
{
    if (a->effective)
        return a->conflict ? "effective, conflict" : "effective";
    if (a->stale)
        return "aged out";
    return a->conflict ? "lost, conflict" : "lost";
}

/* A last_patched value is seconds since the epoch: show it as a time. */
static const char *value_of(const struct pl_asset_attr *a, char *buf)
{
    char *end;
    long long v;

    if (strcmp(a->attr, "last_patched") != 0)
        return a->value;
    v = strtoll(a->value, &end, 10);
    return *end ? a->value : pl_time_format((pl_time_t)v, buf);
}

static int attrs_table(const struct pl_asset_attr_list *l)
{
    static const struct pl_col cols[] = {{"attribute", PL_COL_TEXT}, {"value", PL_COL_TEXT},
                                         {"source", PL_COL_TEXT},    {"observed", PL_COL_TEXT},
                                         {"import", PL_COL_INT},     {"status", PL_COL_TEXT}};
    struct pl_table t;
    char buf[PL_TIME_STR_LEN];
    int rc;

    if (l->n == 0)
        return PL_EXIT_OK;
    printf("\nattributes:\n");
    pl__cli_table_init(&t, cols, PL_ARRAY_LEN(cols));
    for (size_t i = 0; i < l->n; i++) {
        const struct pl_asset_attr *a = &l->items[i];

        pl__cli_table_cell(&t, a->attr);
        pl__cli_table_cell(&t, value_of(a, buf));
        pl__cli_table_cell(&t, a->source);
        pl__cli_table_cell_time(&t, a->observed_at, false);
        if (a->import_id > 0)
            pl__cli_table_cell_i64(&t, a->import_id);
        else
            pl__cli_table_cell(&t, NULL);
        pl__cli_table_cell(&t, status_of(a));
    }
    rc = pl__cli_table_render(&t, "table", stdout);
    pl__cli_table_release(&t);
    return rc;
}

static void json_obs(struct pl_buf *b, const struct pl_asset_attr *a)
{
    char buf[PL_TIME_STR_LEN], at[PL_TIME_STR_LEN];

    pl_buf_adds(b, "{\"value\": ");
    pl_escape_json_quoted(b, value_of(a, buf));
    pl_buf_adds(b, ", \"source\": ");
    pl_escape_json_quoted(b, a->source);
    pl_buf_addf(b, ", \"observed_at\": \"%s\", \"import\": ", pl_time_format(a->observed_at, at));
    if (a->import_id > 0)
        pl_buf_addf(b, "%lld", (long long)a->import_id);
    else
        pl_buf_adds(b, "null");
    pl_buf_addf(b, ", \"rank\": %d, \"status\": \"%s\"", a->rank, status_of(a));
    if (a->note) {
        pl_buf_adds(b, ", \"note\": ");
        pl_escape_json_quoted(b, a->note);
    }
    pl_buf_adds(b, "}");
}

/* {"attr": {"value", "source", "observed_at", ..., "losing": [...]}, ...} */
static void attrs_json(struct pl_buf *b, const struct pl_asset_attr_list *l)
{
    size_t i = 0;
    bool first = true;

    pl_buf_adds(b, "{");
    while (i < l->n) {
        size_t e = i, w = l->n;

        while (e < l->n && strcmp(l->items[e].attr, l->items[i].attr) == 0) {
            if (l->items[e].effective)
                w = e;
            e++;
        }
        pl_buf_adds(b, first ? "\n    " : ",\n    ");
        first = false;
        pl_escape_json_quoted(b, l->items[i].attr);
        pl_buf_adds(b, ": {\"effective\": ");
        if (w < l->n)
            json_obs(b, &l->items[w]);
        else
            pl_buf_adds(b, "null");
        pl_buf_adds(b, ", \"losing\": [");
        for (size_t k = i, n = 0; k < e; k++)
            if (k != w) {
                pl_buf_adds(b, n++ ? ", " : "");
                json_obs(b, &l->items[k]);
            }
        pl_buf_adds(b, "]}");
        i = e;
    }
    pl_buf_adds(b, first ? "}" : "\n  }");
}

int pl__cli_assets_show_json(struct pl_cli *cli, const struct pl_asset_info *x)
{
    struct pl_asset_attr_list l = {NULL, 0};
    struct pl_buf b = PL_BUF_INIT((size_t)16 * 1024 * 1024);
    struct pl_error err = PL_ERROR_INIT;
    const struct pl_asset *a = &x->a;
    int rc = PL_EXIT_OK;

    if (pl_store_asset_attributes(cli->store, a->id, pl_clock_now(), &l, &err) != PL_OK)
        return pl__cli_fail(cli, "assets show", &err);
    pl_buf_addf(&b, "{\n  \"id\": %lld,\n  \"name\": ", (long long)a->id);
    pl_escape_json_quoted(&b, a->name);
    pl_buf_adds(&b, ",\n  \"kind\": ");
    pl_escape_json_quoted(&b, a->kind);
    pl_buf_addf(&b, ",\n  \"managed\": %s,\n  \"os_conflict\": ", x->managed ? "true" : "false");
    if (x->os_conflict)
        pl_escape_json_quoted(&b, x->os_conflict);
    else
        pl_buf_adds(&b, "null");
    pl_buf_adds(&b, ",\n  \"attributes\": ");
    attrs_json(&b, &l);
    pl_buf_adds(&b, "\n}\n");
    if (pl_buf_status(&b) != PL_OK) {
        fprintf(stderr, "patchline assets show: %s\n", pl_status_str(pl_buf_status(&b)));
        rc = PL_EXIT_ERROR;
    } else {
        fputs(pl_buf_cstr(&b), stdout);
    }
    pl_buf_release(&b);
    pl_asset_attr_list_release(&l);
    return rc;
}

int pl__cli_assets_show_attrs(struct pl_cli *cli, int64_t id)
{
    struct pl_asset_attr_list l = {NULL, 0};
    struct pl_error err = PL_ERROR_INIT;
    int rc;

    if (pl_store_asset_attributes(cli->store, id, pl_clock_now(), &l, &err) != PL_OK)
        return pl__cli_fail(cli, "assets show", &err);
    rc = attrs_table(&l);
    pl_asset_attr_list_release(&l);
    return rc;
}

int pl__cli_assets_precedence(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    const char *path = NULL;

    if (argc != 2)
        return pl__cli_usage("usage: patchline assets precedence FILE | --default\n",
                             "assets precedence: want FILE or --default");
    if (strcmp(argv[1], "--default") != 0)
        path = argv[1];
    if (pl_store_asset_precedence_load(cli->store, path, &err) != PL_OK)
        return pl__cli_fail(cli, "assets precedence", &err);
    printf("precedence %s loaded; every asset resolved again\n", path ? path : "default");
    return PL_EXIT_OK;
}

/* The line of `assets livepatch` (locally and through the server) into b. */
void pl__cli_livepatch_line(struct pl_buf *b, const char *asset,
                            const struct pl_livepatch_report *r)
{
    pl_escape_terminal(b, asset);
    pl_buf_adds(b, ": kernel ");
    pl_escape_terminal(b, r->kernel[0] ? r->kernel : "unknown");
    if (strcmp(r->format, "kpatch") == 0) {
        pl_buf_addf(b, ", kpatch: %zu module%s loaded", r->n_fixes, r->n_fixes == 1 ? "" : "s");
        if (r->version[0]) {
            pl_buf_adds(b, " (");
            pl_escape_terminal(b, r->version);
            pl_buf_adds(b, r->n_fixes > 1 ? ", ...)" : ")");
        }
        pl_buf_addf(b, ": %zu CVE fixes recorded as applied", r->n_recorded);
        if (r->n_unmapped)
            pl_buf_addf(b, "; %zu module%s whose CVEs no stored advisory names", r->n_unmapped,
                        r->n_unmapped == 1 ? "" : "s");
        pl_buf_addch(b, '\n');
        return;
    }
    pl_buf_adds(b, ", livepatch ");
    pl_escape_terminal(b, r->state);
    if (r->version[0]) {
        pl_buf_adds(b, " (patch ");
        pl_escape_terminal(b, r->version);
        pl_buf_adds(b, ")");
    }
    pl_buf_addf(b, ": %zu fixes listed, %zu CVE fixes recorded as applied\n", r->n_fixes,
                r->n_recorded);
}

/* `assets livepatch ASSET FILE`: the kernel fixes a live patch applied (the host's report). */
int pl__cli_assets_livepatch(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_livepatch_report r;
    struct pl_buf b = PL_BUF_INIT(0);
    int64_t id;

    if (argc != 3)
        return pl__cli_usage("usage: patchline assets livepatch ASSET FILE\n",
                             "assets livepatch: want ASSET and FILE (canonical-livepatch status "
                             "--format json, or kpatch list)");
    if (pl_store_asset_resolve(cli->store, argv[1], &id, &err) != PL_OK ||
        pl_livepatch_import(cli->store, id, argv[2], pl_clock_now(), &r, &err) != PL_OK)
        return pl__cli_fail(cli, "assets livepatch", &err);
    pl__cli_livepatch_line(&b, argv[1], &r);
    fputs(pl_buf_cstr(&b), stdout);
    pl_buf_release(&b);
    return PL_EXIT_OK;
}
