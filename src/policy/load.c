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
    return pl_error_set(l->err, PL_E_PARSE, "%s:%zu:%zu: %s%s", l->origin,
                        n ? n->start_mark.line + 1 : 1, n ? n->start_mark.column + 1 : 1, l->ctx,
                        msg);
}

static const char *node_kind(const yaml_node_t *n)
{
    return n->type == YAML_MAPPING_NODE    ? "a mapping"
           : n->type == YAML_SEQUENCE_NODE ? "a list"
                                           : "a scalar";
}

pl_status pl__policy_ld_scalar(struct pl__ld *l, const yaml_node_t *n, const char *what, size_t cap,
                               const char **s)
{
    if (n == NULL)
        return pl__policy_ld_fail(l, NULL, "%s: missing", what);
    if (n->type != YAML_SCALAR_NODE)
        return pl__policy_ld_fail(l, n, "%s: want a scalar, not %s", what, node_kind(n));
    if (n->data.scalar.length > cap)
        return pl__policy_ld_fail(l, n, "%s: longer than %zu bytes", what, cap);
    *s = (const char *)n->data.scalar.value;
    return PL_OK;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[PL_MAX_POLICY_NAME_BYTES + 1];

    if (la > PL_MAX_POLICY_NAME_BYTES || lb > PL_MAX_POLICY_NAME_BYTES)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

const char *pl__policy_ld_suggest(const char *s, const char *const *candidates)
{
    const char *best = NULL;
    size_t best_d = 3;

    for (; *candidates; candidates++) {
        size_t d = edit_distance(s, *candidates);

        if (d < best_d) {
            best_d = d;
            best = *candidates;
        }
    }
    return best;
}

pl_status pl__policy_ld_keys(struct pl__ld *l, const yaml_node_t *map, const char *what,
                             const char *const *keys)
{
    const yaml_node_pair_t *a, *b;

    if (map->type != YAML_MAPPING_NODE)
        return pl__policy_ld_fail(l, map, "%s: want a mapping, not %s", what, node_kind(map));
    for (a = map->data.mapping.pairs.start; a < map->data.mapping.pairs.top; a++) {
        const yaml_node_t *k = yaml_document_get_node(l->doc, a->key);
        const char *s = "", *hint;
        size_t i;

        if (pl__policy_ld_scalar(l, k, "key", PL_MAX_POLICY_NAME_BYTES, &s) != PL_OK)
            return PL_E_PARSE;
        for (i = 0; keys[i] && strcmp(keys[i], s) != 0; i++)
            ;
        if (keys[i] == NULL) {
            hint = pl__policy_ld_suggest(s, keys);
            return hint ? pl__policy_ld_fail(l, k, "unknown key '%s' in %s; did you mean '%s'?", s,
                                             what, hint)
                        : pl__policy_ld_fail(l, k, "unknown key '%s' in %s", s, what);
        }
        for (b = map->data.mapping.pairs.start; b < a; b++) {
            const yaml_node_t *kb = yaml_document_get_node(l->doc, b->key);

            if (strcmp((const char *)kb->data.scalar.value, s) == 0)
                return pl__policy_ld_fail(l, k, "duplicate key '%s' in %s", s, what);
        }
    }
    return PL_OK;
}

yaml_node_t *pl__policy_ld_get(struct pl__ld *l, const yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *a = map->data.mapping.pairs.start; a < map->data.mapping.pairs.top;
         a++) {
        yaml_node_t *k = yaml_document_get_node(l->doc, a->key);

        if (k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(l->doc, a->value);
    }
    return NULL;
}

pl_status pl__policy_ld_name(struct pl__ld *l, const yaml_node_t *n, const char *what, char **out)
{
    const char *s = "";

    if (pl__policy_ld_scalar(l, n, what, PL_MAX_POLICY_NAME_BYTES, &s) != PL_OK)
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

    if (pl__policy_ld_scalar(l, n, "tier", 16, &s) != PL_OK)
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
    struct pl_error e = PL_ERROR_INIT;
    const char *s = "";

    if (pl__policy_ld_scalar(l, n, what, 32, &s) != PL_OK)
        return PL_E_PARSE;
    if (pl_duration_parse(s, out, &e) != PL_OK)
        return pl__policy_ld_fail(l, n, "%s: %s", what, e.msg);
    if (*out <= 0)
        return pl__policy_ld_fail(l, n, "%s: must be longer than 0s", what);
    return PL_OK;
}

static pl_status text(struct pl__ld *l, const yaml_node_t *n, const char *what, char **out)
{
    const char *s = "";

    if (pl__policy_ld_scalar(l, n, what, PL_MAX_POLICY_TEXT_BYTES, &s) != PL_OK)
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

    if (pl__policy_ld_keys(l, n, "a tier", keys) != PL_OK)
        return PL_E_PARSE;
    if (pl__policy_ld_get(l, n, "tier") == NULL || pl__policy_ld_get(l, n, "name") == NULL ||
        pl__policy_ld_get(l, n, "sla") == NULL)
        return pl__policy_ld_fail(l, n, "a tier needs 'tier', 'name' and 'sla'");
    v = pl__policy_ld_get(l, n, "tier");
    if (pl__policy_ld_scalar(l, v, "tier", 16, &s) != PL_OK)
        return PL_E_PARSE;
    if (pl_parse_i64(s, &num, NULL) != PL_OK || num != want)
        return pl__policy_ld_fail(l, v, "tier '%s': tiers are numbered 0, 1, ... in order; want %d",
                                  s, want);
    if (pl__policy_ld_name(l, pl__policy_ld_get(l, n, "name"), "tier name", &t->name) != PL_OK ||
        pl__policy_ld_duration(l, pl__policy_ld_get(l, n, "sla"), "sla", &t->sla) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, n, "max_exception")) &&
        pl__policy_ld_duration(l, v, "max_exception", &t->max_exception) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, n, "note")) && text(l, v, "note", &t->note) != PL_OK)
        return PL_E_PARSE;
    return PL_OK;
}

