/*
 * ui_decide.c - the dashboard's decisions: plans awaiting approval and
 * exceptions awaiting sign-off, with approve and reject forms shown only
 * to a user whose roles and scopes let them act; exceptions expiring soon.
 * The forms post to the library calls of `plan approve`, `plan reject`,
 * `exception approve` and `exception revoke`, as the session's user.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/exception.h"
#include "patchline/parse.h"
#include "patchline/plan.h"
#include "patchline/policy.h"
#include "patchline/store_auth.h"

#include "ui_int.h"

#define UI_EXPIRING_SECS ((int64_t)14 * 86400) /* "expiring soon" */

/* May the session's user act on this object (roles, scopes, not their own request)? */
static bool may_act(struct ui_req *u, enum pl_action a, const struct pl_owner_set *o,
                    const char *what, const char *requester)
{
    struct pl_auth_object obj = {what, (const char *const *)o->owners, o->n, o->unowned};

    if (requester && pl_auth_same_person(&u->r->who, requester))
        return false;
    return pl_auth_may(&u->r->who, a, &obj, NULL) == PL_OK;
}

static bool may_exception(struct ui_req *u, const struct pl_exception_row *x)
{
    struct pl_owner_set o = {NULL, 0, false};
    struct pl_error err = PL_ERROR_INIT;
    char what[48];
    bool ok;

    if (pl_store_exception_owners(u->r->store, x->id, &o, &err) != PL_OK)
        return false;
    snprintf(what, sizeof(what), "exception %lld", (long long)x->id);
    ok = may_act(u, PL_ACT_APPROVE_EXCEPTION, &o, what, x->requester);
    pl_owner_set_release(&o);
    return ok;
}

static void exception_row(struct ui_req *u, struct pl_buf *b, const struct pl_exception_row *x,
                          pl_time_t now, bool forms)
{
    struct pl_exception_cells c;

    pl_exception_cells(x, now, &c);
    pl_buf_addf(b, "<tr id=\"exception-%lld\">", (long long)x->id);
    for (size_t i = 0; i < PL_EXCEPTION_N_COLS; i++) {
        pl_buf_adds(b, "<td>");
        pl__server_ui_esc(b, c.v[i]);
        pl_buf_adds(b, "</td>");
    }
    if (forms) {
        pl_buf_adds(b, "<td>");
        if (may_exception(u, x)) {
            pl_buf_addf(
                b, "<form class=\"inline\" method=\"post\" action=\"/exceptions/%lld/approve\">",
                (long long)x->id);
            pl__server_ui_csrf_field(u, b);
            pl_buf_addf(b,
                        "<button type=\"submit\" id=\"approve-exception-%lld\">Approve</button>"
                        "</form> <form class=\"inline\" method=\"post\" "
                        "action=\"/exceptions/%lld/reject\">",
                        (long long)x->id, (long long)x->id);
            pl__server_ui_csrf_field(u, b);
            pl_buf_addf(b,
                        "<input name=\"reason\" placeholder=\"reason\" required>"
                        "<button type=\"submit\" id=\"reject-exception-%lld\">Reject</button>"
                        "</form>",
                        (long long)x->id);
        }
        pl_buf_adds(b, "</td>");
    }
    pl_buf_adds(b, "</tr>\n");
}

static void exception_header(struct pl_buf *b, const char *id, bool forms)
{
    pl_buf_addf(b, "<table id=\"%s\"><tr>", id);
    for (size_t i = 0; i < PL_EXCEPTION_N_COLS; i++)
        pl_buf_addf(b, "<th>%s</th>", pl_exception_col_names[i]);
    pl_buf_adds(b, forms ? "<th>Sign-off</th></tr>\n" : "</tr>\n");
}

