/*
 * aws_query.c - the output of the AWS CLI commands with a --query
 * projection, in each --output form: json (nested arrays of values), text
 * (one tab-separated line per row) and table (the CLI's box drawing, a
 * title row naming the operation, one row of cells per record). The
 * columns are named by --columns, else by the final multiselect list of
 * --query, else by the seed's query for the command (aws.h). Each row is
 * turned into the record the full output would hold (a field path such as
 * State.Name becomes nested members, Tags[?Key=='Name'] a tag) and
 * imported as that record is. The CLI prints JSON null as "None" and
 * booleans as "True"/"False" in text and table forms.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/file.h"
#include "patchline/limits.h"

#include "aws.h"

#define MAX_COLS  32
#define MAX_DEPTH 8

struct qcol {
    char path[128]; /* "InstanceId", "State.Name" */
    char tag[128];  /* a tag key (Tags[?Key=='Name']), else "" */
};

struct query {
    struct pl__cloud *c;
    struct qcol cols[MAX_COLS];
    size_t n_cols;
    struct pl_arena arena; /* the rows' JSON nodes, reset per row */
    uint64_t rows;
};

enum pl__aws_form pl__inventory_aws_form_of(const char *path, const char *records_path,
                                            const struct pl_inv_import_opts *opts)
{
    char head[PL_IMPORT_SNIFF_BYTES + 1], key[96];
    struct pl_error e = PL_ERROR_INIT;
    bool query = opts && (opts->columns || opts->query);
    struct pl_reader *r;
    size_t n = 0, got = 0;
    size_t i = 0;

    if (path == NULL || strcmp(path, "-") == 0)
        return query ? PL__AWS_QUERY_LINES : PL__AWS_FULL; /* standard input is read once */
    if (pl_reader_open(path, 0, &r, &e) != PL_OK)
        return query ? PL__AWS_QUERY_LINES : PL__AWS_FULL; /* the import's reader says why */
    while (n < PL_IMPORT_SNIFF_BYTES &&
           pl_reader_read(r, head + n, PL_IMPORT_SNIFF_BYTES - n, &got, &e) == PL_OK && got > 0)
        n += got;
    pl_reader_close(r);
    head[n] = '\0';
    i = strspn(head, " \t\r\n");
    if (head[i] == '[') {
        snprintf(key, sizeof(key), "\"%s\"", records_path);
        return query || strstr(head, key) == NULL ? PL__AWS_QUERY_JSON : PL__AWS_FULL;
    }
    if (query)
        return PL__AWS_QUERY_LINES;
    /* the command's own JSON (or nothing: let its reader say so), else text or table */
    return i == n || head[i] == '{' ? PL__AWS_FULL : PL__AWS_QUERY_LINES;
}

/* ---- columns ---------------------------------------------------------------- */

/* One expression of a multiselect list into a column. */
static bool column_of(const char *e, size_t n, struct qcol *col)
{
    const char *k;
    size_t len;

    while (n > 0 && (*e == ' ' || *e == '\t'))
        e++, n--;
    while (n > 0 && (e[n - 1] == ' ' || e[n - 1] == '\t'))
        n--;
    memset(col, 0, sizeof(*col));
    if (n == 0 || n >= sizeof(col->path))
        return false;
    if ((k = strstr(e, "Key==")) != NULL && (size_t)(k - e) < n) {
        const char *q = k + 5, *end;
        char quote = *q;

        if (quote != '\'' && quote != '`' && quote != '"')
            return false;
        end = memchr(q + 1, quote, n - (size_t)(q + 1 - e));
        if (end == NULL || (size_t)(end - q - 1) >= sizeof(col->tag))
            return false;
        memcpy(col->tag, q + 1, (size_t)(end - q - 1));
        return col->tag[0] != '\0';
    }
    len = strcspn(e, "[|");
    if (len > n)
        len = n;
    memcpy(col->path, e, len);
    while (len > 0 && col->path[len - 1] == ' ')
        col->path[--len] = '\0';
    return len > 0;
}

/* Split a comma-separated list at depth 0 (brackets, braces, parentheses, quotes). */
static pl_status split(struct query *q, const char *s, size_t n, const char *what,
                       struct pl_error *err)
{
    size_t start = 0;
    int depth = 0;
    char quote = 0;

    q->n_cols = 0;
    for (size_t i = 0; i <= n; i++) {
        char ch = i < n ? s[i] : ',';

        if (quote) {
            quote = ch == quote ? 0 : quote;
            continue;
        }
        if (ch == '\'' || ch == '`' || ch == '"')
            quote = ch;
        else if (ch == '[' || ch == '{' || ch == '(')
            depth++;
        else if (ch == ']' || ch == '}' || ch == ')')
            depth--;
        else if (ch == ',' && depth == 0) {
            if (q->n_cols == MAX_COLS || !column_of(s + start, i - start, &q->cols[q->n_cols]))
                return pl_error_set(err, PL_E_INVALID, "%s: column %zu: '%.*s' names no field",
                                    what, q->n_cols + 1, (int)(i - start), s + start);
            q->n_cols++;
            start = i + 1;
        }
    }
    return PL_OK;
}

