/*
 * approve.c - approving waves before they run, rejecting them (a rejected
 * wave never runs), and signing off emergency waves after they ran. The
 * approver is the store's principal (store_auth.h): never the person who
 * requested the plan, an approver, and within its scopes for every owner
 * the plan touches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/store_auth.h"

#include "plan_int.h"

/* Is wave w something this kind of approval can cover? Message in err when not. */
static pl_status eligible(const struct pl_wave_row *w, enum pl_plan_approval kind, pl_time_t now,
                          struct pl_error *err)
{
    char t[PL_TIME_STR_LEN];

    if (kind == PL_PLAN_APPROVE) {
        if (!w->needs_approval)
            return pl_error_set(err, PL_E_CONFLICT, "wave %d of plan %lld needs no approval",
                                w->seq, (long long)w->plan_id);
        if (w->approved_by)
            return pl_error_set(err, PL_E_CONFLICT,
                                "wave %d of plan %lld is already approved by '%s'", w->seq,
                                (long long)w->plan_id, w->approved_by);
        if (w->rejected_by)
            return pl_error_set(err, PL_E_CONFLICT, "wave %d of plan %lld was rejected by '%s': %s",
                                w->seq, (long long)w->plan_id, w->rejected_by,
                                w->reject_reason ? w->reject_reason : "");
        return PL_OK;
    }
    if (strcmp(w->sign_off, "after-the-fact") != 0)
        return pl_error_set(err, PL_E_CONFLICT,
                            "wave %d of plan %lld is not an emergency wave signed off after the "
                            "fact",
                            w->seq, (long long)w->plan_id);
    if (w->signed_off_by)
        return pl_error_set(err, PL_E_CONFLICT,
                            "wave %d of plan %lld is already signed off by '%s'", w->seq,
                            (long long)w->plan_id, w->signed_off_by);
    if (w->starts_at > now)
        return pl_error_set(err, PL_E_CONFLICT,
                            "emergency wave %d of plan %lld starts at %s: sign it off after it "
                            "ran",
                            w->seq, (long long)w->plan_id, pl_time_format(w->starts_at, t));
    return PL_OK;
}

static pl_status record(struct pl_store *s, int64_t plan_id, const struct pl_wave_row *waves,
                        size_t n, int wave, enum pl_plan_approval kind, pl_time_t now,
                        size_t *n_waves, struct pl_error *err)
{
    const char *what = kind == PL_PLAN_APPROVE ? "approve" : "sign-off";
    struct pl_error skip = PL_ERROR_INIT;
    pl_status rc = PL_OK;

    *n_waves = 0;
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        if (wave > 0 && waves[i].seq != wave)
            continue;
        if (wave > 0 && (rc = eligible(&waves[i], kind, now, err)) != PL_OK)
            return rc;
        if (wave == 0 && eligible(&waves[i], kind, now, &skip) != PL_OK)
            continue;
        rc = pl_store_approval_insert(s, waves[i].plan_id, waves[i].seq, what, pl_store_actor(),
                                      now, err);
        ++*n_waves;
    }
    if (rc == PL_OK && *n_waves == 0)
        return kind == PL_PLAN_APPROVE
                   ? pl_error_set(err, PL_E_CONFLICT, "plan %lld has no wave waiting for approval",
                                  (long long)plan_id)
                   : pl_error_set(err, PL_E_CONFLICT,
                                  "plan %lld has no emergency wave that ran and awaits sign-off",
                                  (long long)plan_id);
    return rc;
}

/* Who acts may approve this plan: another person, an approver, within its scopes. */
static pl_status may_approve(struct pl_store *s, const struct pl_plan_row *p, const char *act,
                             struct pl_error *err)
{
    const struct pl_principal *me;
    struct pl_owner_set o = {NULL, 0, false};
    struct pl_auth_object obj;
    char what[48];
    pl_status rc;

    if ((rc = pl_store_principal(s, &me, err)) != PL_OK)
        return rc;
    if (pl_auth_same_person(me, p->requester))
        return pl_error_set(err, PL_E_DENIED,
                            "refused: '%s' requested plan %lld; another person must %s",
                            p->requester, (long long)p->id, act);
    if ((rc = pl_store_plan_owners(s, p->id, &o, err)) != PL_OK)
        return rc;
    if (snprintf(what, sizeof(what), "plan %lld", (long long)p->id) >= (int)sizeof(what))
        what[sizeof(what) - 1] = '\0';
    obj.what = what;
    obj.owners = (const char *const *)o.owners;
    obj.n_owners = o.n;
    obj.unowned = o.unowned;
    rc = pl_auth_may(me, PL_ACT_APPROVE_PLAN, &obj, err);
    pl_owner_set_release(&o);
    return rc;
}

