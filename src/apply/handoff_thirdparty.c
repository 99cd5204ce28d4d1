/*
 * handoff_thirdparty.c - `patchline handoff thirdparty`: the third-party
 * fixes of a stored plan's emitted waves. Browsers on Windows devices get an
 * Intune Settings Catalog policy (Edge: updates allowed; relaunch required
 * within the ring's deadline), browsers on Macs a Jamf Pro patch policy at the
 * target version; Lambda runtimes, RDS minor engine upgrades and EKS cluster
 * versions (with their managed node groups) are AWS CLI calls (a script
 * and a --cli-input-json body each);
 * major engine upgrades, Aurora clusters and appliance firmware are
 * projects, listed and not emitted. Every wave also gets a summary of its
 * software and the route each takes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/version.h"

#include "handoff_int.h"

#define ID_BYTES 256

/*
 * A browser Intune configures through the Settings Catalog (Windows). The
 * setting definition ids are the catalogue's (Microsoft Graph
 * deviceManagement/configurationSettings, as pl4nty/intune-change-tracking
 * records them under DCv2/Settings; docs/third-party.md names each): Edge's
 * updater policy is the ADMX-backed "update" namespace (Microsoft's fork of
 * Google Update keeps Google's category names); Google Update itself is not
 * in the catalogue, so Chrome's policy only requires the relaunch (Chrome
 * updates itself unless a policy elsewhere turned that off).
 */
struct browser {
    const char *product; /* "google:chrome" */
    const char *slug;    /* in file names */
    const char *name;    /* as Intune and Jamf list it */
    const char *update;  /* the updater's "update policy override" setting, NULL: none */
    const char *policy;  /* the browser's own policies (relaunch notification and period) */
};

#define EDGE_UPDATE                                                                   \
    "device_vendor_msft_policy_config_update~policy~cat_google~cat_googleupdate~cat_" \
    "applications~cat_microsoftedge_pol_updatepolicymicrosoftedge"
#define EDGE_POLICY "device_vendor_msft_policy_config_microsoft_edge~policy~microsoft_edge"

static const struct browser browsers[] = {
    {"google:chrome", "google-chrome", "Google Chrome", NULL,
     "device_vendor_msft_policy_config_chromeintunev1~policy~googlechrome"},
    {"microsoft:edge_chromium", "microsoft-edge", "Microsoft Edge", EDGE_UPDATE, EDGE_POLICY},
    {"microsoft:edge", "microsoft-edge", "Microsoft Edge", EDGE_UPDATE, EDGE_POLICY},
    {"mozilla:firefox", "mozilla-firefox", "Mozilla Firefox", NULL, NULL},
    {"mozilla:firefox_esr", "mozilla-firefox-esr", "Mozilla Firefox ESR", NULL, NULL},
};

static const struct browser *browser_of(const char *product)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(browsers); i++)
        if (strcmp(browsers[i].product, product) == 0)
            return &browsers[i];
    return NULL;
}

enum route { R_INTUNE, R_JAMF, R_ANSIBLE, R_LAMBDA, R_RDS, R_EKS, R_PROJECT, R_NONE };
static const char *const route_names[] = {"intune", "jamf", "ansible", "lambda",
                                          "rds",    "eks",  "project", "none"};

static const char *route_name(enum route r)
{
    return route_names[r];
}

/* The major version of an RDS engine version: "11.22" -> "11", "5.7.44" -> "5.7", "9.6.24" ->
 * "9.6". */
static void engine_major(const char *engine, const char *v, char *out, size_t cap)
{
    size_t one = strcspn(v, "."), two = one + (v[one] == '.' ? 1 + strcspn(v + one + 1, ".") : 0);
    bool postgres = strstr(engine, "postgres") != NULL;
    size_t n = postgres && (one > 1 || v[0] > '9') ? one : two; /* 10 and later: one number */

    snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), v);
}

/* The route a piece of software takes, and why when it is a project or has none. */
static enum route route_of(const struct pl_handoff_software *sw, char *why, size_t cap)
{
    const struct browser *b = browser_of(sw->product);
    bool host = strcmp(sw->kind, "host") == 0 || strcmp(sw->kind, "endpoint") == 0;
    char from[32], to[32];

