/*
 * qualys.c - import a Qualys vulnerability scan report in CSV (the "Scan
 * Results" / host-based "Vulnerability" export): report lines before the
 * column header are skipped; the header is the first row with columns IP
 * and QID. Each row is one detection: the host (IP, DNS, NetBIOS, OS) is
 * an asset, and each CVE of "CVE ID" a scanner vulnerability of source
 * "qualys" (severity 5 critical, 4 high, 3 medium, 1-2 low; Title as
 * title, "QID n, first detected ..., last detected ..." as detail).
 * Information-gathered rows (Type Ig) and rows without a CVE are counted
 * as skipped. Rows are streamed; stale vulnerabilities of every host seen
 * are resolved at the end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/clock.h"
#include "patchline/csv.h"
#include "patchline/limits.h"
#include "patchline/parse.h"

#include "import_int.h"
#include "scan_int.h"

/* Rows read while looking for the column header. */
#define QUALYS_MAX_PREAMBLE 64

enum {
    C_IP,
    C_DNS,
    C_NETBIOS,
    C_OS,
    C_QID,
    C_TITLE,
    C_TYPE,
    C_SEV,
    C_CVE,
    C_FIRST,
    C_LAST,
    C_CVSS3,
    C_EXPLOIT,
    C_MALWARE,
    C_N
};

struct qualys {
    struct scan sc;
    struct pl__obs b;
    struct pl_csv *csv;
    int col[C_N];
    struct scan_touched touched;
};

static const char *field(const struct qualys *q, int c)
{
    const char *v = q->col[c] >= 0 ? pl_csv_field(q->csv, (size_t)q->col[c]) : NULL;

    return v && *v ? v : NULL;
}

/* Find the header row: the first with columns IP and QID. */
static pl_status find_header(struct qualys *q, struct pl_error *err)
{
    static const char *const names[C_N][2] = {
        {"IP", NULL},
        {"DNS", "DNS Name"},
        {"NetBIOS", "NetBIOS Name"},
        {"OS", "Operating System"},
        {"QID", NULL},
        {"Title", "Vulnerability Title"},
        {"Type", NULL},
        {"Severity", NULL},
        {"CVE ID", "CVE"},
        {"First Detected", "First Found"},
        {"Last Detected", "Last Found"},
        {"CVSS3 Base", "CVSS3.1 Base"},
        {"Exploitability", NULL},
        {"Associated Malware", NULL},
    };
    bool eof = false;
    pl_status rc;

    for (int row = 0; row < QUALYS_MAX_PREAMBLE; row++) {
        if ((rc = pl_csv_next(q->csv, &eof, err)) != PL_OK)
            return rc;
        if (eof)
            break;
        for (int c = 0; c < C_N; c++) {
            q->col[c] = -1;
            for (size_t i = 0; i < pl_csv_nfields(q->csv) && q->col[c] < 0; i++)
                for (int k = 0; k < 2; k++)
                    if (names[c][k] && pl_strcasecmp(pl_csv_field(q->csv, i), names[c][k]) == 0)
                        q->col[c] = (int)i;
        }
        if (q->col[C_IP] >= 0 && q->col[C_QID] >= 0)
            return PL_OK;
    }
    return pl_error_set(err, PL_E_PARSE,
                        "%s: not a Qualys scan CSV: no header row with columns 'IP' and 'QID' in "
                        "the first %d rows",
                        q->sc.path, QUALYS_MAX_PREAMBLE);
}

/* Qualys dates: "MM/DD/YYYY[ HH:MM[:SS]]" or ISO 8601; 0 when unreadable. */
static pl_time_t qdate(const char *s)
{
    unsigned mo, d, y, h = 0, mi = 0, sec = 0;
    pl_time_t t;

    if (s == NULL)
        return 0;
    if (pl__inventory_scan_time(s, &t))
        return t;
    if (sscanf(s, "%u/%u/%u %u:%u:%u", &mo, &d, &y, &h, &mi, &sec) < 3 || mo < 1 || mo > 12 ||
        d < 1 || d > 31 || y < 1970 || h > 23 || mi > 59 || sec > 60)
        return 0;
    return pl_days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + sec;
}

static const char *severity_of(const char *s)
{
    static const char *const names[] = {"low", "low", "medium", "high", "critical"};
    int64_t v;

    if (s == NULL || pl_parse_i64(s, &v, NULL) != PL_OK || v < 1 || v > 5)
        return NULL;
    return names[v - 1];
}

