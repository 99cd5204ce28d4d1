# Sourced by the tests that run `patchline serve` (tests/server/run.sh,
# tests/browser/dashboard.sh): a throwaway folder $T, removed on exit, whose
# $T/run belongs to the server's user, and AS=(...), the prefix that runs a
# command as that user: 'nobody' through setpriv(1) when run as root (CI),
# else the caller (empty). Exits 77 (skipped) when root has no setpriv.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
chmod 0755 "$T"
AS=()
if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv >/dev/null || { echo "setpriv is absent: skipped"; exit 77; }
    AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
    mkdir "$T/run" && chown nobody:nogroup "$T/run"
else
    mkdir "$T/run"
fi
