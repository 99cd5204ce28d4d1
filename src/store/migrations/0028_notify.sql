-- 0028: signed webhooks (docs/identity.md, "Webhooks"). A notifier is a URL
-- with its HMAC secret and the events it takes; the outbox holds one row per
-- (notifier, event), written in the transaction of the change that causes
-- it, and delivered later by `patchline notify deliver`.

-- events: a set of PL_NOTIFY_EV_* bits (notify.h). secret: the shared
-- HMAC-SHA-256 key, sealed (src/store/seal.c: AES-256-GCM under a key derived
-- from the 0600 audit key file; it signs, so it cannot be kept hashed; it is
-- never listed). expiring_days: how far ahead an exception's expiry is
-- announced. removed_at: set by `notify remove` (the outbox keeps its rows).
CREATE TABLE notifiers (
    id {{id_pk}},
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events INTEGER NOT NULL CHECK (events > 0),
    expiring_days INTEGER NOT NULL CHECK (expiring_days BETWEEN 1 AND 365),
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    removed_at INTEGER
) STRICT;

-- One event for one notifier. event_key names the event once and for all
-- ("tier0-opened:finding:42:0"): the event id receivers see, and the reason
-- a second enqueue of the same event changes nothing. The object's fields
-- are copied at enqueue time, so every attempt sends the same body.
-- attempts / next_attempt_at / last_error: the retry state; delivered_at or
-- dead_at ends it.
CREATE TABLE notify_outbox (
    id {{id_pk}},
    notifier_id INTEGER NOT NULL REFERENCES notifiers (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    event_key TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    vuln TEXT,
    asset TEXT,
    owner TEXT,
    tier INTEGER,
    due_at INTEGER,
    who TEXT,
    kind TEXT,
    occurred_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    delivered_at INTEGER,
    dead_at INTEGER,
    UNIQUE (notifier_id, event_key)
) STRICT;
CREATE INDEX notify_outbox_due ON notify_outbox (next_attempt_at);
