/*
 * remote_handoff.c - hand-offs and the schedule through the server:
 * `handoff TARGET --rollout ID` fetches the hand-off plan the server's store
 * gives (GET or, with --plan FILE, POST /api/v1/plans/{id}/handoff: the
 * JSON plan file format, holds applied there) and the artefacts are written
 * here by the same generators as locally; `handoff results import FILE`
 * uploads the file (POST /api/v1/plans/{id}/handoff/results), which the
 * server imports as the caller; `schedule run JOB` runs a job of the
 * server's schedule now (POST /api/v1/schedule/{job}/run).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/handoff.h"
#include "patchline/limits.h"

#include "remote_int.h"

/* The plan file of --plan FILE (decompressed, as the local command reads it) appended to body. */
static int plan_file_body(const char *what, const char *plan_file, struct pl_buf *body)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf text = PL_BUF_INIT(0);

    if (pl_file_read(plan_file, PL_MAX_PLAN_BYTES, &text, &err) != PL_OK) {
        pl_buf_release(&text);
        pl__cli_warn("%s: %s", what, err.msg);
        return PL_EXIT_ERROR;
    }
    pl_buf_add(body, pl_buf_cstr(&text), text.len);
    pl_buf_release(&text);
    return PL_EXIT_OK;
}

int pl__cli_remote_handoff_plan(struct pl_cli *cli, int64_t id, const char *plan_file,
                                struct pl_handoff_plan **out)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0), ans = PL_BUF_INIT(0);
    const char *token = NULL;
    char base[1024], name[64];
    long http = 0;
    int rc;

    *out = NULL;
    if ((rc = pl__cli_remote_setup(cli, base, sizeof(base), &token)) != PL_EXIT_OK)
        return rc;
    pl_buf_addf(&url, "%s/api/v1/plans/%lld/handoff", base, (long long)id);
    if (plan_file && (rc = plan_file_body("handoff", plan_file, &body)) == PL_EXIT_OK)
        pl__cli_remote_query(&url, "plan", plan_file);
    if (rc == PL_EXIT_OK)
        rc = pl__cli_remote_request(pl_buf_cstr(&url), token, plan_file ? "application/yaml" : NULL,
                                    pl_buf_cstr(&body), body.len, &ans, &http);
    if (rc == PL_EXIT_OK && http != 200)
        rc = pl__cli_remote_error("handoff", http, &ans);
    snprintf(name, sizeof(name), "rollout %lld (the server's)", (long long)id);
    if (rc == PL_EXIT_OK &&
        pl_handoff_plan_parse(name, pl_buf_cstr(&ans), ans.len, out, &err) != PL_OK)
        rc = pl__cli_fail(cli, "handoff", &err);
    pl_buf_release(&url);
    pl_buf_release(&body);
    pl_buf_release(&ans);
    return rc;
}

