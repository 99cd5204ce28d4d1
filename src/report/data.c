/*
 * data.c - the JSON and CSV renderings of a report, for other tools.
 */
#include <stdio.h>

#include "patchline/escape.h"

#include "report_int.h"

static void jtime(struct pl_buf *b, const char *key, pl_time_t t)
{
    char ts[PL_TIME_STR_LEN];

    if (t == PL_MX_NONE)
        pl_buf_addf(b, "\"%s\":null", key);
    else
        pl_buf_addf(b, "\"%s\":\"%s\"", key, pl_time_format(t, ts));
}

static void jstr(struct pl_buf *b, const char *key, const char *s)
{
    pl_buf_addf(b, "\"%s\":", key);
    if (s)
        pl_escape_json_quoted(b, s);
    else
        pl_buf_adds(b, "null");
}

static void jratio(struct pl_buf *b, const char *key, double v)
{
    if (v < 0)
        pl_buf_addf(b, "\"%s\":null", key);
    else
        pl_buf_addf(b, "\"%s\":%.6f", key, v);
}

static void jstat(struct pl_buf *b, const char *key, const struct pl_report_stat *s)
{
    pl_buf_addf(b, "\"%s\":{\"n\":%lld", key, (long long)s->n);
    if (s->n > 0)
        pl_buf_addf(b, ",\"mean_s\":%.1f,\"median_s\":%.1f,\"p90_s\":%.1f}", s->mean, s->median,
                    s->p90);
    else
        pl_buf_adds(b, ",\"mean_s\":null,\"median_s\":null,\"p90_s\":null}");
}

/* The deciding policy and its tiers: "policy":NAME,"tiers":[{tier,name,sla_s}...], */
static void json_tiers(const struct pl_report *r, struct pl_buf *b)
{
    jstr(b, "policy", r->policy);
    pl_buf_adds(b, ",\"tiers\":[");
    for (int t = 0; t < r->n_tiers; t++) {
        pl_buf_addf(b, "%s{\"tier\":%d,", t ? "," : "", t);
        jstr(b, "name", r->tiers[t].name);
        pl_buf_addf(b, ",\"sla_s\":%lld}", (long long)r->tiers[t].sla);
    }
    pl_buf_addf(b, "],\"unscored_sla_s\":%lld,", (long long)r->unscored_sla);
}

static void json_sla(const struct pl_report *r, struct pl_buf *b)
{
    pl_buf_adds(b, "\"sla\":[");
    for (int k = 0; k < pl_report_n_rows(r); k++) {
        int i = pl_report_row(r, k);
        const struct pl_report_sla *s = &r->sla[i];

        pl_buf_addf(b, "%s{\"row\":\"%s\",\"due\":%lld,\"met\":%lld,\"mitigated\":%lld,",
                    k ? "," : "", pl_report_row_name(i, false), (long long)s->due,
                    (long long)s->met, (long long)s->mitigated);
        pl_buf_addf(b, "\"accepted\":%lld,\"missed\":%lld,\"excluded\":%lld,",
                    (long long)s->accepted, (long long)s->missed, (long long)s->excluded);
        jratio(b, "compliance", pl_report_sla_ratio(s));
        pl_buf_addch(b, ',');
        jratio(b, "target", r->targets.sla[i]);
        pl_buf_addch(b, '}');
    }
    pl_buf_adds(b, "],\"mttp\":{\"tier\":[");
    for (int k = 0; k < pl_report_n_rows(r) - 1; k++) {
        int i = pl_report_row(r, k);

        pl_buf_addf(b, "%s{\"row\":\"%s\",", k ? "," : "", pl_report_row_name(i, false));
        jstat(b, "from_disclosure", &r->mttp_tier[i].disclosure);
        pl_buf_addch(b, ',');
        jstat(b, "from_first_seen", &r->mttp_tier[i].first_seen);
        pl_buf_addch(b, '}');
    }
    pl_buf_adds(b, "],\"environment\":[");
    for (int i = 0; i < PL_REPORT_ENVS; i++) {
        pl_buf_addf(b, "%s{\"env\":\"%s\",", i ? "," : "", pl_report_env_names[i]);
        jstat(b, "from_disclosure", &r->mttp_env[i].disclosure);
        pl_buf_addch(b, ',');
        jstat(b, "from_first_seen", &r->mttp_env[i].first_seen);
        pl_buf_addch(b, '}');
    }
    pl_buf_addf(b, "],\"target_tier1_mean_s\":%lld}", (long long)r->targets.mttp_tier1);
}

