/*
 * fuzz_util.c - see fuzz_util.h. The temp folder is removed at exit.
 */
#include "fuzz_util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patchline/clock.h"
#include "patchline/log.h"

static char tmpdir[256];
static char input_path[300];
static char db_path[300];
static struct pl_store *store;

static void cleanup(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[320];

    pl_store_close(store);
    store = NULL;
    for (size_t i = 0; db_path[0] != '\0' && i < 4; i++) {
        if (snprintf(p, sizeof(p), "%s%s", db_path, suffix[i]) < (int)sizeof(p))
            unlink(p);
    }
    if (input_path[0] != '\0')
        unlink(input_path);
    if (tmpdir[0] != '\0')
        rmdir(tmpdir);
}

static void quiet(enum pl_log_level level, const char *module, const char *msg, void *data)
{
    (void)level, (void)module, (void)msg, (void)data;
}

static const char *folder(void)
{
    const char *base = getenv("TMPDIR");

    if (tmpdir[0] != '\0')
        return tmpdir;
    if (base == NULL || *base == '\0')
        base = "/tmp";
    if (snprintf(tmpdir, sizeof(tmpdir), "%s/pl-fuzz-XXXXXX", base) >= (int)sizeof(tmpdir) ||
        mkdtemp(tmpdir) == NULL) {
        perror("pl-fuzz: mkdtemp");
        abort();
    }
    atexit(cleanup);
    return tmpdir;
}

void pl_fuzz_init(void)
{
    static int done;

    if (done)
        return;
    done = 1;
    pl_log_set_sink(quiet, NULL);
    pl_clock_set(1764374400); /* 2025-11-29T00:00:00Z */
}

char *pl_fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (s == NULL)
        abort();
    if (size > 0)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

const char *pl_fuzz_file(const uint8_t *data, size_t size)
{
    int fd;

    if (input_path[0] == '\0' &&
        snprintf(input_path, sizeof(input_path), "%s/input", folder()) >= (int)sizeof(input_path))
        abort();
    fd = open(input_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        abort();
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n <= 0)
            abort();
        data += n;
        size -= (size_t)n;
    }
    close(fd);
    return input_path;
}

struct pl_store *pl_fuzz_store(void)
{
    struct pl_error err = PL_ERROR_INIT;

    if (store != NULL)
        return store;
    if (snprintf(db_path, sizeof(db_path), "%s/fuzz.db", folder()) >= (int)sizeof(db_path))
        abort();
    if (pl_store_open(db_path, PL_STORE_CREATE, &store, &err) != PL_OK) {
        fprintf(stderr, "pl-fuzz: store: %s\n", err.msg);
        abort();
    }
    return store;
}
