/*
 * by_os.c - the backlog by operating system: per OS release of the assets
 * known at the period's end ("debian 12", "ubuntu 22.04", "amzn 2023"), how
 * many assets run it and how many findings are open on them at `to` (and how
 * many of those have no fix).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"

#include "report_int.h"

struct slot_of {
    int64_t asset_id;
    size_t slot;
};

static int cmp_id(const void *a, const void *b)
{
    int64_t x = ((const struct slot_of *)a)->asset_id, y = ((const struct slot_of *)b)->asset_id;

    return (x > y) - (x < y);
}

static int cmp_os(const void *a, const void *b)
{
    const struct pl_report_os *x = a, *y = b;

    if (x->open != y->open)
        return x->open < y->open ? 1 : -1;
    return strcmp(x->os, y->os);
}

/* The asset's OS as the report names it; "unknown" when the inventory has none. */
static void os_name(const struct pl_mx_asset *a, char *buf, size_t cap)
{
    if (pl__report_os_key(a->os_family, a->os_name, a->os_version, buf, cap))
        return;
    if (a->os_name && a->os_name[0]) /* its major version: "windows 10" */
        snprintf(buf, cap, "%s%s%.*s", a->os_name, a->os_version ? " " : "",
                 a->os_version ? (int)strcspn(a->os_version, ".") : 0,
                 a->os_version ? a->os_version : "");
    else
        snprintf(buf, cap, "unknown");
}

static size_t slot_for(struct pl_report *r, const char *os)
{
    for (size_t i = 0; i < r->n_by_os; i++)
        if (strcmp(r->by_os[i].os, os) == 0)
            return i;
    r->by_os = pl_xrealloc(r->by_os, (r->n_by_os + 1) * sizeof(*r->by_os));
    memset(&r->by_os[r->n_by_os], 0, sizeof(*r->by_os));
    snprintf(r->by_os[r->n_by_os].os, sizeof(r->by_os[r->n_by_os].os), "%s", os);
    return r->n_by_os++;
}

void pl__report_compute_by_os(const struct pl_mx_data *d, struct pl_report *r)
{
    struct slot_of *map = pl_xcalloc(d->n_assets ? d->n_assets : 1, sizeof(*map));
    size_t n = 0;

    for (size_t i = 0; i < d->n_assets; i++) {
        const struct pl_mx_asset *a = &d->assets[i];
        char os[64];

        if (a->first_seen > r->to || (a->retired_at != PL_MX_NONE && a->retired_at <= r->to))
            continue;
        os_name(a, os, sizeof(os));
        map[n].asset_id = a->id;
        map[n].slot = slot_for(r, os);
        r->by_os[map[n++].slot].assets++;
    }
    qsort(map, n, sizeof(*map), cmp_id);
    for (size_t i = 0; n && i < d->n_findings; i++) {
        const struct pl_mx_finding *f = &d->findings[i];
        struct slot_of key = {f->asset_id, 0}, *hit;

        if (!pl__report_open_at(f, r->to) ||
            (hit = bsearch(&key, map, n, sizeof(*map), cmp_id)) == NULL)
            continue;
        r->by_os[hit->slot].open++;
        r->by_os[hit->slot].no_fix += f->fixed_version == NULL || f->fixed_version[0] == '\0';
    }
    free(map);
    if (r->n_by_os > 1)
        qsort(r->by_os, r->n_by_os, sizeof(*r->by_os), cmp_os);
}
