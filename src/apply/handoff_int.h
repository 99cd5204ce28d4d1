/*
 * handoff_int.h - private to the hand-off generators (src/apply/handoff_*.c):
 * the output file list, name checks, quoting for each target language and
 * the schedule translations they share.
 */
#ifndef PATCHLINE_HANDOFF_INT_H
#define PATCHLINE_HANDOFF_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "patchline/buf.h"
#include "patchline/cron.h"
#include "patchline/error.h"
#include "patchline/handoff.h"
#include "patchline/version.h"

/* Add a file named by fmt to o and return its (empty, capped) body. Never NULL. */
struct pl_buf *pl__apply_handoff_file(struct pl_handoff_out *o, const char *fmt, ...)
    PL_PRINTF(2, 3);

/* PL_OK, or the first buffer error among o's files, as "FILE: ..." in err. */
pl_status pl__apply_handoff_out_status(const struct pl_handoff_out *o, struct pl_error *err);

/* Prefix err (when not NULL) with the formatted text and return rc, which stays a failure. */
pl_status pl__apply_handoff_fail(pl_status rc, struct pl_error *err, const char *fmt, ...)
    PL_PRINTF(3, 4);

/* True when s holds a C0 control character or DEL. */
bool pl__apply_handoff_has_ctl(const char *s);

/*
 * A host name an inventory can carry as is: 1-253 bytes of [A-Za-z0-9._-],
 * not starting with '-' or '.'. Otherwise PL_E_INVALID:
 * "CTX: asset 'NAME': FIELD is not a valid host name (...)".
 */
pl_status pl__apply_handoff_check_host(const char *ctx, const char *name, const char *field,
                                       struct pl_error *err);

/* A Kubernetes object name (RFC 1123 subdomain: [a-z0-9.-], alphanumeric ends, <= 253). */
pl_status pl__apply_handoff_check_k8s(const char *ctx, const char *name, const char *field,
                                      struct pl_error *err);

/* POSIX shell single quotes: 'it'\''s'. */
void pl__apply_handoff_sh_quote(struct pl_buf *b, const char *s);

/* PowerShell single-quoted string: every ' (and the typographic quotes) doubled. */
void pl__apply_handoff_ps_quote(struct pl_buf *b, const char *s);

/* An argv as a JSON array of strings. */
void pl__apply_handoff_json_argv(struct pl_buf *b, const char *const *argv);

/* An argv as one shell line (every word single-quoted unless plainly safe). */
void pl__apply_handoff_sh_argv(struct pl_buf *b, const char *const *argv);

/* The wave's concurrency for `total` members: the count, or the percentage rounded up, >= 1. */
int pl__apply_handoff_batch(const struct pl_handoff_wave *w, size_t total);

/* The wave's concurrency as text: "2" or "25%". */
void pl__apply_handoff_conc(const struct pl_handoff_wave *w, char *buf, size_t size);

/* The wave id into a fixed buffer (ids are short: charsets are checked at load). */
void pl__apply_handoff_wave_id(const struct pl_handoff_wave *w, char *buf, size_t size);

/*
 * A window whose starts are one time of day on some weekdays: *hour,
 * *minute and the weekday bits (bit 0 = Sunday). PL_E_UNSUPPORTED with
 * "CTX: window 'NAME': WHAT needs ..." otherwise.
 */
pl_status pl__apply_handoff_weekly_time(const char *ctx, const char *what,
                                        const struct pl_handoff_window *win, int *hour, int *minute,
                                        uint8_t *wdays, struct pl_error *err);

/*
 * A one-time window (the plan's out-of-cycle waves: "M H D MON *", one
 * minute, hour, day and month, any weekday): true with its *hour and
 * *minute; false for any other expression.
 */
bool pl__apply_handoff_one_time(const struct pl_handoff_window *win, int *hour, int *minute);

/* An iCalendar RRULE (RFC 5545) for the window's cron expression, for AWX schedules. */
pl_status pl__apply_handoff_rrule(const char *ctx, const struct pl_handoff_window *win,
                                  struct pl_buf *b, struct pl_error *err);

/*
 * The SSM ring and window files of a plan (ring tags, one window per
 * environment, ring and schedule, emergency one-off windows, send-command
 * bodies) and their lines in the apply script sh.
 */
