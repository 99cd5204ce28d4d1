"""A store for the bench and test scripts: a SQLite file, or a PostgreSQL URL.

connect(STORE) gives sqlite3's connection for a file; for a postgresql:// or
postgres:// URL an object with the part of its interface the scripts use
(execute with ? parameters, fetchone/fetchall/iteration, rowcount for reads,
"with db:" as one transaction), through psql (no Python driver needed).
Reads run at once; writes are kept and run in one psql transaction when the
"with" block ends, so a failure changes nothing.
"""
import sqlite3
import subprocess

NULL = "\x1ePL-NULL\x1e"
SEP = "\x1f"


def literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return repr(v)
    s = str(v)
    if "\x00" in s:
        raise ValueError("text with a NUL byte")
    return "'" + s.replace("'", "''") + "'"


def bind(sql, params):
    parts = sql.split("?")
    if len(parts) - 1 != len(params):
        raise ValueError("%d parameters for %d placeholders" % (len(params), len(parts) - 1))
    out = [parts[0]]
    for v, p in zip(params, parts[1:]):
        out += [literal(v), p]
    return "".join(out)


class Rows:
    def __init__(self, rows):
        self.rows = rows
        self.rowcount = len(rows)

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def fetchall(self):
        return list(self.rows)

    def __iter__(self):
        return iter(self.rows)


class Psql:
    def __init__(self, url):
        self.url = url
        self.pending = []

    def psql(self, *args, stdin=None):
        return subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", SEP, "-P", "null=" + NULL,
                               "-v", "ON_ERROR_STOP=1", "-d", self.url] + list(args),
                              input=stdin, check=True, capture_output=True, text=True).stdout

    def execute(self, sql, params=()):
        text = bind(sql, params)
        if text.lstrip().split(None, 1)[0].lower() not in ("select", "with", "values"):
            self.pending.append(text)
            return Rows([])
        out = self.psql("-c", text)
        return Rows([tuple(None if v == NULL else v for v in line.split(SEP))
                     for line in out.splitlines()])

    def commit(self):
        if self.pending:
            self.psql("-1", stdin=";\n".join(self.pending) + ";\n")
        self.pending = []

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.commit()
        self.pending = []
        return False


def connect(store):
    if store.startswith(("postgresql://", "postgres://")):
        return Psql(store)
    return sqlite3.connect(store)
