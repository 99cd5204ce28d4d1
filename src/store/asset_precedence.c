/*
 * asset_precedence.c - import runs that observations point to, and the
 * precedence file that overrides the default ranking of sources.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/parse.h"

#include "store_obs.h"

/* A precedence file is a handful of lines. */
#define MAX_PRECEDENCE_BYTES ((size_t)64 * 1024)

pl_status pl_store_import_open(struct pl_store *s, const char *source, const char *file,
                               int64_t *import_id, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(
             s,
             "INSERT INTO asset_imports (source, file, at, actor) VALUES (?, ?, ?, ?) RETURNING id",
             &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, source);
    pl__store_bind_text(st, 2, file);
    pl__db_bind_int64(st, 3, pl_clock_now());
    pl__store_bind_text(st, 4, pl_store_actor());
    if ((rc = pl__store_step_id(s, st, "import run", &s->import_id, err)) == PL_OK) {
        if (import_id)
            *import_id = s->import_id;
    }
    pl__db_finalize(st);
    return rc;
}

void pl_store_import_close(struct pl_store *s)
{
    s->import_id = 0;
}

static const char *const known_attrs[] = {
    "os",          "packages",    "arch",     "kernel", "reboot_required", "last_patched", "owner",
    "environment", "criticality", "exposure", NULL,
};

static pl_status put_rank(struct pl_store *s, const char *attr, const char *source, int64_t rank,
                          struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc =
             pl__store_prepare(s,
                               "INSERT INTO asset_precedence (attr, source, rank) VALUES (?, ?, ?) "
                               "ON CONFLICT (attr, source) DO UPDATE SET rank = excluded.rank",
                               &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, attr);
    pl__store_bind_text(st, 2, source);
    pl__db_bind_int64(st, 3, rank);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset precedence");
    pl__db_finalize(st);
    return rc;
}

static char *trim(char *p)
{
    size_t n;

    while (isspace((unsigned char)*p))
        p++;
    n = strlen(p);
    while (n > 0 && isspace((unsigned char)p[n - 1]))
        p[--n] = '\0';
    return p;
}

/* "SRC > SRC = SRC > SRC": ranks 0, 1, 1, 2. */
static pl_status parse_ranks(struct pl_store *s, const char *path, size_t line, const char *attr,
                             char *list, struct pl_error *err)
{
    int64_t rank = 0;
    pl_status rc = PL_OK;
    char *p = list;

    while (rc == PL_OK && p) {
        size_t n = strcspn(p, ">=");
        char sep = p[n], *word;

        p[n] = '\0';
        word = trim(p);
        if (!word[0] || strchr(word, ' ') || strchr(word, '\t'))
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: attribute '%s': want SOURCE > SOURCE",
                                path, line, attr);
        rc = put_rank(s, attr, word, rank, err);
        if (sep == '>')
            rank++;
        p = sep ? p + n + 1 : NULL;
    }
    return rc;
}

static pl_status parse_line(struct pl_store *s, const char *path, size_t line, char *text,
                            struct pl_error *err)
{
    char *colon = strchr(text, ':'), *attr;
    size_t k;
    int64_t days;

    if ((attr = strchr(text, '#')) != NULL)
        *attr = '\0';
    if (!trim(text)[0])
        return PL_OK;
    if (colon == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: want ATTRIBUTE: SOURCE > SOURCE", path, line);
    *colon = '\0';
    attr = trim(text);
    if (strcmp(attr, "max-age") == 0) {
        if (pl_parse_i64(trim(colon + 1), &days, NULL) != PL_OK || days < 1 || days > 36500)
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: max-age: want a number of days", path,
                                line);
        return put_rank(s, "*max-age", "", days, err);
    }
    for (k = 0; known_attrs[k] && strcmp(known_attrs[k], attr) != 0; k++)
        ;
    if (known_attrs[k] == NULL)
        return pl_error_set(err, PL_E_PARSE,
                            "%s:%zu: unknown attribute '%.64s' (os, packages, arch, kernel, "
                            "reboot_required, last_patched, owner, environment, criticality, "
                            "exposure, max-age)",
                            path, line, attr);
    return parse_ranks(s, path, line, attr, colon + 1, err);
}

pl_status pl_store_asset_precedence_load(struct pl_store *s, const char *path, struct pl_error *err)
{
    return pl_store_asset_precedence_load_as(s, path, path, err);
}

pl_status pl_store_asset_precedence_load_as(struct pl_store *s, const char *path, const char *name,
                                            struct pl_error *err)
{
    struct pl_buf text = PL_BUF_INIT(MAX_PRECEDENCE_BYTES);
    pl_status rc = PL_OK;
    size_t line = 0;
    char *p, *nl;

    if (path && (rc = pl_file_read(path, MAX_PRECEDENCE_BYTES, &text, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_begin(s, err)) != PL_OK)
        goto out;
    if ((rc = pl__store_exec(s, "DELETE FROM asset_precedence", err)) != PL_OK)
        goto done;
    for (p = path ? text.buf : NULL; rc == PL_OK && p && *p; p = nl ? nl + 1 : NULL) {
        if ((nl = strchr(p, '\n')) != NULL)
            *nl = '\0';
        rc = parse_line(s, name, ++line, p, err);
    }
    if (rc == PL_OK)
        rc = pl_store_asset_reresolve(s, pl_clock_now(), err);
    if (rc == PL_OK)
        rc = pl_store_audit(s, "asset.precedence", path ? name : "default", NULL, err);
done:
    if (rc == PL_OK)
        rc = pl_store_commit(s, err);
    else
        pl_store_rollback(s);
out:
    pl_buf_release(&text);
    return rc;
}
