-- 0041: lean findings, fourth step (issue 21). Seven texts of the finding
-- row repeat a handful of values over every row (the source package, the
-- feed, the advisory, the vendor's severity, the distribution's marker, the
-- rule and the name of the policy that tiered it): they are now kept once
-- each in finding_texts, as 0034 did for the evidence, and the row holds
-- their id (source_package_ref, feed_ref, advisory_ref, vendor_severity_ref,
-- marker_ref, rule_ref, policy_name_ref). Readers get the same text back
-- (docs/store.md "Lean findings"). None of the seven is in an index, a
-- constraint or a trigger: both databases add the references and drop the
-- texts in place, and every row keeps its id. The references are not
-- declared as foreign keys: finding_texts rows are never deleted and only
-- the findings writer sets them (from the ids finding_texts gave it), while
-- a declared key costs PostgreSQL a trigger per reference per row written.
INSERT INTO finding_texts (text)
SELECT u.text FROM (SELECT source_package AS text FROM findings WHERE source_package IS NOT NULL
    UNION SELECT feed FROM findings WHERE feed IS NOT NULL
    UNION SELECT advisory FROM findings WHERE advisory IS NOT NULL
    UNION SELECT vendor_severity FROM findings WHERE vendor_severity IS NOT NULL
    UNION SELECT marker FROM findings WHERE marker IS NOT NULL
    UNION SELECT rule FROM findings WHERE rule IS NOT NULL
    UNION SELECT policy_name FROM findings WHERE policy_name IS NOT NULL) u
WHERE NOT EXISTS (SELECT 1 FROM finding_texts t WHERE t.text = u.text)
ORDER BY u.text;
ALTER TABLE findings ADD COLUMN source_package_ref INTEGER;
ALTER TABLE findings ADD COLUMN feed_ref INTEGER;
ALTER TABLE findings ADD COLUMN advisory_ref INTEGER;
ALTER TABLE findings ADD COLUMN vendor_severity_ref INTEGER;
ALTER TABLE findings ADD COLUMN marker_ref INTEGER;
ALTER TABLE findings ADD COLUMN rule_ref INTEGER;
ALTER TABLE findings ADD COLUMN policy_name_ref INTEGER;
UPDATE findings SET
    source_package_ref = (SELECT t.id FROM finding_texts t WHERE t.text = findings.source_package),
    feed_ref = (SELECT t.id FROM finding_texts t WHERE t.text = findings.feed),
    advisory_ref = (SELECT t.id FROM finding_texts t WHERE t.text = findings.advisory),
    vendor_severity_ref = (SELECT t.id FROM finding_texts t
        WHERE t.text = findings.vendor_severity),
    marker_ref = (SELECT t.id FROM finding_texts t WHERE t.text = findings.marker),
    rule_ref = (SELECT t.id FROM finding_texts t WHERE t.text = findings.rule),
    policy_name_ref = (SELECT t.id FROM finding_texts t WHERE t.text = findings.policy_name)
WHERE source_package IS NOT NULL OR feed IS NOT NULL OR advisory IS NOT NULL
    OR vendor_severity IS NOT NULL OR marker IS NOT NULL OR rule IS NOT NULL
    OR policy_name IS NOT NULL;
ALTER TABLE findings DROP COLUMN source_package;
ALTER TABLE findings DROP COLUMN feed;
ALTER TABLE findings DROP COLUMN advisory;
ALTER TABLE findings DROP COLUMN vendor_severity;
ALTER TABLE findings DROP COLUMN marker;
ALTER TABLE findings DROP COLUMN rule;
ALTER TABLE findings DROP COLUMN policy_name;
