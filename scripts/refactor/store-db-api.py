#!/usr/bin/env python3
"""Rewrite src/store/*.c (and *.h) from SQLite's C API to the store's backend
layer (src/store/db.h).

Re-runnable and idempotent: a file with no sqlite3_* left is not changed.
Usage: scripts/refactor/store-db-api.py [FILE...]   (default: src/store/*.[ch])

What it cannot rewrite it reports (file:line) and exits 1, leaving the call in
place so that the build fails there:
  - sqlite3_last_insert_rowid: write the INSERT as `INSERT ... RETURNING id`
    and read the id as column 0 of the row pl__db_step returns;
  - sqlite3_exec with a callback, prepare with a length or a tail, and any
    sqlite3_* or SQLITE_* the layer has no counterpart for.
The backend files themselves (src/store/db*.c, db*.h) are never touched.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

RENAMES = {
    "sqlite3_bind_int64": "pl__db_bind_int64",
    "sqlite3_bind_int": "pl__db_bind_int",
    "sqlite3_bind_double": "pl__db_bind_double",
    "sqlite3_bind_null": "pl__db_bind_null",
    "sqlite3_bind_parameter_count": "pl__db_bind_parameter_count",
    "sqlite3_step": "pl__db_step",
    "sqlite3_column_int64": "pl__db_column_int64",
    "sqlite3_column_int": "pl__db_column_int",
    "sqlite3_column_double": "pl__db_column_double",
    "sqlite3_column_text": "pl__db_column_text",
    "sqlite3_column_bytes": "pl__db_column_bytes",
    "sqlite3_column_type": "pl__db_column_type",
    "sqlite3_column_count": "pl__db_column_count",
    "sqlite3_column_name": "pl__db_column_name",
    "sqlite3_reset": "pl__db_reset",
    "sqlite3_clear_bindings": "pl__db_clear_bindings",
    "sqlite3_finalize": "pl__db_finalize",
    "sqlite3_changes64": "pl__db_changes",
    "sqlite3_changes": "pl__db_changes",
    "sqlite3_errmsg": "pl__db_errmsg",
    "sqlite3_errcode": "pl__db_errcode",
    "sqlite3_extended_errcode": "pl__db_errcode",
    "sqlite3_busy_handler": "pl__db_busy_handler",
    "sqlite3_db_handle": "pl__db_handle",
    "sqlite3_free": "free",
}

CONSTANTS = {
    "SQLITE_OK": "PL_DB_OK",
    "SQLITE_ERROR": "PL_DB_ERROR",
    "SQLITE_BUSY": "PL_DB_BUSY",
    "SQLITE_LOCKED": "PL_DB_BUSY",
    "SQLITE_NOMEM": "PL_DB_NOMEM",
    "SQLITE_READONLY": "PL_DB_READONLY",
    "SQLITE_IOERR": "PL_DB_IOERR",
    "SQLITE_CONSTRAINT": "PL_DB_CONSTRAINT",
    "SQLITE_MISUSE": "PL_DB_MISUSE",
    "SQLITE_RANGE": "PL_DB_RANGE",
    "SQLITE_ROW": "PL_DB_ROW",
    "SQLITE_DONE": "PL_DB_DONE",
    "SQLITE_INTEGER": "PL_DB_INTEGER",
    "SQLITE_FLOAT": "PL_DB_FLOAT",
    "SQLITE_TEXT": "PL_DB_TEXT",
    "SQLITE3_TEXT": "PL_DB_TEXT",
    "SQLITE_BLOB": "PL_DB_BLOB",
    "SQLITE_NULL": "PL_DB_NULL",
}

NULLISH = {"NULL", "0", "((void *)0)"}

problems = []
reported = set()  # (path, line, name) already reported by rewrite_calls


def call_args(text, open_paren):
    """(args, index after ')') of the call whose '(' is at open_paren."""
    depth, i, start, args = 0, open_paren, open_paren + 1, []
    while i < len(text):
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "/" and text.startswith("/*", i):
            i = text.index("*/", i + 2) + 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(text[start:i].strip())
                return args, i + 1
        elif c == "," and depth == 1:
            args.append(text[start:i].strip())
            start = i + 1
        i += 1
    raise ValueError("unbalanced call")


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def rewrite_calls(path, text, name, fn):
    """Replace every call of name(...) with fn(args) (None: leave and report)."""
    out, pos = [], 0
    pat = re.compile(r"\b%s\s*\(" % re.escape(name))
    while True:
        m = pat.search(text, pos)
        if not m:
            break
        args, end = call_args(text, m.end() - 1)
        new = fn(args)
        out.append(text[pos : m.start()])
        if new is None:
            reported.add((path, line_of(text, m.start()), name))
            problems.append("%s:%d: %s: rewrite by hand" % (path, line_of(text, m.start()), name))
            out.append(text[m.start() : end])
        else:
            out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def prepare(args):
    if len(args) not in (4, 5) or args[2] not in ("-1",) or (len(args) == 5 and args[4] not in NULLISH):
        return None
    return "pl__db_prepare(%s, %s, %s)" % (args[0], args[1], args[3])


def bind_text(args):
    if len(args) != 5:
        return None
    if args[3] in ("-1",):
        return "pl__db_bind_text(%s, %s, %s)" % tuple(args[:3])
    return "pl__db_bind_textn(%s, %s, %s, (size_t)(%s))" % tuple(args[:4])


def exec_(args):
    if len(args) != 5 or args[2] not in NULLISH or args[3] not in NULLISH:
        return None
    if args[4] not in NULLISH:
        return None  # the error text comes from pl__db_errmsg: rewrite by hand
    return "pl__db_exec(%s, %s)" % (args[0], args[1])


def rewrite(path, text):
    # includes
    has_layer = re.search(r'#include "(db|store_int)\.h"', text)
    text = re.sub(
        r"#include <sqlite3\.h>\n",
        "" if has_layer else '#include "db.h"\n',
        text,
    )
    # types
    text = re.sub(r"\bsqlite3_stmt\b", "struct pl_stmt", text)
    text = re.sub(r"\bsqlite3_int64\b|\bsqlite_int64\b", "int64_t", text)
    text = re.sub(r"\bsqlite3_uint64\b", "uint64_t", text)
    text = re.sub(r"\bsqlite3\b(?=\s*\*)", "struct pl_db", text)
    # calls that change shape
    text = rewrite_calls(path, text, "sqlite3_prepare_v2", prepare)
    text = rewrite_calls(path, text, "sqlite3_prepare", prepare)
    text = rewrite_calls(path, text, "sqlite3_bind_text", bind_text)
    text = rewrite_calls(path, text, "sqlite3_exec", exec_)
    # renames, longest first (bind_int64 before bind_int)
    for old in sorted(RENAMES, key=len, reverse=True):
        text = re.sub(r"\b%s\b(?=\s*\()" % old, RENAMES[old], text)
    for old, new in CONSTANTS.items():
        text = re.sub(r"\b%s\b" % old, new, text)
    # whatever is left
    for m in re.finditer(r"\b(sqlite3_\w+|SQLITE_\w+)", text):
        if (path, line_of(text, m.start()), m.group(1)) in reported:
            continue
        problems.append("%s:%d: %s: no counterpart in the layer, rewrite by hand"
                        % (path, line_of(text, m.start()), m.group(1)))
    return text


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    files = argv[1:] or sorted(glob.glob(os.path.join(root, "src/store/*.[ch]")))
    changed = []
    for path in files:
        base = os.path.basename(path)
        if base.startswith("db") and re.match(r"db(_\w+)?\.[ch]$", base):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if not re.search(r"sqlite3|SQLITE_", text):
            continue
        new = rewrite(os.path.relpath(path, root), text)
        if new != text:
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
            changed.append(path)
    if changed and shutil.which("clang-format"):
        subprocess.run(["clang-format", "-i"] + changed, check=False)
    for p in changed:
        print("rewrote", os.path.relpath(p, root))
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
