/*
 * logs.c - the last-patched date from dpkg.log and apt's history.log
 * (plain or compressed, through the input front door).
 */
#include <string.h>

#include "patchline/file.h"
#include "patchline/limits.h"
#include "patchline/parse.h"

#include "inventory_int.h"

/* "YYYY-MM-DD" SEP+ "HH:MM:SS" at the start of s -> a UTC time; false when malformed. */
static bool parse_stamp(const char *s, size_t n, pl_time_t *out, size_t *used)
{
    char iso[20];
    size_t i = 10;

    if (n < 19 || s[4] != '-' || s[7] != '-')
        return false;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i == 10 || n - i < 8 || s[i + 2] != ':' || s[i + 5] != ':')
        return false;
    memcpy(iso, s, 10);
    iso[10] = 'T';
    memcpy(iso + 11, s + i, 8);
    iso[19] = '\0';
    for (size_t k = 0; k < 19; k++)
        if (k != 4 && k != 7 && k != 10 && k != 13 && k != 16 && (iso[k] < '0' || iso[k] > '9'))
            return false;
    *used = i + 8;
    return pl_time_parse(iso, out, NULL) == PL_OK;
}

static void keep_max(pl_time_t t, pl_time_t *latest, bool *found)
{
    if (!*found || t > *latest)
        *latest = t;
    *found = true;
}

pl_status pl_dpkg_log_latest(const char *path, pl_time_t *latest, bool *found, struct pl_error *err)
{
    struct pl_buf line = PL_BUF_INIT(PL_MAX_LINE_BYTES + 1);
    struct pl_reader *r;
    bool eof = false;
    pl_status rc;

    if ((rc = pl_reader_open(path, 0, &r, err)) != PL_OK)
        return rc;
    while ((rc = pl_reader_line(r, &line, &eof, err)) == PL_OK && !eof) {
        const char *s = pl_buf_cstr(&line);
        size_t used;
        pl_time_t t;

        if (line.len == 0)
            continue;
        if (!parse_stamp(s, line.len, &t, &used) || s[used] != ' ') {
            rc = pl_error_set(err, PL_E_PARSE,
                              "%s:%llu: malformed line: want 'YYYY-MM-DD HH:MM:SS ACTION ...'",
                              path, (unsigned long long)pl_reader_lineno(r));
            break;
        }
        if (pl_starts_with(s + used, " install ") || pl_starts_with(s + used, " upgrade "))
            keep_max(t, latest, found);
    }
    pl_reader_close(r);
    pl_buf_release(&line);
    return rc;
}

/* One history entry in progress. */
struct apt_entry {
    bool changed, has_start, has_end;
    pl_time_t start, end;
};

static void apt_finish(struct apt_entry *e, pl_time_t *latest, bool *found)
{
    if (e->changed && (e->has_end || e->has_start))
        keep_max(e->has_end ? e->end : e->start, latest, found);
    memset(e, 0, sizeof(*e));
}

static pl_status apt_line(const char *path, unsigned long long lineno, const char *s, size_t n,
                          struct apt_entry *e, struct pl_error *err)
{
    static const char *const dates[] = {"Start-Date:", "End-Date:"};
    size_t used;

    if (pl_starts_with(s, "Install:") || pl_starts_with(s, "Upgrade:")) {
        e->changed = true;
        return PL_OK;
    }
    for (int k = 0; k < 2; k++) {
        size_t p = strlen(dates[k]);
        pl_time_t t;

        if (!pl_starts_with(s, dates[k]))
            continue;
        while (p < n && s[p] == ' ')
            p++;
        if (!parse_stamp(s + p, n - p, &t, &used) || p + used != n)
            return pl_error_set(err, PL_E_PARSE,
                                "%s:%llu: field '%.*s': want 'YYYY-MM-DD  HH:MM:SS'", path, lineno,
                                (int)strlen(dates[k]) - 1, dates[k]);
        if (k == 0)
            e->start = t, e->has_start = true;
        else
            e->end = t, e->has_end = true;
    }
    return PL_OK;
}

pl_status pl_apt_history_latest(const char *path, pl_time_t *latest, bool *found,
                                struct pl_error *err)
{
    struct pl_buf line = PL_BUF_INIT(PL_MAX_LINE_BYTES + 1);
    struct apt_entry e = {false, false, false, 0, 0};
    struct pl_reader *r;
    bool eof = false;
    pl_status rc;

    if ((rc = pl_reader_open(path, 0, &r, err)) != PL_OK)
        return rc;
    while ((rc = pl_reader_line(r, &line, &eof, err)) == PL_OK && !eof) {
        if (line.len == 0)
            apt_finish(&e, latest, found);
        else if ((rc = apt_line(path, (unsigned long long)pl_reader_lineno(r), pl_buf_cstr(&line),
                                line.len, &e, err)) != PL_OK)
            break;
    }
    if (rc == PL_OK)
        apt_finish(&e, latest, found);
    pl_reader_close(r);
    pl_buf_release(&line);
    return rc;
}
