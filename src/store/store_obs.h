/*
 * store_obs.h - private to src/store: observations with provenance, their
 * precedence and the OS comparison they need (asset_obs.c, asset_os.c).
 */
#ifndef PATCHLINE_STORE_OBS_H
#define PATCHLINE_STORE_OBS_H

#include <stdbool.h>
#include <stddef.h>

#include "store_int.h"

#define PL__OS_FIELD 64

/* How much an OS observation says. */
enum pl__os_spec {
    PL__OS_NONE,
    PL__OS_VAGUE,    /* a kernel or platform only: "Linux/UNIX", "windows" */
    PL__OS_NAMED,    /* a distribution without a version: "Debian GNU/Linux" */
    PL__OS_VERSIONED /* a distribution and its version or codename */
};

struct pl__os {
    char name[PL__OS_FIELD];    /* debian, ubuntu, rhel, ... ("" unknown) */
    char kernel[PL__OS_FIELD];  /* linux, windows, macos, bsd ("" unknown) */
    char version[PL__OS_FIELD]; /* digits and dots ("" unknown) */
    char codename[PL__OS_FIELD];
    enum pl__os_spec spec;
};

/* Normalise what a source said of an OS, to compare it with others. */
void pl__os_parse(const char *family, const char *name, const char *version, const char *codename,
                  struct pl__os *os);
/* False when a and b cannot be the same OS (other distribution, other version). */
bool pl__os_compatible(const struct pl__os *a, const struct pl__os *b);
/* The stored value of an 'os' observation: "family|name|version|codename". */
void pl__os_encode(const char *family, const char *name, const char *version, const char *codename,
                   char *out, size_t cap);
void pl__os_decode(const char *value, char parts[4][PL__OS_FIELD]);
/* "debian 12 (bookworm)" for a stored value. */
void pl__os_display(const char *value, char *out, size_t cap);

/* True when v is one of the NULL-terminated set (asset_check.c). */
bool pl__one_of(const char *v, const char *const *set);

/* True for a source that can patch what it covers (local collection, SSM, MDM...). */
bool pl__source_patches(const char *source);

/* Record one observation (upsert by asset, attr, source, key); value NULL: nothing said. */
PL_NODISCARD pl_status pl__obs_put(struct pl_store *s, int64_t asset_id, const char *attr,
                                   const char *source, const char *key, const char *value,
                                   const char *note, pl_time_t seen, struct pl_error *err);

/* Record every attribute an observation states, then resolve the asset. */
PL_NODISCARD pl_status pl__obs_record(struct pl_store *s, int64_t asset_id,
                                      const struct pl_observation *o, struct pl_error *err);

/* Resolve the effective values of an asset from its observations into its columns. */
PL_NODISCARD pl_status pl__obs_resolve(struct pl_store *s, int64_t asset_id, pl_time_t now,
                                       struct pl_error *err);

/*
 * Make the effective packages of (asset, ecosystem) those of the source whose
 * open list wins (asset_packages.c); c and win (the winning source, "" for
 * none) may be NULL. An ecosystem no source listed is left alone.
 */
PL_NODISCARD pl_status pl__pkgs_resolve(struct pl_store *s, int64_t asset_id, const char *eco,
                                        pl_time_t now, struct pl_package_sync *c, char *win,
                                        size_t cap, struct pl_error *err);
PL_NODISCARD pl_status pl__pkgs_resolve_all(struct pl_store *s, int64_t asset_id, pl_time_t now,
                                            struct pl_error *err);
/* One source's list of an ecosystem of an asset (asset_package_lists.c). */
struct pl__pkg_list {
    bool found, has_digest, effective;
    pl_time_t last_seen;
    int64_t n_open;
    unsigned char digest[32];
};

/* The list's row (l->found false: none). */
PL_NODISCARD pl_status pl__pkgs_list_get(struct pl_store *s, int64_t asset_id, const char *source,
                                         const char *eco, struct pl__pkg_list *l,
                                         struct pl_error *err);
/* Write the list's row, batched (its effective flag is the resolve's to set). */
PL_NODISCARD pl_status pl__pkgs_list_put(struct pl_store *s, int64_t asset_id, const char *source,
                                         const char *eco, const struct pl__pkg_list *l,
                                         struct pl_error *err);
/* The digest of the source's open rows, read whole (a list whose digest was not kept). */
PL_NODISCARD pl_status pl__pkgs_list_digest_rows(struct pl_store *s, int64_t asset_id,
                                                 const char *source, const char *eco,
                                                 unsigned char acc[32], struct pl_error *err);
/*
 * The open row of key's (name, arch) in the source's list into o (its
 * version, source_name, source_version and purl owned: release them;
 * name and arch key's); *found false: none.
 */
PL_NODISCARD pl_status pl__pkgs_open_row(struct pl_store *s, int64_t asset_id, const char *source,
                                         const char *eco, const struct pl_package *key,
                                         struct pl_package *o, bool *found, struct pl_error *err);
void pl__pkgs_open_row_release(struct pl_package *o);

/*
 * Around moving package observations between assets (a merge, a split):
 * settle gives the open rows of an asset the last_seen of their list, so
 * that the rows carry it; rebuild makes the asset's lists
 * (asset_package_lists) again from its rows, their digests to be computed
 * at their next use.
 */
PL_NODISCARD pl_status pl__pkgs_lists_settle(struct pl_store *s, int64_t asset_id,
                                             struct pl_error *err);
PL_NODISCARD pl_status pl__pkgs_lists_rebuild(struct pl_store *s, int64_t asset_id,
                                              struct pl_error *err);
/*
 * Compute and keep the digest of every list that has none (the lists a
 * migration made from the rows: portable SQL cannot hash). Run by the
 * migration of an existing store.
 */
PL_NODISCARD pl_status pl__pkgs_lists_fill(struct pl_store *s, struct pl_error *err);

/* Make the effective tags of an asset those with an open observation (asset_curation.c). */
PL_NODISCARD pl_status pl__tags_resolve(struct pl_store *s, int64_t asset_id, struct pl_error *err);

/* The loaded precedence file (a handful of rows), read once per resolve. */
struct pl__prec_row {
    char *attr, *source;
    int rank;
};

struct pl__prec {
    struct pl__prec_row *rows; /* every rank but max-age */
    size_t n, cap;
    int64_t max_age_days; /* 30 unless the file says */
};

PL_NODISCARD pl_status pl__prec_load(struct pl_store *s, struct pl__prec *p, struct pl_error *err);
void pl__prec_release(struct pl__prec *p);

/* Rank of a source for an attribute (0 is first; lower wins): the file's, else the default. */
int pl__prec_rank(const struct pl__prec *p, const char *attr, const char *source);

/*
 * The one definition of "managed" (SQL over the asset alias a): `assets set
 * managed=` decides, else a source that can patch has covered it.
 */
#define PL__MANAGED_EXPR                                                               \
    "COALESCE(a.managed, CASE WHEN EXISTS (SELECT 1 FROM asset_observations mo WHERE " \
    "mo.asset_id = a.id AND mo.attr = 'managed' AND mo.value = 'yes') THEN 1 ELSE 0 END)"

#endif /* PATCHLINE_STORE_OBS_H */
