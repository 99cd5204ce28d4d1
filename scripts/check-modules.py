#!/usr/bin/env python3
"""The module graph, enforced (docs/internals/modules.md).

The graph is the one CMakeLists.txt declares: `pl_module(NAME LOWER...)`.
A module's source (src/NAME/*.c) and its public headers may include the
headers of, and call the functions of, only itself and the modules it names.
Which module a public header and a function belong to is read from the
sources: a function belongs to the module whose src/ folder defines it, a
header to the module that defines the functions it declares (a header that
declares none: by its name, else core). Internal names (pl__MODULE_name) are
called only inside their module.

The CLI's commands (src/cli/cmd_*.c) parse, call a module, render: they call
no pl_store_* function except the reads in STORE_READS (queries that change
nothing), so that every state change goes through the module entry point the
server calls too.

Usage: check-modules.py [ROOT]; prints one line per violation, exit 1 if any.
"""
import os
import re
import sys

# Store reads a command may call to render (each one changes nothing).
STORE_READS = {
    "pl_store_actor",
    "pl_store_asset_attributes",
    "pl_store_asset_detail",
    "pl_store_asset_each",
    "pl_store_asset_query",
    "pl_store_asset_resolve",
    "pl_store_asset_show",
    "pl_store_asset_show_json",
    "pl_store_audit_each",
    "pl_store_audit_head",
    "pl_store_audit_list",
    "pl_store_audit_verify",
    "pl_store_default_path",
    "pl_store_target_is_url",
    "pl_store_exception_get",
    "pl_store_exception_list",
    "pl_store_exception_scope",
    "pl_store_feed_latest",
    "pl_store_findings_each",
    "pl_store_findings_list",
    "pl_store_job_get",
    "pl_store_job_list",
    "pl_store_mode_name",
    "pl_store_package_list",
    "pl_store_plan_get",
    "pl_store_schema_version",
    "pl_store_simulated",
    "pl_store_vuln_facts",
    "pl_store_wave_items",
    "pl_store_wave_list",
}
# The store's own audited entry points (one call, one audited change): asset
# curation, users and tokens; the store is the module that owns these workflows.
STORE_READS |= {
    "pl_store_asset_merge",
    "pl_store_asset_precedence_load",
    "pl_store_asset_retire",
    "pl_store_asset_set",
    "pl_store_asset_split",
    "pl_store_asset_tag",
    "pl_store_token_create",
    "pl_store_token_list",
    "pl_store_token_revoke",
    "pl_store_user_add",
    "pl_store_user_disable",
    "pl_store_user_list",
    "pl_store_user_roles",
}
# Reads of the audit chain, the users and the tokens, and the store's default
# location (each changes nothing).
STORE_READS |= {
    "pl_store_audit_each",
    "pl_store_audit_head",
    "pl_store_audit_verify",
    "pl_store_default_path",
    "pl_store_token_list",
    "pl_store_user_list",
}
# Principals and tokens are the store's own audited entry points (one call, one
# audited change, the rules checked inside by the auth module): `user` and
# `token` work on the store directly, which is how the first admin is made.
STORE_READS |= {
    "pl_store_token_create",
    "pl_store_token_revoke",
    "pl_store_user_add",
    "pl_store_user_disable",
    "pl_store_user_roles",
}
# `patchline init` is the store's own command: it records the store's creation.
STORE_OWN = {
    "src/cli/cmd_init.c": {"pl_store_audit"},
    # moving a store between backends is the store's own workflow
    "src/cli/cmd_store.c": {"pl_store_copy", "pl_store_copy_result_free"},
}

DEF_RE = re.compile(r"^(?!static\b)[A-Za-z_][\w \t\*]*?\b(pl_\w+)\s*\([^;{]*\)\s*\{", re.M)
DECL_RE = re.compile(r"\b(pl_\w+)\s*\(")
INC_RE = re.compile(r'^\s*#\s*include\s+"patchline/(\w+)\.h"', re.M)
CALL_RE = re.compile(r"\b(pl_\w+)\s*\(")


def strip(text):
    """Text without comments and string or character literals (same line numbers)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (min(j, n) - i - 1) + (c if j < n else ""))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    os.chdir(root)
    allowed = {}
    cmake = re.sub(r"#.*", "", read("CMakeLists.txt"))
    for m in re.finditer(r"^\s*pl_module\(([^)]*)\)", cmake, re.M):
        words = m.group(1).split()
        allowed[words[0]] = set(words)
    # a module stands on the modules it names and on everything they stand on
    changed = True
    while changed:
        changed = False
        for mod, deps in allowed.items():
            more = set().union(*(allowed.get(d, {d}) for d in deps)) - deps
            if more:
                deps |= more
                changed = True
    modules = sorted(allowed)
    sources = {}
    for mod in modules:
        d = os.path.join("src", mod)
        if os.path.isdir(d):
            sources[mod] = sorted(
                os.path.join(d, f) for f in os.listdir(d) if f.endswith((".c", ".h"))
            )
    owner = {}  # function -> module defining it
    for mod, files in sources.items():
        for f in files:
            if f.endswith(".c"):
                for m in DEF_RE.finditer(strip(read(f))):
                    owner.setdefault(m.group(1), mod)
    header_mod = {}
    inc = "include/patchline"
    headers = sorted(h[:-2] for h in os.listdir(inc) if h.endswith(".h"))
    for h in headers:
        votes = {}
        for name in DECL_RE.findall(strip(read(os.path.join(inc, h + ".h")))):
            if name in owner:
                votes[owner[name]] = votes.get(owner[name], 0) + 1
        if votes:
            header_mod[h] = max(sorted(votes), key=lambda k: votes[k])
        else:
            header_mod[h] = h if h in allowed else "core"
    bad = []

    def check_includes(path, mod, text):
        for m in INC_RE.finditer(text):
            h = m.group(1)
            hm = header_mod.get(h)
            if hm and hm not in allowed.get(mod, {mod}):
                bad.append(
                    f"{path}:{line_of(text, m.start())}: {mod} includes patchline/{h}.h of "
                    f"module {hm}, above it (allowed: {' '.join(sorted(allowed[mod]))})"
                )

    for h in headers:
        check_includes(os.path.join(inc, h + ".h"), header_mod[h], read(os.path.join(inc, h + ".h")))
    for mod, files in sources.items():
        for f in files:
            raw = read(f)
            check_includes(f, mod, raw)
            text = strip(raw)
            is_cmd = mod == "cli" and os.path.basename(f).startswith("cmd_")
            for m in CALL_RE.finditer(text):
                name = m.group(1)
                om = owner.get(name)
                where = f"{f}:{line_of(text, m.start())}"
                if om is None or om == mod:
                    continue
                if name.startswith("pl__"):
                    bad.append(f"{where}: {mod} calls {name}, internal to module {om}")
                elif om not in allowed[mod]:
                    bad.append(f"{where}: {mod} calls {name} of module {om}, above it")
                elif (
                    is_cmd
                    and name.startswith("pl_store_")
                    and name not in STORE_READS
                    and name not in STORE_OWN.get(f, ())
                ):
                    bad.append(
                        f"{where}: a command calls {name} directly; call the module that owns "
                        "the workflow (cmd_*.c may only read the store)"
                    )
    for line in bad:
        print(f"check-modules: {line}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
