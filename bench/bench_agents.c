/*
 * bench_agents.c - a load client for the agent routes: N simulated agents
 * against one `patchline serve` on loopback. Phases: enrolment, first full
 * uploads, then check-ins (a delta upload of two changed packages and a job
 * poll each). Prints requests per second and latency percentiles per phase.
 *
 * Usage: bench_agents STORE URL AGENTS THREADS PACKAGES ROUNDS
 * The enrolment tokens are made first, in one transaction on STORE, through
 * the library (pl_fleet_token_create), before any request is timed.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "patchline/fleet.h"
#include "patchline/parse.h"
#include "patchline/store.h"

struct sim {
    char host[32];
    char tok[PL_FLEET_TOKEN_LEN + 1];
    char cred[PL_FLEET_TOKEN_LEN + 1];
    int round; /* the package list the server holds: round r */
    bool ok;
};

static struct sim *sims;
static size_t n_sims, n_pkgs;
static const char *base_url;
static size_t next_sim;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static double *lat;
static size_t n_lat, cap_lat, errors;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t sink(char *p, size_t size, size_t n, void *data)
{
    pl_buf_add(data, p, size * n);
    return size * n;
}

/* One request on the thread's handle; records its latency. Returns the HTTP status. */
static long request(CURL *c, const char *path, const char *bearer, const char *body,
                    struct pl_buf *out)
{
    char url[512], auth[128];
    struct curl_slist *h = NULL;
    long status = 0;
    double t0 = now_s(), dt;

    snprintf(url, sizeof(url), "%s%s", base_url, path);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", bearer);
    h = curl_slist_append(h, auth);
    pl_buf_reset(out);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    dt = now_s() - t0;
    pthread_mutex_lock(&mu);
    lat = pl_xgrow(lat, n_lat, &cap_lat, 1024, sizeof(*lat));
    lat[n_lat++] = dt;
    if (status != 200)
        errors++;
    pthread_mutex_unlock(&mu);
    return status;
}

/* Agent i's packages in round r: every package at 1.0-1, two of them raised r times. */
static void packages(size_t i, int r, struct pl_package_list *l)
{
    for (size_t k = 0; k < n_pkgs; k++) {
        struct pl_package *p = pl_package_list_add(l);
        char name[32], ver[32];
        bool moved = r > 0 && (k == (i + (size_t)r) % n_pkgs || k == (i * 7 + 3) % n_pkgs);

        snprintf(name, sizeof(name), "pkg-%05zu", k);
        snprintf(ver, sizeof(ver), "1.0-%d", moved ? 1 + r : 1);
        p->ecosystem = pl_xstrdup("dpkg");
        p->name = pl_xstrdup(name);
        p->arch = pl_xstrdup("amd64");
        p->version = pl_xstrdup(ver);
    }
}

static char *upload_body(const struct sim *s, size_t i, int r)
{
    struct pl_package_list now = {NULL, 0, 0}, base = {NULL, 0, 0};
    struct pl_fleet_facts f = {s->host,    s->host, NULL,    "debian", "debian", "12",
                               "bookworm", "amd64", "6.1.0", "dpkg",   0};
    struct pl_buf b = PL_BUF_INIT(0);
    char digest[PL_FLEET_DIGEST_HEX_LEN + 1];

    packages(i, r, &now);
    if (s->round >= 0) {
        packages(i, s->round, &base);
        pl_fleet_digest(&base, digest);
    }
    pl_fleet_upload_body(&f, &now, s->round >= 0 ? &base : NULL, s->round >= 0 ? digest : NULL, &b);
    pl_package_list_release(&now);
    pl_package_list_release(&base);
    return pl_buf_detach(&b, NULL);
}

static int phase;      /* 0: enrol; else upload list round `list` (and poll from phase 2) */
static int list_round; /* the package list uploaded in this phase */

static void work(CURL *c, size_t i, struct pl_buf *out)
{
    struct sim *s = &sims[i];
    char path[160], body[96];
    char *up;

    if (phase == 0) {
        snprintf(body, sizeof(body), "{\"host\": \"%s\"}", s->host);
        if (request(c, "/api/v1/agents/enroll", s->tok, body, out) == 200) {
            const char *p = strstr(pl_buf_cstr(out), "pla_");

            if (p && strlen(p) >= PL_FLEET_TOKEN_LEN) {
                memcpy(s->cred, p, PL_FLEET_TOKEN_LEN);
                s->ok = true;
            }
        }
        return;
    }
    if (!s->ok)
        return;
    snprintf(path, sizeof(path), "/api/v1/agents/%s/inventory", s->host);
    up = upload_body(s, i, list_round);
    if (request(c, path, s->cred, up, out) == 200)
        s->round = list_round;
    free(up);
    if (phase >= 2) {
        snprintf(path, sizeof(path), "/api/v1/agents/%s/jobs", s->host);
        request(c, path, s->cred, NULL, out);
    }
}

