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

struct pl__texts {
    struct pl_store *s;
    struct slot *slots;
    size_t cap, n; /* cap a power of two, n < cap / 2 */
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
    return t;
}

void pl__texts_close(struct pl__texts *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i].text);
    free(t->slots);
    free(t);
}

static struct slot *find(struct slot *slots, size_t cap, const char *text, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);

    while (slots[i].text && (slots[i].hash != h || strcmp(slots[i].text, text) != 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static void grow(struct pl__texts *t)
{
    size_t cap = t->cap * 2;
    struct slot *slots = pl_xcalloc(cap, sizeof(*slots));

    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].text)
            *find(slots, cap, t->slots[i].text, t->slots[i].hash) = t->slots[i];
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
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
static pl_status lookup(struct pl_store *s, const char *text, int64_t *id, struct pl_error *err)
{
    static const char put[] = "INSERT INTO finding_texts (text) VALUES (?1) "
                              "ON CONFLICT (text) DO NOTHING RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = get_id(s, text, id, err)) != PL_OK || *id != 0)
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
    if ((rc = lookup(t->s, text, id, err)) != PL_OK)
        return rc;
    sl->text = pl_xstrdup(text);
    sl->hash = h;
    sl->id = *id;
    if (++t->n >= t->cap / 2)
        grow(t);
    return PL_OK;
}
