/*
 * arena.h - bump allocator for short-lived, many small allocations (one
 * record, one request, one evaluation): allocate freely, free once.
 *
 * Depends on libc and error.h. Pointers from an arena must never escape into
 * long-lived structs. The arena has a cap; past it, allocations return NULL
 * and pl_arena_status() reports PL_E_TOOBIG (sticky until reset).
 */
#ifndef PATCHLINE_ARENA_H
#define PATCHLINE_ARENA_H

#include <stddef.h>

#include "patchline/error.h"

struct pl_arena_chunk;

struct pl_arena {
    struct pl_arena_chunk *head;
    size_t used;   /* bytes handed out since the last reset */
    size_t max;    /* cap, 0 for none */
    pl_status err; /* sticky */
};

#define PL_ARENA_INIT(cap)    \
    {                         \
        NULL, 0, (cap), PL_OK \
    }

void pl_arena_init(struct pl_arena *a, size_t max);
/* Aligned memory for n bytes, or NULL past the cap (sticky PL_E_TOOBIG). */
void *pl_arena_alloc(struct pl_arena *a, size_t n);
/* A NUL-terminated copy of n bytes of s, or NULL past the cap. */
char *pl_arena_strndup(struct pl_arena *a, const char *s, size_t n);
/* Forget everything allocated (keeps the first chunk for reuse); clears the error. */
void pl_arena_reset(struct pl_arena *a);
/* Free all chunks. */
void pl_arena_release(struct pl_arena *a);
pl_status pl_arena_status(const struct pl_arena *a);

#endif /* PATCHLINE_ARENA_H */
