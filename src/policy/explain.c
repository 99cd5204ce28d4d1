/*
 * explain.c - why a finding got its tier: the rule that fired, the facts it
 * used with their provenance, and for each earlier rule the condition that
 * failed with the actual value. Rendered as text or as one JSON object.
 *
 * Explain re-walks the rules on the same facts (the evaluation is pure), so
 * the hot path stays free of allocation and bookkeeping.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"

#include "policy_int.h"

static const char *enum_name(enum pl__field fld, int idx)
{
    return pl__fields[fld].values[idx];
}

static void join_tags(const struct pl_facts *f, struct pl_buf *b)
{
    if (f->n_tags == 0)
        pl_buf_adds(b, "none");
    for (size_t i = 0; i < f->n_tags; i++) {
        if (i)
            pl_buf_addch(b, ',');
        pl_buf_adds(b, f->tags[i] ? f->tags[i] : "");
    }
}

static void score_value(const struct pl__view *v, bool brief, struct pl_buf *b)
{
    const struct pl_facts *f = v->f;

    if (brief && v->has[F_CVSS])
        pl_buf_addf(b, "%.1f%s", v->num[F_CVSS],
                    f->has_cvss          ? ""
                    : f->vendor_severity ? " (vendor severity band)"
                                         : " (scanner severity band)");
    else if (f->has_cvss)
        pl_buf_addf(b, "%.1f (CVSS %s%s%s)", f->cvss, f->cvss_version ? f->cvss_version : "?",
                    f->cvss_vector ? " " : "", f->cvss_vector ? f->cvss_vector : "");
    else if (v->has[F_CVSS] && f->vendor_severity)
        pl_buf_addf(b, "%.1f (band of vendor severity '%s'; no CVSS)", v->num[F_CVSS],
                    f->vendor_severity);
    else if (v->has[F_CVSS])
        pl_buf_addf(b, "%.1f (band of scanner severity '%s' from %s; no CVSS)", v->num[F_CVSS],
                    f->scanner_severity, f->scanner_prov.source ? f->scanner_prov.source : "?");
    else
        pl_buf_adds(b, "none (no CVSS, no vendor severity)");
}

void pl__policy_view_value(const struct pl__view *v, enum pl__field fld, bool brief,
                           struct pl_buf *b)
{
    const struct pl_facts *f = v->f;
    char date[16];

    switch (fld) {
    case F_CVSS:
        score_value(v, brief, b);
        return;
    case F_EPSS:
    case F_EPSS_PERCENTILE:
        if (!v->has[fld])
            pl_buf_adds(b, "none");
        else
            pl_buf_addf(b, "%g", v->num[fld]);
        if (v->has[fld] && f->epss_date)
            pl_buf_addf(b, " (scored %s)", pl_date_format(f->epss_date, date));
        return;
    case F_KEV:
        pl_buf_adds(b, f->kev ? "true" : "false");
        if (f->kev && f->kev_added)
            pl_buf_addf(b, " (added %s)", pl_date_format(f->kev_added, date));
        return;
    case F_CVSS_VERSION:
        pl_buf_adds(b, f->has_cvss && f->cvss_version ? f->cvss_version : "none");
        return;
    case F_VENDOR_SEVERITY:
        pl_buf_adds(b, f->vendor_severity ? f->vendor_severity : "none");
        return;
    case F_KIND:
        pl_buf_adds(b, f->kind ? f->kind : "unknown");
        return;
    case F_DISTRO_DECISION:
        pl_buf_adds(b, f->distro_decision ? f->distro_decision : "none");
        return;
    case F_PACKAGE:
        pl_buf_adds(b, f->package ? f->package : "none");
        return;
    case F_PRODUCT:
        pl_buf_adds(b, f->product ? f->product : "none");
        return;
    case F_CLASS:
        pl_buf_adds(b, f->product_class ? f->product_class : "none");
        return;
    case F_TAG:
        join_tags(f, b);
        return;
    case F_RELEASE_AGE:
        if (!f->has_release_age) {
            pl_buf_adds(b, "unknown (no release date)");
            return;
        }
        pl_buf_addf(b, "%.0f days", v->num[F_RELEASE_AGE]);
        if (!brief || f->release_prov.version)
            pl_buf_addf(b, " (%s released %s)",
                        f->release_prov.version ? f->release_prov.version : "?",
                        f->release_prov.date ? f->release_prov.date : "?");
        return;
    default:
        break;
    }
    pl_buf_adds(b, enum_name(fld, v->e[fld]));
    if (fld == F_EXPOSURE && v->e[fld] == PL_TRI_UNKNOWN && v->exposure_as != PL_TRI_UNKNOWN)
        pl_buf_addf(b, " (counted as %s: fail-safe)", enum_name(fld, (int)v->exposure_as));
    if (fld == F_ENVIRONMENT && v->e[fld] == PL_ENV_UNKNOWN && v->env_as != PL_ENV_UNKNOWN)
        pl_buf_addf(b, " (counted as %s: fail-safe)", enum_name(fld, (int)v->env_as));
    if (fld == F_PUBLIC_EXPLOIT && v->e[fld])
        pl_buf_adds(b, f->exploit_refs == PL_TRI_YES ? " (exploit references)"
                                                     : " (SSVC exploitation)");
}

const struct pl_prov *pl__policy_field_prov(const struct pl__view *v, enum pl__field fld)
{
    const struct pl_facts *f = v->f;

    switch (fld) {
    case F_KEV:
    case F_KEV_RANSOMWARE:
        return &f->kev_prov;
    case F_VENDOR_EXPLOITED:
        return &f->vendor_exploited_prov;
    case F_CVSS:
    case F_SCORED:
        return f->has_cvss ? &f->cvss_prov : &f->vendor_prov;
    case F_CVSS_VERSION:
        return &f->cvss_prov;
    case F_VENDOR_SEVERITY:
    case F_VENDOR_EMERGENCY:
        return &f->vendor_prov;
    case F_EPSS:
    case F_EPSS_PERCENTILE:
        return &f->epss_prov;
    case F_PUBLIC_EXPLOIT:
        return f->exploit_refs == PL_TRI_YES ? &f->exploit_prov : &f->ssvc_prov;
    case F_EXPLOITATION:
    case F_AUTOMATABLE:
    case F_TECHNICAL_IMPACT:
    case F_SSVC_CISA:
    case F_SSVC_DEPLOYER:
        return &f->ssvc_prov;
    case F_FIX_AVAILABLE:
    case F_DISTRO_DECISION:
        return &f->fix_prov;
    case F_PACKAGE:
    case F_PRODUCT:
    case F_CLASS:
    case F_EOL:
    case F_LAG:
        return &f->product_prov;
    case F_RELEASE_AGE:
        return &f->release_prov;
    default:
        return &f->asset_prov;
    }
}

/* The group of rule r that held (the `when` group first), or NULL. */
static void held_groups(const struct pl__rule *r, const struct pl__view *v,
                        const struct pl__group **g1, const struct pl__group **g2)
{
    *g1 = r->has_when ? &r->when : NULL;
    *g2 = NULL;
    for (size_t i = 0; i < r->n_any; i++)
        if (pl__policy_group_holds(&r->any[i], v, NULL)) {
            *g2 = &r->any[i];
            break;
        }
}

