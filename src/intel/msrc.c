/*
 * msrc.c - Microsoft's monthly security update documents (MSRC CVRF 1.1
 * XML, and the MSRC API's JSON form of the same documents).
 *
 * A document lists its products (ProductTree/FullProductName: id -> name)
 * and its vulnerabilities; each vulnerability gives per product Microsoft's
 * severity and CVSS, an exploitation statement ("Exploited:Yes"), and vendor
 * fixes: the KB, its kind (SubType), the build it brings the product to
 * (FixedBuild) and the KBs it supersedes. What is stored:
 *  - msrc_updates: every (CVE, product, vendor fix), replaced per document;
 *  - msrc_exploited, and an SSVC exploitation fact (origin "msrc": active
 *    when exploited, poc when publicly disclosed) that policies read;
 *  - a CVE record of origin "msrc" with Microsoft's CVSS vector;
 *  - one advisory per (document, cumulative update), id
 *    "MSRC-2026-Mar-KB5078766", with affected rows in ecosystem "msrc":
 *    package = the product key ("Windows Server 2022"), fixed = the fixed
 *    build. Only updates a build number proves are matched: security
 *    updates, monthly rollups and cumulative updates; hotpatches, security-
 *    only updates, Internet Explorer cumulatives and servicing stack updates
 *    are kept in msrc_updates but not matched (docs/advisories.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/arena.h"
#include "patchline/clock.h"
#include "patchline/store.h"
#include "patchline/xml.h"

#include "core_int.h"
#include "distro_int.h"
#include "intel_int.h"

#define MSRC_ECOSYSTEM "msrc"

struct product {
    const char *id, *name, *key;
};

struct pidval {
    const char *pid, *text; /* severity, or CVSS vector */
    double score;
};

struct fixrow {
    const char *pid, *kb, *subtype, *fixed, *supersedes, *restart, *url;
};

/* One vulnerability as either front end reads it (strings borrowed from its tree). */
struct vuln {
    const char *cve, *title, *exploit;
    unsigned long line;
    struct pidval *sev, *cvss;
    size_t n_sev, cap_sev, n_cvss, cap_cvss;
    struct fixrow *fix;
    size_t n_fix, cap_fix;
};

/* A row for the affected table, kept (in the arena) until the document ends. */
struct cand {
    const char *kb, *subtype, *cve, *key, *fixed, *severity, *vector;
    double score;
    int rank;
};

struct msrc {
    struct pl_store *s;
    const struct pl_import_opts *opts;
    struct pl_import_stats *stats;
    const char *path;
    struct pl_intel_writer *iw;
    struct pl_advisory_writer *aw;
    struct pl_advisory adv;
    struct pl_arena arena; /* one document */
    const char *doc, *title;
    pl_time_t initial, current;
    struct product *products;
    size_t n_products, cap_products;
    bool sorted;
    struct cand *cands;
    size_t n_cands, cap_cands;
    struct vuln v;
};

static const char *adup(struct msrc *m, const char *s)
{
    return s ? pl_arena_strndup(&m->arena, s, strlen(s)) : NULL;
}

/* Trimmed copy in the arena; NULL for NULL or blank. */
static const char *trimdup(struct msrc *m, const char *s)
{
    size_t n;

    if (s == NULL)
        return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return n ? pl_arena_strndup(&m->arena, s, n) : NULL;
}

/* Remove the first occurrence of cut (length n) from buf. */
static bool cut(char *buf, const char *what)
{
    char *p = strstr(buf, what);

    if (p == NULL)
        return false;
    memmove(p, p + strlen(what), strlen(p + strlen(what)) + 1);
    return true;
}

/*
 * The product key of an MSRC product name: " (Server Core installation)"
 * and " for ... Systems" removed, "version" spelled "Version", SQL
 * Server's "(CU 23)" as "(CU)" (the cumulative update train), bare
 * "Windows 10" / "Windows 11" given their first release ("Windows 10
 * Version 1507", "Windows 11 Version 21H2").
 */
bool pl_msrc_product_key(const char *name, char *out, size_t cap)
{
    char *f, *e;
    int n = snprintf(out, cap, "%s", name);

    if (n < 0 || (size_t)n >= cap)
        return false;
    cut(out, " (Server Core installation)");
    while ((f = strstr(out, " for ")) != NULL && (e = strstr(f, " Systems")) != NULL &&
           (size_t)(e - f) < 40)
        memmove(f, e + 8, strlen(e + 8) + 1);
    if ((f = strstr(out, " version ")) != NULL)
        f[1] = 'V';
    /* SQL Server's cumulative update train: "(CU 23)" this month, "(CU 24)" the next */
    if ((f = strstr(out, " (CU ")) != NULL && (e = f + 5, strspn(e, "0123456789") > 0) &&
        strcmp(e + strspn(e, "0123456789"), ")") == 0)
        memcpy(f + 4, ")", 2);
    if (strcmp(out, "Windows 10") == 0)
        return snprintf(out, cap, "Windows 10 Version 1507") < (int)cap;
    if (strcmp(out, "Windows 11") == 0)
        return snprintf(out, cap, "Windows 11 Version 21H2") < (int)cap;
    return true;
}

