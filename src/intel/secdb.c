/*
 * secdb.c - Alpine secdb ({distroversion, reponame, packages: [{pkg: {name,
 * secfixes: {VERSION: [CVE...]}}}]}) in YAML, and its JSON variant
 * (Alpine, Wolfi).
 *
 * Both are read with libyaml's event parser (JSON is YAML flow style) into
 * a pl_json tree in a capped arena, so that one walker serves both. A
 * secdb is one repository of one release: a few MB at most; the arena cap
 * bounds it. Aliases and anchors are refused: the format never uses them,
 * and they would let a small file expand without bound.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "patchline/arena.h"

#include "distro_int.h"

#define SECDB_MAX_DEPTH 32

struct tree {
    struct pl_arena arena;
    struct pl_json *stack[SECDB_MAX_DEPTH];
    int depth;
    const char *key; /* pending mapping key */
    bool want_key;   /* the next scalar in the top mapping is a key */
    struct pl_json *root;
    struct pl_reader *r;
    struct pl_error rerr; /* a reader failure, reported after the parse */
    bool toobig;          /* the last error was a size limit */
};

static int read_handler(void *data, unsigned char *buf, size_t size, size_t *n)
{
    struct tree *t = data;

    return pl_reader_read(t->r, buf, size, n, &t->rerr) == PL_OK;
}

static void attach(struct tree *t, struct pl_json *v)
{
    struct pl_json *top = t->depth ? t->stack[t->depth - 1] : NULL;

    if (top == NULL) {
        t->root = v;
        return;
    }
    if (top->type == PL_JSON_OBJECT) {
        v->key = t->key;
        t->want_key = true;
    }
    if (top->child == NULL)
        top->child = v;
    else
        top->last->next = v;
    top->last = v;
    top->len++;
}

/* One event into the tree; returns an error message or NULL. */
static const char *event(struct tree *t, const yaml_event_t *e)
{
    struct pl_json *v;
    struct pl_json *top = t->depth ? t->stack[t->depth - 1] : NULL;

    switch (e->type) {
    case YAML_ALIAS_EVENT:
        return "aliases are not supported";
    case YAML_SCALAR_EVENT:
        if (e->data.scalar.anchor)
            return "anchors are not supported";
        if (e->data.scalar.length > PL_MAX_FIELD_BYTES) {
            t->toobig = true;
            return "a value is larger than the field limit";
        }
        if (top && top->type == PL_JSON_OBJECT && t->want_key) {
            t->key = pl_arena_strndup(&t->arena, (const char *)e->data.scalar.value,
                                      e->data.scalar.length);
            t->want_key = false;
            return t->key ? NULL : "document larger than the limit";
        }
        if ((v = pl_arena_alloc(&t->arena, sizeof(*v))) == NULL)
            return "document larger than the limit";
        memset(v, 0, sizeof(*v));
        v->type = PL_JSON_STRING;
        v->len = e->data.scalar.length;
        if ((v->str = pl_arena_strndup(&t->arena, (const char *)e->data.scalar.value, v->len)) ==
            NULL)
            return "document larger than the limit";
        /* a plain "null" or "~" or nothing is YAML's null */
        if (e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            (v->len == 0 || strcmp(v->str, "~") == 0 || strcmp(v->str, "null") == 0))
            v->type = PL_JSON_NULL;
        attach(t, v);
        return NULL;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (e->type == YAML_MAPPING_START_EVENT ? e->data.mapping_start.anchor != NULL
                                                : e->data.sequence_start.anchor != NULL)
            return "anchors are not supported";
        if (top && top->type == PL_JSON_OBJECT && t->want_key)
            return "a mapping key that is not a scalar";
        if (t->depth == SECDB_MAX_DEPTH)
            return "nesting too deep";
        if ((v = pl_arena_alloc(&t->arena, sizeof(*v))) == NULL)
            return "document larger than the limit";
        memset(v, 0, sizeof(*v));
        v->type = e->type == YAML_MAPPING_START_EVENT ? PL_JSON_OBJECT : PL_JSON_ARRAY;
        attach(t, v);
        t->stack[t->depth++] = v;
        t->want_key = v->type == PL_JSON_OBJECT;
        return NULL;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        t->depth--;
        t->want_key = t->depth && t->stack[t->depth - 1]->type == PL_JSON_OBJECT;
        return NULL;
    default:
        return NULL;
    }
}

