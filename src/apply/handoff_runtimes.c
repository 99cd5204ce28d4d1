/*
 * handoff_runtimes.c - runtimes and database servers on hosts (Node.js,
 * Python, Java, PostgreSQL, MySQL found as software of a host or endpoint)
 * in the Ansible hand-off: ansible/runtimes.yml, one play per wave with one
 * group of tasks per runtime (upgrade with the host's package manager,
 * Homebrew or Chocolatey, then read the version back and fail the host when
 * it is below the target), and ansible/inventory/runtimes-WAVE.yml whose
 * host vars carry each host's own targets (pl_runtimes.KEY.version), never
 * at or below what it runs. No task downgrades: the Linux and Homebrew
 * tasks move to the latest version, Chocolatey refuses a downgrade.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"

#include "handoff_int.h"

#define CTX_BYTES 256

static const struct pl__handoff_runtime runtimes[] = {
    {"nodejs:node.js", "nodejs", "Node.js", "nodejs", "node", "nodejs", "node --version"},
    {"python:python", "python", "Python", "python3", "python", "python", "python3 --version"},
    {"oracle:jre", "java", "Java", "default-jre", "openjdk", "temurin", "java -version"},
    {"oracle:jdk", "java", "Java", "default-jdk", "openjdk", "temurin", "java -version"},
    {"postgresql:postgresql", "postgresql", "PostgreSQL", "postgresql", "postgresql", "postgresql",
     "postgres --version"},
    {"oracle:mysql", "mysql", "MySQL", "mysql-server", "mysql", "mysql", "mysqld --version"},
};

const struct pl__handoff_runtime *pl__apply_handoff_runtime(const char *product)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(runtimes); i++)
        if (strcmp(runtimes[i].product, product) == 0)
            return &runtimes[i];
    return NULL;
}

/* The runtime of a wave's entry that this play carries, or NULL. */
static const struct pl__handoff_runtime *runtime_of(const struct pl_handoff_software *sw)
{
    bool host = strcmp(sw->kind, "host") == 0 || strcmp(sw->kind, "endpoint") == 0;

    if (!host || (strcmp(sw->class_, "runtime") != 0 && strcmp(sw->class_, "database") != 0))
        return NULL;
    return pl__apply_handoff_runtime(sw->product);
}

static const char *os_of(const char *os_family)
{
    if (strcmp(os_family, "windows") == 0)
        return "windows";
    if (strcmp(os_family, "macos") == 0 || strcmp(os_family, "darwin") == 0)
        return "macos";
    return "linux";
}

static void group_of(const char *id, char *buf, size_t size)
{
    snprintf(buf, size, "pl_rt_%s", id);
    for (char *p = buf; *p; p++)
        if (*p == '-' || *p == '.')
            *p = '_';
}

/* A version Ansible and the shell may carry as is. */
static bool plain_version(const char *v)
{
    size_t n = strlen(v);
    return n > 0 && n < 96 &&
           strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.+~_-") == n;
}

/* Whether runtime key k is used by a host of the wave. */
static bool wave_uses(const struct pl_handoff_wave *w, const char *key)
{
    for (size_t i = 0; i < w->n_software; i++) {
        const struct pl__handoff_runtime *rt = runtime_of(&w->software[i]);
        if (rt && strcmp(rt->key, key) == 0)
            return true;
    }
    return false;
}

static void tasks(struct pl_buf *b, const struct pl__handoff_runtime *rt)
{
    const char *k = rt->key, *n = rt->name;

    pl_buf_addf(b,
                "    - name: \"%s: upgrade with the package manager (Linux; never a downgrade)\"\n"
                "      when: pl_runtimes.%s is defined and pl_os == 'linux'\n"
                "      become: true\n"
                "      ansible.builtin.package:\n"
                "        name: %s\n"
                "        state: latest\n",
                n, k, rt->package);
    pl_buf_addf(b,
                "    - name: \"%s: upgrade with Homebrew (macOS; never a downgrade)\"\n"
                "      when: pl_runtimes.%s is defined and pl_os == 'macos'\n"
                "      community.general.homebrew:\n"
                "        name: %s\n"
                "        state: latest\n",
                n, k, rt->brew);
    pl_buf_addf(
        b,
        "    - name: \"%s: install the target with Chocolatey (Windows; a downgrade fails)\"\n"
        "      when: pl_runtimes.%s is defined and pl_os == 'windows'\n"
        "      chocolatey.chocolatey.win_chocolatey:\n"
        "        name: %s\n"
        "        version: \"{{ pl_runtimes.%s.version }}\"\n"
        "        allow_downgrade: false\n"
        "        state: present\n",
        n, k, rt->choco, k);
    pl_buf_addf(b,
                "    - name: \"%s: read the version\"\n"
                "      when: pl_runtimes.%s is defined and pl_os != 'windows'\n"
                "      ansible.builtin.shell: \"%s 2>&1\"\n"
                "      register: pl_rt_%s_unix\n"
                "      changed_when: false\n",
                n, k, rt->check, k);
    pl_buf_addf(b,
                "    - name: \"%s: read the version (Windows)\"\n"
                "      when: pl_runtimes.%s is defined and pl_os == 'windows'\n"
                "      ansible.windows.win_command: \"%s\"\n"
                "      register: pl_rt_%s_win\n"
                "      changed_when: false\n",
                n, k, rt->check, k);
    pl_buf_addf(b,
                "    - name: \"%s: at least the target, never below what the host had\"\n"
                "      when: pl_runtimes.%s is defined\n"
                "      vars:\n"
                "        pl_rt_out: \"{{ (pl_rt_%s_win if pl_os == 'windows' else "
                "pl_rt_%s_unix).stdout | default('') }}\"\n"
                "        pl_rt_now: \"{{ pl_rt_out | regex_search('[0-9]+(\\\\.[0-9]+)+') | "
                "default('0', true) }}\"\n"
                "      ansible.builtin.assert:\n"
                "        that:\n"
                "          - pl_rt_now is version(pl_runtimes.%s.version, '>=')\n"
                "          - pl_rt_now is version(pl_runtimes.%s.installed, '>=')\n"
                "        fail_msg: \"%s {{ pl_rt_now }} is below the target "
                "{{ pl_runtimes.%s.version }}\"\n",
                n, k, k, k, k, k, n, k);
}

