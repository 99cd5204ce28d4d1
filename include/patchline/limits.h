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
/* One CVSS vector string (the longest valid v4.0 vector is under 200 bytes). */
#define PL_MAX_CVSS_VECTOR_BYTES 512
/* Output captured from one spawned program (stdout or stderr), by default. */
#define PL_MAX_SPAWN_OUTPUT_BYTES ((size_t)64 * 1024 * 1024)
/* Timeout for a query to a package manager (rpm -qa), in milliseconds. */
#define PL_PKGDB_TIMEOUT_MS 120000L
/* A small system file read whole (os-release, machine-id, hostname). */
#define PL_MAX_SMALL_FILE_BYTES ((size_t)64 * 1024)
/* Rotated dpkg.log.N files read for the last-patched date. */
#define PL_MAX_ROTATED_LOGS 64
/* Identifiers attached to one asset in one observation. */
#define PL_MAX_IDENTIFIERS 64
/* Tiering policies (src/policy): the file, and what it may declare. */
#define PL_MAX_POLICY_BYTES      ((size_t)1024 * 1024)
#define PL_MAX_POLICY_TIERS      10
#define PL_MAX_POLICY_RULES      256
#define PL_MAX_POLICY_GROUPS     16   /* `any:` groups in one rule */
#define PL_MAX_POLICY_CONDITIONS 32   /* conditions in one group */
#define PL_MAX_POLICY_VALUES     64   /* values in one condition list, bands, emergency values */
#define PL_MAX_POLICY_NAME_BYTES 64   /* policy, tier and rule names */
#define PL_MAX_POLICY_TEXT_BYTES 1024 /* descriptions, notes, condition values */
#define PL_MAX_POLICY_DEPTH      8    /* YAML nesting */
/* Findings and assets loaded for one report (a 10,000-host estate has far fewer open ones). */
#define PL_MAX_REPORT_FINDINGS ((size_t)5 * 1000 * 1000)
/* Rows of a report table (top overdue, KEV incidents, aged assets) before "and N more". */
#define PL_MAX_REPORT_ROWS 50
/* One name (asset, package, exception type) as a report shows it; longer ones are cut. */
#define PL_REPORT_TEXT_MAX 256
/* Files read from one folder (`feed import DIR`). */
#define PL_MAX_DIR_ENTRIES 100000
/* SQLite page cache of a scan's writes, in KiB (a bound on memory, not on the store). */
#define PL_MATCH_CACHE_KIB 262144
/* Exceptions (src/policy/exception*.c): justification and reason texts, assets in one scope. */
#define PL_MAX_EXCEPTION_TEXT_BYTES 4096
#define PL_MAX_EXCEPTION_ASSETS     10000
/* Error messages carried in struct pl_error. */
#define PL_ERROR_MSG_BYTES 256

/* Imported display names (assets, images, devices) and ids from scanners and SBOMs. */
#define PL_MAX_ASSET_NAME_BYTES 1024
/* Imported descriptive text (a vulnerability title, a banner line); longer text is cut. */
#define PL_MAX_SCAN_TEXT_BYTES 4096
/* One record of an imported JSON document (a host, a node, a Trivy result). */
#define PL_MAX_IMPORT_RECORD_BYTES ((size_t)64 * 1024 * 1024)
/* One Trivy result (all packages and vulnerabilities of one target are one record). */
#define PL_MAX_TRIVY_RESULT_BYTES ((size_t)512 * 1024 * 1024)
/* The part of an imported JSON document outside its records (SBOM metadata, VEX statements). */
#define PL_MAX_IMPORT_REST_BYTES ((size_t)64 * 1024 * 1024)

/* Scanner-reported vulnerabilities held for one asset while its report is read. */
#define PL_MAX_SCANNER_VULNS_PER_ASSET 500000

