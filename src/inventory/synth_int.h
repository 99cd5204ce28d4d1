/*
 * synth_int.h - internals shared by synth.c and synth_index.c (the
 * synthetic estate generator); not part of the public API.
 */
#ifndef PATCHLINE_SYNTH_INT_H
#define PATCHLINE_SYNTH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/error.h"
#include "patchline/inventory.h"
#include "patchline/synth.h"

/* One binary package of an index: its name, version and source (all owned). */
struct synth_update {
    char *name, *version, *source, *source_version;
    char *arch; /* NULL: amd64 */
};

/* A list of packages sorted by name (after loading), at most one per name. */
struct synth_updates {
    struct synth_update *items;
    size_t n, cap;
};

void pl__inventory_synth_updates_release(struct synth_updates *u);

/* qsort/bsearch order of struct synth_update: by name. */
int pl__inventory_synth_update_cmp(const void *a, const void *b);

/* Sort by name and keep, for each name, the row with the highest version. */
void pl__inventory_synth_updates_finish(struct synth_updates *u);

const struct synth_update *pl__inventory_synth_find(const struct synth_updates *u,
                                                    const char *name);

/*
 * Read a binary package index TSV (header row, then suite, package, version,
 * architecture, source, source_version, ...). Rows of suite "bookworm" (any
 * suite without a '-') go to release; the others ("bookworm-security",
 * "bookworm-updates") to updates. Each list keeps the newest version of a
 * name. Errors name the file, line and field.
 */
PL_NODISCARD pl_status pl__inventory_synth_index_load(const char *path,
                                                      struct synth_updates *release,
                                                      struct synth_updates *updates,
                                                      struct pl_error *err);

/* The generator's state for one pl_synth_estate call. */
struct synth_gen {
    struct pl_store *s;
    const struct pl_synth_opts *o;
    struct pl_package_list base;
    struct synth_updates updates;           /* newer versions (security Packages or index) */
    struct synth_updates release;           /* --index: the release's own versions */
    const struct synth_update **newer;      /* per base package: its newer version or NULL */
    const struct synth_update **bprev;      /* --index, per base package: one update behind */
    const struct synth_update **extra;      /* index packages not in the base set */
    const struct synth_update **extra_prev; /* --index: each one's version one update behind */
    size_t n_extra;
    unsigned char *pool_seen;               /* --index: scratch, one byte per extra */
    const struct synth_update *kernel;      /* the newest versioned kernel image of the index */
    const struct synth_update *prev_kernel; /* the one before it */
    bool base_kernel;                       /* the base set has a kernel of its own */
    struct pl_package *pkgs;                /* scratch: one asset's packages (borrowed strings) */
};

/* "amd64", the architecture of a synthetic package that names none. */
extern char pl__synth_amd64[];

/* splitmix64: the next value of the stream. */
static inline uint64_t pl__synth_mix(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A uniform double in [0, 1). */
static inline double pl__synth_unit(uint64_t *state)
{
    return (double)(pl__synth_mix(state) >> 11) / (double)(1ULL << 53);
}

/* A versioned kernel image of the release's own series ("linux-image-6.1.0-28-amd64"). */
bool pl__inventory_synth_is_kernel(const char *name);

/*
 * --index: load the index (g->o->index) into g->release and g->updates and
 * choose, for every base package and every other package of the index, the
 * version a host runs when up to date and the one it runs one update behind.
 */
PL_NODISCARD pl_status pl__inventory_synth_index_prepare(struct synth_gen *g, struct pl_error *err);

/*
 * --index: fill g->pkgs with want packages for one host: the base set, then
 * packages drawn from the rest of the index; each package with an update
 * stays one update behind with probability share_behind (counted in
 * sum->behind). Returns the count. Kernels are the caller's.
 */
size_t pl__inventory_synth_index_packages(struct synth_gen *g, size_t n, size_t want, uint64_t *r,
                                          struct pl_synth_summary *sum);

#endif /* PATCHLINE_SYNTH_INT_H */