/* The wave's inventory: hosts with their own runtime targets. */
static pl_status inventory(struct pl_handoff_out *out, const struct pl_handoff_wave *w,
                           const char *id, const char *group, struct pl_error *err)
{
    struct pl_buf *f = pl__apply_handoff_file(out, "ansible/inventory/runtimes-%s.yml", id);
    const char *last = NULL;

    pl_buf_addf(f,
                "# Patchline wave %s: runtimes on hosts (ansible/runtimes.yml)\nall:\n"
                "  children:\n    %s:\n      hosts:\n",
                id, group);
    for (size_t i = 0; i < w->n_software; i++) {
        const struct pl_handoff_software *sw = &w->software[i];
        const struct pl__handoff_runtime *rt = runtime_of(sw);
        pl_status rc;

        if (rt == NULL)
            continue;
        if ((rc = pl__apply_handoff_check_host(id, sw->asset, "name", err)) != PL_OK)
            return rc;
        if (!plain_version(sw->version) || !plain_version(sw->installed))
            return pl_error_set(err, PL_E_PARSE,
                                "%s: asset '%s': %s: '%s' (installed '%s') is not a plain version",
                                id, sw->asset, sw->package, sw->version, sw->installed);
        if (last == NULL || strcmp(last, sw->asset) != 0) {
            pl_buf_addf(f, "        %s:\n          pl_os: %s\n          pl_runtimes:\n", sw->asset,
                        os_of(sw->os_family));
            last = sw->asset;
        }
        pl_buf_addf(f, "            %s: {version: \"%s\", installed: \"%s\", package: !unsafe ",
                    rt->key, sw->version, sw->installed);
        pl_escape_json_quoted(f, sw->package);
        pl_buf_adds(f, ", vulnerabilities: !unsafe ");
        pl_escape_json_quoted(f, sw->vulns);
        pl_buf_adds(f, "}\n");
    }
    return PL_OK;
}

pl_status pl__apply_handoff_runtimes(const struct pl_handoff_plan *p, struct pl_handoff_out *out,
                                     struct pl_error *err)
{
    struct pl_buf *book = NULL;

    for (size_t i = 0; i < p->n_waves; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        char id[CTX_BYTES], group[CTX_BYTES + 8], conc[32];
        bool any = false;
        pl_status rc;

        for (size_t k = 0; k < w->n_software && !any; k++)
            any = runtime_of(&w->software[k]) != NULL;
        if (!any)
            continue;
        pl__apply_handoff_wave_id(w, id, sizeof(id));
        group_of(id, group, sizeof(group));
        if ((rc = inventory(out, w, id, group, err)) != PL_OK)
            return rc;
        if (book == NULL) {
            book = pl__apply_handoff_file(out, "ansible/runtimes.yml");
            pl_buf_adds(book, "---\n# Patchline hand-off: rollout ");
            pl_escape_json_quoted(book, p->name);
            pl_buf_adds(book, ": runtimes on hosts, one play per wave. Run one wave with\n"
                              "#   ansible-playbook -i inventory/runtimes-WAVE.yml runtimes.yml\n");
        }
        pl__apply_handoff_conc(w, conc, sizeof(conc));
        pl_buf_addf(book,
                    "- name: \"%s: runtimes (ring %s)\"\n  hosts: %s\n  gather_facts: false\n"
                    "  serial: %s%s%s\n  max_fail_percentage: %d\n  tasks:\n",
                    id, pl_handoff_wave_ring(w), group, strchr(conc, '%') ? "\"" : "", conc,
                    strchr(conc, '%') ? "\"" : "", w->max_fail_pct);
        for (size_t r = 0; r < PL_ARRAY_LEN(runtimes); r++) {
            bool dup = false;
            for (size_t q = 0; q < r; q++)
                dup = dup || strcmp(runtimes[q].key, runtimes[r].key) == 0;
            if (!dup && wave_uses(w, runtimes[r].key))
                tasks(book, &runtimes[r]);
        }
    }
    return PL_OK;
}
