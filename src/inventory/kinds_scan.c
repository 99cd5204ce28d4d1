/*
 * kinds_scan.c - `inventory import` kinds (see inventory_int.h): scanners,
 * SBOMs, Kubernetes, internet exposure and device management.
 */
#include "scan_int.h"

const struct pl__inv_kind pl__inv_kinds_scan[] = {
    {"trivy", "Trivy JSON report (image, filesystem, repository, VM)", pl__import_trivy,
     pl__detect_trivy},
    {"grype", "Grype JSON report (image, directory)", pl__import_grype, pl__detect_grype},
    {"cyclonedx", "CycloneDX JSON SBOM or VEX", pl__import_cyclonedx, pl__detect_cyclonedx},
    {NULL, NULL, NULL, NULL},
};
