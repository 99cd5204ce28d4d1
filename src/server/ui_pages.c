/*
 * ui_pages.c - the dashboard's reading pages: the estate, findings by tier
 * and owner with filters, one finding's explanation, the report's SLA
 * charts and the stylesheet. Every page reads through the library calls
 * of the CLI (findings, explain, report); every text from the store is
 * escaped.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/match.h"
#include "patchline/parse.h"
#include "patchline/policy.h"
#include "patchline/report.h"
#include "patchline/store_assets.h"
#include "patchline/store_findings.h"

#include "ui_int.h"

#define UI_PAGE_ROWS 100 /* findings per page */

static const char ui_css[] =
    "header nav{display:flex;gap:14px;align-items:center;border-bottom:1px solid #d0d7de;"
    "padding:8px 0}header .who{margin-left:auto;color:#57606a}form.inline{display:inline}"
    "form.filters{display:flex;gap:10px;flex-wrap:wrap;align-items:end;margin:8px 0}"
    "label{display:inline-flex;flex-direction:column;font-size:13px;color:#57606a}"
    "button{font:inherit;padding:3px 10px}pre{background:#f6f8fa;padding:12px;overflow:auto}"
    "td.r{text-align:right}a{color:#0969da}";

/* The store's deciding policy (tier names), through the server's cache. */
static pl_status policy(struct ui_req *u, const struct pl_policy **p, struct pl_error *err)
{
    return pl__server_srv_policy(u->r, p, err);
}

/* ---- owners: every asset's owner, for the estate and the filter --------- */

struct owners {
    char **names; /* distinct, in the assets' order; NULL owner is "" */
    size_t n, cap;
    struct asset_owner {
        int64_t id;
        size_t owner; /* index into names */
    } * assets;       /* by id (owners_load sorts them) */
    size_t n_assets, cap_assets;
};

static size_t owner_index(struct owners *o, const char *name)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->names[i], name) == 0)
            return i;
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 16;
        o->names = pl_xrealloc(o->names, o->cap * sizeof(*o->names));
    }
    o->names[o->n] = pl_xstrdup(name);
    return o->n++;
}

static pl_status owner_item(void *ctx, const struct pl_asset_info *x, struct pl_error *err)
{
    struct owners *o = ctx;

    (void)err;
    if (o->n_assets == o->cap_assets) {
        o->cap_assets = o->cap_assets ? 2 * o->cap_assets : 256;
        o->assets = pl_xrealloc(o->assets, o->cap_assets * sizeof(*o->assets));
    }
    o->assets[o->n_assets].id = x->a.id;
    o->assets[o->n_assets++].owner = owner_index(o, x->a.owner ? x->a.owner : "");
    return PL_OK;
}

static void owners_release(struct owners *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->names[i]);
    free(o->names);
    free(o->assets);
}

static int cmp_asset_id(const void *a, const void *b)
{
    int64_t x = ((const struct asset_owner *)a)->id, y = ((const struct asset_owner *)b)->id;

    return x < y ? -1 : x > y;
}

static pl_status owners_load(struct ui_req *u, struct owners *o, struct pl_error *err)
{
    struct pl_asset_query q = {0};
    pl_status rc;

    memset(o, 0, sizeof(*o));
    /* the listing is by name: sorted by id, an asset's owner is a binary search away */
    if ((rc = pl_store_asset_each(u->r->store, &q, owner_item, o, err)) != PL_OK) {
        owners_release(o);
        return rc;
    }
    if (o->n_assets > 1)
        qsort(o->assets, o->n_assets, sizeof(*o->assets), cmp_asset_id);
    return PL_OK;
}

