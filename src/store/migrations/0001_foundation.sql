-- 0001: the foundation schema: assets, their sources and packages,
-- vulnerabilities and affected ranges, findings, audit events.
-- Times are seconds since the Unix epoch, UTC.

CREATE TABLE assets (
    id {{id_pk}},
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'host' CHECK (kind IN ('host', 'container-image', 'k8s-node',
        'k8s-workload', 'database', 'function', 'network-device', 'endpoint')),
    owner TEXT,
    environment TEXT CHECK (environment IN ('prod', 'staging', 'dev')),
    criticality TEXT CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
    exposure TEXT NOT NULL DEFAULT 'unknown' CHECK (exposure IN ('yes', 'no', 'unknown')),
    exposure_evidence TEXT,
    os_family TEXT,
    os_name TEXT,
    os_version TEXT,
    os_codename TEXT,
    arch TEXT,
    kernel TEXT,
    reboot_required INTEGER CHECK (reboot_required IN (0, 1)),
    last_patched INTEGER,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    retired_at INTEGER
) STRICT;
CREATE INDEX assets_name ON assets (name);

-- Identifiers used to recognise one machine across sources.
CREATE TABLE asset_identifiers (
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('machine-id', 'cloud-id', 'mac', 'fqdn', 'hostname',
        'ip', 'image', 'serial')),
    value TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, value, scope)
) STRICT;
CREATE INDEX asset_identifiers_asset ON asset_identifiers (asset_id);

CREATE TABLE asset_tags (
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (asset_id, tag)
) STRICT;

-- Every source that saw an asset, keyed by the source's own name for it.
CREATE TABLE asset_sources (
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    source_key TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    PRIMARY KEY (source, source_key)
) STRICT;
CREATE INDEX asset_sources_asset ON asset_sources (asset_id);

CREATE TABLE packages (
    id {{id_pk}},
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    arch TEXT NOT NULL DEFAULT '',
    source_name TEXT,
    source_version TEXT,
    status TEXT NOT NULL DEFAULT 'installed',
    purl TEXT,
    first_seen INTEGER NOT NULL,
    UNIQUE (asset_id, ecosystem, name, arch)
) STRICT;

CREATE TABLE vulnerabilities (
    id TEXT PRIMARY KEY,
    summary TEXT,
    published INTEGER,
    modified INTEGER,
    withdrawn INTEGER,
    first_feed TEXT,
    first_seen INTEGER NOT NULL
) STRICT;

CREATE TABLE vuln_aliases (
    vuln_id TEXT NOT NULL REFERENCES vulnerabilities (id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    PRIMARY KEY (vuln_id, alias)
) STRICT;
CREATE INDEX vuln_aliases_alias ON vuln_aliases (alias);

-- Which versions of which package a vulnerability affects, per ecosystem
-- ("debian:12", "AlmaLinux:9", "npm"), from one feed.
CREATE TABLE affected (
    id {{id_pk}},
    vuln_id TEXT NOT NULL REFERENCES vulnerabilities (id) ON DELETE CASCADE,
    feed TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    package TEXT NOT NULL,
    package_kind TEXT NOT NULL DEFAULT 'source' CHECK (package_kind IN ('source', 'binary',
        'cpe', 'purl')),
    status TEXT NOT NULL DEFAULT 'affected' CHECK (status IN ('affected', 'fixed', 'open',
        'not-affected', 'undetermined')),
    introduced TEXT,
    fixed TEXT,
    last_affected TEXT,
    urgency TEXT,
    severity TEXT,
    UNIQUE (vuln_id, feed, ecosystem, package, introduced, fixed, last_affected)
) STRICT;
CREATE INDEX affected_package ON affected (ecosystem, package);

CREATE TABLE findings (
    id {{id_pk}},
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    vuln_id TEXT NOT NULL,
    package TEXT NOT NULL,
    source_package TEXT,
    installed_version TEXT,
    fixed_version TEXT,
    origin TEXT NOT NULL DEFAULT 'match',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'fixed', 'mitigated',
        'accepted', 'false-positive', 'package-removed', 'asset-retired')),
    first_seen INTEGER NOT NULL,
    resolved_at INTEGER,
    tier INTEGER CHECK (tier BETWEEN 0 AND 4),
    unscored INTEGER NOT NULL DEFAULT 0,
    due_at INTEGER,
    provisional INTEGER NOT NULL DEFAULT 0,
    UNIQUE (asset_id, package, vuln_id)
) STRICT;
CREATE INDEX findings_status ON findings (status, tier);

