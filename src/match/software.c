/*
 * software.c - the third-party software of the assets, as the matcher sees
 * it: every package of a non-OS ecosystem (MDM applications, SBOM
 * components, language packages) with the product the map names for it,
 * and every CPE the asset is known by (scanners, appliances). Reads only.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/store_findings.h"

#include "match_int.h"

struct sw_ctx {
    const struct pl_product_map *m;
    const struct pl_match_asset_list *assets;
    size_t at; /* the asset of the last package (packages come ordered by asset) */
    pl_software_fn fn;
    void *ctx;
    struct pl_buf cpe;
};

static const struct pl_match_asset *asset_of(struct sw_ctx *x, int64_t id)
{
    for (size_t k = 0; k < x->assets->n; k++, x->at = (x->at + 1) % x->assets->n)
        if (x->assets->items[x->at].id == id)
            return &x->assets->items[x->at];
    return NULL;
}

/* A CPE 2.3 formatted string: characters other than letters, digits and "._-" escaped. */
static void cpe_string(struct pl_buf *out, const char *part_vendor_product, const char *version)
{
    pl_buf_reset(out);
    pl_buf_addf(out, "cpe:2.3:%s:", part_vendor_product);
    if (version == NULL || version[0] == '\0')
        pl_buf_addch(out, '*');
    for (const char *p = version ? version : ""; *p; p++) {
        if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
            pl_buf_addch(out, '\\');
        pl_buf_addch(out, (char)tolower((unsigned char)*p));
    }
    pl_buf_adds(out, ":*:*:*:*:*:*:*");
}

static pl_status on_pkg(void *ctx, const struct pl_package_view *p, struct pl_error *err)
{
    struct sw_ctx *x = ctx;
    const struct pl_match_asset *a;
    const struct pl_product *prod;
    struct pl_software sw;
    char v[128];

    if (pl_product_os_package(p->ecosystem) || (a = asset_of(x, p->asset_id)) == NULL)
        return PL_OK;
    prod = pl_product_lookup(x->m, p->ecosystem, p->name);
    memset(&sw, 0, sizeof(sw));
    sw.asset_id = a->id;
    sw.asset = a->name;
    sw.name = p->name;
    sw.version = p->version;
    sw.ecosystem = p->ecosystem;
    if (prod) {
        cpe_string(&x->cpe, prod->cpes[0], pl_product_version(p->version, v, sizeof(v)) ? v : NULL);
        if (pl_buf_status(&x->cpe) != PL_OK)
            return pl_error_set(err, pl_buf_status(&x->cpe), "software: a CPE too long");
        sw.cpe = pl_buf_cstr(&x->cpe);
        sw.class_ = prod->class_;
        sw.compared = prod->compare;
    }
    return x->fn(x->ctx, &sw, err);
}

/* The CPEs an asset is known by, with the product the map names. */
static pl_status asset_cpes(struct pl_store *s, struct sw_ctx *x, const struct pl_match_asset *a,
                            struct pl_error *err)
{
    struct pl_buf cpes = PL_BUF_INIT((size_t)16 * 1024 * 1024);
    pl_status rc = pl_store_asset_cpes(s, a->id, &cpes, err);

    for (const char *p = pl_buf_cstr(&cpes); rc == PL_OK && *p;) {
        size_t n = strcspn(p, "\n");
        char line[512], part = 0, vendor[128] = "", product[128] = "";
        const struct pl_product *prod = NULL;
        struct pl_software sw;

        snprintf(line, sizeof(line), "%.*s", (int)n, p);
        p += n + (p[n] == '\n');
        if (sscanf(line, "cpe:2.3:%c:%127[^:]:%127[^:]", &part, vendor, product) == 3 ||
            sscanf(line, "cpe:/%c:%127[^:]:%127[^:]", &part, vendor, product) == 3)
            prod = pl_product_by_cpe(x->m, part, vendor, product);
        memset(&sw, 0, sizeof(sw));
        sw.asset_id = a->id;
        sw.asset = a->name;
        sw.name = line;
        sw.ecosystem = "cpe";
        sw.cpe = line;
        sw.class_ = prod ? prod->class_ : NULL;
        sw.compared = prod == NULL || prod->compare;
        rc = x->fn(x->ctx, &sw, err);
    }
    pl_buf_release(&cpes);
    return rc;
}

