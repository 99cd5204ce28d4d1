-- 0040: indexes for an agent's check-in, whose reads must not follow the
-- size of the fleet. An upload checks that no other live agent holds its
-- asset (agents by asset_id); a job poll looks for the wave items of its
-- asset (wave_items by asset_id). Without them each check-in read every
-- agent row and each poll every wave item of every plan.
CREATE INDEX IF NOT EXISTS agents_asset ON agents (asset_id);
CREATE INDEX IF NOT EXISTS wave_items_asset ON wave_items (asset_id);
