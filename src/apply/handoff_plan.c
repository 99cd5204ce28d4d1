/*
 * handoff_plan.c - the hand-off input read from a JSON plan file: one record
 * per wave, each checked and copied into the plan's arena.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/cron.h"
#include "patchline/file.h"
#include "patchline/json.h"
#include "patchline/parse.h"
#include "patchline/tz.h"
#include "patchline/version.h"

#include "handoff_int.h"

struct load {
    struct pl_handoff_plan *plan;
    const char *path;
    char where[96]; /* "waves[3].assets[2]" */
    size_t cap_waves;
};

static pl_status fail(struct load *l, const char *field, struct pl_error *err, const char *fmt, ...)
    PL_PRINTF(4, 5);

static pl_status fail(struct load *l, const char *field, struct pl_error *err, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (n < 0)
        what[0] = '\0';
    /* pl_json_stream prefixes "PATH: record N: " */
    return pl_error_set(err, PL_E_PARSE, "%s%s%s: %s", l->where, *field ? "." : "", field, what);
}

static bool charset_ok(const char *s, const char *extra, bool lower_only)
{
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                  (!lower_only && c >= 'A' && c <= 'Z') || (c != '\0' && strchr(extra, c));
        if (!ok)
            return false;
    }
    return true;
}

/* A string member copied into the arena; "" (or def) when absent. */
static pl_status get_str(struct load *l, const struct pl_json *o, const char *key, bool required,
                         const char *def, const char **out, struct pl_error *err)
{
    const struct pl_json *v = pl_json_get(o, key);
    if (v == NULL || v->type == PL_JSON_NULL) {
        if (required)
            return fail(l, key, err, "missing%s%s", "", "");
        *out = def ? def : "";
        return PL_OK;
    }
    if (v->type != PL_JSON_STRING)
        return fail(l, key, err, "want a string, not %s%s", pl_json_type_name(v->type), "");
    if (v->len > PL_MAX_HANDOFF_STRING_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "%s.%s: longer than %d bytes", l->where, key,
                            PL_MAX_HANDOFF_STRING_BYTES);
    if (strlen(v->str) != v->len || pl__apply_handoff_has_ctl(v->str))
        return fail(l, key, err, "control characters are not allowed%s%s", "", "");
    *out = pl_arena_strndup(&l->plan->arena, v->str, v->len);
    if (*out == NULL)
        return pl_error_set(err, pl_arena_status(&l->plan->arena), "plan too large");
    return PL_OK;
}

/*
 * A stored plan's text member (an approval, a held wave's reason, a piece of
 * third-party software): the store's words, escaped by every generator that
 * writes them, so only a NUL byte and the size are refused. "" when absent.
 */
static pl_status get_text(struct load *l, const struct pl_json *o, const char *key,
                          const char **out, struct pl_error *err)
{
    const struct pl_json *v = pl_json_get(o, key);

    *out = "";
    if (v == NULL || v->type == PL_JSON_NULL)
        return PL_OK;
    if (v->type != PL_JSON_STRING)
        return fail(l, key, err, "want a string, not %s%s", pl_json_type_name(v->type), "");
    if (v->len > PL_MAX_HANDOFF_TEXT_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "%s.%s: longer than %zu bytes", l->where, key,
                            PL_MAX_HANDOFF_TEXT_BYTES);
    if (strlen(v->str) != v->len)
        return fail(l, key, err, "a NUL byte is not allowed%s%s", "", "");
    *out = pl_arena_strndup(&l->plan->arena, v->str, v->len);
    if (*out == NULL)
        return pl_error_set(err, pl_arena_status(&l->plan->arena), "plan too large");
    return PL_OK;
}

static pl_status get_int(struct load *l, const struct pl_json *o, const char *key, int64_t lo,
                         int64_t hi, int64_t def, int64_t *out, struct pl_error *err)
{
    const struct pl_json *v = pl_json_get(o, key);
    char range[64];
    *out = def;
    if (v == NULL || v->type == PL_JSON_NULL)
        return PL_OK;
    if (snprintf(range, sizeof(range), "%lld to %lld", (long long)lo, (long long)hi) < 0)
        range[0] = '\0';
    if (!pl_json_int(v, out) || *out < lo || *out > hi)
        return fail(l, key, err, "want an integer from %s, not %s", range,
                    v->type == PL_JSON_STRING ? "a string"
                    : v->str                  ? v->str
                                              : "?");
    return PL_OK;
}

static pl_status get_duration(struct load *l, const struct pl_json *o, const char *key,
                              const char *def, int64_t *out, struct pl_error *err)
{
    const char *s = "";
    struct pl_error e2 = PL_ERROR_INIT;
    pl_status rc = get_str(l, o, key, def == NULL, def, &s, err);
    if (rc != PL_OK)
        return rc;
    if (strcmp(s, "0") == 0) {
        *out = 0;
        return PL_OK;
    }
    if (pl_duration_parse(s, out, &e2) != PL_OK)
        return fail(l, key, err, "'%s' is not a duration like 4h or 90m%s", s, "");
    return PL_OK;
}

