/*
 * store_int.h - private to src/store: the handle and statement helpers.
 */
#ifndef PATCHLINE_STORE_INT_H
#define PATCHLINE_STORE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "patchline/store.h"

#include "db.h"

/* A prepared statement kept for reuse, keyed by the address of its SQL text. */
struct pl__stmt_cache {
    const char *sql;
    struct pl_stmt *st;
};

struct pl_store {
    struct pl_db *db;
    struct pl__stmt_cache *cache;
    size_t n_cache, cap_cache;
    char *path;
    char *created_folder; /* the top folder pl_store_open created, or NULL */
    int tx_depth;
    bool tx_failed;
    /* writers waiting for writers (lock.c) */
    int64_t lock_timeout_ms, busy_since;
    char *command;           /* this writer, as the holder record names it */
    char *writer_path;       /* PATH-writer: the holder record */
    int writer_fd;           /* PATH-writer, open while writer_open */
    bool writer_open;        /* opened by this handle's first write (lock.c) */
    dev_t writer_dev;        /* the file writer_fd is (device, inode): */
    ino_t writer_ino;        /* to notice it removed or replaced */
    bool holding;            /* this handle holds the record's lock */
    int64_t import_id;       /* the import run observations are recorded under; 0: none */
    bool simulated;          /* the store's mode (store_mode), read at open */
    bool query_only;         /* a real store opened while the clock is set: a what-if view */
    bool whatif;             /* in a what-if transaction (always rolled back) */
    bool reading;            /* in a read transaction (pl_store_read_begin) */
    bool scan_shared;        /* pl_store_scan_shared on (PostgreSQL) */
    struct pl__auth *auth;   /* principal, audit key and chain head (auth_int.h); may be NULL */
    uint64_t commits;        /* transactions this handle committed (pl_store_generation) */
    struct pl__texts *texts; /* the open findings writer's texts (finding_texts.c), or NULL */
};

/* The audit chain around a transaction's end (audit.c): write the checkpoint, or forget. */
void pl__store_audit_committed(struct pl_store *s);
void pl__store_audit_rolled_back(struct pl_store *s);
/* Sync the checkpoint when this handle left its last one to the OS (pl_store_close). */
void pl__store_audit_close(struct pl_store *s);
/* The audit key file and checkpoint file of s (audit.c; docs/identity.md). */
void pl__audit_files(const struct pl_store *s, struct pl_buf *key, struct pl_buf *head);
/* Make the folders the audit files of a PostgreSQL store live in, when missing. */
void pl__audit_folders(const struct pl_store *s);
/* The store's audit key (loaded, or made when the chain is empty); borrowed. */
PL_NODISCARD pl_status pl__audit_key(struct pl_store *s, const uint8_t **key, size_t *len,
                                     struct pl_error *err);
/*
 * Secrets the store must give back (a notifier's signing secret) are kept
 * sealed (seal.c): AES-256-GCM under a key derived from the audit key file
 * (0600), so the store's rows alone never reveal them. pl__store_seal: text
 * -> "v1:" + hex(nonce, ciphertext, tag) into out. pl__store_unseal: the
 * reverse, into a new string *plain (the caller cleanses and frees it).
 */
PL_NODISCARD pl_status pl__store_seal(struct pl_store *s, const char *text, struct pl_buf *out,
                                      struct pl_error *err);
PL_NODISCARD pl_status pl__store_unseal(struct pl_store *s, const char *sealed, char **plain,
                                        struct pl_error *err);
/* Free the handle's auth state (principal.c). */
void pl__store_auth_free(struct pl_store *s);

/* Migrations, in order, NULL-terminated (generated from migrations/ *.sql). */
extern const char *const pl__store_migrations[];

/* Lock timeout, holder name and busy handler of a freshly opened handle (lock.c). */
void pl__store_lock_setup(struct pl_store *s, const struct pl_store_opts *o);

/* BEGIN IMMEDIATE, waiting for another writer up to the timeout; records this writer. */
PL_NODISCARD pl_status pl__store_lock_begin(struct pl_store *s, struct pl_error *err);

