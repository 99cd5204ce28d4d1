/*
 * handoff_ansible.c - Ansible hand-off: one inventory per wave (host vars
 * carry the target versions), one playbook with a play per wave (serial and
 * max_fail_percentage from the ring, apt packages at or past their fixed
 * versions as the hosts' repositories offer them, rpm pinned to them,
 * reboot guarded by the reboot-required marker), and AWX job templates and
 * schedules as API JSON.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/tz.h"

#include "handoff_int.h"

#define CTX_BYTES 160

enum pkg_module { MOD_NONE, MOD_APT, MOD_DNF };

static enum pkg_module module_of(const char *os_family, bool *known)
{
    static const char *const apt[] = {"debian", "ubuntu", NULL};
    static const char *const dnf[] = {"redhat", "rhel",   "centos", "rocky",  "almalinux",
                                      "alma",   "fedora", "amazon", "oracle", NULL};
    *known = true;
    for (size_t i = 0; apt[i]; i++)
        if (strcmp(os_family, apt[i]) == 0)
            return MOD_APT;
    for (size_t i = 0; dnf[i]; i++)
        if (strcmp(os_family, dnf[i]) == 0)
            return MOD_DNF;
    *known = strcmp(os_family, "windows") == 0;
    return MOD_NONE;
}

static const char *eco_of(enum pkg_module m)
{
    return m == MOD_APT ? "deb" : m == MOD_DNF ? "rpm" : "";
}

/* The group name: the wave id with every '-' and '.' as '_' (Ansible group name rules). */
static void group_name(const struct pl_handoff_wave *w, char *buf, size_t size)
{
    char id[CTX_BYTES];
    pl__apply_handoff_wave_id(w, id, sizeof(id));
    if (snprintf(buf, size, "pl_%s", id) < 0 && size)
        buf[0] = '\0';
    for (char *p = buf; *p; p++)
        if (*p == '-' || *p == '.')
            *p = '_';
}

static bool wave_has(const struct pl_handoff_wave *w, const char *eco)
{
    for (size_t i = 0; i < w->n_packages; i++)
        if (strcmp(w->packages[i].ecosystem, eco) == 0)
            return true;
    for (size_t i = 0; i < w->n_assets; i++)
        for (size_t k = 0; w->assets[i].own_packages && k < w->assets[i].n_packages; k++)
            if (strcmp(w->assets[i].packages[k].ecosystem, eco) == 0)
                return true;
    return false;
}

/* dpkg drops the epoch from .deb file names. */
static const char *no_epoch(const char *v)
{
    const char *c = strchr(v, ':');
    return c ? c + 1 : v;
}

/* The host's own targets of its module's ecosystem as host vars; the count. */
static size_t host_targets(struct pl_buf *b, const struct pl_handoff_wave *w,
                           const struct pl_handoff_asset *a, enum pkg_module m)
{
    size_t n = 0, count = 0;
    const struct pl_handoff_package *pk = pl__apply_handoff_targets(w, a, &n);

    for (size_t k = 0; k < n; k++) {
        const struct pl_handoff_package *p = &pk[k];
        if (strcmp(p->ecosystem, eco_of(m)) != 0)
            continue;
        if (count++ == 0)
            pl_buf_adds(b, "          pl_targets:\n");
        /*
         * apt: name>=version, which Ansible's apt module resolves to the
         * candidate of the host's own sources when it reaches the fix, and
         * installs as name=CANDIDATE (a version the repositories hold: a
         * binNMU, a later security upload); no candidate that reaches it
         * fails the host. dnf: the exact name-[epoch:]version-release.
         */
        pl_buf_addf(b, "            - {name: \"%s\", version: \"%s\", pin: \"%s%s%s\"", p->name,
                    p->version, p->name, m == MOD_APT ? ">=" : "-", p->version);
        if (p->installed && p->installed[0])
            pl_buf_addf(b, ", installed: \"%s\", keep: \"%s%c%s\"", p->installed, p->name,
                        m == MOD_APT ? '=' : '-', p->installed);
        if (m == MOD_APT)
            pl_buf_addf(b, ", file: \"%s_%s\"", p->name, no_epoch(p->version));
        if (m == MOD_APT && p->installed && p->installed[0])
            pl_buf_addf(b, ", kept_file: \"%s_%s\"", p->name, no_epoch(p->installed));
        pl_buf_adds(b, "}\n");
    }
    if (count == 0)
        pl_buf_adds(b, "          pl_targets: []\n");
    return count;
}