/* The checks of a window that do not depend on how it was read. */
static pl_status check_window(struct load *l, const struct pl_handoff_window *w,
                              struct pl_error *err)
{
    struct pl_cron cron;
    struct pl_error e2 = PL_ERROR_INIT;

    if (!charset_ok(w->name, "._-", false) || strlen(w->name) > 64)
        return fail(l, "name", err, "'%s' is not a window name (1-64 of A-Z a-z 0-9 . _ -)%s",
                    w->name, "");
    if (pl_cron_parse(w->expression, &cron, &e2) != PL_OK)
        return fail(l, "expression", err, "%s%s", e2.msg, "");
    if (!pl_tz_name_valid(w->tz))
        return fail(l, "tz", err, "'%s' is not a time zone name%s", w->tz, "");
    if (w->cutoff_secs < 0 || w->cutoff_secs >= w->duration_secs)
        return fail(l, "cutoff", err, "must be shorter than the duration%s%s", "", "");
    if (w->offset_days < 0 || w->offset_days > 6)
        return fail(l, "offset_days", err, "want an integer from 0 to 6, not %d%s", w->offset_days,
                    "");
    return PL_OK;
}

static pl_status load_window(struct load *l, const struct pl_json *o, struct pl_handoff_window *w,
                             struct pl_error *err)
{
    int64_t off;
    pl_status rc;

    if (o == NULL || o->type != PL_JSON_OBJECT)
        return fail(l, "window", err, "want an object%s%s", "", "");
    size_t n = strlen(l->where);
    if (snprintf(l->where + n, sizeof(l->where) - n, ".window") < 0)
        return PL_E_INTERNAL;
    if ((rc = get_str(l, o, "name", true, NULL, &w->name, err)) != PL_OK ||
        (rc = get_str(l, o, "expression", true, NULL, &w->expression, err)) != PL_OK ||
        (rc = get_str(l, o, "tz", false, "UTC", &w->tz, err)) != PL_OK ||
        (rc = get_duration(l, o, "duration", NULL, &w->duration_secs, err)) != PL_OK ||
        (rc = get_duration(l, o, "cutoff", "0", &w->cutoff_secs, err)) != PL_OK ||
        (rc = get_int(l, o, "offset_days", 0, 6, 0, &off, err)) != PL_OK)
        return rc;
    w->offset_days = (int)off;
    if ((rc = check_window(l, w, err)) != PL_OK)
        return rc;
    l->where[n] = '\0';
    return PL_OK;
}

static pl_status check_package(struct load *l, const struct pl_handoff_package *p,
                               struct pl_error *err)
{
    struct pl_error e2 = PL_ERROR_INIT;
    enum pl_vscheme scheme;

    if (strcmp(p->ecosystem, "deb") == 0) {
        /* Debian Policy 5.6.1: [a-z0-9][a-z0-9+.-]+ */
        if (!charset_ok(p->name, "+.-", true) || strchr("+.-", p->name[0]) || !p->name[1])
            return fail(l, "name", err, "'%s' is not a valid deb package name%s", p->name, "");
        scheme = PL_VSCHEME_DPKG;
    } else if (strcmp(p->ecosystem, "rpm") == 0) {
        if (!charset_ok(p->name, "._+-", false) || strchr("._+-", p->name[0]))
            return fail(l, "name", err, "'%s' is not a valid rpm package name%s", p->name, "");
        scheme = PL_VSCHEME_RPM;
    } else if (strcmp(p->ecosystem, "kb") == 0) {
        int64_t num;
        if (!pl_starts_with(p->name, "KB") || pl_parse_i64(p->name + 2, &num, &e2) != PL_OK ||
            num < 1 || !charset_ok(p->name + 2, "", true) || strlen(p->name) > 10)
            return fail(l, "name", err, "'%s' is not a KB number like KB5034441%s", p->name, "");
        return PL_OK;
    } else {
        return fail(l, "ecosystem", err, "'%s' is not one of deb, rpm, kb%s", p->ecosystem, "");
    }
    if (pl_version_valid(scheme, p->version, &e2) != PL_OK ||
        !charset_ok(p->version, ".+~^:_-", false))
        return fail(l, "version", err, "'%s' is not a valid %s version", p->version, p->ecosystem);
    return PL_OK;
}

/* Advisory ids ("ALAS2-2023-2230 ALAS2-2023-2231"): words of A-Z a-z 0-9 : . _ -, one space apart.
 */
