/*
 * eol.c - endoflife.date data (kind "eol"): the product definitions' release
 * cycles (JSON lines of front matters with "product" and releases[]:
 * releaseCycle, releaseDate, eol, eoas, eoes, latest, latestReleaseDate) and
 * the release data's versions with their dates (JSON lines with "product",
 * or one release-data/<product>.json whose name gives the product). The
 * matcher uses the imported cycles of a product instead of its shipped table.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "patchline/parse.h"

#include "core_int.h"
#include "intel_int.h"

#define EOL_MAX_NAME   128    /* bytes of a product, cycle or version */
#define EOL_MAX_ITEMS  200000 /* cycles or versions of one product */
#define EOL_MAX_RECORD ((size_t)64 * 1024 * 1024)

struct ectx {
    struct pl_store *s;
    struct pl_import_stats *stats;
    const struct pl_import_opts *opts;
    char file_product[EOL_MAX_NAME + 1]; /* from release-data/<product>.json */
};

static bool name_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > EOL_MAX_NAME)
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._-+/ ", *p))
            return false;
    return true;
}

static bool date_ok(const char *s)
{
    pl_time_t t;

    return strlen(s) == 10 && pl_time_parse(s, &t, NULL) == PL_OK;
}

/* A scalar as text into buf: a string or a number ("3.10", 11). NULL when absent or null. */
static const char *text(const struct pl_json *v, char *buf, size_t cap)
{
    if (v == NULL || v->type == PL_JSON_NULL)
        return NULL;
    if (v->type != PL_JSON_STRING && v->type != PL_JSON_NUMBER)
        return NULL;
    snprintf(buf, cap, "%.*s", (int)v->len, v->str);
    return buf;
}

/* An end field: a date, true ("true": ended, no date), false or absent (NULL). */
static pl_status end_field(const struct pl_json *rel, const char *key, size_t i, char *buf,
                           const char **out, struct pl_error *err)
{
    const struct pl_json *v = pl_json_get(rel, key);

    *out = NULL;
    if (v == NULL || v->type == PL_JSON_NULL ||
        (v->type == PL_JSON_BOOL && strcmp(v->str, "false") == 0))
        return PL_OK;
    if (v->type == PL_JSON_BOOL) {
        *out = "true";
        return PL_OK;
    }
    if (v->type != PL_JSON_STRING || !date_ok(v->str))
        return pl_error_set(err, PL_E_PARSE,
                            "field 'releases[%zu].%s': '%.40s' is not a date, true or false", i,
                            key, v->type == PL_JSON_STRING ? v->str : pl_json_type_name(v->type));
    snprintf(buf, 11, "%s", v->str);
    *out = buf;
    return PL_OK;
}

static pl_status cycles(struct ectx *c, const char *product, const struct pl_json *releases,
                        struct pl_error *err)
{
    size_t i = 0;
    pl_status rc;

    for (const struct pl_json *r = releases->child; r; r = r->next, i++) {
        char cyc[EOL_MAX_NAME + 1], latest[EOL_MAX_NAME + 1], e1[11], e2[11], e3[11];
        const char *rd = pl_json_get_string(r, "releaseDate");
        const char *ld = pl_json_get_string(r, "latestReleaseDate");
        struct pl_eol_cycle_row row = {0};

        if (i == EOL_MAX_ITEMS)
            return pl_error_set(err, PL_E_TOOBIG, "field 'releases': more than %d cycles",
                                EOL_MAX_ITEMS);
        if (r->type != PL_JSON_OBJECT)
            return pl_error_set(err, PL_E_PARSE, "field 'releases[%zu]': expected an object", i);
        row.product = product;
        row.cycle = text(pl_json_get(r, "releaseCycle"), cyc, sizeof(cyc));
        if (row.cycle == NULL || !name_ok(row.cycle))
            return pl_error_set(err, PL_E_PARSE,
                                "field 'releases[%zu].releaseCycle': missing or not a cycle name",
                                i);
        if ((rd && !date_ok(rd)) || (ld && !date_ok(ld)))
            return pl_error_set(err, PL_E_PARSE, "field 'releases[%zu].%s': '%.40s' is not a date",
                                i, rd && !date_ok(rd) ? "releaseDate" : "latestReleaseDate",
                                rd && !date_ok(rd) ? rd : ld);
        row.release_date = rd;
        row.latest_date = ld;
        row.latest = text(pl_json_get(r, "latest"), latest, sizeof(latest));
        if (row.latest && !name_ok(row.latest))
            row.latest = NULL;
        if ((rc = end_field(r, "eol", i, e1, &row.eol, err)) != PL_OK ||
            (rc = end_field(r, "eoas", i, e2, &row.eoas, err)) != PL_OK ||
            (rc = end_field(r, "eoes", i, e3, &row.eoes, err)) != PL_OK ||
            (rc = pl_store_eol_cycle_put(c->s, c->opts->feed_id, &row, err)) != PL_OK)
            return rc;
        if (rd) {
            pl_time_t t;

            if (pl_time_parse(rd, &t, NULL) == PL_OK)
                pl__intel_note_date(c->stats, t, "field 'releaseDate' of %s %s", product,
                                    row.cycle);
        }
    }
    return PL_OK;
}

