/*
 * route_imports.c - `feed import` and `inventory import` through the API:
 * the file is the request's body (capped as every body is, --max-body),
 * written to a private temporary folder and imported by the same library
 * calls as the CLI, in one transaction. The client's name for the file
 * (query 'name') is what the store records and what errors name: the
 * temporary path never leaves the server.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patchline/escape.h"
#include "patchline/file.h"
#include "patchline/intel.h"
#include "patchline/inventory.h"

#include "server_int.h"

/* An upload in its temporary folder. */
struct upload {
    char dir[4096];
    char path[4096 + 80];
    const char *name; /* the client's name (query 'name') */
};

/* The last component of name with only [A-Za-z0-9._+-] (others '_'), never hidden or empty. */
static void safe_base(const char *name, char *out, size_t cap)
{
    const char *b = strrchr(name, '/');
    size_t n = 0;

    b = b ? b + 1 : name;
    if (*b == '\0' || *b == '.')
        n = (size_t)snprintf(out, cap, "upload");
    for (; *b && n + 1 < cap && n < 64; b++)
        out[n++] = (strchr("._+-", *b) || (*b >= '0' && *b <= '9') || (*b >= 'a' && *b <= 'z') ||
                    (*b >= 'A' && *b <= 'Z'))
                       ? *b
                       : '_';
    out[n] = '\0';
}

static pl_status upload_write(struct srv_req *r, struct upload *u, struct pl_error *err)
{
    const char *tmp = getenv("TMPDIR");
    char base[80];

    u->dir[0] = u->path[0] = '\0';
    if ((u->name = pl__server_srv_query(r, "name")) == NULL || *u->name == '\0')
        return pl_error_set(err, PL_E_INVALID,
                            "query parameter 'name': the file's name on the client is needed");
    if (r->body.len == 0)
        return pl_error_set(err, PL_E_INVALID, "request body: empty (want the file's bytes)");
    if (snprintf(u->dir, sizeof(u->dir), "%s/patchline-upload.XXXXXX",
                 tmp && *tmp == '/' ? tmp : "/tmp") >= (int)sizeof(u->dir))
        return pl_error_set(err, PL_E_INVALID, "TMPDIR: too long");
    if (mkdtemp(u->dir) == NULL) { /* 0700: the upload is the server's account's only */
        u->dir[0] = '\0';
        return pl_error_set(err, PL_E_IO, "cannot make a temporary folder: %s", strerror(errno));
    }
    safe_base(u->name, base, sizeof(base));
    snprintf(u->path, sizeof(u->path), "%s/%s", u->dir, base);
    return pl_file_write(u->dir, base, pl_buf_cstr(&r->body), r->body.len, 0600, err);
}

static void upload_remove(struct upload *u)
{
    if (u->path[0])
        (void)unlink(u->path);
    if (u->dir[0])
        (void)rmdir(u->dir);
}

/* err's message with the temporary path replaced by the client's name. */
static void err_as_client(struct pl_error *err, const struct upload *u)
{
    char out[PL_ERROR_MSG_BYTES];
    size_t n = 0, lp = strlen(u->path), ld = strlen(u->dir);
    const char *m = err->msg;

    while (*m && n + 1 < sizeof(out)) {
        size_t k = lp && strncmp(m, u->path, lp) == 0  ? lp
                   : ld && strncmp(m, u->dir, ld) == 0 ? ld
                                                       : 0;

        if (k) {
            n += (size_t)snprintf(out + n, sizeof(out) - n, "%s", k == lp ? u->name : "(upload)");
            if (n >= sizeof(out))
                n = sizeof(out) - 1;
            m += k;
        } else {
            out[n++] = *m++;
        }
    }
    out[n] = '\0';
    memcpy(err->msg, out, n + 1);
}

static bool query_true(struct srv_req *r, const char *key, bool *v)
{
    const char *q = pl__server_srv_query(r, key);

    *v = q && strcmp(q, "true") == 0;
    return q == NULL || *v || strcmp(q, "false") == 0;
}

/* The notices of a feed import, as JSON members of an array in data (a struct pl_buf). */
static void on_notice(enum pl_feed_notice what, const char *kind, const char *text, void *data)
{
    struct pl_buf *b = data;

    pl_buf_adds(b, b->len ? ", {\"notice\": " : "{\"notice\": ");
    pl_escape_json_quoted(b, what == PL_FEED_REMOVED ? "removed" : "forced");
    pl_buf_adds(b, ", \"kind\": ");
    pl_escape_json_quoted(b, kind);
    pl_buf_adds(b, ", \"text\": ");
    pl_escape_json_quoted(b, text);
    pl_buf_adds(b, "}");
}

/* A feed file or a VEX document (imported as inventory import does), as `feed import` does. */
static pl_status feed_one(struct srv_req *r, const struct upload *u, const char *kind,
                          struct pl_import_opts *o, struct pl_buf *b, struct pl_error *err)
{
    const char *vex = NULL, *used = NULL;
    struct pl_inv_import_opts io = {0};
    struct pl_inv_import_stats st = {0};
    struct pl_feed_result res;
    pl_status rc;

