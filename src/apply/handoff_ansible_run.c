/*
 * handoff_ansible_run.c - run ansible-playbook (argv, json stdout callback)
 * and read its per-host stats back as job records.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/json.h"
#include "patchline/spawn.h"

#include "handoff_int.h"

extern char **environ;

/* The json callback's output for a long run is large; its stats are small. */
#define RESULTS_MAX    ((size_t)256 * 1024 * 1024)
#define RUN_TIMEOUT_MS (6L * 3600 * 1000)
#define MAX_HOSTS      1000000

struct results {
    const char *path;
    struct pl_handoff_job *jobs;
    size_t n;
};

static pl_status stat_field(const struct results *r, const struct pl_json *h, const char *key,
                            int64_t *out, struct pl_error *err)
{
    const struct pl_json *v = pl_json_get(h, key);
    *out = 0;
    if (v == NULL)
        return PL_OK;
    if (!pl_json_int(v, out) || *out < 0)
        return pl_error_set(err, PL_E_PARSE, "%s: stats.%s.%s: want a count", r->path, h->key, key);
    return PL_OK;
}

static int job_cmp(const void *a, const void *b)
{
    return strcmp(((const struct pl_handoff_job *)a)->host,
                  ((const struct pl_handoff_job *)b)->host);
}

static pl_status on_doc(const struct pl_json *doc, uint64_t index, void *data, struct pl_error *err)
{
    struct results *r = data;
    const struct pl_json *stats = pl_json_get(doc, "stats");
    size_t i = 0;
    (void)index;

    if (stats == NULL || stats->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE,
                            "%s: no 'stats' object: not the output of the json callback", r->path);
    if (stats->len > MAX_HOSTS)
        return pl_error_set(err, PL_E_TOOBIG, "%s: more than %d hosts", r->path, MAX_HOSTS);
    r->jobs = pl_xcalloc(stats->len + 1, sizeof(*r->jobs));
    for (const struct pl_json *h = stats->child; h; h = h->next, i++) {
        struct pl_handoff_job *j = &r->jobs[i];
        if (h->type != PL_JSON_OBJECT || strlen(h->key) >= sizeof(j->host))
            return pl_error_set(err, PL_E_PARSE, "%s: stats: bad entry for a host", r->path);
        memcpy(j->host, h->key, strlen(h->key) + 1);
        if (stat_field(r, h, "ok", &j->ok, err) != PL_OK ||
            stat_field(r, h, "changed", &j->changed, err) != PL_OK ||
            stat_field(r, h, "failures", &j->failed, err) != PL_OK ||
            stat_field(r, h, "unreachable", &j->unreachable, err) != PL_OK ||
            stat_field(r, h, "skipped", &j->skipped, err) != PL_OK)
            return PL_E_PARSE;
    }
    r->n = i;
    qsort(r->jobs, r->n, sizeof(*r->jobs), job_cmp);
    return PL_OK;
}

pl_status pl_handoff_ansible_results(const char *path, struct pl_handoff_job **jobs, size_t *n,
                                     struct pl_error *err)
{
    struct results r = {.path = path};
    struct pl_json_stream_opts so = {
        .records_path = NULL, .max_record = RESULTS_MAX, .on_record = on_doc, .data = &r};
    struct pl_reader *rd = NULL;
    pl_status rc = pl_reader_open(path, RESULTS_MAX, &rd, err);

    if (rc == PL_OK)
        rc = pl_json_stream(rd, &so, err);
    pl_reader_close(rd);
    if (rc == PL_OK && r.jobs == NULL)
        rc = pl_error_set(err, PL_E_PARSE, "%s: empty results", path);
    if (rc != PL_OK) {
        free(r.jobs);
        return rc;
    }
    *jobs = r.jobs;
    *n = r.n;
    return PL_OK;
}

/* environ minus the variables we set, plus ours; the strings are borrowed. */
static const char **run_env(void)
{
    static const char *const ours[] = {"ANSIBLE_STDOUT_CALLBACK=json", "ANSIBLE_NOCOLOR=1",
                                       "ANSIBLE_RETRY_FILES_ENABLED=0", NULL};
    size_t n = 0, k = 0;
    while (environ[n])
        n++;
    const char **env = pl_xcalloc(n + PL_ARRAY_LEN(ours) + 1, sizeof(*env));
    for (size_t i = 0; i < n; i++) {
        bool mine = false;
        for (size_t j = 0; ours[j]; j++)
            mine = mine || strncmp(environ[i], ours[j], strcspn(ours[j], "=") + 1) == 0;
        if (!mine)
            env[k++] = environ[i];
    }
    for (size_t j = 0; ours[j]; j++)
        env[k++] = ours[j];
    return env;
}

