/*
 * yaml.c - the one YAML access layer (yaml.h): load under caps, then typed
 * reads with "FILE:LINE:COLUMN: CONTEXT WHERE: message" errors. Policy and
 * plan files both go through it.
 */
#include "patchline/yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/parse.h"

#define SUGGEST_MAX_BYTES 64

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
                              const yaml_parser_t *p, struct pl_error *err)
{
    size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;

    if (p->error == YAML_READER_ERROR)
        offset_mark(text, len, p->problem_offset, &line, &col);
    if (p->error == YAML_MEMORY_ERROR)
        return pl_error_set(err, PL_E_NOMEM, "%s: out of memory reading YAML", origin);
    return pl_error_set(err, PL_E_PARSE, "%s:%zu:%zu: YAML syntax error: %s%s%s", origin, line, col,
                        p->problem ? p->problem : "malformed YAML", p->context ? " " : "",
                        p->context ? p->context : "");
}

/* The event pass: syntax, aliases, depth, one document. */
static pl_status prescan(const char *origin, const char *kind, const char *text, size_t len,
                         int max_depth, struct pl_error *err)
{
    yaml_parser_t p;
    yaml_event_t ev;
    pl_status rc = PL_OK;
    int depth = 0, docs = 0;

    if (!yaml_parser_initialize(&p))
        return pl_error_set(err, PL_E_NOMEM, "%s: out of memory reading YAML", origin);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    for (bool done = false; !done && rc == PL_OK;) {
        if (!yaml_parser_parse(&p, &ev)) {
            rc = syntax_error(origin, text, len, &p, err);
            break;
        }
        if (ev.type == YAML_STREAM_END_EVENT)
            done = true;
        else if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1)
            rc = pl_error_set(err, PL_E_PARSE, "%s:%zu:%zu: a %s is one YAML document", origin,
                              ev.start_mark.line + 1, ev.start_mark.column + 1, kind);
        else if (ev.type == YAML_ALIAS_EVENT)
            rc = pl_error_set(err, PL_E_PARSE, "%s:%zu:%zu: YAML aliases are not supported", origin,
                              ev.start_mark.line + 1, ev.start_mark.column + 1);
        else if ((ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT) &&
                 ++depth > max_depth)
            rc = pl_error_set(err, PL_E_PARSE, "%s:%zu:%zu: nested deeper than %d levels", origin,
                              ev.start_mark.line + 1, ev.start_mark.column + 1, max_depth);
        else if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT)
            depth--;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    if (rc == PL_OK && docs == 0)
        rc = pl_error_set(err, PL_E_PARSE, "%s:1:1: empty %s", origin, kind);
    return rc;
}

pl_status pl_yaml_load(struct pl_yaml *y, const char *origin, const char *kind, const char *text,
                       size_t len, int max_depth, struct pl_error *err)
{
    yaml_parser_t p;
    pl_status rc;

    memset(y, 0, sizeof(*y));
    y->origin = origin;
    y->err = err;
    if ((rc = prescan(origin, kind, text, len, max_depth, err)) != PL_OK)
        return rc;
    if (!yaml_parser_initialize(&p))
        return pl_error_set(err, PL_E_NOMEM, "%s: out of memory reading YAML", origin);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (!yaml_parser_load(&p, &y->doc)) {
        rc = syntax_error(origin, text, len, &p, err);
        yaml_parser_delete(&p);
        return rc;
    }
    yaml_parser_delete(&p);
    y->loaded = true;
    if (yaml_document_get_root_node(&y->doc) == NULL) {
        pl_yaml_free(y);
        return pl_error_set(err, PL_E_PARSE, "%s:1:1: empty %s", origin, kind);
    }
    return PL_OK;
}

void pl_yaml_free(struct pl_yaml *y)
{
    if (y->loaded)
        yaml_document_delete(&y->doc);
    y->loaded = false;
}

