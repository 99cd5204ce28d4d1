/*
 * vendor.c - vendor security bulletins for network appliances, as CPE match
 * rows of their own origin that the CPE matcher (src/match/cpe.c) applies to
 * appliance firmware the same way as the NVD's:
 *
 *  - fortinet: FortiGuard PSIRT advisories in Fortinet's CVRF as JSON lines
 *    (documenttracking.identification.id FG-IR-YY-NNN; every product_id
 *    "FortiOS-7.2.5" of a "Known Affected" status is one exact-version row);
 *  - paloalto: security.paloaltonetworks.com advisories as CVE JSON 5 records
 *    (affected[].versions[]: version, lessThan / lessThanOrEqual, changes[]
 *    at which it is unaffected: the fixing versions, PAN-OS hotfixes such as
 *    10.2.9-h1, kept in fixed_in);
 *  - cisco: Cisco PSIRT CSAF 2.0 documents (product_tree leaves under a
 *    product family; every known_affected release is one exact-version row).
 *
 * Only the products of the table below (the product map's vendor:product for
 * each vendor's product name) become rows; the rest of a bulletin is counted
 * and left. A bulletin replaces its earlier rows as a whole.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/parse.h"
#include "patchline/version.h"

#include "core_int.h"
#include "intel_int.h"

#define VENDOR_MAX_RECORD  ((size_t)32 * 1024 * 1024)
#define VENDOR_MAX_VULNS   512   /* CVEs of one bulletin */
#define VENDOR_MAX_ROWS    20000 /* match rows of one bulletin */
#define VENDOR_MAX_VERSION 96    /* bytes of one version */
#define VENDOR_MAX_ID      128   /* bytes of an advisory id */
#define VENDOR_MAX_FIXED   4096  /* bytes of a row's fixing versions */

struct product {
    const char *name, *cpe; /* the vendor's product name; part:vendor:product */
};

static const struct product fortinet_products[] = {
    {"FortiOS", "o:fortinet:fortios"},
    {"FortiProxy", "a:fortinet:fortiproxy"},
    {"FortiManager", "a:fortinet:fortimanager"},
    {"FortiAnalyzer", "a:fortinet:fortianalyzer"},
    {"FortiWeb", "a:fortinet:fortiweb"},
    {"FortiSIEM", "a:fortinet:fortisiem"},
    {NULL, NULL},
};
static const struct product paloalto_products[] = {
    {"PAN-OS", "o:paloaltonetworks:pan-os"},
    {"GlobalProtect App", "a:paloaltonetworks:globalprotect"},
    {NULL, NULL},
};
static const struct product cisco_products[] = {
    {"Cisco IOS XE Software", "o:cisco:ios_xe"},
    {"IOS", "o:cisco:ios"},
    {"Cisco IOS Software", "o:cisco:ios"},
    {"Cisco Adaptive Security Appliance (ASA) Software",
     "o:cisco:adaptive_security_appliance_software"},
    {"Cisco Firepower Threat Defense Software", "a:cisco:firepower_threat_defense"},
    {"Cisco IOS XR Software", "o:cisco:ios_xr"},
    {NULL, NULL},
};

static const char *product_cpe(const struct product *t, const char *name)
{
    for (; name && t->name; t++)
        if (strcmp(t->name, name) == 0)
            return t->cpe;
    return NULL;
}

/* One match row being built: criteria and bounds owned by the bulletin's buffer. */
struct row {
    char criteria[320];
    char start[VENDOR_MAX_VERSION + 1], end_ex[VENDOR_MAX_VERSION + 1],
        end_in[VENDOR_MAX_VERSION + 1];
    char *fixed_in;   /* malloc'd or NULL */
    const char *vuln; /* the one vulnerability the row is about; NULL: all the bulletin's */
};

struct bulletin {
    const char *origin;
    char id[VENDOR_MAX_ID + 1];
    const char *vulns[VENDOR_MAX_VULNS];
    char vid[VENDOR_MAX_VULNS][VENDOR_MAX_ID + 1]; /* the ids vulns points to */
    size_t n_vulns;
    struct row *rows;
    size_t n_rows, cap_rows;
};

