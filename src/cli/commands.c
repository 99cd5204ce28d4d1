/*
 * commands.c - the command table. To add a command: write cmd_<name>.c with
 * `int pl_cmd_<name>(int argc, char **argv, struct pl_cli *cli)`, declare it
 * in cli_int.h, and add one line here (the help output comes from here).
 */
#include "cli_int.h"

#define LIST_FORMATS "table,json,csv"

static const struct pl_command inventory_cmds[] = {
    {"import", pl__cli_cmd_inventory_import, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, NULL,
     "import assets from a discovery source (CSV, Nmap, AWS, Azure, ...)", NULL},
    {"export", pl__cli_cmd_inventory_export, PL_CMD_STORE | PL_CMD_NOW, "csv,json",
     "export the assets as a CMDB CSV", NULL},
    {"collect", pl__cli_cmd_inventory_collect, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, NULL,
     "record this host (or --root DIR) and its packages", NULL},
    {"synthesize", pl__cli_cmd_inventory_synthesize, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW,
     NULL, "generate a deterministic synthetic estate (demo, benchmarks)", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

static const struct pl_command window_cmds[] = {
    {"next", pl__cli_cmd_window_next, PL_CMD_NOW, NULL, "next start times of a maintenance window",
     NULL},
    {"list", pl__cli_cmd_window_list, PL_CMD_NOW, LIST_FORMATS, "the windows of a plan file", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

static const struct pl_command policy_cmds[] = {
    {"check", pl__cli_cmd_policy_check, 0, NULL, "validate tiering policy files", NULL},
    {"show", pl__cli_cmd_policy_show, 0, NULL, "print the effective policy as YAML", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

static const struct pl_command feed_commands[] = {
    {"import", pl__cli_cmd_feed_import, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, NULL,
     "import feed files (kev epss nvd cve5 vulnrichment ...)", NULL},
    {"status", pl__cli_cmd_feed_status, PL_CMD_STORE | PL_CMD_NOW, LIST_FORMATS,
     "the last import of every feed kind, with its age", NULL},
    {"sync", pl__cli_cmd_feed_sync, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, NULL,
     "fetch the official feeds over HTTPS and import them", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

static const struct pl_command exception_cmds[] = {
    {"add", pl__cli_cmd_exception_add, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, NULL,
     "request an exception or compensating control (pending approval)", NULL},
    {"approve", pl__cli_cmd_exception_approve,
     PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW | PL_CMD_DECIDES, NULL,
     "approve an exception (another user than its requester)", NULL},
    {"list", pl__cli_cmd_exception_list, PL_CMD_STORE | PL_CMD_NOW, LIST_FORMATS,
     "list exceptions (status at --now; nothing is recorded; --expiring counts from --now)", NULL},
    {"show", pl__cli_cmd_exception_show, PL_CMD_STORE | PL_CMD_NOW, LIST_FORMATS,
     "an exception and the findings in its scope", NULL},
    {"revoke", pl__cli_cmd_exception_revoke, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, NULL,
     "revoke an exception; its findings are back on their clocks", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

static const struct pl_command user_cmds[] = {
    {"add", pl__cli_cmd_user_add, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_ADMIN, NULL,
     "add a user with roles, scopes and an OS account", NULL},
    {"list", pl__cli_cmd_user_list, PL_CMD_STORE, LIST_FORMATS, "list users, roles and scopes",
     NULL},
    {"disable", pl__cli_cmd_user_disable, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_ADMIN, NULL,
     "disable a user (its tokens are revoked)", NULL},
    {"roles", pl__cli_cmd_user_roles, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_ADMIN, NULL,
     "replace a user's roles", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

static const struct pl_command store_cmds[] = {
    {"copy", pl__cli_cmd_store_copy, 0, NULL,
     "copy the store into a new one, SQLite or PostgreSQL (ids and audit chain kept)", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

static const struct pl_command token_cmds[] = {
    {"create", pl__cli_cmd_token_create, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_ADMIN, NULL,
     "create an API token (printed once, stored as a hash)", NULL},
    {"list", pl__cli_cmd_token_list, PL_CMD_STORE, LIST_FORMATS, "list tokens (never the tokens)",
     NULL},
    {"revoke", pl__cli_cmd_token_revoke, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_ADMIN, NULL,
     "revoke a token", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

static const struct pl_command notify_cmds[] = {
    {"add", pl__cli_cmd_notify_add, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_ADMIN | PL_CMD_NOW, NULL,
     "add a webhook: URL, --secret-file, --event (signed with HMAC-SHA-256)", NULL},
    {"list", pl__cli_cmd_notify_list, PL_CMD_STORE, LIST_FORMATS,
     "list webhooks and their outbox (never the secrets)", NULL},
    {"remove", pl__cli_cmd_notify_remove, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_ADMIN | PL_CMD_NOW,
     NULL, "remove a webhook", NULL},
    {"deliver", pl__cli_cmd_notify_deliver,
     PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_OWN_TX | PL_CMD_NOW, NULL,
     "send the events due, retrying failures with back-off", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

static const struct pl_command agent_cmds[] = {
    {"token", pl__cli_cmd_agent_token, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_ADMIN, NULL,
     "create a one-time enrolment token (token create [--expires 24h] [--tag k=v])", NULL},
    {"list", pl__cli_cmd_agent_list, PL_CMD_STORE, LIST_FORMATS, "list enrolled hosts", NULL},
    {"jobs", pl__cli_cmd_agent_jobs, PL_CMD_STORE, LIST_FORMATS, "list the hosts' jobs", NULL},
    {"revoke", pl__cli_cmd_agent_revoke, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_ADMIN, NULL,
     "revoke a host's credential", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

static const struct pl_command schedule_cmds[] = {
    {"run", pl__cli_cmd_schedule_run, 0, NULL,
     "run a job of the server's schedule now (--server only; an operator)", NULL},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

const struct pl_command pl_commands[] = {
    {"help", pl__cli_cmd_help, 0, NULL, "show help for patchline or one command", NULL},
    {"demo", pl__cli_cmd_demo, PL_CMD_NOW, NULL,
     "run the whole pipeline offline on a sample estate", NULL},
    {"init", pl__cli_cmd_init, 0, NULL, "create or migrate the store (real or --simulated)", NULL},
    {"audit", pl__cli_cmd_audit, PL_CMD_STORE, LIST_FORMATS,
     "list recent audit events; audit verify, audit export (JSON lines)", NULL},
    {"user", NULL, 0, NULL, "users, roles and scopes (who may decide)", user_cmds},
    {"store", NULL, 0, NULL, "the store itself: store copy to another backend", store_cmds},
    {"token", NULL, 0, NULL, "API tokens of users", token_cmds},
    {"notify", NULL, 0, NULL, "signed webhooks: add, list, remove, deliver", notify_cmds},
    {"cvss", pl__cli_cmd_cvss, 0, NULL, "score CVSS v2, v3.x and v4.0 vectors", NULL},
    {"inventory", NULL, 0, NULL, "collect, import and export the asset inventory", inventory_cmds},
    {"assets", pl__cli_cmd_assets, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_OWN_TX | PL_CMD_NOW,
     LIST_FORMATS, "list, show and curate assets (set, retire, merge, split)", NULL},
    {"packages", pl__cli_cmd_packages, PL_CMD_STORE, LIST_FORMATS, "list the packages of one asset",
     NULL},
    {"software", pl__cli_cmd_software, PL_CMD_STORE, LIST_FORMATS,
     "list third-party software with its product CPE (--unmapped: names no rule maps)", NULL},
    {"window", NULL, 0, NULL, "maintenance windows", window_cmds},
    {"policy", NULL, 0, NULL, "tiering policies", policy_cmds},
    {"vercmp", pl__cli_cmd_vercmp, 0, NULL, "compare two versions under a scheme's order", NULL},
    {"feed", NULL, 0, NULL, "vulnerability feeds: import, status, sync", feed_commands},
    {"vuln", pl__cli_cmd_vuln, PL_CMD_STORE, "table,json",
     "everything known about one vulnerability", NULL},
    {"scan", pl__cli_cmd_scan, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, NULL,
     "match every asset against the advisories and tier the findings", NULL},
    {"findings", pl__cli_cmd_findings, PL_CMD_STORE | PL_CMD_NOW, LIST_FORMATS ",asff",
     "list findings with tier, due date and overdue flag", NULL},
    {"housekeeping", pl__cli_cmd_housekeeping, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, NULL,
     "record exception expiry and reviews at --now (audited; scan does it too)", NULL},
    {"explain", pl__cli_cmd_explain, PL_CMD_STORE, "text,json",
     "why a finding exists and has its tier", NULL},
    {"report", pl__cli_cmd_report, PL_CMD_STORE | PL_CMD_NOW, "html,md,json,csv",
     "monthly or quarterly report: SLA, time to patch, coverage, backlog", NULL},
    {"metrics", pl__cli_cmd_metrics, PL_CMD_STORE | PL_CMD_NOW, "table,json,prometheus",
     "the report's metrics for monitoring (Prometheus text)", NULL},
    {"snapshot", pl__cli_cmd_snapshot, PL_CMD_STORE | PL_CMD_WRITES | PL_CMD_NOW, NULL,
     "record today's backlog for the trend (idempotent)", NULL},
    {"plan", pl__cli_cmd_plan, PL_CMD_NOW, LIST_FORMATS,
     "build a rollout plan; plan --forecast, show, approve, check", NULL},
    {"apply", pl__cli_cmd_apply, PL_CMD_STORE | PL_CMD_NOW | PL_CMD_TRUSTED, NULL,
     "patch an asset as one job: verify, health check, roll back", NULL},
    {"rollback", pl__cli_cmd_rollback, PL_CMD_STORE | PL_CMD_NOW | PL_CMD_TRUSTED, NULL,
     "roll back an apply job from its kept package files", NULL},
    {"jobs", pl__cli_cmd_jobs, PL_CMD_STORE, LIST_FORMATS,
     "list apply jobs, or show one with its log", NULL},
    {"exception", NULL, 0, NULL, "exceptions and compensating controls", exception_cmds},
    {"handoff", pl__cli_cmd_handoff, 0, LIST_FORMATS,
     "write Ansible, SSM, WSUS, Intune, Kubernetes and image hand-offs of a plan", NULL},
    {"gate", pl__cli_cmd_gate, 0, NULL, "CI gate: fail on Trivy findings at or above a tier", NULL},
    {"agent", NULL, 0, NULL, "enrol hosts running patchline-agent; their jobs", agent_cmds},
    {"serve", pl__cli_cmd_serve, 0, NULL, "serve the API and the dashboard to a team (HTTP, TLS)",
     NULL},
    {"schedule", NULL, 0, NULL, "the server's scheduled work: run a job now (--server)",
     schedule_cmds},
    {NULL, NULL, 0, NULL, NULL, NULL},
};
