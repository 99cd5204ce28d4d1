/*
 * finding_texts.c - the texts findings hold by reference (migration 0034):
 * a finding's match evidence, fix proof and policy digest are each stored
 * once in finding_texts, the row keeps the id. The writer asks for the id of
 * a text through a cache (open addressing, FNV-1a), so that a scan writing
 * millions of rows looks up each distinct text once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"

#include "store_int.h"

struct slot {
    char *text; /* NULL: empty */
    uint64_t hash;
    int64_t id;
};

struct id_slot {
    int64_t id;       /* 0: empty */
    const char *text; /* the text slot's copy */
};

struct pl__texts {
    struct pl_store *s;
    struct slot *slots;
    size_t cap, n;       /* cap a power of two, n < cap / 2 */
    struct id_slot *ids; /* the same texts by id, id_cap == cap */
    bool complete;       /* every text of the store loaded (pl__texts_load) */
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 14695981039346656037ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

struct pl__texts *pl__texts_open(struct pl_store *s)
{
    struct pl__texts *t = pl_xcalloc(1, sizeof(*t));

    t->s = s;
    t->cap = 1024;
    t->slots = pl_xcalloc(t->cap, sizeof(*t->slots));
    t->ids = pl_xcalloc(t->cap, sizeof(*t->ids));
    return t;
}

void pl__texts_close(struct pl__texts *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i].text);
    free(t->slots);
    free(t->ids);
    free(t);
}

static struct slot *find(struct slot *slots, size_t cap, const char *text, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);

    while (slots[i].text && (slots[i].hash != h || strcmp(slots[i].text, text) != 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static struct id_slot *find_id(struct id_slot *ids, size_t cap, int64_t id)
{
    size_t i = (size_t)(((uint64_t)id * 11400714819323198485ULL) >> 32) & (cap - 1);

    while (ids[i].id != 0 && ids[i].id != id)
        i = (i + 1) & (cap - 1);
    return &ids[i];
}

static void grow(struct pl__texts *t)
{
    size_t cap = t->cap * 2;
    struct slot *slots = pl_xcalloc(cap, sizeof(*slots));
    struct id_slot *ids = pl_xcalloc(cap, sizeof(*ids));

    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].text)
            *find(slots, cap, t->slots[i].text, t->slots[i].hash) = t->slots[i];
    for (size_t i = 0; i < t->cap; i++)
        if (t->ids[i].id != 0)
            *find_id(ids, cap, t->ids[i].id) = t->ids[i];
    free(t->slots);
    free(t->ids);
    t->slots = slots;
    t->ids = ids;
    t->cap = cap;
}

/* Remember text as id, both ways (neither known yet); the copy's address. */
static const char *add(struct pl__texts *t, const char *text, uint64_t h, int64_t id)
{
    struct slot *sl = find(t->slots, t->cap, text, h);
    struct id_slot *is = find_id(t->ids, t->cap, id);

    sl->text = pl_xstrdup(text);
    sl->hash = h;
    sl->id = id;
    is->id = id;
    is->text = sl->text;
    text = sl->text;
    if (++t->n >= t->cap / 2)
        grow(t);
    return text;
}