static pl_status exceptions(struct ui_req *u, struct pl_buf *b, struct pl_error *err)
{
    struct pl_exception_list l = {NULL, 0};
    pl_time_t now = pl_clock_now();
    size_t n = 0;
    pl_status rc;

    if ((rc = pl_store_exception_list(u->r->store, NULL, 0, &l, err)) != PL_OK)
        return rc;
    pl_buf_adds(b, "<h2>Exceptions awaiting sign-off</h2>\n");
    exception_header(b, "pending", true);
    for (size_t i = 0; i < l.n; i++) {
        const char *st = pl_exception_status_at(&l.items[i], now);

        if (strcmp(st, "pending") == 0 || strcmp(st, "needs-review") == 0) {
            exception_row(u, b, &l.items[i], now, true);
            n++;
        }
    }
    pl_buf_addf(b, "</table>\n<p class=\"sub\">%zu awaiting sign-off.</p>\n", n);
    pl_buf_adds(b, "<h2>Exceptions expiring within 14 days</h2>\n");
    exception_header(b, "expiring", false);
    n = 0;
    for (size_t i = 0; i < l.n; i++) {
        const struct pl_exception_row *x = &l.items[i];

        if (strcmp(pl_exception_status_at(x, now), "active") == 0 && x->expires_at > now &&
            x->expires_at - now <= UI_EXPIRING_SECS) {
            exception_row(u, b, x, now, false);
            n++;
        }
    }
    pl_buf_addf(b, "</table>\n<p class=\"sub\">%zu expiring soon.</p>\n", n);
    pl_exception_list_release(&l);
    return PL_OK;
}

#define UI_PLANS_MAX 50 /* plans awaiting approval shown */

/* The approve and reject forms of plan id (wave 0: every waiting wave). */
static void plan_forms(struct ui_req *u, struct pl_buf *b, int64_t id, int wave)
{
    char sfx[32] = "", field[64] = "";

    if (wave > 0) {
        snprintf(sfx, sizeof(sfx), "-wave-%d", wave);
        snprintf(field, sizeof(field), "<input type=\"hidden\" name=\"wave\" value=\"%d\">", wave);
    }
    pl_buf_addf(b, "<form class=\"inline\" method=\"post\" action=\"/plans/%lld/approve\">",
                (long long)id);
    pl__server_ui_csrf_field(u, b);
    pl_buf_addf(b,
                "%s<button type=\"submit\" id=\"approve-plan-%lld%s\">Approve %s</button></form> ",
                field, (long long)id, sfx, wave > 0 ? "wave" : "plan");
    pl_buf_addf(b, "<form class=\"inline\" method=\"post\" action=\"/plans/%lld/reject\">",
                (long long)id);
    pl__server_ui_csrf_field(u, b);
    pl_buf_addf(b,
                "%s<input name=\"reason\" placeholder=\"reason\" maxlength=\"%d\" required>"
                "<button type=\"submit\" id=\"reject-plan-%lld%s\">Reject %s</button></form>",
                field, PL_PLAN_REJECT_REASON_MAX, (long long)id, sfx, wave > 0 ? "wave" : "plan");
}

