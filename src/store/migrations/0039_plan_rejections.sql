-- 0039: rejections of plan waves (plan reject): who rejected a wave, when
-- and why. A rejected wave never runs and can no longer be approved; a
-- wave has at most one rejection (the library refuses a second one).
CREATE TABLE IF NOT EXISTS plan_rejections (
    id {{id_pk}},
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    wave_seq INTEGER NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    at INTEGER NOT NULL,
    at_real INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS plan_rejections_plan ON plan_rejections (plan_id, wave_seq);
