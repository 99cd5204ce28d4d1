/*
 * cmd_demo.c - `patchline demo`: the whole pipeline on a bundled sample
 * estate, offline, in a folder of its own.
 *
 * Each stage runs as the same `patchline` command a user would type (this
 * binary, spawned with an argv array), against a fresh store in the output
 * folder, with one --now for every stage. Each stage's full output goes to
 * OUT/logs/NN-stage.log; the console shows one line per stage. One stage is not a
 * command: the canary's throwaway root, which the library builds (pl_apply_sandbox_make).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "patchline/apply.h"
#include "patchline/file.h"
#include "patchline/parse.h"
#include "patchline/spawn.h"

#include "cli_int.h"

static const char demo_usage[] =
    "usage: patchline demo [-o DIR] [--assets N] [--no-host]\n"
    "Run the whole pipeline offline on a bundled sample estate: import real feed snapshots\n"
    "(KEV, EPSS, Vulnrichment, the Debian 12 tracker data, AlmaLinux OSV, Amazon Linux\n"
    "2023 ALAS, Ubuntu notices and tracker statuses, Microsoft updates), generate a\n"
    "deterministic estate (default 60 assets: on-prem, cloud, Kubernetes, images; prod,\n"
    "staging, dev) with real Debian 12 package versions, plus Amazon Linux 2023 and Ubuntu\n"
    "22.04/24.04 hosts, eight Windows hosts and two Lambda functions, and replay a quarter\n"
    "with the library's own commands at past --now times: the estate every two weeks with\n"
    "fixes landing, KEV as it stood each day, hosts joining with known-exploited holes\n"
    "patched within 24 hours (most) or later, compensating controls signed off by a second\n"
    "user (one expiring), a network scan finding unmanaged hosts. Then collect this host,\n"
    "plan the rollout and forecast SLA misses, dry-run a patch, write the Ansible and AWS\n"
    "SSM hand-offs, and write the reports. The clock is 2024-08-27 unless --now sets one:\n"
    "the quarter then has KEV additions (by their dateAdded) of the hosts' kernels.\n"
    "Everything lands in DIR (default\n"
    "./patchline-demo): the store, report.html, the hand-offs and one log per stage.\n"
    "The folder's store is replaced on every run. Needs no network. As root, a canary\n"
    "rollout runs for real on a throwaway Debian root in DIR/canary: its health check\n"
    "fails and the executor rolls the package back (without root that step is skipped).\n";

#define MAX_ARGS 24
#define N_FEEDS  13

/* One stage: a title, its arguments after the global ones, and what it may exit with. */
struct stage {
    const char *name, *title;
    const char *args[MAX_ARGS];
    int ok_codes;  /* bit mask of accepted exit codes (bit 0: exit 0) */
    bool optional; /* a failure is reported and the demo goes on */
    int ago;       /* run with the clock this many days before --now (a history) */
    int how;       /* STAGE_TOKEN: keep the token it prints; STAGE_AS: act with that token */
    int later;     /* ...and this many hours later */
};

/* STAGE_SANDBOX: build the canary's throwaway root (the library's, in this process) */
enum { STAGE_TOKEN = 1, STAGE_AS = 2, STAGE_SANDBOX = 3 };

struct demo {
    const char *out;
    char self[4096];
    pl_time_t now;
    char now_s[PL_TIME_STR_LEN];
    struct pl_buf db, logdir, feeds[N_FEEDS], token;
    struct pl_buf sandbox, sandbox_root, canary_conf, canary_plan;
    bool canary;           /* running as root: the canary rollout runs for real */
    bool skipped;          /* the canary's root could not be built: its stages are skipped */
    char main_plan[8];     /* the 30-day plan's id (after the canary's, when there is one) */
    char canary_map[4200]; /* canary-01=ROOT, for --asset-root */
    int step, steps;
    char nums[512][24]; /* numbers of stage arguments ("0.05", "62") */
    size_t n_nums;
};

/* A number as a stage argument, kept in d for the run ("%g" of v). */
static const char *num(struct demo *d, double v)
{
    if (d->n_nums == PL_ARRAY_LEN(d->nums))
        PL_BUG("demo: too many stage numbers");
    snprintf(d->nums[d->n_nums], sizeof(d->nums[0]), "%g", v);
    return d->nums[d->n_nums++];
}

/* Make dir (one level) unless it exists. */
static int make_dir(const char *dir)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        pl__cli_warn("demo: cannot create '%s': %s", dir, strerror(errno));
        return PL_EXIT_ERROR;
    }
    return PL_EXIT_OK;
}

/* The last non-empty line of text, for the console summary. */
static void last_line(const char *text, size_t len, char *line, size_t size)
{
    size_t end = len, start;

    while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r'))
        end--;
    start = end;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    if (end - start >= size)
        end = start + size - 1;
    memcpy(line, text + start, end - start);
    line[end - start] = '\0';
}

