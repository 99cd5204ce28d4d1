-- 0010: matching and findings on an SLA clock. A finding is never deleted:
-- its status moves (open, fixed, package-removed, asset-retired, and back to
-- open on a regression) and every move is a finding_events row.

-- (reopened_count, from 0005, counts the times a finding came back after it
-- was closed; kev_added and severity, from 0005, are filled when tiering.)
-- last_seen: the last scan that matched it.
-- feed, advisory, evidence: what matched (the advisory row and the version
-- comparison, "source glibc 2.36-9+deb12u4 < 2.36-9+deb12u7 (dpkg)").
-- fix_proof: the inventory fact that closed it.
-- vendor_severity, marker: the advisory's severity or urgency, and the
-- Debian no-DSA marker, kept as facts.
-- rule, tiered_at: the policy rule that set the tier, and when.
ALTER TABLE findings ADD COLUMN last_seen INTEGER;
ALTER TABLE findings ADD COLUMN feed TEXT;
ALTER TABLE findings ADD COLUMN advisory TEXT;
ALTER TABLE findings ADD COLUMN evidence TEXT;
ALTER TABLE findings ADD COLUMN fix_proof TEXT;
ALTER TABLE findings ADD COLUMN vendor_severity TEXT;
ALTER TABLE findings ADD COLUMN marker TEXT;
ALTER TABLE findings ADD COLUMN rule TEXT;
ALTER TABLE findings ADD COLUMN tiered_at INTEGER;
-- Findings by asset use the UNIQUE (asset_id, package, vuln_id) index; no
-- other index is added: each one slows the first persist of millions of rows.

-- Every change of a finding: opened, fixed, package-removed, asset-retired,
-- regressed, tier (a new tier or due date).
CREATE TABLE finding_events (
    id {{id_pk}},
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    event TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    tier INTEGER,
    due_at INTEGER,
    detail TEXT
) STRICT;
CREATE INDEX finding_events_finding ON finding_events (finding_id);

-- What the last scan of an asset saw, so that a rescan skips assets nothing
-- happened to: dirty is set by the triggers below when the asset's
-- packages, tiering attributes, tags, scanner reports or a finding's status
-- change; a feed
-- import moves max(feeds.id) and a new policy changes its digest. counts
-- holds the asset's open findings per tier slot (0..9, unscored) and the
-- provisional ones, for the summary of a scan that skips it.
CREATE TABLE match_state (
    asset_id INTEGER PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
    dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),
    feeds_max INTEGER NOT NULL,
    policy TEXT NOT NULL,
    counts TEXT NOT NULL,
    scanned_at INTEGER NOT NULL
) STRICT;

CREATE TRIGGER match_dirty_pkg_insert AFTER INSERT ON packages BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.asset_id;
END;
CREATE TRIGGER match_dirty_pkg_update AFTER UPDATE ON packages BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id IN (OLD.asset_id, NEW.asset_id);
END;
CREATE TRIGGER match_dirty_pkg_delete AFTER DELETE ON packages BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = OLD.asset_id;
END;
CREATE TRIGGER match_dirty_asset AFTER UPDATE ON assets
WHEN OLD.kind IS DISTINCT FROM NEW.kind OR OLD.environment IS DISTINCT FROM NEW.environment
    OR OLD.criticality IS DISTINCT FROM NEW.criticality OR OLD.exposure IS DISTINCT FROM NEW.exposure
    OR OLD.os_family IS DISTINCT FROM NEW.os_family OR OLD.os_name IS DISTINCT FROM NEW.os_name
    OR OLD.os_version IS DISTINCT FROM NEW.os_version OR OLD.os_codename IS DISTINCT FROM NEW.os_codename
    OR OLD.retired_at IS DISTINCT FROM NEW.retired_at OR OLD.name IS DISTINCT FROM NEW.name BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.id;
END;
CREATE TRIGGER match_dirty_tag_insert AFTER INSERT ON asset_tags BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.asset_id;
END;
CREATE TRIGGER match_dirty_tag_delete AFTER DELETE ON asset_tags BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = OLD.asset_id;
END;
CREATE TRIGGER match_dirty_finding AFTER UPDATE OF status ON findings
WHEN OLD.status IS DISTINCT FROM NEW.status BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.asset_id;
END;
CREATE TRIGGER match_dirty_scanner_insert AFTER INSERT ON scanner_vulns BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.asset_id;
END;
CREATE TRIGGER match_dirty_scanner_update AFTER UPDATE ON scanner_vulns
WHEN OLD.status IS DISTINCT FROM NEW.status OR OLD.installed_version IS DISTINCT FROM NEW.installed_version
    OR OLD.fixed_version IS DISTINCT FROM NEW.fixed_version OR OLD.severity IS DISTINCT FROM NEW.severity BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.asset_id;
END;
CREATE TRIGGER match_dirty_scanner_delete AFTER DELETE ON scanner_vulns BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = OLD.asset_id;
END;
CREATE TRIGGER match_dirty_cpe_insert AFTER INSERT ON asset_cpes BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.asset_id;
END;
CREATE TRIGGER match_dirty_cpe_update AFTER UPDATE OF cpe, asset_id ON asset_cpes BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id IN (OLD.asset_id, NEW.asset_id);
END;
CREATE TRIGGER match_dirty_cpe_delete AFTER DELETE ON asset_cpes BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = OLD.asset_id;
END;
