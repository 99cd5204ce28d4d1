/*
 * censys.c - import Censys host results: the hits of a hosts search
 * (Search API v2 `/v2/hosts/search` response {"result": {"hits": [...]}},
 * the JSON array that `censys search` prints, or one host per line). Each
 * host (ip, services[] with port, service_name, transport_protocol and
 * software[], dns.names and dns.reverse_dns.names, last_updated_at) marks
 * the asset owning the address internet-facing with one evidence row per
 * service; an unknown address becomes a new, unmanaged asset; each
 * software entry's CPE (uniform_resource_identifier) becomes a CPE of the
 * asset, matched against the NVD configurations. A response
 * or array is one record: it is capped by PL_MAX_IMPORT_RECORD_BYTES.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"

#include "scan_int.h"

#define CENSYS_MAX_NAMES 16

struct censys {
    struct scan sc;
    struct scan_touched touched;
};

/* DNS names of a host: dns.names then dns.reverse_dns.names. */
static pl_status names_of(struct censys *c, const char *where, const struct pl_json *host,
                          const char **out, size_t *n, struct pl_error *err)
{
    static const char *const paths[] = {"dns.names", "dns.reverse_dns.names"};

    *n = 0;
    for (size_t p = 0; p < PL_ARRAY_LEN(paths); p++) {
        const struct pl_json *arr = pl_json_path(host, paths[p]);

        for (const struct pl_json *h = arr && arr->type == PL_JSON_ARRAY ? arr->child : NULL;
             h && *n < CENSYS_MAX_NAMES; h = h->next) {
            pl_status rc;

            if (h->type != PL_JSON_STRING)
                return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': want strings", c->sc.path,
                                    where, paths[p]);
            if ((rc = pl__inventory_scan_check(&c->sc, where, paths[p], h->str, h->len, SCAN_TOKEN,
                                               err)) != PL_OK)
                return rc;
            out[(*n)++] = h->str;
        }
    }
    return PL_OK;
}

/* Product and version of a service's first software entry. */
static pl_status software(struct censys *c, const char *where, const struct pl_json *svc,
                          struct scan_service *s, struct pl_error *err)
{
    const struct pl_json *sw = pl_json_get(svc, "software");
    pl_status rc;

    if ((rc = pl__inventory_scan_type(&c->sc, where, svc, "software", PL_JSON_ARRAY, true, err)) !=
            PL_OK ||
        sw == NULL || sw->child == NULL)
        return rc;
    if ((rc = pl__inventory_scan_str(&c->sc, where, sw->child, "product", SCAN_PACKAGE, &s->product,
                                     err)) != PL_OK)
        return rc;
    return pl__inventory_scan_str(&c->sc, where, sw->child, "version", SCAN_PACKAGE, &s->version,
                                  err);
}

/*
 * Every software entry of a service as a CPE of the asset: its
 * `uniform_resource_identifier`, completed with the entry's `version` when
 * the CPE names none.
 */
static pl_status software_cpes(struct censys *c, const char *where, const struct pl_json *svc,
                               const struct scan_service *s, int64_t asset, struct pl_error *err)
{
    const struct pl_json *sw = pl_json_get(svc, "software");
    size_t i = 0;
    pl_status rc = PL_OK;

    for (const struct pl_json *e = sw ? sw->child : NULL; rc == PL_OK && e; e = e->next, i++) {
        const char *uri, *ver;
        char place[128];

        if (snprintf(place, sizeof(place), "%s software[%zu]", where, i) < 0)
            place[0] = '\0';
        if (e->type != PL_JSON_OBJECT)
            return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", c->sc.path,
                                place, pl_json_type_name(e->type));
        if ((rc = pl__inventory_scan_str(&c->sc, place, e, "uniform_resource_identifier",
                                         SCAN_TOKEN, &uri, err)) != PL_OK ||
            (rc = pl__inventory_scan_str(&c->sc, place, e, "version", SCAN_PACKAGE, &ver, err)) !=
                PL_OK)
            return rc;
        if (uri)
            rc = pl__inventory_scan_cpe(&c->sc, asset, place, "uniform_resource_identifier", uri,
                                        ver, s->transport, s->port, err);
    }
    return rc;
}

static pl_status host(struct censys *c, const char *where, const struct pl_json *h,
                      struct pl_error *err)
{
    const struct pl_json *svcs = pl_json_get(h, "services");
    const char *names[CENSYS_MAX_NAMES], *ip, *ts;
    struct scan_service s;
    pl_time_t when = 0;
    size_t n_names, i = 0;
    int64_t asset;
    pl_status rc;

