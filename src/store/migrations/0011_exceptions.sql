-- 0011: exceptions and compensating controls (src/policy/exception*.c).
-- Times are seconds since the Unix epoch, UTC.

-- One exception: a compensating control (waf-rule, network-segmentation,
-- feature-disabled, enhanced-monitoring, access-restriction), a risk
-- acceptance or a false positive, with its scope, requester, approver and
-- expiry. status: pending -> active -> expired | revoked; a false positive
-- goes to needs-review when a feed import follows its approval.
-- scope 'finding': finding_id; 'assets': the assets in exception_assets
-- (vuln_id NULL: every finding of them); 'selector': the assets that match
-- `selector` now (exception_assets refreshed at every apply).
CREATE TABLE exceptions (
    id {{id_pk}},
    type TEXT NOT NULL CHECK (type IN ('waf-rule', 'network-segmentation', 'feature-disabled',
        'enhanced-monitoring', 'access-restriction', 'risk-acceptance', 'false-positive')),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'expired',
        'revoked', 'needs-review')),
    scope TEXT NOT NULL CHECK (scope IN ('finding', 'assets', 'selector')),
    finding_id INTEGER REFERENCES findings (id) ON DELETE CASCADE,
    vuln_id TEXT,
    selector TEXT,
    justification TEXT NOT NULL,
    requester TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    approver TEXT,
    approved_at INTEGER,
    expires_at INTEGER NOT NULL,
    ended_at INTEGER,
    ended_by TEXT,
    end_reason TEXT,
    CHECK ((scope = 'finding') = (finding_id IS NOT NULL)),
    CHECK ((scope = 'selector') = (selector IS NOT NULL))
) STRICT;
CREATE INDEX exceptions_status ON exceptions (status, expires_at);

CREATE TABLE exception_assets (
    exception_id INTEGER NOT NULL REFERENCES exceptions (id) ON DELETE CASCADE,
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    PRIMARY KEY (exception_id, asset_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX exception_assets_asset ON exception_assets (asset_id);

-- Per-tier end of a risk acceptance (policy max_exception from approval),
-- where it comes before the expiry: a finding of that tier that falls in
-- the scope later is covered only until then.
CREATE TABLE exception_caps (
    exception_id INTEGER NOT NULL REFERENCES exceptions (id) ON DELETE CASCADE,
    tier INTEGER NOT NULL,
    until INTEGER NOT NULL,
    PRIMARY KEY (exception_id, tier)
) STRICT, WITHOUT ROWID;

-- The exception that covers (or last covered) a finding. findings.mitigated_by
-- holds its type and findings.mitigated_until the end of the cover.
ALTER TABLE findings ADD COLUMN exception_id INTEGER REFERENCES exceptions (id);
CREATE INDEX findings_exception ON findings (exception_id);

-- Findings of one asset by status: selector scopes are evaluated at every
-- apply through the asset query, whose per-asset count of open findings
-- otherwise walks findings_status (every open finding, for every asset:
-- 96 s instead of 0.08 s on 10,000 assets with 200,000 findings).
CREATE INDEX findings_asset_status ON findings (asset_id, status);
