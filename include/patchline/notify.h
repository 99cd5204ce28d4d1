/*
 * notify.h - signed webhooks (docs/identity.md, "Webhooks"): notifiers that
 * receive a JSON event signed with HMAC-SHA-256 when a Tier 0 finding opens,
 * an SLA is breached, an approval is waiting or an exception is about to
 * expire. The store keeps the notifiers and an outbox (store_notify.h);
 * this module checks what goes in, builds and signs the bodies, and
 * delivers them over HTTP(S) with libcurl, retrying with back-off.
 *
 * Signature: X-Patchline-Signature: sha256=HEX, where HEX is the
 * HMAC-SHA-256, under the notifier's secret, of "TIMESTAMP.BODY" and
 * TIMESTAMP is the X-Patchline-Timestamp header (Unix seconds at sending).
 *
 * Not thread-safe: pl_notify_deliver initialises libcurl.
 */
#ifndef PATCHLINE_NOTIFY_H
#define PATCHLINE_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/escape.h"
#include "patchline/store.h"
#include "patchline/store_notify.h"

/* Attempts before an event is given up (marked dead). */
#define PL_NOTIFY_MAX_ATTEMPTS 8
/* The first retry waits this long; each later one twice the one before. */
#define PL_NOTIFY_FIRST_RETRY 60
/* Secret bytes accepted from the secret file. */
#define PL_NOTIFY_SECRET_MIN 16
#define PL_NOTIFY_SECRET_MAX 256
/* Default days ahead an expiring exception is announced. */
#define PL_NOTIFY_EXPIRING_DAYS 7
/* "sha256=" and 64 hex digits. */
#define PL_NOTIFY_SIG_LEN 71
/* Longest URL accepted. */
#define PL_NOTIFY_URL_MAX 2048

/*
 * Parse a comma list of event names (tier0-opened, sla-breached,
 * approval-waiting, exception-expiring) into PL_NOTIFY_EV_* bits.
 * PL_E_INVALID names an unknown event.
 */
PL_NODISCARD pl_status pl_notify_events_parse(const char *list, unsigned *events,
                                              struct pl_error *err);

/* The names of a set of events, comma-separated, into buf; returns buf. */
char *pl_notify_events_format(unsigned events, char *buf, size_t size);

/*
 * Check a notifier URL: https, or plain http only to a loopback address
 * (127.0.0.0/8, [::1]); no user name or password in it. PL_E_INVALID says why.
 */
PL_NODISCARD pl_status pl_notify_url_check(const char *url, struct pl_error *err);

/* What pl_notify_add records. */
struct pl_notify_add {
    const char *url;
    const char *secret_path; /* a file holding the secret; "-": standard input */
    const uint8_t *secret;   /* else the secret itself (secret_len bytes), as the API takes it */
    size_t secret_len;
    unsigned events;   /* 0: every event */
    int expiring_days; /* 0: PL_NOTIFY_EXPIRING_DAYS */
};

/*
 * Read a secret file as pl_notify_add does (path "-": standard input; a
 * file readable by group or others is refused; one trailing newline
 * dropped; PL_NOTIFY_SECRET_MIN to PL_NOTIFY_SECRET_MAX bytes) into buf,
 * *n its length. PL_E_INVALID or PL_E_IO names the file.
 */
PL_NODISCARD pl_status pl_notify_secret_read(const char *path,
                                             uint8_t buf[PL_NOTIFY_SECRET_MAX + 2], size_t *n,
                                             struct pl_error *err);

/*
 * Add a notifier: checks the URL, reads the secret (PL_NOTIFY_SECRET_MIN to
 * PL_NOTIFY_SECRET_MAX bytes, one trailing newline dropped; a secret file
 * readable by group or others is refused), and records it (admin; audited
 * without the secret). *id receives its id.
 */
PL_NODISCARD pl_status pl_notify_add(struct pl_store *s, const struct pl_notify_add *a,
                                     pl_time_t now, int64_t *id, struct pl_error *err);

/* Remove a notifier (admin; audited). */
PL_NODISCARD pl_status pl_notify_remove(struct pl_store *s, int64_t id, pl_time_t now,
                                        struct pl_error *err);

/*
 * The listing of `notify list` (and GET /api/v1/notifiers): its columns and
 * one notifier's cells (pointing into c and the row; never the secret),
 * rendered by the CLI and the server alike.
 */
#define PL_NOTIFIER_N_COLS 9
extern const char *const pl_notifier_col_names[PL_NOTIFIER_N_COLS];
extern const enum pl_cell_type pl_notifier_col_types[PL_NOTIFIER_N_COLS];
struct pl_notifier_cells {
    const char *v[PL_NOTIFIER_N_COLS];
    char id[24], events[96], waiting[24], delivered[24], dead[24], created[PL_TIME_STR_LEN];
};
void pl_notifier_cells(const struct pl_notifier_row *n, struct pl_notifier_cells *c);

/* The notifiers with their outbox counts (a read). Release with pl_notifier_rows_release. */
PL_NODISCARD pl_status pl_notify_list(struct pl_store *s, struct pl_notifier_row **rows, size_t *n,
                                      struct pl_error *err);

/*
 * The JSON body of an event: {"id", "type", "time", "object": {...}}, every
 * string escaped. Appends to out.
 */
void pl_notify_body(const struct pl_notify_item *it, struct pl_buf *out);

/* sig = "sha256=" HMAC-SHA-256(key, "TIMESTAMP.BODY") in hex. */
void pl_notify_sign(const uint8_t *key, size_t key_len, int64_t timestamp, const char *body,
                    size_t body_len, char sig[PL_NOTIFY_SIG_LEN + 1]);

/*
 * Seconds to wait after the attempts-th failed attempt: PL_NOTIFY_FIRST_RETRY
 * doubled per earlier failure; -1 when attempts reached PL_NOTIFY_MAX_ATTEMPTS
 * (give up).
 */
int64_t pl_notify_backoff(int attempts);

struct pl_notify_deliver_opts {
    pl_time_t now;     /* the effective clock: due events and retry times */
    size_t max;        /* events per run (0: 100) */
    long timeout_secs; /* per request (0: 30) */
};

struct pl_notify_summary {
    int64_t enqueued, delivered, retrying, dead;
};

/*
 * Enqueue the events due at opts->now (pl_store_notify_enqueue, in a
 * transaction of its own), then claim the due events and POST each one,
 * recording each outcome in a transaction of its own: a 2xx answer
 * delivers it, anything else (a failed connection, another status) is
 * retried after pl_notify_backoff, and given up after
 * PL_NOTIFY_MAX_ATTEMPTS. Writes one audit event when it delivered or gave
 * up anything. The failure of one delivery is not an error of the run.
 */
PL_NODISCARD pl_status pl_notify_deliver(struct pl_store *s,
                                         const struct pl_notify_deliver_opts *opts,
                                         struct pl_notify_summary *sum, struct pl_error *err);

#endif /* PATCHLINE_NOTIFY_H */