pl_status pl_plan_approve(struct pl_store *s, int64_t plan_id, int wave, enum pl_plan_approval kind,
                          pl_time_t now, size_t *n_waves, struct pl_error *err)
{
    struct pl_plan_row p = {0};
    struct pl_wave_row *waves = NULL;
    size_t n = 0;
    char detail[96];
    pl_status rc;

    if ((rc = pl_store_plan_get(s, plan_id, &p, err)) != PL_OK)
        return rc;
    if ((rc = may_approve(s, &p, kind == PL_PLAN_APPROVE ? "approve it" : "sign it off", err)) !=
        PL_OK)
        goto out;
    /* an approval never precedes the plan it approves (docs/security.md) */
    if ((rc = pl_store_check_order(now, p.created_at,
                                   kind == PL_PLAN_APPROVE ? "approval" : "sign-off", "plan", p.id,
                                   err)) != PL_OK)
        goto out;
    if ((rc = pl_store_wave_list(s, p.id, &waves, &n, err)) != PL_OK)
        goto out;
    if (wave > 0 && (wave > (int)n)) {
        rc = pl_error_set(err, PL_E_NOTFOUND, "plan %lld has no wave %d (it has %zu)",
                          (long long)p.id, wave, n);
        goto out;
    }
    if ((rc = record(s, p.id, waves, n, wave, kind, now, n_waves, err)) != PL_OK)
        goto out;
    if (snprintf(detail, sizeof(detail), "%zu wave(s)%s", *n_waves,
                 kind == PL_PLAN_AFTER_THE_FACT ? " after the fact" : "") >= (int)sizeof(detail))
        detail[sizeof(detail) - 1] = '\0';
    {
        char obj[48];

        if (snprintf(obj, sizeof(obj), "plan %lld", (long long)p.id) >= (int)sizeof(obj))
            obj[sizeof(obj) - 1] = '\0';
        rc = pl_store_audit(s, kind == PL_PLAN_APPROVE ? "plan.approve" : "plan.sign-off", obj,
                            detail, err);
    }
out:
    pl_wave_rows_release(waves, n);
    pl_plan_row_release(&p);
    return rc;
}

/* Can wave w be rejected? Message in err when not. */
static pl_status rejectable(const struct pl_wave_row *w, struct pl_error *err)
{
    if (!w->needs_approval)
        return pl_error_set(err, PL_E_CONFLICT, "wave %d of plan %lld needs no approval", w->seq,
                            (long long)w->plan_id);
    if (w->approved_by)
        return pl_error_set(err, PL_E_CONFLICT, "wave %d of plan %lld is already approved by '%s'",
                            w->seq, (long long)w->plan_id, w->approved_by);
    if (w->rejected_by)
        return pl_error_set(err, PL_E_CONFLICT, "wave %d of plan %lld is already rejected by '%s'",
                            w->seq, (long long)w->plan_id, w->rejected_by);
    return PL_OK;
}

/* A reason: not blank, at most PL_PLAN_REJECT_REASON_MAX bytes, no control characters. */
static pl_status check_reason(const char *reason, struct pl_error *err)
{
    bool blank = true;

    if (reason == NULL)
        reason = "";
    for (const char *c = reason; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return pl_error_set(err, PL_E_INVALID,
                                "reason: control characters are not allowed (one line of text)");
        blank = blank && *c == ' ';
    }
    if (blank)
        return pl_error_set(err, PL_E_INVALID, "reason: give the reason for rejecting it");
    if (strlen(reason) > PL_PLAN_REJECT_REASON_MAX)
        return pl_error_set(err, PL_E_INVALID, "reason: %zu bytes, longer than the %d allowed",
                            strlen(reason), PL_PLAN_REJECT_REASON_MAX);
    return PL_OK;
}

pl_status pl_plan_reject(struct pl_store *s, int64_t plan_id, int wave, const char *reason,
                         pl_time_t now, size_t *n_waves, struct pl_error *err)
{
    struct pl_plan_row p = {0};
    struct pl_wave_row *waves = NULL;
    struct pl_buf detail = PL_BUF_INIT(0);
    struct pl_error skip = PL_ERROR_INIT;
    char obj[48];
    size_t n = 0;
    pl_status rc;

    *n_waves = 0;
    if ((rc = check_reason(reason, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_plan_get(s, plan_id, &p, err)) != PL_OK)
        return rc;
    if ((rc = may_approve(s, &p, "reject it", err)) != PL_OK)
        goto out;
    /* a rejection never precedes the plan it rejects (docs/security.md) */
    if ((rc = pl_store_check_order(now, p.created_at, "rejection", "plan", p.id, err)) != PL_OK)
        goto out;
    if ((rc = pl_store_wave_list(s, p.id, &waves, &n, err)) != PL_OK)
        goto out;
    if (wave > 0 && wave > (int)n) {
        rc = pl_error_set(err, PL_E_NOTFOUND, "plan %lld has no wave %d (it has %zu)",
                          (long long)p.id, wave, n);
        goto out;
    }
    pl_buf_addf(&detail, "wave(s)");
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        if (wave > 0 && waves[i].seq != wave)
            continue;
        if (wave > 0 && (rc = rejectable(&waves[i], err)) != PL_OK)
            goto out;
        if (wave == 0 && rejectable(&waves[i], &skip) != PL_OK)
            continue;
        rc = pl_store_rejection_insert(s, p.id, waves[i].seq, pl_store_actor(), reason, now, err);
        pl_buf_addf(&detail, "%s%d", *n_waves ? "," : " ", waves[i].seq);
        ++*n_waves;
    }
    if (rc == PL_OK && *n_waves == 0)
        rc = pl_error_set(err, PL_E_CONFLICT, "plan %lld has no wave waiting for approval",
                          (long long)p.id);
    if (rc != PL_OK)
        goto out;
    pl_buf_adds(&detail, ": ");
    pl_buf_adds(&detail, reason);
    if (snprintf(obj, sizeof(obj), "plan %lld", (long long)p.id) >= (int)sizeof(obj))
        obj[sizeof(obj) - 1] = '\0';
    rc = pl_store_audit(s, "plan.reject", obj, pl_buf_cstr(&detail), err);
out:
    pl_buf_release(&detail);
    pl_wave_rows_release(waves, n);
    pl_plan_row_release(&p);
    return rc;
}
