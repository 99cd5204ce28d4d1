/*
 * debian.c - Debian Security Tracker JSON: {source: {CVE: {releases:
 * {codename: {status, fixed_version, urgency, nodsa, nodsa_reason}}}}}.
 *
 * The file is one object whose members are source packages; it is streamed
 * one source at a time (pl_json_stream with `members`). Each (source, CVE)
 * is one advisory, so a newer tracker file replaces exactly the entries
 * that changed.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/arena.h"

#include "distro_int.h"

/* One (source, CVE) advisory id "SOURCE/CVE" plus per-release ecosystems. */
struct debian {
    struct pl_advisory_writer *w;
    struct pl_advisory adv;
    struct pl_arena arena; /* per entry */
    struct pl_import_stats *stats;
};

/*
 * Tracker status -> affected.status. "resolved" with fixed_version "0"
 * means the release never had the flaw.
 */
static pl_status release_status(const struct pl__where *w, const char *status, const char *fixed,
                                struct pl_affected_row *r, struct pl_error *err)
{
    if (strcmp(status, "resolved") == 0) {
        if (fixed == NULL || fixed[0] == '\0' || strcmp(fixed, "0") == 0) {
            r->status = "not-affected";
        } else {
            r->status = "fixed";
            r->fixed = fixed;
        }
    } else if (strcmp(status, "open") == 0) {
        r->status = "open";
    } else if (strcmp(status, "undetermined") == 0) {
        r->status = "undetermined";
    } else {
        return pl__intel_bad_field(w, "status", PL_E_PARSE, err, "unknown status '%s'", status);
    }
    return PL_OK;
}

/* nodsa / nodsa_reason: "" is <no-dsa>, "postponed" and "ignored" are themselves. */
static pl_status release_marker(const struct pl__where *w, const struct pl_json *rel,
                                struct pl_affected_row *r, struct pl_error *err)
{
    const char *nodsa, *reason;
    pl_status rc;

    if ((rc = pl__intel_get_str(w, rel, "nodsa", PL_MAX_FIELD_BYTES, false, &nodsa, err)) !=
            PL_OK ||
        (rc = pl__intel_get_str(w, rel, "nodsa_reason", 64, false, &reason, err)) != PL_OK)
        return rc;
    if (nodsa == NULL && reason == NULL)
        return PL_OK;
    r->note = nodsa && nodsa[0] ? nodsa : NULL;
    if (reason == NULL || reason[0] == '\0')
        r->marker = "no-dsa";
    else if (strcmp(reason, "postponed") == 0 || strcmp(reason, "ignored") == 0)
        r->marker = reason;
    else
        return pl__intel_bad_field(w, "nodsa_reason", PL_E_PARSE, err, "unknown reason '%s'",
                                   reason);
    return PL_OK;
}

static pl_status add_release(struct debian *d, const struct pl__where *wc,
                             const struct pl_json *rel, const char *source, const char *cve,
                             struct pl_error *err)
{
    char ctx[PL_MAX_NAME_BYTES + 16], eco[PL_MAX_NAME_BYTES + 8];
    struct pl__where w = *wc;
    struct pl_affected_row *r;
    const char *status, *fixed;
    pl_status rc;

    if (snprintf(ctx, sizeof(ctx), "releases.%.200s.", rel->key) < 0 ||
        snprintf(eco, sizeof(eco), "debian:%.200s", rel->key) < 0)
        return pl_error_set(err, PL_E_INTERNAL, "snprintf");
    w.ctx = ctx;
    if (rel->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(&w, "", "object", rel, err);
    if (strlen(rel->key) > PL_MAX_NAME_BYTES || rel->key[0] == '\0')
        return pl__intel_bad_field(&w, "", PL_E_PARSE, err, "bad release name");
    r = pl_advisory_add_row(&d->adv);
    r->vuln_id = cve;
    r->package = source;
    r->ecosystem = pl_arena_strndup(&d->arena, eco, strlen(eco));
    if ((rc = pl__intel_get_str(&w, rel, "status", 32, true, &status, err)) != PL_OK ||
        (rc = pl__intel_get_str(&w, rel, "fixed_version", PL_MAX_VERSION_BYTES, false, &fixed,
                                err)) ||
        (rc = pl__intel_get_str(&w, rel, "urgency", 64, false, &r->urgency, err)) != PL_OK ||
        (rc = release_status(&w, status, fixed, r, err)) != PL_OK)
        return rc;
    return release_marker(&w, rel, r, err);
}

static pl_status one_cve(struct debian *d, const char *source, const struct pl_json *cve,
                         struct pl_error *err)
{
    struct pl__where w = {NULL, "source", source, NULL};
    char id[2 * PL_MAX_NAME_BYTES + 2];
    const struct pl_json *releases;
    enum pl_put_result res;
    pl_status rc;

