/*
 * smap.c - a string-keyed hash map with open addressing (linear probing),
 * keys copied into an arena. Used for the affected-row index and the
 * per-version match cache, where millions of look-ups must stay cheap.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"

#include "match_int.h"

/* FNV-1a, 32 bits: short keys, good enough spread for linear probing. */
static uint32_t hash_bytes(const char *p, size_t n)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 16777619u;
    }
    return h;
}

void pl__match_smap_init(struct pl__smap *m, struct pl_arena *arena)
{
    m->cap = 1024;
    m->n = 0;
    m->slots = pl_xcalloc(m->cap, sizeof(*m->slots));
    m->arena = arena;
}

void pl__match_smap_clear(struct pl__smap *m)
{
    memset(m->slots, 0, m->cap * sizeof(*m->slots));
    m->n = 0;
}

void pl__match_smap_release(struct pl__smap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}

static struct pl__smap_slot *probe(struct pl__smap_slot *slots, size_t cap, const char *key,
                                   size_t len, uint32_t h)
{
    size_t i = h & (cap - 1);

    for (;;) {
        struct pl__smap_slot *s = &slots[i];

        if (s->key == NULL || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
        i = (i + 1) & (cap - 1);
    }
}

static void grow(struct pl__smap *m)
{
    size_t cap = m->cap * 2;
    struct pl__smap_slot *slots = pl_xcalloc(cap, sizeof(*slots));

    for (size_t i = 0; i < m->cap; i++) {
        const struct pl__smap_slot *s = &m->slots[i];

        if (s->key)
            *probe(slots, cap, s->key, s->len, s->hash) = *s;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
}

bool pl__match_smap_get(const struct pl__smap *m, const char *key, size_t len, uint32_t *value)
{
    const struct pl__smap_slot *s = probe(m->slots, m->cap, key, len, hash_bytes(key, len));

    if (s->key == NULL)
        return false;
    *value = s->value;
    return true;
}

uint32_t pl__match_smap_put(struct pl__smap *m, const char *key, size_t len, uint32_t value)
{
    uint32_t h = hash_bytes(key, len);
    struct pl__smap_slot *s;

    if ((m->n + 1) * 2 > m->cap) /* load at most 1/2: short probes on the hot path */
        grow(m);
    s = probe(m->slots, m->cap, key, len, h);
    if (s->key)
        return s->value;
    s->key = pl_arena_strndup(m->arena, key, len);
    if (s->key == NULL) /* the arena is out of memory: abort like pl_xmalloc */
        abort();
    s->len = (uint32_t)len;
    s->hash = h;
    s->value = value;
    m->n++;
    return value;
}
