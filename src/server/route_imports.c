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
#include "patchline/handoff.h"
#include "patchline/intel.h"
#include "patchline/inventory.h"
#include "patchline/parse.h"
#include "patchline/plan.h"
#include "patchline/store_assets.h"

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

/* The first len bytes of the body into a file of its own temporary folder. */
static pl_status upload_write_part(struct srv_req *r, struct upload *u, size_t len,
                                   struct pl_error *err)
{
    const char *tmp = getenv("TMPDIR");
    char base[80];

    u->dir[0] = u->path[0] = '\0';
    if ((u->name = pl__server_srv_query(r, "name")) == NULL || *u->name == '\0')
        return pl_error_set(err, PL_E_INVALID,
                            "query parameter 'name': the file's name on the client is needed");
    if (len == 0)
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
    return pl_file_write(u->dir, base, pl_buf_cstr(&r->body), len, 0600, err);
}

static pl_status upload_write(struct srv_req *r, struct upload *u, struct pl_error *err)
{
    return upload_write_part(r, u, r->body.len, err);
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

/* The notices of a feed import or sync, as JSON members of an array in data (a struct pl_buf). */
void pl__server_srv_feed_notice(enum pl_feed_notice what, const char *kind, const char *text,
                                void *data)
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
    pl_buf_addf(b, ", \"later\": %llu", (unsigned long long)res.stats.later);
    return PL_OK;
}

/* The query's 'name' and 'size' values, in order: the files of one feed import. */
struct feed_parts {
    const char *name[PL_SERVER_UPLOAD_FILES_MAX], *size[PL_SERVER_UPLOAD_FILES_MAX];
    size_t len[PL_SERVER_UPLOAD_FILES_MAX]; /* the sizes, parsed */
    size_t n_name, n_size;
    bool too_many;
};

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    struct feed_parts *p = cls;
    bool name = strcmp(key, "name") == 0;

    (void)kind;
    if ((name || strcmp(key, "size") == 0) && value) {
        size_t *n = name ? &p->n_name : &p->n_size;

        if (*n == PL_SERVER_UPLOAD_FILES_MAX)
            p->too_many = true;
        else
            (name ? p->name : p->size)[(*n)++] = value;
    }
    return MHD_YES;
}

/*
 * The files of the body into their temporary folder: one file (no 'size')
 * is the whole body; several are the body's bytes cut by their 'size's, in
 * the order of their 'name's.
 */
static pl_status parts_write(struct srv_req *r, struct feed_parts *p, struct upload *u,
                             struct pl_error *err)
{
    const char *tmp = getenv("TMPDIR");
    const char *body = pl_buf_cstr(&r->body);
    size_t off = 0, *len = p->len;
    char base[80], file[112];
    int64_t n;

