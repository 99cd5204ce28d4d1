/*
 * file.c - the input front door: capped, streaming, gzip/xz aware.
 */
#include "patchline/file.h"

#include <dirent.h>
#include <errno.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "patchline/sha256.h"

#define RAW_CHUNK ((size_t)64 * 1024)

struct pl_reader {
    FILE *fp;
    bool own_fp;
    char *path;
    enum pl_compression comp;
    size_t max;
    uint64_t delivered;
    uint64_t lineno;
    struct pl_sha256 sha;
    /* raw input window */
    unsigned char *raw;
    size_t raw_pos, raw_len;
    bool raw_eof;
    /* decompressors */
    z_stream zs;
    lzma_stream xs;
    bool stream_end;
    /* line buffer for pl_reader_line */
    char *lbuf;
    size_t lpos, llen;
};

static pl_status fill_raw(struct pl_reader *r, struct pl_error *err)
{
    size_t n;

    if (r->raw_pos < r->raw_len || r->raw_eof)
        return PL_OK;
    n = fread(r->raw, 1, RAW_CHUNK, r->fp);
    if (n == 0 && ferror(r->fp))
        return pl_error_set(err, PL_E_IO, "cannot read '%s': %s", r->path, strerror(errno));
    if (n == 0)
        r->raw_eof = true;
    pl_sha256_update(&r->sha, r->raw, n);
    r->raw_pos = 0;
    r->raw_len = n;
    return PL_OK;
}

static enum pl_compression sniff(const unsigned char *p, size_t n)
{
    static const unsigned char xz_magic[6] = {0xfd, '7', 'z', 'X', 'Z', 0x00};

    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return PL_COMPRESS_GZIP;
    if (n >= 6 && memcmp(p, xz_magic, 6) == 0)
        return PL_COMPRESS_XZ;
    return PL_COMPRESS_NONE;
}

