/*
 * file.h - capped file input with transparent gzip and xz decompression.
 *
 * The one front door for reading input files: every importer and collector
 * reads through pl_reader or pl_file_read, so that size caps and
 * decompression live in one place (scripts/check-style.sh greps for
 * bypasses). Not thread-safe per reader; separate readers are independent.
 */
#ifndef PATCHLINE_FILE_H
#define PATCHLINE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "patchline/buf.h"
#include "patchline/error.h"

enum pl_compression {
    PL_COMPRESS_NONE,
    PL_COMPRESS_GZIP,
    PL_COMPRESS_XZ,
};

/* A streaming reader over a file or stdin ("-"); opaque. */
struct pl_reader;

/*
 * Open path for reading ("-" is standard input). The compression is detected
 * from the first bytes (gzip 1f 8b, xz fd 37 7a 58 5a 00). `max` caps the
 * number of (decompressed) bytes the reader will deliver (0: the default
 * PL_MAX_DECOMPRESSED_BYTES); past it, reads fail with PL_E_TOOBIG.
 * On success *out owns a reader to close with pl_reader_close().
 */
PL_NODISCARD pl_status pl_reader_open(const char *path, size_t max, struct pl_reader **out,
                                      struct pl_error *err);

/*
 * A reader over len bytes in memory (borrowed until the reader is closed),
 * named name in messages as a file's path would be; otherwise as
 * pl_reader_open (compression sniffed, max the cap).
 */
PL_NODISCARD pl_status pl_reader_open_mem(const char *name, const void *data, size_t len,
                                          size_t max, struct pl_reader **out, struct pl_error *err);

/*
 * Read up to cap bytes into buf. Stores the count in *n (0 at end of input).
 * PL_E_IO, PL_E_PARSE (corrupt compressed data) or PL_E_TOOBIG on failure,
 * with the path in the message.
 */
PL_NODISCARD pl_status pl_reader_read(struct pl_reader *r, void *buf, size_t cap, size_t *n,
                                      struct pl_error *err);

/*
 * Read one line (without its "\n"; a "\r\n" loses the "\r") into line,
 * which is reset first. Stores false in *eof_out and returns PL_OK for each
 * line; at end of input stores true. A line over PL_MAX_LINE_BYTES is
 * PL_E_TOOBIG naming the path and line number.
 */
PL_NODISCARD pl_status pl_reader_line(struct pl_reader *r, struct pl_buf *line, bool *eof_out,
                                      struct pl_error *err);

/* Lines delivered so far by pl_reader_line (the number of the last one). */
uint64_t pl_reader_lineno(const struct pl_reader *r);

/* Decompressed bytes delivered so far. */
uint64_t pl_reader_offset(const struct pl_reader *r);

/* The path given to pl_reader_open; borrowed. */
const char *pl_reader_path(const struct pl_reader *r);

/* Compression detected. */
enum pl_compression pl_reader_compression(const struct pl_reader *r);

/* Hex SHA-256 of the raw (compressed) bytes read so far: 64 chars + NUL into hex. */
void pl_reader_sha256(struct pl_reader *r, char hex[65]);

/* Close and free; NULL is a no-op. */
void pl_reader_close(struct pl_reader *r);

/*
 * Read a whole file (decompressed) into out, capped at max bytes (0: the
 * default PL_MAX_FILE_BYTES). out is replaced only on success.
 */
PL_NODISCARD pl_status pl_file_read(const char *path, size_t max, struct pl_buf *out,
                                    struct pl_error *err);

/*
 * Find a file of Patchline's bundled data (feed snapshots for the demo) by
 * its path relative to the data folder ("feeds/kev.json.xz"), in order:
 * $PATCHLINE_DATA, the folder installed beside the binary
 * (BINDIR/../share/patchline), the configured install folder, and the
 * source tree's data/ (for a build tree). PL_E_NOTFOUND names where it looked.
 */
PL_NODISCARD pl_status pl_data_path(const char *rel, struct pl_buf *out, struct pl_error *err);

/* A sorted list of paths. */
struct pl_path_list {
    char **paths;
    size_t n;
};

/*
 * The regular files directly inside folder dir (not hidden, not recursive),
 * as "DIR/NAME" paths sorted by name. At most PL_MAX_DIR_ENTRIES entries
 * (PL_E_TOOBIG past it). out is replaced only on success.
 */
PL_NODISCARD pl_status pl_dir_list(const char *dir, struct pl_path_list *out, struct pl_error *err);
void pl_path_list_release(struct pl_path_list *l);

/* True when path names an existing directory. */
bool pl_path_is_dir(const char *path);

/* True when path names an existing regular file or directory. */
bool pl_path_exists(const char *path);

/* ---- output files (file_out.c) ------------------------------------------- */

/*
 * Every output file (reports, hand-offs, event files, logs, kept copies) is
 * created through these, so that a symbolic link or a hard link planted at
 * the output path never redirects the write to another file (issue 11).
 */

/*
 * Create or replace path for writing: opened with O_NOFOLLOW (a symbolic
 * link at path is refused, never followed); an existing regular file with
 * other hard links is refused; an existing file is truncated only after
 * those checks. A new file gets `mode` less the umask. *out is the caller's
 * to fclose. Errors say "cannot write 'PATH': WHY" (PL_E_IO).
 */
PL_NODISCARD pl_status pl_file_create(const char *path, unsigned mode, FILE **out,
                                      struct pl_error *err);

/*
 * The same for dir/rel, where rel is relative with components never empty,
 * "." or "..": dir (as the user named it) is created when missing, each
 * folder of rel is created (0755 less the umask) when missing and entered
 * without following a symbolic link, so a link planted at any level below
 * dir is refused.
 */
PL_NODISCARD pl_status pl_file_create_under(const char *dir, const char *rel, unsigned mode,
                                            FILE **out, struct pl_error *err);

/* Write len bytes of data to path as pl_file_create opens it (dir NULL) or dir/rel. */
PL_NODISCARD pl_status pl_file_write(const char *dir, const char *path, const void *data,
                                     size_t len, unsigned mode, struct pl_error *err);

/*
 * Copy the bytes of file from (never through a symbolic link) to path to, replaced
 * atomically: written to TO.tmp as pl_file_create opens it (a new file gets `mode`
 * less the umask), synced, then renamed. An absent from is PL_E_NOTFOUND.
 */
PL_NODISCARD pl_status pl_file_copy(const char *from, const char *to, unsigned mode,
                                    struct pl_error *err);

#endif /* PATCHLINE_FILE_H */
