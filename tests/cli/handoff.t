# patchline handoff (issue 7): hand-off artefacts from one plan. The generated
# files are compared with golden files in tests/unit/test_handoff.c; here: the
# command, its errors, and a real Ansible run into a throwaway dpkg root.

### handoff-1.1: ssm writes the baselines, tags, run commands and apply.sh, and a window, target and task per wave with an instance (web01; ring 2 and staging have no instance id)
$ handoff ssm --plan-json $FIX/handoff/plan.json -o $T/o1
> $T/o1/ssm/apply.sh
> $T/o1/ssm/baseline-prod-DEBIAN.json
> $T/o1/ssm/baseline-prod-REDHAT_ENTERPRISE_LINUX.json
> $T/o1/ssm/baseline-prod-WINDOWS.json
> $T/o1/ssm/baseline-prod-UBUNTU.json
> $T/o1/ssm/baseline-staging-AMAZON_LINUX_2023.json
> $T/o1/ssm/tags-prod-ring1.json
> $T/o1/ssm/hook-pre-prod-ring1-sun-night.json
> $T/o1/ssm/hook-check-prod-ring1-sun-night.json
> $T/o1/ssm/window-prod-ring1-sun-night.json
> $T/o1/ssm/target-prod-ring1-sun-night.json
> $T/o1/ssm/task-prod-ring1-sun-night.json
> $T/o1/ssm/send-command-prod-ring1-sun-night.json

### handoff-1.2: the files are the golden ones
! diff -r "$FIX/handoff/golden/ssm" "$T/o1/ssm"
$ handoff images --plan-json $FIX/handoff/plan.json -o $T/o1
> $T/o1/images/rebuild.json
> $T/o1/images/rebuild.tsv

### handoff-1.3: images come in rebuild order, base images first
! diff "$FIX/handoff/golden/images/rebuild.tsv" "$T/o1/images/rebuild.tsv"
$ handoff kured --plan-json $FIX/handoff/plan.json -o $T/o1
> $T/o1/kured/prod-eks-prod-ring1-sun-night.yaml
> $T/o1/kured/prod-aks-prod-ring2-wed-evening.yaml
> $T/o1/kured/prod-gke-prod-ring2-wed-evening.yaml

### handoff-2.1: a hostile package name is refused at load
$ handoff ansible --plan-json $FIX/handoff/hostile-pkg.json -o $T/h1
? 1
2> patchline: handoff: $FIX/handoff/hostile-pkg.json: record 
2> waves[0].packages[1].name: '$(reboot)' is not a valid deb package name

### handoff-2.2: a hostile host name is refused for Ansible ...
$ handoff ansible --plan-json $FIX/handoff/hostile-host.json -o $T/h2
? 1
2> patchline: handoff: ansible: prod-ring1-w: asset 'web01'; Remove-Item -Recurse C:\ #': name is not a valid host name (letters, digits, '.', '-', '_')

### handoff-2.3: ... and quoted as one literal for PowerShell
! test ! -e "$T/h2/ansible"
$ handoff wsus --plan-json $FIX/handoff/hostile-host.json -o $T/h3
> $T/h3/wsus/prod-ring1-w.ps1

### handoff-2.4: the PowerShell literal
! grep -qxF "    'web01''; Remove-Item -Recurse C:\ #'" "$T/h3/wsus/prod-ring1-w.ps1"
$ handoff k8s --plan-json $FIX/handoff/hostile-node.json -o $T/h4
? 1
2> patchline: handoff: k8s: prod-ring1-w: asset '--all': name is not a valid Kubernetes name (RFC 1123: a-z, 0-9, '-', '.')

### handoff-2.5: a monthly window cannot be a kured schedule
! sed 's/"0 2 \* \* 0"/"0 2 1 * *"/' "$FIX/handoff/hostile-node.json" | sed 's/--all/node-1/' > "$T/monthly.json"
$ handoff kured --plan-json $T/monthly.json -o $T/h5
? 1
2> patchline: handoff: kured: window 'w': --reboot-days/--start-time needs one time of day on whole weekdays, not '0 2 1 * *'

### handoff-3.1: usage errors
$ handoff --plan-json $FIX/handoff/plan.json -o $T/u
? 2
2> handoff: name one TARGET

### handoff-3.2: an unknown target
$ handoff puppet --plan-json $FIX/handoff/plan.json -o $T/u
? 2
2> unknown target 'puppet' (ansible, ssm, wsus, intune, k8s, kured, eks, aks, gke, images, thirdparty)