struct vctx {
    struct pl_intel_writer *w;
    struct pl_import_stats *stats;
    const struct pl_import_opts *opts;
    const char *origin;
    struct bulletin b;
    pl_time_t newest;
};

static void bulletin_reset(struct bulletin *b)
{
    for (size_t i = 0; i < b->n_rows; i++)
        free(b->rows[i].fixed_in);
    b->n_rows = 0;
    b->n_vulns = 0;
    b->id[0] = '\0';
}

/* A version as a bulletin may write it: digits first, then letters, digits and ._-()+ */
static bool plain_version(const char *v)
{
    size_t n = strlen(v);

    if (n == 0 || n > VENDOR_MAX_VERSION || !isdigit((unsigned char)v[0]))
        return false;
    for (const char *p = v; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._-()+", *p))
            return false;
    return true;
}

/* "cpe:2.3:PART:VENDOR:PRODUCT:VERSION:*:..." with the version's CPE specials escaped. */
static void criteria(char *out, size_t cap, const char *cpe, const char *version, bool line)
{
    char v[2 * VENDOR_MAX_VERSION + 4];
    size_t n = 0;

    for (const char *p = version; *p && n + 3 < sizeof(v); p++) {
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
            v[n++] = '\\';
        v[n++] = *p;
    }
    v[n] = '\0';
    snprintf(out, cap, "cpe:2.3:%s:%s%s:*:*:*:*:*:*:*", cpe, n ? v : "*", line ? ".*" : "");
}

static pl_status add_vuln(struct bulletin *b, const char *id, struct pl_error *err)
{
    for (size_t i = 0; i < b->n_vulns; i++)
        if (strcmp(b->vulns[i], id) == 0)
            return PL_OK;
    if (b->n_vulns == VENDOR_MAX_VULNS)
        return pl_error_set(err, PL_E_TOOBIG, "%s: more than %d vulnerabilities", b->id,
                            VENDOR_MAX_VULNS);
    snprintf(b->vid[b->n_vulns], sizeof(b->vid[0]), "%s", id);
    b->vulns[b->n_vulns] = b->vid[b->n_vulns];
    b->n_vulns++;
    return PL_OK;
}

static struct row *add_row(struct bulletin *b, struct pl_error *err)
{
    struct row *r;

    if (b->n_rows == VENDOR_MAX_ROWS) {
        (void)pl_error_set(err, PL_E_TOOBIG, "%s: more than %d affected versions", b->id,
                           VENDOR_MAX_ROWS);
        return NULL;
    }
    b->rows = pl_xgrow(b->rows, b->n_rows, &b->cap_rows, 64, sizeof(*b->rows));
    r = &b->rows[b->n_rows++];
    memset(r, 0, sizeof(*r));
    return r;
}

/* Store the bulletin: its rows for every vulnerability it names. */
static pl_status bulletin_put(struct vctx *c, struct pl_error *err)
{
    struct bulletin *b = &c->b;
    pl_status rc;

    c->stats->records++;
    if (b->n_vulns == 0 && (rc = add_vuln(b, b->id, err)) != PL_OK)
        return rc;
    if ((rc = pl_intel_vendor_advisory(c->w, c->origin, b->id, b->vulns, b->n_vulns, err)) != PL_OK)
        return rc;
    if (b->n_rows == 0) {
        c->stats->unchanged++; /* no product Patchline matches */
        return PL_OK;
    }
    c->stats->inserted++;
    for (size_t v = 0; v < b->n_vulns; v++)
        for (size_t i = 0; i < b->n_rows; i++) {
            const struct row *r = &b->rows[i];
            struct pl_cpe_entry e = {0};

            if (r->vuln && strcmp(r->vuln, b->vulns[v]) != 0)
                continue;
            e.config = (int)i;
            e.vulnerable = true;
            e.criteria = r->criteria;
            e.start_including = r->start[0] ? r->start : NULL;
            e.end_excluding = r->end_ex[0] ? r->end_ex : NULL;
            e.end_including = r->end_in[0] ? r->end_in : NULL;
            e.advisory = b->id;
            e.fixed_in = r->fixed_in;
            if ((rc = pl_intel_put_cpe(c->w, b->vulns[v], c->origin, &e, err)) != PL_OK)
                return rc;
        }
    return PL_OK;
}

static pl_status set_id(struct bulletin *b, const char *id, const char *field, struct pl_error *err)
{
    if (id == NULL || id[0] == '\0')
        return pl_error_set(err, PL_E_PARSE, "field '%s': missing", field);
    for (const char *p = id; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
            return pl_error_set(err, PL_E_PARSE, "field '%s': '%.40s' is not an advisory id", field,
                                id);
    if (snprintf(b->id, sizeof(b->id), "%s", id) >= (int)sizeof(b->id))
        return pl_error_set(err, PL_E_TOOBIG, "field '%s': longer than %d bytes", field,
                            VENDOR_MAX_ID);
    return PL_OK;
}

static void note_date(struct vctx *c, pl_time_t t, const char *field)
{
    if (t == 0)
        return;
    pl__intel_note_date(c->stats, t, "field '%s' of %s", field, c->b.id);
    if (t > c->newest)
        c->newest = t;
}

/* ---- Fortinet CVRF ---------------------------------------------------- */

/* A member that may be one value or an array of them: call each. */
#define EACH(v, x)                                                                          \
    for (const struct pl_json *x = (v) && (v)->type == PL_JSON_ARRAY ? (v)->child : (v); x; \
         x = (v)->type == PL_JSON_ARRAY ? x->next : NULL)

/*
 * The CVE id a Fortinet cve value starts with, markup and blanks dropped:
 * FG-IR-14-010 writes "CVE-<br />2014-2722 key issue".
 */
static bool forti_cve_id(const char *s, char *out, size_t cap)
{
    size_t n = 0;

    for (const char *p = s; *p && n + 1 < cap; p++) {
        if (*p == '<') {
            const char *end = strchr(p, '>');

            if (end == NULL)
                break;
            p = end;
        } else if (*p == ' ' && n > 9) {
            break; /* the words after the id */
        } else if (!isspace((unsigned char)*p)) {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return pl__intel_cve_valid(out);
}

static pl_status forti_cves(struct vctx *c, const struct pl_json *vuln, struct pl_error *err)
{
    const struct pl_json *cve = pl_json_get(vuln, "cve");
    char id[PL_CVE_ID_MAX + 1];
    pl_status rc;

    EACH(cve, x)
    {
        if (x->type != PL_JSON_STRING || !forti_cve_id(x->str, id, sizeof(id)))
            return pl_error_set(err, PL_E_PARSE, "field 'vulnerability.cve': '%.40s' is not a CVE",
                                x->type == PL_JSON_STRING ? x->str : pl_json_type_name(x->type));
        if ((rc = add_vuln(&c->b, id, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

static pl_status forti_product(struct vctx *c, const char *pid, const char *vuln,
                               struct pl_error *err)
{
    const char *dash = strrchr(pid, '-'), *cpe;
    char name[128];
    struct row *r;

    if (dash == NULL || dash == pid || (size_t)(dash - pid) >= sizeof(name))
        return pl_error_set(err, PL_E_PARSE,
                            "field 'product_statuses.status.product_id': '%.60s' is not "
                            "PRODUCT-VERSION",
                            pid);
    memcpy(name, pid, (size_t)(dash - pid));
    name[dash - pid] = '\0';
    if ((cpe = product_cpe(fortinet_products, name)) == NULL)
        return PL_OK;
    if (!plain_version(dash + 1))
        return pl_error_set(err, PL_E_PARSE,
                            "field 'product_statuses.status.product_id': '%.60s': '%.40s' is not "
                            "a version",
                            pid, dash + 1);
    if ((r = add_row(&c->b, err)) == NULL)
        return PL_E_TOOBIG;
    criteria(r->criteria, sizeof(r->criteria), cpe, dash + 1, false);
    r->vuln = vuln;
    return PL_OK;
}

static pl_status forti_statuses(struct vctx *c, const struct pl_json *vuln, bool alone,
                                struct pl_error *err)
{
    const struct pl_json *cve = pl_json_get(vuln, "cve");
    /* several vulnerabilities: each row is about its own (first) CVE */
    const char *only = alone                               ? NULL
                       : cve && cve->type == PL_JSON_ARRAY ? pl_json_string(cve->child)
                                                           : pl_json_string(cve);
    const struct pl_json *st = pl_json_path(vuln, "product_statuses.status");
    pl_status rc;

    EACH(st, s)
    {
        const char *type = pl_json_get_string(s, "type");
        const struct pl_json *ids = pl_json_get(s, "product_id");

        if (s->type != PL_JSON_OBJECT)
            return pl_error_set(err, PL_E_PARSE,
                                "field 'product_statuses.status': expected an object, got %s",
                                pl_json_type_name(s->type));
        if (type == NULL || strcmp(type, "Known Affected") != 0 || ids == NULL)
            continue;
        EACH(ids, id)
        {
            if (id->type != PL_JSON_STRING)
                return pl_error_set(err, PL_E_PARSE,
                                    "field 'product_statuses.status.product_id': expected "
                                    "strings, got %s",
                                    pl_json_type_name(id->type));
            if ((rc = forti_product(c, id->str, only ? only : (alone ? NULL : c->b.id), err)) !=
                PL_OK)
                return rc;
        }
    }
    return PL_OK;
}

static pl_status forti_record(const struct pl_json *rec, uint64_t index, void *data,
                              struct pl_error *err)
{
    struct vctx *c = data;
    const struct pl_json *vulns;
    pl_time_t at = 0;
    pl_status rc;

    (void)index;
    bulletin_reset(&c->b);
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "want an advisory object, not %s",
                            pl_json_type_name(rec->type));
    if ((rc = set_id(&c->b, pl_json_string(pl_json_path(rec, "documenttracking.identification.id")),
                     "documenttracking.identification.id", err)) != PL_OK)
        return rc;
    if (pl_json_get(rec, "documenttracking") &&
        ((rc = pl__intel_want_time(pl_json_get(rec, "documenttracking"), "documenttracking",
                                   "initial_release_date", false, &at, err)) != PL_OK))
        return pl__intel_prefix(rc, err, "%s", c->b.id);
    note_date(c, at, "initial_release_date");
    vulns = pl_json_get(rec, "vulnerability");
    EACH(vulns, v)
    {
        if (v->type != PL_JSON_OBJECT)
            return pl_error_set(err, PL_E_PARSE, "%s: field 'vulnerability': expected an object",
                                c->b.id);
        if ((rc = forti_cves(c, v, err)) != PL_OK)
            return pl__intel_prefix(rc, err, "%s", c->b.id);
    }
    EACH(vulns, v)
    {
        if ((rc = forti_statuses(c, v, vulns->type != PL_JSON_ARRAY, err)) != PL_OK)
            return pl__intel_prefix(rc, err, "%s", c->b.id);
    }
    return bulletin_put(c, err);
}

/* ---- Palo Alto Networks CVE JSON 5 ------------------------------------ */

static int vcmp(const char *a, const char *b)
{
    int c = 0;

    if (pl_version_cmp(PL_VSCHEME_RPMVERCMP, a, b, &c, NULL) != PL_OK)
        c = strcmp(a, b);
    return c;
}

/* A string member with blanks trimmed into buf; NULL when absent. */
static pl_status want_trim(const struct pl_json *v, const char *prefix, const char *key,
                           bool required, char *buf, size_t cap, const char **out,
                           struct pl_error *err)
{
    const char *s;
    size_t n;
    pl_status rc = pl__intel_want_str(v, prefix, key, required, &s, err);

    *out = NULL;
    if (rc != PL_OK || s == NULL)
        return rc;
    while (isspace((unsigned char)*s))
        s++;
    n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    if (n >= cap)
        return pl_error_set(err, PL_E_TOOBIG, "field '%s.%s': longer than %zu bytes", prefix, key,
                            cap - 1);
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = buf;
    return PL_OK;
}

/*
 * One affected versions[] entry of PAN-OS or GlobalProtect into one row.
 * Palo Alto Networks writes some entries in words ("All with Endpoint
 * Traffic Policy Enforcement set to All Traffic", "5.1.x (ETA: December
 * 2024)", lessThan "9.0*"): a version that is words names no version, a
 * bound or change point in words is no bound, and `at` may list several
 * versions ("9.0.6, 9.0.5-h3").
 */
static pl_status pan_version(struct vctx *c, const char *cpe, const struct pl_json *v,
                             struct pl_error *err)
{
    char version[512], ltb[512], leb[512], base[VENDOR_MAX_VERSION + 1],
        top[VENDOR_MAX_VERSION + 1];
    const char *status, *ver, *lt, *le;
    const struct pl_json *changes;
    struct pl_buf fixed = PL_BUF_INIT(VENDOR_MAX_FIXED);
    struct row *r;
    bool line = false, all = false;
    size_t n;
    pl_status rc;

    if ((rc = pl__intel_want_str(v, "versions", "status", true, &status, err)) != PL_OK ||
        (rc = want_trim(v, "versions", "version", true, version, sizeof(version), &ver, err)) !=
            PL_OK ||
        (rc = want_trim(v, "versions", "lessThan", false, ltb, sizeof(ltb), &lt, err)) != PL_OK ||
        (rc = want_trim(v, "versions", "lessThanOrEqual", false, leb, sizeof(leb), &le, err)) !=
            PL_OK ||
        (rc = pl__intel_want(v, "versions", "changes", PL_JSON_ARRAY, &changes, err)) != PL_OK)
        return rc;
    if (strcmp(status, "affected") != 0)
        return PL_OK;
    /* "All": every version; "10.1 All", "7.0.*": the release line; "11.2 None", "None": none */
    n = strcspn(ver, " ");
    if (strcmp(ver, "All") == 0)
        all = true;
    else if (strcmp(ver + n, " None") == 0 || n > VENDOR_MAX_VERSION)
        return PL_OK;
    else if (ver[n] && strcmp(ver + n, " All") != 0)
        return PL_OK; /* a condition in words */
    snprintf(base, sizeof(base), "%.*s", (int)n, ver);
    line = ver[n] != '\0';
    if (n > 2 && strcmp(base + n - 2, ".*") == 0) {
        base[n - 2] = '\0';
        line = true;
    }
    if (!all && !plain_version(base))
        return PL_OK; /* "None", "" and words: no version */
    if (lt && !plain_version(lt))
        lt = NULL, line = !all; /* "9.0*", "All", "5.1.x": no bound but the line's end */
    if (le && !plain_version(le))
        le = NULL;
    top[0] = '\0';
    if (lt)
        snprintf(top, sizeof(top), "%s", lt);
    for (const struct pl_json *ch = changes ? changes->child : NULL; ch; ch = ch->next) {
        char atb[512];
        const char *at, *st;

        if ((rc = want_trim(ch, "versions.changes", "at", true, atb, sizeof(atb), &at, err)) !=
                PL_OK ||
            (rc = pl__intel_want_str(ch, "versions.changes", "status", true, &st, err)) != PL_OK)
            break;
        if (strcmp(st, "unaffected") != 0)
            continue;
        for (char *p = atb; *p;) {
            size_t k = strcspn(p, ",");
            char one[VENDOR_MAX_VERSION + 1];
            const char *q = p;

            while (isspace((unsigned char)*q))
                q++;
            snprintf(one, sizeof(one), "%.*s", (int)(k - (size_t)(q - p)), q);
            p += k + (p[k] == ',');
            if (!plain_version(one))
                continue; /* "5.1.x (ETA: December 2024)": no fix yet */
            pl_buf_addf(&fixed, "%s%s", fixed.len ? ";" : "", one);
            if (top[0] == '\0' || vcmp(one, top) > 0)
                snprintf(top, sizeof(top), "%s", one);
        }
    }
    if (rc == PL_OK && pl_buf_status(&fixed) != PL_OK)
        rc = pl_error_set(err, PL_E_TOOBIG, "field 'versions.changes': longer than %d bytes",
                          VENDOR_MAX_FIXED);
    if (rc == PL_OK && (r = add_row(&c->b, err)) == NULL)
        rc = PL_E_TOOBIG;
    if (rc == PL_OK) {
        if (top[0] == '\0' && le == NULL) /* every version, a release line, or one version */
            criteria(r->criteria, sizeof(r->criteria), cpe, all ? "" : base, line);
        else {
            criteria(r->criteria, sizeof(r->criteria), cpe, "", false);
            snprintf(r->start, sizeof(r->start), "%s", all ? "" : base);
            if (le && (top[0] == '\0' || vcmp(le, top) >= 0))
                snprintf(r->end_in, sizeof(r->end_in), "%s", le);
            else
                snprintf(r->end_ex, sizeof(r->end_ex), "%s", top);
        }
        if (fixed.len)
            r->fixed_in = pl_xstrdup(pl_buf_cstr(&fixed));
    }
    pl_buf_release(&fixed);
    return rc;
}

static pl_status pan_record(const struct pl_json *rec, uint64_t index, void *data,
                            struct pl_error *err)
{
    struct vctx *c = data;
    const struct pl_json *meta, *affected;
    const char *state;
    pl_time_t at = 0;
    pl_status rc;

    (void)index;
    bulletin_reset(&c->b);
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "want a CVE record object, not %s",
                            pl_json_type_name(rec->type));
    if ((rc = pl__intel_want(rec, NULL, "cveMetadata", PL_JSON_OBJECT, &meta, err)) != PL_OK)
        return rc;
    if (meta == NULL)
        return pl_error_set(err, PL_E_PARSE, "field 'cveMetadata': missing");
    if ((rc = set_id(&c->b, pl_json_get_string(meta, "cveId"), "cveMetadata.cveId", err)) !=
            PL_OK ||
        (rc = pl__intel_want_str(meta, "cveMetadata", "state", false, &state, err)) != PL_OK ||
        (rc = pl__intel_want_time(meta, "cveMetadata", "datePublished", false, &at, err)) != PL_OK)
        return rc;
    if (state && strcmp(state, "PUBLISHED") != 0) {
        c->stats->records++;
        c->stats->withdrawn++;
        return pl_intel_vendor_advisory(c->w, c->origin, c->b.id, NULL, 0, err);
    }
    note_date(c, at, "datePublished");
    if (pl__intel_cve_valid(c->b.id) && (rc = add_vuln(&c->b, c->b.id, err)) != PL_OK)
        return rc;
    if ((rc = pl__intel_want(rec, NULL, "containers", PL_JSON_OBJECT, &affected, err)) != PL_OK)
        return rc;
    affected = pl_json_path(rec, "containers.cna.affected");
    for (const struct pl_json *a = affected && affected->type == PL_JSON_ARRAY ? affected->child
                                                                               : NULL;
         a; a = a->next) {
        const char *cpe = product_cpe(paloalto_products, pl_json_get_string(a, "product"));
        const struct pl_json *versions;

        if (cpe == NULL)
            continue;
        if ((rc = pl__intel_want(a, "affected", "versions", PL_JSON_ARRAY, &versions, err)) !=
            PL_OK)
            return pl__intel_prefix(rc, err, "%s", c->b.id);
        for (const struct pl_json *v = versions ? versions->child : NULL; v; v = v->next)
            if ((rc = pan_version(c, cpe, v, err)) != PL_OK)
                return pl__intel_prefix(rc, err, "%s: affected", c->b.id);
    }
    return bulletin_put(c, err);
}

/* ---- Cisco CSAF ------------------------------------------------------- */

struct leaf {
    const char *id, *version, *cpe;
};

struct leaves {
    struct leaf *v;
    size_t n, cap;
};

static int leaf_cmp(const void *a, const void *b)
{
    return strcmp(((const struct leaf *)a)->id, ((const struct leaf *)b)->id);
}

/* The product_tree's leaves under a product family the table knows. */
static pl_status cisco_walk(const struct pl_json *branches, const char *cpe, struct leaves *l,
                            int depth, struct pl_error *err)
{
    pl_status rc;

    if (depth > 16)
        return pl_error_set(err, PL_E_TOOBIG, "field 'product_tree': nested more than 16 deep");
    for (const struct pl_json *b = branches && branches->type == PL_JSON_ARRAY ? branches->child
                                                                               : NULL;
         b; b = b->next) {
        const char *name = pl_json_get_string(b, "name");
        const char *here = product_cpe(cisco_products, name);
        const char *id = pl_json_string(pl_json_path(b, "product.product_id"));

        if (here == NULL)
            here = cpe;
        if (id && here && name && pl_json_get(b, "branches") == NULL) {
            if (!plain_version(name))
                continue; /* a platform or a named train, not a release */
            if (l->n == VENDOR_MAX_ROWS * 8)
                return pl_error_set(err, PL_E_TOOBIG,
                                    "field 'product_tree': more than %d "
                                    "products",
                                    VENDOR_MAX_ROWS * 8);
            l->v = pl_xgrow(l->v, l->n, &l->cap, 256, sizeof(*l->v));
            l->v[l->n++] = (struct leaf){id, name, here};
        }
        if ((rc = cisco_walk(pl_json_get(b, "branches"), here, l, depth + 1, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

static pl_status cisco_vuln(struct vctx *c, const struct pl_json *v, const struct leaves *l,
                            const char *cve, struct pl_error *err)
{
    const struct pl_json *ka = pl_json_path(v, "product_status.known_affected");
    char crit[sizeof(((struct row *)0)->criteria)];
    size_t i;

    for (const struct pl_json *id = ka && ka->type == PL_JSON_ARRAY ? ka->child : NULL; id;
         id = id->next) {
        struct leaf key = {id->str, NULL, NULL}, *hit;
        struct row *r;

        if (id->type != PL_JSON_STRING)
            return pl_error_set(err, PL_E_PARSE,
                                "field 'vulnerabilities.product_status.known_affected': expected "
                                "strings, got %s",
                                pl_json_type_name(id->type));
        hit = l->n ? bsearch(&key, l->v, l->n, sizeof(*l->v), leaf_cmp) : NULL;
        if (hit == NULL)
            continue;
        criteria(crit, sizeof(crit), hit->cpe, hit->version, false);
        for (i = 0; i < c->b.n_rows; i++) /* one row per release and CVE */
            if (strcmp(c->b.rows[i].criteria, crit) == 0 && c->b.rows[i].vuln == cve)
                break;
        if (i < c->b.n_rows)
            continue;
        if ((r = add_row(&c->b, err)) == NULL)
            return PL_E_TOOBIG;
        memcpy(r->criteria, crit, sizeof(crit));
        r->vuln = cve;
    }
    return PL_OK;
}

static pl_status cisco_record(const struct pl_json *rec, uint64_t index, void *data,
                              struct pl_error *err)
{
    struct vctx *c = data;
    const struct pl_json *track, *vulns;
    struct leaves l = {NULL, 0, 0};
    pl_time_t at = 0;
    pl_status rc;

    (void)index;
    bulletin_reset(&c->b);
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "want a CSAF document object, not %s",
                            pl_json_type_name(rec->type));
    track = pl_json_path(rec, "document.tracking");
    if ((rc = set_id(&c->b, pl_json_get_string(track, "id"), "document.tracking.id", err)) !=
            PL_OK ||
        (rc = pl__intel_want_time(track, "document.tracking", "initial_release_date", false, &at,
                                  err)) != PL_OK)
        return rc;
    note_date(c, at, "initial_release_date");
    if ((rc = pl__intel_want(rec, NULL, "vulnerabilities", PL_JSON_ARRAY, &vulns, err)) != PL_OK)
        return pl__intel_prefix(rc, err, "%s", c->b.id);
    for (const struct pl_json *v = vulns ? vulns->child : NULL; v; v = v->next) {
        const char *cve = pl_json_get_string(v, "cve");

        if (cve && !pl__intel_cve_valid(cve))
            return pl_error_set(err, PL_E_PARSE,
                                "%s: field 'vulnerabilities.cve': '%.40s' is not "
                                "a CVE",
                                c->b.id, cve);
        if (cve && (rc = add_vuln(&c->b, cve, err)) != PL_OK)
            return rc;
    }
    rc = cisco_walk(pl_json_path(rec, "product_tree.branches"), NULL, &l, 0, err);
    if (rc == PL_OK && l.n)
        qsort(l.v, l.n, sizeof(*l.v), leaf_cmp);
    for (const struct pl_json *v = vulns ? vulns->child : NULL; rc == PL_OK && v; v = v->next) {
        const char *cve = pl_json_get_string(v, "cve");

        rc = cisco_vuln(c, v, &l, cve ? cve : c->b.id, err);
    }
    free(l.v);
    if (rc != PL_OK)
        return pl__intel_prefix(rc, err, "%s", c->b.id);
    return bulletin_put(c, err);
}

/* ---- the three kinds --------------------------------------------------- */

static pl_status import(struct pl_store *s, struct pl_reader *r, const struct pl_import_opts *opts,
                        struct pl_import_stats *stats, const char *origin, pl_json_record_fn fn,
                        struct pl_error *err)
{
    struct vctx c;
    struct pl_json_stream_opts jo = {0};
    pl_status rc;

    memset(&c, 0, sizeof(c));
    c.stats = stats;
    c.opts = opts;
    c.origin = origin;
    c.b.origin = origin;
    if ((rc = pl_intel_writer_open(s, opts->feed_id, origin, &c.w, err)) != PL_OK)
        return rc;
    jo.lines = true;
    jo.max_record = VENDOR_MAX_RECORD;
    jo.on_record = fn;
    jo.data = &c;
    rc = pl_json_stream(r, &jo, err);
    if (rc == PL_OK && stats->records == 0)
        rc = pl_error_set(err, PL_E_PARSE, "%s: no advisories", pl_reader_path(r));
    if (rc == PL_OK)
        stats->released = c.newest;
    bulletin_reset(&c.b);
    free(c.b.rows);
    pl_intel_writer_close(c.w);
    return rc;
}

pl_status pl_intel_import_fortinet(struct pl_store *s, struct pl_reader *r,
                                   const struct pl_import_opts *opts, struct pl_import_stats *stats,
                                   struct pl_error *err)
{
    return import(s, r, opts, stats, "fortinet", forti_record, err);
}

pl_status pl_intel_import_paloalto(struct pl_store *s, struct pl_reader *r,
                                   const struct pl_import_opts *opts, struct pl_import_stats *stats,
                                   struct pl_error *err)
{
    return import(s, r, opts, stats, "paloalto", pan_record, err);
}

pl_status pl_intel_import_cisco(struct pl_store *s, struct pl_reader *r,
                                const struct pl_import_opts *opts, struct pl_import_stats *stats,
                                struct pl_error *err)
{
    return import(s, r, opts, stats, "cisco", cisco_record, err);
}

int pl__intel_detect_fortinet(const char *head, size_t n)
{
    (void)n;
    return pl_starts_with(head, "{\"") && strstr(head, "\"Fortinet PSIRT Advisories\"") ? 100 : 0;
}

int pl__intel_detect_paloalto(const char *head, size_t n)
{
    const char *nl = strchr(head, '\n');
    const char *pan = strstr(head, "\"assignerShortName\":\"palo_alto\"");

    (void)n;
    /* JSON lines of CVE JSON 5 records whose first is Palo Alto's and has no ADP container */
    if (!pl_starts_with(head, "{\"") || pan == NULL || (nl && pan > nl))
        return 0;
    for (const char *adp = strstr(head, "\"adp\""); adp; adp = strstr(adp + 1, "\"adp\""))
        if (nl == NULL || adp < nl)
            return 0;
    return 98;
}

int pl__intel_detect_cisco(const char *head, size_t n)
{
    (void)n;
    if (!pl_starts_with(head, "{\"") || strstr(head, "\"csaf_version\"") == NULL)
        return 0;
    return strstr(head, "psirt@cisco.com") || strstr(head, "cisco.com/security/center") ? 99 : 0;
}
