/*
 * sync_dir.c - what `feed sync` does when told nothing: the kinds it
 * fetches and the folder it downloads into (the command and the server's
 * scheduled sync share them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/intel.h"

const char *const *pl_feed_sync_default_kinds(size_t *n)
{
    static const char *const kinds[] = {"kev", "epss"};

    *n = PL_ARRAY_LEN(kinds);
    return kinds;
}

void pl_feed_sync_dir(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *tmp = getenv("TMPDIR");

    if (pl_store_target_is_url(path)) { /* a database has no folder: the temporary one */
        if (snprintf(dir, size, "%s", tmp && *tmp == '/' ? tmp : "/tmp") >= (int)size)
            dir[0] = '\0';
        return;
    }
    if (slash == NULL || (size_t)(slash - path) >= size) {
        if (snprintf(dir, size, ".") >= (int)size)
            dir[0] = '\0';
        return;
    }
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash == path ? 1 : slash - path] = '\0';
}