static pl_status check_advisories(struct load *l, const char *s, struct pl_error *err)
{
    bool ok = true;
    for (const char *p = s; ok && *p; p++) {
        char c[2] = {*p, '\0'};
        ok = *p == ' ' ? p > s && p[1] != '\0' && p[1] != ' ' : charset_ok(c, ":._-", false);
    }
    if (!ok || strlen(s) > PL_MAX_HANDOFF_STRING_BYTES)
        return fail(l, "advisories", err,
                    "'%s' is not a list of advisory ids (A-Z a-z 0-9 : . _ -, %s)", s,
                    "one space apart");
    return PL_OK;
}

/* A target never lower than the installed version it replaces (when that is known). */
static pl_status check_not_lower(struct load *l, const struct pl_handoff_package *p,
                                 struct pl_error *err)
{
    enum pl_vscheme scheme = pl__apply_handoff_scheme(p->ecosystem);
    int cmp = 0;

    if (p->installed[0] == '\0' || strcmp(p->ecosystem, "kb") == 0)
        return PL_OK;
    if (pl_version_cmp(scheme, p->version, p->installed, &cmp, NULL) != PL_OK)
        return fail(l, "installed", err, "'%s' is not a valid %s version", p->installed,
                    p->ecosystem);
    if (cmp < 0)
        return fail(l, "version", err, "'%s' is lower than the installed version '%s'", p->version,
                    p->installed);
    return PL_OK;
}

static pl_status load_pkg_array(struct load *l, const struct pl_json *arr,
                                struct pl_handoff_package **out, size_t *n_out,
                                struct pl_error *err)
{
    size_t base = strlen(l->where), i = 0;
    struct pl_handoff_package *pk;
    pl_status rc;

    if (arr == NULL || arr->type != PL_JSON_ARRAY)
        return fail(l, "packages", err, "want an array%s%s", "", "");
    if (arr->len > PL_MAX_HANDOFF_PACKAGES)
        return pl_error_set(err, PL_E_TOOBIG, "%s.packages: more than %d packages", l->where,
                            PL_MAX_HANDOFF_PACKAGES);
    pk = pl_arena_alloc(&l->plan->arena, (arr->len + 1) * sizeof(*pk));
    if (pk == NULL)
        return pl_error_set(err, PL_E_TOOBIG, "plan too large");
    for (const struct pl_json *e = arr->child; e; e = e->next, i++) {
        struct pl_handoff_package *p = &pk[i];
        if (snprintf(l->where + base, sizeof(l->where) - base, ".packages[%zu]", i) < 0)
            return PL_E_INTERNAL;
        if (e->type != PL_JSON_OBJECT)
            return fail(l, "", err, "want an object%s%s", "", "");
        if ((rc = get_str(l, e, "name", true, NULL, &p->name, err)) != PL_OK ||
            (rc = get_str(l, e, "version", false, "", &p->version, err)) != PL_OK ||
            (rc = get_str(l, e, "ecosystem", true, NULL, &p->ecosystem, err)) != PL_OK ||
            (rc = get_str(l, e, "installed", false, "", &p->installed, err)) != PL_OK ||
            (rc = get_str(l, e, "advisories", false, "", &p->advisories, err)) != PL_OK ||
            (rc = check_advisories(l, p->advisories, err)) != PL_OK ||
            (rc = check_package(l, p, err)) != PL_OK || (rc = check_not_lower(l, p, err)) != PL_OK)
            return rc;
    }
    *out = pk;
    *n_out = i;
    l->where[base] = '\0';
    return PL_OK;
}

static pl_status load_packages(struct load *l, const struct pl_json *arr, struct pl_handoff_wave *w,
                               struct pl_error *err)
{
    return load_pkg_array(l, arr, &w->packages, &w->n_packages, err);
}

static pl_status load_assets(struct load *l, const struct pl_json *arr, struct pl_handoff_wave *w,
                             struct pl_error *err)
{
    size_t base = strlen(l->where), i = 0;
    pl_status rc = PL_OK;