static pl_status inventory(const struct pl_handoff_wave *w, const struct pl_handoff_opts *o,
                           struct pl_handoff_out *out, size_t *n_hosts, struct pl_error *err)
{
    char id[CTX_BYTES], group[CTX_BYTES];
    bool targeted = pl__apply_handoff_mode(o) == PL_HANDOFF_TARGETED;
    struct pl_buf *b, host = PL_BUF_INIT(PL_MAX_HANDOFF_PLAN_BYTES);

    pl__apply_handoff_wave_id(w, id, sizeof(id));
    group_name(w, group, sizeof(group));
    b = pl__apply_handoff_file(out, "ansible/inventory/%s.yml", id);
    pl_buf_addf(b, "# Patchline hand-off: wave %s (ring %d, %s), window %s, mode %s\n", id, w->ring,
                pl_handoff_wave_ring(w), w->window.name, pl__apply_handoff_mode_name(o));
    pl_buf_addf(b, "all:\n  children:\n    %s:\n      hosts:\n", group);
    *n_hosts = 0;
    for (size_t i = 0; i < w->n_assets; i++) {
        const struct pl_handoff_asset *a = &w->assets[i];
        bool known;
        enum pkg_module m = module_of(a->os_family, &known);
        if (strcmp(a->kind, "host") != 0)
            continue;
        if (!known) {
            pl_buf_release(&host);
            return pl_error_set(err, PL_E_UNSUPPORTED,
                                "ansible: %s: asset '%s': os_family '%s' has no package module "
                                "here (apt: debian, ubuntu; dnf: redhat, centos, rocky, ...)",
                                id, a->name, a->os_family);
        }
        if (m == MOD_NONE)
            continue;
        pl_status rc = pl__apply_handoff_check_host(id, a->name, "name", err);
        if (rc != PL_OK) {
            pl_buf_release(&host);
            return pl__apply_handoff_fail(rc, err, "ansible");
        }
        pl_buf_reset(&host);
        pl_buf_adds(&host, "        ");
        pl_escape_json_quoted(&host, a->name);
        pl_buf_addf(&host, ":\n          pl_pkg_module: \"%s\"\n", m == MOD_APT ? "apt" : "dnf");
        /* targeted: a host with nothing it has and needs is not in the wave */
        if (host_targets(&host, w, a, m) == 0 && targeted)
            continue;
        pl_buf_add(b, pl_buf_cstr(&host), host.len);
        ++*n_hosts;
    }
    pl_buf_release(&host);
    if (*n_hosts == 0)
        pl_buf_adds(b, "        {}\n");
    return PL_OK;
}

static void dpkg_root_assert(struct pl_buf *b)
{
    pl_buf_adds(b, "    - name: Refuse to act on the real root\n"
                   "      ansible.builtin.assert:\n"
                   "        that:\n"
                   "          - pl_dpkg_root is defined\n"
                   "          - pl_dpkg_root | length > 1\n"
                   "          - pl_dpkg_root != '/'\n"
                   "          - pl_deb_dir is defined\n");
}

/* The argv of dpkg installing the .deb files named by item[field] into the throwaway root. */
static void dpkg_install(struct pl_buf *b, const char *what, const char *field, const char *loop,
                         const char *flag)
{
    pl_buf_addf(
        b,
        "    - name: \"%s\"\n"
        "      ansible.builtin.command:\n"
        "        argv:\n"
        "          - dpkg\n"
        "          - \"--root={{ pl_dpkg_root }}\"\n"
        "          - --force-not-root\n"
        "          - --force-script-chrootless\n"
        "          - %s\n"
        "          - --log=/dev/null\n"
        "          - --install\n"
        "          - \"{{ pl_deb_dir }}/{{ item.%s }}_{{ pl_deb_arch | default('all') }}.deb\"\n"
        "      loop: \"%s\"\n"
        "      when: pl_pkg_module == \"apt\"\n",
        what, flag, field, loop);
}

