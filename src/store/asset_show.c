/*
 * asset_show.c - `assets show ASSET` as rows and as a JSON document: the
 * asset's facts, every attribute's effective value and the values that lost,
 * and the detail's tables. The CLI prints them and the server answers them
 * (GET /api/v1/assets/show), so both come from here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"

#include "store_obs.h"

static const char *const facts_names[] = {"field", "value"};
static const enum pl_cell_type facts_types[] = {PL_CELL_TEXT, PL_CELL_TEXT};
static const char *const attr_names[] = {"attribute", "value",  "source",
                                         "observed",  "import", "status"};
static const enum pl_cell_type attr_types[] = {PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
                                               PL_CELL_TEXT, PL_CELL_INT,  PL_CELL_TEXT};
static const char *const src_names[] = {"source", "key", "first_seen", "last_seen"};
static const enum pl_cell_type src_types[] = {PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
                                              PL_CELL_TEXT};
static const char *const id_names[] = {"kind", "value", "scope", "source"};
static const char *const merge_names[] = {"merge", "at", "why", "source", "key", "undone_at"};
static const enum pl_cell_type merge_types[] = {PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT,
                                                PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT};
static const char *const svc_names[] = {"protocol", "port",        "state",  "service",  "product",
                                        "version",  "banner_seen", "source", "closed_at"};
static const enum pl_cell_type svc_types[] = {PL_CELL_TEXT, PL_CELL_INT,  PL_CELL_TEXT,
                                              PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
                                              PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT};
static const char *const cpe_names[] = {"cpe", "protocol", "port", "source"};
static const enum pl_cell_type cpe_types[] = {PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_INT,
                                              PL_CELL_TEXT};

const struct pl_asset_show_section pl_asset_show_sections[PL_ASSET_SHOW_N] = {
    {"facts", NULL, 2, facts_names, facts_types},
    {"attributes", "attributes", 6, attr_names, attr_types},
    {"sources", "sources", 4, src_names, src_types},
    {"identifiers", "identifiers", 4, id_names, src_types},
    {"merges", "merges", 6, merge_names, merge_types},
    {"services", "services", 9, svc_names, svc_types},
    {"cpes", "cpes", 4, cpe_names, cpe_types},
};

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

/* Cells are appended one at a time; a row ends every n_cols cells. */
struct acc {
    struct pl_text_rows *r;
    size_t n, cap;
};

static void add(struct acc *a, const char *s)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 64;
        a->r->cells = pl_xrealloc(a->r->cells, a->cap * sizeof(*a->r->cells));
    }
    a->r->cells[a->n++] = s ? pl_xstrdup(s) : NULL;
    a->r->n_rows = a->n / a->r->n_cols;
}

static void kv(struct acc *a, const char *k, const char *v)
{
    add(a, k);
    add(a, v);
}

static void kv_count(struct acc *a, const char *k, int64_t v)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    kv(a, k, v < 0 ? NULL : buf);
}

static void kv_time(struct acc *a, const char *k, pl_time_t v, bool is_null)
{
    char buf[PL_TIME_STR_LEN];

    kv(a, k, is_null ? NULL : pl_time_format(v, buf));
}

static void facts(struct pl_text_rows *r, const struct pl_asset_info *x)
{
    struct acc a = {r, 0, 0};
    const struct pl_asset *s = &x->a;

    r->n_cols = 2;
    kv_count(&a, "id", s->id);
    kv(&a, "name", s->name);
    kv(&a, "kind", s->kind);
    kv(&a, "owner", s->owner);
    kv(&a, "environment", s->environment);
    kv(&a, "criticality", s->criticality);
    kv(&a, "exposure", s->exposure);
    kv(&a, "exposure_evidence", x->exposure_evidence);
    kv(&a, "os_family", s->os_family);
    kv(&a, "os", s->os_name);
    kv(&a, "os_version", s->os_version);
    kv(&a, "os_codename", s->os_codename);
    if (x->os_conflict)
        kv(&a, "os_conflict", x->os_conflict);
    kv(&a, "tags", x->tags);
    kv(&a, "sources", x->sources);
    kv(&a, "cloud_account", x->cloud_account);
    kv(&a, "cloud_region", x->cloud_region);
    kv(&a, "network_scope", x->network_scope);
    kv(&a, "runtime", x->runtime);
    kv_time(&a, "runtime_deprecated", x->runtime_deprecated, !x->has_runtime_deprecated);
    kv_count(&a, "patches_missing", x->patches_missing);
    kv_count(&a, "patches_failed", x->patches_failed);
    kv_count(&a, "patches_installed", x->patches_installed);
    kv_count(&a, "packages", s->n_packages);
    kv_count(&a, "open_findings", x->open_findings);
    kv(&a, "managed", x->managed ? "yes" : "no");
    kv(&a, "retired", x->retired ? "yes" : "no");
    if (x->merged_into)
        kv_count(&a, "merged_into", x->merged_into);
    kv_time(&a, "first_seen", s->first_seen, false);
    kv_time(&a, "last_seen", s->last_seen, false);
    kv_time(&a, "last_patched", s->last_patched, !s->has_last_patched);
}

