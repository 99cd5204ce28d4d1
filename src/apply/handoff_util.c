/*
 * handoff_util.c - what the hand-off generators share: the output file list,
 * name checks, quoting for shells and PowerShell, and schedule translations
 * (AWS cron, iCalendar RRULE, weekly times).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/file.h"
#include "patchline/tz.h"

#include "handoff_int.h"

const char *const handoff_wday_lower[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
const char *const handoff_wday_ical[7] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

struct pl_buf *pl__apply_handoff_file(struct pl_handoff_out *o, const char *fmt, ...)
{
    struct pl_buf name = PL_BUF_INIT(4096);
    va_list ap;

    va_start(ap, fmt);
    pl_buf_vaddf(&name, fmt, ap);
    va_end(ap);
    o->files = pl_xgrow(o->files, o->n, &o->cap, 16, sizeof(*o->files));
    o->files[o->n].name = pl_buf_detach(&name, NULL);
    o->files[o->n].body = pl_xmalloc(sizeof(struct pl_buf));
    pl_buf_init(o->files[o->n].body, PL_MAX_HANDOFF_FILE_BYTES);
    return o->files[o->n++].body;
}

pl_status pl__apply_handoff_out_status(const struct pl_handoff_out *o, struct pl_error *err)
{
    for (size_t i = 0; i < o->n; i++)
        if (pl_buf_status(o->files[i].body) != PL_OK)
            return pl_error_set(err, pl_buf_status(o->files[i].body), "%s: %s", o->files[i].name,
                                pl_status_str(pl_buf_status(o->files[i].body)));
    return PL_OK;
}

void pl_handoff_out_release(struct pl_handoff_out *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->files[i].name);
        pl_buf_release(o->files[i].body);
        free(o->files[i].body);
    }
    free(o->files);
    o->files = NULL;
    o->n = o->cap = 0;
}

const char *pl_handoff_out_get(const struct pl_handoff_out *o, const char *name)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->files[i].name, name) == 0)
            return pl_buf_cstr(o->files[i].body);
    return NULL;
}

/* Each file under dir, created without following a link planted at any level (file.h). */
pl_status pl_handoff_out_write(const struct pl_handoff_out *o, const char *dir,
                               struct pl_error *err)
{
    pl_status rc = PL_OK;

    for (size_t i = 0; i < o->n && rc == PL_OK; i++) {
        const struct pl_handoff_file *f = &o->files[i];

        if (strstr(f->name, "..") || f->name[0] == '/')
            return pl_error_set(err, PL_E_INTERNAL, "bad output name '%s'", f->name);
        rc = pl_file_write(dir, f->name, pl_buf_cstr(f->body), f->body->len, 0666, err);
    }
    return rc;
}

pl_status pl__apply_handoff_fail(pl_status rc, struct pl_error *err, const char *fmt, ...)
{
    char what[PL_ERROR_MSG_BYTES];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (n >= 0)
        pl_error_prefix(err, "%s", what);
    return rc;
}

bool pl__apply_handoff_has_ctl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static void quoted_terminal(struct pl_buf *b, const char *s)
{
    pl_escape_terminal(b, s);
}

static pl_status bad_name(const char *ctx, const char *name, const char *field, const char *want,
                          struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(200);
    quoted_terminal(&b, name);
    pl_status rc = pl_error_set(err, PL_E_PARSE, "%s: asset '%s': %s is not %s", ctx,
                                pl_buf_cstr(&b), field, want);
    pl_buf_release(&b);
    return rc;
}

pl_status pl__apply_handoff_check_host(const char *ctx, const char *name, const char *field,
                                       struct pl_error *err)
{
    size_t n = strlen(name);
    bool ok = n > 0 && n <= 253 && name[0] != '-' && name[0] != '.';
    for (const char *s = name; ok && *s; s++) {
        char c = *s;
        ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             c == '.' || c == '-' || c == '_';
    }
    if (!ok)
        return bad_name(ctx, name, field, "a valid host name (letters, digits, '.', '-', '_')",
                        err);
    return PL_OK;
}

pl_status pl__apply_handoff_check_k8s(const char *ctx, const char *name, const char *field,
                                      struct pl_error *err)
{
    size_t n = strlen(name);
    bool ok = n > 0 && n <= 253;
    for (size_t i = 0; ok && i < n; i++) {
        char c = name[i];
        bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
        ok = alnum || ((c == '-' || c == '.') && i > 0 && i + 1 < n);
    }
    if (!ok)
        return bad_name(ctx, name, field, "a valid Kubernetes name (RFC 1123: a-z, 0-9, '-', '.')",
                        err);
    return PL_OK;
}

