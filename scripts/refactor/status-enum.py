#!/usr/bin/env python3
"""Finding statuses as enum pl_mx_status, not strings.

Rewrites every comparison of a finding's status text with a status word,
  strcmp(f->status, "open") == 0        ->  pl_finding_status(f->status) == PL_MX_OPEN
  strcmp(x->f.status, "disputed") != 0  ->  pl_finding_status(x->f.status) != PL_MX_DISPUTED
where the compared expression is a finding's status: `f->status`,
`nf->status`, `x->f.status` anywhere under src/ (but src/store/, rewritten
elsewhere, and src/intel/, whose statuses are the feeds' own words), and a
bare `status` in src/policy/exception.c (the finding statuses an exception
may cover). Other vocabularies (scanner reports, affected rows, exceptions,
jobs) are left alone. pl_finding_status (include/patchline/store.h, which every
module header includes)
is the one place the words become the enum. Re-runnable and idempotent.

Usage: scripts/refactor/status-enum.py [--dry-run]
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
WORDS = {
    "open": "PL_MX_OPEN",
    "fixed": "PL_MX_FIXED",
    "mitigated": "PL_MX_MITIGATED",
    "accepted": "PL_MX_ACCEPTED",
    "false-positive": "PL_MX_FALSE_POSITIVE",
    "package-removed": "PL_MX_PACKAGE_REMOVED",
    "asset-retired": "PL_MX_ASSET_RETIRED",
    "awaiting-repo": "PL_MX_AWAITING_REPO",
    "disputed": "PL_MX_DISPUTED",
    "not-affected": "PL_MX_NOT_AFFECTED",
}
EXPR = r"(?:\b(?:f|nf)->status|\bx->f\.status)"
BARE = {"src/policy/exception.c"}
SKIP = ("src/store/", "src/intel/")


def pattern(expr):
    words = "|".join(map(re.escape, WORDS))
    return re.compile(r"strcmp\(\s*(" + expr + r')\s*,\s*"(' + words + r')"\s*\)\s*(==|!=)\s*0')


def main():
    dry = "--dry-run" in sys.argv[1:]
    changed = []
    for dirpath, _, names in os.walk(os.path.join(ROOT, "src")):
        for n in names:
            if not n.endswith(".c"):
                continue
            path = os.path.join(dirpath, n)
            rel = os.path.relpath(path, ROOT).replace(os.sep, "/")
            if rel.startswith(SKIP):
                continue
            with open(path, encoding="utf-8") as f:
                text = f.read()
            expr = EXPR + (r"|\bstatus\b" if rel in BARE else "")
            out = pattern(expr).sub(
                lambda m: f"pl_finding_status({m.group(1)}) {m.group(3)} {WORDS[m.group(2)]}", text
            )
            if out != text:
                changed.append(path)
                if not dry:
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(out)
    if changed and not dry and shutil.which("clang-format"):
        subprocess.run(["clang-format", "-i", *changed], check=True, cwd=ROOT)
    print(f"status-enum: {len(changed)} files rewritten" + (" (dry run)" if dry else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