### handoff-3.3: --rollout and --plan-json exclude each other (stored plans: handoff_rollout.t)
$ handoff ansible --rollout 7 --plan-json $FIX/handoff/plan.json -o $T/u
? 2
2> handoff: one of --plan-json FILE or --rollout ID, and -o DIR, are required

### handoff-3.4: a 10 MB field is refused
! python3 -c "import sys; sys.stdout.write('{\"name\": \"' + 'x' * 10485760 + '\", \"waves\": []}')" > "$T/big.json"
$ handoff ssm --plan-json $T/big.json -o $T/u
? 1
2> plan.name: longer than 1024 bytes

### handoff-4.1: Ansible really installs a package version into a throwaway dpkg root
! mkdir -p "$T/pkg/DEBIAN" "$T/pkg/usr/share/pl-demo" "$T/debs" "$T/root/var/lib/dpkg/info" "$T/root/var/lib/dpkg/updates" "$T/root/var/lib/dpkg/triggers"
! touch "$T/root/var/lib/dpkg/status" && printf 'Package: pl-demo\nVersion: 1.2-3\nArchitecture: all\nMaintainer: Patchline <t@example.org>\nDescription: demo\n' > "$T/pkg/DEBIAN/control" && echo hi > "$T/pkg/usr/share/pl-demo/v"
! dpkg-deb --root-owner-group -b "$T/pkg" "$T/debs/pl-demo_1.2-3_all.deb" >/dev/null
! test "$T/root" != / && command -v ansible-playbook >/dev/null
= ANSIBLE_LOCAL_TEMP=$T/atmp
= ANSIBLE_REMOTE_TEMP=$T/rtmp
$ handoff ansible --plan-json $FIX/handoff/dpkg-plan.json -o $T/run --dpkg-root --run -c local -e pl_dpkg_root=$T/root -e pl_deb_dir=$T/debs
> wave            host   ok  changed  failed  unreachable  skipped
> test-ring1-now  web01  2   1        0       0            0

### handoff-4.2: the version is in the root and the results were saved; a run aimed at / is refused by the play (exit 3)
! test "$(dpkg-query --admindir="$T/root/var/lib/dpkg" -W -f='${Version}' pl-demo)" = 1.2-3
! grep -q '"changed": 1' "$T/run/ansible/results-test-ring1-now.json"
= ANSIBLE_LOCAL_TEMP=$T/atmp
= ANSIBLE_REMOTE_TEMP=$T/rtmp
$ handoff ansible --plan-json $FIX/handoff/dpkg-plan.json -o $T/run2 --dpkg-root --run -c local -e pl_dpkg_root=/ -e pl_deb_dir=$T/debs --format csv
? 3
>* wave,host,ok,changed,failed,unreachable,skipped
>* test-ring1-now,web01,0,0,1,0,0

### handoff-4.3: a failing wave halts the rollout: the next wave does not run
! rm -rf "$T/root2" && mkdir -p "$T/root2/var/lib/dpkg/info" "$T/root2/var/lib/dpkg/updates" "$T/root2/var/lib/dpkg/triggers" && touch "$T/root2/var/lib/dpkg/status"
= ANSIBLE_LOCAL_TEMP=$T/atmp
= ANSIBLE_REMOTE_TEMP=$T/rtmp
$ handoff ansible --plan-json $FIX/handoff/dpkg-plan-halt.json -o $T/run3 --dpkg-root --run -c local -e pl_dpkg_root=$T/root2 -e pl_deb_dir=$T/debs
? 3
> wave              host   ok  changed  failed  unreachable  skipped
> test-ring1-first  web01  1   0        1       0            1

### handoff-4.4: nothing was installed by the second wave
! test -z "$(dpkg-query --admindir="$T/root2/var/lib/dpkg" -W pl-demo 2>/dev/null)" && test ! -e "$T/run3/ansible/results-test-ring2-second.json"
$ handoff --help
>* usage: patchline handoff TARGET

### handoff-5.1: checks travel: a failing health check puts the kept version back (block installs 1.2-4, rescue reinstalls 1.2-3, the host fails)
! sed -i 's/^Version: .*/Version: 1.2-4/' "$T/pkg/DEBIAN/control" && echo v4 > "$T/pkg/usr/share/pl-demo/v" && dpkg-deb --root-owner-group -b "$T/pkg" "$T/debs/pl-demo_1.2-4_all.deb" >/dev/null
! rm -rf "$T/root3" && mkdir -p "$T/root3/var/lib/dpkg/info" "$T/root3/var/lib/dpkg/updates" "$T/root3/var/lib/dpkg/triggers" && touch "$T/root3/var/lib/dpkg/status"
! dpkg --root="$T/root3" --force-not-root --force-script-chrootless --log=/dev/null --install "$T/debs/pl-demo_1.2-3_all.deb" >/dev/null
= ANSIBLE_LOCAL_TEMP=$T/atmp
= ANSIBLE_REMOTE_TEMP=$T/rtmp
$ handoff ansible --plan-json $FIX/handoff/dpkg-rollback.json -o $T/run4 --dpkg-root --run -c local -e pl_dpkg_root=$T/root3 -e pl_deb_dir=$T/debs
? 3
> wave            host   ok  changed  failed  unreachable  skipped
> test-ring1-now  web01  3   2        1       0            0

