/*
 * cmd_user.c - `patchline user add|list|disable|roles` and
 * `patchline token create|list|revoke`: the store's principals. The rules
 * (who may, what a name or a lifetime may be) are in the library.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/parse.h"
#include "patchline/store_auth.h"

#include "cli_int.h"

static const char user_usage[] =
    "usage: patchline user add NAME --role ROLE [--role ROLE...] [--scope owner=X...]\n"
    "                          [--os-user ACCOUNT]\n"
    "       patchline user list\n"
    "       patchline user disable NAME\n"
    "       patchline user roles NAME ROLE...\n"
    "Roles: viewer, operator, approver, risk-owner, admin. A scope limits every role\n"
    "of the user to assets of that owner. --os-user: the OS account that acts as\n"
    "this user on the store file. Disabling a user revokes its tokens.\n";

static const char token_usage[] =
    "usage: patchline token create USER [--expires DURATION]   (default 90d, at most 365d)\n"
    "       patchline token list\n"
    "       patchline token revoke ID\n"
    "The token is printed once, as the last line of standard output; the store keeps\n"
    "only its hash. A command run with PATCHLINE_TOKEN set acts as the token's user.\n";

static bool wants_help(int argc, char **argv, const char *usage)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return true;
        }
    return false;
}

int pl__cli_cmd_user_add(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"role", required_argument, NULL, 'r'},
        {"scope", required_argument, NULL, 's'},
        {"os-user", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char scopes[PL_AUTH_SCOPES_MAX][PL_AUTH_NAME_MAX];
    const char *scope_ptrs[PL_AUTH_SCOPES_MAX];
    struct pl_user_spec u = {0};
    struct pl_error err = PL_ERROR_INIT;
    char roles[96];
    int64_t id = 0;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "r:s:o:h", longopts, NULL)) != -1) {
        unsigned r;

        switch (c) {
        case 'r':
            if (pl_auth_role_parse(optarg, &r, &err) != PL_OK)
                return pl__cli_usage(user_usage, "--role: %s", err.msg);
            u.roles |= r;
            break;
        case 's':
            if (u.n_scopes >= PL_AUTH_SCOPES_MAX)
                return pl__cli_usage(user_usage, "--scope: at most %d", PL_AUTH_SCOPES_MAX);
            if (pl_auth_scope_parse(optarg, scopes[u.n_scopes], &err) != PL_OK)
                return pl__cli_usage(user_usage, "--scope: %s", err.msg);
            scope_ptrs[u.n_scopes] = scopes[u.n_scopes];
            u.n_scopes++;
            break;
        case 'o':
            u.os_user = optarg;
            break;
        case 'h':
            fputs(user_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(user_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return pl__cli_usage(user_usage, "user add: want one NAME");
    if (u.roles == 0)
        return pl__cli_usage(user_usage, "user add: at least one --role ROLE");
    u.name = argv[optind];
    u.scopes = scope_ptrs;
    if (pl_store_user_add(cli->store, &u, pl_clock_now(), &id, &err) != PL_OK)
        return pl__cli_fail(cli, "user add", &err);
    pl__cli_line(stdout, "user %s added (id %lld): %s%s%s", u.name, (long long)id,
                 pl_auth_roles_format(u.roles, roles, sizeof(roles)), u.n_scopes ? ", scoped" : "",
                 u.os_user ? ", acts for OS account" : "");
    return PL_EXIT_OK;
}

int pl__cli_cmd_user_list(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_user_row *rows = NULL;
    struct pl_col cols[PL_USER_N_COLS];
    struct pl_table t;
    size_t n = 0;
    int rc;

    if (wants_help(argc, argv, user_usage))
        return PL_EXIT_OK;
    if (argc != 1)
        return pl__cli_usage(user_usage, "user list takes no argument");
    if (pl_store_user_list(cli->store, pl_clock_now(), &rows, &n, &err) != PL_OK)
        return pl__cli_fail(cli, "user list", &err);
    pl__cli_cols_of(cols, pl_user_col_names, pl_user_col_types, PL_USER_N_COLS);
    pl__cli_table_init(&t, cols, PL_USER_N_COLS);
    for (size_t i = 0; i < n; i++) {
        struct pl_user_cells c;

        pl_user_cells(&rows[i], &c);
        for (size_t k = 0; k < PL_USER_N_COLS; k++)
            pl__cli_table_cell(&t, c.v[k]);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_user_rows_release(rows, n);
    return rc;
}

int pl__cli_cmd_user_disable(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;

    if (wants_help(argc, argv, user_usage))
        return PL_EXIT_OK;
    if (argc != 2)
        return pl__cli_usage(user_usage, "user disable: want one NAME");
    if (pl_store_user_disable(cli->store, argv[1], pl_clock_now(), &err) != PL_OK)
        return pl__cli_fail(cli, "user disable", &err);
    pl__cli_line(stdout, "user %s disabled; its tokens are revoked", argv[1]);
    return PL_EXIT_OK;
}

int pl__cli_cmd_user_roles(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    unsigned roles = 0, r;
    char text[96];

    if (wants_help(argc, argv, user_usage))
        return PL_EXIT_OK;
    if (argc < 3)
        return pl__cli_usage(user_usage, "user roles: want NAME and at least one ROLE");
    for (int i = 2; i < argc; i++) {
        if (pl_auth_role_parse(argv[i], &r, &err) != PL_OK)
            return pl__cli_usage(user_usage, "user roles: %s", err.msg);
        roles |= r;
    }
    if (pl_store_user_roles(cli->store, argv[1], roles, &err) != PL_OK)
        return pl__cli_fail(cli, "user roles", &err);
    pl__cli_line(stdout, "user %s: %s", argv[1], pl_auth_roles_format(roles, text, sizeof(text)));
    return PL_EXIT_OK;
}

int pl__cli_cmd_token_create(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"expires", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    const char *expires = NULL;
    char tok[PL_TOKEN_LEN + 1], until[PL_TIME_STR_LEN];
    int64_t life = 0, id = 0;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "e:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'e':
            expires = optarg;
            break;
        case 'h':
            fputs(token_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(token_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return pl__cli_usage(token_usage, "token create: want one USER");
    if (pl_auth_token_lifetime(expires, &life, &err) != PL_OK)
        return pl__cli_usage(token_usage, "%s", err.msg);
    if (pl_store_token_create(cli->store, argv[optind], life, pl_clock_now(), tok, &id, &err) !=
        PL_OK)
        return pl__cli_fail(cli, "token create", &err);
    pl__cli_line(stdout,
                 "token %lld for %s, expires %s; it is shown once, store it now:", (long long)id,
                 argv[optind], pl_time_format(pl_clock_now() + life, until));
    /* the token itself: plain hex, the last line */
    printf("%s\n", tok);
    memset(tok, 0, sizeof(tok));
    return PL_EXIT_OK;
}