static int product_cmp(const void *a, const void *b)
{
    return strcmp(((const struct product *)a)->id, ((const struct product *)b)->id);
}

static void add_product(struct msrc *m, const char *id, const char *name)
{
    char key[PL_MAX_NAME_BYTES];
    struct product *p;

    if (id == NULL || name == NULL)
        return;
    m->products = pl_xgrow(m->products, m->n_products, &m->cap_products, 256, sizeof(*p));
    p = &m->products[m->n_products++];
    p->id = trimdup(m, id);
    p->name = trimdup(m, name);
    if (p->name == NULL)
        p->name = p->id;
    p->key = pl_msrc_product_key(p->name ? p->name : "", key, sizeof(key)) ? adup(m, key) : p->name;
    m->sorted = false;
}

static const struct product *find_product(struct msrc *m, const char *id)
{
    struct product k = {id, NULL, NULL};

    if (!m->sorted) {
        qsort(m->products, m->n_products, sizeof(*m->products), product_cmp);
        m->sorted = true;
    }
    return m->n_products ? bsearch(&k, m->products, m->n_products, sizeof(k), product_cmp) : NULL;
}

/* "SecurityHotpatchUpdate" -> "Security Hotpatch Update"; other spellings kept. */
static const char *norm_subtype(struct msrc *m, const char *s)
{
    char buf[128];
    size_t o = 0;

    if (s == NULL || (s = trimdup(m, s)) == NULL)
        return NULL;
    for (size_t i = 0; s[i] && o + 2 < sizeof(buf); i++) {
        if (i > 0 && s[i] >= 'A' && s[i] <= 'Z' && s[i - 1] >= 'a' && s[i - 1] <= 'z')
            buf[o++] = ' ';
        buf[o++] = s[i];
    }
    buf[o] = '\0';
    return adup(m, buf);
}

/*
 * Rank of a fix kind for matching by build: 0 cumulative (security update,
 * monthly rollup, cumulative update), 1 other updates, -1 not matched.
 */
static int subtype_rank(const char *st)
{
    static const char *const cumulative[] = {"Security Update", "Monthly Rollup",
                                             "Cumulative Update"};
    static const char *const other[] = {"Update", "Standalone", "Alternate Cumulative"};

    if (st == NULL)
        return 1;
    for (size_t i = 0; i < PL_ARRAY_LEN(cumulative); i++)
        if (strcmp(st, cumulative[i]) == 0)
            return 0;
    for (size_t i = 0; i < PL_ARRAY_LEN(other); i++)
        if (strcmp(st, other[i]) == 0)
            return 1;
    return -1;
}

/* A build or product version: digits with at least two dots, nothing else. */
static bool build_valid(const char *s)
{
    int dots = 0;

    if (s == NULL || !(*s >= '0' && *s <= '9'))
        return false;
    for (; *s; s++) {
        if (*s == '.') {
            if (s[1] < '0' || s[1] > '9')
                return false;
            dots++;
        } else if (*s < '0' || *s > '9') {
            return false;
        }
    }
    return dots >= 2;
}

/* "5078766" -> "KB5078766"; other fix texts as they are. */
static const char *kb_name(struct msrc *m, const char *d)
{
    char buf[32];

    if ((d = trimdup(m, d)) == NULL)
        return NULL;
    if (strspn(d, "0123456789") == strlen(d) && strlen(d) < 20) {
        snprintf(buf, sizeof(buf), "KB%s", d);
        return adup(m, buf);
    }
    return d;
}

/* "5068403; 5066791" -> "KB5068403, KB5066791"; NULL for none. */
static const char *supersedes(struct msrc *m, const char *s)
{
    struct pl_buf b = PL_BUF_INIT(4096);
    const char *out;

    for (const char *p = s ? s : ""; *p;) {
        size_t n = strspn(p, "0123456789");

        if (n) {
            if (b.len)
                pl_buf_adds(&b, ", ");
            pl_buf_adds(&b, "KB");
            pl_buf_add(&b, p, n);
            p += n;
        } else {
            p++;
        }
    }
    out = b.len ? adup(m, pl_buf_cstr(&b)) : trimdup(m, s);
    pl_buf_release(&b);
    return out;
}

