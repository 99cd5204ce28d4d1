/*
 * scan_int.h - private to the importers of scanners, SBOMs, Kubernetes,
 * exposure and device-management exports (import-scan): the import
 * context, checks on imported text, package accumulation, purl and
 * ecosystem mapping, severities.
 */
#ifndef PATCHLINE_SCAN_INT_H
#define PATCHLINE_SCAN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/json.h"
#include "patchline/store.h"

#include "inventory_int.h"

/* One running import. */
struct scan {
    struct pl_store *s;
    struct pl_reader *r;
    const char *path;   /* the file, for messages */
    const char *source; /* "trivy", "grype", ... (asset_sources, scanner_vulns) */
    const struct pl_inv_import_opts *opts;
    struct pl_inv_import_stats *stats;
    pl_time_t now;
    int64_t run_id;
};

/* Start: fill sc and record the run (scanner_runs). */
PL_NODISCARD pl_status pl__inventory_scan_begin(struct scan *sc, struct pl_store *s,
                                                struct pl_reader *r, const char *source,
                                                const struct pl_inv_import_opts *opts,
                                                struct pl_inv_import_stats *stats,
                                                struct pl_error *err);

/* Kinds of imported text, each with its own cap and rules. */
enum scan_text {
    SCAN_NAME,    /* an asset name or other display text: any UTF-8 but NUL */
    SCAN_PACKAGE, /* a package name: no control characters */
    SCAN_TOKEN,   /* a version, id, address: no control characters or blanks */
};

/*
 * The string member `field` of object v checked as `kind`, or NULL when it
 * is absent or null. A member of another type, an empty token, or text over
 * its cap is an error "FILE: WHERE: field 'FIELD': what" (where names the
 * record).
 */
PL_NODISCARD pl_status pl__inventory_scan_str(const struct scan *sc, const char *where,
                                              const struct pl_json *v, const char *field,
                                              enum scan_text kind, const char **out,
                                              struct pl_error *err);

/*
 * Descriptive text (a title, a banner): the string member `field` of v, or
 * NULL; text over PL_MAX_SCAN_TEXT_BYTES is cut on a UTF-8 boundary into
 * buf (PL_MAX_SCAN_TEXT_BYTES + 1 bytes) and "..." is appended.
 */
const char *pl__inventory_scan_long(const struct pl_json *v, const char *field, char *buf);

/* Check a string already in hand (same rules and message as pl__inventory_scan_str). */
PL_NODISCARD pl_status pl__inventory_scan_check(const struct scan *sc, const char *where,
                                                const char *field, const char *s, size_t len,
                                                enum scan_text kind, struct pl_error *err);

/* Member `field` must be of type t (or absent when optional). */
PL_NODISCARD pl_status pl__inventory_scan_type(const struct scan *sc, const char *where,
                                               const struct pl_json *v, const char *field,
                                               enum pl_json_type t, bool optional,
                                               struct pl_error *err);

/* Packages of one asset, grouped by ecosystem, deduplicated at sync. */
#define SCAN_MAX_ECOSYSTEMS 32
struct scan_pkgs {
    char *eco[SCAN_MAX_ECOSYSTEMS];
    struct pl_package_list list[SCAN_MAX_ECOSYSTEMS];
    size_t n_eco;
    size_t total;
    uint64_t duplicates; /* same name and arch listed again (first kept) */
};

/* Add one package (copies). PL_E_TOOBIG past the caps (ecosystems, packages per asset). */
PL_NODISCARD pl_status pl__inventory_scan_pkg_add(const struct scan *sc, struct scan_pkgs *p,
                                                  const char *eco, const char *name,
                                                  const char *version, const char *arch,
                                                  const char *purl, struct pl_error *err);

/* The same with the source package and its version (NULL: the binary's own). */
PL_NODISCARD pl_status pl__inventory_scan_pkg_add_src(const struct scan *sc, struct scan_pkgs *p,
                                                      const char *eco, const char *name,
                                                      const char *version, const char *arch,
                                                      const char *purl, const char *src,
                                                      const char *srcver, struct pl_error *err);

/* Sync every ecosystem of p to the asset; counts packages in sc->stats. */
PL_NODISCARD pl_status pl__inventory_scan_pkg_sync(struct scan *sc, int64_t asset_id,
                                                   struct scan_pkgs *p, struct pl_error *err);