static pl_status load_tiers(struct pl__ld *l, const yaml_node_t *seq)
{
    size_t n;

    if (seq->type != YAML_SEQUENCE_NODE)
        return pl__policy_ld_fail(l, seq, "tiers: want a list, not %s", node_kind(seq));
    n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (n == 0 || n > PL_MAX_POLICY_TIERS)
        return pl__policy_ld_fail(l, seq, "tiers: want 1 to %d tiers, not %zu", PL_MAX_POLICY_TIERS,
                                  n);
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *t = yaml_document_get_node(l->doc, seq->data.sequence.items.start[i]);

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
        const yaml_node_t *k = yaml_document_get_node(l->doc, a->key);
        const yaml_node_t *v = yaml_document_get_node(l->doc, a->value);
        const char *ks = "", *vs = "";
        double score;

        if (p->n_bands >= PL_MAX_POLICY_VALUES)
            return pl__policy_ld_fail(l, k, "vendor_severity_bands: more than %d entries",
                                      PL_MAX_POLICY_VALUES);
        if (pl__policy_ld_scalar(l, k, "severity", PL_MAX_POLICY_NAME_BYTES, &ks) != PL_OK ||
            pl__policy_ld_scalar(l, v, "band score", 32, &vs) != PL_OK)
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
        const yaml_node_t *v = yaml_document_get_node(l->doc, seq->data.sequence.items.start[i]);
        const char *s = "";

        if (pl__policy_ld_scalar(l, v, "vendor_emergency value", PL_MAX_POLICY_NAME_BYTES, &s) !=
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

    if ((v = pl__policy_ld_get(l, n, "provisional"))) {
        if (pl__policy_ld_scalar(l, v, "provisional", 16, &s) != PL_OK)
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

    if (pl__policy_ld_keys(l, n, "unknown_environment", keys) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, n, "treat_as"))) {
        if (pl__policy_ld_scalar(l, v, "treat_as", 16, &s) != PL_OK)
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

    if (pl__policy_ld_keys(l, n, "unknown_exposure", keys) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, n, "treat_as"))) {
        if (pl__policy_ld_scalar(l, v, "treat_as", 16, &s) != PL_OK)
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

    if (pl__policy_ld_keys(l, n, "settings", keys) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, n, "unknown_exposure")) && load_unknown_exposure(l, v) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, n, "unknown_environment")) && load_unknown_env(l, v) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, n, "unscored_due")) &&
        pl__policy_ld_duration(l, v, "unscored_due", &l->p->unscored_due) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, n, "max_exception")) &&
        pl__policy_ld_duration(l, v, "max_exception", &l->p->max_exception) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, n, "vendor_severity_bands"))) {
        for (size_t i = 0; i < l->p->n_bands; i++) /* replaces the built-in bands */
            free(l->p->bands[i].severity);
        l->p->n_bands = 0;
        if (load_bands(l, v) != PL_OK)
            return PL_E_PARSE;
    }
    if ((v = pl__policy_ld_get(l, n, "vendor_emergency")) && load_emergency(l, v) != PL_OK)
        return PL_E_PARSE;
    return PL_OK;
}

