/*
 * kinds_core.c - feed kinds for the global catalogues, and how each one is
 * recognised from its first bytes (NUL-terminated by feed.c).
 */
#include <string.h>

#include "patchline/parse.h"

#include "intel_int.h"

/* The first non-blank byte. */
static const char *skip_blank(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    return p;
}

static int detect_kev(const char *head, size_t n)
{
    (void)n;
    if (*skip_blank(head) != '{')
        return 0;
    return strstr(head, "\"catalogVersion\"") || strstr(head, "Known Exploited Vulnerabilities")
               ? 100
               : 0;
}

static int detect_epss(const char *head, size_t n)
{
    (void)n;
    if (pl_starts_with(head, "#model_version:"))
        return 100;
    return pl_starts_with(head, "cve,epss,percentile") ? 90 : 0;
}

static int detect_nvd(const char *head, size_t n)
{
    (void)n;
    if (*skip_blank(head) != '{')
        return 0;
    if (strstr(head, "\"NVD_CVE\""))
        return 100;
    return strstr(head, "\"vulnerabilities\"") && strstr(head, "\"lastModified\"") ? 60 : 0;
}

/* NVD data-feed mirrors: JSON lines, each a bare `cve` object. */
static int detect_nvd_lines(const char *head, size_t n)
{
    (void)n;
    if (!pl_starts_with(head, "{\"") || detect_nvd(head, n) > 0)
        return 0;
    return strstr(head, "\"sourceIdentifier\"") && strstr(head, "\"vulnStatus\"") ? 95 : 0;
}

static int detect_cve5(const char *head, size_t n)
{
    (void)n;
    if (*skip_blank(head) != '{')
        return 0;
    return strstr(head, "\"cveMetadata\"") || strstr(head, "\"CVE_RECORD\"") ? 80 : 0;
}

/* CVE JSON 5 as JSON lines: the first line is one minified record. */
static int detect_vulnrichment(const char *head, size_t n)
{
    const char *nl;

    if (detect_cve5(head, n) == 0 || !pl_starts_with(head, "{\""))
        return 0;
    nl = strchr(head, '\n');
    return nl == NULL || (nl > head && nl[-1] == '}') ? 90 : 0;
}

const struct pl__feed_kind pl__feed_kinds_core[] = {
    {"kev", "CISA Known Exploited Vulnerabilities catalogue (JSON)", pl_intel_import_kev,
     detect_kev},
    {"epss", "FIRST EPSS scores (CSV, gzip)", pl_intel_import_epss, detect_epss},
    {"nvd", "NVD CVE API 2.0 responses (JSON)", pl_intel_import_nvd, detect_nvd},
    {"nvd-cve", "NVD CVE records as JSON lines (one bare cve object a line)",
     pl_intel_import_nvd_lines, detect_nvd_lines},
    {"cve5", "CVE JSON 5 records (one document or JSON lines)", pl_intel_import_cve5, detect_cve5},
    {"vulnrichment", "CISA Vulnrichment: CVE JSON 5 with the CISA ADP container (JSON lines)",
     pl_intel_import_cve5, detect_vulnrichment},
    {"fortinet", "Fortinet PSIRT advisories (CVRF as JSON lines): appliance firmware",
     pl_intel_import_fortinet, pl__intel_detect_fortinet},
    {"paloalto", "Palo Alto Networks advisories (CVE JSON 5 lines): PAN-OS, GlobalProtect",
     pl_intel_import_paloalto, pl__intel_detect_paloalto},
    {"cisco", "Cisco PSIRT advisories (CSAF 2.0 lines): IOS, IOS XE, ASA, FTD",
     pl_intel_import_cisco, pl__intel_detect_cisco},
    {"eol", "endoflife.date product definitions and release data (JSON lines or one file)",
     pl_intel_import_eol, pl__intel_detect_eol},
    {NULL, NULL, NULL, NULL},
};