static int write_log(const struct demo *d, const struct stage *st, const struct pl_buf *out,
                     const struct pl_buf *errout)
{
    struct pl_buf path = PL_BUF_INIT(0);
    FILE *fp;
    int rc = PL_EXIT_OK;

    pl_buf_addf(&path, "%s/%02d-%s.log", pl_buf_cstr(&d->logdir), d->step, st->name);
    if (pl_file_create(pl_buf_cstr(&path), 0666, &fp, NULL) != PL_OK)
        fp = NULL;
    if (fp == NULL || fwrite(pl_buf_cstr(out), 1, out->len, fp) != out->len ||
        fwrite(pl_buf_cstr(errout), 1, errout->len, fp) != errout->len) {
        pl__cli_warn("demo: cannot write '%s'", pl_buf_cstr(&path));
        rc = PL_EXIT_ERROR;
    }
    if (fp && fclose(fp) != 0)
        rc = PL_EXIT_ERROR;
    pl_buf_release(&path);
    return rc;
}

/* The environment with PATCHLINE_TOKEN set to the kept token (the second principal). */
static const char **token_env(const struct demo *d, struct pl_buf *var)
{
    extern char **environ;
    size_t n = 0, k = 0;
    const char **env;

    while (environ[n])
        n++;
    env = pl_xcalloc(n + 2, sizeof(*env));
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "PATCHLINE_TOKEN=", 16) != 0)
            env[k++] = environ[i];
    pl_buf_addf(var, "PATCHLINE_TOKEN=%s", pl_buf_cstr(&d->token));
    env[k++] = pl_buf_cstr(var);
    env[k] = NULL;
    return env;
}

/*
 * The canary's throwaway root, built by the library under OUT/canary (as root only: dpkg
 * chroots into it), and the apply config whose health check fails. Not root: said so,
 * and the canary's stages are skipped (no rollout is recorded, none is faked).
 */
static int run_sandbox(struct demo *d, const struct stage *st)
{
    struct pl_error err = PL_ERROR_INIT;
    pl_time_t t0 = pl_clock_real();
    static const char conf[] =
        "# the demo's canary: this health check fails, so the executor rolls back\n"
        "health = [\"/usr/bin/test\", \"-e\", \"/run/patchline-demo/app-healthy\"]\n";

    d->step++;
    printf("[%2d/%d] %-44s ", d->step, d->steps, st->title);
    fflush(stdout);
    if (st->how != STAGE_SANDBOX) {
        printf("skipped\n");
        return PL_EXIT_OK;
    }
    if (!d->canary) {
        d->skipped = true;
        snprintf(d->main_plan, sizeof(d->main_plan), "1");
        pl__cli_line(stdout, "skipped: the throwaway root needs root (dpkg chroots into it); "
                             "no canary rollout in this run");
        return PL_EXIT_OK;
    }
    if (pl_apply_sandbox_make(pl_buf_cstr(&d->sandbox), "canary-01", &err) != PL_OK ||
        pl_file_write(NULL, pl_buf_cstr(&d->canary_conf), conf, sizeof(conf) - 1, 0644, &err) !=
            PL_OK) {
        printf("skipped\n");
        pl__cli_line(stderr, "    %s (the canary's stages are skipped)", err.msg);
        d->skipped = true;
        snprintf(d->main_plan, sizeof(d->main_plan), "1");
        return PL_EXIT_OK;
    }
    pl__cli_line(stdout, "%lds  %s: tar 1.34+dfsg-1.2 installed, the fix in its repository",
                 (long)(pl_clock_real() - t0), pl_buf_cstr(&d->sandbox_root));
    return PL_EXIT_OK;
}

static int run_stage(struct demo *d, const struct stage *st)
{
    const char *argv[MAX_ARGS + 8];
    struct pl_buf out = PL_BUF_INIT(0), errout = PL_BUF_INIT(0), var = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    struct pl_spawn_result res;
    struct pl_spawn_opts so = {0};
    char line[96], how[64], when[PL_TIME_STR_LEN];
    const char **env = NULL;
    size_t n = 0;
    int rc = PL_EXIT_OK;
    pl_time_t t0 = pl_clock_real();

    if (st->how == STAGE_SANDBOX || (d->skipped && strncmp(st->name, "canary", 6) == 0))
        return run_sandbox(d, st);
    argv[n++] = d->self;
    argv[n++] = "--db";
    argv[n++] = pl_buf_cstr(&d->db);
    argv[n++] = "--now";
    argv[n++] = pl_time_format(d->now - (pl_time_t)st->ago * 86400 + st->later * 3600, when);
    for (size_t i = 0; i < MAX_ARGS && st->args[i]; i++)
        argv[n++] = st->args[i];
    argv[n] = NULL;
    if (st->how == STAGE_AS)
        so.env = env = token_env(d, &var);
    d->step++;
    printf("[%2d/%d] %-44s ", d->step, d->steps, st->title);
    fflush(stdout);
    if (pl_spawn_run(argv, &so, &out, &errout, &res, &err) != PL_OK) {
        printf("failed\n");
        rc = pl__cli_fail(NULL, "demo", &err);
        goto done;
    }
    if (st->how == STAGE_TOKEN && res.exit_code == 0) { /* the token: kept, never logged */
        last_line(pl_buf_cstr(&out), out.len, line, sizeof(line));
        pl_buf_reset(&d->token);
        pl_buf_adds(&d->token, line);
        pl_buf_reset(&out);
        pl_buf_adds(&out, "token created (not logged)\n");
    }
    if (write_log(d, st, &out, &errout) != PL_EXIT_OK) {
        rc = PL_EXIT_ERROR;
        goto done;
    }
    if (res.exit_code < 0 || res.exit_code > 7 || !(st->ok_codes & (1 << res.exit_code))) {
        printf("%s\n", st->optional ? "skipped" : "FAILED");
        last_line(pl_buf_cstr(&errout), errout.len, line, sizeof(line));
        pl__cli_line(stderr, "    %s (%s; log: %s/%02d-%s.log)", line,
                     pl_spawn_describe(&res, NULL, how, sizeof(how)), pl_buf_cstr(&d->logdir),
                     d->step, st->name);
        rc = st->optional ? PL_EXIT_OK : PL_EXIT_ERROR;
        goto done;
    }
    last_line(pl_buf_cstr(&out), out.len, line, sizeof(line));
    pl__cli_line(stdout, "%lds  %s", (long)(pl_clock_real() - t0), line);
done:
    free((void *)env);
    pl_buf_release(&var);
    pl_buf_release(&out);
    pl_buf_release(&errout);
    return rc;
}

