/*
 * route_reads.c - reads of one vulnerability, the third-party software and
 * one asset's packages, as `vuln`, `software` and `packages` print them:
 * the same library calls, each row the library's cells (the CLI renders
 * the same cells).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/match.h"
#include "patchline/store_assets.h"
#include "patchline/store_intel.h"

#include "server_int.h"

static void row(struct pl_buf *b, const char *const *names, const enum pl_cell_type *types,
                const char *const *v, size_t n)
{
    pl_buf_adds(b, b->len > 1 ? ",\n  " : "\n  ");
    pl_json_row(b, names, types, v, n);
}

static enum MHD_Result reply_list(struct srv_req *r, struct pl_buf *b)
{
    enum MHD_Result ok;

    pl_buf_adds(b, b->len > 1 ? "\n]\n" : "]\n");
    ok = pl__server_srv_reply(r, 200, "application/json", b);
    pl_buf_release(b);
    return ok;
}

/* GET /api/v1/vulns/{id}: `vuln ID`, pl_store_vuln_facts; 404 when no feed names it. */
enum MHD_Result pl__server_srv_route_vuln(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_vuln_facts facts = {NULL, 0, 0};
    struct pl_buf b = PL_BUF_INIT(0);

    if (pl_store_vuln_facts(r->store, r->params[0], &facts, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < facts.n; i++) {
        struct pl_vuln_cells c;

        pl_vuln_cells(&facts.items[i], &c);
        row(&b, pl_vuln_col_names, pl_vuln_col_types, c.v, PL_VULN_N_COLS);
    }
    pl_vuln_facts_release(&facts);
    return reply_list(r, &b);
}

static pl_status on_software(void *ctx, const struct pl_software *sw, struct pl_error *err)
{
    const char *v[PL_SOFTWARE_N_COLS];

    (void)err;
    pl_software_cells(sw, v);
    row(ctx, pl_software_col_names, pl_software_col_types, v, PL_SOFTWARE_N_COLS);
    return PL_OK;
}

static pl_status on_unmapped(void *ctx, const char *ecosystem, const char *name, uint64_t count,
                             struct pl_error *err)
{
    char n[24];
    const char *v[PL_UNMAPPED_N_COLS] = {n, ecosystem, name};

    (void)err;
    snprintf(n, sizeof(n), "%llu", (unsigned long long)count);
    row(ctx, pl_unmapped_col_names, pl_unmapped_col_types, v, PL_UNMAPPED_N_COLS);
    return PL_OK;
}

/*
 * GET /api/v1/software[?asset=A][&unmapped=true]: `software`, by
 * pl_match_software_each or pl_match_software_unmapped with the server's
 * product map (the shipped rules after PATCHLINE_PRODUCT_MAP's, in the
 * server's environment).
 */
enum MHD_Result pl__server_srv_route_software(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_product_map *map = NULL;
    struct pl_buf b = PL_BUF_INIT(0);
    const char *ref = pl__server_srv_query(r, "asset"), *um = pl__server_srv_query(r, "unmapped");
    bool unmapped = um && strcmp(um, "true") == 0;
    int64_t id = 0;
    pl_status rc = PL_OK;

    if (um && !unmapped && strcmp(um, "false") != 0)
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'unmapped': want true or false");
    if (unmapped && ref)
        return pl__server_srv_fail(r, PL_E_INVALID, "query parameter 'asset': unmapped takes none");
    if (ref)
        rc = pl_store_asset_resolve(r->store, ref, &id, &err);
    if (rc == PL_OK)
        rc = pl_product_map_load(getenv("PATCHLINE_PRODUCT_MAP"), &map, &err);
    pl_buf_addch(&b, '[');
    if (rc == PL_OK)
        rc = unmapped ? pl_match_software_unmapped(r->store, map, on_unmapped, &b, &err)
                      : pl_match_software_each(r->store, map, id, on_software, &b, &err);
    pl_product_map_free(map);
    if (rc != PL_OK) {
        pl_buf_release(&b);
        return pl__server_srv_fail_err(r, &err);
    }
    return reply_list(r, &b);
}

/* GET /api/v1/packages?asset=A: `packages ASSET`, pl_store_package_list. */
enum MHD_Result pl__server_srv_route_packages(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_package_list list = {NULL, 0, 0};
    struct pl_buf b = PL_BUF_INIT(0);
    const char *ref = pl__server_srv_query(r, "asset");
    int64_t id = 0;

    if (ref == NULL || *ref == '\0')
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'asset': the asset's id or name is needed");
    if (pl_store_asset_resolve(r->store, ref, &id, &err) != PL_OK ||
        pl_store_package_list(r->store, id, &list, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < list.n; i++) {
        const char *v[PL_PACKAGE_N_COLS];

        pl_package_cells(&list.items[i], v);
        row(&b, pl_package_col_names, pl_package_col_types, v, PL_PACKAGE_N_COLS);
    }
    pl_package_list_release(&list);
    return reply_list(r, &b);
}