static const struct pidval *pid_find(const struct pidval *a, size_t n, const char *pid)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].pid, pid) == 0)
            return &a[i];
    return n ? &a[0] : NULL; /* scores and severities given once for all products */
}

static const char *cvss_version(const char *vector)
{
    if (vector && strncmp(vector, "CVSS:3.1/", 9) == 0)
        return "3.1";
    if (vector && strncmp(vector, "CVSS:3.0/", 9) == 0)
        return "3.0";
    if (vector && strncmp(vector, "CVSS:4.0/", 9) == 0)
        return "4.0";
    return NULL;
}

/* The record, CVSS and SSVC facts of one vulnerability (origin "msrc"). */
static pl_status put_facts(struct msrc *m, const struct vuln *v, struct pl_error *err)
{
    struct pl_vuln_record rec = {.cve = v->cve,
                                 .origin = "msrc",
                                 .assigner = "microsoft",
                                 .summary = v->title,
                                 .published = m->initial,
                                 .modified = m->current ? m->current : m->initial};
    enum pl_intel_outcome out;
    bool disclosed, exploited;
    pl_status rc;

    if ((rc = pl_intel_put_record(m->iw, &rec, &out, err)) != PL_OK)
        return rc;
    if (out == PL_INTEL_UNCHANGED)
        return PL_OK;
    for (size_t i = 0; i < v->n_cvss; i++) {
        const char *ver = cvss_version(v->cvss[i].text);
        struct pl_cvss_entry c = {.version = ver,
                                  .source = "secure@microsoft.com",
                                  .source_type = "cna",
                                  .vector = v->cvss[i].text,
                                  .base_score = v->cvss[i].score,
                                  .has_score = v->cvss[i].score >= 0};

        if (ver == NULL)
            continue;
        if ((rc = pl_intel_put_cvss(m->iw, v->cve, "msrc", &c, err)) != PL_OK)
            return rc;
        break; /* one vector per CVE: Microsoft gives the same one for every product */
    }
    if (v->exploit == NULL)
        return PL_OK;
    exploited = strstr(v->exploit, "Exploited:Yes") != NULL;
    disclosed = strstr(v->exploit, "Publicly Disclosed:Yes") != NULL;
    if (exploited || disclosed) {
        struct pl_ssvc_entry e = {.role = "Microsoft",
                                  .version = NULL,
                                  .exploitation = exploited ? "active" : "poc",
                                  .assessed = m->current ? m->current : m->initial};

        if ((rc = pl_intel_put_ssvc(m->iw, v->cve, "msrc", &e, err)) != PL_OK)
            return rc;
    }
    {
        const char *a = strstr(v->exploit, "Latest Software Release:");
        char assess[96] = "";
        struct pl_msrc_exploit x = {.cve = v->cve,
                                    .document = m->doc,
                                    .released = m->current ? m->current : m->initial,
                                    .publicly_disclosed = disclosed,
                                    .exploited = exploited,
                                    .assessment = NULL};

        if (a) {
            snprintf(assess, sizeof(assess), "%.*s", (int)strcspn(a + 24, ";"), a + 24);
            x.assessment = assess[0] ? assess : NULL;
        }
        return pl_store_msrc_exploit_put(m->s, m->opts->feed_id, &x, err);
    }
}