    why[0] = '\0';
    if (strcmp(sw->class_, "browser") == 0 && b && strcmp(sw->ecosystem, "windows-app") == 0 &&
        b->policy)
        return R_INTUNE;
    if (strcmp(sw->class_, "browser") == 0 && b && strcmp(sw->ecosystem, "macos-app") == 0)
        return R_JAMF;
    if (strcmp(sw->kind, "function") == 0 && strcmp(sw->product, "aws-lambda") == 0)
        return R_LAMBDA;
    if (strcmp(sw->kind, "database") == 0) {
        if (strncmp(sw->os_family, "aurora", 6) == 0) {
            snprintf(why, cap,
                     "Aurora %s: engine versions are set on the DB cluster, not the "
                     "instance (aws rds modify-db-cluster)",
                     sw->os_family);
            return R_PROJECT;
        }
        engine_major(sw->os_family, sw->installed, from, sizeof(from));
        engine_major(sw->os_family, sw->version, to, sizeof(to));
        if (strcmp(from, to) != 0) {
            snprintf(why, cap,
                     "major version upgrade of %s from %s to %s: a project (test the "
                     "application on %s, a parameter group of the new family, "
                     "--allow-major-version-upgrade)",
                     sw->os_family, from, to, to);
            return R_PROJECT;
        }
        return R_RDS;
    }
    if (strcmp(sw->product, "amazon-eks") == 0 && sw->cluster[0])
        return R_EKS;
    if (strcmp(sw->class_, "network-appliance") == 0) {
        snprintf(why, cap, "appliance firmware (%s): the vendor's upgrade path, a project",
                 sw->product);
        return R_PROJECT;
    }
    if (host && (strcmp(sw->class_, "runtime") == 0 || strcmp(sw->class_, "database") == 0) &&
        pl__apply_handoff_runtime(sw->product))
        return R_ANSIBLE;
    snprintf(why, cap, "no hand-off carries %s (%s) on a %s",
             sw->product[0] ? sw->product : sw->package, sw->ecosystem[0] ? sw->ecosystem : "-",
             sw->kind);
    return R_NONE;
}

/* ---- JSON helpers ------------------------------------------------------------- */

static void jstr(struct pl_buf *b, const char *key, const char *v, const char *after)
{
    pl_escape_json_quoted(b, key);
    pl_buf_adds(b, ": ");
    pl_escape_json_quoted(b, v ? v : "");
    pl_buf_adds(b, after);
}

/* A space-separated list as a JSON array of strings. */
static void jlist(struct pl_buf *b, const char *list)
{
    bool first = true;

    pl_buf_addch(b, '[');
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, " ");
        if (n) {
            char item[PL_MAX_HANDOFF_STRING_BYTES + 1];
            snprintf(item, sizeof(item), "%.*s", (int)n, p);
            pl_buf_adds(b, first ? "" : ", ");
            pl_escape_json_quoted(b, item);
            first = false;
        }
        p += n + (p[n] == ' ');
    }
    pl_buf_addch(b, ']');
}

/* ---- Intune: a Settings Catalog policy per browser and wave -------------------- */

/* An enabled choice setting "ID" ("ID_1") up to its one child "ID_PART" of Graph type child. */
static void setting_open(struct pl_buf *b, const char *id, const char *child, const char *part)
{
    pl_buf_addf(
        b,
        "    {\n      \"@odata.type\": \"#microsoft.graph.deviceManagementConfigurationSetting\",\n"
        "      \"settingInstance\": {\n"
        "        \"@odata.type\": "
        "\"#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance\",\n"
        "        \"settingDefinitionId\": \"%s\",\n"
        "        \"choiceSettingValue\": {\n"
        "          \"@odata.type\": "
        "\"#microsoft.graph.deviceManagementConfigurationChoiceSettingValue\",\n"
        "          \"value\": \"%s_1\",\n"
        "          \"children\": [\n"
        "            {\n"
        "              \"@odata.type\": \"#microsoft.graph.%s\",\n"
        "              \"settingDefinitionId\": \"%s_%s\",\n",
        id, id, child, id, part);
}

