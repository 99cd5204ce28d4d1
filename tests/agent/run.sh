#!/usr/bin/env bash
# Agents end to end: `patchline serve` on a loopback port as a non-root user,
# and patchline-agent on throwaway roots with real dpkg databases and a local
# repository (tests/apply/mkrepo.sh, mkroot.sh): enrolment, uploads, a plan
# approved by another principal, a real upgrade, findings closed, refusals.
# Usage: run.sh PATCHLINE PATCHLINE-AGENT. Needs root (dpkg runs maintainer
# scripts through chroot) and setpriv; skips (77) otherwise.
set -euo pipefail
PL=$1 AGENT=$2
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then echo "skipping: dpkg runs maintainer scripts through chroot, which needs root"; exit 77; fi
for t in python3 setpriv apt-get dpkg-deb dpkg-scanpackages fakeroot busybox sqlite3; do
    command -v "$t" >/dev/null || { echo "skipping: $t is not installed (scripts/install-deps)"; exit 77; }
done
T=$(mktemp -d /tmp/pl-agent-XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 0755 "$T"
export PL AGENT T SRC="$here/../.."
exec python3 "$here/e2e.py"