static const char *const feed_files[N_FEEDS][2] = {
    {"kev", "feeds/kev.json.xz"},
    {"epss", "feeds/epss_scores-2026-08-16.csv.gz"},
    {"vulnrichment", "feeds/vulnrichment-subset.jsonl.xz"},
    {"debian", "feeds/debian-bookworm-tracker.json.gz"},
    {"osv", "feeds/almalinux-osv.jsonl.xz"},
    {"msrc", "feeds/msrc"},                      /* four monthly MSRC documents */
    {"windows", "windows-estate.json"},          /* Windows hosts 0-3 cumulative updates behind */
    {"alas", "feeds/alas2023-subset.jsonl.xz"},  /* Amazon Linux 2023 ALAS */
    {"ubuntu-osv", "feeds/ubuntu-osv.jsonl.xz"}, /* two Ubuntu notices (OSV) */
    {"ubuntu-cve", "feeds/ubuntu-cve-CVE-2025-21984.json.xz"}, /* Ubuntu CVE tracker page */
    {"linux", "linux-estate.tsv.xz"},        /* the Amazon Linux and Ubuntu hosts' package sets */
    {"nmap", "nmap-discovery.xml"},          /* a network scan: hosts nobody manages */
    {"lambda", "aws-lambda-functions.json"}, /* one function on an end-of-life runtime */
};

/* Resolve the bundled files, the binary and the folders; start from a fresh store. */
static int prepare(struct demo *d)
{
    struct pl_error err = PL_ERROR_INIT;
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    ssize_t n = readlink("/proc/self/exe", d->self, sizeof(d->self) - 1);
    char abs_out[PATH_MAX];

    if (n <= 0) {
        fprintf(stderr, "patchline: demo: cannot find its own binary\n");
        return PL_EXIT_ERROR;
    }
    d->self[n] = '\0';
    for (size_t i = 0; i < PL_ARRAY_LEN(feed_files); i++) {
        pl_buf_init(&d->feeds[i], 4096);
        if (pl_data_path(feed_files[i][1], &d->feeds[i], &err) != PL_OK)
            return pl__cli_fail(NULL, "demo", &err);
    }
    if (make_dir(d->out) != PL_EXIT_OK)
        return PL_EXIT_ERROR;
    pl_buf_addf(&d->logdir, "%s/logs", d->out);
    if (make_dir(pl_buf_cstr(&d->logdir)) != PL_EXIT_OK)
        return PL_EXIT_ERROR;
    for (size_t i = 0; i < PL_ARRAY_LEN(suffixes); i++) {
        struct pl_buf f = PL_BUF_INIT(0);

        pl_buf_addf(&f, "%s/patchline.db%s", d->out, suffixes[i]);
        if (unlink(pl_buf_cstr(&f)) != 0 && errno != ENOENT) {
            pl__cli_warn("demo: cannot replace '%s': %s", pl_buf_cstr(&f), strerror(errno));
            pl_buf_release(&f);
            return PL_EXIT_ERROR;
        }
        pl_buf_release(&f);
    }
    pl_buf_addf(&d->db, "%s/patchline.db", d->out);
    if (realpath(d->out, abs_out) == NULL) {
        pl__cli_warn("demo: cannot resolve '%s': %s", d->out, strerror(errno));
        return PL_EXIT_ERROR;
    }
    pl_buf_addf(&d->sandbox, "%s/canary", abs_out);
    pl_buf_addf(&d->sandbox_root, "%s/canary/root", abs_out);
    pl_buf_addf(&d->canary_conf, "%s/canary-apply.conf", d->out);
    snprintf(d->canary_map, sizeof(d->canary_map), "canary-01=%s", pl_buf_cstr(&d->sandbox_root));
    if (pl_data_path("demo-canary-plan.yaml", &d->canary_plan, &err) != PL_OK)
        return pl__cli_fail(NULL, "demo", &err);
    d->canary = geteuid() == 0;
    snprintf(d->main_plan, sizeof(d->main_plan), "%s", d->canary ? "2" : "1");
    return PL_EXIT_OK;
}

