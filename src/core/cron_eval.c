/*
 * cron_eval.c - the start times of a parsed schedule, in a time zone.
 *
 * Local days are scanned in order from the day before `after`; for a day
 * that matches, every matching local time is turned into real instants
 * (DST policy below), sorted, and handed out when later than the last one.
 * The scan is bounded (PL_CRON_SEARCH_YEARS, or the AWS year range), so an
 * expression that never fires ends with PL_E_NOTFOUND.
 *
 * DST policy: a fixed-time expression (neither minute nor hour starts with
 * '*') runs a local time in a gap at the first instant after the gap and a
 * repeated local time once, at its first occurrence. Other expressions run
 * at every real instant whose local time matches: nothing in a gap, both
 * passes of a repeated hour (they are different instants), each instant once.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/cron.h"

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
    static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* 0 = Sunday. */
static int weekday(int64_t day)
{
    return (int)(((day + 4) % 7 + 7) % 7);
}

/* The weekday (Mon-Fri) nearest to day d of a month whose 1st is `first`; 0 when none. */
static unsigned nearest_weekday(int64_t first, unsigned d, unsigned mdays)
{
    int wd;

    if (d > mdays)
        return 0;
    wd = weekday(first + d - 1);
    if (wd == 6)
        return d == 1 ? 3 : d - 1;
    if (wd == 0)
        return d == mdays ? d - 2 : d + 1;
    return d;
}

static bool mday_matches(const struct pl_cron *c, int64_t first, unsigned d, unsigned mdays)
{
    if ((c->mdays >> d) & 1)
        return true;
    if (c->mday_last && d == mdays)
        return true;
    if (c->mday_lw) {
        int wd = weekday(first + mdays - 1);
        unsigned last = mdays - (wd == 6 ? 1 : wd == 0 ? 2 : 0);

        if (d == last)
            return true;
    }
    for (unsigned n = 1; c->wdays_w && n <= 31; n++)
        if (((c->wdays_w >> n) & 1) && nearest_weekday(first, n, mdays) == d)
            return true;
    return false;
}

static bool wday_matches(const struct pl_cron *c, int wd, unsigned d, unsigned mdays)
{
    if ((c->wdays >> wd) & 1)
        return true;
    if (((c->wdays_l >> wd) & 1) && d + 7 > mdays)
        return true;
    return (c->nth[wd] >> ((d - 1) / 7 + 1)) & 1;
}

static bool day_matches(const struct pl_cron *c, int64_t day)
{
    int64_t y;
    unsigned m, d, mdays;
    bool dom, dow;

    pl_civil_from_days(day, &y, &m, &d);
    if (!((c->months >> m) & 1))
        return false;
    if (c->kind == PL_CRON_AWS) {
        int64_t i = y - PL_CRON_YEAR_MIN;

        if (i < 0 || i > PL_CRON_YEAR_MAX - PL_CRON_YEAR_MIN || !((c->years[i / 64] >> i % 64) & 1))
            return false;
    }
    mdays = month_days(y, m);
    dom = mday_matches(c, day - d + 1, d, mdays);
    dow = wday_matches(c, weekday(day), d, mdays);
    if (c->kind == PL_CRON_AWS || c->mday_star || c->wday_star)
        return dom && dow;
    return dom || dow; /* both restricted: either fires */
}

static int cmp_time(const void *a, const void *b)
{
    pl_time_t x = *(const pl_time_t *)a, y = *(const pl_time_t *)b;

    return (x > y) - (x < y);
}

/* Instants of local days >= D are >= D * 86400 - SAFE_SECS (offsets stay within 26 h). */
#define SAFE_SECS ((int64_t)27 * 3600)

static void add(struct pl_cron_iter *it, pl_time_t t)
{
    if (it->n_buf < PL_ARRAY_LEN(it->buf)) /* always true: pending spans at most 4 days */
        it->buf[it->n_buf++] = t;
}

/* Add the start instants of local day `day` to the pending ones, and sort them. */
static void fill_day(struct pl_cron_iter *it, int64_t day)
{
    const struct pl_cron *c = it->cron;

    if (!day_matches(c, day))
        return;
    memmove(it->buf, it->buf + it->i_buf, (it->n_buf - it->i_buf) * sizeof(it->buf[0]));
    it->n_buf -= it->i_buf;
    it->i_buf = 0;
    for (int h = 0; h < 24; h++) {
        for (int m = 0; m < 60 && ((c->hours >> h) & 1); m++) {
            pl_time_t inst[2], gap_end;
            int32_t gap_before;
            size_t n;

            if (!((c->minutes >> m) & 1))
                continue;
            pl_tz_instants(it->tz, day * 86400 + (int64_t)h * 3600 + (int64_t)m * 60, inst, &n,
                           &gap_end, &gap_before);
            if (c->fixed_time)
                add(it, n == 0 ? gap_end : inst[0]);
            for (size_t i = 0; !c->fixed_time && i < n; i++)
                add(it, inst[i]);
        }
    }
    qsort(it->buf, it->n_buf, sizeof(it->buf[0]), cmp_time);
}

