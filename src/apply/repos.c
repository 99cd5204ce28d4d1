/*
 * repos.c - what the repositories of a dnf/yum or apk root offer, read from
 * their own metadata, so that no package manager has to run (and a dry run
 * works where dnf or apk is not installed):
 *
 *  - dnf/yum: every enabled repository of ROOT/etc/yum.repos.d/\*.repo whose
 *    baseurl is a local folder (file:///PATH or /PATH): its
 *    repodata/repomd.xml names the primary metadata (primary.xml, .gz or .xz),
 *    whose <package> entries give name, arch and [E:]V-R;
 *  - apk: every local repository of ROOT/etc/apk/repositories (a path, or
 *    file://PATH): its ARCH/APKINDEX.tar.gz, whose records give P: (name),
 *    V: (version) and A: (arch); ARCH is ROOT/etc/apk/arch.
 *
 * A local path is read as given (as dnf and apk read it); when it does not
 * exist there, under the root. The offer of a package is the highest version
 * (rpm or apk order) of its name for its architecture or noarch: the version
 * `dnf upgrade NAME` or `apk add --upgrade NAME` would install. The result
 * is written in apt-cache policy's layout ("NAME:\n  Candidate: V\n") so that
 * available.c reads every package manager's answer the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/limits.h"
#include "patchline/xml.h"

#include "apply_int.h"

/* The best offer found so far for each package of the job. */
struct offers {
    const struct pl__job *j;
    enum pl_vscheme scheme;
    char **best; /* per package: the highest version offered (owned), or NULL */
    size_t n_repos;
    struct pl_buf seen; /* the metadata files read, for the job log */
};

/* Whether an offered arch suits an installed package's arch. */
static bool arch_fits(const char *installed, const char *offered)
{
    if (offered == NULL || strcmp(offered, "src") == 0 || strcmp(offered, "nosrc") == 0)
        return false;
    if (installed == NULL || installed[0] == '\0' || strcmp(offered, "noarch") == 0 ||
        strcmp(installed, "noarch") == 0)
        return true;
    return strcmp(installed, offered) == 0;
}

/* Consider version v of name (arch) as an offer. Bad versions are skipped, not fatal. */
static void offer(struct offers *o, const char *name, size_t name_len, const char *arch,
                  const char *v)
{
    const struct pl__job *j = o->j;

    for (size_t i = 0; i < j->n_pkgs; i++) {
        const struct pl__pkg *p = &j->pkgs[i];
        struct pl_error err = PL_ERROR_INIT;
        int cmp = 1;

        if (strlen(p->name) != name_len || memcmp(p->name, name, name_len) != 0 ||
            !arch_fits(p->arch, arch))
            continue;
        if (o->best[i] && pl_version_cmp(o->scheme, v, o->best[i], &cmp, &err) != PL_OK)
            continue;
        if (o->best[i] == NULL || cmp > 0) {
            free(o->best[i]);
            o->best[i] = pl_xstrdup(v);
        }
    }
}

/* A local repository location ("file:///srv/repo", "/srv/repo") as a folder path, or false. */
static bool local_dir(const struct pl__job *j, const char *url, size_t len, struct pl_buf *out)
{
    pl_buf_reset(out);
    if (len >= 7 && strncmp(url, "file://", 7) == 0) {
        url += 7;
        len -= 7;
    }
    if (len == 0 || url[0] != '/' || memchr(url, '$', len))
        return false; /* remote, or variables ($basearch) this reader does not expand */
    while (len > 1 && url[len - 1] == '/')
        len--;
    pl_buf_add(out, url, len);
    if (!pl_path_is_dir(pl_buf_cstr(out)) && !j->ctx.host) {
        pl_buf_reset(out);
        pl_buf_addf(out, "%s%.*s", j->root, (int)len, url);
    }
    return pl_buf_status(out) == PL_OK && pl_path_is_dir(pl_buf_cstr(out));
}

/* ---- dnf / yum ------------------------------------------------------------ */

static pl_status primary_package(const struct pl_xml_node *rec, uint64_t index, void *data,
                                 struct pl_error *err)
{
    struct offers *o = data;
    const char *type = pl_xml_node_attr(rec, "type");
    const char *name = pl_xml_child_text(rec, "name"), *arch = pl_xml_child_text(rec, "arch");
    const struct pl_xml_node *v = pl_xml_child(rec, "version");
    const char *e, *ver, *rel;
    char evr[PL_MAX_VERSION_BYTES * 3 + 32];

