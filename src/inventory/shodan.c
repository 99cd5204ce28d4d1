/*
 * shodan.c - import Shodan exports: the JSON lines of `shodan download`
 * (one banner per line: ip_str, port, transport, hostnames, org, product,
 * version, cpe, vulns, timestamp) and host documents of `shodan host` /
 * the host API (ip_str, hostnames, vulns, data[] of banners). Each open
 * port marks the asset owning the address internet-facing, with the
 * evidence; an unknown address becomes a new, unmanaged asset. CVEs
 * Shodan lists become scanner vulnerabilities of source "shodan"; its
 * `cpe23` (or `cpe`) fields become the asset's CPEs, matched against the
 * NVD configurations like Nmap's.
 * Also the exposure helper shared with censys.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"

#include "scan_int.h"

#define SCAN_MAX_HOSTNAMES 16

static void touch(struct scan_touched *t, int64_t id)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->ids[i] == id)
            return;
    t->ids = pl_xgrow(t->ids, t->n, &t->cap, 32, sizeof(*t->ids));
    t->ids[t->n++] = id;
}

/* "port 443/tcp open on 1.2.3.4 (nginx 1.18.0) per Shodan 2024-01-15". */
static void describe(const struct scan_service *svc, char *out, size_t cap)
{
    struct pl_buf b = PL_BUF_INIT(cap - 1);
    char date[16];

    pl_buf_addf(&b, "port %lld/%s open on %s", (long long)svc->port,
                svc->transport ? svc->transport : "tcp", svc->ip);
    if (svc->product)
        pl_buf_addf(&b, " (%s%s%s)", svc->product, svc->version ? " " : "",
                    svc->version ? svc->version : "");
    pl_buf_addf(&b, " per %s", svc->scanner);
    if (svc->when)
        pl_buf_addf(&b, " %s", pl_date_format(svc->when, date));
    if (snprintf(out, cap, "%s", pl_buf_cstr(&b)) < 0)
        out[0] = '\0';
    pl_buf_release(&b);
}

pl_status pl__inventory_scan_exposure(struct scan *sc, const struct scan_service *svc,
                                      struct scan_touched *touched, int64_t *asset_id,
                                      struct pl_error *err)
{
    struct pl_identifier ids[1 + SCAN_MAX_HOSTNAMES];
    char evidence[PL_MAX_SCAN_TEXT_BYTES];
    struct pl_exposure ex;
    struct pl_observation o;
    int64_t found = 0;
    pl_status rc;

    memset(&o, 0, sizeof(o));
    ids[o.n_ids++] = (struct pl_identifier){"ip", svc->ip, NULL};
    for (size_t i = 0; i < svc->n_hostnames && i < SCAN_MAX_HOSTNAMES; i++)
        ids[o.n_ids++] = (struct pl_identifier){"fqdn", svc->hostnames[i], NULL};
    o.source = sc->source;
    o.source_key = svc->ip;
    o.ids = ids;
    o.seen = sc->now;
    o.exposure = "yes";
    o.reboot_required = -1;
    describe(svc, evidence, sizeof(evidence));
    o.exposure_evidence = evidence;
    if ((rc = pl_store_asset_lookup(sc->s, &o, &found, err)) != PL_OK)
        return rc;
    if (found == 0) { /* nobody knew this address: a new, unmanaged asset */
        o.name = svc->n_hostnames ? svc->hostnames[0] : svc->ip;
        o.kind = "host";
    }
    if ((rc = pl__inventory_scan_observe(sc, &o, asset_id, err)) != PL_OK)
        return rc;
    memset(&ex, 0, sizeof(ex));
    ex.source = sc->source;
    ex.ip = svc->ip;
    ex.transport = svc->transport;
    ex.port = svc->port;
    ex.service = svc->service;
    ex.product = svc->product;
    ex.evidence = evidence;
    touch(touched, *asset_id);
    return pl_store_exposure_put(sc->s, *asset_id, &ex, svc->when ? svc->when : sc->now, err);
}

pl_status pl__inventory_scan_touched_finish(struct scan *sc, struct scan_touched *t,
                                            struct pl_error *err)
{
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < t->n; i++)
        if ((rc = pl_store_scanner_vulns_resolve(sc->s, t->ids[i], sc->source, sc->run_id, sc->now,
                                                 NULL, err)) == PL_OK)
            rc = pl_store_asset_cpes_expire(sc->s, t->ids[i], sc->source, sc->now, err);
    free(t->ids);
    memset(t, 0, sizeof(*t));
    return rc;
}