    if (arr == NULL || arr->type != PL_JSON_ARRAY)
        return fail(l, "assets", err, "want an array%s%s", "", "");
    if (arr->len > PL_MAX_HANDOFF_ASSETS)
        return pl_error_set(err, PL_E_TOOBIG, "%s.assets: more than %d assets", l->where,
                            PL_MAX_HANDOFF_ASSETS);
    w->assets = pl_arena_alloc(&l->plan->arena, (arr->len + 1) * sizeof(*w->assets));
    if (w->assets == NULL)
        return pl_error_set(err, PL_E_TOOBIG, "plan too large");
    for (const struct pl_json *e = arr->child; e && rc == PL_OK; e = e->next, i++) {
        struct pl_handoff_asset *a = &w->assets[i];
        if (snprintf(l->where + base, sizeof(l->where) - base, ".assets[%zu]", i) < 0)
            return PL_E_INTERNAL;
        if (e->type != PL_JSON_OBJECT)
            return fail(l, "", err, "want an object%s%s", "", "");
        if ((rc = get_str(l, e, "name", true, NULL, &a->name, err)) != PL_OK ||
            (rc = get_str(l, e, "kind", false, "host", &a->kind, err)) != PL_OK ||
            (rc = get_str(l, e, "os_family", false, "", &a->os_family, err)) != PL_OK ||
            (rc = get_str(l, e, "os_version", false, "", &a->os_version, err)) != PL_OK ||
            (rc = get_str(l, e, "cloud_id", false, "", &a->cloud_id, err)) != PL_OK ||
            (rc = get_str(l, e, "cluster", false, "", &a->cluster, err)) != PL_OK ||
            (rc = get_str(l, e, "node_pool", false, "", &a->node_pool, err)) != PL_OK ||
            (rc = get_str(l, e, "platform", false, "", &a->platform, err)) != PL_OK ||
            (rc = get_str(l, e, "image", false, "", &a->image, err)) != PL_OK)
            return rc;
        rc = get_str(l, e, "base", false, "", &a->base, err);
        if (rc == PL_OK)
            rc = get_int(l, e, "id", 0, INT64_MAX, 0, &a->id, err);
        /* the asset's own targets, when the planner gives them */
        a->own_packages = rc == PL_OK && pl_json_get(e, "packages") != NULL;
        if (a->own_packages)
            rc = load_pkg_array(l, pl_json_get(e, "packages"), &a->packages, &a->n_packages, err);
    }
    w->n_assets = i;
    l->where[base] = '\0';
    return rc;
}

/* max_concurrency: a count (1-100000) or a percentage string ("25%"). */
static pl_status get_concurrency(struct load *l, const struct pl_json *rec,
                                 struct pl_handoff_wave *w, struct pl_error *err)
{
    const struct pl_json *v = pl_json_get(rec, "max_concurrency");
    int64_t n;
    if (v && v->type == PL_JSON_STRING) {
        size_t len = v->len;
        char num[8];
        if (len < 2 || len > sizeof(num) || v->str[len - 1] != '%')
            return fail(l, "max_concurrency", err, "want a count or a percentage like 25%%%s%s", "",
                        "");
        memcpy(num, v->str, len - 1);
        num[len - 1] = '\0';
        if (pl_parse_i64(num, &n, NULL) != PL_OK || n < 1 || n > 100)
            return fail(l, "max_concurrency", err, "'%s' is not a percentage from 1%% to 100%%%s",
                        v->str, "");
        w->max_concurrency = (int)n;
        w->concurrency_pct = true;
        return PL_OK;
    }
    if (get_int(l, rec, "max_concurrency", 1, 100000, 1, &n, err) != PL_OK)
        return PL_E_PARSE;
    w->max_concurrency = (int)n;
    return PL_OK;
}

static pl_status check_env(struct load *l, const struct pl_handoff_wave *w, struct pl_error *err)
{
    if (!charset_ok(w->env, "_-", true) || strlen(w->env) > 32)
        return fail(l, "env", err, "'%s' is not an environment name (1-32 of a-z 0-9 _ -)%s",
                    w->env, "");
    return PL_OK;
}

static pl_status check_ring_name(struct load *l, const struct pl_handoff_wave *w,
                                 struct pl_error *err)
{
    if (w->ring_name[0] && (!charset_ok(w->ring_name, "._-", false) || strlen(w->ring_name) > 64))
        return fail(l, "ring_name", err, "'%s' is not a ring name (1-64 of A-Z a-z 0-9 . _ -)%s",
                    w->ring_name, "");
    return PL_OK;
}

/* env, ring, ring_name, max_concurrency, max_fail_pct, reboot. */
static pl_status load_ring(struct load *l, const struct pl_json *rec, struct pl_handoff_wave *w,
                           struct pl_error *err)
{
    int64_t v;
    pl_status rc;

    if ((rc = get_str(l, rec, "env", true, NULL, &w->env, err)) != PL_OK)
        return rc;
    if ((rc = check_env(l, w, err)) != PL_OK)
        return rc;
    if ((rc = get_int(l, rec, "ring", 0, PL_HANDOFF_MAX_RING, -1, &v, err)) != PL_OK)
        return rc;
    if (v < 0)
        return fail(l, "ring", err, "missing%s%s", "", "");
    w->ring = (int)v;
    if ((rc = get_str(l, rec, "ring_name", false, "", &w->ring_name, err)) != PL_OK)
        return rc;
    if ((rc = check_ring_name(l, w, err)) != PL_OK)
        return rc;
    if ((rc = get_concurrency(l, rec, w, err)) != PL_OK)
        return rc;
    if ((rc = get_int(l, rec, "max_fail_pct", 0, 100, 0, &v, err)) != PL_OK)
        return rc;
    w->max_fail_pct = (int)v;
    if ((rc = get_int(l, rec, "reboot", 0, 1, 1, &v, err)) != PL_OK)
        return rc;
    w->reboot = v != 0;
    return PL_OK;
}

