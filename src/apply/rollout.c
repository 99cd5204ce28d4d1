/*
 * rollout.c - pl_apply_rollout: waves in order, resumable, halting on a
 * ring's failure rate or a failed regression test.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patchline/escape.h"
#include "patchline/limits.h"
#include "patchline/trust.h"

#include "apply_int.h"

/* What one rollout run needs besides its arguments. */
struct roll {
    struct pl_store *s;
    const struct pl_rollout *r;
    const struct pl_apply_opts *base;
    struct pl_apply_config cfg;
    struct pl_rollout_result *res;
    char dir[PL_MAX_APPLY_PATH_BYTES + 32];
};

static void say(const struct roll *x, const char *fmt, ...) PL_PRINTF(2, 3);

static void say(const struct roll *x, const char *fmt, ...)
{
    struct pl_buf b = PL_BUF_INIT(0);
    va_list ap;

    if (x->base->print == NULL)
        return;
    va_start(ap, fmt);
    pl_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    x->base->print(x->base->print_data, pl_buf_cstr(&b));
    pl_buf_release(&b);
}

/* The wave's findings of one asset that are still open (already fixed ones need nothing). */
static pl_status open_ids(struct roll *x, int64_t asset_id, const struct pl_rollout_asset *a,
                          int64_t **ids, size_t *n, struct pl_error *err)
{
    struct pl_apply_target_list open = {NULL, 0};
    pl_status rc;

    *ids = pl_xcalloc(a->n_findings + 1, sizeof(**ids));
    *n = 0;
    if ((rc = pl_store_apply_targets(x->s, asset_id, NULL, 0, &open, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < a->n_findings; i++)
        for (size_t k = 0; k < open.n; k++)
            if (open.items[k].finding_id == a->finding_ids[i]) {
                (*ids)[(*n)++] = a->finding_ids[i];
                break;
            }
    pl_apply_target_list_release(&open);
    return PL_OK;
}

/* Patch one asset of a wave unless it already succeeded there; *failed when it failed. */
static pl_status run_asset(struct roll *x, const struct pl_rollout_wave *w,
                           const struct pl_rollout_asset *a, bool *failed, struct pl_error *err)
{
    struct pl_apply_opts o = *x->base;
    struct pl_apply_result ar;
    struct pl_error aerr = PL_ERROR_INIT;
    int64_t asset_id, *ids = NULL;
    char state[16], detail[PL_ERROR_MSG_BYTES + 64];
    size_t n = 0;
    pl_status rc;

    *failed = false;
    memset(&ar, 0, sizeof(ar));
    if ((rc = pl_store_asset_resolve(x->s, a->asset, &asset_id, err)) != PL_OK ||
        (rc = pl_store_rollout_asset_state(x->s, x->r->id, w->seq, asset_id, state, err)))
        return rc;
    if (strcmp(state, "succeeded") == 0) {
        x->res->skipped++;
        return PL_OK;
    }
    if ((rc = open_ids(x, asset_id, a, &ids, &n, err)) != PL_OK) {
        free(ids);
        return rc;
    }
    o.asset = a->asset;
    o.root = a->root;
    o.finding_ids = ids;
    o.n_findings = n;
    o.packages = NULL;
    o.n_packages = 0;
    o.rollout_id = x->r->id;
    o.wave = w->seq;
    if (n == 0)
        snprintf(detail, sizeof(detail), "nothing to do: the wave's findings are closed");
    else if (pl_apply_run(x->s, &o, &ar, &aerr) != PL_OK)
        snprintf(detail, sizeof(detail), "refused: %s", aerr.msg);
    else
        snprintf(detail, sizeof(detail), "job %lld %s", (long long)ar.job_id, ar.status);
    free(ids);
    *failed = n > 0 && strcmp(ar.status, "succeeded") != 0;
    if (*failed)
        x->res->failed++;
    else if (n > 0)
        x->res->applied++;
    say(x, "wave %lld: %s: %s", (long long)w->seq, a->asset, detail);
    return pl_store_rollout_asset_put(x->s, x->r->id, w->seq, asset_id,
                                      *failed ? "failed" : "succeeded", ar.job_id, detail, err);
}

static pl_status halt(struct roll *x, int64_t wave, const char *reason, struct pl_error *err)
{
    pl_status rc;
    char obj[48];

    snprintf(x->res->state, sizeof(x->res->state), "halted");
    x->res->halted_wave = wave;
    snprintf(x->res->reason, sizeof(x->res->reason), "%s", reason);
    snprintf(obj, sizeof(obj), "rollout %lld", (long long)x->r->id);
    say(x, "rollout %lld halted at wave %lld: %s", (long long)x->r->id, (long long)wave, reason);
    if ((rc = pl_store_rollout_set(x->s, x->r->id, "halted", wave, reason, err)) != PL_OK ||
        (rc = pl_store_audit(x->s, "rollout.halt", obj, reason, err)) != PL_OK)
        return rc;
    return pl__apply_notify_rollout(x->s, &x->cfg, x->dir, x->r->id, wave, reason, err);
}

static char **regression_of(const struct pl_apply_config *c, const char *env)
{
    if (strcmp(env, "dev") == 0)
        return c->regression_dev;
    if (strcmp(env, "staging") == 0)
        return c->regression_staging;
    return strcmp(env, "prod") == 0 ? c->regression_prod : NULL;
}

/* Run the regression test of env (if configured); *ok false when it fails. */
static pl_status regression(struct roll *x, const char *env, bool *ok, char *why, size_t size,
                            struct pl_error *err)
{
    char **argv = regression_of(&x->cfg, env), obj[48];
    struct pl_spawn_opts so = {NULL, 0, 0, x->cfg.command_timeout_ms};
    struct pl_spawn_result sr = {0, 0, false, false, false};
    struct pl_error serr = PL_ERROR_INIT;
    const char *env_v[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                           "LC_ALL=C", NULL};

    *ok = true;
    if (argv == NULL)
        return PL_OK;
    so.env = env_v;
    if (pl_spawn_run((const char *const *)argv, &so, NULL, NULL, &sr, &serr) != PL_OK)
        snprintf(why, size, "regression test of %s could not run: %s", env, serr.msg);
    else if (sr.timed_out || sr.exit_code != 0)
        snprintf(why, size, "regression test of %s failed (%s)", env,
                 pl_spawn_describe(&sr, &so, obj, sizeof(obj)));
    else
        snprintf(why, size, "regression test of %s passed", env);
    *ok = strstr(why, " passed") != NULL;
    snprintf(obj, sizeof(obj), "rollout %lld", (long long)x->r->id);
    say(x, "%s", why);
    return pl_store_audit(x->s, "rollout.regression", obj, why, err);
}

/* Whether the plan's argv (JSON text) is the config's argv, rendered the same way. */
static bool same_argv(const char *plan, char **cfg)
{
    struct pl_buf b = PL_BUF_INIT(0);
    bool same;

    if (cfg == NULL)
        return false;
    pl_buf_addch(&b, '[');
    for (size_t i = 0; cfg[i]; i++) {
        if (i)
            pl_buf_adds(&b, ", ");
        pl_escape_json_quoted(&b, cfg[i]);
    }
    pl_buf_addch(&b, ']');
    same = strcmp(pl_buf_cstr(&b), plan) == 0;
    pl_buf_release(&b);
    return same;
}

/*
 * The release gate of the stored plan (pl_apply_release): a later production
 * ring waits while its previous ring is watched or has hosts without a
 * result, and the rollout halts when that ring failed. A rollout that is
 * no stored plan is not gated.
 */
static pl_status release_gate(struct roll *x, const struct pl_rollout_wave *w, bool *stop,
                              struct pl_error *err)
{
    struct pl_release *rel = NULL;
    struct pl_error gerr = PL_ERROR_INIT;
    size_t n = 0;
    pl_status rc = pl_apply_release(x->s, x->r->id, pl_clock_now(), &rel, &n, &gerr);

    *stop = false;
    if (rc == PL_E_NOTFOUND)
        return PL_OK;
    if (rc != PL_OK)
        return pl_error_set(err, rc, "%s", gerr.msg);
    for (size_t i = 0; i < n && rc == PL_OK; i++) {
        struct pl_buf why = PL_BUF_INIT(0);

        if (rel[i].seq != w->seq || rel[i].state == PL_RELEASE_OPEN)
            continue;
        *stop = true;
        pl_buf_addf(&why, "wave %lld %s: %s", (long long)w->seq,
                    rel[i].state == PL_RELEASE_FAILED ? "is held" : "waits", rel[i].reason);
        if (rel[i].state == PL_RELEASE_FAILED) {
            rc = halt(x, w->seq, pl_buf_cstr(&why), err);
        } else {
            snprintf(x->res->state, sizeof(x->res->state), "waiting");
            if (snprintf(x->res->reason, sizeof(x->res->reason), "%.*s",
                         (int)sizeof(x->res->reason) - 1, pl_buf_cstr(&why)) < 0)
                x->res->reason[0] = '\0';
            say(x, "rollout %lld waits: %s", (long long)x->r->id, pl_buf_cstr(&why));
        }
        pl_buf_release(&why);
    }
    free(rel);
    return rc;
}

/* Before a wave: its window, its approval, and the plan's commands against the config. */
static pl_status wave_gate(struct roll *x, const struct pl_rollout_wave *w, bool *stop,
                           struct pl_error *err)
{
    char why[PL_ERROR_MSG_BYTES + 128];
    const char *key = NULL, *argv = NULL;
    pl_status rc;

    *stop = true;
    if (w->rejected) {
        snprintf(why, sizeof(why), "wave %lld never runs: rejected %s", (long long)w->seq,
                 w->rejected);
        return halt(x, w->seq, why, err);
    }
    if (w->starts_at > pl_clock_now()) {
        char at[32];

        snprintf(x->res->state, sizeof(x->res->state), "waiting");
        snprintf(x->res->reason, sizeof(x->res->reason), "wave %lld opens at %s", (long long)w->seq,
                 pl_time_format(w->starts_at, at));
        say(x, "rollout %lld waits: %s", (long long)x->r->id, x->res->reason);
        return PL_OK;
    }
    if (w->needs_approval) {
        snprintf(why, sizeof(why), "wave %lld needs approval (patchline plan approve)",
                 (long long)w->seq);
        return halt(x, w->seq, why, err);
    }
    if ((rc = release_gate(x, w, stop, err)) != PL_OK || *stop)
        return rc;
    *stop = true;
    if (w->plan_health && !same_argv(w->plan_health, x->cfg.health)) {
        key = "health";
        argv = w->plan_health;
    } else if (w->plan_regression &&
               !same_argv(w->plan_regression, regression_of(&x->cfg, w->environment))) {
        key = w->environment;
        argv = w->plan_regression;
    }
    if (key) {
        snprintf(why, sizeof(why),
                 "wave %lld: the plan's command %s is not the config's %s%s; commands run as "
                 "root come from the apply config only",
                 (long long)w->seq, argv, strcmp(key, "health") ? "regression_" : "", key);
        return halt(x, w->seq, why, err);
    }
    *stop = false;
    return PL_OK;
}

/* One wave; *stop when the rollout halted or waits in it. */
static pl_status run_wave(struct roll *x, size_t i, bool *stop, struct pl_error *err)
{
    const struct pl_rollout_wave *w = &x->r->waves[i];
    const struct pl_rollout_wave *next = i + 1 < x->r->n_waves ? &x->r->waves[i + 1] : NULL;
    size_t failed = 0;
    char why[PL_ERROR_MSG_BYTES + 128];
    bool f, ok;
    pl_status rc;

    if ((rc = wave_gate(x, w, stop, err)) != PL_OK || *stop)
        return rc;
    for (size_t k = 0; k < w->n_assets; k++) {
        if ((rc = run_asset(x, w, &w->assets[k], &f, err)) != PL_OK)
            return rc;
        failed += f;
    }
    if (failed && (double)failed / (double)w->n_assets > w->halt_failure_rate) {
        snprintf(why, sizeof(why), "%s ring %s: %zu of %zu assets failed (%.0f%% > %.0f%%)",
                 w->environment, w->ring ? w->ring : "-", failed, w->n_assets,
                 100.0 * (double)failed / (double)w->n_assets, 100.0 * w->halt_failure_rate);
        *stop = true;
        return halt(x, w->seq, why, err);
    }
    /* promotion out of an environment is gated by its regression test */
    if (next == NULL || strcmp(next->environment, w->environment) != 0) {
        if ((rc = regression(x, w->environment, &ok, why, sizeof(why), err)) != PL_OK)
            return rc;
        if (!ok) {
            *stop = true;
            return halt(x, w->seq, why, err);
        }
    }
    return PL_OK;
}

static pl_status check_rollout(const struct pl_rollout *r, struct pl_error *err)
{
    if (r->id <= 0 || r->n_waves == 0)
        return pl_error_set(err, PL_E_INVALID, "rollout %lld has no waves", (long long)r->id);
    for (size_t i = 0; i < r->n_waves; i++) {
        const struct pl_rollout_wave *w = &r->waves[i];

        if (w->seq <= 0 || (i && w->seq <= r->waves[i - 1].seq))
            return pl_error_set(err, PL_E_INVALID, "rollout %lld: wave numbers must increase",
                                (long long)r->id);
        if (w->n_assets == 0 || w->environment == NULL || w->halt_failure_rate < 0)
            return pl_error_set(err, PL_E_INVALID,
                                "rollout %lld: wave %lld needs assets, an environment and a "
                                "failure rate >= 0",
                                (long long)r->id, (long long)w->seq);
    }
    return PL_OK;
}

/* Load the config under the trust rule and find the folder for event files. */
static pl_status roll_setup(struct roll *x, struct pl_error *err)
{
    struct pl_buf base = PL_BUF_INIT(0);
    const char *sp, *slash;
    bool as_root = geteuid() == 0;
    pl_status rc;

    pl_apply_config_init(&x->cfg);
    if (as_root && !pl_store_target_is_url(pl_store_path(x->s)) &&
        (rc = pl_trust_check_store(pl_store_path(x->s), 0, err)) != PL_OK)
        return rc;
    if (x->base->config_path &&
        (rc = pl_apply_config_load(x->base->config_path, as_root, &x->cfg, err)) != PL_OK)
        return rc;
    /* event files live beside a store file, or in a database's stand-in folder */
    if ((rc = pl_store_files_base(x->s, &base, err)) != PL_OK) {
        pl_buf_release(&base);
        return rc;
    }
    sp = pl_buf_cstr(&base);
    slash = strrchr(sp, '/');
    if (snprintf(x->dir, sizeof(x->dir), "%.*s", slash ? (int)(slash - sp) : 1, slash ? sp : ".") >=
        (int)sizeof(x->dir))
        rc = pl_error_set(err, PL_E_TOOBIG, "store path too long");
    pl_buf_release(&base);
    return rc;
}

pl_status pl_apply_rollout(struct pl_store *s, const struct pl_rollout *r,
                           const struct pl_apply_opts *base, int64_t only_wave,
                           struct pl_rollout_result *res, struct pl_error *err)
{
    struct roll x = {s, r, base, {0}, res, ""};
    struct pl_rollout_state was;
    bool stop = false;
    pl_status rc;

    memset(res, 0, sizeof(*res));
    if ((rc = check_rollout(r, err)) != PL_OK || (rc = roll_setup(&x, err)) != PL_OK)
        goto out;
    if ((rc = pl_store_rollout_start(s, r->id, &was, err)) != PL_OK)
        goto out;
    if (strcmp(was.state, "completed") == 0) {
        snprintf(res->state, sizeof(res->state), "completed");
        say(&x, "rollout %lld is already completed", (long long)r->id);
        goto out;
    }
    if (strcmp(was.state, "halted") == 0)
        say(&x, "rollout %lld resumes (halted at wave %lld: %s)", (long long)r->id,
            (long long)was.halted_wave, was.reason);
    snprintf(res->state, sizeof(res->state), "running");
    for (size_t i = 0; i < r->n_waves && !stop && rc == PL_OK; i++)
        if (only_wave == 0 || r->waves[i].seq == only_wave)
            rc = run_wave(&x, i, &stop, err);
    if (rc == PL_OK && !stop && only_wave == 0) {
        snprintf(res->state, sizeof(res->state), "completed");
        rc = pl_store_rollout_set(s, r->id, "completed", 0, NULL, err);
        say(&x, "rollout %lld completed: %zu applied, %zu already done", (long long)r->id,
            res->applied, res->skipped);
    }
out:
    pl_apply_config_release(&x.cfg);
    return rc;
}
