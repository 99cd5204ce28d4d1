/*
 * distro_int.h - private to src/intel: helpers shared by the distribution
 * and ecosystem importers (osv.c, debian.c, secdb.c, csaf.c).
 */
#ifndef PATCHLINE_DISTRO_INT_H
#define PATCHLINE_DISTRO_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "patchline/intel.h"
#include "patchline/json.h"

/*
 * Where an importer is, for error messages: "FILE: WHAT 'NAME'". file is
 * NULL inside pl_json_stream callbacks, which prefix "FILE: record K".
 */
struct pl__where {
    const char *file;
    const char *what; /* "advisory", "source", "package", "document" */
    const char *name; /* advisory id, package name; may be NULL */
    const char *ctx;  /* prefix of field names ("affected[2]."); may be NULL */
};

/*
 * Set err to "FILE: WHAT 'NAME': field 'FIELD': expected TYPE, got TYPE"
 * (or "missing" when v is NULL) and return PL_E_PARSE.
 */
pl_status pl__intel_bad_type(const struct pl__where *w, const char *field, const char *expected,
                             const struct pl_json *v, struct pl_error *err);

/* Set err to "FILE: WHAT 'NAME': field 'FIELD': MSG" and return code. */
pl_status pl__intel_bad_field(const struct pl__where *w, const char *field, pl_status code,
                              struct pl_error *err, const char *fmt, ...) PL_PRINTF(5, 6);

/*
 * Member key of v when it is a string no longer than max bytes (else an
 * error naming field); *out NULL when absent and !required.
 */
PL_NODISCARD pl_status pl__intel_get_str(const struct pl__where *w, const struct pl_json *v,
                                         const char *key, size_t max, bool required,
                                         const char **out, struct pl_error *err);

/* Member key of v when it is of type t (or absent: *out NULL); else an error. */
PL_NODISCARD pl_status pl__intel_get_typed(const struct pl__where *w, const struct pl_json *v,
                                           const char *key, enum pl_json_type t,
                                           const struct pl_json **out, struct pl_error *err);

/* Count a put result into stats. */
void pl__intel_count_put(struct pl_import_stats *stats, enum pl_put_result r);

/*
 * Stable ecosystem name: lower case; Debian release numbers become codenames
 * ("Debian:12" -> "debian:bookworm"); "Ubuntu:22.04:LTS" -> "ubuntu:22.04";
 * "Rocky Linux:9" -> "rocky:9"; "Red Hat:enterprise_linux:9::appstream" ->
 * "redhat:9". Writes into out (cap bytes); false when it does not fit.
 */
bool pl__intel_ecosystem_normalise(const char *in, char *out, size_t cap);

/* "redhat:9" style ecosystem from a Red Hat CPE; false when not a Red Hat CPE. */
bool pl__intel_ecosystem_from_cpe(const char *cpe, char *out, size_t cap);

#endif /* PATCHLINE_DISTRO_INT_H */