static pl_status save(const char *path, const struct pl_buf *b, struct pl_error *err)
{
    return pl_file_write(NULL, path, pl_buf_cstr(b), b->len, 0666, err);
}

pl_status pl_handoff_ansible_run(const char *inventory, const char *playbook,
                                 const char *const *extra, size_t n_extra, const char *results_path,
                                 struct pl_handoff_job **jobs, size_t *n, int *exit_code,
                                 struct pl_error *err)
{
    const char **argv = pl_xcalloc(n_extra + 5, sizeof(*argv));
    const char **env = run_env();
    struct pl_spawn_opts so = {.out_max = RESULTS_MAX, .timeout_ms = RUN_TIMEOUT_MS};
    struct pl_spawn_result res = {0};
    struct pl_buf out = PL_BUF_INIT(RESULTS_MAX), errout = PL_BUF_INIT((size_t)1024 * 1024);
    size_t k = 0;
    pl_status rc;

    argv[k++] = "ansible-playbook";
    argv[k++] = "-i";
    argv[k++] = inventory;
    for (size_t i = 0; i < n_extra; i++)
        argv[k++] = extra[i];
    argv[k++] = playbook;
    so.env = env;
    rc = pl_spawn_run(argv, &so, &out, &errout, &res, err);
    if (rc == PL_OK && (res.signal || res.timed_out)) {
        char why[96];
        rc = pl_error_set(err, PL_E_IO, "ansible-playbook %s",
                          pl_spawn_describe(&res, &so, why, sizeof(why)));
    }
    if (rc == PL_OK)
        rc = save(results_path, &out, err);
    if (rc == PL_OK) {
        *exit_code = res.exit_code;
        rc = pl_handoff_ansible_results(results_path, jobs, n, err);
        if (rc != PL_OK && errout.len)
            pl_error_prefix(err, "ansible-playbook exited with status %d (%.80s)", res.exit_code,
                            pl_buf_cstr(&errout));
    }
    pl_buf_release(&out);
    pl_buf_release(&errout);
    free(argv);
    free(env);
    return rc;
}

void pl_handoff_run_release(struct pl_handoff_run *r)
{
    for (size_t i = 0; i < r->n_waves; i++) {
        free(r->waves[i].id);
        free(r->waves[i].jobs);
    }
    free(r->waves);
    *r = (struct pl_handoff_run){0};
}

pl_status pl_handoff_ansible_run_waves(const struct pl_handoff_plan *plan, const char *outdir,
                                       const char *const *extra, size_t n_extra,
                                       struct pl_handoff_run *out, struct pl_error *err)
{
    struct pl_buf id = PL_BUF_INIT(512), inv = PL_BUF_INIT(8192), book = PL_BUF_INIT(8192),
                  res = PL_BUF_INIT(8192);
    pl_status rc = PL_OK;

    *out = (struct pl_handoff_run){0};
    if (plan->n_waves)
        out->waves = pl_xcalloc(plan->n_waves, sizeof(*out->waves));
    pl_buf_addf(&book, "%s/ansible/patch.yml", outdir);
    for (size_t w = 0; w < plan->n_waves && !out->halted; w++) {
        struct pl_handoff_wave_run *r = &out->waves[out->n_waves];
        int status = 0;

        pl_buf_reset(&id);
        pl_buf_reset(&inv);
        pl_buf_reset(&res);
        pl_handoff_wave_id(&plan->waves[w], &id);
        pl_buf_addf(&inv, "%s/ansible/inventory/%s.yml", outdir, pl_buf_cstr(&id));
        pl_buf_addf(&res, "%s/ansible/results-%s.json", outdir, pl_buf_cstr(&id));
        rc = pl_handoff_ansible_run(pl_buf_cstr(&inv), pl_buf_cstr(&book), extra, n_extra,
                                    pl_buf_cstr(&res), &r->jobs, &r->n_jobs, &status, err);
        if (rc != PL_OK)
            break;
        r->id = pl_xstrdup(pl_buf_cstr(&id));
        out->n_waves++;
        for (size_t j = 0; j < r->n_jobs; j++)
            if (r->jobs[j].failed || r->jobs[j].unreachable)
                r->failed = true;
        /* a failed wave halts the rollout: the next rings wait for a person */
        out->halted = r->failed;
    }
    pl_buf_release(&id);
    pl_buf_release(&inv);
    pl_buf_release(&book);
    pl_buf_release(&res);
    return rc;
}
