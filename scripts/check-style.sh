#!/usr/bin/env bash
# Quality gates that need no build: formatting, the 1000-line file limit,
# bypasses of the store interface and the input front door, the module graph.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find src include tests bench -name '*.[ch]')

if command -v clang-format >/dev/null; then
    if ! clang-format --dry-run -Werror $files 2>/tmp/pl-format.$$; then
        echo "check-style: clang-format would change:"; grep -E '^[^ ].*error' /tmp/pl-format.$$ | head -20
        fail=1
    fi
    rm -f /tmp/pl-format.$$
fi
for f in $files; do
    n=$(wc -l <"$f")
    if [ "$n" -gt 1000 ]; then echo "check-style: $f has $n lines (limit 1000)"; fail=1; fi
done
# SQL lives in src/store only.
bad=$(grep -ln 'sqlite3_' $(echo "$files" | grep -v -e '^src/store/' -e '^tests/' -e '^bench/') 2>/dev/null)
if [ -n "$bad" ]; then echo "check-style: sqlite3_ calls outside src/store: $bad"; fail=1; fi
# Inside the library only the backends talk to a database library (src/store/db.h).
bad=$(grep -ln -E 'sqlite3_|<sqlite3\.h>' $(echo "$files" | grep -e '^src/' | grep -v -e '^src/store/db_sqlite\.c$') 2>/dev/null)
if [ -n "$bad" ]; then echo "check-style: SQLite called outside src/store/db_sqlite.c (run scripts/refactor/store-db-api.py): $bad"; fail=1; fi
bad=$(grep -ln -E '<libpq-fe\.h>' $(echo "$files" | grep -e '^src/' | grep -v -e '^src/store/db_pg[a-z_]*\.c$') 2>/dev/null)
if [ -n "$bad" ]; then echo "check-style: libpq called outside src/store/db_pg*.c: $bad"; fail=1; fi
# Input files are read through pl_reader / pl_file_read (src/core/file.c).
bad=$(grep -ln -E '\b(fopen|gzopen|lzma_stream_decoder)\(' $(echo "$files" | grep -e '^src/' | grep -v -e '^src/core/file.c' -e '^src/report/' -e '^src/cli/' -e '^src/apply/') 2>/dev/null)
if [ -n "$bad" ]; then echo "check-style: input read outside the front door: $bad"; fail=1; fi
# Never a shell.
bad=$(grep -ln -E '"/bin/sh"|"sh", *"-c"' $(echo "$files" | grep -e '^src/') 2>/dev/null)
if [ -n "$bad" ]; then echo "check-style: shell invocation in: $bad"; fail=1; fi
# The module graph (docs/internals/modules.md): no upward include or call, no
# internal name across modules, no command calling the store directly.
if ! python3 scripts/check-modules.py .; then fail=1; fi
# No merge left its conflict markers behind.
bad=$(git grep -l -E '^(<<<<<<< |>>>>>>> )' 2>/dev/null)
if [ -n "$bad" ]; then echo "check-style: conflict markers in: $bad"; fail=1; fi
# Every public header compiles on its own.
tmp=$(mktemp -d)
for h in include/patchline/*.h; do
    printf '#include "patchline/%s"\n' "$(basename "$h")" >"$tmp/h.c"
    if ! cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -Iinclude -c "$tmp/h.c" -o "$tmp/h.o" 2>"$tmp/err"; then
        echo "check-style: $h does not compile on its own:"; head -5 "$tmp/err"; fail=1
    fi
done
# ... and all of them together (no clashing names between modules).
for h in include/patchline/*.h; do printf '#include "patchline/%s"\n' "$(basename "$h")"; done >"$tmp/all.c"
if ! cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -Iinclude -c "$tmp/all.c" -o "$tmp/all.o" 2>"$tmp/err"; then
    echo "check-style: the public headers clash when included together:"; head -5 "$tmp/err"; fail=1
fi
rm -rf "$tmp"
[ $fail -eq 0 ] && echo "check-style: ok"
exit $fail