/* Time-zone names ("America/New_York") including the NUL. */
#define PL_MAX_TZ_NAME_BYTES 128
/* One TZif file (the largest zoneinfo files are a few KiB). */
#define PL_MAX_TZIF_BYTES ((size_t)256 * 1024)
/* One cron, rate() or POSIX TZ expression. */
#define PL_MAX_CRON_BYTES 1024
/* Start times computed by one `window next` call. */
#define PL_MAX_WINDOW_COUNT 10000
/* Blackout dates of one maintenance window. */
#define PL_MAX_WINDOW_BLACKOUTS 1024
/* Rows of the binary package index read by `inventory synthesize --index` (Debian 12: 66,548). */
#define PL_MAX_SYNTH_INDEX_ROWS 1000000

/* A plan file (YAML). */
#define PL_MAX_PLAN_BYTES ((size_t)1024 * 1024)
/* Nesting of mappings and lists in a plan file. */
#define PL_MAX_PLAN_DEPTH 16
/* Windows, approval rules and production rings of one plan file. */
#define PL_MAX_PLAN_WINDOWS 64
#define PL_MAX_PLAN_RULES   64
#define PL_MAX_PLAN_RINGS   8
/* Package globs, tags or argv words in one list of a plan file. */
#define PL_MAX_PLAN_LIST 256
/* How far ahead the planner searches for windows, in days. */
#define PL_PLAN_SEARCH_DAYS 400
/* Starts of one window within the search span (a rate(1 minute) has more). */
#define PL_MAX_PLAN_OCCURRENCES 20000
/* Open findings one plan schedules. */
#define PL_MAX_PLAN_FINDINGS 2000000
/* XML input (xml.h): element nesting, one text node or attribute value, one element tree. */
#define PL_MAX_XML_DEPTH      256
#define PL_MAX_XML_TEXT_BYTES ((size_t)1024 * 1024)
#define PL_MAX_XML_TREE_BYTES ((size_t)64 * 1024 * 1024)
/* CSV input (csv.h): fields in one row, bytes in one row, bytes in one field. */
#define PL_MAX_CSV_FIELDS      1024
#define PL_MAX_CSV_ROW_BYTES   ((size_t)4 * 1024 * 1024)
#define PL_MAX_CSV_FIELD_BYTES ((size_t)1024 * 1024)
/* One text field of an imported discovery record (names, tags, banners, versions). */
#define PL_MAX_IMPORT_FIELD_BYTES 4096
/* The bytes `inventory import` reads to detect the kind of a file. */
#define PL_IMPORT_SNIFF_BYTES 8192
/* Apply (src/apply): the config file, its argv values, captured output kept per log line. */
#define PL_MAX_APPLY_CONFIG_BYTES ((size_t)64 * 1024)
#define PL_MAX_APPLY_ARGS         64                  /* arguments in one configured argv */
#define PL_MAX_APPLY_ARG_BYTES    4096                /* one argument */
#define PL_MAX_APPLY_PACKAGES     1024                /* packages in one job */
#define PL_MAX_APPLY_NAME_BYTES   128                 /* one package name */
#define PL_MAX_JOB_LOG_BYTES      ((size_t)64 * 1024) /* output kept for one command */
#define PL_MAX_APPLY_PATH_BYTES   ((size_t)1024)      /* --root and keep folder paths */
/* Hand-offs (src/apply/handoff_*.c): the plan JSON, its waves, and one generated file. */
#define PL_MAX_HANDOFF_PLAN_BYTES   ((size_t)64 * 1024 * 1024)
#define PL_MAX_HANDOFF_WAVES        1000
#define PL_MAX_HANDOFF_ASSETS       100000 /* per wave */
#define PL_MAX_HANDOFF_PACKAGES     10000  /* per wave */
#define PL_MAX_HANDOFF_FILE_BYTES   ((size_t)64 * 1024 * 1024)
#define PL_MAX_HANDOFF_STRING_BYTES 1024 /* one string of the plan (names, expressions) */
#define PL_MAX_HANDOFF_TEXT_BYTES   ((size_t)64 * 1024) /* a stored plan's texts (reasons) */
/* The CI gate: one Trivy report, and the findings it lists at or above the threshold. */
#define PL_MAX_TRIVY_REPORT_BYTES ((size_t)1024 * 1024 * 1024)
#define PL_MAX_GATE_HITS          1000000

#endif /* PATCHLINE_LIMITS_H */