static pl_status vuln_emit(struct msrc *m, const struct vuln *v, struct pl_error *err)
{
    pl_status rc;

    if (v->cve == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s:%lu: element 'Vulnerability': no CVE", m->path,
                            v->line);
    if (!pl__intel_cve_valid(v->cve)) {
        if (strncmp(v->cve, "ADV", 3) == 0)
            return PL_OK; /* Microsoft advisories (ADV200001) are not CVEs: not matched */
        return pl_error_set(err, PL_E_PARSE,
                            "%s:%lu: element 'Vulnerability': field 'CVE': '%.40s' is not a CVE id",
                            m->path, v->line, v->cve);
    }
    m->stats->records++;
    if ((rc = put_facts(m, v, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < v->n_fix; i++) {
        const struct fixrow *f = &v->fix[i];
        const struct product *p = find_product(m, f->pid);
        const struct pidval *sev = pid_find(v->sev, v->n_sev, f->pid);
        const struct pidval *cv = pid_find(v->cvss, v->n_cvss, f->pid);
        struct pl_msrc_update u = {.document = m->doc,
                                   .cve = v->cve,
                                   .product_id = f->pid,
                                   .product = p ? p->name : f->pid,
                                   .product_key = p ? p->key : f->pid,
                                   .kb = f->kb,
                                   .subtype = f->subtype,
                                   .fixed_build = f->fixed,
                                   .supersedes = f->supersedes,
                                   .restart = f->restart,
                                   .severity = sev ? sev->text : NULL,
                                   .cvss_vector = cv ? cv->text : NULL,
                                   .url = f->url,
                                   .cvss_score = cv ? cv->score : -1,
                                   .released = m->current ? m->current : m->initial};
        int rank = subtype_rank(f->subtype);

        if (f->kb == NULL)
            continue;
        if ((rc = pl_store_msrc_put(m->s, m->opts->feed_id, &u, err)) != PL_OK)
            return rc;
        if (rank >= 0 && build_valid(f->fixed) && strncmp(f->kb, "KB", 2) == 0) {
            struct cand *c;

            m->cands = pl_xgrow(m->cands, m->n_cands, &m->cap_cands, 1024, sizeof(*c));
            c = &m->cands[m->n_cands++];
            *c = (struct cand){adup(m, f->kb),         adup(m, f->subtype), adup(m, v->cve),
                               adup(m, u.product_key), adup(m, f->fixed),   adup(m, u.severity),
                               adup(m, u.cvss_vector), u.cvss_score,        rank};
        }
    }
    return pl_arena_status(&m->arena) == PL_OK
               ? PL_OK
               : pl_error_set(err, PL_E_TOOBIG, "%s: document '%s': too large", m->path, m->doc);
}

static int cand_cmp(const void *pa, const void *pb)
{
    const struct cand *a = pa, *b = pb;
    int c;

    if (a->rank != b->rank)
        return a->rank - b->rank;
    if ((c = strcmp(a->kb, b->kb)) != 0 || (c = strcmp(a->cve, b->cve)) != 0 ||
        (c = strcmp(a->key, b->key)) != 0)
        return c;
    return strcmp(a->fixed, b->fixed);
}

static int sev_level(const char *s)
{
    static const char *const order[] = {"Low", "Moderate", "Important", "Critical"};

    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, order[i]) == 0)
            return i + 1;
    return 0;
}

/* One advisory per cumulative update of the document, with its affected rows. */
static pl_status doc_finish(struct msrc *m, struct pl_error *err)
{
    char id[PL_MAX_NAME_BYTES], summary[512];
    pl_status rc = PL_OK;

    qsort(m->cands, m->n_cands, sizeof(*m->cands), cand_cmp);
    for (size_t i = 0; rc == PL_OK && i < m->n_cands;) {
        size_t j = i;
        enum pl_put_result res;
        const char *worst = NULL;

        pl_advisory_reset(&m->adv);
        snprintf(id, sizeof(id), "MSRC-%s-%s", m->doc, m->cands[i].kb);
        snprintf(summary, sizeof(summary), "%s %s (%s)", m->cands[i].kb,
                 m->cands[i].subtype ? m->cands[i].subtype : "update",
                 m->title ? m->title : m->doc);
        m->adv.id = id;
        m->adv.summary = summary;
        m->adv.published = m->initial;
        m->adv.modified = m->current ? m->current : m->initial;
        for (; j < m->n_cands && m->cands[j].rank == m->cands[i].rank &&
               strcmp(m->cands[j].kb, m->cands[i].kb) == 0;
             j++) {
            const struct cand *c = &m->cands[j], *prev = j > i ? &m->cands[j - 1] : NULL;
            struct pl_affected_row *row;

            if (prev && strcmp(prev->cve, c->cve) == 0 && strcmp(prev->key, c->key) == 0 &&
                strcmp(prev->fixed, c->fixed) == 0)
                continue;
            if (prev == NULL || strcmp(prev->cve, c->cve) != 0) {
                struct pl_advisory_vuln *av = pl_advisory_add_vuln(&m->adv, c->cve);

                av->severity = c->severity;
                av->cvss_vector = c->vector;
                av->cvss_score = c->score;
            }
            if (sev_level(c->severity) > sev_level(worst))
                worst = c->severity;
            row = pl_advisory_add_row(&m->adv);
            row->vuln_id = c->cve;
            row->ecosystem = MSRC_ECOSYSTEM;
            row->package = c->key;
            row->package_kind = "binary";
            row->status = "fixed";
            row->fixed = c->fixed;
            row->severity = c->severity;
        }
        m->adv.severity = worst;
        if ((rc = pl_advisory_writer_put(m->aw, &m->adv, &res, err)) == PL_OK)
            pl__intel_count_put(m->stats, res);
        i = j;
    }
    return rc;
}

