/*
 * jamf.c - import Jamf Pro computers: the response of the Jamf Pro API
 * GET /api/v1/computers-inventory ({"totalCount": N, "results": [...]},
 * streamed computer by computer). Each computer is an asset of kind
 * endpoint (source "jamf", key its udid, else its id): general.name,
 * hardware.serialNumber and the MAC addresses as identifiers,
 * operatingSystem.version (and build, as a tag), general.lastContactTime
 * as when it was seen, applications[] (name, version) as packages of
 * ecosystem "macos-app" when the section was requested.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/limits.h"

#include "scan_int.h"

static pl_status apps(struct scan *sc, const char *where, const struct pl_json *comp, int64_t asset,
                      struct pl_error *err)
{
    const struct pl_json *list = pl_json_get(comp, "applications");
    struct scan_pkgs p;
    char place[96];
    size_t i = 0;
    pl_status rc;

    if ((rc = pl__inventory_scan_type(sc, where, comp, "applications", PL_JSON_ARRAY, true, err)) !=
            PL_OK ||
        list == NULL)
        return rc; /* section not requested: the apps stay as they were */
    memset(&p, 0, sizeof(p));
    for (const struct pl_json *a = list->child; rc == PL_OK && a; a = a->next, i++) {
        const char *name, *version;

        if (snprintf(place, sizeof(place), "%s applications[%zu]", where, i) < 0)
            place[0] = '\0';
        if ((rc = pl__inventory_scan_str(sc, place, a, "name", SCAN_PACKAGE, &name, err)) !=
                PL_OK ||
            (rc = pl__inventory_scan_str(sc, place, a, "version", SCAN_PACKAGE, &version, err)) !=
                PL_OK)
            break;
        if (name)
            rc = pl__inventory_scan_pkg_add(sc, &p, "macos-app", name, version, NULL, NULL, err);
    }
    if (rc == PL_OK)
        rc = pl__inventory_scan_pkg_sync(sc, asset, &p, err);
    sc->stats->skipped += p.duplicates;
    pl__inventory_scan_pkgs_release(&p);
    return rc;
}

static pl_status on_computer(const struct pl_json *rec, uint64_t index, void *data,
                             struct pl_error *err)
{
    struct scan *sc = data;
    const struct pl_json *gen = pl_json_get(rec, "general"), *hw = pl_json_get(rec, "hardware");
    const struct pl_json *os = pl_json_get(rec, "operatingSystem");
    struct pl_identifier ids[3];
    char where[64], mac[2][18], tag[128];
    const char *id, *udid, *serial, *m1, *m2, *contact, *build;
    struct pl_observation o;
    int64_t asset;
    pl_status rc;

    sc->stats->records++;
    memset(&o, 0, sizeof(o));
    if (snprintf(where, sizeof(where), "results[%llu]", (unsigned long long)index) < 0)
        where[0] = '\0';
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", sc->path, where,
                            pl_json_type_name(rec->type));
    if ((rc = pl__inventory_scan_str(sc, where, rec, "id", SCAN_TOKEN, &id, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "udid", SCAN_TOKEN, &udid, err)) != PL_OK ||
        (rc = pl__inventory_scan_type(sc, where, rec, "general", PL_JSON_OBJECT, false, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, gen, "name", SCAN_NAME, &o.name, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, gen, "lastContactTime", SCAN_TOKEN, &contact,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, hw, "serialNumber", SCAN_TOKEN, &serial, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, hw, "macAddress", SCAN_TOKEN, &m1, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, hw, "altMacAddress", SCAN_TOKEN, &m2, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, os, "version", SCAN_TOKEN, &o.os_version, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, os, "build", SCAN_TOKEN, &build, err)) != PL_OK)
        return rc;
    if ((udid == NULL && id == NULL) || o.name == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': missing", sc->path, where,
                            o.name ? "udid" : "general.name");
    if (serial)
        ids[o.n_ids++] = (struct pl_identifier){"serial", serial, NULL};
    if (pl__inventory_scan_mac(m1, mac[0]))
        ids[o.n_ids++] = (struct pl_identifier){"mac", mac[0], NULL};
    if (pl__inventory_scan_mac(m2, mac[1]))
        ids[o.n_ids++] = (struct pl_identifier){"mac", mac[1], NULL};
    o.source = "jamf";
    o.source_key = udid ? udid : id;
    o.ids = ids;
    o.kind = "endpoint";
    o.os_family = "macos";
    o.os_name = "macos";
    o.reboot_required = -1;
    if (contact == NULL || !pl__inventory_scan_time(contact, &o.seen))
        o.seen = sc->now;
    if ((rc = pl__inventory_scan_observe(sc, &o, &asset, err)) != PL_OK)
        return rc;
    if (build && snprintf(tag, sizeof(tag), "os-build=%s", build) < (int)sizeof(tag) &&
        (rc = pl__inventory_scan_tag(sc, asset, tag, err)) != PL_OK)
        return rc;
    return apps(sc, where, rec, asset, err);
}

pl_status pl__inventory_import_jamf(struct pl_store *s, struct pl_reader *r,
                                    const struct pl_inv_import_opts *opts,
                                    struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct scan sc;
    struct pl_json_stream_opts o = {.records_path = "results",
                                    .lines = false,
                                    .max_record = PL_MAX_IMPORT_RECORD_BYTES,
                                    .max_rest = PL_MAX_IMPORT_REST_BYTES,
                                    .on_record = on_computer,
                                    .on_rest = NULL,
                                    .data = NULL};
    pl_status rc;

    if ((rc = pl__inventory_scan_begin(&sc, s, r, "jamf", opts, stats, err)) != PL_OK)
        return rc;
    o.data = &sc;
    return pl__inventory_scan_json(&sc, r, &o, err);
}

int pl__inventory_detect_jamf(const char *head, size_t n)
{
    if (pl__inventory_scan_has(head, n, "\"results\"") &&
        pl__inventory_scan_has(head, n, "\"general\"") &&
        (pl__inventory_scan_has(head, n, "\"udid\"") ||
         pl__inventory_scan_has(head, n, "\"lastContactTime\"")))
        return 90;
    return 0;
}
