-- 0034: the kernel fixes a live patch has applied to an asset's running
-- kernel, as the host reports them (`canonical-livepatch status --format
-- json`, imported by `assets livepatch`): a kernel finding of one of these
-- vulnerabilities is mitigated by the live patch, not fixed by a package,
-- while the host runs that kernel. `kernel` is the client's name of the
-- patched kernel ("5.15.0-100.110-generic"); an import replaces the asset's
-- rows of its source.
CREATE TABLE asset_livepatch (
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    vuln_id TEXT NOT NULL,
    kernel TEXT NOT NULL,
    patch_version TEXT,
    reported_at INTEGER NOT NULL,
    PRIMARY KEY (asset_id, source, vuln_id)
) STRICT, WITHOUT ROWID;
