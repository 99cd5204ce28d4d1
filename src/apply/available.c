/*
 * available.c - install what exists. The target of a fix is the version the
 * asset's own repositories offer at or past the fixed version: for apt the
 * candidate of the configured sources and pins, the version `apt-get
 * install --only-upgrade` would choose (apt-cache policy); for dnf/yum and
 * apk the highest version the configured repositories' metadata offer
 * (repos.c), the version `dnf upgrade` / `apk add --upgrade` would choose. The advisory's
 * fixed version is only the bar that version must reach: a binNMU (+b1), a
 * newer security upload or a stable point release reaches it; a superseded
 * version is never asked for. A finding no offered version reaches awaits
 * its repositories (status 'awaiting-repo') and no job tries to install it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patchline/file.h"

#include "apply_int.h"

/* The value of "  Candidate: X" in the block of package name (first block that names it). */
void pl__apply_candidate_of(const char *policy, const char *name, char *out, size_t cap)
{
    size_t nlen = strlen(name);
    bool in = false;

    out[0] = '\0';
    for (const char *l = policy; l && *l;) {
        const char *eol = strchr(l, '\n');
        size_t len = eol ? (size_t)(eol - l) : strlen(l);

        if (len && l[0] != ' ') {
            /* "name:" or "name:arch:" opens a package's block */
            in = len > nlen && strncmp(l, name, nlen) == 0 && l[nlen] == ':';
        } else if (in) {
            const char *p = l;

            while (p < l + len && *p == ' ')
                p++;
            if ((size_t)(l + len - p) > 11 && strncmp(p, "Candidate: ", 11) == 0) {
                size_t vlen = (size_t)(l + len - p) - 11;

                if (vlen < cap && strncmp(p + 11, "(none)", 6) != 0) {
                    memcpy(out, p + 11, vlen);
                    out[vlen] = '\0';
                }
                return;
            }
        }
        l = eol ? eol + 1 : NULL;
    }
}

/* A dry run has no job folder: apt under a root gets its own APT_CONFIG in a private folder. */
static pl_status ask_directly(struct pl__job *j, const char *const *argv, struct pl_buf *out,
                              bool *ok, struct pl_error *err)
{
    char dir[] = "/tmp/patchline-resolve-XXXXXX", conf[64] = "";
    struct pl__exec_ctx ctx = j->ctx;
    struct pl__argv env = {NULL, 0, 0};
    struct pl_spawn_opts so = {NULL, 0, 0, j->cfg.command_timeout_ms};
    struct pl_spawn_result sr = {0, 0, false, false, false};
    struct pl_error serr = PL_ERROR_INIT;
    pl_status rc = PL_OK;

    *ok = false;
    if (!ctx.host && strcmp(j->ex->name, "apt") == 0) {
        FILE *fp;

        if (mkdtemp(dir) == NULL)
            return pl_error_set(err, PL_E_IO, "cannot make a private folder under /tmp");
        snprintf(conf, sizeof(conf), "%s/apt.conf", dir);
        if ((rc = pl_file_create(conf, 0600, &fp, err)) == PL_OK) {
            fprintf(fp, "Dir \"%s/\";\n", j->root);
            if (fclose(fp) != 0)
                rc = pl_error_set(err, PL_E_IO, "cannot write '%s'", conf);
        }
        ctx.apt_config = conf;
    }
    if (rc == PL_OK) {
        pl__apply_exec_env(&ctx, &env);
        so.env = (const char *const *)env.v;
        *ok = pl_spawn_run(argv, &so, out, NULL, &sr, &serr) == PL_OK && sr.exit_code == 0 &&
              !sr.timed_out;
        pl__apply_argv_release(&env);
    }
    if (conf[0]) {
        unlink(conf);
        rmdir(dir);
    }
    return rc;
}

/* Read the repositories' metadata files (dnf, apk); *ok false when none is configured. */
static pl_status ask_metadata(struct pl__job *j, struct pl_buf *out, bool *ok, struct pl_error *err)
{
    struct pl_buf seen = PL_BUF_INIT(0);
    pl_status rc = pl__apply_repo_offers(j, out, &seen, ok, err);

    if (rc == PL_OK && *ok && j->id != 0)
        rc = pl__apply_job_note(j, "resolve", err, "read the repositories' metadata: %s",
                                pl_buf_cstr(&seen));
    pl_buf_release(&seen);
    return rc;
}

/* Run the executor's candidates query; *ok false when it did not answer. */
static pl_status ask(struct pl__job *j, struct pl_buf *out, bool *ok, struct pl_error *err)
{
    struct pl__argv a = {NULL, 0, 0};
    struct pl__ran r;
    pl_status rc;

    if (j->ex->repo_metadata)
        return ask_metadata(j, out, ok, err);
    j->ex->candidates(&j->ctx, j->pkgs, j->n_pkgs, &a);
    if (j->id == 0) {
        rc = ask_directly(j, (const char *const *)a.v, out, ok, err);
    } else {
        rc = pl__apply_job_run(j, "resolve", (const char *const *)a.v, false,
                               j->cfg.command_timeout_ms, &r, err);
        *ok = rc == PL_OK && r.ran && r.exit_code == 0 && !r.timed_out;
        if (*ok && r.out)
            pl_buf_adds(out, r.out);
        pl__apply_ran_release(&r);
    }
    pl__apply_argv_release(&a);
    return rc;
}

