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
/* affected ranges and advisories (distro importers) */

/*
 * One affected row as an importer hands it to the store. Strings are
 * borrowed for the duration of the put call; NULL means "none".
 */
struct pl_affected_row {
    const char *vuln_id;      /* CVE, GHSA, ALSA...; NULL: the advisory id */
    const char *ecosystem;    /* normalised: "debian:bookworm", "almalinux:9", "npm" */
    const char *package;      /* package name as the ecosystem spells it */
    const char *package_kind; /* "source", "binary", "cpe" or "purl" */
    const char *status;       /* "affected", "fixed", "open", "not-affected", "undetermined" */
    const char *introduced, *fixed, *last_affected;
    const char *urgency;  /* Debian urgency as the tracker writes it */
    const char *severity; /* vendor severity of this row ("Important") */
    const char *marker;   /* "no-dsa", "postponed", "ignored" (Debian) */
    const char *note;     /* text that goes with the marker */
};

/* A vulnerability an advisory covers, with the advisory's view of it. */
struct pl_advisory_vuln {
    const char *vuln_id;
    const char *severity;    /* "Important", or NULL */
    const char *cvss_vector; /* or NULL */
    double cvss_score;       /* < 0: none */
};

/*
 * One advisory: the unit an importer replaces as a whole. Build it with
 * pl_advisory_init, add rows, aliases and vulns, put it, then reset it
 * for the next one. Strings are borrowed until the next reset.
 */
struct pl_advisory {
    const char *feed; /* "osv", "debian", "alpine-secdb", "csaf" */
    const char *id;
    pl_time_t published, modified, withdrawn; /* 0: unknown */
    const char *severity, *summary;
    struct pl_affected_row *rows;
    size_t n_rows, cap_rows;
    const char **aliases; /* other ids for the same vulnerability as id */
    size_t n_aliases, cap_aliases;
    struct pl_advisory_vuln *vulns;
    size_t n_vulns, cap_vulns;
};

void pl_advisory_init(struct pl_advisory *a, const char *feed);
/* Forget the id, rows, aliases and vulns (keeps the allocations and feed). */
void pl_advisory_reset(struct pl_advisory *a);
void pl_advisory_release(struct pl_advisory *a);
/* Append a row (copied by value; its strings stay borrowed); returns it for the caller to fill. */
struct pl_affected_row *pl_advisory_add_row(struct pl_advisory *a);
void pl_advisory_add_alias(struct pl_advisory *a, const char *alias);
struct pl_advisory_vuln *pl_advisory_add_vuln(struct pl_advisory *a, const char *vuln_id);

/* What pl_advisory_writer_put did with one advisory. */
enum pl_put_result {
    PL_PUT_INSERTED,  /* not known before */
    PL_PUT_UPDATED,   /* newer (or different) than the stored one: its rows replaced */
    PL_PUT_UNCHANGED, /* the stored one is the same or newer: nothing written */
};

/* Prepared statements for one import; opaque. */
struct pl_advisory_writer;

PL_NODISCARD pl_status pl_advisory_writer_open(struct pl_store *s, struct pl_advisory_writer **out,
                                               struct pl_error *err);
/*
 * Store a, replacing the advisory (feed, id) when a is newer: by `modified`
 * when both have one (equal or older: unchanged), else when the content
 * digest differs. Writes vulnerabilities rows (INSERT OR IGNORE) for every
 * vuln id it mentions, vuln_aliases (id -> alias), advisories,
 * advisory_vulns and affected rows. Call inside a transaction.
 */
PL_NODISCARD pl_status pl_advisory_writer_put(struct pl_advisory_writer *w,
                                              const struct pl_advisory *a,
                                              enum pl_put_result *result, struct pl_error *err);
void pl_advisory_writer_close(struct pl_advisory_writer *w);

/* One stored affected row, as read back (owned strings). */
struct pl_affected {
    char *vuln_id, *feed, *advisory, *ecosystem, *package, *package_kind, *status;
    char *introduced, *fixed, *last_affected, *urgency, *severity, *marker, *note;
};

struct pl_affected_list {
    struct pl_affected *items;
    size_t n;
};

/*
 * Affected rows matching every non-NULL filter, ordered by vuln_id,
 * ecosystem, package, introduced, fixed.
 */
PL_NODISCARD pl_status pl_store_affected_list(struct pl_store *s, const char *vuln_id,
                                              const char *ecosystem, const char *package,
                                              struct pl_affected_list *out, struct pl_error *err);
void pl_affected_list_release(struct pl_affected_list *l);

/* Counts for one feed (NULL: all feeds). */
struct pl_advisory_counts {
    int64_t advisories, withdrawn, rows, vulns, packages, aliases;
};
PL_NODISCARD pl_status pl_store_advisory_counts(struct pl_store *s, const char *feed,
                                                struct pl_advisory_counts *out,
                                                struct pl_error *err);

/* One stored advisory (owned strings); *found false when absent. */
struct pl_advisory_info {
    char *severity, *summary, *digest;
    pl_time_t published, modified, withdrawn;
};
PL_NODISCARD pl_status pl_store_advisory_get(struct pl_store *s, const char *feed, const char *id,
                                             struct pl_advisory_info *out, bool *found,
                                             struct pl_error *err);
void pl_advisory_info_release(struct pl_advisory_info *i);

/* The advisory's view of one vulnerability (owned strings); *found false when absent. */
struct pl_advisory_vuln_info {
    char *severity, *cvss_vector;
    double cvss_score; /* < 0: none */
};
PL_NODISCARD pl_status pl_store_advisory_vuln_get(struct pl_store *s, const char *feed,
                                                  const char *advisory, const char *vuln_id,
                                                  struct pl_advisory_vuln_info *out, bool *found,
                                                  struct pl_error *err);
void pl_advisory_vuln_info_release(struct pl_advisory_vuln_info *i);

/* Aliases recorded for vuln_id (either direction), sorted, as one space-separated string. */
PL_NODISCARD pl_status pl_store_vuln_aliases(struct pl_store *s, const char *vuln_id,
                                             struct pl_buf *out, struct pl_error *err);

/* ---- findings (match, policy) ----------------------------------------- */

/* ---- plans and jobs (plan, apply) ------------------------------------- */

/* ---- metrics (report) ------------------------------------------------- */

#endif /* PATCHLINE_STORE_H */