static void json_assets(const struct pl_report *r, struct pl_buf *b)
{
    pl_buf_addf(b,
                ",\"coverage\":{\"known\":%lld,\"managed\":%lld,\"unassessed\":%lld,"
                "\"disputed\":%lld,",
                (long long)r->assets_known, (long long)r->assets_managed,
                (long long)r->assets_unassessed, (long long)r->findings_disputed);
    jratio(b, "ratio",
           r->assets_known ? (double)r->assets_managed / (double)r->assets_known : -1.0);
    pl_buf_addch(b, ',');
    jratio(b, "target", r->targets.coverage);
    pl_buf_adds(b, ",\"environment\":[");
    for (int i = 0; i < PL_REPORT_ENVS; i++)
        pl_buf_addf(b, "%s{\"env\":\"%s\",\"known\":%lld,\"managed\":%lld}", i ? "," : "",
                    pl_report_env_names[i], (long long)r->env_known[i],
                    (long long)r->env_managed[i]);
    pl_buf_adds(b, "],\"unmanaged\":[");
    for (size_t i = 0; i < r->n_unmanaged; i++) {
        pl_buf_adds(b, i ? ",{" : "{");
        jstr(b, "asset", r->unmanaged[i].asset);
        pl_buf_addch(b, ',');
        jstr(b, "env", r->unmanaged[i].environment);
        pl_buf_addch(b, '}');
    }
    pl_buf_addf(b, "]},\"aged_os\":{\"table_date\":\"%s\",\"total\":%lld,\"assets\":[",
                pl_report_os_table_date, (long long)r->aged_total);
    for (size_t i = 0; i < r->n_aged; i++) {
        pl_buf_adds(b, i ? ",{" : "{");
        jstr(b, "asset", r->aged[i].asset);
        pl_buf_addch(b, ',');
        jstr(b, "env", r->aged[i].environment);
        pl_buf_addch(b, ',');
        jstr(b, "os", r->aged[i].os);
        pl_buf_addch(b, ',');
        jtime(b, "released", r->aged[i].released);
        pl_buf_addch(b, '}');
    }
    pl_buf_addf(b, "]},\"eol_os\":{\"table_date\":\"%s\",\"total\":%lld,\"assets\":[",
                pl_report_eol_table_date, (long long)r->eol_total);
    for (size_t i = 0; i < r->n_eol; i++) {
        pl_buf_adds(b, i ? ",{" : "{");
        jstr(b, "asset", r->eol[i].asset);
        pl_buf_addch(b, ',');
        jstr(b, "env", r->eol[i].environment);
        pl_buf_addch(b, ',');
        jstr(b, "os", r->eol[i].os);
        pl_buf_addch(b, ',');
        jtime(b, "eol", r->eol[i].released);
        pl_buf_addch(b, ',');
        if (r->eol[i].extended)
            jtime(b, "extended_until", r->eol[i].extended);
        else
            pl_buf_adds(b, "\"extended_until\":null");
        pl_buf_addch(b, '}');
    }
    pl_buf_adds(b, "]}");
}

