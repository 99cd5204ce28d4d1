/*
 * windows.c - named maintenance windows and the emergency section of a plan
 * file; the starts of a named window.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/parse.h"
#include "patchline/tz.h"

#include "plan_int.h"

int pl__plan_env_of(const char *name)
{
    for (int i = 0; name && i < PL_PLAN_ENV_COUNT; i++)
        if (strcmp(name, pl_plan_env_name(i)) == 0)
            return i;
    return -1;
}

const char *pl_plan_env_name(int env)
{
    static const char *const names[PL_PLAN_ENV_COUNT] = {"dev", "staging", "prod"};

    return env >= 0 && env < PL_PLAN_ENV_COUNT ? names[env] : "?";
}

void pl__plan_window_release(struct pl_plan_window *w)
{
    free(w->name);
    free(w->schedule);
    free(w->blackout_days);
    free(w->zone);
    pl_tz_free(w->tz);
    pl__plan_strv_release(&w->tags);
}

static bool name_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

/* "10" (assets) or "10%" (of the assets the window serves). */
static pl_status limit_value(struct pl_yaml *y, yaml_node_t *n, const char *where, char out[16])
{
    char *s = NULL;
    int64_t v;
    size_t len;
    pl_status rc = pl_yaml_str(y, n, where, 15, &s);

    if (rc != PL_OK)
        return rc;
    len = strlen(s);
    if (len && s[len - 1] == '%') {
        s[len - 1] = '\0';
        if (pl_parse_i64(s, &v, NULL) != PL_OK || v < 1 || v > 100)
            rc = pl_yaml_fail(y, n, PL_E_PARSE, where, "want 1%% to 100%% or a count, not '%s%%'",
                              s);
        s[len - 1] = '%';
    } else if (pl_parse_i64(s, &v, NULL) != PL_OK || v < 1 || v > 1000000) {
        rc = pl_yaml_fail(y, n, PL_E_PARSE, where,
                          "want a count (1-1000000) or 1%% to 100%%, not '%s'", s);
    }
    if (rc == PL_OK)
        memcpy(out, s, len + 1);
    free(s);
    return rc;
}

static pl_status parse_envs(struct pl_yaml *y, yaml_node_t *n, const char *where, unsigned *mask)
{
    struct pl_strv v = {NULL, 0};
    pl_status rc = pl__plan_y_strv(y, n, where, 3, 16, &v);

    *mask = 0;
    if (rc == PL_OK && v.n == 0)
        rc = pl_yaml_fail(y, n, PL_E_PARSE, where, "name at least one environment");
    for (size_t i = 0; rc == PL_OK && i < v.n; i++) {
        int e;

        for (e = 0; e < PL_PLAN_ENV_COUNT && strcmp(v.v[i], pl_plan_env_name(e)) != 0; e++)
            ;
        if (e == PL_PLAN_ENV_COUNT)
            rc = pl_yaml_fail(y, n, PL_E_PARSE, where,
                              "unknown environment '%s' (known: dev, staging, prod)", v.v[i]);
        else
            *mask |= 1u << e;
    }
    pl__plan_strv_release(&v);
    return rc;
}

static pl_status parse_blackouts(struct pl_yaml *y, yaml_node_t *n, const char *where,
                                 struct pl_plan_window *w)
{
    struct pl_strv v = {NULL, 0};
    pl_status rc = pl__plan_y_strv(y, n, where, PL_MAX_WINDOW_BLACKOUTS, 16, &v);

    if (rc != PL_OK)
        return rc;
    w->blackout_days = pl_xcalloc(v.n ? v.n : 1, sizeof(*w->blackout_days));
    for (size_t i = 0; rc == PL_OK && i < v.n; i++) {
        pl_time_t t;

        if (strlen(v.v[i]) != 10 || pl_time_parse(v.v[i], &t, NULL) != PL_OK)
            rc = pl_yaml_fail(y, n, PL_E_PARSE, where, "'%s' is not a date (want YYYY-MM-DD)",
                              v.v[i]);
        else
            w->blackout_days[i] = t / 86400;
    }
    w->w.blackout_days = w->blackout_days;
    w->w.n_blackout = rc == PL_OK ? v.n : 0;
    pl__plan_strv_release(&v);
    return rc;
}

static pl_status parse_schedule(struct pl_yaml *y, yaml_node_t *m, const char *where,
                                struct pl_plan_window *w)
{
    struct pl_error e2 = PL_ERROR_INIT;
    yaml_node_t *n = pl_yaml_get(y, m, "schedule");
    char key[128];
    int64_t off = 0;
    pl_status rc;

    if (n == NULL)
        return pl_yaml_fail(y, m, PL_E_PARSE, where, "'schedule' is required");
    if ((rc = pl_yaml_str(y, n, where, PL_MAX_CRON_BYTES - 1, &w->schedule)) != PL_OK)
        return rc;
    w->immediate = strcmp(w->schedule, "immediately") == 0;
    if (!w->immediate && pl_cron_parse(w->schedule, &w->w.cron, &e2) != PL_OK)
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "schedule: %s", e2.msg);
    (void)key;
    if ((n = pl_yaml_get(y, m, "offset")) &&
        (rc = pl_yaml_int(y, n, pl__plan_y_where(key, sizeof(key), where, "offset"), 0, 365,
                          &off)) != PL_OK)
        return rc;
    if (off && (w->immediate || w->w.cron.kind == PL_CRON_RATE))
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "offset: needs a cron schedule");
    w->w.offset_days = (int)off;
    return PL_OK;
}

