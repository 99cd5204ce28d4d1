/*
 * intune.c - import Intune managed devices: the Microsoft Graph response of
 * GET /deviceManagement/managedDevices ({"value": [managedDevice...]},
 * streamed device by device). Each device is an asset of kind endpoint
 * (source "intune", key its id): serial number and Wi-Fi / Ethernet MAC
 * addresses as identifiers, operatingSystem / osVersion, the last sync as
 * when it was seen, the user and compliance state as tags. With
 * $expand=detectedApps the apps become packages (ecosystem "windows-app",
 * "macos-app", "ios-app" or "android-app"). A Windows device's build
 * (osVersion 10.0.22631.4460) is its package of ecosystem "msrc" (windows.c).
 */
#include <stdio.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"

#include "scan_int.h"

/* Ecosystem and OS family of an Intune operatingSystem value. */
static const char *app_ecosystem(const char *os, const char **family)
{
    static const struct {
        const char *os, *eco, *family;
    } m[] = {
        {"Windows", "windows-app", "windows"},
        {"macOS", "macos-app", "macos"},
        {"iOS", "ios-app", "ios"},
        {"iPadOS", "ios-app", "ios"},
        {"Android", "android-app", "android"},
    };

    for (size_t i = 0; os && i < PL_ARRAY_LEN(m); i++)
        if (pl_strcasecmp(os, m[i].os) == 0) {
            *family = m[i].family;
            return m[i].eco;
        }
    *family = NULL;
    return NULL;
}

static pl_status apps(struct scan *sc, const char *where, const struct pl_json *dev,
                      const char *eco, int64_t asset, struct pl_error *err)
{
    const struct pl_json *list = pl_json_get(dev, "detectedApps");
    struct scan_pkgs p;
    char place[96];
    size_t i = 0;
    pl_status rc;

    if ((rc = pl__inventory_scan_type(sc, where, dev, "detectedApps", PL_JSON_ARRAY, true, err)) !=
            PL_OK ||
        list == NULL || eco == NULL)
        return rc; /* not expanded: the apps stay as they were */
    memset(&p, 0, sizeof(p));
    for (const struct pl_json *a = list->child; rc == PL_OK && a; a = a->next, i++) {
        const char *name, *version;

        if (snprintf(place, sizeof(place), "%s detectedApps[%zu]", where, i) < 0)
            place[0] = '\0';
        if ((rc = pl__inventory_scan_str(sc, place, a, "displayName", SCAN_PACKAGE, &name, err)) !=
                PL_OK ||
            (rc = pl__inventory_scan_str(sc, place, a, "version", SCAN_PACKAGE, &version, err)) !=
                PL_OK)
            break;
        if (name)
            rc = pl__inventory_scan_pkg_add(sc, &p, eco, name, version, NULL, NULL, err);
    }
    if (rc == PL_OK)
        rc = pl__inventory_scan_pkg_sync(sc, asset, &p, err);
    sc->stats->skipped += p.duplicates;
    pl__inventory_scan_pkgs_release(&p);
    return rc;
}

static pl_status tag(struct scan *sc, int64_t asset, const char *key, const char *v,
                     struct pl_error *err)
{
    char t[PL_MAX_ASSET_NAME_BYTES + 32];

    if (v == NULL || snprintf(t, sizeof(t), "%s=%s", key, v) >= (int)sizeof(t))
        return PL_OK;
    return pl__inventory_scan_tag(sc, asset, t, err);
}

static pl_status on_device(const struct pl_json *rec, uint64_t index, void *data,
                           struct pl_error *err)
{
    struct scan *sc = data;
    struct pl_identifier ids[3];
    char where[64], mac[2][18];
    const char *id, *serial, *wifi, *eth, *upn, *comp, *sync, *eco;
    struct pl_observation o;
    int64_t asset;
    pl_status rc;

    sc->stats->records++;
    memset(&o, 0, sizeof(o));
    if (snprintf(where, sizeof(where), "value[%llu]", (unsigned long long)index) < 0)
        where[0] = '\0';
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", sc->path, where,
                            pl_json_type_name(rec->type));
    if ((rc = pl__inventory_scan_str(sc, where, rec, "id", SCAN_TOKEN, &id, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "deviceName", SCAN_NAME, &o.name, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "operatingSystem", SCAN_TOKEN, &o.os_name,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "osVersion", SCAN_PACKAGE, &o.os_version,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "serialNumber", SCAN_TOKEN, &serial, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "wiFiMacAddress", SCAN_TOKEN, &wifi, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "ethernetMacAddress", SCAN_TOKEN, &eth,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "userPrincipalName", SCAN_TOKEN, &upn, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "complianceState", SCAN_TOKEN, &comp, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "lastSyncDateTime", SCAN_TOKEN, &sync, err)) !=
            PL_OK)
        return rc;
    if (id == NULL || o.name == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': missing", sc->path, where,
                            id ? "deviceName" : "id");
    if (serial && strcmp(serial, "0") != 0)
        ids[o.n_ids++] = (struct pl_identifier){"serial", serial, NULL};
    if (pl__inventory_scan_mac(wifi, mac[0]))
        ids[o.n_ids++] = (struct pl_identifier){"mac", mac[0], NULL};
    if (pl__inventory_scan_mac(eth, mac[1]))
        ids[o.n_ids++] = (struct pl_identifier){"mac", mac[1], NULL};
    eco = app_ecosystem(o.os_name, &o.os_family);
    if (o.os_family)
        o.os_name = o.os_family; /* "Windows" -> "windows", as the other sources name it */
    o.source = "intune";
    o.source_key = id;
    o.ids = ids;
    o.kind = "endpoint";
    o.reboot_required = -1;
    if (sync == NULL || !pl__inventory_scan_time(sync, &o.seen) || o.seen <= 0)
        o.seen = sc->now; /* never synced ("0001-01-01T00:00:00Z"): now */
    if ((rc = pl__inventory_scan_observe(sc, &o, &asset, err)) != PL_OK ||
        (rc = tag(sc, asset, "user", upn, err)) != PL_OK ||
        (rc = tag(sc, asset, "compliance", comp, err)) != PL_OK)
        return rc;
    /* a Windows device's osVersion is its build with the revision: 10.0.22631.4460 */
    if (o.os_family && strcmp(o.os_family, "windows") == 0 &&
        (rc = pl__inventory_windows_build_package(sc, asset, o.os_version, false, err)) != PL_OK)
        return rc;
    return apps(sc, where, rec, eco, asset, err);
}

pl_status pl__inventory_import_intune(struct pl_store *s, struct pl_reader *r,
                                      const struct pl_inv_import_opts *opts,
                                      struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct scan sc;
    struct pl_json_stream_opts o = {.records_path = "value",
                                    .lines = false,
                                    .max_record = PL_MAX_IMPORT_RECORD_BYTES,
                                    .max_rest = PL_MAX_IMPORT_REST_BYTES,
                                    .on_record = on_device,
                                    .on_rest = NULL,
                                    .data = NULL};
    pl_status rc;

    if ((rc = pl__inventory_scan_begin(&sc, s, r, "intune", opts, stats, err)) != PL_OK)
        return rc;
    o.data = &sc;
    return pl__inventory_scan_json(&sc, r, &o, err);
}

int pl__inventory_detect_intune(const char *head, size_t n)
{
    if (pl__inventory_scan_has(head, n, "managedDevices") ||
        (pl__inventory_scan_has(head, n, "\"value\"") &&
         pl__inventory_scan_has(head, n, "\"deviceName\"") &&
         pl__inventory_scan_has(head, n, "\"complianceState\"")))
        return 90;
    return 0;
}
