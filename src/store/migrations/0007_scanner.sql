-- 0007: what scanners and discovery sources report about assets beyond
-- their packages: scanner-reported vulnerabilities, VEX statements,
-- internet-exposure evidence, relations between assets (a workload runs
-- an image), and one row per import run.

-- One import of one file by one importer.
CREATE TABLE scanner_runs (
    id {{id_pk}},
    source TEXT NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT,
    at INTEGER NOT NULL
) STRICT;

-- A vulnerability a scanner reported on an asset. package is '' for network
-- scanners (Nessus, Qualys, Shodan) that report per host. A row that the
-- same source stops reporting for the asset becomes 'resolved'.
CREATE TABLE scanner_vulns (
    id {{id_pk}},
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    vuln_id TEXT NOT NULL,
    package TEXT NOT NULL DEFAULT '',
    installed_version TEXT,
    fixed_version TEXT,
    severity TEXT NOT NULL DEFAULT 'unknown' CHECK (severity IN ('none', 'low', 'medium',
        'high', 'critical', 'unknown')),
    title TEXT,
    detail TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    resolved_at INTEGER,
    run_id INTEGER NOT NULL REFERENCES scanner_runs (id),
    UNIQUE (asset_id, source, vuln_id, package)
) STRICT;
CREATE INDEX scanner_vulns_vuln ON scanner_vulns (vuln_id);

-- A VEX statement (CycloneDX analysis) about a product: for the match stage.
CREATE TABLE vex_statements (
    id {{id_pk}},
    asset_id INTEGER REFERENCES assets (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    vuln_id TEXT NOT NULL,
    product TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('resolved', 'resolved_with_pedigree', 'exploitable',
        'in_triage', 'false_positive', 'not_affected', 'unknown')),
    justification TEXT,
    response TEXT,
    detail TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    UNIQUE (source, vuln_id, product)
) STRICT;
CREATE INDEX vex_statements_vuln ON vex_statements (vuln_id);

-- An open service seen from the internet.
CREATE TABLE exposure_evidence (
    id {{id_pk}},
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    ip TEXT NOT NULL,
    port INTEGER NOT NULL,
    transport TEXT NOT NULL DEFAULT 'tcp',
    service TEXT,
    product TEXT,
    evidence TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    UNIQUE (asset_id, source, ip, port, transport)
) STRICT;

-- A relation between two assets, e.g. a Kubernetes workload runs an image.
CREATE TABLE asset_relations (
    from_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    relation TEXT NOT NULL CHECK (relation IN ('runs-image', 'scheduled-on')),
    source TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    PRIMARY KEY (from_id, to_id, relation)
) STRICT;
CREATE INDEX asset_relations_to ON asset_relations (to_id);
