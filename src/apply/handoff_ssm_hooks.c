/*
 * pl__apply_handoff_ssm_hooks.c - the plan's checks in AWS Systems Manager terms: a
 * wave with a health check runs AWS-RunPatchBaselineWithHooks instead of
 * AWS-RunPatchBaseline, with two Command documents of its own: before the
 * install (PreInstallHookDocName) the instance keeps the list of its package
 * versions; after the install and the reboot (OnExitHookDocName) it runs the
 * health check and, when that fails, reinstalls the kept versions of every
 * package the install changed and fails the command, so that the window's
 * MaxErrors counts it.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"

#include "handoff_int.h"

#define ID_BYTES 160

/* Where an instance keeps its versions before the install ("$D/kept-WAVE.txt"). */
static const char kept_dir[] = "D=${PATCHLINE_KEPT_DIR:-/var/lib/patchline}";

/* The package versions of an instance, one "name version" a line, into file $1. */
static const char *const list_lines[] = {
    "list() {",
    "  if command -v dpkg-query >/dev/null 2>&1; then",
    "    dpkg-query -W -f '${Package} ${Version}\\n' | sort >\"$1\"",
    "  else",
    "    rpm -qa --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n' | sort >\"$1\"",
    "  fi",
    "}",
};

/* After a failed health check: the kept version of each package the install changed. */
static const char *const rollback_lines[] = {
    "echo \"patchline: health check failed: reinstalling the versions kept before the "
    "install\" >&2",
    "list \"$K.now\"",
    "if command -v dpkg-query >/dev/null 2>&1; then",
    "  B=$(awk 'NR==FNR{k[$1]=$2;next} ($1 in k) && k[$1]!=$2 {print $1\"=\"k[$1]}' \"$K\" "
    "\"$K.now\")",
    "  [ -z \"$B\" ] || apt-get install -y --allow-downgrades $B",
    "else",
    "  B=$(awk 'NR==FNR{k[$1]=$2;next} ($1 in k) && k[$1]!=$2 {sub(/^0:/,\"\",k[$1]); "
    "print $1\"-\"k[$1]}' \"$K\" \"$K.now\")",
    "  [ -z \"$B\" ] || dnf downgrade -y $B || yum downgrade -y $B",
    "fi",
    "exit 1",
};

/* One runShellScript step as a JSON document, returned escaped as a JSON string into b. */
static void document(struct pl_buf *b, const char *what, const char *name, struct pl_buf *script)
{
    struct pl_buf doc = PL_BUF_INIT(PL_MAX_HANDOFF_FILE_BYTES);
    const char *l = pl_buf_cstr(script);
    bool first = true;

    pl_buf_adds(&doc, "{\"schemaVersion\": \"2.2\", \"description\": ");
    pl_escape_json_quoted(&doc, what);
    pl_buf_addf(&doc,
                ", \"mainSteps\": [{\"action\": \"aws:runShellScript\", \"name\": \"%s\", "
                "\"precondition\": {\"StringEquals\": [\"platformType\", \"Linux\"]}, "
                "\"inputs\": {\"timeoutSeconds\": \"3600\", \"runCommand\": [",
                name);
    while (*l) {
        const char *eol = strchr(l, '\n');
        size_t len = eol ? (size_t)(eol - l) : strlen(l);
        struct pl_buf line = PL_BUF_INIT(PL_MAX_HANDOFF_FILE_BYTES);
        pl_buf_add(&line, l, len);
        pl_buf_adds(&doc, first ? "" : ", ");
        pl_escape_json_quoted(&doc, pl_buf_cstr(&line));
        pl_buf_release(&line);
        first = false;
        l += len + (eol != NULL);
    }
    pl_buf_adds(&doc, "]}}]}");
    pl_escape_json_quoted(b, pl_buf_cstr(&doc));
    pl_buf_release(&doc);
}

static void document_file(struct pl_handoff_out *out, struct pl_buf *sh, const char *kind,
                          const char *id, const char *what, struct pl_buf *script)
{
    struct pl_buf *b = pl__apply_handoff_file(out, "ssm/hook-%s-%s.json", kind, id);
    pl_buf_addf(b, "{\n  \"Name\": \"patchline-%s-%s\",\n  \"Content\": ", kind, id);
    document(b, what, kind, script);
    pl_buf_adds(b, ",\n  \"DocumentType\": \"Command\",\n  \"DocumentFormat\": \"JSON\"\n}\n");
    pl_buf_addf(sh, "aws ssm create-document --cli-input-json file://hook-%s-%s.json\n", kind, id);
}

void pl__apply_handoff_ssm_hooks(struct pl_handoff_out *out, const struct pl_handoff_wave *w,
                                 struct pl_buf *sh)
{
    struct pl_buf s = PL_BUF_INIT(PL_MAX_HANDOFF_FILE_BYTES);
    char id[ID_BYTES];

    if (w->n_health_check == 0)
        return;
    pl__apply_handoff_wave_id(w, id, sizeof(id));
    /* before: keep the versions */
    pl_buf_addf(&s, "set -eu\n%s\nmkdir -p \"$D\"\n", kept_dir);
    for (size_t i = 0; i < PL_ARRAY_LEN(list_lines); i++)
        pl_buf_addf(&s, "%s\n", list_lines[i]);
    pl_buf_addf(&s, "list \"$D/kept-%s.txt\"\n", id);
    document_file(out, sh, "pre", id, "Patchline: keep the package versions before the install",
                  &s);
    /* after the install and the reboot: the health check, else back to the kept versions */
    pl_buf_reset(&s);
    pl_buf_addf(&s, "set -u\n%s\nK=\"$D/kept-%s.txt\"\n", kept_dir, id);
    for (size_t i = 0; i < PL_ARRAY_LEN(list_lines); i++)
        pl_buf_addf(&s, "%s\n", list_lines[i]);
    pl__apply_handoff_sh_argv(&s, w->health_check);
    /* pl__apply_handoff_sh_argv ends the line; the check's status decides */
    pl_buf_truncate(&s, s.len - 1);
    pl_buf_adds(&s, " && exit 0\n");
    for (size_t i = 0; i < PL_ARRAY_LEN(rollback_lines); i++)
        pl_buf_addf(&s, "%s\n", rollback_lines[i]);
    document_file(out, sh, "check", id,
                  "Patchline: the plan's health check; on failure the kept versions come back", &s);
    pl_buf_release(&s);
}

void pl__apply_handoff_ssm_hook_params(struct pl_buf *b, const struct pl_handoff_wave *w)
{
    char id[ID_BYTES];

    if (w->n_health_check == 0)
        return;
    pl__apply_handoff_wave_id(w, id, sizeof(id));
    pl_buf_addf(b,
                ", \"PreInstallHookDocName\": [\"patchline-pre-%s\"], "
                "\"OnExitHookDocName\": [\"patchline-check-%s\"]",
                id, id);
}

const char *pl__apply_handoff_ssm_document(const struct pl_handoff_wave *w)
{
    return w->n_health_check ? "AWS-RunPatchBaselineWithHooks" : "AWS-RunPatchBaseline";
}