void pl__apply_handoff_sh_quote(struct pl_buf *b, const char *s)
{
    pl_buf_addch(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            pl_buf_adds(b, "'\\''");
        else
            pl_buf_addch(b, *s);
    }
    pl_buf_addch(b, '\'');
}

void pl__apply_handoff_ps_quote(struct pl_buf *b, const char *s)
{
    /*
     * PowerShell treats U+2018, U+2019, U+201A and U+201B like ' in a
     * single-quoted string: double each of them as well.
     */
    pl_buf_addch(b, '\'');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\'') {
            pl_buf_adds(b, "''");
        } else if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x98 && p[2] <= 0x9b) {
            pl_buf_add(b, p, 3);
            pl_buf_add(b, p, 3);
            p += 2;
        } else {
            pl_buf_addch(b, (char)*p);
        }
    }
    pl_buf_addch(b, '\'');
}

void pl__apply_handoff_json_argv(struct pl_buf *b, const char *const *argv)
{
    pl_buf_addch(b, '[');
    for (size_t i = 0; argv[i]; i++) {
        if (i)
            pl_buf_adds(b, ", ");
        pl_escape_json_quoted(b, argv[i]);
    }
    pl_buf_addch(b, ']');
}

static bool sh_plain(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,/=:@%+", *s))
            return false;
    return true;
}

void pl__apply_handoff_sh_argv(struct pl_buf *b, const char *const *argv)
{
    for (size_t i = 0; argv[i]; i++) {
        if (i)
            pl_buf_addch(b, ' ');
        if (sh_plain(argv[i]))
            pl_buf_adds(b, argv[i]);
        else
            pl__apply_handoff_sh_quote(b, argv[i]);
    }
    pl_buf_addch(b, '\n');
}

static int single_bit(uint64_t bits)
{
    if (bits == 0 || (bits & (bits - 1)) != 0)
        return -1;
    return __builtin_ctzll(bits);
}

bool pl__apply_handoff_one_time(const struct pl_handoff_window *win, int *hour, int *minute)
{
    struct pl_cron c;
    struct pl_error e2 = PL_ERROR_INIT;

    if (pl_cron_parse(win->expression, &c, &e2) != PL_OK || c.kind == PL_CRON_RATE || c.mday_star ||
        !c.wday_star || c.mday_last || c.mday_lw || c.wdays_w != 0)
        return false;
    *minute = single_bit(c.minutes);
    *hour = single_bit(c.hours);
    return *minute >= 0 && *hour >= 0 && single_bit(c.mdays) >= 0 && single_bit(c.months) >= 0;
}

pl_status pl__apply_handoff_weekly_time(const char *ctx, const char *what,
                                        const struct pl_handoff_window *win, int *hour, int *minute,
                                        uint8_t *wdays, struct pl_error *err)
{
    struct pl_cron c;
    uint8_t days = 0;
    pl_status rc = pl_cron_parse(win->expression, &c, err);
    if (rc != PL_OK)
        return pl__apply_handoff_fail(rc, err, "%s: window '%s'", ctx, win->name);
    *minute = single_bit(c.minutes);
    *hour = single_bit(c.hours);
    bool plain = c.kind != PL_CRON_RATE && *minute >= 0 && *hour >= 0 && c.mday_star &&
                 c.months == 0x1ffe && c.wdays_l == 0;
    for (int i = 0; plain && i < 7; i++)
        plain = c.nth[i] == 0;
    if (!plain)
        return pl_error_set(err, PL_E_UNSUPPORTED,
                            "%s: window '%s': %s needs one time of day on whole weekdays, not '%s'",
                            ctx, win->name, what, win->expression);
    /* the offset moves every start the same number of days later */
    for (int d = 0; d < 7; d++)
        if (c.wday_star || (c.wdays & (1u << d)))
            days |= (uint8_t)(1u << ((d + win->offset_days) % 7));
    *wdays = days;
    return PL_OK;
}

/*
 * Bits lo..hi of v as a comma list; with ranges, runs of three or more as
 * a-b (cron), without, every value (iCalendar). shift adds to each value.
 */
static void bit_list2(struct pl_buf *b, uint64_t v, int lo, int hi, int shift, bool ranges)
{
    bool first = true;
    for (int i = lo; i <= hi; i++) {
        if (!(v & (1ull << i)))
            continue;
        int j = i;
        while (j + 1 <= hi && (v & (1ull << (j + 1))))
            j++;
        if (!first)
            pl_buf_addch(b, ',');
        first = false;
        if (!ranges)
            j = i;
        if (j - i >= 2)
            pl_buf_addf(b, "%d-%d", i + shift, j + shift);
        else if (j > i)
            pl_buf_addf(b, "%d,%d", i + shift, j + shift);
        else
            pl_buf_addf(b, "%d", i + shift);
        i = j;
    }
}

