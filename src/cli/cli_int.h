/*
 * cli_int.h - private to src/cli: the dispatcher, the command table and the
 * listing renderer shared by every subcommand.
 */
#ifndef PATCHLINE_CLI_INT_H
#define PATCHLINE_CLI_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "patchline/buf.h"
#include "patchline/cli.h"
#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/intel.h"
#include "patchline/store.h"

/* What the dispatcher prepares before calling a command. */
#define PL_CMD_STORE  0x1 /* open the store */
#define PL_CMD_WRITES 0x2 /* read-write, inside one transaction (committed on exit 0 or 3) */
#define PL_CMD_NOW    0x4 /* the result depends on the clock (--now) */
/* acts on the store as root (apply, rollback): the store is opened PL_STORE_TRUSTED */
#define PL_CMD_TRUSTED 0x100
/*
 * With PL_CMD_WRITES: the store is opened read-write (created when missing)
 * but the command opens its transaction itself (pl__cli_begin) for the verbs
 * that change state, so its read verbs serve --now on a real store.
 */
#define PL_CMD_OWN_TX 0x8
/* administers users and tokens (role admin; the store owner makes the first users) */
#define PL_CMD_ADMIN 0x200
/* a sign-off: the library checks the role and scope against the object (approve) */
#define PL_CMD_DECIDES 0x400

struct pl_cli;
typedef int (*pl_cmd_fn)(int argc, char **argv, struct pl_cli *cli);

struct pl_command {
    const char *name;
    pl_cmd_fn fn; /* NULL for a group */
    unsigned flags;
    const char *formats; /* comma list accepted by --format; NULL: none */
    const char *summary;
    const struct pl_command *subs; /* a group's sub-table, NULL-name terminated */
};

struct pl_cli {
    const char *db_opt;       /* --db, or NULL */
    const char *format;       /* --format, or NULL (the command's first format) */
    const char *lock_timeout; /* --lock-timeout, or NULL ($PATCHLINE_LOCK_TIMEOUT, else 60 s) */
    const char *server;       /* --server URL, or NULL ($PATCHLINE_SERVER) */
    int verbose;
    struct pl_store *store; /* open when the command has PL_CMD_STORE */
    struct pl_buf db_path;  /* the resolved store path */
    const struct pl_command *cmd;
    const char *cmd_name; /* "inventory collect" */
};

/* The top-level table (commands.c). */
extern const struct pl_command pl_commands[];

/*
 * Print "patchline: WHAT: MESSAGE" on stderr (terminal-escaped, as pl__cli_warn);
 * returns PL_EXIT_ERROR (PL_EXIT_USAGE for E_INVALID).
 */
int pl__cli_fail(struct pl_cli *cli, const char *what, const struct pl_error *err);

/*
 * Open the store at the resolved path with pl_store_open flags; begin: also
 * open the transaction (pl__cli_begin). Returns an exit code (message printed).
 */
int pl__cli_open_store(struct pl_cli *cli, int oflags, bool begin);

/*
 * Run one command under the dispatcher's rules (its formats, --help without
 * the store, the store opened as its flags say, one transaction committed on
 * exit 0 or 3). A command whose verbs need different flags (plan) picks the
 * verb's own table entry and runs it through here.
 */
int pl__cli_run(struct pl_cli *cli, const struct pl_command *cmd, int argc, char **argv);

/*
 * Open the command's transaction; the store refuses when the clock forbids a
 * state change, and pl__cli_act when the principal may not.
 */
int pl__cli_begin(struct pl_cli *cli);

/* Resolve who acts (PATCHLINE_TOKEN, OS account, store owner) and check its role. */
int pl__cli_act(struct pl_cli *cli);

/* Commit on exit 0 or 3, roll back otherwise; returns the final exit code. */
int pl__cli_end(struct pl_cli *cli, int rc);

