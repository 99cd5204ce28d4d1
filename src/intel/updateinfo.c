/*
 * updateinfo.c - yum/dnf repository updateinfo.xml (Amazon Linux ALAS,
 * Rocky, Alma, Oracle, Fedora) and the JSON form of the same entries (one
 * object per line: ID, Title, Issued.Date, Updated.Date, Severity,
 * References.Reference[], Pkglist.Collection.Package[]).
 *
 * Both forms become one struct entry, stored the same way: one advisory per
 * update id, a `fixed` row per binary package (EVR "[E:]V-R"), the CVE
 * references as aliases (the findings are kept per CVE). The ecosystem is
 * the distribution release: Amazon Linux from the id prefix (ALAS-: 1,
 * ALAS2: 2, ALAS2022, ALAS2023) or the JSON `amazon_linux_release`, the
 * others from the id prefix and the packages' release tag (".el9",
 * ".fc40"). Amazon Linux 2 extras (ALAS2NGINX1-..., ALAS2KERNEL-5.10-...)
 * are bound to their topic's version stream: a topic named with a version
 * ("kernel-5.10", "postgresql14") gets `introduced` = that version when its
 * packages carry it, so a host on another stream of the same package is not
 * matched; a topic without one applies wherever its packages are installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/arena.h"
#include "patchline/common.h"
#include "patchline/log.h"
#include "patchline/xml.h"

#include "distro_int.h"

struct ui_pkg {
    const char *name, *epoch, *version, *release, *arch;
};

/* One update entry, whichever form it came in. Strings are borrowed from the tree. */
struct entry {
    const char *id, *type, *title, *issued, *updated, *severity, *description;
    const char *release_label; /* JSON: "AL2", "AL1 (2018.03)"; NULL in XML */
    const char **cves;
    size_t n_cves, cap_cves;
    struct ui_pkg *pkgs;
    size_t n_pkgs, cap_pkgs;
};

struct ui {
    struct pl_advisory_writer *w;
    struct pl_advisory adv;
    struct pl_arena arena; /* per entry */
    struct pl_import_stats *stats;
    struct entry e;
    const char *file;
    uint64_t skipped; /* entries that are not security updates */
};

static void entry_reset(struct entry *e)
{
    const char **cves = e->cves;
    struct ui_pkg *pkgs = e->pkgs;
    size_t cc = e->cap_cves, cp = e->cap_pkgs;

    memset(e, 0, sizeof(*e));
    e->cves = cves;
    e->pkgs = pkgs;
    e->cap_cves = cc;
    e->cap_pkgs = cp;
}

static void add_cve(struct entry *e, const char *id)
{
    for (size_t i = 0; i < e->n_cves; i++)
        if (strcmp(e->cves[i], id) == 0)
            return;
    e->cves = pl_xgrow(e->cves, e->n_cves, &e->cap_cves, 16, sizeof(*e->cves));
    e->cves[e->n_cves++] = id;
}

static struct ui_pkg *add_pkg(struct entry *e)
{
    e->pkgs = pl_xgrow(e->pkgs, e->n_pkgs, &e->cap_pkgs, 32, sizeof(*e->pkgs));
    memset(&e->pkgs[e->n_pkgs], 0, sizeof(*e->pkgs));
    return &e->pkgs[e->n_pkgs++];
}

/* "2011-09-27 22:46:00", "2011-09-27 22:46", "2011-09-27", or seconds since 1970. */
static pl_status entry_time(const struct pl__where *w, const char *field, const char *s,
                            pl_time_t *out, struct pl_error *err)
{
    char iso[40];
    size_t n = s ? strlen(s) : 0, digits = s ? strspn(s, "0123456789") : 0;

    *out = 0;
    if (n == 0)
        return PL_OK;
    if (digits == n && n <= 12) {
        int64_t v = 0;

        for (size_t i = 0; i < n; i++)
            v = v * 10 + (s[i] - '0');
        *out = (pl_time_t)v;
        return PL_OK;
    }
    if (n == 10)
        snprintf(iso, sizeof(iso), "%sT00:00:00Z", s);
    else if (n == 16 && s[10] == ' ')
        snprintf(iso, sizeof(iso), "%.10sT%s:00Z", s, s + 11);
    else if (n == 19 && s[10] == ' ')
        snprintf(iso, sizeof(iso), "%.10sT%sZ", s, s + 11);
    else
        snprintf(iso, sizeof(iso), "%.39s", s);
    if (pl_time_parse(iso, out, NULL) != PL_OK)
        return pl__intel_bad_field(w, field, PL_E_PARSE, err, "'%.40s' is not a date", s);
    return PL_OK;
}