/* "FILE:LINE: column 'NAME': ..." for the current row. */
static pl_status col_error(const struct qualys *q, const char *col, struct pl_error *err,
                           pl_status code, const char *fmt, ...) PL_PRINTF(5, 6);

static pl_status col_error(const struct qualys *q, const char *col, struct pl_error *err,
                           pl_status code, const char *fmt, ...)
{
    char what[PL_ERROR_MSG_BYTES];
    va_list ap;

    va_start(ap, fmt);
    if (vsnprintf(what, sizeof(what), fmt, ap) < 0)
        what[0] = '\0';
    va_end(ap);
    return pl_error_set(err, code, "%s:%llu: column '%s': %s", q->sc.path,
                        (unsigned long long)pl_csv_line(q->csv), col, what);
}

static void touch(struct scan_touched *t, int64_t id)
{
    if (t->n > 0 && t->ids[t->n - 1] == id)
        return; /* rows come grouped by host */
    for (size_t i = 0; i < t->n; i++)
        if (t->ids[i] == id)
            return;
    t->ids = pl_xgrow(t->ids, t->n, &t->cap, 32, sizeof(*t->ids));
    t->ids[t->n++] = id;
}

static pl_status host_of(struct qualys *q, const char *ip, int64_t *asset, struct pl_error *err)
{
    pl_time_t last = qdate(field(q, C_LAST));
    int64_t found = 0;
    pl_status rc;

    pl__inventory_obs_reset(&q->b, last ? last : q->sc.now, "%s:%llu: host %s", q->sc.path,
                            (unsigned long long)pl_csv_line(q->csv), ip);
    if ((rc = pl__inventory_obs_str(&q->b, "IP", ip, &q->b.o.source_key, err)) != PL_OK)
        return rc;
    pl__inventory_obs_id(&q->b, "fqdn", field(q, C_DNS), NULL);
    pl__inventory_obs_id(&q->b, "hostname", field(q, C_NETBIOS), NULL);
    if (pl__inventory_obs_ip(&q->b, ip, q->sc.opts->scope) < 0)
        return col_error(q, "IP", err, PL_E_PARSE, "'%s' is not an IP address", ip);
    if ((rc = pl_store_asset_lookup(q->sc.s, &q->b.o, &found, err)) != PL_OK)
        return rc;
    /* the OS Qualys saw is its observation, whoever came first (precedence decides) */
    if ((rc = pl__inventory_obs_str(&q->b, "OS", field(q, C_OS), &q->b.o.os_name, err)) != PL_OK)
        return rc;
    if (found == 0) { /* a host nobody knew: name it */
        const char *name = field(q, C_DNS) ? field(q, C_DNS) : field(q, C_NETBIOS);

        if ((rc = pl__inventory_obs_str(&q->b, "DNS", name ? name : ip, &q->b.o.name, err)) !=
            PL_OK)
            return rc;
        q->b.o.kind = "host";
    }
    if ((rc = pl__inventory_obs_commit(q->sc.s, &q->b, q->sc.stats, asset, err)) != PL_OK)
        return rc;
    touch(&q->touched, *asset);
    return PL_OK;
}

/* The facts of the row beyond the detection: CVSS 3 base, vendor severity, exploits, dates. */
static void row_facts(struct qualys *q, const char *sev, struct pl_scanner_vuln *v, char *vec,
                      size_t cap, char *vsev, size_t vcap)
{
    static const char *const words[] = {"", "minimal", "medium", "serious", "critical", "urgent"};
    const char *cvss = field(q, C_CVSS3), *paren;
    int64_t n;
    char *end;
    double d;

    v->first_detected = qdate(field(q, C_FIRST));
    if (sev && pl_parse_i64(sev, &n, NULL) == PL_OK && n >= 1 && n <= 5 &&
        snprintf(vsev, vcap, "%s (Qualys severity %s)", words[n], sev) < (int)vcap)
        v->vendor_severity = vsev;
    v->exploit = field(q, C_EXPLOIT);
    if (v->exploit == NULL && field(q, C_MALWARE))
        v->exploit = "associated malware";
    /* "8.1 (AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H)" */
    if (cvss == NULL || (d = strtod(cvss, &end)) < 0 || d > 10 || end == cvss)
        return;
    v->cvss_score = d;
    v->has_cvss_score = true;
    v->cvss_version = "3.1";
    v->cvss_source = "qualys";
    if ((paren = strchr(end, '(')) != NULL && strchr(paren, ')') &&
        snprintf(vec, cap, "CVSS:3.1/%.*s", (int)(strchr(paren, ')') - paren - 1), paren + 1) <
            (int)cap)
        v->cvss_vector = vec;
}