void pl__inventory_scan_pkgs_release(struct scan_pkgs *p);

/* A parsed package URL (pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH), decoded. */
struct scan_purl {
    char type[32];
    char name[512];    /* NAMESPACE/NAME, or GROUP:ARTIFACT for maven */
    char version[256]; /* "" when none */
    char arch[64];     /* the arch qualifier, "" when none */
    char epoch[16];    /* the epoch qualifier (rpm), "" when none */
};

/* Parse a purl; false when s is not one (or a part is over its size). */
bool pl__inventory_scan_purl_parse(const char *s, struct scan_purl *out);

/* The Patchline ecosystem of a purl type ("deb" -> "dpkg", "pypi" -> "pypi"); NULL if unknown. */
const char *pl__inventory_scan_purl_ecosystem(const char *type);

/* The Patchline ecosystem of a Trivy / Grype package type ("debian", "gomod", "java-archive"). */
const char *pl__inventory_scan_type_ecosystem(const char *type);

/*
 * The os-release ID Patchline keeps for an OS family name a scanner writes
 * (Trivy's "alma", "redhat", "suse linux enterprise server", Grype's
 * distro names): "almalinux", "rhel", "sles", ... Known IDs and names are
 * returned as os-release spells them; NULL for a name Patchline does not
 * know (the caller keeps it as it is, and the scan names it as unassessed).
 */
const char *pl__inventory_scan_os_id(const char *family);

/* The os_family (ID_LIKE) of an os-release ID: "debian", "rhel", "suse", "alpine", or the ID. */
const char *pl__inventory_scan_os_family(const char *id);

/* Normalise a scanner severity ("CRITICAL", "Negligible", "4") to store values; "unknown". */
const char *pl__inventory_scan_severity(const char *s);

/* Parse an RFC 3339 time with optional fraction ("2024-01-02T03:04:05.123Z"); false if not. */
bool pl__inventory_scan_time(const char *s, pl_time_t *out);

/* A MAC address in any common spelling ("F8E4E3A1B2C3", "f8-e4-...") as "f8:e4:e3:a1:b2:c3". */
bool pl__inventory_scan_mac(const char *in, char out[18]);

/* Add one tag to an asset (through pl_store_asset_facts: imports only add tags). */
PL_NODISCARD pl_status pl__inventory_scan_tag(struct scan *sc, int64_t asset_id, const char *tag,
                                              struct pl_error *err);

/* Observe, counting created/merged in sc->stats. */
PL_NODISCARD pl_status pl__inventory_scan_observe(struct scan *sc, const struct pl_observation *o,
                                                  int64_t *asset_id, struct pl_error *err);

/* Upsert a scanner vulnerability for an asset (counts sc->stats->vulns). */
PL_NODISCARD pl_status pl__inventory_scan_vuln(struct scan *sc, int64_t asset_id,
                                               const struct pl_scanner_vuln *v,
                                               struct pl_error *err);

/* Scanner vulnerabilities held until their asset is known (copies). */
struct scan_vulns {
    struct pl_scanner_vuln *items; /* strings owned by the list */
    size_t n, cap;
};

/* Hold a copy of v. PL_E_TOOBIG past PL_MAX_SCANNER_VULNS_PER_ASSET. */
PL_NODISCARD pl_status pl__inventory_scan_vulns_add(const struct scan *sc, struct scan_vulns *l,
                                                    const struct pl_scanner_vuln *v,
                                                    struct pl_error *err);

/*
 * Store every held vulnerability for the asset, then resolve the ones this
 * source no longer reports there (see pl_store_scanner_vulns_resolve).
 */
PL_NODISCARD pl_status pl__inventory_scan_vulns_flush(struct scan *sc, int64_t asset_id,
                                                      const struct scan_vulns *l,
                                                      struct pl_error *err);
void pl__inventory_scan_vulns_release(struct scan_vulns *l);

/* pl_json_stream, with messages naming the file once. */
PL_NODISCARD pl_status pl__inventory_scan_json(struct scan *sc, struct pl_reader *r,
                                               const struct pl_json_stream_opts *o,
                                               struct pl_error *err);

