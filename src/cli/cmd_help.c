/*
 * cmd_help.c - `patchline help [COMMAND [SUBCOMMAND]]`.
 */
#include <string.h>

#include "cli_int.h"

static const char help_usage[] = "usage: patchline help [COMMAND [SUBCOMMAND]]\n";

void pl__cli_help(FILE *out)
{
    fputs("usage: patchline [--db PATH] [--now TIME] [--format FMT] [--lock-timeout SECONDS] [-v]\n"
          "                 COMMAND [ARGS]\n\n"
          "Patchline: risk-tiered patch management, from discovery to measured SLAs.\n\n"
          "Commands:\n",
          out);
    for (const struct pl_command *c = pl_commands; c->name; c++) {
        if (c->subs == NULL) {
            fprintf(out, "  %-22s %s\n", c->name, c->summary);
            continue;
        }
        for (const struct pl_command *s = c->subs; s->name; s++) {
            char name[64];

            if (snprintf(name, sizeof(name), "%s %s", c->name, s->name) >= (int)sizeof(name))
                name[sizeof(name) - 1] = '\0';
            fprintf(out, "  %-22s %s\n", name, s->summary);
        }
    }
    fputs(
        "\nGlobal options (before or after the command name):\n"
        "  --db PATH       the store (default $PATCHLINE_DB, else the XDG data folder): a file,\n"
        "                  or a postgresql:// URL (docs/store.md, \"Choosing the backend\")\n"
        "  --now TIME      the current time, ISO 8601 UTC (default $PATCHLINE_NOW, else the clock)\n"
        "  --format FMT    output format; each command lists the ones it supports\n"
        "  --server URL    go through a server (default $PATCHLINE_SERVER) with the token in\n"
        "                  $PATCHLINE_TOKEN; docs/server.md lists the commands that do\n"
        "  --lock-timeout SECONDS\n"
        "                  how long a command that changes the store waits for another one\n"
        "                  writing it (default $PATCHLINE_LOCK_TIMEOUT, else 60; 0: not at all)\n"
        "  -v, --verbose   more messages on stderr (twice for debug)\n"
        "  --version       print the version\n\n"
        "Exit codes: 0 ok, 1 error, 2 usage, 3 a check you asked for failed.\n"
        "'patchline help COMMAND' or 'patchline COMMAND --help' shows one command.\n",
        out);
}

int pl__cli_cmd_help(int argc, char **argv, struct pl_cli *cli)
{
    const struct pl_command *c = NULL;
    char name[64], help[] = "--help";
    char *sub_argv[3];

    (void)cli;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        pl__cli_help(stdout);
        return PL_EXIT_OK;
    }
    if (argc > 3)
        return pl__cli_usage(help_usage, "too many arguments");
    for (c = pl_commands; c->name && strcmp(c->name, argv[1]) != 0; c++)
        ;
    if (c->name == NULL)
        return pl__cli_usage(help_usage, "no command '%s'", argv[1]);
    if (c->subs) {
        const struct pl_command *s = c->subs;

        if (argc == 2) {
            printf("usage: patchline %s SUBCOMMAND\n\n", c->name);
            for (; s->name; s++)
                printf("  %-14s %s\n", s->name, s->summary);
            return PL_EXIT_OK;
        }
        for (; s->name && strcmp(s->name, argv[2]) != 0; s++)
            ;
        if (s->name == NULL)
            return pl__cli_usage(help_usage, "no command '%s %s'", argv[1], argv[2]);
        c = s;
    }
    if (snprintf(name, sizeof(name), "%s", c->name) >= (int)sizeof(name))
        name[sizeof(name) - 1] = '\0';
    sub_argv[0] = name;
    sub_argv[1] = help;
    sub_argv[2] = NULL;
    cli->cmd = c;
    return c->fn(2, sub_argv, cli);
}