/*
 * The quarter's history: the estate every two weeks from 90 days ago, fewer packages
 * behind each time (fixes landing, most in the first month, then a patch push in August
 * that leaves 2 % of the updates missing), scanned and snapshotted,
 * with the KEV catalogue as it stood that day. A share only falls, and each package's
 * draw depends on its asset alone, so each estate has every update of the one before.
 * A week before each step but the first, two Amazon Linux / Ubuntu hosts join, built
 * from the release image (every update missing, known-exploited ones among them); the
 * emergency patching 20 hours later updates most packages, later steps the rest.
 */
/*
 * The Amazon Linux and Ubuntu hosts follow a share of their own (linux_behind: an Amazon
 * Linux kernel is one of their packages); a step with an emergency share (em_behind)
 * patches them down to it 16 hours later (EMERGENCY_AT). With the demo's own clock
 * (DEMO_CLOCK) the step 20 days back falls on the day CISA added a kernel flaw of the
 * Amazon Linux hosts to KEV (CVE-2024-36971, 2024-08-07): three hosts are patched within
 * 24 hours, one at the next step, and a host that joins a week later keeps it open.
 *
 * The first LINUX_BASE hosts are there from the start; a week before each later step a
 * pair of hosts joins (hosts LINUX_BASE + 2 * pair and the next: an Amazon Linux instance
 * and an Ubuntu host). Their emergency patching 20 hours later leaves join_behind of their
 * updates missing; they stay there for `hold` steps, then follow the estate's share but
 * never fall behind their own, and from their second step on their owners' patching
 * brings them to `settle`. The programme gets more thorough month by month: June's pairs
 * keep 30 % of their updates missing for two steps, July's 20 % for one step and then 8 %,
 * August's 6 % and 4.5 %; so each tier's SLA compliance improves over the quarter (tests/
 * cli/demo_sla.py checks it). The pairs join in an order that puts hosts with Tier 1 and
 * Tier 2 findings in every month. Every share only falls for every host, so no finding
 * reopens.
 */
enum { LINUX_BASE = 60 };

static const struct {
    int ago;
    const char *behind, *kernel_behind;
    double linux_behind, em_behind; /* em_behind 0: no emergency that day */
    int pair;                       /* the pair that joins a week before (-1: none) */
    double join_behind;             /* what its emergency patching leaves */
    int hold;                       /* steps it stays there (the rest left to a later cycle) */
    double settle;                  /* its owners' patching from its second step on */
} history[] = {
    {92, "0.30", "0.60", 0.30, 0, -1, 0, 0, 1},
    {76, "0.16", "0.45", 0.16, 0, 5, 0.30, 2, 1},
    {62, "0.11", "0.40", 0.15, 0, 3, 0.30, 2, 1},
    {48, "0.10", "0.36", 0.15, 0, 2, 0.20, 0, 0.08},
    {34, "0.09", "0.33", 0.13, 0, 4, 0.20, 0, 0.08},
    {20, "0.08", "0.30", 0.13, 0.08, 1, 0.06, 0, 0.06},
    {6, "0.02", "0.28", 0.06, 0, 0, 0.045, 0, 0.045},
};

/* Hours after a step that its emergency patching lands (within 24 h of the KEV date). */
enum { EMERGENCY_AT = 16 };

/*
 * The demo's clock unless --now sets one: a quarter the bundled KEV snapshot (2025-08-25)
 * covers and in which CISA added flaws of the demo's hosts, so that KEV entries arrive
 * by their real dateAdded during the replay.
 */
#define DEMO_CLOCK "2024-08-27T06:00:00Z"

static void add(struct stage *st, size_t *n, struct stage s)
{
    st[(*n)++] = s;
}

/* The day's feeds: KEV as it stood (every step), the rest at the first. */
static void add_feeds(struct demo *d, size_t h, struct stage *st, size_t *n, const char *kev_at)
{
    static const char *const kinds[][3] = {
        {"epss", "epss", "import FIRST EPSS"},
        {"vulnrichment", "vulnrichment", "import CISA Vulnrichment"},
        {"debian", "debian", "import Debian 12 fixed versions"},
        {"osv", "osv", "import AlmaLinux OSV advisories"},
        {"alas", "updateinfo", "import Amazon Linux 2023 advisories"},
        {"ubuntu", "osv", "import Ubuntu security notices (OSV)"},
        {"ubuntu-cve", "ubuntu-cve", "import the Ubuntu CVE tracker page"},
    };
    static const int file[] = {1, 2, 3, 4, 7, 8, 9};
    int ago = history[h].ago;

    add(st, n,
        (struct stage){
            "kev",
            h == 0 ? "import CISA KEV as it stood that day" : "CISA KEV as it stood",
            {"feed", "import", "--as-of", kev_at, "kev", pl_buf_cstr(&d->feeds[0]), NULL},
            1,
            false,
            ago,
            0,
            0});
    for (size_t k = 0; h == 0 && k < PL_ARRAY_LEN(kinds); k++)
        add(st, n,
            (struct stage){kinds[k][0],
                           kinds[k][2],
                           {"feed", "import", kinds[k][1], pl_buf_cstr(&d->feeds[file[k]]), NULL},
                           1,
                           false,
                           ago,
                           0,
                           0});
}