    (void)index;
    (void)err;
    if ((type && strcmp(type, "rpm") != 0) || name == NULL || v == NULL)
        return PL_OK;
    e = pl_xml_node_attr(v, "epoch");
    ver = pl_xml_node_attr(v, "ver");
    rel = pl_xml_node_attr(v, "rel");
    if (ver == NULL || rel == NULL || strlen(ver) > PL_MAX_VERSION_BYTES ||
        strlen(rel) > PL_MAX_VERSION_BYTES || (e && strlen(e) > 20))
        return PL_OK;
    if (e && e[0] && strcmp(e, "0") != 0)
        snprintf(evr, sizeof(evr), "%s:%s-%s", e, ver, rel);
    else
        snprintf(evr, sizeof(evr), "%s-%s", ver, rel);
    offer(o, name, strlen(name), arch, evr);
    return PL_OK;
}

/* Read an XML file's elements named `name` through fn. */
static pl_status xml_each(const char *path, const char *name, pl_xml_record_fn fn, void *data,
                          struct pl_error *err)
{
    struct pl_reader *r = NULL;
    struct pl_xml *x = NULL;
    pl_status rc;

    if ((rc = pl_reader_open(path, 0, &r, err)) == PL_OK &&
        (rc = pl_xml_open(r, NULL, &x, err)) == PL_OK)
        rc = pl_xml_each(x, name, fn, data, NULL, err);
    pl_xml_close(x);
    pl_reader_close(r);
    return rc;
}

struct repomd {
    char *primary; /* href of the primary metadata (owned) */
};

static pl_status repomd_data(const struct pl_xml_node *rec, uint64_t index, void *data,
                             struct pl_error *err)
{
    struct repomd *m = data;
    const char *type = pl_xml_node_attr(rec, "type");
    const struct pl_xml_node *loc = pl_xml_child(rec, "location");
    const char *href = loc ? pl_xml_node_attr(loc, "href") : NULL;

    (void)index;
    (void)err;
    if (m->primary == NULL && type && strcmp(type, "primary") == 0 && href)
        m->primary = pl_xstrdup(href);
    return PL_OK;
}

/* One local yum repository folder: repodata/repomd.xml, then its primary metadata. */
static pl_status dnf_repo(struct offers *o, const char *dir, struct pl_error *err)
{
    struct pl_buf path = PL_BUF_INIT(0);
    struct repomd m = {NULL};
    pl_status rc;

    pl_buf_addf(&path, "%s/repodata/repomd.xml", dir);
    if ((rc = xml_each(pl_buf_cstr(&path), "data", repomd_data, &m, err)) == PL_OK) {
        if (m.primary == NULL || strstr(m.primary, "..") || m.primary[0] == '/') {
            rc = pl_error_set(err, PL_E_PARSE, "%s: no usable primary metadata (data type=primary)",
                              pl_buf_cstr(&path));
        } else {
            pl_buf_reset(&path);
            pl_buf_addf(&path, "%s/%s", dir, m.primary);
            rc = xml_each(pl_buf_cstr(&path), "package", primary_package, o, err);
            pl_buf_addf(&o->seen, "%s%s", o->n_repos ? ", " : "", pl_buf_cstr(&path));
            o->n_repos++;
        }
    }
    free(m.primary);
    pl_buf_release(&path);
    return rc;
}

/* Trim blanks at both ends of [s, s+len). */
static const char *trim(const char *s, size_t *len)
{
    while (*len && (*s == ' ' || *s == '\t')) {
        s++;
        (*len)--;
    }
    while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t' || s[*len - 1] == '\r'))
        (*len)--;
    return s;
}

struct section {
    bool in, enabled;
    struct pl_buf base; /* its baseurl value */
};

/* The section that ends: read its first local baseurl when it is enabled. */
static pl_status section_end(struct offers *o, struct section *sec, struct pl_buf *dir,
                             struct pl_error *err)
{
    const char *u = pl_buf_cstr(&sec->base);
    pl_status rc = PL_OK;

    if (sec->in && sec->enabled && sec->base.len && local_dir(o->j, u, strcspn(u, " ,\t"), dir))
        rc = dnf_repo(o, pl_buf_cstr(dir), err);
    sec->enabled = true;
    pl_buf_reset(&sec->base);
    return rc;
}

/* The value of "key = value" in [s, s+len) when the key is `key`; else NULL. */
static const char *ini_value(const char *s, size_t len, const char *key, size_t *vlen)
{
    size_t k = strlen(key), i = k;

    if (len <= k || strncmp(s, key, k) != 0)
        return NULL;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= len || s[i] != '=')
        return NULL;
    *vlen = len - i - 1;
    return trim(s + i + 1, vlen);
}

