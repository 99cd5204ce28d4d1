/*
 * load.c - reading a policy from YAML: the document, the tiers, the
 * settings. Rules and conditions are in load_rules.c.
 *
 * The text is first scanned as events (syntax errors, aliases, nesting,
 * several documents are refused there with their marks), then loaded as a
 * document and walked. Every error names origin, line and column.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/parse.h"
#include "patchline/sha256.h"

#include "load_int.h"

pl_status pl__policy_ld_fail(struct pl__ld *l, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[PL_ERROR_MSG_BYTES];
    va_list ap;

    va_start(ap, fmt);
    if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
        msg[0] = '\0';
    va_end(ap);
    return pl_yaml_fail(&l->y, n, PL_E_PARSE, NULL, "%s", msg);
}

pl_status pl__policy_ld_name(struct pl__ld *l, const yaml_node_t *n, const char *what, char **out)
{
    const char *s = "";

    if (pl_yaml_scalar(&l->y, n, what, PL_MAX_POLICY_NAME_BYTES, &s) != PL_OK)
        return PL_E_PARSE;
    if (*s == '\0')
        return pl__policy_ld_fail(l, n, "%s: empty", what);
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_' || *c == '.'))
            return pl__policy_ld_fail(l, n, "%s '%.64s': use letters, digits, '-', '_' and '.'",
                                      what, s);
    *out = pl_xstrdup(s);
    return PL_OK;
}

pl_status pl__policy_ld_tier(struct pl__ld *l, const yaml_node_t *n, int *out)
{
    const char *s = "";
    int64_t v;

    if (pl_yaml_scalar(&l->y, n, "tier", 16, &s) != PL_OK)
        return PL_E_PARSE;
    if (pl_parse_i64(s, &v, NULL) != PL_OK)
        return pl__policy_ld_fail(l, n, "tier '%s': want a tier number", s);
    if (v < 0 || v >= l->p->n_tiers)
        return pl__policy_ld_fail(l, n, "tier %s is out of range (0-%d)", s, l->p->n_tiers - 1);
    *out = (int)v;
    return PL_OK;
}

pl_status pl__policy_ld_duration(struct pl__ld *l, const yaml_node_t *n, const char *what,
                                 int64_t *out)
{
    return pl_yaml_duration(&l->y, n, what, 1, INT64_MAX, out);
}

static pl_status text(struct pl__ld *l, const yaml_node_t *n, const char *what, char **out)
{
    const char *s = "";

    if (pl_yaml_scalar(&l->y, n, what, PL_MAX_POLICY_TEXT_BYTES, &s) != PL_OK)
        return PL_E_PARSE;
    free(*out);
    *out = pl_xstrdup(s);
    return PL_OK;
}

static pl_status load_tier(struct pl__ld *l, const yaml_node_t *n, int want)
{
    static const char *const keys[] = {"tier", "name", "sla", "max_exception", "note", NULL};
    struct pl__tier *t = &l->p->tiers[want];
    const yaml_node_t *v;
    const char *s = "";
    int64_t num;

    if (pl_yaml_keys(&l->y, n, "a tier", keys) != PL_OK)
        return PL_E_PARSE;
    if (pl_yaml_get(&l->y, n, "tier") == NULL || pl_yaml_get(&l->y, n, "name") == NULL ||
        pl_yaml_get(&l->y, n, "sla") == NULL)
        return pl__policy_ld_fail(l, n, "a tier needs 'tier', 'name' and 'sla'");
    v = pl_yaml_get(&l->y, n, "tier");
    if (pl_yaml_scalar(&l->y, v, "tier", 16, &s) != PL_OK)
        return PL_E_PARSE;
    if (pl_parse_i64(s, &num, NULL) != PL_OK || num != want)
        return pl__policy_ld_fail(l, v, "tier '%s': tiers are numbered 0, 1, ... in order; want %d",
                                  s, want);
    if (pl__policy_ld_name(l, pl_yaml_get(&l->y, n, "name"), "tier name", &t->name) != PL_OK ||
        pl__policy_ld_duration(l, pl_yaml_get(&l->y, n, "sla"), "sla", &t->sla) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "max_exception")) &&
        pl__policy_ld_duration(l, v, "max_exception", &t->max_exception) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "note")) && text(l, v, "note", &t->note) != PL_OK)
        return PL_E_PARSE;
    return PL_OK;
}

static pl_status load_tiers(struct pl__ld *l, const yaml_node_t *seq)
{
    size_t n;

    if (seq->type != YAML_SEQUENCE_NODE)
        return pl__policy_ld_fail(l, seq, "tiers: want a list, not %s", pl_yaml_kind(seq));
    n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (n == 0 || n > PL_MAX_POLICY_TIERS)
        return pl__policy_ld_fail(l, seq, "tiers: want 1 to %d tiers, not %zu", PL_MAX_POLICY_TIERS,
                                  n);
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *t = pl_yaml_node(&l->y, seq->data.sequence.items.start[i]);

        l->p->n_tiers = (int)i + 1; /* so that a failure frees what was set */
        if (load_tier(l, t, (int)i) != PL_OK)
            return PL_E_PARSE;
    }
    return PL_OK;
}