/* The Linux hosts' share once step h (and its emergency patching) is over. */
static double linux_behind_after(size_t h)
{
    return history[h].em_behind > 0 ? history[h].em_behind : history[h].linux_behind;
}

/* One synthesize stage for the Linux hosts [first, end) at share behind. */
static struct stage linux_stage(struct demo *d, const char *title, size_t first, size_t end,
                                double behind, const char *kernel, int ago, int later)
{
    return (struct stage){"linux",
                          title,
                          {"inventory", "synthesize", "--linux", "--sets",
                           pl_buf_cstr(&d->feeds[10]), "--assets", num(d, (double)end), "--first",
                           num(d, (double)first), "--behind", num(d, behind), "--kernel-behind",
                           kernel, NULL},
                          1,
                          false,
                          ago,
                          0,
                          later};
}

/*
 * The Linux hosts known by step h at share behind (kernels at kernel): the first
 * LINUX_BASE, then each pair that has joined, never further behind than its own share.
 */
static void add_linux(struct demo *d, size_t h, struct stage *st, size_t *n, const char *title,
                      double behind, const char *kernel, int ago, int later)
{
    add(st, n, linux_stage(d, title, 0, LINUX_BASE, behind, kernel, ago, later));
    for (size_t j = 1; j <= h; j++) {
        size_t first = LINUX_BASE + 2 * (size_t)history[j].pair;
        double b = history[j].join_behind;

        if (h - j >= (size_t)history[j].hold) { /* it follows the estate */
            b = behind < b ? behind : b;
            if (h > j && history[j].settle < b) /* its second step or later */
                b = history[j].settle;
        }

        add(st, n,
            linux_stage(d, "...each pair that joined, at its own pace", first, first + 2, b, kernel,
                        ago, later));
    }
}

/* A pair of hosts joins from the release image a week before step h; patched 20 h later. */
static void add_joiners(struct demo *d, size_t h, struct stage *st, size_t *n)
{
    size_t first = LINUX_BASE + 2 * (size_t)history[h].pair;
    int ago = history[h].ago + 7;

    add(st, n,
        linux_stage(d, "two hosts join, every update missing", first, first + 2, 1, "1", ago, 0));
    add(st, n,
        (struct stage){
            "scan", "...their findings, KEV ones Tier 0", {"scan", NULL}, 1, false, ago, 0, 0});
    add(st, n,
        linux_stage(d, "emergency patching, 20 hours later", first, first + 2,
                    history[h].join_behind, history[h - 1].kernel_behind, ago, 20));
    add(st, n,
        (struct stage){"scan", "...most fixed within 24 h", {"scan", NULL}, 1, false, ago, 0, 20});
}

/*
 * KEV entries added that day made kernel findings Tier 0: the Linux hosts' kernels are
 * patched 16 hours later (most within 24 h of the addition), the rest at a later step.
 */
static void add_emergency(struct demo *d, size_t h, struct stage *st, size_t *n)
{
    add_linux(d, h, st, n, "KEV additions: kernels patched 16 h later", history[h].em_behind,
              history[h].kernel_behind, history[h].ago, EMERGENCY_AT);
    add(st, n,
        (struct stage){"scan",
                       "...KEV arrivals fixed within 24 h",
                       {"scan", NULL},
                       1,
                       false,
                       history[h].ago,
                       0,
                       EMERGENCY_AT});
}

/* Two compensating controls, requested by the operator, signed off by a second principal. */
static void add_exceptions(struct stage *st, size_t *n, int ago)
{
    const struct stage ex[] = {
        {"user",
         "a risk owner who signs exceptions off",
         {"user", "add", "risk-owner", "--role", "approver", "--role", "risk-owner", NULL},
         1,
         false,
         ago,
         0,
         0},
        {"token",
         "...with a token of her own",
         {"token", "create", "risk-owner", "--expires", "180d", NULL},
         1,
         false,
         ago,
         STAGE_TOKEN,
         0},
        {"exception",
         "request a WAF rule for 30 days",
         {"exception", "add", "--type", "waf-rule", "--asset", "web-prod-db-0001", "--expires",
          "30d", "--justification",
          "the vendor's fix breaks the checkout; a WAF rule blocks the exploit paths", NULL},
         1,
         false,
         ago,
         0,
         0},
        {"exception",
         "request network segmentation for 90 days",
         {"exception", "add", "--type", "network-segmentation", "--asset", "data-prod-cache-0003",
          "--expires", "90d", "--justification",
          "cache nodes moved to an isolated VLAN until the storage upgrade", NULL},
         1,
         false,
         ago,
         0,
         0},
        {"approve",
         "the risk owner approves the WAF rule",
         {"exception", "approve", "1", NULL},
         1,
         false,
         ago,
         STAGE_AS,
         0},
        {"approve",
         "...and the segmentation",
         {"exception", "approve", "2", NULL},
         1,
         false,
         ago,
         STAGE_AS,
         0},
    };

    for (size_t k = 0; k < PL_ARRAY_LEN(ex); k++)
        add(st, n, ex[k]);
}

