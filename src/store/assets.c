/*
 * assets.c - assets, the sources and identifiers that recognise them, and
 * their packages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/parse.h"

#include "store_obs.h"

struct pl_package *pl_package_list_add(struct pl_package_list *l)
{
    l->items = pl_xgrow(l->items, l->n, &l->cap, 64, sizeof(*l->items));
    memset(&l->items[l->n], 0, sizeof(l->items[0]));
    return &l->items[l->n++];
}

void pl_package_list_release(struct pl_package_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct pl_package *p = &l->items[i];

        free(p->ecosystem);
        free(p->name);
        free(p->version);
        free(p->arch);
        free(p->source_name);
        free(p->source_version);
        free(p->purl);
    }
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

/* Every text of an observation through the one asset validator (asset_check.c). */
static pl_status check_texts(const struct pl_observation *o, struct pl_error *err)
{
    const struct {
        const char *field, *value;
    } t[] = {
        {"source_key", o->source_key},
        {"name", o->name},
        {"fallback_name", o->fallback_name},
        {"kind", o->kind},
        {"owner", o->owner},
        {"environment", o->environment},
        {"criticality", o->criticality},
        {"exposure", o->exposure},
        {"exposure_evidence", o->exposure_evidence},
        {"os_family", o->os_family},
        {"os_name", o->os_name},
        {"os_version", o->os_version},
        {"os_codename", o->os_codename},
        {"arch", o->arch},
        {"kernel", o->kernel},
    };
    pl_status rc;

    for (size_t i = 0; i < PL_ARRAY_LEN(t); i++)
        if ((rc = pl_asset_value_check(t[i].field, t[i].value, err)) != PL_OK) {
            (void)pl_error_prefix(err, "observation %.64s '%.64s'", o->source, o->source_key);
            return rc;
        }
    return PL_OK;
}

