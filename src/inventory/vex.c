/*
 * vex.c - import OpenVEX documents and CSAF 2.0 VEX documents
 * (category csaf_vex) as VEX statements (vex_statements), as CycloneDX VEX
 * is (cyclonedx.c). States are kept in CycloneDX's words: OpenVEX
 * not_affected / affected / fixed / under_investigation and CSAF
 * known_not_affected / known_affected / fixed / under_investigation become
 * not_affected / exploitable / resolved / in_triage. A statement's product
 * is a package URL (or a name); a product that names an asset Patchline
 * knows (OpenVEX subcomponents of an image, CSAF "default_component_of" a
 * platform) scopes the statement to that asset. The matching stage decides
 * findings with them (match/witness.c). A document is read whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"

#include "scan_int.h"

struct vex {
    struct scan sc;
    const char *format, *doc_id;
    pl_time_t doc_time;
};

static const char *state_of(const char *s)
{
    static const char *const map[][2] = {
        {"not_affected", "not_affected"},
        {"known_not_affected", "not_affected"},
        {"affected", "exploitable"},
        {"known_affected", "exploitable"},
        {"fixed", "resolved"},
        {"first_fixed", "resolved"},
        {"under_investigation", "in_triage"},
    };

    for (size_t i = 0; s && i < PL_ARRAY_LEN(map); i++)
        if (strcmp(s, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* The asset a product id names (its name), 0 when none. */
static int64_t asset_of(struct vex *v, const char *product)
{
    struct pl_error e = PL_ERROR_INIT;
    int64_t id = 0;

    if (product == NULL || pl_store_asset_resolve(v->sc.s, product, &id, &e) != PL_OK)
        return 0;
    return id;
}

static pl_status put(struct vex *v, const char *where, struct pl_vex_statement *st,
                     struct pl_error *err)
{
    pl_status rc;

    if ((rc = pl__inventory_scan_check(&v->sc, where, "vulnerability", st->vuln_id,
                                       strlen(st->vuln_id), SCAN_TOKEN, err)) != PL_OK ||
        (rc = pl__inventory_scan_check(&v->sc, where, "product", st->product, strlen(st->product),
                                       SCAN_NAME, err)) != PL_OK)
        return rc;
    st->source = v->doc_id;
    st->format = v->format;
    if (st->stated_at == 0)
        st->stated_at = v->doc_time;
    if ((rc = pl_store_vex_put(v->sc.s, st, v->sc.now, err)) != PL_OK)
        return pl_error_prefix(err, "%s", v->sc.path);
    v->sc.stats->vulns++;
    return PL_OK;
}

/* ---- OpenVEX -------------------------------------------------------------- */

static const char *id_of(const struct pl_json *p)
{
    return p && p->type == PL_JSON_STRING ? p->str : pl_json_get_string(p, "@id");
}

static pl_status openvex_statement(struct vex *v, const char *where, const struct pl_json *s,
                                   struct pl_error *err)
{
    const struct pl_json *vul = pl_json_get(s, "vulnerability"),
                         *prods = pl_json_get(s, "products");
    struct pl_vex_statement st;
    const char *status, *when;
    pl_status rc;