static void dpkg_root_tasks(struct pl_buf *b)
{
    dpkg_install(b, "Install the host's targets into the dpkg root", "file", "{{ pl_targets }}",
                 "--refuse-downgrade");
}

/* mode targeted: each host's own pinned versions, only packages it has, never a downgrade */
static void targeted_tasks(struct pl_buf *b, const struct pl_handoff_wave *w)
{
    if (wave_has(w, "deb"))
        pl_buf_adds(b, "    - name: Install the host's fixed Debian package versions\n"
                       "      ansible.builtin.apt:\n"
                       "        name: \"{{ pl_targets | map(attribute='pin') | list }}\"\n"
                       "        state: present\n"
                       "        only_upgrade: true\n"
                       "        allow_downgrade: false\n"
                       "        update_cache: true\n"
                       "      when: pl_pkg_module == \"apt\" and pl_targets | length > 0\n");
    if (wave_has(w, "rpm"))
        pl_buf_adds(b, "    - name: Install the host's fixed RPM package versions\n"
                       "      ansible.builtin.dnf:\n"
                       "        name: \"{{ pl_targets | map(attribute='pin') | list }}\"\n"
                       "        state: present\n"
                       "        allow_downgrade: false\n"
                       "      when: pl_pkg_module == \"dnf\" and pl_targets | length > 0\n");
}

/* modes security and dist: what the hosts' repositories offer, installed packages only */
static void repo_tasks(struct pl_buf *b, enum pl_handoff_mode mode)
{
    if (mode == PL_HANDOFF_SECURITY)
        pl_buf_adds(b, "    - name: Update the apt cache\n"
                       "      ansible.builtin.apt:\n"
                       "        update_cache: true\n"
                       "      when: pl_pkg_module == \"apt\"\n"
                       "    - name: \"Apply the security updates (unattended-upgrade: security "
                       "origins only)\"\n"
                       "      ansible.builtin.command:\n"
                       "        argv: [unattended-upgrade, -v]\n"
                       "      when: pl_pkg_module == \"apt\"\n"
                       "    - name: Apply the security updates of installed RPM packages\n"
                       "      ansible.builtin.dnf:\n"
                       "        name: \"*\"\n"
                       "        state: latest\n"
                       "        security: true\n"
                       "        update_only: true\n"
                       "      when: pl_pkg_module == \"dnf\"\n");
    else
        pl_buf_adds(b, "    - name: Update the cache, upgrade every package, remove the unused\n"
                       "      ansible.builtin.apt:\n"
                       "        update_cache: true\n"
                       "        upgrade: dist\n"
                       "        autoremove: true\n"
                       "      when: pl_pkg_module == \"apt\"\n"
                       "    - name: Upgrade every installed RPM package\n"
                       "      ansible.builtin.dnf:\n"
                       "        name: \"*\"\n"
                       "        state: latest\n"
                       "        update_only: true\n"
                       "        update_cache: true\n"
                       "      when: pl_pkg_module == \"dnf\"\n"
                       "    - name: Remove the packages nothing needs any more\n"
                       "      ansible.builtin.dnf:\n"
                       "        autoremove: true\n"
                       "      when: pl_pkg_module == \"dnf\"\n");
}

static void package_tasks(struct pl_buf *b, const struct pl_handoff_wave *w,
                          enum pl_handoff_mode mode)
{
    if (mode == PL_HANDOFF_TARGETED)
        targeted_tasks(b, w);
    else
        repo_tasks(b, mode);
}