static pl_status doc_time(struct msrc *m, const char *s, const char *field, pl_time_t *out,
                          unsigned long line, struct pl_error *err)
{
    char buf[64];

    *out = 0;
    if (s == NULL)
        return PL_OK;
    /* MSRC writes local-less times ("2026-03-10T07:00:00"): they are UTC */
    snprintf(buf, sizeof(buf), "%s%s", s,
             strchr(s, 'Z') || strchr(s + (strlen(s) > 19 ? 19 : strlen(s)), '+') ? "" : "Z");
    if (pl_time_parse(buf, out, NULL) != PL_OK)
        return pl_error_set(err, PL_E_PARSE, "%s:%lu: element '%s': '%.40s' is not a time", m->path,
                            line, field, s);
    pl__intel_note_date(m->stats, *out, "element '%s' of %.40s", field, m->doc ? m->doc : "");
    return PL_OK;
}

static pl_status doc_begin(struct msrc *m, const char *id, const char *initial, const char *current,
                           unsigned long line, struct pl_error *err)
{
    pl_status rc;

    if ((m->doc = trimdup(m, id)) == NULL)
        return pl_error_set(err, PL_E_PARSE,
                            "%s:%lu: element 'DocumentTracking': no Identification/ID", m->path,
                            line);
    if (strlen(m->doc) > 40 || strspn(m->doc, "0123456789abcdefghijklmnopqrstuvwxyz"
                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_") != strlen(m->doc))
        return pl_error_set(err, PL_E_PARSE, "%s:%lu: element 'ID': '%.40s' is not a document id",
                            m->path, line, m->doc);
    if ((rc = doc_time(m, initial, "InitialReleaseDate", &m->initial, line, err)) != PL_OK ||
        (rc = doc_time(m, current, "CurrentReleaseDate", &m->current, line, err)) != PL_OK)
        return rc;
    snprintf(m->stats->version, sizeof(m->stats->version), "%s", m->doc);
    if (m->current > m->stats->released)
        m->stats->released = m->current;
    return pl_store_msrc_clear(m->s, m->doc, err);
}

static void vuln_reset(struct vuln *v)
{
    v->cve = v->title = v->exploit = NULL;
    v->n_sev = v->n_cvss = v->n_fix = 0;
    v->line = 0;
}

static void vuln_release(struct vuln *v)
{
    free(v->sev);
    free(v->cvss);
    free(v->fix);
}

static void add_pidval(struct pidval **a, size_t *n, size_t *cap, const char *pid, const char *text,
                       double score)
{
    *a = pl_xgrow(*a, *n, cap, 16, sizeof(**a));
    (*a)[(*n)++] = (struct pidval){pid, text, score};
}

/* ---- CVRF XML ---------------------------------------------------------- */

static const char *ntext(const struct pl_xml_node *n)
{
    return n && n->text_len ? n->text : NULL;
}

static pl_status xml_vuln(struct msrc *m, const struct pl_xml_node *t, struct pl_error *err)
{
    struct vuln *v = &m->v;
    const struct pl_xml_node *sec, *e, *p;

    vuln_reset(v);
    v->line = t->line;
    v->cve = trimdup(m, pl_xml_child_text(t, "CVE"));
    v->title = ntext(pl_xml_child(t, "Title"));
    if ((sec = pl_xml_child(t, "Threats")) != NULL)
        for (e = pl_xml_child(sec, "Threat"); e; e = pl_xml_sibling(e, "Threat")) {
            const char *type = pl_xml_node_attr(e, "Type");
            const char *d = ntext(pl_xml_child(e, "Description"));

            if (type == NULL || d == NULL)
                continue;
            if (strcmp(type, "Exploit Status") == 0)
                v->exploit = d;
            else if (strcmp(type, "Severity") == 0)
                for (p = pl_xml_child(e, "ProductID"); p; p = pl_xml_sibling(p, "ProductID"))
                    if (ntext(p))
                        add_pidval(&v->sev, &v->n_sev, &v->cap_sev, p->text, d, -1);
        }
    if ((sec = pl_xml_child(t, "CVSSScoreSets")) != NULL)
        for (e = pl_xml_child(sec, "ScoreSet"); e; e = pl_xml_sibling(e, "ScoreSet")) {
            const char *vec = ntext(pl_xml_child(e, "Vector")),
                       *bs = ntext(pl_xml_child(e, "BaseScore"));
            char *end = NULL;
            double score = bs ? strtod(bs, &end) : -1;

            if (bs && (end == bs || *end != '\0' || score < 0 || score > 10))
                return pl_error_set(err, PL_E_PARSE,
                                    "%s:%lu: element 'BaseScore': '%.20s' is "
                                    "not a CVSS score",
                                    m->path, e->line, bs);
            for (p = pl_xml_child(e, "ProductID"); vec && p; p = pl_xml_sibling(p, "ProductID"))
                if (ntext(p))
                    add_pidval(&v->cvss, &v->n_cvss, &v->cap_cvss, p->text, vec, score);
        }
    if ((sec = pl_xml_child(t, "Remediations")) != NULL)
        for (e = pl_xml_child(sec, "Remediation"); e; e = pl_xml_sibling(e, "Remediation")) {
            const char *type = pl_xml_node_attr(e, "Type");
            struct fixrow f;

            if (type == NULL || strcmp(type, "Vendor Fix") != 0)
                continue;
            f.kb = kb_name(m, ntext(pl_xml_child(e, "Description")));
            f.subtype = norm_subtype(m, ntext(pl_xml_child(e, "SubType")));
            f.fixed = trimdup(m, ntext(pl_xml_child(e, "FixedBuild")));
            f.supersedes = supersedes(m, ntext(pl_xml_child(e, "Supercedence")));
            f.restart = trimdup(m, ntext(pl_xml_child(e, "RestartRequired")));
            f.url = trimdup(m, ntext(pl_xml_child(e, "URL")));
            for (p = pl_xml_child(e, "ProductID"); p; p = pl_xml_sibling(p, "ProductID"))
                if (ntext(p)) {
                    v->fix = pl_xgrow(v->fix, v->n_fix, &v->cap_fix, 16, sizeof(*v->fix));
                    f.pid = p->text;
                    v->fix[v->n_fix++] = f;
                }
        }
    return vuln_emit(m, v, err);
}

static pl_status xml_import(struct msrc *m, struct pl_reader *r, struct pl_error *err)
{
    struct pl_xml_opts o = {0, (size_t)16 * 1024 * 1024, 0};
    const struct pl_xml_node *t;
    struct pl_xml *x;
    bool found, root = true;
    pl_status rc;

    if ((rc = pl_xml_open(r, &o, &x, err)) != PL_OK)
        return rc;
    while ((rc = pl_xml_next(x, NULL, &found, err)) == PL_OK && found) {
        const char *name = pl_xml_name(x);
        unsigned long line = pl_xml_line(x);

        if (root) {
            root = false;
            if (strcmp(name, "cvrfdoc") != 0) {
                rc = pl_error_set(err, PL_E_PARSE,
                                  "%s:%lu: root element '%.40s' is not 'cvrfdoc' (not an MSRC "
                                  "CVRF document)",
                                  m->path, line, name);
                break;
            }
            continue;
        }
        if (strcmp(name, "DocumentTitle") == 0 && pl_xml_depth(x) == 1) {
            if ((rc = pl_xml_tree(x, &t, err)) != PL_OK)
                break;
            m->title = trimdup(m, ntext(t));
        } else if (strcmp(name, "DocumentTracking") == 0) {
            const struct pl_xml_node *ident;

            if ((rc = pl_xml_tree(x, &t, err)) != PL_OK)
                break;
            ident = pl_xml_child(t, "Identification");
            rc = doc_begin(m, ident ? pl_xml_child_text(ident, "ID") : NULL,
                           ntext(pl_xml_child(t, "InitialReleaseDate")),
                           ntext(pl_xml_child(t, "CurrentReleaseDate")), t->line, err);
            if (rc != PL_OK)
                break;
        } else if (strcmp(name, "FullProductName") == 0) {
            if ((rc = pl_xml_tree(x, &t, err)) != PL_OK)
                break;
            if (pl_xml_node_attr(t, "ProductID") == NULL) {
                rc = pl_error_set(err, PL_E_PARSE,
                                  "%s:%lu: element 'FullProductName': no ProductID attribute",
                                  m->path, t->line);
                break;
            }
            add_product(m, pl_xml_node_attr(t, "ProductID"), ntext(t));
        } else if (strcmp(name, "Vulnerability") == 0) {
            if (m->doc == NULL) {
                rc = pl_error_set(err, PL_E_PARSE,
                                  "%s:%lu: element 'Vulnerability' before 'DocumentTracking'",
                                  m->path, line);
                break;
            }
            if ((rc = pl_xml_tree(x, &t, err)) != PL_OK || (rc = xml_vuln(m, t, err)) != PL_OK)
                break;
        }
    }
    pl_xml_close(x);
    if (rc == PL_OK && m->doc == NULL)
        rc = pl_error_set(err, PL_E_PARSE, "%s: no element 'DocumentTracking'", m->path);
    return rc == PL_OK ? doc_finish(m, err) : rc;
}

/* ---- MSRC API JSON ------------------------------------------------------ */

/* {"Value": "x"} or "x". */
static const char *jval(const struct pl_json *v)
{
    if (v == NULL)
        return NULL;
    if (v->type == PL_JSON_STRING)
        return v->str;
    return pl_json_get_string(v, "Value");
}

/* A number or a numeric string as text ("Type": 2 or "2"). */
static bool jtype(const struct pl_json *o, const char *name, int num)
{
    const struct pl_json *t = pl_json_get(o, "Type");
    int64_t n;

    if (t == NULL)
        return false;
    if (t->type == PL_JSON_STRING)
        return strcmp(t->str, name) == 0;
    return pl_json_int(t, &n) && n == num;
}

static void json_products(struct msrc *m, const struct pl_json *v)
{
    if (v == NULL)
        return;
    if (v->type == PL_JSON_ARRAY) {
        for (const struct pl_json *e = v->child; e; e = e->next)
            json_products(m, e);
        return;
    }
    if (v->type != PL_JSON_OBJECT)
        return;
    if (pl_json_get_string(v, "ProductID") && pl_json_get_string(v, "Value"))
        add_product(m, pl_json_get_string(v, "ProductID"), pl_json_get_string(v, "Value"));
    json_products(m, pl_json_get(v, "FullProductName"));
    json_products(m, pl_json_get(v, "Branch"));
    json_products(m, pl_json_get(v, "Items"));
}

static pl_status json_vuln(struct msrc *m, const struct pl_json *j, size_t index,
                           struct pl_error *err)
{
    struct vuln *v = &m->v;
    const struct pl_json *a, *p;

    vuln_reset(v);
    v->line = (unsigned long)index;
    if (j->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: Vulnerability[%zu]: expected an object, got %s",
                            m->path, index, pl_json_type_name(j->type));
    v->cve = trimdup(m, jval(pl_json_get(j, "CVE")));
    v->title = jval(pl_json_get(j, "Title"));
    if (v->cve == NULL || !pl__intel_cve_valid(v->cve)) {
        if (v->cve && strncmp(v->cve, "ADV", 3) == 0)
            return PL_OK;
        return pl_error_set(err, PL_E_PARSE, "%s: Vulnerability[%zu]: field 'CVE': %s", m->path,
                            index, v->cve ? "not a CVE id" : "missing");
    }
    for (a = (p = pl_json_get(j, "Threats")) && p->type == PL_JSON_ARRAY ? p->child : NULL; a;
         a = a->next) {
        const char *d = jval(pl_json_get(a, "Description"));
        const struct pl_json *ids = pl_json_get(a, "ProductID");

        if (d == NULL)
            continue;
        if (jtype(a, "Exploit Status", 1))
            v->exploit = d;
        else if (jtype(a, "Severity", 3))
            for (p = ids && ids->type == PL_JSON_ARRAY ? ids->child : NULL; p; p = p->next)
                if (p->type == PL_JSON_STRING)
                    add_pidval(&v->sev, &v->n_sev, &v->cap_sev, p->str, d, -1);
    }
    for (a = (p = pl_json_get(j, "CVSSScoreSets")) && p->type == PL_JSON_ARRAY ? p->child : NULL; a;
         a = a->next) {
        const char *vec = jval(pl_json_get(a, "Vector"));
        const struct pl_json *ids = pl_json_get(a, "ProductID");
        double score = -1;

        if (pl_json_get(a, "BaseScore") && !pl_json_double(pl_json_get(a, "BaseScore"), &score))
            return pl_error_set(err, PL_E_PARSE,
                                "%s: Vulnerability[%zu] %s: field 'BaseScore': not a number",
                                m->path, index, v->cve);
        for (p = ids && ids->type == PL_JSON_ARRAY ? ids->child : NULL; vec && p; p = p->next)
            if (p->type == PL_JSON_STRING)
                add_pidval(&v->cvss, &v->n_cvss, &v->cap_cvss, p->str, vec, score);
    }
    for (a = (p = pl_json_get(j, "Remediations")) && p->type == PL_JSON_ARRAY ? p->child : NULL; a;
         a = a->next) {
        const struct pl_json *ids = pl_json_get(a, "ProductID");
        struct fixrow f;

        if (!jtype(a, "Vendor Fix", 2))
            continue;
        f.kb = kb_name(m, jval(pl_json_get(a, "Description")));
        f.subtype = norm_subtype(m, jval(pl_json_get(a, "SubType")));
        f.fixed = trimdup(m, jval(pl_json_get(a, "FixedBuild")));
        f.supersedes = supersedes(m, jval(pl_json_get(a, "Supercedence")));
        f.restart = trimdup(m, jval(pl_json_get(a, "RestartRequired")));
        f.url = trimdup(m, jval(pl_json_get(a, "URL")));
        for (p = ids && ids->type == PL_JSON_ARRAY ? ids->child : NULL; p; p = p->next)
            if (p->type == PL_JSON_STRING) {
                v->fix = pl_xgrow(v->fix, v->n_fix, &v->cap_fix, 16, sizeof(*v->fix));
                f.pid = p->str;
                v->fix[v->n_fix++] = f;
            }
    }
    return vuln_emit(m, v, err);
}

static pl_status on_json_doc(const struct pl_json *root, uint64_t index, void *data,
                             struct pl_error *err)
{
    struct msrc *m = data;
    const struct pl_json *trk = pl_json_get(root, "DocumentTracking"), *vulns;
    size_t i = 0;
    pl_status rc;

    (void)index;
    if (root->type != PL_JSON_OBJECT || trk == NULL || trk->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: field 'DocumentTracking': missing", m->path);
    m->title = trimdup(m, jval(pl_json_get(root, "DocumentTitle")));
    if ((rc = doc_begin(m, jval(pl_json_path(trk, "Identification.ID")),
                        jval(pl_json_get(trk, "InitialReleaseDate")),
                        jval(pl_json_get(trk, "CurrentReleaseDate")), 1, err)) != PL_OK)
        return rc;
    json_products(m, pl_json_get(root, "ProductTree"));
    vulns = pl_json_get(root, "Vulnerability");
    if (vulns && vulns->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE, "%s: field 'Vulnerability': expected an array, got %s",
                            m->path, pl_json_type_name(vulns->type));
    for (const struct pl_json *v = vulns ? vulns->child : NULL; v; v = v->next, i++)
        if ((rc = json_vuln(m, v, i, err)) != PL_OK)
            return rc;
    return doc_finish(m, err);
}

/* Whether the file at path is the JSON form: its first non-blank byte is '{' (read apart). */
static bool json_form(const char *path)
{
    struct pl_error e = PL_ERROR_INIT;
    struct pl_reader *r;
    char head[256];
    size_t n = 0;
    bool json;

    if (path == NULL || strcmp(path, "-") == 0 || pl_reader_open(path, 0, &r, &e) != PL_OK)
        return false; /* standard input: XML */
    if (pl_reader_read(r, head, sizeof(head) - 1, &n, &e) != PL_OK)
        n = 0;
    pl_reader_close(r);
    head[n] = '\0';
    json = head[strspn(head, " \t\r\n\xef\xbb\xbf")] == '{';
    return json;
}

pl_status pl_intel_import_msrc(struct pl_store *s, struct pl_reader *r,
                               const struct pl_import_opts *opts, struct pl_import_stats *stats,
                               struct pl_error *err)
{
    struct msrc m = {.s = s, .opts = opts, .stats = stats, .path = pl_reader_path(r)};
    pl_status rc;

    if ((rc = pl_intel_writer_open(s, opts->feed_id, "msrc", &m.iw, err)) != PL_OK)
        return rc;
    if ((rc = pl_advisory_writer_open(s, &m.aw, err)) != PL_OK) {
        pl_intel_writer_close(m.iw);
        return rc;
    }
    pl_advisory_init(&m.adv, "msrc");
    pl_arena_init(&m.arena, PL_MAX_ADVISORY_DOC_BYTES);
    if (json_form(m.path)) {
        struct pl_json_stream_opts jo = {.records_path = NULL,
                                         .on_record = on_json_doc,
                                         .data = &m,
                                         .max_record = PL_MAX_ADVISORY_DOC_BYTES};

        rc = pl_json_stream(r, &jo, err);
    } else {
        rc = xml_import(&m, r, err);
    }
    vuln_release(&m.v);
    free(m.products);
    free(m.cands);
    pl_arena_release(&m.arena);
    pl_advisory_release(&m.adv);
    pl_advisory_writer_close(m.aw);
    pl_intel_writer_close(m.iw);
    return rc;
}

/* "<cvrf:cvrfdoc" (XML) or the JSON form's "DocumentTracking" with a product tree. */
int pl_intel_detect_msrc(const char *head, size_t n)
{
    (void)n;
    if (strstr(head, "cvrfdoc") && strstr(head, "icasi.org/CVRF"))
        return 100;
    if (strstr(head, "\"DocumentTracking\"") &&
        (strstr(head, "\"ProductTree\"") || strstr(head, "\"DocumentTitle\"")))
        return 90;
    return 0;
}
