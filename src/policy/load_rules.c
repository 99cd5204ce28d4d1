/*
 * load_rules.c - reading the `rules:` list of a policy: names, tiers and
 * conditions (`when:` all must hold; `any:` one group must hold).
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/parse.h"

#include "load_int.h"

/* The closest condition name to a misspelt one, or NULL. */
static const char *suggest_field(const char *s)
{
    const char *names[F_COUNT + 1];

    for (int i = 0; i < F_COUNT; i++)
        names[i] = pl__fields[i].name;
    names[F_COUNT] = NULL;
    return pl_yaml_suggest(s, names);
}

static const char *const synonyms[][2] = {
    {"yes", "true"},        {"true", "yes"},        {"no", "false"},       {"false", "no"},
    {"production", "prod"}, {"development", "dev"}, {"public poc", "poc"}, {"public_poc", "poc"},
};

static int enum_value(const struct pl__fielddef *d, const char *s)
{
    for (int i = 0; d->values[i]; i++)
        if (pl_strcasecmp(d->values[i], s) == 0)
            return i;
    for (size_t k = 0; k < PL_ARRAY_LEN(synonyms); k++)
        if (pl_strcasecmp(synonyms[k][0], s) == 0)
            for (int i = 0; d->values[i]; i++)
                if (strcmp(d->values[i], synonyms[k][1]) == 0)
                    return i;
    return -1;
}

static void num_limits(enum pl__field f, double *lo, double *hi)
{
    *lo = 0.0;
    *hi = f == F_CVSS ? 10.0 : f == F_RELEASE_AGE ? 1e6 : 1.0; /* release_age: days */
}

/* ">= 9.0", "> 9", "<= 6.9", "< 7", "7.0..8.9" (inclusive), "9.8" (equal). */
static pl_status num_range(struct pl__ld *l, const yaml_node_t *n, struct pl__cond *c,
                           const char *s)
{
    const char *name = pl__fields[c->field].name, *dots = strstr(s, "..");
    char a[64], b[64];
    double lo, hi, min, max;

    num_limits(c->field, &min, &max);
    c->lo = min;
    c->hi = max;
    if (strlen(s) >= sizeof(a))
        return pl__policy_ld_fail(l, n, "condition '%s': '%.64s' is too long", name, s);
    if (dots) {
        memcpy(a, s, (size_t)(dots - s));
        a[dots - s] = '\0';
        if (snprintf(b, sizeof(b), "%s", dots + 2) >= (int)sizeof(b) ||
            pl_parse_double(a, &lo, NULL) != PL_OK || pl_parse_double(b, &hi, NULL) != PL_OK)
            goto bad;
        c->lo = lo;
        c->hi = hi;
    } else {
        const char *p = s;
        int op = 0; /* 1 >=, 2 >, 3 <=, 4 <, 0 = */

        if (pl_starts_with(p, ">=") || pl_starts_with(p, "<="))
            op = p[0] == '>' ? 1 : 3, p += 2;
        else if (*p == '>' || *p == '<')
            op = *p == '>' ? 2 : 4, p++;
        while (*p == ' ')
            p++;
        if (pl_parse_double(p, &lo, NULL) != PL_OK)
            goto bad;
        if (op == 0 || op == 1 || op == 2)
            c->lo = lo, c->lo_strict = op == 2;
        if (op == 0 || op == 3 || op == 4)
            c->hi = lo, c->hi_strict = op == 4;
    }
    if (c->lo < min || c->hi > max || c->lo > c->hi)
        return pl__policy_ld_fail(l, n, "condition '%s': '%s' is outside %.1f-%.1f or empty", name,
                                  s, min, max);
    return PL_OK;
bad:
    return pl__policy_ld_fail(
        l, n,
        "condition '%s': '%s' is not a range (want e.g. \">= 9.0\", \"< 4.0\" or "
        "\"7.0..8.9\")",
        name, s);
}

static pl_status cond_value(struct pl__ld *l, const yaml_node_t *v, struct pl__cond *c,
                            struct pl_buf *raw)
{
    const struct pl__fielddef *d = &pl__fields[c->field];
    const char *s = "";
    int idx;

    if (pl_yaml_scalar(&l->y, v, d->name, PL_MAX_POLICY_TEXT_BYTES, &s) != PL_OK)
        return PL_E_PARSE;
    if (raw->len > 1)
        pl_buf_adds(raw, ", ");
    pl_buf_adds(raw, s);
    switch (d->type) {
    case T_ENUM:
        if ((idx = enum_value(d, s)) < 0)
            return pl__policy_ld_fail(l, v, "condition '%s': unknown value '%s' (want %s)", d->name,
                                      s, d->help);
        c->mask |= 1u << idx;
        return PL_OK;
    case T_NUM:
        return num_range(l, v, c, s);
    case T_STR:
        c->strs = pl_xrealloc(c->strs, (c->n_strs + 1) * sizeof(*c->strs));
        c->strs[c->n_strs++] = pl_xstrdup(s);
        return PL_OK;
    }
    return PL_OK;
}