static pl_status load_default(struct pl__ld *l, const yaml_node_t *n)
{
    static const char *const keys[] = {"tier", "note", NULL};
    const yaml_node_t *v;

    if (pl__policy_ld_keys(l, n, "default", keys) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, n, "tier")) &&
        pl__policy_ld_tier(l, v, &l->p->default_tier) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, n, "note")) && text(l, v, "note", &l->p->default_note) != PL_OK)
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
    static const char *const keys[] = {"policy", "description", "tiers", "settings",
                                       "rules",  "default",     NULL};
    struct pl_policy *p = l->p;
    const yaml_node_t *v;

    if (pl__policy_ld_keys(l, root, "the policy", keys) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, root, "policy")) == NULL)
        return pl__policy_ld_fail(l, root, "missing key 'policy' (the policy's name)");
    if (pl__policy_ld_name(l, v, "policy name", &p->name) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, root, "description")) &&
        text(l, v, "description", &p->description))
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, root, "tiers")) == NULL)
        return pl__policy_ld_fail(l, root, "missing key 'tiers'");
    if (load_tiers(l, v) != PL_OK)
        return PL_E_PARSE;
    p->default_tier = p->n_tiers - 1;
    for (int i = 0; i < p->n_tiers; i++)
        if (p->tiers[i].max_exception == 0)
            p->tiers[i].max_exception = -1; /* filled from settings below */
    if ((v = pl__policy_ld_get(l, root, "settings")) && load_settings(l, v) != PL_OK)
        return PL_E_PARSE;
    for (int i = 0; i < p->n_tiers; i++)
        if (p->tiers[i].max_exception < 0)
            p->tiers[i].max_exception = p->max_exception;
    if ((v = pl__policy_ld_get(l, root, "default")) && load_default(l, v) != PL_OK)
        return PL_E_PARSE;
    if ((v = pl__policy_ld_get(l, root, "rules")) == NULL)
        return pl__policy_ld_fail(l, root, "missing key 'rules'");
    return pl__policy_ld_rules(l, v);
}

/* Line and column (1-based) of a byte offset, for reader errors that carry no mark. */
static void offset_mark(const char *text, size_t len, size_t off, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
    }
}

static pl_status syntax_error(const char *origin, const char *text, size_t len,
                              const yaml_parser_t *y, struct pl_error *err)
{
    size_t line = y->problem_mark.line + 1, col = y->problem_mark.column + 1;

    if (y->error == YAML_READER_ERROR)
        offset_mark(text, len, y->problem_offset, &line, &col);
    return pl_error_set(err, PL_E_PARSE, "%s:%zu:%zu: YAML syntax error: %s%s%s", origin, line, col,
                        y->problem ? y->problem : "malformed YAML", y->context ? " " : "",
                        y->context ? y->context : "");
}

/* The event pass: syntax, aliases, depth, one document. */
static pl_status prescan(const char *origin, const char *text, size_t len, struct pl_error *err)
{
    yaml_parser_t y;
    yaml_event_t ev;
    pl_status rc = PL_OK;
    int depth = 0, docs = 0;

    yaml_parser_initialize(&y);
    yaml_parser_set_input_string(&y, (const unsigned char *)text, len);
    for (bool done = false; !done && rc == PL_OK;) {
        if (!yaml_parser_parse(&y, &ev)) {
            rc = syntax_error(origin, text, len, &y, err);
            break;
        }
        if (ev.type == YAML_STREAM_END_EVENT)
            done = true;
        else if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1)
            rc = pl_error_set(err, PL_E_PARSE, "%s:%zu:%zu: a policy is one YAML document", origin,
                              ev.start_mark.line + 1, ev.start_mark.column + 1);
        else if (ev.type == YAML_ALIAS_EVENT)
            rc = pl_error_set(err, PL_E_PARSE, "%s:%zu:%zu: YAML aliases are not supported", origin,
                              ev.start_mark.line + 1, ev.start_mark.column + 1);
        else if ((ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT) &&
                 ++depth > PL_MAX_POLICY_DEPTH)
            rc =
                pl_error_set(err, PL_E_PARSE, "%s:%zu:%zu: nested deeper than %d levels", origin,
                             ev.start_mark.line + 1, ev.start_mark.column + 1, PL_MAX_POLICY_DEPTH);
        else if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT)
            depth--;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&y);
    if (rc == PL_OK && docs == 0)
        rc = pl_error_set(err, PL_E_PARSE, "%s:1:1: empty policy", origin);
    return rc;
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
    struct pl__ld l = {origin, NULL, NULL, err, ""};
    yaml_document_t doc;
    yaml_parser_t y;
    yaml_node_t *root;
    pl_status rc;

    if (len > PL_MAX_POLICY_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "%s: policy is larger than %zu bytes", origin,
                            PL_MAX_POLICY_BYTES);
    if ((rc = prescan(origin, text, len, err)) != PL_OK)
        return rc;
    yaml_parser_initialize(&y);
    yaml_parser_set_input_string(&y, (const unsigned char *)text, len);
    if (!yaml_parser_load(&y, &doc)) {
        rc = syntax_error(origin, text, len, &y, err);
        yaml_parser_delete(&y);
        return rc;
    }
    yaml_parser_delete(&y);
    l.doc = &doc;
    l.p = pl_xcalloc(1, sizeof(*l.p));
    l.p->origin = pl_xstrdup(origin);
    set_defaults(l.p);
    root = yaml_document_get_root_node(&doc);
    if (root == NULL)
        rc = pl_error_set(err, PL_E_PARSE, "%s:1:1: empty policy", origin);
    else
        rc = load_root(&l, root);
    yaml_document_delete(&doc);
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