/* "important" / "Important" -> "Important" (AL1/AL2 write lower case, AL2022/2023 capitalise). */
static const char *severity_norm(struct pl_arena *a, const char *s)
{
    char *c;

    if (s == NULL || s[0] == '\0')
        return NULL;
    c = pl_arena_strndup(a, s, strlen(s));
    if (c && c[0] >= 'a' && c[0] <= 'z')
        c[0] = (char)(c[0] - 'a' + 'A');
    return c;
}

/* The leading digits after prefix in s ("...el9_3" after ".el" -> 9); 0 when none. */
static size_t tag_number(const char *s, const char *prefix, const char **at)
{
    const char *p = s;

    while ((p = strstr(p, prefix)) != NULL) {
        size_t n = strspn(p + strlen(prefix), "0123456789");

        if (n) {
            *at = p + strlen(prefix);
            return n;
        }
        p++;
    }
    return 0;
}

/* Amazon Linux release from the id ("ALAS2023-...", "ALAS2-...", "ALAS-...") or the JSON label. */
static const char *amazon_release(const struct entry *e)
{
    const char *l = e->release_label;

    if (l && strncmp(l, "AL", 2) == 0) {
        if (strncmp(l + 2, "2023", 4) == 0)
            return "2023";
        if (strncmp(l + 2, "2022", 4) == 0)
            return "2022";
        if (l[2] == '2')
            return "2";
        if (l[2] == '1')
            return "1";
    }
    if (strncmp(e->id, "ALAS", 4) != 0)
        return NULL;
    if (strncmp(e->id + 4, "2023", 4) == 0)
        return "2023";
    if (strncmp(e->id + 4, "2022", 4) == 0)
        return "2022";
    if (e->id[4] == '2')
        return "2";
    return e->id[4] == '-' ? "1" : NULL;
}

static bool ecosystem_of(const struct entry *e, char *out, size_t cap)
{
    static const char *const prefixes[][2] = {
        {"RLSA", "rocky"},     {"RLBA", "rocky"},     {"RLEA", "rocky"},  {"ALSA", "almalinux"},
        {"ALBA", "almalinux"}, {"ALEA", "almalinux"}, {"ELSA", "oracle"}, {"ELBA", "oracle"},
        {"ELEA", "oracle"},    {"RHSA", "redhat"},    {"RHBA", "redhat"}, {"RHEA", "redhat"},
    };
    const char *al = amazon_release(e), *at = NULL;
    size_t n;

    if (al)
        return snprintf(out, cap, "amazon:%s", al) < (int)cap;
    for (size_t i = 0; e->n_pkgs && i < PL_ARRAY_LEN(prefixes); i++)
        if (strncmp(e->id, prefixes[i][0], 4) == 0 &&
            (n = tag_number(e->pkgs[0].release, ".el", &at)) > 0)
            return snprintf(out, cap, "%s:%.*s", prefixes[i][1], (int)n, at) < (int)cap;
    if (e->n_pkgs && strncmp(e->id, "FEDORA-", 7) == 0 &&
        (n = tag_number(e->pkgs[0].release, ".fc", &at)) > 0)
        return snprintf(out, cap, "fedora:%.*s", (int)n, at) < (int)cap;
    return false;
}

/*
 * The topic of an Amazon Linux extras advisory: the id between "ALAS" plus
 * the release and the trailing "-YYYY-NNN", lower case ("ALAS2NGINX1-2023-001"
 * -> "nginx1"); "" for a core advisory.
 */
static void amazon_topic(const char *id, const char *rel, char *out, size_t cap)
{
    size_t start = 4 + (strcmp(rel, "1") == 0 ? 0 : strlen(rel)), end = strlen(id), dashes = 0;

    out[0] = '\0';
    while (end > start && dashes < 2)
        if (id[--end] == '-')
            dashes++;
    if (dashes < 2 || end <= start || end - start >= cap)
        return;
    for (size_t i = start; i < end; i++)
        out[i - start] = (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] - 'A' + 'a' : id[i]);
    out[end - start] = '\0';
}