/* The owner index of an asset; o->n when unknown. */
static size_t asset_owner(const struct owners *o, int64_t id)
{
    size_t lo = 0, hi = o->n_assets;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (o->assets[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < o->n_assets && o->assets[lo].id == id ? o->assets[lo].owner : o->n;
}

/* ---- the estate ---------------------------------------------------------- */

#define UI_TIERS 11 /* up to 10 tiers, then untiered */

struct estate {
    struct owners *o;
    int64_t *cells; /* [owner][UI_TIERS] */
    int64_t open, overdue, kev;
    pl_time_t now;
};

static pl_status estate_item(void *ctx, const struct pl_finding *f, struct pl_error *err)
{
    struct estate *e = ctx;
    size_t oi = asset_owner(e->o, f->asset_id);
    int t = f->tier >= 0 && f->tier < UI_TIERS - 1 ? f->tier : UI_TIERS - 1;

    (void)err;
    e->open++;
    e->overdue += pl_finding_overdue(f->status, f->due_at, e->now);
    e->kev += f->kev;
    if (oi < e->o->n)
        e->cells[oi * UI_TIERS + (size_t)t]++;
    return PL_OK;
}

static void tier_link(struct pl_buf *b, int tier, const char *owner, int64_t n)
{
    if (n == 0) {
        pl_buf_adds(b, "<td class=\"r\">0</td>");
        return;
    }
    pl_buf_adds(b, "<td class=\"r\"><a href=\"/findings?");
    if (tier >= 0)
        pl_buf_addf(b, "tier=%d&amp;", tier);
    if (owner) {
        pl_buf_adds(b, "owner=");
        pl__server_ui_urlenc(b, owner);
    }
    pl_buf_addf(b, "\">%lld</a></td>", (long long)n);
}

enum MHD_Result pl__server_ui_estate(struct ui_req *u)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_finding_filter f = {.tier = -1, .now = pl_clock_now()};
    struct owners o;
    struct estate e = {&o, NULL, 0, 0, 0, f.now};
    struct pl_buf b = PL_BUF_INIT(0);
    const struct pl_policy *p;
    int nt;

    if (policy(u, &p, &err) != PL_OK || owners_load(u, &o, &err) != PL_OK)
        return pl__server_ui_fail(u, &err);
    e.cells = pl_xcalloc(o.n + 1, UI_TIERS * sizeof(*e.cells));
    if (pl_store_findings_each(u->r->store, &f, estate_item, &e, &err) != PL_OK) {
        free(e.cells);
        owners_release(&o);
        return pl__server_ui_fail(u, &err);
    }
    nt = pl_policy_n_tiers(p);
    if (nt > UI_TIERS - 1)
        nt = UI_TIERS - 1;
    pl__server_ui_head(u, &b, "Estate");
    pl_buf_addf(&b,
                "<div class=\"cards\"><div class=\"card\"><div class=\"v\" id=\"assets\">%zu</div>"
                "assets</div><div class=\"card\"><div class=\"v\" id=\"open\">%lld</div>open "
                "findings</div><div class=\"card miss\"><div class=\"v\">%lld</div>overdue</div>"
                "<div class=\"card\"><div class=\"v\">%lld</div>known exploited (KEV)</div>"
                "</div>\n<h2>Open findings by owner and tier</h2>\n<table id=\"estate\"><tr>"
                "<th>Owner</th>",
                o.n_assets, (long long)e.open, (long long)e.overdue, (long long)e.kev);
    for (int t = 0; t < nt; t++) {
        pl_buf_addf(&b, "<th>%d ", t);
        pl__server_ui_esc(&b, pl_policy_tier_name(p, t));
        pl_buf_adds(&b, "</th>");
    }
    pl_buf_adds(&b, "<th>Untiered</th></tr>\n");
    for (size_t i = 0; i < o.n; i++) {
        pl_buf_adds(&b, "<tr><td>");
        pl__server_ui_esc(&b, o.names[i][0] ? o.names[i] : "(no owner)");
        pl_buf_adds(&b, "</td>");
        for (int t = 0; t < nt; t++)
            tier_link(&b, t, o.names[i][0] ? o.names[i] : NULL, e.cells[i * UI_TIERS + (size_t)t]);
        pl_buf_addf(&b, "<td class=\"r\">%lld</td></tr>\n",
                    (long long)e.cells[i * UI_TIERS + UI_TIERS - 1]);
    }
    pl_buf_adds(&b, "</table>\n");
    free(e.cells);
    owners_release(&o);
    return pl__server_ui_page(u, 200, &b);
}

/* ---- findings ------------------------------------------------------------ */

struct rows {
    struct pl_buf *b;
    const struct pl_policy *p;
    size_t n, limit;
    bool more;
    int64_t last[3];
    pl_time_t now;
};

static pl_status row_item(void *ctx, const struct pl_finding *f, struct pl_error *err)
{
    struct rows *w = ctx;
    char due[PL_TIME_STR_LEN];

    (void)err;
    if (w->n == w->limit) {
        w->more = true;
        return PL_OK;
    }
    w->n++;
    pl_finding_sort_key(f, w->last);
    pl_buf_addf(w->b, "<tr class=\"finding\"><td><a href=\"/findings/%lld\">%lld</a></td><td>",
                (long long)f->id, (long long)f->id);
    pl__server_ui_esc(w->b, f->asset_name);
    pl_buf_adds(w->b, "</td><td>");
    pl__server_ui_esc(w->b, f->vuln_id);
    pl_buf_adds(w->b, "</td><td>");
    pl__server_ui_esc(w->b, f->package);
    pl_buf_adds(w->b, "</td><td class=\"tier\">");
    if (f->tier >= 0) {
        pl_buf_addf(w->b, "%d ", f->tier);
        pl__server_ui_esc(w->b, pl_policy_tier_name(w->p, f->tier));
    }
    pl_buf_adds(w->b, "</td><td>");
    if (f->due_at)
        pl_buf_adds(w->b, pl_time_format(f->due_at, due));
    if (pl_finding_overdue(f->status, f->due_at, w->now))
        pl_buf_adds(w->b, " <b>overdue</b>");
    pl_buf_adds(w->b, "</td><td>");
    pl__server_ui_esc(w->b, f->status);
    pl_buf_addf(w->b, "</td><td>%s</td></tr>\n", f->kev ? "KEV" : "");
    return PL_OK;
}

/* A <select> of name with the options (values[i], labels[i]); sel: the value chosen. */
static void select_box(struct pl_buf *b, const char *label, const char *name, const char *sel,
                       const char *const *values, const char *const *labels, size_t n)
{
    pl_buf_addf(b, "<label>%s<select name=\"%s\" id=\"f-%s\"><option value=\"\">any</option>",
                label, name, name);
    for (size_t i = 0; i < n; i++) {
        pl_buf_adds(b, "<option value=\"");
        pl__server_ui_esc(b, values[i]);
        pl_buf_addch(b, '"');
        if (sel && strcmp(sel, values[i]) == 0)
            pl_buf_adds(b, " selected");
        pl_buf_addch(b, '>');
        pl__server_ui_esc(b, labels[i]);
        pl_buf_adds(b, "</option>");
    }
    pl_buf_adds(b, "</select></label>\n");
}

static void filters_form(struct ui_req *u, struct pl_buf *b, const struct pl_policy *p,
                         const struct owners *o)
{
    static const char *const statuses[] = {"open",     "fixed",          "mitigated",
                                           "accepted", "false-positive", "awaiting-repo"};
    const char *tv[UI_TIERS], *tl[UI_TIERS], *ov[64];
    char tnum[UI_TIERS][8], tlab[UI_TIERS][80];
    size_t nt = (size_t)pl_policy_n_tiers(p), no = 0;
    const char *kev = pl__server_srv_query(u->r, "kev"),
               *overdue = pl__server_srv_query(u->r, "overdue");

    if (nt > UI_TIERS)
        nt = UI_TIERS;
    for (size_t t = 0; t < nt; t++) {
        snprintf(tnum[t], sizeof(tnum[t]), "%zu", t);
        snprintf(tlab[t], sizeof(tlab[t]), "%zu %s", t, pl_policy_tier_name(p, (int)t));
        tv[t] = tnum[t], tl[t] = tlab[t];
    }
    for (size_t i = 0; i < o->n && no < PL_ARRAY_LEN(ov); i++)
        if (o->names[i][0])
            ov[no++] = o->names[i];
    pl_buf_adds(b, "<form class=\"filters\" method=\"get\" action=\"/findings\" id=\"filters\">");
    select_box(b, "Tier", "tier", pl__server_srv_query(u->r, "tier"), tv, tl, nt);
    select_box(b, "Owner", "owner", pl__server_srv_query(u->r, "owner"), ov, ov, no);
    select_box(b, "Status", "status", pl__server_srv_query(u->r, "status"), statuses, statuses,
               PL_ARRAY_LEN(statuses));
    pl_buf_addf(b,
                "<label>KEV<input type=\"checkbox\" name=\"kev\" value=\"true\"%s></label>"
                "<label>Overdue<input type=\"checkbox\" name=\"overdue\" value=\"true\"%s>"
                "</label><button type=\"submit\" id=\"apply\">Filter</button></form>\n",
                kev && strcmp(kev, "true") == 0 ? " checked" : "",
                overdue && strcmp(overdue, "true") == 0 ? " checked" : "");
}

/* The filters of the query (empty values: none), as `findings` takes them. */
static pl_status read_filter(struct ui_req *u, const struct pl_policy *p,
                             struct pl_finding_filter *f, struct pl_error *err)
{
    const char *v;

    if ((v = pl__server_srv_query(u->r, "tier")) && *v &&
        pl_policy_tier_parse(p, v, &f->tier, err) != PL_OK)
        return pl_error_prefix(err, "tier");
    if ((v = pl__server_srv_query(u->r, "owner")) && *v)
        f->owner = v;
    if ((v = pl__server_srv_query(u->r, "status")) && *v) {
        if (!pl_report_finding_status_known(v))
            return pl_error_set(err, PL_E_INVALID, "status: unknown status");
        f->status = v;
    }
    f->kev = (v = pl__server_srv_query(u->r, "kev")) && strcmp(v, "true") == 0;
    f->overdue = (v = pl__server_srv_query(u->r, "overdue")) && strcmp(v, "true") == 0;
    if ((v = pl__server_srv_query(u->r, "after")) && *v) {
        if (!pl__server_srv_cursor_parse(v, f->after_key))
            return pl_error_set(err, PL_E_INVALID, "after: not a page of this listing");
        f->after = true;
    }
    return PL_OK;
}

/* The link to the next page: these filters, after the last row. */
static void next_link(struct ui_req *u, struct pl_buf *b, const int64_t last[3])
{
    static const char *const keys[] = {"tier", "owner", "status", "kev", "overdue"};

    pl_buf_adds(b, "<p><a id=\"next\" href=\"/findings?");
    for (size_t i = 0; i < PL_ARRAY_LEN(keys); i++) {
        const char *v = pl__server_srv_query(u->r, keys[i]);

        if (v && *v) {
            pl_buf_addf(b, "%s=", keys[i]);
            pl__server_ui_urlenc(b, v);
            pl_buf_adds(b, "&amp;");
        }
    }
    pl_buf_adds(b, "after=");
    pl__server_srv_cursor_add(b, last);
    pl_buf_adds(b, "\">Next page</a></p>\n");
}

enum MHD_Result pl__server_ui_findings(struct ui_req *u)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_finding_filter f = {.tier = -1, .now = pl_clock_now()};
    struct pl_buf b = PL_BUF_INIT(0);
    struct rows w = {&b, NULL, 0, UI_PAGE_ROWS, false, {0, 0, 0}, f.now};
    const struct pl_policy *p;
    struct owners o;

    if (policy(u, &p, &err) != PL_OK || read_filter(u, p, &f, &err) != PL_OK ||
        owners_load(u, &o, &err) != PL_OK)
        return pl__server_ui_fail(u, &err);
    w.p = p;
    f.limit = UI_PAGE_ROWS + 1;
    pl__server_ui_head(u, &b, "Findings");
    filters_form(u, &b, p, &o);
    owners_release(&o);
    pl_buf_adds(&b, "<table id=\"findings\"><tr><th>Id</th><th>Asset</th><th>Vulnerability</th>"
                    "<th>Package</th><th>Tier</th><th>Due</th><th>Status</th><th>KEV</th></tr>\n");
    if (pl_store_findings_each(u->r->store, &f, row_item, &w, &err) != PL_OK) {
        pl_buf_release(&b);
        return pl__server_ui_fail(u, &err);
    }
    pl_buf_addf(&b, "</table>\n<p class=\"sub\" id=\"count\">%zu findings on this page.</p>\n",
                w.n);
    if (w.more)
        next_link(u, &b, w.last);
    return pl__server_ui_page(u, 200, &b);
}