static pl_status parse_zone(struct pl_yaml *y, yaml_node_t *m, const char *where,
                            struct pl_plan_window *w)
{
    struct pl_error e2 = PL_ERROR_INIT;
    yaml_node_t *n = pl_yaml_get(y, m, "timezone");
    struct pl_tz *tz = NULL;
    pl_status rc;

    if (n == NULL)
        w->zone = pl_xstrdup("UTC");
    else if ((rc = pl_yaml_str(y, n, where, PL_MAX_TZ_NAME_BYTES - 1, &w->zone)) != PL_OK)
        return rc;
    if ((rc = pl_tz_load(w->zone, &tz, &e2)) != PL_OK)
        return pl_yaml_fail(y, n ? n : m, rc == PL_E_NOTFOUND ? PL_E_PARSE : rc, where,
                            "timezone: %s", e2.msg);
    w->tz = tz;
    w->w.tz = tz;
    return PL_OK;
}

static pl_status parse_limits(struct pl_yaml *y, yaml_node_t *m, const char *where,
                              struct pl_plan_window *w)
{
    yaml_node_t *n;
    char key[128];
    pl_status rc = PL_OK;

    memcpy(w->w.max_concurrency, "100%", 5);
    memcpy(w->w.max_errors, "100%", 5);
    if ((n = pl_yaml_get(y, m, "duration")) == NULL)
        return pl_yaml_fail(y, m, PL_E_PARSE, where, "'duration' is required");
    if ((rc = pl_yaml_duration(y, n, pl__plan_y_where(key, sizeof(key), where, "duration"), 0,
                               (int64_t)31 * 86400, &w->w.duration_secs)) != PL_OK)
        return rc;
    if (w->w.duration_secs <= 0)
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "duration: must be longer than 0");
    if ((n = pl_yaml_get(y, m, "cutoff")) &&
        (rc = pl_yaml_duration(y, n, pl__plan_y_where(key, sizeof(key), where, "cutoff"), 0,
                               (int64_t)31 * 86400, &w->w.cutoff_secs)) != PL_OK)
        return rc;
    if (w->w.cutoff_secs >= w->w.duration_secs)
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "cutoff: must be shorter than the duration");
    if ((n = pl_yaml_get(y, m, "max-concurrency")) &&
        (rc = limit_value(y, n, pl__plan_y_where(key, sizeof(key), where, "max-concurrency"),
                          w->w.max_concurrency)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, m, "max-errors")) &&
        (rc = limit_value(y, n, pl__plan_y_where(key, sizeof(key), where, "max-errors"),
                          w->w.max_errors)) != PL_OK)
        return rc;
    return PL_OK;
}

static pl_status parse_selectors(struct pl_yaml *y, yaml_node_t *m, const char *where,
                                 struct pl_plan_window *w)
{
    yaml_node_t *n;
    char key[128];
    pl_status rc = PL_OK;

    if ((n = pl_yaml_get(y, m, "environments")) &&
        (rc = parse_envs(y, n, pl__plan_y_where(key, sizeof(key), where, "environments"),
                         &w->env_mask)))
        return rc;
    if ((n = pl_yaml_get(y, m, "tiers")) &&
        (rc = pl__plan_y_tiers(y, n, pl__plan_y_where(key, sizeof(key), where, "tiers"),
                               &w->tier_mask)))
        return rc;
    if ((n = pl_yaml_get(y, m, "tags")) &&
        (rc = pl__plan_y_strv(y, n, pl__plan_y_where(key, sizeof(key), where, "tags"),
                              PL_MAX_PLAN_LIST, PL_MAX_NAME_BYTES, &w->tags)))
        return rc;
    if ((n = pl_yaml_get(y, m, "blackout-dates")) &&
        (rc =
             parse_blackouts(y, n, pl__plan_y_where(key, sizeof(key), where, "blackout-dates"), w)))
        return rc;
    return PL_OK;
}

static pl_status parse_window(struct pl_yaml *y, yaml_node_t *m, size_t idx,
                              struct pl_plan_window *w)
{
    static const char *const keys[] = {
        "name",   "schedule",        "timezone",   "offset",       "duration",
        "cutoff", "max-concurrency", "max-errors", "environments", "tiers",
        "tags",   "blackout-dates",  NULL};
    char where[96];
    yaml_node_t *n;
    pl_status rc;