/* The enabled local repositories of one .repo file (INI: [id], baseurl=, enabled=). */
static pl_status dnf_repo_file(struct offers *o, const char *file, struct pl_error *err)
{
    struct pl_buf text = PL_BUF_INIT(0), dir = PL_BUF_INIT(0);
    struct section sec = {false, true, PL_BUF_INIT(0)};
    pl_status rc;

    if ((rc = pl_file_read(file, 0, &text, err)) != PL_OK)
        goto out;
    for (const char *l = pl_buf_cstr(&text); l && *l && rc == PL_OK;) {
        const char *eol = strchr(l, '\n');
        size_t len = eol ? (size_t)(eol - l) : strlen(l), vlen = 0;
        const char *s = trim(l, &len), *v;

        if (len && s[0] == '[') {
            rc = section_end(o, &sec, &dir, err);
            sec.in = true;
        } else if (sec.in && (v = ini_value(s, len, "baseurl", &vlen))) {
            pl_buf_reset(&sec.base);
            pl_buf_add(&sec.base, v, vlen);
        } else if (sec.in && (v = ini_value(s, len, "enabled", &vlen))) {
            sec.enabled =
                !((vlen == 1 && v[0] == '0') ||
                  (vlen == 5 && (strncmp(v, "false", 5) == 0 || strncmp(v, "False", 5) == 0)) ||
                  (vlen == 2 && strncmp(v, "no", 2) == 0));
        }
        l = eol ? eol + 1 : NULL;
    }
    if (rc == PL_OK)
        rc = section_end(o, &sec, &dir, err);
out:
    pl_buf_release(&text);
    pl_buf_release(&dir);
    pl_buf_release(&sec.base);
    return rc;
}

static pl_status dnf_offers(struct offers *o, struct pl_error *err)
{
    struct pl_buf dir = PL_BUF_INIT(0);
    struct pl_path_list files = {NULL, 0};
    pl_status rc = PL_OK;

    pl_buf_addf(&dir, "%s/etc/yum.repos.d", o->j->ctx.host ? "" : o->j->root);
    if (pl_path_is_dir(pl_buf_cstr(&dir)) &&
        (rc = pl_dir_list(pl_buf_cstr(&dir), &files, err)) == PL_OK)
        for (size_t i = 0; i < files.n && rc == PL_OK; i++) {
            size_t n = strlen(files.paths[i]);

            if (n > 5 && strcmp(files.paths[i] + n - 5, ".repo") == 0)
                rc = dnf_repo_file(o, files.paths[i], err);
        }
    pl_path_list_release(&files);
    pl_buf_release(&dir);
    return rc;
}

/* ---- apk ------------------------------------------------------------------ */

/* The file named `want` inside a tar stream (signature and index parts concatenated). */
static bool tar_find(const char *t, size_t len, const char *want, const char **data, size_t *size)
{
    size_t off = 0;

    while (off + 512 <= len) {
        const char *h = t + off;
        size_t sz = 0, i;

        if (h[0] == '\0') {
            off += 512; /* an end-of-archive block between the parts */
            continue;
        }
        for (i = 124; i < 136 && (h[i] == ' ' || h[i] == '\0'); i++)
            ;
        for (; i < 136 && h[i] >= '0' && h[i] <= '7'; i++)
            sz = sz * 8 + (size_t)(h[i] - '0');
        if (sz > len - off - 512)
            return false;
        if (strncmp(h, want, 100) == 0 && (h[156] == '0' || h[156] == '\0')) {
            *data = h + 512;
            *size = sz;
            return true;
        }
        off += 512 + (sz + 511) / 512 * 512;
    }
    return false;
}

/* APKINDEX records: "P:name", "V:version", "A:arch" lines, records apart by a blank line. */
static void apkindex_read(struct offers *o, const char *t, size_t len)
{
    const char *name = NULL, *ver = NULL, *arch = NULL;
    size_t nlen = 0, vlen = 0, alen = 0;
    const char *end = t + len;

    for (const char *l = t; l <= end;) {
        const char *eol = memchr(l, '\n', (size_t)(end - l));
        size_t n = eol ? (size_t)(eol - l) : (size_t)(end - l);

        if (n == 0) {
            if (name && ver && vlen <= PL_MAX_VERSION_BYTES && alen < 64) {
                char v[PL_MAX_VERSION_BYTES + 1], a[64];

                memcpy(v, ver, vlen);
                v[vlen] = '\0';
                memcpy(a, arch ? arch : "", alen);
                a[alen] = '\0';
                offer(o, name, nlen, arch ? a : NULL, v);
            }
            name = ver = arch = NULL;
            nlen = vlen = alen = 0;
        } else if (n > 2 && l[1] == ':') {
            if (l[0] == 'P')
                name = l + 2, nlen = n - 2;
            else if (l[0] == 'V')
                ver = l + 2, vlen = n - 2;
            else if (l[0] == 'A')
                arch = l + 2, alen = n - 2;
        }
        if (eol == NULL)
            break;
        l = eol + 1;
    }
}