/* A choice setting "ID" enabled, with one child choice "ID_PART" = "ID_PART_VALUE". */
static void choice(struct pl_buf *b, const char *id, const char *part, const char *value, bool last)
{
    setting_open(b, id, "deviceManagementConfigurationChoiceSettingInstance", part);
    pl_buf_addf(b,
                "              \"choiceSettingValue\": {\n"
                "                \"@odata.type\": "
                "\"#microsoft.graph.deviceManagementConfigurationChoiceSettingValue\",\n"
                "                \"value\": \"%s_%s_%s\",\n"
                "                \"children\": []\n"
                "              }\n            }\n          ]\n        }\n      }\n    }%s\n",
                id, part, value, last ? "" : ",");
}

/* An enabled choice setting "ID" with one integer child "ID_PART". */
static void integer(struct pl_buf *b, const char *id, const char *part, long long value)
{
    setting_open(b, id, "deviceManagementConfigurationSimpleSettingInstance", part);
    pl_buf_addf(b,
                "              \"simpleSettingValue\": {\n"
                "                \"@odata.type\": "
                "\"#microsoft.graph.deviceManagementConfigurationIntegerSettingValue\",\n"
                "                \"value\": %lld\n"
                "              }\n            }\n          ]\n        }\n      }\n    },\n",
                value);
}

/* The hours a ring has to relaunch onto the fix: 24 for the emergency lane, else the deadline. */
static int deadline_hours(const struct pl_handoff_wave *w, const struct pl_handoff_opts *o)
{
    int days = o->deadline_days > 0 ? o->deadline_days : 1;
    return w->ring == PL_RING_EMERGENCY ? 24 : days * 24;
}

/* The highest target and the devices of one product on one route in a wave. */
static const char *target_of(const struct pl_handoff_wave *w, const char *product, enum route r,
                             size_t *n_devices)
{
    const char *best = NULL;
    char why[8];

    *n_devices = 0;
    for (size_t i = 0; i < w->n_software; i++) {
        const struct pl_handoff_software *sw = &w->software[i];
        int cmp = 1;
        const struct browser *b = browser_of(sw->product), *want = browser_of(product);
        if (route_of(sw, why, sizeof(why)) != r || b == NULL || want == NULL ||
            strcmp(b->slug, want->slug) != 0)
            continue;
        (*n_devices)++;
        if (best && pl_version_cmp(PL_VSCHEME_RPMVERCMP, sw->version, best, &cmp, NULL) != PL_OK)
            cmp = strcmp(sw->version, best);
        if (cmp > 0)
            best = sw->version;
    }
    return best;
}

static void intune_policy(struct pl_handoff_out *out, const struct pl_handoff_wave *w,
                          const char *id, const struct browser *b, const char *target,
                          size_t n_devices, const struct pl_handoff_opts *o)
{
    struct pl_buf *f = pl__apply_handoff_file(out, "thirdparty/intune/%s-%s.json", id, b->slug);
    char name[ID_BYTES * 2], desc[ID_BYTES * 3];
    int hours = deadline_hours(w, o);

    snprintf(name, sizeof(name), "Patchline %s: %s %s or later", id, b->name, target);
    snprintf(desc, sizeof(desc),
             "%s %s or later on %zu device(s) of ring %s (group patchline-%s-ring%d): %srelaunch "
             "required within %d hours",
             b->name, target, n_devices, pl_handoff_wave_ring(w), w->env, w->ring,
             b->update ? "updates allowed, " : "", hours);
    pl_buf_adds(
        f, "{\n  \"@odata.type\": \"#microsoft.graph.deviceManagementConfigurationPolicy\",\n  ");
    jstr(f, "name", name, ",\n  ");
    jstr(f, "description", desc, ",\n");
    pl_buf_adds(f, "  \"platforms\": \"windows10\",\n  \"technologies\": \"mdm\",\n"
                   "  \"roleScopeTagIds\": [\"0\"],\n  \"settings\": [\n");
    char relaunch[ID_BYTES], period[ID_BYTES];
    snprintf(relaunch, sizeof(relaunch), "%s_relaunchnotification", b->policy);
    snprintf(period, sizeof(period), "%s_relaunchnotificationperiod", b->policy);
    /* updates always allowed (1), whatever a policy elsewhere set */
    if (b->update)
        choice(f, b->update, "part_updatepolicy", "1", false);
    /* relaunch within the ring's period (milliseconds), then required (2) */
    integer(f, period, "relaunchnotificationperiod", (long long)hours * 3600 * 1000);
    choice(f, relaunch, "relaunchnotification", "2", true);
    pl_buf_adds(f, "  ]\n}\n");
}

