/*
 * remote_agent.c - `agent token create` and `agent revoke HOST` through the
 * server (admin): the local command's lines; the enrolment token is printed
 * once, as locally.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/escape.h"
#include "patchline/fleet.h"

#include "remote_int.h"

static int token_create(const char *server, const char *token, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"expires", required_argument, NULL, 'e'},
        {"tag", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    struct pl_buf url = PL_BUF_INIT(0), req = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    const char *expires = NULL, *tok, *until;
    size_t n_tags = 0;
    int64_t life;
    yajl_val v = NULL;
    long http = 0;
    int c, rc;

    pl_buf_adds(&req, "{\"tags\": [");
    optind = 0;
    while ((c = getopt_long(argc, argv, "e:t:", longopts, NULL)) != -1) {
        if (c == 'e' && pl_auth_token_lifetime(optarg, &life, &err) != PL_OK) {
            pl_buf_release(&req);
            return pl__cli_usage("", "--expires: %s", err.msg);
        }
        if (c == 'e') {
            expires = optarg;
        } else if (c == 't' && n_tags < 32) {
            pl_buf_adds(&req, n_tags++ ? ", " : "");
            pl_escape_json_quoted(&req, optarg);
        } else {
            pl_buf_release(&req);
            return pl__cli_usage("", c == 't' ? "--tag: at most 32"
                                              : "agent token --server: takes --expires and --tag");
        }
    }
    if (optind + 1 != argc || strcmp(argv[optind], "create") != 0) {
        pl_buf_release(&req);
        return pl__cli_usage("", "agent token: want 'create'");
    }
    pl_buf_adds(&req, "]");
    if (expires) {
        pl_buf_adds(&req, ", \"expires\": ");
        pl_escape_json_quoted(&req, expires);
    }
    pl_buf_adds(&req, "}");
    pl_buf_addf(&url, "%s/api/v1/agents/tokens", server);
    rc = pl__cli_remote_request(pl_buf_cstr(&url), token, "application/json", pl_buf_cstr(&req),
                                req.len, &out, &http);
    if (rc == PL_EXIT_OK && http != 201)
        rc = pl__cli_remote_error("agent token create", http, &out);
    if (rc == PL_EXIT_OK) {
        v = yajl_tree_parse(pl_buf_cstr(&out), NULL, 0);
        tok = pl__cli_remote_str(v, "token");
        until = pl__cli_remote_str(v, "expires");
        if (tok && until) {
            pl__cli_line(stdout, "enrolment token %lld, single use, expires %s; shown once:",
                         (long long)pl__cli_remote_i64(v, "id", 0), until);
            printf("%s\n", tok);
        } else {
            rc = (pl__cli_warn("agent token create: the server's answer is not a token"),
                  PL_EXIT_ERROR);
        }
    }
    yajl_tree_free(v);
    if (out.buf)
        memset(out.buf, 0, out.len);
    pl_buf_release(&url);
    pl_buf_release(&req);
    pl_buf_release(&out);
    return rc;
}

static int revoke(const char *server, const char *token, int argc, char **argv)
{
    struct pl_buf url = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    long http = 0;
    char *e;
    int rc;

    if (argc != 2)
        return pl__cli_usage("", "agent revoke: want one HOST");
    e = curl_easy_escape(NULL, argv[1], 0);
    pl_buf_addf(&url, "%s/api/v1/agents/%s/revoke", server, e ? e : "");
    curl_free(e);
    rc = pl__cli_remote_request(pl_buf_cstr(&url), token, "application/json", "{}", 2, &out, &http);
    if (rc == PL_EXIT_OK && http != 200)
        rc = pl__cli_remote_error("agent revoke", http, &out);
    if (rc == PL_EXIT_OK)
        pl__cli_line(stdout, "agent '%s' revoked: its credential is refused from now on", argv[1]);
    pl_buf_release(&url);
    pl_buf_release(&out);
    return rc;
}

int pl__cli_remote_agent(struct pl_cli *cli, const char *server, const char *token, int argc,
                         char **argv)
{
    if (strcmp(cli->cmd_name, "agent token") == 0)
        return token_create(server, token, argc, argv);
    return revoke(server, token, argc, argv);
}
