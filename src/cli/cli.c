/*
 * cli.c - the dispatcher: global options, command lookup, store and
 * transaction set-up, exit codes.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/log.h"
#include "patchline/store_auth.h"

#include "cli_int.h"

static const char global_usage[] =
    "usage: patchline [--db PATH] [--now TIME] [--format FMT] [--lock-timeout SECONDS] [-v]\n"
    "                 [--server URL]\n"
    "                 COMMAND [ARGS]\n"
    "       patchline help [COMMAND]\n"
    "       patchline --version\n";

int pl__cli_fail(struct pl_cli *cli, const char *what, const struct pl_error *err)
{
    (void)cli;
    pl__cli_warn("%s: %s", what, err->msg[0] ? err->msg : pl_status_str(err->code));
    return err->code == PL_E_INVALID ? PL_EXIT_USAGE : PL_EXIT_ERROR;
}

int pl__cli_usage(const char *usage, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pl__cli_vline(stderr, "patchline: ", fmt, ap);
    va_end(ap);
    fputs(usage, stderr);
    return PL_EXIT_USAGE;
}

const char *pl__cli_format(const struct pl_cli *cli)
{
    static char first[32];
    const char *f = cli->cmd ? cli->cmd->formats : NULL;
    size_t n;

    if (cli->format)
        return cli->format;
    if (f == NULL)
        return "text";
    n = strcspn(f, ",");
    if (n >= sizeof(first))
        n = sizeof(first) - 1;
    memcpy(first, f, n);
    first[n] = '\0';
    return first;
}

static bool format_allowed(const char *list, const char *fmt)
{
    size_t len = strlen(fmt);

    if (list == NULL)
        return false;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");

        if (n == len && strncmp(p, fmt, n) == 0)
            return true;
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}

/* Take "--opt VALUE" or "--opt=VALUE" at argv[*i]; returns the value or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt, int *bad)
{
    size_t n = strlen(opt);

    if (argv[*i] == NULL || strncmp(argv[*i], opt, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *bad = 1;
        fprintf(stderr, "patchline: option '%s' needs a value\n", opt);
        return NULL;
    }
    return argv[++*i];
}

/*
 * Remove the global options from argv wherever they stand (before or after
 * the command name, not after "--"); the rest keeps its order.
 */
