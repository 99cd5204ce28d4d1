-- 0025: what a feed import changed, so that the next scan re-matches only
-- the packages it touched and re-tiers only the findings whose facts moved
-- (docs/internals/match.md, "Incremental scans").
--
-- Each row is tagged with the feed import that wrote it (max(feeds.id): an
-- import adds its feeds row before its data). A scan reads the rows newer
-- than the generation an asset was last scanned under (match_state.feeds_max)
-- and deletes those no asset needs any more. Nothing is recorded before the
-- first scan (no match_state row): the first scan matches everything.
--
-- kind 'package': affected rows of (ecosystem, name) were added, changed or
--   removed, or an alias changed what a row's vulnerability stands for;
-- kind 'vuln': a fact of vulnerability name changed (KEV, CVSS, SSVC,
--   exploit references, the vendor's exploited flag);
-- kind 'epss': the EPSS score or percentile of name changed; old_score and
--   old_pct are the values before (NULL: it had none); the scan compares
--   them and the current ones with the thresholds its policy uses;
-- kind 'all': data the delta does not follow (NVD configurations, Microsoft
--   updates) changed: the next scan re-matches every asset whole.
CREATE TABLE match_delta (
    feeds_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('package', 'vuln', 'epss', 'all')),
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL,
    old_score REAL,
    old_pct REAL,
    PRIMARY KEY (feeds_id, kind, ecosystem, name)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER match_delta_affected_insert AFTER INSERT ON affected BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'package', NEW.ecosystem, NEW.package
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_affected_delete AFTER DELETE ON affected BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'package', OLD.ecosystem, OLD.package
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_affected_update AFTER UPDATE ON affected BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'package', OLD.ecosystem, OLD.package
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'package', NEW.ecosystem, NEW.package
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_alias_insert AFTER INSERT ON vuln_aliases BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'package', a.ecosystem, a.package
    FROM affected a WHERE (a.vuln_id = NEW.vuln_id OR a.vuln_id = NEW.alias)
    AND EXISTS (SELECT 1 FROM match_state)
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_alias_delete AFTER DELETE ON vuln_aliases BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'package', a.ecosystem, a.package
    FROM affected a WHERE (a.vuln_id = OLD.vuln_id OR a.vuln_id = OLD.alias)
    AND EXISTS (SELECT 1 FROM match_state)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER match_delta_kev_insert AFTER INSERT ON kev BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', NEW.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_kev_update AFTER UPDATE ON kev
WHEN (OLD.date_added IS DISTINCT FROM NEW.date_added
    OR OLD.ransomware IS DISTINCT FROM NEW.ransomware) BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', NEW.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_kev_delete AFTER DELETE ON kev BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', OLD.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_cvss_insert AFTER INSERT ON cvss BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', NEW.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_cvss_update AFTER UPDATE ON cvss
WHEN (OLD.vuln_id IS DISTINCT FROM NEW.vuln_id
    OR OLD.version IS DISTINCT FROM NEW.version OR OLD.source IS DISTINCT FROM NEW.source
    OR OLD.source_type IS DISTINCT FROM NEW.source_type OR OLD.vector IS DISTINCT FROM NEW.vector
    OR OLD.base_score IS DISTINCT FROM NEW.base_score) BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', NEW.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', OLD.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_cvss_delete AFTER DELETE ON cvss BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', OLD.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_ssvc_insert AFTER INSERT ON ssvc BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', NEW.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_ssvc_update AFTER UPDATE ON ssvc
WHEN (OLD.exploitation IS DISTINCT FROM NEW.exploitation
    OR OLD.automatable IS DISTINCT FROM NEW.automatable
    OR OLD.technical_impact IS DISTINCT FROM NEW.technical_impact) BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', NEW.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_ssvc_delete AFTER DELETE ON ssvc BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', OLD.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_ref_insert AFTER INSERT ON vuln_references
WHEN NEW.exploit = 1 BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', NEW.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_ref_update AFTER UPDATE ON vuln_references
WHEN (OLD.exploit = 1 OR NEW.exploit = 1) BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', NEW.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', OLD.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_ref_delete AFTER DELETE ON vuln_references
WHEN OLD.exploit = 1 BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', OLD.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_msrc_insert AFTER INSERT ON msrc_exploited BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', NEW.cve
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_msrc_update AFTER UPDATE ON msrc_exploited
WHEN (OLD.exploited IS DISTINCT FROM NEW.exploited
    OR OLD.cve IS DISTINCT FROM NEW.cve) BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', NEW.cve
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', OLD.cve
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_msrc_delete AFTER DELETE ON msrc_exploited BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'vuln', '', OLD.cve
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER match_delta_epss_insert AFTER INSERT ON epss BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'epss', '', NEW.vuln_id
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_epss_update AFTER UPDATE ON epss
WHEN (OLD.score IS DISTINCT FROM NEW.score
    OR OLD.percentile IS DISTINCT FROM NEW.percentile) BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name, old_score, old_pct)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'epss', '', OLD.vuln_id, OLD.score, OLD.percentile
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_epss_delete AFTER DELETE ON epss BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name, old_score, old_pct)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'epss', '', OLD.vuln_id, OLD.score, OLD.percentile
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER match_delta_cpe_insert AFTER INSERT ON cpe_matches BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'all', '', ''
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_cpe_delete AFTER DELETE ON cpe_matches BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'all', '', ''
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_msrc_updates_insert AFTER INSERT ON msrc_updates BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'all', '', ''
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER match_delta_msrc_updates_delete AFTER DELETE ON msrc_updates BEGIN
    INSERT INTO match_delta (feeds_id, kind, ecosystem, name)
    SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'all', '', ''
    WHERE EXISTS (SELECT 1 FROM match_state) ON CONFLICT DO NOTHING;
END;
