# Intune update rings (issue 23, item 8): one Windows Update for Business ring per environment
# and ring, assigned to the ring's Entra ID group from --intune-groups, with deferral and
# deadline from the plan's waves; checked against the Graph v1.0 types of
# @microsoft/microsoft-graph-types (tests/fixtures/handoff/graph).

### intune-1.1: one policy and one assignment per ring that holds Windows hosts
$ handoff intune --plan-json $FIX/handoff/intune-rings.json --intune-groups $FIX/handoff/intune-groups.yaml -o $T/o
> $T/o/intune/staging-ring1.json
> $T/o/intune/staging-ring1.assign.json
> $T/o/intune/prod-ring0.json
> $T/o/intune/prod-ring0.assign.json
> $T/o/intune/prod-ring1.json
> $T/o/intune/prod-ring1.assign.json
> $T/o/intune/prod-ring2.json
> $T/o/intune/prod-ring2.assign.json

### intune-1.2: every file has the documented Graph shape (POST deviceConfigurations, the assign action)
! for f in "$T"/o/intune/*.json; do case $f in *.assign.json) k=assign ;; *) k=deviceConfiguration ;; esac; python3 "$FIX/handoff/graph/graph-shape.py" $k "$f" || exit 1; done
! test "$(ls "$T"/o/intune | wc -l)" = 8
$ --version

### intune-1.3: the checker refuses what Graph would: an unknown day, a deferral past 30, a target type, a property
! sed 's/"sunday"/"sundays"/' "$T/o/intune/prod-ring1.json" > "$T/bad1.json"; ! python3 "$FIX/handoff/graph/graph-shape.py" deviceConfiguration "$T/bad1.json" 2>"$T/err1" && grep -q "scheduledInstallDay: 'sundays' is not one of WeeklySchedule" "$T/err1"
! sed 's/"qualityUpdatesDeferralPeriodInDays": 5/"qualityUpdatesDeferralPeriodInDays": 31/' "$T/o/intune/prod-ring1.json" > "$T/bad2.json"; ! python3 "$FIX/handoff/graph/graph-shape.py" deviceConfiguration "$T/bad2.json" 2>"$T/err2" && grep -q "31 is outside the documented range 0-30" "$T/err2"
! sed 's/groupAssignmentTarget/groupTarget/' "$T/o/intune/prod-ring1.assign.json" > "$T/bad3.json"; ! python3 "$FIX/handoff/graph/graph-shape.py" assign "$T/bad3.json" 2>"$T/err3" && grep -q "is not DeviceAndAppManagementAssignmentTarget or a type derived from it" "$T/err3"
! sed 's/"groupId"/"group"/' "$T/o/intune/prod-ring1.assign.json" > "$T/bad4.json"; ! python3 "$FIX/handoff/graph/graph-shape.py" assign "$T/bad4.json" 2>"$T/err4" && grep -q "not a property of GroupAssignmentTarget" "$T/err4"
$ --version

### intune-1.4: each ring's group, deferral (days from the plan's first wave) and deadline (to the end of its last wave)
! python3 "$FIX/handoff/intune-rings-check.py" "$T/o/intune"
$ --version

### intune-1.5: without --intune-groups the rings are written unassigned
$ handoff intune --plan-json $FIX/handoff/intune-rings.json -o $T/u
> $T/u/intune/staging-ring1.json
> $T/u/intune/prod-ring0.json
> $T/u/intune/prod-ring1.json
> $T/u/intune/prod-ring2.json

### intune-2.1: a ring the mapping lacks is an error; nothing is written
! printf 'prod-ring1: {id: 0f8fad5b-d9cb-469f-a165-70867728950e}\n' > "$T/g1.yaml"
$ handoff intune --plan-json $FIX/handoff/intune-rings.json --intune-groups $T/g1.yaml -o $T/e1
? 1
2> patchline: handoff: intune: ring staging-ring1 has no group in the group mapping (staging-ring1: {id: GROUP-OBJECT-ID})

### intune-2.1.1: ...and nothing is written
! test ! -e "$T/e1/intune"
$ --version

### intune-2.2: a group id that is not an object id, named by file, line and ring
! printf 'prod-ring1:\n  id: "pilot-group"\n' > "$T/g2.yaml"
$ handoff intune --plan-json $FIX/handoff/intune-rings.json --intune-groups $T/g2.yaml -o $T/e2
? 1
2> g2.yaml:2:7: ring 'prod-ring1': id: 'pilot-group' is not an Entra ID group object id (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)

### intune-2.3.1: an unknown key
! printf 'prod-ring1: {id: 0f8fad5b-d9cb-469f-a165-70867728950e, nmae: x}\n' > "$T/g3.yaml"
$ handoff intune --plan-json $FIX/handoff/intune-rings.json --intune-groups $T/g3.yaml -o $T/e3
? 1
2> unknown key 'nmae' in a ring's group; did you mean 'name'?

### intune-2.3.2: a key that is not a ring
! printf 'pilot: {id: 0f8fad5b-d9cb-469f-a165-70867728950e}\n' > "$T/g4.yaml"
$ handoff intune --plan-json $FIX/handoff/intune-rings.json --intune-groups $T/g4.yaml -o $T/e4
? 1
2> g4.yaml:1:1: ring: 'pilot' is not a ring like prod-ring1 (ENV-ringN)

### intune-2.3.3: a ring given twice
! printf 'prod-ring1: {id: 0f8fad5b-d9cb-469f-a165-70867728950e}\nprod-ring1: {id: 0f8fad5b-d9cb-469f-a165-70867728950e}\n' > "$T/g5.yaml"
$ handoff intune --plan-json $FIX/handoff/intune-rings.json --intune-groups $T/g5.yaml -o $T/e5
? 1
2> g5.yaml:2:1: ring: 'prod-ring1' is given twice

### intune-2.3.4: ...and nothing is written for them
! test ! -e "$T/e3" && test ! -e "$T/e4" && test ! -e "$T/e5"
$ --version

### intune-2.4: a ring whose waves install on different weekdays cannot be one update ring
! sed 's/"name": "sun-20261213", "expression": "0 2 \* \* 0"/"name": "wed-20261216", "expression": "0 2 * * 3"/' "$FIX/handoff/intune-rings.json" > "$T/two-days.json"
$ handoff intune --plan-json $T/two-days.json -o $T/e6
? 1
2> intune: prod-ring1-wed-20261216: installs wednesday at 02:00, but prod-ring1-sun-20261206 of the same ring sunday at 02:00; an Intune update ring has one schedule