static pl_status load_bands(struct pl__ld *l, const yaml_node_t *map)
{
    struct pl_policy *p = l->p;

    if (map->type != YAML_MAPPING_NODE)
        return pl__policy_ld_fail(l, map,
                                  "vendor_severity_bands: want a mapping of severity: score");
    for (yaml_node_pair_t *a = map->data.mapping.pairs.start; a < map->data.mapping.pairs.top;
         a++) {
        const yaml_node_t *k = pl_yaml_node(&l->y, a->key);
        const yaml_node_t *v = pl_yaml_node(&l->y, a->value);
        const char *ks = "", *vs = "";
        double score;

        if (p->n_bands >= PL_MAX_POLICY_VALUES)
            return pl__policy_ld_fail(l, k, "vendor_severity_bands: more than %d entries",
                                      PL_MAX_POLICY_VALUES);
        if (pl_yaml_scalar(&l->y, k, "severity", PL_MAX_POLICY_NAME_BYTES, &ks) != PL_OK ||
            pl_yaml_scalar(&l->y, v, "band score", 32, &vs) != PL_OK)
            return PL_E_PARSE;
        if (pl_parse_double(vs, &score, NULL) != PL_OK || score < 0.0 || score > 10.0)
            return pl__policy_ld_fail(
                l, v, "vendor_severity_bands: '%s': want a score 0.0-10.0, not '%s'", ks, vs);
        for (size_t i = 0; i < p->n_bands; i++)
            if (pl_strcasecmp(p->bands[i].severity, ks) == 0)
                return pl__policy_ld_fail(l, k, "vendor_severity_bands: duplicate severity '%s'",
                                          ks);
        p->bands[p->n_bands].severity = pl_xstrdup(ks);
        p->bands[p->n_bands++].score = score;
    }
    return PL_OK;
}

static pl_status load_emergency(struct pl__ld *l, const yaml_node_t *seq)
{
    struct pl_policy *p = l->p;
    size_t n;

    if (seq->type != YAML_SEQUENCE_NODE)
        return pl__policy_ld_fail(l, seq, "vendor_emergency: want a list of severities");
    n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (n > PL_MAX_POLICY_VALUES)
        return pl__policy_ld_fail(l, seq, "vendor_emergency: more than %d values",
                                  PL_MAX_POLICY_VALUES);
    for (size_t i = 0; i < p->n_emergency; i++) /* replaces the built-in values */
        free(p->emergency[i]);
    p->n_emergency = 0;
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *v = pl_yaml_node(&l->y, seq->data.sequence.items.start[i]);
        const char *s = "";

        if (pl_yaml_scalar(&l->y, v, "vendor_emergency value", PL_MAX_POLICY_NAME_BYTES, &s) !=
            PL_OK)
            return PL_E_PARSE;
        p->emergency[p->n_emergency++] = pl_xstrdup(s);
    }
    return PL_OK;
}

static pl_status load_provisional(struct pl__ld *l, const yaml_node_t *n, bool *out)
{
    const yaml_node_t *v;
    const char *s = "";

    if ((v = pl_yaml_get(&l->y, n, "provisional"))) {
        if (pl_yaml_scalar(&l->y, v, "provisional", 16, &s) != PL_OK)
            return PL_E_PARSE;
        if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
            return pl__policy_ld_fail(l, v, "provisional: want true or false, not '%s'", s);
        *out = strcmp(s, "true") == 0;
    }
    return PL_OK;
}

/* settings.unknown_environment: what an unknown environment counts as (fail-safe: prod). */
static pl_status load_unknown_env(struct pl__ld *l, const yaml_node_t *n)
{
    static const char *const keys[] = {"treat_as", "provisional", NULL};
    const char *const *envs = pl__fields[F_ENVIRONMENT].values; /* by enum pl_env */
    const yaml_node_t *v;
    const char *s = "";
    size_t i;

    if (pl_yaml_keys(&l->y, n, "unknown_environment", keys) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "treat_as"))) {
        if (pl_yaml_scalar(&l->y, v, "treat_as", 16, &s) != PL_OK)
            return PL_E_PARSE;
        for (i = 0; envs[i] && strcmp(s, envs[i]) != 0; i++)
            ;
        if (envs[i] == NULL)
            return pl__policy_ld_fail(l, v,
                                      "treat_as: want prod, staging, dev or unknown, not '%s'", s);
        l->p->unknown_env_as = (enum pl_env)i;
    }
    return load_provisional(l, n, &l->p->unknown_env_provisional);
}