enum MHD_Result pl__server_ui_finding(struct ui_req *u)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0), text = PL_BUF_INIT((size_t)4 * 1024 * 1024);
    struct pl_product_map *products = NULL;
    char title[48];
    int64_t id;

    if (!pl__server_srv_param_id(u->r, 0, &id)) {
        pl_error_set(&err, PL_E_NOTFOUND, "no such finding");
        return pl__server_ui_fail(u, &err);
    }
    if (pl_product_map_load(getenv("PATCHLINE_PRODUCT_MAP"), &products, &err) != PL_OK ||
        pl_match_explain(u->r->store, NULL, products, id, pl_clock_now(), "text", &text, &err) !=
            PL_OK) {
        pl_product_map_free(products);
        pl_buf_release(&text);
        return pl__server_ui_fail(u, &err);
    }
    pl_product_map_free(products);
    snprintf(title, sizeof(title), "Finding %lld", (long long)id);
    pl__server_ui_head(u, &b, title);
    pl_buf_adds(&b, "<pre id=\"explain\">");
    pl__server_ui_esc(&b, pl_buf_cstr(&text));
    pl_buf_adds(&b, "</pre>\n");
    pl_buf_release(&text);
    return pl__server_ui_page(u, 200, &b);
}

/* ---- the report's charts ------------------------------------------------- */