/* A string filled by other means than JSON: the limits get_str applies. */
static pl_status check_text(struct load *l, const char *field, const char *s, struct pl_error *err)
{
    if (strlen(s) > PL_MAX_HANDOFF_STRING_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "%s.%s: longer than %d bytes", l->where, field,
                            PL_MAX_HANDOFF_STRING_BYTES);
    if (pl__apply_handoff_has_ctl(s))
        return fail(l, field, err, "control characters are not allowed%s%s", "", "");
    return PL_OK;
}

/* The health check argv: 1-64 strings of at most the string limit, no control characters. */
static pl_status check_health(struct load *l, const struct pl_handoff_wave *w, struct pl_error *err)
{
    pl_status rc = PL_OK;
    if (w->n_health_check > 64)
        return fail(l, "health_check", err, "want at most 64 arguments, not %zu%s",
                    w->n_health_check, "");
    if (w->n_health_check > 0 && w->health_check[0][0] == '\0')
        return fail(l, "health_check", err, "the command is empty%s%s", "", "");
    for (size_t i = 0; rc == PL_OK && i < w->n_health_check; i++)
        rc = check_text(l, "health_check", w->health_check[i], err);
    return rc;
}

static pl_status check_pkgs(struct load *l, const struct pl_handoff_package *pk, size_t n,
                            struct pl_error *err)
{
    size_t base = strlen(l->where);
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        const struct pl_handoff_package *p = &pk[i];
        if (snprintf(l->where + base, sizeof(l->where) - base, ".packages[%zu]", i) < 0)
            return PL_E_INTERNAL;
        if ((rc = check_text(l, "name", p->name, err)) == PL_OK &&
            (rc = check_text(l, "version", p->version, err)) == PL_OK &&
            (rc = check_text(l, "ecosystem", p->ecosystem, err)) == PL_OK &&
            (rc = check_text(l, "installed", p->installed ? p->installed : "", err)) == PL_OK &&
            (rc = check_advisories(l, p->advisories ? p->advisories : "", err)) == PL_OK &&
            (rc = check_package(l, p, err)) == PL_OK && p->installed)
            rc = check_not_lower(l, p, err);
    }
    if (rc == PL_OK)
        l->where[base] = '\0';
    return rc;
}

static pl_status check_members(struct load *l, const struct pl_handoff_wave *w,
                               struct pl_error *err)
{
    size_t base = strlen(l->where);
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < w->n_assets; i++) {
        const struct pl_handoff_asset *a = &w->assets[i];
        const char *f[] = {a->name,    a->kind,      a->os_family, a->os_version, a->cloud_id,
                           a->cluster, a->node_pool, a->platform,  a->image,      a->base};
        static const char *const names[] = {"name",     "kind",    "os_family", "os_version",
                                            "cloud_id", "cluster", "node_pool", "platform",
                                            "image",    "base"};
        if (snprintf(l->where + base, sizeof(l->where) - base, ".assets[%zu]", i) < 0)
            return PL_E_INTERNAL;
        for (size_t k = 0; rc == PL_OK && k < PL_ARRAY_LEN(f); k++)
            rc = check_text(l, names[k], f[k], err);
    }
    l->where[base] = '\0';
    if (rc == PL_OK)
        rc = check_pkgs(l, w->packages, w->n_packages, err);
    for (size_t i = 0; rc == PL_OK && i < w->n_assets; i++) {
        if (snprintf(l->where + base, sizeof(l->where) - base, ".assets[%zu]", i) < 0)
            return PL_E_INTERNAL;
        rc = check_pkgs(l, w->assets[i].packages, w->assets[i].n_packages, err);
    }
    if (rc == PL_OK)
        l->where[base] = '\0';
    return rc;
}

pl_status pl__apply_handoff_wave_check(const char *where, const struct pl_handoff_wave *w,
                                       struct pl_error *err)
{
    struct load l = {0};
    int hi = w->concurrency_pct ? 100 : 100000;
    pl_status rc;