/* ---- Jamf Pro: a patch policy per browser and wave ----------------------------- */

static void jamf_policy(struct pl_handoff_out *out, const struct pl_handoff_wave *w, const char *id,
                        const struct browser *b, const char *target, size_t n_devices,
                        const struct pl_handoff_opts *o)
{
    struct pl_buf *f = pl__apply_handoff_file(out, "thirdparty/jamf/%s-%s.json", id, b->slug);
    bool now = w->ring == PL_RING_EMERGENCY;
    int days = deadline_hours(w, o) / 24;
    char name[ID_BYTES * 2], desc[ID_BYTES * 3], msg[128];

    snprintf(name, sizeof(name), "Patchline %s: %s %s", id, b->name, target);
    snprintf(
        desc, sizeof(desc),
        "Security update of %s to %s for %zu computer(s) of ring %s (group patchline-%s-ring%d)",
        b->name, target, n_devices, pl_handoff_wave_ring(w), w->env, w->ring);
    pl_buf_adds(f, "{\n  ");
    jstr(f, "name", name, ",\n");
    pl_buf_adds(f, "  \"enabled\": true,\n  ");
    jstr(f, "targetPatchVersion", target, ",\n");
    pl_buf_addf(f, "  \"deploymentMethod\": \"%s\",\n", now ? "Automatic" : "SelfService");
    pl_buf_adds(f, "  \"softwareTitleConfigurationId\": \"\",\n"
                   "  \"isDowngrade\": false,\n  \"isPatchUnknownVersion\": false,\n"
                   "  \"killAppsDelayMinutes\": 5,\n  ");
    snprintf(msg, sizeof(msg), "%s will quit in 5 minutes to install a security update.", b->name);
    jstr(f, "killAppsMessage", msg, ",\n");
    pl_buf_adds(f, "  \"selfServiceEnforceDeadline\": true,\n");
    pl_buf_addf(f, "  \"selfServiceDeadline\": %d,\n", days);
    pl_buf_adds(f, "  \"installButtonText\": \"Update\",\n  ");
    jstr(f, "selfServiceDescription", desc, ",\n");
    pl_buf_adds(f, "  \"notificationHeader\": \"Security update\",\n"
                   "  \"reminderEnabled\": true,\n  \"reminderFrequency\": 1\n}\n");
}

/* ---- AWS: Lambda runtimes, RDS minor upgrades, EKS cluster versions ------------ */

struct aws {
    struct pl_handoff_out *out;
    const char *id; /* the wave's */
    struct pl_buf *sh;
    size_t n;
};

/* One AWS CLI call: a line of the wave's script and its --cli-input-json body. */
static void aws_call(struct aws *a, const char *const *argv, const char *what, const char *body)
{
    struct pl_buf *f = pl__apply_handoff_file(a->out, "thirdparty/aws/%s-%s.json", a->id, what);

    pl_buf_adds(f, body);
    pl__apply_handoff_sh_argv(a->sh, argv);
    a->n++;
}

static void region_args(const struct pl_handoff_software *sw, const char **argv, size_t *k)
{
    if (sw->region[0]) {
        argv[(*k)++] = "--region";
        argv[(*k)++] = sw->region;
    }
}

static void lambda(struct aws *a, const struct pl_handoff_software *sw)
{
    struct pl_buf body = PL_BUF_INIT(0);
    const char *argv[12] = {
        "aws",       "lambda",   "update-function-configuration", "--function-name", sw->asset,
        "--runtime", sw->version};
    const char *wait[10] = {"aws",    "lambda", "wait", "function-updated", "--function-name",
                            sw->asset};
    size_t k = 7, kw = 6;
    char what[ID_BYTES];

    region_args(sw, argv, &k);
    region_args(sw, wait, &kw);
    pl_buf_adds(&body, "{\n  ");
    jstr(&body, "FunctionName", sw->asset, ",\n  ");
    jstr(&body, "Runtime", sw->version, "\n}\n");
    snprintf(what, sizeof(what), "lambda-%s", sw->asset);
    aws_call(a, argv, what, pl_buf_cstr(&body));
    pl__apply_handoff_sh_argv(a->sh, wait);
    pl_buf_release(&body);
}

