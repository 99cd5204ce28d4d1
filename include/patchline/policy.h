/*
 * policy.h - the tiering policy engine: facts about one finding in, a tier,
 * a due date and an explanation out.
 *
 * Pure library: no store, no clock, no global state. A loaded policy is
 * immutable and may be shared by threads; pl_policy_evaluate() allocates
 * nothing, so it can run over millions of findings. Facts are plain values
 * the caller fills (the store wiring lives elsewhere); every fact carries its
 * provenance so that an explanation can cite it.
 *
 * Ordering conventions: a lower tier number is more urgent (0 = Emergency).
 * Every enum below has 0 = unknown, so a zeroed struct pl_facts is "nothing
 * known".
 */
#ifndef PATCHLINE_POLICY_H
#define PATCHLINE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/error.h"

/* ---- facts --------------------------------------------------------------- */

/* A yes/no fact that may be unknown (exposure, fix available, automatable). */
enum pl_tri { PL_TRI_UNKNOWN = 0, PL_TRI_NO, PL_TRI_YES };

enum pl_env { PL_ENV_UNKNOWN = 0, PL_ENV_DEV, PL_ENV_STAGING, PL_ENV_PROD };

/* SSVC Exploitation (ssvc:E:1.1.0). */
enum pl_exploitation { PL_EXPLOIT_UNKNOWN = 0, PL_EXPLOIT_NONE, PL_EXPLOIT_POC, PL_EXPLOIT_ACTIVE };

/* SSVC Technical Impact (ssvc:TI:1.0.0). */
enum pl_tech_impact { PL_TI_UNKNOWN = 0, PL_TI_PARTIAL, PL_TI_TOTAL };

/* Asset criticality (the owner's statement of how much the asset matters). */
enum pl_criticality {
    PL_CRIT_UNKNOWN = 0,
    PL_CRIT_LOW,
    PL_CRIT_MEDIUM,
    PL_CRIT_HIGH,
    PL_CRIT_CRITICAL
};

/* CISA coordinator outcome (cisa:CISA:1.1.0), least to most urgent. */
enum pl_ssvc_cisa {
    PL_CISA_UNKNOWN = 0,
    PL_CISA_TRACK,
    PL_CISA_TRACK_STAR,
    PL_CISA_ATTEND,
    PL_CISA_ACT
};

/* CERT/CC deployer outcome (ssvc:DSOI:1.0.0), least to most urgent. */
enum pl_ssvc_deployer {
    PL_DSOI_UNKNOWN = 0,
    PL_DSOI_DEFER,
    PL_DSOI_SCHEDULED,
    PL_DSOI_OUT_OF_CYCLE,
    PL_DSOI_IMMEDIATE
};

/* Where a fact comes from; all strings borrowed, each may be NULL. */
struct pl_prov {
    const char *source;  /* feed or collector: "cisa-kev", "nvd", "vulnrichment", "cmdb" */
    const char *version; /* catalogue/record version */
    const char *date;    /* when the source said so (ISO 8601) */
};

/*
 * Everything the rules may look at for one finding. All pointers are
 * borrowed for the duration of the call. The caller has already chosen the
 * CVSS record by precedence.
 */
struct pl_facts {
    bool kev; /* in CISA KEV */
    /*
     * The vendor says it is exploited (Microsoft's "Exploited:Yes"): a fact
     * like KEV, whatever the asset's exposure. Provenance: vendor_exploited_prov.
     */
    bool vendor_exploited;
    struct pl_prov vendor_exploited_prov;
    bool kev_ransomware; /* knownRansomwareCampaignUse = Known */
    pl_time_t kev_added; /* dateAdded, 0 when unknown */
    struct pl_prov kev_prov;

    bool has_cvss;
    double cvss; /* base score 0.0-10.0 */
    const char *cvss_version;
    const char *cvss_vector;
    struct pl_prov cvss_prov;

    const char *vendor_severity; /* "Critical", "Important", "emergency", ...; NULL: none */
    struct pl_prov vendor_prov;

    /*
     * A scanner's severity word (Trivy, Grype, Nessus, Qualys), normalised
     * (critical, high, medium, low). It stands for a score band when there
     * is neither CVSS nor a vendor severity, and is never a vendor emergency.
     */
    const char *scanner_severity;
    struct pl_prov scanner_prov;