    if (snprintf(l.where, sizeof(l.where), "%s", where) < 0)
        return PL_E_INTERNAL;
    if ((rc = check_text(&l, "env", w->env, err)) != PL_OK ||
        (rc = check_env(&l, w, err)) != PL_OK ||
        (rc = check_text(&l, "ring_name", w->ring_name, err)) != PL_OK ||
        (rc = check_ring_name(&l, w, err)) != PL_OK)
        return rc;
    if (w->ring < 0 || w->ring > PL_HANDOFF_MAX_RING)
        return fail(&l, "ring", err, "want an integer from 0 to %d, not %d", PL_HANDOFF_MAX_RING,
                    w->ring);
    if (w->max_concurrency < 1 || w->max_concurrency > hi)
        return fail(&l, "max_concurrency", err, "want 1 to %d%s, not %d", hi,
                    w->concurrency_pct ? "%" : "", w->max_concurrency);
    if (w->max_fail_pct < 0 || w->max_fail_pct > 100)
        return fail(&l, "max_fail_pct", err, "want an integer from 0 to 100, not %d%s",
                    w->max_fail_pct, "");
    if (snprintf(l.where, sizeof(l.where), "%s.window", where) < 0)
        return PL_E_INTERNAL;
    if ((rc = check_text(&l, "name", w->window.name, err)) != PL_OK ||
        (rc = check_text(&l, "expression", w->window.expression, err)) != PL_OK ||
        (rc = check_text(&l, "tz", w->window.tz, err)) != PL_OK ||
        (rc = check_window(&l, &w->window, err)) != PL_OK)
        return rc;
    if (snprintf(l.where, sizeof(l.where), "%s", where) < 0)
        return PL_E_INTERNAL;
    if ((rc = check_health(&l, w, err)) != PL_OK)
        return rc;
    return check_members(&l, w, err);
}

/* health_check: an optional array of strings (the argv run on each host after patching). */
static pl_status load_health(struct load *l, const struct pl_json *rec, struct pl_handoff_wave *w,
                             struct pl_error *err)
{
    const struct pl_json *arr = pl_json_get(rec, "health_check");
    const char **argv;
    size_t i = 0;

    if (arr == NULL || arr->type == PL_JSON_NULL)
        return PL_OK;
    if (arr->type != PL_JSON_ARRAY || arr->len > 64)
        return fail(l, "health_check", err, "want an array of at most 64 strings%s%s", "", "");
    argv = pl_arena_alloc(&l->plan->arena, (arr->len + 1) * sizeof(*argv));
    if (argv == NULL)
        return pl_error_set(err, PL_E_TOOBIG, "plan too large");
    for (const struct pl_json *e = arr->child; e; e = e->next, i++) {
        if (e->type != PL_JSON_STRING || strlen(e->str) != e->len)
            return fail(l, "health_check", err, "want an array of strings%s%s", "", "");
        if ((argv[i] = pl_arena_strndup(&l->plan->arena, e->str, e->len)) == NULL)
            return pl_error_set(err, PL_E_TOOBIG, "plan too large");
    }
    argv[i] = NULL;
    w->health_check = argv;
    w->n_health_check = i;
    return check_health(l, w, err);
}

/* One piece of third-party software of a stored wave (software[I]). */
static pl_status load_software_one(struct load *l, const struct pl_json *e,
                                   struct pl_handoff_software *sw, struct pl_error *err)
{
    const struct pl_json *eol = pl_json_get(e, "end_of_life");
    pl_status rc;

    if (e->type != PL_JSON_OBJECT)
        return fail(l, "", err, "want an object%s%s", "", "");
    if ((rc = get_text(l, e, "asset", &sw->asset, err)) != PL_OK ||
        (rc = get_text(l, e, "kind", &sw->kind, err)) != PL_OK ||
        (rc = get_text(l, e, "os_family", &sw->os_family, err)) != PL_OK ||
        (rc = get_text(l, e, "cluster", &sw->cluster, err)) != PL_OK ||
        (rc = get_text(l, e, "nodegroups", &sw->nodegroups, err)) != PL_OK ||
        (rc = get_text(l, e, "region", &sw->region, err)) != PL_OK ||
        (rc = get_text(l, e, "package", &sw->package, err)) != PL_OK ||
        (rc = get_text(l, e, "ecosystem", &sw->ecosystem, err)) != PL_OK ||
        (rc = get_text(l, e, "product", &sw->product, err)) != PL_OK ||
        (rc = get_text(l, e, "class", &sw->class_, err)) != PL_OK ||
        (rc = get_text(l, e, "installed", &sw->installed, err)) != PL_OK ||
        (rc = get_text(l, e, "version", &sw->version, err)) != PL_OK ||
        (rc = get_text(l, e, "vulns", &sw->vulns, err)) != PL_OK)
        return rc;
    if (eol && eol->type != PL_JSON_BOOL && eol->type != PL_JSON_NULL)
        return fail(l, "end_of_life", err, "want true or false, not %s%s",
                    pl_json_type_name(eol->type), "");
    sw->end_of_life = eol && eol->type == PL_JSON_BOOL && strcmp(eol->str, "true") == 0;
    return PL_OK;
}

/*
 * What a stored plan's wave carries beyond a plan file's (pl_handoff_plan_json
 * writes them): its number, its approval state and its third-party software.
 */
static pl_status load_stored(struct load *l, const struct pl_json *rec, struct pl_handoff_wave *w,
                             struct pl_error *err)
{
    const struct pl_json *arr = pl_json_get(rec, "software");
    size_t base = strlen(l->where), i = 0;
    int64_t seq;
    pl_status rc;

