#!/usr/bin/env bash
# Validate the AWS artefacts of a third-party hand-off (usage: DIR): every
# thirdparty/aws/*.json body with the real /usr/bin/aws --cli-input-json of
# its operation, and every thirdparty/aws/*.sh run with a stand-in `aws`
# (tests/fixtures/handoff/fake-aws.sh) that sends the first call of each
# operation to the real awscli.
# awscli validates the parameters before it connects; the endpoint refuses the
# connection, so a valid call ends with "Could not connect to the endpoint URL"
# and an invalid one with "Parameter validation failed". Prints one line per
# call checked; exits 1 on the first invalid one.
set -uo pipefail
dir=$1/thirdparty/aws
here=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/bin/aws ] || { echo "no /usr/bin/aws (scripts/install-deps installs awscli)"; exit 1; }
aws_check() { # ARGS...: one call against the refusing endpoint
    local out
    out=$(env -i PATH=/usr/bin:/bin HOME=/tmp AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \
        AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_MAX_ATTEMPTS=1 \
        /usr/bin/aws "$@" --region us-east-1 --endpoint-url http://127.0.0.1:9 \
        --cli-connect-timeout 2 2>&1)
    case $out in
    *"Could not connect to the endpoint URL"*) return 0 ;;
    *) echo "aws $*: $out"; return 1 ;;
    esac
}
for f in "$dir"/*.json; do
    [ -e "$f" ] || continue
    case $f in
    *-lambda-*) op="lambda update-function-configuration" ;;
    *-rds-*) op="rds modify-db-instance" ;;
    *-eksng-*) op="eks update-nodegroup-version" ;;
    *-eks-*) op="eks update-cluster-version" ;;
    *) echo "$f: no AWS operation for this file"; exit 1 ;;
    esac
    # shellcheck disable=SC2086
    aws_check $op --cli-input-json "file://$f" || exit 1
    echo "valid $(basename "$f") ($op)"
done
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
ln -s "$here/../fixtures/handoff/fake-aws.sh" "$bin/aws"
for s in "$dir"/*.sh; do
    [ -e "$s" ] || continue
    # each operation validated once per script (the bodies above cover every call's values)
    FAKE_AWS_LOG=$bin/log PATH=$bin:$PATH sh "$s" >/dev/null || { echo "$s failed"; exit 1; }
    rm -f "$bin/log"
    echo "valid $(basename "$s") ($(grep -c '^aws ' "$s") calls)"
done
