-- The store's deciding policy is that of the finding tiered last that
-- records one (pl_store_policy_deciding, pl_store_policy_get), read by the
-- server whenever the store has changed. findings_tiered walks back over
-- every finding that records none (a store tiered before policies were
-- recorded); this one holds only those that do, so the read is its last entry.
CREATE INDEX findings_deciding ON findings (tiered_at, id) WHERE policy_digest IS NOT NULL;