/* With `reboot`: reboot when the packages ask for it (register names take the suffix). */
static void reboot_tasks(struct pl_buf *b, const struct pl_handoff_wave *w)
{
    if (!w->reboot)
        return;
    pl_buf_adds(b, "    - name: Check whether Debian asks for a reboot\n"
                   "      ansible.builtin.stat:\n"
                   "        path: /var/run/reboot-required\n"
                   "      register: pl_reboot_required\n"
                   "      when: pl_pkg_module == \"apt\"\n"
                   "    - name: Check whether RPM updates need a reboot\n"
                   "      ansible.builtin.command:\n"
                   "        argv: [needs-restarting, -r]\n"
                   "      register: pl_needs_restarting\n"
                   "      changed_when: false\n"
                   "      failed_when: pl_needs_restarting.rc > 1\n"
                   "      when: pl_pkg_module == \"dnf\"\n"
                   "    - name: Reboot when required\n"
                   "      ansible.builtin.reboot:\n"
                   "        reboot_timeout: 1800\n"
                   "      when: >-\n"
                   "        (pl_pkg_module == \"apt\" and pl_reboot_required.stat.exists) or\n"
                   "        (pl_pkg_module == \"dnf\" and pl_needs_restarting.rc == 1)\n");
}

/* The host's package versions as pins ("name=version", "name-epoch:version-release") into var. */
static void version_list(struct pl_buf *b, const char *what, const char *var)
{
    pl_buf_addf(
        b,
        "    - name: %s (apt)\n"
        "      ansible.builtin.command:\n"
        "        argv: [dpkg-query, -W, !unsafe \"-f=${Package}=${Version}\\n\"]\n"
        "      register: %s_deb\n"
        "      changed_when: false\n"
        "      when: pl_pkg_module == \"apt\"\n"
        "    - name: %s (dnf)\n"
        "      ansible.builtin.command:\n"
        "        argv: [rpm, -qa, --qf, !unsafe \"%%{NAME}-%%{EPOCHNUM}:%%{VERSION}-%%{RELEASE}\\n\"]\n"
        "      register: %s_rpm\n"
        "      changed_when: false\n"
        "      when: pl_pkg_module == \"dnf\"\n",
        what, var, what, var);
}

/* The plan's health check: its argv, never templated (!unsafe). */
static void health_task(struct pl_buf *b, const struct pl_handoff_wave *w)
{
    if (w->n_health_check == 0)
        return;
    pl_buf_adds(b, "    - name: \"Run the plan's health check\"\n"
                   "      ansible.builtin.command:\n"
                   "        argv:\n");
    for (size_t i = 0; i < w->n_health_check; i++) {
        pl_buf_adds(b, "          - !unsafe ");
        pl_escape_json_quoted(b, w->health_check[i]);
        pl_buf_addch(b, '\n');
    }
    pl_buf_adds(b, "      changed_when: false\n");
}

/* After a failed install or health check: the kept versions back, then the host fails. */
static void rescue_tasks(struct pl_buf *b, const struct pl_handoff_wave *w, bool dpkg_root)
{
    static const char changed_deb[] =
        "pl_kept_deb.stdout_lines | difference(pl_now_deb.stdout_lines)";
    static const char changed_rpm[] =
        "pl_kept_rpm.stdout_lines | difference(pl_now_rpm.stdout_lines)";

    if (dpkg_root) {
        dpkg_install(b, "Reinstall the kept versions into the dpkg root", "kept_file",
                     "{{ pl_targets | selectattr('kept_file', 'defined') | list }}",
                     "--force-downgrade");
    } else {
        version_list(b, "Read the package versions after the failure", "pl_now");
        pl_buf_addf(b,
                    "    - name: Reinstall the kept version of every package the install changed "
                    "(apt)\n"
                    "      ansible.builtin.apt:\n"
                    "        name: \"{{ %s }}\"\n"
                    "        state: present\n"
                    "        allow_downgrade: true\n"
                    "      when: pl_pkg_module == \"apt\" and (%s | length > 0)\n"
                    "    - name: Reinstall the kept version of every package the install changed "
                    "(dnf)\n"
                    "      ansible.builtin.dnf:\n"
                    "        name: \"{{ %s }}\"\n"
                    "        state: present\n"
                    "        allow_downgrade: true\n"
                    "      when: pl_pkg_module == \"dnf\" and (%s | length > 0)\n",
                    changed_deb, changed_deb, changed_rpm, changed_rpm);
        reboot_tasks(b, w);
    }
    pl_buf_adds(b, "    - name: Fail the host after its rollback\n"
                   "      ansible.builtin.fail:\n"
                   "        msg: \"the install or the health check failed on "
                   "{{ inventory_hostname }}; the versions kept before the install are back\"\n");
}

