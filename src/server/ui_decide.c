/*
 * ui_decide.c - the dashboard's decisions: plans awaiting approval and
 * exceptions awaiting sign-off, with approve and reject forms shown only
 * to a user whose roles and scopes let them act; exceptions expiring soon.
 * The forms post to the library calls of `plan approve`, `exception
 * approve` and `exception revoke`, as the session's user.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/exception.h"
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

/* The latest plan's waves that wait for an approval. */
static pl_status plans(struct ui_req *u, struct pl_buf *b, struct pl_error *err)
{
    struct pl_plan_row p = {0};
    struct pl_wave_row *w = NULL;
    struct pl_owner_set o = {NULL, 0, false};
    char when[PL_TIME_STR_LEN], what[48];
    size_t n = 0, waiting = 0;
    pl_status rc;

    pl_buf_adds(b, "<h2>Plans awaiting approval</h2>\n");
    rc = pl_store_plan_get(u->r->store, 0, &p, err);
    if (rc == PL_E_NOTFOUND) {
        pl_buf_adds(b, "<p class=\"sub\">No plan yet.</p>\n");
        return PL_OK;
    }
    if (rc != PL_OK || (rc = pl_store_wave_list(u->r->store, p.id, &w, &n, err)) != PL_OK) {
        pl_plan_row_release(&p);
        return rc;
    }
    pl_buf_addf(b,
                "<table id=\"plan-%lld\"><tr><th>Wave</th><th>Lane</th><th>Environment</th>"
                "<th>Starts</th><th>Tier</th><th>Assets</th><th>Findings</th><th>Approved by"
                "</th></tr>\n",
                (long long)p.id);
    for (size_t i = 0; i < n; i++) {
        if (!w[i].needs_approval)
            continue;
        waiting += w[i].approved_by == NULL;
        pl_buf_addf(b, "<tr><td>%d</td><td>", w[i].seq);
        pl__server_ui_esc(b, w[i].lane);
        pl_buf_adds(b, "</td><td>");
        pl__server_ui_esc(b, w[i].environment);
        pl_buf_addf(b, "</td><td>%s</td><td>%d</td><td>%lld</td><td>%lld</td><td>",
                    pl_time_format(w[i].starts_at, when), w[i].tier, (long long)w[i].n_assets,
                    (long long)w[i].n_findings);
        pl__server_ui_esc(b, w[i].approved_by ? w[i].approved_by : "awaiting approval");
        pl_buf_adds(b, "</td></tr>\n");
    }
    pl_buf_adds(b, "</table>\n<p>Plan ");
    pl_buf_addf(b, "%lld, requested by ", (long long)p.id);
    pl__server_ui_esc(b, p.requester);
    pl_buf_addf(b, ": %zu waves awaiting approval.</p>\n", waiting);
    snprintf(what, sizeof(what), "plan %lld", (long long)p.id);
    if (waiting && pl_store_plan_owners(u->r->store, p.id, &o, err) == PL_OK) {
        if (may_act(u, PL_ACT_APPROVE_PLAN, &o, what, p.requester)) {
            pl_buf_addf(b, "<form method=\"post\" action=\"/plans/%lld/approve\">",
                        (long long)p.id);
            pl__server_ui_csrf_field(u, b);
            pl_buf_addf(b,
                        "<button type=\"submit\" id=\"approve-plan-%lld\">Approve plan %lld"
                        "</button></form>\n",
                        (long long)p.id, (long long)p.id);
        }
        pl_owner_set_release(&o);
    }
    pl_wave_rows_release(w, n);
    pl_plan_row_release(&p);
    return PL_OK;
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

enum MHD_Result pl__server_ui_plan_approve(struct ui_req *u)
{
    struct pl_error err = PL_ERROR_INIT;
    int64_t id;

    if (!path_id(u, &id, &err))
        return pl__server_ui_fail(u, &err);
    if (pl__server_srv_may(&u->r->who, SRV_APPROVE_PLAN, &err) != PL_OK ||
        pl__server_srv_plan_approve(u->r, id, 0, &err) != PL_OK)
        return pl__server_ui_fail(u, &err);
    return pl__server_ui_redirect(u, "/decisions?done=approved", NULL);
}