yaml_node_t *pl_yaml_root(struct pl_yaml *y)
{
    return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *pl_yaml_node(struct pl_yaml *y, int idx)
{
    return idx > 0 ? yaml_document_get_node(&y->doc, idx) : NULL;
}

const char *pl_yaml_kind(const yaml_node_t *n)
{
    return n == NULL                       ? "nothing"
           : n->type == YAML_MAPPING_NODE  ? "a mapping"
           : n->type == YAML_SEQUENCE_NODE ? "a list"
                                           : "a scalar";
}

pl_status pl_yaml_fail(struct pl_yaml *y, const yaml_node_t *n, pl_status code, const char *where,
                       const char *fmt, ...)
{
    struct pl_buf b = PL_BUF_INIT(PL_ERROR_MSG_BYTES);
    va_list ap;

    if (n)
        pl_buf_addf(&b, "%s:%zu:%zu: ", y->origin, n->start_mark.line + 1,
                    n->start_mark.column + 1);
    else
        pl_buf_addf(&b, "%s: ", y->origin);
    pl_buf_addf(&b, "%s", y->ctx);
    if (where && *where)
        pl_buf_addf(&b, "%s: ", where);
    va_start(ap, fmt);
    pl_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    /* a message longer than the error struct is cut there, not lost */
    pl_error_set(y->err, code, "%s", b.buf ? b.buf : "");
    pl_buf_release(&b);
    return code;
}

static const char *scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

yaml_node_t *pl_yaml_get(struct pl_yaml *y, const yaml_node_t *m, const char *key)
{
    if (m == NULL || m->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = pl_yaml_node(y, p->key);

        if (k && k->type == YAML_SCALAR_NODE && strcmp(scalar(k), key) == 0)
            return pl_yaml_node(y, p->value);
    }
    return NULL;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[SUGGEST_MAX_BYTES + 1];

    if (la > SUGGEST_MAX_BYTES || lb > SUGGEST_MAX_BYTES)
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

const char *pl_yaml_suggest(const char *s, const char *const *candidates)
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

static pl_status unknown_key(struct pl_yaml *y, const yaml_node_t *k, const char *what,
                             const char *const *allowed)
{
    struct pl_buf list = PL_BUF_INIT(PL_ERROR_MSG_BYTES);
    const char *hint = pl_yaml_suggest(scalar(k), allowed);
    pl_status rc;

    if (hint)
        return pl_yaml_fail(y, k, PL_E_PARSE, NULL, "unknown key '%.64s' in %s; did you mean '%s'?",
                            scalar(k), what, hint);
    for (size_t i = 0; allowed[i]; i++)
        pl_buf_addf(&list, "%s%s", i ? ", " : "", allowed[i]);
    rc = pl_yaml_fail(y, k, PL_E_PARSE, NULL, "unknown key '%.64s' in %s (known: %s)", scalar(k),
                      what, pl_buf_cstr(&list));
    pl_buf_release(&list);
    return rc;
}

pl_status pl_yaml_keys(struct pl_yaml *y, const yaml_node_t *m, const char *what,
                       const char *const *allowed)
{
    if (m == NULL || m->type != YAML_MAPPING_NODE)
        return pl_yaml_fail(y, m, PL_E_PARSE, what, "want a mapping, not %s", pl_yaml_kind(m));
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = pl_yaml_node(y, p->key);
        size_t i;

        if (k == NULL || k->type != YAML_SCALAR_NODE)
            return pl_yaml_fail(y, k, PL_E_PARSE, what, "a key must be a plain name, not %s",
                                pl_yaml_kind(k));
        for (i = 0; allowed[i] && strcmp(allowed[i], scalar(k)) != 0; i++)
            ;
        if (allowed[i] == NULL)
            return unknown_key(y, k, what, allowed);
        for (yaml_node_pair_t *q = m->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *k2 = pl_yaml_node(y, q->key);

            if (k2 && k2->type == YAML_SCALAR_NODE && strcmp(scalar(k2), scalar(k)) == 0)
                return pl_yaml_fail(y, k, PL_E_PARSE, NULL, "duplicate key '%.64s' in %s",
                                    scalar(k), what);
        }
    }
    return PL_OK;
}

pl_status pl_yaml_scalar(struct pl_yaml *y, const yaml_node_t *n, const char *where, size_t cap,
                         const char **s)
{
    if (n == NULL)
        return pl_yaml_fail(y, NULL, PL_E_PARSE, where, "missing");
    if (n->type != YAML_SCALAR_NODE)
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "want a scalar, not %s", pl_yaml_kind(n));
    if (n->data.scalar.length > cap)
        return pl_yaml_fail(y, n, PL_E_TOOBIG, where, "longer than %zu bytes", cap);
    if (strlen(scalar(n)) != n->data.scalar.length)
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "value holds a NUL byte");
    *s = scalar(n);
    return PL_OK;
}

pl_status pl_yaml_str(struct pl_yaml *y, const yaml_node_t *n, const char *where, size_t cap,
                      char **out)
{
    const char *s = "";
    pl_status rc = pl_yaml_scalar(y, n, where, cap, &s);

    if (rc == PL_OK)
        *out = pl_xstrdup(s);
    return rc;
}