    if (snprintf(id, sizeof(id), "%s/%s", source, cve->key) >= (int)sizeof(id))
        return pl__intel_bad_field(&w, cve->key, PL_E_TOOBIG, err, "name too long");
    w.name = id;
    if (cve->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(&w, "", "object", cve, err);
    pl_advisory_reset(&d->adv);
    pl_arena_reset(&d->arena);
    d->adv.id = id;
    if ((rc = pl__intel_get_str(&w, cve, "description", PL_MAX_FIELD_BYTES, false, &d->adv.summary,
                                err)) != PL_OK)
        return rc;
    releases = pl_json_get(cve, "releases");
    /* an empty "releases": [] is how the tracker's serialiser writes an empty map */
    if (releases && releases->type == PL_JSON_ARRAY && releases->len == 0)
        releases = NULL;
    else if (releases == NULL || releases->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(&w, "releases", "object", releases, err);
    for (const struct pl_json *rel = releases ? releases->child : NULL; rel; rel = rel->next) {
        if ((rc = add_release(d, &w, rel, source, cve->key, err)) != PL_OK)
            return rc;
    }
    if (d->adv.n_rows == 0) /* no release named: the vulnerability is still known */
        (void)pl_advisory_add_vuln(&d->adv, cve->key);
    if (pl_arena_status(&d->arena) != PL_OK)
        return pl__intel_bad_field(&w, "releases", PL_E_TOOBIG, err, "too many releases");
    if ((rc = pl_advisory_writer_put(d->w, &d->adv, &res, err)) != PL_OK) {
        pl_error_prefix(err, "source '%s'", id);
        return rc;
    }
    pl__intel_count_put(d->stats, res);
    d->stats->records++;
    return PL_OK;
}

static pl_status on_source(const struct pl_json *rec, uint64_t index, void *data,
                           struct pl_error *err)
{
    struct debian *d = data;
    struct pl__where w = {NULL, "source", rec->key, NULL};

    (void)index;
    if (rec->key == NULL || strlen(rec->key) > PL_MAX_NAME_BYTES || rec->key[0] == '\0')
        return pl__intel_bad_field(&w, "(name)", PL_E_PARSE, err, "empty or longer than %d bytes",
                                   PL_MAX_NAME_BYTES);
    if (rec->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(&w, "(value)", "object of CVEs", rec, err);
    for (const struct pl_json *cve = rec->child; cve; cve = cve->next) {
        pl_status rc = one_cve(d, rec->key, cve, err);

        if (rc != PL_OK)
            return rc;
    }
    return PL_OK;
}

pl_status pl_intel_import_debian(struct pl_store *s, struct pl_reader *r,
                                 const struct pl_import_opts *opts, struct pl_import_stats *stats,
                                 struct pl_error *err)
{
    struct debian d = {.stats = stats};
    struct pl_json_stream_opts jo = {
        .records_path = "", .members = true, .on_record = on_source, .data = &d};
    pl_status rc;

    (void)opts;
    if ((rc = pl_advisory_writer_open(s, &d.w, err)) != PL_OK)
        return rc;
    pl_advisory_init(&d.adv, "debian");
    pl_arena_init(&d.arena, PL_MAX_ADVISORY_SCRATCH_BYTES);
    rc = pl_json_stream(r, &jo, err);
    pl_arena_release(&d.arena);
    pl_advisory_release(&d.adv);
    pl_advisory_writer_close(d.w);
    return rc;
}

/*
 * {"SOURCE": {"CVE-...": {... "releases": ...: a top-level object whose
 * first member's value has a CVE (or TEMP-) key and a "releases" member.
 */
int pl_intel_detect_debian(const char *head, size_t n)
{
    size_t i = 0;
    bool cve = false, releases = false;

    while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
        i++;
    if (i >= n || head[i] != '{')
        return 0;
    for (size_t k = i; k + 12 < n; k++) {
        if (strncmp(head + k, "\"CVE-", 5) == 0 || strncmp(head + k, "\"TEMP-", 6) == 0)
            cve = true;
        if (strncmp(head + k, "\"releases\"", 10) == 0)
            releases = true;
        if (strncmp(head + k, "\"csaf_version\"", 14) == 0 ||
            strncmp(head + k, "\"secfixes\"", 10) == 0)
            return 0;
    }
    return cve && releases ? 80 : 0;
}
