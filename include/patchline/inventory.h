/*
 * inventory.h - what is installed on this host (or an image/chroot): the
 * package databases of dpkg, rpm and apk, os-release, the running kernel,
 * the reboot-required flag and the last-patched date.
 *
 * The parsers take a buffer and its length and trust nothing in it: every
 * error names the file, the line and the field ("FILE:LINE: field 'X':
 * what is wrong"). They are pure and thread-safe. The collector reads files
 * through the input front door (file.h) and runs rpm through spawn.h.
 * Ownership: filled lists and structs own their strings; release them with
 * the matching *_release function.
 */
#ifndef PATCHLINE_INVENTORY_H
#define PATCHLINE_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/file.h"
#include "patchline/store.h"

/*
 * Parse a dpkg status database (RFC 822-style stanzas). Appends to out the
 * packages whose Status is "install ok installed" or "hold ok installed",
 * with ecosystem "dpkg", source name/version from Source (defaulting to
 * the binary name and version). `path` is used in messages only.
 */
PL_NODISCARD pl_status pl_dpkg_status_parse(const char *path, const char *data, size_t len,
                                            struct pl_package_list *out, struct pl_error *err);

/* Parse an apk installed database (P:, V:, A:, o: lines; blank line between packages). */
PL_NODISCARD pl_status pl_apk_installed_parse(const char *path, const char *data, size_t len,
                                              struct pl_package_list *out, struct pl_error *err);

/* The query format pl_rpm_query passes to rpm --qf: one tab-separated line per package. */
extern const char pl_rpm_query_format[];

/*
 * Parse the output of `rpm -qa --qf pl_rpm_query_format` (`what` names it in
 * messages). Versions are "[EPOCH:]VERSION-RELEASE"; the source package
 * comes from SOURCERPM; installed_at from INSTALLTIME. gpg-pubkey entries
 * (keys, not packages) are skipped.
 */
PL_NODISCARD pl_status pl_rpm_output_parse(const char *what, const char *data, size_t len,
                                           struct pl_package_list *out, struct pl_error *err);

/*
 * Run `rpm [--root ROOT] [--dbpath DBPATH] -qa --qf ...` (no shell) and
 * parse its output. root NULL or "/" is this host; dbpath (NULL: rpm's
 * default) is relative to root, e.g. "/var/lib/rpm". PL_E_NOTFOUND when
 * rpm is not installed; PL_E_IO when it fails (with its stderr in the
 * message).
 */
PL_NODISCARD pl_status pl_rpm_query(const char *root, const char *dbpath,
                                    struct pl_package_list *out, struct pl_error *err);

/* The fields of os-release that Patchline uses; NULL when absent. */
struct pl_os_release {
    char *id, *id_like, *version_id, *version_codename, *pretty_name;
};

/* Parse an os-release file (shell-style assignments, quoted values with escapes). */
PL_NODISCARD pl_status pl_os_release_parse(const char *path, const char *data, size_t len,
                                           struct pl_os_release *out, struct pl_error *err);
void pl_os_release_release(struct pl_os_release *o);

/*
 * The latest "install" or "upgrade" action in a dpkg.log (plain or
 * compressed): *found is false when there is none. Times in the log are
 * taken as UTC.
 */
PL_NODISCARD pl_status pl_dpkg_log_latest(const char *path, pl_time_t *latest, bool *found,
                                          struct pl_error *err);

/* The latest End-Date (else Start-Date) of an apt history.log entry with Install/Upgrade lines. */
PL_NODISCARD pl_status pl_apt_history_latest(const char *path, pl_time_t *latest, bool *found,
                                             struct pl_error *err);

/* What the collector found on a host or under a root. */
struct pl_host_facts {
    char *name, *hostname, *machine_id;
    struct pl_os_release os;
    char *os_family;     /* first word of ID_LIKE, else ID */
    char *arch;          /* native package architecture, else uname machine (live host only) */
    char *kernel;        /* running kernel release; NULL under --root */
    int reboot_required; /* -1 unknown (rpm hosts), 0, 1 */
    bool has_last_patched;
    pl_time_t last_patched;
    const char *ecosystem; /* "dpkg", "rpm", "apk" (static storage) */
    struct pl_package_list packages;
};

struct pl_collect_opts {
    const char *root; /* NULL or "/": this host, with its running kernel */
    const char *name; /* NULL: etc/hostname under root, else uname nodename */
};

/* Read every fact of the host or root without touching the store. */
PL_NODISCARD pl_status pl_host_collect(const struct pl_collect_opts *opts,
                                       struct pl_host_facts *out, struct pl_error *err);
void pl_host_facts_release(struct pl_host_facts *f);

struct pl_collect_summary {
    int64_t asset_id;
    bool created;
    const char *ecosystem;
    size_t n_packages;
    struct pl_package_sync sync;
};

/*
 * Collect and store: one asset (source 'local', key = machine-id, else the
 * name), its identifiers and packages, and an audit event
 * "inventory.collect". Runs in the caller's transaction (it opens a nested
 * one). Seen times are pl_clock_now().
 */
PL_NODISCARD pl_status pl_inventory_collect(struct pl_store *s, const struct pl_collect_opts *opts,
                                            struct pl_collect_summary *out, struct pl_error *err);

/* ---- importers of discovery sources (`inventory import`) ---------------- */

/* What one import did. */
struct pl_inv_import_stats {
    uint64_t records;  /* hosts / resources / components read */
    uint64_t created;  /* assets created */
    uint64_t merged;   /* observations that matched an existing asset */
    uint64_t packages; /* packages recorded */
    uint64_t vulns;    /* scanner-reported vulnerabilities recorded */
    uint64_t skipped;  /* records deliberately skipped (e.g. hosts that were down) */
};