void pl_cron_iter_init(struct pl_cron_iter *it, const struct pl_cron *c, const struct pl_tz *tz,
                       pl_time_t after)
{
    int64_t last_day = pl_days_from_civil(9999, 12, 31);

    memset(it, 0, sizeof(*it));
    it->cron = c;
    it->tz = tz;
    it->last = after;
    it->day = floor_div(pl_tz_to_local(tz, after), 86400) - 1;
    it->end_day = it->day + 2 + (int64_t)PL_CRON_SEARCH_YEARS * 366;
    if (c->kind == PL_CRON_AWS)
        it->end_day = pl_days_from_civil(PL_CRON_YEAR_MAX + 1, 1, 2);
    if (it->end_day > last_day)
        it->end_day = last_day;
    it->end_day_max = last_day;
}

pl_status pl_cron_iter_next(struct pl_cron_iter *it, pl_time_t *out, struct pl_error *err)
{
    if (it->cron->kind == PL_CRON_RATE) {
        it->last += it->cron->rate_secs;
        *out = it->last;
        return PL_OK;
    }
    for (;;) {
        bool done = it->day > it->end_day;

        while (it->i_buf < it->n_buf && it->buf[it->i_buf] <= it->last)
            it->i_buf++;
        /* A pending start is final once no later day can produce an earlier one. */
        if (it->i_buf < it->n_buf && (done || it->buf[it->i_buf] < it->day * 86400 - SAFE_SECS)) {
            int64_t bound = it->day + (int64_t)PL_CRON_SEARCH_YEARS * 366;

            /* Five fields: give up after 400 years without a start. */
            if (it->cron->kind == PL_CRON_VIXIE)
                it->end_day = bound < it->end_day_max ? bound : it->end_day_max;
            it->last = it->buf[it->i_buf++];
            *out = it->last;
            return PL_OK;
        }
        if (done) {
            char when[PL_TIME_STR_LEN];
            const char *why = it->day > it->end_day_max ? "before the year 10000"
                              : it->cron->kind == PL_CRON_AWS
                                  ? "up to the year 2199"
                                  : "within 400 years (the expression never fires)";

            return pl_error_set(err, PL_E_NOTFOUND, "cron: no start time after %s %s",
                                pl_time_format(it->last, when), why);
        }
        fill_day(it, it->day++);
    }
}

pl_status pl_cron_next(const struct pl_cron *c, const struct pl_tz *tz, pl_time_t after,
                       pl_time_t *out, struct pl_error *err)
{
    struct pl_cron_iter *it = malloc(sizeof(*it));
    pl_status rc;

    if (!it)
        return pl_error_set(err, PL_E_NOMEM, "cron: out of memory");
    pl_cron_iter_init(it, c, tz, after);
    rc = pl_cron_iter_next(it, out, err);
    free(it);
    return rc;
}

static bool blacked_out(const struct pl_window *w, pl_time_t t)
{
    int64_t day = floor_div(pl_tz_to_local(w->tz, t), 86400);

    for (size_t i = 0; i < w->n_blackout; i++)
        if (w->blackout_days[i] == day)
            return true;
    return false;
}

/* Move a start offset_days local days later (same wall-clock time; fixed-time DST policy). */
static pl_time_t shift(const struct pl_window *w, pl_time_t t)
{
    pl_time_t out = t;

    if (w->offset_days != 0 &&
        pl_tz_from_local(w->tz, pl_tz_to_local(w->tz, t) + (int64_t)w->offset_days * 86400,
                         PL_TZ_GAP_AFTER, PL_TZ_FOLD_FIRST, &out, NULL, NULL) != PL_OK)
        out = t; /* cannot happen: this policy always resolves */
    return out;
}

pl_status pl_window_next(const struct pl_window *w, pl_time_t after, size_t n, pl_time_t *out,
                         size_t *n_out, struct pl_error *err)
{
    struct pl_cron_iter *it;
    pl_time_t t = 0, last = after;
    pl_status rc = PL_OK;

    *n_out = 0;
    if (n > PL_MAX_WINDOW_COUNT)
        return pl_error_set(err, PL_E_INVALID, "count %zu over the limit of %d", n,
                            PL_MAX_WINDOW_COUNT);
    if (w->n_blackout > PL_MAX_WINDOW_BLACKOUTS)
        return pl_error_set(err, PL_E_TOOBIG, "%zu blackout dates over the limit of %d",
                            w->n_blackout, PL_MAX_WINDOW_BLACKOUTS);
    if (w->offset_days != 0 && w->cron.kind == PL_CRON_RATE)
        return pl_error_set(err, PL_E_INVALID, "a schedule offset needs a cron expression");
    if (w->offset_days < 0 || w->offset_days > 365)
        return pl_error_set(err, PL_E_INVALID, "offset %d days out of range 0-365", w->offset_days);
    if (!(it = malloc(sizeof(*it))))
        return pl_error_set(err, PL_E_NOMEM, "cron: out of memory");
    /* Starts from before `after` may land after it once moved by the offset. */
    pl_cron_iter_init(it, &w->cron, w->tz,
                      w->offset_days ? after - ((int64_t)w->offset_days + 2) * 86400 : after);
    while (*n_out < n && (rc = pl_cron_iter_next(it, &t, err)) == PL_OK) {
        t = shift(w, t);
        if (t > last && !blacked_out(w, t)) {
            out[(*n_out)++] = t;
            last = t;
        }
    }
    free(it);
    return rc;
}
