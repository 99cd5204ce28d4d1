/*
 * remote_tasks.c - `snapshot` and `housekeeping` through the server: the
 * library's work done there as the caller, the local command's line here.
 */
#include <stdio.h>
#include <string.h>

#include "remote_int.h"

int pl__cli_remote_task(struct pl_cli *cli, const char *server, const char *token, int argc,
                        char **argv)
{
    bool snap = strcmp(cli->cmd_name, "snapshot") == 0;
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0);
    yajl_val v = NULL;
    long http = 0;
    int rc;

    if (argc > 1)
        return pl__cli_usage("", "%s: unexpected argument '%s'", cli->cmd_name, argv[1]);
    pl_buf_addf(&url, "%s/api/v1/%s", server, snap ? "snapshot" : "housekeeping");
    rc =
        pl__cli_remote_request(pl_buf_cstr(&url), token, "application/json", "{}", 2, &body, &http);
    if (rc == PL_EXIT_OK && http != 200)
        rc = pl__cli_remote_error(cli->cmd_name, http, &body);
    if (rc == PL_EXIT_OK && (v = yajl_tree_parse(pl_buf_cstr(&body), NULL, 0)) == NULL)
        rc = (pl__cli_warn("%s: the server's answer is not JSON", cli->cmd_name), PL_EXIT_ERROR);
    if (rc == PL_EXIT_OK && snap) { /* the lines of the local commands */
        const char *day = pl__cli_remote_str(v, "day");
        long long open = (long long)pl__cli_remote_i64(v, "open", 0);
        long long closed = (long long)pl__cli_remote_i64(v, "closed", 0);

        if (closed)
            printf("snapshot %s: %lld open findings; %lld closed period%s recorded\n",
                   day ? day : "?", open, closed, closed == 1 ? "" : "s");
        else
            printf("snapshot %s: %lld open findings\n", day ? day : "?", open);
    } else if (rc == PL_EXIT_OK) {
        printf("exceptions: %lld expired, %lld false positives to review, %lld scopes changed; "
               "%lld findings newly covered, %lld back on their clock\n",
               (long long)pl__cli_remote_i64(v, "expired", 0),
               (long long)pl__cli_remote_i64(v, "reviewed", 0),
               (long long)pl__cli_remote_i64(v, "rescoped", 0),
               (long long)pl__cli_remote_i64(v, "covered", 0),
               (long long)pl__cli_remote_i64(v, "released", 0));
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    pl_buf_release(&body);
    return rc;
}
