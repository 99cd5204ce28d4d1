#!/usr/bin/env python3
"""Rename every internal function to the convention pl__MODULE_name (STYLE 2.2).

A function is internal to module M when src/M/ defines it, it is not static,
and no public header (include/patchline/*.h) declares it. Its new name:
  pl__M_rest   stays as it is;
  pl__rest     -> pl__M_rest;
  pl_M_rest    -> pl__M_rest;
  pl_rest      -> pl__M_rest;
  rest         -> pl__M_rest   (external with no prefix).
Every whole-word use is renamed in src/ (but src/store/, which another line
of work rewrites), include/, tests/, bench/ and docs/. The renames made are
kept in scripts/refactor/internal-names.map, so that a later run also renames
old names that code merged since still uses. Re-runnable and idempotent: a
second run changes nothing. It refuses (exit 1,
nothing written) when a new name would clash with an existing one.

Usage: scripts/refactor/internal-names.py [--dry-run]
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
EXCLUDE_MODULES = {"store"}  # rewritten onto the backend layer elsewhere
EXCLUDE_DIRS = ("src/store/",)
TREES = ("src", "include", "tests", "bench", "docs")
EXTS = (".c", ".h", ".inc", ".md", ".py", ".sh", ".t", ".txt", ".cmake")
# Every rename made so far (old<TAB>new), so that a later run also renames the
# old names that code merged since then still uses.
MAP = os.path.join(ROOT, "scripts", "refactor", "internal-names.map")

DEF_RE = re.compile(r"^(?!static\b)[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*\([^;{]*\)\s*\{", re.M)
WORD_CALL_RE = re.compile(r"\b(pl_\w+)\s*\(")


def strip(text):
    """Comments and literals blanked (the definitions and declarations are what is left)."""
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(\\.|[^"\\\n])*"', '""', text)


def read(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()


def new_name(mod, name):
    if name.startswith(f"pl__{mod}_"):
        return name
    if name.startswith("pl__"):
        rest = name[4:]
    elif name.startswith(f"pl_{mod}_"):
        rest = name[len(mod) + 4 :]
    elif name.startswith("pl_"):
        rest = name[3:]
    else:
        rest = name
    return f"pl__{mod}_{rest}"


def files():
    for tree in TREES:
        for dirpath, _, names in os.walk(os.path.join(ROOT, tree)):
            rel = os.path.relpath(dirpath, ROOT).replace(os.sep, "/") + "/"
            if rel.startswith(EXCLUDE_DIRS) or "/fixtures/" in rel or rel.startswith("tests/fixtures"):
                continue
            for n in names:
                if n.endswith(EXTS):
                    yield os.path.join(dirpath, n)


def main():
    dry = "--dry-run" in sys.argv[1:]
    public = set()
    inc = os.path.join(ROOT, "include", "patchline")
    for h in os.listdir(inc):
        public |= set(WORD_CALL_RE.findall(strip(read(os.path.join(inc, h)))))
    renames, defined = {}, set()
    for mod in sorted(os.listdir(os.path.join(ROOT, "src"))):
        d = os.path.join(ROOT, "src", mod)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if not f.endswith(".c"):
                continue
            for m in DEF_RE.finditer(strip(read(os.path.join(d, f)))):
                name = m.group(1)
                defined.add(name)
                if mod in EXCLUDE_MODULES or name in public or name == "main":
                    continue
                if name.startswith(("pl_", "pl__")) or os.path.basename(f) != "main.c":
                    new = new_name(mod, name)
                    if new != name:
                        renames[name] = new
    if os.path.exists(MAP):
        for line in read(MAP).splitlines():
            old, _, new = line.partition("\t")
            if old and new and old not in defined:
                renames.setdefault(old, new)
    if "--print-map" in sys.argv[1:]:
        for old in sorted(renames):
            print(f"{old}\t{renames[old]}")
        return 0
    # a clash: the new name is public, or names another function that exists too
    clash = sorted(n for o, n in renames.items() if n in public or (n in defined and o in defined))
    if clash or len(set(renames.values())) != len(renames):
        print("internal-names: refusing, new names clash:", ", ".join(clash) or "(duplicates)")
        return 1
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, renames), key=len, reverse=True)) + r")\b")
    changed, sources = 0, []
    for path in files():
        text = read(path)
        out = pattern.sub(lambda m: renames[m.group(1)], text)
        if out != text:
            changed += 1
            if not dry:
                with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
                    f.write(out)
                if path.endswith((".c", ".h")):
                    sources.append(path)
    # longer names: lay the lines out again
    if sources and shutil.which("clang-format"):
        subprocess.run(["clang-format", "-i", *sources], check=True, cwd=ROOT)
    if not dry:
        with open(MAP, "w", encoding="utf-8") as f:
            f.writelines(f"{old}\t{renames[old]}\n" for old in sorted(renames))
    print(f"internal-names: {len(renames)} names known, {changed} files changed" + (" (dry run)" if dry else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