static void target_push(struct pl_apply_target_list *l, const struct pl_apply_target *t)
{
    l->items = pl_xrealloc(l->items, (l->n + 1) * sizeof(*l->items));
    l->items[l->n++] = *t;
}

/* Decide package p: its new target, and which of its findings the repositories reach. */
static pl_status decide(struct pl__job *j, struct pl__pkg *p, const char *cand, bool *keep,
                        bool *reach, struct pl_error *err)
{
    bool valid = cand[0] && pl_apply_version_valid(j->ex->ecosystem, cand);
    bool upgrade = false;
    pl_status rc = PL_OK;

    *keep = false;
    for (size_t i = 0; i < j->targets.n && rc == PL_OK; i++) {
        const struct pl_apply_target *t = &j->targets.items[i];
        bool have = false, offered = false;

        if (strcmp(t->package, p->name) != 0)
            continue;
        rc = pl__apply_version_ge(j, p->before, t->fixed_version, &have, err);
        if (rc == PL_OK && valid && !have)
            rc = pl__apply_version_ge(j, cand, t->fixed_version, &offered, err);
        reach[i] = have || offered;
        upgrade = upgrade || offered;
    }
    if (rc == PL_OK && upgrade) {
        free(p->target);
        p->target = pl_xstrdup(cand);
        *keep = true;
    }
    return rc;
}

static pl_status record_awaiting(struct pl__job *j, const struct pl_apply_target *t,
                                 const char *cand, bool record, struct pl_error *err)
{
    bool changed = false;
    pl_status rc = PL_OK;

    pl__apply_job_say(
        j,
        "fix not yet available from your repositories: finding %lld %s %s (fixed in %s; "
        "they offer %s)",
        (long long)t->finding_id, t->vuln_id, t->package, t->fixed_version,
        cand[0] ? cand : "nothing newer");
    if (!record)
        return PL_OK;
    if ((rc = pl_store_finding_await_repo(j->s, t->finding_id, true, &changed, err)) == PL_OK)
        rc = pl__apply_job_note(
            j, "resolve", err,
            "finding %lld (%s %s): fix %s not yet available from the repositories "
            "(candidate %s): awaiting-repo, not installed",
            (long long)t->finding_id, t->vuln_id, t->package, t->fixed_version,
            cand[0] ? cand : "none");
    return rc;
}

pl_status pl__apply_resolve_available(struct pl__job *j, bool record, struct pl_error *err)
{
    struct pl_buf policy = PL_BUF_INIT(0);
    struct pl_apply_target_list kept = {NULL, 0};
    bool ok = false, *reach = NULL, *keep = NULL;
    size_t n_keep = 0;
    pl_status rc;

    if (j->opts->n_packages || (j->ex->candidates == NULL && !j->ex->repo_metadata) ||
        j->n_pkgs == 0)
        return PL_OK;
    if ((rc = ask(j, &policy, &ok, err)) != PL_OK) {
        pl_buf_release(&policy);
        return rc;
    }
    if (!ok && j->ex->repo_metadata) {
        /* no local repository metadata to read (remote repositories): the fixed versions stand */
        pl__apply_job_say(
            j,
            "no local repository metadata under %s (%s): the targets are the "
            "fixed versions",
            j->root, strcmp(j->ex->name, "apk") == 0 ? "etc/apk/repositories" : "etc/yum.repos.d");
        pl_buf_release(&policy);
        return PL_OK;
    }
    if (!ok) {
        pl_buf_release(&policy);
        return pl_error_set(err, PL_E_IO, "cannot ask the repositories which versions they offer");
    }
    reach = pl_xcalloc(j->targets.n + 1, sizeof(*reach));
    keep = pl_xcalloc(j->n_pkgs + 1, sizeof(*keep));
    for (size_t i = 0; i < j->targets.n; i++)
        reach[i] = true; /* packages already at their target: nothing to ask */
    for (size_t i = 0; i < j->n_pkgs && rc == PL_OK; i++) {
        struct pl__pkg *p = &j->pkgs[i];
        char cand[128];

        pl__apply_candidate_of(pl_buf_cstr(&policy), p->name, cand, sizeof(cand));
        rc = decide(j, p, cand, &keep[i], reach, err);
        for (size_t k = 0; k < j->targets.n && rc == PL_OK; k++)
            if (!reach[k] && strcmp(j->targets.items[k].package, p->name) == 0)
                rc = record_awaiting(j, &j->targets.items[k], cand, record, err);
    }
    if (rc == PL_OK) {
        for (size_t i = 0; i < j->n_pkgs; i++) {
            struct pl__pkg *p = &j->pkgs[i];

            if (keep[i]) {
                j->pkgs[n_keep++] = *p;
                continue;
            }
            free(p->name);
            free(p->arch);
            free(p->target);
            free(p->before);
        }
        j->n_pkgs = n_keep;
        for (size_t i = 0; i < j->targets.n; i++)
            target_push(reach[i] ? &kept : &j->awaiting, &j->targets.items[i]);
        free(j->targets.items);
        j->targets = kept;
        j->res->n_awaiting = j->awaiting.n;
    }
    /* reachable again: open, so that the job's verification can close them */
    for (size_t i = 0; rc == PL_OK && record && i < j->targets.n; i++) {
        bool changed = false;

        if (j->targets.items[i].awaiting)
            rc = pl_store_finding_await_repo(j->s, j->targets.items[i].finding_id, false, &changed,
                                             err);
    }
    free(reach);
    free(keep);
    pl_buf_release(&policy);
    return rc;
}
