/*
 * tz.c - load IANA zones from TZif files (RFC 8536) and convert between
 * UTC and local civil time.
 *
 * The zone keeps the transition table (64-bit data for version 2+, else
 * the 32-bit data), the local time types and the footer rule. Lookups past
 * the last transition use the footer; without one, the last type holds.
 */
#include "patchline/tz.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "patchline/buf.h"
#include "patchline/file.h"

#define TZIF_HEADER  44
#define MAX_UTOFF    (26 * 3600)
#define DEFAULT_DIR  "/usr/share/zoneinfo"
#define SEARCH_SPAN  (MAX_UTOFF + 3600)
#define MAX_SEGMENTS 64

struct pl_tz {
    char name[PL_MAX_TZ_NAME_BYTES];
    int64_t *trans; /* ascending transition instants */
    uint8_t *idx;   /* type in effect from trans[i] */
    size_t n_trans;
    struct pl_tz_info *types;
    size_t n_types;
    bool has_footer;
    struct pl_tz_posix footer;
};

struct tzif_counts {
    uint32_t isut, isstd, leap, time, type, chars;
};

bool pl_tz_name_valid(const char *name)
{
    size_t n = strlen(name);

    if (n == 0 || n >= PL_MAX_TZ_NAME_BYTES || name[0] == '/' || name[n - 1] == '/')
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                  (ch >= '0' && ch <= '9') || ch == '/' || ch == '_' || ch == '+' || ch == '-';

        if (!ok || (ch == '/' && name[i + 1] == '/'))
            return false;
    }
    return true;
}

static struct pl_tz *tz_new(const char *name)
{
    struct pl_tz *tz = calloc(1, sizeof(*tz));

    if (tz)
        (void)snprintf(tz->name, sizeof(tz->name), "%s", name);
    return tz;
}

void pl_tz_free(struct pl_tz *tz)
{
    if (!tz)
        return;
    free(tz->trans);
    free(tz->idx);
    free(tz->types);
    free(tz);
}

const char *pl_tz_name(const struct pl_tz *tz)
{
    return tz->name;
}

static bool is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static pl_status builtin_utc(const char *name, struct pl_tz **out, struct pl_error *err)
{
    struct pl_tz *tz = tz_new(name);

    if (!tz || !(tz->types = calloc(1, sizeof(*tz->types)))) {
        pl_tz_free(tz);
        return pl_error_set(err, PL_E_NOMEM, "zone '%s': out of memory", name);
    }
    tz->n_types = 1;
    (void)snprintf(tz->types[0].abbr, PL_TZ_ABBR_BYTES, "UTC");
    *out = tz;
    return PL_OK;
}

pl_status pl_tz_load(const char *name, struct pl_tz **out, struct pl_error *err)
{
    struct pl_buf path = PL_BUF_INIT(4096), data = PL_BUF_INIT(0);
    const char *dir = getenv("TZDIR");
    pl_status rc;

    if (!pl_tz_name_valid(name))
        return pl_error_set(err, PL_E_INVALID,
                            "invalid time zone name '%.64s' (want letters, digits, '/', '_', "
                            "'+', '-')",
                            name);
    if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0)
        return builtin_utc(name, out, err);
    pl_buf_addf(&path, "%s/%s", dir && *dir ? dir : DEFAULT_DIR, name);
    if (pl_buf_status(&path) != PL_OK) {
        pl_buf_release(&path);
        return pl_error_set(err, PL_E_TOOBIG, "zone '%s': path too long", name);
    }
    if (!pl_path_exists(pl_buf_cstr(&path)) || is_dir(pl_buf_cstr(&path))) {
        rc = pl_error_set(err, PL_E_NOTFOUND, "unknown time zone '%s' (no file %s)", name,
                          pl_buf_cstr(&path));
    } else if ((rc = pl_file_read(pl_buf_cstr(&path), PL_MAX_TZIF_BYTES, &data, err)) != PL_OK) {
        (void)pl_error_prefix(err, "zone '%s'", name);
    } else if ((rc = pl_tz_parse(name, data.buf, data.len, out, err)) != PL_OK &&
               rc != PL_E_NOMEM) {
        (void)pl_error_prefix(err, "%s", pl_buf_cstr(&path));
    }
    pl_buf_release(&path);
    pl_buf_release(&data);
    return rc;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static pl_status read_header(const unsigned char *p, size_t len, int *version,
                             struct tzif_counts *c, struct pl_error *err)
{
    if (len < TZIF_HEADER)
        return pl_error_set(err, PL_E_PARSE, "truncated TZif header (%zu bytes)", len);
    if (memcmp(p, "TZif", 4) != 0)
        return pl_error_set(err, PL_E_PARSE, "not a TZif file (bad magic)");
    if (p[4] != 0 && (p[4] < '2' || p[4] > '4'))
        return pl_error_set(err, PL_E_UNSUPPORTED, "unknown TZif version 0x%02x", p[4]);
    *version = p[4] ? p[4] - '0' : 1;
    c->isut = be32(p + 20);
    c->isstd = be32(p + 24);
    c->leap = be32(p + 28);
    c->time = be32(p + 32);
    c->type = be32(p + 36);
    c->chars = be32(p + 40);
    if (c->type == 0 || c->type > 256 || c->chars == 0 || (c->isut != 0 && c->isut != c->type) ||
        (c->isstd != 0 && c->isstd != c->type))
        return pl_error_set(err, PL_E_PARSE, "inconsistent TZif header counts");
    if (c->leap != 0)
        return pl_error_set(err, PL_E_UNSUPPORTED, "leap-second zones are not supported");
    if (c->time > PL_MAX_TZIF_BYTES || c->chars > PL_MAX_TZIF_BYTES)
        return pl_error_set(err, PL_E_PARSE, "TZif counts exceed the file size cap");
    return PL_OK;
}

