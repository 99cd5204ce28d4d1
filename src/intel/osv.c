/*
 * osv.c - OSV records (ossf/osv-schema 1.x): affected ranges per package.
 *
 * A file is one record, JSON lines, or a top-level array of records. Every
 * record is validated field by field before anything is written, so that
 * an error names the record and the field.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/arena.h"
#include "patchline/clock.h"
#include "patchline/log.h"
#include "patchline/parse.h"

#include "distro_int.h"

struct osv {
    struct pl_advisory_writer *w;
    struct pl_advisory adv;
    struct pl_arena arena; /* per record: normalised names, field paths */
    struct pl_import_stats *stats;
    const char *file;
    uint64_t git_ranges;
};

/* A where with field names prefixed "affected[i]." or "affected[i].ranges[j].". */
static struct pl__where at(struct osv *o, const struct pl__where *w, size_t i, size_t j,
                           const char *sub)
{
    struct pl__where r = *w;
    char b[64];
    int n = j == (size_t)-1 ? snprintf(b, sizeof(b), "affected[%zu].%s", i, sub)
                            : snprintf(b, sizeof(b), "affected[%zu].ranges[%zu].", i, j);

    r.ctx = n > 0 ? pl_arena_strndup(&o->arena, b, (size_t)n) : NULL;
    return r;
}

static pl_status get_time(const struct pl__where *w, const struct pl_json *rec, const char *key,
                          pl_time_t *out, struct pl_error *err)
{
    const char *s;
    pl_status rc = pl__intel_get_str(w, rec, key, 64, false, &s, err);

    *out = 0;
    if (rc != PL_OK || s == NULL)
        return rc;
    if (pl_time_parse(s, out, NULL) != PL_OK)
        return pl__intel_bad_field(w, key, PL_E_PARSE, err, "'%s' is not a time", s);
    return PL_OK;
}

/* One range's events -> rows: each introduced opens a range, fixed/last_affected closes it. */
static pl_status add_events(struct osv *o, const struct pl__where *w, const struct pl_json *ev,
                            const char *field, const struct pl_affected_row *base,
                            struct pl_error *err)
{
    const char *intro = NULL;
    bool open = false;

    for (const struct pl_json *e = ev->child; e; e = e->next) {
        const struct pl_json *m = e->type == PL_JSON_OBJECT ? e->child : NULL;
        struct pl_affected_row *r;

        if (m == NULL || m->type != PL_JSON_STRING)
            return pl__intel_bad_type(w, field, "array of {event: version} objects", m ? m : e,
                                      err);
        if (m->len > PL_MAX_VERSION_BYTES)
            return pl__intel_bad_field(w, field, PL_E_TOOBIG, err, "version longer than %d bytes",
                                       PL_MAX_VERSION_BYTES);
        if (strcmp(m->key, "introduced") == 0) {
            if (open) {
                r = pl_advisory_add_row(&o->adv);
                *r = *base;
                r->introduced = intro;
            }
            intro = m->str;
            open = true;
        } else if (strcmp(m->key, "fixed") == 0 || strcmp(m->key, "last_affected") == 0) {
            r = pl_advisory_add_row(&o->adv);
            *r = *base;
            r->introduced = intro;
            if (m->key[0] == 'f') {
                r->fixed = m->str;
                r->status = "fixed";
            } else {
                r->last_affected = m->str;
            }
            open = false;
            intro = NULL;
        } else if (strcmp(m->key, "limit") != 0) {
            return pl__intel_bad_field(w, field, PL_E_PARSE, err, "unknown event '%s'", m->key);
        }
    }
    if (open) {
        struct pl_affected_row *r = pl_advisory_add_row(&o->adv);

        *r = *base;
        r->introduced = intro;
    }
    return PL_OK;
}

static pl_status add_ranges(struct osv *o, const struct pl__where *wa, const struct pl_json *aff,
                            size_t i, const struct pl_affected_row *base, bool *any,
                            struct pl_error *err)
{
    const struct pl_json *ranges, *ev;
    const char *type;
    size_t j = 0;
    pl_status rc;

