/*
 * kev.c - the CISA Known Exploited Vulnerabilities catalogue (JSON).
 *
 * Streamed record by record from "vulnerabilities"; catalogVersion,
 * dateReleased and count arrive with the rest of the document at the end
 * (they are checked before the caller commits).
 */
#include <string.h>

#include "patchline/sha256.h"

#include "core_int.h"
#include "intel_int.h"

struct kev_ctx {
    struct pl_intel_writer *w;
    struct pl_import_stats *stats;
    const struct pl_import_opts *opts;
    const char *path;
};

/* cwes: an array of strings, joined with ",". */
static pl_status kev_cwes(const struct pl_json *rec, struct pl_buf *out, struct pl_error *err)
{
    const struct pl_json *a;
    pl_status rc;

    pl_buf_reset(out);
    if ((rc = pl__intel_want(rec, NULL, "cwes", PL_JSON_ARRAY, &a, err)) != PL_OK || a == NULL)
        return rc;
    for (const struct pl_json *c = a->child; c; c = c->next) {
        if (c->type != PL_JSON_STRING)
            return pl_error_set(err, PL_E_PARSE, "field 'cwes': expected strings, got %s",
                                pl_json_type_name(c->type));
        if (out->len)
            pl_buf_addch(out, ',');
        pl_buf_adds(out, c->str);
    }
    return pl_buf_status(out) == PL_OK ? PL_OK
                                       : pl_error_set(err, PL_E_TOOBIG, "field 'cwes': too long");
}

static void digest_add(struct pl_sha256 *h, const char *s)
{
    if (s)
        pl_sha256_update(h, s, strlen(s));
    pl_sha256_update(h, "\x1f", 1);
}

static pl_status kev_fields(const struct pl_json *rec, struct pl_kev_entry *e, struct pl_error *err)
{
    static const char *const keys[] = {"vendorProject",
                                       "product",
                                       "vulnerabilityName",
                                       "knownRansomwareCampaignUse",
                                       "requiredAction",
                                       "shortDescription",
                                       "notes"};
    const char **dst[] = {&e->vendor,          &e->product,     &e->name, &e->ransomware,
                          &e->required_action, &e->description, &e->notes};
    pl_status rc;

    for (size_t i = 0; i < PL_ARRAY_LEN(keys); i++)
        if ((rc = pl__intel_want_str(rec, NULL, keys[i], false, dst[i], err)) != PL_OK)
            return rc;
    if ((rc = pl__intel_want_time(rec, NULL, "dateAdded", true, &e->date_added, err)) != PL_OK ||
        (rc = pl__intel_want_time(rec, NULL, "dueDate", false, &e->due_date, err)) != PL_OK)
        return rc;
    return PL_OK;
}

static pl_status kev_record(const struct pl_json *rec, uint64_t index, void *data,
                            struct pl_error *err)
{
    struct kev_ctx *c = data;
    struct pl_kev_entry e = {0};
    struct pl_buf cwes = PL_BUF_INIT(PL_MAX_FIELD_BYTES);
    struct pl_sha256 h;
    enum pl_intel_outcome o;
    char digest[65];
    pl_status rc;

    (void)index;
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "expected an object, got %s",
                            pl_json_type_name(rec->type));
    if ((rc = pl__intel_want_str(rec, NULL, "cveID", true, &e.cve, err)) != PL_OK)
        return rc;
    if (!pl__intel_cve_valid(e.cve))
        return pl_error_set(err, PL_E_PARSE, "field 'cveID': '%.40s' is not a CVE id", e.cve);
    if ((rc = kev_fields(rec, &e, err)) != PL_OK || (rc = kev_cwes(rec, &cwes, err)) != PL_OK) {
        pl_buf_release(&cwes);
        return pl__intel_prefix(rc, err, "%s", e.cve);
    }
    e.cwes = cwes.len ? pl_buf_cstr(&cwes) : NULL;
    if (c->opts->as_of && e.date_added > c->opts->as_of) { /* not in the catalogue yet then */
        pl_buf_release(&cwes);
        c->stats->later++;
        return PL_OK;
    }
    pl__intel_note_date(c->stats, e.date_added, "field 'dateAdded' of %s", e.cve);
    pl_sha256_init(&h);
    for (const char *const *p =
             (const char *const[]){e.cve, e.vendor, e.product, e.name, e.ransomware,
                                   e.required_action, e.description, e.notes, e.cwes, NULL};
         *p; p++)
        digest_add(&h, *p);
    pl_sha256_update(&h, &e.date_added, sizeof(e.date_added));
    pl_sha256_update(&h, &e.due_date, sizeof(e.due_date));
    pl_sha256_hex(&h, digest);
    e.digest = digest;
    rc = pl_intel_put_kev(c->w, &e, &o, err);
    pl_buf_release(&cwes);
    if (rc != PL_OK)
        return rc;
    pl__intel_count(c->stats, o);
    c->stats->records++;
    pl__intel_progress(c->opts, c->path, c->stats->records);
    return PL_OK;
}

static pl_status kev_rest(const struct pl_json *doc, uint64_t index, void *data,
                          struct pl_error *err)
{
    struct kev_ctx *c = data;
    const char *version;
    const struct pl_json *count;
    int64_t n;
    pl_status rc;

    (void)index;
    if ((rc = pl__intel_want_str(doc, NULL, "catalogVersion", true, &version, err)) != PL_OK ||
        (rc = pl__intel_want_time(doc, NULL, "dateReleased", true, &c->stats->released, err)) !=
            PL_OK)
        return pl__intel_prefix(rc, err, "%s", c->path);
    pl__intel_note_date(c->stats, c->stats->released, "field 'dateReleased'");
    if (snprintf(c->stats->version, sizeof(c->stats->version), "%s", version) >=
        (int)sizeof(c->stats->version))
        return pl_error_set(err, PL_E_TOOBIG, "%s: field 'catalogVersion': too long", c->path);
    if ((rc = pl__intel_want(doc, NULL, "count", PL_JSON_NUMBER, &count, err)) != PL_OK)
        return pl__intel_prefix(rc, err, "%s", c->path);
    if (count &&
        (!pl_json_int(count, &n) || n < 0 || (uint64_t)n != c->stats->records + c->stats->later))
        return pl_error_set(err, PL_E_PARSE,
                            "%s: field 'count': says %s, the file has %llu records", c->path,
                            count->str, (unsigned long long)(c->stats->records + c->stats->later));
    if (c->opts->as_of && c->stats->released > c->opts->as_of)
        c->stats->released = c->opts->as_of; /* the catalogue as it stood then */
    /* entries the catalogue no longer lists leave it (counted as withdrawn) */
    return pl_intel_kev_prune(c->w, &c->stats->withdrawn, err);
}

pl_status pl_intel_import_kev(struct pl_store *s, struct pl_reader *r,
                              const struct pl_import_opts *opts, struct pl_import_stats *stats,
                              struct pl_error *err)
{
    struct kev_ctx c = {NULL, stats, opts, pl_reader_path(r)};
    struct pl_json_stream_opts jo = {0};
    pl_status rc;

    if ((rc = pl_intel_writer_open(s, opts->feed_id, "kev", &c.w, err)) != PL_OK)
        return rc;
    jo.records_path = "vulnerabilities";
    jo.max_record = PL_MAX_FIELD_BYTES * 4;
    jo.on_record = kev_record;
    jo.on_rest = kev_rest;
    jo.data = &c;
    rc = pl_json_stream(r, &jo, err);
    pl_intel_writer_close(c.w);
    return rc;
}
