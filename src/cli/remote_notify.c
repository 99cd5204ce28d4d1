/*
 * remote_notify.c - `notify add|list|remove|deliver`, `agent list`, `agent
 * jobs` and `inventory export` through the server: the local command's
 * lines, and its tables rendered here from the rows the server sends (the
 * library's cells). notify add reads the secret file here, with the local
 * command's checks, and sends the secret in the body (hex), never in the
 * URL; deliver runs on the server, which holds the outbox.
 */
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/escape.h"
#include "patchline/fleet.h"
#include "patchline/notify.h"
#include "patchline/parse.h"
#include "patchline/store_assets.h"

#include "remote_int.h"

/* POST the JSON body req to server + path; *v the answer parsed when the status is want. */
static int post(const char *server, const char *token, const char *path, const char *what,
                const struct pl_buf *req, long want, yajl_val *v)
{
    struct pl_buf url = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    long http = 0;
    int rc;

    *v = NULL;
    pl_buf_addf(&url, "%s%s", server, path);
    rc = pl__cli_remote_request(pl_buf_cstr(&url), token, "application/json",
                                req->len ? pl_buf_cstr(req) : "{}", req->len ? req->len : 2, &out,
                                &http);
    if (rc == PL_EXIT_OK && http != want)
        rc = pl__cli_remote_error(what, http, &out);
    if (rc == PL_EXIT_OK && (*v = yajl_tree_parse(pl_buf_cstr(&out), NULL, 0)) == NULL)
        rc = (pl__cli_warn("%s: the server's answer is not JSON", what), PL_EXIT_ERROR);
    pl_buf_release(&url);
    pl_buf_release(&out);
    return rc;
}

static int notify_add(const char *server, const char *token, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"secret-file", required_argument, NULL, 's'},
        {"event", required_argument, NULL, 'e'},
        {"expiring-days", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0},
    };
    uint8_t secret[PL_NOTIFY_SECRET_MAX + 2];
    char hex[2 * sizeof(secret) + 1];
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf req = PL_BUF_INIT(0);
    const char *path = NULL, *events = NULL, *names;
    unsigned ev = 0;
    int64_t days = 0;
    size_t n = 0;
    yajl_val v = NULL;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "s:e:d:", longopts, NULL)) != -1) {
        if (c == 's')
            path = optarg;
        else if (c == 'e' && pl_notify_events_parse(optarg, &ev, &err) != PL_OK)
            return pl__cli_usage("", "%s", err.msg);
        else if (c == 'e')
            events = optarg;
        else if (c == 'd' && (pl_parse_i64(optarg, &days, &err) != PL_OK || days < 1 || days > 365))
            return pl__cli_usage("", "--expiring-days: want 1 to 365");
        else if (c != 'd')
            return pl__cli_usage("", "notify add --server: takes URL, --secret-file, --event and "
                                     "--expiring-days");
    }
    if (optind + 1 != argc)
        return pl__cli_usage("", "notify add: want one URL");
    if (path == NULL)
        return pl__cli_usage("", "notify add: want --secret-file FILE");
    if (pl_notify_secret_read(path, secret, &n, &err) != PL_OK) {
        pl__cli_warn("notify add: %s", err.msg);
        return err.code == PL_E_INVALID ? PL_EXIT_USAGE : PL_EXIT_ERROR;
    }
    pl_buf_adds(&req, "{\"url\": ");
    pl_escape_json_quoted(&req, argv[optind]);
    pl_buf_addf(&req, ", \"secret_hex\": \"%s\"", pl_auth_hex(secret, n, hex));
    if (events) {
        pl_buf_adds(&req, ", \"events\": ");
        pl_escape_json_quoted(&req, events);
    }
    if (days)
        pl_buf_addf(&req, ", \"expiring_days\": %lld", (long long)days);
    pl_buf_adds(&req, "}");
    OPENSSL_cleanse(secret, sizeof(secret));
    OPENSSL_cleanse(hex, sizeof(hex));
    rc = post(server, token, "/api/v1/notifiers", "notify add", &req, 201, &v);
    if (req.buf)
        OPENSSL_cleanse(req.buf, req.len);
    names = pl__cli_remote_str(v, "events");
    if (rc == PL_EXIT_OK && names)
        pl__cli_line(stdout, "notifier %lld added: %s", (long long)pl__cli_remote_i64(v, "id", 0),
                     names);
    else if (rc == PL_EXIT_OK)
        rc = (pl__cli_warn("notify add: the server's answer is not a notifier"), PL_EXIT_ERROR);
    yajl_tree_free(v);
    pl_buf_release(&req);
    return rc;
}

static int notify_remove(const char *server, const char *token, int argc, char **argv)
{
    struct pl_buf path = PL_BUF_INIT(0), req = PL_BUF_INIT(0);
    int64_t id = 0;
    yajl_val v = NULL;
    int rc;

    if (argc != 2 || pl_parse_i64(argv[1], &id, NULL) != PL_OK || id < 1)
        return pl__cli_usage("", "notify remove: want one notifier ID (a number)");
    pl_buf_addf(&path, "/api/v1/notifiers/%lld/remove", (long long)id);
    rc = post(server, token, pl_buf_cstr(&path), "notify remove", &req, 200, &v);
    if (rc == PL_EXIT_OK)
        pl__cli_line(stdout, "notifier %lld removed", (long long)id);
    yajl_tree_free(v);
    pl_buf_release(&path);
    return rc;
}