static pl_status check_observation(const struct pl_observation *o, struct pl_error *err)
{
    static const char *const idk[] = {"machine-id", "cloud-id", "mac",    "fqdn", "hostname",
                                      "ip",         "image",    "serial", NULL};
    pl_status rc;

    if (o->source == NULL || !o->source[0] || o->source_key == NULL || !o->source_key[0])
        return pl_error_set(err, PL_E_INVALID, "observation: source and source key are required");
    if ((rc = check_texts(o, err)) != PL_OK)
        return rc;
    if (o->n_ids > PL_MAX_IDENTIFIERS)
        return pl_error_set(err, PL_E_TOOBIG, "observation %s '%s': more than %d identifiers",
                            o->source, o->source_key, PL_MAX_IDENTIFIERS);
    if (o->reboot_required < -1 || o->reboot_required > 1)
        return pl_error_set(err, PL_E_INVALID, "asset field 'reboot_required': want -1, 0 or 1");
    for (size_t i = 0; i < o->n_ids; i++) {
        if (o->ids[i].kind == NULL || !pl__one_of(o->ids[i].kind, idk))
            return pl_error_set(err, PL_E_INVALID,
                                "asset field 'identifier kind': unknown value '%.64s'",
                                o->ids[i].kind ? o->ids[i].kind : "");
        if (o->ids[i].value == NULL || !o->ids[i].value[0])
            return pl_error_set(err, PL_E_INVALID, "identifier %zu: kind and value are required",
                                i + 1);
        if ((rc = pl_asset_value_check("identifier", o->ids[i].value, err)) != PL_OK ||
            (rc = pl_asset_value_check("scope", o->ids[i].scope, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

/* Run a one-row lookup bound with up to three texts; *id = 0 when no row. */
static pl_status lookup_id(struct pl_store *s, const char *sql, const char *a, const char *b,
                           const char *c, int64_t *id, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, a);
    if (b)
        pl__store_bind_text(st, 2, b);
    if (c)
        pl__store_bind_text(st, 3, c);
    *id = 0;
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        *id = pl__db_column_int64(st, 0);
    else if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset lookup");
    pl__store_done(st);
    return rc;
}

/* Kinds an asset has at most one of: a different value means a different machine. */
static bool single_valued(const char *kind)
{
    return strcmp(kind, "machine-id") == 0 || strcmp(kind, "cloud-id") == 0 ||
           strcmp(kind, "serial") == 0;
}

/* True (in *clash) when asset id holds a single-valued identifier that contradicts o. */
static pl_status contradicts(struct pl_store *s, int64_t id, const struct pl_observation *o,
                             bool *clash, struct pl_error *err)
{
    static const char sql[] = "SELECT 1 FROM asset_identifiers WHERE asset_id = ? AND kind = ? "
                              "AND scope = ? AND value <> ? LIMIT 1";
    struct pl_stmt *st;
    pl_status rc = PL_OK;

    *clash = false;
    for (size_t i = 0; rc == PL_OK && !*clash && i < o->n_ids; i++) {
        int step;

        if (!single_valued(o->ids[i].kind))
            continue;
        if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
            return rc;
        pl__db_bind_int64(st, 1, id);
        pl__store_bind_text(st, 2, o->ids[i].kind);
        pl__store_bind_text(st, 3, o->ids[i].scope ? o->ids[i].scope : "");
        pl__store_bind_text(st, 4, o->ids[i].value);
        step = pl__db_step(st);
        if (step == PL_DB_ROW)
            *clash = true;
        else if (step != PL_DB_DONE)
            rc = pl__store_fail(s, err, "asset identifiers");
        pl__store_done(st);
    }
    return rc;
}

/* *matched: the index of the identifier that found the asset, -1 when none did. */
static pl_status find_asset(struct pl_store *s, const struct pl_observation *o, int64_t *id,
                            int *matched, struct pl_error *err)
{
    bool clash = false;
    pl_status rc;

    *matched = -1;
    rc = lookup_id(s, "SELECT asset_id FROM asset_sources WHERE source = ? AND source_key = ?",
                   o->source, o->source_key, NULL, id, err);
    for (size_t i = 0; rc == PL_OK && *id == 0 && i < o->n_ids; i++) {
        *matched = (int)i;
        rc = lookup_id(s,
                       "SELECT asset_id FROM asset_identifiers WHERE kind = ? AND value = ? AND "
                       "scope = ?",
                       o->ids[i].kind, o->ids[i].value, o->ids[i].scope ? o->ids[i].scope : "", id,
                       err);
        if (rc == PL_OK && *id && (rc = contradicts(s, *id, o, &clash, err)) == PL_OK && clash)
            *id = 0; /* same hostname, different machine-id: another machine */
    }
    if (*id == 0)
        *matched = -1;
    return rc;
}

static pl_status create_asset(struct pl_store *s, const struct pl_observation *o, int64_t *id,
                              struct pl_error *err)
{
    static const char sql[] = "INSERT INTO assets (name, kind, first_seen, last_seen) "
                              "VALUES (?, COALESCE(?, 'host'), ?, ?) RETURNING id";
    const char *name = o->name && o->name[0] ? o->name : o->fallback_name;
    struct pl_stmt *st;
    pl_status rc;

    if (name == NULL || !name[0])
        return pl_error_set(err, PL_E_INVALID, "observation %s '%s': a new asset needs a name",
                            o->source, o->source_key);
    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, name);
    pl__store_bind_text(st, 2, o->kind);
    pl__db_bind_int64(st, 3, o->seen);
    pl__db_bind_int64(st, 4, o->seen);
    rc = pl__store_step_id(s, st, "asset insert", id, err);
    pl__store_done(st);
    return rc;
}

/* Name, kind and times; every other attribute is an observation (asset_obs.c). */
static pl_status update_asset(struct pl_store *s, int64_t id, const struct pl_observation *o,
                              struct pl_error *err)
{
    static const char sql[] =
        "UPDATE assets SET name = COALESCE(?1, name), kind = COALESCE(?2, kind), "
        "last_seen = MAX(last_seen, ?3), first_seen = MIN(first_seen, ?3), retired_at = NULL "
        "WHERE id = ?4";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_batched(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, o->name);
    pl__store_bind_text(st, 2, o->kind);
    pl__db_bind_int64(st, 3, o->seen);
    pl__db_bind_int64(st, 4, id);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset update");
    pl__store_done(st);
    return rc;
}

static pl_status record_links(struct pl_store *s, int64_t id, const struct pl_observation *o,
                              struct pl_error *err)
{
    static const char src_sql[] =
        "INSERT INTO asset_sources (asset_id, source, source_key, first_seen, last_seen) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, source_key) DO UPDATE SET "
        "last_seen = MAX(asset_sources.last_seen, excluded.last_seen)";
    static const char id_sql[] =
        "INSERT INTO asset_identifiers (asset_id, kind, value, scope, source) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_batched(s, src_sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    pl__store_bind_text(st, 2, o->source);
    pl__store_bind_text(st, 3, o->source_key);
    pl__db_bind_int64(st, 4, o->seen);
    pl__db_bind_int64(st, 5, o->seen);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset source");
    pl__store_done(st);
    if (rc != PL_OK || (rc = pl__store_batched(s, id_sql, &st, err)) != PL_OK)
        return rc;
    for (size_t i = 0; rc == PL_OK && i < o->n_ids; i++) {
        pl__db_reset(st);
        pl__db_bind_int64(st, 1, id);
        pl__store_bind_text(st, 2, o->ids[i].kind);
        pl__store_bind_text(st, 3, o->ids[i].value);
        pl__store_bind_text(st, 4, o->ids[i].scope ? o->ids[i].scope : "");
        pl__store_bind_text(st, 5, o->source);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "asset identifier");
    }
    pl__store_done(st);
    return rc;
}

/* Explain why an observation joined an existing asset (asset_merges). */
static pl_status record_merge(struct pl_store *s, int64_t id, const struct pl_observation *o,
                              const struct pl_identifier *by, struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO asset_merges (asset_id, source, source_key, matched_kind, matched_value, "
        "matched_scope, manual, at, actor) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_batched(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    pl__store_bind_text(st, 2, o->source);
    pl__store_bind_text(st, 3, o->source_key);
    pl__store_bind_text(st, 4, by->kind);
    pl__store_bind_text(st, 5, by->value);
    pl__store_bind_text(st, 6, by->scope ? by->scope : "");
    pl__db_bind_int64(st, 7, o->seen);
    pl__store_bind_text(st, 8, pl_store_actor());
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset merge");
    pl__store_done(st);
    return rc;
}

/*
 * True (in *clash) when assets a and b hold different machine-ids, cloud ids
 * or serials, or when one holds a source a person split off the other.
 */
static pl_status assets_clash(struct pl_store *s, int64_t a, int64_t b, bool *clash,
                              struct pl_error *err)
{
    static const char sql[] =
        "SELECT 1 FROM asset_identifiers x JOIN asset_identifiers y ON y.kind = x.kind AND "
        "y.scope = x.scope AND y.value <> x.value WHERE x.asset_id = ?1 AND y.asset_id = ?2 AND "
        "x.kind IN ('machine-id', 'cloud-id', 'serial') UNION ALL "
        /* a person split a source off one of them: never joined again automatically */
        "SELECT 1 FROM asset_merges m JOIN asset_sources src ON src.source = m.source WHERE "
        "m.undone_at IS NOT NULL AND ((m.asset_id = ?1 AND src.asset_id = ?2) OR (m.asset_id = ?2 "
        "AND src.asset_id = ?1)) LIMIT 1";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, a);
    pl__db_bind_int64(st, 2, b);
    step = pl__db_step(st);
    *clash = step == PL_DB_ROW;
    if (step != PL_DB_ROW && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset identifiers");
    pl__store_done(st);
    return rc;
}

/*
 * An observation that names, besides its asset, another live asset by one of
 * its identifiers bridges them: two sources that saw one machine first under
 * identifiers they did not share become one asset as soon as a source shows
 * the link, whatever order they came in. Never across different machine-ids,
 * cloud ids or serials, nor undoing a split; recorded as a merge by that
 * identifier and audited.
 */
static pl_status bridge(struct pl_store *s, int64_t id, const struct pl_observation *o,
                        struct pl_error *err)
{
    static const char sql[] =
        "SELECT i.asset_id FROM asset_identifiers i JOIN assets a ON a.id = i.asset_id WHERE "
        "i.kind = ?1 AND i.value = ?2 AND i.scope = ?3 AND i.asset_id <> ?4 AND "
        "a.retired_at IS NULL ORDER BY i.asset_id LIMIT 1";
    static const char why[] =
        "UPDATE asset_merges SET manual = 0, matched_kind = ?2, matched_value = ?3, "
        "matched_scope = ?4 WHERE asset_id = ?1 AND merged_from = ?5 AND manual = 1";
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < o->n_ids; i++) {
        const char *scope = o->ids[i].scope ? o->ids[i].scope : "";
        int64_t other = 0;
        bool clash = false;
        struct pl_stmt *st;
        int step;

        if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
            return rc;
        pl__store_bind_text(st, 1, o->ids[i].kind);
        pl__store_bind_text(st, 2, o->ids[i].value);
        pl__store_bind_text(st, 3, scope);
        pl__db_bind_int64(st, 4, id);
        if ((step = pl__db_step(st)) == PL_DB_ROW)
            other = pl__db_column_int64(st, 0);
        else if (step != PL_DB_DONE)
            rc = pl__store_fail(s, err, "asset bridge");
        pl__store_done(st);
        if (rc != PL_OK || other == 0 || (rc = assets_clash(s, id, other, &clash, err)) != PL_OK ||
            clash)
            continue;
        if ((rc = pl_store_asset_merge(s, id, other, err)) != PL_OK ||
            (rc = pl__store_cached(s, why, &st, err)) != PL_OK)
            return rc;
        pl__db_bind_int64(st, 1, id);
        pl__store_bind_text(st, 2, o->ids[i].kind);
        pl__store_bind_text(st, 3, o->ids[i].value);
        pl__store_bind_text(st, 4, scope);
        pl__db_bind_int64(st, 5, other);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "asset bridge");
        pl__store_done(st);
        i--; /* the same identifier may name one more asset */
    }
    return rc;
}

pl_status pl_store_asset_observe(struct pl_store *s, const struct pl_observation *obs,
                                 int64_t *asset_id, bool *created, struct pl_error *err)
{
    int64_t id = 0;
    bool made = false;
    int matched = -1;
    pl_status rc;

    if ((rc = check_observation(obs, err)) != PL_OK)
        return rc;
    if ((rc = find_asset(s, obs, &id, &matched, err)) != PL_OK)
        return rc;
    if (matched >= 0 && (rc = record_merge(s, id, obs, &obs->ids[matched], err)) != PL_OK)
        return rc;
    if (id == 0) {
        if ((rc = create_asset(s, obs, &id, err)) != PL_OK)
            return rc;
        made = true;
    }
    if ((rc = update_asset(s, id, obs, err)) != PL_OK ||
        (rc = record_links(s, id, obs, err)) != PL_OK ||
        (rc = pl__obs_record(s, id, obs, err)) != PL_OK || (rc = bridge(s, id, obs, err)) != PL_OK)
        return rc;
    *asset_id = id;
    if (created)
        *created = made;
    return PL_OK;
}

static void read_asset(struct pl_stmt *st, struct pl_asset *a)
{
    char **text[] = {&a->name,        &a->kind,        &a->owner,     &a->environment,
                     &a->criticality, &a->exposure,    &a->os_family, &a->os_name,
                     &a->os_version,  &a->os_codename, &a->arch,      &a->kernel};

    a->id = pl__db_column_int64(st, 0);
    for (size_t i = 0; i < PL_ARRAY_LEN(text); i++)
        *text[i] = pl__store_col_strdup(st, (int)i + 1);
    a->reboot_required = pl__db_column_type(st, 13) == PL_DB_NULL ? -1 : pl__db_column_int(st, 13);
    a->has_last_patched = pl__db_column_type(st, 14) != PL_DB_NULL;
    a->last_patched = a->has_last_patched ? pl__db_column_int64(st, 14) : 0;
    a->first_seen = pl__db_column_int64(st, 15);
    a->last_seen = pl__db_column_int64(st, 16);
    a->n_packages = pl__db_column_int64(st, 17);
}

pl_status pl_store_asset_list(struct pl_store *s, struct pl_asset_list *out, struct pl_error *err)
{
    static const char sql[] =
        "SELECT id, name, kind, owner, environment, criticality, exposure, os_family, os_name, "
        "os_version, os_codename, arch, kernel, reboot_required, last_patched, first_seen, "
        "last_seen, (SELECT count(*) FROM packages p WHERE p.asset_id = a.id) "
        "FROM assets a WHERE retired_at IS NULL ORDER BY name, id";
    struct pl_asset_list l = {NULL, 0};
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        l.items = pl_xgrow(l.items, l.n, &cap, 16, sizeof(*l.items));
        read_asset(st, &l.items[l.n++]);
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "asset list");
        pl_asset_list_release(&l);
    } else {
        *out = l;
    }
    pl__store_done(st);
    return rc;
}

