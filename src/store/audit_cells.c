/*
 * audit_cells.c - the audit log as `audit` and `audit export` print it and
 * the server answers it (GET /api/v1/audit, /api/v1/audit/export): the rows'
 * cells and the export's JSON lines.
 */
#include <stdio.h>

#include "patchline/escape.h"
#include "patchline/store_auth.h"

#include "store_int.h"

const char *const pl_audit_col_names[PL_AUDIT_N_COLS] = {
    "id", "at", "at_real", "simulated", "actor", "action", "object", "detail",
};
const enum pl_cell_type pl_audit_col_types[PL_AUDIT_N_COLS] = {
    PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_BOOL,
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
};

void pl_audit_cells(const struct pl_audit_event *e, struct pl_audit_cells *c)
{
    snprintf(c->id, sizeof(c->id), "%lld", (long long)e->id);
    c->v[0] = c->id;
    c->v[1] = pl_time_format(e->at, c->at);
    c->v[2] = pl_time_format(e->at_real, c->at_real);
    c->v[3] = e->simulated ? "true" : "false";
    c->v[4] = e->actor;
    c->v[5] = e->action;
    c->v[6] = e->object;
    c->v[7] = e->detail;
}

static void json_field(struct pl_buf *b, const char *key, const char *v)
{
    pl_buf_addf(b, ",\"%s\":", key);
    if (v)
        pl_escape_json_quoted(b, v);
    else
        pl_buf_adds(b, "null");
}

void pl_audit_export_line(struct pl_buf *b, const struct pl_audit_full *e)
{
    char at[PL_TIME_STR_LEN], real[PL_TIME_STR_LEN];

    pl_buf_addf(b, "{\"id\":%lld", (long long)e->id);
    if (e->seq)
        pl_buf_addf(b, ",\"seq\":%lld", (long long)e->seq);
    else
        pl_buf_adds(b, ",\"seq\":null");
    pl_buf_addf(b, ",\"at\":\"%s\",\"at_real\":\"%s\",\"simulated\":%s", pl_time_format(e->at, at),
                pl_time_format(e->at_real, real), e->simulated ? "true" : "false");
    json_field(b, "principal", e->actor);
    json_field(b, "os_user", e->os_user);
    json_field(b, "action", e->action);
    json_field(b, "object", e->object);
    json_field(b, "detail", e->detail);
    json_field(b, "before", e->before);
    json_field(b, "after", e->after);
    json_field(b, "mac", e->mac);
    pl_buf_adds(b, "}\n");
}

void pl_audit_export_head(struct pl_buf *b, int64_t count, const char *mac)
{
    pl_buf_addf(b, "{\"head\":{\"count\":%lld,\"mac\":%s%s%s}}\n", (long long)count,
                mac[0] ? "\"" : "", mac[0] ? mac : "null", mac[0] ? "\"" : "");
}
