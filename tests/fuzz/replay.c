/*
 * replay.c - a plain main for the fuzz entry points, used by the normal
 * (non-fuzz) build: feeds every file named on the command line, or found
 * directly inside a folder named there, to LLVMFuzzerTestOneInput once.
 * A crash input that was fixed stays fixed (ctest runs it under ASan).
 */
#include <stdio.h>
#include <stdlib.h>

#include "patchline/file.h"

#include "fuzz_util.h"

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t len = 0, cap = 0, n;

    if (f == NULL) {
        perror(path);
        return 1;
    }
    do {
        if (cap - len < 65536) {
            cap = cap * 2 + 65536;
            if ((data = realloc(data, cap)) == NULL)
                abort();
        }
        n = fread(data + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    fclose(f);
    LLVMFuzzerTestOneInput(data, len);
    free(data);
    return 0;
}

static int run_dir(const char *dir, unsigned *count)
{
    struct pl_path_list l = {0};
    struct pl_error err = PL_ERROR_INIT;
    int bad = 0;

    if (pl_dir_list(dir, &l, &err) != PL_OK) {
        fprintf(stderr, "replay: %s\n", err.msg);
        return 1;
    }
    for (size_t i = 0; i < l.n; i++) {
        bad |= run_file(l.paths[i]);
        (*count)++;
    }
    pl_path_list_release(&l);
    return bad;
}

int main(int argc, char **argv)
{
    unsigned count = 0;
    int bad = 0;

    for (int i = 1; i < argc; i++) {
        if (pl_path_is_dir(argv[i])) {
            bad |= run_dir(argv[i], &count);
        } else {
            bad |= run_file(argv[i]);
            count++;
        }
    }
    printf("replayed %u inputs\n", count);
    return bad;
}
