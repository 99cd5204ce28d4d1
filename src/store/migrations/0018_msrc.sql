-- 0018: Microsoft security updates from the MSRC monthly documents (CVRF
-- XML or the MSRC API's JSON form): which update (KB) brings which product
-- to which build for which CVE, and Microsoft's exploitation statements.

-- One row per (document, CVE, product, vendor fix). document is the CVRF id
-- ("2026-Mar"), the unit an import replaces. product is Microsoft's full
-- name; product_key the name with architecture and "Server Core
-- installation" removed, as findings and Windows assets name the product
-- ("Windows Server 2022"). kb is "KB5078766" for numbered updates, else the
-- fix text ("Release Notes"). subtype is normalised ("Security Hotpatch
-- Update"); supersedes the KBs the update replaces, as Microsoft lists them.
CREATE TABLE msrc_updates (
    document TEXT NOT NULL,
    cve TEXT NOT NULL,
    product_id TEXT NOT NULL,
    product TEXT NOT NULL,
    product_key TEXT NOT NULL,
    kb TEXT NOT NULL,
    subtype TEXT,
    fixed_build TEXT,
    supersedes TEXT,
    restart TEXT,
    severity TEXT,
    cvss_score REAL,
    cvss_vector TEXT,
    url TEXT,
    released INTEGER,
    feed_id INTEGER NOT NULL REFERENCES feeds (id),
    PRIMARY KEY (document, cve, product_id, kb)
) STRICT;
CREATE INDEX msrc_updates_cve ON msrc_updates (cve, product_key);
CREATE INDEX msrc_updates_kb ON msrc_updates (kb);

-- Microsoft's exploitation statement per CVE ("Exploited:Yes"), from the
-- latest document that lists the CVE. exploited also becomes an SSVC
-- exploitation fact of origin "msrc" that policies read.
CREATE TABLE msrc_exploited (
    cve TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    released INTEGER,
    publicly_disclosed INTEGER NOT NULL CHECK (publicly_disclosed IN (0, 1)),
    exploited INTEGER NOT NULL CHECK (exploited IN (0, 1)),
    assessment TEXT,
    feed_id INTEGER NOT NULL REFERENCES feeds (id)
) STRICT;

-- CVE records gain the origin 'msrc' (Microsoft's title and CVSS per CVE).
-- A CHECK constraint cannot be altered in place: the table is rebuilt with
-- the same columns in the same order.
CREATE TABLE vuln_records_0018 (
    vuln_id TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('nvd', 'cve5', 'msrc')),
    state TEXT NOT NULL DEFAULT 'published' CHECK (state IN ('published', 'rejected')),
    assigner TEXT,
    summary TEXT,
    published INTEGER,
    modified INTEGER,
    kev_date_added INTEGER,
    kev_reference TEXT,
    feed_id INTEGER NOT NULL REFERENCES feeds (id),
    PRIMARY KEY (vuln_id, origin)
) STRICT, WITHOUT ROWID;
INSERT INTO vuln_records_0018 SELECT * FROM vuln_records;
DROP TABLE vuln_records;
ALTER TABLE vuln_records_0018 RENAME TO vuln_records;
