/*
 * listing.c - the rows of listings that the CLI and the server both show:
 * one JSON writer for a row, and the cells of a finding.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/report.h"
#include "patchline/store.h"
#include "patchline/store_findings.h"

const char *const pl_finding_col_names[PL_FINDING_N_COLS] = {
    "id",  "asset",   "vuln",        "package", "installed",  "fixed", "tier",
    "due", "overdue", "provisional", "status",  "first_seen", "why",
};

const enum pl_cell_type pl_finding_col_types[PL_FINDING_N_COLS] = {
    PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_INT,
    PL_CELL_TEXT, PL_CELL_BOOL, PL_CELL_BOOL, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
};

bool pl_report_finding_has_why(const char *status)
{
    return status && (strcmp(status, "disputed") == 0 || strcmp(status, "not-affected") == 0);
}

/* The fixed version, "no fix", "no fix (REASON)", "VERSION (Ubuntu Pro)" or "... (livepatch)". */
static const char *fixed_cell(const struct pl_finding *f, char *buf, size_t cap)
{
    if (f->marker && strcmp(f->marker, PL_MARKER_LIVEPATCH) == 0) {
        snprintf(buf, cap, "%.40s (livepatch)", f->fixed_version ? f->fixed_version : "no fix");
        return buf;
    }
    if (f->fixed_version == NULL && f->marker && f->marker[0]) {
        snprintf(buf, cap, "no fix (%.40s)", f->marker); /* the distribution's word */
        return buf;
    }
    if (f->fixed_version && f->marker && strcmp(f->marker, "ubuntu-pro") == 0) {
        snprintf(buf, cap, "%.40s (Ubuntu Pro)", f->fixed_version);
        return buf;
    }
    return f->fixed_version ? f->fixed_version : "no fix";
}

const char *pl_report_finding_decision(const struct pl_finding *f)
{
    if (f->fixed_version || !pl_finding_marker_decided(f->marker))
        return NULL;
    return f->marker;
}

const char *pl_report_finding_upgrade(const struct pl_finding *f)
{
    if (f->vuln_id == NULL || f->fixed_version == NULL)
        return NULL;
    if (strncmp(f->vuln_id, "eol:", 4) == 0)
        return "project";
    return strncmp(f->vuln_id, "lag:", 4) == 0 ? "minor" : NULL;
}

/* A number in decimal, without snprintf (a listing formats two a row). */
static const char *int_cell(long long v, char *buf, size_t cap)
{
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    char *p = buf + cap;

    *--p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u && p > buf + 1);
    if (v < 0)
        *--p = '-';
    return p;
}

void pl_report_finding_cells(const struct pl_finding *f, pl_time_t now, struct pl_finding_cells *c)
{
    const char **v = c->v;

    v[0] = int_cell((long long)f->id, c->id, sizeof(c->id));
    v[1] = f->asset_name;
    v[2] = f->vuln_id;
    v[3] = f->package;
    v[4] = f->installed_version;
    v[5] = fixed_cell(f, c->fixed, sizeof(c->fixed));
    if (f->unscored)
        v[6] = "unscored";
    else if (f->tier >= 0)
        v[6] = int_cell(f->tier, c->tier, sizeof(c->tier));
    else
        v[6] = NULL;
    v[7] = f->due_at == 0 ? NULL : pl_time_format(f->due_at, c->due);
    v[8] = pl_finding_overdue(f->status, f->due_at, now) ? "true" : "false";
    v[9] = f->provisional ? "true" : "false";
    v[10] = f->status;
    v[11] = pl_time_format(f->first_seen, c->first_seen);
    v[12] = f->fix_proof;
}

/* A key of the JSON object with what goes before it and after it. */
#define KEY(b, lit) pl_buf_add((b), (lit), sizeof(lit) - 1)

/* A text value: quoted and escaped, or null. */
static void json_text(struct pl_buf *b, const char *v)
{
    if (v == NULL)
        pl_buf_add(b, "null", 4);
    else
        pl_escape_json_quoted(b, v);
}

/*
 * The object of pl_json_row over the finding's cells and types, written
 * field by field (the keys are known, the numbers and booleans are the
 * cells' own): the same bytes, without scanning the keys and the values'
 * types on every row. tests/unit/test_report_render.c compares the two.
 */
void pl_report_finding_json(const struct pl_finding *f, pl_time_t now, struct pl_buf *b)
{
    struct pl_finding_cells c;
    const char *const *v = c.v;

    pl_report_finding_cells(f, now, &c);
    KEY(b, "{\"id\": ");
    pl_buf_adds(b, v[0]); /* a number */
    KEY(b, ", \"asset\": ");
    json_text(b, v[1]);
    KEY(b, ", \"vuln\": ");
    json_text(b, v[2]);
    KEY(b, ", \"package\": ");
    json_text(b, v[3]);
    KEY(b, ", \"installed\": ");
    json_text(b, v[4]);
    KEY(b, ", \"fixed\": ");
    json_text(b, v[5]);
    KEY(b, ", \"tier\": ");
    if (f->unscored || v[6] == NULL)
        json_text(b, v[6]); /* "unscored" is not a number: quoted, as pl_json_row has it */
    else
        pl_buf_adds(b, v[6]);
    KEY(b, ", \"due\": ");
    json_text(b, v[7]);
    KEY(b, ", \"overdue\": ");
    pl_buf_adds(b, v[8]); /* true or false */
    KEY(b, ", \"provisional\": ");
    pl_buf_adds(b, v[9]);
    KEY(b, ", \"status\": ");
    json_text(b, v[10]);
    KEY(b, ", \"first_seen\": ");
    json_text(b, v[11]);
    if (pl_report_finding_has_why(f->status)) {
        KEY(b, ", \"why\": ");
        json_text(b, v[12]);
    }
    /* the decision as its own field, then the kind of upgrade (a major one is a project) */
    KEY(b, ", \"distro_decision\": ");
    json_text(b, pl_report_finding_decision(f));
    KEY(b, ", \"upgrade\": ");
    json_text(b, pl_report_finding_upgrade(f));
    pl_buf_addch(b, '}');
}

static const char *const finding_statuses[] = {
    "open",           "fixed",           "mitigated",     "accepted",
    "false-positive", "package-removed", "asset-retired", "disputed",
    "not-affected",   "awaiting-repo",
};

bool pl_report_finding_status_known(const char *s)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(finding_statuses); i++)
        if (strcmp(s, finding_statuses[i]) == 0)
            return true;
    return false;
}
