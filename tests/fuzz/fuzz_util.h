/*
 * fuzz_util.h - helpers shared by the libFuzzer entry points in tests/fuzz:
 * a NUL-terminated copy of an input, a per-process temp folder with the
 * input written to a file (for parsers that read through pl_reader), and a
 * throwaway store opened once per process.
 */
#ifndef PATCHLINE_FUZZ_UTIL_H
#define PATCHLINE_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "patchline/store.h"

/* The libFuzzer entry point every fuzz_<parser>.c defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Drop a status on purpose (a (void) cast does not silence gcc's warn_unused_result). */
static inline void pl_fuzz_ignore(pl_status rc)
{
    (void)rc;
}

/* Silence the log and pin the clock; idempotent. */
void pl_fuzz_init(void);

/* A malloc'd NUL-terminated copy of data (free it). */
char *pl_fuzz_cstr(const uint8_t *data, size_t size);

/* Write data to the process's input file (replaced each call); returns its path. */
const char *pl_fuzz_file(const uint8_t *data, size_t size);

/* The process's store in its temp folder (created on first use; aborts on failure). */
struct pl_store *pl_fuzz_store(void);

#endif /* PATCHLINE_FUZZ_UTIL_H */
