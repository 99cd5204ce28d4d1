/*
 * csaf.c - CSAF 2.0 advisories and VEX documents (Red Hat's layout).
 *
 * The product tree names platforms (product_name with a CPE) and packages
 * (product_version with an RPM NEVRA); relationships join them into the
 * product ids that vulnerabilities[].product_status lists. Each listed id
 * resolves to (ecosystem from the platform CPE, package name, EVR), and
 * becomes one affected row per CVE. A document is read whole (capped by
 * the JSON record limit): its statuses refer back to the product tree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/arena.h"
#include "patchline/clock.h"

#include "distro_int.h"
#include "intel_int.h"

/* A string-keyed open-addressing table over borrowed strings. */
struct map_slot {
    const char *key;
    const struct pl_json *val;
};

struct map {
    struct map_slot *slots;
    size_t cap;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */

    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

static void map_init(struct map *m, size_t n)
{
    m->cap = 16;
    while (m->cap < 2 * n)
        m->cap *= 2;
    m->slots = pl_xcalloc(m->cap, sizeof(*m->slots));
}

static void map_release(struct map *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = 0;
}

static size_t slot(const struct map *m, const char *k)
{
    size_t i = (size_t)hash(k) & (m->cap - 1);

    while (m->slots[i].key && strcmp(m->slots[i].key, k) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void map_put(struct map *m, const char *k, const struct pl_json *v)
{
    size_t i = slot(m, k);

    m->slots[i].key = k;
    m->slots[i].val = v;
}

static const struct pl_json *map_get(const struct map *m, const char *k)
{
    return k && m->cap ? m->slots[slot(m, k)].val : NULL;
}

struct csaf {
    struct pl_advisory_writer *w;
    struct pl_advisory adv;
    struct pl_arena arena;
    struct map products; /* product_id -> product object */
    struct map rels;     /* full product id -> relationship object */
    struct pl_import_stats *stats;
};

static size_t count_products(const struct pl_json *branches)
{
    size_t n = 0;

    for (const struct pl_json *b = branches ? branches->child : NULL; b; b = b->next)
        n += 1 + count_products(pl_json_get(b, "branches"));
    return n;
}

static void index_branches(struct csaf *c, const struct pl_json *branches, int depth)
{
    for (const struct pl_json *b = branches ? branches->child : NULL; b && depth < 16;
         b = b->next) {
        const struct pl_json *p = pl_json_get(b, "product");
        const char *id = pl_json_get_string(p, "product_id");

        if (id)
            map_put(&c->products, id, p);
        index_branches(c, pl_json_get(b, "branches"), depth + 1);
    }
}

static pl_status index_tree(struct csaf *c, const struct pl__where *w, const struct pl_json *tree,
                            struct pl_error *err)
{
    const struct pl_json *branches, *rels;
    pl_status rc;

    if (tree == NULL || tree->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(w, "product_tree", "object", tree, err);
    if ((rc = pl__intel_get_typed(w, tree, "branches", PL_JSON_ARRAY, &branches, err)) != PL_OK ||
        (rc = pl__intel_get_typed(w, tree, "relationships", PL_JSON_ARRAY, &rels, err)) != PL_OK)
        return rc;
    map_init(&c->products, count_products(branches));
    map_init(&c->rels, rels ? rels->len : 0);
    index_branches(c, branches, 0);
    for (const struct pl_json *r = rels ? rels->child : NULL; r; r = r->next) {
        const char *id = pl_json_get_string(pl_json_get(r, "full_product_name"), "product_id");

        if (id)
            map_put(&c->rels, id, r);
    }
    return PL_OK;
}

/* "git-lfs-0:2.13.3-3.el8_6.1.x86_64" -> name, "0:2.13.3-3.el8_6.1", arch. */
static bool split_nevra(struct csaf *c, const char *nevra, const char **name, const char **evr,
                        const char **arch)
{
    const char *dot = strrchr(nevra, '.'), *rel, *ver;
    size_t n;

    if (dot == NULL)
        return false;
    for (rel = dot; rel > nevra && rel[-1] != '-'; rel--)
        ;
    if (rel == nevra)
        return false;
    for (ver = rel - 1; ver > nevra && ver[-1] != '-'; ver--)
        ;
    if (ver == nevra || strchr(ver, ':') == NULL || strchr(ver, ':') > rel)
        return false; /* Red Hat always writes the epoch: NAME-E:V-R.ARCH */
    n = (size_t)(ver - 1 - nevra);
    *name = pl_arena_strndup(&c->arena, nevra, n);
    *evr = pl_arena_strndup(&c->arena, ver, (size_t)(dot - ver));
    *arch = pl_arena_strndup(&c->arena, dot + 1, strlen(dot + 1));
    return *name && *evr && *arch;
}

/* A product id from product_status -> ecosystem, package, EVR (NULL when unversioned). */
static bool resolve(struct csaf *c, const char *fid, const char **eco, const char **pkg,
                    const char **evr, const char **arch)
{
    const struct pl_json *rel = map_get(&c->rels, fid), *plat;
    const char *comp, *cpe, *pname;
    char buf[PL_MAX_NAME_BYTES];
    int hops = 0;

    if (rel == NULL)
        return false;
    plat = map_get(&c->products, pl_json_get_string(rel, "relates_to_product_reference"));
    comp = pl_json_get_string(rel, "product_reference");
    while (comp && map_get(&c->rels, comp) && hops++ < 8) /* a component of a module */
        comp = pl_json_get_string(map_get(&c->rels, comp), "product_reference");
    cpe = pl_json_get_string(pl_json_get(plat, "product_identification_helper"), "cpe");
    if (comp == NULL || cpe == NULL || !pl__intel_ecosystem_from_cpe(cpe, buf, sizeof(buf)))
        return false;
    *eco = pl_arena_strndup(&c->arena, buf, strlen(buf));
    pname = pl_json_get_string(map_get(&c->products, comp), "name");
    if (split_nevra(c, pname ? pname : comp, pkg, evr, arch))
        return *eco != NULL;
    *pkg = comp; /* VEX: a component without a version ("kernel") */
    *evr = *arch = NULL;
    return *eco != NULL;
}

/* Severity and CVSS of one vulnerability. */
static void vuln_scores(struct pl_advisory_vuln *v, const struct pl_json *vul)
{
    const struct pl_json *scores = pl_json_get(vul, "scores");
    const struct pl_json *threats = pl_json_get(vul, "threats");

    for (const struct pl_json *t = threats ? threats->child : NULL; t; t = t->next) {
        const char *cat = pl_json_get_string(t, "category");

        if (cat && strcmp(cat, "impact") == 0 && v->severity == NULL)
            v->severity = pl_json_get_string(t, "details");
    }
    for (const struct pl_json *s = scores ? scores->child : NULL; s; s = s->next) {
        const struct pl_json *cv = pl_json_get(s, "cvss_v3");

        cv = cv ? cv : pl_json_get(s, "cvss_v2");
        if (cv && pl_json_get_string(cv, "vectorString")) {
            v->cvss_vector = pl_json_get_string(cv, "vectorString");
            if (!pl_json_double(pl_json_get(cv, "baseScore"), &v->cvss_score))
                v->cvss_score = -1;
            return;
        }
    }
}

static const char *const status_lists[][2] = {
    {"fixed", "fixed"},
    {"first_fixed", "fixed"},
    {"known_affected", "affected"},
    {"known_not_affected", "not-affected"},
    {"under_investigation", "undetermined"},
};

/* Rows for one status list; binary packages first (pass 0), source RPMs second. */
static pl_status add_list(struct csaf *c, const struct pl__where *w, const struct pl_json *list,
                          const char *field, const char *status, const char *cve,
                          const char *severity, int pass, struct pl_error *err)
{
    for (const struct pl_json *p = list->child; p; p = p->next) {
        const char *eco, *pkg, *evr, *arch;
        struct pl_affected_row *r;

        if (p->type != PL_JSON_STRING || p->len > (size_t)4 * PL_MAX_NAME_BYTES)
            return pl__intel_bad_type(w, field, "array of product ids", p, err);
        if (!resolve(c, p->str, &eco, &pkg, &evr, &arch))
            continue; /* not an RPM on a Red Hat platform: nothing to match on */
        if ((arch && strcmp(arch, "src") == 0) != (pass == 1))
            continue;
        r = pl_advisory_add_row(&c->adv);
        r->vuln_id = cve;
        r->ecosystem = eco;
        r->package = pkg;
        r->package_kind = pass == 1 ? "source" : "binary";
        r->status = status;
        r->severity = severity;
        if (strcmp(status, "fixed") == 0)
            r->fixed = evr;
        else if (strcmp(status, "not-affected") != 0)
            r->last_affected = evr;
    }
    return PL_OK;
}

static pl_status one_vuln(struct csaf *c, const struct pl__where *w, const struct pl_json *vul,
                          struct pl_error *err)
{
    const struct pl_json *ps, *list;
    struct pl_advisory_vuln *v;
    const char *cve;
    pl_status rc;

    if (vul->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(w, "vulnerabilities[]", "object", vul, err);
    if ((rc = pl__intel_get_str(w, vul, "cve", PL_MAX_NAME_BYTES, false, &cve, err)) != PL_OK ||
        (rc = pl__intel_get_typed(w, vul, "product_status", PL_JSON_OBJECT, &ps, err)) != PL_OK)
        return rc;
    if (cve == NULL)
        return PL_OK; /* no CVE: nothing Patchline can match */
    v = pl_advisory_add_vuln(&c->adv, cve);
    vuln_scores(v, vul);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; ps && i < PL_ARRAY_LEN(status_lists); i++) {
            if ((rc = pl__intel_get_typed(w, ps, status_lists[i][0], PL_JSON_ARRAY, &list, err)) !=
                PL_OK)
                return rc;
            if (list && (rc = add_list(c, w, list, status_lists[i][0], status_lists[i][1], cve,
                                       v->severity, pass, err)) != PL_OK)
                return rc;
        }
    }
    return PL_OK;
}

static pl_status get_time(const struct pl__where *w, const struct pl_json *v, const char *key,
                          pl_time_t *out, struct pl_error *err)
{
    const char *s;
    pl_status rc = pl__intel_get_str(w, v, key, 64, false, &s, err);

    *out = 0;
    if (rc == PL_OK && s && pl_time_parse(s, out, NULL) != PL_OK)
        return pl__intel_bad_field(w, key, PL_E_PARSE, err, "'%s' is not a time", s);
    return rc;
}

/* The dates of document.tracking.revision_history[] (checked against the system clock). */
static void note_history(struct csaf *c, const struct pl_json *tracking)
{
    const struct pl_json *hist = pl_json_get(tracking, "revision_history");
    pl_time_t t;

    for (const struct pl_json *h = hist && hist->type == PL_JSON_ARRAY ? hist->child : NULL; h;
         h = h->next) {
        const char *d = pl_json_get_string(h, "date");

        if (d && pl_time_parse(d, &t, NULL) == PL_OK)
            pl__intel_note_date(c->stats, t,
                                "field 'document.tracking.revision_history[].date' of %.40s",
                                c->adv.id);
    }
}

static pl_status document(struct csaf *c, const struct pl_json *root, struct pl_error *err)
{
    struct pl__where w = {NULL, "document", NULL, "document."};
    const struct pl_json *doc = pl_json_get(root, "document"), *tracking, *vulns;
    const char *version;
    pl_status rc;

    if (root->type != PL_JSON_OBJECT || doc == NULL || doc->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(&w, "", "object", doc ? doc : root, err);
    if ((rc = pl__intel_get_str(&w, doc, "csaf_version", 16, true, &version, err)) != PL_OK)
        return rc;
    if (strcmp(version, "2.0") != 0)
        return pl__intel_bad_field(&w, "csaf_version", PL_E_UNSUPPORTED, err, "'%s' is not 2.0",
                                   version);
    tracking = pl_json_get(doc, "tracking");
    if (tracking == NULL || tracking->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(&w, "tracking", "object", tracking, err);
    w.ctx = "document.tracking.";
    if ((rc = pl__intel_get_str(&w, tracking, "id", PL_MAX_NAME_BYTES, true, &c->adv.id, err)) ||
        (rc = get_time(&w, tracking, "current_release_date", &c->adv.modified, err)) ||
        (rc = get_time(&w, tracking, "initial_release_date", &c->adv.published, err)))
        return rc;
    note_history(c, tracking);
    pl__intel_note_date(c->stats, c->adv.published,
                        "field 'document.tracking.initial_release_date' of %.40s", c->adv.id);
    pl__intel_note_date(c->stats, c->adv.modified,
                        "field 'document.tracking.current_release_date' of %.40s", c->adv.id);
    w.name = c->adv.id;
    w.ctx = "document.";
    if ((rc = pl__intel_get_str(&w, doc, "title", PL_MAX_FIELD_BYTES, false, &c->adv.summary, err)))
        return rc;
    c->adv.severity = pl_json_get_string(pl_json_get(doc, "aggregate_severity"), "text");
    w.ctx = NULL;
    if ((rc = index_tree(c, &w, pl_json_get(root, "product_tree"), err)) != PL_OK ||
        (rc = pl__intel_get_typed(&w, root, "vulnerabilities", PL_JSON_ARRAY, &vulns, err)) !=
            PL_OK)
        return rc;
    for (const struct pl_json *v = vulns ? vulns->child : NULL; v; v = v->next)
        if ((rc = one_vuln(c, &w, v, err)) != PL_OK)
            return rc;
    if (pl_arena_status(&c->arena) != PL_OK)
        return pl__intel_bad_field(&w, "product_tree", PL_E_TOOBIG, err, "too many products");
    return PL_OK;
}

static pl_status on_doc(const struct pl_json *root, uint64_t index, void *data,
                        struct pl_error *err)
{
    struct csaf *c = data;
    enum pl_put_result res;
    pl_status rc;

    (void)index;
    pl_advisory_reset(&c->adv);
    rc = document(c, root, err);
    if (rc == PL_OK && (rc = pl_advisory_writer_put(c->w, &c->adv, &res, err)) == PL_OK) {
        pl__intel_count_put(c->stats, res);
        c->stats->records++;
    }
    map_release(&c->products);
    map_release(&c->rels);
    return rc;
}

pl_status pl_intel_import_csaf(struct pl_store *s, struct pl_reader *r,
                               const struct pl_import_opts *opts, struct pl_import_stats *stats,
                               struct pl_error *err)
{
    struct csaf c = {.stats = stats};
    struct pl_json_stream_opts jo = {.records_path = NULL, .on_record = on_doc, .data = &c};
    pl_status rc;

    (void)opts;
    if ((rc = pl_advisory_writer_open(s, &c.w, err)) != PL_OK)
        return rc;
    pl_advisory_init(&c.adv, "csaf");
    pl_arena_init(&c.arena, PL_MAX_ADVISORY_DOC_BYTES);
    jo.max_record = PL_MAX_ADVISORY_DOC_BYTES;
    rc = pl_json_stream(r, &jo, err);
    pl_arena_release(&c.arena);
    pl_advisory_release(&c.adv);
    pl_advisory_writer_close(c.w);
    return rc;
}

/* {"document": {... "csaf_version": ...: both near the start of a CSAF file. */
int pl_intel_detect_csaf(const char *head, size_t n)
{
    bool doc = false, version = false;

    for (size_t k = 0; k + 14 < n; k++) {
        if (strncmp(head + k, "\"document\"", 10) == 0)
            doc = true;
        if (strncmp(head + k, "\"csaf_version\"", 14) == 0)
            version = true;
    }
    return doc && version ? 95 : 0;
}
