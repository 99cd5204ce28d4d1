/*
 * config.c - reading and validating a plan file: approval rules,
 * promotion, rings and the high-risk packages (windows.c has the windows).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/file.h"
#include "patchline/sha256.h"

#include "plan_int.h"

static pl_status parse_rule(struct pl_yaml *y, yaml_node_t *m, size_t idx,
                            struct pl_approval_rule *r)
{
    static const char *const keys[] = {"tiers", "approve-after-days", "approve-until-date",
                                       "manual", NULL};
    yaml_node_t *after = pl_yaml_get(y, m, "approve-after-days");
    yaml_node_t *until = pl_yaml_get(y, m, "approve-until-date");
    yaml_node_t *manual = pl_yaml_get(y, m, "manual");
    char where[64], key[96];
    int64_t v;
    char *s = NULL;
    bool b = false;
    pl_status rc;

    if (snprintf(where, sizeof(where), "approval: rules[%zu]", idx + 1) >= (int)sizeof(where))
        PL_BUG("where");
    if ((rc = pl_yaml_keys(y, m, where, keys)) != PL_OK)
        return rc;
    if (pl_yaml_get(y, m, "tiers") == NULL)
        return pl_yaml_fail(y, m, PL_E_PARSE, where, "'tiers' is required");
    if ((rc = pl__plan_y_tiers(y, pl_yaml_get(y, m, "tiers"),
                               pl__plan_y_where(key, sizeof(key), where, "tiers"),
                               &r->tier_mask)) != PL_OK)
        return rc;
    if ((after != NULL) + (until != NULL) + (manual != NULL) != 1)
        return pl_yaml_fail(y, m, PL_E_PARSE, where,
                            "give exactly one of approve-after-days, approve-until-date, manual");
    if (after) {
        r->mode = PL_APPROVE_AFTER_DAYS;
        if ((rc = pl_yaml_int(y, after,
                              pl__plan_y_where(key, sizeof(key), where, "approve-after-days"), 0,
                              360, &v)) != PL_OK)
            return rc;
        r->after_days = (int)v;
    } else if (until) {
        r->mode = PL_APPROVE_UNTIL_DATE;
        if ((rc = pl_yaml_str(y, until, where, 32, &s)) != PL_OK)
            return rc;
        rc = strlen(s) == 10 && pl_time_parse(s, &r->until, NULL) == PL_OK
                 ? PL_OK
                 : pl_yaml_fail(y, until, PL_E_PARSE, where,
                                "approve-until-date: '%s' is not a date (want YYYY-MM-DD)", s);
        r->until += 86399; /* the whole day */
        free(s);
        return rc;
    } else {
        if ((rc = pl_yaml_bool(y, manual, where, &b)) != PL_OK)
            return rc;
        if (!b)
            return pl_yaml_fail(y, manual, PL_E_PARSE, where, "manual: only 'true' makes sense");
        r->mode = PL_APPROVE_MANUAL;
    }
    return PL_OK;
}

static pl_status parse_approval(struct pl_yaml *y, yaml_node_t *m, struct pl_plan_config *c)
{
    static const char *const keys[] = {"tier0-preapproved", "rules", "approved-packages",
                                       "rejected-packages", NULL};
    yaml_node_t *n;
    pl_status rc;
    size_t count;

    c->tier0_preapproved = true;
    if (m == NULL)
        return PL_OK;
    if ((rc = pl_yaml_keys(y, m, "approval", keys)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, m, "tier0-preapproved")) &&
        (rc = pl_yaml_bool(y, n, "approval: tier0-preapproved", &c->tier0_preapproved)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, m, "approved-packages")) &&
        (rc = pl__plan_y_strv(y, n, "approval: approved-packages", PL_MAX_PLAN_LIST,
                              PL_MAX_NAME_BYTES, &c->approved)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, m, "rejected-packages")) &&
        (rc = pl__plan_y_strv(y, n, "approval: rejected-packages", PL_MAX_PLAN_LIST,
                              PL_MAX_NAME_BYTES, &c->rejected)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, m, "rules")) == NULL)
        return PL_OK;
    if (n->type != YAML_SEQUENCE_NODE)
        return pl_yaml_fail(y, n, PL_E_PARSE, "approval: rules", "want a list of rules");
    count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count > PL_MAX_PLAN_RULES)
        return pl_yaml_fail(y, n, PL_E_TOOBIG, "approval: rules", "%zu rules over the limit of %d",
                            count, PL_MAX_PLAN_RULES);
    c->rules = pl_xcalloc(count ? count : 1, sizeof(*c->rules));
    for (size_t i = 0; i < count; i++, c->n_rules++)
        if ((rc = parse_rule(y, pl_yaml_node(y, n->data.sequence.items.start[i]), i,
                             &c->rules[i])) != PL_OK)
            return rc;
    return PL_OK;
}

