/*
 * import.c - `inventory import`: the registry of kinds over both tables,
 * content detection (sniff the first bytes, then re-open and import), and
 * the audit event.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/limits.h"

#include "import_int.h"
#include "inventory_int.h"
#include "scan_int.h"

static const struct pl__inv_kind *const tables[] = {pl__inv_kinds_infra, pl__inv_kinds_scan};

void pl_inventory_import_kinds(void (*fn)(const char *name, const char *summary, void *data),
                               void *data)
{
    for (size_t t = 0; t < PL_ARRAY_LEN(tables); t++)
        for (const struct pl__inv_kind *k = tables[t]; k->name; k++)
            fn(k->name, k->summary, data);
}

static const struct pl__inv_kind *find_kind(const char *name)
{
    for (size_t t = 0; t < PL_ARRAY_LEN(tables); t++)
        for (const struct pl__inv_kind *k = tables[t]; k->name; k++)
            if (strcmp(k->name, name) == 0)
                return k;
    return NULL;
}

static void add_name(const char *name, const char *summary, void *data)
{
    struct pl_buf *b = data;

    (void)summary;
    pl_buf_addf(b, "%s%s", b->len ? ", " : "", name);
}

static pl_status unknown_kind(const char *name, struct pl_error *err)
{
    struct pl_buf names = PL_BUF_INIT(4096);
    pl_status rc;

    pl_inventory_import_kinds(add_name, &names);
    rc =
        pl_error_set(err, PL_E_INVALID, "unknown kind '%s' (kinds: %s)", name, pl_buf_cstr(&names));
    pl_buf_release(&names);
    return rc;
}

/* The first PL_IMPORT_SNIFF_BYTES of path (decompressed) into head. */
static pl_status read_head(const char *path, char *head, size_t cap, size_t *n,
                           struct pl_error *err)
{
    struct pl_reader *r = NULL;
    size_t got = 0;
    pl_status rc;

    *n = 0;
    if ((rc = pl_reader_open(path, 0, &r, err)) != PL_OK)
        return rc;
    do {
        rc = pl_reader_read(r, head + *n, cap - *n, &got, err);
        *n += got;
    } while (rc == PL_OK && got > 0 && *n < cap);
    pl_reader_close(r);
    return rc;
}

bool pl_inventory_vex_kind_known(const char *kind)
{
    return kind && (strcmp(kind, "openvex") == 0 || strcmp(kind, "csaf-vex") == 0);
}

pl_status pl_inventory_vex_detect(const char *path, const char **kind_out, struct pl_error *err)
{
    char head[PL_IMPORT_SNIFF_BYTES]; /* on the stack: imports may run in several threads */
    size_t n = 0;
    pl_status rc;

    *kind_out = NULL;
    if (strcmp(path, "-") == 0)
        return PL_OK;
    if ((rc = read_head(path, head, sizeof(head), &n, err)) != PL_OK)
        return rc;
    if (pl__inventory_detect_openvex(head, n))
        *kind_out = "openvex";
    /* Red Hat's CSAF (VEX too) is the csaf feed kind: advisories on its RPM platforms */
    else if (pl__inventory_detect_csaf_vex(head, n) &&
             !pl__inventory_scan_has(head, n, "Red Hat") &&
             !pl__inventory_scan_has(head, n, "redhat"))
        *kind_out = "csaf-vex";
    return PL_OK;
}

pl_status pl_inventory_vex_choose(const char *kind, const char *path, const char **vex_out,
                                  struct pl_error *err)
{
    *vex_out = pl_inventory_vex_kind_known(kind) ? kind : NULL;
    return kind == NULL ? pl_inventory_vex_detect(path, vex_out, err) : PL_OK;
}

/* Read the first bytes of path and pick the kind with the highest confidence. */
static pl_status detect(const char *path, const struct pl__inv_kind **out, struct pl_error *err)
{
    char head[PL_IMPORT_SNIFF_BYTES]; /* on the stack: imports may run in several threads */
    size_t n = 0;
    int best = 0;
    pl_status rc;

    *out = NULL;
    if ((rc = read_head(path, head, sizeof(head), &n, err)) != PL_OK)
        return rc;
    for (size_t t = 0; t < PL_ARRAY_LEN(tables); t++)
        for (const struct pl__inv_kind *k = tables[t]; k->name; k++) {
            int c = k->detect ? k->detect(head, n) : 0;

            if (c > best) {
                best = c;
                *out = k;
            }
        }
    if (*out == NULL) {
        struct pl_buf names = PL_BUF_INIT(4096);

        pl_inventory_import_kinds(add_name, &names);
        rc = pl_error_set(err, PL_E_PARSE,
                          "%s: cannot tell what kind of file this is; name its kind (%s)", path,
                          pl_buf_cstr(&names));
        pl_buf_release(&names);
        return rc;
    }
    return PL_OK;
}

pl_status pl_inventory_import(struct pl_store *s, const char *kind, const char *path,
                              const struct pl_inv_import_opts *opts,
                              struct pl_inv_import_stats *stats, const char **kind_used,
                              struct pl_error *err)
{
    return pl_inventory_import_as(s, kind, path, path, opts, stats, kind_used, err);
}

pl_status pl_inventory_import_as(struct pl_store *s, const char *kind, const char *path,
                                 const char *record_path, const struct pl_inv_import_opts *opts,
                                 struct pl_inv_import_stats *stats, const char **kind_used,
                                 struct pl_error *err)
{
    const struct pl__inv_kind *k = NULL;
    struct pl_reader *r = NULL;
    char detail[256];
    pl_status rc;

    memset(stats, 0, sizeof(*stats));
    if (kind) {
        if ((k = find_kind(kind)) == NULL)
            return unknown_kind(kind, err);
    } else if (strcmp(path, "-") == 0) {
        return pl_error_set(err, PL_E_INVALID,
                            "reading standard input needs its kind: inventory import KIND -");
    } else if ((rc = detect(path, &k, err)) != PL_OK) {
        return rc;
    }
    if (k == NULL) /* detect() fails rather than finding nothing */
        return pl_error_set(err, PL_E_INTERNAL, "%s: no kind", path);
    *kind_used = k->name;
    if ((rc = pl_reader_open(path, 0, &r, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_begin(s, err)) == PL_OK) {
        rc = pl_store_import_open(s, k->name, record_path, NULL, err);
        if (rc == PL_OK)
            rc = k->import(s, r, opts, stats, err);
        pl_store_import_close(s);
        if (rc == PL_OK) {
            char digest[65];

            /* one event for the whole file: its counts and the digest of what was read */
            pl_reader_sha256(r, digest);
            snprintf(detail, sizeof(detail),
                     "%s: %llu records, %llu created, %llu merged, %llu skipped, sha256=%s",
                     k->name, (unsigned long long)stats->records,
                     (unsigned long long)stats->created, (unsigned long long)stats->merged,
                     (unsigned long long)stats->skipped, digest);
            rc = pl_store_audit(s, "inventory.import", record_path, detail, err);
        }
        if (rc == PL_OK)
            rc = pl_store_commit(s, err);
        else
            pl_store_rollback(s);
    }
    pl_reader_close(r);
    return rc;
}
