-- 0012: a store is real or simulated, for life (docs/security.md, "Real and
-- simulated stores"). A real store records every state change at the real
-- time; a simulated one (made by `init --simulated`, or by a first command
-- given --now or PATCHLINE_NOW) follows a set clock that never goes back.
-- Stores made before this migration are real; the library marks a store it
-- creates simulated in the same transaction as this migration.
CREATE TABLE store_mode (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    mode TEXT NOT NULL CHECK (mode IN ('real', 'simulated'))
) STRICT;
INSERT INTO store_mode (id, mode) VALUES (1, 'real');

-- The latest recorded event bounds a simulated clock: keep max(at) cheap.
CREATE INDEX audit_events_at ON audit_events (at);