/* Let go of the record's lock, then COMMIT; or ROLLBACK. */
PL_NODISCARD pl_status pl__store_lock_commit(struct pl_store *s, struct pl_error *err);
void pl__store_lock_rollback(struct pl_store *s);

/* Let go of the record's lock (when this handle holds it). */
void pl__store_lock_forget(struct pl_store *s);

/* Close the handle's holder record file (pl_store_close). */
void pl__store_lock_close(struct pl_store *s);
/*
 * The store's mode (mode.c). pl__store_mode_create marks a store created by
 * this open (inside the migration transaction); pl__store_mode_load reads
 * the mode and makes a real store read-only while the clock is set.
 */
PL_NODISCARD pl_status pl__store_mode_create(struct pl_store *s, bool simulated,
                                             struct pl_error *err);
PL_NODISCARD pl_status pl__store_mode_load(struct pl_store *s, struct pl_error *err);

/* Record the SQLite error of s->db in err with a context; returns PL_E_STORE. */
/*
 * Before a scan writes a row that another scan's batch may write too (a new
 * finding text, a computed CVSS score): while scans share the store
 * (pl_store_scan_shared), one batch at a time does, so that two never wait
 * for each other's rows (a deadlock). No-op otherwise.
 */
PL_NODISCARD pl_status pl__store_shared_rows(struct pl_store *s, struct pl_error *err);
pl_status pl__store_fail(struct pl_store *s, struct pl_error *err, const char *what);

/* Prepare sql on s; on failure fills err. */
PL_NODISCARD pl_status pl__store_prepare(struct pl_store *s, const char *sql, struct pl_stmt **out,
                                         struct pl_error *err);

/*
 * A statement from the handle's cache, prepared on first use: for hot paths
 * that run once per record. `sql` must have static storage (a string literal
 * or a static array): it is the key. The statement comes reset with no
 * bindings; hand it back with pl__store_done(), never pl__db_finalize().
 * Not for a statement that may still be stepping when the same SQL is
 * needed again (recursion).
 */
PL_NODISCARD pl_status pl__store_cached(struct pl_store *s, const char *sql, struct pl_stmt **out,
                                        struct pl_error *err);
void pl__store_done(struct pl_stmt *st);

/*
 * pl__store_cached for a write of a bulk load (an import's or a synthetic
 * estate's rows): marked pl__db_batch, so that on PostgreSQL its outcome may
 * come later (a failure is returned by a later step, pl__store_flush or the
 * commit). An INSERT, UPDATE or DELETE without RETURNING, in a transaction.
 */
PL_NODISCARD pl_status pl__store_batched(struct pl_store *s, const char *sql, struct pl_stmt **out,
                                         struct pl_error *err);

/*
 * Bind one row of a multi-row write: its columns are parameters first,
 * first + 1, ... (in the order of the statement's column list).
 */
typedef void (*pl__store_row_fn)(struct pl_stmt *st, int first, const void *row, void *ctx);

/*
 * Write n rows with multi-row statements: head is "INSERT INTO t (a, b, ...)",
 * tail what follows the VALUES list ("" or an ON CONFLICT clause that refers
 * to excluded.*, not to parameters), cols the parameters of a row, bind binds
 * rows[i]. Statements of 64, 16, 4 and 1 rows (few texts to prepare), each
 * batched (pl__store_batched); what names a failure. Portable SQL: one
 * statement instead of one per row is what saves PostgreSQL's per-statement
 * work. The rows must not conflict with one another (one statement may not
 * update a row twice).
 */
PL_NODISCARD pl_status pl__store_insert_rows(struct pl_store *s, const char *head, const char *tail,
                                             int cols, const void *const *rows, size_t n,
                                             pl__store_row_fn bind, void *ctx, const char *what,
                                             struct pl_error *err);

/* The outcomes of the batched writes so far (pl__db_flush); a failure named with what. */
PL_NODISCARD pl_status pl__store_flush(struct pl_store *s, const char *what, struct pl_error *err);

