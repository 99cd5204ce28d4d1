-- 0030: vendor bulletins (Fortinet PSIRT, Palo Alto Networks, Cisco) are
-- CPE match rows of their own origin ('fortinet', 'paloalto', 'cisco'):
-- advisory names the bulletin (FG-IR-24-015, CVE-2024-3400, cisco-sa-...)
-- that a later import of it replaces as a whole; fixed_in lists, ';'-joined,
-- the versions the vendor says fix it (PAN-OS hotfixes such as 10.2.9-h1).
ALTER TABLE cpe_matches ADD COLUMN advisory TEXT;
ALTER TABLE cpe_matches ADD COLUMN fixed_in TEXT;
CREATE INDEX cpe_matches_advisory ON cpe_matches (origin, advisory);

-- endoflife.date data imported by `feed import eol` (the release cycles of the
-- product definitions, and the release-data versions with their dates). When
-- a product has imported cycles they are used instead of the shipped table.
-- eol, eoas, eoes: 'YYYY-MM-DD', 'true' (ended, no date given), or NULL.
CREATE TABLE eol_cycles (
    product TEXT NOT NULL,
    cycle TEXT NOT NULL,
    release_date TEXT,
    eol TEXT,
    eoas TEXT,
    eoes TEXT,
    latest TEXT,
    latest_date TEXT,
    feed_id INTEGER NOT NULL REFERENCES feeds (id),
    PRIMARY KEY (product, cycle)
) STRICT, WITHOUT ROWID;

-- One released version of a product and its release date (YYYY-MM-DD).
CREATE TABLE eol_versions (
    product TEXT NOT NULL,
    version TEXT NOT NULL,
    released TEXT NOT NULL,
    feed_id INTEGER NOT NULL REFERENCES feeds (id),
    PRIMARY KEY (product, version)
) STRICT, WITHOUT ROWID;