/* Print "patchline: MESSAGE" (terminal-escaped) and the usage on stderr; returns PL_EXIT_USAGE. */
int pl__cli_usage(const char *usage, const char *fmt, ...) PL_PRINTF(2, 3);

/*
 * Lines that hold text from data or arguments (out.c). The formatted line
 * (fmt holds no newline) goes through pl_escape_terminal, then a newline:
 * no control character and no invalid UTF-8 byte reaches the terminal raw.
 * pl__cli_warn prints "patchline: LINE" on stderr.
 */
void pl__cli_line(FILE *out, const char *fmt, ...) PL_PRINTF(2, 3);
void pl__cli_warn(const char *fmt, ...) PL_PRINTF(1, 2);
/* Text of several lines ("\n"-separated), each printed as by pl__cli_line. */
void pl__cli_lines(FILE *out, const char *text);
void pl__cli_vline(FILE *out, const char *prefix, const char *fmt, va_list ap) PL_PRINTF(3, 0);

/* The effective --format (the command's default when none was given). */
const char *pl__cli_format(const struct pl_cli *cli);

/*
 * The CLI as a client of a server (remote.c): the server's URL (--server,
 * else $PATCHLINE_SERVER; NULL: none), whether cmd goes through it, and
 * running it there with $PATCHLINE_TOKEN.
 */
const char *pl__cli_server(const struct pl_cli *cli);
bool pl__cli_remote_handles(const struct pl_cli *cli, const struct pl_command *cmd);
int pl__cli_remote(struct pl_cli *cli, const struct pl_command *cmd, int argc, char **argv);
/*
 * The server's URL without its trailing '/' into base (cap bytes) and the
 * token ($PATCHLINE_TOKEN), checked as every command through the server
 * checks them; PL_EXIT_OK or a usage exit (message printed).
 */
int pl__cli_remote_setup(struct pl_cli *cli, char *base, size_t cap, const char **token);

/*
 * handoff --rollout and handoff results import through the server
 * (remote_handoff.c): the hand-off plan of stored plan id under the plan
 * file plan_file (NULL: built in), as the server's store gives it with its
 * holds; and the import of a results file, printed as locally.
 */
struct pl_handoff_plan;
struct pl_handoff_import;
int pl__cli_remote_handoff_plan(struct pl_cli *cli, int64_t id, const char *plan_file,
                                struct pl_handoff_plan **out);
int pl__cli_remote_handoff_results(struct pl_cli *cli, int64_t id, const char *file,
                                   const char *plan_file, const char *wave);
/* What handoff results import prints (cmd_handoff_results.c), locally and through the server. */
void pl__cli_handoff_results_print(const struct pl_handoff_import *r);
/* schedule run JOB through the server (remote_handoff.c). */
int pl__cli_remote_schedule_run(struct pl_cli *cli, const char *job);

/*
 * The lines of plan, printed alike from the store and from the server's
 * answer (cmd_plan.c): plan show's head (table only), what plan built, the
 * forecast's tail (table only), an approval.
 */
struct pl_plan_row;
void pl__cli_plan_head(struct pl_cli *cli, const struct pl_plan_row *p);
void pl__cli_plan_built(int64_t id, int64_t n_waves, int64_t n_findings, int64_t horizon,
                        size_t n_misses, size_t n_slots);
void pl__cli_plan_forecast_tail(struct pl_cli *cli, size_t n_misses, size_t n_slots);
void pl__cli_plan_decided(int64_t id, const char *what, size_t n, const char *who);
/* jobs' arguments (cmd_jobs.c): -1 to go on (*show: the job of 'jobs show', else NULL), else an
 * exit. */
int pl__cli_jobs_args(int argc, char **argv, int64_t *limit, const char **show);

/* Print the top-level help on out. */
void pl__cli_help(FILE *out);

/* ---- listings: one table, rendered as table, json or csv ---------------- */

