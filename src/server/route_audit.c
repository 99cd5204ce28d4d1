/*
 * route_audit.c - the audit log as `audit`, `audit verify` and `audit
 * export` show it: the store's calls, the rows the library's cells, the
 * export the library's lines.
 */
#include <string.h>

#include "patchline/escape.h"
#include "patchline/parse.h"
#include "patchline/store_auth.h"

#include "server_int.h"

/* GET /api/v1/audit?limit=N (default 50): the last events, oldest first (admin). */
enum MHD_Result pl__server_srv_route_audit(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_audit_list list = {NULL, 0};
    struct pl_buf b = PL_BUF_INIT(0);
    const char *l = pl__server_srv_query(r, "limit");
    enum MHD_Result ok;
    int64_t limit = 50;

    if (l && (pl_parse_i64(l, &limit, NULL) != PL_OK || limit < 1))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'limit': want a positive number");
    if (pl_store_audit_list(r->store, (size_t)limit, &list, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < list.n; i++) {
        struct pl_audit_cells c;

        pl_audit_cells(&list.items[i], &c);
        pl_buf_adds(&b, i ? ",\n  " : "\n  ");
        pl_json_row(&b, pl_audit_col_names, pl_audit_col_types, c.v, PL_AUDIT_N_COLS);
    }
    pl_audit_list_release(&list);
    pl_buf_adds(&b, b.len > 1 ? "\n]\n" : "]\n");
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

/* GET /api/v1/audit/verify: pl_store_audit_verify's verdict (the server holds the key). */
enum MHD_Result pl__server_srv_route_audit_verify(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_audit_verdict v;
    enum MHD_Result ok;

    if (pl_store_audit_verify(r->store, &v, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addf(&b,
                "{\"intact\": %s, \"count\": %lld, \"head\": \"%s\", \"checkpoint_count\": %lld, "
                "\"pending\": %lld, \"bad_seq\": %lld, \"bad_id\": %lld, \"why\": ",
                v.intact ? "true" : "false", (long long)v.count, v.head,
                (long long)v.checkpoint_count, (long long)v.pending, (long long)v.bad_seq,
                (long long)v.bad_id);
    pl_escape_json_quoted(&b, v.why);
    pl_buf_adds(&b, "}\n");
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

static pl_status export_one(const struct pl_audit_full *e, void *arg, struct pl_error *err)
{
    (void)err;
    pl_audit_export_line(arg, e);
    return PL_OK;
}

/* GET /api/v1/audit/export: every event as `audit export`'s JSON lines, then the head (admin). */
enum MHD_Result pl__server_srv_route_audit_export(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    char mac[2 * PL_AUDIT_MAC_LEN + 1];
    enum MHD_Result ok;
    int64_t count = 0;

    if (pl_store_audit_each(r->store, export_one, &b, &err) != PL_OK ||
        pl_store_audit_head(r->store, &count, mac, &err) != PL_OK) {
        pl_buf_release(&b);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_audit_export_head(&b, count, mac);
    ok = pl__server_srv_reply(r, 200, "application/x-ndjson", &b);
    pl_buf_release(&b);
    return ok;
}
