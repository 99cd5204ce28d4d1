/*
 * exception.c - exceptions and compensating controls: requests, approval
 * (by someone other than the requester), revocation and the caps.
 */
#include "patchline/exception.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"
#include "patchline/store_auth.h"
#include "patchline/store_notify.h"

#include "exception_int.h"

static const struct {
    const char *name;
    enum pl_exception_class cls;
} types[] = {
    {"waf-rule", PL_EXC_CONTROL},           {"network-segmentation", PL_EXC_CONTROL},
    {"feature-disabled", PL_EXC_CONTROL},   {"enhanced-monitoring", PL_EXC_CONTROL},
    {"access-restriction", PL_EXC_CONTROL}, {"risk-acceptance", PL_EXC_ACCEPTANCE},
    {"false-positive", PL_EXC_FALSE_POS},
};

bool pl_exception_type_class(const char *type, enum pl_exception_class *out)
{
    for (size_t i = 0; type && i < PL_ARRAY_LEN(types); i++)
        if (strcmp(types[i].name, type) == 0) {
            *out = types[i].cls;
            return true;
        }
    return false;
}

const char *pl_exception_status_at(const struct pl_exception_row *x, pl_time_t now)
{
    static const char *const live[] = {"pending", "active", "needs-review"};

    for (size_t i = 0; x->status && i < PL_ARRAY_LEN(live); i++)
        if (strcmp(x->status, live[i]) == 0 && x->expires_at <= now)
            return "expired";
    return x->status;
}

const char *pl_exception_class_status(enum pl_exception_class c)
{
    static const char *const names[] = {
        [PL_EXC_CONTROL] = "mitigated",
        [PL_EXC_ACCEPTANCE] = "accepted",
        [PL_EXC_FALSE_POS] = "false-positive",
    };
    return names[c];
}

const char *pl_exception_type_names(void)
{
    return "waf-rule network-segmentation feature-disabled enhanced-monitoring "
           "access-restriction risk-acceptance false-positive";
}

pl_status pl__policy_exc_text(const char *what, const char *s, const char *missing,
                              struct pl_error *err)
{
    size_t n = s ? strlen(s) : 0;
    size_t i = 0;

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i == n)
        return pl_error_set(err, PL_E_INVALID, "%s", missing);
    if (n > PL_MAX_EXCEPTION_TEXT_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "%s longer than %d bytes", what,
                            PL_MAX_EXCEPTION_TEXT_BYTES);
    if (!pl_utf8_valid(s, n))
        return pl_error_set(err, PL_E_INVALID, "%s is not valid UTF-8", what);
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return pl_error_set(err, PL_E_INVALID, "%s holds a control character (byte %zu)", what,
                                i + 1);
    return PL_OK;
}

/* A duration from now ("30d") or a time ("2026-12-31"). */
static pl_status parse_expires(const char *text, pl_time_t now, pl_time_t *out,
                               struct pl_error *err)
{
    char a[PL_TIME_STR_LEN], b[PL_TIME_STR_LEN];
    struct pl_error ignored = PL_ERROR_INIT;
    int64_t d;

    if (text == NULL || *text == '\0')
        return pl_error_set(err, PL_E_INVALID, "an expiry is required (--expires 30d or a date)");
    if (strlen(text) > 64)
        return pl_error_set(err, PL_E_INVALID, "--expires: value longer than 64 bytes");
    if (pl_duration_parse(text, &d, &ignored) == PL_OK && d > (int64_t)36525 * 86400)
        return pl_error_set(err, PL_E_INVALID, "--expires '%s': more than 100 years", text);
    if (pl_duration_parse(text, &d, &ignored) == PL_OK)
        *out = now + d;
    else if (pl_time_parse(text, out, &ignored) != PL_OK)
        return pl_error_set(err, PL_E_INVALID,
                            "--expires '%s': want a duration (30d) or a date (2026-12-31)", text);
    if (*out <= now)
        return pl_error_set(err, PL_E_INVALID, "expiry %s is not after now (%s)",
                            pl_time_format(*out, a), pl_time_format(now, b));
    return PL_OK;
}

int64_t pl_exception_control_cap(const char *type, int tier)
{
    /* days, Tier 0 .. Tier 4 */
    static const struct {
        const char *type;
        int days[5];
    } caps[] = {
        {"enhanced-monitoring", {7, 30, 90, 180, 180}},
        {"waf-rule", {30, 90, 180, 180, 180}},
        {"access-restriction", {30, 90, 180, 180, 180}},
        {"network-segmentation", {90, 180, 180, 180, 180}},
        {"feature-disabled", {90, 180, 180, 180, 180}},
    };

    for (size_t i = 0; i < PL_ARRAY_LEN(caps); i++)
        if (strcmp(caps[i].type, type) == 0 && tier >= 0 && tier < 5)
            return (int64_t)caps[i].days[tier] * 86400;
    return PL_EXCEPTION_CONTROL_MAX;
}

