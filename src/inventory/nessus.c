/*
 * nessus.c - import a Tenable .nessus file (NessusClientData_v2): one
 * asset per <ReportHost> (streamed one host tree at a time) with its
 * address, FQDN, NetBIOS name and MAC addresses from <HostProperties>, and
 * one scanner vulnerability (source "nessus") per CVE per host from the
 * <ReportItem>s: severity 0-4 is none/low/medium/high/critical, the plugin
 * name its title, "plugin ID port/protocol" its detail. A CVE reported by
 * several plugins keeps the highest severity. Items without a CVE are
 * counted as skipped. The OS Nessus guessed names only new assets.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"
#include "patchline/xml.h"

#include "import_int.h"
#include "scan_int.h"

struct nessus {
    struct scan sc;
    struct pl__obs b;
};

/* <tag name="NAME">text</tag> of HostProperties. */
static const char *prop(const struct pl_xml_node *props, const char *name)
{
    for (const struct pl_xml_node *t = pl_xml_child(props, "tag"); t;
         t = pl_xml_sibling(t, "tag")) {
        const char *n = pl_xml_node_attr(t, "name");

        if (n && strcmp(n, name) == 0)
            return t->text;
    }
    return NULL;
}

/* HOST_END: "HOST_END_TIMESTAMP" (epoch seconds), else "Thu Jan 11 10:12:13 2024". */
static pl_time_t host_end(const struct pl_xml_node *props)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const char *ts = prop(props, "HOST_END_TIMESTAMP"), *s = prop(props, "HOST_END");
    char mon[4], wd[4];
    int d, h, mi, sec, y;
    int64_t v;

    if (ts && pl_parse_i64(ts, &v, NULL) == PL_OK && v > 0)
        return v;
    if (s && sscanf(s, "%3s %3s %d %d:%d:%d %d", wd, mon, &d, &h, &mi, &sec, &y) == 7) {
        const char *m = strstr(months, mon);

        if (m && (m - months) % 3 == 0 && d >= 1 && d <= 31 && y >= 1970 && y <= 9999 && h >= 0 &&
            h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 60)
            return pl_days_from_civil(y, (unsigned)((m - months) / 3 + 1), (unsigned)d) * 86400 +
                   (int64_t)h * 3600 + (int64_t)mi * 60 + sec;
    }
    return 0;
}

static const char *severity_of(const char *sev)
{
    static const char *const names[] = {"none", "low", "medium", "high", "critical"};
    int64_t v;

    if (sev == NULL || pl_parse_i64(sev, &v, NULL) != PL_OK || v < 0 || v > 4)
        return NULL;
    return names[v];
}

/* The text of child element name of it, NULL when absent or empty. */
static const char *child(const struct pl_xml_node *it, const char *name)
{
    const char *t = pl_xml_child_text(it, name);

    return t && t[0] ? t : NULL;
}

/* Exploit facts: exploit_available, the frameworks that have one, exploited_by_malware. */
static const char *exploit_of(struct nessus *n, const struct pl_xml_node *it)
{
    static const char *const fw[][2] = {{"exploit_framework_metasploit", "Metasploit"},
                                        {"exploit_framework_canvas", "CANVAS"},
                                        {"exploit_framework_core", "Core Impact"},
                                        {"exploit_framework_d2_elliot", "D2 Elliot"},
                                        {"exploit_framework_exploithub", "ExploitHub"}};
    const char *avail = child(it, "exploit_available");
    const char *malware = child(it, "exploited_by_malware");
    char list[128] = "";
    size_t len = 0;

    for (size_t i = 0; i < PL_ARRAY_LEN(fw); i++) {
        const char *v = child(it, fw[i][0]);
        int k;

        if (v == NULL || strcmp(v, "true") != 0)
            continue;
        k = snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", fw[i][1]);
        if (k > 0 && (size_t)k < sizeof(list) - len)
            len += (size_t)k;
    }
    bool by_malware = malware && strcmp(malware, "true") == 0;

    if ((avail == NULL || strcmp(avail, "true") != 0) && len == 0 && !by_malware)
        return NULL;
    return pl__inventory_obs_printf(&n->b, "exploit available%s%s%s%s", len ? " (" : "", list,
                                    len ? ")" : "", by_malware ? "; exploited by malware" : "");
}