static void json_list(struct pl_buf *b, const char *key, const struct pl_report_list *l)
{
    pl_buf_addf(b, ",\"%s\":{\"total\":%lld,\"items\":[", key, (long long)l->total);
    for (size_t i = 0; i < l->n; i++) {
        const struct pl_report_item *it = &l->items[i];

        pl_buf_adds(b, i ? ",{" : "{");
        jstr(b, "asset", it->asset);
        pl_buf_addch(b, ',');
        jstr(b, "env", it->environment);
        pl_buf_addch(b, ',');
        jstr(b, "vuln", it->vuln_id);
        pl_buf_addch(b, ',');
        jstr(b, "package", it->package);
        pl_buf_addch(b, ',');
        jstr(b, "owner", it->owner);
        pl_buf_addf(b, ",\"tier\":%d,", it->tier);
        jtime(b, "due", it->due_at);
        pl_buf_addf(b, ",\"age_s\":%lld}", (long long)it->age);
    }
    pl_buf_adds(b, "]}");
}

static void json_backlog(const struct pl_report *r, struct pl_buf *b)
{
    pl_buf_addf(b,
                ",\"backlog\":{\"open\":%lld,\"overdue\":%lld,\"kev\":%lld,\"regressions\":%lld,"
                "\"awaiting_repo\":%lld,\"no_fix\":%lld,\"no_fix_decided\":%lld,"
                "\"upgrade_projects\":%lld,\"tier\":{",
                (long long)r->backlog_open, (long long)r->backlog_overdue,
                (long long)r->backlog_kev, (long long)r->regressions,
                (long long)r->backlog_awaiting_repo, (long long)r->backlog_nofix,
                (long long)r->backlog_nofix_decided, (long long)r->backlog_projects);
    for (int k = 0; k < pl_report_n_rows(r); k++)
        pl_buf_addf(b, "%s\"%s\":%lld", k ? "," : "", pl_report_row_name(pl_report_row(r, k), true),
                    (long long)r->backlog_tier[pl_report_row(r, k)]);
    pl_buf_adds(b, "},\"severity\":{");
    for (int i = 0; i < PL_REPORT_SEVS; i++)
        pl_buf_addf(b, "%s\"%s\":%lld", i ? "," : "", pl_report_sev_names[i],
                    (long long)r->backlog_sev[i]);
    pl_buf_adds(b, "},\"previous_quarter\":");
    if (r->has_prev_quarter) {
        pl_buf_adds(b, "{");
        jtime(b, "day", r->prev_quarter_day);
        pl_buf_addf(b, ",\"open\":%lld}", (long long)r->prev_quarter_open);
    } else {
        pl_buf_adds(b, "null");
    }
    pl_buf_adds(b, ",\"trend\":[");
    for (size_t i = 0; i < r->n_trend; i++) {
        char d[16];

        pl_buf_addf(b, "%s{\"day\":\"%s\",\"open\":%lld,\"overdue\":%lld,\"kev\":%lld}",
                    i ? "," : "", pl_date_format(r->trend[i].day, d), (long long)r->trend[i].open,
                    (long long)r->trend[i].overdue, (long long)r->trend[i].kev);
    }
    pl_buf_adds(b, "]}");
}

static void json_counts(struct pl_buf *b, const struct pl_report_count *c, size_t n, bool sim)
{
    for (size_t i = 0; i < n; i++) {
        pl_buf_adds(b, i ? ",{" : "{");
        jstr(b, "name", c[i].name);
        if (sim)
            pl_buf_addf(b, ",\"real\":%lld,\"simulated\":%lld}", (long long)c[i].real,
                        (long long)c[i].simulated);
        else
            pl_buf_addf(b, ",\"count\":%lld}", (long long)c[i].real);
    }
}