int pl__cli_remote_handoff_results(struct pl_cli *cli, int64_t id, const char *file,
                                   const char *plan_file, const char *wave)
{
    static const char what[] = "handoff results import";
    struct pl_buf url = PL_BUF_INIT(0), body = PL_BUF_INIT(0), ans = PL_BUF_INIT(0);
    struct pl_handoff_import r;
    const char *token = NULL, *s;
    char base[1024], size[24];
    yajl_val v = NULL;
    long http = 0;
    int rc;

    if ((rc = pl__cli_remote_setup(cli, base, sizeof(base), &token)) != PL_EXIT_OK)
        return rc;
    pl_buf_addf(&url, "%s/api/v1/plans/%lld/handoff/results", base, (long long)id);
    pl__cli_remote_query(&url, "name", file);
    if (wave)
        pl__cli_remote_query(&url, "wave", wave);
    rc = pl__cli_remote_read_raw(what, file, &body);
    /* the plan file follows the results file in the body: its size says where it starts */
    if (rc == PL_EXIT_OK && plan_file) {
        snprintf(size, sizeof(size), "%zu", body.len);
        pl__cli_remote_query(&url, "size", size);
        pl__cli_remote_query(&url, "plan", plan_file);
        rc = plan_file_body(what, plan_file, &body);
    }
    if (rc == PL_EXIT_OK)
        rc = pl__cli_remote_request(pl_buf_cstr(&url), token, "application/octet-stream",
                                    pl_buf_cstr(&body), body.len, &ans, &http);
    if (rc == PL_EXIT_OK && http != 200)
        rc = pl__cli_remote_error(what, http, &ans);
    if (rc == PL_EXIT_OK && (v = yajl_tree_parse(pl_buf_cstr(&ans), NULL, 0)) == NULL)
        rc = (pl__cli_warn("%s: the server's answer is not JSON", what), PL_EXIT_ERROR);
    if (rc == PL_EXIT_OK) {
        memset(&r, 0, sizeof(r));
        r.wave = (int)pl__cli_remote_i64(v, "wave", 0);
        snprintf(r.wave_id, sizeof(r.wave_id), "%s",
                 (s = pl__cli_remote_str(v, "wave_id")) ? s : "?");
        snprintf(r.tool, sizeof(r.tool), "%s", (s = pl__cli_remote_str(v, "tool")) ? s : "?");
        r.n_healthy = (size_t)pl__cli_remote_u64(v, "healthy");
        r.n_failed = (size_t)pl__cli_remote_u64(v, "failed");
        r.n_unreachable = (size_t)pl__cli_remote_u64(v, "unreachable");
        r.n_pending = (size_t)pl__cli_remote_u64(v, "pending");
        r.n_missing = (size_t)pl__cli_remote_u64(v, "missing");
        r.n_nothing = (size_t)pl__cli_remote_u64(v, "nothing");
        pl__cli_handoff_results_print(&r);
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    pl_buf_release(&body);
    pl_buf_release(&ans);
    return rc;
}

int pl__cli_remote_schedule_run(struct pl_cli *cli, const char *job)
{
    static const char what[] = "schedule run";
    struct pl_buf url = PL_BUF_INIT(0), ans = PL_BUF_INIT(0);
    const char *token = NULL, *outcome, *summary, *start, *end;
    char base[1024];
    yajl_val v = NULL;
    long http = 0;
    int rc;

    if ((rc = pl__cli_remote_setup(cli, base, sizeof(base), &token)) != PL_EXIT_OK)
        return rc;
    pl_buf_addf(&url, "%s/api/v1/schedule/", base);
    for (const char *p = job; *p; p++) /* a job's name is a path segment: escape the rest */
        if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-", *p))
            pl_buf_addch(&url, *p);
        else
            pl_buf_addf(&url, "%%%02X", (unsigned)(unsigned char)*p);
    pl_buf_adds(&url, "/run");
    rc = pl__cli_remote_request(pl_buf_cstr(&url), token, "application/json", "", 0, &ans, &http);
    if (rc == PL_EXIT_OK && http != 200)
        rc = pl__cli_remote_error(what, http, &ans);
    if (rc == PL_EXIT_OK && (v = yajl_tree_parse(pl_buf_cstr(&ans), NULL, 0)) == NULL)
        rc = (pl__cli_warn("%s: the server's answer is not JSON", what), PL_EXIT_ERROR);
    if (rc == PL_EXIT_OK) {
        outcome = pl__cli_remote_str(v, "outcome");
        summary = pl__cli_remote_str(v, "summary");
        start = pl__cli_remote_str(v, "start");
        end = pl__cli_remote_str(v, "end");
        pl__cli_line(stdout, "%s: %s (%s to %s): %s", job, outcome ? outcome : "?",
                     start ? start : "?", end ? end : "?", summary ? summary : "");
        if (outcome == NULL || strcmp(outcome, "ok") != 0)
            rc = PL_EXIT_ERROR;
    }
    yajl_tree_free(v);
    pl_buf_release(&url);
    pl_buf_release(&ans);
    return rc;
}
