/*
 * scan_int.h - private to src/match: the state of one pl_match_scan, shared
 * by scan.c (reading and matching), diff.c (tiering and writing) and
 * warn.c (missing and stale feeds).
 */
#ifndef PATCHLINE_SCAN_INT_H
#define PATCHLINE_SCAN_INT_H

#include "match_int.h"

/* One installed package of the asset being scanned (strings in its arena). */
struct pl__pkg {
    const char *pkg_eco, *name, *version, *src, *srcver;
    const char *eco; /* advisory ecosystem, NULL: none */
    char eco_buf[64];
    bool skip;        /* not matched: a kernel package of a kernel matched otherwise (kernel.c) */
    const char *note; /* why (skip), or how a kernel was matched: added to the evidence */
    bool kernel_running; /* an rpm binary of the running kernel: live patches mitigate it */
};

/* One (package, vulnerability) the matcher found: the package and the row that decided it. */
struct pl__cand {
    uint32_t pkg, row;
    const char *kind; /* "binary" or "source" */
};

/* One scanner report of the asset (strings in its arena). */
struct pl__sv {
    const char *source, *vuln, *package, *installed, *fixed, *severity, *title, *status;
    pl_time_t resolved_at;
    const char *evidence, *feed; /* CPE matches (cpe.c): their own; NULL for scanners */
    /* the scanner's own facts (witness.c) */
    const char *cvss_version, *cvss_vector, *cvss_source, *vendor_severity, *exploit;
    const char *source_package, *package_ecosystem;
    double cvss_score;
    bool has_cvss_score;
    pl_time_t first_seen, first_detected;
};

/* A VEX statement that may cover the asset's findings (strings in its arena). */
struct pl__vex {
    int64_t id, asset_id; /* asset_id 0: scoped by product only */
    const char *source, *vuln, *product, *version, *state, *justification, *detail;
    pl_time_t stated_at;
};

struct pl__asset_scan {
    const struct pl_match_asset *asset;
    char os_eco[64];
    struct pl_arena arena; /* reset per asset */
    struct pl__pkg *pkgs;
    size_t n_pkgs, cap_pkgs;
    struct pl__cand *cands;
    size_t n_cands, cap_cands;
    struct pl__smap cands_map;  /* "package\x1fvuln" -> cands index */
    struct pl__smap stored_map; /* "package\x1fvuln" -> stored finding index */
    struct pl__sv *svs;
    size_t n_svs, cap_svs;
    const char *cpe_have; /* "vendor:product version\n" of the asset's CPEs (cpe.c) */
    const char *eol_have; /* "product\tversion\tcycle\n" of its end-of-life software (eol.c) */
    /* "name\n" of every end-of-life product it runs (a cycle of its version known or not) and
     * of every source debian-security-support lists for it: the packages of the findings
     * eol.c can open or close (eol.c) */
    const char *eol_runs;
    /* the end-of-life dates its software depends on (eol.c): the latest passed at the scan's
     * now (0: none) and the next to come (INT64_MAX: none); the findings stand while now is
     * in [eol_lo, eol_hi) */
    pl_time_t eol_lo, eol_hi;
    struct pl__smap pkg_map; /* package name -> pkgs index */
    struct pl__vex *vex;
    size_t n_vex, cap_vex;
    /* vulnerability -> the live package finding its scanner reports without a package witness */
    struct pl__smap targets; /* vuln -> index in tgt_ids (witness.c) */
    int64_t *tgt_ids;
    size_t n_tgt, cap_tgt;
    /* the package carrying the kernel's findings (kernel.c), -1: none */
    long kernel_pkg;
    /* vulnerabilities a live patch fixed in the running kernel (kernel.c) -> 1, and the note */
    struct pl__smap livepatch;
    const char *livepatch_note;
    /* an incremental scan (delta.c): only the packages named here are re-matched and diffed */
    bool partial;
    bool feeds_moved;     /* partial: feeds were imported since its state (the feed delta) */
    bool eol_passed;      /* partial: its end-of-life window was left (its eol_runs findings) */
    struct pl__smap only; /* package name -> index in only_names */
    const char **only_names;
    size_t n_only, cap_only;
};