/*
 * The entries one catalogue import lists (kev, epss): filled by the intel writer,
 * read by the KEV prune and by pl_store_feed_entries_check / _record.
 */
#define PL__FEED_SEEN_SQL \
    "CREATE TEMP TABLE IF NOT EXISTS feed_seen (entry TEXT NOT NULL PRIMARY KEY); DELETE FROM feed_seen"

/*
 * Step an `INSERT ... RETURNING id` to its end: the new row's id into *id
 * (PL_E_NOTFOUND when no row was inserted). Neither resets nor finalizes st.
 */
PL_NODISCARD pl_status pl__store_step_id(struct pl_store *s, struct pl_stmt *st, const char *what,
                                         int64_t *id, struct pl_error *err);

/*
 * Empty the temporary table `table` (created when missing: one column vuln_id, its primary
 * key) and fill it with ids. table is a name from the code, never from data.
 */
PL_NODISCARD pl_status pl__store_temp_ids(struct pl_store *s, const char *table,
                                          const char *const *ids, size_t n, const char *what,
                                          struct pl_error *err);

/* A SQLite tuning statement (a PRAGMA): run on SQLite, nothing on other backends. */
PL_NODISCARD pl_status pl__store_tune(struct pl_store *s, const char *pragma, struct pl_error *err);

/* Execute sql (no results) on s. */
PL_NODISCARD pl_status pl__store_exec(struct pl_store *s, const char *sql, struct pl_error *err);

/* Bind text, or NULL when s is NULL. */
int pl__store_bind_text(struct pl_stmt *st, int i, const char *s);

/* Bind an int64, or NULL when is_null. */
int pl__store_bind_opt_i64(struct pl_stmt *st, int i, int64_t v, bool is_null);

/* Copy column i as a malloc'd string, or NULL for SQL NULL. */
char *pl__store_col_strdup(struct pl_stmt *st, int i);

/*
 * The texts a finding holds by reference (finding_texts, 0034: match evidence,
 * fix proof, policy digest; 0041: source package, feed, advisory, vendor
 * severity, marker, rule, policy name), each kept once: pl__texts_ref gives the id of
 * text (0 for NULL), adding the row on first use, remembered for the life of
 * the cache (one writer, one command).
 */
struct pl__texts;
struct pl__texts *pl__texts_open(struct pl_store *s);
void pl__texts_close(struct pl__texts *t);
PL_NODISCARD pl_status pl__texts_ref(struct pl__texts *t, const char *text, int64_t *id,
                                     struct pl_error *err);
/* *text: the text of id (NULL for 0), read once and kept; the cache's, valid while it is. */
PL_NODISCARD pl_status pl__texts_text(struct pl__texts *t, int64_t id, const char **text,
                                      struct pl_error *err);
/*
 * Load every text of the store into t (one read; a scan's writer does, so
 * that the scan asks the store for no text it holds and for no id of a text
 * it does not: a text missing from t is added).
 */
PL_NODISCARD pl_status pl__texts_load(struct pl__texts *t, struct pl_error *err);

/*
 * The other way, for readers: the text of a reference, read from
 * finding_texts once per id for the life of the map (one listing, one
 * report) and kept in memory; the rows read give their ids, not a look-up
 * per column per row. While a findings writer is open on the store (a scan)
 * the map is the writer's, loaded once for the scan. *text (NULL for id 0)
 * is the map's, valid until pl__text_names_close.
 */
struct pl__text_names;
struct pl__text_names *pl__text_names_open(struct pl_store *s);
void pl__text_names_close(struct pl__text_names *n);
PL_NODISCARD pl_status pl__text_names_get(struct pl__text_names *n, int64_t id, const char **text,
                                          struct pl_error *err);
/* *out: a copy of the text of the reference in column col of st (NULL for NULL). */
PL_NODISCARD pl_status pl__text_names_col(struct pl__text_names *n, struct pl_stmt *st, int col,
                                          char **out, struct pl_error *err);

#endif /* PATCHLINE_STORE_INT_H */
