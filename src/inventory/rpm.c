/*
 * rpm.c - the rpm database, read through `rpm -qa --qf` (run without a
 * shell): one tab-separated line per package, parsed strictly.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"
#include "patchline/spawn.h"

#include "inventory_int.h"

const char pl_rpm_query_format[] = "%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t"
                                   "%{SOURCERPM}\\t%{INSTALLTIME}\\n";

enum { R_NAME, R_EPOCH, R_VERSION, R_RELEASE, R_ARCH, R_SOURCERPM, R_INSTALLTIME, R_COUNT };

static const char *const rpm_fields[R_COUNT] = {"NAME", "EPOCH",     "VERSION",    "RELEASE",
                                                "ARCH", "SOURCERPM", "INSTALLTIME"};

static const size_t rpm_field_max[R_COUNT] = {
    PL_MAX_NAME_BYTES, PL_MAX_VERSION_BYTES, PL_MAX_VERSION_BYTES, PL_MAX_VERSION_BYTES,
    PL_MAX_NAME_BYTES, PL_MAX_NAME_BYTES,    PL_MAX_VERSION_BYTES};

static bool is_none(struct span s)
{
    return s.n == 6 && memcmp(s.p, "(none)", 6) == 0;
}

/* NAME-VERSION-RELEASE.src.rpm -> NAME and VERSION-RELEASE; false when malformed. */
static bool split_srpm(struct span s, struct span *name, struct span *ver)
{
    static const char *const ends[] = {".src.rpm", ".nosrc.rpm"};
    size_t dashes = 0, i;

    for (i = 0; i < PL_ARRAY_LEN(ends); i++) {
        size_t e = strlen(ends[i]);
        if (s.n > e && memcmp(s.p + s.n - e, ends[i], e) == 0) {
            s.n -= e;
            break;
        }
    }
    if (i == PL_ARRAY_LEN(ends))
        return false;
    for (i = s.n; i > 0; i--)
        if (s.p[i - 1] == '-' && ++dashes == 2)
            break;
    if (dashes != 2 || i < 2)
        return false;
    *name = (struct span){s.p, i - 1};
    *ver = (struct span){s.p + i, s.n - i};
    return name->n > 0 && ver->n > 2;
}

static pl_status parse_num(const char *what, size_t lineno, int i, const struct span *f,
                           int64_t *out, struct pl_error *err)
{
    char num[32];

    if (f[i].n >= sizeof(num))
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: field '%s': number too long", what, lineno,
                            rpm_fields[i]);
    memcpy(num, f[i].p, f[i].n);
    num[f[i].n] = '\0';
    if (pl_parse_i64(num, out, NULL) != PL_OK || *out < 0)
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: field '%s': not a number: '%s'", what, lineno,
                            rpm_fields[i], num);
    return PL_OK;
}

static pl_status rpm_row(const char *what, size_t lineno, struct span *f,
                         struct pl_package_list *out, struct pl_error *err)
{
    char evr[3 * PL_MAX_VERSION_BYTES];
    struct span src = {NULL, 0}, src_ver = {NULL, 0}, version;
    int64_t epoch = -1, itime = 0;
    pl_status rc;
    int n;

    for (int i = 0; i < R_COUNT; i++) {
        bool optional = i == R_EPOCH || i == R_SOURCERPM;
        size_t max = rpm_field_max[i];
        if (optional && is_none(f[i]))
            continue;
        if ((rc = pl__inventory_inv_check_token(what, lineno, rpm_fields[i], f[i], max, err)) !=
            PL_OK)
            return rc;
    }
    if (f[R_NAME].n == 10 && memcmp(f[R_NAME].p, "gpg-pubkey", 10) == 0)
        return PL_OK; /* an imported signing key, not a package */
    if ((!is_none(f[R_EPOCH]) && (rc = parse_num(what, lineno, R_EPOCH, f, &epoch, err))) ||
        (rc = parse_num(what, lineno, R_INSTALLTIME, f, &itime, err)))
        return rc;
    if (epoch >= 0)
        n = snprintf(evr, sizeof(evr), "%lld:%.*s-%.*s", (long long)epoch, (int)f[R_VERSION].n,
                     f[R_VERSION].p, (int)f[R_RELEASE].n, f[R_RELEASE].p);
    else
        n = snprintf(evr, sizeof(evr), "%.*s-%.*s", (int)f[R_VERSION].n, f[R_VERSION].p,
                     (int)f[R_RELEASE].n, f[R_RELEASE].p);
    if (n < 0 || (size_t)n > PL_MAX_VERSION_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%zu: field 'VERSION': longer than %d bytes", what,
                            lineno, PL_MAX_VERSION_BYTES);
    if (!is_none(f[R_SOURCERPM]) && !split_srpm(f[R_SOURCERPM], &src, &src_ver))
        return pl_error_set(err, PL_E_PARSE,
                            "%s:%zu: field 'SOURCERPM': want NAME-VERSION-RELEASE.src.rpm", what,
                            lineno);
    if (out->n >= PL_MAX_PACKAGES_PER_ASSET)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%zu: more than %d installed packages", what,
                            lineno, PL_MAX_PACKAGES_PER_ASSET);
    version = (struct span){evr, (size_t)n};
    pl__inventory_inv_add(out, "rpm", f[R_NAME], version, f[R_ARCH], src, src_ver);
    out->items[out->n - 1].installed_at = itime;
    return PL_OK;
}