pl_status pl__apply_handoff_ssm_waves(struct pl_handoff_out *out, const struct pl_handoff_plan *p,
                                      struct pl_buf *sh, struct pl_error *err);

/*
 * The plan's checks in SSM terms (pl__apply_handoff_ssm_hooks.c): for a wave with a
 * health check, the hook documents ssm/hook-pre-WAVE.json and
 * ssm/hook-check-WAVE.json and their create-document lines in sh; the
 * hook parameters of its tasks (", \"PreInstallHookDocName\": [...], ...",
 * nothing without a health check); the document its tasks run.
 */
void pl__apply_handoff_ssm_hooks(struct pl_handoff_out *out, const struct pl_handoff_wave *w,
                                 struct pl_buf *sh);
void pl__apply_handoff_ssm_hook_params(struct pl_buf *b, const struct pl_handoff_wave *w);
const char *pl__apply_handoff_ssm_document(const struct pl_handoff_wave *w);

/*
 * The load-time checks of pl_handoff_plan_load on a wave filled by other
 * means (the stored-plan adapter): charsets, ring, concurrency, halt
 * threshold, window (cron, zone, cutoff, offset), string limits and control
 * characters, package names and versions per ecosystem. Errors are
 * "WHERE.FIELD: what is wrong" (PL_E_PARSE) or PL_E_TOOBIG.
 */
pl_status pl__apply_handoff_wave_check(const char *where, const struct pl_handoff_wave *w,
                                       struct pl_error *err);

/* The version order of a hand-off ecosystem ("deb", "rpm"; "kb" has none). */
enum pl_vscheme pl__apply_handoff_scheme(const char *ecosystem);

/* The asset's targets: its own list, else the wave's; *n gets the count. */
const struct pl_handoff_package *pl__apply_handoff_targets(const struct pl_handoff_wave *w,
                                                           const struct pl_handoff_asset *a,
                                                           size_t *n);

/* The mode of o, and its name ("targeted", "security", "dist"). */
enum pl_handoff_mode pl__apply_handoff_mode(const struct pl_handoff_opts *o);
const char *pl__apply_handoff_mode_name(const struct pl_handoff_opts *o);

/* ---- third-party software (handoff_software.c, handoff_thirdparty.c, handoff_runtimes.c) ---- */

struct pl_store;
struct pl_wave_item_row;

/*
 * Whether a stored wave item is third-party software rather than an OS
 * package: a finding on a database or function asset, one matched by CPE
 * (feeds nvd, fortinet, paloalto, cisco), or an end of life other than an
 * operating system's.
 */
bool pl__apply_handoff_is_software(const struct pl_wave_item_row *it);

/*
 * Fill w->software from the third-party items it[0..n) (sorted by asset,
 * then package), in arena: one entry per asset and package at the highest
 * fixed version, none when that is at or below the installed version.
 * Errors name `where` ("plan 1: wave 3").
 */
pl_status pl__apply_handoff_software(struct pl_store *s, struct pl_arena *arena, const char *where,
                                     const struct pl_wave_item_row *it, size_t n,
                                     struct pl_handoff_wave *w, struct pl_error *err);

/* A runtime or database the Ansible runtimes play upgrades on hosts. */
struct pl__handoff_runtime {
    const char *product; /* "nodejs:node.js" (the product map's) */
    const char *key;     /* "nodejs": the host var pl_runtimes.KEY */
    const char *name;    /* "Node.js" */
    const char *package; /* the Linux package manager's package */
    const char *brew;    /* the Homebrew formula */
    const char *choco;   /* the Chocolatey package */
    const char *check;   /* the command whose output names the version */
};

/* The runtime of a product, or NULL. */
const struct pl__handoff_runtime *pl__apply_handoff_runtime(const char *product);

/*
 * The Ansible play for runtimes on hosts (ansible/runtimes.yml and one
 * inventory per wave with such software, ansible/inventory/runtimes-WAVE.yml).
 */
pl_status pl__apply_handoff_runtimes(const struct pl_handoff_plan *p, struct pl_handoff_out *out,
                                     struct pl_error *err);

/* Weekday abbreviations: "sun".."sat" (lower) and "SU".."SA" (iCalendar). */
extern const char *const handoff_wday_lower[7];
extern const char *const handoff_wday_ical[7];

#endif /* PATCHLINE_HANDOFF_INT_H */
