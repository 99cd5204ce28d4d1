#!/usr/bin/env bash
# CTest wrapper of demo_waves.py (issue 23, "Done means"): a small simulated demo
# estate, then its SSM and Ansible hand-offs checked against its stored plan.
# Usage: demo_waves.sh PATCHLINE [ASSETS]
# The demo reads only its bundled feed snapshots. Skips (exit 77) when python3 or
# its dateutil is missing; any mismatch fails (exit 1).
set -uo pipefail
pl=$1
assets=${2:-160}
here=$(cd "$(dirname "$0")" && pwd)
py=$(command -v python3 || true)
if [ -z "$py" ]; then
    echo "skipping demo_waves: python3 is not installed"; exit 77
fi
if ! "$py" -c 'import dateutil.rrule, zoneinfo' 2>/dev/null; then
    echo "skipping demo_waves: python3-dateutil is not installed (scripts/install-deps)"; exit 77
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
if ! "$pl" --now 2026-11-29T12:00:00Z demo --assets "$assets" --no-host \
    -o "$t/demo" >"$t/demo.log" 2>&1; then
    cat "$t/demo.log"
    echo "demo_waves: the demo failed"; exit 1
fi
"$py" "$here/demo_waves.py" "$pl" "$t/demo"