static void rds(struct aws *a, const struct pl_handoff_software *sw, bool immediately)
{
    struct pl_buf body = PL_BUF_INIT(0);
    const char *argv[12] = {"aws",
                            "rds",
                            "modify-db-instance",
                            "--db-instance-identifier",
                            sw->asset,
                            "--engine-version",
                            sw->version,
                            immediately ? "--apply-immediately" : "--no-apply-immediately"};
    size_t k = 8;
    char what[ID_BYTES];

    region_args(sw, argv, &k);
    pl_buf_adds(&body, "{\n  ");
    jstr(&body, "DBInstanceIdentifier", sw->asset, ",\n  ");
    jstr(&body, "EngineVersion", sw->version, ",\n");
    pl_buf_addf(&body, "  \"ApplyImmediately\": %s\n}\n", immediately ? "true" : "false");
    snprintf(what, sizeof(what), "rds-%s", sw->asset);
    aws_call(a, argv, what, pl_buf_cstr(&body));
    pl_buf_release(&body);
}

/* "1.27" -> 1, 27; false when not MAJOR.MINOR. */
static bool k8s_version(const char *v, int *major, int *minor)
{
    char tail;
    return sscanf(v, "%d.%d%c", major, minor, &tail) == 2 && *major >= 1 && *minor >= 0 &&
           *minor < 1000;
}

/* One managed node group to the cluster's Kubernetes version ver, and the wait for it. */
static void eks_nodegroup(struct aws *a, const struct pl_handoff_software *sw, const char *ng,
                          const char *ver)
{
    struct pl_buf body = PL_BUF_INIT(0);
    char what[PL_MAX_HANDOFF_STRING_BYTES * 2];
    const char *argv[12] = {"aws",
                            "eks",
                            "update-nodegroup-version",
                            "--cluster-name",
                            sw->cluster,
                            "--nodegroup-name",
                            ng,
                            "--kubernetes-version",
                            ver};
    const char *wait[12] = {
        "aws", "eks", "wait", "nodegroup-active", "--cluster-name", sw->cluster, "--nodegroup-name",
        ng};
    size_t k = 9, kw = 8;

    region_args(sw, argv, &k);
    region_args(sw, wait, &kw);
    pl_buf_adds(&body, "{\n  ");
    jstr(&body, "clusterName", sw->cluster, ",\n  ");
    jstr(&body, "nodegroupName", ng, ",\n  ");
    jstr(&body, "version", ver, "\n}\n"); /* --kubernetes-version */
    snprintf(what, sizeof(what), "eksng-%s-%s-%s", sw->cluster, ng, ver);
    aws_call(a, argv, what, pl_buf_cstr(&body));
    pl__apply_handoff_sh_argv(a->sh, wait);
    pl_buf_release(&body);
}

/*
 * The managed node groups of sw ("NAME=VERSION ...") to version maj.minor:
 * every one below it (all of them after a control plane step; before the
 * first, those behind the control plane).
 */
static void eks_nodegroups(struct aws *a, const struct pl_handoff_software *sw, int maj, int minor)
{
    char ver[32];

    snprintf(ver, sizeof(ver), "%d.%d", maj, minor);
    for (const char *p = sw->nodegroups ? sw->nodegroups : ""; *p;) {
        size_t n = strcspn(p, " ");
        const char *eq = memchr(p, '=', n);
        int gmaj, gmin;
        char name[256], gver[64]; /* EKS: node group names of at most 63 characters */

        if (eq && (size_t)(eq - p) < sizeof(name) && (size_t)(p + n - eq - 1) < sizeof(gver)) {
            snprintf(name, sizeof(name), "%.*s", (int)(eq - p), p);
            snprintf(gver, sizeof(gver), "%.*s", (int)(p + n - eq - 1), eq + 1);
            if (k8s_version(gver, &gmaj, &gmin) && gmaj == maj && gmin < minor)
                eks_nodegroup(a, sw, name, ver);
        }
        p += n + (p[n] == ' ');
    }
}

/*
 * EKS moves one minor version at a time, and updates the control plane only
 * when its managed nodes run its version: the node groups behind it first,
 * then per step the cluster (and its wait), then every node group to it.
 */