static pl_status parse_promotion(struct pl_yaml *y, yaml_node_t *m, struct pl_plan_config *c)
{
    static const char *const keys[] = {"soak", "regression-tests", NULL};
    static const char *const soak_keys[] = {"tier-1", "tier-2", "tier-3", "tier-4", NULL};
    static const char *const env_keys[] = {"dev", "staging", "prod", NULL};
    static const int64_t soak_default[PL_PLAN_TIERS] = {0, 86400, (int64_t)3 * 86400,
                                                        (int64_t)3 * 86400, (int64_t)5 * 86400};
    yaml_node_t *n, *v;
    char key[96];
    pl_status rc;

    memcpy(c->soak_secs, soak_default, sizeof(soak_default));
    if (m == NULL)
        return PL_OK;
    if ((rc = pl_yaml_keys(y, m, "promotion", keys)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, m, "soak")) != NULL) {
        if ((rc = pl_yaml_keys(y, n, "promotion: soak", soak_keys)) != PL_OK)
            return rc;
        for (int t = 1; t < PL_PLAN_TIERS; t++)
            if ((v = pl_yaml_get(y, n, soak_keys[t - 1])) &&
                (rc = pl_yaml_duration(
                     y, v, pl__plan_y_where(key, sizeof(key), "promotion: soak", soak_keys[t - 1]),
                     0, (int64_t)90 * 86400, &c->soak_secs[t])) != PL_OK)
                return rc;
    }
    if ((n = pl_yaml_get(y, m, "regression-tests")) != NULL) {
        if ((rc = pl_yaml_keys(y, n, "promotion: regression-tests", env_keys)) != PL_OK)
            return rc;
        for (int e = 0; e < PL_PLAN_ENV_COUNT; e++)
            if ((v = pl_yaml_get(y, n, env_keys[e])) &&
                (rc = pl__plan_y_strv(
                     y, v,
                     pl__plan_y_where(key, sizeof(key), "promotion: regression-tests", env_keys[e]),
                     PL_MAX_PLAN_LIST, 4096, &c->regression[e])) != PL_OK)
                return rc;
    }
    return PL_OK;
}

static pl_status parse_ring(struct pl_yaml *y, yaml_node_t *m, size_t idx, struct pl_plan_ring *r)
{
    static const char *const keys[] = {
        "name",         "share", "tags", "watch", "high-risk-watch", "halt-failure-rate",
        "health-check", NULL};
    char where[64], key[96];
    yaml_node_t *n;
    pl_status rc;

    if (snprintf(where, sizeof(where), "rings[%zu]", idx + 1) >= (int)sizeof(where))
        PL_BUG("where");
    if ((rc = pl_yaml_keys(y, m, where, keys)) != PL_OK)
        return rc;
    n = pl_yaml_get(y, m, "share");
    if (pl_yaml_get(y, m, "name") == NULL || n == NULL)
        return pl_yaml_fail(y, m, PL_E_PARSE, where, "'name' and 'share' are required");
    if ((rc = pl_yaml_str(y, pl_yaml_get(y, m, "name"), where, 64, &r->name)) != PL_OK ||
        (rc = pl_yaml_percent(y, n, pl__plan_y_where(key, sizeof(key), where, "share"),
                              &r->share)) != PL_OK)
        return rc;
    r->halt_failure_rate = 1.0;
    if ((n = pl_yaml_get(y, m, "tags")) &&
        (rc = pl__plan_y_strv(y, n, pl__plan_y_where(key, sizeof(key), where, "tags"),
                              PL_MAX_PLAN_LIST, PL_MAX_NAME_BYTES, &r->tags)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, m, "watch")) &&
        (rc = pl_yaml_duration(y, n, pl__plan_y_where(key, sizeof(key), where, "watch"), 0,
                               (int64_t)30 * 86400, &r->watch_secs)) != PL_OK)
        return rc;
    r->high_risk_watch_secs = r->watch_secs;
    if ((n = pl_yaml_get(y, m, "high-risk-watch")) &&
        (rc = pl_yaml_duration(y, n, pl__plan_y_where(key, sizeof(key), where, "high-risk-watch"),
                               0, (int64_t)30 * 86400, &r->high_risk_watch_secs)) != PL_OK)
        return rc;
    if (r->high_risk_watch_secs < r->watch_secs)
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "high-risk-watch: shorter than watch");
    if ((n = pl_yaml_get(y, m, "halt-failure-rate")) &&
        (rc = pl_yaml_percent(y, n, pl__plan_y_where(key, sizeof(key), where, "halt-failure-rate"),
                              &r->halt_failure_rate)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, m, "health-check")) &&
        (rc = pl__plan_y_strv(y, n, pl__plan_y_where(key, sizeof(key), where, "health-check"),
                              PL_MAX_PLAN_LIST, 4096, &r->health_check)) != PL_OK)
        return rc;
    return PL_OK;
}

