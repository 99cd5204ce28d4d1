/*
 * cmd_assets_attrs.c - `assets precedence FILE` and `assets livepatch ASSET
 * FILE`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/inventory.h"

#include "cli_int.h"

int pl__cli_assets_precedence(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    const char *path = NULL;

    if (argc != 2)
        return pl__cli_usage("usage: patchline assets precedence FILE | --default\n",
                             "assets precedence: want FILE or --default");
    if (strcmp(argv[1], "--default") != 0)
        path = argv[1];
    if (pl_store_asset_precedence_load(cli->store, path, &err) != PL_OK)
        return pl__cli_fail(cli, "assets precedence", &err);
    printf("precedence %s loaded; every asset resolved again\n", path ? path : "default");
    return PL_EXIT_OK;
}

/* The line of `assets livepatch` (locally and through the server) into b. */
void pl__cli_livepatch_line(struct pl_buf *b, const char *asset,
                            const struct pl_livepatch_report *r)
{
    pl_escape_terminal(b, asset);
    pl_buf_adds(b, ": kernel ");
    pl_escape_terminal(b, r->kernel[0] ? r->kernel : "unknown");
    if (strcmp(r->format, "kpatch") == 0) {
        pl_buf_addf(b, ", kpatch: %zu module%s loaded", r->n_fixes, r->n_fixes == 1 ? "" : "s");
        if (r->version[0]) {
            pl_buf_adds(b, " (");
            pl_escape_terminal(b, r->version);
            pl_buf_adds(b, r->n_fixes > 1 ? ", ...)" : ")");
        }
        pl_buf_addf(b, ": %zu CVE fixes recorded as applied", r->n_recorded);
        if (r->n_unmapped)
            pl_buf_addf(b, "; %zu module%s whose CVEs no stored advisory names", r->n_unmapped,
                        r->n_unmapped == 1 ? "" : "s");
        pl_buf_addch(b, '\n');
        return;
    }
    pl_buf_adds(b, ", livepatch ");
    pl_escape_terminal(b, r->state);
    if (r->version[0]) {
        pl_buf_adds(b, " (patch ");
        pl_escape_terminal(b, r->version);
        pl_buf_adds(b, ")");
    }
    pl_buf_addf(b, ": %zu fixes listed, %zu CVE fixes recorded as applied\n", r->n_fixes,
                r->n_recorded);
}

/* `assets livepatch ASSET FILE`: the kernel fixes a live patch applied (the host's report). */
int pl__cli_assets_livepatch(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_livepatch_report r;
    struct pl_buf b = PL_BUF_INIT(0);
    int64_t id;

    if (argc != 3)
        return pl__cli_usage("usage: patchline assets livepatch ASSET FILE\n",
                             "assets livepatch: want ASSET and FILE (canonical-livepatch status "
                             "--format json, or kpatch list)");
    if (pl_store_asset_resolve(cli->store, argv[1], &id, &err) != PL_OK ||
        pl_livepatch_import(cli->store, id, argv[2], pl_clock_now(), &r, &err) != PL_OK)
        return pl__cli_fail(cli, "assets livepatch", &err);
    pl__cli_livepatch_line(&b, argv[1], &r);
    fputs(pl_buf_cstr(&b), stdout);
    pl_buf_release(&b);
    return PL_EXIT_OK;
}
