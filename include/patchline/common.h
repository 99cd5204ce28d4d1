/*
 * common.h - attributes, allocation wrappers and "cannot happen" checks.
 *
 * Depends on libc only. Every other header of Patchline includes it.
 */
#ifndef PATCHLINE_COMMON_H
#define PATCHLINE_COMMON_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define PL_NODISCARD        __attribute__((warn_unused_result))
#define PL_PRINTF(fmt, arg) __attribute__((format(printf, fmt, arg)))
#define PL_NORETURN         __attribute__((noreturn))
#else
#define PL_NODISCARD
#define PL_PRINTF(fmt, arg)
#define PL_NORETURN
#endif

#define PL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Allocation wrappers for small, fixed-size allocations: they abort with a
 * message on out-of-memory, since nothing useful can follow. Sizes that come
 * from input are capped before they reach these (see limits.h).
 */
void *pl_xmalloc(size_t size);
void *pl_xcalloc(size_t n, size_t size);
void *pl_xrealloc(void *p, size_t size);
char *pl_xstrdup(const char *s);
char *pl_xstrndup(const char *s, size_t n);

/*
 * Make room for one more element in a growing array: when n == *cap, the
 * capacity doubles (to `first` from 0) and the array is reallocated. Returns
 * the array, which may have moved: `a = pl_xgrow(a, n, &cap, 16, sizeof(*a));`.
 * Aborts on overflow or out-of-memory, like the other x-allocators.
 */
void *pl_xgrow(void *items, size_t n, size_t *cap, size_t first, size_t size);

/* Abort with file and line: for states that cannot happen. */
PL_NORETURN void pl_bug(const char *file, int line, const char *fmt, ...) PL_PRINTF(3, 4);
#define PL_BUG(...) pl_bug(__FILE__, __LINE__, __VA_ARGS__)

#endif /* PATCHLINE_COMMON_H */
