/*
 * route_sync.c - `feed sync` through the API (POST /api/v1/feeds/sync) and
 * a job of the server's schedule started by hand (POST
 * /api/v1/schedule/{job}/run), both as the caller.
 *
 * The sync fetches from the server's own sources: the official URLs, or
 * PATCHLINE_FEED_<KIND>_URL in the server's environment. A client cannot
 * name a URL (the local --url): that would let it make the server fetch
 * any address it can reach, file:// included.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/intel.h"

#include "server_int.h"

/* Feed kinds in one sync request. */
#define SYNC_KINDS_MAX 64

/* One kind's sync as a JSON object: what `feed sync` prints for it. */
static void sync_item(struct pl_buf *b, const char *kind, const struct pl_sync_result *res,
                      const struct pl_buf *notes)
{
    const struct pl_import_stats *st = &res->import.stats;

    pl_buf_adds(b, "{\"kind\": ");
    pl_escape_json_quoted(b, kind);
    pl_buf_adds(b, ", \"url\": ");
    pl_escape_json_quoted(b, res->url);
    pl_buf_addf(b, ", \"http_status\": %ld, \"downloaded\": %llu, \"not_modified\": %s",
                res->http_status, (unsigned long long)res->downloaded,
                res->not_modified ? "true" : "false");
    if (!res->not_modified) {
        pl_buf_adds(b, ", \"feed\": ");
        pl_escape_json_quoted(b, res->import.kind);
        pl_buf_addf(b,
                    ", \"records\": %llu, \"inserted\": %llu, \"updated\": %llu, \"unchanged\": "
                    "%llu, \"withdrawn\": %llu, \"version\": ",
                    (unsigned long long)st->records, (unsigned long long)st->inserted,
                    (unsigned long long)st->updated, (unsigned long long)st->unchanged,
                    (unsigned long long)st->withdrawn);
        pl_escape_json_quoted(b, st->version);
        pl_buf_addf(b, ", \"released\": %lld, \"sha256\": ", (long long)st->released);
        pl_escape_json_quoted(b, res->import.sha256);
        pl_buf_addf(b, ", \"later\": %llu", (unsigned long long)st->later);
    }
    pl_buf_addf(b, ", \"notices\": [%s]}", pl_buf_cstr(notes));
}

/* The options of the body: {"kinds": [...], "force": bool, "max_bytes": N}; none: the defaults. */
static pl_status sync_body(struct srv_req *r, yajl_val *o, const char **kinds, size_t *n,
                           struct pl_sync_opts *so, struct pl_error *err)
{
    static const char *const names[] = {"kinds", "force", "max_bytes"};
    static const yajl_type types[] = {yajl_t_array, yajl_t_true, yajl_t_number};
    const char *up[] = {"url", NULL}, *kp[] = {"kinds", NULL}, *fp[] = {"force", NULL},
               *mp[] = {"max_bytes", NULL};
    yajl_val k, f, m;
    pl_status rc;

    *n = 0;
    if ((rc = pl__server_srv_body_object(r, o, err)) != PL_OK || *o == NULL)
        return rc;
    if (yajl_tree_get(*o, up, yajl_t_any))
        return pl_error_set(err, PL_E_INVALID,
                            "field 'url': not taken: the server fetches from its own sources "
                            "(the official URLs, or PATCHLINE_FEED_<KIND>_URL in its environment)");
    if ((k = yajl_tree_get(*o, kp, yajl_t_any)) != NULL && !YAJL_IS_ARRAY(k))
        return pl_error_set(err, PL_E_INVALID, "field 'kinds': want an array of feed kinds");
    if ((rc = pl__server_srv_body_fields(*o, names, types, PL_ARRAY_LEN(names), err)) != PL_OK)
        return rc;
    if ((k = yajl_tree_get(*o, kp, yajl_t_array)) != NULL) {
        if (k->u.array.len > SYNC_KINDS_MAX)
            return pl_error_set(err, PL_E_INVALID, "field 'kinds': more than %d", SYNC_KINDS_MAX);
        for (size_t i = 0; i < k->u.array.len; i++) {
            if (!YAJL_IS_STRING(k->u.array.values[i]))
                return pl_error_set(err, PL_E_INVALID, "field 'kinds': want feed kinds (strings)");
            kinds[(*n)++] = YAJL_GET_STRING(k->u.array.values[i]);
        }
    }
    if ((f = yajl_tree_get(*o, fp, yajl_t_any)) != NULL)
        so->import.force = YAJL_IS_TRUE(f);
    if ((m = yajl_tree_get(*o, mp, yajl_t_number)) != NULL) {
        if (!YAJL_IS_INTEGER(m) || YAJL_GET_INTEGER(m) < 1)
            return pl_error_set(err, PL_E_INVALID, "field 'max_bytes': want a positive number");
        so->max_bytes = (uint64_t)YAJL_GET_INTEGER(m);
    }
    return PL_OK;
}