/* ---- text ------------------------------------------------------------------ */

static void text_prov(const struct pl_prov *pv, struct pl_buf *b)
{
    const char *parts[] = {pv->source, pv->version, pv->date};
    bool any = false;

    pl_buf_adds(b, " [");
    for (size_t i = 0; i < PL_ARRAY_LEN(parts); i++)
        if (parts[i]) {
            if (any)
                pl_buf_addch(b, ' ');
            pl_escape_terminal(b, parts[i]);
            any = true;
        }
    pl_buf_adds(b, any ? "]" : "no provenance]");
}

static void text_actual(const struct pl__view *v, enum pl__field fld, bool brief, struct pl_buf *b)
{
    struct pl_buf t = PL_BUF_INIT(4096);

    pl__policy_view_value(v, fld, brief, &t);
    pl_escape_terminal(b, pl_buf_cstr(&t));
    pl_buf_release(&t);
}

static void text_fact(const struct pl__view *v, const struct pl__cond *c, struct pl_buf *b)
{
    pl_buf_addf(b, "  %s = ", pl__fields[c->field].name);
    text_actual(v, c->field, true, b);
    pl_buf_adds(b, " (want ");
    pl_escape_terminal(b, c->raw);
    pl_buf_addch(b, ')');
    text_prov(pl__policy_field_prov(v, c->field), b);
    pl_buf_addch(b, '\n');
}

static void text_failed(const struct pl__view *v, const struct pl__group *g, struct pl_buf *b)
{
    size_t k = 0;

    if (pl__policy_group_holds(g, v, &k))
        return;
    pl_buf_addf(b, "%s is ", pl__fields[g->conds[k].field].name);
    text_actual(v, g->conds[k].field, true, b);
    pl_buf_adds(b, ", want ");
    pl_escape_terminal(b, g->conds[k].raw);
    text_prov(pl__policy_field_prov(v, g->conds[k].field), b);
}

static void text_not_fired(const struct pl_policy *p, const struct pl__view *v, size_t n,
                           struct pl_buf *b)
{
    if (n > 0)
        pl_buf_adds(b, "rules above it that did not fire:\n");
    for (size_t i = 0; i < n; i++) {
        const struct pl__rule *r = &p->rules[i];

        pl_buf_addf(b, "  %s (tier %d, line %d): ", r->name, r->tier, r->line);
        if (r->has_when && !pl__policy_group_holds(&r->when, v, NULL)) {
            text_failed(v, &r->when, b);
        } else {
            pl_buf_adds(b, "no 'any' group held: ");
            for (size_t g = 0; g < r->n_any; g++) {
                if (g)
                    pl_buf_adds(b, "; ");
                text_failed(v, &r->any[g], b);
            }
        }
        pl_buf_addch(b, '\n');
    }
}

