/*
 * limits.h - every cap on a size that comes from input, in one place.
 *
 * Exceeding a cap is PL_E_TOOBIG, never an abort.
 */
#ifndef PATCHLINE_LIMITS_H
#define PATCHLINE_LIMITS_H

/* A whole file read into memory (dpkg status, os-release, fixtures, policies). */
#define PL_MAX_FILE_BYTES ((size_t)256 * 1024 * 1024)
/* A decompressed stream read whole (gzip, xz). */
#define PL_MAX_DECOMPRESSED_BYTES ((size_t)1024 * 1024 * 1024)
/* One line of a text input (log lines, TSV rows, stdin records). */
#define PL_MAX_LINE_BYTES ((size_t)1024 * 1024)
/* One field of a record (a dpkg Description may be long; names are short). */
#define PL_MAX_FIELD_BYTES ((size_t)1024 * 1024)
/* One advisory document read whole (a CSAF file, an Alpine secdb), as parsed in memory. */
#define PL_MAX_ADVISORY_DOC_BYTES ((size_t)64 * 1024 * 1024)
/* Scratch memory for one advisory record (normalised names, field paths). */
#define PL_MAX_ADVISORY_SCRATCH_BYTES ((size_t)16 * 1024 * 1024)
/* Package names, architectures and similar identifiers. */
#define PL_MAX_NAME_BYTES 256
/* One version string. */
#define PL_MAX_VERSION_BYTES 256
/* Packages recorded for one asset. */
#define PL_MAX_PACKAGES_PER_ASSET 200000
/* Error messages carried in struct pl_error. */
#define PL_ERROR_MSG_BYTES 256

#endif /* PATCHLINE_LIMITS_H */
