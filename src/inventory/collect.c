/*
 * collect.c - store what pl_host_collect found: one asset (source 'local'),
 * its identifiers, its packages (synced), and an audit event.
 */
#include <stdio.h>
#include <string.h>

#include "inventory_int.h"

static pl_status store_facts(struct pl_store *s, struct pl_host_facts *f,
                             struct pl_collect_summary *sum, struct pl_error *err)
{
    struct pl_identifier ids[2];
    struct pl_observation o;
    char detail[256];
    size_t n_ids = 0;
    pl_time_t now = pl_clock_now();
    pl_status rc;

    if (f->machine_id)
        ids[n_ids++] = (struct pl_identifier){"machine-id", f->machine_id, NULL};
    if (f->hostname)
        ids[n_ids++] = (struct pl_identifier){"hostname", f->hostname, NULL};
    memset(&o, 0, sizeof(o));
    o.source = "local";
    o.source_key = f->machine_id ? f->machine_id : f->name;
    o.ids = ids;
    o.n_ids = n_ids;
    o.seen = now;
    o.name = f->name;
    o.kind = "host";
    o.os_family = f->os_family;
    o.os_name = f->os.id;
    o.os_version = f->os.version_id;
    o.os_codename = f->os.version_codename;
    o.arch = f->arch;
    o.kernel = f->kernel;
    o.reboot_required = f->reboot_required;
    o.has_last_patched = f->has_last_patched;
    o.last_patched = f->last_patched;
    if ((rc = pl_store_import_open(s, "local", f->name, NULL, err)) != PL_OK ||
        (rc = pl_store_asset_observe(s, &o, &sum->asset_id, &sum->created, err)) != PL_OK ||
        (rc =
             pl_store_packages_sync_from(s, sum->asset_id, "local", f->ecosystem, f->packages.items,
                                         f->packages.n, now, &sum->sync, NULL, err)) != PL_OK)
        return rc;
    sum->ecosystem = f->ecosystem;
    sum->n_packages = f->packages.n;
    if (snprintf(detail, sizeof(detail),
                 "asset %lld: %zu %s packages, %zu added, %zu updated, %zu removed",
                 (long long)sum->asset_id, sum->n_packages, sum->ecosystem, sum->sync.added,
                 sum->sync.updated, sum->sync.removed) < 0)
        detail[0] = '\0';
    return pl_store_audit(s, "inventory.collect", f->name, detail, err);
}

pl_status pl_inventory_collect(struct pl_store *s, const struct pl_collect_opts *opts,
                               struct pl_collect_summary *out, struct pl_error *err)
{
    struct pl_host_facts f;
    struct pl_collect_summary sum;
    pl_status rc;

    memset(&sum, 0, sizeof(sum));
    if ((rc = pl_host_collect(opts, &f, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_begin(s, err)) == PL_OK) {
        rc = store_facts(s, &f, &sum, err);
        pl_store_import_close(s);
        if (rc == PL_OK)
            rc = pl_store_commit(s, err);
        else
            pl_store_rollback(s);
    }
    if (rc == PL_OK) {
        /* the ecosystem name is static storage; it outlives f */
        *out = sum;
    }
    pl_host_facts_release(&f);
    return rc;
}