    if ((rc = pl_inventory_vex_choose(kind, u->path, &vex, err)) != PL_OK)
        return rc;
    if (vex) {
        if ((rc = pl_inventory_import_as(r->store, vex, u->path, u->name, &io, &st, &used, err)) ==
            PL_OK) {
            pl_buf_adds(b, "{\"vex\": ");
            pl_escape_json_quoted(b, used);
            pl_buf_addf(b, ", \"statements\": %llu}\n", (unsigned long long)st.vulns);
        }
        return rc;
    }
    if ((rc = pl_feed_import_as(r->store, kind, u->path, u->name, o, &res, err)) != PL_OK)
        return rc;
    pl_buf_adds(b, "{\"kind\": ");
    pl_escape_json_quoted(b, res.kind);
    pl_buf_addf(b,
                ", \"records\": %llu, \"inserted\": %llu, \"updated\": %llu, \"unchanged\": "
                "%llu, \"withdrawn\": %llu, \"version\": ",
                (unsigned long long)res.stats.records, (unsigned long long)res.stats.inserted,
                (unsigned long long)res.stats.updated, (unsigned long long)res.stats.unchanged,
                (unsigned long long)res.stats.withdrawn);
    pl_escape_json_quoted(b, res.stats.version);
    pl_buf_addf(b, ", \"released\": %lld, \"sha256\": ", (long long)res.stats.released);
    pl_escape_json_quoted(b, res.sha256);
    return PL_OK;
}

enum MHD_Result pl__server_srv_route_feed_import(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_import_opts o = {0};
    struct pl_buf b = PL_BUF_INIT(0), notes = PL_BUF_INIT(0);
    const char *kind = pl__server_srv_query(r, "kind");
    struct upload u;
    enum MHD_Result ok;
    pl_status rc;

    if (kind && !pl_feed_kind_known(kind) && !pl_inventory_vex_kind_known(kind))
        return pl__server_srv_fail(r, PL_E_INVALID, "query parameter 'kind': unknown feed kind");
    if (!query_true(r, "force", &o.force))
        return pl__server_srv_fail(r, PL_E_INVALID, "query parameter 'force': want true or false");
    o.notice = on_notice;
    o.notice_data = &notes;
    if ((rc = upload_write(r, &u, &err)) == PL_OK) {
        pl__server_srv_act_as(r);
        if ((rc = pl_store_begin(r->store, &err)) == PL_OK) {
            rc = feed_one(r, &u, kind, &o, &b, &err);
            if (rc == PL_OK)
                rc = pl_store_commit(r->store, &err);
            else
                pl_store_rollback(r->store);
        }
        pl__server_srv_act_done(r);
    }
    upload_remove(&u);
    if (rc != PL_OK) {
        err_as_client(&err, &u);
        ok = pl__server_srv_fail_err(r, &err);
    } else {
        if (b.len && pl_buf_cstr(&b)[b.len - 1] != '\n') /* a feed: its notices close it */
            pl_buf_addf(&b, ", \"notices\": [%s]}\n", pl_buf_cstr(&notes));
        ok = pl__server_srv_reply(r, 200, "application/json", &b);
    }
    pl_buf_release(&b);
    pl_buf_release(&notes);
    return ok;
}

/* The query's 'map' values (COLUMN=FIELD), in order. */
struct maps {
    const char *v[64];
    size_t n;
    bool too_many;
};

static enum MHD_Result on_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                              const char *value)
{
    struct maps *m = cls;

    (void)kind;
    if (strcmp(key, "map") == 0 && value) {
        if (m->n == PL_ARRAY_LEN(m->v))
            m->too_many = true;
        else
            m->v[m->n++] = value;
    }
    return MHD_YES;
}

enum MHD_Result pl__server_srv_route_inventory_import(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct maps m = {{NULL}, 0, false};
    struct pl_inv_import_opts o = {0};
    struct pl_inv_import_stats st = {0};
    struct pl_buf b = PL_BUF_INIT(0);
    const char *used = NULL;
    struct upload u;
    enum MHD_Result ok;
    pl_status rc;

    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, on_arg, &m);
    if (m.too_many)
        return pl__server_srv_fail(r, PL_E_INVALID, "query parameter 'map': more than %zu",
                                   PL_ARRAY_LEN(m.v));
    o.scope = pl__server_srv_query(r, "scope");
    o.columns = pl__server_srv_query(r, "columns");
    o.query = pl__server_srv_query(r, "query");
    o.map = m.v;
    o.n_map = m.n;
    if ((rc = upload_write(r, &u, &err)) == PL_OK) {
        pl__server_srv_act_as(r);
        rc = pl_inventory_import_as(r->store, pl__server_srv_query(r, "kind"), u.path, u.name, &o,
                                    &st, &used, &err);
        pl__server_srv_act_done(r);
    }
    upload_remove(&u);
    if (rc != PL_OK) {
        err_as_client(&err, &u);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_buf_adds(&b, "{\"kind\": ");
    pl_escape_json_quoted(&b, used);
    pl_buf_addf(&b,
                ", \"records\": %llu, \"created\": %llu, \"merged\": %llu, \"skipped\": %llu}\n",
                (unsigned long long)st.records, (unsigned long long)st.created,
                (unsigned long long)st.merged, (unsigned long long)st.skipped);
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}