static size_t block_size(const struct tzif_counts *c, size_t tsize)
{
    return (size_t)c->time * tsize + c->time + (size_t)c->type * 6 + c->chars +
           (size_t)c->leap * (tsize + 4) + c->isstd + c->isut;
}

/* Read one data block (tsize 4 or 8 byte times) into tz. */
static pl_status read_block(struct pl_tz *tz, const unsigned char *p, const struct tzif_counts *c,
                            size_t tsize, struct pl_error *err)
{
    const unsigned char *idx = p + (size_t)c->time * tsize, *ti = idx + c->time;
    const unsigned char *chars = ti + (size_t)c->type * 6;

    tz->trans = malloc((c->time ? c->time : 1) * sizeof(*tz->trans));
    tz->idx = malloc(c->time ? c->time : 1);
    tz->types = calloc(c->type, sizeof(*tz->types));
    if (!tz->trans || !tz->idx || !tz->types)
        return pl_error_set(err, PL_E_NOMEM, "out of memory");
    for (uint32_t i = 0; i < c->time; i++) {
        tz->trans[i] = tsize == 8 ? be64(p + (size_t)i * 8) : (int32_t)be32(p + (size_t)i * 4);
        tz->idx[i] = idx[i];
        if (idx[i] >= c->type || (i > 0 && tz->trans[i] <= tz->trans[i - 1]))
            return pl_error_set(err, PL_E_PARSE, "bad TZif transition %u", i);
    }
    for (uint32_t i = 0; i < c->type; i++) {
        struct pl_tz_info *t = &tz->types[i];
        const unsigned char *rec = ti + (size_t)i * 6;
        int32_t off = (int32_t)be32(rec);
        unsigned desig = rec[5];
        size_t k = 0;

        if (off < -MAX_UTOFF || off > MAX_UTOFF || rec[4] > 1 || desig >= c->chars)
            return pl_error_set(err, PL_E_PARSE, "bad TZif local time type %u", i);
        t->utoff = off;
        t->is_dst = rec[4] == 1;
        while (desig + k < c->chars && chars[desig + k] && k + 1 < PL_TZ_ABBR_BYTES) {
            t->abbr[k] = (char)chars[desig + k];
            k++;
        }
        if (desig + k >= c->chars)
            return pl_error_set(err, PL_E_PARSE, "unterminated TZif abbreviation %u", i);
    }
    tz->n_trans = c->time;
    tz->n_types = c->type;
    return PL_OK;
}

static pl_status read_footer(struct pl_tz *tz, const unsigned char *p, size_t len,
                             struct pl_error *err)
{
    char rule[PL_MAX_CRON_BYTES];
    const unsigned char *nl;

    if (len < 2 || p[0] != '\n' || !(nl = memchr(p + 1, '\n', len - 1)))
        return pl_error_set(err, PL_E_PARSE, "truncated TZif footer");
    if ((size_t)(nl - p - 1) >= sizeof(rule))
        return pl_error_set(err, PL_E_TOOBIG, "TZif footer too long");
    memcpy(rule, p + 1, (size_t)(nl - p - 1));
    rule[nl - p - 1] = '\0';
    if (rule[0] == '\0')
        return PL_OK;
    tz->has_footer = true;
    return pl_tz_posix_parse(rule, &tz->footer, err);
}

static pl_status parse_body(struct pl_tz *tz, const unsigned char *p, size_t len,
                            struct pl_error *err)
{
    struct tzif_counts c = {0, 0, 0, 0, 0, 0};
    int version = 0;
    size_t need;
    pl_status rc;

    if ((rc = read_header(p, len, &version, &c, err)) != PL_OK)
        return rc;
    need = TZIF_HEADER + block_size(&c, 4);
    if (len < need)
        return pl_error_set(err, PL_E_PARSE, "truncated TZif data (%zu of %zu bytes)", len, need);
    if (version == 1)
        return read_block(tz, p + TZIF_HEADER, &c, 4, err);
    p += need;
    len -= need;
    if ((rc = read_header(p, len, &version, &c, err)) != PL_OK)
        return rc;
    need = TZIF_HEADER + block_size(&c, 8);
    if (len < need)
        return pl_error_set(err, PL_E_PARSE, "truncated TZif data (%zu of %zu bytes)", len, need);
    if ((rc = read_block(tz, p + TZIF_HEADER, &c, 8, err)) != PL_OK)
        return rc;
    return read_footer(tz, p + need, len - need, err);
}

