-- 0035: lean findings, second step. A finding event's detail (the fix proof
-- of a 'fixed' event, the evidence of a 'regressed' one) was text on every
-- event: about 100 of an event's 150 bytes in the demo's store, for a few
-- hundred distinct texts among tens of thousands of events. It is now kept
-- once in finding_texts (0034) and the event holds its id (detail_ref);
-- pl_store_finding_events gives the same text back. findings_status
-- (status, tier) goes: findings_listing (status, ...) serves every query it
-- served (EXPLAIN QUERY PLAN on both backends, docs/store.md "Lean findings").
INSERT INTO finding_texts (text)
SELECT DISTINCT e.detail FROM finding_events e
WHERE e.detail IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM finding_texts t WHERE t.text = e.detail)
ORDER BY e.detail;

{{sqlite}}
-- SQLite rebuilds the table, as 0034 did for findings (rows keep their ids;
-- foreign key enforcement is off while migrations run).
CREATE TABLE finding_events_0035 (
    id {{id_pk}},
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    event TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    tier INTEGER,
    due_at INTEGER,
    detail_ref INTEGER REFERENCES finding_texts (id)
) STRICT;
INSERT INTO finding_events_0035
SELECT e.id, e.finding_id, e.at, e.event, e.from_status, e.to_status, e.tier, e.due_at,
    (SELECT t.id FROM finding_texts t WHERE t.text = e.detail)
FROM finding_events e;
DROP TABLE finding_events;
ALTER TABLE finding_events_0035 RENAME TO finding_events;
CREATE INDEX finding_events_finding ON finding_events (finding_id);
{{postgresql}}
ALTER TABLE finding_events ADD COLUMN detail_ref INTEGER REFERENCES finding_texts (id);
UPDATE finding_events SET
    detail_ref = (SELECT t.id FROM finding_texts t WHERE t.text = finding_events.detail)
WHERE detail IS NOT NULL;
ALTER TABLE finding_events DROP COLUMN detail;
{{end}}
DROP INDEX findings_status;