    if (snprintf(where, sizeof(where), "windows[%zu]", idx + 1) >= (int)sizeof(where))
        PL_BUG("where");
    if ((rc = pl_yaml_keys(y, m, where, keys)) != PL_OK)
        return rc;
    w->line = (int)m->start_mark.line + 1;
    if ((n = pl_yaml_get(y, m, "name")) == NULL)
        return pl_yaml_fail(y, m, PL_E_PARSE, where, "'name' is required");
    if ((rc = pl_yaml_str(y, n, where, 64, &w->name)) != PL_OK)
        return rc;
    if (!name_ok(w->name) || strcmp(w->name, "immediately") == 0)
        return pl_yaml_fail(y, n, PL_E_PARSE, where,
                            "name '%s': use letters, digits, '-', '_' and '.' (not 'immediately')",
                            w->name);
    if (snprintf(where, sizeof(where), "window '%s'", w->name) >= (int)sizeof(where))
        PL_BUG("where");
    if ((rc = parse_schedule(y, m, where, w)) != PL_OK ||
        (rc = parse_zone(y, m, where, w)) != PL_OK ||
        (rc = parse_limits(y, m, where, w)) != PL_OK ||
        (rc = parse_selectors(y, m, where, w)) != PL_OK)
        return rc;
    return PL_OK;
}

pl_status pl__plan_parse_windows(struct pl_yaml *y, yaml_node_t *seq, struct pl_plan_config *c)
{
    size_t count;
    pl_status rc = PL_OK;

    if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
        return pl_yaml_fail(y, seq, PL_E_PARSE, "windows", "want a list of windows");
    count = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (count > PL_MAX_PLAN_WINDOWS)
        return pl_yaml_fail(y, seq, PL_E_TOOBIG, "windows", "%zu windows over the limit of %d",
                            count, PL_MAX_PLAN_WINDOWS);
    c->windows = pl_xcalloc(count ? count : 1, sizeof(*c->windows));
    for (size_t i = 0; i < count && rc == PL_OK; i++) {
        yaml_node_t *m = pl_yaml_node(y, seq->data.sequence.items.start[i]);

        c->n_windows++;
        rc = parse_window(y, m, i, &c->windows[i]);
        for (size_t k = 0; rc == PL_OK && k < i; k++)
            if (strcmp(c->windows[k].name, c->windows[i].name) == 0)
                rc = pl_yaml_fail(y, pl_yaml_get(y, m, "name"), PL_E_PARSE, "windows",
                                  "window '%s' is defined twice (first on line %d)",
                                  c->windows[i].name, c->windows[k].line);
    }
    return rc;
}

pl_status pl__plan_parse_emergency(struct pl_yaml *y, yaml_node_t *m, struct pl_plan_config *c)
{
    static const char *const keys[] = {"window", "duration", "sign-off", NULL};
    yaml_node_t *n;
    char *s = NULL;
    pl_status rc;

    c->emergency_window = -1;
    c->emergency_duration_secs = (int64_t)4 * 3600;
    if (m == NULL)
        return PL_OK;
    if ((rc = pl_yaml_keys(y, m, "emergency", keys)) != PL_OK)
        return rc;
    if ((n = pl_yaml_get(y, m, "window")) &&
        (rc = pl_yaml_str(y, n, "emergency", 64, &s)) == PL_OK && strcmp(s, "immediately") != 0) {
        const struct pl_plan_window *w = pl_plan_config_window(c, s);

        if (w == NULL)
            rc = pl_yaml_fail(y, n, PL_E_PARSE, "emergency", "window: no window named '%s'", s);
        else
            c->emergency_window = (int)(w - c->windows);
    }
    free(s);
    s = NULL;
    if (rc == PL_OK && (n = pl_yaml_get(y, m, "duration")))
        rc = pl_yaml_duration(y, n, "emergency: duration", 0, (int64_t)7 * 86400,
                              &c->emergency_duration_secs);
    if (rc == PL_OK && c->emergency_duration_secs <= 0)
        rc = pl_yaml_fail(y, n, PL_E_PARSE, "emergency", "duration: must be longer than 0");
    if (rc == PL_OK && (n = pl_yaml_get(y, m, "sign-off")) &&
        (rc = pl_yaml_str(y, n, "emergency", 32, &s)) == PL_OK) {
        if (strcmp(s, "before") == 0)
            c->emergency_sign_off_before = true;
        else if (strcmp(s, "after-the-fact") != 0)
            rc = pl_yaml_fail(y, n, PL_E_PARSE, "emergency",
                              "sign-off: want 'after-the-fact' or 'before', not '%s'", s);
    }
    free(s);
    return rc;
}

const struct pl_plan_window *pl_plan_config_window(const struct pl_plan_config *c, const char *name)
{
    for (size_t i = 0; i < c->n_windows; i++)
        if (strcmp(c->windows[i].name, name) == 0)
            return &c->windows[i];
    return NULL;
}

pl_status pl_plan_window_next(const struct pl_plan_window *w, pl_time_t after, size_t n,
                              pl_time_t *out, size_t *n_out, struct pl_error *err)
{
    *n_out = 0;
    if (w->immediate)
        return pl_error_set(err, PL_E_INVALID, "window '%s' is immediate: it has no start times",
                            w->name);
    return pl_window_next(&w->w, after, n, out, n_out, err);
}
