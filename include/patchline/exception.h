/*
 * exception.h - exceptions and compensating controls (part of the policy
 * stage): a named scope of findings that stops counting against its SLA
 * for a bounded time, with a requester and a different approver.
 *
 * Types: compensating controls (waf-rule, network-segmentation,
 * feature-disabled, enhanced-monitoring, access-restriction) make the
 * findings in scope `mitigated`; risk-acceptance makes them `accepted`;
 * false-positive makes them `false-positive`. Statuses: pending -> active
 * -> expired | revoked; an active false positive goes to needs-review when
 * a feed import follows its approval, until it is approved again.
 *
 * While active, every open finding in scope (including findings that enter
 * the scope later) is covered: status as above, mitigated_by = the type,
 * mitigated_until = the end of the cover, exception_id = the exception.
 * When the cover ends the finding is open again with its original due date.
 *
 * Every function works inside the caller's transaction, writes an audit
 * event for every change and uses the time it is given (the CLI passes
 * pl_clock_now()). Not thread-safe on one store. See docs/exceptions.md.
 */
#ifndef PATCHLINE_EXCEPTION_H
#define PATCHLINE_EXCEPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/escape.h"
#include "patchline/policy.h"
#include "patchline/store.h"

/* Longest compensating control (any tier): 180 days. */
#define PL_EXCEPTION_CONTROL_MAX ((int64_t)180 * 86400)
/*
 * Longest compensating control of type `type` covering a finding of `tier`
 * (its most urgent covered tier; -1: untiered): per control type and tier
 * (docs/exceptions.md), never past PL_EXCEPTION_CONTROL_MAX. Monitoring
 * stands in for a patch only briefly: 7 days on Tier 0 (KEV, active
 * exploitation), 30 on Tier 1.
 */
int64_t pl_exception_control_cap(const char *type, int tier);
/* Longest false positive before it must be renewed: 365 days. */
#define PL_EXCEPTION_FALSE_POSITIVE_MAX ((int64_t)365 * 86400)

enum pl_exception_class {
    PL_EXC_CONTROL,    /* findings become mitigated */
    PL_EXC_ACCEPTANCE, /* accepted */
    PL_EXC_FALSE_POS,  /* false-positive */
};

/*
 * The class of a type name into *out; false for an unknown name. The names:
 * waf-rule network-segmentation feature-disabled enhanced-monitoring
 * access-restriction risk-acceptance false-positive.
 */
bool pl_exception_type_class(const char *type, enum pl_exception_class *out);

/* The findings.status an exception of that class gives ("mitigated", ...). Static. */
const char *pl_exception_class_status(enum pl_exception_class c);

/*
 * The status of x as seen at `now` without recording anything: "expired"
 * for a pending, active or needs-review exception whose expiry is at or
 * before now (what pl_exceptions_apply would record), else its stored
 * status. Reads (list, show) use this; only pl_exceptions_apply (scan,
 * housekeeping) writes the expiry. Borrowed from x or static.
 */
const char *pl_exception_status_at(const struct pl_exception_row *x, pl_time_t now);

/* Whether s is an exception status (pending active expired revoked needs-review). */
bool pl_exception_status_known(const char *s);

/* The row of one exception in `exception list` and GET /api/v1/exceptions. */
#define PL_EXCEPTION_N_COLS 10
extern const char *const pl_exception_col_names[PL_EXCEPTION_N_COLS];
extern const enum pl_cell_type pl_exception_col_types[PL_EXCEPTION_N_COLS];
struct pl_exception_cells {
    const char *v[PL_EXCEPTION_N_COLS];
    char id[24], target[48], expires[PL_TIME_STR_LEN], covered[24];
};
/* The cells of x at now: its status at now; the target is the finding, selector or assets. */
void pl_exception_cells(const struct pl_exception_row *x, pl_time_t now,
                        struct pl_exception_cells *c);

/*
 * `exception show`: the exception as one record (its status at now) and a
 * row for each finding in its scope (covered_by and until only where this
 * exception covers it). The CLI and the server both write these.
 */
#define PL_EXCEPTION_SHOW_N_COLS 18
extern const char *const pl_exception_show_col_names[PL_EXCEPTION_SHOW_N_COLS];
extern const enum pl_cell_type pl_exception_show_col_types[PL_EXCEPTION_SHOW_N_COLS];
struct pl_exception_show_cells {
    const char *v[PL_EXCEPTION_SHOW_N_COLS];
    char id[24], finding[24], covered[24], requested[PL_TIME_STR_LEN], approved[PL_TIME_STR_LEN],
        expires[PL_TIME_STR_LEN], ended[PL_TIME_STR_LEN];
};
void pl_exception_show_cells(const struct pl_exception_row *x, pl_time_t now,
                             struct pl_exception_show_cells *c);