### handoff-5.2: ... 1.2-3 is back in the root; the install did happen before the rescue
! test "$(dpkg-query --admindir="$T/root3/var/lib/dpkg" -W -f='${Version}' pl-demo)" = 1.2-3 && test "$(cat "$T/root3/usr/share/pl-demo/v")" = hi
! grep -q 'Install the host' "$T/run4/ansible/results-test-ring1-now.json" && grep -q 'Reinstall the kept versions into the dpkg root' "$T/run4/ansible/results-test-ring1-now.json"
$ handoff ansible --plan-json $FIX/handoff/dpkg-rollback.json -o $T/run4b --dpkg-root
>* $T/run4b/ansible/patch.yml

### handoff-5.3: a passing health check keeps 1.2-4; its argv is never templated by Ansible ('{{ 7*6 }}' stays literal)
= ANSIBLE_LOCAL_TEMP=$T/atmp
= ANSIBLE_REMOTE_TEMP=$T/rtmp
$ handoff ansible --plan-json $FIX/handoff/dpkg-health-ok.json -o $T/run5 --dpkg-root --run -c local -e pl_dpkg_root=$T/root3 -e pl_deb_dir=$T/debs
> wave            host   ok  changed  failed  unreachable  skipped
> test-ring1-now  web01  3   1        0       0            0

### handoff-5.4: ... 1.2-4 is in the root
! test "$(dpkg-query --admindir="$T/root3/var/lib/dpkg" -W -f='${Version}' pl-demo)" = 1.2-4
$ handoff ansible --plan-json $FIX/handoff/dpkg-health-ok.json -o $T/run5b --dpkg-root
>* $T/run5b/ansible/patch.yml

### handoff-5.5: SSM hooks: the pre-install document keeps the versions, the exit document checks and rolls back what changed
! mkdir -p "$T/hk/bin" && printf '#!/bin/sh\ncat "$PL_STATE"\n' > "$T/hk/bin/dpkg-query" && printf '#!/bin/sh\necho "$@" >> "$PL_APT_LOG"\n' > "$T/hk/bin/apt-get" && chmod +x "$T/hk/bin/dpkg-query" "$T/hk/bin/apt-get"
! python3 -c "import json,sys; c=json.loads(json.load(open(sys.argv[1]))['Content']); s=c['mainSteps'][0]; assert s['action']=='aws:runShellScript'; open(sys.argv[2],'w').write(chr(10).join(s['inputs']['runCommand'])+chr(10))" "$T/o1/ssm/hook-pre-prod-ring1-sun-night.json" "$T/hk/pre.sh"
! python3 -c "import json,sys; c=json.loads(json.load(open(sys.argv[1]))['Content']); open(sys.argv[2],'w').write(chr(10).join(c['mainSteps'][0]['inputs']['runCommand'])+chr(10))" "$T/o1/ssm/hook-check-prod-ring1-sun-night.json" "$T/hk/check.sh"
! printf 'openssl 3.0.11-1~deb12u2\nlibssl3 3.0.11-1~deb12u2\nzlib1g 1:1.2.13.dfsg-1\n' > "$T/hk/before" && printf 'openssl 3.0.15-1~deb12u1\nlibssl3 3.0.15-1~deb12u1\nzlib1g 1:1.2.13.dfsg-1\n' > "$T/hk/after"
! PATH="$T/hk/bin:$PATH" PL_STATE="$T/hk/before" PATCHLINE_KEPT_DIR="$T/hk/kept" sh "$T/hk/pre.sh"
! test "$(cat "$T/hk/kept/kept-prod-ring1-sun-night.txt")" = "$(sort "$T/hk/before")"
! PATH="$T/hk/bin:$PATH" PL_STATE="$T/hk/after" PL_APT_LOG="$T/hk/apt.log" PATCHLINE_KEPT_DIR="$T/hk/kept" sh "$T/hk/check.sh"; test $? = 1
! test "$(cat "$T/hk/apt.log")" = "install -y --allow-downgrades libssl3=3.0.11-1~deb12u2 openssl=3.0.11-1~deb12u2"
$ vercmp --scheme dpkg 1 1
>* 0