static pl_status rpm_line(const char *what, size_t lineno, struct span l,
                          struct pl_package_list *out, struct pl_error *err)
{
    struct span f[R_COUNT];
    size_t k = 0, start = 0;

    for (size_t i = 0; i <= l.n; i++) {
        if (i < l.n && l.p[i] != '\t')
            continue;
        if (k == R_COUNT)
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: want %d tab-separated fields, got more",
                                what, lineno, R_COUNT);
        f[k++] = (struct span){l.p + start, i - start};
        start = i + 1;
    }
    if (k != R_COUNT)
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: want %d tab-separated fields, got %zu", what,
                            lineno, R_COUNT, k);
    return rpm_row(what, lineno, f, out, err);
}

pl_status pl_rpm_output_parse(const char *what, const char *data, size_t len,
                              struct pl_package_list *out, struct pl_error *err)
{
    size_t pos = 0, lineno = 0, start_n = out->n;
    pl_status rc = PL_OK;

    if (len && data[len - 1] != '\n')
        return pl_error_set(err, PL_E_PARSE, "%s: truncated output (no final newline)", what);
    while (rc == PL_OK && pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = (size_t)(nl - (data + pos));

        lineno++;
        if (n > PL_MAX_LINE_BYTES)
            rc = pl_error_set(err, PL_E_TOOBIG, "%s:%zu: line longer than %zu bytes", what, lineno,
                              PL_MAX_LINE_BYTES);
        else
            rc = rpm_line(what, lineno, (struct span){data + pos, n}, out, err);
        pos += n + 1;
    }
    if (rc != PL_OK)
        pl__inventory_inv_truncate(out, start_n);
    return rc;
}

pl_status pl_rpm_query(const char *root, const char *dbpath, struct pl_package_list *out,
                       struct pl_error *err)
{
    const char *argv[10];
    size_t k = 0;
    struct pl_spawn_opts opts = {NULL, 0, 4096, PL_PKGDB_TIMEOUT_MS};
    struct pl_spawn_result res;
    struct pl_buf o = PL_BUF_INIT(PL_MAX_SPAWN_OUTPUT_BYTES + 1);
    struct pl_buf e = PL_BUF_INIT(4097);
    char why[96];
    pl_status rc;

    argv[k++] = "rpm";
    if (root && strcmp(root, "/") != 0) {
        argv[k++] = "--root";
        argv[k++] = root;
    }
    if (dbpath) {
        argv[k++] = "--dbpath";
        argv[k++] = dbpath;
    }
    argv[k++] = "-qa";
    argv[k++] = "--qf";
    argv[k++] = pl_rpm_query_format;
    argv[k] = NULL;
    rc = pl_spawn_run(argv, &opts, &o, &e, &res, err);
    if (rc == PL_E_NOTFOUND)
        rc = pl_error_set(err, PL_E_NOTFOUND,
                          "this system has an rpm database but the 'rpm' program is not "
                          "installed (install the rpm package)");
    else if (rc == PL_OK && (res.exit_code != 0 || res.timed_out))
        rc = pl_error_set(err, PL_E_IO, "rpm -qa %s: %s",
                          pl_spawn_describe(&res, &opts, why, sizeof(why)), pl_buf_cstr(&e));
    else if (rc == PL_OK && res.out_truncated)
        rc = pl_error_set(err, PL_E_TOOBIG, "rpm -qa: output longer than %zu bytes",
                          PL_MAX_SPAWN_OUTPUT_BYTES);
    else if (rc == PL_OK)
        rc = pl_rpm_output_parse("rpm -qa", pl_buf_cstr(&o), o.len, out, err);
    pl_buf_release(&o);
    pl_buf_release(&e);
    return rc;
}
