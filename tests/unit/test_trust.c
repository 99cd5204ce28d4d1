/*
 * test_trust.c - the trust rule (issue 11, docs/security.md): the store,
 * its folder and its -wal/-shm/-journal files; a planted -wal refused before
 * SQLite replays it; kept files under a store's job folder; the modes of new
 * stores and folders under umask 000; the store path made absolute once;
 * output files never written through a planted link. The parts that need a
 * file of another owner (chown) run as root only, in throwaway folders under
 * /tmp.
 */
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/file.h"
#include "patchline/sha256.h"
#include "patchline/spawn.h"
#include "patchline/store.h"
#include "patchline/trust.h"

#define NOBODY 65534

/* A throwaway folder /tmp/pl-trust-XXXXXX (0700). */
static void tmpdir(char *dir, size_t size)
{
    char tmpl[] = "/tmp/pl-trust-XXXXXX";

    assert_non_null(mkdtemp(tmpl));
    assert_true(snprintf(dir, size, "%s", tmpl) < (int)size);
}

static void rmtree(const char *dir)
{
    const char *argv[] = {"rm", "-rf", "--", dir, NULL};
    struct pl_spawn_opts o = {NULL, 0, 0, 60L * 1000};
    struct pl_spawn_result r;
    struct pl_error err = PL_ERROR_INIT;

    /* the one rule of these tests: never anything but a throwaway folder */
    assert_true(strncmp(dir, "/tmp/pl-trust-", 14) == 0 && strcmp(dir, "/") != 0);
    assert_int_equal(pl_spawn_run(argv, &o, NULL, NULL, &r, &err), PL_OK);
    assert_int_equal(r.exit_code, 0);
}

static void put(const char *path, const char *text, mode_t mode)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static void path_of(char *out, size_t size, const char *dir, const char *rel)
{
    assert_true(snprintf(out, size, "%s/%s", dir, rel) < (int)size);
}

static void file_text(const char *path, char *out, size_t size)
{
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;

    assert_int_equal(pl_file_read(path, 4096, &b, &err), PL_OK);
    assert_true(snprintf(out, size, "%s", pl_buf_cstr(&b)) < (int)size);
    pl_buf_release(&b);
}

static void file_sha(const char *path, char hex[65])
{
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    struct pl_sha256 c;

    assert_int_equal(pl_file_read(path, 0, &b, &err), PL_OK);
    pl_sha256_init(&c);
    pl_sha256_update(&c, b.buf, b.len);
    pl_sha256_hex(&c, hex);
    pl_buf_release(&b);
}

static unsigned mode_of(const char *path)
{
    struct stat st;

    assert_int_equal(lstat(path, &st), 0);
    return (unsigned)(st.st_mode & 07777);
}

/* "root" or "uid N": how the rule names the owner it wants. */
static const char *whom(void)
{
    static char w[32];

    if (geteuid() == 0)
        return "root";
    snprintf(w, sizeof(w), "uid %u", (unsigned)geteuid());
    return w;
}

static void make_store(const char *path)
{
    struct pl_store *s = NULL;
    struct pl_error err = PL_ERROR_INIT;

    assert_int_equal(pl_store_open(path, PL_STORE_CREATE, &s, &err), PL_OK);
    pl_store_close(s);
}

static void expect(pl_status got, const struct pl_error *err, const char *want)
{
    assert_int_equal(got, PL_E_INVALID);
    assert_string_equal(err->msg, want);
}