static pl_status start_decoder(struct pl_reader *r, struct pl_error *err)
{
    if (r->comp == PL_COMPRESS_GZIP) {
        memset(&r->zs, 0, sizeof(r->zs));
        if (inflateInit2(&r->zs, 16 + MAX_WBITS) != Z_OK)
            return pl_error_set(err, PL_E_NOMEM, "cannot start gzip decoder for '%s'", r->path);
    } else if (r->comp == PL_COMPRESS_XZ) {
        lzma_stream init = LZMA_STREAM_INIT;

        r->xs = init;
        if (lzma_stream_decoder(&r->xs, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
            return pl_error_set(err, PL_E_NOMEM, "cannot start xz decoder for '%s'", r->path);
    }
    return PL_OK;
}

/* The first bytes read, the compression sniffed and its decoder started: *out, or r closed. */
static pl_status start(struct pl_reader *r, struct pl_reader **out, struct pl_error *err)
{
    pl_status rc;

    r->raw = pl_xmalloc(RAW_CHUNK);
    if ((rc = fill_raw(r, err)) == PL_OK) {
        r->comp = sniff(r->raw, r->raw_len);
        rc = start_decoder(r, err);
    }
    if (rc != PL_OK) {
        pl_reader_close(r);
        return rc;
    }
    *out = r;
    return PL_OK;
}

pl_status pl_reader_open(const char *path, size_t max, struct pl_reader **out, struct pl_error *err)
{
    struct pl_reader *r;
    pl_status rc;
    struct stat st;

    if (path == NULL || out == NULL) {
        pl_error_set(err, PL_E_INVALID, "pl_reader_open: NULL argument");
        return PL_E_INVALID;
    }
    r = pl_xcalloc(1, sizeof(*r));
    r->path = pl_xstrdup(path);
    r->max = max ? max : PL_MAX_DECOMPRESSED_BYTES;
    pl_sha256_init(&r->sha);
    if (strcmp(path, "-") == 0) {
        r->fp = stdin;
    } else {
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = pl_error_set(err, PL_E_IO, "cannot read '%s': is a directory", path);
            goto fail;
        }
        r->fp = fopen(path, "rb");
        r->own_fp = true;
        if (r->fp == NULL) {
            rc = pl_error_set(err, PL_E_IO, "cannot open '%s': %s", path, strerror(errno));
            goto fail;
        }
    }
    return start(r, out, err);
fail:
    pl_reader_close(r);
    return rc != PL_OK ? rc : PL_E_INTERNAL; /* never PL_OK without *out */
}

pl_status pl_reader_open_mem(const char *name, const void *data, size_t len, size_t max,
                             struct pl_reader **out, struct pl_error *err)
{
    struct pl_reader *r;

    if (name == NULL || out == NULL || (data == NULL && len > 0))
        return pl_error_set(err, PL_E_INVALID, "pl_reader_open_mem: NULL argument");
    r = pl_xcalloc(1, sizeof(*r));
    r->path = pl_xstrdup(name);
    r->max = max ? max : PL_MAX_DECOMPRESSED_BYTES;
    pl_sha256_init(&r->sha);
    if (len == 0) {
        r->raw_eof = true; /* nothing to read: no stream at all */
    } else if ((r->fp = fmemopen((void *)(uintptr_t)data, len, "rb")) == NULL) {
        pl_reader_close(r);
        return pl_error_set(err, PL_E_NOMEM, "cannot read '%s' from memory: %s", name,
                            strerror(errno));
    }
    r->own_fp = r->fp != NULL;
    return start(r, out, err);
}

static pl_status read_plain(struct pl_reader *r, unsigned char *buf, size_t cap, size_t *n,
                            struct pl_error *err)
{
    size_t take;
    pl_status rc = fill_raw(r, err);

    if (rc != PL_OK)
        return rc;
    take = r->raw_len - r->raw_pos;
    if (take > cap)
        take = cap;
    memcpy(buf, r->raw + r->raw_pos, take);
    r->raw_pos += take;
    *n = take;
    return PL_OK;
}

static pl_status read_gzip(struct pl_reader *r, unsigned char *buf, size_t cap, size_t *n,
                           struct pl_error *err)
{
    pl_status rc;

    r->zs.next_out = buf;
    r->zs.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
    while (r->zs.avail_out == cap && !r->stream_end) {
        int zr;

        if ((rc = fill_raw(r, err)) != PL_OK)
            return rc;
        if (r->raw_pos == r->raw_len) {
            if (r->zs.total_in == 0 && r->zs.total_out == 0)
                break;
            return pl_error_set(err, PL_E_PARSE, "'%s': truncated gzip data", r->path);
        }
        r->zs.next_in = r->raw + r->raw_pos;
        r->zs.avail_in = (uInt)(r->raw_len - r->raw_pos);
        zr = inflate(&r->zs, Z_NO_FLUSH);
        r->raw_pos = r->raw_len - r->zs.avail_in;
        if (zr == Z_STREAM_END) {
            /* concatenated members: go on if more input follows */
            if ((rc = fill_raw(r, err)) != PL_OK)
                return rc;
            if (r->raw_pos == r->raw_len)
                r->stream_end = true;
            else
                inflateReset(&r->zs);
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            return pl_error_set(err, PL_E_PARSE, "'%s': corrupt gzip data: %s", r->path,
                                r->zs.msg ? r->zs.msg : "inflate failed");
        }
    }
    *n = cap - r->zs.avail_out;
    return PL_OK;
}

static pl_status read_xz(struct pl_reader *r, unsigned char *buf, size_t cap, size_t *n,
                         struct pl_error *err)
{
    pl_status rc;

    r->xs.next_out = buf;
    r->xs.avail_out = cap;
    while (r->xs.avail_out == cap && !r->stream_end) {
        lzma_ret xr;

        if ((rc = fill_raw(r, err)) != PL_OK)
            return rc;
        r->xs.next_in = r->raw + r->raw_pos;
        r->xs.avail_in = r->raw_len - r->raw_pos;
        xr = lzma_code(&r->xs, r->raw_eof ? LZMA_FINISH : LZMA_RUN);
        r->raw_pos = r->raw_len - r->xs.avail_in;
        if (xr == LZMA_STREAM_END)
            r->stream_end = true;
        else if (xr == LZMA_BUF_ERROR && r->raw_eof)
            return pl_error_set(err, PL_E_PARSE, "'%s': truncated xz data", r->path);
        else if (xr != LZMA_OK && xr != LZMA_BUF_ERROR)
            return pl_error_set(err, PL_E_PARSE, "'%s': corrupt xz data (lzma error %d)", r->path,
                                (int)xr);
    }
    *n = cap - r->xs.avail_out;
    return PL_OK;
}

pl_status pl_reader_read(struct pl_reader *r, void *buf, size_t cap, size_t *n,
                         struct pl_error *err)
{
    pl_status rc;
    size_t got = 0;

    /* serve bytes still buffered by pl_reader_line first */
    if (r->lpos < r->llen) {
        got = r->llen - r->lpos < cap ? r->llen - r->lpos : cap;
        memcpy(buf, r->lbuf + r->lpos, got);
        r->lpos += got;
        *n = got;
        return PL_OK;
    }
    if (r->comp == PL_COMPRESS_GZIP)
        rc = read_gzip(r, buf, cap, &got, err);
    else if (r->comp == PL_COMPRESS_XZ)
        rc = read_xz(r, buf, cap, &got, err);
    else
        rc = read_plain(r, buf, cap, &got, err);
    if (rc != PL_OK)
        return rc;
    if (r->delivered + got > r->max)
        return pl_error_set(err, PL_E_TOOBIG, "'%s': larger than the limit of %zu bytes", r->path,
                            r->max);
    r->delivered += got;
    *n = got;
    return PL_OK;
}

pl_status pl_reader_line(struct pl_reader *r, struct pl_buf *line, bool *eof_out,
                         struct pl_error *err)
{
    pl_buf_reset(line);
    if (r->lbuf == NULL)
        r->lbuf = pl_xmalloc(RAW_CHUNK);
    for (;;) {
        char *nl;
        size_t take;
        pl_status rc;

        if (r->lpos == r->llen) {
            size_t got;

            r->lpos = r->llen = 0;
            rc = pl_reader_read(r, r->lbuf, RAW_CHUNK, &got, err);
            if (rc != PL_OK)
                return rc;
            r->llen = got;
            if (got == 0) {
                *eof_out = line->len == 0;
                if (line->len)
                    r->lineno++;
                return PL_OK;
            }
        }
        nl = memchr(r->lbuf + r->lpos, '\n', r->llen - r->lpos);
        take = nl ? (size_t)(nl - (r->lbuf + r->lpos)) : r->llen - r->lpos;
        if (line->len + take > PL_MAX_LINE_BYTES)
            return pl_error_set(err, PL_E_TOOBIG, "%s:%llu: line longer than %zu bytes", r->path,
                                (unsigned long long)r->lineno + 1, PL_MAX_LINE_BYTES);
        pl_buf_add(line, r->lbuf + r->lpos, take);
        if (pl_buf_status(line) != PL_OK)
            return pl_error_set(err, pl_buf_status(line), "%s:%llu: %s", r->path,
                                (unsigned long long)r->lineno + 1,
                                pl_status_str(pl_buf_status(line)));
        r->lpos += take;
        if (nl) {
            r->lpos++;
            r->lineno++;
            if (line->len && line->buf[line->len - 1] == '\r')
                pl_buf_truncate(line, line->len - 1);
            *eof_out = false;
            return PL_OK;
        }
    }
}

uint64_t pl_reader_lineno(const struct pl_reader *r)
{
    return r->lineno;
}

uint64_t pl_reader_offset(const struct pl_reader *r)
{
    return r->delivered;
}

const char *pl_reader_path(const struct pl_reader *r)
{
    return r->path;
}

enum pl_compression pl_reader_compression(const struct pl_reader *r)
{
    return r->comp;
}

void pl_reader_sha256(struct pl_reader *r, char hex[65])
{
    struct pl_sha256 copy;

    pl_sha256_copy(&copy, &r->sha);
    pl_sha256_hex(&copy, hex);
}

void pl_reader_close(struct pl_reader *r)
{
    if (r == NULL)
        return;
    if (r->comp == PL_COMPRESS_GZIP)
        inflateEnd(&r->zs);
    else if (r->comp == PL_COMPRESS_XZ)
        lzma_end(&r->xs);
    if (r->own_fp && r->fp)
        fclose(r->fp);
    pl_sha256_release(&r->sha);
    free(r->raw);
    free(r->lbuf);
    free(r->path);
    free(r);
}

pl_status pl_file_read(const char *path, size_t max, struct pl_buf *out, struct pl_error *err)
{
    struct pl_reader *r = NULL;
    struct pl_buf buf;
    char chunk[16384];
    pl_status rc;
    size_t n = 0;

    if (max == 0)
        max = PL_MAX_FILE_BYTES;
    if ((rc = pl_reader_open(path, max, &r, err)) != PL_OK)
        return rc;
    pl_buf_init(&buf, max);
    do {
        if ((rc = pl_reader_read(r, chunk, sizeof(chunk), &n, err)) != PL_OK)
            goto out;
        pl_buf_add(&buf, chunk, n);
    } while (n > 0);
    if (pl_buf_status(&buf) != PL_OK) {
        rc = pl_error_set(err, pl_buf_status(&buf), "'%s': %s (limit %zu bytes)", path,
                          pl_status_str(pl_buf_status(&buf)), max);
        goto out;
    }
    pl_buf_release(out);
    *out = buf;
    pl_buf_init(&buf, max);
out:
    pl_buf_release(&buf);
    pl_reader_close(r);
    return rc;
}

bool pl_path_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

/* The folder holding the running binary, from /proc/self/exe; "" when unknown. */
static void exe_dir(char *dir, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", dir, size - 1);
    char *slash;

    dir[0] = '\0';
    if (n <= 0)
        return;
    dir[n] = '\0';
    slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
}

pl_status pl_data_path(const char *rel, struct pl_buf *out, struct pl_error *err)
{
    char dir[4096];
    const char *env = getenv("PATCHLINE_DATA");
    const char *bases[4];
    size_t n = 0;

    if (rel == NULL || *rel == '/' || strstr(rel, "..") != NULL)
        return pl_error_set(err, PL_E_INVALID, "bad data path '%s'", rel ? rel : "");
    exe_dir(dir, sizeof(dir));
    if (env && *env)
        bases[n++] = env;
    bases[n++] = NULL; /* BINDIR/../share/patchline */
    bases[n++] = PL_INSTALL_DATA_DIR;
    bases[n++] = PL_SOURCE_DATA_DIR;
    for (size_t i = 0; i < n; i++) {
        pl_buf_reset(out);
        if (bases[i] == NULL) {
            if (dir[0] == '\0')
                continue;
            pl_buf_addf(out, "%s/../share/patchline/%s", dir, rel);
        } else {
            pl_buf_addf(out, "%s/%s", bases[i], rel);
        }
        if (pl_buf_status(out) == PL_OK && pl_path_exists(pl_buf_cstr(out)))
            return PL_OK;
    }
    return pl_error_set(
        err, PL_E_NOTFOUND,
        "bundled data '%s' not found (looked in $PATCHLINE_DATA, %s/../share/patchline, %s, %s)",
        rel, dir[0] ? dir : "?", PL_INSTALL_DATA_DIR, PL_SOURCE_DATA_DIR);
}

static int path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void pl_path_list_release(struct pl_path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
    l->paths = NULL;
    l->n = 0;
}

bool pl_path_is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

pl_status pl_dir_list(const char *dir, struct pl_path_list *out, struct pl_error *err)
{
    struct pl_path_list l = {NULL, 0};
    size_t cap = 0;
    struct dirent *e;
    DIR *d = opendir(dir);
    pl_status rc = PL_OK;

    if (d == NULL)
        return pl_error_set(err, PL_E_IO, "cannot open folder '%s': %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        struct pl_buf p = PL_BUF_INIT(0);
        struct stat st;

        if (e->d_name[0] == '.')
            continue;
        pl_buf_addf(&p, "%s/%s", dir, e->d_name);
        if (stat(pl_buf_cstr(&p), &st) != 0 || !S_ISREG(st.st_mode)) {
            pl_buf_release(&p);
            continue;
        }
        if (l.n == PL_MAX_DIR_ENTRIES) {
            pl_buf_release(&p);
            rc = pl_error_set(err, PL_E_TOOBIG, "folder '%s' has more than %d files", dir,
                              PL_MAX_DIR_ENTRIES);
            break;
        }
        l.paths = pl_xgrow(l.paths, l.n, &cap, 64, sizeof(*l.paths));
        l.paths[l.n++] = pl_buf_detach(&p, NULL);
    }
    closedir(d);
    if (rc != PL_OK) {
        pl_path_list_release(&l);
        return rc;
    }
    if (l.n)
        qsort(l.paths, l.n, sizeof(*l.paths), path_cmp);
    pl_path_list_release(out);
    *out = l;
    return PL_OK;
}
