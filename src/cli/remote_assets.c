/*
 * remote_assets.c - `assets` through the server: the listing with its
 * filters (GET /api/v1/assets) and the curation verbs set, retire, merge
 * and split (POST /api/v1/assets/VERB), printed as the local command
 * prints them.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/file.h"
#include "patchline/inventory.h"
#include "patchline/limits.h"
#include "patchline/parse.h"
#include "patchline/store_assets.h"

#include "remote_int.h"

static int curate(const char *server, const char *token, const char *verb, const char *body,
                  yajl_val *v)
{
    struct pl_buf url = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    char what[32];
    long http = 0;
    int rc;

    *v = NULL;
    snprintf(what, sizeof(what), "assets %s", verb);
    pl_buf_addf(&url, "%s/api/v1/assets/%s", server, verb);
    rc = pl__cli_remote_request(pl_buf_cstr(&url), token, "application/json", body, strlen(body),
                                &out, &http);
    if (rc == PL_EXIT_OK && http != 200)
        rc = pl__cli_remote_error(what, http, &out);
    if (rc == PL_EXIT_OK && (*v = yajl_tree_parse(pl_buf_cstr(&out), NULL, 0)) == NULL)
        rc = (pl__cli_warn("%s: the server's answer is not JSON", what), PL_EXIT_ERROR);
    pl_buf_release(&url);
    pl_buf_release(&out);
    return rc;
}

static int verb_args(const char *verb, int argc, char **argv, struct pl_buf *body)
{
    pl_buf_adds(body, "{\"asset\": ");
    if (strcmp(verb, "set") == 0) {
        if (argc < 3)
            return pl__cli_usage("", "assets set: want ASSET FIELD=VALUE...");
        pl_escape_json_quoted(body, argv[1]);
        pl_buf_adds(body, ", \"fields\": [");
        for (int i = 2; i < argc; i++) {
            const char *eq = strchr(argv[i], '=');
            struct pl_buf name = PL_BUF_INIT(0);

            if (eq == NULL || eq == argv[i])
                return pl__cli_usage("", "assets set: '%s': want FIELD=VALUE", argv[i]);
            pl_buf_add(&name, argv[i], (size_t)(eq - argv[i]));
            pl_buf_adds(body, i > 2 ? ", {\"field\": " : "{\"field\": ");
            pl_escape_json_quoted(body, pl_buf_cstr(&name));
            pl_buf_release(&name);
            pl_buf_adds(body, ", \"value\": ");
            pl_escape_json_quoted(body, eq + 1);
            pl_buf_adds(body, "}");
        }
        pl_buf_adds(body, "]}");
        return -1;
    }
    if (strcmp(verb, "retire") == 0 && argc != 2)
        return pl__cli_usage("", "assets retire: want ASSET");
    if (strcmp(verb, "merge") == 0 && argc != 3)
        return pl__cli_usage("", "assets merge: want ASSET OTHER");
    if (strcmp(verb, "split") == 0 && argc != 3)
        return pl__cli_usage("", "assets split: want ASSET SOURCE");
    pl_escape_json_quoted(body, argv[1]);
    if (argc == 3) {
        pl_buf_adds(body, strcmp(verb, "merge") == 0 ? ", \"other\": " : ", \"source\": ");
        pl_escape_json_quoted(body, argv[2]);
    }
    pl_buf_adds(body, "}");
    return -1;
}

static int remote_curate(const char *server, const char *token, int argc, char **argv)
{
    const char *verb = argv[0];
    struct pl_buf body = PL_BUF_INIT(0);
    yajl_val v = NULL;
    int rc;

    if ((rc = verb_args(verb, argc, argv, &body)) < 0 &&
        (rc = curate(server, token, verb, pl_buf_cstr(&body), &v)) == PL_EXIT_OK) {
        long long id = (long long)pl__cli_remote_i64(v, "id", 0);

        /* the lines of the local verbs */
        if (strcmp(verb, "set") == 0)
            printf("asset %lld updated\n", id);
        else if (strcmp(verb, "retire") == 0)
            printf("asset %lld retired\n", id);
        else if (strcmp(verb, "merge") == 0)
            printf("asset %lld merged into asset %lld\n",
                   (long long)pl__cli_remote_i64(v, "merged", 0), id);
        else
            pl__cli_line(stdout, "source '%s' of asset %lld split into asset %lld", argv[2], id,
                         (long long)pl__cli_remote_i64(v, "new_id", 0));
    }
    yajl_tree_free(v);
    pl_buf_release(&body);
    return rc;
}