/* One plan's waves that need approval, with forms when the user may act. */
static pl_status plan_table(struct ui_req *u, struct pl_buf *b, int64_t id, struct pl_error *err)
{
    struct pl_plan_row p = {0};
    struct pl_wave_row *w = NULL;
    struct pl_owner_set o = {NULL, 0, false};
    char when[PL_TIME_STR_LEN], what[48];
    size_t n = 0, waiting = 0;
    bool may = false;
    pl_status rc;

    if ((rc = pl_store_plan_get(u->r->store, id, &p, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_wave_list(u->r->store, p.id, &w, &n, err)) != PL_OK ||
        (rc = pl_store_plan_owners(u->r->store, p.id, &o, err)) != PL_OK)
        goto out;
    snprintf(what, sizeof(what), "plan %lld", (long long)p.id);
    may = may_act(u, PL_ACT_APPROVE_PLAN, &o, what, p.requester);
    pl_owner_set_release(&o);
    pl_buf_addf(b, "<h3>Plan %lld, requested by ", (long long)p.id);
    pl__server_ui_esc(b, p.requester);
    pl_buf_addf(b, " at %s</h3>\n", pl_time_format(p.created_at, when));
    pl_buf_addf(b,
                "<table id=\"plan-%lld\"><tr><th>Wave</th><th>Lane</th><th>Environment</th>"
                "<th>Starts</th><th>Tier</th><th>Assets</th><th>Findings</th><th>Approval"
                "</th>%s</tr>\n",
                (long long)p.id, may ? "<th>Decide</th>" : "");
    for (size_t i = 0; i < n; i++) {
        bool open = w[i].approved_by == NULL && w[i].rejected_by == NULL;

        if (!w[i].needs_approval)
            continue;
        waiting += open;
        pl_buf_addf(b, "<tr id=\"plan-%lld-wave-%d\"><td>%d</td><td>", (long long)p.id, w[i].seq,
                    w[i].seq);
        pl__server_ui_esc(b, w[i].lane);
        pl_buf_adds(b, "</td><td>");
        pl__server_ui_esc(b, w[i].environment);
        pl_buf_addf(b, "</td><td>%s</td><td>%d</td><td>%lld</td><td>%lld</td><td>",
                    pl_time_format(w[i].starts_at, when), w[i].tier, (long long)w[i].n_assets,
                    (long long)w[i].n_findings);
        if (w[i].approved_by) {
            pl_buf_adds(b, "approved by ");
            pl__server_ui_esc(b, w[i].approved_by);
        } else if (w[i].rejected_by) {
            pl_buf_adds(b, "rejected by ");
            pl__server_ui_esc(b, w[i].rejected_by);
            pl_buf_adds(b, ": ");
            pl__server_ui_esc(b, w[i].reject_reason);
        } else {
            pl_buf_adds(b, "awaiting approval");
        }
        pl_buf_adds(b, "</td>");
        if (may) {
            pl_buf_adds(b, "<td>");
            if (open)
                plan_forms(u, b, p.id, w[i].seq);
            pl_buf_adds(b, "</td>");
        }
        pl_buf_adds(b, "</tr>\n");
    }
    pl_buf_addf(b, "</table>\n<p>Plan %lld: %zu wave%s awaiting approval.</p>\n", (long long)p.id,
                waiting, waiting == 1 ? "" : "s");
    if (may && waiting > 1) {
        pl_buf_adds(b, "<p>");
        plan_forms(u, b, p.id, 0);
        pl_buf_adds(b, "</p>\n");
    }
out:
    pl_wave_rows_release(w, n);
    pl_plan_row_release(&p);
    return rc;
}

/* Every plan with a wave waiting for approval (the newest UI_PLANS_MAX). */
static pl_status plans(struct ui_req *u, struct pl_buf *b, struct pl_error *err)
{
    int64_t *ids = NULL;
    size_t n = 0;
    pl_status rc;

    pl_buf_adds(b, "<h2>Plans awaiting approval</h2>\n");
    if ((rc = pl_store_plans_awaiting(u->r->store, UI_PLANS_MAX, &ids, &n, err)) != PL_OK)
        return rc;
    if (n == 0)
        pl_buf_adds(b, "<p class=\"sub\">No plan awaits approval.</p>\n");
    for (size_t i = 0; rc == PL_OK && i < n; i++)
        rc = plan_table(u, b, ids[i], err);
    free(ids);
    return rc;
}

enum MHD_Result pl__server_ui_decisions(struct ui_req *u)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    const char *done = pl__server_srv_query(u->r, "done");

    pl__server_ui_head(u, &b, "Decisions");
    if (done && (strcmp(done, "approved") == 0 || strcmp(done, "rejected") == 0))
        pl_buf_addf(&b, "<p class=\"ok\" id=\"done\">%s.</p>\n",
                    done[0] == 'a' ? "Approved" : "Rejected");
    if (plans(u, &b, &err) != PL_OK || exceptions(u, &b, &err) != PL_OK) {
        pl_buf_release(&b);
        return pl__server_ui_fail(u, &err);
    }
    return pl__server_ui_page(u, 200, &b);
}

/* ---- the forms' POSTs ---------------------------------------------------- */

static bool path_id(struct ui_req *u, int64_t *id, struct pl_error *err)
{
    if (pl__server_srv_param_id(u->r, 0, id))
        return true;
    pl_error_set(err, PL_E_NOTFOUND, "no such object");
    return false;
}

/* An exception the session's user may sign off (or reject), else why not. */
static pl_status exception_for_sign_off(struct ui_req *u, int64_t id, struct pl_error *err)
{
    struct pl_exception_row x;
    pl_status rc;

    if ((rc = pl__server_srv_exception_to_sign(u->r, id, &x, err)) != PL_OK)
        return rc;
    if (!may_exception(u, &x))
        rc = pl_error_set(err, PL_E_DENIED, "'%s' may not sign off exception %lld", u->r->who.name,
                          (long long)id);
    pl_exception_row_release(&x);
    return rc;
}