pl_status pl_match_software_each(struct pl_store *s, const struct pl_product_map *m,
                                 int64_t asset_id, pl_software_fn fn, void *ctx,
                                 struct pl_error *err)
{
    struct pl_match_asset_list assets = {NULL, 0};
    struct sw_ctx x = {m, &assets, 0, fn, ctx, PL_BUF_INIT(4096)};
    pl_status rc =
        pl_store_match_assets(s, asset_id ? &asset_id : NULL, asset_id ? 1 : 0, &assets, err);

    if (rc == PL_OK && assets.n)
        rc = pl_store_packages_each(s, asset_id, on_pkg, &x, err);
    for (size_t i = 0; rc == PL_OK && i < assets.n; i++)
        rc = asset_cpes(s, &x, &assets.items[i], err);
    pl_buf_release(&x.cpe);
    pl_match_asset_list_release(&assets);
    return rc;
}

/* ---- names no rule maps, most frequent first ----------------------------- */

struct unmapped {
    char *key; /* "ecosystem\x1fname" */
    uint64_t n;
};

struct um_ctx {
    struct unmapped *v;
    size_t n, cap;
    struct pl__smap map;
    struct pl_arena arena;
};

static pl_status on_sw(void *ctx, const struct pl_software *sw, struct pl_error *err)
{
    struct um_ctx *u = ctx;
    char key[1024];
    int n;
    uint32_t at;

    (void)err;
    if (sw->cpe || strcmp(sw->ecosystem, "cpe") == 0)
        return PL_OK;
    n = snprintf(key, sizeof(key), "%s\x1f%s", sw->ecosystem, sw->name);
    if (n <= 0 || (size_t)n >= sizeof(key))
        return PL_OK;
    at = pl__match_smap_put(&u->map, key, (size_t)n, (uint32_t)u->n);
    if (at == u->n) {
        u->v = pl_xgrow(u->v, u->n, &u->cap, 64, sizeof(*u->v));
        u->v[u->n++] = (struct unmapped){pl_xstrdup(key), 0};
    }
    u->v[at].n++;
    return pl_arena_status(&u->arena);
}

static int by_count(const void *a, const void *b)
{
    const struct unmapped *x = a, *y = b;

    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->key, y->key);
}

pl_status pl_match_software_unmapped(struct pl_store *s, const struct pl_product_map *m,
                                     pl_unmapped_fn fn, void *ctx, struct pl_error *err)
{
    struct um_ctx u = {0};
    pl_status rc;

    pl_arena_init(&u.arena, 0);
    pl__match_smap_init(&u.map, &u.arena);
    rc = pl_match_software_each(s, m, 0, on_sw, &u, err);
    if (rc == PL_OK && u.n)
        qsort(u.v, u.n, sizeof(*u.v), by_count);
    for (size_t i = 0; rc == PL_OK && i < u.n; i++) {
        char *sep = strchr(u.v[i].key, '\x1f');

        *sep = '\0';
        rc = fn(ctx, u.v[i].key, sep + 1, u.v[i].n, err);
    }
    for (size_t i = 0; i < u.n; i++)
        free(u.v[i].key);
    free(u.v);
    pl__match_smap_release(&u.map);
    pl_arena_release(&u.arena);
    return rc;
}

const char *const pl_software_col_names[PL_SOFTWARE_N_COLS] = {
    "asset", "name", "version", "ecosystem", "cpe", "class", "compared",
};
const enum pl_cell_type pl_software_col_types[PL_SOFTWARE_N_COLS] = {
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_BOOL,
};
const char *const pl_unmapped_col_names[PL_UNMAPPED_N_COLS] = {"count", "ecosystem", "name"};
const enum pl_cell_type pl_unmapped_col_types[PL_UNMAPPED_N_COLS] = {PL_CELL_INT, PL_CELL_TEXT,
                                                                     PL_CELL_TEXT};

void pl_software_cells(const struct pl_software *sw, const char *v[PL_SOFTWARE_N_COLS])
{
    v[0] = sw->asset;
    v[1] = sw->name;
    v[2] = sw->version;
    v[3] = sw->ecosystem;
    v[4] = sw->cpe;
    v[5] = sw->class_;
    v[6] = sw->cpe ? (sw->compared ? "true" : "false") : NULL;
}