pl_status pl_yaml_int(struct pl_yaml *y, const yaml_node_t *n, const char *where, int64_t min,
                      int64_t max, int64_t *out)
{
    const char *s = "";
    int64_t v;
    pl_status rc = pl_yaml_scalar(y, n, where, 32, &s);

    if (rc != PL_OK)
        return rc;
    if (pl_parse_i64(s, &v, NULL) != PL_OK || v < min || v > max)
        return pl_yaml_fail(y, n, PL_E_PARSE, where,
                            "want a whole number from %lld to %lld, not '%.64s'", (long long)min,
                            (long long)max, s);
    *out = v;
    return PL_OK;
}

pl_status pl_yaml_bool(struct pl_yaml *y, const yaml_node_t *n, const char *where, bool *out)
{
    const char *s = "";
    pl_status rc = pl_yaml_scalar(y, n, where, 16, &s);

    if (rc != PL_OK)
        return rc;
    if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0) {
        *out = true;
        return PL_OK;
    }
    if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0) {
        *out = false;
        return PL_OK;
    }
    return pl_yaml_fail(y, n, PL_E_PARSE, where, "want true or false, not '%.64s'", s);
}

pl_status pl_yaml_duration(struct pl_yaml *y, const yaml_node_t *n, const char *where, int64_t min,
                           int64_t max, int64_t *out)
{
    struct pl_error e = PL_ERROR_INIT;
    const char *s = "";
    int64_t v = 0;
    pl_status rc = pl_yaml_scalar(y, n, where, 32, &s);

    if (rc != PL_OK)
        return rc;
    if (strcmp(s, "0") != 0 && pl_duration_parse(s, &v, &e) != PL_OK)
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "%s", e.msg);
    if (v < min)
        return min <= 1 ? pl_yaml_fail(y, n, PL_E_PARSE, where, "must be longer than 0s")
                        : pl_yaml_fail(y, n, PL_E_PARSE, where, "'%s' is shorter than %lld seconds",
                                       s, (long long)min);
    if (v > max)
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "'%s' is longer than %lld days", s,
                            (long long)(max / 86400));
    *out = v;
    return PL_OK;
}

pl_status pl_yaml_percent(struct pl_yaml *y, const yaml_node_t *n, const char *where, double *out)
{
    char num[32];
    const char *s = "";
    size_t len;
    double v;
    pl_status rc = pl_yaml_scalar(y, n, where, sizeof(num), &s);

    if (rc != PL_OK)
        return rc;
    len = strlen(s);
    if (len < 2 || len >= sizeof(num) || s[len - 1] != '%')
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "want a percentage such as 5%%, not '%.64s'",
                            s);
    memcpy(num, s, len - 1);
    num[len - 1] = '\0';
    if (pl_parse_double(num, &v, NULL) != PL_OK || v < 0 || v > 100)
        return pl_yaml_fail(y, n, PL_E_PARSE, where,
                            "want a percentage from 0%% to 100%%, not '%s'", s);
    *out = v / 100.0;
    return PL_OK;
}

pl_status pl_yaml_strv(struct pl_yaml *y, const yaml_node_t *n, const char *where, size_t max_items,
                       size_t cap, char ***out, size_t *n_out)
{
    char **v;
    size_t count, got = 0;
    pl_status rc = PL_OK;

    if (n == NULL || n->type != YAML_SEQUENCE_NODE)
        return pl_yaml_fail(y, n, PL_E_PARSE, where, "want a list such as [a, b], not %s",
                            pl_yaml_kind(n));
    count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count > max_items)
        return pl_yaml_fail(y, n, PL_E_TOOBIG, where, "%zu entries over the limit of %zu", count,
                            max_items);
    v = pl_xcalloc(count ? count : 1, sizeof(*v));
    for (size_t i = 0; i < count && rc == PL_OK; i++) {
        yaml_node_t *item = pl_yaml_node(y, n->data.sequence.items.start[i]);

        rc = pl_yaml_str(y, item, where, cap, &v[i]);
        if (rc == PL_OK && v[got++][0] == '\0')
            rc = pl_yaml_fail(y, item, PL_E_PARSE, where, "entry %zu is empty", i + 1);
    }
    if (rc != PL_OK) {
        for (size_t i = 0; i < got; i++)
            free(v[i]);
        free(v);
        return rc;
    }
    *out = v;
    *n_out = count;
    return PL_OK;
}