    if ((rc = get_int(l, rec, "seq", 0, 1000000, 0, &seq, err)) != PL_OK ||
        (rc = get_text(l, rec, "approval", &w->approval, err)) != PL_OK)
        return rc;
    w->seq = (int)seq;
    if (arr == NULL || arr->type == PL_JSON_NULL)
        return PL_OK;
    if (arr->type != PL_JSON_ARRAY)
        return fail(l, "software", err, "want an array%s%s", "", "");
    if (arr->len > PL_MAX_HANDOFF_ASSETS)
        return pl_error_set(err, PL_E_TOOBIG, "%s.software: more than %d", l->where,
                            PL_MAX_HANDOFF_ASSETS);
    w->software = pl_arena_alloc(&l->plan->arena, (arr->len + 1) * sizeof(*w->software));
    if (w->software == NULL)
        return pl_error_set(err, PL_E_TOOBIG, "plan too large");
    for (const struct pl_json *e = arr->child; e; e = e->next, i++) {
        if (snprintf(l->where + base, sizeof(l->where) - base, ".software[%zu]", i) < 0)
            return PL_E_INTERNAL;
        memset(&w->software[i], 0, sizeof(w->software[i]));
        if ((rc = load_software_one(l, e, &w->software[i], err)) != PL_OK)
            return rc;
    }
    w->n_software = i;
    l->where[base] = '\0';
    return PL_OK;
}

/* A stored plan's waves left out (skipped[I]): why, and who may release them. */
static pl_status load_skipped(struct load *l, const struct pl_json *arr, struct pl_error *err)
{
    struct pl_handoff_plan *p = l->plan;
    size_t i = 0;
    pl_status rc;

    if (arr == NULL || arr->type == PL_JSON_NULL)
        return PL_OK;
    if (arr->type != PL_JSON_ARRAY)
        return fail(l, "skipped", err, "want an array%s%s", "", "");
    if (arr->len > PL_MAX_HANDOFF_WAVES)
        return pl_error_set(err, PL_E_TOOBIG, "skipped: more than %d waves", PL_MAX_HANDOFF_WAVES);
    p->skipped = pl_arena_alloc(&p->arena, (arr->len + p->n_waves + 1) * sizeof(*p->skipped));
    if (p->skipped == NULL)
        return pl_error_set(err, PL_E_TOOBIG, "plan too large");
    for (const struct pl_json *e = arr->child; e; e = e->next, i++) {
        struct pl_handoff_skipped *sk = &p->skipped[i];
        int64_t seq;

        if (snprintf(l->where, sizeof(l->where), "skipped[%zu]", i) < 0)
            return PL_E_INTERNAL;
        if (e->type != PL_JSON_OBJECT)
            return fail(l, "", err, "want an object%s%s", "", "");
        if ((rc = get_int(l, e, "seq", 0, 1000000, 0, &seq, err)) != PL_OK ||
            (rc = get_text(l, e, "id", &sk->id, err)) != PL_OK ||
            (rc = get_text(l, e, "starts_at", &sk->starts_at, err)) != PL_OK ||
            (rc = get_text(l, e, "reason", &sk->reason, err)) != PL_OK ||
            (rc = get_text(l, e, "approvers", &sk->approvers, err)) != PL_OK)
            return rc;
        sk->seq = (int)seq;
    }
    p->n_skipped = i;
    return PL_OK;
}

static pl_status on_wave(const struct pl_json *rec, uint64_t index, void *data,
                         struct pl_error *err)
{
    struct load *l = data;
    struct pl_handoff_plan *p = l->plan;
    struct pl_handoff_wave *w;
    const char *start = "";
    pl_status rc;

    if (snprintf(l->where, sizeof(l->where), "waves[%llu]", (unsigned long long)index) < 0)
        return PL_E_INTERNAL;
    if (index >= PL_MAX_HANDOFF_WAVES)
        return pl_error_set(err, PL_E_TOOBIG, "more than %d waves", PL_MAX_HANDOFF_WAVES);
    if (rec->type != PL_JSON_OBJECT)
        return fail(l, "", err, "want an object, not %s%s", pl_json_type_name(rec->type), "");
    p->waves = pl_xgrow(p->waves, p->n_waves, &l->cap_waves, 8, sizeof(*p->waves));
    w = &p->waves[p->n_waves];
    memset(w, 0, sizeof(*w));
    if ((rc = load_ring(l, rec, w, err)) != PL_OK)
        return rc;
    if ((rc = get_str(l, rec, "start", true, NULL, &start, err)) != PL_OK)
        return rc;
    if (pl_time_parse(start, &w->start, NULL) != PL_OK)
        return fail(l, "start", err, "'%s' is not an ISO 8601 time%s", start, "");
    if ((rc = load_window(l, pl_json_get(rec, "window"), &w->window, err)) != PL_OK ||
        (rc = load_assets(l, pl_json_get(rec, "assets"), w, err)) != PL_OK ||
        (rc = load_packages(l, pl_json_get(rec, "packages"), w, err)) != PL_OK ||
        (rc = load_health(l, rec, w, err)) != PL_OK || (rc = load_stored(l, rec, w, err)) != PL_OK)
        return rc;
    p->n_waves++;
    return PL_OK;
}