static pl_status load_cond(struct pl__ld *l, const yaml_node_t *k, const yaml_node_t *v,
                           struct pl__cond *c)
{
    struct pl_buf raw = PL_BUF_INIT((size_t)PL_MAX_POLICY_TEXT_BYTES * 2);
    const char *name = "", *hint;
    pl_status rc = PL_OK;
    int f;

    if (pl_yaml_scalar(&l->y, k, "condition", PL_MAX_POLICY_NAME_BYTES, &name) != PL_OK)
        return PL_E_PARSE;
    if ((f = pl__policy_field_find(name)) < 0) {
        hint = suggest_field(name);
        return hint ? pl__policy_ld_fail(l, k, "unknown condition '%s'; did you mean '%s'?", name,
                                         hint)
                    : pl__policy_ld_fail(l, k, "unknown condition '%s'", name);
    }
    c->field = (enum pl__field)f;
    c->line = (int)k->start_mark.line + 1;
    c->col = (int)k->start_mark.column + 1;
    if (v->type == YAML_SEQUENCE_NODE) {
        size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);

        if (pl__fields[f].type == T_NUM)
            return pl__policy_ld_fail(l, v, "condition '%s': want one range, not a list", name);
        if (n == 0 || n > PL_MAX_POLICY_VALUES)
            return pl__policy_ld_fail(l, v, "condition '%s': want 1 to %d values", name,
                                      PL_MAX_POLICY_VALUES);
        pl_buf_addch(&raw, '[');
        for (size_t i = 0; i < n && rc == PL_OK; i++)
            rc = cond_value(l, pl_yaml_node(&l->y, v->data.sequence.items.start[i]), c, &raw);
        pl_buf_addch(&raw, ']');
    } else {
        rc = cond_value(l, v, c, &raw);
    }
    c->raw = pl_buf_detach(&raw, NULL);
    return rc;
}

static pl_status load_group(struct pl__ld *l, const yaml_node_t *map, const char *what,
                            struct pl__group *g)
{
    size_t n;

    if (map->type != YAML_MAPPING_NODE)
        return pl__policy_ld_fail(l, map, "%s: want a mapping of conditions, not %s", what,
                                  map->type == YAML_SEQUENCE_NODE ? "a list" : "a scalar");
    n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    if (n == 0 || n > PL_MAX_POLICY_CONDITIONS)
        return pl__policy_ld_fail(l, map, "%s: want 1 to %d conditions", what,
                                  PL_MAX_POLICY_CONDITIONS);
    g->conds = pl_xcalloc(n, sizeof(*g->conds));
    for (size_t i = 0; i < n; i++) {
        const yaml_node_pair_t *pr = &map->data.mapping.pairs.start[i];
        const yaml_node_t *k = pl_yaml_node(&l->y, pr->key);

        g->n = i + 1;
        if (load_cond(l, k, pl_yaml_node(&l->y, pr->value), &g->conds[i]) != PL_OK)
            return PL_E_PARSE;
        for (size_t j = 0; j < i; j++)
            if (g->conds[j].field == g->conds[i].field)
                return pl__policy_ld_fail(l, k, "duplicate condition '%s' in %s",
                                          pl__fields[g->conds[i].field].name, what);
    }
    return PL_OK;
}

static pl_status load_any(struct pl__ld *l, const yaml_node_t *seq, struct pl__rule *r)
{
    size_t n;

    if (seq->type != YAML_SEQUENCE_NODE)
        return pl__policy_ld_fail(l, seq, "any: want a list of condition groups");
    n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (n == 0 || n > PL_MAX_POLICY_GROUPS)
        return pl__policy_ld_fail(l, seq, "any: want 1 to %d groups", PL_MAX_POLICY_GROUPS);
    r->any = pl_xcalloc(n, sizeof(*r->any));
    for (size_t i = 0; i < n; i++) {
        r->n_any = i + 1;
        if (load_group(l, pl_yaml_node(&l->y, seq->data.sequence.items.start[i]), "any",
                       &r->any[i]) != PL_OK)
            return PL_E_PARSE;
    }
    return PL_OK;
}

/* One rule, or (mark) one mark: no tier, no sla, a note. */
static pl_status load_rule(struct pl__ld *l, const yaml_node_t *n, size_t idx, bool mark,
                           struct pl__rule *r)
{
    static const char *const keys[] = {"name", "tier", "sla",  "sla_from",
                                       "when", "any",  "note", NULL};
    static const char *const mark_keys[] = {"name", "when", "any", "note", NULL};
    const char *what = mark ? "mark" : "rule";
    const yaml_node_t *v;
    const char *s = "";