int pl__cli_cmd_token_list(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_token_row *rows = NULL;
    struct pl_col cols[PL_TOKEN_N_COLS];
    struct pl_table t;
    pl_time_t now = pl_clock_now();
    size_t n = 0;
    int rc;

    if (wants_help(argc, argv, token_usage))
        return PL_EXIT_OK;
    if (argc != 1)
        return pl__cli_usage(token_usage, "token list takes no argument");
    if (pl_store_token_list(cli->store, &rows, &n, &err) != PL_OK)
        return pl__cli_fail(cli, "token list", &err);
    pl__cli_cols_of(cols, pl_token_col_names, pl_token_col_types, PL_TOKEN_N_COLS);
    pl__cli_table_init(&t, cols, PL_TOKEN_N_COLS);
    for (size_t i = 0; i < n; i++) {
        struct pl_token_cells c;

        pl_token_cells(&rows[i], now, &c);
        for (size_t k = 0; k < PL_TOKEN_N_COLS; k++)
            pl__cli_table_cell(&t, c.v[k]);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_token_rows_release(rows, n);
    return rc;
}

int pl__cli_cmd_token_revoke(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = 0;

    if (wants_help(argc, argv, token_usage))
        return PL_EXIT_OK;
    if (argc != 2 || pl_parse_i64(argv[1], &id, &err) != PL_OK || id < 1)
        return pl__cli_usage(token_usage, "token revoke: want one token ID (a number)");
    if (pl_store_token_revoke(cli->store, id, pl_clock_now(), &err) != PL_OK)
        return pl__cli_fail(cli, "token revoke", &err);
    pl__cli_line(stdout, "token %lld revoked", (long long)id);
    return PL_EXIT_OK;
}