static void bit_list(struct pl_buf *b, uint64_t v, int lo, int hi, int shift)
{
    bit_list2(b, v, lo, hi, shift, true);
}

static void sep(struct pl_buf *b, size_t start)
{
    if (b->len > start)
        pl_buf_addch(b, ',');
}

static void aws_mday(struct pl_buf *out, const struct pl_cron *c)
{
    size_t start = out->len;
    if (c->mday_star) {
        pl_buf_adds(out, c->wday_star ? "*" : "?");
        return;
    }
    bit_list(out, c->mdays, 1, 31, 0);
    for (int d = 1; d <= 31; d++)
        if (c->wdays_w & (1u << d)) {
            sep(out, start);
            pl_buf_addf(out, "%dW", d);
        }
    if (c->mday_last) {
        sep(out, start);
        pl_buf_addch(out, 'L');
    }
    if (c->mday_lw) {
        sep(out, start);
        pl_buf_adds(out, "LW");
    }
}

/* AWS numbers weekdays 1-7 from Sunday; Vixie 0-6. */
static void aws_wday(struct pl_buf *out, const struct pl_cron *c)
{
    size_t start = out->len;
    if (c->wday_star) {
        pl_buf_adds(out, "?");
        return;
    }
    bit_list(out, c->wdays, 0, 6, 1);
    for (int d = 0; d < 7; d++) {
        if (c->wdays_l & (1u << d)) {
            sep(out, start);
            pl_buf_addf(out, "%dL", d + 1);
        }
        for (int k = 1; k <= 5; k++)
            if (c->nth[d] & (1u << k)) {
                sep(out, start);
                pl_buf_addf(out, "%d#%d", d + 1, k);
            }
    }
}

static void star_or_list(struct pl_buf *out, uint64_t v, uint64_t all, int lo, int hi)
{
    if (v == all)
        pl_buf_addch(out, '*');
    else
        bit_list(out, v, lo, hi, 0);
}

pl_status pl_handoff_aws_cron(const char *expr, struct pl_buf *out, struct pl_error *err)
{
    struct pl_cron c;
    pl_status rc = pl_cron_parse(expr, &c, err);
    if (rc != PL_OK)
        return rc;
    if (c.kind != PL_CRON_VIXIE) {
        pl_buf_adds(out, expr);
        return PL_OK;
    }
    if (!c.mday_star && !c.wday_star)
        return pl_error_set(err, PL_E_UNSUPPORTED,
                            "cron '%s': AWS cron() cannot restrict both day-of-month and "
                            "day-of-week",
                            expr);
    pl_buf_adds(out, "cron(");
    star_or_list(out, c.minutes, (1ull << 60) - 1, 0, 59);
    pl_buf_addch(out, ' ');
    star_or_list(out, c.hours, (1u << 24) - 1, 0, 23);
    pl_buf_addch(out, ' ');
    aws_mday(out, &c);
    pl_buf_addch(out, ' ');
    star_or_list(out, c.months, 0x1ffe, 1, 12);
    pl_buf_addch(out, ' ');
    aws_wday(out, &c);
    pl_buf_adds(out, " *)");
    return PL_OK;
}

static pl_status rrule_days(const char *ctx, const struct pl_handoff_window *win,
                            const struct pl_cron *c, struct pl_buf *b, struct pl_error *err)
{
    if (!c->mday_star && !c->wday_star)
        return pl_error_set(err, PL_E_UNSUPPORTED,
                            "%s: window '%s': an RRULE cannot combine day-of-month and "
                            "day-of-week as cron does",
                            ctx, win->name);
    if (c->mday_star && c->wday_star) {
        pl_buf_adds(b, "FREQ=DAILY");
    } else if (!c->mday_star) {
        if (c->mday_lw || c->wdays_w)
            return pl_error_set(err, PL_E_UNSUPPORTED, "%s: window '%s': an RRULE has no W", ctx,
                                win->name);
        pl_buf_adds(b, "FREQ=MONTHLY;BYMONTHDAY=");
        size_t start = b->len;
        bit_list2(b, c->mdays, 1, 31, 0, false);
        if (c->mday_last) {
            sep(b, start);
            pl_buf_adds(b, "-1");
        }
    } else {
        bool monthly = c->wdays_l != 0;
        for (int d = 0; d < 7; d++)
            monthly = monthly || c->nth[d] != 0;
        pl_buf_adds(b, monthly ? "FREQ=MONTHLY;BYDAY=" : "FREQ=WEEKLY;BYDAY=");
        size_t start = b->len;
        for (int d = 0; d < 7; d++) {
            if (c->wdays & (1u << d)) {
                sep(b, start);
                pl_buf_adds(b, handoff_wday_ical[d]);
            }
            if (c->wdays_l & (1u << d)) {
                sep(b, start);
                pl_buf_addf(b, "-1%s", handoff_wday_ical[d]);
            }
            for (int k = 1; k <= 5; k++)
                if (c->nth[d] & (1u << k)) {
                    sep(b, start);
                    pl_buf_addf(b, "%d%s", k, handoff_wday_ical[d]);
                }
        }
    }
    return PL_OK;
}