#define PL_EXCEPTION_SCOPE_N_COLS 10
extern const char *const pl_exception_scope_col_names[PL_EXCEPTION_SCOPE_N_COLS];
extern const enum pl_cell_type pl_exception_scope_col_types[PL_EXCEPTION_SCOPE_N_COLS];
struct pl_exception_scope_cells {
    const char *v[PL_EXCEPTION_SCOPE_N_COLS];
    char id[24], tier[24], covered_by[24], due[PL_TIME_STR_LEN], until[PL_TIME_STR_LEN];
};
void pl_exception_scope_cells(const struct pl_exception_finding *f, int64_t id, pl_time_t now,
                              struct pl_exception_scope_cells *c);

/* The types, space-separated, for messages. Static. */
const char *pl_exception_type_names(void);

/* What `exception add` asks for. Strings borrowed. Exactly one scope form. */
struct pl_exception_request {
    const char *type;
    int64_t finding_id;        /* > 0: one finding */
    const char *vuln_id;       /* a CVE (or other vulnerability id) on assets */
    const char *selector;      /* with vuln_id: the assets matching it, now and later */
    const char *const *assets; /* asset names or ids: with vuln_id, or alone (whole assets) */
    size_t n_assets;
    const char *justification; /* required */
    const char *expires;       /* required: a duration from now ("30d") or a time */
};

/*
 * Validate a request and store it as a pending exception whose requester
 * is pl_store_actor(); its id goes to *id_out. The expiry must be after
 * `now` and within the cap: a risk acceptance at most the policy's
 * max_exception for the most urgent tier in scope (30 d for Tier 0 and 90 d
 * otherwise by default), a compensating control PL_EXCEPTION_CONTROL_MAX, a
 * false positive PL_EXCEPTION_FALSE_POSITIVE_MAX. Errors: PL_E_INVALID for
 * bad input (the message names the option and the value), PL_E_NOTFOUND
 * for an unknown finding or asset; nothing is written then. The exceptions
 * are brought in line with `now` first (pl_exceptions_apply).
 */
PL_NODISCARD pl_status pl_exception_add(struct pl_store *s, const struct pl_policy *policy,
                                        const struct pl_exception_request *req, pl_time_t now,
                                        int64_t *id_out, struct pl_error *err);

/*
 * Approve a pending (or needs-review) exception as pl_store_actor(), who
 * must differ from the requester (PL_E_CONFLICT otherwise). The caps are
 * checked again against the tiers in scope now; the expiry must still be
 * after `now`. Then applies the exceptions at `now`.
 */
PL_NODISCARD pl_status pl_exception_approve(struct pl_store *s, const struct pl_policy *policy,
                                            int64_t id, pl_time_t now, struct pl_error *err);

/*
 * Revoke a pending, active or needs-review exception (reason required);
 * its findings go back on their clocks at once.
 */
PL_NODISCARD pl_status pl_exception_revoke(struct pl_store *s, int64_t id, const char *reason,
                                           pl_time_t now, struct pl_error *err);

/* What one pl_exceptions_apply did. */
struct pl_exception_apply_summary {
    size_t expired;  /* exceptions that reached their expiry */
    size_t reviewed; /* false positives moved to needs-review */
    size_t rescoped; /* selector exceptions whose assets changed */
    size_t covered;  /* findings newly covered (or moved to another exception) */
    size_t released; /* findings back on their clock */
};

/*
 * Bring the exceptions and the findings in line with time `now`: expire
 * active exceptions whose expiry is <= now, move active false positives
 * approved before the latest feed import to needs-review, refresh the
 * assets of selector scopes, cover the open findings in the scope of
 * active exceptions and release the findings whose cover ended.
 * Idempotent (a second call with the same now and store changes nothing)
 * and cheap when nothing changed (one query over the active exceptions).
 * sum may be NULL.
 */
PL_NODISCARD pl_status pl_exceptions_apply(struct pl_store *s, pl_time_t now,
                                           struct pl_exception_apply_summary *sum,
                                           struct pl_error *err);

#endif /* PATCHLINE_EXCEPTION_H */