static int notify_deliver(const char *server, const char *token, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"max", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0},
    };
    struct pl_buf req = PL_BUF_INIT(0);
    int64_t max = 0;
    yajl_val v = NULL;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "m:", longopts, NULL)) != -1) {
        if (c != 'm')
            return pl__cli_usage("", "notify deliver --server: takes --max N");
        if (pl_parse_i64(optarg, &max, NULL) != PL_OK || max < 1 || max > 10000)
            return pl__cli_usage("", "--max: want 1 to 10000");
    }
    if (optind != argc)
        return pl__cli_usage("", "notify deliver takes no argument");
    if (max)
        pl_buf_addf(&req, "{\"max\": %lld}", (long long)max);
    rc = post(server, token, "/api/v1/notifiers/deliver", "notify deliver", &req, 200, &v);
    if (rc == PL_EXIT_OK)
        pl__cli_line(stdout, "%lld events enqueued, %lld delivered, %lld to retry, %lld given up",
                     (long long)pl__cli_remote_i64(v, "enqueued", 0),
                     (long long)pl__cli_remote_i64(v, "delivered", 0),
                     (long long)pl__cli_remote_i64(v, "retrying", 0),
                     (long long)pl__cli_remote_i64(v, "dead", 0));
    yajl_tree_free(v);
    pl_buf_release(&req);
    return rc;
}

/* A listing that takes no argument (notify list, agent list, agent jobs). */
static int plain(struct pl_cli *cli, const char *server, const char *token, int argc, char **argv,
                 const char *path, const char *const *names, const enum pl_cell_type *types,
                 size_t n)
{
    struct pl_buf url = PL_BUF_INIT(0);
    int rc;

    if (argc != 1)
        return pl__cli_usage("", "%s takes no argument ('%s')", cli->cmd_name, argv[1]);
    pl_buf_addf(&url, "%s%s", server, path);
    rc = pl__cli_remote_list(cli, token, cli->cmd_name, pl_buf_cstr(&url), names, types, n);
    pl_buf_release(&url);
    return rc;
}

static int inventory_export(struct pl_cli *cli, const char *server, const char *token, int argc,
                            char **argv)
{
    static const struct option longopts[] = {
        {"select", required_argument, NULL, 'S'},
        {NULL, 0, NULL, 0},
    };
    struct pl_buf url = PL_BUF_INIT(0);
    const char *select = NULL;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+S:", longopts, NULL)) != -1) {
        if (c != 'S' || select)
            return pl__cli_usage("", "inventory export --server: takes --select SELECTOR");
        select = optarg;
    }
    if (optind != argc)
        return pl__cli_usage("", "unexpected argument '%s'", argv[optind]);
    pl_buf_addf(&url, "%s/api/v1/inventory/export", server);
    if (select)
        pl__cli_remote_query(&url, "select", select);
    rc = pl__cli_remote_list(cli, token, "inventory export", pl_buf_cstr(&url),
                             pl_asset_export_col_names, pl_asset_export_col_types,
                             PL_ASSET_EXPORT_N_COLS);
    pl_buf_release(&url);
    return rc;
}

bool pl__cli_remote_notify_handles(const char *cmd_name)
{
    static const char *const names[] = {"notify add",      "notify list", "notify remove",
                                        "notify deliver",  "agent list",  "agent jobs",
                                        "inventory export"};

    for (size_t i = 0; i < PL_ARRAY_LEN(names); i++)
        if (strcmp(cmd_name, names[i]) == 0)
            return true;
    return false;
}

int pl__cli_remote_notify(struct pl_cli *cli, const char *server, const char *token, int argc,
                          char **argv)
{
    const char *name = cli->cmd_name;

    if (strcmp(name, "notify add") == 0)
        return notify_add(server, token, argc, argv);
    if (strcmp(name, "notify remove") == 0)
        return notify_remove(server, token, argc, argv);
    if (strcmp(name, "notify deliver") == 0)
        return notify_deliver(server, token, argc, argv);
    if (strcmp(name, "notify list") == 0)
        return plain(cli, server, token, argc, argv, "/api/v1/notifiers", pl_notifier_col_names,
                     pl_notifier_col_types, PL_NOTIFIER_N_COLS);
    if (strcmp(name, "agent list") == 0)
        return plain(cli, server, token, argc, argv, "/api/v1/agents", pl_agent_col_names,
                     pl_agent_col_types, PL_AGENT_N_COLS);
    if (strcmp(name, "agent jobs") == 0)
        return plain(cli, server, token, argc, argv, "/api/v1/agents/jobs", pl_agent_job_col_names,
                     pl_agent_job_col_types, PL_AGENT_JOB_N_COLS);
    return inventory_export(cli, server, token, argc, argv);
}