enum MHD_Result pl__server_ui_report(struct ui_req *u)
{
    struct pl_report_opts o = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    const struct pl_policy *p;
    const char *period = pl__server_srv_query(u->r, "period");
    struct pl_report rep;

    o.period = period && strcmp(period, "quarter") == 0 ? PL_PERIOD_QUARTER : PL_PERIOD_MONTH;
    o.now = pl_clock_now();
    if (policy(u, &p, &err) != PL_OK)
        return pl__server_ui_fail(u, &err);
    o.policy = p;
    if (pl_report_build(u->r->store, &o, &rep, &err) != PL_OK)
        return pl__server_ui_fail(u, &err);
    pl__server_ui_head(u, &b, "Report");
    pl_buf_adds(&b, "<p><a href=\"/report?period=month\">Month</a> "
                    "<a href=\"/report?period=quarter\">Quarter</a></p>\n");
    pl_report_html_body(&rep, &b);
    pl_report_release(&rep);
    return pl__server_ui_page(u, 200, &b);
}

enum MHD_Result pl__server_ui_css(struct ui_req *u)
{
    struct pl_buf b = PL_BUF_INIT(0);
    enum MHD_Result ok;

    pl_buf_adds(&b, pl_report_html_css());
    pl_buf_adds(&b, ui_css);
    ok = pl__server_ui_send_css(u, &b);
    pl_buf_release(&b);
    return ok;
}