pl_status pl__apply_handoff_rrule(const char *ctx, const struct pl_handoff_window *win,
                                  struct pl_buf *b, struct pl_error *err)
{
    struct pl_cron c;
    pl_status rc = pl_cron_parse(win->expression, &c, err);
    if (rc != PL_OK)
        return pl__apply_handoff_fail(rc, err, "%s: window '%s'", ctx, win->name);
    if (c.kind == PL_CRON_RATE || win->offset_days != 0)
        return pl_error_set(err, PL_E_UNSUPPORTED, "%s: window '%s': an RRULE cannot express %s",
                            ctx, win->name, c.kind == PL_CRON_RATE ? "rate()" : "offset_days");
    if ((rc = rrule_days(ctx, win, &c, b, err)) != PL_OK)
        return rc;
    if (c.months != 0x1ffe) {
        pl_buf_adds(b, ";BYMONTH=");
        bit_list2(b, c.months, 1, 12, 0, false);
    }
    pl_buf_adds(b, ";BYHOUR=");
    bit_list2(b, c.hours, 0, 23, 0, false);
    pl_buf_adds(b, ";BYMINUTE=");
    bit_list2(b, c.minutes, 0, 59, 0, false);
    return PL_OK;
}

enum pl_vscheme pl__apply_handoff_scheme(const char *ecosystem)
{
    return strcmp(ecosystem, "rpm") == 0 ? PL_VSCHEME_RPM : PL_VSCHEME_DPKG;
}

const struct pl_handoff_package *pl__apply_handoff_targets(const struct pl_handoff_wave *w,
                                                           const struct pl_handoff_asset *a,
                                                           size_t *n)
{
    if (a->own_packages) {
        *n = a->n_packages;
        return a->packages;
    }
    *n = w->n_packages;
    return w->packages;
}

enum pl_handoff_mode pl__apply_handoff_mode(const struct pl_handoff_opts *o)
{
    return o->mode == PL_HANDOFF_SECURITY || o->mode == PL_HANDOFF_DIST ? o->mode
                                                                        : PL_HANDOFF_TARGETED;
}

const char *pl__apply_handoff_mode_name(const struct pl_handoff_opts *o)
{
    static const char *const names[] = {"targeted", "security", "dist"};
    return names[pl__apply_handoff_mode(o)];
}

static void json_member(struct pl_buf *b, const char *key, const char *v, bool last)
{
    pl_buf_addf(b, "\"%s\": ", key);
    pl_escape_json_quoted(b, v ? v : "");
    pl_buf_adds(b, last ? "" : ", ");
}

void pl_handoff_approvals(const struct pl_handoff_plan *p, const char *target,
                          struct pl_handoff_out *out)
{
    bool any = p->n_skipped > 0;
    struct pl_buf *b;
    char id[256];

    for (size_t i = 0; i < p->n_waves; i++)
        any = any || (p->waves[i].approval && p->waves[i].approval[0]);
    if (!any)
        return;
    b = pl__apply_handoff_file(out, "%s/approvals.json", target);
    pl_buf_adds(b, "{\n  \"plan\": ");
    pl_escape_json_quoted(b, p->name);
    pl_buf_adds(b, ",\n  \"emitted\": [");
    for (size_t i = 0; i < p->n_waves; i++) {
        pl__apply_handoff_wave_id(&p->waves[i], id, sizeof(id));
        pl_buf_adds(b, i ? ",\n    {" : "\n    {");
        json_member(b, "wave", id, false);
        json_member(b, "approval", p->waves[i].approval, true);
        pl_buf_adds(b, "}");
    }
    pl_buf_adds(b, p->n_waves ? "\n  ],\n  \"skipped\": [" : "],\n  \"skipped\": [");
    for (size_t i = 0; i < p->n_skipped; i++) {
        const struct pl_handoff_skipped *s = &p->skipped[i];
        pl_buf_addf(b, "%s{\"seq\": %d, ", i ? ",\n    " : "\n    ", s->seq);
        json_member(b, "wave", s->id, false);
        json_member(b, "starts_at", s->starts_at, false);
        json_member(b, "reason", s->reason, false);
        json_member(b, "may_approve", s->approvers, true);
        pl_buf_adds(b, "}");
    }
    pl_buf_adds(b, p->n_skipped ? "\n  ]\n}\n" : "]\n}\n");
}
