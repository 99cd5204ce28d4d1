/*
 * arena.c - chunked bump allocator with a cap.
 */
#include "patchline/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN ((size_t)64 * 1024)

struct pl_arena_chunk {
    struct pl_arena_chunk *next;
    size_t size, pos;
    alignas(max_align_t) unsigned char data[];
};

void pl_arena_init(struct pl_arena *a, size_t max)
{
    a->head = NULL;
    a->used = 0;
    a->max = max;
    a->err = PL_OK;
}

void *pl_arena_alloc(struct pl_arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    struct pl_arena_chunk *c = a->head;
    size_t need = (n + align - 1) & ~(align - 1);
    void *p;

    if (a->err != PL_OK)
        return NULL;
    if (need < n || (a->max && a->used + need > a->max)) {
        a->err = PL_E_TOOBIG;
        return NULL;
    }
    if (c == NULL || c->size - c->pos < need) {
        size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;

        c = malloc(sizeof(*c) + size);
        if (c == NULL) {
            a->err = PL_E_NOMEM;
            return NULL;
        }
        c->size = size;
        c->pos = 0;
        c->next = a->head;
        a->head = c;
    }
    p = c->data + c->pos;
    c->pos += need;
    a->used += need;
    return p;
}

char *pl_arena_strndup(struct pl_arena *a, const char *s, size_t n)
{
    char *p = pl_arena_alloc(a, n + 1);

    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void pl_arena_reset(struct pl_arena *a)
{
    struct pl_arena_chunk *c = a->head, *next;

    /* keep the most recent chunk only if it is a normal-sized one */
    if (c && c->size == CHUNK_MIN) {
        next = c->next;
        c->next = NULL;
        c->pos = 0;
        a->head = c;
        c = next;
    } else {
        a->head = NULL;
    }
    for (; c; c = next) {
        next = c->next;
        free(c);
    }
    a->used = 0;
    a->err = PL_OK;
}

void pl_arena_release(struct pl_arena *a)
{
    pl_arena_reset(a);
    free(a->head);
    a->head = NULL;
}

pl_status pl_arena_status(const struct pl_arena *a)
{
    return a->err;
}
