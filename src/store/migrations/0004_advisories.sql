-- 0004: advisories from the distribution and ecosystem importers (OSV,
-- Debian tracker, Alpine secdb, CSAF) and the link from affected rows to
-- the advisory that produced them, so that a newer advisory replaces
-- exactly its own rows.

-- One advisory (an OSV record, a Debian tracker (source, CVE) entry, an
-- Alpine secdb package, a CSAF document) per feed. digest is the SHA-256 of
-- the normalised content Patchline stored: same digest, nothing to do.
CREATE TABLE advisories (
    feed TEXT NOT NULL,
    id TEXT NOT NULL,
    published INTEGER,
    modified INTEGER,
    withdrawn INTEGER,
    severity TEXT,
    summary TEXT,
    digest TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (feed, id)
) STRICT;

-- The vulnerabilities an advisory covers, with the advisory's own view of
-- their severity and CVSS (CSAF threats and scores).
CREATE TABLE advisory_vulns (
    feed TEXT NOT NULL,
    advisory TEXT NOT NULL,
    vuln_id TEXT NOT NULL,
    severity TEXT,
    cvss_vector TEXT,
    cvss_score REAL,
    PRIMARY KEY (feed, advisory, vuln_id),
    FOREIGN KEY (feed, advisory) REFERENCES advisories (feed, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX advisory_vulns_vuln ON advisory_vulns (vuln_id);

-- advisory: the advisories.id that wrote the row (NULL for other writers).
-- marker: the Debian tracker's no-DSA decisions (nodsa / nodsa_reason).
-- note: free text that goes with the marker.
ALTER TABLE affected ADD COLUMN advisory TEXT;
ALTER TABLE affected ADD COLUMN marker TEXT CHECK (marker IN ('no-dsa', 'postponed', 'ignored'));
ALTER TABLE affected ADD COLUMN note TEXT;
CREATE INDEX affected_advisory ON affected (feed, advisory);
-- The importers' NULL-safe duplicate check looks rows up by all four.
CREATE INDEX affected_vuln_package ON affected (vuln_id, ecosystem, package, feed);