    if ((rc = pl__intel_get_typed(wa, aff, "ranges", PL_JSON_ARRAY, &ranges, err)) != PL_OK)
        return rc;
    for (const struct pl_json *rg = ranges ? ranges->child : NULL; rg; rg = rg->next, j++) {
        struct pl__where w = at(o, wa, i, j, "");

        if (rg->type != PL_JSON_OBJECT)
            return pl__intel_bad_type(wa, "ranges[]", "object", rg, err);
        if ((rc = pl__intel_get_str(&w, rg, "type", 32, true, &type, err)) != PL_OK)
            return rc;
        if (strcmp(type, "GIT") == 0) {
            o->git_ranges++;
            continue;
        }
        if (strcmp(type, "ECOSYSTEM") != 0 && strcmp(type, "SEMVER") != 0)
            return pl__intel_bad_field(&w, "type", PL_E_PARSE, err, "unknown range type '%s'",
                                       type);
        ev = pl_json_get(rg, "events");
        if (ev == NULL || ev->type != PL_JSON_ARRAY)
            return pl__intel_bad_type(&w, "events", "array", ev, err);
        if ((rc = add_events(o, &w, ev, "events", base, err)) != PL_OK)
            return rc;
        *any = true;
    }
    return PL_OK;
}

/* Vendor severity: ecosystem_specific / database_specific "severity". */
static const char *severity_of(const struct pl_json *v)
{
    const char *s = pl_json_get_string(pl_json_get(v, "ecosystem_specific"), "severity");

    return s ? s : pl_json_get_string(pl_json_get(v, "database_specific"), "severity");
}