pl_status pl_tz_parse(const char *name, const void *data, size_t len, struct pl_tz **out,
                      struct pl_error *err)
{
    struct pl_tz *tz = tz_new(name);
    pl_status rc;

    if (!tz)
        return pl_error_set(err, PL_E_NOMEM, "zone '%s': out of memory", name);
    if (len > PL_MAX_TZIF_BYTES)
        rc = pl_error_set(err, PL_E_TOOBIG, "TZif file over %zu bytes", PL_MAX_TZIF_BYTES);
    else
        rc = parse_body(tz, data, len, err);
    if (rc != PL_OK) {
        (void)pl_error_prefix(err, "zone '%s'", name);
        pl_tz_free(tz);
        return rc;
    }
    *out = tz;
    return PL_OK;
}

/* Index of the last transition <= t, or -1 when t precedes them all. */
static long last_at_or_before(const struct pl_tz *tz, pl_time_t t)
{
    size_t lo = 0, hi = tz->n_trans;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (tz->trans[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

void pl_tz_lookup(const struct pl_tz *tz, pl_time_t t, struct pl_tz_info *out)
{
    long i = last_at_or_before(tz, t);

    if (tz->has_footer && (tz->n_trans == 0 || i == (long)tz->n_trans - 1))
        pl_tz_posix_lookup(&tz->footer, t, out);
    else
        *out = tz->types[i < 0 ? 0 : tz->idx[i]];
}

int64_t pl_tz_to_local(const struct pl_tz *tz, pl_time_t t)
{
    struct pl_tz_info info;

    pl_tz_lookup(tz, t, &info);
    return t + info.utoff;
}

/* The first transition strictly after t; false when there is none. */
static bool next_transition(const struct pl_tz *tz, pl_time_t t, pl_time_t *out)
{
    long i = last_at_or_before(tz, t);

    if ((size_t)(i + 1) < tz->n_trans) {
        *out = tz->trans[i + 1];
        return true;
    }
    return tz->has_footer && pl_tz_posix_next(&tz->footer, t, out);
}

void pl_tz_instants(const struct pl_tz *tz, int64_t local, pl_time_t out[2], size_t *n,
                    pl_time_t *gap_end, int32_t *gap_before)
{
    pl_time_t start = local - SEARCH_SPAN, end;
    struct pl_tz_info cur;
    int32_t prev_off = 0;
    bool have_prev = false;

    *n = 0;
    *gap_end = local;
    *gap_before = 0;
    /* Walk the constant-offset segments that can hold an instant with this local time. */
    for (int seg = 0; seg < MAX_SEGMENTS && start <= local + SEARCH_SPAN; seg++) {
        bool more = next_transition(tz, start, &end);
        pl_time_t u;

        pl_tz_lookup(tz, start, &cur);
        u = local - cur.utoff;
        if (u >= start && (!more || u < end) && *n < 2 && (*n == 0 || out[*n - 1] != u))
            out[(*n)++] = u;
        if (have_prev && *n == 0 && cur.utoff > prev_off && local >= start + prev_off &&
            local < start + cur.utoff) {
            *gap_end = start;
            *gap_before = prev_off;
        }
        if (!more)
            break;
        prev_off = cur.utoff;
        have_prev = true;
        start = end;
    }
}

pl_status pl_tz_from_local(const struct pl_tz *tz, int64_t local, enum pl_tz_gap gap,
                           enum pl_tz_fold fold, pl_time_t *out, enum pl_tz_kind *kind_out,
                           struct pl_error *err)
{
    pl_time_t inst[2], gap_end;
    int32_t gap_before;
    size_t n;

    pl_tz_instants(tz, local, inst, &n, &gap_end, &gap_before);
    if (kind_out)
        *kind_out = n == 0 ? PL_TZ_GAP : n == 1 ? PL_TZ_UNIQUE : PL_TZ_FOLD;
    if (n == 1) {
        *out = inst[0];
    } else if (n == 2) {
        if (fold == PL_TZ_FOLD_ERROR)
            return pl_error_set(err, PL_E_CONFLICT, "local time occurs twice in zone '%s'",
                                tz->name);
        *out = inst[fold == PL_TZ_FOLD_FIRST ? 0 : 1];
    } else {
        if (gap == PL_TZ_GAP_ERROR)
            return pl_error_set(err, PL_E_NOTFOUND, "local time does not exist in zone '%s'",
                                tz->name);
        *out = gap == PL_TZ_GAP_AFTER ? gap_end : local - gap_before;
    }
    return PL_OK;
}