    bool has_epss; /* EPSS is a probability, never evidence of exploitation */
    double epss;
    double epss_percentile;
    pl_time_t epss_date;
    struct pl_prov epss_prov;

    enum pl_tri exploit_refs; /* exploit-tagged references seen */
    struct pl_prov exploit_prov;

    enum pl_exploitation exploitation; /* SSVC decision points (Vulnrichment) */
    enum pl_tri automatable;
    enum pl_tech_impact technical_impact;
    struct pl_prov ssvc_prov;

    enum pl_tri fix_available;
    struct pl_prov fix_prov;
    /*
     * The distribution's decision not to fix in a security update ("no-dsa",
     * "postponed", "ignored"; Ubuntu "deferred"); NULL: none. Its provenance is fix_prov.
     */
    const char *distro_decision;

    /*
     * The software the finding is about: the package's name as the finding
     * names it, the product ("google:chrome", vendor:product as the NVD
     * spells it) and its class ("browser", "runtime", "network-appliance",
     * ...) from the product map; NULL: not known (OS packages have no
     * product). Provenance: product_prov (the product map).
     */
    const char *package;
    const char *product;
    const char *product_class;
    /* the finding is the software's end of life (vulnerability id "eol:PRODUCT:CYCLE") */
    bool end_of_life;
    /* the finding is a minor-version lag (vulnerability id "lag:PRODUCT:CYCLE") */
    bool minor_lag;
    struct pl_prov product_prov;

    /*
     * release_age: days since the software's running version was released
     * (has_release_age false: no date known). release_prov says what was
     * dated: source "endoflife.date", version the version or "release line
     * 6.4" (the line's first release when the version has no date of its
     * own), date the release date.
     */
    bool has_release_age;
    double release_age;
    struct pl_prov release_prov;
    /*
     * When the fixed version was released (0: not known), for a rule whose
     * sla runs from it (`sla_from: fix_release`). fix_release_prov: the
     * release data ("endoflife.date", the version, the date) or the
     * advisory's publication ("nvd", the vulnerability id, the date).
     */
    pl_time_t fix_released;
    struct pl_prov fix_release_prov;

    enum pl_tri exposure; /* internet-facing */
    enum pl_env environment;
    enum pl_criticality criticality;
    const char *kind;        /* "host", "container-image", ...; NULL: unknown */
    const char *const *tags; /* n_tags asset tags */
    size_t n_tags;
    struct pl_prov asset_prov;
};

/* ---- SSVC ------------------------------------------------------------------ */

/*
 * The CISA coordinator outcome from the facts (cisa_coordinator_2_0_3),
 * with Mission and Well-Being Impact from criticality (low->low,
 * medium->medium, high->high, critical->high). PL_CISA_UNKNOWN when any
 * decision point is unknown. Pure.
 */
enum pl_ssvc_cisa pl_ssvc_cisa_outcome(const struct pl_facts *f);

/*
 * The deployer outcome (deployer_patch_application_priority_1_0_0), with
 * System Exposure from exposure (yes/unknown->open, no->controlled) and
 * Human Impact from criticality (low, medium, high, critical->very high).
 * PL_DSOI_UNKNOWN when any decision point is unknown. Pure.
 */
enum pl_ssvc_deployer pl_ssvc_deployer_outcome(const struct pl_facts *f);

/* Lookups by value index as in the tables (0-based, table order); -1 when out of range. */
int pl_ssvc_cisa_lookup(int exploitation, int automatable, int tech_impact, int mwi);
int pl_ssvc_deployer_lookup(int exploitation, int exposure, int automatable, int human_impact);

/* Names as the CSV tables spell them ("track*", "out-of-cycle"); "unknown" for 0. Static. */
const char *pl_ssvc_cisa_name(enum pl_ssvc_cisa o);
const char *pl_ssvc_deployer_name(enum pl_ssvc_deployer o);

/* ---- policies -------------------------------------------------------------- */

/* An immutable, loaded policy (opaque). */
struct pl_policy;

/* The rank of "unscored": no CVSS, no vendor severity and no rule fired. */
#define PL_TIER_UNSCORED (-1)

/* What the tier means for the work: patch, or a compensating control (no fix yet). */
enum pl_remedy { PL_REMEDY_PATCH = 0, PL_REMEDY_COMPENSATE };

/* Where the score the rules saw came from. */
enum pl_score_src { PL_SCORE_NONE = 0, PL_SCORE_CVSS, PL_SCORE_VENDOR };

