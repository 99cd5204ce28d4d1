/*
 * json_bench.c - JSON ingestion speed: yajl with no-op callbacks (the
 * floor any yajl-based reader pays) against pl_json_stream building one
 * tree per record, on the same decompressed file. Best of N runs.
 *
 * usage: bench_json FILE lines|PATH [RUNS]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

#include "patchline/file.h"
#include "patchline/json.h"

#define CHUNK ((size_t)256 * 1024)

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int noop(void *ud)
{
    (void)ud;
    return 1;
}
static int noop_bool(void *ud, int b)
{
    (void)ud;
    (void)b;
    return 1;
}
static int noop_str(void *ud, const unsigned char *s, size_t n)
{
    (void)ud;
    (void)s;
    (void)n;
    return 1;
}
static int noop_num(void *ud, const char *s, size_t n)
{
    (void)ud;
    (void)s;
    (void)n;
    return 1;
}

static const yajl_callbacks noop_cb = {noop, noop_bool, NULL, NULL, noop_num, noop_str,
                                       noop, noop_str,  noop, noop, noop};

static double raw_yajl(const char *path, bool lines, unsigned long long *bytes)
{
    unsigned char *buf = malloc(CHUNK);
    yajl_handle h = yajl_alloc(&noop_cb, NULL, NULL);
    int fd = open(path, O_RDONLY);
    double t0 = now_s();
    ssize_t n;

    if (fd < 0 || buf == NULL)
        exit(1);
    if (lines)
        yajl_config(h, yajl_allow_multiple_values, 1);
    *bytes = 0;
    while ((n = read(fd, buf, CHUNK)) > 0) {
        if (yajl_parse(h, buf, (size_t)n) != yajl_status_ok) {
            fprintf(stderr, "raw yajl: parse error\n");
            exit(1);
        }
        *bytes += (unsigned long long)n;
    }
    if (yajl_complete_parse(h) != yajl_status_ok)
        exit(1);
    t0 = now_s() - t0;
    close(fd);
    yajl_free(h);
    free(buf);
    return t0;
}

/* The input front door alone: read, hash (sha256 of the raw bytes), no parse. */
static double reader_only(const char *path)
{
    unsigned char *buf = malloc(CHUNK);
    struct pl_error err = PL_ERROR_INIT;
    struct pl_reader *r;
    double t0 = now_s();
    size_t n;

    if (buf == NULL || pl_reader_open(path, 0, &r, &err) != PL_OK)
        exit(1);
    while (pl_reader_read(r, buf, CHUNK, &n, &err) == PL_OK && n > 0)
        ;
    pl_reader_close(r);
    free(buf);
    return now_s() - t0;
}

static pl_status count_record(const struct pl_json *v, uint64_t i, void *data, struct pl_error *err)
{
    (void)v;
    (void)i;
    (void)err;
    (*(uint64_t *)data)++;
    return PL_OK;
}

static double ours(const char *path, const char *mode, uint64_t *records)
{
    struct pl_json_stream_opts o = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_reader *r;
    double t0 = now_s();

    *records = 0;
    o.lines = strcmp(mode, "lines") == 0;
    o.records_path = o.lines ? NULL : mode;
    o.on_record = count_record;
    o.data = records;
    if (pl_reader_open(path, 0, &r, &err) != PL_OK || pl_json_stream(r, &o, &err) != PL_OK) {
        fprintf(stderr, "pl_json_stream: %s\n", err.msg);
        exit(1);
    }
    pl_reader_close(r);
    return now_s() - t0;
}

int main(int argc, char **argv)
{
    unsigned long long bytes = 0;
    uint64_t records = 0;
    double best_raw = 1e9, best_ours = 1e9, best_reader = 1e9;
    int runs = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 3;

    if (argc < 3) {
        fputs("usage: bench_json FILE lines|PATH [RUNS]\n", stderr);
        return 2;
    }
    for (int i = 0; i < runs; i++) {
        double a = raw_yajl(argv[1], strcmp(argv[2], "lines") == 0, &bytes);
        double b = ours(argv[1], argv[2], &records);
        double c = reader_only(argv[1]);

        best_raw = a < best_raw ? a : best_raw;
        best_ours = b < best_ours ? b : best_ours;
        best_reader = c < best_reader ? c : best_reader;
    }
    /* the reader's time (read + sha256) is reported apart so the parse itself can be compared */
    printf("%s: %.1f MB, %llu records\n"
           "  raw yajl, no-op callbacks      %7.1f MB/s\n"
           "  pl_reader alone (read+sha256)  %7.1f MB/s\n"
           "  pl_json_stream (all of it)     %7.1f MB/s  ratio to raw yajl %.2fx\n"
           "  pl_json_stream minus reader    %7.1f MB/s  ratio to raw yajl %.2fx\n",
           strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1], (double)bytes / 1e6,
           (unsigned long long)records, (double)bytes / 1e6 / best_raw,
           (double)bytes / 1e6 / best_reader, (double)bytes / 1e6 / best_ours, best_ours / best_raw,
           (double)bytes / 1e6 / (best_ours - best_reader), (best_ours - best_reader) / best_raw);
    return 0;
}