static void json_group(const struct pl_report *r, struct pl_buf *b, const struct pl_report_group *g)
{
    jstr(b, "name", g->name);
    pl_buf_addf(b,
                ",\"assets\":%lld,\"managed\":%lld,\"open\":%lld,\"overdue\":%lld,"
                "\"overdue_tier0_1\":%lld,\"kev_incidents\":%lld,\"exceptions\":%lld,"
                "\"exceptions_expiring_14d\":%lld,",
                (long long)g->assets, (long long)g->managed, (long long)g->open_total,
                (long long)g->overdue, (long long)g->overdue_urgent, (long long)g->kev_incidents,
                (long long)g->exceptions, (long long)g->exc_expiring);
    jstat(b, "mttp_from_first_seen", &g->mttp);
    pl_buf_adds(b, ",\"tiers\":[");
    for (int k = 0; k < pl_report_n_rows(r); k++) {
        int i = pl_report_row(r, k);
        const struct pl_report_sla *s = &g->sla[i];

        pl_buf_addf(b, "%s{\"row\":\"%s\",", k ? "," : "", pl_report_row_name(i, false));
        if (i != PL_ROW_KEV) /* that slot holds the untiered backlog */
            pl_buf_addf(b, "\"open\":%lld,\"overdue\":%lld,", (long long)g->open[i],
                        (long long)g->overdue_tier[i]);
        pl_buf_addf(b,
                    "\"due\":%lld,\"met\":%lld,\"mitigated\":%lld,\"accepted\":%lld,"
                    "\"missed\":%lld,\"excluded\":%lld,",
                    (long long)s->due, (long long)s->met, (long long)s->mitigated,
                    (long long)s->accepted, (long long)s->missed, (long long)s->excluded);
        jratio(b, "compliance", pl_report_sla_ratio(s));
        pl_buf_addch(b, '}');
    }
    pl_buf_addf(b, "],\"untiered_open\":%lld", (long long)g->open[PL_ROW_UNTIERED]);
    json_list(b, "overdue_items", &g->overdue_items);
}