static pl_status parse(struct tree *t, struct pl_error *err)
{
    yaml_parser_t p;
    yaml_event_t e;
    pl_status rc = PL_OK;
    bool done = false;

    yaml_parser_initialize(&p);
    yaml_parser_set_input(&p, read_handler, t);
    while (!done && rc == PL_OK) {
        const char *msg;

        if (!yaml_parser_parse(&p, &e)) {
            if (t->rerr.code != PL_OK)
                rc = pl_error_set(err, t->rerr.code, "%s", t->rerr.msg);
            else if (p.error == YAML_READER_ERROR) /* encoding: no line known */
                rc = pl_error_set(err, PL_E_PARSE, "%s: byte %zu: %s", pl_reader_path(t->r),
                                  p.problem_offset, p.problem ? p.problem : "bad encoding");
            else
                rc = pl_error_set(err, PL_E_PARSE, "%s: line %zu: %s", pl_reader_path(t->r),
                                  p.problem_mark.line + 1, p.problem ? p.problem : "bad YAML");
            break;
        }
        if ((msg = event(t, &e)) != NULL)
            rc = pl_error_set(
                err, t->toobig || pl_arena_status(&t->arena) != PL_OK ? PL_E_TOOBIG : PL_E_PARSE,
                "%s: line %zu: %s", pl_reader_path(t->r), e.start_mark.line + 1, msg);
        done = e.type == YAML_STREAM_END_EVENT || e.type == YAML_DOCUMENT_END_EVENT;
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&p);
    if (rc == PL_OK && (t->root == NULL || t->root->type != PL_JSON_OBJECT))
        rc = pl_error_set(err, PL_E_PARSE, "%s: not a secdb: the document is not a mapping",
                          pl_reader_path(t->r));
    return rc;
}