/* A known-exploited finding left behind: a WAF rule until the patch (mitigated, not patched). */
static void add_kev_control(struct stage *st, size_t *n, int ago)
{
    add(st, n,
        (struct stage){"exception",
                       "rate limits for an unpatched KEV (HTTP/2)",
                       {"exception", "add", "--type", "waf-rule", "--cve", "CVE-2023-44487",
                        "--asset", "ec2-al2023-payments-batch-0038", "--expires", "30d",
                        "--justification",
                        "the nginx update waits for the queue's release; the WAF limits HTTP/2 "
                        "stream resets",
                        NULL},
                       1,
                       false,
                       ago,
                       0,
                       0});
    add(st, n,
        (struct stage){"approve",
                       "...approved by the risk owner",
                       {"exception", "approve", "3", NULL},
                       1,
                       false,
                       ago,
                       STAGE_AS,
                       0});
}

/*
 * The canary, on the last step of the history: a throwaway Debian root (tar at its
 * release version) collected as asset canary-01 in prod, tagged canary, before the
 * step's scan; after it, a plan of its own (data/demo-canary-plan.yaml: only canary
 * assets have a window) whose canary wave the risk owner approves, and the rollout in
 * the same hour with an apply config whose health check fails: the executor upgrades tar,
 * the check fails, and it installs the old version back (dpkg, for real).
 */
static void add_canary_before_scan(struct demo *d, struct stage *st, size_t *n, int ago)
{
    add(st, n,
        (struct stage){"canary-root",
                       "a throwaway Debian root for a canary",
                       {NULL},
                       1,
                       false,
                       ago,
                       STAGE_SANDBOX,
                       0});
    add(st, n,
        (struct stage){"canary-collect",
                       "...collected as asset canary-01",
                       {"inventory", "collect", "--root", pl_buf_cstr(&d->sandbox_root), NULL},
                       1,
                       false,
                       ago,
                       0,
                       0});
    add(st, n,
        (struct stage){
            "canary-asset",
            "...in prod, tagged canary",
            {"assets", "set", "canary-01", "env=prod", "owner=platform", "tag+=canary", NULL},
            1,
            false,
            ago,
            0,
            0});
}

static void add_canary_rollout(struct demo *d, struct stage *st, size_t *n, int ago)
{
    const struct stage c[] = {
        {"canary-waive",
         "...no staging host runs its fix: soak waived",
         {"plan", "waive-soak", "tar", "1.34+dfsg-1.2+deb12u1", "--reason",
          "the canary host is the first to take it", NULL},
         1,
         false,
         ago,
         0,
         0},
        {"canary-plan",
         "...a plan with a canary wave",
         {"plan", "--plan", pl_buf_cstr(&d->canary_plan), "--horizon", "7d", NULL},
         1,
         false,
         ago,
         0,
         0},
        {"canary-approve",
         "...approved by the risk owner",
         {"plan", "approve", "1", NULL},
         1,
         false,
         ago,
         STAGE_AS,
         0},
        {"canary-rollout",
         "canary fails its health check: rolled back",
         {"apply", "--rollout", "1", "--asset-root", d->canary_map, "--config",
          pl_buf_cstr(&d->canary_conf), NULL},
         1 | 8, /* 3: the rollout halts on the failed canary */
         false,
         ago,
         0,
         0},
        {"canary-verify",
         "...its dpkg database read again: tar as before",
         {"inventory", "collect", "--root", pl_buf_cstr(&d->sandbox_root), NULL},
         1,
         false,
         ago,
         0,
         0},
    };

    for (size_t k = 0; k < PL_ARRAY_LEN(c); k++)
        add(st, n, c[k]);
}

