/*
 * json.c - record-at-a-time JSON trees on top of yajl's event parser.
 *
 * The parser keeps a stack of the containers being built. Values inside
 * the records array go to a per-record arena that is reset after each
 * record; everything else goes to the "rest" arena. Memory is bounded by
 * the two caps plus yajl's token buffer, which the feed loop also caps.
 */
#include "patchline/json.h"

#include <stdint.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "patchline/arena.h"
#include "patchline/parse.h"

#define JSON_MAX_DEPTH    512
#define JSON_MAX_PATH     8
#define JSON_DEFAULT_REC  ((size_t)64 * 1024 * 1024)
#define JSON_DEFAULT_REST ((size_t)16 * 1024 * 1024)
#define JSON_CHUNK        ((size_t)256 * 1024)

struct ctx {
    const struct pl_json_stream_opts *o;
    const char *path;
    struct pl_arena rec, rest;
    struct pl_json *stack[JSON_MAX_DEPTH];
    int depth;
    const char *parts[JSON_MAX_PATH];
    size_t part_len[JSON_MAX_PATH];
    int n_parts;
    const char *key;         /* pending member name */
    struct pl_json *records; /* the records array (in the rest tree) while open */
    bool records_done;
    struct pl_json *record; /* the record being built */
    struct pl_json *root;   /* the rest tree's root */
    uint64_t index;
    uint64_t events;
    pl_status rc;
    struct pl_error *err;
};

static bool in_record(const struct ctx *c)
{
    return c->record != NULL || (c->depth > 0 && c->stack[c->depth - 1] == c->records) ||
           c->o->lines || c->path == NULL;
}

static struct pl_arena *arena_for(struct ctx *c)
{
    return in_record(c) ? &c->rec : &c->rest;
}

static int emit(struct ctx *c, const struct pl_json *v)
{
    pl_status rc = c->o->on_record(v, c->index, c->o->data, c->err);

    if (rc != PL_OK) {
        c->rc = rc;
        return 0;
    }
    c->index++;
    c->record = NULL;
    pl_arena_reset(&c->rec);
    return 1;
}

static bool part_is(const struct ctx *c, int i, const char *s)
{
    return s && strlen(s) == c->part_len[i] && strncmp(s, c->parts[i], c->part_len[i]) == 0;
}

/*
 * Is an array opening here the records array? For the path "a.b" the stack
 * holds the root object and the object under "a", and the pending member
 * name is "b".
 */
static bool is_records_path(const struct ctx *c)
{
    if (c->path == NULL || c->o->lines || c->records_done || c->records || c->record)
        return false;
    if (c->n_parts == 0)
        return c->depth == 0;
    if (c->depth != c->n_parts || !part_is(c, c->n_parts - 1, c->key))
        return false;
    for (int i = 0; i < c->depth; i++) {
        if (c->stack[i]->type != PL_JSON_OBJECT)
            return false;
        if (i > 0 && !part_is(c, i - 1, c->stack[i]->key))
            return false;
    }
    return true;
}

static void append(struct pl_json *parent, struct pl_json *v)
{
    if (parent->child == NULL)
        parent->child = v;
    else
        parent->last->next = v;
    parent->last = v;
    parent->len++;
}

/* Attach a new value; returns 0 to stop the parse. */
static int add(struct ctx *c, struct pl_json *v)
{
    struct pl_json *top = c->depth ? c->stack[c->depth - 1] : NULL;

    c->events++;
    if (top == NULL) {
        if (c->o->lines || c->path == NULL) {
            if (v->type != PL_JSON_ARRAY && v->type != PL_JSON_OBJECT)
                return emit(c, v);
            c->record = v;
        } else {
            c->root = v;
        }
        return 1;
    }
    if (top->type == PL_JSON_OBJECT) {
        v->key = c->key;
        c->key = NULL;
    }
    if (top == c->records) {
        if (v->type != PL_JSON_ARRAY && v->type != PL_JSON_OBJECT)
            return emit(c, v);
        c->record = v;
        return 1;
    }
    append(top, v);
    return 1;
}

static struct pl_json *node(struct ctx *c, enum pl_json_type t, const char *s, size_t len)
{
    struct pl_arena *a = arena_for(c);
    struct pl_json *v = pl_arena_alloc(a, sizeof(*v));

    if (v == NULL)
        return NULL;
    memset(v, 0, sizeof(*v));
    v->type = t;
    if (s) {
        v->str = pl_arena_strndup(a, s, len);
        if (v->str == NULL)
            return NULL;
        v->len = len;
    }
    return v;
}

static int too_big(struct ctx *c)
{
    struct pl_arena *a = arena_for(c);

    if (c->rc == PL_OK) {
        if (pl_arena_status(a) == PL_E_NOMEM)
            c->rc = pl_error_set(c->err, PL_E_NOMEM, "out of memory");
        else if (a == &c->rec)
            c->rc = pl_error_set(c->err, PL_E_TOOBIG, "record larger than %zu bytes", a->max);
        else
            c->rc = pl_error_set(c->err, PL_E_TOOBIG,
                                 "document outside the records is larger than %zu bytes", a->max);
    }
    return 0;
}

