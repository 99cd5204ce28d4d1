/*
 * handoff_plan_json.c - a hand-off plan written as the JSON plan file that
 * pl_handoff_plan_load reads (docs/handoffs.md), with what only a stored
 * plan has: its id, each wave's number, approval state and third-party
 * software, asset ids, and the waves left out. Reading it back gives the
 * same plan, so the artefacts made from either are the same bytes (the
 * server answers a stored plan this way: GET /api/v1/plans/{id}/handoff).
 */
#include <string.h>

#include "patchline/escape.h"

#include "handoff_int.h"

static void member(struct pl_buf *b, const char *sep, const char *key, const char *v)
{
    pl_buf_addf(b, "%s\"%s\": ", sep, key);
    pl_escape_json_quoted(b, v ? v : "");
}

static void duration(struct pl_buf *b, const char *key, int64_t secs)
{
    char d[32];

    member(b, ", ", key, secs == 0 ? "0" : pl_duration_format(secs, d, sizeof(d)));
}

static void packages(struct pl_buf *b, const char *indent, const struct pl_handoff_package *pk,
                     size_t n)
{
    pl_buf_adds(b, "[");
    for (size_t i = 0; i < n; i++) {
        pl_buf_addf(b, "%s\n%s  {", i ? "," : "", indent);
        member(b, "", "name", pk[i].name);
        member(b, ", ", "version", pk[i].version);
        member(b, ", ", "ecosystem", pk[i].ecosystem);
        member(b, ", ", "installed", pk[i].installed);
        member(b, ", ", "advisories", pk[i].advisories);
        pl_buf_adds(b, "}");
    }
    pl_buf_addf(b, n ? "\n%s]" : "]", indent);
}

static void asset(struct pl_buf *b, const struct pl_handoff_asset *a)
{
    pl_buf_addf(b, "{\"id\": %lld", (long long)a->id);
    member(b, ", ", "name", a->name);
    member(b, ", ", "kind", a->kind);
    member(b, ", ", "os_family", a->os_family);
    member(b, ", ", "os_version", a->os_version);
    member(b, ", ", "cloud_id", a->cloud_id);
    member(b, ", ", "cluster", a->cluster);
    member(b, ", ", "node_pool", a->node_pool);
    member(b, ", ", "platform", a->platform);
    member(b, ", ", "image", a->image);
    member(b, ", ", "base", a->base);
    if (a->own_packages) {
        pl_buf_adds(b, ", \"packages\": ");
        packages(b, "        ", a->packages, a->n_packages);
    }
    pl_buf_adds(b, "}");
}

static void software(struct pl_buf *b, const struct pl_handoff_software *sw)
{
    member(b, "{", "asset", sw->asset);
    member(b, ", ", "kind", sw->kind);
    member(b, ", ", "os_family", sw->os_family);
    member(b, ", ", "cluster", sw->cluster);
    member(b, ", ", "nodegroups", sw->nodegroups);
    member(b, ", ", "region", sw->region);
    member(b, ", ", "package", sw->package);
    member(b, ", ", "ecosystem", sw->ecosystem);
    member(b, ", ", "product", sw->product);
    member(b, ", ", "class", sw->class_);
    member(b, ", ", "installed", sw->installed);
    member(b, ", ", "version", sw->version);
    member(b, ", ", "vulns", sw->vulns);
    pl_buf_addf(b, ", \"end_of_life\": %s}", sw->end_of_life ? "true" : "false");
}

static void wave(struct pl_buf *b, const struct pl_handoff_wave *w)
{
    char at[PL_TIME_STR_LEN];

    member(b, "{", "env", w->env);
    pl_buf_addf(b, ", \"ring\": %d", w->ring);
    member(b, ", ", "ring_name", w->ring_name);
    if (w->concurrency_pct)
        pl_buf_addf(b, ", \"max_concurrency\": \"%d%%\"", w->max_concurrency);
    else
        pl_buf_addf(b, ", \"max_concurrency\": %d", w->max_concurrency);
    pl_buf_addf(b, ", \"max_fail_pct\": %d, \"reboot\": %d, \"seq\": %d", w->max_fail_pct,
                w->reboot ? 1 : 0, w->seq);
    member(b, ", ", "start", pl_time_format(w->start, at));
    member(b, ", ", "approval", w->approval);
    member(b, ",\n     \"window\": {", "name", w->window.name);
    member(b, ", ", "expression", w->window.expression);
    member(b, ", ", "tz", w->window.tz);
    duration(b, "duration", w->window.duration_secs);
    duration(b, "cutoff", w->window.cutoff_secs);
    pl_buf_addf(b, ", \"offset_days\": %d}", w->window.offset_days);
    if (w->n_health_check) {
        pl_buf_adds(b, ",\n     \"health_check\": [");
        for (size_t i = 0; i < w->n_health_check; i++) {
            if (i)
                pl_buf_adds(b, ", ");
            pl_escape_json_quoted(b, w->health_check[i]);
        }
        pl_buf_adds(b, "]");
    }
    pl_buf_adds(b, ",\n     \"assets\": [");
    for (size_t i = 0; i < w->n_assets; i++) {
        pl_buf_adds(b, i ? ",\n       " : "\n       ");
        asset(b, &w->assets[i]);
    }
    pl_buf_adds(b, w->n_assets ? "\n     ],\n     \"packages\": " : "],\n     \"packages\": ");
    packages(b, "     ", w->packages, w->n_packages);
    pl_buf_adds(b, ",\n     \"software\": [");
    for (size_t i = 0; i < w->n_software; i++) {
        pl_buf_adds(b, i ? ",\n       " : "\n       ");
        software(b, &w->software[i]);
    }
    pl_buf_adds(b, w->n_software ? "\n     ]}" : "]}");
}

void pl_handoff_plan_json(const struct pl_handoff_plan *p, struct pl_buf *out)
{
    member(out, "{", "name", p->name);
    member(out, ", ", "policy", p->policy);
    pl_buf_addf(out, ", \"plan_id\": %lld,\n \"waves\": [", (long long)p->plan_id);
    for (size_t i = 0; i < p->n_waves; i++) {
        pl_buf_adds(out, i ? ",\n    " : "\n    ");
        wave(out, &p->waves[i]);
    }
    pl_buf_adds(out, p->n_waves ? "\n ],\n \"skipped\": [" : "],\n \"skipped\": [");
    for (size_t i = 0; i < p->n_skipped; i++) {
        const struct pl_handoff_skipped *s = &p->skipped[i];

        pl_buf_addf(out, "%s\n    {\"seq\": %d", i ? "," : "", s->seq);
        member(out, ", ", "id", s->id);
        member(out, ", ", "starts_at", s->starts_at);
        member(out, ", ", "reason", s->reason);
        member(out, ", ", "approvers", s->approvers);
        pl_buf_adds(out, "}");
    }
    pl_buf_adds(out, p->n_skipped ? "\n ]}\n" : "]}\n");
}