static pl_status load_unknown_exposure(struct pl__ld *l, const yaml_node_t *n)
{
    static const char *const keys[] = {"treat_as", "provisional", NULL};
    const yaml_node_t *v;
    const char *s = "";

    if (pl_yaml_keys(&l->y, n, "unknown_exposure", keys) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "treat_as"))) {
        if (pl_yaml_scalar(&l->y, v, "treat_as", 16, &s) != PL_OK)
            return PL_E_PARSE;
        if (strcmp(s, "yes") == 0)
            l->p->unknown_exposure_as = PL_TRI_YES;
        else if (strcmp(s, "no") == 0)
            l->p->unknown_exposure_as = PL_TRI_NO;
        else if (strcmp(s, "unknown") == 0)
            l->p->unknown_exposure_as = PL_TRI_UNKNOWN;
        else
            return pl__policy_ld_fail(l, v, "treat_as: want yes, no or unknown, not '%s'", s);
    }
    return load_provisional(l, n, &l->p->unknown_exposure_provisional);
}

static pl_status load_settings(struct pl__ld *l, const yaml_node_t *n)
{
    static const char *const keys[] = {"unknown_exposure",
                                       "unknown_environment",
                                       "unscored_due",
                                       "vendor_severity_bands",
                                       "vendor_emergency",
                                       "max_exception",
                                       NULL};
    const yaml_node_t *v;

    if (pl_yaml_keys(&l->y, n, "settings", keys) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "unknown_exposure")) && load_unknown_exposure(l, v) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "unknown_environment")) && load_unknown_env(l, v) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "unscored_due")) &&
        pl__policy_ld_duration(l, v, "unscored_due", &l->p->unscored_due) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "max_exception")) &&
        pl__policy_ld_duration(l, v, "max_exception", &l->p->max_exception) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "vendor_severity_bands"))) {
        for (size_t i = 0; i < l->p->n_bands; i++) /* replaces the built-in bands */
            free(l->p->bands[i].severity);
        l->p->n_bands = 0;
        if (load_bands(l, v) != PL_OK)
            return PL_E_PARSE;
    }
    if ((v = pl_yaml_get(&l->y, n, "vendor_emergency")) && load_emergency(l, v) != PL_OK)
        return PL_E_PARSE;
    return PL_OK;
}

static pl_status load_default(struct pl__ld *l, const yaml_node_t *n)
{
    static const char *const keys[] = {"tier", "note", NULL};
    const yaml_node_t *v;

    if (pl_yaml_keys(&l->y, n, "default", keys) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "tier")) &&
        pl__policy_ld_tier(l, v, &l->p->default_tier) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, n, "note")) && text(l, v, "note", &l->p->default_note) != PL_OK)
        return PL_E_PARSE;
    return PL_OK;
}

/* Defaults for what a policy file may leave out (docs/policy.md, "settings"). */
static void set_defaults(struct pl_policy *p)
{
    static const struct {
        const char *sev;
        double score;
    } bands[] = {{"critical", 9.0}, {"emergency", 9.0}, {"high", 7.0}, {"important", 7.0},
                 {"medium", 4.0},   {"moderate", 4.0},  {"low", 0.1},  {"unimportant", 0.1}};

    p->unknown_exposure_as = PL_TRI_YES;
    p->unknown_exposure_provisional = true;
    p->unknown_env_as = PL_ENV_PROD;
    p->unknown_env_provisional = true;
    p->unscored_due = (int64_t)90 * 86400;
    p->max_exception = (int64_t)90 * 86400;
    for (size_t i = 0; i < PL_ARRAY_LEN(bands); i++) {
        p->bands[i].severity = pl_xstrdup(bands[i].sev);
        p->bands[i].score = bands[i].score;
    }
    p->n_bands = PL_ARRAY_LEN(bands);
    p->emergency[p->n_emergency++] = pl_xstrdup("critical");
    p->emergency[p->n_emergency++] = pl_xstrdup("emergency");
}