static void json_periods(struct pl_buf *b, const char *key, const struct pl_mx_period *p, size_t n)
{
    pl_buf_addf(b, "\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        pl_buf_adds(b, i ? ",{" : "{");
        jtime(b, "from", p[i].from);
        pl_buf_addch(b, ',');
        jtime(b, "to", p[i].to);
        pl_buf_addch(b, ',');
        jtime(b, "recorded", p[i].taken_at);
        pl_buf_addch(b, ',');
        jstr(b, "policy", p[i].policy);
        pl_buf_addf(b,
                    ",\"kev_due\":%lld,\"kev_met\":%lld,\"tier0_due\":%lld,\"tier0_met\":%lld,"
                    "\"tier2_due\":%lld,\"tier2_met\":%lld,\"tier1_fixed\":%lld,",
                    (long long)p[i].kev_due, (long long)p[i].kev_met, (long long)p[i].sla0_due,
                    (long long)p[i].sla0_met, (long long)p[i].sla2_due, (long long)p[i].sla2_met,
                    (long long)p[i].mttp1_n);
        if (p[i].mttp1_n)
            pl_buf_addf(b, "\"tier1_mttp_mean_s\":%.1f,", p[i].mttp1_mean);
        else
            pl_buf_adds(b, "\"tier1_mttp_mean_s\":null,");
        pl_buf_addf(b,
                    "\"assets_known\":%lld,\"assets_managed\":%lld,\"open\":%lld,"
                    "\"overdue\":%lld,\"kev_incidents\":%lld,\"exceptions_active\":%lld}",
                    (long long)p[i].assets_known, (long long)p[i].assets_managed,
                    (long long)p[i].backlog_open, (long long)p[i].backlog_overdue,
                    (long long)p[i].kev_incidents, (long long)p[i].exceptions_active);
    }
    pl_buf_addch(b, ']');
}

static void json_arrivals(const struct pl_report *r, struct pl_buf *b)
{
    const struct pl_report_list *l = &r->kev_arrivals;

    pl_buf_addf(b,
                ",\"kev_arrivals\":{\"total\":%lld,\"fixed_24h\":%lld,\"fixed_late\":%lld,"
                "\"mitigated_or_accepted\":%lld,\"open\":%lld,\"items\":[",
                (long long)l->total, (long long)r->kev_fixed_24h, (long long)r->kev_fixed_late,
                (long long)r->kev_mitigated_n, (long long)r->kev_open);
    for (size_t i = 0; i < l->n; i++) {
        pl_buf_adds(b, i ? ",{" : "{");
        jstr(b, "asset", l->items[i].asset);
        pl_buf_addch(b, ',');
        jstr(b, "owner", l->items[i].owner);
        pl_buf_addch(b, ',');
        jstr(b, "vuln", l->items[i].vuln_id);
        pl_buf_addch(b, ',');
        jstr(b, "package", l->items[i].package);
        pl_buf_addf(b, ",\"status\":\"%s\",", pl_mx_status_name(l->items[i].status));
        jtime(b, "resolved", l->items[i].resolved_at);
        pl_buf_addf(b, ",\"age_s\":%lld}", (long long)l->items[i].age);
    }
    pl_buf_adds(b, "]},\"closed_periods\":{");
    json_periods(b, "months", r->past_months, r->n_past_months);
    pl_buf_addch(b, ',');
    json_periods(b, "quarters", r->past_quarters, r->n_past_quarters);
    pl_buf_addch(b, '}');
}

static void json_groups(const struct pl_report *r, struct pl_buf *b)
{
    pl_buf_addf(b, ",\"accountability\":{\"owners_total\":%lld,\"owners\":[",
                (long long)r->owners_total);
    for (size_t i = 0; i < r->n_owners; i++) {
        pl_buf_adds(b, i ? ",{" : "{");
        json_group(r, b, &r->owners[i]);
        pl_buf_addch(b, '}');
    }
    pl_buf_adds(b, "],\"environments\":[");
    for (size_t i = 0; i < r->n_envs; i++) {
        pl_buf_adds(b, i ? ",{" : "{");
        json_group(r, b, &r->envs[i]);
        pl_buf_addch(b, '}');
    }
    pl_buf_adds(b, "]}");
}

pl_status pl_report_json(const struct pl_report *r, struct pl_buf *b, struct pl_error *err)
{
    pl_buf_addf(b, "{\"period\":\"%s\",", pl__report_period_name(r->period));
    jtime(b, "from", r->from);
    pl_buf_addch(b, ',');
    jtime(b, "to", r->to);
    pl_buf_addch(b, ',');
    jtime(b, "generated", r->generated);
    pl_buf_addf(b, ",\"simulated\":%s,", r->simulated ? "true" : "false");
    json_tiers(r, b);
    json_sla(r, b);
    json_assets(r, b);
    pl_buf_adds(b, ",\"by_os\":[");
    for (size_t i = 0; i < r->n_by_os; i++) {
        pl_buf_adds(b, i ? ",{" : "{");
        jstr(b, "os", r->by_os[i].os);
        pl_buf_addf(b, ",\"assets\":%lld,\"open\":%lld,\"no_fix\":%lld}",
                    (long long)r->by_os[i].assets, (long long)r->by_os[i].open,
                    (long long)r->by_os[i].no_fix);
    }
    pl_buf_addch(b, ']');
    json_backlog(r, b);
    json_list(b, "overdue", &r->overdue);
    json_list(b, "kev_incidents", &r->kev_incidents);
    json_list(b, "kev_mitigated_not_patched", &r->kev_mitigated);
    json_list(b, "controls_expiring", &r->controls_expiring);
    json_groups(r, b);
    json_arrivals(r, b);
    pl__report_json_rollouts(r, b);
    pl_buf_addf(b, ",\"exposure_days\":{\"total\":%.2f", r->exposure_days_total);
    for (int k = 0; k < pl_report_n_rows(r); k++)
        pl_buf_addf(b, ",\"%s\":%.2f", pl_report_row_name(pl_report_row(r, k), false),
                    r->exposure_days[pl_report_row(r, k)]);
    pl_buf_addf(b,
                "},\"exceptions\":{\"active\":%lld,\"expiring_14d\":%lld,"
                "\"expired_back_on_clock\":%lld,\"expired_not_reopened\":%lld,\"by_type\":[",
                (long long)r->exc_active, (long long)r->exc_expiring,
                (long long)r->exc_expired_reopened, (long long)r->exc_expired_pending);
    json_counts(b, r->exceptions, r->n_exceptions, false);
    pl_buf_addf(b, "]},\"events\":{\"real\":%lld,\"simulated\":%lld,\"by_action\":[",
                (long long)r->events_real, (long long)r->events_simulated);
    json_counts(b, r->events, r->n_events, true);
    pl_buf_adds(b, "]}}\n");
    return pl__report_done(b, "report json", err);
}

/* ---- CSV: section,metric,key,value ----------------------------------- */

static void crow(struct pl_buf *b, const char *section, const char *metric, const char *key,
                 const char *value)
{
    pl_escape_csv(b, section);
    pl_buf_addch(b, ',');
    pl_escape_csv(b, metric);
    pl_buf_addch(b, ',');
    pl_escape_csv(b, key ? key : "");
    pl_buf_addch(b, ',');
    pl_escape_csv(b, value ? value : "");
    pl_buf_adds(b, "\r\n");
}

static void crowi(struct pl_buf *b, const char *section, const char *metric, const char *key,
                  int64_t v)
{
    char num[32];

    if (snprintf(num, sizeof(num), "%lld", (long long)v) >= (int)sizeof(num))
        num[0] = '\0';
    crow(b, section, metric, key, num);
}

static void crowf(struct pl_buf *b, const char *section, const char *metric, const char *key,
                  double v)
{
    char num[48];

    /* a negative ratio means "none": an empty cell */
    if (v < 0 || snprintf(num, sizeof(num), "%.4f", v) >= (int)sizeof(num))
        num[0] = '\0';
    crow(b, section, metric, key, num);
}

static void csv_items(struct pl_buf *b, const char *section, const struct pl_report_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct pl_report_item *it = &l->items[i];
        struct pl_buf key = PL_BUF_INIT(0);

        /* key = asset/vuln/package; value = age in days */
        pl_buf_addf(&key, "%s/%s/%s", it->asset, it->vuln_id, it->package);
        crowf(b, section, "age_days", pl_buf_cstr(&key), (double)it->age / PL_DAY);
        pl_buf_release(&key);
    }
}

static void csv_sla_mttp(const struct pl_report *r, struct pl_buf *b)
{
    for (int k = 0; k < pl_report_n_rows(r); k++) {
        int i = pl_report_row(r, k);
        const char *row = pl_report_row_name(i, false);

        crowi(b, "sla", "due", row, r->sla[i].due);
        crowi(b, "sla", "met", row, r->sla[i].met);
        crowi(b, "sla", "mitigated", row, r->sla[i].mitigated);
        crowi(b, "sla", "accepted", row, r->sla[i].accepted);
        crowi(b, "sla", "missed", row, r->sla[i].missed);
        crowi(b, "sla", "excluded", row, r->sla[i].excluded);
        crowf(b, "sla", "compliance", row, pl_report_sla_ratio(&r->sla[i]));
        crowf(b, "sla", "target", row, r->targets.sla[i]);
    }
    for (int k = 0; k < pl_report_n_rows(r) - 1; k++) {
        int i = pl_report_row(r, k);
        const char *row = pl_report_row_name(i, false);

        crowi(b, "mttp", "fixed", row, r->mttp_tier[i].first_seen.n);
        crowf(b, "mttp", "mean_days_from_first_seen", row,
              r->mttp_tier[i].first_seen.n ? r->mttp_tier[i].first_seen.mean / PL_DAY : -1);
        crowf(b, "mttp", "mean_days_from_disclosure", row,
              r->mttp_tier[i].disclosure.n ? r->mttp_tier[i].disclosure.mean / PL_DAY : -1);
    }
}

pl_status pl_report_csv(const struct pl_report *r, struct pl_buf *b, struct pl_error *err)
{
    crow(b, "section", "metric", "key", "value");
    crow(b, "store", "mode", NULL, r->simulated ? "simulated" : "real");
    csv_sla_mttp(r, b);
    crowi(b, "coverage", "known", NULL, r->assets_known);
    crowi(b, "coverage", "managed", NULL, r->assets_managed);
    crowi(b, "coverage", "unassessed", NULL, r->assets_unassessed);
    crowi(b, "coverage", "disputed", NULL, r->findings_disputed);
    for (size_t i = 0; i < r->n_unmanaged; i++)
        crow(b, "coverage", "unmanaged", r->unmanaged[i].asset, r->unmanaged[i].environment);
    for (int k = 0; k < pl_report_n_rows(r); k++)
        crowi(b, "backlog", "open", pl_report_row_name(pl_report_row(r, k), true),
              r->backlog_tier[pl_report_row(r, k)]);
    for (int i = 0; i < PL_REPORT_SEVS; i++)
        crowi(b, "backlog", "open", pl_report_sev_names[i], r->backlog_sev[i]);
    crowi(b, "backlog", "overdue", NULL, r->backlog_overdue);
    crowi(b, "backlog", "no_fix", NULL, r->backlog_nofix);
    crowi(b, "backlog", "no_fix", "decided", r->backlog_nofix_decided);
    crowi(b, "backlog", "upgrade_projects", NULL, r->backlog_projects);
    crowi(b, "backlog", "awaiting-repo", NULL, r->backlog_awaiting_repo);
    csv_items(b, "overdue", &r->overdue);
    csv_items(b, "kev_incident", &r->kev_incidents);
    csv_items(b, "kev_mitigated_not_patched", &r->kev_mitigated);
    csv_items(b, "control_expiring", &r->controls_expiring);
    crowf(b, "exposure", "days", "total", r->exposure_days_total);
    for (size_t i = 0; i < r->n_exceptions; i++)
        crowi(b, "exceptions", "active", r->exceptions[i].name, r->exceptions[i].real);
    crowi(b, "exceptions", "expiring_14d", NULL, r->exc_expiring);
    crowi(b, "exceptions", "expired_back_on_clock", NULL, r->exc_expired_reopened);
    crowi(b, "rollouts", "jobs", NULL, r->jobs_total);
    crowi(b, "rollouts", "applied", NULL, r->jobs_succeeded);
    crowi(b, "rollouts", "rolled_back", NULL, r->jobs_rolled_back);
    crowi(b, "rollouts", "failed", NULL, r->jobs_failed);
    for (size_t i = 0; i < r->n_rollouts; i++) {
        char id[24];

        snprintf(id, sizeof(id), "%lld", (long long)r->rollouts[i].job);
        crow(b, "rollouts", "job_status", id, r->rollouts[i].status);
    }
    for (size_t i = 0; i < r->n_owners; i++) {
        const struct pl_report_group *g = &r->owners[i];

        crowi(b, "owner", "open", g->name, g->open_total);
        crowi(b, "owner", "overdue", g->name, g->overdue);
        crowi(b, "owner", "overdue_tier0_1", g->name, g->overdue_urgent);
        crowi(b, "owner", "kev_incidents", g->name, g->kev_incidents);
        crowi(b, "owner", "exceptions", g->name, g->exceptions);
    }
    for (size_t i = 0; i < r->n_envs; i++) {
        const struct pl_report_group *g = &r->envs[i];

        crowi(b, "environment", "open", g->name, g->open_total);
        crowi(b, "environment", "overdue", g->name, g->overdue);
        crowi(b, "environment", "overdue_tier0_1", g->name, g->overdue_urgent);
        crowi(b, "environment", "kev_incidents", g->name, g->kev_incidents);
    }
    for (size_t i = 0; i < r->n_aged; i++)
        crow(b, "aged_os", r->aged[i].os, r->aged[i].asset, r->aged[i].environment);
    for (size_t i = 0; i < r->n_eol; i++)
        crow(b, "eol_os", r->eol[i].os, r->eol[i].asset, r->eol[i].environment);
    for (size_t i = 0; i < r->n_events; i++) {
        crowi(b, "events", "real", r->events[i].name, r->events[i].real);
        crowi(b, "events", "simulated", r->events[i].name, r->events[i].simulated);
    }
    return pl__report_done(b, "report csv", err);
}
