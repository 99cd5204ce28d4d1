/*
 * fuzz_dpkglog.c - the dpkg.log and apt history.log readers (inventory.h),
 * through a real reader on the input written to a file.
 */
#include "patchline/inventory.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = pl_fuzz_file(data, size);
    pl_time_t latest = 0;
    bool found = false; /* the readers accumulate over rotated logs: the caller starts it */

    pl_fuzz_ignore(pl_dpkg_log_latest(path, &latest, &found, NULL));
    latest = 0, found = false;
    pl_fuzz_ignore(pl_apt_history_latest(path, &latest, &found, NULL));
    return 0;
}
