-- 0003: vulnerability intelligence: feed imports and the facts each feed
-- brought (KEV, EPSS, CVSS vectors, SSVC, CWEs, references, CPE matches).
-- Every fact row names the import (feeds.id) that last wrote it.

-- One row per import of one file.
CREATE TABLE feeds (
    id {{id_pk}},
    kind TEXT NOT NULL,
    version TEXT,
    released INTEGER,
    records INTEGER NOT NULL DEFAULT 0,
    inserted INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    simulated INTEGER NOT NULL CHECK (simulated IN (0, 1))
) STRICT;
CREATE INDEX feeds_kind ON feeds (kind, id);

-- Conditional-request state of `feed sync`, per kind.
CREATE TABLE feed_sync (
    kind TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    synced_at INTEGER NOT NULL,
    http_status INTEGER NOT NULL
) STRICT;

-- The CVE record as one source last described it (origin 'nvd' or 'cve5').
CREATE TABLE vuln_records (
    vuln_id TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('nvd', 'cve5')),
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

CREATE TABLE kev (
    vuln_id TEXT PRIMARY KEY,
    vendor TEXT,
    product TEXT,
    name TEXT,
    date_added INTEGER NOT NULL,
    due_date INTEGER,
    ransomware TEXT,
    required_action TEXT,
    description TEXT,
    notes TEXT,
    cwes TEXT,
    digest TEXT NOT NULL,
    feed_id INTEGER NOT NULL REFERENCES feeds (id)
) STRICT, WITHOUT ROWID;

CREATE TABLE epss (
    vuln_id TEXT PRIMARY KEY,
    score REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
    percentile REAL NOT NULL CHECK (percentile BETWEEN 0 AND 1),
    model_version TEXT,
    score_date INTEGER NOT NULL,
    feed_id INTEGER NOT NULL REFERENCES feeds (id)
) STRICT, WITHOUT ROWID;

-- Every CVSS vector with its source. source_type orders sources within a
-- version: nvd, then the CNA, then an ADP. computed_score stays NULL until
-- the CVSS calculators fill it; base_score is the score the feed published.
CREATE TABLE cvss (
    id {{id_pk}},
    vuln_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    version TEXT NOT NULL CHECK (version IN ('2.0', '3.0', '3.1', '4.0')),
    source TEXT NOT NULL,
    source_type TEXT NOT NULL CHECK (source_type IN ('nvd', 'cna', 'adp')),
    role TEXT,
    vector TEXT NOT NULL,
    base_score REAL,
    severity TEXT,
    computed_score REAL,
    feed_id INTEGER NOT NULL REFERENCES feeds (id)
) STRICT;
CREATE INDEX cvss_vuln ON cvss (vuln_id, origin);

CREATE TABLE ssvc (
    vuln_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    role TEXT,
    version TEXT,
    exploitation TEXT CHECK (exploitation IN ('none', 'poc', 'active')),
    automatable TEXT CHECK (automatable IN ('yes', 'no')),
    technical_impact TEXT CHECK (technical_impact IN ('partial', 'total')),
    assessed INTEGER,
    feed_id INTEGER NOT NULL REFERENCES feeds (id),
    PRIMARY KEY (vuln_id, origin)
) STRICT, WITHOUT ROWID;

CREATE TABLE vuln_cwes (
    vuln_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    cwe TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    feed_id INTEGER NOT NULL REFERENCES feeds (id),
    PRIMARY KEY (vuln_id, origin, cwe, source)
) STRICT, WITHOUT ROWID;

CREATE TABLE vuln_references (
    id {{id_pk}},
    vuln_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    url TEXT NOT NULL,
    tags TEXT,
    exploit INTEGER NOT NULL CHECK (exploit IN (0, 1)),
    feed_id INTEGER NOT NULL REFERENCES feeds (id)
) STRICT;
CREATE INDEX vuln_references_vuln ON vuln_references (vuln_id, origin);

-- NVD configurations, flattened: one row per cpeMatch, with the node it
-- belongs to, so that a later stage can match software known only by CPE.
CREATE TABLE cpe_matches (
    id {{id_pk}},
    vuln_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    config INTEGER NOT NULL,
    node INTEGER NOT NULL,
    config_operator TEXT,
    node_operator TEXT,
    negate INTEGER NOT NULL DEFAULT 0 CHECK (negate IN (0, 1)),
    vulnerable INTEGER NOT NULL CHECK (vulnerable IN (0, 1)),
    criteria TEXT NOT NULL,
    start_including TEXT,
    start_excluding TEXT,
    end_including TEXT,
    end_excluding TEXT,
    match_id TEXT,
    feed_id INTEGER NOT NULL REFERENCES feeds (id)
) STRICT;
CREATE INDEX cpe_matches_vuln ON cpe_matches (vuln_id, origin);
CREATE INDEX cpe_matches_criteria ON cpe_matches (criteria);
