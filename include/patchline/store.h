/*
 * store.h - the one store every stage reads and writes (SQLite by default).
 *
 * Every SQL statement of Patchline lives behind this header, in src/store/.
 * Stages exchange plain structs through it. A store handle is not
 * thread-safe; open one per thread.
 *
 * Ownership: functions that fill a struct or list allocate its strings; the
 * caller releases it with the matching *_release function. Strings passed in
 * are copied; the caller keeps them.
 */
#ifndef PATCHLINE_STORE_H
#define PATCHLINE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/error.h"

struct pl_store;

/* Flags for pl_store_open. */
#define PL_STORE_READONLY 0x1 /* open read-only; the file must exist */
#define PL_STORE_CREATE   0x2 /* create the file (and its folder) if missing */

/*
 * Resolve the store path: `explicit_path` when not NULL, else
 * $PATCHLINE_DB, else $XDG_DATA_HOME/patchline/patchline.db, else
 * $HOME/.local/share/patchline/patchline.db. Writes it into out.
 */
PL_NODISCARD pl_status pl_store_default_path(const char *explicit_path, struct pl_buf *out,
                                             struct pl_error *err);

/*
 * Open (and with PL_STORE_CREATE create) the store at path: WAL mode,
 * foreign keys on, pending migrations applied in one transaction. A store
 * written by a newer Patchline is refused (PL_E_UNSUPPORTED). On success
 * *out owns the handle (pl_store_close).
 */
PL_NODISCARD pl_status pl_store_open(const char *path, int flags, struct pl_store **out,
                                     struct pl_error *err);

/* Close; NULL is a no-op. An open transaction is rolled back. */
void pl_store_close(struct pl_store *s);

/* The schema version (number of migrations applied). */
int pl_store_schema_version(struct pl_store *s);

/* Number of migrations this build knows. */
int pl_store_schema_latest(void);

/*
 * Transactions. begin/commit nest: only the outermost pair touches the
 * database. rollback undoes the whole outermost transaction.
 */
PL_NODISCARD pl_status pl_store_begin(struct pl_store *s, struct pl_error *err);
PL_NODISCARD pl_status pl_store_commit(struct pl_store *s, struct pl_error *err);
void pl_store_rollback(struct pl_store *s);

/*
 * Record an audit event: the effective time (pl_clock_now), the real time,
 * whether the clock was simulated, the OS user running the command, and
 * action/object/detail as given (object and detail may be NULL).
 */
PL_NODISCARD pl_status pl_store_audit(struct pl_store *s, const char *action, const char *object,
                                      const char *detail, struct pl_error *err);

/* The OS user name running this process (static storage). */
const char *pl_store_actor(void);

/* One audit event, as listed by pl_store_audit_list. */
struct pl_audit_event {
    int64_t id;
    pl_time_t at, at_real;
    bool simulated;
    char *actor, *action, *object, *detail;
};

struct pl_audit_list {
    struct pl_audit_event *items;
    size_t n;
};

/* The last `limit` audit events, oldest first. */
PL_NODISCARD pl_status pl_store_audit_list(struct pl_store *s, size_t limit,
                                           struct pl_audit_list *out, struct pl_error *err);
void pl_audit_list_release(struct pl_audit_list *l);

/* ---- assets and packages (inventory) ---------------------------------- */

/* ---- vulnerability intelligence (intel) ------------------------------- */

/* ---- findings (match, policy) ----------------------------------------- */

/* ---- plans and jobs (plan, apply) ------------------------------------- */

/* ---- metrics (report) ------------------------------------------------- */

#endif /* PATCHLINE_STORE_H */