static void *worker(void *arg)
{
    CURL *c = curl_easy_init();
    struct pl_buf out = PL_BUF_INIT(0);

    (void)arg;
    for (;;) {
        size_t i;

        pthread_mutex_lock(&mu);
        i = next_sim++;
        pthread_mutex_unlock(&mu);
        if (i >= n_sims)
            break;
        work(c, i, &out);
    }
    pl_buf_release(&out);
    curl_easy_cleanup(c);
    return NULL;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void run_phase(const char *name, int threads, size_t per_agent)
{
    pthread_t t[64];
    double t0 = now_s(), dt;

    n_lat = 0;
    errors = 0;
    next_sim = 0;
    for (int k = 0; k < threads; k++)
        pthread_create(&t[k], NULL, worker, NULL);
    for (int k = 0; k < threads; k++)
        pthread_join(t[k], NULL);
    dt = now_s() - t0;
    qsort(lat, n_lat, sizeof(*lat), cmp_d);
    printf("%-22s %6zu agents %7zu requests %6.1f s  %8.1f check-ins/s %8.1f req/s  p50 %6.1f ms"
           "  p99 %6.1f ms  errors %zu\n",
           name, n_sims, n_lat, dt, (double)n_lat / (double)per_agent / dt, (double)n_lat / dt,
           n_lat ? lat[n_lat / 2] * 1000 : 0,
           n_lat ? lat[(size_t)((double)n_lat * 0.99)] * 1000 : 0, errors);
    fflush(stdout);
}

static int setup(const char *store_path)
{
    struct pl_store *s = NULL;
    struct pl_error err = PL_ERROR_INIT;
    double t0 = now_s();
    int64_t id;

    if (pl_store_open(store_path, 0, &s, &err) != PL_OK || pl_store_begin(s, &err) != PL_OK) {
        fprintf(stderr, "bench_agents: %s\n", err.msg);
        pl_store_close(s);
        return 1;
    }
    for (size_t i = 0; i < n_sims; i++) {
        snprintf(sims[i].host, sizeof(sims[i].host), "sim-%06zu", i);
        sims[i].round = -1;
        if (pl_fleet_token_create(s, 3600, NULL, 0, pl_clock_now(), sims[i].tok, &id, &err) !=
            PL_OK) {
            fprintf(stderr, "bench_agents: %s\n", err.msg);
            pl_store_rollback(s);
            pl_store_close(s);
            return 1;
        }
    }
    if (pl_store_commit(s, &err) != PL_OK) {
        fprintf(stderr, "bench_agents: %s\n", err.msg);
        pl_store_close(s);
        return 1;
    }
    pl_store_close(s);
    printf("setup: %zu enrolment tokens in %.1f s\n", n_sims, now_s() - t0);
    return 0;
}

int main(int argc, char **argv)
{
    int64_t n = 0, threads = 0, pk = 0, rounds = 0;

    if (argc != 7 || pl_parse_i64(argv[3], &n, NULL) != PL_OK ||
        pl_parse_i64(argv[4], &threads, NULL) != PL_OK || pl_parse_i64(argv[5], &pk, NULL) ||
        pl_parse_i64(argv[6], &rounds, NULL) != PL_OK || n < 1 || threads < 1 || threads > 64 ||
        pk < 3 || rounds < 1) {
        fprintf(stderr, "usage: bench_agents STORE URL AGENTS THREADS PACKAGES ROUNDS\n");
        return 2;
    }
    n_sims = (size_t)n;
    n_pkgs = (size_t)pk;
    base_url = argv[2];
    sims = pl_xcalloc(n_sims, sizeof(*sims));
    if (setup(argv[1]) != 0)
        return 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    phase = 0;
    run_phase("enrol", (int)threads, 1);
    phase = 1;
    list_round = 0;
    run_phase("first upload (full)", (int)threads, 1);
    for (int r = 1; r <= rounds; r++) {
        phase = 2;
        list_round = r;
        run_phase("check-in, 2-4 changed", (int)threads, 2);
        run_phase("check-in, unchanged", (int)threads, 2);
    }
    curl_global_cleanup();
    free(sims);
    free(lat);
    return 0;
}