static int scalar(void *ud, enum pl_json_type t, const char *s, size_t len)
{
    struct ctx *c = ud;
    struct pl_json *v = node(c, t, s, len);

    return v ? add(c, v) : too_big(c);
}

static int on_null(void *ud)
{
    return scalar(ud, PL_JSON_NULL, "null", 4);
}

static int on_bool(void *ud, int b)
{
    return scalar(ud, PL_JSON_BOOL, b ? "true" : "false", b ? 4 : 5);
}

static int on_number(void *ud, const char *s, size_t len)
{
    return scalar(ud, PL_JSON_NUMBER, s, len);
}

/* yajl checks the shape of UTF-8 only: overlong forms, surrogates and NUL get through. */
static int bad_utf8(struct ctx *c, const unsigned char *s, size_t len)
{
    if (pl_utf8_valid((const char *)s, len))
        return 0;
    c->rc = pl_error_set(c->err, PL_E_PARSE, "a string is not valid UTF-8 (or holds a NUL)");
    return 1;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0 when invalid or NUL. */
#define seq_len(p, n) pl_utf8_seq((const char *)(p), (n))

/* Bytes at p that only a \u escape produces: NUL (\u0000) or a lone surrogate (\ud800); 0 if not.
 */
static size_t escaped_junk(const unsigned char *p, size_t n)
{
    if (p[0] == 0)
        return 1;
    if (n >= 3 && p[0] == 0xed && (p[1] & 0xe0) == 0xa0 && (p[2] & 0xc0) == 0x80)
        return 3;
    return 0;
}

/*
 * String values may decode (from \u escapes) to NUL or to lone surrogates,
 * as the binary banners of scanner exports do: those become U+FFFD, so the
 * text stays data. Other invalid forms (overlong sequences) can only be raw
 * bytes of a wrongly encoded file, and are refused.
 */
static int on_string(void *ud, const unsigned char *s, size_t len)
{
    struct pl_buf clean;
    int rc = 1;

    if (pl_utf8_valid((const char *)s, len))
        return scalar(ud, PL_JSON_STRING, (const char *)s, len);
    pl_buf_init(&clean, len * 3 + 1);
    for (size_t i = 0; i < len && rc;) {
        size_t k = seq_len(s + i, len - i), junk;

        if (k) {
            pl_buf_add(&clean, s + i, k);
            i += k;
        } else if ((junk = escaped_junk(s + i, len - i)) != 0) {
            pl_buf_add(&clean, "\xef\xbf\xbd", 3);
            i += junk;
        } else {
            rc = !bad_utf8(ud, s, len);
        }
    }
    if (rc)
        rc = scalar(ud, PL_JSON_STRING, pl_buf_cstr(&clean), clean.len);
    pl_buf_release(&clean);
    return rc;
}

static int open_container(struct ctx *c, enum pl_json_type t)
{
    enum pl_json_type want = c->o->members ? PL_JSON_OBJECT : PL_JSON_ARRAY;
    bool records = t == want && is_records_path(c);
    struct pl_json *v;

    if (c->depth >= JSON_MAX_DEPTH) {
        c->rc = pl_error_set(c->err, PL_E_PARSE, "nesting deeper than %d levels", JSON_MAX_DEPTH);
        return 0;
    }
    if ((v = node(c, t, NULL, 0)) == NULL)
        return too_big(c);
    if (!add(c, v))
        return 0;
    if (records)
        c->records = v;
    c->stack[c->depth++] = v;
    return 1;
}

static int close_container(struct ctx *c)
{
    struct pl_json *v = c->stack[--c->depth];

    c->events++;
    if (v == c->records) {
        c->records = NULL;
        c->records_done = true;
        return 1;
    }
    if (v == c->record)
        return emit(c, v);
    return 1;
}

static int on_start_map(void *ud)
{
    return open_container(ud, PL_JSON_OBJECT);
}

static int on_map_key(void *ud, const unsigned char *s, size_t len)
{
    struct ctx *c = ud;

    c->events++;
    if (bad_utf8(c, s, len))
        return 0;
    c->key = pl_arena_strndup(arena_for(c), (const char *)s, len);
    return c->key ? 1 : too_big(c);
}

static int on_end(void *ud)
{
    return close_container(ud);
}

static int on_start_array(void *ud)
{
    return open_container(ud, PL_JSON_ARRAY);
}

static const yajl_callbacks callbacks = {
    on_null,      on_bool,    NULL,   NULL,           on_number, on_string,
    on_start_map, on_map_key, on_end, on_start_array, on_end,
};

static pl_status split_path(struct ctx *c, struct pl_error *err)
{
    const char *p = c->path;

    c->n_parts = 0;
    if (p == NULL || *p == '\0')
        return PL_OK;
    while (*p) {
        size_t n = strcspn(p, ".");

        if (c->n_parts == JSON_MAX_PATH || n == 0)
            return pl_error_set(err, PL_E_INVALID, "bad records path '%s'", c->path);
        c->parts[c->n_parts] = p;
        c->part_len[c->n_parts++] = n;
        p += n;
        if (*p == '.')
            p++;
    }
    return PL_OK;
}

/* Feed the whole reader to yajl; a value that spans more than the record cap without any event is
 * too big. */
static pl_status feed(struct ctx *c, yajl_handle h, struct pl_reader *r, size_t cap,
                      struct pl_error *err)
{
    unsigned char *buf = pl_xmalloc(JSON_CHUNK);
    size_t silent = 0, n;
    uint64_t before = 0;
    pl_status rc;
    yajl_status ys = yajl_status_ok;

    for (;;) {
        uint64_t events = c->events;

        if ((rc = pl_reader_read(r, buf, JSON_CHUNK, &n, err)) != PL_OK)
            break;
        ys = n ? yajl_parse(h, buf, n) : yajl_complete_parse(h);
        if (ys != yajl_status_ok) {
            rc = c->rc;
            if (ys == yajl_status_error) {
                unsigned char *msg = yajl_get_error(h, 0, buf, n);
                size_t len = msg ? strlen((const char *)msg) : 0;

                /* yajl ends its message with a newline */
                while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
                    msg[--len] = '\0';
                rc = pl_error_set(err, PL_E_PARSE, "%s: byte %llu: %s", pl_reader_path(r),
                                  (unsigned long long)before +
                                      (unsigned long long)yajl_get_bytes_consumed(h),
                                  msg ? (const char *)msg : "malformed JSON");
                yajl_free_error(h, msg);
            } else {
                /* records are numbered from 1 in messages */
                pl_error_prefix(err, "%s: record %llu", pl_reader_path(r),
                                (unsigned long long)c->index + 1);
            }
            break;
        }
        if (n == 0)
            break;
        before += n;
        silent = c->events == events ? silent + n : 0;
        if (silent > cap) {
            rc = pl_error_set(err, PL_E_TOOBIG,
                              "%s: byte %llu: a single value is larger than %zu bytes",
                              pl_reader_path(r), (unsigned long long)before, cap);
            break;
        }
    }
    free(buf);
    return rc;
}

pl_status pl_json_stream(struct pl_reader *r, const struct pl_json_stream_opts *opts,
                         struct pl_error *err)
{
    struct ctx *c;
    yajl_handle h;
    pl_status rc;

    if (r == NULL || opts == NULL || opts->on_record == NULL)
        return pl_error_set(err, PL_E_INVALID, "pl_json_stream: missing argument");
    c = pl_xcalloc(1, sizeof(*c));
    c->o = opts;
    c->path = opts->records_path;
    c->err = err;
    pl_arena_init(&c->rec, opts->max_record ? opts->max_record : JSON_DEFAULT_REC);
    pl_arena_init(&c->rest, opts->max_rest ? opts->max_rest : JSON_DEFAULT_REST);
    if ((rc = split_path(c, err)) != PL_OK)
        goto out;
    h = yajl_alloc(&callbacks, NULL, c);
    if (opts->lines)
        yajl_config(h, yajl_allow_multiple_values, 1);
    rc = feed(c, h, r, c->rec.max, err);
    yajl_free(h);
    if (rc == PL_OK && c->path && !opts->lines && !c->records_done)
        rc = pl_error_set(err, PL_E_PARSE, "%s: no '%s' %s of records", pl_reader_path(r), c->path,
                          opts->members ? "object" : "array");
    if (rc == PL_OK && opts->on_rest && c->root) {
        rc = opts->on_rest(c->root, 0, opts->data, err);
    }
out:
    pl_arena_release(&c->rec);
    pl_arena_release(&c->rest);
    free(c);
    return rc;
}

const struct pl_json *pl_json_get(const struct pl_json *v, const char *key)
{
    if (v == NULL || v->type != PL_JSON_OBJECT)
        return NULL;
    for (const struct pl_json *m = v->child; m; m = m->next)
        if (strcmp(m->key, key) == 0)
            return m;
    return NULL;
}

const struct pl_json *pl_json_path(const struct pl_json *v, const char *path)
{
    char part[256];

    while (v && *path) {
        size_t n = strcspn(path, ".");

        if (n >= sizeof(part))
            return NULL;
        memcpy(part, path, n);
        part[n] = '\0';
        v = pl_json_get(v, part);
        path += n;
        if (*path == '.')
            path++;
    }
    return v;
}

const char *pl_json_string(const struct pl_json *v)
{
    return v && v->type == PL_JSON_STRING ? v->str : NULL;
}

const char *pl_json_get_string(const struct pl_json *v, const char *key)
{
    return pl_json_string(pl_json_get(v, key));
}

bool pl_json_double(const struct pl_json *v, double *out)
{
    return v && v->type == PL_JSON_NUMBER && pl_parse_double(v->str, out, NULL) == PL_OK;
}

bool pl_json_int(const struct pl_json *v, int64_t *out)
{
    return v && v->type == PL_JSON_NUMBER && pl_parse_i64(v->str, out, NULL) == PL_OK;
}

const char *pl_json_type_name(enum pl_json_type t)
{
    static const char *const names[] = {"null", "boolean", "number", "string", "array", "object"};

    return (unsigned)t < PL_ARRAY_LEN(names) ? names[t] : "?";
}