struct pl__scan {
    struct pl_store *s;
    const struct pl_match_opts *o;
    struct pl_match_summary *sum;
    struct pl_match_asset_list assets;
    struct pl__index ix;
    struct pl__smap vmap; /* vuln -> vf index */
    struct pl__vfacts *vf;
    size_t n_vf;
    struct pl_vuln_risk_list *risk; /* the strings vf borrows */
    size_t n_risk_lists;
    struct pl_findings_writer *w;
    uint64_t scored;               /* computed CVSS scores written */
    struct pl_match_state *states; /* by asset id */
    size_t n_states;
    int64_t feeds_max;
    /* policy name @ digest of its effective YAML + product map digest + end-of-life tables */
    char policy_key[80];
    const struct pl_product_map *products; /* opts->products, else own_products */
    struct pl_product_map *own_products;
    /* the feed delta since the oldest scan state (delta.c) */
    enum { PL__DELTA_NONE, PL__DELTA_LOADED, PL__DELTA_ALL } delta;
    struct pl_arena delta_arena;
    struct pl__smap delta_pkgs; /* "ecosystem\x1fpackage" */
    uint64_t delta_vulns;       /* vulnerabilities whose facts moved */
    /* a scan of a few named assets loads the affected rows of their packages only (by_name),
     * not their ecosystems' whole index */
    bool by_name;
};

/* Up to this many named assets, a scan loads the affected rows by package name. */
#define PL__MATCH_BY_NAME_ASSETS 16

/* What a scan does with an asset (state.c). */
enum pl__asset_plan {
    PL__PLAN_WHOLE, /* read, match and diff everything */
    PL__PLAN_SKIP,  /* unchanged under the same feeds and policy: not read */
    /* unchanged, but feeds were imported since, or an end-of-life date passed: only what the
     * feed delta touched, or the end-of-life software */
    PL__PLAN_DELTA,
};

/* Load the match states, the feeds generation and the policy key (state.c). */
PL_NODISCARD pl_status pl__match_state_load(struct pl__scan *sc, struct pl_error *err);
/*
 * What to do with asset a: skip it (its open counts go to the summary), re-match in part (its
 * stored open counts into counts: per tier slot, then provisional) or everything. In part:
 * *feeds when feeds were imported since its state (what the feed delta touched), *eol when an
 * end-of-life date its software depends on passed, or now went back before one (the window
 * its state records: its end-of-life software is checked again).
 */
enum pl__asset_plan pl__match_state_plan(struct pl__scan *sc, const struct pl_match_asset *a,
                                         uint64_t counts[PL_MATCH_TIERS + 2], bool *feeds,
                                         bool *eol);

/* The oldest feeds generation a scan state records (state.c). */
int64_t pl__match_state_oldest(const struct pl__scan *sc);
/* Read asset id's scan state again (another scan may have written it since the load). */
PL_NODISCARD pl_status pl__match_state_refresh(struct pl__scan *sc, int64_t id,
                                               struct pl_error *err);

/* Load the feed delta once per scan (delta.c); sc->delta says what it holds. */
PL_NODISCARD pl_status pl__match_delta_load(struct pl__scan *sc, struct pl_error *err);
/* The asset's packages the delta touches, and those of its findings whose facts moved. */
PL_NODISCARD pl_status pl__match_delta_select(struct pl__scan *sc, struct pl__asset_scan *as,
                                              struct pl_error *err);
/* Add a package name to the partial scan's set (delta.c). */
void pl__match_delta_only(struct pl__asset_scan *as, const char *name);
/* Whether the partial scan re-matches package name (delta.c). */
bool pl__match_delta_wants(const struct pl__asset_scan *as, const char *name);
/* Whether the feed delta names end-of-life product (an imported table or release data changed
 * its cycles or dates: delta.c). */
bool pl__match_delta_eol(const struct pl__scan *sc, const char *product);
/* Release the scan's delta (delta.c). */
void pl__match_delta_release(struct pl__scan *sc);
/* Record a's state after its diff: the open counts it added since `before`, its end-of-life
 * window (as->eol_lo, as->eol_hi). */
PL_NODISCARD pl_status pl__match_state_put(struct pl__scan *sc, const struct pl__asset_scan *as,
                                           const struct pl_match_counts *before,
                                           uint64_t prov_before, struct pl_error *err);

/* Load the risk facts of ids not known yet (scan.c). */
PL_NODISCARD pl_status pl__match_scan_need_vulns(struct pl__scan *sc, const char *const *ids,
                                                 size_t n, struct pl_error *err);
/* Load the risk facts of the vulnerabilities of as's candidates and stored findings not
 * known yet, in one batch (scan.c). */
PL_NODISCARD pl_status pl__match_scan_need_asset_vulns(struct pl__scan *sc,
                                                       const struct pl__asset_scan *as,
                                                       const struct pl_finding_list *stored,
                                                       struct pl_error *err);

/* Replace *dst by a copy of src when they differ; returns whether it changed (diff.c). */
bool pl__match_set_str(char **dst, const char *src);
/* A stored finding seen again: reopen when closed, count, tier, write when changed (diff.c). */
PL_NODISCARD pl_status pl__match_settle_seen(struct pl__scan *sc, struct pl__asset_scan *as,
                                             struct pl_finding *f, bool dirty,
                                             struct pl_error *err);