/* Stages of the history and the day's events on it, appended to st at *n. */
static void add_history(struct demo *d, const char *assets, struct stage *st, size_t *n,
                        char kev_at[][PL_TIME_STR_LEN])
{
    for (size_t h = 0; h < PL_ARRAY_LEN(history); h++) {
        int ago = history[h].ago;

        if (h > 0)
            add_joiners(d, h, st, n);
        pl_time_format(d->now - (pl_time_t)ago * 86400, kev_at[h]);
        add_feeds(d, h, st, n, kev_at[h]);
        add(st, n,
            (struct stage){"estate",
                           h == 0 ? "the estate, a quarter ago" : "the estate, fixes landed",
                           {"inventory", "synthesize", "--assets", assets, "--behind",
                            history[h].behind, "--kernel-behind", history[h].kernel_behind, NULL},
                           1,
                           false,
                           ago,
                           0,
                           0});
        add_linux(d, h, st, n,
                  h == 0 ? "the Amazon Linux 2023 and Ubuntu hosts" : "...and Linux hosts",
                  history[h].linux_behind, history[h].kernel_behind, ago, 0);
        if (ago == 48) /* discovery finds machines nobody manages */
            add(st, n,
                (struct stage){"nmap",
                               "a network scan finds unmanaged hosts",
                               {"inventory", "import", "nmap", pl_buf_cstr(&d->feeds[11]), NULL},
                               1,
                               false,
                               ago,
                               0,
                               0});
        if (h + 1 == PL_ARRAY_LEN(history))
            add_canary_before_scan(d, st, n, ago);
        add(st, n, (struct stage){"scan", "match and tier", {"scan", NULL}, 1, false, ago, 0, 0});
        if (ago == 76)
            add_exceptions(st, n, ago);
        if (ago == 20)
            add_kev_control(st, n, ago);
        add(st, n,
            (struct stage){
                "snapshot", "snapshot the backlog", {"snapshot", NULL}, 1, false, ago, 0, 0});
        if (h + 1 == PL_ARRAY_LEN(history))
            add_canary_rollout(d, st, n, ago);
        if (history[h].em_behind > 0)
            add_emergency(d, h, st, n);
    }
}

/* NOLINTNEXTLINE(readability-function-size): most of its length is the stage table */
static int run_all(struct demo *d, const char *assets, bool host)
{
    struct pl_buf report = PL_BUF_INIT(0), quarter = PL_BUF_INIT(0), month = PL_BUF_INIT(0),
                  ansible = PL_BUF_INIT(0), ssm = PL_BUF_INIT(0), host_id = PL_BUF_INIT(0);
    char kev_at[PL_ARRAY_LEN(history) + 1][PL_TIME_STR_LEN];
    struct stage st[240];
    size_t n = 0;
    int rc = PL_EXIT_OK;

    /* this host by name: `inventory collect` names it after uname's node name (the
     * estate, discovery and the Linux hosts come before it, so its id is not fixed) */
    {
        struct utsname u;

        /* without a node name `inventory collect` fails too, and so does this dry run */
        if (uname(&u) == 0)
            pl_buf_adds(&host_id, u.nodename);
    }
    pl_buf_addf(&report, "%s/report.html", d->out);
    pl_buf_addf(&quarter, "%s/report-quarter.md", d->out);
    pl_buf_addf(&month, "%s/report-month.html", d->out);
    pl_buf_addf(&ansible, "%s/handoff", d->out);
    pl_buf_addf(&ssm, "%s/handoff", d->out);
    st[n++] =
        (struct stage){"init", "create the store", {"init", NULL}, 1, false, history[0].ago, 0, 0};
    add_history(d, assets, st, &n, kev_at);
    pl_time_format(d->now, kev_at[PL_ARRAY_LEN(history)]);
    {
        const struct stage today[] = {
            {"kev",
             "CISA KEV today",
             {"feed", "import", "--as-of", kev_at[PL_ARRAY_LEN(history)], "kev",
              pl_buf_cstr(&d->feeds[0]), NULL},
             1,
             false,
             0,
             0,
             0},
            {"estate",
             "the estate today",
             {"inventory", "synthesize", "--assets", assets, "--behind", "0.02", "--kernel-behind",
              "0.25", NULL},
             1,
             false,
             0,
             0,
             0},
            {"host", "collect this host", {"inventory", "collect", NULL}, 1, true, 0, 0, 0},
            {"msrc",
             "import Microsoft security updates",
             {"feed", "import", "msrc", pl_buf_cstr(&d->feeds[5]), NULL},
             1,
             false,
             0,
             0,
             0},
            {"windows",
             "the Windows servers and endpoints",
             {"inventory", "import", "windows", pl_buf_cstr(&d->feeds[6]), NULL},
             1,
             false,
             0,
             0,
             0},
            {"lambda",
             "AWS Lambda functions (an end-of-life runtime)",
             {"inventory", "import", "aws-lambda", pl_buf_cstr(&d->feeds[12]), NULL},
             1,
             false,
             0,
             0,
             0},
            {"scan", "match and tier every asset", {"scan", NULL}, 1, false, 0, 0, 0},
            {"snapshot", "snapshot the backlog", {"snapshot", NULL}, 1, false, 0, 0, 0},
            {"plan",
             "plan the rollout (30 days)",
             {"plan", "--horizon", "30d", NULL},
             1,
             false,
             0,
             0,
             0},
            {"forecast", "forecast SLA misses", {"plan", "--forecast", NULL}, 1, false, 0, 0, 0},
            {"apply",
             "dry-run the patches of this host",
             {"apply", "--asset", pl_buf_cstr(&host_id), "--all", "--dry-run", NULL},
             1 | 8,
             true,
             0,
             0,
             0},
            {"ansible",
             "write the Ansible hand-off",
             {"handoff", "ansible", "--rollout", d->main_plan, "-o", pl_buf_cstr(&ansible), NULL},
             1,
             true,
             0,
             0,
             0},
            {"ssm",
             "write the AWS SSM hand-off",
             {"handoff", "ssm", "--rollout", d->main_plan, "-o", pl_buf_cstr(&ssm), NULL},
             1,
             true,
             0,
             0,
             0},
            {"quarter",
             "write the quarterly summary",
             {"report", "--period", "quarter", "--format", "md", "-o", pl_buf_cstr(&quarter), NULL},
             1,
             false,
             0,
             0,
             0},
            {"month",
             "write the security team's month (HTML)",
             {"report", "--period", "month", "--format", "html", "-o", pl_buf_cstr(&month), NULL},
             1,
             false,
             0,
             0,
             0},
            {"report",
             "write leadership's quarter (HTML)",
             {"report", "--period", "quarter", "--format", "html", "-o", pl_buf_cstr(&report),
              NULL},
             1,
             false,
             0,
             0,
             0},
        };

        for (size_t i = 0; i < PL_ARRAY_LEN(today); i++) {
            if (strcmp(today[i].name, "lambda") == 0) /* after the Windows hosts */
                add_linux(d, PL_ARRAY_LEN(history) - 1, st, &n,
                          "the Amazon Linux 2023 and Ubuntu hosts",
                          linux_behind_after(PL_ARRAY_LEN(history) - 1), "0.25", 0, 0);
            st[n++] = today[i];
        }
    }
    d->steps = (int)n;
    for (size_t i = 0; i < n && rc == PL_EXIT_OK; i++) {
        if (!host && (strcmp(st[i].name, "host") == 0 || strcmp(st[i].name, "apply") == 0)) {
            d->step++;
            continue;
        }
        rc = run_stage(d, &st[i]);
    }
    if (rc == PL_EXIT_OK) {
        putchar('\n');
        pl__cli_line(stdout, "report: %s (leadership's quarter)", pl_buf_cstr(&report));
        pl__cli_line(stdout, "        %s (the security team's month)", pl_buf_cstr(&month));
        pl__cli_line(stdout, "store:  %s", pl_buf_cstr(&d->db));
        pl__cli_line(stdout, "try next:");
        pl__cli_line(stdout, "  patchline --db %s findings --tier 0", pl_buf_cstr(&d->db));
        pl__cli_line(stdout, "  patchline --db %s explain 1", pl_buf_cstr(&d->db));
        pl__cli_line(stdout, "  patchline --db %s report --period month --format md",
                     pl_buf_cstr(&d->db));
    }
    pl_buf_release(&report);
    pl_buf_release(&quarter);
    pl_buf_release(&month);
    pl_buf_release(&ansible);
    pl_buf_release(&ssm);
    pl_buf_release(&host_id);
    return rc;
}