/* The id of text in the store (*id 0: none). */
static pl_status get_id(struct pl_store *s, const char *text, int64_t *id, struct pl_error *err)
{
    static const char get[] = "SELECT id FROM finding_texts WHERE text = ?1";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    *id = 0;
    if ((rc = pl__store_cached(s, get, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, text);
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        *id = pl__db_column_int64(st, 0);
    else if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "finding text");
    pl__store_done(st);
    return rc;
}

/*
 * The id of text in the store, its row added when missing. Scans beside one
 * another (PostgreSQL) add texts one batch at a time (pl__store_shared_rows);
 * one that another added meanwhile is not added again but read.
 */
static pl_status lookup(struct pl_store *s, const char *text, bool complete, int64_t *id,
                        struct pl_error *err)
{
    static const char put[] = "INSERT INTO finding_texts (text) VALUES (?1) "
                              "ON CONFLICT (text) DO NOTHING RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    /* complete: a text not in the cache is new, but for one another scan added meanwhile */
    if (!complete && ((rc = get_id(s, text, id, err)) != PL_OK || *id != 0))
        return rc;
    if ((rc = pl__store_shared_rows(s, err)) != PL_OK ||
        (rc = pl__store_cached(s, put, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, text);
    rc = pl__store_step_id(s, st, "finding text", id, err);
    pl__store_done(st);
    if (rc == PL_E_NOTFOUND && (rc = get_id(s, text, id, err)) == PL_OK && *id == 0)
        rc = pl_error_set(err, PL_E_STORE, "finding text: neither added nor found");
    return rc;
}

pl_status pl__texts_ref(struct pl__texts *t, const char *text, int64_t *id, struct pl_error *err)
{
    uint64_t h;
    struct slot *sl;
    pl_status rc;

    *id = 0;
    if (text == NULL)
        return PL_OK;
    h = fnv1a(text);
    sl = find(t->slots, t->cap, text, h);
    if (sl->text) {
        *id = sl->id;
        return PL_OK;
    }
    if ((rc = lookup(t->s, text, t->complete, id, err)) != PL_OK)
        return rc;
    (void)add(t, text, h, *id);
    return PL_OK;
}

pl_status pl__texts_text(struct pl__texts *t, int64_t id, const char **text, struct pl_error *err)
{
    static const char get[] = "SELECT text FROM finding_texts WHERE id = ?1";
    struct id_slot *is;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    *text = NULL;
    if (id == 0)
        return PL_OK;
    is = find_id(t->ids, t->cap, id);
    if (is->id != 0) {
        *text = is->text;
        return PL_OK;
    }
    if ((rc = pl__store_cached(t->s, get, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    step = pl__db_step(st);
    if (step == PL_DB_ROW) {
        const char *got = (const char *)pl__db_column_text(st, 0);

        *text = add(t, got ? got : "", fnv1a(got ? got : ""), id);
    } else if (step == PL_DB_DONE) {
        rc = pl_error_set(err, PL_E_STORE, "finding text %lld: missing", (long long)id);
    } else {
        rc = pl__store_fail(t->s, err, "finding text");
    }
    pl__store_done(st);
    return rc;
}

pl_status pl__texts_load(struct pl__texts *t, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(t->s, "SELECT id, text FROM finding_texts", &st, err)) != PL_OK)
        return rc;
    (void)pl__db_stream(st);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        int64_t id = pl__db_column_int64(st, 0);
        const char *text = (const char *)pl__db_column_text(st, 1);

        if (text != NULL && find_id(t->ids, t->cap, id)->id == 0 &&
            find(t->slots, t->cap, text, fnv1a(text))->text == NULL)
            (void)add(t, text, fnv1a(text), id);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(t->s, err, "finding texts");
    pl__db_finalize(st);
    t->complete = rc == PL_OK;
    return rc;
}

/* ---- readers ------------------------------------------------------------ */

struct pl__text_names {
    struct pl__texts *t;
    bool own;
};

struct pl__text_names *pl__text_names_open(struct pl_store *s)
{
    struct pl__text_names *n = pl_xcalloc(1, sizeof(*n));

    /* a scan's findings writer lends its texts (loaded once for the scan) */
    n->own = s->texts == NULL;
    n->t = n->own ? pl__texts_open(s) : s->texts;
    return n;
}

void pl__text_names_close(struct pl__text_names *n)
{
    if (n == NULL)
        return;
    if (n->own)
        pl__texts_close(n->t);
    free(n);
}

pl_status pl__text_names_get(struct pl__text_names *n, int64_t id, const char **text,
                             struct pl_error *err)
{
    return pl__texts_text(n->t, id, text, err);
}

pl_status pl__text_names_col(struct pl__text_names *n, struct pl_stmt *st, int col, char **out,
                             struct pl_error *err)
{
    const char *t;
    pl_status rc = pl__text_names_get(n, pl__db_column_int64(st, col), &t, err);

    *out = rc == PL_OK && t != NULL ? pl_xstrdup(t) : NULL;
    return rc;
}