/*
 * Stream r with o. A document whose records array is missing (a report
 * with nothing in it) is read again whole from its path and handed to
 * o->on_rest as one record (not possible on standard input).
 */
PL_NODISCARD pl_status pl__inventory_scan_stream(struct scan *sc, struct pl_json_stream_opts *o,
                                                 struct pl_error *err);

/* Case-insensitive search for needle in the first n bytes of head. */
bool pl__inventory_scan_has(const char *head, size_t n, const char *needle);

/* One open service seen from the internet (shodan.c), strings borrowed. */
struct scan_service {
    const char *ip;
    const char *const *hostnames; /* n_hostnames names (reverse DNS, certificates) */
    size_t n_hostnames;
    int64_t port;
    const char *transport, *service, *product, *version;
    const char *scanner; /* "Shodan", "Censys" (for the evidence text) */
    pl_time_t when;      /* 0: unknown */
};

/* Assets touched by an exposure import (to resolve their stale vulnerabilities at the end). */
struct scan_touched {
    int64_t *ids;
    size_t n, cap;
};

/*
 * Mark the asset that owns svc->ip (or one of its names) internet-facing,
 * creating an unmanaged asset for an unknown address, and record the
 * service as exposure evidence. The asset id goes to *asset_id.
 */
PL_NODISCARD pl_status pl__inventory_scan_exposure(struct scan *sc, const struct scan_service *svc,
                                                   struct scan_touched *touched, int64_t *asset_id,
                                                   struct pl_error *err);

/*
 * A service CPE an internet scanner reports (Shodan `cpe23`/`cpe`, Censys
 * `software[].uniform_resource_identifier`), kept as software of the asset
 * for CPE matching. A CPE without a version ("cpe:2.3:o:fortinet:fortios",
 * version `*` or empty) takes `version` (the banner's or the software
 * entry's) when that is a plain version token; one still without a version
 * is kept too (it identifies the product; matching needs a version). A
 * value that is not a CPE 2.2 URI or 2.3 string is an error naming the
 * record and field.
 */
PL_NODISCARD pl_status pl__inventory_scan_cpe(struct scan *sc, int64_t asset_id, const char *where,
                                              const char *field, const char *cpe,
                                              const char *version, const char *protocol,
                                              int64_t port, struct pl_error *err);

/* Resolve the stale vulnerabilities (and CPEs) of every touched asset, then free the list. */
PL_NODISCARD pl_status pl__inventory_scan_touched_finish(struct scan *sc, struct scan_touched *t,
                                                         struct pl_error *err);

/* Severity from a CVSS base score (9.0 critical, 7.0 high, 4.0 medium, > 0 low, 0 none). */
const char *pl__inventory_scan_cvss_severity(double score);