/* The store, its folder and each companion file are held to one rule. */
static void store_folder_and_companions(void **state)
{
    char d[64], db[128], wal[160], shm[160], jnl[160], link[160], want[512];
    struct pl_error err = PL_ERROR_INIT;
    uid_t me = pl_trust_owner();

    (void)state;
    tmpdir(d, sizeof(d));
    path_of(db, sizeof(db), d, "w.db");
    make_store(db);
    snprintf(wal, sizeof(wal), "%s-wal", db);
    snprintf(shm, sizeof(shm), "%s-shm", db);
    snprintf(jnl, sizeof(jnl), "%s-journal", db);
    assert_int_equal(pl_trust_check_store(db, me, &err), PL_OK);

    /* a folder others can write: they could plant w.db-wal */
    assert_int_equal(chmod(d, 0770), 0);
    snprintf(want, sizeof(want),
             "store folder '%s' is writable by its group (mode 0770): refusing it when running "
             "as %s",
             d, whom());
    expect(pl_trust_check_store(db, me, &err), &err, want);
    assert_int_equal(chmod(d, 0700), 0);

    /* companions: writable by others, a symbolic link */
    put(wal, "", 0666);
    snprintf(want, sizeof(want),
             "store '%s' is writable by others (mode 0666): refusing it when running as %s", wal,
             whom());
    expect(pl_trust_check_store(db, me, &err), &err, want);
    assert_int_equal(unlink(wal), 0);
    assert_int_equal(symlink(db, shm), 0);
    snprintf(want, sizeof(want), "store '%s' is a symbolic link: refusing it", shm);
    expect(pl_trust_check_store(db, me, &err), &err, want);
    assert_int_equal(unlink(shm), 0);
    put(jnl, "", 0600);
    assert_int_equal(pl_trust_check_store(db, me, &err), PL_OK);
    assert_int_equal(chmod(jnl, 0620), 0);
    snprintf(want, sizeof(want),
             "store '%s' is writable by its group (mode 0620): refusing it when running as %s", jnl,
             whom());
    expect(pl_trust_check_store(db, me, &err), &err, want);
    assert_int_equal(unlink(jnl), 0);

    /* the store itself as a symbolic link (SQLite would put its -wal beside the target) */
    path_of(link, sizeof(link), d, "l.db");
    assert_int_equal(symlink(db, link), 0);
    snprintf(want, sizeof(want), "store '%s' is a symbolic link: refusing it", link);
    expect(pl_trust_check_store(link, me, &err), &err, want);

    if (geteuid() == 0) { /* another owner */
        put(wal, "", 0600);
        assert_int_equal(chown(wal, NOBODY, NOBODY), 0);
        snprintf(want, sizeof(want),
                 "store '%s' is owned by uid %d, not root: refusing it when running as root", wal,
                 NOBODY);
        expect(pl_trust_check_store(db, 0, &err), &err, want);
    }
    rmtree(d);
}

/*
 * The attack of issue 11 item 3: a root-owned store in a group-writable
 * folder, and an attacker's w.db-wal beside it that SQLite would replay and
 * checkpoint into the store. Opened PL_STORE_TRUSTED as root, it is refused
 * before SQLite reads a byte: the store file is unchanged.
 */