/* The result of one evaluation. Strings are borrowed from the policy. */
struct pl_decision {
    int tier;              /* 0..n-1, or PL_TIER_UNSCORED */
    int rule;              /* index of the rule that fired, -1 for default/unscored */
    const char *rule_name; /* the rule, "default" or "unscored" */
    const char *tier_name; /* "Emergency", ..., "Unscored" */
    int64_t sla;           /* seconds from first seen (or escalation) */
    bool provisional;      /* exposure unknown, counted by the fail-safe setting */
    bool unscored;
    bool public_exploit;   /* effective: exploit references or exploitation poc/active */
    bool vendor_emergency; /* vendor severity is one of the policy's emergency values */
    enum pl_remedy remedy;
    enum pl_score_src score_src;
    double score; /* the score the rules saw (CVSS or the vendor band) */
    enum pl_ssvc_cisa cisa;
    enum pl_ssvc_deployer deployer;
    /*
     * The policy's first mark whose conditions hold (a note that leaves the tier
     * as it is: "the distribution will not ship a security update"): its index,
     * -1 for none, its name and note (NULL for none).
     */
    int mark;
    const char *mark_name, *mark_note;
    /*
     * A deadline from the fixed version's release (the rule's `sla_from:
     * fix_release` with a known release date): fix_released + the rule's sla,
     * 0 for none. The due date is the earlier of it and the tier's (sla).
     */
    pl_time_t deadline;
};

/* Names of the built-in policies, NULL-terminated ("default", "ssvc", "epss"). */
extern const char *const pl_policy_builtin_names[];

/* The YAML text of a built-in policy, or NULL when there is none by that name. Static. */
const char *pl_policy_builtin_text(const char *name);

/*
 * Parse and validate a policy from YAML text of len bytes. `origin` names it
 * in messages (a path, or "builtin:default"). Every error is
 * "ORIGIN:LINE:COL: what is wrong" (PL_E_PARSE, PL_E_TOOBIG past the caps in
 * limits.h). On success *out owns a policy to free with pl_policy_free().
 */
PL_NODISCARD pl_status pl_policy_parse(const char *origin, const char *text, size_t len,
                                       struct pl_policy **out, struct pl_error *err);

/* Read a policy file (capped at PL_MAX_POLICY_BYTES) and parse it. */
PL_NODISCARD pl_status pl_policy_load_file(const char *path, struct pl_policy **out,
                                           struct pl_error *err);

/* Load a built-in policy by name; PL_E_NOTFOUND for an unknown name. */
PL_NODISCARD pl_status pl_policy_load_builtin(const char *name, struct pl_policy **out,
                                              struct pl_error *err);

/*
 * Load a policy file when name_or_path names an existing file, else the
 * built-in policy of that name; PL_E_NOTFOUND when it is neither.
 */
PL_NODISCARD pl_status pl_policy_load(const char *name_or_path, struct pl_policy **out,
                                      struct pl_error *err);

/* Free a policy; NULL is a no-op. */
void pl_policy_free(struct pl_policy *p);

/* The policy's name (its `policy:` key); borrowed. */
const char *pl_policy_name(const struct pl_policy *p);

/*
 * Whether some rule's condition on the number field ("epss",
 * "epss_percentile", "cvss") holds for one value and not the other (has_a,
 * has_b: whether there is a value). A scan re-tiers a finding after a feed
 * import only when a fact moved this way. true for a field that is not a
 * number the rules read.
 */
bool pl_policy_field_moves(const struct pl_policy *p, const char *field, bool has_a, double a,
                           bool has_b, double b);

/*
 * For a number field the rules read in whole units (release_age, in days): the least whole
 * number above x at which some rule's condition on field holds otherwise than at x, into
 * *next (a rule on release_age "> 730" moves at 731 for any x up to 730). false when no
 * condition moves above x (none reads field). A scan records the date the release age of a
 * finding reaches it, to tier the finding again then.
 */
bool pl_policy_field_next(const struct pl_policy *p, const char *field, double x, double *next);

/*
 * The policy's digest: the SHA-256 (64 hex digits) of its effective YAML
 * (pl_policy_render_yaml), so equal for every text that means the same
 * policy; borrowed. Findings record it with the name (the policy that
 * decided them).
 */
const char *pl_policy_digest(const struct pl_policy *p);

