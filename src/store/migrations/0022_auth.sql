-- 0022: who may decide (docs/identity.md). Users with roles and owner
-- scopes, their tokens (only a SHA-256 of each is kept), and the audit
-- chain: every event carries its place in the chain (seq), the OS account
-- that ran the command, what changed (before/after) and an HMAC-SHA-256
-- over its content and the previous event's MAC.

-- A Patchline user. roles: a set of PL_ROLE_* bits (auth.h). os_user: the
-- OS account that acts as this user on the store file (NULL: none).
-- disabled_at: the user can no longer act; its tokens are revoked with it.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    roles INTEGER NOT NULL CHECK (roles > 0),
    os_user TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    disabled_at INTEGER
) STRICT;

-- The owners a user's roles are limited to (none: every owner).
CREATE TABLE user_scopes (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    owner TEXT NOT NULL,
    PRIMARY KEY (user_id, owner)
) STRICT;

-- API tokens. lookup: the first 16 hex digits of hash (the full SHA-256 of
-- the token, hex), by which a presented token finds its row before the
-- constant-time comparison of the whole hash.
CREATE TABLE tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lookup TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_used_at INTEGER
) STRICT;
CREATE INDEX tokens_lookup ON tokens (lookup);

-- The audit chain. seq: 1, 2, ... in chain order (set at append, under the
-- writer's lock); mac: hex HMAC-SHA-256 (NULL only for events written
-- before this migration, until the first append seals them into the chain).
ALTER TABLE audit_events ADD COLUMN seq INTEGER;
ALTER TABLE audit_events ADD COLUMN os_user TEXT;
ALTER TABLE audit_events ADD COLUMN before_state TEXT;
ALTER TABLE audit_events ADD COLUMN after_state TEXT;
ALTER TABLE audit_events ADD COLUMN mac TEXT;
CREATE UNIQUE INDEX audit_events_seq ON audit_events (seq);

-- The chain's head, one row: appends update it, which serialises them.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    count INTEGER NOT NULL,
    mac TEXT
) STRICT;
INSERT INTO audit_head (id, count, mac) VALUES (1, 0, NULL);
