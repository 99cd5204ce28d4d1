/*
 * route_assets.c - asset curation through the API, as `assets set`,
 * `assets retire`, `assets merge` and `assets split` do on the command
 * line: POST /api/v1/assets/{set,retire,merge,split} with the asset (an id
 * or a name, as the CLI takes it) in the body, each one transaction of the
 * store's calls as the caller (an operator).
 */
#include <string.h>

#include "patchline/escape.h"
#include "patchline/store_assets.h"

#include "server_int.h"

static const char *json_str(yajl_val o, const char *key)
{
    const char *path[] = {key, NULL};
    yajl_val v = o ? yajl_tree_get(o, path, yajl_t_string) : NULL;

    return v ? YAJL_GET_STRING(v) : NULL;
}

/* The fields of `assets set`: {"field": F, "value": V} each; tag+ and tag- add and remove a tag. */
static pl_status set_fields(struct srv_req *r, int64_t id, yajl_val fields, struct pl_error *err)
{
    pl_status rc = PL_OK;

    if (fields == NULL || fields->u.array.len == 0)
        return pl_error_set(err, PL_E_INVALID, "field 'fields': at least one FIELD=VALUE");
    for (size_t i = 0; i < fields->u.array.len && rc == PL_OK; i++) {
        yajl_val x = fields->u.array.values[i];
        const char *f = json_str(x, "field"), *v = json_str(x, "value");

        if (!YAJL_IS_OBJECT(x) || f == NULL || *f == '\0' || v == NULL)
            return pl_error_set(err, PL_E_INVALID,
                                "field 'fields': want objects {\"field\": F, \"value\": V}");
        if (strcmp(f, "tag+") == 0 || strcmp(f, "tag-") == 0)
            rc = pl_store_asset_tag(r->store, id, v, f[3] == '+', err);
        else
            rc = pl_store_asset_set(r->store, id, f, v, err);
    }
    return rc;
}

/* POST /api/v1/assets/{set,retire,merge,split}: {"asset", and "fields", "other" or "source"}. */
enum MHD_Result pl__server_srv_route_asset_curate(struct srv_req *r)
{
    static const char *const names[] = {"asset", "fields", "other", "source"};
    static const yajl_type types[] = {yajl_t_string, yajl_t_array, yajl_t_string, yajl_t_string};
    const char *verb = strrchr(r->path, '/') + 1, *ref, *other, *source;
    const char *fp[] = {"fields", NULL};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    int64_t id = 0, from = 0, new_id = 0;
    enum MHD_Result ok;
    yajl_val o = NULL;
    pl_status rc;

    if ((rc = pl__server_srv_body_object(r, &o, &err)) == PL_OK)
        rc = pl__server_srv_body_fields(o, names, types, 4, &err);
    ref = json_str(o, "asset");
    other = json_str(o, "other");
    source = json_str(o, "source");
    if (rc == PL_OK && ref == NULL)
        rc = pl_error_set(&err, PL_E_INVALID, "field 'asset': the asset's id or name is needed");
    if (rc == PL_OK && strcmp(verb, "merge") == 0 && other == NULL)
        rc = pl_error_set(&err, PL_E_INVALID, "field 'other': the asset to merge is needed");
    if (rc == PL_OK && strcmp(verb, "split") == 0 && source == NULL)
        rc = pl_error_set(&err, PL_E_INVALID, "field 'source': the source to split is needed");
    if (rc == PL_OK) {
        pl__server_srv_act_as(r);
        if ((rc = pl_store_begin(r->store, &err)) == PL_OK) {
            rc = pl_store_asset_resolve(r->store, ref, &id, &err);
            if (rc == PL_OK && strcmp(verb, "set") == 0)
                rc = set_fields(r, id, yajl_tree_get(o, fp, yajl_t_array), &err);
            else if (rc == PL_OK && strcmp(verb, "retire") == 0)
                rc = pl_store_asset_retire(r->store, id, &err);
            else if (rc == PL_OK && strcmp(verb, "merge") == 0 &&
                     (rc = pl_store_asset_resolve(r->store, other, &from, &err)) == PL_OK)
                rc = pl_store_asset_merge(r->store, id, from, &err);
            else if (rc == PL_OK && strcmp(verb, "split") == 0)
                rc = pl_store_asset_split(r->store, id, source, &new_id, &err);
            if (rc == PL_OK)
                rc = pl_store_commit(r->store, &err);
            else
                pl_store_rollback(r->store);
        }
        pl__server_srv_act_done(r);
    }
    yajl_tree_free(o);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addf(&b, "{\"id\": %lld", (long long)id);
    if (from)
        pl_buf_addf(&b, ", \"merged\": %lld", (long long)from);
    if (new_id)
        pl_buf_addf(&b, ", \"new_id\": %lld", (long long)new_id);
    pl_buf_adds(&b, "}\n");
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

/*
 * GET /api/v1/assets/show?asset=A[&format=json]: `assets show`, by the
 * store's pl_store_asset_show (its sections, each an array of rows of
 * cells) or, with format=json, pl_store_asset_show_json's document.
 */
enum MHD_Result pl__server_srv_route_asset_show(struct srv_req *r)
{
    struct pl_buf b = PL_BUF_INIT((size_t)16 * 1024 * 1024);
    struct pl_error err = PL_ERROR_INIT;
    const char *ref = pl__server_srv_query(r, "asset"), *format = pl__server_srv_query(r, "format");
    struct pl_asset_show x;
    enum MHD_Result ok;
    int64_t id = 0;
    pl_status rc;

    if (ref == NULL || *ref == '\0')
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'asset': the asset's id or name is needed");
    if (format && strcmp(format, "json") != 0 && strcmp(format, "table") != 0)
        return pl__server_srv_fail(r, PL_E_INVALID, "query parameter 'format': want json or table");
    rc = pl_store_asset_resolve(r->store, ref, &id, &err);
    if (rc == PL_OK && format && strcmp(format, "json") == 0) {
        rc = pl_store_asset_show_json(r->store, id, pl_clock_now(), &b, &err);
    } else if (rc == PL_OK &&
               (rc = pl_store_asset_show(r->store, id, pl_clock_now(), &x, &err)) == PL_OK) {
        pl_buf_addch(&b, '{');
        for (size_t i = 0; i < PL_ASSET_SHOW_N; i++) {
            const struct pl_text_rows *t = &x.s[i];

            pl_buf_adds(&b, i ? ",\n \"" : "\"");
            pl_buf_adds(&b, pl_asset_show_sections[i].key);
            pl_buf_adds(&b, "\": [");
            for (size_t k = 0; k < t->n_rows; k++) {
                pl_buf_adds(&b, k ? ",\n  [" : "\n  [");
                for (size_t c = 0; c < t->n_cols; c++) {
                    const char *v = t->cells[k * t->n_cols + c];

                    pl_buf_adds(&b, c ? ", " : "");
                    if (v)
                        pl_escape_json_quoted(&b, v);
                    else
                        pl_buf_adds(&b, "null");
                }
                pl_buf_addch(&b, ']');
            }
            pl_buf_addch(&b, ']');
        }
        pl_buf_adds(&b, "}\n");
        pl_asset_show_release(&x);
        if ((rc = pl_buf_status(&b)) != PL_OK)
            pl_error_set(&err, rc, "assets show: the answer is too large");
    }
    if (rc != PL_OK) {
        pl_buf_release(&b);
        return pl__server_srv_fail_err(r, &err);
    }
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}