/* CVSS v3 vector and score (else v2) as facts of the item. */
static void cvss_of(const struct pl_xml_node *it, struct pl_scanner_vuln *v)
{
    const char *vec = child(it, "cvss3_vector"), *score = child(it, "cvss3_base_score");
    double d;

    v->cvss_version = "3.0";
    if (vec == NULL) {
        vec = child(it, "cvss_vector");
        score = child(it, "cvss_base_score");
        v->cvss_version = "2.0";
    }
    if (vec == NULL || strlen(vec) > PL_MAX_VERSION_BYTES) {
        v->cvss_version = NULL;
        return;
    }
    if (strncmp(vec, "CVSS2#", 6) == 0)
        vec += 6; /* Nessus writes "CVSS2#AV:N/..." */
    else if (strncmp(vec, "CVSS:3.1/", 9) == 0)
        v->cvss_version = "3.1";
    v->cvss_vector = vec;
    v->cvss_source = "nessus";
    if (score && pl_parse_double(score, &d, NULL) == PL_OK && d >= 0 && d <= 10) {
        v->cvss_score = d;
        v->has_cvss_score = true;
    }
}

static pl_status item(struct nessus *n, int64_t asset, const struct pl_xml_node *it,
                      struct pl_error *err)
{
    const char *plugin = pl_xml_node_attr(it, "pluginID");
    const char *sev = severity_of(pl_xml_node_attr(it, "severity"));
    const char *port = pl_xml_node_attr(it, "port"), *proto = pl_xml_node_attr(it, "protocol");
    char where[64], detail[128], title[PL_MAX_SCAN_TEXT_BYTES + 1];
    const char *name = pl_xml_node_attr(it, "pluginName");
    bool any = false;
    pl_status rc;

    if (snprintf(where, sizeof(where), "line %lu: element 'ReportItem'", it->line) < 0)
        where[0] = '\0';
    if (sev == NULL)
        return pl_error_set(err, PL_E_PARSE,
                            "%s:%lu: element 'ReportItem': attribute 'severity': want 0 to 4, "
                            "not '%s'",
                            n->sc.path, it->line,
                            pl_xml_node_attr(it, "severity") ? pl_xml_node_attr(it, "severity")
                                                             : "(missing)");
    if (snprintf(detail, sizeof(detail), "plugin %s %s/%s", plugin ? plugin : "?",
                 port ? port : "0", proto ? proto : "tcp") < 0)
        detail[0] = '\0';
    if (name && strlen(name) > PL_MAX_SCAN_TEXT_BYTES) {
        (void)snprintf(title, sizeof(title), "%.*s...", PL_MAX_SCAN_TEXT_BYTES - 3, name);
        name = title;
    }
    for (const struct pl_xml_node *c = pl_xml_child(it, "cve"); c; c = pl_xml_sibling(c, "cve")) {
        struct pl_scanner_vuln v;

        memset(&v, 0, sizeof(v));
        v.vuln_id = c->text;
        v.severity = sev;
        v.title = name;
        v.detail = detail;
        v.vendor_severity = child(it, "risk_factor");
        v.exploit = exploit_of(n, it);
        cvss_of(it, &v);

        if ((rc = pl__inventory_scan_check(&n->sc, where, "cve", c->text, c->text_len, SCAN_TOKEN,
                                           err)) != PL_OK ||
            (rc = pl__inventory_scan_vuln(&n->sc, asset, &v, err)) != PL_OK)
            return rc;
        any = true;
    }
    if (!any)
        n->sc.stats->skipped++;
    return PL_OK;
}

/* MAC addresses: one or several, separated by blanks or new lines. */
static void macs(struct pl__obs *b, const char *list)
{
    char one[64];

    while (list && *list) {
        size_t k = strcspn(list, " \t\r\n");

        if (k > 0 && k < sizeof(one)) {
            memcpy(one, list, k);
            one[k] = '\0';
            pl__inventory_obs_id(b, "mac", one, NULL);
        }
        list += k;
        list += strspn(list, " \t\r\n");
    }
}

/* The first line of a multi-line property ("operating-system" lists candidates). */
static const char *first_line(struct pl__obs *b, const char *s)
{
    size_t k;

    if (s == NULL || *s == '\0')
        return NULL;
    k = strcspn(s, "\r\n");
    return s[k] ? pl__inventory_obs_printf(b, "%.*s", (int)k, s) : s;
}

