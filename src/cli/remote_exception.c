/*
 * remote_exception.c - `exception add|show|revoke` through the server: the
 * arguments parsed as the local command parses them, the library's checks
 * on the server, the local command's output.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/exception.h"

#include "remote_int.h"

/* POST body (JSON) to url; 0 with the parsed answer in *v when it has want, else an exit code. */
static int post(const char *what, const char *url, const char *token, const struct pl_buf *req,
                long want, yajl_val *v)
{
    struct pl_buf body = PL_BUF_INIT(0);
    long http = 0;
    int rc = pl__cli_remote_request(url, token, "application/json", pl_buf_cstr(req), req->len,
                                    &body, &http);

    *v = NULL;
    if (rc == PL_EXIT_OK && http != want)
        rc = pl__cli_remote_error(what, http, &body);
    if (rc == PL_EXIT_OK && (*v = yajl_tree_parse(pl_buf_cstr(&body), NULL, 0)) == NULL) {
        pl__cli_warn("%s: the server's answer is not an exception", what);
        rc = PL_EXIT_ERROR;
    }
    pl_buf_release(&body);
    return rc;
}

static void field(struct pl_buf *b, const char *key, const char *v)
{
    if (v == NULL)
        return;
    pl_buf_adds(b, b->len > 1 ? ", " : "");
    pl_escape_json_quoted(b, key);
    pl_buf_adds(b, ": ");
    pl_escape_json_quoted(b, v);
}

static int remote_add(const char *server, const char *token, int argc, char **argv)
{
    struct pl_exception_request r = {0};
    struct pl_buf url = PL_BUF_INIT(0), req = PL_BUF_INIT(0);
    const char **assets = NULL, *policy = NULL;
    const char *type, *requester, *expires;
    yajl_val v = NULL;
    int rc = pl__cli_exception_add_options(argc, argv, &r, &assets, &policy);

    if (rc != PL_EXIT_OK) {
        free(assets);
        return rc < 0 ? PL_EXIT_OK : rc;
    }
    pl_buf_addch(&req, '{');
    field(&req, "type", r.type);
    if (r.finding_id)
        pl_buf_addf(&req, "%s\"finding\": %lld", req.len > 1 ? ", " : "", (long long)r.finding_id);
    field(&req, "cve", r.vuln_id);
    field(&req, "select", r.selector);
    if (r.n_assets) {
        pl_buf_adds(&req, req.len > 1 ? ", \"assets\": [" : "\"assets\": [");
        for (size_t i = 0; i < r.n_assets; i++) {
            pl_buf_adds(&req, i ? ", " : "");
            pl_escape_json_quoted(&req, r.assets[i]);
        }
        pl_buf_addch(&req, ']');
    }
    field(&req, "justification", r.justification);
    field(&req, "expires", r.expires);
    field(&req, "policy", policy);
    pl_buf_addch(&req, '}');
    pl_buf_addf(&url, "%s/api/v1/exceptions", server);
    if ((rc = post("exception add", pl_buf_cstr(&url), token, &req, 201, &v)) == PL_EXIT_OK) {
        type = pl__cli_remote_str(v, "type");
        requester = pl__cli_remote_str(v, "requester");
        expires = pl__cli_remote_str(v, "expires");
        if (type && requester && expires) /* the line of the local exception add */
            pl__cli_line(stdout,
                         "exception %lld added: %s, pending approval by another user than %s; "
                         "expires %s",
                         (long long)pl__cli_remote_i64(v, "id", 0), type, requester, expires);
        else
            rc = (pl__cli_warn("exception add: the server's answer is not an exception"),
                  PL_EXIT_ERROR);
    }
    yajl_tree_free(v);
    free(assets);
    pl_buf_release(&url);
    pl_buf_release(&req);
    return rc;
}

static int remote_revoke(const char *server, const char *token, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"reason", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_buf url = PL_BUF_INIT(0), req = PL_BUF_INIT(0);
    const char *reason = NULL, *unused = NULL;
    yajl_val v = NULL;
    int64_t id = 0;
    int rc = pl__cli_exception_id_command(argc, argv, pl__cli_exception_revoke_usage, longopts, &id,
                                          &unused, &reason);

    if (rc != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    pl_buf_addch(&req, '{');
    field(&req, "reason", reason);
    pl_buf_addch(&req, '}');
    pl_buf_addf(&url, "%s/api/v1/exceptions/%lld/revoke", server, (long long)id);
    if ((rc = post("exception revoke", pl_buf_cstr(&url), token, &req, 200, &v)) == PL_EXIT_OK)
        printf("exception %lld revoked; its findings are back on their clocks\n", (long long)id);
    yajl_tree_free(v);
    pl_buf_release(&url);
    pl_buf_release(&req);
    return rc;
}

static int remote_show(struct pl_cli *cli, const char *server, const char *token, int argc,
                       char **argv)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *ep[] = {"exception", NULL}, *fp[] = {"findings", NULL};
    struct pl_col xcols[PL_EXCEPTION_SHOW_N_COLS], fcols[PL_EXCEPTION_SCOPE_N_COLS];
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0);
    const char *unused = NULL;
    struct pl_table rec, t;
    yajl_val v = NULL, x = NULL, fs = NULL;
    int64_t id = 0;
    long http = 0;
    int rc = pl__cli_exception_id_command(argc, argv, pl__cli_exception_show_usage, longopts, &id,
                                          &unused, &unused);

    if (rc != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    pl_buf_addf(&url, "%s/api/v1/exceptions/%lld", server, (long long)id);
    if ((rc = pl__cli_remote_request(pl_buf_cstr(&url), token, NULL, NULL, 0, &body, &http)) ==
            PL_EXIT_OK &&
        http != 200)
        rc = pl__cli_remote_error("exception show", http, &body);
    if (rc == PL_EXIT_OK) {
        v = yajl_tree_parse(pl_buf_cstr(&body), NULL, 0);
        x = v ? yajl_tree_get(v, ep, yajl_t_object) : NULL;
        fs = v ? yajl_tree_get(v, fp, yajl_t_array) : NULL;
        if (x == NULL || fs == NULL)
            rc = (pl__cli_warn("exception show: the server's answer is not an exception"),
                  PL_EXIT_ERROR);
    }
    if (rc == PL_EXIT_OK) {
        pl__cli_cols_of(xcols, pl_exception_show_col_names, pl_exception_show_col_types,
                        PL_EXCEPTION_SHOW_N_COLS);
        pl__cli_cols_of(fcols, pl_exception_scope_col_names, pl_exception_scope_col_types,
                        PL_EXCEPTION_SCOPE_N_COLS);
        pl__cli_table_init(&rec, xcols, PL_EXCEPTION_SHOW_N_COLS);
        pl__cli_remote_row(&rec, x);
        pl__cli_table_init(&t, fcols, PL_EXCEPTION_SCOPE_N_COLS);
        pl__cli_remote_rows(&t, fs);
        rc = pl__cli_table_render_record("exception", &rec, "findings", &t, pl__cli_format(cli),
                                         stdout);
        pl__cli_table_release(&rec);
        pl__cli_table_release(&t);
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    pl_buf_release(&body);
    return rc;
}

int pl__cli_remote_exception(struct pl_cli *cli, const char *server, const char *token, int argc,
                             char **argv)
{
    if (strcmp(cli->cmd_name, "exception add") == 0)
        return remote_add(server, token, argc, argv);
    if (strcmp(cli->cmd_name, "exception revoke") == 0)
        return remote_revoke(server, token, argc, argv);
    return remote_show(cli, server, token, argc, argv);
}
