/*
 * test_db_sqlite.c - the backend layer (src/store/db.h) on SQLite: a file in
 * a temporary folder. Always runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ID_PK     "INTEGER PRIMARY KEY"
#define SETUP_SQL ""

static char dir[] = "/tmp/pl-test-db-XXXXXX", path[64];

static void cleanup(void)
{
    static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
    char f[80];

    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
        snprintf(f, sizeof(f), "%s%s", path, ext[i]);
        unlink(f);
    }
    rmdir(dir);
}

static const char *open_target(void)
{
    FILE *f;

    if (path[0] == '\0') {
        if (mkdtemp(dir) == NULL)
            abort();
        snprintf(path, sizeof(path), "%s/db", dir);
        atexit(cleanup);
        if ((f = fopen(path, "w")) == NULL) /* the layer opens existing files only */
            abort();
        fclose(f);
    }
    return path;
}

#include "db_cases.inc"
