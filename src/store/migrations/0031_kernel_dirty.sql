-- 0031: the running kernel decides which Ubuntu kernel is matched (the
-- running one, its meta-package the remedy), so a reboot into another kernel
-- rescans the asset, as a change of its packages does.
CREATE TRIGGER match_dirty_kernel AFTER UPDATE ON assets
WHEN OLD.kernel IS DISTINCT FROM NEW.kernel BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.id;
END;