static void planted_wal_refused_before_replay(void **state)
{
    char d[64], db[128], copy[160], wal[160], before[65], after[65], want[512];
    struct pl_store *s = NULL;
    struct pl_error err = PL_ERROR_INIT;
    sqlite3 *x = NULL;
    sqlite3_stmt *st;
    struct pl_buf b = PL_BUF_INIT(0);

    (void)state;
    if (geteuid() != 0) {
        print_message("skipping: the store trust rule applies when running as root\n");
        skip();
    }
    tmpdir(d, sizeof(d));
    path_of(db, sizeof(db), d, "w.db");
    make_store(db);
    file_sha(db, before);
    /* the attacker's copy, changed in WAL mode and never checkpointed */
    path_of(copy, sizeof(copy), d, "copy.db");
    assert_int_equal(pl_file_read(db, 0, &b, &err), PL_OK);
    assert_int_equal(pl_file_write(NULL, copy, b.buf, b.len, 0600, &err), PL_OK);
    pl_buf_release(&b);
    assert_int_equal(sqlite3_open(copy, &x), SQLITE_OK);
    assert_int_equal(sqlite3_exec(x,
                                  "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; "
                                  "CREATE TABLE planted (x); INSERT INTO planted VALUES (1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    snprintf(copy, sizeof(copy), "%s/copy.db-wal", d);
    snprintf(wal, sizeof(wal), "%s-wal", db);
    assert_int_equal(pl_file_read(copy, 0, &b, &err), PL_OK);
    assert_int_equal(pl_file_write(NULL, wal, b.buf, b.len, 0644, &err), PL_OK);
    pl_buf_release(&b);
    sqlite3_close(x);
    assert_int_equal(chown(wal, NOBODY, NOBODY), 0);
    assert_int_equal(chmod(db, 0644), 0);
    assert_int_equal(chmod(d, 0775), 0);

    snprintf(want, sizeof(want),
             "store folder '%s' is writable by its group (mode 0775): refusing it when running as "
             "root",
             d);
    expect(pl_store_open(db, PL_STORE_TRUSTED, &s, &err), &err, want);
    assert_null(s);
    assert_int_equal(chmod(d, 0755), 0);
    snprintf(want, sizeof(want),
             "store '%s' is owned by uid %d, not root: refusing it when running as root", wal,
             NOBODY);
    expect(pl_store_open(db, PL_STORE_TRUSTED, &s, &err), &err, want);
    file_sha(db, after);
    assert_string_equal(after, before);
    assert_true(pl_path_exists(wal));

    /* the control: without the rule SQLite replays the planted WAL */
    assert_int_equal(sqlite3_open(db, &x), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(x, "SELECT count(*) FROM planted", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    sqlite3_close(x);
    rmtree(d);
}

/* Kept files: under the base, every folder and the file trusted, nothing followed. */
static void kept_files_under_the_store_folder(void **state)
{
    char d[64], dir1[160], dir2[160], sub[200], f[256], p[300], want[700], hex[65], sha[65];
    struct pl_error err = PL_ERROR_INIT;
    uid_t me = pl_trust_owner();
    int fd = -1;

    (void)state;
    tmpdir(d, sizeof(d));
    path_of(dir1, sizeof(dir1), d, "w.db.jobs");
    assert_int_equal(mkdir(dir1, 0700), 0);
    path_of(dir1, sizeof(dir1), d, "w.db.jobs/1");
    assert_int_equal(mkdir(dir1, 0700), 0);
    path_of(sub, sizeof(sub), dir1, "download-x");
    assert_int_equal(mkdir(sub, 0700), 0);
    path_of(f, sizeof(f), sub, "x_1.0_all.deb");
    put(f, "package bytes\n", 0600);
    file_sha(f, sha);

    assert_int_equal(pl_trust_open_under("kept file", d, f, me, &fd, &err), PL_OK);
    assert_int_equal(pl_trust_fd_sha256(fd, hex, &err), PL_OK);
    close(fd);
    assert_string_equal(hex, sha);

    /* not under the base */
    snprintf(want, sizeof(want), "kept file '/tmp/x.deb' is not under '%s': refusing it", d);
    expect(pl_trust_open_under("kept file", d, "/tmp/x.deb", me, &fd, &err), &err, want);
    /* a '..' component */
    snprintf(p, sizeof(p), "%s/w.db.jobs/1/../1/download-x/x_1.0_all.deb", d);
    snprintf(want, sizeof(want), "kept file '%s': an empty, '.' or '..' component", p);
    expect(pl_trust_open_under("kept file", d, p, me, &fd, &err), &err, want);
    /* a symbolic link as the file */
    path_of(p, sizeof(p), dir1, "link.deb");
    assert_int_equal(symlink(f, p), 0);
    snprintf(want, sizeof(want), "kept file '%s' is a symbolic link: refusing it", p);
    expect(pl_trust_open_under("kept file", d, p, me, &fd, &err), &err, want);
    /* a symbolic link as a folder */
    path_of(dir2, sizeof(dir2), d, "w.db.jobs/2");
    assert_int_equal(symlink(dir1, dir2), 0);
    path_of(p, sizeof(p), dir2, "download-x/x_1.0_all.deb");
    snprintf(want, sizeof(want), "folder '%s' is a symbolic link: refusing it", dir2);
    expect(pl_trust_open_under("kept file", d, p, me, &fd, &err), &err, want);
    /* a folder others can write: they could swap the file after the check */
    assert_int_equal(chmod(sub, 0777), 0);
    snprintf(want, sizeof(want),
             "folder '%s' is writable by others (mode 0777): refusing it when running as %s", sub,
             whom());
    expect(pl_trust_open_under("kept file", d, f, me, &fd, &err), &err, want);
    assert_int_equal(chmod(sub, 0700), 0);
    /* the file writable by the group */
    assert_int_equal(chmod(f, 0660), 0);
    snprintf(want, sizeof(want),
             "kept file '%s' is writable by its group (mode 0660): refusing it when running as %s",
             f, whom());
    expect(pl_trust_open_under("kept file", d, f, me, &fd, &err), &err, want);
    assert_int_equal(chmod(f, 0600), 0);
    /* no regular file */
    path_of(p, sizeof(p), dir1, "fifo");
    assert_int_equal(mkfifo(p, 0600), 0);
    snprintf(want, sizeof(want), "kept file '%s' is not a regular file: refusing it", p);
    expect(pl_trust_open_under("kept file", d, p, me, &fd, &err), &err, want);
    if (geteuid() == 0) { /* owned by another user */
        assert_int_equal(chown(f, NOBODY, NOBODY), 0);
        snprintf(want, sizeof(want),
                 "kept file '%s' is owned by uid %d, not root: refusing it when running as root", f,
                 NOBODY);
        expect(pl_trust_open_under("kept file", d, f, 0, &fd, &err), &err, want);
    }
    rmtree(d);
}

/* Under umask 000: store and companions 0600, new folders 0700. */
static void modes_whatever_the_umask(void **state)
{
    char d[64], db[200], p[256];
    struct pl_store *s = NULL;
    struct pl_error err = PL_ERROR_INIT;
    mode_t old = umask(0);

    (void)state;
    tmpdir(d, sizeof(d));
    path_of(db, sizeof(db), d, "xdg/patchline/patchline.db");
    assert_int_equal(pl_store_open(db, PL_STORE_CREATE | PL_STORE_MKDIR, &s, &err), PL_OK);
    assert_int_equal(pl_store_begin(s, &err), PL_OK);
    assert_int_equal(pl_store_audit(s, "test", NULL, NULL, &err), PL_OK);
    assert_int_equal(pl_store_commit(s, &err), PL_OK);
    assert_int_equal(mode_of(db), 0600);
    snprintf(p, sizeof(p), "%s-wal", db);
    assert_int_equal(mode_of(p), 0600);
    snprintf(p, sizeof(p), "%s-shm", db);
    assert_int_equal(mode_of(p), 0600);
    path_of(p, sizeof(p), d, "xdg");
    assert_int_equal(mode_of(p), 0700);
    path_of(p, sizeof(p), d, "xdg/patchline");
    assert_int_equal(mode_of(p), 0700);
    pl_store_close(s);
    path_of(p, sizeof(p), d, "jobs");
    assert_int_equal(pl_trust_mkdir_private(p, &err), PL_OK);
    assert_int_equal(mode_of(p), 0700);
    umask(old);
    rmtree(d);
}

/* A relative store path is made absolute at open: a later chdir changes nothing. */
static void store_path_made_absolute(void **state)
{
    char d[64], cwd[4096], want[200];
    struct pl_store *s = NULL;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    tmpdir(d, sizeof(d));
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(d), 0);
    assert_int_equal(mkdir("sub", 0700), 0);
    assert_int_equal(pl_store_open("sub/../rel.db", PL_STORE_CREATE, &s, &err), PL_OK);
    path_of(want, sizeof(want), d, "rel.db");
    assert_string_equal(pl_store_path(s), want);
    assert_int_equal(chdir("/"), 0);
    assert_string_equal(pl_store_path(s), want);
    pl_store_close(s);
    assert_int_equal(chdir(cwd), 0);
    rmtree(d);
}

/* Issue 11 item 11: a link planted at an output path never redirects the write. */
static void outputs_never_follow_planted_links(void **state)
{
    char d[64], victim[128], out[128], hl[128], elsewhere[128], o[128], p[256], got[64];
    char want[512];
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    tmpdir(d, sizeof(d));
    path_of(victim, sizeof(victim), d, "victim");
    put(victim, "secret\n", 0600);
    path_of(out, sizeof(out), d, "report.html");
    assert_int_equal(symlink(victim, out), 0);
    assert_int_equal(pl_file_write(NULL, out, "x", 1, 0644, &err), PL_E_IO);
    snprintf(want, sizeof(want), "cannot write '%s': it is a symbolic link (refusing to follow it)",
             out);
    assert_string_equal(err.msg, want);
    file_text(victim, got, sizeof(got));
    assert_string_equal(got, "secret\n");
    /* a hard link to someone else's file */
    path_of(hl, sizeof(hl), d, "hard.html");
    assert_int_equal(link(victim, hl), 0);
    assert_int_equal(pl_file_write(NULL, hl, "x", 1, 0644, &err), PL_E_IO);
    snprintf(want, sizeof(want),
             "cannot write '%s': it has 2 hard links (refusing to write through them)", hl);
    assert_string_equal(err.msg, want);
    file_text(victim, got, sizeof(got));
    assert_string_equal(got, "secret\n");
    /* an ordinary output: created, then replaced (truncated) */
    path_of(p, sizeof(p), d, "plain.txt");
    assert_int_equal(pl_file_write(NULL, p, "longer text\n", 12, 0644, &err), PL_OK);
    assert_int_equal(pl_file_write(NULL, p, "short\n", 6, 0644, &err), PL_OK);
    file_text(p, got, sizeof(got));
    assert_string_equal(got, "short\n");
    /* a folder under an output folder planted as a link */
    path_of(elsewhere, sizeof(elsewhere), d, "elsewhere");
    assert_int_equal(mkdir(elsewhere, 0700), 0);
    path_of(o, sizeof(o), d, "out");
    assert_int_equal(mkdir(o, 0700), 0);
    path_of(p, sizeof(p), o, "ansible");
    assert_int_equal(symlink(elsewhere, p), 0);
    assert_int_equal(pl_file_write(o, "ansible/patch.yml", "x", 1, 0644, &err), PL_E_IO);
    snprintf(want, sizeof(want),
             "cannot write under '%s/ansible': it is a symbolic link or no folder (refusing to "
             "follow it)",
             o);
    assert_string_equal(err.msg, want);
    path_of(p, sizeof(p), elsewhere, "patch.yml");
    assert_false(pl_path_exists(p));
    assert_int_equal(pl_file_write(o, "a/../b", "x", 1, 0644, &err), PL_E_INVALID);
    /* folders of an output path are created */
    assert_int_equal(pl_file_write(o, "ssm/x/y.json", "{}\n", 3, 0644, &err), PL_OK);
    path_of(p, sizeof(p), o, "ssm/x/y.json");
    file_text(p, got, sizeof(got));
    assert_string_equal(got, "{}\n");
    rmtree(d);
}

/* pl_file_copy: the bytes, 0600, replaced atomically; never read through a link; absent: NOTFOUND
 */
static void copies_are_atomic_and_never_follow_links(void **state)
{
    char d[64], from[128], to[128], link_from[128], tmp[160], got[64];
    struct pl_error err = PL_ERROR_INIT;
    struct stat st;

    (void)state;
    tmpdir(d, sizeof(d));
    path_of(from, sizeof(from), d, "audit.key");
    put(from, "key bytes\n", 0600);
    path_of(to, sizeof(to), d, "copy.key");
    put(to, "older and longer\n", 0644);
    assert_int_equal(pl_file_copy(from, to, 0600, &err), PL_OK);
    file_text(to, got, sizeof(got));
    assert_string_equal(got, "key bytes\n");
    assert_int_equal(stat(to, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(tmp, sizeof(tmp), "%s.tmp", to);
    assert_false(pl_path_exists(tmp));
    path_of(link_from, sizeof(link_from), d, "link.key");
    assert_int_equal(symlink(from, link_from), 0);
    assert_int_equal(pl_file_copy(link_from, to, 0600, &err), PL_E_IO);
    path_of(link_from, sizeof(link_from), d, "absent.key");
    assert_int_equal(pl_file_copy(link_from, to, 0600, &err), PL_E_NOTFOUND);
    file_text(to, got, sizeof(got));
    assert_string_equal(got, "key bytes\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_folder_and_companions),
        cmocka_unit_test(planted_wal_refused_before_replay),
        cmocka_unit_test(kept_files_under_the_store_folder),
        cmocka_unit_test(modes_whatever_the_umask),
        cmocka_unit_test(store_path_made_absolute),
        cmocka_unit_test(outputs_never_follow_planted_links),
        cmocka_unit_test(copies_are_atomic_and_never_follow_links),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