static pl_status on_rest(const struct pl_json *rec, uint64_t index, void *data,
                         struct pl_error *err)
{
    struct load *l = data;
    (void)index;
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: want an object with 'waves'", l->path);
    if (snprintf(l->where, sizeof(l->where), "plan") < 0)
        return PL_E_INTERNAL;
    pl_status rc = get_str(l, rec, "name", false, "rollout", &l->plan->name, err);
    if (rc == PL_OK)
        rc = get_str(l, rec, "policy", false, "default", &l->plan->policy, err);
    if (rc == PL_OK)
        rc = get_int(l, rec, "plan_id", 0, INT64_MAX, 0, &l->plan->plan_id, err);
    if (rc == PL_OK)
        rc = load_skipped(l, pl_json_get(rec, "skipped"), err);
    return rc == PL_OK ? PL_OK : pl__apply_handoff_fail(rc, err, "%s", l->path);
}

/* The plan of reader r (opened as rc tells), named path in messages, into *out. */
static pl_status load_from(const char *path, struct pl_reader *r, pl_status rc,
                           struct pl_handoff_plan **out, struct pl_error *err)
{
    struct pl_handoff_plan *p = pl_xcalloc(1, sizeof(*p));
    struct load l = {.plan = p, .path = path};
    struct pl_json_stream_opts so = {.records_path = "waves",
                                     .max_record = PL_MAX_HANDOFF_PLAN_BYTES,
                                     .on_record = on_wave,
                                     .on_rest = on_rest,
                                     .data = &l};

    pl_arena_init(&p->arena, PL_MAX_HANDOFF_PLAN_BYTES * 2);
    p->name = "rollout";
    p->policy = "default";
    if (rc == PL_OK)
        rc = pl_json_stream(r, &so, err);
    pl_reader_close(r);
    if (rc == PL_OK && p->n_waves == 0)
        rc = pl_error_set(err, PL_E_PARSE, "%s: no waves", path);
    if (rc != PL_OK) {
        pl_handoff_plan_free(p);
        return rc;
    }
    *out = p;
    return PL_OK;
}

pl_status pl_handoff_plan_load(const char *path, struct pl_handoff_plan **out, struct pl_error *err)
{
    struct pl_reader *r = NULL;
    pl_status rc = pl_reader_open(path, PL_MAX_HANDOFF_PLAN_BYTES, &r, err);

    return load_from(path, r, rc, out, err);
}

pl_status pl_handoff_plan_parse(const char *name, const char *text, size_t len,
                                struct pl_handoff_plan **out, struct pl_error *err)
{
    struct pl_reader *r = NULL;
    pl_status rc = pl_reader_open_mem(name, text, len, PL_MAX_HANDOFF_PLAN_BYTES, &r, err);

    return load_from(name, r, rc, out, err);
}

void pl_handoff_plan_free(struct pl_handoff_plan *p)
{
    if (p == NULL)
        return;
    free(p->waves);
    pl_arena_release(&p->arena);
    free(p);
}

const char *pl_handoff_ring_name(int ring)
{
    static const char *const names[] = {"emergency", "pilot", "early", "standard"};
    return ring >= 0 && ring < 4 ? names[ring] : ring > 3 ? "later" : "?";
}

const char *pl_handoff_wave_ring(const struct pl_handoff_wave *w)
{
    return w->ring_name && w->ring_name[0] ? w->ring_name : pl_handoff_ring_name(w->ring);
}

int pl__apply_handoff_batch(const struct pl_handoff_wave *w, size_t total)
{
    size_t n = w->max_concurrency < 1 ? 1 : (size_t)w->max_concurrency;
    if (w->concurrency_pct)
        n = (total * n + 99) / 100;
    return n < 1 ? 1 : n > (size_t)INT32_MAX ? INT32_MAX : (int)n;
}

void pl__apply_handoff_conc(const struct pl_handoff_wave *w, char *buf, size_t size)
{
    if (snprintf(buf, size, "%d%s", w->max_concurrency, w->concurrency_pct ? "%" : "") < 0 && size)
        buf[0] = '\0';
}

void pl_handoff_wave_id(const struct pl_handoff_wave *w, struct pl_buf *b)
{
    pl_buf_addf(b, "%s-ring%d-%s", w->env, w->ring, w->window.name);
}

void pl__apply_handoff_wave_id(const struct pl_handoff_wave *w, char *buf, size_t size)
{
    if (snprintf(buf, size, "%s-ring%d-%s", w->env, w->ring, w->window.name) < 0 && size)
        buf[0] = '\0';
}