/* The importers (one file each). */
pl_status pl__inventory_import_trivy(struct pl_store *s, struct pl_reader *r,
                                     const struct pl_inv_import_opts *opts,
                                     struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_trivy(const char *head, size_t n);
pl_status pl__inventory_import_grype(struct pl_store *s, struct pl_reader *r,
                                     const struct pl_inv_import_opts *opts,
                                     struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_grype(const char *head, size_t n);
pl_status pl__inventory_import_cyclonedx(struct pl_store *s, struct pl_reader *r,
                                         const struct pl_inv_import_opts *opts,
                                         struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_cyclonedx(const char *head, size_t n);
pl_status pl__inventory_import_cyclonedx_xml(struct pl_store *s, struct pl_reader *r,
                                             const struct pl_inv_import_opts *opts,
                                             struct pl_inv_import_stats *stats,
                                             struct pl_error *err);
int pl__inventory_detect_cyclonedx_xml(const char *head, size_t n);
pl_status pl__inventory_import_spdx(struct pl_store *s, struct pl_reader *r,
                                    const struct pl_inv_import_opts *opts,
                                    struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_spdx(const char *head, size_t n);
pl_status pl__inventory_import_spdx3(struct pl_store *s, struct pl_reader *r,
                                     const struct pl_inv_import_opts *opts,
                                     struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_spdx3(const char *head, size_t n);
pl_status pl__inventory_import_spdx_tv(struct pl_store *s, struct pl_reader *r,
                                       const struct pl_inv_import_opts *opts,
                                       struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_spdx_tv(const char *head, size_t n);
pl_status pl__inventory_import_k8s_nodes(struct pl_store *s, struct pl_reader *r,
                                         const struct pl_inv_import_opts *opts,
                                         struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_k8s_nodes(const char *head, size_t n);
pl_status pl__inventory_import_k8s_pods(struct pl_store *s, struct pl_reader *r,
                                        const struct pl_inv_import_opts *opts,
                                        struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_k8s_pods(const char *head, size_t n);
pl_status pl__inventory_import_shodan(struct pl_store *s, struct pl_reader *r,
                                      const struct pl_inv_import_opts *opts,
                                      struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_shodan(const char *head, size_t n);
pl_status pl__inventory_import_censys(struct pl_store *s, struct pl_reader *r,
                                      const struct pl_inv_import_opts *opts,
                                      struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_censys(const char *head, size_t n);
/*
 * The product a Windows build is ("10.0.20348.4773" -> "Windows Server
 * 2022"), as MSRC documents name it (pl_msrc_product_key); NULL for a build
 * that is not major.minor.build.revision or not known.
 */
const char *pl__inventory_windows_product(const char *build, bool server);
/* Sync the asset's "msrc" package: its product at build (nothing for an unknown build). */
PL_NODISCARD pl_status pl__inventory_windows_build_package(struct scan *sc, int64_t asset,
                                                           const char *build, bool server,
                                                           struct pl_error *err);
/* One host of a lines-of-JSON import; where names it in errors ("host 3"). */
typedef pl_status (*pl__inventory_host_fn)(struct scan *sc, const struct pl_json *rec,
                                           const char *where, struct pl_error *err);
/*
 * A lines-of-JSON import as source whose records are one host each or an
 * array of hosts (label: "host", "computer" in errors): windows.c.
 */
PL_NODISCARD pl_status pl__inventory_import_hosts(struct pl_store *s, struct pl_reader *r,
                                                  const char *source, const char *label,
                                                  pl__inventory_host_fn host,
                                                  const struct pl_inv_import_opts *opts,
                                                  struct pl_inv_import_stats *stats,
                                                  struct pl_error *err);
pl_status pl__inventory_import_windows(struct pl_store *s, struct pl_reader *r,
                                       const struct pl_inv_import_opts *opts,
                                       struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_windows(const char *head, size_t n);
/* Configuration Manager computer reports (CSV) and Get-WsusComputer JSON: windows_reports.c */
pl_status pl__inventory_import_sccm(struct pl_store *s, struct pl_reader *r,
                                    const struct pl_inv_import_opts *opts,
                                    struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_sccm(const char *head, size_t n);
pl_status pl__inventory_import_wsus(struct pl_store *s, struct pl_reader *r,
                                    const struct pl_inv_import_opts *opts,
                                    struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_wsus(const char *head, size_t n);
pl_status pl__inventory_import_intune(struct pl_store *s, struct pl_reader *r,
                                      const struct pl_inv_import_opts *opts,
                                      struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_intune(const char *head, size_t n);
pl_status pl__inventory_import_jamf(struct pl_store *s, struct pl_reader *r,
                                    const struct pl_inv_import_opts *opts,
                                    struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_jamf(const char *head, size_t n);
pl_status pl__inventory_import_nessus(struct pl_store *s, struct pl_reader *r,
                                      const struct pl_inv_import_opts *opts,
                                      struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_nessus(const char *head, size_t n);
pl_status pl__inventory_import_qualys(struct pl_store *s, struct pl_reader *r,
                                      const struct pl_inv_import_opts *opts,
                                      struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_qualys(const char *head, size_t n);
pl_status pl__inventory_import_openvex(struct pl_store *s, struct pl_reader *r,
                                       const struct pl_inv_import_opts *opts,
                                       struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_openvex(const char *head, size_t n);
pl_status pl__inventory_import_csaf_vex(struct pl_store *s, struct pl_reader *r,
                                        const struct pl_inv_import_opts *opts,
                                        struct pl_inv_import_stats *stats, struct pl_error *err);
int pl__inventory_detect_csaf_vex(const char *head, size_t n);

#endif /* PATCHLINE_SCAN_INT_H */