static pl_status load_root(struct pl__ld *l, const yaml_node_t *root)
{
    static const char *const keys[] = {"policy", "description", "tiers",   "settings",
                                       "rules",  "marks",       "default", NULL};
    struct pl_policy *p = l->p;
    const yaml_node_t *v;

    if (pl_yaml_keys(&l->y, root, "the policy", keys) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, root, "policy")) == NULL)
        return pl__policy_ld_fail(l, root, "missing key 'policy' (the policy's name)");
    if (pl__policy_ld_name(l, v, "policy name", &p->name) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, root, "description")) && text(l, v, "description", &p->description))
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, root, "tiers")) == NULL)
        return pl__policy_ld_fail(l, root, "missing key 'tiers'");
    if (load_tiers(l, v) != PL_OK)
        return PL_E_PARSE;
    p->default_tier = p->n_tiers - 1;
    for (int i = 0; i < p->n_tiers; i++)
        if (p->tiers[i].max_exception == 0)
            p->tiers[i].max_exception = -1; /* filled from settings below */
    if ((v = pl_yaml_get(&l->y, root, "settings")) && load_settings(l, v) != PL_OK)
        return PL_E_PARSE;
    for (int i = 0; i < p->n_tiers; i++)
        if (p->tiers[i].max_exception < 0)
            p->tiers[i].max_exception = p->max_exception;
    if ((v = pl_yaml_get(&l->y, root, "default")) && load_default(l, v) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, root, "rules")) == NULL)
        return pl__policy_ld_fail(l, root, "missing key 'rules'");
    if (pl__policy_ld_rules(l, v) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl_yaml_get(&l->y, root, "marks")) && pl__policy_ld_marks(l, v) != PL_OK)
        return PL_E_PARSE;
    return PL_OK;
}

/*
 * The digest of the effective policy: the SHA-256 of its rendered YAML
 * without the first line (the "# effective policy from ORIGIN" comment), so
 * that the same policy read from another file, or back from the store, has
 * the same digest (pl_policy_digest).
 */
static void set_digest(struct pl_policy *p)
{
    struct pl_buf yaml = PL_BUF_INIT(0);
    struct pl_sha256 h;
    const char *text, *body;

    pl_policy_render_yaml(p, &yaml);
    text = pl_buf_cstr(&yaml);
    body = strchr(text, '\n');
    body = body ? body + 1 : text;
    pl_sha256_init(&h);
    pl_sha256_update(&h, body, yaml.len - (size_t)(body - text));
    pl_sha256_hex(&h, p->digest);
    pl_buf_release(&yaml);
}

pl_status pl_policy_parse(const char *origin, const char *text, size_t len, struct pl_policy **out,
                          struct pl_error *err)
{
    struct pl__ld l;
    pl_status rc;

    if (len > PL_MAX_POLICY_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "%s: policy is larger than %zu bytes", origin,
                            PL_MAX_POLICY_BYTES);
    if ((rc = pl_yaml_load(&l.y, origin, "policy", text, len, PL_MAX_POLICY_DEPTH, err)) != PL_OK)
        return rc;
    l.p = pl_xcalloc(1, sizeof(*l.p));
    l.p->origin = pl_xstrdup(origin);
    set_defaults(l.p);
    rc = load_root(&l, pl_yaml_root(&l.y));
    pl_yaml_free(&l.y);
    if (rc != PL_OK) {
        pl_policy_free(l.p);
        return rc;
    }
    set_digest(l.p);
    *out = l.p;
    return PL_OK;
}

pl_status pl_policy_load_file(const char *path, struct pl_policy **out, struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(PL_MAX_POLICY_BYTES + 2);
    pl_status rc = pl_file_read(path, PL_MAX_POLICY_BYTES + 2, &b, err);

    if (rc == PL_E_TOOBIG)
        rc = pl_error_set(err, PL_E_TOOBIG, "%s: policy is larger than %zu bytes", path,
                          PL_MAX_POLICY_BYTES);
    if (rc == PL_OK)
        rc = pl_policy_parse(path, pl_buf_cstr(&b), b.len, out, err);
    pl_buf_release(&b);
    return rc;
}

void pl_policy_free(struct pl_policy *p)
{
    if (p == NULL)
        return;
    for (int i = 0; i < p->n_tiers; i++) {
        free(p->tiers[i].name);
        free(p->tiers[i].note);
    }
    for (size_t i = 0; i < p->n_rules; i++)
        pl__policy_rule_release(&p->rules[i]);
    free(p->rules);
    for (size_t i = 0; i < p->n_marks; i++)
        pl__policy_rule_release(&p->marks[i]);
    free(p->marks);
    for (size_t i = 0; i < p->n_bands; i++)
        free(p->bands[i].severity);
    for (size_t i = 0; i < p->n_emergency; i++)
        free(p->emergency[i]);
    free(p->default_note);
    free(p->description);
    free(p->name);
    free(p->origin);
    free(p);
}