static int take_globals(struct pl_cli *cli, int *argc, char **argv, bool *version)
{
    struct pl_error err = PL_ERROR_INIT;
    int out = 1, bad = 0;
    bool dashdash = false;

    for (int i = 1; i < *argc; i++) {
        char *a = argv[i];
        const char *v;
        pl_time_t t;

        if (a == NULL)
            break;
        if (dashdash || a[0] != '-') {
            argv[out++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            dashdash = true;
            argv[out++] = a;
        } else if ((v = opt_value(*argc, argv, &i, "--db", &bad))) {
            cli->db_opt = v;
        } else if ((v = opt_value(*argc, argv, &i, "--format", &bad))) {
            cli->format = v;
        } else if ((v = opt_value(*argc, argv, &i, "--server", &bad))) {
            cli->server = v;
        } else if ((v = opt_value(*argc, argv, &i, "--lock-timeout", &bad))) {
            cli->lock_timeout = v;
        } else if ((v = opt_value(*argc, argv, &i, "--now", &bad))) {
            if (pl_time_parse(v, &t, &err) != PL_OK) {
                (void)pl__cli_fail(cli, "--now", &err);
                return PL_EXIT_USAGE;
            }
            pl_clock_set(t);
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            cli->verbose++;
        } else if (strcmp(a, "-vv") == 0) {
            cli->verbose += 2;
        } else if (strcmp(a, "--version") == 0 && out == 1) {
            *version = true;
        } else if (!bad) {
            argv[out++] = a;
        }
        if (bad)
            return PL_EXIT_USAGE;
    }
    *argc = out;
    argv[out] = NULL;
    return PL_EXIT_OK;
}

static const struct pl_command *find_command(const struct pl_command *table, const char *name)
{
    for (const struct pl_command *c = table; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

/* How long a writer waits for another: --lock-timeout, else $PATCHLINE_LOCK_TIMEOUT. */
static int lock_timeout(const struct pl_cli *cli, int64_t *ms)
{
    struct pl_error err = PL_ERROR_INIT;
    const char *env = getenv("PATCHLINE_LOCK_TIMEOUT");

    *ms = -1;
    if (cli->lock_timeout &&
        pl_store_lock_timeout_parse(cli->lock_timeout, "--lock-timeout", ms, &err) != PL_OK)
        return pl__cli_usage(global_usage, "%s", err.msg);
    if (!cli->lock_timeout && env && *env &&
        pl_store_lock_timeout_parse(env, "PATCHLINE_LOCK_TIMEOUT", ms, &err) != PL_OK)
        return pl__cli_usage(global_usage, "%s", err.msg);
    return PL_EXIT_OK;
}

int pl__cli_open_store(struct pl_cli *cli, int oflags, bool begin)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_store_opts o = {-1, NULL};
    char command[128];
    int rc;

    /*
     * A command meant for a server never falls back on a local store: this
     * holds for a command that opens it late (init) as for the dispatcher's.
     */
    if (pl__cli_server(cli))
        return pl__cli_usage("",
                             "%s does not go through the server yet (docs/server.md lists "
                             "those that do); without --server and PATCHLINE_SERVER it "
                             "runs on a local store",
                             cli->cmd_name);
    if ((rc = lock_timeout(cli, &o.lock_timeout_ms)) != PL_EXIT_OK)
        return rc;
    if (snprintf(command, sizeof(command), "patchline %s", cli->cmd_name) >= (int)sizeof(command))
        command[sizeof(command) - 1] = '\0';
    o.command = command;
    /* only the default location's folders are created; --db and $PATCHLINE_DB must exist */
    if ((oflags & PL_STORE_CREATE) && pl_store_path_is_default(cli->db_opt))
        oflags |= PL_STORE_MKDIR;
    if (pl_store_default_path(cli->db_opt, &cli->db_path, &err) != PL_OK ||
        pl_store_open_opts(pl_buf_cstr(&cli->db_path), oflags, &o, &cli->store, &err) != PL_OK)
        return pl__cli_fail(cli, "store", &err);
    if (pl_store_created_folder(cli->store))
        pl__cli_warn("created folder '%s' for the store", pl_store_created_folder(cli->store));
    return begin ? pl__cli_begin(cli) : PL_EXIT_OK;
}

/*
 * Who acts: the token's user ($PATCHLINE_TOKEN), the user mapped to the OS
 * account, or the store owner; the library says whether it may.
 */
int pl__cli_act(struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    unsigned flags = cli->cmd ? cli->cmd->flags : 0;
    enum pl_action a = (flags & PL_CMD_ADMIN)     ? PL_ACT_ADMIN
                       : (flags & PL_CMD_DECIDES) ? PL_ACT_READ
                                                  : PL_ACT_OPERATE;
    const char *token = getenv("PATCHLINE_TOKEN");

    if (pl_store_act(cli->store, token && *token ? token : NULL, a, &err) != PL_OK)
        return pl__cli_fail(cli, cli->cmd_name ? cli->cmd_name : "store", &err);
    return PL_EXIT_OK;
}

int pl__cli_begin(struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    int rc;

    /* the store refuses a state change the clock forbids (real store and --now, clock back) */
    if (pl_store_begin(cli->store, &err) != PL_OK)
        return pl__cli_fail(cli, "store", &err);
    if ((rc = pl__cli_act(cli)) != PL_EXIT_OK) {
        pl_store_rollback(cli->store);
        return rc;
    }
    return PL_EXIT_OK;
}

int pl__cli_end(struct pl_cli *cli, int rc)
{
    struct pl_error err = PL_ERROR_INIT;

    if (rc == PL_EXIT_OK || rc == PL_EXIT_CHECK) {
        if (pl_store_commit(cli->store, &err) != PL_OK)
            rc = pl__cli_fail(cli, "store", &err);
    } else {
        pl_store_rollback(cli->store);
    }
    return rc;
}

int pl__cli_run(struct pl_cli *cli, const struct pl_command *cmd, int argc, char **argv)
{
    bool writes = cmd->flags & PL_CMD_WRITES, own_tx = cmd->flags & PL_CMD_OWN_TX;
    int rc;

    cli->cmd = cmd;
    if (cli->format && !format_allowed(cmd->formats, cli->format)) {
        pl__cli_warn("%s: unsupported format '%s' (supported: %s)", cli->cmd_name, cli->format,
                     cmd->formats ? cmd->formats : "none");
        return PL_EXIT_USAGE;
    }
    /* --help never needs the store */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return cmd->fn(argc, argv, cli);
    if (pl__cli_remote_handles(cli, cmd))
        return pl__cli_remote(cli, cmd, argc, argv);
    if ((cmd->flags & PL_CMD_STORE) &&
        (rc = pl__cli_open_store(cli,
                                 (writes ? PL_STORE_CREATE : 0) |
                                     ((cmd->flags & PL_CMD_TRUSTED) ? PL_STORE_TRUSTED : 0),
                                 writes && !own_tx)) != PL_EXIT_OK)
        return rc;
    /* apply and rollback change the store (jobs) in transactions of their own */
    if ((cmd->flags & PL_CMD_TRUSTED) && cli->store && (rc = pl__cli_act(cli)) != PL_EXIT_OK)
        return rc;
    rc = cmd->fn(argc, argv, cli);
    if (cli->store && writes && !own_tx)
        rc = pl__cli_end(cli, rc);
    return rc;
}

static int dispatch(struct pl_cli *cli, int argc, char **argv)
{
    const struct pl_command *cmd;
    static char name[96];

    if (argc < 2) {
        fputs(global_usage, stderr);
        return PL_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return pl__cli_cmd_help(1, argv + 1, cli);
    cmd = find_command(pl_commands, argv[1]);
    if (cmd == NULL)
        return pl__cli_usage(global_usage, "'%s' is not a patchline command; see 'patchline help'",
                             argv[1]);
    if (snprintf(name, sizeof(name), "%s", cmd->name) >= (int)sizeof(name))
        name[sizeof(name) - 1] = '\0';
    cli->cmd_name = name;
    if (cmd->subs) {
        const struct pl_command *sub;

        if (argc < 3 || strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
            fprintf(argc < 3 ? stderr : stdout, "usage: patchline %s SUBCOMMAND\n\n", cmd->name);
            for (sub = cmd->subs; sub->name; sub++)
                fprintf(argc < 3 ? stderr : stdout, "  %-14s %s\n", sub->name, sub->summary);
            return argc < 3 ? PL_EXIT_USAGE : PL_EXIT_OK;
        }
        sub = find_command(cmd->subs, argv[2]);
        if (sub == NULL)
            return pl__cli_usage("", "'%s' is not a subcommand of '%s'; see 'patchline %s --help'",
                                 argv[2], cmd->name, cmd->name);
        if (snprintf(name, sizeof(name), "%s %s", cmd->name, sub->name) >= (int)sizeof(name))
            name[sizeof(name) - 1] = '\0';
        return pl__cli_run(cli, sub, argc - 2, argv + 2);
    }
    return pl__cli_run(cli, cmd, argc - 1, argv + 1);
}

int pl_cli_main(int argc, char **argv)
{
    struct pl_cli cli = {0};
    struct pl_error err = PL_ERROR_INIT;
    bool version = false;
    char **args;
    int rc;

    pl_buf_init(&cli.db_path, 4096);
    if (pl_clock_from_env(&err) != PL_OK)
        return pl__cli_fail(&cli, "clock", &err);
    /* a private copy: take_globals reorders it */
    args = pl_xcalloc((size_t)argc + 1, sizeof(*args));
    memcpy(args, argv, (size_t)argc * sizeof(*args));
    rc = take_globals(&cli, &argc, args, &version);
    if (rc == PL_EXIT_OK) {
        pl_log_set_level(cli.verbose >= 2 ? PL_LOG_DEBUG : cli.verbose ? PL_LOG_INFO : PL_LOG_WARN);
        if (version)
            printf("patchline %s\n", PL_VERSION_STRING);
        else
            rc = dispatch(&cli, argc, args);
    }
    if (fflush(stdout) != 0 && rc == PL_EXIT_OK) {
        fprintf(stderr, "patchline: cannot write output\n");
        rc = PL_EXIT_ERROR;
    }
    pl_store_close(cli.store);
    pl_buf_release(&cli.db_path);
    free(args);
    pl_clock_unset();
    return rc;
}