/* The version stream a topic names ("kernel-5.10" -> "5.10", "nginx1" -> "1"); NULL when none. */
static const char *topic_stream(const char *topic)
{
    size_t n = strlen(topic), i = n;

    while (i > 0 && ((topic[i - 1] >= '0' && topic[i - 1] <= '9') || topic[i - 1] == '.'))
        i--;
    while (i < n && topic[i] == '.')
        i++;
    return i < n ? topic + i : NULL;
}

/* The package version belongs to the stream: "5.10.210" and "5.10" do, "5.100" does not. */
static bool in_stream(const char *version, const char *stream)
{
    size_t n = strlen(stream);

    return strncmp(version, stream, n) == 0 && !(version[n] >= '0' && version[n] <= '9');
}

static pl_status check_pkg(const struct pl__where *w, const struct ui_pkg *p, struct pl_error *err)
{
    if (p->name == NULL || p->name[0] == '\0' || strlen(p->name) > PL_MAX_NAME_BYTES)
        return pl__intel_bad_field(w, "package.name", PL_E_PARSE, err,
                                   "missing, empty or too long");
    if (p->version == NULL || p->version[0] == '\0')
        return pl__intel_bad_field(w, "package.version", PL_E_PARSE, err, "missing for '%.80s'",
                                   p->name);
    if (p->release == NULL || p->release[0] == '\0')
        return pl__intel_bad_field(w, "package.release", PL_E_PARSE, err, "missing for '%.80s'",
                                   p->name);
    if (p->epoch && p->epoch[strspn(p->epoch, "0123456789")] != '\0')
        return pl__intel_bad_field(w, "package.epoch", PL_E_PARSE, err, "'%.40s' is not a number",
                                   p->epoch);
    return PL_OK;
}

/* One package -> a fixed row (skipping exact repeats: the same EVR for other arches). */
static pl_status add_row(struct ui *u, const struct pl__where *w, const struct ui_pkg *p,
                         const char *eco, const char *sev, const char *stream, const char *note,
                         struct pl_error *err)
{
    char evr[3 * PL_MAX_VERSION_BYTES];
    bool epoch = p->epoch && p->epoch[0] && strspn(p->epoch, "0") != strlen(p->epoch);
    struct pl_affected_row *r;
    int n;
    pl_status rc;

    if ((rc = check_pkg(w, p, err)) != PL_OK)
        return rc;
    n = epoch ? snprintf(evr, sizeof(evr), "%s:%s-%s", p->epoch, p->version, p->release)
              : snprintf(evr, sizeof(evr), "%s-%s", p->version, p->release);
    if (n < 0 || (size_t)n > PL_MAX_VERSION_BYTES)
        return pl__intel_bad_field(w, "package.version", PL_E_TOOBIG, err,
                                   "'%.80s': version longer than %d bytes", p->name,
                                   PL_MAX_VERSION_BYTES);
    for (size_t i = 0; i < u->adv.n_rows; i++)
        if (strcmp(u->adv.rows[i].package, p->name) == 0 && strcmp(u->adv.rows[i].fixed, evr) == 0)
            return PL_OK;
    r = pl_advisory_add_row(&u->adv);
    r->ecosystem = eco;
    r->package = p->name;
    r->package_kind = "binary";
    r->status = "fixed";
    r->fixed = pl_arena_strndup(&u->arena, evr, (size_t)n);
    r->severity = sev;
    r->note = note;
    if (stream && in_stream(p->version, stream)) {
        n = epoch ? snprintf(evr, sizeof(evr), "%s:%s", p->epoch, stream)
                  : snprintf(evr, sizeof(evr), "%s", stream);
        r->introduced = pl_arena_strndup(&u->arena, evr, (size_t)n);
    }
    return PL_OK;
}