    memset(&st, 0, sizeof(st));
    if ((rc = pl__inventory_scan_str(&v->sc, where, s, "status", SCAN_TOKEN, &status, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_type(&v->sc, where, s, "products", PL_JSON_ARRAY, false, err)) !=
            PL_OK)
        return rc;
    st.vuln_id = vul && vul->type == PL_JSON_STRING ? vul->str : pl_json_get_string(vul, "name");
    if (st.vuln_id == NULL || st.vuln_id[0] == '\0')
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'vulnerability': missing", v->sc.path,
                            where);
    if ((st.state = state_of(status)) == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'status': unknown status '%s'",
                            v->sc.path, where, status ? status : "(missing)");
    st.justification = pl_json_get_string(s, "justification");
    st.detail = pl_json_get_string(s, "impact_statement");
    st.response = pl_json_get_string(s, "action_statement");
    when = pl_json_get_string(s, "timestamp");
    if (!pl__inventory_scan_time(when, &st.stated_at))
        st.stated_at = 0;
    for (const struct pl_json *p = prods->child; p; p = p->next) {
        const struct pl_json *subs = pl_json_get(p, "subcomponents");
        const char *pid = id_of(p);

        if (pid == NULL || pid[0] == '\0')
            return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'products': a product without @id",
                                v->sc.path, where);
        if (subs && subs->type == PL_JSON_ARRAY && subs->child) {
            st.asset_id = asset_of(v, pid); /* the product is an image or host we know */
            for (const struct pl_json *c = subs->child; c; c = c->next) {
                if ((st.product = id_of(c)) == NULL || st.product[0] == '\0')
                    continue;
                if ((rc = put(v, where, &st, err)) != PL_OK)
                    return rc;
            }
            continue;
        }
        st.asset_id = asset_of(v, pid);
        st.product = pid;
        if ((rc = put(v, where, &st, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

static pl_status on_openvex(const struct pl_json *root, uint64_t index, void *data,
                            struct pl_error *err)
{
    struct vex *v = data;
    const struct pl_json *sts = pl_json_get(root, "statements");
    char where[48];
    size_t i = 0;
    pl_status rc;

    (void)index;
    if ((rc = pl__inventory_scan_type(&v->sc, "document", root, "statements", PL_JSON_ARRAY, false,
                                      err)) != PL_OK)
        return rc;
    v->doc_id = pl_json_get_string(root, "@id");
    v->doc_id = v->doc_id ? v->doc_id : v->sc.path;
    if (!pl__inventory_scan_time(pl_json_get_string(root, "timestamp"), &v->doc_time))
        v->doc_time = 0;
    for (const struct pl_json *s = sts->child; s; s = s->next, i++) {
        v->sc.stats->records++;
        if (snprintf(where, sizeof(where), "statements[%zu]", i) < 0)
            where[0] = '\0';
        if (s->type != PL_JSON_OBJECT)
            return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object", v->sc.path, where);
        if ((rc = openvex_statement(v, where, s, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

/* ---- CSAF VEX ------------------------------------------------------------- */

/* Product ids -> (product purl or name, platform product id) from the product tree. */
struct csaf_prod {
    const char *id, *product, *platform;
};

struct csaf_tree {
    struct csaf_prod *items;
    size_t n, cap;
};

static void tree_add(struct csaf_tree *t, const char *id, const char *product, const char *platform)
{
    if (id == NULL || product == NULL)
        return;
    t->items = pl_xgrow(t->items, t->n, &t->cap, 32, sizeof(*t->items));
    t->items[t->n++] = (struct csaf_prod){id, product, platform};
}

static const struct csaf_prod *tree_find(const struct csaf_tree *t, const char *id)
{
    for (size_t i = 0; id && i < t->n; i++)
        if (strcmp(t->items[i].id, id) == 0)
            return &t->items[i];
    return NULL;
}

/* A full_product_name: its purl (product_identification_helper), else its name. */
static void full_name(struct csaf_tree *t, const struct pl_json *fpn, const char *platform)
{
    const char *purl =
        pl_json_get_string(pl_json_get(fpn, "product_identification_helper"), "purl");

    tree_add(t, pl_json_get_string(fpn, "product_id"),
             purl ? purl : pl_json_get_string(fpn, "name"), platform);
}

static void branches(struct csaf_tree *t, const struct pl_json *b, int depth)
{
    for (const struct pl_json *e = b && b->type == PL_JSON_ARRAY ? b->child : NULL; e && depth < 32;
         e = e->next) {
        const struct pl_json *p = pl_json_get(e, "product");

        if (p)
            full_name(t, p, NULL);
        branches(t, pl_json_get(e, "branches"), depth + 1);
    }
}

static void csaf_tree(struct csaf_tree *t, const struct pl_json *pt)
{
    const struct pl_json *fpns = pl_json_get(pt, "full_product_names");
    const struct pl_json *rels = pl_json_get(pt, "relationships");

    for (const struct pl_json *f = fpns && fpns->type == PL_JSON_ARRAY ? fpns->child : NULL; f;
         f = f->next)
        full_name(t, f, NULL);
    branches(t, pl_json_get(pt, "branches"), 0);
    for (const struct pl_json *r = rels && rels->type == PL_JSON_ARRAY ? rels->child : NULL; r;
         r = r->next) {
        const struct csaf_prod *comp = tree_find(t, pl_json_get_string(r, "product_reference"));
        const struct csaf_prod *plat =
            tree_find(t, pl_json_get_string(r, "relative_to_product_reference"));

        if (comp)
            tree_add(t, pl_json_get_string(pl_json_get(r, "full_product_name"), "product_id"),
                     comp->product, plat ? plat->product : NULL);
    }
}

/* The text of the first element of list (flags, threats) that names product id. */
static const char *about(const struct pl_json *list, const char *id, const char *field,
                         const char *category)
{
    for (const struct pl_json *e = list && list->type == PL_JSON_ARRAY ? list->child : NULL; e;
         e = e->next) {
        const struct pl_json *ids = pl_json_get(e, "product_ids");
        const char *cat = pl_json_get_string(e, "category");

        if (category && (cat == NULL || strcmp(cat, category) != 0))
            continue;
        for (const struct pl_json *i = ids && ids->type == PL_JSON_ARRAY ? ids->child : NULL; i;
             i = i->next)
            if (i->type == PL_JSON_STRING && strcmp(i->str, id) == 0)
                return pl_json_get_string(e, field);
    }
    return NULL;
}

static pl_status csaf_vuln(struct vex *v, const struct csaf_tree *t, const char *where,
                           const struct pl_json *vul, struct pl_error *err)
{
    static const char *const lists[] = {"known_not_affected", "known_affected", "fixed",
                                        "first_fixed", "under_investigation"};
    const struct pl_json *ps = pl_json_get(vul, "product_status");
    struct pl_vex_statement st;
    pl_status rc;

    memset(&st, 0, sizeof(st));
    st.vuln_id = pl_json_get_string(vul, "cve");
    if (st.vuln_id == NULL && pl_json_get(vul, "ids") &&
        pl_json_get(vul, "ids")->type == PL_JSON_ARRAY)
        st.vuln_id = pl_json_get_string(pl_json_get(vul, "ids")->child, "text");
    if (st.vuln_id == NULL || ps == NULL) {
        v->sc.stats->skipped++;
        return PL_OK;
    }
    for (size_t k = 0; k < PL_ARRAY_LEN(lists); k++) {
        const struct pl_json *l = pl_json_get(ps, lists[k]);

        for (const struct pl_json *i = l && l->type == PL_JSON_ARRAY ? l->child : NULL; i;
             i = i->next) {
            const struct csaf_prod *p = i->type == PL_JSON_STRING ? tree_find(t, i->str) : NULL;

            if (p == NULL)
                return pl_error_set(err, PL_E_PARSE,
                                    "%s: %s: product_status.%s: product id '%s' is not in the "
                                    "product tree",
                                    v->sc.path, where, lists[k],
                                    i->type == PL_JSON_STRING ? i->str : "?");
            st.state = state_of(lists[k]);
            st.product = p->product;
            st.asset_id = asset_of(v, p->platform);
            st.justification = about(pl_json_get(vul, "flags"), i->str, "label", NULL);
            st.detail = about(pl_json_get(vul, "threats"), i->str, "details", "impact");
            if ((rc = put(v, where, &st, err)) != PL_OK)
                return rc;
        }
    }
    return PL_OK;
}

static pl_status on_csaf(const struct pl_json *root, uint64_t index, void *data,
                         struct pl_error *err)
{
    struct vex *v = data;
    const struct pl_json *doc = pl_json_get(root, "document"),
                         *vs = pl_json_get(root, "vulnerabilities");
    const struct pl_json *tracking = pl_json_get(doc, "tracking");
    struct csaf_tree t = {NULL, 0, 0};
    char where[48];
    size_t i = 0;
    pl_status rc = PL_OK;

    (void)index;
    if (doc == NULL || vs == NULL || vs->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE,
                            "%s: not a CSAF document (no 'document' or 'vulnerabilities')",
                            v->sc.path);
    v->doc_id = pl_json_get_string(tracking, "id");
    v->doc_id = v->doc_id ? v->doc_id : v->sc.path;
    if (!pl__inventory_scan_time(pl_json_get_string(tracking, "current_release_date"),
                                 &v->doc_time))
        v->doc_time = 0;
    csaf_tree(&t, pl_json_get(root, "product_tree"));
    for (const struct pl_json *vul = vs->child; rc == PL_OK && vul; vul = vul->next, i++) {
        v->sc.stats->records++;
        if (snprintf(where, sizeof(where), "vulnerabilities[%zu]", i) < 0)
            where[0] = '\0';
        rc = csaf_vuln(v, &t, where, vul, err);
    }
    free(t.items);
    return rc;
}

static pl_status import(struct pl_store *s, struct pl_reader *r,
                        const struct pl_inv_import_opts *opts, struct pl_inv_import_stats *stats,
                        const char *format, pl_json_record_fn fn, struct pl_error *err)
{
    struct vex v;
    struct pl_json_stream_opts o = {.records_path = NULL,
                                    .lines = false,
                                    .max_record = PL_MAX_IMPORT_RECORD_BYTES,
                                    .max_rest = PL_MAX_IMPORT_REST_BYTES,
                                    .on_record = fn,
                                    .on_rest = NULL,
                                    .data = NULL};
    pl_status rc;

    memset(&v, 0, sizeof(v));
    v.format = format;
    o.data = &v;
    if ((rc = pl__inventory_scan_begin(&v.sc, s, r, format, opts, stats, err)) != PL_OK)
        return rc;
    return pl__inventory_scan_json(&v.sc, r, &o, err);
}

pl_status pl__inventory_import_openvex(struct pl_store *s, struct pl_reader *r,
                                       const struct pl_inv_import_opts *opts,
                                       struct pl_inv_import_stats *stats, struct pl_error *err)
{
    return import(s, r, opts, stats, "openvex", on_openvex, err);
}

pl_status pl__inventory_import_csaf_vex(struct pl_store *s, struct pl_reader *r,
                                        const struct pl_inv_import_opts *opts,
                                        struct pl_inv_import_stats *stats, struct pl_error *err)
{
    return import(s, r, opts, stats, "csaf-vex", on_csaf, err);
}

int pl__inventory_detect_openvex(const char *head, size_t n)
{
    return pl__inventory_scan_has(head, n, "openvex.dev/ns") ? 95 : 0;
}

int pl__inventory_detect_csaf_vex(const char *head, size_t n)
{
    return pl__inventory_scan_has(head, n, "\"csaf_vex\"") ? 95 : 0;
}