static void text_header(const struct pl_policy *p, const struct pl__view *v,
                        const struct pl_decision *d, struct pl_buf *b)
{
    char sla[32], rsla[32], t[32];

    pl_duration_format(d->sla, sla, sizeof(sla));
    if (d->deadline && d->rule >= 0)
        pl_buf_addf(b,
                    "tier %d %s, due %s (%s after the fixed version's release), or %s after "
                    "first seen if that is earlier: ",
                    d->tier, d->tier_name, pl_time_format(d->deadline, t),
                    pl_duration_format(p->rules[d->rule].sla, rsla, sizeof(rsla)), sla);
    else
        pl_buf_addf(b, "tier %d %s, due %s after first seen: ", d->tier, d->tier_name, sla);
    if (d->rule >= 0)
        pl_buf_addf(b, "rule '%s' (%s line %d)\n", d->rule_name, p->origin, p->rules[d->rule].line);
    else if (d->unscored)
        pl_buf_adds(b, "no rule fired and there is no score: unscored, shown apart\n");
    else
        pl_buf_addf(b, "no rule fired: the default tier of policy '%s'\n", p->name);
    pl_buf_adds(b, "  score: ");
    text_actual(v, F_CVSS, false, b);
    pl_buf_addf(b, "\n  ssvc: cisa %s, deployer %s\n", pl_ssvc_cisa_name(d->cisa),
                pl_ssvc_deployer_name(d->deployer));
    if (d->rule >= 0 && p->rules[d->rule].sla_from_fix) {
        pl_buf_adds(b, "  clock: ");
        if (d->deadline) {
            pl_buf_adds(b, "the fixed version's release");
            text_prov(&v->f->fix_release_prov, b);
        } else {
            pl_buf_adds(b, "the fixed version's release date is not known: the rule's sla runs "
                           "from first seen");
        }
        pl_buf_addch(b, '\n');
    }
    if (d->rule >= 0 && p->rules[d->rule].note) {
        pl_buf_adds(b, "  note: ");
        pl_escape_terminal(b, p->rules[d->rule].note);
        pl_buf_addch(b, '\n');
    } else if (d->rule < 0 && !d->unscored && p->default_note) {
        pl_buf_adds(b, "  note: ");
        pl_escape_terminal(b, p->default_note);
        pl_buf_addch(b, '\n');
    }
    if (d->mark >= 0 && (size_t)d->mark < p->n_marks) {
        pl_buf_addf(b, "  mark '%s' (%s line %d): ", d->mark_name, p->origin,
                    p->marks[d->mark].line);
        pl_escape_terminal(b, d->mark_note);
        pl_buf_adds(b, " (the tier stays)\n");
    }
    if (d->remedy == PL_REMEDY_COMPENSATE)
        pl_buf_addf(b, "  remedy: no fix is available: a compensating control is due within %s%s\n",
                    sla,
                    d->tier == 0 && v->e[F_EXPLOITATION] == PL_EXPLOIT_ACTIVE
                        ? " (zero-day: exploited, no fix yet)"
                        : "");
    if (d->provisional && v->e[F_EXPOSURE] == PL_TRI_UNKNOWN && p->unknown_exposure_provisional)
        pl_buf_addf(b, "  provisional: exposure is unknown and counted as %s (fail-safe)\n",
                    enum_name(F_EXPOSURE, (int)v->exposure_as));
    if (d->provisional && v->e[F_ENVIRONMENT] == PL_ENV_UNKNOWN && p->unknown_env_provisional)
        pl_buf_addf(b, "  provisional: environment is unknown and counted as %s (fail-safe)\n",
                    enum_name(F_ENVIRONMENT, (int)v->env_as));
}

void pl_policy_explain_text(const struct pl_policy *p, const struct pl_facts *f,
                            const struct pl_decision *d, struct pl_buf *b)
{
    const struct pl__group *g1, *g2;
    struct pl__view v;

    pl__policy_view_init(p, f, &v);
    text_header(p, &v, d, b);
    if (d->rule >= 0) {
        held_groups(&p->rules[d->rule], &v, &g1, &g2);
        pl_buf_adds(b, "facts used:\n");
        for (size_t i = 0; g1 && i < g1->n; i++)
            text_fact(&v, &g1->conds[i], b);
        for (size_t i = 0; g2 && i < g2->n; i++)
            text_fact(&v, &g2->conds[i], b);
    }
    if (d->mark >= 0 && (size_t)d->mark < p->n_marks) {
        held_groups(&p->marks[d->mark], &v, &g1, &g2);
        pl_buf_addf(b, "facts of mark '%s':\n", d->mark_name);
        for (size_t i = 0; g1 && i < g1->n; i++)
            text_fact(&v, &g1->conds[i], b);
        for (size_t i = 0; g2 && i < g2->n; i++)
            text_fact(&v, &g2->conds[i], b);
    }
    text_not_fired(p, &v, d->rule >= 0 ? (size_t)d->rule : p->n_rules, b);
}
