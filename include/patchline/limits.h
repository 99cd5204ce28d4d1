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
/* Package names, architectures and similar identifiers. */
#define PL_MAX_NAME_BYTES 256
/* One version string. */
#define PL_MAX_VERSION_BYTES 256
/* Packages recorded for one asset. */
#define PL_MAX_PACKAGES_PER_ASSET 200000
/* One CVSS vector string (the longest valid v4.0 vector is under 200 bytes). */
#define PL_MAX_CVSS_VECTOR_BYTES 512
/* Findings and assets loaded for one report (a 10,000-host estate has far fewer open ones). */
#define PL_MAX_REPORT_FINDINGS ((size_t)5 * 1000 * 1000)
/* Rows of a report table (top overdue, KEV incidents, aged assets) before "and N more". */
#define PL_MAX_REPORT_ROWS 50
/* One name (asset, package, exception type) as a report shows it; longer ones are cut. */
#define PL_REPORT_TEXT_MAX 256
/* Error messages carried in struct pl_error. */
#define PL_ERROR_MSG_BYTES 256

#endif /* PATCHLINE_LIMITS_H */