int pl__cli_cmd_demo(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"assets", required_argument, NULL, 'a'},
        {"no-host", no_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct demo d;
    const char *assets = "60";
    bool host = true, own_clock;
    int64_t n;
    int c, rc;

    (void)cli;
    memset(&d, 0, sizeof(d));
    d.out = "patchline-demo";
    optind = 0;
    while ((c = getopt_long(argc, argv, "+o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            d.out = optarg;
            break;
        case 'a':
            if (pl_parse_i64(optarg, &n, NULL) != PL_OK || n < 1 || n > 100000)
                return pl__cli_usage(demo_usage, "--assets: want 1 to 100000, not '%s'", optarg);
            assets = optarg;
            break;
        case 'H':
            host = false;
            break;
        case 'h':
            fputs(demo_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(demo_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return pl__cli_usage(demo_usage, "unexpected argument '%s'", argv[optind]);
    own_clock = !pl_clock_simulated();
    if (!own_clock)
        d.now = pl_clock_now();
    else if (pl_time_parse(DEMO_CLOCK, &d.now, NULL) != PL_OK)
        PL_BUG("DEMO_CLOCK");
    pl_time_format(d.now, d.now_s);
    pl_buf_init(&d.db, 4096);
    pl_buf_init(&d.logdir, 4096);
    pl_buf_init(&d.token, 256);
    rc = prepare(&d);
    if (rc == PL_EXIT_OK) {
        pl__cli_line(stdout, "Patchline demo in %s/ (clock %s%s)", d.out, d.now_s,
                     own_clock ? ": the demo's own, a quarter with KEV additions in the bundled "
                                 "catalogue"
                               : "");
        putchar('\n');
        rc = run_all(&d, assets, host);
    }
    pl_buf_release(&d.db);
    pl_buf_release(&d.logdir);
    pl_buf_release(&d.token);
    pl_buf_release(&d.sandbox);
    pl_buf_release(&d.sandbox_root);
    pl_buf_release(&d.canary_conf);
    pl_buf_release(&d.canary_plan);
    for (size_t i = 0; i < PL_ARRAY_LEN(d.feeds); i++)
        pl_buf_release(&d.feeds[i]);
    return rc;
}