static void eks(struct aws *a, const struct pl_handoff_software *sw)
{
    int maj, from, to, tmaj;

    if (!k8s_version(sw->installed, &maj, &from) || !k8s_version(sw->version, &tmaj, &to) ||
        tmaj != maj)
        return;
    eks_nodegroups(a, sw, maj, from);
    for (int m = from + 1; m <= to; m++) {
        struct pl_buf body = PL_BUF_INIT(0);
        char ver[32], what[ID_BYTES];
        const char *argv[10] = {"aws",    "eks",       "update-cluster-version",
                                "--name", sw->cluster, "--kubernetes-version",
                                ver};
        const char *wait[10] = {"aws", "eks", "wait", "cluster-active", "--name", sw->cluster};
        size_t k = 7, kw = 6;

        snprintf(ver, sizeof(ver), "%d.%d", maj, m);
        region_args(sw, argv, &k);
        region_args(sw, wait, &kw);
        pl_buf_adds(&body, "{\n  ");
        jstr(&body, "name", sw->cluster, ",\n  ");
        jstr(&body, "version", ver, "\n}\n");
        snprintf(what, sizeof(what), "eks-%s-%s", sw->cluster, ver);
        aws_call(a, argv, what, pl_buf_cstr(&body));
        pl__apply_handoff_sh_argv(a->sh, wait);
        pl_buf_release(&body);
        eks_nodegroups(a, sw, maj, m);
    }
}

/* Whether an earlier entry of the wave already upgrades the same EKS cluster. */
static bool eks_seen(const struct pl_handoff_wave *w, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (strcmp(w->software[k].product, "amazon-eks") == 0 &&
            strcmp(w->software[k].cluster, w->software[i].cluster) == 0)
            return true;
    return false;
}

/* ---- per wave ------------------------------------------------------------------ */

static void summary_entry(struct pl_buf *f, const struct pl_handoff_software *sw, enum route r,
                          const char *why, bool last)
{
    pl_buf_adds(f, "    {");
    jstr(f, "asset", sw->asset, ", ");
    jstr(f, "kind", sw->kind, ", ");
    jstr(f, "package", sw->package, ", ");
    jstr(f, "product", sw->product, ", ");
    jstr(f, "class", sw->class_, ", ");
    jstr(f, "installed", sw->installed, ", ");
    jstr(f, "target", sw->version, ", ");
    pl_buf_adds(f, "\"vulnerabilities\": ");
    jlist(f, sw->vulns);
    pl_buf_adds(f, ", ");
    jstr(f, "route", route_name(r), why[0] ? ", " : "");
    if (why[0])
        jstr(f, "detail", why, "");
    pl_buf_adds(f, last ? "}\n" : "},\n");
}

/* Names that go into file names and commands: the charset of host names. */
static pl_status check_names(const char *id, const struct pl_handoff_software *sw, enum route r,
                             struct pl_error *err)
{
    pl_status rc = PL_OK;

