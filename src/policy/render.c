/*
 * render.c - the effective policy as YAML (`patchline policy show`): every
 * default filled in, comments dropped. The output parses back to the same
 * policy (tests/unit/test_policy.c checks the round trip).
 */
#include <stdio.h>

#include "patchline/escape.h"

#include "policy_int.h"

/* A plain scalar when it is a simple word, else double-quoted (JSON string syntax is YAML). */
static void y_str(struct pl_buf *b, const char *s)
{
    const char *c = s;

    for (; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_' || *c == '.'))
            break;
    if (*s && *c == '\0' && *s != '-' && *s != '.')
        pl_buf_adds(b, s);
    else
        pl_escape_json_quoted(b, s);
}

static void y_dur(struct pl_buf *b, int64_t secs)
{
    char t[32];

    pl_buf_adds(b, pl_duration_format(secs, t, sizeof(t)));
}

/* A condition's list value: its strings, or the enum values its mask selects. */
static void y_list(struct pl_buf *b, const struct pl__cond *c)
{
    bool first = true;

    pl_buf_addch(b, '[');
    if (pl__fields[c->field].type == T_STR) {
        for (size_t k = 0; k < c->n_strs; k++) {
            pl_buf_adds(b, k ? ", " : "");
            y_str(b, c->strs[k]);
        }
    } else {
        for (int k = 0; pl__fields[c->field].values[k]; k++) {
            if (!(c->mask & (1u << k)))
                continue;
            pl_buf_adds(b, first ? "" : ", ");
            y_str(b, pl__fields[c->field].values[k]);
            first = false;
        }
    }
    pl_buf_addch(b, ']');
}

static void y_group(struct pl_buf *b, const struct pl__group *g)
{
    pl_buf_addch(b, '{');
    for (size_t i = 0; i < g->n; i++) {
        const struct pl__cond *c = &g->conds[i];

        pl_buf_addf(b, "%s%s: ", i ? ", " : "", pl__fields[c->field].name);
        if (c->raw[0] == '[') {
            y_list(b, c);
        } else {
            y_str(b, c->raw);
        }
    }
    pl_buf_addch(b, '}');
}

static void y_rule(struct pl_buf *b, const struct pl__rule *r)
{
    char sla[32];

    pl_buf_addf(b, "  - name: %s\n", r->name);
    if (r->tier >= 0)
        pl_buf_addf(b, "    tier: %d\n", r->tier);
    if (r->sla > 0)
        pl_buf_addf(b, "    sla: %s\n", pl_duration_format(r->sla, sla, sizeof(sla)));
    if (r->sla_from_fix)
        pl_buf_adds(b, "    sla_from: fix_release\n");
    if (r->has_when) {
        pl_buf_adds(b, "    when: ");
        y_group(b, &r->when);
        pl_buf_addch(b, '\n');
    }
    if (r->n_any) {
        pl_buf_adds(b, "    any:\n");
        for (size_t g = 0; g < r->n_any; g++) {
            pl_buf_adds(b, "      - ");
            y_group(b, &r->any[g]);
            pl_buf_addch(b, '\n');
        }
    }
    if (r->note) {
        pl_buf_adds(b, "    note: ");
        y_str(b, r->note);
        pl_buf_addch(b, '\n');
    }
}

static void y_settings(struct pl_buf *b, const struct pl_policy *p)
{
    static const char *const tri[] = {"unknown", "no", "yes"};

    pl_buf_addf(b, "settings:\n  unknown_exposure:\n    treat_as: %s\n    provisional: %s\n",
                tri[p->unknown_exposure_as], p->unknown_exposure_provisional ? "true" : "false");
    pl_buf_addf(b, "  unknown_environment:\n    treat_as: %s\n    provisional: %s\n",
                pl__fields[F_ENVIRONMENT].values[p->unknown_env_as],
                p->unknown_env_provisional ? "true" : "false");
    pl_buf_adds(b, "  unscored_due: ");
    y_dur(b, p->unscored_due);
    pl_buf_adds(b, "\n  vendor_severity_bands:\n");
    for (size_t i = 0; i < p->n_bands; i++) {
        pl_buf_adds(b, "    ");
        y_str(b, p->bands[i].severity);
        pl_buf_addf(b, ": %.1f\n", p->bands[i].score);
    }
    pl_buf_adds(b, "  vendor_emergency: [");
    for (size_t i = 0; i < p->n_emergency; i++) {
        pl_buf_adds(b, i ? ", " : "");
        y_str(b, p->emergency[i]);
    }
    pl_buf_adds(b, "]\n  max_exception: ");
    y_dur(b, p->max_exception);
    pl_buf_addch(b, '\n');
}

void pl_policy_render_yaml(const struct pl_policy *p, struct pl_buf *b)
{
    pl_buf_addf(b, "# effective policy from %s\npolicy: %s\n", p->origin, p->name);
    if (p->description) {
        pl_buf_adds(b, "description: ");
        y_str(b, p->description);
        pl_buf_addch(b, '\n');
    }
    pl_buf_adds(b, "tiers:\n");
    for (int i = 0; i < p->n_tiers; i++) {
        pl_buf_addf(b, "  - tier: %d\n    name: %s\n    sla: ", i, p->tiers[i].name);
        y_dur(b, p->tiers[i].sla);
        pl_buf_adds(b, "\n    max_exception: ");
        y_dur(b, p->tiers[i].max_exception);
        pl_buf_addch(b, '\n');
        if (p->tiers[i].note) {
            pl_buf_adds(b, "    note: ");
            y_str(b, p->tiers[i].note);
            pl_buf_addch(b, '\n');
        }
    }
    y_settings(b, p);
    pl_buf_adds(b, "rules:\n");
    for (size_t i = 0; i < p->n_rules; i++)
        y_rule(b, &p->rules[i]);
    if (p->n_rules == 0)
        pl_buf_adds(b, "  []\n");
    if (p->n_marks)
        pl_buf_adds(b, "marks:\n");
    for (size_t i = 0; i < p->n_marks; i++)
        y_rule(b, &p->marks[i]);
    pl_buf_addf(b, "default:\n  tier: %d\n", p->default_tier);
    if (p->default_note) {
        pl_buf_adds(b, "  note: ");
        y_str(b, p->default_note);
        pl_buf_addch(b, '\n');
    }
}