static pl_status on_host(const struct pl_xml_node *h, uint64_t index, void *data,
                         struct pl_error *err)
{
    struct nessus *n = data;
    const struct pl_xml_node *props = pl_xml_child(h, "HostProperties");
    const char *name = pl_xml_node_attr(h, "name"), *ip, *os;
    pl_time_t seen = host_end(props);
    int64_t asset = 0, found = 0;
    uint64_t resolved;
    pl_status rc;

    (void)index;
    n->sc.stats->records++;
    if (name == NULL || name[0] == '\0')
        return pl_error_set(err, PL_E_PARSE,
                            "%s:%lu: element 'ReportHost': attribute 'name' missing", n->sc.path,
                            h->line);
    pl__inventory_obs_reset(&n->b, seen ? seen : n->sc.now, "%s:%lu: ReportHost '%s'", n->sc.path,
                            h->line, name);
    if ((rc = pl__inventory_obs_str(&n->b, "name", name, &n->b.o.source_key, err)) != PL_OK)
        return rc;
    macs(&n->b, prop(props, "mac-address"));
    pl__inventory_obs_id(&n->b, "fqdn", prop(props, "host-fqdn"), NULL);
    pl__inventory_obs_id(&n->b, "hostname", prop(props, "netbios-name"), NULL);
    ip = prop(props, "host-ip");
    if (pl__inventory_obs_ip(&n->b, ip ? ip : name, n->sc.opts->scope) < 0 && ip)
        return pl_error_set(err, PL_E_PARSE, "%s: tag 'host-ip': not an IP address", n->b.where);
    if ((rc = pl_store_asset_lookup(n->sc.s, &n->b.o, &found, err)) != PL_OK)
        return rc;
    /* the OS Nessus guessed is its observation, whoever came first (precedence decides) */
    os = first_line(&n->b, prop(props, "operating-system"));
    if ((rc = pl__inventory_obs_str(&n->b, "operating-system", os, &n->b.o.os_name, err)) != PL_OK)
        return rc;
    if (found == 0) { /* a host nobody knew: name it */
        const char *fqdn = prop(props, "host-fqdn");

        if ((rc = pl__inventory_obs_str(&n->b, "name", fqdn && *fqdn ? fqdn : name, &n->b.o.name,
                                        err)) != PL_OK)
            return rc;
        n->b.o.kind = "host";
    }
    if ((rc = pl__inventory_obs_commit(n->sc.s, &n->b, n->sc.stats, &asset, err)) != PL_OK)
        return rc;
    for (const struct pl_xml_node *it = pl_xml_child(h, "ReportItem"); it;
         it = pl_xml_sibling(it, "ReportItem"))
        if ((rc = item(n, asset, it, err)) != PL_OK)
            return rc;
    return pl_store_scanner_vulns_resolve(n->sc.s, asset, n->sc.source, n->sc.run_id, n->sc.now,
                                          &resolved, err);
}

pl_status pl__inventory_import_nessus(struct pl_store *s, struct pl_reader *r,
                                      const struct pl_inv_import_opts *opts,
                                      struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct nessus n;
    struct pl_xml *x = NULL;
    bool found = false;
    pl_status rc;

    memset(&n, 0, sizeof(n));
    if ((rc = pl__inventory_scan_begin(&n.sc, s, r, "nessus", opts, stats, err)) != PL_OK)
        return rc;
    if ((rc = pl_xml_open(r, NULL, &x, err)) != PL_OK)
        return rc;
    pl__inventory_obs_init(&n.b, "nessus");
    if ((rc = pl_xml_next(x, NULL, &found, err)) == PL_OK &&
        (!found || strcmp(pl_xml_name(x), "NessusClientData_v2") != 0))
        rc = pl_error_set(err, PL_E_PARSE,
                          "%s: not a .nessus file (the root element is '%s', not "
                          "'NessusClientData_v2')",
                          n.sc.path, found ? pl_xml_name(x) : "(none)");
    if (rc == PL_OK)
        rc = pl_xml_each(x, "ReportHost", on_host, &n, NULL, err);
    pl__inventory_obs_release(&n.b);
    pl_xml_close(x);
    return rc;
}

int pl__inventory_detect_nessus(const char *head, size_t n)
{
    return pl__inventory_scan_has(head, n, "<NessusClientData_v2") ? 95 : 0;
}
