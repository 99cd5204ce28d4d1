/*
 * store_notify.h - signed webhooks as the store keeps them: the notifiers
 * (URL, HMAC secret, events) and the outbox of events waiting for delivery
 * (the rules, the signature and the HTTP delivery are in notify.h).
 *
 * Events are enqueued by pl_store_notify_enqueue inside the caller's
 * transaction, so an event is written exactly when the change that causes
 * it commits. Every event has a key of its own (its id for receivers); a
 * second enqueue of the same event for the same notifier changes nothing.
 */
#ifndef PATCHLINE_STORE_NOTIFY_H
#define PATCHLINE_STORE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/clock.h"
#include "patchline/common.h"
#include "patchline/error.h"
#include "patchline/store.h"

/* The events a notifier may take (a set of bits in notifiers.events). */
#define PL_NOTIFY_EV_TIER0_OPENED       0x1u
#define PL_NOTIFY_EV_SLA_BREACHED       0x2u
#define PL_NOTIFY_EV_APPROVAL_WAITING   0x4u
#define PL_NOTIFY_EV_EXCEPTION_EXPIRING 0x8u
#define PL_NOTIFY_EV_ALL                0xfu

/* What pl_store_notifier_add records. secret_hex: the key, hex (never listed). */
struct pl_notifier_spec {
    const char *url;
    const char *secret_hex;
    unsigned events;
    int expiring_days;
};

/*
 * Add a notifier (PL_ACT_ADMIN of the handle's principal; one audit event
 * naming the URL and events, never the secret), in the caller's
 * transaction or one of its own. *id receives its id.
 */
PL_NODISCARD pl_status pl_store_notifier_add(struct pl_store *s, const struct pl_notifier_spec *n,
                                             pl_time_t now, int64_t *id, struct pl_error *err);

/*
 * Remove a notifier (PL_ACT_ADMIN; audited): it takes no new event and its
 * waiting events are no longer delivered. PL_E_NOTFOUND for an unknown or
 * already removed one.
 */
PL_NODISCARD pl_status pl_store_notifier_remove(struct pl_store *s, int64_t id, pl_time_t now,
                                                struct pl_error *err);

/* A notifier as listed (never its secret), with its outbox counts. */
struct pl_notifier_row {
    int64_t id;
    char *url, *created_by;
    unsigned events;
    int expiring_days;
    pl_time_t created_at, removed_at; /* removed_at 0: live */
    int64_t waiting, delivered, dead;
};
void pl_notifier_rows_release(struct pl_notifier_row *rows, size_t n);

/* Every notifier, oldest first. A read: changes nothing. */
PL_NODISCARD pl_status pl_store_notifier_list(struct pl_store *s, struct pl_notifier_row **rows,
                                              size_t *n, struct pl_error *err);

/*
 * Enqueue, for every live notifier that takes them, the events due at
 * `now` that it has not had yet: Tier 0 findings opened (or raised to Tier
 * 0) since the notifier was added, SLAs breached since then, plans and
 * exceptions waiting for approval that were requested since then, and
 * active exceptions expiring within the notifier's expiring_days. Runs in
 * the caller's transaction (a state change calls it before its commit);
 * nothing at all without a live notifier. *added (may be NULL) receives
 * the number of rows enqueued.
 */
PL_NODISCARD pl_status pl_store_notify_enqueue(struct pl_store *s, pl_time_t now, int64_t *added,
                                               struct pl_error *err);

/* One event to deliver, with its notifier's URL and secret. */
struct pl_notify_item {
    int64_t id, notifier_id, object_id;
    char *url, *secret_hex;
    char *event, *event_key, *object_kind;
    char *vuln, *asset, *owner, *who, *kind; /* NULL when the event has none */
    int tier;                                /* -1: none */
    pl_time_t due_at, occurred_at;           /* due_at 0: none */
    int attempts;                            /* attempts before this one */
};
void pl_notify_items_release(struct pl_notify_item *items, size_t n);

/*
 * Claim up to max events due at `now` (not delivered, not dead, their
 * notifier live), oldest first: each one's next attempt moves to now +
 * lease, so another deliverer running at the same time skips it, and a
 * deliverer that dies leaves it to be retried after the lease. Runs in a
 * transaction of its own.
 */
PL_NODISCARD pl_status pl_store_notify_claim(struct pl_store *s, pl_time_t now, int64_t lease,
                                             size_t max, struct pl_notify_item **items, size_t *n,
                                             struct pl_error *err);

/* The outcome of one attempt, for pl_store_notify_record. */
struct pl_notify_outcome {
    int64_t id;
    int attempts;              /* attempts made, this one included */
    int status;                /* HTTP status, 0: none (the connection failed) */
    const char *error;         /* NULL when delivered */
    pl_time_t delivered_at;    /* 0: not delivered */
    pl_time_t next_attempt_at; /* when not delivered and not dead */
    pl_time_t dead_at;         /* 0: not given up */
};

/* Record one attempt's outcome, in a transaction of its own. */
PL_NODISCARD pl_status pl_store_notify_record(struct pl_store *s, const struct pl_notify_outcome *o,
                                              struct pl_error *err);

#endif /* PATCHLINE_STORE_NOTIFY_H */