    if (r == R_LAMBDA || r == R_RDS)
        rc = pl__apply_handoff_check_host(id, sw->asset, "name", err);
    if (rc == PL_OK && r == R_EKS)
        rc = pl__apply_handoff_check_host(id, sw->cluster, "cluster", err);
    for (const char *p = sw->nodegroups ? sw->nodegroups : ""; rc == PL_OK && r == R_EKS && *p;) {
        size_t n = strcspn(p, " "), k = strcspn(p, "=");
        char name[PL_MAX_HANDOFF_STRING_BYTES + 1];

        snprintf(name, sizeof(name), "%.*s", (int)(k < n ? k : n), p);
        rc = pl__apply_handoff_check_host(id, name, "node group", err);
        p += n + (p[n] == ' ');
    }
    if (rc == PL_OK && (r == R_LAMBDA || r == R_RDS || r == R_EKS) &&
        strspn(sw->version, "abcdefghijklmnopqrstuvwxyz0123456789.-_") != strlen(sw->version))
        rc = pl_error_set(err, PL_E_PARSE, "%s: asset '%s': target '%s' is not a version", id,
                          sw->asset, sw->version);
    if (rc == PL_OK && sw->region[0] &&
        strspn(sw->region, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(sw->region))
        rc = pl_error_set(err, PL_E_PARSE, "%s: asset '%s': region '%s' is not a region", id,
                          sw->asset, sw->region);
    return rc;
}

static pl_status one_wave(struct pl_handoff_out *out, const struct pl_handoff_wave *w,
                          const struct pl_handoff_opts *o, struct pl_buf *projects,
                          size_t *n_projects, struct pl_error *err)
{
    char id[ID_BYTES], why[512], at[PL_TIME_STR_LEN];
    struct pl_buf *sum, sh = PL_BUF_INIT(0);
    struct aws a = {.out = out, .id = id, .sh = &sh};
    bool immediately = w->ring == PL_RING_EMERGENCY || !o->rds_instance_window;
    pl_status rc = PL_OK;

    pl__apply_handoff_wave_id(w, id, sizeof(id));
    sum = pl__apply_handoff_file(out, "thirdparty/%s.json", id);
    pl_buf_adds(sum, "{\n  ");
    jstr(sum, "wave", id, ",\n  ");
    jstr(sum, "start", pl_time_format(w->start, at), ",\n  ");
    jstr(sum, "approval", w->approval ? w->approval : "", ",\n  \"software\": [\n");
    for (size_t i = 0; rc == PL_OK && i < w->n_software; i++) {
        const struct pl_handoff_software *sw = &w->software[i];
        enum route r = route_of(sw, why, sizeof(why));

        if ((rc = check_names(id, sw, r, err)) != PL_OK)
            break;
        summary_entry(sum, sw, r, why, i + 1 == w->n_software);
        if (r == R_LAMBDA)
            lambda(&a, sw);
        else if (r == R_RDS)
            rds(&a, sw, immediately);
        else if (r == R_EKS && !eks_seen(w, i))
            eks(&a, sw);
        else if (r == R_PROJECT) {
            pl_buf_adds(projects, (*n_projects)++ ? ",\n  {" : "\n  {");
            jstr(projects, "wave", id, ", ");
            jstr(projects, "asset", sw->asset, ", ");
            jstr(projects, "product", sw->product, ", ");
            jstr(projects, "installed", sw->installed, ", ");
            jstr(projects, "target", sw->version, ", ");
            pl_buf_adds(projects, "\"vulnerabilities\": ");
            jlist(projects, sw->vulns);
            pl_buf_adds(projects, ", ");
            jstr(projects, "why", why, "}");
        }
    }
    pl_buf_adds(sum, "  ]\n}\n");
    /* one policy per browser and route */
    for (size_t i = 0; rc == PL_OK && i < PL_ARRAY_LEN(browsers); i++) {
        size_t n;
        const char *t;
        if (i > 0 && strcmp(browsers[i].slug, browsers[i - 1].slug) == 0)
            continue;
        if ((t = target_of(w, browsers[i].product, R_INTUNE, &n)) != NULL)
            intune_policy(out, w, id, &browsers[i], t, n, o);
        if ((t = target_of(w, browsers[i].product, R_JAMF, &n)) != NULL)
            jamf_policy(out, w, id, &browsers[i], t, n, o);
    }
    if (rc == PL_OK && a.n) {
        struct pl_buf *f = pl__apply_handoff_file(out, "thirdparty/aws/%s.sh", id);
        pl_buf_addf(f,
                    "#!/bin/sh\n# Patchline wave %s: third-party fixes through the AWS CLI\n"
                    "set -eu\n",
                    id);
        pl_buf_add(f, sh.buf, sh.len);
    }
    pl_buf_release(&sh);
    return rc;
}

pl_status pl_handoff_thirdparty(const struct pl_handoff_plan *p, const struct pl_handoff_opts *o,
                                struct pl_handoff_out *out, struct pl_error *err)
{
    struct pl_buf projects = PL_BUF_INIT(0);
    size_t n_projects = 0;
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < p->n_waves; i++)
        if (p->waves[i].n_software)
            rc = one_wave(out, &p->waves[i], o, &projects, &n_projects, err);
    if (rc == PL_OK) {
        struct pl_buf *f = pl__apply_handoff_file(out, "thirdparty/projects.json");
        pl_buf_adds(f, "[");
        pl_buf_add(f, projects.buf, projects.len);
        pl_buf_adds(f, n_projects ? "\n]\n" : "]\n");
        rc = pl__apply_handoff_out_status(out, err);
    }
    pl_buf_release(&projects);
    return rc;
}
