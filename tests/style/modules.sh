#!/usr/bin/env bash
# scripts/check-style.sh enforces the module graph (docs/internals/modules.md):
# a copy of the sources passes; the same copy with an upward call, an upward
# include, or a command calling the store directly fails, naming the file.
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

fresh() {
    rm -rf "$tmp/w" && mkdir -p "$tmp/w"
    (cd "$src" && cp -r CMakeLists.txt cmake include src scripts .clang-format "$tmp/w/")
}
run() { out=$("$tmp/w/scripts/check-style.sh" 2>&1); rc=$?; }
expect() { # expect TEXT TITLE: the last run failed and said TEXT
    if [ $rc -eq 0 ] || ! grep -qF -- "$1" <<<"$out"; then
        echo "FAIL $2: want a failure naming '$1', got exit $rc:"; echo "$out" | head -20; fail=1
    else
        echo "ok   $2"
    fi
}
# (the sources as they are pass: that is the `style` test itself)

fresh
cat >>"$tmp/w/src/policy/policy.c" <<'C'

#include "patchline/match.h"
pl_status pl_policy_upward(struct pl_store *s, struct pl_error *err);
pl_status pl_policy_upward(struct pl_store *s, struct pl_error *err)
{
    return pl_match_scan(s, NULL, NULL, err);
}
C
run
expect "src/policy/policy.c" "an upward call (policy -> match) fails"
expect "policy calls pl_match_scan of module match, above it" "...and names the call"
expect "policy includes patchline/match.h of module match" "...and the include"

fresh
sed -i 's|#include "patchline/store.h"|#include "patchline/store.h"\n#include "patchline/report.h"|' \
    "$tmp/w/include/patchline/intel.h"
run
expect "include/patchline/intel.h" "a public header including one above it fails"

fresh
cat >>"$tmp/w/src/cli/cmd_vuln.c" <<'C'

int pl_cmd_vuln_audit(struct pl_cli *cli);
int pl_cmd_vuln_audit(struct pl_cli *cli)
{
    return pl_store_audit(cli->store, "vuln", NULL, NULL, NULL) == PL_OK ? 0 : 1;
}
C
run
expect "src/cli/cmd_vuln.c" "a command calling pl_store_* directly fails"
expect "a command calls pl_store_audit directly" "...and names the call"

[ $fail -eq 0 ] && echo "style_modules: ok"
exit $fail