static pl_status put_entry(struct ui *u, const struct pl__where *w, struct pl_error *err)
{
    const struct entry *e = &u->e;
    char eco[64], topic[64] = "", note[96];
    const char *sev, *stream = NULL, *note_p = NULL, *eco_p, *al;
    enum pl_put_result res;
    pl_status rc;

    u->stats->records++;
    if (e->id == NULL || e->id[0] == '\0' || strlen(e->id) > PL_MAX_NAME_BYTES)
        return pl__intel_bad_field(w, "id", PL_E_PARSE, err, "missing, empty or too long");
    if (e->type && strcmp(e->type, "security") != 0) {
        u->skipped++;
        return PL_OK; /* bug-fix and enhancement updates fix no vulnerability */
    }
    if (!ecosystem_of(e, eco, sizeof(eco)))
        return pl__intel_bad_field(
            w, "id", PL_E_PARSE, err,
            "cannot tell the distribution release (not ALAS, RLSA, ALSA, ELSA, "
            "RHSA or FEDORA with an .elN / .fcN release tag)");
    pl_advisory_reset(&u->adv);
    pl_arena_reset(&u->arena);
    u->adv.id = e->id;
    u->adv.summary = e->title;
    if ((rc = entry_time(w, "issued", e->issued, &u->adv.published, err)) != PL_OK ||
        (rc = entry_time(w, "updated", e->updated, &u->adv.modified, err)) != PL_OK)
        return rc;
    if (u->adv.modified == 0)
        u->adv.modified = u->adv.published;
    sev = severity_norm(&u->arena, e->severity);
    u->adv.severity = sev;
    eco_p = pl_arena_strndup(&u->arena, eco, strlen(eco));
    if ((al = amazon_release(e)) != NULL) {
        amazon_topic(e->id, al, topic, sizeof(topic));
        if (topic[0]) {
            stream = topic_stream(topic);
            snprintf(note, sizeof(note), "extras topic %s", topic);
            note_p = pl_arena_strndup(&u->arena, note, strlen(note));
        }
    }
    for (size_t i = 0; i < e->n_cves; i++)
        pl_advisory_add_alias(&u->adv, e->cves[i]);
    pl_advisory_add_vuln(&u->adv, e->id)->severity = sev;
    for (size_t i = 0; i < e->n_pkgs; i++)
        if ((rc = add_row(u, w, &e->pkgs[i], eco_p, sev, stream, note_p, err)) != PL_OK)
            return rc;
    if (pl_arena_status(&u->arena) != PL_OK)
        return pl__intel_bad_field(w, "pkglist", PL_E_TOOBIG, err, "too many packages");
    if ((rc = pl_advisory_writer_put(u->w, &u->adv, &res, err)) != PL_OK) {
        pl_error_prefix(err, "advisory '%s'", e->id);
        return rc;
    }
    pl__intel_count_put(u->stats, res);
    return PL_OK;
}

/* ---- XML --------------------------------------------------------------- */

static const char *attr_or_text(const struct pl_xml_node *n, const char *name)
{
    const char *a = pl_xml_node_attr(n, name);

    return a ? a : pl_xml_child_text(n, name);
}

static pl_status on_update(const struct pl_xml_node *up, uint64_t index, void *data,
                           struct pl_error *err)
{
    struct ui *u = data;
    struct entry *e = &u->e;
    char file[PL_MAX_NAME_BYTES + 32];
    struct pl__where w = {file, "advisory", NULL, NULL};
    const struct pl_xml_node *n;

    (void)index;
    snprintf(file, sizeof(file), "%.200s:%lu", u->file, up->line);
    entry_reset(e);
    e->id = pl_xml_child_text(up, "id");
    w.name = e->id;
    e->type = pl_xml_node_attr(up, "type");
    e->title = pl_xml_child_text(up, "title");
    e->severity = pl_xml_child_text(up, "severity");
    e->description = pl_xml_child_text(up, "description");
    if ((n = pl_xml_child(up, "issued")) != NULL)
        e->issued = pl_xml_node_attr(n, "date");
    if ((n = pl_xml_child(up, "updated")) != NULL)
        e->updated = pl_xml_node_attr(n, "date");
    if ((n = pl_xml_child(up, "references")) != NULL)
        for (n = pl_xml_child(n, "reference"); n; n = pl_xml_sibling(n, "reference")) {
            const char *type = pl_xml_node_attr(n, "type"), *id = pl_xml_node_attr(n, "id");

            if (type && id && strcmp(type, "cve") == 0 && id[0] && strlen(id) <= PL_MAX_NAME_BYTES)
                add_cve(e, id);
        }
    for (n = pl_xml_child(up, "pkglist"); n; n = pl_xml_sibling(n, "pkglist"))
        for (const struct pl_xml_node *c = pl_xml_child(n, "collection"); c;
             c = pl_xml_sibling(c, "collection"))
            for (const struct pl_xml_node *p = pl_xml_child(c, "package"); p;
                 p = pl_xml_sibling(p, "package")) {
                struct ui_pkg *k = add_pkg(e);

                k->name = attr_or_text(p, "name");
                k->epoch = attr_or_text(p, "epoch");
                k->version = attr_or_text(p, "version");
                k->release = attr_or_text(p, "release");
                k->arch = attr_or_text(p, "arch");
            }
    return put_entry(u, &w, err);
}

