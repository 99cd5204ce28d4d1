#!/usr/bin/env bash
# The browser test on the demo's own reports: run `patchline demo` (its own clock, a
# small estate, not this host) into a scratch folder, then tests/browser/run.sh with
# PL_BROWSER_DEMO set: both reports load and lay out, every section has data, and the
# KEV sections list entries. Usage: demo.sh PATCHLINE [ASSETS]
# Skips (exit 77) when chromium is absent.
set -uo pipefail
PL=$1
ASSETS=${2:-40}
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then echo "skipping browser demo test: chromium is absent"; exit 77; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! "$PL" demo --assets "$ASSETS" --no-host -o "$T/demo" >"$T/demo.log" 2>&1; then
    cat "$T/demo.log"; echo "FAIL: the demo failed"; exit 1
fi
PL_BROWSER_DEMO=$T/demo "$(dirname "$0")/run.sh" "$PL"
