/*
 * cmd_demo.c - `patchline demo`: the whole pipeline on a bundled sample
 * estate, offline, in a folder of its own.
 *
 * Each stage runs as the same `patchline` command a user would type (this
 * binary, spawned with an argv array), against a fresh store in the output
 * folder, with one --now for every stage. Each stage's full output goes to
 * OUT/logs/NN-stage.log; the console shows one line per stage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patchline/file.h"
#include "patchline/parse.h"
#include "patchline/spawn.h"

#include "cli_int.h"

static const char demo_usage[] =
    "usage: patchline demo [-o DIR] [--assets N] [--no-host]\n"
    "Run the whole pipeline offline on a bundled sample estate: import real feed snapshots\n"
    "(KEV, EPSS, Vulnrichment, the Debian 12 tracker data, AlmaLinux OSV, Amazon Linux\n"
    "2023 ALAS, Ubuntu notices and tracker statuses, Microsoft updates), generate a\n"
    "deterministic estate (default 1500 assets: on-prem, cloud, Kubernetes, images; prod,\n"
    "staging, dev) with real Debian 12 package versions, plus 24 Amazon Linux 2023 and\n"
    "Ubuntu 22.04/24.04 hosts and eight Windows hosts, collect this host, scan and tier,\n"
    "plan the rollout and forecast SLA misses, dry-run a patch, write the Ansible and AWS\n"
    "SSM hand-offs, and write the reports. Everything lands in DIR (default\n"
    "./patchline-demo): the store, report.html, the hand-offs and one log per stage.\n"
    "The folder's store is replaced on every run. Needs no root and no network.\n";

#define MAX_ARGS 24

/* One stage: a title, its arguments after the global ones, and what it may exit with. */
struct stage {
    const char *name, *title;
    const char *args[MAX_ARGS];
    int ok_codes;  /* bit mask of accepted exit codes (bit 0: exit 0) */
    bool optional; /* a failure is reported and the demo goes on */
    int ago;       /* run with the clock this many days before --now (a history) */
};

struct demo {
    const char *out;
    char self[4096];
    char now[PL_TIME_STR_LEN];
    char then[3][PL_TIME_STR_LEN]; /* 90, 45 and 0 days ago */
    struct pl_buf db, logdir, feeds[11];
    int step, steps;
};

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