pl_status pl__policy_exc_check_cap(struct pl_store *s, const struct pl_policy *policy, int64_t id,
                                   const char *type, pl_time_t from, pl_time_t expires,
                                   struct pl_error *err)
{
    struct pl_exception_findings in = {NULL, 0};
    enum pl_exception_class cls;
    char d1[32], d2[32], tier[96] = "";
    int64_t cap;
    int worst = -1;
    pl_status rc;

    if (!pl_exception_type_class(type, &cls))
        return pl_error_set(err, PL_E_INVALID, "unknown exception type '%s'", type);
    if ((rc = pl_store_exception_scope(s, id, &in, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < in.n; i++)
        if (pl__policy_exc_status_coverable(in.items[i].status) && in.items[i].tier >= 0 &&
            (worst < 0 || in.items[i].tier < worst))
            worst = in.items[i].tier;
    pl_exception_findings_release(&in);
    if (cls == PL_EXC_CONTROL) {
        cap = pl_exception_control_cap(type, worst);
        if (cap < PL_EXCEPTION_CONTROL_MAX &&
            snprintf(tier, sizeof(tier), " for a Tier %d finding", worst) < 0)
            tier[0] = '\0';
    } else if (cls == PL_EXC_FALSE_POS) {
        cap = PL_EXCEPTION_FALSE_POSITIVE_MAX;
    } else {
        cap = pl_policy_exception_cap(policy, worst);
        if (worst >= 0 && snprintf(tier, sizeof(tier), " for a Tier %d finding", worst) < 0)
            tier[0] = '\0';
    }
    if (expires - from <= cap)
        return PL_OK;
    pl_duration_format(cap, d1, sizeof(d1));
    pl_duration_format(expires - from, d2, sizeof(d2));
    if (cls == PL_EXC_ACCEPTANCE)
        return pl_error_set(err, PL_E_INVALID, "%s may last at most %s%s (policy '%s'), not %s",
                            type, d1, tier, pl_policy_name(policy), d2);
    return pl_error_set(err, PL_E_INVALID, "%s may last at most %s%s, not %s", type, d1, tier, d2);
}

bool pl__policy_exc_status_coverable(const char *status)
{
    return status && (pl_finding_status(status) == PL_MX_OPEN ||
                      pl_finding_status(status) == PL_MX_MITIGATED ||
                      pl_finding_status(status) == PL_MX_ACCEPTED ||
                      pl_finding_status(status) == PL_MX_FALSE_POSITIVE);
}

/* Check a vulnerability id: letters, then '-', then [A-Za-z0-9._:-]. */
static pl_status check_vuln_id(const char *v, struct pl_error *err)
{
    size_t n = strlen(v), i = 0;
    bool ok = n > 2 && n <= PL_MAX_NAME_BYTES;

    while (ok && i < n && ((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= 'a' && v[i] <= 'z')))
        i++;
    ok = ok && i > 0 && i < n && v[i] == '-' && i + 1 < n;
    for (i++; ok && i < n; i++)
        ok = (v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= 'a' && v[i] <= 'z') ||
             (v[i] >= '0' && v[i] <= '9') || strchr("._:-", v[i]) != NULL;
    if (!ok)
        return pl_error_set(err, PL_E_INVALID, "--cve '%s': not a vulnerability id (CVE-2024-3094)",
                            n > 64 ? "(too long)" : v);
    return PL_OK;
}

static pl_status scope_form(const struct pl_exception_request *r, struct pl_error *err)
{
    if (r->finding_id > 0 && (r->vuln_id || r->selector || r->n_assets))
        return pl_error_set(err, PL_E_INVALID,
                            "give one scope: --finding cannot be combined with --cve, --select "
                            "or --asset");
    if (r->finding_id > 0)
        return PL_OK;
    if (r->selector && r->n_assets)
        return pl_error_set(err, PL_E_INVALID, "--select and --asset cannot be combined");
    if (r->selector && !r->vuln_id)
        return pl_error_set(err, PL_E_INVALID, "--select needs --cve (a whole asset is --asset)");
    if (r->vuln_id && !r->selector && !r->n_assets)
        return pl_error_set(err, PL_E_INVALID, "--cve needs --select SELECTOR or --asset ASSET");
    if (!r->vuln_id && !r->n_assets)
        return pl_error_set(err, PL_E_INVALID,
                            "give a scope: --finding ID, --cve CVE with --select or --asset, or "
                            "--asset ASSET");
    if (r->n_assets > PL_MAX_EXCEPTION_ASSETS)
        return pl_error_set(err, PL_E_TOOBIG, "more than %d assets in one exception",
                            PL_MAX_EXCEPTION_ASSETS);
    return r->vuln_id ? check_vuln_id(r->vuln_id, err) : PL_OK;
}

/* Fill the scope of x (and the asset ids) from the request. */
static pl_status resolve_scope(struct pl_store *s, const struct pl_exception_request *r,
                               struct pl_exception_new *x, int64_t **ids, size_t *n,
                               struct pl_error *err)
{
    char status[32];
    int tier;
    pl_status rc;

    if ((rc = scope_form(r, err)) != PL_OK)
        return rc;
    x->vuln_id = r->vuln_id;
    if (r->finding_id > 0) {
        x->scope = "finding";
        x->finding_id = r->finding_id;
        if ((rc = pl_store_exception_finding(s, r->finding_id, status, sizeof(status), &tier,
                                             err)) != PL_OK)
            return rc;
        if (!pl__policy_exc_status_coverable(status))
            return pl_error_set(err, PL_E_INVALID,
                                "finding %lld is %s: only an open finding can take an exception",
                                (long long)r->finding_id, status);
        return PL_OK;
    }
    if (r->selector) {
        x->scope = "selector";
        x->selector = r->selector;
        return pl__policy_exc_select(s, r->selector, ids, n, err);
    }
    x->scope = "assets";
    *ids = pl_xcalloc(r->n_assets, sizeof(**ids));
    for (size_t i = 0; i < r->n_assets; i++) {
        if ((rc = pl_store_asset_resolve(s, r->assets[i], &(*ids)[i], err)) != PL_OK)
            return rc;
        *n = i + 1;
    }
    return PL_OK;
}

/* "risk-acceptance on finding 3", "waf-rule on CVE-1 of assets a,b", ... */
static void scope_text(struct pl_buf *b, const struct pl_exception_request *r)
{
    pl_buf_addf(b, "%s on ", r->type);
    if (r->finding_id > 0)
        pl_buf_addf(b, "finding %lld", (long long)r->finding_id);
    else if (r->vuln_id)
        pl_buf_addf(b, "%s of ", r->vuln_id);
    else
        pl_buf_adds(b, "every finding of ");
    if (r->selector)
        pl_buf_addf(b, "assets matching %s", r->selector);
    else if (r->n_assets)
        pl_buf_adds(b, r->n_assets == 1 ? "asset " : "assets ");
    for (size_t i = 0; i < r->n_assets && i < 20; i++)
        pl_buf_addf(b, i ? ",%s" : "%s", r->assets[i]);
    if (r->n_assets > 20)
        pl_buf_addf(b, ",... (%zu)", r->n_assets);
}

static pl_status add_tx(struct pl_store *s, const struct pl_policy *policy,
                        const struct pl_exception_request *r, pl_time_t now, int64_t *id_out,
                        struct pl_error *err)
{
    struct pl_exception_new x = {0};
    enum pl_exception_class cls;
    struct pl_buf detail = PL_BUF_INIT(8192);
    char when[PL_TIME_STR_LEN], obj[48];
    int64_t *ids = NULL, id = 0;
    size_t n = 0;
    pl_status rc;

    if (r->type == NULL || !pl_exception_type_class(r->type, &cls))
        return pl_error_set(err, PL_E_INVALID, "unknown exception type '%s' (want one of: %s)",
                            r->type ? r->type : "", pl_exception_type_names());
    if ((rc = pl__policy_exc_text("justification", r->justification,
                                  "a justification is required (--justification TEXT)", err)) !=
            PL_OK ||
        (rc = parse_expires(r->expires, now, &x.expires_at, err)) != PL_OK)
        return rc;
    x.type = r->type;
    x.justification = r->justification;
    x.requester = pl_store_actor();
    x.requested_at = now;
    if ((rc = resolve_scope(s, r, &x, &ids, &n, err)) == PL_OK &&
        (rc = pl_store_exception_add(s, &x, ids, n, &id, err)) == PL_OK &&
        (rc = pl__policy_exc_check_cap(s, policy, id, r->type, now, x.expires_at, err)) == PL_OK) {
        scope_text(&detail, r);
        pl_buf_addf(&detail, ", expires %s: %s", pl_time_format(x.expires_at, when),
                    x.justification);
        if (snprintf(obj, sizeof(obj), "exception %lld", (long long)id) >= (int)sizeof(obj))
            PL_BUG("object name");
        rc = pl_store_audit(s, "exception.add", obj, pl_buf_cstr(&detail), err);
    }
    if (rc == PL_OK) /* webhooks: an approval is waiting */
        rc = pl_store_notify_enqueue(s, now, NULL, err);
    if (rc == PL_OK)
        *id_out = id;
    pl_buf_release(&detail);
    free(ids);
    return rc;
}

pl_status pl_exception_add(struct pl_store *s, const struct pl_policy *policy,
                           const struct pl_exception_request *req, pl_time_t now, int64_t *id_out,
                           struct pl_error *err)
{
    pl_status rc;

    if (s == NULL || policy == NULL || req == NULL || id_out == NULL)
        return pl_error_set(err, PL_E_INVALID, "pl_exception_add: NULL argument");
    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    /* the exceptions in line with now first: the request is checked against them */
    if ((rc = pl_exceptions_apply(s, now, NULL, err)) != PL_OK ||
        (rc = add_tx(s, policy, req, now, id_out, err)) != PL_OK) {
        pl_store_rollback(s);
        return rc;
    }
    return pl_store_commit(s, err);
}

/* Per-tier ends of a risk acceptance approved at `at`, where earlier than its expiry. */
static pl_status write_caps(struct pl_store *s, const struct pl_policy *policy,
                            const struct pl_exception_row *x, pl_time_t at, struct pl_error *err)
{
    pl_time_t until[PL_MAX_POLICY_TIERS] = {0};
    size_t n = (size_t)pl_policy_n_tiers(policy);

    if (strcmp(x->type, "risk-acceptance") != 0)
        n = 0;
    for (size_t t = 0; t < n && t < PL_MAX_POLICY_TIERS; t++) {
        pl_time_t end = at + pl_policy_exception_cap(policy, (int)t);

        until[t] = end < x->expires_at ? end : 0;
    }
    return pl_store_exception_caps(s, x->id, until, n, err);
}

/* The most urgent tier among the open findings in scope of exception id (-1: none). */
static pl_status worst_tier(struct pl_store *s, int64_t id, int *worst, struct pl_error *err)
{
    struct pl_exception_findings in = {NULL, 0};
    pl_status rc;

    *worst = -1;
    if ((rc = pl_store_exception_scope(s, id, &in, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < in.n; i++)
        if (pl__policy_exc_status_coverable(in.items[i].status) && in.items[i].tier >= 0 &&
            (*worst < 0 || in.items[i].tier < *worst))
            *worst = in.items[i].tier;
    pl_exception_findings_release(&in);
    return PL_OK;
}

/*
 * Who acts may sign off exception x: another person than its requester,
 * an approver or risk-owner within its scopes, and a risk-owner for a risk
 * acceptance of a Tier 0 or Tier 1 finding.
 */
static pl_status may_sign_off(struct pl_store *s, const struct pl_exception_row *x,
                              struct pl_error *err)
{
    const struct pl_principal *me;
    struct pl_owner_set o = {NULL, 0, false};
    struct pl_auth_object obj;
    char what[48];
    int worst = -1;
    pl_status rc;

    if ((rc = pl_store_principal(s, &me, err)) != PL_OK)
        return rc;
    if (pl_auth_same_person(me, x->requester))
        return pl_error_set(err, PL_E_CONFLICT,
                            "exception %lld was requested by '%s': it must be approved by "
                            "another user",
                            (long long)x->id, x->requester);
    if ((rc = pl_store_exception_owners(s, x->id, &o, err)) != PL_OK)
        return rc;
    if (snprintf(what, sizeof(what), "exception %lld", (long long)x->id) >= (int)sizeof(what))
        what[sizeof(what) - 1] = '\0';
    obj.what = what;
    obj.owners = (const char *const *)o.owners;
    obj.n_owners = o.n;
    obj.unowned = o.unowned;
    rc = pl_auth_may(me, PL_ACT_APPROVE_EXCEPTION, &obj, err);
    if (rc == PL_OK && strcmp(x->type, "risk-acceptance") == 0 &&
        (rc = worst_tier(s, x->id, &worst, err)) == PL_OK && worst >= 0 && worst <= 1 &&
        (rc = pl_auth_may(me, PL_ACT_ACCEPT_RISK, &obj, err)) != PL_OK)
        pl_error_prefix(err, "a risk acceptance of a Tier %d finding needs a risk-owner", worst);
    pl_owner_set_release(&o);
    return rc;
}

static pl_status approve_tx(struct pl_store *s, const struct pl_policy *policy,
                            struct pl_exception_row *x, pl_time_t now, struct pl_error *err)
{
    const char *me = pl_store_actor();
    char when[PL_TIME_STR_LEN], obj[48], detail[256];
    pl_status rc;

    if (strcmp(x->status, "pending") != 0 && strcmp(x->status, "needs-review") != 0)
        return pl_error_set(err, PL_E_CONFLICT,
                            "exception %lld is %s: only a pending or needs-review exception can "
                            "be approved",
                            (long long)x->id, x->status);
    /* an approval never precedes its request (docs/security.md) */
    if ((rc = pl_store_check_order(now, x->requested_at, "approval", "the request of exception",
                                   x->id, err)) != PL_OK)
        return rc;
    if ((rc = may_sign_off(s, x, err)) != PL_OK)
        return rc;
    if (x->expires_at <= now)
        return pl_error_set(err, PL_E_CONFLICT, "exception %lld expired at %s, before approval",
                            (long long)x->id, pl_time_format(x->expires_at, when));
    if ((rc = pl__policy_exc_check_cap(s, policy, x->id, x->type, now, x->expires_at, err)) !=
            PL_OK ||
        (rc = pl_store_exception_approve(s, x->id, me, now, err)) != PL_OK ||
        (rc = write_caps(s, policy, x, now, err)) != PL_OK)
        return rc;
    if (snprintf(obj, sizeof(obj), "exception %lld", (long long)x->id) >= (int)sizeof(obj) ||
        snprintf(detail, sizeof(detail), "%s requested by %s, active until %s%s", x->type,
                 x->requester, pl_time_format(x->expires_at, when),
                 strcmp(x->status, "needs-review") == 0 ? " (re-approved after review)" : "") < 0)
        PL_BUG("audit text");
    if ((rc = pl_store_audit(s, "exception.approve", obj, detail, err)) != PL_OK)
        return rc;
    return pl_exceptions_apply(s, now, NULL, err);
}

pl_status pl_exception_approve(struct pl_store *s, const struct pl_policy *policy, int64_t id,
                               pl_time_t now, struct pl_error *err)
{
    struct pl_exception_row x;
    pl_status rc;

    if (s == NULL || policy == NULL)
        return pl_error_set(err, PL_E_INVALID, "pl_exception_approve: NULL argument");
    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    /* bring expiry and reviews up to date first: an expired one cannot be approved */
    if ((rc = pl_exceptions_apply(s, now, NULL, err)) == PL_OK &&
        (rc = pl_store_exception_get(s, id, &x, err)) == PL_OK) {
        rc = approve_tx(s, policy, &x, now, err);
        pl_exception_row_release(&x);
    }
    if (rc != PL_OK) {
        pl_store_rollback(s);
        return rc;
    }
    return pl_store_commit(s, err);
}

static pl_status revoke_tx(struct pl_store *s, int64_t id, const char *reason, pl_time_t now,
                           struct pl_error *err)
{
    struct pl_exception_row x;
    char obj[48];
    pl_status rc;

    if ((rc = pl__policy_exc_text("reason", reason, "a reason is required (--reason TEXT)", err)) !=
            PL_OK ||
        (rc = pl_exceptions_apply(s, now, NULL, err)) != PL_OK ||
        (rc = pl_store_exception_get(s, id, &x, err)) != PL_OK)
        return rc;
    if (strcmp(x.status, "expired") == 0 || strcmp(x.status, "revoked") == 0)
        rc = pl_error_set(err, PL_E_CONFLICT, "exception %lld is already %s", (long long)id,
                          x.status);
    else
        rc = pl_store_check_order(now, x.requested_at, "revocation", "the request of exception", id,
                                  err);
    pl_exception_row_release(&x);
    if (rc != PL_OK)
        return rc;
    if (snprintf(obj, sizeof(obj), "exception %lld", (long long)id) >= (int)sizeof(obj))
        PL_BUG("object name");
    if ((rc = pl_store_exception_end(s, id, "revoked", now, pl_store_actor(), reason, err)) !=
            PL_OK ||
        (rc = pl_store_audit(s, "exception.revoke", obj, reason, err)) != PL_OK)
        return rc;
    return pl_exceptions_apply(s, now, NULL, err);
}

pl_status pl_exception_revoke(struct pl_store *s, int64_t id, const char *reason, pl_time_t now,
                              struct pl_error *err)
{
    pl_status rc;

    if (s == NULL)
        return pl_error_set(err, PL_E_INVALID, "pl_exception_revoke: NULL argument");
    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    if ((rc = revoke_tx(s, id, reason, now, err)) != PL_OK) {
        pl_store_rollback(s);
        return rc;
    }
    return pl_store_commit(s, err);
}