    u[0].dir[0] = '\0';
    for (size_t i = 0; i < p->n_name; i++) {
        u[i].path[0] = '\0';
        u[i].name = p->name[i];
        if (*p->name[i] == '\0')
            return pl_error_set(err, PL_E_INVALID, "query parameter 'name': empty");
    }
    if (p->n_name == 0)
        return pl_error_set(err, PL_E_INVALID,
                            "query parameter 'name': the file's name on the client is needed");
    if (p->n_size == 0 && p->n_name == 1) {
        len[0] = r->body.len;
    } else if (p->n_size != p->n_name) {
        return pl_error_set(err, PL_E_INVALID,
                            "query parameter 'size': one for each 'name' when there are several");
    } else {
        for (size_t i = 0; i < p->n_size; i++) {
            if (pl_parse_i64(p->size[i], &n, NULL) != PL_OK || n <= 0 ||
                (uint64_t)n > r->body.len - off)
                return pl_error_set(err, PL_E_INVALID,
                                    "query parameter 'size': '%.32s' for '%.200s' does not fit "
                                    "the body",
                                    p->size[i], p->name[i]);
            len[i] = (size_t)n;
            off += len[i];
        }
        if (off != r->body.len)
            return pl_error_set(err, PL_E_INVALID,
                                "request body: %zu bytes, the sizes add up to %zu", r->body.len,
                                off);
        off = 0;
    }
    if (r->body.len == 0)
        return pl_error_set(err, PL_E_INVALID, "request body: empty (want the file's bytes)");
    if (snprintf(u[0].dir, sizeof(u[0].dir), "%s/patchline-upload.XXXXXX",
                 tmp && *tmp == '/' ? tmp : "/tmp") >= (int)sizeof(u[0].dir))
        return pl_error_set(err, PL_E_INVALID, "TMPDIR: too long");
    if (mkdtemp(u[0].dir) == NULL) { /* 0700: the upload is the server's account's only */
        u[0].dir[0] = '\0';
        return pl_error_set(err, PL_E_IO, "cannot make a temporary folder: %s", strerror(errno));
    }
    for (size_t i = 0; i < p->n_name; off += len[i], i++) {
        pl_status rc;

        memcpy(u[i].dir, u[0].dir, sizeof(u[i].dir));
        safe_base(p->name[i], base, sizeof(base));
        /* numbered: two files of one name (from two folders) stay apart */
        snprintf(file, sizeof(file), "%zu-%s", i, base);
        snprintf(u[i].path, sizeof(u[i].path), "%s/%s", u[i].dir, file);
        if ((rc = pl_file_write(u[i].dir, file, body + off, len[i], 0600, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

static void parts_remove(struct upload *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (u[i].path[0])
            (void)unlink(u[i].path);
    if (n && u[0].dir[0])
        (void)rmdir(u[0].dir);
}

/* An error that names the client's file, with the results of the files before it. */
static enum MHD_Result fail_after(struct srv_req *r, const struct pl_error *err,
                                  const struct pl_buf *items)
{
    pl_status code = err->code == PL_OK ? PL_E_INTERNAL : err->code;
    int http = pl_status_http(code);
    struct pl_buf b = PL_BUF_INIT(0);
    enum MHD_Result ok;

    pl_buf_addf(&b,
                "{\"error\":{\"code\":\"%s\",\"status\":\"%s\",\"message\":", pl_status_name(code),
                pl__server_srv_reason(http));
    pl_escape_json_quoted(&b, err->msg);
    pl_buf_addf(&b, "},\"items\":[%s]}\n", pl_buf_cstr(items));
    ok = pl__server_srv_reply(r, http, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

/*
 * POST /api/v1/feeds/import: one file (the body, named by 'name') or
 * several (several 'name's, each with its 'size': the body is their bytes
 * one after another), imported in one transaction as `feed import FILE...`
 * does. One file answers its object; several answer {"items": [...]}, and
 * a failure names its file and carries the items of the files before it
 * (which the local command has printed by then), none of them kept.
 */
enum MHD_Result pl__server_srv_route_feed_import(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_import_opts o = {0};
    struct pl_buf items = PL_BUF_INIT(0), one = PL_BUF_INIT(0), notes = PL_BUF_INIT(0);
    const char *kind = pl__server_srv_query(r, "kind"), *as_of = pl__server_srv_query(r, "as_of");
    struct feed_parts *p = calloc(1, sizeof(*p));
    struct upload *u = NULL;
    enum MHD_Result ok;
    size_t failed = 0;
    pl_status rc = PL_OK;

    if (p != NULL) {
        MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, on_part, p);
        u = calloc(p->n_name ? p->n_name : 1, sizeof(*u)); /* a temporary path each */
    }
    if (p == NULL || u == NULL) {
        free(p);
        return pl__server_srv_fail(r, PL_E_NOMEM, "out of memory");
    }
    if (kind && !pl_feed_kind_known(kind) && !pl_inventory_vex_kind_known(kind))
        rc = pl_error_set(&err, PL_E_INVALID, "query parameter 'kind': unknown feed kind");
    else if (!query_true(r, "force", &o.force))
        rc = pl_error_set(&err, PL_E_INVALID, "query parameter 'force': want true or false");
    else if (as_of && (pl_time_parse(as_of, &o.as_of, NULL) != PL_OK || o.as_of <= 0))
        rc = pl_error_set(&err, PL_E_INVALID, "query parameter 'as_of': want a time");
    else if (p->too_many)
        rc = pl_error_set(&err, PL_E_INVALID, "query parameter 'name': more than %d files",
                          PL_SERVER_UPLOAD_FILES_MAX);
    o.notice = pl__server_srv_feed_notice;
    o.notice_data = &notes;
    if (rc == PL_OK && (rc = parts_write(r, p, u, &err)) == PL_OK) {
        pl__server_srv_act_as(r);
        if ((rc = pl_store_begin(r->store, &err)) == PL_OK) {
            for (size_t i = 0; rc == PL_OK && i < p->n_name; i++) {
                pl_buf_reset(&one);
                pl_buf_reset(&notes);
                if ((rc = feed_one(r, &u[i], kind, &o, &one, &err)) != PL_OK) {
                    failed = i;
                    break;
                }
                if (one.len &&
                    pl_buf_cstr(&one)[one.len - 1] != '\n') /* a feed: notices close it */
                    pl_buf_addf(&one, ", \"notices\": [%s]}\n", pl_buf_cstr(&notes));
                if (i)
                    pl_buf_adds(&items, ",\n");
                pl_buf_add(&items, pl_buf_cstr(&one), one.len - 1); /* without its newline */
            }
            if (rc == PL_OK)
                rc = pl_store_commit(r->store, &err);
            else
                pl_store_rollback(r->store);
        }
        pl__server_srv_act_done(r);
    }
    parts_remove(u, p->n_name);
    if (rc != PL_OK) {
        if (failed < p->n_name && u[failed].path[0])
            err_as_client(&err, &u[failed]);
        ok = p->n_name > 1 ? fail_after(r, &err, &items) : pl__server_srv_fail_err(r, &err);
    } else if (p->n_name == 1) {
        pl_buf_addch(&items, '\n');
        ok = pl__server_srv_reply(r, 200, "application/json", &items);
    } else {
        pl_buf_reset(&one);
        pl_buf_addf(&one, "{\"items\": [%s]}\n", pl_buf_cstr(&items));
        ok = pl__server_srv_reply(r, 200, "application/json", &one);
    }
    pl_buf_release(&items);
    pl_buf_release(&one);
    pl_buf_release(&notes);
    free(p);
    free(u);
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

/*
 * POST /api/v1/assets/precedence?name=FILE (the file is the body) or
 * ?default=true (no body): `assets precedence FILE | --default`, by
 * pl_store_asset_precedence_load_as as the caller, recording the client's name.
 */
enum MHD_Result pl__server_srv_route_asset_precedence(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct upload u = {{0}, {0}, NULL};
    bool def = false;
    enum MHD_Result ok;
    pl_status rc;

    if (!query_true(r, "default", &def))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'default': want true or false");
    if (def && (r->body.len || pl__server_srv_query(r, "name")))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'default': no file with it (no body, no name)");
    if ((rc = def ? PL_OK : upload_write(r, &u, &err)) == PL_OK) {
        pl__server_srv_act_as(r);
        rc = pl_store_asset_precedence_load_as(r->store, def ? NULL : u.path, u.name, &err);
        pl__server_srv_act_done(r);
    }
    upload_remove(&u);
    if (rc != PL_OK) {
        if (!def)
            err_as_client(&err, &u);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_buf_adds(&b, "{\"precedence\": ");
    pl_escape_json_quoted(&b, def ? "default" : u.name);
    pl_buf_adds(&b, "}\n");
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

/*
 * POST /api/v1/assets/livepatch?asset=A&name=FILE (the report is the body):
 * `assets livepatch ASSET FILE`, by pl_livepatch_import_as as the caller in
 * one transaction, recording the client's name; answers the report's fields.
 */
enum MHD_Result pl__server_srv_route_asset_livepatch(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_livepatch_report rep;
    struct upload u = {{0}, {0}, NULL};
    const char *ref = pl__server_srv_query(r, "asset");
    enum MHD_Result ok;
    int64_t id = 0;
    pl_status rc;

    memset(&rep, 0, sizeof(rep));
    if (ref == NULL || *ref == '\0')
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'asset': the asset's id or name is needed");
    if ((rc = upload_write(r, &u, &err)) == PL_OK) {
        pl__server_srv_act_as(r);
        if ((rc = pl_store_begin(r->store, &err)) == PL_OK) {
            rc = pl_store_asset_resolve(r->store, ref, &id, &err);
            if (rc == PL_OK)
                rc = pl_livepatch_import_as(r->store, id, u.path, u.name, pl_clock_now(), &rep,
                                            &err);
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
        return pl__server_srv_fail_err(r, &err);
    }
    pl_buf_adds(&b, "{\"format\": ");
    pl_escape_json_quoted(&b, rep.format);
    pl_buf_adds(&b, ", \"kernel\": ");
    pl_escape_json_quoted(&b, rep.kernel);
    pl_buf_adds(&b, ", \"state\": ");
    pl_escape_json_quoted(&b, rep.state);
    pl_buf_adds(&b, ", \"version\": ");
    pl_escape_json_quoted(&b, rep.version);
    pl_buf_addf(&b, ", \"fixes\": %zu, \"recorded\": %zu, \"unmapped\": %zu}\n", rep.n_fixes,
                rep.n_recorded, rep.n_unmapped);
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

/*
 * The results file's size and the plan file after it in the body: 'size'
 * (the results' bytes; the rest of the body is the plan file named by
 * 'plan'), else the whole body is the results and the plan is built in.
 */
static pl_status results_parts(struct srv_req *r, size_t *n, struct pl_plan_config **c,
                               struct pl_error *err)
{
    const char *size = pl__server_srv_query(r, "size"), *plan = pl__server_srv_query(r, "plan");
    int64_t v = 0;

    *n = r->body.len;
    if ((size == NULL) != (plan == NULL || *plan == '\0'))
        return pl_error_set(err, PL_E_INVALID,
                            "query parameters 'size' and 'plan': a plan file follows the results "
                            "file, so both or neither are given");
    if (size == NULL)
        return pl_plan_config_load(NULL, c, err);
    if (pl_parse_i64(size, &v, NULL) != PL_OK || v < 1 || (uint64_t)v >= r->body.len)
        return pl_error_set(err, PL_E_INVALID,
                            "query parameter 'size': want the results file's bytes, fewer than "
                            "the body's");
    *n = (size_t)v;
    if (memchr(pl_buf_cstr(&r->body) + *n, '\0', r->body.len - *n))
        return pl_error_set(err, PL_E_INVALID, "request body: the plan file holds a NUL byte");
    return pl_plan_config_parse(plan, pl_buf_cstr(&r->body) + *n, r->body.len - *n, c, err);
}

/*
 * POST /api/v1/plans/{id}/handoff/results?name=FILE[&wave=W][&size=N&plan=NAME]:
 * `handoff results import FILE --rollout ID [--wave W] [--plan FILE]` by
 * pl_handoff_results_import_as as the caller, in one transaction, recording
 * the client's name; answers the import's counts, which the client prints
 * as the local command does.
 */
enum MHD_Result pl__server_srv_route_handoff_results(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_config *c = NULL;
    struct pl_handoff_plan *p = NULL;
    struct pl_handoff_import im;
    struct pl_buf b = PL_BUF_INIT(0);
    struct upload u = {{0}, {0}, NULL};
    enum MHD_Result ok;
    int64_t id = 0;
    size_t n = 0;
    pl_status rc;

    memset(&im, 0, sizeof(im));
    if (!pl__server_srv_param_id(r, 0, &id))
        return pl__server_srv_fail(r, PL_E_INVALID, "want a plan id (a positive number)");
    if ((rc = results_parts(r, &n, &c, &err)) == PL_OK &&
        (rc = upload_write_part(r, &u, n, &err)) == PL_OK) {
        pl__server_srv_act_as(r);
        if ((rc = pl_store_begin(r->store, &err)) == PL_OK) {
            rc = pl_handoff_plan_from_store(r->store, id, c, &p, &err);
            if (rc == PL_OK)
                rc = pl_handoff_results_import_as(r->store, p, u.path, u.name,
                                                  pl__server_srv_query(r, "wave"), &im, &err);
            if (rc == PL_OK)
                rc = pl_store_commit(r->store, &err);
            else
                pl_store_rollback(r->store);
        }
        pl__server_srv_act_done(r);
    }
    upload_remove(&u);
    pl_handoff_plan_free(p);
    pl_plan_config_free(c);
    if (rc != PL_OK) {
        if (u.path[0])
            err_as_client(&err, &u);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_buf_addf(&b, "{\"wave\": %d, \"wave_id\": ", im.wave);
    pl_escape_json_quoted(&b, im.wave_id);
    pl_buf_adds(&b, ", \"tool\": ");
    pl_escape_json_quoted(&b, im.tool);
    pl_buf_addf(&b,
                ", \"healthy\": %zu, \"failed\": %zu, \"unreachable\": %zu, \"pending\": %zu, "
                "\"missing\": %zu, \"nothing\": %zu}\n",
                im.n_healthy, im.n_failed, im.n_unreachable, im.n_pending, im.n_missing,
                im.n_nothing);
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}