static pl_status add_affected(struct osv *o, const struct pl__where *wr, const struct pl_json *aff,
                              size_t i, const char *adv_severity, struct pl_error *err)
{
    struct pl__where w = at(o, wr, i, (size_t)-1, "package.");
    const struct pl_json *pkg, *versions;
    struct pl_affected_row base = {0};
    const char *eco;
    char norm[PL_MAX_NAME_BYTES];
    bool any = false;
    pl_status rc;

    if (aff->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(wr, "affected[]", "object", aff, err);
    if ((rc = pl__intel_get_typed(wr, aff, "package", PL_JSON_OBJECT, &pkg, err)) != PL_OK)
        return rc;
    if (pkg == NULL)
        return PL_OK; /* a GIT-only entry names no package */
    if ((rc = pl__intel_get_str(&w, pkg, "ecosystem", PL_MAX_NAME_BYTES - 1, true, &eco, err)) !=
            PL_OK ||
        (rc = pl__intel_get_str(&w, pkg, "name", PL_MAX_NAME_BYTES, true, &base.package, err)) !=
            PL_OK)
        return rc;
    if (!pl__intel_ecosystem_normalise(eco, norm, sizeof(norm)))
        return pl__intel_bad_field(&w, "ecosystem", PL_E_TOOBIG, err, "too long");
    w = at(o, wr, i, (size_t)-1, "");
    base.ecosystem = pl_arena_strndup(&o->arena, norm, strlen(norm));
    base.package_kind = pl_starts_with(norm, "debian") || pl_starts_with(norm, "ubuntu") ||
                                pl_starts_with(norm, "alpine")
                            ? "source"
                            : "binary";
    base.status = "affected";
    base.severity = severity_of(aff) ? severity_of(aff) : adv_severity;
    if ((rc = add_ranges(o, &w, aff, i, &base, &any, err)) != PL_OK)
        return rc;
    if ((rc = pl__intel_get_typed(&w, aff, "versions", PL_JSON_ARRAY, &versions, err)) != PL_OK)
        return rc;
    /* versions enumerates the ranges when there are any; alone, each is an exact range. */
    for (const struct pl_json *v = versions && !any ? versions->child : NULL; v; v = v->next) {
        struct pl_affected_row *r;

        if (v->type != PL_JSON_STRING || v->len > PL_MAX_VERSION_BYTES)
            return pl__intel_bad_type(&w, "versions", "array of short strings", v, err);
        r = pl_advisory_add_row(&o->adv);
        *r = base;
        r->introduced = r->last_affected = v->str;
    }
    return PL_OK;
}

static pl_status add_aliases(struct osv *o, const struct pl__where *w, const struct pl_json *rec,
                             struct pl_error *err)
{
    static const char *const keys[] = {"aliases", "related", "upstream"};

    for (size_t k = 0; k < PL_ARRAY_LEN(keys); k++) {
        const struct pl_json *list;
        pl_status rc = pl__intel_get_typed(w, rec, keys[k], PL_JSON_ARRAY, &list, err);

        if (rc != PL_OK)
            return rc;
        for (const struct pl_json *a = list ? list->child : NULL; a; a = a->next) {
            if (a->type != PL_JSON_STRING || a->len > PL_MAX_NAME_BYTES)
                return pl__intel_bad_type(w, keys[k], "array of short strings", a, err);
            pl_advisory_add_alias(&o->adv, a->str);
        }
    }
    return PL_OK;
}

/* The top-level severity list: keep the newest CVSS vector (V4, else V3, else V2). */
static pl_status add_cvss(struct osv *o, const struct pl__where *w, const struct pl_json *rec,
                          struct pl_error *err)
{
    static const char *const types[] = {"CVSS_V4", "CVSS_V3", "CVSS_V2"};
    const struct pl_json *list;
    pl_status rc = pl__intel_get_typed(w, rec, "severity", PL_JSON_ARRAY, &list, err);

    for (size_t k = 0; list && rc == PL_OK && k < PL_ARRAY_LEN(types); k++) {
        for (const struct pl_json *e = list->child; e; e = e->next) {
            const char *type = pl_json_get_string(e, "type");
            const char *score = pl_json_get_string(e, "score");

            if (type && score && strcmp(type, types[k]) == 0 && strlen(score) < 256) {
                pl_advisory_add_vuln(&o->adv, o->adv.id)->cvss_vector = score;
                return PL_OK;
            }
        }
    }
    return rc;
}

/* "Important: firefox security update" (AlmaLinux, Rocky, Red Hat) -> "Important". */
static const char *severity_from_summary(const char *summary)
{
    static const char *const levels[] = {"Critical", "Important", "Moderate", "Low"};

    for (size_t i = 0; summary && i < PL_ARRAY_LEN(levels); i++) {
        size_t n = strlen(levels[i]);

        if (strncmp(summary, levels[i], n) == 0 && summary[n] == ':')
            return levels[i];
    }
    return NULL;
}

static pl_status one_record(struct osv *o, const struct pl_json *rec, struct pl_error *err)
{
    struct pl__where w = {NULL, "advisory", NULL, NULL};
    const struct pl_json *affected;
    enum pl_put_result res;
    size_t i = 0;
    pl_status rc;

    if (rec->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(&w, "(record)", "object", rec, err);
    pl_advisory_reset(&o->adv);
    pl_arena_reset(&o->arena);
    if ((rc = pl__intel_get_str(&w, rec, "id", PL_MAX_NAME_BYTES, true, &o->adv.id, err)) != PL_OK)
        return rc;
    w.name = o->adv.id;
    if ((rc = pl__intel_get_str(&w, rec, "summary", PL_MAX_FIELD_BYTES, false, &o->adv.summary,
                                err)) ||
        (rc = get_time(&w, rec, "modified", &o->adv.modified, err)) ||
        (rc = get_time(&w, rec, "published", &o->adv.published, err)) ||
        (rc = get_time(&w, rec, "withdrawn", &o->adv.withdrawn, err)) ||
        (rc = add_aliases(o, &w, rec, err)) || (rc = add_cvss(o, &w, rec, err)) ||
        (rc = pl__intel_get_typed(&w, rec, "affected", PL_JSON_ARRAY, &affected, err)))
        return rc;
    o->adv.severity = severity_of(rec) ? severity_of(rec) : severity_from_summary(o->adv.summary);
    for (const struct pl_json *a = affected ? affected->child : NULL; a; a = a->next, i++) {
        if ((rc = add_affected(o, &w, a, i, o->adv.severity, err)) != PL_OK)
            return rc;
    }
    if (pl_arena_status(&o->arena) != PL_OK)
        return pl__intel_bad_field(&w, "affected", PL_E_TOOBIG, err, "too many entries");
    if (o->adv.withdrawn) {
        o->adv.n_rows = 0; /* a withdrawn advisory affects nothing */
        o->stats->withdrawn++;
    }
    if ((rc = pl_advisory_writer_put(o->w, &o->adv, &res, err)) != PL_OK) {
        pl_error_prefix(err, "advisory '%s'", o->adv.id);
        return rc;
    }
    pl__intel_count_put(o->stats, res);
    return PL_OK;
}

static pl_status on_record(const struct pl_json *rec, uint64_t index, void *data,
                           struct pl_error *err)
{
    struct osv *o = data;
    pl_status rc = PL_OK;

    (void)index;
    if (rec->type != PL_JSON_ARRAY) {
        o->stats->records++;
        return one_record(o, rec, err);
    }
    /* a file holding an array of records */
    for (const struct pl_json *e = rec->child; e && rc == PL_OK; e = e->next) {
        o->stats->records++;
        rc = one_record(o, e, err);
    }
    return rc;
}

pl_status pl_intel_import_osv(struct pl_store *s, struct pl_reader *r,
                              const struct pl_import_opts *opts, struct pl_import_stats *stats,
                              struct pl_error *err)
{
    struct osv o = {.stats = stats, .file = pl_reader_path(r)};
    struct pl_json_stream_opts jo = {.lines = true, .on_record = on_record, .data = &o};
    pl_status rc;

    (void)opts;
    if ((rc = pl_advisory_writer_open(s, &o.w, err)) != PL_OK)
        return rc;
    pl_advisory_init(&o.adv, "osv");
    pl_arena_init(&o.arena, PL_MAX_ADVISORY_SCRATCH_BYTES);
    rc = pl_json_stream(r, &jo, err);
    if (o.git_ranges)
        pl_log(PL_LOG_INFO, "intel", "%s: %llu GIT ranges ignored", o.file,
               (unsigned long long)o.git_ranges);
    pl_arena_release(&o.arena);
    pl_advisory_release(&o.adv);
    pl_advisory_writer_close(o.w);
    return rc;
}

/*
 * An OSV record: an object with "id" and "modified" (both required by the
 * schema); "schema_version" or "affected" make it certain. CVE JSON 5
 * ("cveMetadata"), NVD ("vulnerabilities") and CSAF ("csaf_version") carry
 * ids too and are left to their own kinds.
 */
int pl_intel_detect_osv(const char *head, size_t n)
{
    static const char *const others[] = {"\"cveMetadata\"", "\"csaf_version\"",
                                         "\"vulnerabilities\"", "\"secfixes\""};
    bool id = false, modified = false, sure = false;
    size_t i = 0;

    while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t' ||
                     head[i] == '['))
        i++;
    if (i >= n || head[i] != '{')
        return 0;
    for (size_t k = i; k < n; k++) {
        if (head[k] != '"')
            continue;
        for (size_t o = 0; o < PL_ARRAY_LEN(others); o++)
            if (n - k >= strlen(others[o]) && strncmp(head + k, others[o], strlen(others[o])) == 0)
                return 0;
        id = id || (n - k >= 4 && strncmp(head + k, "\"id\"", 4) == 0);
        modified = modified || (n - k >= 10 && strncmp(head + k, "\"modified\"", 10) == 0);
        sure = sure || (n - k >= 16 && strncmp(head + k, "\"schema_version\"", 16) == 0) ||
               (n - k >= 10 && strncmp(head + k, "\"affected\"", 10) == 0);
    }
    return id && modified ? (sure ? 90 : 70) : 0;
}