/* One `pkg` entry: rows for every (version, CVE) of its secfixes. */
static pl_status one_package(struct pl_advisory *a, struct pl__where *w, const struct pl_json *pkg,
                             const char *eco, struct pl_arena *ids, struct pl_error *err)
{
    const struct pl_json *fixes;
    char id[2 * PL_MAX_NAME_BYTES];
    pl_status rc;

    w->name = NULL;
    if (pkg == NULL || pkg->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(w, "pkg", "mapping", pkg, err);
    if ((rc = pl__intel_get_str(w, pkg, "name", PL_MAX_NAME_BYTES, true, &w->name, err)) != PL_OK ||
        (rc = pl__intel_get_typed(w, pkg, "secfixes", PL_JSON_OBJECT, &fixes, err)) != PL_OK)
        return rc;
    if (snprintf(id, sizeof(id), "%s/%s", eco, w->name) >= (int)sizeof(id) ||
        (a->id = pl_arena_strndup(ids, id, strlen(id))) == NULL)
        return pl__intel_bad_field(w, "name", PL_E_TOOBIG, err, "too long");
    for (const struct pl_json *ver = fixes ? fixes->child : NULL; ver; ver = ver->next) {
        if (strlen(ver->key) > PL_MAX_VERSION_BYTES)
            return pl__intel_bad_field(w, "secfixes", PL_E_TOOBIG, err, "version too long");
        if (ver->type == PL_JSON_NULL)
            continue;
        if (ver->type != PL_JSON_ARRAY)
            return pl__intel_bad_type(w, "secfixes", "mapping of version: [ids]", ver, err);
        for (const struct pl_json *c = ver->child; c; c = c->next) {
            struct pl_affected_row *r;
            size_t n;

            if (c->type != PL_JSON_STRING || c->len > PL_MAX_NAME_BYTES)
                return pl__intel_bad_type(w, "secfixes", "list of short strings", c, err);
            /* "CVE-2021-1234" or "CVE-2021-1234 (note)": the id is the first word */
            n = strcspn(c->str, " \t");
            r = pl_advisory_add_row(a);
            r->vuln_id = pl_arena_strndup(ids, c->str, n);
            r->ecosystem = eco;
            r->package = w->name;
            if (strcmp(ver->key, "0") == 0) {
                r->status = "not-affected";
            } else {
                r->status = "fixed";
                r->fixed = ver->key;
            }
            if (n == 0 || r->vuln_id == NULL)
                return pl__intel_bad_field(w, "secfixes", PL_E_PARSE, err, "empty id");
        }
    }
    return PL_OK;
}

static pl_status ecosystem_of(const struct pl__where *w, const struct pl_json *root, char *eco,
                              size_t cap, struct pl_error *err)
{
    const char *dv, *prefix;
    pl_status rc;

    if ((rc = pl__intel_get_str(w, root, "distroversion", 64, false, &dv, err)) != PL_OK ||
        (rc = pl__intel_get_str(w, root, "urlprefix", 1024, false, &prefix, err)) != PL_OK)
        return rc;
    if (dv && dv[0] && snprintf(eco, cap, "alpine:%s", dv) < (int)cap)
        return PL_OK;
    if (prefix && strstr(prefix, "wolfi") && snprintf(eco, cap, "wolfi") < (int)cap)
        return PL_OK;
    return pl__intel_bad_field(w, "distroversion", PL_E_PARSE, err,
                               "missing (and urlprefix names no known distribution)");
}

static pl_status walk(struct pl_store *s, const struct pl_json *root, const char *file,
                      struct pl_import_stats *stats, struct pl_error *err)
{
    struct pl__where w = {file, "document", NULL, NULL};
    struct pl_advisory_writer *wr;
    struct pl_arena ids = PL_ARENA_INIT(0);
    struct pl_advisory a;
    const struct pl_json *pkgs;
    char eco[96];
    pl_status rc;

    if ((rc = ecosystem_of(&w, root, eco, sizeof(eco), err)) != PL_OK)
        return rc;
    pkgs = pl_json_get(root, "packages");
    if (pkgs == NULL || pkgs->type != PL_JSON_ARRAY)
        return pl__intel_bad_type(&w, "packages", "sequence", pkgs, err);
    if ((rc = pl_advisory_writer_open(s, &wr, err)) != PL_OK)
        return rc;
    pl_advisory_init(&a, "alpine-secdb");
    w.what = "package";
    for (const struct pl_json *p = pkgs->child; p && rc == PL_OK; p = p->next) {
        enum pl_put_result res;

        pl_advisory_reset(&a);
        pl_arena_reset(&ids);
        if (p->type != PL_JSON_OBJECT)
            rc = pl__intel_bad_type(&w, "packages[]", "mapping", p, err);
        else if ((rc = one_package(&a, &w, pl_json_get(p, "pkg"), eco, &ids, err)) == PL_OK &&
                 (rc = pl_advisory_writer_put(wr, &a, &res, err)) == PL_OK) {
            pl__intel_count_put(stats, res);
            stats->records++;
        }
    }
    pl_arena_release(&ids);
    pl_advisory_release(&a);
    pl_advisory_writer_close(wr);
    return rc;
}

pl_status pl_intel_import_secdb(struct pl_store *s, struct pl_reader *r,
                                const struct pl_import_opts *opts, struct pl_import_stats *stats,
                                struct pl_error *err)
{
    struct tree *t = pl_xcalloc(1, sizeof(*t));
    pl_status rc;

    (void)opts;
    pl_arena_init(&t->arena, PL_MAX_ADVISORY_DOC_BYTES);
    t->r = r;
    if ((rc = parse(t, err)) == PL_OK)
        rc = walk(s, t->root, pl_reader_path(r), stats, err);
    pl_arena_release(&t->arena);
    free(t);
    return rc;
}

/* YAML with "secfixes:", or JSON with "packages" and "secfixes". */
int pl_intel_detect_secdb(const char *head, size_t n)
{
    bool secfixes = false, packages = false;

    for (size_t k = 0; k + 10 < n; k++) {
        if (strncmp(head + k, "secfixes", 8) == 0)
            secfixes = true;
        if (strncmp(head + k, "packages", 8) == 0)
            packages = true;
    }
    return secfixes && packages ? 85 : secfixes ? 60 : 0;
}
