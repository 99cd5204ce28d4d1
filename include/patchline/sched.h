/*
 * sched.h - scheduled work (docs/server.md, "Scheduled work"): what one run
 * of a job does, the principal it acts as, the audit event that records it,
 * and the schedule read from the server's configuration file.
 *
 * A run calls the library functions the CLI command of the same name calls
 * (feed sync: pl_feed_sync; scan: pl_scan_run; snapshot:
 * pl_report_snapshot_day; notify deliver: pl_notify_deliver), in the same
 * transactions, as the system principal "schedule:JOB". The timer that
 * starts runs is the server's (src/server/schedule.c).
 */
#ifndef PATCHLINE_SCHED_H
#define PATCHLINE_SCHED_H

#include <stdbool.h>
#include <stddef.h>

#include "patchline/auth.h"
#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/cron.h"
#include "patchline/error.h"
#include "patchline/store.h"

/* The jobs a schedule may name. */
enum pl_sched_job {
    PL_SCHED_FEED_SYNC,      /* "feed-sync": `patchline feed sync` */
    PL_SCHED_SCAN,           /* "scan": `patchline scan` */
    PL_SCHED_SNAPSHOT,       /* "snapshot": `patchline snapshot` */
    PL_SCHED_NOTIFY_DELIVER, /* "notify-deliver": `patchline notify deliver` */
};
#define PL_SCHED_N_JOBS 4

/* Feed kinds a schedule may sync in one run. */
#define PL_SCHED_FEED_KINDS_MAX 16
/* Bytes of a configuration line. */
#define PL_SCHED_LINE_MAX 4096

/* The job's name in the configuration and the audit ("feed-sync"). */
const char *pl_sched_job_name(enum pl_sched_job j);

/* One job's schedule. */
struct pl_sched_entry {
    bool set;
    struct pl_cron cron;
    char expr[PL_MAX_CRON_BYTES];
    unsigned line; /* where the configuration file set it */
};

/*
 * The schedule: "schedule.JOB = CRON" lines of the server's configuration
 * file, plus the options of the jobs (docs/server.md). A plain value.
 */
struct pl_sched_config {
    struct pl_sched_entry jobs[PL_SCHED_N_JOBS];
    char zone[64];          /* "schedule.timezone"; "" is UTC */
    char scan_policy[1024]; /* "schedule.scan-policy"; "" is the built-in default */
    char feed_kinds[PL_SCHED_FEED_KINDS_MAX][32]; /* "schedule.feed-kinds"; none: kev epss */
    size_t n_feed_kinds;
};

void pl_sched_config_init(struct pl_sched_config *c);

/*
 * Read the configuration file at path: "key = value" lines, '#' comments,
 * blank lines; a value may be double-quoted. Keys: schedule.feed-sync,
 * schedule.scan, schedule.snapshot, schedule.notify-deliver (five-field
 * cron, AWS cron(...) or rate(...), cron.h), schedule.timezone (an IANA
 * zone), schedule.scan-policy (a built-in policy or a policy file),
 * schedule.feed-kinds (feed kinds separated by blanks or commas). Every
 * value is checked now: PL_E_PARSE names the file, the line and the key
 * ("serve.conf:3: key 'schedule.scan': cron: field 'hour': '25' out of
 * range 0-23"). The file must be owned by root or the running account and
 * writable by nobody else (PL_E_INVALID). Nothing is written to *out on
 * failure.
 */
PL_NODISCARD pl_status pl_sched_config_load(const char *path, struct pl_sched_config *out,
                                            struct pl_error *err);

/* Does c schedule any job? */
bool pl_sched_config_any(const struct pl_sched_config *c);

/*
 * The principal a run of j acts as: "schedule:JOB", roles operator and
 * viewer, the OS account running the process; no token, no user row.
 */
void pl_sched_principal(enum pl_sched_job j, struct pl_principal *p);

/*
 * One run of job j on s at the store's clock (pl_clock_now: the real time
 * on a real store, the set clock on a simulated one), as its principal.
 * feed-sync, scan and snapshot run in one transaction each (a failure
 * changes nothing but the batches a scan committed, as on the command
 * line); notify-deliver records each delivery in its own. summary gets one
 * line saying what the run did. Not thread-safe with another call on the
 * same handle; other handles may run at once (one handle per thread).
 */
PL_NODISCARD pl_status pl_sched_run(struct pl_store *s, enum pl_sched_job j,
                                    const struct pl_sched_config *c, struct pl_buf *summary,
                                    struct pl_error *err);

/*
 * The same run started by hand (POST /api/v1/schedule/JOB/run) as who
 * (NULL: j's principal), which must be allowed to operate (PL_E_DENIED).
 */
PL_NODISCARD pl_status pl_sched_run_as(struct pl_store *s, enum pl_sched_job j,
                                       const struct pl_sched_config *c,
                                       const struct pl_principal *who, struct pl_buf *summary,
                                       struct pl_error *err);

/* The job named name ("scan"): PL_OK, or PL_E_NOTFOUND listing the jobs. */
PL_NODISCARD pl_status pl_sched_job_parse(const char *name, enum pl_sched_job *j,
                                          struct pl_error *err);

/*
 * Record a run in the audit log, in a transaction of its own, as j's
 * principal: action "schedule.run", object JOB, detail a JSON object with
 * "job", "start" and "end" (the real time), "outcome" ("ok" or "failed")
 * and "summary" (what the run did, or why it failed).
 */
PL_NODISCARD pl_status pl_sched_audit(struct pl_store *s, enum pl_sched_job j, pl_time_t start,
                                      pl_time_t end, bool ok, const char *summary,
                                      struct pl_error *err);
/* The same for a run started by hand, recorded as who (NULL: j's principal). */
PL_NODISCARD pl_status pl_sched_audit_as(struct pl_store *s, enum pl_sched_job j,
                                         const struct pl_principal *who, pl_time_t start,
                                         pl_time_t end, bool ok, const char *summary,
                                         struct pl_error *err);

/*
 * Process-wide set-up of what runs use (libcurl's global state), before
 * any thread starts a run; the cleanup after the last run ended.
 */
void pl_sched_global_init(void);
void pl_sched_global_cleanup(void);

#endif /* PATCHLINE_SCHED_H */
