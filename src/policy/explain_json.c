/*
 * explain_json.c - the explanation of a decision as one JSON object (the
 * same content as the text form; see docs/policy.md for the fields).
 */
#include <stdio.h>

#include "patchline/escape.h"

#include "policy_int.h"

static void j_str(struct pl_buf *b, const char *key, const char *s)
{
    pl_buf_addf(b, "\"%s\":", key);
    if (s)
        pl_escape_json_quoted(b, s);
    else
        pl_buf_adds(b, "null");
}

static void j_actual(const struct pl__view *v, enum pl__field fld, struct pl_buf *b)
{
    struct pl_buf t = PL_BUF_INIT(4096);

    pl__policy_view_value(v, fld, true, &t);
    j_str(b, "actual", pl_buf_cstr(&t));
    pl_buf_release(&t);
}

static void j_prov(const struct pl_prov *pv, struct pl_buf *b)
{
    pl_buf_adds(b, "\"provenance\":{");
    j_str(b, "source", pv->source);
    pl_buf_addch(b, ',');
    j_str(b, "version", pv->version);
    pl_buf_addch(b, ',');
    j_str(b, "date", pv->date);
    pl_buf_addch(b, '}');
}

static void j_cond(const struct pl__view *v, const struct pl__cond *c, struct pl_buf *b)
{
    pl_buf_addch(b, '{');
    j_str(b, "fact", pl__fields[c->field].name);
    pl_buf_addch(b, ',');
    j_str(b, "want", c->raw);
    pl_buf_addf(b, ",\"line\":%d,", c->line);
    j_actual(v, c->field, b);
    pl_buf_addch(b, ',');
    j_prov(pl__policy_field_prov(v, c->field), b);
    pl_buf_addch(b, '}');
}

static void j_group(const struct pl__view *v, const struct pl__group *g, bool only_failed,
                    bool *first, struct pl_buf *b)
{
    size_t k = 0;

    if (only_failed && pl__policy_group_holds(g, v, &k))
        return;
    for (size_t i = only_failed ? k : 0; i < (only_failed ? k + 1 : g->n); i++) {
        if (!*first)
            pl_buf_addch(b, ',');
        *first = false;
        j_cond(v, &g->conds[i], b);
    }
}

static void j_not_fired(const struct pl_policy *p, const struct pl__view *v, size_t n,
                        struct pl_buf *b)
{
    pl_buf_adds(b, ",\"not_fired\":[");
    for (size_t i = 0; i < n; i++) {
        const struct pl__rule *r = &p->rules[i];
        bool first = true;

        if (i)
            pl_buf_addch(b, ',');
        pl_buf_addch(b, '{');
        j_str(b, "rule", r->name);
        pl_buf_addf(b, ",\"tier\":%d,\"line\":%d,\"failed\":[", r->tier, r->line);
        if (r->has_when && !pl__policy_group_holds(&r->when, v, NULL))
            j_group(v, &r->when, true, &first, b);
        else
            for (size_t g = 0; g < r->n_any; g++)
                j_group(v, &r->any[g], true, &first, b);
        pl_buf_adds(b, "]}");
    }
    pl_buf_addch(b, ']');
}

static void j_used(const struct pl_policy *p, const struct pl__view *v, const struct pl__rule *r,
                   struct pl_buf *b)
{
    bool first = true;

    (void)p;
    pl_buf_adds(b, ",\"facts\":[");
    if (r) {
        if (r->has_when)
            j_group(v, &r->when, false, &first, b);
        for (size_t g = 0; g < r->n_any; g++)
            if (pl__policy_group_holds(&r->any[g], v, NULL)) {
                j_group(v, &r->any[g], false, &first, b);
                break;
            }
    }
    pl_buf_addch(b, ']');
}

void pl_policy_explain_json(const struct pl_policy *p, const struct pl_facts *f,
                            const struct pl_decision *d, struct pl_buf *b)
{
    const struct pl__rule *r = d->rule >= 0 ? &p->rules[d->rule] : NULL;
    const char *note = r ? r->note : d->unscored ? NULL : p->default_note;
    struct pl__view v;
    char sla[32];

    pl__policy_view_init(p, f, &v);
    pl_buf_addch(b, '{');
    j_str(b, "policy", p->name);
    pl_buf_addf(b, ",\"tier\":%d,", d->tier);
    j_str(b, "tier_name", d->tier_name);
    pl_buf_addch(b, ',');
    j_str(b, "sla", pl_duration_format(d->sla, sla, sizeof(sla)));
    pl_buf_addch(b, ',');
    j_str(b, "rule", d->rule_name);
    pl_buf_addf(b, ",\"rule_line\":%d,\"unscored\":%s,\"provisional\":%s,", r ? r->line : 0,
                d->unscored ? "true" : "false", d->provisional ? "true" : "false");
    j_str(b, "remedy", d->remedy == PL_REMEDY_COMPENSATE ? "compensating-control" : "patch");
    pl_buf_addch(b, ',');
    j_str(b, "note", note);
    if (d->score_src == PL_SCORE_NONE)
        pl_buf_adds(b, ",\"score\":null");
    else
        pl_buf_addf(b, ",\"score\":{\"value\":%.1f,\"source\":\"%s\"}", d->score,
                    d->score_src == PL_SCORE_CVSS ? "cvss" : "vendor-severity");
    pl_buf_addf(b, ",\"ssvc\":{\"cisa\":\"%s\",\"deployer\":\"%s\"}", pl_ssvc_cisa_name(d->cisa),
                pl_ssvc_deployer_name(d->deployer));
    j_used(p, &v, r, b);
    if (d->mark >= 0 && (size_t)d->mark < p->n_marks) {
        pl_buf_adds(b, ",\"mark\":{");
        j_str(b, "name", d->mark_name);
        pl_buf_addch(b, ',');
        j_str(b, "note", d->mark_note);
        pl_buf_addf(b, ",\"line\":%d", p->marks[d->mark].line);
        pl_buf_adds(b, ",\"facts\":[");
        {
            const struct pl__rule *m = &p->marks[d->mark];
            bool first = true;

            if (m->has_when)
                j_group(&v, &m->when, false, &first, b);
            for (size_t g = 0; g < m->n_any; g++)
                if (pl__policy_group_holds(&m->any[g], &v, NULL)) {
                    j_group(&v, &m->any[g], false, &first, b);
                    break;
                }
        }
        pl_buf_adds(b, "]}");
    } else {
        pl_buf_adds(b, ",\"mark\":null");
    }
    pl_buf_addch(b, ',');
    j_str(b, "distro_decision", f->distro_decision);
    if (d->deadline) {
        char t[32];

        pl_buf_adds(b, ",\"deadline\":{");
        j_str(b, "due", pl_time_format(d->deadline, t));
        pl_buf_adds(b, ",\"from\":\"fix_release\",");
        j_str(b, "source", f->fix_release_prov.source);
        pl_buf_addch(b, ',');
        j_str(b, "version", f->fix_release_prov.version);
        pl_buf_addch(b, ',');
        j_str(b, "date", f->fix_release_prov.date);
        pl_buf_addch(b, '}');
    } else {
        pl_buf_adds(b, ",\"deadline\":null");
    }
    j_not_fired(p, &v, r ? (size_t)d->rule : p->n_rules, b);
    pl_buf_addch(b, '}');
}
