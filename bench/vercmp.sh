#!/usr/bin/env bash
# Version comparison: Patchline dpkg/rpm orders vs libdpkg and librpm on the
# same real pairs, in one run. Run through bench/run (sets PL_BUILD).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${PL_SHARED_DATA:-$here/../../shared/data}
"${PL_BUILD:?run through bench/run}/bench/bench_vercmp" "$shared" "${PL_BENCH_PAIRS:-1000000}"