/*
 * POST /api/v1/feeds/sync: `feed sync [--max-bytes N] [--force] [KIND...]`
 * as the caller, every kind in one transaction as the command's. Answers
 * {"items": [one object a kind]}; a failure is the error with the items of
 * the kinds before it (which the local command has printed by then), none
 * of them kept.
 */
enum MHD_Result pl__server_srv_route_feed_sync(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_sync_opts o = {0};
    struct pl_sync_result *res = calloc(1, sizeof(*res));
    struct pl_buf items = PL_BUF_INIT(0), notes = PL_BUF_INIT(0), b = PL_BUF_INIT(0);
    const char *list[SYNC_KINDS_MAX];
    const char *const *kinds = list;
    char dir[4096];
    yajl_val body = NULL;
    enum MHD_Result ok;
    size_t n = 0;
    pl_status rc;

    if (res == NULL)
        return pl__server_srv_fail(r, PL_E_NOMEM, "out of memory");
    rc = sync_body(r, &body, list, &n, &o, &err);
    if (rc == PL_OK && n == 0)
        kinds = pl_feed_sync_default_kinds(&n);
    pl_feed_sync_dir(r->srv->store_path, dir, sizeof(dir));
    o.tmpdir = dir;
    o.import.notice = pl__server_srv_feed_notice;
    o.import.notice_data = &notes;
    if (rc == PL_OK) {
        pl__server_srv_act_as(r);
        if ((rc = pl_store_begin(r->store, &err)) == PL_OK) {
            for (size_t i = 0; rc == PL_OK && i < n; i++) {
                pl_buf_reset(&notes);
                if ((rc = pl_feed_sync(r->store, kinds[i], &o, res, &err)) != PL_OK)
                    break;
                pl_buf_adds(&items, i ? ",\n  " : "\n  ");
                sync_item(&items, kinds[i], res, &notes);
            }
            if (rc == PL_OK)
                rc = pl_store_commit(r->store, &err);
            else
                pl_store_rollback(r->store);
        }
        pl__server_srv_act_done(r);
    }
    yajl_tree_free(body);
    free(res);
    if (rc != PL_OK) {
        pl_status code = err.code == PL_OK ? PL_E_INTERNAL : err.code;
        int http = pl_status_http(code);

        pl_buf_addf(&b, "{\"error\":{\"code\":\"%s\",\"status\":\"%s\",\"message\":",
                    pl_status_name(code), pl__server_srv_reason(http));
        pl_escape_json_quoted(&b, err.msg);
        pl_buf_addf(&b, "},\"items\":[%s]}\n", pl_buf_cstr(&items));
        ok = pl__server_srv_reply(r, http, "application/json", &b);
    } else {
        pl_buf_addf(&b, "{\"items\": [%s\n]}\n", pl_buf_cstr(&items));
        ok = pl__server_srv_reply(r, 200, "application/json", &b);
    }
    pl_buf_release(&b);
    pl_buf_release(&items);
    pl_buf_release(&notes);
    return ok;
}

/* POST /api/v1/schedule/{job}/run: the job now, as the caller; 404 unknown, 409 running. */
enum MHD_Result pl__server_srv_route_schedule_run(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    enum MHD_Result ok;

    if (r->body.len != 0)
        return pl__server_srv_fail(r, PL_E_INVALID, "request body: none is taken");
    if (pl__server_sched_run_now(r, r->params[0], &b, &err) != PL_OK) {
        pl_buf_release(&b);
        return pl__server_srv_fail_err(r, &err);
    }
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}
