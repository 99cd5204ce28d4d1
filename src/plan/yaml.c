/*
 * yaml.c - typed access to a libyaml document for the plan file, with
 * errors that name the file, line, column and key.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/parse.h"

#include "plan_int.h"

yaml_node_t *pl__plan_y_node(struct pl__yctx *y, int idx)
{
    return idx > 0 ? yaml_document_get_node(&y->doc, idx) : NULL;
}

pl_status pl__plan_y_fail(struct pl__yctx *y, const yaml_node_t *n, pl_status code,
                          const char *where, const char *fmt, ...)
{
    struct pl_buf b = PL_BUF_INIT(PL_ERROR_MSG_BYTES);
    va_list ap;

    if (n)
        pl_buf_addf(&b, "%s:%zu:%zu: ", y->name, n->start_mark.line + 1, n->start_mark.column + 1);
    else
        pl_buf_addf(&b, "%s: ", y->name);
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

const char *pl__plan_y_where(char *buf, size_t size, const char *where, const char *key)
{
    if (snprintf(buf, size, "%s: %s", where, key) >= (int)size)
        buf[size - 1] = '\0'; /* cut: it is only a message */
    return buf;
}

static const char *scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

yaml_node_t *pl__plan_y_get(struct pl__yctx *y, yaml_node_t *m, const char *key)
{
    if (m == NULL || m->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = pl__plan_y_node(y, p->key);

        if (k && k->type == YAML_SCALAR_NODE && strcmp(scalar(k), key) == 0)
            return pl__plan_y_node(y, p->value);
    }
    return NULL;
}

pl_status pl__plan_y_map(struct pl__yctx *y, yaml_node_t *m, const char *where,
                         const char *const *allowed)
{
    struct pl_buf list = PL_BUF_INIT(PL_ERROR_MSG_BYTES);
    pl_status rc = PL_OK;

    if (m == NULL || m->type != YAML_MAPPING_NODE)
        return pl__plan_y_fail(y, m, PL_E_INVALID, where, "want a mapping of keys to values");
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = pl__plan_y_node(y, p->key);
        size_t i;

        if (k == NULL || k->type != YAML_SCALAR_NODE)
            return pl__plan_y_fail(y, k, PL_E_INVALID, where, "keys must be plain names");
        for (i = 0; allowed[i] && strcmp(allowed[i], scalar(k)) != 0; i++)
            ;
        if (allowed[i] == NULL) {
            for (i = 0; allowed[i]; i++)
                pl_buf_addf(&list, "%s%s", i ? ", " : "", allowed[i]);
            rc = pl__plan_y_fail(y, k, PL_E_INVALID, where, "unknown key '%.64s' (known: %s)",
                                 scalar(k), pl_buf_cstr(&list));
            break;
        }
        for (yaml_node_pair_t *q = m->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *k2 = pl__plan_y_node(y, q->key);

            if (k2 && k2->type == YAML_SCALAR_NODE && strcmp(scalar(k2), scalar(k)) == 0)
                return pl__plan_y_fail(y, k, PL_E_INVALID, where, "key '%.64s' given twice",
                                       scalar(k));
        }
    }
    pl_buf_release(&list);
    return rc;
}

pl_status pl__plan_y_str(struct pl__yctx *y, yaml_node_t *n, const char *where, size_t max,
                         char **out)
{
    if (n == NULL || n->type != YAML_SCALAR_NODE)
        return pl__plan_y_fail(y, n, PL_E_INVALID, where, "want a single value");
    if (n->data.scalar.length > max)
        return pl__plan_y_fail(y, n, PL_E_TOOBIG, where, "value of %zu bytes over the limit of %zu",
                               n->data.scalar.length, max);
    if (strlen(scalar(n)) != n->data.scalar.length)
        return pl__plan_y_fail(y, n, PL_E_INVALID, where, "value holds a NUL byte");
    *out = pl_xstrdup(scalar(n));
    return PL_OK;
}

pl_status pl__plan_y_int(struct pl__yctx *y, yaml_node_t *n, const char *where, int64_t min,
                         int64_t max, int64_t *out)
{
    int64_t v;

    if (n == NULL || n->type != YAML_SCALAR_NODE)
        return pl__plan_y_fail(y, n, PL_E_INVALID, where, "want a number");
    if (pl_parse_i64(scalar(n), &v, NULL) != PL_OK || v < min || v > max)
        return pl__plan_y_fail(y, n, PL_E_INVALID, where,
                               "want a whole number from %lld to %lld, not '%.64s'", (long long)min,
                               (long long)max, scalar(n));
    *out = v;
    return PL_OK;
}