    r->line = (int)n->start_mark.line + 1;
    r->col = (int)n->start_mark.column + 1;
    r->tier = -1;
    if (snprintf(l->y.ctx, sizeof(l->y.ctx), "%s %zu: ", what, idx + 1) >= (int)sizeof(l->y.ctx))
        l->y.ctx[0] = '\0';
    if (pl_yaml_keys(&l->y, n, mark ? "a mark" : "a rule", mark ? mark_keys : keys) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "name")) == NULL)
        return pl__policy_ld_fail(l, n, "missing key 'name'");
    if (pl__policy_ld_name(l, v, mark ? "mark name" : "rule name", &r->name) != PL_OK)
        return PL_E_PARSE;
    if (snprintf(l->y.ctx, sizeof(l->y.ctx), "%s '%s': ", what, r->name) >= (int)sizeof(l->y.ctx))
        l->y.ctx[0] = '\0';
    if (!mark && (v = pl_yaml_get(&l->y, n, "tier")) == NULL)
        return pl__policy_ld_fail(l, n, "missing key 'tier'");
    if (!mark && pl__policy_ld_tier(l, v, &r->tier) != PL_OK)
        return PL_E_PARSE;
    if (!mark && (v = pl_yaml_get(&l->y, n, "sla")) &&
        pl__policy_ld_duration(l, v, "sla", &r->sla) != PL_OK)
        return PL_E_PARSE;
    if (!mark && (v = pl_yaml_get(&l->y, n, "sla_from"))) {
        if (pl_yaml_scalar(&l->y, v, "sla_from", 64, &s) != PL_OK)
            return PL_E_PARSE;
        if (strcmp(s, "fix_release") != 0 && strcmp(s, "first_seen") != 0)
            return pl__policy_ld_fail(l, v, "sla_from: '%s' is not first_seen or fix_release", s);
        if (r->sla == 0)
            return pl__policy_ld_fail(l, v, "sla_from needs an 'sla' on the rule");
        r->sla_from_fix = strcmp(s, "fix_release") == 0;
        s = "";
    }
    if ((v = pl_yaml_get(&l->y, n, "when"))) {
        r->has_when = true;
        if (load_group(l, v, "when", &r->when) != PL_OK)
            return PL_E_PARSE;
    }
    if ((v = pl_yaml_get(&l->y, n, "any")) && load_any(l, v, r) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "note"))) {
        if (pl_yaml_scalar(&l->y, v, "note", PL_MAX_POLICY_TEXT_BYTES, &s) != PL_OK)
            return PL_E_PARSE;
        r->note = pl_xstrdup(s);
    }
    if (!r->has_when && r->n_any == 0)
        return pl__policy_ld_fail(
            l, n, "no conditions: give 'when' or 'any' (use 'default' for the rest)");
    if (mark && r->note == NULL)
        return pl__policy_ld_fail(l, n, "missing key 'note' (what the mark tells)");
    return PL_OK;
}

/* The list under key `key` ("rules" or "marks") into *out / *n_out. */
static pl_status load_list(struct pl__ld *l, const yaml_node_t *seq, const char *key, bool mark,
                           struct pl__rule **out, size_t *n_out)
{
    size_t n;

    if (seq->type != YAML_SEQUENCE_NODE)
        return pl__policy_ld_fail(l, seq, "%s: want a list, not %s", key,
                                  seq->type == YAML_MAPPING_NODE ? "a mapping" : "a scalar");
    n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (n > PL_MAX_POLICY_RULES)
        return pl__policy_ld_fail(l, seq, "%s: more than %d %s", key, PL_MAX_POLICY_RULES, key);
    *out = pl_xcalloc(n ? n : 1, sizeof(**out));
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *r = pl_yaml_node(&l->y, seq->data.sequence.items.start[i]);

        *n_out = i + 1;
        if (load_rule(l, r, i, mark, &(*out)[i]) != PL_OK)
            return PL_E_PARSE;
        for (size_t j = 0; j < i; j++)
            if (strcmp((*out)[j].name, (*out)[i].name) == 0)
                return pl__policy_ld_fail(l, r, "duplicate %s name (first at line %d)",
                                          mark ? "mark" : "rule", (*out)[j].line);
    }
    l->y.ctx[0] = '\0';
    return PL_OK;
}

pl_status pl__policy_ld_rules(struct pl__ld *l, const yaml_node_t *seq)
{
    return load_list(l, seq, "rules", false, &l->p->rules, &l->p->n_rules);
}

pl_status pl__policy_ld_marks(struct pl__ld *l, const yaml_node_t *seq)
{
    return load_list(l, seq, "marks", true, &l->p->marks, &l->p->n_marks);
}

static void group_release(struct pl__group *g)
{
    for (size_t i = 0; i < g->n; i++) {
        for (size_t j = 0; j < g->conds[i].n_strs; j++)
            free(g->conds[i].strs[j]);
        free(g->conds[i].strs);
        free(g->conds[i].raw);
    }
    free(g->conds);
}

void pl__policy_rule_release(struct pl__rule *r)
{
    group_release(&r->when);
    for (size_t i = 0; i < r->n_any; i++)
        group_release(&r->any[i]);
    free(r->any);
    free(r->name);
    free(r->note);
}