enum pl_col_type {
    PL_COL_TEXT,
    PL_COL_INT, /* rendered unquoted in JSON when the cell is a number */
    PL_COL_NUM,
    PL_COL_BOOL, /* cells "true"/"false" */
};

struct pl_col {
    const char *name;
    enum pl_col_type type;
};

struct pl_table {
    const struct pl_col *cols;
    size_t n_cols;
    char **cells; /* n_rows * n_cols, NULL = no value */
    size_t n_cells, cap_cells;
    /* a streamed table (pl__cli_table_stream) */
    FILE *out; /* NULL: rendered whole by pl__cli_table_render */
    const char *format;
    size_t rows;       /* rows written (json, csv) or held and spooled (table) */
    size_t *width;     /* table: the widest cell of each column so far */
    size_t held_bytes; /* table: bytes of the rows held in memory */
    FILE *spool;       /* table: the rows past PL_TABLE_HOLD_BYTES, in a deleted temp file */
    bool failed;
};

void pl__cli_table_init(struct pl_table *t, const struct pl_col *cols, size_t n_cols);

/*
 * A table written as its rows come, so that a listing of a million rows
 * does not hold them: json and csv write each row when its last cell
 * arrives; "table" needs every row for its column widths, so it holds up to
 * PL_TABLE_HOLD_BYTES of rows in memory and spools the rest to a deleted
 * file under $TMPDIR (else /tmp), then writes them all at pl__cli_table_finish.
 * The output is the same as pl__cli_table_render's.
 */
#define PL_TABLE_HOLD_BYTES ((size_t)4 * 1024 * 1024)
void pl__cli_table_stream(struct pl_table *t, const struct pl_col *cols, size_t n_cols,
                          const char *format, FILE *out);
/* Columns from a library's names and JSON types (n of each). */
void pl__cli_cols_of(struct pl_col *cols, const char *const *names, const enum pl_cell_type *types,
                     size_t n);
/* Write what is left and release; PL_EXIT_OK, or PL_EXIT_ERROR when a write failed. */
int pl__cli_table_finish(struct pl_table *t);
/* Append the next cell (copied; NULL for no value); rows fill left to right. */
void pl__cli_table_cell(struct pl_table *t, const char *s);
void pl__cli_table_cellf(struct pl_table *t, const char *fmt, ...) PL_PRINTF(2, 3);
void pl__cli_table_cell_i64(struct pl_table *t, int64_t v);
void pl__cli_table_cell_time(struct pl_table *t, pl_time_t v, bool is_null);
/* Render as "table", "json" or "csv" on out; PL_EXIT_OK or PL_EXIT_ERROR. */
int pl__cli_table_render(const struct pl_table *t, const char *format, FILE *out);
/*
 * One record and its list (`exception show`): JSON {"KEY": {...}, "LIST_KEY":
 * [...]}; table "KEY ID", "  column value" lines (columns with a value), then
 * the list; CSV the list only. The record is rec's first row, its first
 * column the id.
 */
int pl__cli_table_render_record(const char *key, const struct pl_table *rec, const char *list_key,
                                const struct pl_table *list, const char *format, FILE *out);
void pl__cli_table_release(struct pl_table *t);

/* ---- commands (one cmd_<name>.c each) ----------------------------------- */
/*
 * exception's arguments, shared by the local command and the client: add's
 * options into r (assets malloc'd into *assets), and "ID [--policy P]
 * [--reason R]" (longopts give 'p' and 'r'). PL_EXIT_OK, -1 after --help,
 * or a usage exit.
 */
struct option;
struct pl_exception_request;
extern const char pl__cli_exception_show_usage[], pl__cli_exception_revoke_usage[];
int pl__cli_exception_add_options(int argc, char **argv, struct pl_exception_request *r,
                                  const char ***assets, const char **policy);
int pl__cli_exception_id_command(int argc, char **argv, const char *usage,
                                 const struct option *longopts, int64_t *id, const char **opt_p,
                                 const char **opt_r);