static pl_status import_xml(struct ui *u, struct pl_reader *r, struct pl_error *err)
{
    struct pl_xml *x;
    uint64_t count = 0;
    pl_status rc;

    if ((rc = pl_xml_open(r, NULL, &x, err)) != PL_OK)
        return rc;
    rc = pl_xml_each(x, "update", on_update, u, &count, err);
    pl_xml_close(x);
    return rc;
}

/* ---- JSON -------------------------------------------------------------- */

/* v itself when an array, else a one-element view (converters write one item as an object). */
#define EACH(it, v)                                                                           \
    for (const struct pl_json *it = (v) && (v)->type == PL_JSON_ARRAY ? (v)->child : (v); it; \
         it = (v)->type == PL_JSON_ARRAY ? it->next : NULL)

static pl_status json_str(const struct pl__where *w, const struct pl_json *o, const char *key,
                          bool required, const char **out, struct pl_error *err)
{
    return pl__intel_get_str(w, o, key, PL_MAX_FIELD_BYTES, required, out, err);
}

static pl_status json_pkgs(struct ui *u, const struct pl__where *w, const struct pl_json *list,
                           struct pl_error *err)
{
    pl_status rc = PL_OK;

    EACH(p, list)
    {
        struct ui_pkg *k;

        if (p->type != PL_JSON_OBJECT)
            return pl__intel_bad_type(w, "Pkglist.Collection.Package", "object", p, err);
        k = add_pkg(&u->e);
        if ((rc = json_str(w, p, "Name", true, &k->name, err)) != PL_OK ||
            (rc = json_str(w, p, "Epoch", false, &k->epoch, err)) != PL_OK ||
            (rc = json_str(w, p, "Version", true, &k->version, err)) != PL_OK ||
            (rc = json_str(w, p, "Release", true, &k->release, err)) != PL_OK ||
            (rc = json_str(w, p, "Arch", false, &k->arch, err)) != PL_OK)
            return rc;
    }
    return rc;
}

static pl_status json_lists(struct ui *u, const struct pl__where *w, const struct pl_json *rec,
                            struct pl_error *err)
{
    const struct pl_json *refs, *pkglist, *list;
    pl_status rc;

    if ((rc = pl__intel_get_typed(w, rec, "References", PL_JSON_OBJECT, &refs, err)) != PL_OK ||
        (rc = pl__intel_get_typed(w, rec, "Pkglist", PL_JSON_OBJECT, &pkglist, err)) != PL_OK)
        return rc;
    list = refs ? pl_json_get(refs, "Reference") : NULL;
    if (list && list->type != PL_JSON_NULL)
        EACH(ref, list)
        {
            const char *type = pl_json_get_string(ref, "Type"), *id = pl_json_get_string(ref, "ID");

            if (ref->type != PL_JSON_OBJECT)
                return pl__intel_bad_type(w, "References.Reference", "object", ref, err);
            if (type && id && strcmp(type, "cve") == 0 && id[0] && strlen(id) <= PL_MAX_NAME_BYTES)
                add_cve(&u->e, id);
        }
    list = pkglist ? pl_json_get(pkglist, "Collection") : NULL;
    if (list && list->type != PL_JSON_NULL)
        EACH(col, list)
        {
            const struct pl_json *pk = pl_json_get(col, "Package");

            if (col->type != PL_JSON_OBJECT)
                return pl__intel_bad_type(w, "Pkglist.Collection", "object", col, err);
            if (pk && pk->type != PL_JSON_NULL && (rc = json_pkgs(u, w, pk, err)) != PL_OK)
                return rc;
        }
    return PL_OK;
}