void pl_asset_list_release(struct pl_asset_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct pl_asset *a = &l->items[i];
        char *text[] = {a->name,        a->kind,        a->owner,     a->environment,
                        a->criticality, a->exposure,    a->os_family, a->os_name,
                        a->os_version,  a->os_codename, a->arch,      a->kernel};

        for (size_t k = 0; k < PL_ARRAY_LEN(text); k++)
            free(text[k]);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

pl_status pl_store_asset_resolve(struct pl_store *s, const char *ref, int64_t *asset_id,
                                 struct pl_error *err)
{
    struct pl_buf ids = PL_BUF_INIT(128);
    struct pl_stmt *st;
    int64_t id = 0, v;
    size_t n = 0;
    pl_status rc;
    int step;

    if (all_digits(ref) && pl_parse_i64(ref, &v, NULL) == PL_OK) {
        if ((rc = lookup_id(s, "SELECT id FROM assets WHERE id = CAST(? AS INTEGER)", ref, NULL,
                            NULL, &id, err)) != PL_OK)
            return rc;
        if (id) {
            *asset_id = id;
            return PL_OK;
        }
    }
    if ((rc = pl__store_cached(s, "SELECT id FROM assets WHERE name = ? ORDER BY id", &st, err)) !=
        PL_OK)
        return rc;
    pl__store_bind_text(st, 1, ref);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        id = pl__db_column_int64(st, 0);
        pl_buf_addf(&ids, "%s%lld", n++ ? ", " : "", (long long)id);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset resolve");
    else if (n == 0)
        rc = pl_error_set(err, PL_E_NOTFOUND, "no asset '%s' (give an id or a name)", ref);
    else if (n > 1)
        rc = pl_error_set(err, PL_E_CONFLICT, "asset name '%s' is ambiguous (ids %s); give an id",
                          ref, pl_buf_cstr(&ids));
    else
        *asset_id = id;
    pl__store_done(st);
    pl_buf_release(&ids);
    return rc;
}
