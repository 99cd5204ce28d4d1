/*
 * inventory_int.h - private to src/inventory: text spans and the checks
 * every parser applies to untrusted names and versions.
 */
#ifndef PATCHLINE_INVENTORY_INT_H
#define PATCHLINE_INVENTORY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "patchline/buf.h"
#include "patchline/error.h"
#include "patchline/inventory.h"

/* A borrowed slice of the input. */
struct span {
    const char *p;
    size_t n;
};

/* A malloc'd NUL-terminated copy of s. */
char *pl__inventory_inv_dup(struct span s);

/* Trim blanks (space, tab, CR) on both sides. */
struct span pl__inventory_inv_trim(struct span s);

/*
 * Check a name, version or architecture token from input: not empty, at
 * most max bytes, valid UTF-8, no control characters or blanks. On failure
 * "PATH:LINE: field 'FIELD': WHAT".
 */
PL_NODISCARD pl_status pl__inventory_inv_check_token(const char *path, size_t line,
                                                     const char *field, struct span v, size_t max,
                                                     struct pl_error *err);

/* Add one package with copies of the given spans (src spans may have n == 0: NULL). */
void pl__inventory_inv_add(struct pl_package_list *out, const char *ecosystem, struct span name,
                           struct span version, struct span arch, struct span src,
                           struct span src_ver);

/* Free the packages past the first n (undo a failed parse). */
void pl__inventory_inv_truncate(struct pl_package_list *l, size_t n);

/*
 * The host path of rel ("var/lib/dpkg/status") under root (NULL or "/": this host).
 * Under a root, symbolic links are resolved as inside a chroot: absolute links and ".."
 * never leave the root.
 */
PL_NODISCARD pl_status pl__inventory_inv_path(const char *root, const char *rel, struct pl_buf *out,
                                              struct pl_error *err);

/*
 * The registry of `inventory import` kinds, in two tables so that two sets
 * of importers can grow independently (kinds_infra.c: csv, nmap, aws-*,
 * azure-graph; kinds_scan.c: k8s-*, trivy, grype, cyclonedx, spdx, shodan,
 * censys, nessus, qualys, intune, jamf). detect() returns a confidence
 * 0..100 for the first bytes of a file; the highest wins.
 */
struct pl__inv_kind {
    const char *name;
    const char *summary;
    pl_inv_import_fn import;
    int (*detect)(const char *head, size_t n);
};

extern const struct pl__inv_kind pl__inv_kinds_infra[];
extern const struct pl__inv_kind pl__inv_kinds_scan[];

#endif /* PATCHLINE_INVENTORY_INT_H */
