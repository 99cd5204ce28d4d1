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
    {"cyclonedx-xml", "CycloneDX XML SBOM or VEX", pl__import_cyclonedx_xml,
     pl__detect_cyclonedx_xml},
    {"spdx", "SPDX 2.2/2.3 JSON SBOM", pl__import_spdx, pl__detect_spdx},
    {"spdx3", "SPDX 3.0 JSON-LD SBOM", pl__import_spdx3, pl__detect_spdx3},
    {"spdx-tv", "SPDX 2.x tag-value SBOM", pl__import_spdx_tv, pl__detect_spdx_tv},
    {"k8s-nodes", "kubectl get nodes -o json", pl__import_k8s_nodes, pl__detect_k8s_nodes},
    {"k8s-pods", "kubectl get pods -A -o json (workloads and images)", pl__import_k8s_pods,
     pl__detect_k8s_pods},
    {"shodan", "Shodan banners (shodan download) or host documents (exposure)", pl__import_shodan,
     pl__detect_shodan},
    {"censys", "Censys hosts search results (exposure)", pl__import_censys, pl__detect_censys},
    {"intune", "Intune managed devices (Microsoft Graph managedDevices JSON)", pl__import_intune,
     pl__detect_intune},
    {"windows", "Windows hosts: Get-ComputerInfo JSON with the build revision (UBR)",
     pl__import_windows, pl__detect_windows},
    {"jamf", "Jamf Pro computers-inventory JSON", pl__import_jamf, pl__detect_jamf},
    {"nessus", "Tenable .nessus XML (NessusClientData_v2)", pl__import_nessus, pl__detect_nessus},
    {"qualys", "Qualys vulnerability scan CSV", pl__import_qualys, pl__detect_qualys},
    {"openvex", "OpenVEX document (VEX statements)", pl__import_openvex, pl__detect_openvex},
    {"csaf-vex", "CSAF 2.0 VEX document (category csaf_vex)", pl__import_csaf_vex,
     pl__detect_csaf_vex},
    {NULL, NULL, NULL, NULL},
};