/* The listing's filters as the query of url; -1 to go on. */
static int list_query(struct pl_cli *cli, int argc, char **argv, struct pl_buf *url)
{
    static const struct option longopts[] = {
        {"unmanaged", no_argument, NULL, 'u'},    {"stale", required_argument, NULL, 's'},
        {"select", required_argument, NULL, 'S'}, {"retired", no_argument, NULL, 'r'},
        {"conflicts", no_argument, NULL, 'c'},    {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_asset_selector sel = {0};
    int64_t days;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+ucs:S:r", longopts, NULL)) != -1) {
        if (c == 'u' || c == 'c' || c == 'r') {
            pl__cli_remote_query(url,
                                 c == 'u'   ? "unmanaged"
                                 : c == 'c' ? "conflicts"
                                            : "retired",
                                 "true");
        } else if (c == 's') {
            if (pl_parse_i64(optarg, &days, NULL) != PL_OK || days < 0)
                return pl__cli_usage("", "--stale '%s': want a number of days", optarg);
            pl__cli_remote_query(url, "stale", optarg);
        } else if (c == 'S') {
            /* checked here as locally (a bad selector is an error, exit 1), sent as written */
            if (pl_asset_selector_parse(optarg, &sel, &err) != PL_OK)
                return pl__cli_fail(cli, "assets", &err);
            pl_asset_selector_release(&sel);
            pl__cli_remote_query(url, "select", optarg);
        } else {
            return pl__cli_usage("", "assets --server: see 'patchline assets --help'");
        }
    }
    if (optind != argc)
        return pl__cli_usage("", "unexpected argument '%s'", argv[optind]);
    return -1;
}

/* assets precedence FILE | --default: the file is the body, its name the query's. */
static int remote_precedence(struct pl_cli *cli, const char *server, const char *token, int argc,
                             char **argv)
{
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    bool def = argc == 2 && strcmp(argv[1], "--default") == 0;
    long http = 0;
    int rc = PL_EXIT_OK;

    if (argc != 2)
        return pl__cli_usage("", "assets precedence: want FILE or --default");
    pl_buf_addf(&url, "%s/api/v1/assets/precedence", server);
    if (def) {
        pl__cli_remote_query(&url, "default", "true");
    } else if (pl_file_read(argv[1], (size_t)1024 * 1024, &body, &err) != PL_OK) {
        rc = pl__cli_fail(cli, "assets precedence", &err);
    } else {
        pl__cli_remote_query(&url, "name", argv[1]);
    }
    if (rc == PL_EXIT_OK)
        rc = pl__cli_remote_request(pl_buf_cstr(&url), token, "text/plain", pl_buf_cstr(&body),
                                    body.len, &out, &http);
    if (rc == PL_EXIT_OK && http != 200)
        rc = pl__cli_remote_error("assets precedence", http, &out);
    if (rc == PL_EXIT_OK)
        printf("precedence %s loaded; every asset resolved again\n", def ? "default" : argv[1]);
    pl_buf_release(&url);
    pl_buf_release(&body);
    pl_buf_release(&out);
    return rc;
}

/* assets livepatch ASSET FILE: the report is the body; the local line from the answer. */
static int remote_livepatch(struct pl_cli *cli, const char *server, const char *token, int argc,
                            char **argv)
{
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    struct pl_livepatch_report rep;
    yajl_val v = NULL;
    long http = 0;
    int rc = PL_EXIT_OK;

    if (argc != 3)
        return pl__cli_usage("", "assets livepatch: want ASSET and FILE (canonical-livepatch "
                                 "status --format json, or kpatch list)");
    if (pl_file_read(argv[2], PL_MAX_FILE_BYTES, &body, &err) != PL_OK)
        return pl__cli_fail(cli, "assets livepatch", &err);
    pl_buf_addf(&url, "%s/api/v1/assets/livepatch", server);
    pl__cli_remote_query(&url, "asset", argv[1]);
    pl__cli_remote_query(&url, "name", argv[2]);
    rc = pl__cli_remote_request(pl_buf_cstr(&url), token, "application/octet-stream",
                                pl_buf_cstr(&body), body.len, &out, &http);
    if (rc == PL_EXIT_OK && http != 200)
        rc = pl__cli_remote_error("assets livepatch", http, &out);
    if (rc == PL_EXIT_OK && (v = yajl_tree_parse(pl_buf_cstr(&out), NULL, 0)) == NULL)
        rc = (pl__cli_warn("assets livepatch: the server's answer is not JSON"), PL_EXIT_ERROR);
    if (rc == PL_EXIT_OK) {
        const char *f = pl__cli_remote_str(v, "format"), *k = pl__cli_remote_str(v, "kernel"),
                   *st = pl__cli_remote_str(v, "state"), *ver = pl__cli_remote_str(v, "version");

        memset(&rep, 0, sizeof(rep));
        snprintf(rep.format, sizeof(rep.format), "%s", f ? f : "");
        snprintf(rep.kernel, sizeof(rep.kernel), "%s", k ? k : "");
        snprintf(rep.state, sizeof(rep.state), "%s", st ? st : "");
        snprintf(rep.version, sizeof(rep.version), "%s", ver ? ver : "");
        rep.n_fixes = (size_t)pl__cli_remote_i64(v, "fixes", 0);
        rep.n_recorded = (size_t)pl__cli_remote_i64(v, "recorded", 0);
        rep.n_unmapped = (size_t)pl__cli_remote_i64(v, "unmapped", 0);
        pl_buf_reset(&body);
        pl__cli_livepatch_line(&body, argv[1], &rep);
        fputs(pl_buf_cstr(&body), stdout);
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    pl_buf_release(&body);
    pl_buf_release(&out);
    return rc;
}

/* The rows of one section of the server's answer into r (cells as they came; NULL for null). */
static bool show_rows(yajl_val v, const struct pl_asset_show_section *sec, struct pl_text_rows *r)
{
    const char *path[] = {sec->key, NULL};
    yajl_val rows = v ? yajl_tree_get(v, path, yajl_t_array) : NULL;

    if (rows == NULL)
        return false;
    r->n_cols = sec->n_cols;
    r->cells = pl_xcalloc(rows->u.array.len * sec->n_cols + 1, sizeof(*r->cells));
    r->n_rows = rows->u.array.len; /* every cell NULL until set, so released whole */
    for (size_t k = 0; k < rows->u.array.len; k++) {
        yajl_val row = rows->u.array.values[k];

        if (!YAJL_IS_ARRAY(row) || row->u.array.len != sec->n_cols)
            return false;
        for (size_t c = 0; c < sec->n_cols; c++) {
            yajl_val x = row->u.array.values[c];

            if (YAJL_IS_STRING(x))
                r->cells[k * sec->n_cols + c] = pl_xstrdup(YAJL_GET_STRING(x));
            else if (!YAJL_IS_NULL(x))
                return false;
        }
    }
    return true;
}

/* assets show ASSET: the server's sections printed as the local command prints them. */
static int remote_show(struct pl_cli *cli, const char *server, const char *token, int argc,
                       char **argv)
{
    struct pl_buf url = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    bool json = strcmp(pl__cli_format(cli), "json") == 0;
    struct pl_asset_show x;
    yajl_val v = NULL;
    long http = 0;
    int rc;

    if (argc != 2)
        return pl__cli_usage("", "assets show: want ASSET");
    pl_buf_addf(&url, "%s/api/v1/assets/show", server);
    pl__cli_remote_query(&url, "asset", argv[1]);
    pl__cli_remote_query(&url, "format", json ? "json" : "table");
    rc = pl__cli_remote_request(pl_buf_cstr(&url), token, NULL, NULL, 0, &out, &http);
    if (rc == PL_EXIT_OK && http != 200)
        rc = pl__cli_remote_error("assets show", http, &out);
    if (rc == PL_EXIT_OK && json) {
        fputs(pl_buf_cstr(&out), stdout);
    } else if (rc == PL_EXIT_OK) {
        memset(&x, 0, sizeof(x));
        v = yajl_tree_parse(pl_buf_cstr(&out), NULL, 0);
        for (size_t i = 0; i < PL_ASSET_SHOW_N && rc == PL_EXIT_OK; i++)
            if (!show_rows(v, &pl_asset_show_sections[i], &x.s[i]))
                rc = (pl__cli_warn("assets show: the server's answer is not an asset"),
                      PL_EXIT_ERROR);
        if (rc == PL_EXIT_OK)
            rc = pl__cli_assets_show_print(&x);
        pl_asset_show_release(&x);
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    pl_buf_release(&out);
    return rc;
}

int pl__cli_remote_assets(struct pl_cli *cli, const char *server, const char *token, int argc,
                          char **argv)
{
    static const char *const curation[] = {"set", "retire", "merge", "split"};
    struct pl_buf url = PL_BUF_INIT(0);
    int rc;

    for (size_t i = 0; argc > 1 && i < PL_ARRAY_LEN(curation); i++)
        if (strcmp(argv[1], curation[i]) == 0)
            return remote_curate(server, token, argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "livepatch") == 0)
        return remote_livepatch(cli, server, token, argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "precedence") == 0)
        return remote_precedence(cli, server, token, argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "show") == 0)
        return remote_show(cli, server, token, argc - 1, argv + 1);
    pl_buf_addf(&url, "%s/api/v1/assets", server);
    if ((rc = list_query(cli, argc, argv, &url)) < 0)
        rc = pl__cli_remote_list(cli, token, "assets", pl_buf_cstr(&url), pl_asset_col_names,
                                 pl_asset_col_types, PL_ASSET_N_COLS);
    pl_buf_release(&url);
    return rc;
}
