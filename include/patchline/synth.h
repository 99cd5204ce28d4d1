/*
 * synth.h - a deterministic synthetic estate for the demo and the benchmarks.
 *
 * Builds assets (on-prem hosts, cloud instances, Kubernetes nodes, container
 * images; prod/staging/dev; owners, exposure, criticality) whose packages are
 * REAL Debian 12 package names and versions: a base set from a real dpkg
 * status file, upgraded per host to the versions of a real bookworm-security
 * Packages index with stated probabilities, so that some hosts are behind on
 * security updates and some kernels are one version behind. The same seed
 * gives the same estate, byte for byte.
 */
#ifndef PATCHLINE_SYNTH_H
#define PATCHLINE_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/error.h"
#include "patchline/store.h"

struct pl_synth_opts {
    uint64_t seed;
    size_t n_assets;
    const char *base_status;       /* a dpkg status file (plain, gz or xz) */
    const char *security_packages; /* a Debian Packages index with newer versions */
    const char *index;             /* or: a binary package index TSV (release + updates) */
    double share_behind;           /* probability that a package with an update stays behind */
    double share_kernel_behind;    /* probability that a host's kernel stays behind */
    bool hosts_only;               /* every asset a Debian host (benchmarks) */
    size_t min_packages;           /* per host: keep between min and max of the base set */
    size_t max_packages;           /* (0: the whole base set) */
    const char *linux_sets;        /* pl_synth_linux: the Linux profiles' package sets (TSV) */
    size_t first;                  /* pl_synth_linux: hosts before this one are left as they
                                      are (a batch of new hosts, or a change to it alone) */
};

/* The defaults: 2,000 assets, seed 1, 10 % behind, 30 % kernels behind. */
void pl_synth_opts_init(struct pl_synth_opts *o);

struct pl_synth_summary {
    size_t assets, packages, behind, kernels_behind;
    size_t by_kind[4]; /* host, cloud instance, k8s node, container image */
};

/*
 * Generate the estate into s (inside the caller's transaction). Assets are
 * recorded as observations of source "synthetic" keyed "synth-N", so running
 * it twice with the same options changes nothing but last-seen. Audited
 * ("inventory.synthesize").
 */
PL_NODISCARD pl_status pl_synth_estate(struct pl_store *s, const struct pl_synth_opts *o,
                                       struct pl_synth_summary *out, struct pl_error *err);

/*
 * The Linux hosts of the demo beside the Debian estate: o->n_assets Amazon Linux 2023 EC2
 * instances and Ubuntu 22.04 / 24.04 hosts (half and a quarter each), their packages from
 * the package sets file o->linux_sets (TSV: profile, set, package, version, source,
 * source_version; sets base, update, kernel-old, kernel-new), each package at its update
 * unless it stays behind (share_behind), the new kernel unless it stays behind
 * (share_kernel_behind). Source "synthetic-linux", keys "synth-linux-N". One transaction;
 * errors name the file, line and field.
 */
PL_NODISCARD pl_status pl_synth_linux(struct pl_store *s, const struct pl_synth_opts *o,
                                      struct pl_synth_summary *out, struct pl_error *err);

#endif /* PATCHLINE_SYNTH_H */
