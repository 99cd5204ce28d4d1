/*
 * remote_int.h - private to src/cli: what remote.c lends the other
 * remote_*.c files (the requests, the server's errors, rows into tables).
 */
#ifndef PATCHLINE_CLI_REMOTE_INT_H
#define PATCHLINE_CLI_REMOTE_INT_H

#include <yajl/yajl_tree.h>

#include "cli_int.h"

/*
 * GET url (ctype NULL) or POST len bytes of body (may be NULL when len is
 * 0) as ctype to it, with the token; *status the HTTP status. PL_EXIT_OK,
 * or an exit code (message printed).
 */
int pl__cli_remote_request(const char *url, const char *token, const char *ctype, const char *body,
                           size_t len, struct pl_buf *out, long *status);
/* The server's error as "patchline: WHAT: MESSAGE (HTTP N)"; 400 is a usage exit. */
int pl__cli_remote_error(const char *what, long status, const struct pl_buf *b);
/* Append "?key=escaped value" to url, or "&key=..." when it has a query already. */
void pl__cli_remote_query(struct pl_buf *url, const char *key, const char *value);
/* The object o as one row of the table, by the column names. */
void pl__cli_remote_row(struct pl_table *t, yajl_val o);
/* The objects of the array items into the table, by the column names. */
void pl__cli_remote_rows(struct pl_table *t, yajl_val items);
/* GET url: a JSON array of rows with these columns, rendered as the local command does. */
int pl__cli_remote_list(struct pl_cli *cli, const char *token, const char *what, const char *url,
                        const char *const *names, const enum pl_cell_type *types, size_t n);
/* A table of the rows of the JSON array items, with these columns, rendered as locally. */
int pl__cli_remote_table(struct pl_cli *cli, yajl_val items, const char *const *names,
                         const enum pl_cell_type *types, size_t n);
/* The member path of v as a number (def when absent). */
int64_t pl__cli_remote_i64(yajl_val v, const char *key, int64_t def);
/* The member key of v as a count (0 when absent or negative). */
uint64_t pl__cli_remote_u64(yajl_val v, const char *key);
/* The bytes of path ("-": standard input) as they are on disk, at most PL_MAX_FILE_BYTES,
 * appended to b, for an upload (remote_import.c); a warning naming what and path otherwise. */
int pl__cli_remote_read_raw(const char *what, const char *path, struct pl_buf *b);
/* The member key of v as a string (NULL when absent or not a string). */
const char *pl__cli_remote_str(yajl_val v, const char *key);

/*
 * A feed import's answer (remote_import.c), for feed import and feed sync:
 * its notices printed as the local command `cmd` prints them, and its
 * counts into *st.
 */
void pl__cli_remote_feed_notices(yajl_val v, char *cmd);
void pl__cli_remote_import_stats(yajl_val v, struct pl_import_stats *st);

/* The commands of remote_plan.c, remote_jobs.c and remote_import.c. */
int pl__cli_remote_plan(struct pl_cli *cli, const char *verb, const char *server, const char *token,
                        int argc, char **argv);
int pl__cli_remote_jobs(struct pl_cli *cli, const char *server, const char *token, int argc,
                        char **argv);
int pl__cli_remote_exception(struct pl_cli *cli, const char *server, const char *token, int argc,
                             char **argv);
int pl__cli_remote_task(struct pl_cli *cli, const char *server, const char *token, int argc,
                        char **argv);
int pl__cli_remote_scan(struct pl_cli *cli, const char *server, const char *token, int argc,
                        char **argv);
int pl__cli_remote_users(struct pl_cli *cli, const char *server, const char *token, int argc,
                         char **argv);
int pl__cli_remote_assets(struct pl_cli *cli, const char *server, const char *token, int argc,
                          char **argv);
/* remote_agent.c: agent token create, agent revoke. */
int pl__cli_remote_agent(struct pl_cli *cli, const char *server, const char *token, int argc,
                         char **argv);
/* remote_reads.c: vuln, software, packages, audit. */
int pl__cli_remote_reads(struct pl_cli *cli, const char *server, const char *token, int argc,
                         char **argv);
int pl__cli_remote_import(struct pl_cli *cli, const char *server, const char *token, int argc,
                          char **argv);
/* remote_notify.c: notify add|list|remove|deliver, agent list|jobs, inventory export. */
bool pl__cli_remote_notify_handles(const char *cmd_name);
int pl__cli_remote_notify(struct pl_cli *cli, const char *server, const char *token, int argc,
                          char **argv);
/* remote_sync.c: feed sync. */
int pl__cli_remote_feed_sync(struct pl_cli *cli, const char *server, const char *token, int argc,
                             char **argv);

#endif /* PATCHLINE_CLI_REMOTE_INT_H */
