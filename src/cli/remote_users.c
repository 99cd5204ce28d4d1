/*
 * remote_users.c - `user add|list|disable|roles` and `token
 * create|list|revoke` through the server: the lists are the library's
 * cells rendered here, the changes print the local command's line. The
 * token of `token create` comes back once in the answer and is printed
 * as the last line, as locally.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/escape.h"
#include "patchline/parse.h"
#include "patchline/store_auth.h"

#include "remote_int.h"

/* POST body (JSON) to server + path; 200/201 parsed into *v. */
static int post(const char *what, const char *server, const char *path, const char *token,
                const struct pl_buf *body, yajl_val *v)
{
    struct pl_buf url = PL_BUF_INIT(0), out = PL_BUF_INIT(0);
    long http = 0;
    int rc;

    *v = NULL;
    pl_buf_addf(&url, "%s%s", server, path);
    rc = pl__cli_remote_request(pl_buf_cstr(&url), token, "application/json", pl_buf_cstr(body),
                                body->len, &out, &http);
    if (rc == PL_EXIT_OK && http != 200 && http != 201)
        rc = pl__cli_remote_error(what, http, &out);
    if (rc == PL_EXIT_OK && (*v = yajl_tree_parse(pl_buf_cstr(&out), NULL, 0)) == NULL)
        rc = (pl__cli_warn("%s: the server's answer is not JSON", what), PL_EXIT_ERROR);
    if (out.buf)
        memset(out.buf, 0, out.len); /* it may hold a token */
    pl_buf_release(&url);
    pl_buf_release(&out);
    return rc;
}

/* "/api/v1/users/NAME/VERB" with NAME escaped. */
static void user_path(struct pl_buf *p, const char *name, const char *verb)
{
    char *e = curl_easy_escape(NULL, name, 0);

    pl_buf_addf(p, "/api/v1/users/%s/%s", e ? e : "", verb);
    curl_free(e);
}

static void json_array_of(struct pl_buf *b, const char *key, const char *const *v, size_t n)
{
    pl_buf_addf(b, "\"%s\": [", key);
    for (size_t i = 0; i < n; i++) {
        pl_buf_adds(b, i ? ", " : "");
        pl_escape_json_quoted(b, v[i]);
    }
    pl_buf_addch(b, ']');
}

static int user_add(const char *server, const char *token, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"role", required_argument, NULL, 'r'},
        {"scope", required_argument, NULL, 's'},
        {"os-user", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *roles[16], *scopes[PL_AUTH_SCOPES_MAX], *os_user = NULL;
    char scope[PL_AUTH_NAME_MAX];
    struct pl_buf body = PL_BUF_INIT(0);
    size_t n_roles = 0, n_scopes = 0;
    struct pl_error err = PL_ERROR_INIT;
    yajl_val v = NULL;
    unsigned r;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "r:s:o:", longopts, NULL)) != -1) {
        if (c == 'r') {
            if (pl_auth_role_parse(optarg, &r, &err) != PL_OK)
                return pl__cli_usage("", "--role: %s", err.msg);
            if (n_roles == PL_ARRAY_LEN(roles))
                return pl__cli_usage("", "--role: at most %zu", PL_ARRAY_LEN(roles));
            roles[n_roles++] = optarg;
        } else if (c == 's') {
            if (n_scopes >= PL_AUTH_SCOPES_MAX)
                return pl__cli_usage("", "--scope: at most %d", PL_AUTH_SCOPES_MAX);
            if (pl_auth_scope_parse(optarg, scope, &err) != PL_OK)
                return pl__cli_usage("", "--scope: %s", err.msg);
            scopes[n_scopes++] = optarg;
        } else if (c == 'o') {
            os_user = optarg;
        } else {
            return pl__cli_usage("", "user add --server: see 'patchline user add --help'");
        }
    }
    if (optind + 1 != argc)
        return pl__cli_usage("", "user add: want one NAME");
    if (n_roles == 0)
        return pl__cli_usage("", "user add: at least one --role ROLE");
    pl_buf_adds(&body, "{\"name\": ");
    pl_escape_json_quoted(&body, argv[optind]);
    pl_buf_adds(&body, ", ");
    json_array_of(&body, "roles", roles, n_roles);
    pl_buf_adds(&body, ", ");
    json_array_of(&body, "scopes", scopes, n_scopes);
    if (os_user) {
        pl_buf_adds(&body, ", \"os_user\": ");
        pl_escape_json_quoted(&body, os_user);
    }
    pl_buf_adds(&body, "}");
    if ((rc = post("user add", server, "/api/v1/users", token, &body, &v)) == PL_EXIT_OK) {
        const char *name = pl__cli_remote_str(v, "name"), *rs = pl__cli_remote_str(v, "roles");

        pl__cli_line(stdout, "user %s added (id %lld): %s%s%s", name ? name : "?",
                     (long long)pl__cli_remote_i64(v, "id", 0), rs ? rs : "?",
                     n_scopes ? ", scoped" : "", os_user ? ", acts for OS account" : "");
    }
    yajl_tree_free(v);
    pl_buf_release(&body);
    return rc;
}

static int user_disable(const char *server, const char *token, int argc, char **argv)
{
    struct pl_buf path = PL_BUF_INIT(0), body = PL_BUF_INIT(0);
    yajl_val v = NULL;
    int rc;

    if (argc != 2)
        return pl__cli_usage("", "user disable: want one NAME");
    user_path(&path, argv[1], "disable");
    pl_buf_adds(&body, "{}");
    if ((rc = post("user disable", server, pl_buf_cstr(&path), token, &body, &v)) == PL_EXIT_OK)
        pl__cli_line(stdout, "user %s disabled; its tokens are revoked", argv[1]);
    yajl_tree_free(v);
    pl_buf_release(&path);
    pl_buf_release(&body);
    return rc;
}