static pl_status versions(struct ectx *c, const char *product, const struct pl_json *vs,
                          struct pl_error *err)
{
    size_t i = 0;
    pl_status rc;

    for (const struct pl_json *v = vs->child; v; v = v->next, i++) {
        const char *date = pl_json_get_string(v, "date");

        if (i == EOL_MAX_ITEMS)
            return pl_error_set(err, PL_E_TOOBIG, "field 'versions': more than %d versions",
                                EOL_MAX_ITEMS);
        if (!name_ok(v->key))
            return pl_error_set(err, PL_E_PARSE, "field 'versions': '%.40s' is not a version",
                                v->key);
        if (date == NULL)
            continue; /* a version without a date says nothing about its age */
        if (!date_ok(date))
            return pl_error_set(err, PL_E_PARSE,
                                "field 'versions.%.40s.date': '%.40s' is not a date", v->key, date);
        if ((rc = pl_store_eol_version_put(c->s, c->opts->feed_id, product, v->key, date, err)) !=
            PL_OK)
            return rc;
    }
    return PL_OK;
}

static pl_status eol_record(const struct pl_json *rec, uint64_t index, void *data,
                            struct pl_error *err)
{
    struct ectx *c = data;
    const struct pl_json *rel, *vs;
    const char *product;
    pl_status rc = PL_OK;

    (void)index;
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "want a product object, not %s",
                            pl_json_type_name(rec->type));
    if ((rc = pl__intel_want_str(rec, NULL, "product", false, &product, err)) != PL_OK)
        return rc;
    if (product == NULL)
        product = c->file_product[0] ? c->file_product : NULL;
    if (product == NULL || !name_ok(product))
        return pl_error_set(err, PL_E_PARSE, "field 'product': missing or not a product name");
    rel = pl_json_get(rec, "releases");
    vs = pl_json_get(rec, "versions");
    if ((rel == NULL || (rel->type != PL_JSON_ARRAY && rel->type != PL_JSON_OBJECT)) &&
        (vs == NULL || vs->type != PL_JSON_OBJECT))
        return pl_error_set(err, PL_E_PARSE,
                            "%s: neither 'releases' (product definition) nor 'versions' (release "
                            "data)",
                            product);
    c->stats->records++;
    c->stats->inserted++;
    /* the product definitions' cycles; release data's releases{} leave the lifecycle to them */
    if (rel && rel->type == PL_JSON_ARRAY)
        rc = cycles(c, product, rel, err);
    if (rc == PL_OK && vs && vs->type == PL_JSON_OBJECT)
        rc = versions(c, product, vs, err);
    return rc == PL_OK ? PL_OK : pl__intel_prefix(rc, err, "%s", product);
}

pl_status pl_intel_import_eol(struct pl_store *s, struct pl_reader *r,
                              const struct pl_import_opts *opts, struct pl_import_stats *stats,
                              struct pl_error *err)
{
    struct ectx c = {s, stats, opts, ""};
    struct pl_json_stream_opts jo = {0};
    const char *path = pl_reader_path(r), *base = strrchr(path, '/');
    size_t n;
    pl_status rc;

    /* release-data/<product>.json: the file's name is the product */
    base = base ? base + 1 : path;
    n = strcspn(base, ".");
    if (strncmp(base + n, ".json", 5) == 0 && n <= EOL_MAX_NAME)
        snprintf(c.file_product, sizeof(c.file_product), "%.*s", (int)n, base);
    jo.lines = true;
    jo.max_record = EOL_MAX_RECORD;
    jo.on_record = eol_record;
    jo.data = &c;
    rc = pl_json_stream(r, &jo, err);
    if (rc == PL_OK && stats->records == 0)
        rc = pl_error_set(err, PL_E_PARSE, "%s: no products", path);
    return rc;
}

int pl__intel_detect_eol(const char *head, size_t n)
{
    const char *p = head;

    (void)n;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    if (*p != '{')
        return 0;
    /* product definitions (JSON lines) or release data: releases as a list or an object */
    if (strstr(head, "\"releaseCycle\"") && strstr(head, "\"releases\""))
        return 90;
    if (strstr(head, "\"releases\"") && strstr(head, "\"versions\"") &&
        !strstr(head, "\"cveMetadata\"") && !strstr(head, "\"vulnerabilities\""))
        return 70;
    return 0;
}