/* Number of tiers; the name and SLA (seconds) of tier t (PL_TIER_UNSCORED allowed). */
int pl_policy_n_tiers(const struct pl_policy *p);
const char *pl_policy_tier_name(const struct pl_policy *p, int tier);
int64_t pl_policy_tier_sla(const struct pl_policy *p, int tier);

/*
 * A tier of this policy from text: its number ("2") or its name, any case
 * ("High"). PL_E_INVALID naming the policy's tiers for anything else (a
 * tier the policy does not define: "policy 'default' has no tier '9' (its
 * tiers: 0 Emergency, 1 Critical, ...)"); *tier is untouched on failure.
 */
PL_NODISCARD pl_status pl_policy_tier_parse(const struct pl_policy *p, const char *text, int *tier,
                                            struct pl_error *err);

/* Longest risk acceptance (exception) allowed for a finding of that tier, in seconds. */
int64_t pl_policy_exception_cap(const struct pl_policy *p, int tier);

/*
 * Evaluate the rules in order (first match wins) on the facts and fill *out.
 * Allocates nothing; thread-safe on a shared policy.
 */
void pl_policy_evaluate(const struct pl_policy *p, const struct pl_facts *f,
                        struct pl_decision *out);

/*
 * Append the explanation of decision d (from pl_policy_evaluate on the same
 * facts) to b: the rule that fired, every fact it used with its provenance,
 * and for each earlier rule the condition that failed and the actual value.
 * Text is terminal-escaped; JSON is one object. Sticky buffer errors apply.
 */
void pl_policy_explain_text(const struct pl_policy *p, const struct pl_facts *f,
                            const struct pl_decision *d, struct pl_buf *b);
void pl_policy_explain_json(const struct pl_policy *p, const struct pl_facts *f,
                            const struct pl_decision *d, struct pl_buf *b);

/* Append the effective policy (defaults filled in) as YAML that parses back to the same policy. */
void pl_policy_render_yaml(const struct pl_policy *p, struct pl_buf *b);

/* ---- due dates ------------------------------------------------------------- */

/* What the finding had before this evaluation. */
struct pl_due_prev {
    int tier; /* or PL_TIER_UNSCORED */
    pl_time_t due;
};

enum pl_due_change {
    PL_DUE_NEW,         /* first decision: first seen + SLA */
    PL_DUE_UNCHANGED,   /* same tier: the due date stands */
    PL_DUE_ESCALATED,   /* min(old due, now + new SLA) */
    PL_DUE_DEESCALATED, /* the due date stands (never extended) */
    PL_DUE_REBASED,     /* audited de-escalation: first seen + new SLA */
};

/*
 * The due date after decision d. prev is NULL for a new finding. A
 * de-escalation keeps the old due date unless `audited` (an audited
 * decision lowered the tier), when it becomes first_seen + the new SLA.
 * A decision's deadline (d->deadline, from the fix's release) earlier than
 * the result wins.
 * Stores the change in *change_out when not NULL. Pure.
 */
pl_time_t pl_policy_due(const struct pl_due_prev *prev, pl_time_t first_seen, pl_time_t now,
                        const struct pl_decision *d, bool audited, enum pl_due_change *change_out);

/* "new", "unchanged", "escalated", "de-escalated", "rebased". Static. */
const char *pl_due_change_name(enum pl_due_change c);

/* ---- monotonicity ---------------------------------------------------------- */

/* A counter-example: one risk fact added made the tier less urgent. */
struct pl_monotone_violation {
    char step[64];   /* "exposure no->unknown" */
    char facts[256]; /* the facts before the step, compact */
    int tier_before, tier_after;
    int rule_before, rule_after; /* rule indexes (-1 default/unscored) */
    char rule_before_name[64], rule_after_name[64];
    int line, col; /* of the rule that fired before the step (0 for the default) */
};

/*
 * Check "adding a risk fact never lowers a tier" on n random facts vectors
 * (fixed seed: reproducible), trying every risk step on each (see
 * docs/policy.md for the steps and their direction). Stores the number of
 * (facts, step) pairs tried in *tried. Returns true when no violation was
 * found; otherwise fills *v with the first one. Pure.
 */
bool pl_policy_check_monotone(const struct pl_policy *p, uint64_t n, uint64_t seed, uint64_t *tried,
                              struct pl_monotone_violation *v);

#endif /* PATCHLINE_POLICY_H */