/* The final multiselect list "[a,b,...]" of a --query expression. */
static pl_status columns_of_query(struct query *q, const char *query, struct pl_error *err)
{
    size_t n = strlen(query);
    int depth = 0;

    while (n > 0 && (query[n - 1] == ' ' || query[n - 1] == '\n'))
        n--;
    if (n < 2 || query[n - 1] != ']')
        return pl_error_set(err, PL_E_INVALID,
                            "--query: '%s' does not end in a multiselect list [a,b,...]: name the "
                            "columns with --columns",
                            query);
    for (size_t i = n; i-- > 0;) {
        if (query[i] == ']')
            depth++;
        else if (query[i] == '[' && --depth == 0) {
            if (i + 1 >= n - 1 || query[i + 1] == '?' || query[i + 1] == '*')
                break;
            return split(q, query + i + 1, n - 1 - (i + 1), "--query", err);
        }
    }
    return pl_error_set(err, PL_E_INVALID,
                        "--query: '%s' does not end in a multiselect list [a,b,...]: name the "
                        "columns with --columns",
                        query);
}

/* ---- rows into records --------------------------------------------------------- */

static struct pl_json *node(struct query *q, enum pl_json_type t, const char *key, const char *s)
{
    struct pl_json *j = pl_arena_alloc(&q->arena, sizeof(*j));

    if (j == NULL)
        return NULL;
    memset(j, 0, sizeof(*j));
    j->type = t;
    j->key = key;
    j->str = s ? s : (t == PL_JSON_NULL ? "null" : "");
    j->len = s ? strlen(s) : 0;
    return j;
}

static void append(struct pl_json *parent, struct pl_json *child)
{
    if (parent->last)
        parent->last->next = child;
    else
        parent->child = child;
    parent->last = child;
    parent->len++;
}

/* The member key of obj, created as an object when absent. */
static struct pl_json *member_obj(struct query *q, struct pl_json *obj, const char *key)
{
    struct pl_json *m;

    for (const struct pl_json *c = obj->child; c; c = c->next)
        if (c->key && strcmp(c->key, key) == 0)
            return (struct pl_json *)(uintptr_t)c; /* NOLINT(performance-no-int-to-ptr) */
    if ((m = node(q, PL_JSON_OBJECT, key, NULL)) != NULL)
        append(obj, m);
    return m;
}

/* A copy of val with key (values are copied so that they can be re-keyed). */
static struct pl_json *keyed(struct query *q, const struct pl_json *val, const char *key)
{
    struct pl_json *j = node(q, val->type, key, val->str);

    if (j) {
        j->len = val->len;
        j->child = val->child;
    }
    return j;
}

/* Put the row's values (vals[i] for cols[i]) into a record and import it. */
static pl_status row(struct query *q, const struct pl_json *const *vals, size_t n,
                     struct pl_error *err)
{
    struct pl_json *rec = node(q, PL_JSON_OBJECT, NULL, NULL), *tags = NULL;
    pl_status rc;

    if (n != q->n_cols)
        return pl_error_set(err, PL_E_PARSE, "%s: row %llu: %zu values for %zu columns", q->c->path,
                            (unsigned long long)q->rows + 1, n, q->n_cols);
    for (size_t i = 0; rec && i < n; i++) {
        const struct qcol *col = &q->cols[i];
        struct pl_json *at = rec, *t;
        char part[128];
        const char *p = col->path;

        if (col->tag[0]) {
            if (tags == NULL && (tags = node(q, PL_JSON_ARRAY, "Tags", NULL)) != NULL)
                append(rec, tags);
            if (tags == NULL || vals[i]->type == PL_JSON_NULL ||
                (t = node(q, PL_JSON_OBJECT, NULL, NULL)) == NULL)
                continue;
            append(t, node(q, PL_JSON_STRING, "Key",
                           pl_arena_strndup(&q->arena, col->tag, strlen(col->tag))));
            append(t, keyed(q, vals[i], "Value"));
            append(tags, t);
            continue;
        }
        for (int d = 0; at && strchr(p, '.') && d < MAX_DEPTH; d++) {
            size_t k = strcspn(p, ".");

            snprintf(part, sizeof(part), "%.*s", (int)k, p);
            at = member_obj(q, at, pl_arena_strndup(&q->arena, part, strlen(part)));
            p += k + 1;
        }
        if (at)
            append(at, keyed(q, vals[i], pl_arena_strndup(&q->arena, p, strlen(p))));
    }
    if (rec == NULL || pl_arena_status(&q->arena) != PL_OK)
        return pl_error_set(err, PL_E_NOMEM, "%s: row %llu: out of memory", q->c->path,
                            (unsigned long long)q->rows + 1);
    q->rows++;
    q->c->stats->records++;
    pl__inventory_obs_reset(&q->c->b, pl_clock_now(), "%s: row %llu: ", q->c->path,
                            (unsigned long long)q->rows);
    if (q->c->record == NULL)
        return PL_OK;
    rc = strcmp(q->c->what, "ec2 describe-instances") == 0
             ? pl__inventory_aws_ec2_instance(q->c, rec, NULL, (size_t)q->rows - 1, err)
             : q->c->record(q->c, rec, err);
    pl_arena_reset(&q->arena);
    return rc;
}