static int run_stage(struct demo *d, const struct stage *st)
{
    const char *argv[MAX_ARGS + 8];
    struct pl_buf out = PL_BUF_INIT(0), errout = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    struct pl_spawn_result res;
    char line[96], how[64];
    size_t n = 0;
    int rc = PL_EXIT_OK;
    pl_time_t t0 = pl_clock_real();

    argv[n++] = d->self;
    argv[n++] = "--db";
    argv[n++] = pl_buf_cstr(&d->db);
    argv[n++] = "--now";
    argv[n++] = d->then[st->ago == 90 ? 0 : st->ago == 45 ? 1 : 2];
    for (size_t i = 0; i < MAX_ARGS && st->args[i]; i++)
        argv[n++] = st->args[i];
    argv[n] = NULL;
    d->step++;
    printf("[%2d/%d] %-44s ", d->step, d->steps, st->title);
    fflush(stdout);
    if (pl_spawn_run(argv, NULL, &out, &errout, &res, &err) != PL_OK) {
        printf("failed\n");
        rc = pl__cli_fail(NULL, "demo", &err);
        goto done;
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
    pl_buf_release(&out);
    pl_buf_release(&errout);
    return rc;
}

static const char *const feed_files[11][2] = {
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
    {"linux", "linux-estate.tsv.xz"}, /* the Amazon Linux and Ubuntu hosts' package sets */
};

/* Resolve the bundled files, the binary and the folders; start from a fresh store. */
static int prepare(struct demo *d)
{
    struct pl_error err = PL_ERROR_INIT;
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    ssize_t n = readlink("/proc/self/exe", d->self, sizeof(d->self) - 1);

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
    return PL_EXIT_OK;
}

/* NOLINTNEXTLINE(readability-function-size): most of its length is the stage table */
static int run_all(struct demo *d, const char *assets, bool host)
{
    struct pl_buf report = PL_BUF_INIT(0), quarter = PL_BUF_INIT(0), month = PL_BUF_INIT(0),
                  ansible = PL_BUF_INIT(0), ssm = PL_BUF_INIT(0), host_id = PL_BUF_INIT(0);
    int64_t n_assets = 0;
    int rc = PL_EXIT_OK;

    /* a fresh store numbers assets in order: the estate first, then this host */
    if (pl_parse_i64(assets, &n_assets, NULL) != PL_OK)
        n_assets = 0;
    pl_buf_addf(&host_id, "%lld", (long long)n_assets + 1);
    pl_buf_addf(&report, "%s/report.html", d->out);
    pl_buf_addf(&quarter, "%s/report-quarter.md", d->out);
    pl_buf_addf(&month, "%s/report-month.html", d->out);
    pl_buf_addf(&ansible, "%s/handoff", d->out);
    pl_buf_addf(&ssm, "%s/handoff", d->out);
    {
        /*
         * A quarter of history first: the estate as it was 90 and 45 days ago (more
         * packages behind), scanned and snapshotted each time, so that fixes are proven
         * by the inventory and the report has trends, SLA results and times to patch.
         */
        const struct stage stages[] = {
            {"init", "create the store", {"init", NULL}, 1, false, 90},
            {"kev",
             "import CISA KEV",
             {"feed", "import", "kev", pl_buf_cstr(&d->feeds[0]), NULL},
             1,
             false,
             90},
            {"epss",
             "import FIRST EPSS",
             {"feed", "import", "epss", pl_buf_cstr(&d->feeds[1]), NULL},
             1,
             false,
             90},
            {"vulnrichment",
             "import CISA Vulnrichment (SSVC, CVSS)",
             {"feed", "import", "vulnrichment", pl_buf_cstr(&d->feeds[2]), NULL},
             1,
             false,
             90},
            {"debian",
             "import Debian 12 fixed versions",
             {"feed", "import", "debian", pl_buf_cstr(&d->feeds[3]), NULL},
             1,
             false,
             90},
            {"osv",
             "import AlmaLinux OSV advisories",
             {"feed", "import", "osv", pl_buf_cstr(&d->feeds[4]), NULL},
             1,
             false,
             90},
            {"estate-90",
             "the estate 90 days ago",
             {"inventory", "synthesize", "--assets", assets, "--behind", "0.30", "--kernel-behind",
              "0.60", NULL},
             1,
             false,
             90},
            {"scan-90", "match and tier, 90 days ago", {"scan", NULL}, 1, false, 90},
            {"snapshot-90", "snapshot the backlog", {"snapshot", NULL}, 1, false, 90},
            {"estate-45",
             "the estate 45 days ago",
             {"inventory", "synthesize", "--assets", assets, "--behind", "0.20", "--kernel-behind",
              "0.45", NULL},
             1,
             false,
             45},
            {"scan-45", "match and tier, 45 days ago", {"scan", NULL}, 1, false, 45},
            {"snapshot-45", "snapshot the backlog", {"snapshot", NULL}, 1, false, 45},
            {"estate",
             "the estate today",
             {"inventory", "synthesize", "--assets", assets, NULL},
             1,
             false,
             0},
            {"host", "collect this host", {"inventory", "collect", NULL}, 1, true, 0},
            {"msrc",
             "import Microsoft security updates",
             {"feed", "import", "msrc", pl_buf_cstr(&d->feeds[5]), NULL},
             1,
             false,
             0},
            {"windows",
             "the Windows servers and endpoints",
             {"inventory", "import", "windows", pl_buf_cstr(&d->feeds[6]), NULL},
             1,
             false,
             0},
            {"alas",
             "import Amazon Linux 2023 advisories",
             {"feed", "import", "updateinfo", pl_buf_cstr(&d->feeds[7]), NULL},
             1,
             false,
             0},
            {"ubuntu",
             "import Ubuntu security notices (OSV)",
             {"feed", "import", "osv", pl_buf_cstr(&d->feeds[8]), NULL},
             1,
             false,
             0},
            {"ubuntu-cve",
             "import the Ubuntu CVE tracker page",
             {"feed", "import", "ubuntu-cve", pl_buf_cstr(&d->feeds[9]), NULL},
             1,
             false,
             0},
            {"linux",
             "the Amazon Linux 2023 and Ubuntu hosts",
             {"inventory", "synthesize", "--linux", "--sets", pl_buf_cstr(&d->feeds[10]),
              "--assets", "24", NULL},
             1,
             false,
             0},
            {"scan", "match and tier every asset", {"scan", NULL}, 1, false, 0},
            {"snapshot", "snapshot the backlog", {"snapshot", NULL}, 1, false, 0},
            {"plan", "plan the rollout (30 days)", {"plan", "--horizon", "30d", NULL}, 1, false, 0},
            {"forecast", "forecast SLA misses", {"plan", "--forecast", NULL}, 1, false, 0},
            {"apply",
             "dry-run the patches of this host",
             {"apply", "--asset", pl_buf_cstr(&host_id), "--all", "--dry-run", NULL},
             1 | 8,
             true,
             0},
            {"ansible",
             "write the Ansible hand-off",
             {"handoff", "ansible", "--rollout", "1", "-o", pl_buf_cstr(&ansible), NULL},
             1,
             true,
             0},
            {"ssm",
             "write the AWS SSM hand-off",
             {"handoff", "ssm", "--rollout", "1", "-o", pl_buf_cstr(&ssm), NULL},
             1,
             true,
             0},
            {"quarter",
             "write the quarterly summary",
             {"report", "--period", "quarter", "--format", "md", "-o", pl_buf_cstr(&quarter), NULL},
             1,
             false,
             0},
            {"month",
             "write the security team's month (HTML)",
             {"report", "--period", "month", "--format", "html", "-o", pl_buf_cstr(&month), NULL},
             1,
             false,
             0},
            {"report",
             "write leadership's quarter (HTML)",
             {"report", "--period", "quarter", "--format", "html", "-o", pl_buf_cstr(&report),
              NULL},
             1,
             false,
             0},
        };

        d->steps = (int)PL_ARRAY_LEN(stages);
        for (size_t i = 0; i < PL_ARRAY_LEN(stages) && rc == PL_EXIT_OK; i++) {
            if (!host &&
                (strcmp(stages[i].name, "host") == 0 || strcmp(stages[i].name, "apply") == 0)) {
                d->step++;
                continue;
            }
            rc = run_stage(d, &stages[i]);
        }
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
    const char *assets = "1500";
    bool host = true;
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
    pl_time_format(pl_clock_now(), d.now);
    for (int i = 0; i < 3; i++)
        pl_time_format(pl_clock_now() - (pl_time_t)(90 - 45 * i) * 86400, d.then[i]);
    pl_buf_init(&d.db, 4096);
    pl_buf_init(&d.logdir, 4096);
    rc = prepare(&d);
    if (rc == PL_EXIT_OK) {
        pl__cli_line(stdout, "Patchline demo in %s/ (clock %s)", d.out, d.now);
        putchar('\n');
        rc = run_all(&d, assets, host);
    }
    pl_buf_release(&d.db);
    pl_buf_release(&d.logdir);
    for (size_t i = 0; i < PL_ARRAY_LEN(d.feeds); i++)
        pl_buf_release(&d.feeds[i]);
    return rc;
}