/* A new finding: tier, insert, count (diff.c). */
PL_NODISCARD pl_status pl__match_settle_new(struct pl__scan *sc, struct pl__asset_scan *as,
                                            struct pl_finding *nf, struct pl_error *err);

/* The asset's scanner reports and their vulnerabilities' facts (scanner.c). */
PL_NODISCARD pl_status pl__match_scanner_load(struct pl__scan *sc, struct pl__asset_scan *as,
                                              struct pl_error *err);
/* Scanner reports the matcher did not find: new or updated findings (scanner.c). */
/*
 * hostwide false: the reports that name a package; true: those that name
 * none, after every package finding has been settled (the matcher's, the
 * scanners', the stored ones closed or kept): each witnesses the live package
 * findings of its vulnerability (a stored finding of its own folded into
 * them), or stands as its own finding when there is none.
 */
PL_NODISCARD pl_status pl__match_scanner_diff(struct pl__scan *sc, struct pl__asset_scan *as,
                                              struct pl_finding_list *stored, bool *seen,
                                              bool hostwide, struct pl_error *err);
/* Software known by CPE against NVD configurations: appends to as->svs (cpe.c). */
PL_NODISCARD pl_status pl__match_cpe_match(struct pl__scan *sc, struct pl__asset_scan *as,
                                           struct pl_error *err);

/* Software past its end of life (engines, runtimes, appliance OSs, the OS): as->svs (eol.c). */
PL_NODISCARD pl_status pl__match_eol_match(struct pl__scan *sc, struct pl__asset_scan *as,
                                           struct pl_error *err);

/*
 * Whether the asset still runs product, now in a supported cycle (an
 * upgrade): the proof into proof (eol.c).
 */
bool pl__match_eol_still_there(const struct pl__asset_scan *as, const char *product, pl_time_t now,
                               char *proof, size_t cap);

/*
 * Whether the asset's product is no longer behind the latest minor version
 * of cycle (a "lag:" finding): at or past it, or in another cycle; the
 * proof into proof (eol.c).
 */
bool pl__match_eol_lag_gone(const struct pl__asset_scan *as, const char *product, const char *cycle,
                            char *proof, size_t cap);

/* Whether the asset still has a CPE of vendor:product (a version change): proof into proof. */
bool pl__match_cpe_still_there(const struct pl__asset_scan *as, const char *product, char *proof,
                               size_t cap);

/* Whether f's scanner marked it resolved; the proof into proof (scanner.c). */
bool pl__match_scanner_resolved(const struct pl__asset_scan *as, const struct pl_finding *f,
                                char *proof, size_t cap);

/* Load eco's rows and their risk facts the first time (scan.c). */
PL_NODISCARD pl_status pl__match_scan_need_eco(struct pl__scan *sc, const char *eco,
                                               struct pl_error *err);
/* The facts of vuln, or NULL when no row of a loaded ecosystem names it (scan.c). */
const struct pl__vfacts *pl__match_scan_vfacts(struct pl__scan *sc, const char *vuln);

/*
 * Diff the asset's candidates against its stored findings; tier; write changes (diff.c).
 * A partial scan (as->partial) diffs the findings of as->only_names alone; counts (its
 * stored open counts) stand for the others.
 */
PL_NODISCARD pl_status pl__match_scan_diff(struct pl__scan *sc, struct pl__asset_scan *as,
                                           const uint64_t *counts, struct pl_error *err);

/*
 * Close a stored open (or mitigated, accepted) finding the scan did not
 * match: asset-retired, package-removed, or fixed with proof; left as it
 * is otherwise, an open one counted unproven (close.c).
 */
PL_NODISCARD pl_status pl__match_scan_close(struct pl__scan *sc, struct pl__asset_scan *as,
                                            struct pl_finding *f, struct pl_error *err);

/* Append the missing and stale feed warnings to the summary (warn.c). */
PL_NODISCARD pl_status pl__match_scan_warnings(struct pl__scan *sc, struct pl_error *err);

/*
 * Tier one finding with the scan's policy (diff.c), the scanners' reports of
 * it (svs) adding their facts, release dates from s; returns whether anything changed.
 * win (NULL: none): the asset whose end-of-life window the finding's release age bounds.
 */
bool pl__match_tier_finding(struct pl_store *s, const struct pl_policy *p,
                            const struct pl_product_map *m, const struct pl__vfacts *vf,
                            const struct pl_match_asset *a, const struct pl__sv *svs, size_t n_svs,
                            struct pl_finding *f, pl_time_t now, enum pl_due_change *change,
                            struct pl__asset_scan *win);