static void attrs(struct pl_text_rows *r, const struct pl_asset_attr_list *l)
{
    struct acc a = {r, 0, 0};
    char buf[PL_TIME_STR_LEN], id[24];

    r->n_cols = 6;
    for (size_t i = 0; i < l->n; i++) {
        const struct pl_asset_attr *x = &l->items[i];

        add(&a, x->attr);
        add(&a, value_of(x, buf));
        add(&a, x->source);
        add(&a, pl_time_format(x->observed_at, buf));
        snprintf(id, sizeof(id), "%lld", (long long)x->import_id);
        add(&a, x->import_id > 0 ? id : NULL);
        add(&a, status_of(x));
    }
}

/* The asset's row of the listing's query (retired ones too); PL_E_NOTFOUND when none. */
static pl_status info_of(struct pl_store *s, int64_t id, struct pl_asset_info_list *list,
                         struct pl_error *err)
{
    struct pl_asset_query q = {0};
    pl_status rc;

    q.id = id;
    q.include_retired = true;
    if ((rc = pl_store_asset_query(s, &q, list, err)) == PL_OK && list->n == 0) {
        pl_asset_info_list_release(list);
        rc = pl_error_set(err, PL_E_NOTFOUND, "asset %lld: not found", (long long)id);
    }
    return rc;
}

pl_status pl_store_asset_show(struct pl_store *s, int64_t id, pl_time_t now,
                              struct pl_asset_show *out, struct pl_error *err)
{
    struct pl_asset_info_list list = {NULL, 0};
    struct pl_asset_attr_list l = {NULL, 0};
    struct pl_asset_detail d;
    pl_status rc;

    memset(out, 0, sizeof(*out));
    if ((rc = info_of(s, id, &list, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_asset_attributes(s, id, now, &l, err)) != PL_OK) {
        pl_asset_info_list_release(&list);
        return rc;
    }
    if ((rc = pl_store_asset_detail(s, id, &d, err)) == PL_OK) {
        facts(&out->s[PL_ASSET_SHOW_FACTS], &list.items[0]);
        attrs(&out->s[PL_ASSET_SHOW_ATTRS], &l);
        out->s[PL_ASSET_SHOW_SOURCES] = d.sources;
        out->s[PL_ASSET_SHOW_IDENTIFIERS] = d.identifiers;
        out->s[PL_ASSET_SHOW_MERGES] = d.merges;
        out->s[PL_ASSET_SHOW_SERVICES] = d.services;
        out->s[PL_ASSET_SHOW_CPES] = d.cpes;
    }
    pl_asset_attr_list_release(&l);
    pl_asset_info_list_release(&list);
    return rc;
}

void pl_asset_show_release(struct pl_asset_show *x)
{
    for (size_t i = 0; i < PL_ASSET_SHOW_N; i++)
        pl_text_rows_release(&x->s[i]);
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

/* {"attr": {"effective": {...}, "losing": [...]}, ...} */
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

pl_status pl_store_asset_show_json(struct pl_store *s, int64_t id, pl_time_t now, struct pl_buf *b,
                                   struct pl_error *err)
{
    struct pl_asset_info_list list = {NULL, 0};
    struct pl_asset_attr_list l = {NULL, 0};
    const struct pl_asset_info *x;
    pl_status rc;

    if ((rc = info_of(s, id, &list, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_asset_attributes(s, id, now, &l, err)) != PL_OK) {
        pl_asset_info_list_release(&list);
        return rc;
    }
    x = &list.items[0];
    pl_buf_addf(b, "{\n  \"id\": %lld,\n  \"name\": ", (long long)x->a.id);
    pl_escape_json_quoted(b, x->a.name);
    pl_buf_adds(b, ",\n  \"kind\": ");
    pl_escape_json_quoted(b, x->a.kind);
    pl_buf_addf(b, ",\n  \"managed\": %s,\n  \"os_conflict\": ", x->managed ? "true" : "false");
    if (x->os_conflict)
        pl_escape_json_quoted(b, x->os_conflict);
    else
        pl_buf_adds(b, "null");
    pl_buf_adds(b, ",\n  \"attributes\": ");
    attrs_json(b, &l);
    pl_buf_adds(b, "\n}\n");
    pl_asset_attr_list_release(&l);
    pl_asset_info_list_release(&list);
    if ((rc = pl_buf_status(b)) != PL_OK)
        return pl_error_set(err, rc, "assets show: the document is too large");
    return PL_OK;
}