static pl_status parse_rings(struct pl_yaml *y, yaml_node_t *n, struct pl_plan_config *c)
{
    size_t count;
    double total = 0;
    pl_status rc;

    if (n == NULL || n->type != YAML_SEQUENCE_NODE)
        return pl_yaml_fail(y, n, PL_E_PARSE, "rings", "want a list of rings");
    count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count == 0 || count > PL_MAX_PLAN_RINGS)
        return pl_yaml_fail(y, n, PL_E_PARSE, "rings", "want 1 to %d rings, not %zu",
                            PL_MAX_PLAN_RINGS, count);
    c->rings = pl_xcalloc(count, sizeof(*c->rings));
    for (size_t i = 0; i < count; i++) {
        c->n_rings++;
        if ((rc = parse_ring(y, pl_yaml_node(y, n->data.sequence.items.start[i]), i,
                             &c->rings[i])) != PL_OK)
            return rc;
        total += c->rings[i].share;
    }
    if (fabs(total - 1.0) > 1e-6)
        return pl_yaml_fail(y, n, PL_E_PARSE, "rings", "the shares add up to %g%%, not 100%%",
                            total * 100);
    return PL_OK;
}

static pl_status parse_root(struct pl_yaml *y, yaml_node_t *root, struct pl_plan_config *c)
{
    static const char *const keys[] = {
        "version", "approval",           "windows", "emergency", "promotion",
        "rings",   "high-risk-packages", NULL};
    yaml_node_t *n;
    int64_t version;
    pl_status rc;

    if ((rc = pl_yaml_keys(y, root, "the plan file", keys)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, root, "version")) == NULL)
        return pl_yaml_fail(y, root, PL_E_PARSE, "", "'version: 1' is required");
    if ((rc = pl_yaml_int(y, n, "version", 1, 1, &version)) != PL_OK ||
        (rc = parse_approval(y, pl_yaml_get(y, root, "approval"), c)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, root, "windows")) == NULL)
        return pl_yaml_fail(y, root, PL_E_PARSE, "", "'windows' is required");
    if ((rc = pl__plan_parse_windows(y, n, c)) != PL_OK ||
        (rc = pl__plan_parse_emergency(y, pl_yaml_get(y, root, "emergency"), c)) != PL_OK ||
        (rc = parse_promotion(y, pl_yaml_get(y, root, "promotion"), c)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, root, "rings")) == NULL)
        return pl_yaml_fail(y, root, PL_E_PARSE, "", "'rings' is required");
    if ((rc = parse_rings(y, n, c)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, root, "high-risk-packages")) &&
        (rc = pl__plan_y_strv(y, n, "high-risk-packages", PL_MAX_PLAN_LIST, PL_MAX_NAME_BYTES,
                              &c->high_risk)) != PL_OK)
        return rc;
    return PL_OK;
}

pl_status pl_plan_config_parse(const char *name, const char *text, size_t len,
                               struct pl_plan_config **out, struct pl_error *err)
{
    struct pl_yaml y;
    struct pl_plan_config *c;
    struct pl_sha256 h;
    pl_status rc;

    if (len > PL_MAX_PLAN_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "%s: %zu bytes over the limit of %zu", name, len,
                            PL_MAX_PLAN_BYTES);
    if ((rc = pl_yaml_load(&y, name, "plan file", text, len, PL_MAX_PLAN_DEPTH, err)) != PL_OK)
        return rc;
    c = pl_xcalloc(1, sizeof(*c));
    c->source = pl_xstrdup(name);
    pl_sha256_init(&h);
    pl_sha256_update(&h, text, len);
    pl_sha256_hex(&h, c->sha256);
    rc = parse_root(&y, pl_yaml_root(&y), c);
    pl_yaml_free(&y);
    if (rc != PL_OK) {
        pl_plan_config_free(c);
        return rc;
    }
    *out = c;
    return PL_OK;
}

pl_status pl_plan_config_load(const char *path, struct pl_plan_config **out, struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(0);
    pl_status rc;

    if (path == NULL) {
        const char *t = pl_plan_default_yaml();

        return pl_plan_config_parse("(built-in)", t, strlen(t), out, err);
    }
    if ((rc = pl_file_read(path, PL_MAX_PLAN_BYTES, &b, err)) != PL_OK)
        return rc;
    rc = pl_plan_config_parse(path, pl_buf_cstr(&b), b.len, out, err);
    pl_buf_release(&b);
    return rc;
}

void pl_plan_config_free(struct pl_plan_config *c)
{
    if (c == NULL)
        return;
    free(c->source);
    free(c->rules);
    pl__plan_strv_release(&c->approved);
    pl__plan_strv_release(&c->rejected);
    pl__plan_strv_release(&c->high_risk);
    for (size_t i = 0; i < c->n_windows; i++)
        pl__plan_window_release(&c->windows[i]);
    free(c->windows);
    for (int e = 0; e < PL_PLAN_ENV_COUNT; e++)
        pl__plan_strv_release(&c->regression[e]);
    for (size_t i = 0; i < c->n_rings; i++) {
        free(c->rings[i].name);
        pl__plan_strv_release(&c->rings[i].tags);
        pl__plan_strv_release(&c->rings[i].health_check);
    }
    free(c->rings);
    free(c);
}