int pl__cli_cmd_help(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_init(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_demo(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_inventory_synthesize(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_audit(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_user_add(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_store_copy(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_user_list(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_user_disable(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_user_roles(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_token_create(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_token_list(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_token_revoke(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_notify_add(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_notify_list(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_notify_remove(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_notify_deliver(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_agent_token(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_agent_list(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_agent_jobs(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_agent_revoke(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_cvss(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_inventory_collect(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_inventory_import(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_inventory_export(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_assets(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_packages(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_software(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_window_next(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_policy_check(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_policy_show(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_vercmp(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_feed_import(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_feed_status(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_feed_sync(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_vuln(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_scan(int argc, char **argv, struct pl_cli *cli);
struct pl_livepatch_report;
/* The line of `assets livepatch` (cmd_assets_attrs.c), locally and through the server, into b. */
void pl__cli_livepatch_line(struct pl_buf *b, const char *asset,
                            const struct pl_livepatch_report *r);
struct pl_scan_result;
/*
 * What scan prints (cmd_scan.c), locally and through the server: the
 * exceptions' line and the summary per tier (the policy's tier names,
 * n_tiers of them) on stdout, the warnings on stderr.
 */
void pl__cli_scan_print(const struct pl_scan_result *r, const char *const *tiers, int n_tiers);
int pl__cli_cmd_serve(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_findings(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_explain(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_housekeeping(int argc, char **argv, struct pl_cli *cli);
struct pl_feed_result;
/* One line "KIND: PATH: N records, ..." on stdout (cmd_feed.c). */
void pl__cli_print_import(const struct pl_feed_result *res, const char *path);
/* The pl_feed_notice_fn of feed import and sync: a warning on stderr; data is the command name. */
void pl__cli_feed_notice(enum pl_feed_notice what, const char *kind, const char *text, void *data);
int pl__cli_cmd_report(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_metrics(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_snapshot(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_exception_add(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_exception_approve(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_exception_list(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_exception_show(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_exception_revoke(int argc, char **argv, struct pl_cli *cli);

/*
 * --period/--from/--to/--policy (and -o FILE when out_path is not NULL) for
 * report and metrics (cmd_report.c); *policy gets --policy or NULL. Returns
 * PL_EXIT_OK, -1 after --help, or a usage exit.
 */
struct pl_report_opts;
/* Write the report b to path (or stdout when NULL) as report -o does; returns an exit code. */
int pl__cli_report_emit(const struct pl_buf *b, const char *path);
int pl__cli_report_opts(int argc, char **argv, const char *usage, struct pl_report_opts *o,
                        const char **out_path, const char **policy);
int pl__cli_cmd_window_list(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_plan(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_apply(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_rollback(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_jobs(int argc, char **argv, struct pl_cli *cli);
struct pl_apply_result;
/* The exit code of an apply or rollback job: 0 succeeded, 3 rolled back, 1 failed. */
int pl__cli_apply_exit(const struct pl_apply_result *res);
int pl__cli_cmd_handoff(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_handoff_results(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_schedule_run(int argc, char **argv, struct pl_cli *cli);
int pl__cli_cmd_gate(int argc, char **argv, struct pl_cli *cli);

/* cmd_assets_attrs.c: `assets precedence`, `livepatch`. */
struct pl_asset_show;
struct pl_audit_verdict;
/* cmd_audit.c: the lines of `audit verify` for v, locally and through the server; the exit code. */
int pl__cli_audit_verdict(const struct pl_audit_verdict *v);
/* cmd_assets.c: the tables of `assets show`, locally and through the server. */
int pl__cli_assets_show_print(const struct pl_asset_show *x);
int pl__cli_assets_precedence(int argc, char **argv, struct pl_cli *cli);
int pl__cli_assets_livepatch(int argc, char **argv, struct pl_cli *cli);

#endif /* PATCHLINE_CLI_INT_H */
