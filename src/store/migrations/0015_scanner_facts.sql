-- 0012: every scanner's facts kept with their source, findings a scanner
-- and the advisory data disagree on, and VEX statements that decide.
--
-- findings.status gains 'disputed' (a scanner says vulnerable, the advisory
-- data proves the installed version at or past the fix) and 'not-affected'
-- (a VEX not_affected statement covers it). A CHECK constraint cannot be
-- altered in place: the table is rebuilt (the documented "other kinds of
-- table schema changes" procedure; the migration runs with foreign key
-- enforcement off, so that the rows of finding_events, job_findings,
-- wave_items and exceptions that reference findings stay as they are). The
-- columns keep their order and every row its id.
{{sqlite}}
CREATE TABLE findings_0012 (
    id {{id_pk}},
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    vuln_id TEXT NOT NULL,
    package TEXT NOT NULL,
    source_package TEXT,
    installed_version TEXT,
    fixed_version TEXT,
    origin TEXT NOT NULL DEFAULT 'match',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'fixed', 'mitigated',
        'accepted', 'false-positive', 'package-removed', 'asset-retired', 'disputed',
        'not-affected')),
    first_seen INTEGER NOT NULL,
    resolved_at INTEGER,
    tier INTEGER CHECK (tier BETWEEN 0 AND 4),
    unscored INTEGER NOT NULL DEFAULT 0,
    due_at INTEGER,
    provisional INTEGER NOT NULL DEFAULT 0,
    kev_added INTEGER,
    severity TEXT CHECK (severity IN ('critical', 'high', 'medium', 'low', 'none')),
    disclosed_at INTEGER,
    mitigated_by TEXT,
    mitigated_until INTEGER,
    reopened_count INTEGER NOT NULL DEFAULT 0,
    last_seen INTEGER,
    feed TEXT,
    advisory TEXT,
    evidence TEXT,
    fix_proof TEXT,
    vendor_severity TEXT,
    marker TEXT,
    rule TEXT,
    tiered_at INTEGER,
    exception_id INTEGER REFERENCES exceptions (id),
    UNIQUE (asset_id, package, vuln_id)
) STRICT;
INSERT INTO findings_0012 SELECT * FROM findings;
DROP TABLE findings;
ALTER TABLE findings_0012 RENAME TO findings;
CREATE INDEX findings_status ON findings (status, tier);
CREATE INDEX findings_due ON findings (due_at);
CREATE INDEX findings_resolved ON findings (resolved_at);
CREATE INDEX findings_exception ON findings (exception_id);
CREATE INDEX findings_asset_status ON findings (asset_id, status);
CREATE TRIGGER match_dirty_finding AFTER UPDATE OF status ON findings
WHEN OLD.status IS DISTINCT FROM NEW.status BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.asset_id;
END;
{{postgresql}}
-- PostgreSQL alters the CHECK in place (dropping the table would drop the
-- foreign keys that reference it).
ALTER TABLE findings DROP CONSTRAINT findings_status_check;
ALTER TABLE findings ADD CONSTRAINT findings_status_check CHECK (status IN ('open', 'fixed',
    'mitigated', 'accepted', 'false-positive', 'package-removed', 'asset-retired', 'disputed',
    'not-affected'));
{{end}}

-- A 'disputed' finding keeps the advisory comparison that contradicts the
-- scanner, a 'not-affected' one the VEX statement, in fix_proof.

-- What each scanner said beyond "vulnerable", as facts of that source:
-- the CVSS it reported (version, vector, score and whose it is), the
-- vendor's own severity word as the scanner wrote it, exploit flags
-- (Nessus exploit_available and exploit frameworks, Qualys
-- exploitability), the date the scanner says it first detected the
-- vulnerability (Qualys "First Detected", Nessus first_found), and the
-- source package the scanner named (Trivy SrcName, Grype upstream).
ALTER TABLE scanner_vulns ADD COLUMN cvss_version TEXT;
ALTER TABLE scanner_vulns ADD COLUMN cvss_vector TEXT;
ALTER TABLE scanner_vulns ADD COLUMN cvss_score REAL;
ALTER TABLE scanner_vulns ADD COLUMN cvss_source TEXT;
ALTER TABLE scanner_vulns ADD COLUMN vendor_severity TEXT;
ALTER TABLE scanner_vulns ADD COLUMN exploit TEXT;
ALTER TABLE scanner_vulns ADD COLUMN first_detected INTEGER;
ALTER TABLE scanner_vulns ADD COLUMN source_package TEXT;
-- The package's ecosystem (dpkg, rpm, apk, npm, ...), for matching the
-- scanner's package against the advisories when no inventory lists it.
ALTER TABLE scanner_vulns ADD COLUMN package_ecosystem TEXT;

-- VEX statements from OpenVEX and CSAF as well as CycloneDX: the format,
-- the product version a statement is scoped to, the impact statement and
-- when the statement was made (its own timestamp, else the import time).
ALTER TABLE vex_statements ADD COLUMN format TEXT;
ALTER TABLE vex_statements ADD COLUMN version TEXT;
ALTER TABLE vex_statements ADD COLUMN stated_at INTEGER;

-- A VEX statement decides findings: the assets it may cover are scanned
-- again (all of them for a statement scoped by product alone).
CREATE TRIGGER match_dirty_vex_insert AFTER INSERT ON vex_statements BEGIN
    UPDATE match_state SET dirty = 1 WHERE NEW.asset_id IS NULL OR asset_id = NEW.asset_id;
END;
CREATE TRIGGER match_dirty_vex_update AFTER UPDATE ON vex_statements
WHEN OLD.state IS DISTINCT FROM NEW.state OR OLD.asset_id IS DISTINCT FROM NEW.asset_id
    OR OLD.version IS DISTINCT FROM NEW.version OR OLD.stated_at IS DISTINCT FROM NEW.stated_at BEGIN
    UPDATE match_state SET dirty = 1 WHERE NEW.asset_id IS NULL OR asset_id = NEW.asset_id;
END;
-- The scanners' new facts change tiers (CVSS, exploits, first detection).
CREATE TRIGGER match_dirty_scanner_facts AFTER UPDATE ON scanner_vulns
WHEN OLD.cvss_vector IS DISTINCT FROM NEW.cvss_vector OR OLD.cvss_score IS DISTINCT FROM NEW.cvss_score
    OR OLD.exploit IS DISTINCT FROM NEW.exploit OR OLD.first_detected IS DISTINCT FROM NEW.first_detected BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.asset_id;
END;