static pl_status apk_repo(struct offers *o, const char *dir, const char *arch, struct pl_error *err)
{
    struct pl_buf path = PL_BUF_INIT(0), tar = PL_BUF_INIT(0);
    const char *data = NULL;
    size_t size = 0;
    pl_status rc;

    pl_buf_addf(&path, "%s/%s/APKINDEX.tar.gz", dir, arch);
    if ((rc = pl_file_read(pl_buf_cstr(&path), 0, &tar, err)) == PL_OK) {
        if (!tar_find(pl_buf_cstr(&tar), tar.len, "APKINDEX", &data, &size)) {
            rc =
                pl_error_set(err, PL_E_PARSE, "%s: no APKINDEX in the archive", pl_buf_cstr(&path));
        } else {
            struct pl_buf idx = PL_BUF_INIT(0);

            pl_buf_add(&idx, data, size);
            pl_buf_adds(&idx, "\n\n");
            apkindex_read(o, pl_buf_cstr(&idx), idx.len);
            pl_buf_release(&idx);
            pl_buf_addf(&o->seen, "%s%s", o->n_repos ? ", " : "", pl_buf_cstr(&path));
            o->n_repos++;
        }
    }
    pl_buf_release(&tar);
    pl_buf_release(&path);
    return rc;
}

/* ROOT/etc/apk/arch, else the arch of an installed package of the job. */
static void apk_arch(const struct pl__job *j, char *out, size_t cap)
{
    struct pl_buf b = PL_BUF_INIT(0), path = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;

    out[0] = '\0';
    pl_buf_addf(&path, "%s/etc/apk/arch", j->ctx.host ? "" : j->root);
    if (pl_file_read(pl_buf_cstr(&path), 4096, &b, &err) == PL_OK) {
        size_t n = strcspn(pl_buf_cstr(&b), " \t\r\n");

        if (n && n < cap) {
            memcpy(out, pl_buf_cstr(&b), n);
            out[n] = '\0';
        }
    }
    for (size_t i = 0; out[0] == '\0' && i < j->n_pkgs; i++)
        if (j->pkgs[i].arch && j->pkgs[i].arch[0] && strcmp(j->pkgs[i].arch, "noarch") != 0 &&
            strlen(j->pkgs[i].arch) < cap)
            snprintf(out, cap, "%s", j->pkgs[i].arch);
    pl_buf_release(&b);
    pl_buf_release(&path);
}

static pl_status apk_offers(struct offers *o, struct pl_error *err)
{
    struct pl_buf path = PL_BUF_INIT(0), text = PL_BUF_INIT(0), dir = PL_BUF_INIT(0);
    char arch[64];
    pl_status rc = PL_OK;

    apk_arch(o->j, arch, sizeof(arch));
    pl_buf_addf(&path, "%s/etc/apk/repositories", o->j->ctx.host ? "" : o->j->root);
    if (arch[0] && pl_path_exists(pl_buf_cstr(&path)) &&
        (rc = pl_file_read(pl_buf_cstr(&path), 0, &text, err)) == PL_OK) {
        for (const char *l = pl_buf_cstr(&text); l && *l && rc == PL_OK;) {
            const char *eol = strchr(l, '\n');
            size_t len = eol ? (size_t)(eol - l) : strlen(l);
            const char *s = trim(l, &len);

            /* "@tag /path" pins a tagged repository: only what names the tag comes from it */
            if (len && s[0] != '#' && s[0] != '@' && local_dir(o->j, s, len, &dir))
                rc = apk_repo(o, pl_buf_cstr(&dir), arch, err);
            l = eol ? eol + 1 : NULL;
        }
    }
    pl_buf_release(&path);
    pl_buf_release(&text);
    pl_buf_release(&dir);
    return rc;
}

pl_status pl__apply_repo_offers(const struct pl__job *j, struct pl_buf *out, struct pl_buf *seen,
                                bool *ok, struct pl_error *err)
{
    struct offers o = {j, PL_VSCHEME_RPM, NULL, 0, PL_BUF_INIT(0)};
    pl_status rc;

    *ok = false;
    if (!pl__apply_vscheme_of(j->ex->ecosystem, &o.scheme))
        return pl_error_set(err, PL_E_INTERNAL, "no version scheme for %s", j->ex->ecosystem);
    o.best = pl_xcalloc(j->n_pkgs + 1, sizeof(*o.best));
    rc = strcmp(j->ex->name, "apk") == 0 ? apk_offers(&o, err) : dnf_offers(&o, err);
    if (rc == PL_OK && o.n_repos) {
        *ok = true;
        for (size_t i = 0; i < j->n_pkgs; i++)
            pl_buf_addf(out, "%s:\n  Candidate: %s\n", j->pkgs[i].name,
                        o.best[i] ? o.best[i] : "(none)");
        if (seen)
            pl_buf_adds(seen, pl_buf_cstr(&o.seen));
    }
    for (size_t i = 0; i < j->n_pkgs; i++)
        free(o.best[i]);
    free(o.best);
    pl_buf_release(&o.seen);
    return rc;
}