pl_status pl__plan_y_bool(struct pl__yctx *y, yaml_node_t *n, const char *where, bool *out)
{
    if (n && n->type == YAML_SCALAR_NODE) {
        if (strcmp(scalar(n), "true") == 0 || strcmp(scalar(n), "yes") == 0) {
            *out = true;
            return PL_OK;
        }
        if (strcmp(scalar(n), "false") == 0 || strcmp(scalar(n), "no") == 0) {
            *out = false;
            return PL_OK;
        }
    }
    return pl__plan_y_fail(y, n, PL_E_INVALID, where, "want true or false");
}

pl_status pl__plan_y_duration(struct pl__yctx *y, yaml_node_t *n, const char *where, int64_t max,
                              int64_t *out)
{
    int64_t v = 0;

    if (n == NULL || n->type != YAML_SCALAR_NODE)
        return pl__plan_y_fail(y, n, PL_E_INVALID, where, "want a duration such as 30m, 24h or 3d");
    if (strcmp(scalar(n), "0") != 0 && (pl_duration_parse(scalar(n), &v, NULL) != PL_OK || v < 0))
        return pl__plan_y_fail(y, n, PL_E_INVALID, where,
                               "'%.64s' is not a duration (want e.g. 30m, 24h, 3d)", scalar(n));
    if (v > max)
        return pl__plan_y_fail(y, n, PL_E_INVALID, where, "'%.64s' is longer than %lld days",
                               scalar(n), (long long)(max / 86400));
    *out = v;
    return PL_OK;
}

pl_status pl__plan_y_percent(struct pl__yctx *y, yaml_node_t *n, const char *where, double *out)
{
    char num[32];
    size_t len;
    double v;

    if (n == NULL || n->type != YAML_SCALAR_NODE)
        return pl__plan_y_fail(y, n, PL_E_INVALID, where, "want a percentage such as 5%%");
    len = n->data.scalar.length;
    if (len < 2 || len >= sizeof(num) || scalar(n)[len - 1] != '%')
        return pl__plan_y_fail(y, n, PL_E_INVALID, where,
                               "want a percentage such as 5%%, not '%.64s'", scalar(n));
    memcpy(num, scalar(n), len - 1);
    num[len - 1] = '\0';
    if (pl_parse_double(num, &v, NULL) != PL_OK || v < 0 || v > 100)
        return pl__plan_y_fail(y, n, PL_E_INVALID, where,
                               "want a percentage from 0%% to 100%%, not '%s'", scalar(n));
    *out = v / 100.0;
    return PL_OK;
}

void pl__plan_strv_release(struct pl_strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->v[i]);
    free(v->v);
    v->v = NULL;
    v->n = 0;
}

pl_status pl__plan_y_strv(struct pl__yctx *y, yaml_node_t *n, const char *where, size_t max_items,
                          size_t max, struct pl_strv *out)
{
    struct pl_strv v = {NULL, 0};
    size_t count;
    pl_status rc = PL_OK;

    if (n == NULL || n->type != YAML_SEQUENCE_NODE)
        return pl__plan_y_fail(y, n, PL_E_INVALID, where, "want a list such as [a, b]");
    count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count > max_items)
        return pl__plan_y_fail(y, n, PL_E_TOOBIG, where, "%zu entries over the limit of %zu", count,
                               max_items);
    v.v = pl_xcalloc(count ? count : 1, sizeof(*v.v));
    for (size_t i = 0; i < count && rc == PL_OK; i++) {
        rc = pl__plan_y_str(y, pl__plan_y_node(y, n->data.sequence.items.start[i]), where, max,
                            &v.v[i]);
        if (rc == PL_OK)
            v.n++;
    }
    if (rc == PL_OK) {
        for (size_t i = 0; i < v.n; i++)
            if (v.v[i][0] == '\0')
                rc = pl__plan_y_fail(y, n, PL_E_INVALID, where, "entry %zu is empty", i + 1);
    }
    if (rc != PL_OK) {
        pl__plan_strv_release(&v);
        return rc;
    }
    *out = v;
    return PL_OK;
}

pl_status pl__plan_y_tiers(struct pl__yctx *y, yaml_node_t *n, const char *where, unsigned *mask)
{
    unsigned m = 0;

    if (n == NULL || n->type != YAML_SEQUENCE_NODE)
        return pl__plan_y_fail(y, n, PL_E_INVALID, where, "want a list of tiers such as [1, 2]");
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
        int64_t t = 0;
        pl_status rc = pl__plan_y_int(y, pl__plan_y_node(y, *i), where, 0, 4, &t);

        if (rc != PL_OK)
            return rc;
        m |= 1u << t;
    }
    if (m == 0)
        return pl__plan_y_fail(y, n, PL_E_INVALID, where, "name at least one tier");
    *mask = m;
    return PL_OK;
}