    c->sc.stats->records++;
    if (h->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", c->sc.path, where,
                            pl_json_type_name(h->type));
    if ((rc = pl__inventory_scan_str(&c->sc, where, h, "ip", SCAN_TOKEN, &ip, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&c->sc, where, h, "last_updated_at", SCAN_TOKEN, &ts, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_type(&c->sc, where, h, "services", PL_JSON_ARRAY, true, err)) !=
            PL_OK ||
        (rc = names_of(c, where, h, names, &n_names, err)) != PL_OK)
        return rc;
    if (ip == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'ip': missing", c->sc.path, where);
    if (ts && !pl__inventory_scan_time(ts, &when))
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'last_updated_at': bad time '%s'",
                            c->sc.path, where, ts);
    if (svcs == NULL || svcs->child == NULL)
        c->sc.stats->skipped++; /* no open service seen */
    for (const struct pl_json *v = svcs ? svcs->child : NULL; v; v = v->next, i++) {
        char place[96];
        const char *proto;

        if (snprintf(place, sizeof(place), "%s services[%zu]", where, i) < 0)
            place[0] = '\0';
        memset(&s, 0, sizeof(s));
        s.ip = ip;
        s.hostnames = names;
        s.n_hostnames = n_names;
        s.scanner = "Censys";
        s.when = when;
        s.transport = "tcp";
        if ((rc = pl__inventory_scan_str(&c->sc, place, v, "service_name", SCAN_TOKEN, &s.service,
                                         err)) != PL_OK ||
            (rc = pl__inventory_scan_str(&c->sc, place, v, "transport_protocol", SCAN_TOKEN, &proto,
                                         err)) != PL_OK ||
            (rc = software(c, place, v, &s, err)) != PL_OK)
            return rc;
        if (proto && (strcmp(proto, "UDP") == 0 || strcmp(proto, "udp") == 0))
            s.transport = "udp";
        if (!pl_json_int(pl_json_get(v, "port"), &s.port) || s.port < 0 || s.port > 65535)
            return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'port': want a port number",
                                c->sc.path, place);
        if ((rc = pl__inventory_scan_exposure(&c->sc, &s, &c->touched, &asset, err)) != PL_OK ||
            (rc = software_cpes(c, place, v, &s, asset, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

static pl_status on_value(const struct pl_json *rec, uint64_t index, void *data,
                          struct pl_error *err)
{
    struct censys *c = data;
    const struct pl_json *hits = pl_json_path(rec, "result.hits");
    char where[64];
    size_t i = 0;
    pl_status rc = PL_OK;

    if (rec->type == PL_JSON_OBJECT && hits == NULL) {
        if (snprintf(where, sizeof(where), "record %llu", (unsigned long long)index + 1) < 0)
            where[0] = '\0';
        return host(c, where, rec, err);
    }
    if (hits == NULL)
        hits = rec;
    if (hits->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE,
                            "%s: not Censys host results (want hosts, an array "
                            "of hosts or result.hits)",
                            c->sc.path);
    for (const struct pl_json *h = hits->child; rc == PL_OK && h; h = h->next, i++) {
        if (snprintf(where, sizeof(where), "hits[%zu]", i) < 0)
            where[0] = '\0';
        rc = host(c, where, h, err);
    }
    return rc;
}

pl_status pl__inventory_import_censys(struct pl_store *s, struct pl_reader *r,
                                      const struct pl_inv_import_opts *opts,
                                      struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct censys c;
    struct pl_json_stream_opts o = {.records_path = NULL,
                                    .lines = true,
                                    .max_record = PL_MAX_IMPORT_RECORD_BYTES,
                                    .max_rest = 0,
                                    .on_record = on_value,
                                    .on_rest = NULL,
                                    .data = NULL};
    pl_status rc;

    memset(&c, 0, sizeof(c));
    o.data = &c;
    if ((rc = pl__inventory_scan_begin(&c.sc, s, r, "censys", opts, stats, err)) != PL_OK)
        return rc;
    rc = pl__inventory_scan_json(&c.sc, r, &o, err);
    if (rc == PL_OK)
        return pl__inventory_scan_touched_finish(&c.sc, &c.touched, err);
    free(c.touched.ids);
    return rc;
}

int pl__inventory_detect_censys(const char *head, size_t n)
{
    if (pl__inventory_scan_has(head, n, "\"services\"") &&
        pl__inventory_scan_has(head, n, "\"service_name\""))
        return 85;
    if (pl__inventory_scan_has(head, n, "\"autonomous_system\"") &&
        pl__inventory_scan_has(head, n, "\"ip\""))
        return 70;
    return 0;
}