enum MHD_Result pl__server_ui_exception_approve(struct ui_req *u)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *p = NULL;
    pl_status rc;
    int64_t id;

    if (!path_id(u, &id, &err) || exception_for_sign_off(u, id, &err) != PL_OK ||
        pl_policy_load_builtin("default", &p, &err) != PL_OK)
        return pl__server_ui_fail(u, &err);
    pl__server_srv_act_as(u->r);
    rc = pl_exception_approve(u->r->store, p, id, pl_clock_now(), &err);
    pl__server_srv_act_done(u->r);
    pl_policy_free(p);
    if (rc != PL_OK)
        return pl__server_ui_fail(u, &err);
    return pl__server_ui_redirect(u, "/decisions?done=approved", NULL);
}

enum MHD_Result pl__server_ui_exception_reject(struct ui_req *u)
{
    struct pl_error err = PL_ERROR_INIT;
    char reason[PL_UI_FORM_FIELD];
    pl_status rc;
    int64_t id;

    if (!path_id(u, &id, &err) || exception_for_sign_off(u, id, &err) != PL_OK)
        return pl__server_ui_fail(u, &err);
    if (!pl__server_ui_form(u->r, "reason", reason, sizeof(reason)) || reason[0] == '\0') {
        pl_error_set(&err, PL_E_INVALID, "reason: give the reason for rejecting it");
        return pl__server_ui_fail(u, &err);
    }
    pl__server_srv_act_as(u->r);
    rc = pl_exception_revoke(u->r->store, id, reason, pl_clock_now(), &err);
    pl__server_srv_act_done(u->r);
    if (rc != PL_OK)
        return pl__server_ui_fail(u, &err);
    return pl__server_ui_redirect(u, "/decisions?done=rejected", NULL);
}

/* The form's optional "wave" field into *wave (0 when absent); false when it is no wave number. */
static bool form_wave(struct ui_req *u, int *wave, struct pl_error *err)
{
    char v[24];
    int64_t x;

    *wave = 0;
    if (!pl__server_ui_form(u->r, "wave", v, sizeof(v)) || v[0] == '\0')
        return true;
    if (pl_parse_i64(v, &x, NULL) != PL_OK || x < 1 || x > 100000) {
        pl_error_set(err, PL_E_INVALID, "wave: want a wave number (1, 2, ...)");
        return false;
    }
    *wave = (int)x;
    return true;
}

enum MHD_Result pl__server_ui_plan_approve(struct ui_req *u)
{
    struct pl_error err = PL_ERROR_INIT;
    int64_t id;
    int wave;

    if (!path_id(u, &id, &err) || !form_wave(u, &wave, &err))
        return pl__server_ui_fail(u, &err);
    if (pl__server_srv_may(&u->r->who, SRV_APPROVE_PLAN, &err) != PL_OK ||
        pl__server_srv_plan_approve(u->r, id, wave, &err) != PL_OK)
        return pl__server_ui_fail(u, &err);
    return pl__server_ui_redirect(u, "/decisions?done=approved", NULL);
}

enum MHD_Result pl__server_ui_plan_reject(struct ui_req *u)
{
    struct pl_error err = PL_ERROR_INIT;
    char reason[4 * PL_PLAN_REJECT_REASON_MAX]; /* the library refuses one too long */
    size_t n_waves = 0;
    int64_t id;
    int wave;

    if (!path_id(u, &id, &err) || !form_wave(u, &wave, &err))
        return pl__server_ui_fail(u, &err);
    if (!pl__server_ui_form(u->r, "reason", reason, sizeof(reason)) || reason[0] == '\0') {
        pl_error_set(&err, PL_E_INVALID, "reason: give the reason for rejecting it");
        return pl__server_ui_fail(u, &err);
    }
    if (pl__server_srv_may(&u->r->who, SRV_APPROVE_PLAN, &err) != PL_OK ||
        pl__server_srv_plan_reject(u->r, id, wave, reason, &n_waves, &err) != PL_OK)
        return pl__server_ui_fail(u, &err);
    return pl__server_ui_redirect(u, "/decisions?done=rejected", NULL);
}