/* Each line of t into b, four more spaces in (tasks inside a block). */
static void add_indented(struct pl_buf *b, const struct pl_buf *t)
{
    for (const char *l = pl_buf_cstr(t); *l;) {
        const char *eol = strchr(l, '\n');
        size_t len = eol ? (size_t)(eol - l + 1) : strlen(l);
        pl_buf_adds(b, "    ");
        pl_buf_add(b, l, len);
        l += len;
    }
}

/*
 * The play's tasks: the kept versions first, then a block (install, reboot
 * when required, the plan's health check) whose rescue puts the kept
 * versions back and fails the host, so that max_fail_percentage counts it.
 */
static void wave_tasks(struct pl_buf *b, const struct pl_handoff_wave *w,
                       const struct pl_handoff_opts *o)
{
    struct pl_buf t = PL_BUF_INIT(PL_MAX_HANDOFF_FILE_BYTES);

    if (o->dpkg_root)
        dpkg_root_assert(b);
    else
        version_list(b, "Keep the package versions before the install", "pl_kept");
    pl_buf_adds(b, "    - name: Install, then check the host\n      block:\n");
    if (o->dpkg_root) {
        dpkg_root_tasks(&t);
    } else {
        package_tasks(&t, w, pl__apply_handoff_mode(o));
        reboot_tasks(&t, w);
    }
    health_task(&t, w);
    add_indented(b, &t);
    pl_buf_reset(&t);
    pl_buf_adds(b, "      rescue:\n");
    rescue_tasks(&t, w, o->dpkg_root);
    add_indented(b, &t);
    pl_buf_release(&t);
}

static void play(struct pl_buf *b, const struct pl_handoff_wave *w, const struct pl_handoff_opts *o)
{
    char id[CTX_BYTES], group[CTX_BYTES], start[PL_TIME_STR_LEN], serial[32];

    pl__apply_handoff_wave_id(w, id, sizeof(id));
    group_name(w, group, sizeof(group));
    /* serial takes a count or a quoted percentage */
    if (snprintf(serial, sizeof(serial), w->concurrency_pct ? "\"%d%%\"" : "%d",
                 w->max_concurrency) < 0)
        serial[0] = '\0';
    pl_buf_addf(b, "\n# wave %s: window %s '%s' (%s) from %s\n", id, w->window.name,
                w->window.expression, w->window.tz, pl_time_format(w->start, start));
    pl_buf_addf(b,
                "- name: \"%s: ring %d (%s)\"\n"
                "  hosts: %s\n"
                "  gather_facts: false\n"
                "  become: %s\n"
                "  serial: %s\n"
                "  max_fail_percentage: %d\n"
                "  tasks:\n",
                id, w->ring, pl_handoff_wave_ring(w), group, o->dpkg_root ? "false" : "true",
                serial, w->max_fail_pct);
    wave_tasks(b, w, o);
}

static pl_status awx(const struct pl_handoff_plan *p, const struct pl_handoff_wave *w,
                     size_t n_hosts, const struct pl_handoff_opts *o, struct pl_handoff_out *out,
                     struct pl_error *err)
{
    char id[CTX_BYTES], group[CTX_BYTES];
    struct pl_buf rule = PL_BUF_INIT(4096), *b;
    struct pl_tz *tz = NULL;
    pl_status rc;
    int64_t y, local;
    unsigned mo, d;