static pl_status row(struct qualys *q, struct pl_error *err)
{
    const char *ip = field(q, C_IP), *type = field(q, C_TYPE), *cves = field(q, C_CVE);
    const char *sev = field(q, C_SEV), *qid = field(q, C_QID), *title = field(q, C_TITLE);
    char detail[256], cve[PL_MAX_VERSION_BYTES + 1], where[64], vec[160], vsev[64];
    int64_t asset = 0;
    bool any = false;
    pl_status rc;

    q->sc.stats->records++;
    if (ip == NULL)
        return col_error(q, "IP", err, PL_E_PARSE, "empty");
    if ((rc = host_of(q, ip, &asset, err)) != PL_OK)
        return rc;
    if (type && (pl_strcasecmp(type, "Ig") == 0 || pl_starts_with(type, "Information"))) {
        q->sc.stats->skipped++;
        return PL_OK;
    }
    if (sev && severity_of(sev) == NULL)
        return col_error(q, "Severity", err, PL_E_PARSE, "want a severity 1 to 5, not '%s'", sev);
    if (snprintf(detail, sizeof(detail), "QID %s, first detected %s, last detected %s",
                 qid ? qid : "?", field(q, C_FIRST) ? field(q, C_FIRST) : "?",
                 field(q, C_LAST) ? field(q, C_LAST) : "?") < 0)
        detail[0] = '\0';
    if (snprintf(where, sizeof(where), "line %llu", (unsigned long long)pl_csv_line(q->csv)) < 0)
        where[0] = '\0';
    while (cves && *cves) {
        size_t k;

        cves += strspn(cves, ", \t\r\n");
        k = strcspn(cves, ", \t\r\n");
        if (k == 0)
            break;
        if (k >= sizeof(cve))
            return col_error(q, "CVE ID", err, PL_E_TOOBIG, "a CVE id longer than %d bytes",
                             PL_MAX_VERSION_BYTES);
        memcpy(cve, cves, k);
        cve[k] = '\0';
        cves += k;
        {
            struct pl_scanner_vuln v;

            memset(&v, 0, sizeof(v));
            v.vuln_id = cve;
            v.severity = severity_of(sev);
            v.title = title;
            v.detail = detail;
            row_facts(q, sev, &v, vec, sizeof(vec), vsev, sizeof(vsev));

            if ((rc = pl__inventory_scan_check(&q->sc, where, "CVE ID", cve, k, SCAN_TOKEN, err)) !=
                    PL_OK ||
                (rc = pl__inventory_scan_vuln(&q->sc, asset, &v, err)) != PL_OK)
                return rc;
        }
        any = true;
    }
    if (!any)
        q->sc.stats->skipped++;
    return PL_OK;
}

pl_status pl__inventory_import_qualys(struct pl_store *s, struct pl_reader *r,
                                      const struct pl_inv_import_opts *opts,
                                      struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct pl_csv_opts co = {0, false, 0, 0, 0};
    struct qualys q;
    bool eof = false;
    pl_status rc;

    memset(&q, 0, sizeof(q));
    if ((rc = pl__inventory_scan_begin(&q.sc, s, r, "qualys", opts, stats, err)) != PL_OK ||
        (rc = pl_csv_open(r, &co, &q.csv, err)) != PL_OK)
        return rc;
    pl__inventory_obs_init(&q.b, "qualys");
    rc = find_header(&q, err);
    while (rc == PL_OK && (rc = pl_csv_next(q.csv, &eof, err)) == PL_OK && !eof)
        rc = row(&q, err);
    if (rc == PL_OK)
        rc = pl__inventory_scan_touched_finish(&q.sc, &q.touched, err);
    else
        free(q.touched.ids);
    pl__inventory_obs_release(&q.b);
    pl_csv_close(q.csv);
    return rc;
}

int pl__inventory_detect_qualys(const char *head, size_t n)
{
    if (pl__inventory_scan_has(head, n, "\"QID\"") && pl__inventory_scan_has(head, n, "\"IP\""))
        return 90;
    if (pl__inventory_scan_has(head, n, "QID,") && pl__inventory_scan_has(head, n, "IP,") &&
        pl__inventory_scan_has(head, n, "Severity"))
        return 80;
    return 0;
}
