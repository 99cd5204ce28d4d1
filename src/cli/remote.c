/*
 * remote.c - the CLI as a client of `patchline serve` (--server URL or
 * $PATCHLINE_SERVER, with $PATCHLINE_TOKEN): the command goes through the
 * API and prints what it prints locally. TLS is verified; a token never
 * goes over plain HTTP off loopback.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "patchline/escape.h"
#include "patchline/exception.h"
#include "patchline/file.h"
#include "patchline/intel.h"
#include "patchline/limits.h"
#include "patchline/parse.h"
#include "patchline/report.h"
#include "patchline/server.h"
#include "patchline/store_assets.h"

#include "cli_int.h"
#include "remote_int.h"

#define REMOTE_REPLY_MAX ((size_t)64 * 1024 * 1024)

static size_t on_data(char *p, size_t size, size_t n, void *data)
{
    struct pl_buf *b = data;

    if (b->len + size * n > REMOTE_REPLY_MAX)
        return 0; /* curl fails the transfer */
    pl_buf_add(b, p, size * n);
    return size * n;
}

/* Refuse a token over plain HTTP off loopback; PL_EXIT_OK or a usage exit. */
static int check_url(const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    int rc = PL_EXIT_OK;

    if (u == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        pl__cli_warn("--server: '%s' is not a URL", url);
        rc = PL_EXIT_USAGE;
    } else if (strcmp(scheme, "https") != 0 &&
               (strcmp(scheme, "http") != 0 || !pl_is_loopback_address(host))) {
        pl__cli_warn("--server: refusing to send a token over %s to '%s' (use https)", scheme,
                     host);
        rc = PL_EXIT_USAGE;
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

static int request(const char *url, const char *token, const char *body, struct pl_buf *out,
                   long *status)
{
    return pl__cli_remote_request(url, token, body ? "application/json" : NULL, body,
                                  body ? strlen(body) : 0, out, status);
}

int pl__cli_remote_request(const char *url, const char *token, const char *ctype, const char *body,
                           size_t len, struct pl_buf *out, long *status)
{
    char ct[128];

    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    struct pl_buf auth = PL_BUF_INIT(0);
    CURLcode cc;

    if (c == NULL)
        return PL_EXIT_ERROR;
    pl_buf_addf(&auth, "Authorization: Bearer %s", token);
    h = curl_slist_append(h, pl_buf_cstr(&auth));
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
    if (ctype) {
        snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
        h = curl_slist_append(h, ct);
        h = curl_slist_append(h, "Expect:"); /* the body goes at once: no 100-continue wait */
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
    }
    cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(h);
    pl_buf_release(&auth);
    curl_easy_cleanup(c);
    if (cc != CURLE_OK) {
        pl__cli_warn("server: %s", curl_easy_strerror(cc));
        return PL_EXIT_ERROR;
    }
    return PL_EXIT_OK;
}

static int server_error(const char *what, long status, const struct pl_buf *b)
{
    return pl__cli_remote_error(what, status, b);
}

int pl__cli_remote_error(const char *what, long status, const struct pl_buf *b)
{
    const char *path[] = {"error", "message", NULL};
    yajl_val v = yajl_tree_parse(pl_buf_cstr(b), NULL, 0);
    yajl_val m = v ? yajl_tree_get(v, path, yajl_t_string) : NULL;

    pl__cli_warn("%s: %s (HTTP %ld)", what, m ? YAJL_GET_STRING(m) : "the server failed", status);
    yajl_tree_free(v);
    return status == 400 ? PL_EXIT_USAGE : PL_EXIT_ERROR;
}

static void query(struct pl_buf *url, const char *key, const char *value)
{
    pl__cli_remote_query(url, key, value);
}

void pl__cli_remote_query(struct pl_buf *url, const char *key, const char *value)
{
    char *e = curl_easy_escape(NULL, value, 0);

    pl_buf_addf(url, "%c%s=%s", strchr(pl_buf_cstr(url), '?') ? '&' : '?', key, e ? e : "");
    curl_free(e);
}

/* The filters of findings as the query of url; -1 to go on, else an exit code. */
static int findings_query(int argc, char **argv, struct pl_buf *url, const char **status)
{
    static const struct option longopts[] = {
        {"tier", required_argument, NULL, 't'},
        {"asset", required_argument, NULL, 'a'},
        {"status", required_argument, NULL, 's'},
        {"overdue", no_argument, NULL, 'o'},
        {"kev", no_argument, NULL, 'k'},
        {"unscored", no_argument, NULL, 'u'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+t:a:s:oku", longopts, NULL)) != -1) {
        if (c == 't' || c == 'a' || c == 's')
            query(url, c == 't' ? "tier" : c == 'a' ? "asset" : "status", optarg);
        else if (c == 'o' || c == 'k' || c == 'u')
            query(url, c == 'o' ? "overdue" : c == 'k' ? "kev" : "unscored", "true");
        else
            return pl__cli_usage("", "findings --server: takes --tier --asset --status --overdue "
                                     "--kev --unscored");
        if (c == 's')
            *status = optarg;
    }
    if (optind != argc)
        return pl__cli_usage("", "unexpected argument '%s'", argv[optind]);
    return -1;
}

static void rows(struct pl_table *t, yajl_val items)
{
    pl__cli_remote_rows(t, items);
}

void pl__cli_remote_rows(struct pl_table *t, yajl_val items)
{
    for (size_t i = 0; i < items->u.array.len; i++)
        pl__cli_remote_row(t, items->u.array.values[i]);
}

void pl__cli_remote_row(struct pl_table *t, yajl_val o)
{
    for (size_t c = 0; c < t->n_cols; c++) {
        const char *key[] = {t->cols[c].name, NULL};
        yajl_val x = yajl_tree_get(o, key, yajl_t_any);

        if (x == NULL || YAJL_IS_NULL(x))
            pl__cli_table_cell(t, NULL);
        else if (YAJL_IS_STRING(x))
            pl__cli_table_cell(t, YAJL_GET_STRING(x));
        else if (YAJL_IS_NUMBER(x))
            pl__cli_table_cell(t, YAJL_GET_NUMBER(x));
        else
            pl__cli_table_cell(t, YAJL_IS_TRUE(x) ? "true" : "false");
    }
}

/* One page's items into the table; *next the cursor of the next page (NULL: none; caller frees). */
static int page_rows(struct pl_table *t, const struct pl_buf *b, char **next)
{
    const char *ip[] = {"items", NULL}, *np[] = {"next", NULL};
    yajl_val v = yajl_tree_parse(pl_buf_cstr(b), NULL, 0);
    yajl_val items = v ? yajl_tree_get(v, ip, yajl_t_array) : NULL, nx;

    *next = NULL;
    if (items == NULL) {
        yajl_tree_free(v);
        pl__cli_warn("findings: the server's answer is not a page of findings");
        return PL_EXIT_ERROR;
    }
    rows(t, items);
    nx = yajl_tree_get(v, np, yajl_t_string);
    if (nx)
        *next = pl_xstrdup(YAJL_GET_STRING(nx));
    yajl_tree_free(v);
    return PL_EXIT_OK;
}

static int remote_findings(struct pl_cli *cli, const char *server, const char *token, int argc,
                           char **argv)
{
    static struct pl_col cols[PL_FINDING_N_COLS + 2];
    struct pl_buf q = PL_BUF_INIT(0), url = PL_BUF_INIT(0), body = PL_BUF_INIT(0);
    const char *status = NULL;
    char *next = NULL;
    struct pl_table t;
    size_t n_cols;
    long http = 0;
    int rc;

    pl_buf_addf(&q, "%s/api/v1/findings?limit=%d", server, PL_SERVER_PAGE_MAX);
    if ((rc = findings_query(argc, argv, &q, &status)) >= 0) {
        pl_buf_release(&q);
        return rc;
    }
    for (size_t i = 0; i < PL_FINDING_N_COLS; i++)
        cols[i] =
            (struct pl_col){pl_finding_col_names[i], (enum pl_col_type)pl_finding_col_types[i]};
    n_cols = PL_FINDING_N_COLS - !pl_report_finding_has_why(status);
    /* JSON carries the decision as its own field, last, as `findings --format json` does */
    if (strcmp(pl__cli_format(cli), "json") == 0) {
        cols[n_cols++] = (struct pl_col){"distro_decision", PL_COL_TEXT};
        cols[n_cols++] = (struct pl_col){"upgrade", PL_COL_TEXT};
    }
    pl__cli_table_stream(&t, cols, n_cols, pl__cli_format(cli), stdout);
    do {
        pl_buf_reset(&url);
        pl_buf_reset(&body);
        pl_buf_adds(&url, pl_buf_cstr(&q));
        if (next)
            query(&url, "cursor", next);
        free(next);
        next = NULL;
        if ((rc = request(pl_buf_cstr(&url), token, NULL, &body, &http)) == PL_EXIT_OK)
            rc = http == 200 ? page_rows(&t, &body, &next) : server_error("findings", http, &body);
    } while (rc == PL_EXIT_OK && next);
    if (rc == PL_EXIT_OK)
        rc = pl__cli_table_finish(&t);
    else
        pl__cli_table_release(&t);
    pl_buf_release(&q);
    pl_buf_release(&url);
    pl_buf_release(&body);
    return rc;
}

static int remote_list(struct pl_cli *cli, const char *token, const char *what, const char *url,
                       const char *const *names, const enum pl_cell_type *types, size_t n)
{
    return pl__cli_remote_list(cli, token, what, url, names, types, n);
}

int pl__cli_remote_list(struct pl_cli *cli, const char *token, const char *what, const char *url,
                        const char *const *names, const enum pl_cell_type *types, size_t n)
{
    struct pl_col cols[32];
    struct pl_buf body = PL_BUF_INIT(0);
    struct pl_table t;
    yajl_val v = NULL;
    long http = 0;
    int rc;

    if (n > PL_ARRAY_LEN(cols))
        PL_BUG("remote_list: too many columns");
    for (size_t i = 0; i < n; i++)
        cols[i] = (struct pl_col){names[i], (enum pl_col_type)types[i]};
    if ((rc = request(url, token, NULL, &body, &http)) == PL_EXIT_OK && http != 200)
        rc = server_error(what, http, &body);
    if (rc == PL_EXIT_OK &&
        ((v = yajl_tree_parse(pl_buf_cstr(&body), NULL, 0)) == NULL || !YAJL_IS_ARRAY(v))) {
        pl__cli_warn("%s: the server's answer is not a list", what);
        rc = PL_EXIT_ERROR;
    }
    if (rc == PL_EXIT_OK) {
        pl__cli_table_stream(&t, cols, n, pl__cli_format(cli), stdout);
        rows(&t, v);
        rc = pl__cli_table_finish(&t);
    }
    yajl_tree_free(v);
    pl_buf_release(&body);
    return rc;
}

int pl__cli_remote_table(struct pl_cli *cli, yajl_val items, const char *const *names,
                         const enum pl_cell_type *types, size_t n)
{
    struct pl_col cols[16];
    struct pl_table t;

    if (n > PL_ARRAY_LEN(cols))
        PL_BUG("remote table: too many columns");
    pl__cli_cols_of(cols, names, types, n);
    pl__cli_table_stream(&t, cols, n, pl__cli_format(cli), stdout);
    pl__cli_remote_rows(&t, items);
    return pl__cli_table_finish(&t);
}

int64_t pl__cli_remote_i64(yajl_val v, const char *key, int64_t def)
{
    const char *path[] = {key, NULL};
    yajl_val x = v ? yajl_tree_get(v, path, yajl_t_number) : NULL;

    return x && YAJL_IS_INTEGER(x) ? YAJL_GET_INTEGER(x) : def;
}

uint64_t pl__cli_remote_u64(yajl_val v, const char *key)
{
    int64_t n = pl__cli_remote_i64(v, key, 0);

    return n > 0 ? (uint64_t)n : 0;
}

const char *pl__cli_remote_str(yajl_val v, const char *key)
{
    const char *path[] = {key, NULL};
    yajl_val x = v ? yajl_tree_get(v, path, yajl_t_string) : NULL;

    return x ? YAJL_GET_STRING(x) : NULL;
}

/* The listings that take no argument through the server: the command, its route, its columns. */
static const struct plain_list {
    const char *cmd, *path;
    const char *const *names;
    const enum pl_cell_type *types;
    size_t n;
} plain_lists[] = {
    {"feed status", "/api/v1/feeds", pl_feed_status_col_names, pl_feed_status_col_types,
     PL_FEED_STATUS_N_COLS},
};

static int remote_plain_list(struct pl_cli *cli, const char *server, const char *token,
                             const struct plain_list *l, int argc, char **argv)
{
    struct pl_buf url = PL_BUF_INIT(0);
    int rc;

    if (argc > 1)
        return pl__cli_usage("", "%s --server: takes no argument ('%s')", l->cmd, argv[1]);
    pl_buf_addf(&url, "%s%s", server, l->path);
    rc = remote_list(cli, token, l->cmd, pl_buf_cstr(&url), l->names, l->types, l->n);
    pl_buf_release(&url);
    return rc;
}

static int remote_exception_list(struct pl_cli *cli, const char *server, const char *token,
                                 int argc, char **argv)
{
    static const struct option longopts[] = {
        {"status", required_argument, NULL, 's'},
        {"expiring", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    struct pl_buf url = PL_BUF_INIT(0);
    const char *status = NULL, *expiring = NULL;
    int64_t d;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        if (c == 's' && pl_exception_status_known(optarg))
            status = optarg;
        else if (c == 's')
            return pl__cli_usage("", "--status: unknown status '%s'", optarg);
        else if (c == 'e' && pl_duration_parse(optarg, &d, NULL) == PL_OK)
            expiring = optarg;
        else if (c == 'e')
            return pl__cli_usage("", "--expiring: want a duration (14d), not '%s'", optarg);
        else
            return pl__cli_usage("", "exception list --server: takes --status and --expiring");
    }
    if (optind != argc)
        return pl__cli_usage("", "exception list: unexpected argument '%s'", argv[optind]);
    pl_buf_addf(&url, "%s/api/v1/exceptions", server);
    if (status)
        query(&url, "status", status);
    if (expiring)
        query(&url, "expiring", expiring);
    rc = remote_list(cli, token, "exception list", pl_buf_cstr(&url), pl_exception_col_names,
                     pl_exception_col_types, PL_EXCEPTION_N_COLS);
    pl_buf_release(&url);
    return rc;
}

/*
 * report (every format, -o FILE written here) and metrics --format
 * prometheus: the server's text as it is. A --policy naming a file here
 * goes as the body of a POST; a name is a built-in policy.
 */
static int remote_report(struct pl_cli *cli, const char *server, const char *token, int argc,
                         char **argv, bool metrics)
{
    const char *want = metrics ? "prometheus" : "json", *what = metrics ? "metrics" : "report";
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0), file = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    struct pl_report_opts o = {0};
    const char *path = NULL, *policy = NULL;
    char t[PL_TIME_STR_LEN];
    long http = 0;
    int rc;

    if ((rc = pl__cli_report_opts(argc, argv, "", &o, metrics ? NULL : &path, &policy)) !=
        PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if (metrics && strcmp(pl__cli_format(cli), want) != 0)
        return pl__cli_usage("", "%s --server: only --format %s", what, want);
    pl_buf_addf(&url, "%s%s", server, metrics ? "/metrics" : "/api/v1/report");
    if (o.period == PL_PERIOD_QUARTER)
        query(&url, "period", "quarter");
    if (o.period == PL_PERIOD_RANGE) {
        query(&url, "from", pl_time_format(o.from, t));
        query(&url, "to", pl_time_format(o.to, t));
    }
    if (!metrics)
        query(&url, "format", pl__cli_format(cli));
    if (policy && pl_path_exists(policy) &&
        pl_file_read(policy, PL_MAX_POLICY_BYTES + 1, &file, &err) != PL_OK) {
        pl__cli_warn("%s: %s", what, err.msg);
        rc = PL_EXIT_ERROR;
    }
    if (policy)
        query(&url, "policy", policy);
    if (rc == PL_EXIT_OK)
        rc = file.len ? pl__cli_remote_request(pl_buf_cstr(&url), token, "application/yaml",
                                               pl_buf_cstr(&file), file.len, &body, &http)
                      : request(pl_buf_cstr(&url), token, NULL, &body, &http);
    if (rc == PL_EXIT_OK)
        rc = http == 200 ? pl__cli_report_emit(&body, path) : server_error(what, http, &body);
    pl_buf_release(&url);
    pl_buf_release(&body);
    pl_buf_release(&file);
    return rc;
}

/* "ID" and --policy NAME of explain and exception approve; -1 to go on, else an exit code. */
static int id_args(int argc, char **argv, const char **id, const char **policy)
{
    static const struct option longopts[] = {
        {"policy", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    int64_t n;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+p:", longopts, NULL)) != -1) {
        if (c != 'p')
            return pl__cli_usage("", "--server: takes ID and --policy NAME");
        *policy = optarg;
    }
    if (optind + 1 != argc || pl_parse_i64(argv[optind], &n, NULL) != PL_OK || n <= 0)
        return pl__cli_usage("", "--server: want one id (a positive number)");
    *id = argv[optind];
    return -1;
}

static int remote_explain(struct pl_cli *cli, const char *server, const char *token, int argc,
                          char **argv)
{
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0);
    const char *id = NULL, *policy = NULL;
    long http = 0;
    int rc;

    if ((rc = id_args(argc, argv, &id, &policy)) >= 0)
        return rc;
    pl_buf_addf(&url, "%s/api/v1/findings/%s/explain?format=%s", server, id, pl__cli_format(cli));
    if (policy)
        query(&url, "policy", policy);
    if ((rc = request(pl_buf_cstr(&url), token, NULL, &body, &http)) == PL_EXIT_OK)
        rc = http == 200 ? (fputs(pl_buf_cstr(&body), stdout), PL_EXIT_OK)
                         : server_error("explain", http, &body);
    pl_buf_release(&url);
    pl_buf_release(&body);
    return rc;
}

static int remote_approve(const char *server, const char *token, int argc, char **argv)
{
    const char *cp[] = {"covered", NULL}, *ap[] = {"approver", NULL}, *ep[] = {"expires", NULL};
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0), req = PL_BUF_INIT(0);
    const char *id = NULL, *policy = NULL;
    yajl_val v, c, a, e;
    long http = 0;
    int rc;

    if ((rc = id_args(argc, argv, &id, &policy)) >= 0)
        return rc;
    pl_buf_addf(&url, "%s/api/v1/exceptions/%s/approve", server, id);
    pl_buf_adds(&req, "{");
    if (policy) {
        pl_buf_adds(&req, "\"policy\": ");
        pl_escape_json_quoted(&req, policy);
    }
    pl_buf_adds(&req, "}");
    if ((rc = request(pl_buf_cstr(&url), token, pl_buf_cstr(&req), &body, &http)) == PL_EXIT_OK &&
        http != 200)
        rc = server_error("exception approve", http, &body);
    if (rc == PL_EXIT_OK) {
        v = yajl_tree_parse(pl_buf_cstr(&body), NULL, 0);
        c = v ? yajl_tree_get(v, cp, yajl_t_number) : NULL;
        a = v ? yajl_tree_get(v, ap, yajl_t_string) : NULL;
        e = v ? yajl_tree_get(v, ep, yajl_t_string) : NULL;
        if (c && a && e) /* the line of the local exception approve */
            pl__cli_line(stdout,
                         "exception %s approved by %s: active until %s, covers %s finding%s", id,
                         YAJL_GET_STRING(a), YAJL_GET_STRING(e), YAJL_GET_NUMBER(c),
                         strcmp(YAJL_GET_NUMBER(c), "1") == 0 ? "" : "s");
        else
            rc = (pl__cli_warn("exception approve: the server's answer is not an exception"),
                  PL_EXIT_ERROR);
        yajl_tree_free(v);
    }
    pl_buf_release(&url);
    pl_buf_release(&body);
    pl_buf_release(&req);
    return rc;
}

bool pl__cli_remote_handles(const struct pl_cli *cli, const struct pl_command *cmd)
{
    static const char *const names[] = {
        "findings",       "assets",           "explain",        "exception approve",
        "exception list", "exception add",    "exception show", "exception revoke",
        "feed status",    "report",           "metrics",        "jobs",
        "feed import",    "inventory import", "snapshot",       "housekeeping",
        "scan",           "user add",         "user list",      "user disable",
        "user roles",     "token create",     "token list",     "token revoke",
        "vuln",           "software",         "packages",       "audit",
        "agent token",    "agent revoke",     "feed sync"};
    static const char *const plan_verbs[] = {"show",       "approve",    "reject",
                                             "waive-soak", "--forecast", ""};

    /* plan's verbs come back through pl__cli_run with their own entries */
    for (size_t i = 0;
         pl__cli_server(cli) && strcmp(cli->cmd_name, "plan") == 0 && i < PL_ARRAY_LEN(plan_verbs);
         i++)
        if (strcmp(cmd->name, plan_verbs[i]) == 0)
            return true;
    for (size_t i = 0; pl__cli_server(cli) && i < PL_ARRAY_LEN(names); i++)
        if (strcmp(cli->cmd_name, names[i]) == 0)
            return true;
    if (pl__cli_server(cli) && pl__cli_remote_notify_handles(cli->cmd_name))
        return true;
    return false;
}

const char *pl__cli_server(const struct pl_cli *cli)
{
    const char *s = cli->server ? cli->server : getenv("PATCHLINE_SERVER");

    return s && *s ? s : NULL;
}

int pl__cli_remote_setup(struct pl_cli *cli, char *base, size_t cap, const char **token)
{
    const char *server = pl__cli_server(cli);
    size_t n;
    int rc;

    *token = getenv("PATCHLINE_TOKEN");
    if (*token == NULL || **token == '\0')
        return pl__cli_usage("", "--server needs PATCHLINE_TOKEN (a token of yours: "
                                 "'patchline token create')");
    if ((rc = check_url(server)) != PL_EXIT_OK)
        return rc;
    n = strlen(server);
    while (n && server[n - 1] == '/')
        n--;
    if (n >= cap)
        return pl__cli_usage("", "--server: URL too long");
    memcpy(base, server, n);
    base[n] = '\0';
    return PL_EXIT_OK;
}

int pl__cli_remote(struct pl_cli *cli, const struct pl_command *cmd, int argc, char **argv)
{
    const char *token = NULL;
    char base[1024];
    int rc;

    if ((rc = pl__cli_remote_setup(cli, base, sizeof(base), &token)) != PL_EXIT_OK)
        return rc;
    if (pl__cli_remote_notify_handles(cli->cmd_name))
        return pl__cli_remote_notify(cli, base, token, argc, argv);
    if (strcmp(cli->cmd_name, "plan") == 0)
        return pl__cli_remote_plan(cli, cmd->name, base, token, argc, argv);
    if (strcmp(cli->cmd_name, "jobs") == 0)
        return pl__cli_remote_jobs(cli, base, token, argc, argv);
    if (strcmp(cli->cmd_name, "feed import") == 0 || strcmp(cli->cmd_name, "inventory import") == 0)
        return pl__cli_remote_import(cli, base, token, argc, argv);
    for (size_t i = 0; i < PL_ARRAY_LEN(plain_lists); i++)
        if (strcmp(cli->cmd_name, plain_lists[i].cmd) == 0)
            return remote_plain_list(cli, base, token, &plain_lists[i], argc, argv);
    if (strcmp(cli->cmd_name, "exception list") == 0)
        return remote_exception_list(cli, base, token, argc, argv);
    if (strcmp(cli->cmd_name, "report") == 0 || strcmp(cli->cmd_name, "metrics") == 0)
        return remote_report(cli, base, token, argc, argv, cli->cmd_name[0] == 'm');
    if (strcmp(cli->cmd_name, "explain") == 0)
        return remote_explain(cli, base, token, argc, argv);
    if (strcmp(cli->cmd_name, "exception approve") == 0)
        return remote_approve(base, token, argc, argv);
    if (strncmp(cli->cmd_name, "user ", 5) == 0 || strncmp(cli->cmd_name, "token ", 6) == 0)
        return pl__cli_remote_users(cli, base, token, argc, argv);
    if (strcmp(cli->cmd_name, "assets") == 0)
        return pl__cli_remote_assets(cli, base, token, argc, argv);
    if (strcmp(cli->cmd_name, "vuln") == 0 || strcmp(cli->cmd_name, "software") == 0 ||
        strcmp(cli->cmd_name, "packages") == 0 || strcmp(cli->cmd_name, "audit") == 0)
        return pl__cli_remote_reads(cli, base, token, argc, argv);
    if (strncmp(cli->cmd_name, "agent ", 6) == 0)
        return pl__cli_remote_agent(cli, base, token, argc, argv);
    if (strcmp(cli->cmd_name, "scan") == 0)
        return pl__cli_remote_scan(cli, base, token, argc, argv);
    if (strcmp(cli->cmd_name, "feed sync") == 0)
        return pl__cli_remote_feed_sync(cli, base, token, argc, argv);
    if (strcmp(cli->cmd_name, "snapshot") == 0 || strcmp(cli->cmd_name, "housekeeping") == 0)
        return pl__cli_remote_task(cli, base, token, argc, argv);
    if (strncmp(cli->cmd_name, "exception ", 10) == 0)
        return pl__cli_remote_exception(cli, base, token, argc, argv);
    return remote_findings(cli, base, token, argc, argv);
}