/* Up to SCAN_MAX_HOSTNAMES checked names of array member `field` (missing: none). */
static pl_status names_of(const struct scan *sc, const char *where, const struct pl_json *v,
                          const char *field, const char **out, size_t *n, struct pl_error *err)
{
    const struct pl_json *arr = pl_json_get(v, field);
    pl_status rc;

    *n = 0;
    if ((rc = pl__inventory_scan_type(sc, where, v, field, PL_JSON_ARRAY, true, err)) != PL_OK ||
        !arr)
        return rc;
    for (const struct pl_json *h = arr->child; h && *n < SCAN_MAX_HOSTNAMES; h = h->next) {
        if (h->type != PL_JSON_STRING)
            return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': want strings, not %s",
                                sc->path, where, field, pl_json_type_name(h->type));
        if ((rc = pl__inventory_scan_check(sc, where, field, h->str, h->len, SCAN_TOKEN, err)) !=
            PL_OK)
            return rc;
        out[(*n)++] = h->str;
    }
    return PL_OK;
}

/* Shodan's "vulns": {"CVE-...": {"cvss": 7.5, "summary": "..."}} or ["CVE-..."]. */
static pl_status vulns_of(struct scan *sc, const char *where, const struct pl_json *vulns,
                          const struct scan_service *svc, int64_t asset, struct pl_error *err)
{
    for (const struct pl_json *v = vulns ? vulns->child : NULL; v; v = v->next) {
        char title[PL_MAX_SCAN_TEXT_BYTES + 1];
        struct pl_scanner_vuln sv;
        double cvss;
        pl_status rc;

        memset(&sv, 0, sizeof(sv));
        sv.vuln_id = vulns->type == PL_JSON_OBJECT ? v->key : pl_json_string(v);
        if (sv.vuln_id == NULL ||
            (rc = pl__inventory_scan_check(sc, where, "vulns", sv.vuln_id, strlen(sv.vuln_id),
                                           SCAN_TOKEN, err)) != PL_OK)
            return sv.vuln_id
                       ? rc
                       : pl_error_set(err, PL_E_PARSE, "%s: %s: field 'vulns': want CVE names",
                                      sc->path, where);
        sv.package = svc ? svc->product : NULL;
        sv.installed_version = svc ? svc->version : NULL;
        sv.severity = pl_json_double(pl_json_get(v, "cvss"), &cvss)
                          ? pl__inventory_scan_cvss_severity(cvss)
                          : "unknown";
        sv.title = pl__inventory_scan_long(v, "summary", title);
        if ((rc = pl__inventory_scan_vuln(sc, asset, &sv, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

/* Whether a CPE string names no version ("cpe:2.3:o:fortinet:fortios", version '*'). */
static bool versionless(const char *cpe)
{
    const char *p = cpe + (strncmp(cpe, "cpe:2.3:", 8) == 0 ? 8 : 5);
    int colons = 0;

    for (; *p && colons < 3; p++)
        colons += *p == ':';
    return colons < 3 || *p == '\0' || *p == ':' || (p[0] == '*' && (p[1] == ':' || !p[1]));
}

/*
 * The banner's CPEs (`cpe23`, else the 2.2 URIs of `cpe`) as software of the
 * asset; the banner's version completes a CPE without one only when exactly
 * one of them lacks it (an OS CPE beside an application's must not take the
 * application's version).
 */
static pl_status cpes_of(struct scan *sc, const char *where, const struct pl_json *b,
                         const struct scan_service *svc, int64_t asset, struct pl_error *err)
{
    const char *field = pl_json_get(b, "cpe23") ? "cpe23" : "cpe";
    const struct pl_json *arr = pl_json_get(b, field);
    size_t bare = 0;
    pl_status rc;

    if (arr && arr->type == PL_JSON_STRING) /* older banners: one string */
        return pl__inventory_scan_cpe(sc, asset, where, field, arr->str, svc->version,
                                      svc->transport, svc->port, err);
    if ((rc = pl__inventory_scan_type(sc, where, b, field, PL_JSON_ARRAY, true, err)) != PL_OK ||
        !arr)
        return rc;
    for (const struct pl_json *c = arr->child; c; c = c->next) {
        if (c->type != PL_JSON_STRING)
            return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': want strings, not %s",
                                sc->path, where, field, pl_json_type_name(c->type));
        bare += versionless(c->str);
    }
    for (const struct pl_json *c = arr->child; rc == PL_OK && c; c = c->next)
        rc =
            pl__inventory_scan_cpe(sc, asset, where, field, c->str, bare == 1 ? svc->version : NULL,
                                   svc->transport, svc->port, err);
    return rc;
}

/* One banner (an open port). host is the enclosing host document, or NULL. */
static pl_status banner(struct scan *sc, struct scan_touched *t, const char *where,
                        const struct pl_json *b, const struct pl_json *host, struct pl_error *err)
{
    const char *names[SCAN_MAX_HOSTNAMES], *ts;
    struct scan_service svc;
    int64_t asset;
    pl_status rc;

    memset(&svc, 0, sizeof(svc));
    svc.scanner = "Shodan";
    svc.hostnames = names;
    if (b->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", sc->path, where,
                            pl_json_type_name(b->type));
    if ((rc = pl__inventory_scan_str(sc, where, b, "ip_str", SCAN_TOKEN, &svc.ip, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, b, "transport", SCAN_TOKEN, &svc.transport, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, b, "product", SCAN_PACKAGE, &svc.product, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, b, "version", SCAN_PACKAGE, &svc.version, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, pl_json_get(b, "_shodan"), "module", SCAN_TOKEN,
                                     &svc.service, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, b, "timestamp", SCAN_TOKEN, &ts, err)) != PL_OK ||
        (rc = names_of(sc, where, pl_json_get(b, "hostnames") ? b : host, "hostnames", names,
                       &svc.n_hostnames, err)) != PL_OK)
        return rc;
    if (svc.ip == NULL && host)
        svc.ip = pl_json_get_string(host, "ip_str");
    if (svc.ip == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'ip_str': missing", sc->path, where);
    if (!pl_json_int(pl_json_get(b, "port"), &svc.port) || svc.port < 0 || svc.port > 65535)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'port': want a port number", sc->path,
                            where);
    if (ts && !pl__inventory_scan_time(ts, &svc.when))
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'timestamp': bad time '%s'", sc->path,
                            where, ts);
    if ((rc = pl__inventory_scan_type(sc, where, b, "vulns", PL_JSON_OBJECT, true, err)) != PL_OK ||
        (rc = pl__inventory_scan_exposure(sc, &svc, t, &asset, err)) != PL_OK ||
        (rc = cpes_of(sc, where, b, &svc, asset, err)) != PL_OK)
        return rc;
    return vulns_of(sc, where, pl_json_get(b, "vulns"), &svc, asset, err);
}

struct shodan {
    struct scan sc;
    struct scan_touched touched;
};

static pl_status on_line(const struct pl_json *rec, uint64_t index, void *data,
                         struct pl_error *err)
{
    struct shodan *x = data;
    const struct pl_json *list = pl_json_get(rec, "data");
    char where[64];
    size_t i = 0;
    pl_status rc = PL_OK;

    x->sc.stats->records++;
    if (snprintf(where, sizeof(where), "record %llu", (unsigned long long)index + 1) < 0)
        where[0] = '\0';
    if (list == NULL || list->type != PL_JSON_ARRAY) /* one banner of `shodan download` */
        return banner(&x->sc, &x->touched, where, rec, NULL, err);
    for (const struct pl_json *b = list->child; rc == PL_OK && b; b = b->next, i++) {
        char place[96];

        if (snprintf(place, sizeof(place), "%s data[%zu]", where, i) < 0)
            place[0] = '\0';
        rc = banner(&x->sc, &x->touched, place, b, rec, err);
    }
    if (rc == PL_OK && list->child == NULL)
        x->sc.stats->skipped++; /* a host with no open port seen */
    return rc;
}

pl_status pl__inventory_import_shodan(struct pl_store *s, struct pl_reader *r,
                                      const struct pl_inv_import_opts *opts,
                                      struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct shodan x;
    struct pl_json_stream_opts o = {.records_path = NULL,
                                    .lines = true,
                                    .max_record = PL_MAX_IMPORT_RECORD_BYTES,
                                    .max_rest = 0,
                                    .on_record = on_line,
                                    .on_rest = NULL,
                                    .data = NULL};
    pl_status rc;

    memset(&x, 0, sizeof(x));
    o.data = &x;
    if ((rc = pl__inventory_scan_begin(&x.sc, s, r, "shodan", opts, stats, err)) != PL_OK)
        return rc;
    rc = pl__inventory_scan_json(&x.sc, r, &o, err);
    if (rc == PL_OK)
        return pl__inventory_scan_touched_finish(&x.sc, &x.touched, err);
    free(x.touched.ids);
    return rc;
}

int pl__inventory_detect_shodan(const char *head, size_t n)
{
    if (pl__inventory_scan_has(head, n, "\"ip_str\"") &&
        (pl__inventory_scan_has(head, n, "\"_shodan\"") ||
         pl__inventory_scan_has(head, n, "\"port\"")))
        return 90;
    return 0;
}
