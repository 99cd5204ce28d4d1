/*
 * core_int.h - private to src/intel: helpers shared by the importers of the
 * global catalogues (kev.c, epss.c, nvd.c, cve5.c).
 */
#ifndef PATCHLINE_CORE_INT_H
#define PATCHLINE_CORE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "patchline/intel.h"
#include "patchline/json.h"

/* Longest CVE identifier accepted ("CVE-YYYY-" plus up to 19 digits). */
#define PL_CVE_ID_MAX 32

/* True for "CVE-YYYY-NNNN" with 4 or more digits in the last part. */
bool pl__intel_cve_valid(const char *s);

/*
 * Member key of obj as a string into *out (NULL when absent and not
 * required). PL_E_PARSE "field 'NAME': missing" or "field 'NAME': expected
 * a string, got TYPE"; NAME is prefix.key when prefix is not NULL.
 */
PL_NODISCARD pl_status pl__intel_want_str(const struct pl_json *obj, const char *prefix,
                                          const char *key, bool required, const char **out,
                                          struct pl_error *err);
/* The same for a time (ISO 8601); *out is 0 when absent and not required. */
PL_NODISCARD pl_status pl__intel_want_time(const struct pl_json *obj, const char *prefix,
                                           const char *key, bool required, pl_time_t *out,
                                           struct pl_error *err);
/* The same for an array or an object (type t); *out NULL when absent. */
PL_NODISCARD pl_status pl__intel_want(const struct pl_json *obj, const char *prefix,
                                      const char *key, enum pl_json_type t,
                                      const struct pl_json **out, struct pl_error *err);

/*
 * pl_feed_import reading open_path but recording record_path (a URL) as the
 * feed's path: used by sync.
 */
PL_NODISCARD pl_status pl__intel_feed_import_as(struct pl_store *s, const char *kind,
                                                const char *open_path, const char *record_path,
                                                const struct pl_import_opts *opts,
                                                struct pl_feed_result *res, struct pl_error *err);

/* Prefix err's message ("FMT: ...") and return rc (also when err is NULL). */
pl_status pl__intel_prefix(pl_status rc, struct pl_error *err, const char *fmt, ...)
    PL_PRINTF(3, 4);

/* Count one write outcome into stats. */
void pl__intel_count(struct pl_import_stats *stats, enum pl_intel_outcome o);

/* Progress line on stderr every `every` records when opts->progress. */
void pl__intel_progress(const struct pl_import_opts *opts, const char *path, uint64_t records);

/* Store the CVSS metric of CVE JSON 5 / NVD shape: version key -> "3.1" etc. */
struct pl__cvss_key {
    const char *key;
    const char *version;
};

#endif /* PATCHLINE_CORE_INT_H */