static pl_status json_entry(struct ui *u, const struct pl_json *rec, struct pl_error *err)
{
    struct pl__where w = {NULL, "advisory", NULL, NULL};
    struct entry *e = &u->e;
    const struct pl_json *d;
    pl_status rc;

    if (rec->type != PL_JSON_OBJECT)
        return pl__intel_bad_type(&w, "(record)", "object", rec, err);
    entry_reset(e);
    if ((rc = json_str(&w, rec, "ID", true, &e->id, err)) != PL_OK)
        return rc;
    w.name = e->id;
    if ((rc = json_str(&w, rec, "Type", false, &e->type, err)) != PL_OK ||
        (rc = json_str(&w, rec, "Title", false, &e->title, err)) != PL_OK ||
        (rc = json_str(&w, rec, "Severity", false, &e->severity, err)) != PL_OK ||
        (rc = json_str(&w, rec, "Description", false, &e->description, err)) != PL_OK ||
        (rc = json_str(&w, rec, "amazon_linux_release", false, &e->release_label, err)) != PL_OK)
        return rc;
    if ((d = pl_json_get(rec, "Issued")) != NULL && d->type == PL_JSON_OBJECT &&
        (rc = json_str(&w, d, "Date", false, &e->issued, err)) != PL_OK)
        return rc;
    if ((d = pl_json_get(rec, "Updated")) != NULL && d->type == PL_JSON_OBJECT &&
        (rc = json_str(&w, d, "Date", false, &e->updated, err)) != PL_OK)
        return rc;
    if ((rc = json_lists(u, &w, rec, err)) != PL_OK)
        return rc;
    return put_entry(u, &w, err);
}

static pl_status on_json(const struct pl_json *rec, uint64_t index, void *data,
                         struct pl_error *err)
{
    struct ui *u = data;
    pl_status rc = PL_OK;

    (void)index;
    if (rec->type != PL_JSON_ARRAY)
        return json_entry(u, rec, err);
    for (const struct pl_json *e = rec->child; e && rc == PL_OK; e = e->next)
        rc = json_entry(u, e, err);
    return rc;
}

/* ---- the kind ---------------------------------------------------------- */

/* XML or JSON: the first non-blank byte of the file (standard input is taken as XML). */
static pl_status is_json(const char *path, bool *out, struct pl_error *err)
{
    struct pl_reader *r;
    char head[512];
    size_t n = 0, i = 0;
    pl_status rc;

    *out = false;
    if (strcmp(path, "-") == 0)
        return PL_OK;
    if ((rc = pl_reader_open(path, 0, &r, err)) != PL_OK)
        return rc;
    rc = pl_reader_read(r, head, sizeof(head), &n, err);
    pl_reader_close(r);
    if (n >= 3 && (unsigned char)head[0] == 0xef && (unsigned char)head[1] == 0xbb)
        i = 3;
    while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
        i++;
    *out = i < n && (head[i] == '{' || head[i] == '[');
    return rc;
}

pl_status pl_intel_import_updateinfo(struct pl_store *s, struct pl_reader *r,
                                     const struct pl_import_opts *opts,
                                     struct pl_import_stats *stats, struct pl_error *err)
{
    struct ui u = {.stats = stats, .file = pl_reader_path(r)};
    struct pl_json_stream_opts jo = {.lines = true, .on_record = on_json, .data = &u};
    bool json;
    pl_status rc;

    (void)opts;
    if ((rc = is_json(u.file, &json, err)) != PL_OK)
        return rc;
    if ((rc = pl_advisory_writer_open(s, &u.w, err)) != PL_OK)
        return rc;
    pl_advisory_init(&u.adv, "updateinfo");
    pl_arena_init(&u.arena, PL_MAX_ADVISORY_SCRATCH_BYTES);
    rc = json ? pl_json_stream(r, &jo, err) : import_xml(&u, r, err);
    if (u.skipped)
        pl_log(PL_LOG_INFO, "intel", "%s: %llu updates that are not security updates skipped",
               u.file, (unsigned long long)u.skipped);
    free(u.e.cves);
    free(u.e.pkgs);
    pl_arena_release(&u.arena);
    pl_advisory_release(&u.adv);
    pl_advisory_writer_close(u.w);
    return rc;
}

/* updateinfo.xml ("<updates" with "<update ") or its JSON form ("ID" and "Pkglist"). */
int pl_intel_detect_updateinfo(const char *head, size_t n)
{
    bool updates = false, update = false, id = false, pkglist = false;

    for (size_t k = 0; k + 10 < n; k++) {
        updates = updates || strncmp(head + k, "<updates", 8) == 0;
        update = update || strncmp(head + k, "<update ", 8) == 0;
        id = id || strncmp(head + k, "\"ID\"", 4) == 0;
        pkglist = pkglist || strncmp(head + k, "\"Pkglist\"", 9) == 0;
    }
    return (updates && update) || (id && pkglist) ? 90 : 0;
}
