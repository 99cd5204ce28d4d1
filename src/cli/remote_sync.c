/*
 * remote_sync.c - `feed sync` through the server (POST /api/v1/feeds/sync):
 * the server fetches from its own sources and imports, as the caller, and
 * the client prints each kind's line as the local command does. --url is
 * not sent: the server never fetches an address a client names.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/intel.h"
#include "patchline/parse.h"

#include "remote_int.h"

/* One kind's answer printed as `feed sync` prints it, its notices on standard error. */
static void item_print(yajl_val v)
{
    static char cmd[] = "feed sync";
    const char *mp[] = {"not_modified", NULL};
    const char *kind = pl__cli_remote_str(v, "kind"), *url = pl__cli_remote_str(v, "url");
    yajl_val nm = yajl_tree_get(v, mp, yajl_t_any);
    struct pl_feed_result res;

    kind = kind ? kind : "?";
    url = url ? url : "?";
    pl__cli_remote_feed_notices(v, cmd);
    if (nm && YAJL_IS_TRUE(nm)) {
        pl__cli_line(stdout, "%s: %s: not modified", kind, url);
        return;
    }
    memset(&res, 0, sizeof(res));
    snprintf(res.kind, sizeof(res.kind), "%s",
             pl__cli_remote_str(v, "feed") ? pl__cli_remote_str(v, "feed") : kind);
    pl__cli_remote_import_stats(v, &res.stats);
    pl__cli_print_import(&res, url);
}

int pl__cli_remote_feed_sync(struct pl_cli *cli, const char *server, const char *token, int argc,
                             char **argv)
{
    static const struct option longopts[] = {
        {"url", required_argument, NULL, 'u'},
        {"max-bytes", required_argument, NULL, 'm'},
        {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    const char *ip[] = {"items", NULL};
    bool force = false;
    int64_t max = 0;
    yajl_val v = NULL, items;
    long http = 0;
    int c, rc;

    (void)cli;
    optind = 0;
    while ((c = getopt_long(argc, argv, "+u:m:f", longopts, NULL)) != -1) {
        if (c == 'u')
            return pl__cli_usage("", "feed sync --server: --url is not sent: the server fetches "
                                     "from its own sources (the official URLs, or "
                                     "PATCHLINE_FEED_<KIND>_URL in its environment)");
        if (c == 'm' && (pl_parse_i64(optarg, &max, NULL) != PL_OK || max < 1))
            return pl__cli_usage("", "--max-bytes: want a positive number");
        if (c == 'f')
            force = true;
        else if (c != 'm')
            return pl__cli_usage("", "feed sync --server: takes --max-bytes --force KIND...");
    }
    pl_buf_addf(&body, "{\"force\": %s", force ? "true" : "false");
    if (max > 0)
        pl_buf_addf(&body, ", \"max_bytes\": %lld", (long long)max);
    if (optind < argc) {
        pl_buf_adds(&body, ", \"kinds\": [");
        for (int i = optind; i < argc; i++) {
            if (i > optind)
                pl_buf_adds(&body, ", ");
            pl_escape_json_quoted(&body, argv[i]);
        }
        pl_buf_adds(&body, "]");
    }
    pl_buf_adds(&body, "}");
    pl_buf_addf(&url, "%s/api/v1/feeds/sync", server);
    rc = pl__cli_remote_request(pl_buf_cstr(&url), token, "application/json", pl_buf_cstr(&body),
                                body.len, &out, &http);
    if (rc == PL_EXIT_OK) {
        /* the kinds synced before a failure are printed first, as locally */
        v = yajl_tree_parse(pl_buf_cstr(&out), NULL, 0);
        items = v ? yajl_tree_get(v, ip, yajl_t_array) : NULL;
        for (size_t i = 0; items && i < items->u.array.len; i++)
            item_print(items->u.array.values[i]);
        if (http != 200)
            rc = pl__cli_remote_error("feed sync", http, &out);
        else if (items == NULL) {
            pl__cli_warn("feed sync: the server's answer is not JSON");
            rc = PL_EXIT_ERROR;
        }
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    pl_buf_release(&body);
    pl_buf_release(&out);
    return rc;
}