/* JSON: every innermost array of values is a row. */
static pl_status json_rows(struct query *q, const struct pl_json *v, int depth,
                           struct pl_error *err)
{
    const struct pl_json *vals[MAX_COLS];
    size_t n = 0;
    bool leaf = true;
    pl_status rc;

    if (v->type != PL_JSON_ARRAY || depth > MAX_DEPTH)
        return pl_error_set(err, PL_E_PARSE, "%s: want arrays of values (a --query projection)",
                            q->c->path);
    for (const struct pl_json *e = v->child; e; e = e->next)
        leaf &= e->type != PL_JSON_ARRAY && e->type != PL_JSON_OBJECT;
    if (leaf && v->child) {
        for (const struct pl_json *e = v->child; e && n < MAX_COLS; e = e->next)
            vals[n++] = e;
        return row(q, vals, v->len, err);
    }
    for (const struct pl_json *e = v->child; e; e = e->next)
        if ((rc = json_rows(q, e, depth + 1, err)) != PL_OK)
            return rc;
    return PL_OK;
}

static pl_status on_json(const struct pl_json *root, uint64_t index, void *data,
                         struct pl_error *err)
{
    (void)index;
    return json_rows(data, root, 0, err);
}

/* A cell of text or table output as a value ("None" is null, "True"/"False" booleans). */
static const struct pl_json *cell(struct query *q, const char *s, size_t n)
{
    char *v;

    while (n > 0 && *s == ' ')
        s++, n--;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    v = pl_arena_strndup(&q->arena, s, n);
    if (v == NULL || strcmp(v, "None") == 0 || v[0] == '\0')
        return node(q, PL_JSON_NULL, NULL, NULL);
    if (strcmp(v, "True") == 0 || strcmp(v, "False") == 0)
        return node(q, PL_JSON_BOOL, NULL, v[0] == 'T' ? "true" : "false");
    return node(q, PL_JSON_STRING, NULL, v);
}

/* One line of text (tab-separated) or table ("|  a |  b  |") output. */
static pl_status line_row(struct query *q, const char *l, size_t len, bool table,
                          struct pl_error *err)
{
    const struct pl_json *vals[MAX_COLS];
    size_t n = 0;
    char sep = table ? '|' : '\t';

    if (table) {
        if (len < 2 || l[0] != '|')
            return PL_OK; /* a border */
        l++, len--;
        while (len > 0 && (l[len - 1] == '|' || l[len - 1] == ' ' || l[len - 1] == '\r'))
            len--;
    }
    if (len == 0)
        return PL_OK;
    for (size_t start = 0, i = 0; i <= len; i++)
        if (i == len || l[i] == sep) {
            if (n == MAX_COLS)
                return pl_error_set(err, PL_E_PARSE, "%s: more than %d columns", q->c->path,
                                    MAX_COLS);
            if ((vals[n++] = cell(q, l + start, i - start)) == NULL)
                return pl_error_set(err, PL_E_NOMEM, "%s: out of memory", q->c->path);
            start = i + 1;
        }
    if (table && n == 1 && q->n_cols > 1)
        return PL_OK; /* the title: the operation's name */
    return row(q, vals, n, err);
}

static pl_status lines(struct query *q, struct pl_reader *r, struct pl_error *err)
{
    struct pl_buf line = PL_BUF_INIT(PL_MAX_LINE_BYTES);
    bool eof = false, table = false, first = true;
    pl_status rc;

    while ((rc = pl_reader_line(r, &line, &eof, err)) == PL_OK && !eof) {
        const char *l = pl_buf_cstr(&line);

        if (first && line.len > 0) {
            table = l[0] == '-' || l[0] == '+' || l[0] == '|';
            first = false;
        }
        if ((rc = line_row(q, l, line.len, table, err)) != PL_OK)
            break;
    }
    pl_buf_release(&line);
    return rc;
}

pl_status pl__inventory_aws_query_import(struct pl__cloud *c, struct pl_reader *r,
                                         enum pl__aws_form form, const char *default_query,
                                         struct pl_error *err)
{
    struct query q;
    pl_status rc;

    memset(&q, 0, sizeof(q));
    q.c = c;
    c->path = pl_reader_path(r);
    if (c->opts && c->opts->columns)
        rc = split(&q, c->opts->columns, strlen(c->opts->columns), "--columns", err);
    else
        rc = columns_of_query(&q, c->opts && c->opts->query ? c->opts->query : default_query, err);
    if (rc != PL_OK)
        return rc;
    pl_arena_init(&q.arena, 0);
    if (form == PL__AWS_QUERY_JSON) {
        struct pl_json_stream_opts o = {0};

        o.on_record = on_json;
        o.data = &q;
        rc = pl_json_stream(r, &o, err);
    } else {
        rc = lines(&q, r, err);
    }
    pl_arena_release(&q.arena);
    return rc;
}