-- Every state change. at_real is the wall clock; at is the effective clock
-- (--now), and simulated says whether the two differed by choice.
CREATE TABLE audit_events (
    id {{id_pk}},
    at INTEGER NOT NULL,
    at_real INTEGER NOT NULL,
    simulated INTEGER NOT NULL CHECK (simulated IN (0, 1)),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT,
    detail TEXT
) STRICT;

-- SQLite's functions that the store's statements use, for PostgreSQL: the
-- two time formats Patchline writes (ISO 8601 UTC and the UTC day),
-- group_concat, printf('%.Nf', x), the two-argument (scalar) min and max of
-- integers, and glob
-- (docs/store.md, "Dialect rules for new SQL"). SQLite has them.
{{postgresql}}
CREATE FUNCTION strftime(fmt TEXT, t BIGINT, modifier TEXT) RETURNS TEXT
LANGUAGE plpgsql STABLE STRICT AS $pl$
BEGIN
    IF modifier <> 'unixepoch' THEN
        RAISE EXCEPTION 'strftime: modifier % (only unixepoch)', modifier;
    END IF;
    IF fmt = '%Y-%m-%dT%H:%M:%SZ' THEN
        RETURN to_char(to_timestamp(t) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
    ELSIF fmt = '%Y-%m-%d' THEN
        RETURN to_char(to_timestamp(t) AT TIME ZONE 'UTC', 'YYYY-MM-DD');
    END IF;
    RAISE EXCEPTION 'strftime: format % (only %%Y-%%m-%%dT%%H:%%M:%%SZ and %%Y-%%m-%%d)', fmt;
END
$pl$;
CREATE FUNCTION date(t BIGINT, modifier TEXT) RETURNS TEXT
LANGUAGE sql STABLE STRICT AS $pl$ SELECT strftime('%Y-%m-%d', t, modifier) $pl$;
CREATE FUNCTION group_concat_step(acc TEXT, v TEXT, sep TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $pl$
    SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || sep || v END
$pl$;
CREATE AGGREGATE group_concat(TEXT, TEXT) (SFUNC = group_concat_step, STYPE = TEXT);
CREATE FUNCTION printf(fmt TEXT, v DOUBLE PRECISION) RETURNS TEXT
LANGUAGE plpgsql IMMUTABLE STRICT AS $pl$
BEGIN
    IF fmt !~ '^%\.[0-9]f$' THEN
        RAISE EXCEPTION 'printf: format % (only %%.Nf)', fmt;
    END IF;
    RETURN round(v::numeric, substr(fmt, 3, 1)::int)::text;
END
$pl$;
CREATE FUNCTION min(a BIGINT, b BIGINT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE STRICT AS $pl$ SELECT CASE WHEN a < b THEN a ELSE b END $pl$;
CREATE FUNCTION max(a BIGINT, b BIGINT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE STRICT AS $pl$ SELECT CASE WHEN a > b THEN a ELSE b END $pl$;
CREATE FUNCTION glob(pattern TEXT, s TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql IMMUTABLE STRICT AS $pl$
DECLARE
    re TEXT := '^';
    c TEXT;
    in_class BOOLEAN := false;
BEGIN
    FOR i IN 1 .. length(pattern) LOOP
        c := substr(pattern, i, 1);
        IF in_class THEN
            re := re || CASE WHEN c = '\' THEN '\\' ELSE c END;
            in_class := c <> ']';
        ELSIF c = '*' THEN
            re := re || '.*';
        ELSIF c = '?' THEN
            re := re || '.';
        ELSIF c = '[' THEN
            re := re || c;
            in_class := true;
        ELSIF strpos('.^$+(){}|\]', c) > 0 THEN
            re := re || '\' || c;
        ELSE
            re := re || c;
        END IF;
    END LOOP;
    RETURN s ~ (re || '$');
END
$pl$;
{{end}}
