/*
 * import_util.c - field access with typed errors, counting and progress for
 * the importers of the global catalogues.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"

#include "core_int.h"
#include "intel_int.h"

bool pl__intel_cve_valid(const char *s)
{
    size_t n, digits = 0;

    if (s == NULL || strncmp(s, "CVE-", 4) != 0 || (n = strlen(s)) > PL_CVE_ID_MAX || n < 13)
        return false;
    for (int i = 4; i < 8; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    if (s[8] != '-')
        return false;
    for (const char *p = s + 9; *p; p++, digits++)
        if (*p < '0' || *p > '9')
            return false;
    return digits >= 4;
}

static pl_status field_error(struct pl_error *err, const char *prefix, const char *key,
                             const char *what)
{
    return pl_error_set(err, PL_E_PARSE, "field '%s%s%s': %s", prefix ? prefix : "",
                        prefix ? "." : "", key, what);
}

pl_status pl__intel_want(const struct pl_json *obj, const char *prefix, const char *key,
                         enum pl_json_type t, const struct pl_json **out, struct pl_error *err)
{
    const struct pl_json *v = pl_json_get(obj, key);
    char what[64];

    *out = NULL;
    if (v == NULL || v->type == PL_JSON_NULL)
        return PL_OK;
    if (v->type != t) {
        if (snprintf(what, sizeof(what), "expected %s %s, got %s",
                     t == PL_JSON_ARRAY || t == PL_JSON_OBJECT ? "an" : "a", pl_json_type_name(t),
                     pl_json_type_name(v->type)) >= (int)sizeof(what))
            what[sizeof(what) - 1] = '\0';
        return field_error(err, prefix, key, what);
    }
    *out = v;
    return PL_OK;
}

pl_status pl__intel_want_str(const struct pl_json *obj, const char *prefix, const char *key,
                             bool required, const char **out, struct pl_error *err)
{
    const struct pl_json *v;
    pl_status rc;

    *out = NULL;
    if ((rc = pl__intel_want(obj, prefix, key, PL_JSON_STRING, &v, err)) != PL_OK)
        return rc;
    if (v == NULL && required)
        return field_error(err, prefix, key, "missing");
    *out = v ? v->str : NULL;
    return PL_OK;
}

pl_status pl__intel_want_time(const struct pl_json *obj, const char *prefix, const char *key,
                              bool required, pl_time_t *out, struct pl_error *err)
{
    const char *s;
    pl_status rc;
    struct pl_error e2 = PL_ERROR_INIT;

    *out = 0;
    if ((rc = pl__intel_want_str(obj, prefix, key, required, &s, err)) != PL_OK || s == NULL)
        return rc;
    if (pl_time_parse(s, out, &e2) != PL_OK)
        return field_error(err, prefix, key, e2.msg);
    return PL_OK;
}

pl_status pl__intel_prefix(pl_status rc, struct pl_error *err, const char *fmt, ...)
{
    char prefix[PL_ERROR_MSG_BYTES];
    va_list ap;

    va_start(ap, fmt);
    if (vsnprintf(prefix, sizeof(prefix), fmt, ap) >= (int)sizeof(prefix))
        prefix[sizeof(prefix) - 1] = '\0';
    va_end(ap);
    (void)pl_error_prefix(err, "%s", prefix);
    return rc;
}

void pl__intel_count(struct pl_import_stats *stats, enum pl_intel_outcome o)
{
    switch (o) {
    case PL_INTEL_NEW:
        stats->inserted++;
        break;
    case PL_INTEL_UPDATED:
        stats->updated++;
        break;
    case PL_INTEL_UNCHANGED:
        stats->unchanged++;
        break;
    }
}

void pl__intel_progress(const struct pl_import_opts *opts, const char *path, uint64_t records)
{
    struct pl_buf safe = PL_BUF_INIT(16384);

    if (!opts->progress || records == 0 || records % 10000 != 0)
        return;
    pl_escape_terminal(&safe, path); /* an argument: never raw on the terminal */
    fprintf(stderr, "\r%s: %llu records", pl_buf_cstr(&safe), (unsigned long long)records);
    pl_buf_release(&safe);
}

void pl__intel_note_date(struct pl_import_stats *stats, pl_time_t t, const char *fmt, ...)
{
    va_list ap;

    if (t <= stats->latest)
        return;
    stats->latest = t;
    va_start(ap, fmt);
    if (vsnprintf(stats->latest_field, sizeof(stats->latest_field), fmt, ap) >=
        (int)sizeof(stats->latest_field))
        stats->latest_field[sizeof(stats->latest_field) - 1] = '\0';
    va_end(ap);
}