struct pl_inv_import_opts {
    const char *scope; /* network scope for private addresses (--scope), NULL: default */
    bool progress;
    const char *const *map; /* CSV column mappings "COLUMN=FIELD" (--map) */
    size_t n_map;
    /*
     * AWS CLI --query output (json, text or table): the columns, as a
     * comma-separated list of field expressions (--columns), or the --query
     * expression whose final multiselect list names them (--query). NULL:
     * the documented default query of the command.
     */
    const char *columns, *query;
};

/*
 * An importer: reads all of r (through the JSON/XML/CSV front doors) and
 * records assets, packages and scanner findings in s, inside the caller's
 * transaction. Errors name the file and the element at fault.
 */
typedef pl_status (*pl_inv_import_fn)(struct pl_store *s, struct pl_reader *r,
                                      const struct pl_inv_import_opts *opts,
                                      struct pl_inv_import_stats *stats, struct pl_error *err);

/*
 * Import one file of discovery data (`inventory import [KIND] FILE`): the
 * kind by name (NULL: detected from the first bytes; standard input "-"
 * needs a kind), then its importer inside the caller's transaction, and an
 * audit event "inventory.import". Stores the kind used in *kind_used
 * (static storage).
 */
PL_NODISCARD pl_status pl_inventory_import(struct pl_store *s, const char *kind, const char *path,
                                           const struct pl_inv_import_opts *opts,
                                           struct pl_inv_import_stats *stats,
                                           const char **kind_used, struct pl_error *err);
/*
 * The same, recording record_path (the name the file had where it came
 * from: the client's file of an upload) as the import's source instead of
 * path.
 */
PL_NODISCARD pl_status pl_inventory_import_as(struct pl_store *s, const char *kind,
                                              const char *path, const char *record_path,
                                              const struct pl_inv_import_opts *opts,
                                              struct pl_inv_import_stats *stats,
                                              const char **kind_used, struct pl_error *err);

/*
 * VEX documents are statements about findings, whichever command brings
 * them (`feed import` or `inventory import`): pl_inventory_vex_detect stores
 * in *kind_out the import kind ("openvex", "csaf-vex") of a file that is an
 * OpenVEX document or a CSAF VEX document of a vendor other than Red Hat
 * (Red Hat's CSAF is the csaf feed kind: advisories on its RPM platforms;
 * a document whose first bytes say "Red Hat" or "redhat" is taken for
 * Red Hat's), else NULL. pl_inventory_vex_kind_known: kind is one of those two.
 */
PL_NODISCARD pl_status pl_inventory_vex_detect(const char *path, const char **kind_out,
                                               struct pl_error *err);
bool pl_inventory_vex_kind_known(const char *kind);
/*
 * What `feed import [KIND] PATH` imports as VEX (the CLI and the server): KIND
 * when it is a VEX kind, the detected kind when no KIND is given, else NULL (a feed).
 */
PL_NODISCARD pl_status pl_inventory_vex_choose(const char *kind, const char *path,
                                               const char **vex_out, struct pl_error *err);

/* Names and summaries of every import kind, for help: calls fn for each. */
void pl_inventory_import_kinds(void (*fn)(const char *name, const char *summary, void *data),
                               void *data);

/* What `assets livepatch` read from a live-patch client's report. */
struct pl_livepatch_report {
    char format[32];   /* "canonical-livepatch" or "kpatch" */
    char kernel[128];  /* the running kernel as the client names it */
    char state[64];    /* the patch state ("applied", "nothing-to-apply"; kpatch: "loaded") */
    char version[128]; /* the patch version (kpatch: the first loaded module); "" when none */
    size_t n_fixes;    /* fixes the report lists for the running kernel (kpatch: modules loaded) */
    size_t n_recorded; /* CVE fixes recorded as applied */
    size_t n_unmapped; /* kpatch: loaded modules whose CVEs Patchline cannot name */
};

/*
 * Record the kernel fixes a live patch applied to asset_id's running kernel from path, the
 * output of `canonical-livepatch status --format json` (Status[] with Running, Kernel and
 * Livepatch {State, Version, Fixes[] {Name, Patched}}): with State "applied", every fix whose
 * Name is a CVE and that is Patched; otherwise none (what was recorded before is replaced).
 * Or the output of `kpatch list` (told by its first character not being '{' or '['): each
 * module loaded and [enabled], on the kernel its "Installed patch modules" line names, fixes
 * the CVEs of its name (livepatch_CVE_2019_15918) or, for a RHEL kpatch_KERNEL_V_R module,
 * those of the stored advisories fixing the package kpatch-patch-KERNEL at or before V-R
 * (source "kpatch"). Inside the caller's transaction, with an audit event "asset.livepatch".
 * Errors name the file and the field or line.
 */
PL_NODISCARD pl_status pl_livepatch_import(struct pl_store *s, int64_t asset_id, const char *path,
                                           pl_time_t now, struct pl_livepatch_report *out,
                                           struct pl_error *err);
/* The same, naming the file name (the client's, through the server) in messages and the audit. */
PL_NODISCARD pl_status pl_livepatch_import_as(struct pl_store *s, int64_t asset_id,
                                              const char *path, const char *name, pl_time_t now,
                                              struct pl_livepatch_report *out,
                                              struct pl_error *err);

#endif /* PATCHLINE_INVENTORY_H */