    pl__apply_handoff_wave_id(w, id, sizeof(id));
    group_name(w, group, sizeof(group));
    b = pl__apply_handoff_file(out, "ansible/awx/%s.job_template.json", id);
    pl_buf_adds(b, "{\n  \"name\": ");
    pl_buf_addf(&rule, "patchline %s %s", p->name, id);
    pl_escape_json_quoted(b, pl_buf_cstr(&rule));
    pl_buf_addf(b,
                ",\n  \"description\": \"Patchline wave %s: ring %d (%s)\",\n"
                "  \"job_type\": \"run\",\n  \"inventory\": %d,\n  \"project\": %d,\n"
                "  \"playbook\": \"patch.yml\",\n  \"limit\": \"%s\",\n  \"forks\": %d,\n"
                "  \"become_enabled\": %s,\n  \"verbosity\": 0\n}\n",
                id, w->ring, pl_handoff_wave_ring(w), o->awx_inventory, o->awx_project, group,
                pl__apply_handoff_batch(w, n_hosts), o->dpkg_root ? "false" : "true");

    if ((rc = pl_tz_load(w->window.tz, &tz, err)) != PL_OK) {
        pl_buf_release(&rule);
        return pl__apply_handoff_fail(rc, err, "ansible: %s", id);
    }
    local = pl_tz_to_local(tz, w->start);
    /* a wave runs once: at its start, which may fall inside a window (after a soak) */
    struct pl_cron cron;
    pl_time_t next = 0;
    bool on_rule = pl_cron_parse(w->window.expression, &cron, NULL) == PL_OK &&
                   pl_cron_next(&cron, tz, w->start - 1, &next, NULL) == PL_OK && next == w->start;
    pl_tz_free(tz);
    pl_civil_from_days(local >= 0 ? local / 86400 : (local - 86399) / 86400, &y, &mo, &d);
    int64_t sod = ((local % 86400) + 86400) % 86400;
    pl_buf_reset(&rule);
    pl_buf_addf(&rule, "DTSTART;TZID=%s:%04lld%02u%02uT%02d%02d%02d RRULE:", w->window.tz,
                (long long)y, mo, d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
    if ((rc = pl__apply_handoff_rrule("ansible: awx", &w->window, &rule, err)) != PL_OK) {
        pl_buf_release(&rule);
        return rc;
    }
    if (on_rule) {
        pl_buf_adds(&rule, ";BYSECOND=0;COUNT=1");
    } else {
        /* DTSTART is not one of the window's starts: the one run is DTSTART itself */
        const char *r = strstr(pl_buf_cstr(&rule), " RRULE:");
        pl_buf_truncate(&rule, (size_t)(r - pl_buf_cstr(&rule)));
        pl_buf_adds(&rule, " RRULE:FREQ=DAILY;COUNT=1");
    }
    b = pl__apply_handoff_file(out, "ansible/awx/%s.schedule.json", id);
    pl_buf_addf(b, "{\n  \"name\": \"patchline %s window %s\",\n  \"rrule\": ", id, w->window.name);
    pl_escape_json_quoted(b, pl_buf_cstr(&rule));
    pl_buf_adds(b, ",\n  \"enabled\": true,\n  \"extra_data\": {}\n}\n");
    pl_buf_release(&rule);
    return PL_OK;
}

pl_status pl_handoff_ansible(const struct pl_handoff_plan *p, const struct pl_handoff_opts *o,
                             struct pl_handoff_out *out, struct pl_error *err)
{
    struct pl_buf *book = pl__apply_handoff_file(out, "ansible/patch.yml");
    size_t n_hosts;

    pl_buf_adds(book, "---\n# Patchline hand-off: rollout ");
    pl_escape_json_quoted(book, p->name);
    pl_buf_addf(book, ", one play per wave. Run one wave with\n"
                      "#   ansible-playbook -i inventory/WAVE.yml patch.yml\n");
    if (o->dpkg_root)
        pl_buf_adds(book, "# dpkg-root mode: -e pl_dpkg_root=DIR -e pl_deb_dir=DIR\n");
    for (size_t i = 0; i < p->n_waves; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        pl_status rc = inventory(w, o, out, &n_hosts, err);
        if (rc == PL_OK)
            rc = awx(p, w, n_hosts, o, out, err);
        if (rc != PL_OK)
            return rc;
        play(book, w, o);
    }
    pl_status rc = pl__apply_handoff_runtimes(p, out, err); /* third-party runtimes on hosts */
    return rc != PL_OK ? rc : pl__apply_handoff_out_status(out, err);
}
