/*
 * version.h - version orders of the package ecosystems Patchline patches.
 *
 * Depends on core only. Every function is pure: no allocation, no global
 * state, safe to call from any thread. Version strings are borrowed for the
 * duration of the call. A string over PL_MAX_VERSION_BYTES is PL_E_TOOBIG;
 * a string the scheme rejects is PL_E_PARSE with the reason in err.
 * See docs/versions.md for the exact semantics of each scheme.
 */
#ifndef PATCHLINE_VERSION_H
#define PATCHLINE_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/error.h"

enum pl_vscheme {
    PL_VSCHEME_DPKG,      /* Debian: [epoch:]upstream[-revision], libdpkg order */
    PL_VSCHEME_RPM,       /* RPM EVR: [E:]V[-R], rpmverCmp order */
    PL_VSCHEME_RPMVERCMP, /* the bare rpmvercmp() segment order on one string */
    PL_VSCHEME_APK,       /* apk-tools 2.x (Alpine <= 3.22) */
    PL_VSCHEME_APK3,      /* apk-tools 3 (Alpine >= 3.23) */
    PL_VSCHEME_SEMVER,    /* Semantic Versioning 2.0.0, strict */
    PL_VSCHEME_PEP440,    /* Python packaging, PEP 440 */
    PL_VSCHEME_MAVEN,     /* Maven ComparableVersion */
};
#define PL_VSCHEME_COUNT 8

/*
 * Compare a and b (NUL-terminated) under scheme; store -1, 0 or 1 in *cmp.
 * PL_E_PARSE (message "invalid SCHEME version 'V': REASON") or PL_E_TOOBIG
 * when either is invalid; *cmp is then untouched.
 */
PL_NODISCARD pl_status pl_version_cmp(enum pl_vscheme scheme, const char *a, const char *b,
                                      int *cmp, struct pl_error *err);

/* The same on counted strings (they need not be NUL-terminated; a NUL inside is invalid). */
PL_NODISCARD pl_status pl_version_cmpn(enum pl_vscheme scheme, const char *a, size_t a_len,
                                       const char *b, size_t b_len, int *cmp, struct pl_error *err);

/* PL_OK when s is a valid version under scheme, else as pl_version_cmp. */
PL_NODISCARD pl_status pl_version_valid(enum pl_vscheme scheme, const char *s,
                                        struct pl_error *err);
PL_NODISCARD pl_status pl_version_validn(enum pl_vscheme scheme, const char *s, size_t len,
                                         struct pl_error *err);

/* Look up a scheme by its name ("dpkg", "rpm", "rpmvercmp", "apk", "apk3", "semver",
 * "pep440", "maven"); false when unknown. */
bool pl_vscheme_from_name(const char *name, enum pl_vscheme *out);

/* The scheme's name; "?" for a value outside the enum. Static storage. */
const char *pl_vscheme_name(enum pl_vscheme scheme);

/*
 * apk dependency operators as apk-tools evaluates them, on any two strings
 * (apk compares strings it would reject, token by token, and so does this).
 * op: "<", "<=", "=", ">=", ">", "~" (fuzzy: b is a prefix of a by tokens),
 * "<~", ">~", and any of these prefixed by "!" (negated). scheme is
 * PL_VSCHEME_APK or PL_VSCHEME_APK3. PL_E_INVALID for another scheme or op.
 */
PL_NODISCARD pl_status pl_version_apk_match(enum pl_vscheme scheme, const char *a, const char *op,
                                            const char *b, bool *match, struct pl_error *err);

/*
 * A parse-once dpkg version for comparing one version against many. The
 * spans point into the string given to pl_version_dpkg_parse, which must
 * outlive the struct.
 */
struct pl_dpkg_version {
    uint32_t epoch;
    const char *upstream;
    size_t upstream_len;
    const char *revision; /* "" when absent */
    size_t revision_len;
};

PL_NODISCARD pl_status pl_version_dpkg_parse(const char *s, size_t len, struct pl_dpkg_version *out,
                                             struct pl_error *err);

/* -1, 0 or 1. */
int pl_version_dpkg_cmp_parsed(const struct pl_dpkg_version *a, const struct pl_dpkg_version *b);

/*
 * A parse-once RPM EVR ("[E:]V[-R]"), as for dpkg above: spans into the
 * string given to pl_version_rpm_parse, which must outlive the struct.
 */
struct pl_rpm_version {
    const char *epoch; /* digits; "0" when absent */
    size_t epoch_len;
    const char *version;
    size_t version_len;
    const char *release; /* NULL when absent (sorts below any release) */
    size_t release_len;
};

PL_NODISCARD pl_status pl_version_rpm_parse(const char *s, size_t len, struct pl_rpm_version *out,
                                            struct pl_error *err);

/* -1, 0 or 1. */
int pl_version_rpm_cmp_parsed(const struct pl_rpm_version *a, const struct pl_rpm_version *b);

#endif /* PATCHLINE_VERSION_H */