/* ---- witnesses and VEX (witness.c) -------------------------------------- */

/* Copy a stored scanner report into x (strings into arena). */
void pl__match_sv_copy(struct pl_arena *arena, const struct pl_scanner_view *v, struct pl__sv *x);

/*
 * Fold into facts what the scanners that report (package, vuln) said: their
 * CVSS when the vulnerability has none from NVD, a CNA or CISA (scored from
 * the vector, else as published), their severity word (a band, never a
 * vendor emergency), their exploit flags. note (cap bytes) gets the CVSS
 * line for explain. Strings of facts point into svs.
 */
void pl__match_witness_facts(const struct pl__sv *svs, size_t n, const char *package,
                             const char *vuln, struct pl_facts *facts, char *note, size_t cap);

/*
 * The earliest detection of (package, vuln) by any scanner (its first
 * detection as it says it, clamped at import, else the import that first
 * reported it): the time, and the source into *source; 0 when none.
 */
pl_time_t pl__match_witness_first(const struct pl__sv *svs, size_t n, const char *package,
                                  const char *vuln, const char **source);

/* The scanners' own first detections move first_seen earlier (f->tiered_at reset). */
bool pl__match_witness_clock(const struct pl__asset_scan *as, struct pl_finding *f);

/*
 * Whether a scanner reports vuln open on the asset without naming a package
 * (Nessus's own finding of a CVE on a host): a witness of every package
 * finding of vuln on the asset, its own finding only when there is none.
 */
bool pl__match_hostwide(const struct pl__asset_scan *as, const char *vuln);
/* Whether any such report is open on the asset. */
bool pl__match_has_hostwide(const struct pl__asset_scan *as);
/* Record finding id as a live package finding of vuln (the first one recorded stays). */
void pl__match_target_put(struct pl__asset_scan *as, const char *vuln, int64_t id);
/* The live package finding of vuln recorded by this scan of the asset; 0: none. */
int64_t pl__match_target_get(const struct pl__asset_scan *as, const char *vuln);
/* Whether status is live (open, under an exception, disputed, not affected, awaiting). */
bool pl__match_live(const char *status);

/* Load the VEX statements that may apply to the asset (witness.c). */
PL_NODISCARD pl_status pl__match_vex_load(struct pl__scan *sc, struct pl__asset_scan *as,
                                          struct pl_error *err);

/*
 * The status the evidence gives an open, disputed or not-affected finding:
 * "not-affected" under the latest VEX statement that covers it and says
 * not_affected (or false_positive), "disputed" when proof (the advisory
 * comparison) is given, "open" otherwise; the statement or proof as text
 * into why. Other statuses are returned as they are.
 */
const char *pl__match_verdict(const struct pl__asset_scan *as, const struct pl_finding *f,
                              const char *dispute_proof, char *why, size_t cap);

/*
 * Move f to status `to` when it differs (an event row, fix_proof = why);
 * returns whether it moved (diff.c).
 */
PL_NODISCARD pl_status pl__match_move_status(struct pl__scan *sc, struct pl_finding *f,
                                             const char *to, const char *why, bool *moved,
                                             struct pl_error *err);

/* The advisory proof that package k is at or past a fix of vuln (close.c). */
bool pl__match_pkg_fix_proven(struct pl__scan *sc, const struct pl__pkg *k, const char *vuln,
                              const char *recorded_fix, const char *recorded_src, char *proof,
                              size_t cap);

/* Match the asset's package i against the index (scan.c). */
/*
 * Ubuntu and Debian kernels (kernel.c): choose the one kernel to match (running, else newest
 * installed), map its image to its source, move it onto the flavour's meta-package and mark
 * every other kernel package skip. rpm distributions: mark the running kernel's binaries
 * kernel_running, and skip an Amazon Linux live patch package of another kernel build than
 * the running one. True when the asset has kernel packages.
 */
bool pl__match_kernel_prepare(struct pl__asset_scan *as);
/*
 * The fixes a live patch applied to the running kernel of the asset (asset_livepatch, and
 * Amazon Linux's installed live patch package of the running build), when the kernel prepare
 * found the running kernel and the patched kernel is that one: into as->livepatch, their
 * findings on as->kernel_pkg or a kernel_running package marked "livepatch" (diff.c).
 */
PL_NODISCARD pl_status pl__match_kernel_livepatch(struct pl__scan *sc, struct pl__asset_scan *as,
                                                  struct pl_error *err);

PL_NODISCARD pl_status pl__match_scan_match_pkg(struct pl__scan *sc, struct pl__asset_scan *as,
                                                uint32_t i, struct pl_error *err);

#endif /* PATCHLINE_SCAN_INT_H */