static int user_roles(const char *server, const char *token, int argc, char **argv)
{
    struct pl_buf path = PL_BUF_INIT(0), body = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    yajl_val v = NULL;
    unsigned r;
    int rc;

    if (argc < 3)
        return pl__cli_usage("", "user roles: want NAME and at least one ROLE");
    for (int i = 2; i < argc; i++)
        if (pl_auth_role_parse(argv[i], &r, &err) != PL_OK)
            return pl__cli_usage("", "user roles: %s", err.msg);
    user_path(&path, argv[1], "roles");
    pl_buf_adds(&body, "{");
    json_array_of(&body, "roles", (const char *const *)argv + 2, (size_t)argc - 2);
    pl_buf_adds(&body, "}");
    if ((rc = post("user roles", server, pl_buf_cstr(&path), token, &body, &v)) == PL_EXIT_OK) {
        const char *rs = pl__cli_remote_str(v, "roles");

        pl__cli_line(stdout, "user %s: %s", argv[1], rs ? rs : "?");
    }
    yajl_tree_free(v);
    pl_buf_release(&path);
    pl_buf_release(&body);
    return rc;
}

static int token_create(const char *server, const char *token, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"expires", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    struct pl_buf body = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    const char *expires = NULL;
    yajl_val v = NULL;
    int64_t life;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "e:", longopts, NULL)) != -1) {
        if (c != 'e')
            return pl__cli_usage("", "token create --server: takes USER and --expires");
        expires = optarg;
    }
    if (optind + 1 != argc)
        return pl__cli_usage("", "token create: want one USER");
    if (pl_auth_token_lifetime(expires, &life, &err) != PL_OK)
        return pl__cli_usage("", "%s", err.msg);
    pl_buf_adds(&body, "{\"user\": ");
    pl_escape_json_quoted(&body, argv[optind]);
    if (expires) {
        pl_buf_adds(&body, ", \"expires\": ");
        pl_escape_json_quoted(&body, expires);
    }
    pl_buf_adds(&body, "}");
    if ((rc = post("token create", server, "/api/v1/tokens", token, &body, &v)) == PL_EXIT_OK) {
        const char *until = pl__cli_remote_str(v, "expires"), *tok = pl__cli_remote_str(v, "token");

        if (tok == NULL || until == NULL) {
            pl__cli_warn("token create: the server's answer holds no token");
            rc = PL_EXIT_ERROR;
        } else {
            pl__cli_line(stdout, "token %lld for %s, expires %s; it is shown once, store it now:",
                         (long long)pl__cli_remote_i64(v, "id", 0), argv[optind], until);
            printf("%s\n", tok); /* the token itself: plain hex, the last line */
        }
    }
    yajl_tree_free(v);
    pl_buf_release(&body);
    return rc;
}

static int token_revoke(const char *server, const char *token, int argc, char **argv)
{
    struct pl_buf path = PL_BUF_INIT(0), body = PL_BUF_INIT(0);
    yajl_val v = NULL;
    int64_t id = 0;
    int rc;

    if (argc != 2 || pl_parse_i64(argv[1], &id, NULL) != PL_OK || id < 1)
        return pl__cli_usage("", "token revoke: want one token ID (a number)");
    pl_buf_addf(&path, "/api/v1/tokens/%lld/revoke", (long long)id);
    pl_buf_adds(&body, "{}");
    if ((rc = post("token revoke", server, pl_buf_cstr(&path), token, &body, &v)) == PL_EXIT_OK)
        pl__cli_line(stdout, "token %lld revoked", (long long)id);
    yajl_tree_free(v);
    pl_buf_release(&path);
    pl_buf_release(&body);
    return rc;
}

static int list(struct pl_cli *cli, const char *server, const char *token, int argc, char **argv,
                bool users)
{
    struct pl_buf url = PL_BUF_INIT(0);
    int rc;

    if (argc != 1)
        return pl__cli_usage("", "%s takes no argument", cli->cmd_name);
    (void)argv;
    pl_buf_addf(&url, "%s/api/v1/%s", server, users ? "users" : "tokens");
    rc = users ? pl__cli_remote_list(cli, token, cli->cmd_name, pl_buf_cstr(&url),
                                     pl_user_col_names, pl_user_col_types, PL_USER_N_COLS)
               : pl__cli_remote_list(cli, token, cli->cmd_name, pl_buf_cstr(&url),
                                     pl_token_col_names, pl_token_col_types, PL_TOKEN_N_COLS);
    pl_buf_release(&url);
    return rc;
}

int pl__cli_remote_users(struct pl_cli *cli, const char *server, const char *token, int argc,
                         char **argv)
{
    const char *c = cli->cmd_name;

    if (strcmp(c, "user add") == 0)
        return user_add(server, token, argc, argv);
    if (strcmp(c, "user disable") == 0)
        return user_disable(server, token, argc, argv);
    if (strcmp(c, "user roles") == 0)
        return user_roles(server, token, argc, argv);
    if (strcmp(c, "token create") == 0)
        return token_create(server, token, argc, argv);
    if (strcmp(c, "token revoke") == 0)
        return token_revoke(server, token, argc, argv);
    return list(cli, server, token, argc, argv, strcmp(c, "user list") == 0);
}
