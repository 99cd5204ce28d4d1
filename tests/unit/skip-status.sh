#!/usr/bin/env bash
# Run one cmocka test binary for CTest and turn a skip into CTest's skip.
# Usage: skip-status.sh BINARY [ARGS...]
#
# cmocka exits 0 when its tests pass or skip (no shared data, not root), so
# CTest would count a skipped test as passed. When the binary exits 0 and
# printed a "[  SKIPPED ]" line, exit 77 instead (the SKIP_RETURN_CODE set in
# tests/CMakeLists.txt); a failure keeps its own non-zero status.
set -uo pipefail
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
if [ "$rc" -eq 0 ] && grep -q '^\[  SKIPPED \]' "$out"; then
    echo "skip-status: $(basename "$1") skipped some tests: reported to CTest as skipped"
    exit 77
fi
exit "$rc"
