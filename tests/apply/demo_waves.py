#!/usr/bin/env python3
"""Check the demo's SSM and Ansible hand-offs against its stored plan (issue 23, "Done means").

Usage: demo_waves.py PATCHLINE DEMO_DIR

From the artefacts alone (DEMO_DIR/handoff): the SSM tags, window targets and maintenance
windows (cron(...) or at(...), ScheduleTimezone, StartDate/EndDate, Duration/Cutoff) and the
AWX schedules (RRULE, evaluated as AWX does with dateutil), job templates (limit) and Ansible
inventories (host vars), compute which hosts each tool patches and when. From the plan
(`patchline plan show`, the store's cloud-id identifiers and package inventory): each emitted
wave's hosts and start/end. Then:
  - every run of every window/schedule falls inside an emitted wave's [start, end) and patches
    exactly the hosts the plan's waves put there at that time (no extra run, no extra host);
  - every emitted wave's hosts are patched in it; no host of a skipped wave is;
  - every Ansible target is a package the host has, at a version above the installed one.
Prints one line per wave and "N passed, N failed"; exits 1 on any mismatch."""
import datetime as dt
import glob
import json
import os
import re
import sqlite3
import subprocess
import sys
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

PL, DEMO = sys.argv[1], sys.argv[2]
H = os.path.join(DEMO, "handoff")
DB = os.path.join(DEMO, "patchline.db")
UTC = dt.timezone.utc
failures = []


def fail(msg):
    failures.append(msg)


def ts(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def pl(*args):
    return json.loads(subprocess.run([PL, "--db", DB, *args, "--format", "json"], check=True,
                                     capture_output=True, text=True).stdout)


# ---- Debian version order (Debian Policy 5.6.12) -------------------------------------------
def _order(c):
    if c == "~":
        return -1
    if c.isdigit():
        return 0
    if c.isalpha():
        return ord(c)
    return ord(c) + 256


def _cmp_part(a, b):
    while a or b:
        ia = re.match(r"[^\d]*", a).group(0)
        ib = re.match(r"[^\d]*", b).group(0)
        for i in range(max(len(ia), len(ib))):
            ca = _order(ia[i]) if i < len(ia) else 0
            cb = _order(ib[i]) if i < len(ib) else 0
            if ca != cb:
                return ca - cb
        a, b = a[len(ia):], b[len(ib):]
        da = re.match(r"\d*", a).group(0)
        db = re.match(r"\d*", b).group(0)
        if int(da or 0) != int(db or 0):
            return int(da or 0) - int(db or 0)
        a, b = a[len(da):], b[len(db):]
    return 0


def _rpmvercmp(a, b):
    """rpm's rpmvercmp (lib/rpmvercmp.c): alternating digit and letter segments, ~ and ^."""
    if a == b:
        return 0
    i = j = 0
    while i < len(a) or j < len(b):
        while i < len(a) and not a[i].isalnum() and a[i] not in "~^":
            i += 1
        while j < len(b) and not b[j].isalnum() and b[j] not in "~^":
            j += 1
        for mark, low in (("~", -1), ("^", None)):
            ca, cb = i < len(a) and a[i] == mark, j < len(b) and b[j] == mark
            if ca or cb:
                if not (ca and cb):
                    if mark == "~":
                        return -1 if ca else 1
                    if i >= len(a):
                        return -1
                    if j >= len(b):
                        return 1
                    return 1 if ca else -1
                i, j = i + 1, j + 1
                break
        else:
            if i >= len(a) or j >= len(b):
                break
            isnum = a[i].isdigit()
            pat = r"\d+" if isnum else r"[A-Za-z]+"
            sa = re.match(pat, a[i:])
            sb = re.match(pat, b[j:])
            if not sb:
                return 1 if isnum else -1
            sa, sb = sa.group(0), sb.group(0)
            i, j = i + len(sa), j + len(sb)
            if isnum:
                sa, sb = sa.lstrip("0"), sb.lstrip("0")
                if len(sa) != len(sb):
                    return 1 if len(sa) > len(sb) else -1
            if sa != sb:
                return 1 if sa > sb else -1
            continue
    if i >= len(a) and j >= len(b):
        return 0
    return -1 if i >= len(a) else 1


def rpm_cmp(a, b):
    def evr(v):
        e, _, rest = v.partition(":") if ":" in v else ("0", "", v)
        ver, _, rel = rest.rpartition("-") if "-" in rest else (rest, "", "")
        return int(e or 0), ver, rel
    ea, va, ra = evr(a)
    eb, vb, rb = evr(b)
    return (ea - eb) or _rpmvercmp(va, vb) or _rpmvercmp(ra, rb)


def ver_cmp(host, a, b):
    return rpm_cmp(a, b) if family.get(host) in RPM_OS else deb_cmp(a, b)


def deb_cmp(a, b):
    def split(v):
        e, _, rest = v.rpartition(":") if ":" in v else ("0", "", v)
        u, _, r = rest.rpartition("-") if "-" in rest else (rest, "", "0")
        return int(e or 0), u, r
    ea, ua, ra = split(a)
    eb, ub, rb = split(b)
    return (ea - eb) or _cmp_part(ua, ub) or _cmp_part(ra, rb)


# ---- the plan ---------------------------------------------------------------------------
RING = {None: 1, "pilot": 1, "early": 2, "standard": 3, "all": 1}
approvals = json.load(open(os.path.join(H, "ansible", "approvals.json")))
emitted_ids = [e["wave"] for e in approvals["emitted"]]
skipped = {s["seq"]: s["wave"] for s in approvals.get("skipped", [])}
waves = pl("plan", "show")
ids_by_day = {}
plan = {}  # wave id -> {seq, start, end, assets}
for w in waves:
    start, end = ts(w["starts_at"]), ts(w["ends_at"])
    ring = 0 if w["lane"] == "emergency" else RING.get(w["ring"], 0)
    base = f'{w["environment"]}-ring{ring}-{w["window"]}-{start:%Y%m%d}'
    wid = base + (f'-{w["wave"]}' if base in ids_by_day else "")
    ids_by_day[base] = True
    items = pl("plan", "show", "--wave", str(w["wave"]))
    plan[wid] = {"seq": w["wave"], "start": start, "end": end,
                 "assets": {i["asset"] for i in items},
                 "fixes": [(i["asset"], i["package"], i["fixed_version"]) for i in items]}
for wid in emitted_ids:
    if wid not in plan:
        fail(f"approvals.json emits {wid}, which is not a wave of the plan")
for seq, wid in skipped.items():
    if wid not in plan or plan[wid]["seq"] != seq:
        fail(f"approvals.json skips wave {seq} as {wid}, which the plan does not name so")

con = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
cloud = {n: v for n, v in con.execute(
    "SELECT a.name, i.value FROM assets a JOIN asset_identifiers i ON i.asset_id = a.id "
    "WHERE i.kind = 'cloud-id' AND (i.value LIKE 'i-%' OR i.value LIKE 'mi-%')")}
installed = {}
for name, pkg, ver in con.execute(
        "SELECT a.name, p.name, p.version FROM assets a JOIN packages p ON p.asset_id = a.id "
        "WHERE p.status = 'installed'"):
    installed.setdefault(name, {})[pkg] = ver
RPM_OS = ("redhat", "rhel", "centos", "rocky", "almalinux", "alma", "fedora", "amazon", "oracle")
family = {n: f for n, f in con.execute("SELECT name, os_family FROM assets WHERE kind = 'host'")}
linux = {n for n, f in family.items() if f in ("debian", "ubuntu") + RPM_OS}


# ---- SSM: who each window patches, and when -----------------------------------------------
AWS_DOW = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
MON = {m: i + 1 for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}


def field_set(f, lo, hi, names=None):
    if f in ("*", "?"):
        return set(range(lo, hi + 1))
    out = set()
    for part in f.split(","):
        step = 1
        if "/" in part:
            part, s = part.split("/")
            step = int(s)
        if names:
            for k, v in names.items():
                part = part.replace(k, str(v))
        if part == "*":
            a, b = lo, hi
        elif "-" in part:
            a, b = map(int, part.split("-"))
        else:
            a = b = int(part)
        out.update(range(a, b + 1, step))
    return out


def occurrences(win):
    """The starts of window win between its StartDate and EndDate."""
    sched, first, last = win["Schedule"], ts(win["StartDate"]), ts(win["EndDate"])
    m = re.fullmatch(r"at\((.*)\)", sched)
    if m:
        t = dt.datetime.fromisoformat(m.group(1)).replace(tzinfo=ZoneInfo(win["ScheduleTimezone"]))
        return [t] if first <= t <= last else []
    f = re.fullmatch(r"cron\((.*)\)", sched).group(1).split()
    mins, hours = field_set(f[0], 0, 59), field_set(f[1], 0, 23)
    doms, mons = field_set(f[2], 1, 31), field_set(f[3], 1, 12, MON)
    dows = field_set(f[4], 1, 7, AWS_DOW)
    tz = ZoneInfo(win["ScheduleTimezone"])
    out, t = [], first.astimezone(tz).replace(second=0, microsecond=0)
    while t <= last:
        aws_dow = (t.isoweekday() % 7) + 1
        if (t.minute in mins and t.hour in hours and t.day in doms and t.month in mons
                and aws_dow in dows and t >= first):
            out.append(t.astimezone(UTC))
        t += dt.timedelta(minutes=1)
    return out


tags = {}  # instance -> {key: value}
for f in glob.glob(os.path.join(H, "ssm", "tags-*.json")):
    d = json.load(open(f))
    for r in d["Resources"]:
        for t in d["Tags"]:
            old = tags.setdefault(r, {}).get(t["Key"])
            if old is not None and old != t["Value"]:
                fail(f"{os.path.basename(f)}: {r} tagged {t['Key']}={t['Value']} and ={old}")
            tags[r][t["Key"]] = t["Value"]


def targets_of(name):
    out = set()
    for f in glob.glob(os.path.join(H, "ssm", f"target-{name}.json")) + \
            glob.glob(os.path.join(H, "ssm", f"target-{name}-[0-9]*.json")):
        for t in json.load(open(f))["Targets"]:
            if t["Key"] == "InstanceIds":
                out |= set(t["Values"])
            elif t["Key"].startswith("tag:"):
                k = t["Key"][4:]
                out |= {i for i, kv in tags.items() if kv.get(k) in t["Values"]}
            else:
                fail(f"target-{name}: unknown key {t['Key']}")
    return out


ssm_runs = []  # (start, open_until, instances, window)
for f in sorted(glob.glob(os.path.join(H, "ssm", "window-*.json"))):
    name = os.path.basename(f)[7:-5]
    win = json.load(open(f))
    inst = targets_of(name)
    for o in occurrences(win):
        ssm_runs.append((o, o + dt.timedelta(hours=win["Duration"] - win["Cutoff"]), inst, name))

# ---- Ansible / AWX: who each schedule runs, and when --------------------------------------
inv_hosts = {}  # group -> {host: vars}
for f in glob.glob(os.path.join(H, "ansible", "inventory", "*.yml")):
    cur_group, cur_host = None, None
    for line in open(f):
        m = re.match(r"    (pl_\w+):$", line)
        if m:
            cur_group = m.group(1)
            inv_hosts.setdefault(cur_group, {})
        m = re.match(r'        "([^"]+)":$', line)
        if m and cur_group:
            cur_host = m.group(1)
            inv_hosts[cur_group][cur_host] = []
        m = re.match(r'            - \{name: "([^"]+)", version: "([^"]+)"', line)
        if m and cur_host:
            inv_hosts[cur_group][cur_host].append((m.group(1), m.group(2)))
awx_runs = []  # (start, hosts, wave)
for f in sorted(glob.glob(os.path.join(H, "ansible", "awx", "*.schedule.json"))):
    wid = os.path.basename(f)[:-len(".schedule.json")]
    rule = json.load(open(f))["rrule"]
    tmpl = json.load(open(os.path.join(H, "ansible", "awx", f"{wid}.job_template.json")))
    hosts = set(inv_hosts.get(tmpl["limit"], {}))
    r = rrulestr(rule.replace(" RRULE:", "\nRRULE:"), forceset=True)
    until = plan[wid]["end"] + dt.timedelta(days=60) if wid in plan else None
    for o in r.between(dt.datetime(2000, 1, 1, tzinfo=UTC), until or dt.datetime(2100, 1, 1, tzinfo=UTC), inc=True):
        awx_runs.append((o.astimezone(UTC), hosts, wid))


# ---- compare ------------------------------------------------------------------------------
def expected_at(t, want_hosts):
    """The hosts the emitted waves running at t put there (want_hosts maps wave -> hosts)."""
    out = set()
    for wid in emitted_ids:
        w = plan.get(wid)
        if w and w["start"] <= t < w["end"]:
            out |= want_hosts[wid]
    return out


def meta_fix(pkg, have, fixed):
    """A kernel meta-package's own version form of a fix stated as the kernel's: Ubuntu's
    linux-image-generic 5.15.0.91.88 with the kernel's fix 5.15.0-105.115 needs 5.15.0.105."""
    m = re.match(r"(\d+\.\d+\.\d+)-(\d+)\.", fixed)
    if pkg.startswith("linux-") and m and re.fullmatch(r"\d+(\.\d+){3,}(~.*)?", have):
        return f"{m.group(1)}.{m.group(2)}"
    return fixed


ssm_want = {wid: {cloud[a] for a in plan[wid]["assets"] if a in cloud} for wid in emitted_ids if wid in plan}
ans_want = {}
for wid in emitted_ids:
    if wid not in plan:
        continue
    need = set()
    for a, pkg, fixed in plan[wid]["fixes"]:
        have = installed.get(a, {}).get(pkg)
        if a in linux and have is not None and ver_cmp(a, have, meta_fix(pkg, have, fixed)) < 0:
            need.add(a)
    ans_want[wid] = need

checked = 0
for tool, runs, want in (("ssm", [(s, i, n) for s, _, i, n in ssm_runs], ssm_want),
                         ("ansible", awx_runs, ans_want)):
    at = {}
    for start, hosts, name in runs:
        at.setdefault(start, [set(), []])
        at[start][0].update(hosts)
        at[start][1].append(name)
    for start, (hosts, names) in sorted(at.items()):
        checked += 1
        inside = [w for w in emitted_ids if w in plan and plan[w]["start"] <= start < plan[w]["end"]]
        if not inside:
            fail(f"{tool}: {', '.join(names)} runs at {start:%Y-%m-%dT%H:%MZ}, in no emitted "
                 f"wave's window ({len(hosts)} hosts)")
            continue
        # no host beyond the waves open at that time (waves overlap: a wave that started
        # earlier was patched by its own run; each wave's hosts are checked below)
        exp = expected_at(start, want)
        if hosts - exp:
            fail(f"{tool}: at {start:%Y-%m-%dT%H:%MZ} {', '.join(names)} patch {len(hosts)} hosts, "
                 f"the waves {', '.join(inside)} {len(exp)}: {len(hosts - exp)} extra")
    for wid, hs in want.items():
        got = set()
        for start, hosts, name in runs:
            if plan[wid]["start"] <= start < plan[wid]["end"]:
                got |= hosts & hs
        status = "ok" if got == hs else "FAIL"
        print(f"{status:4} {tool} {wid}: {len(hs)} hosts planned "
              f"{plan[wid]['start']:%Y-%m-%dT%H:%MZ}, {len(got)} patched in the wave")
        if got != hs:
            fail(f"{tool}: {wid}: {len(hs - got)} of its {len(hs)} hosts are not patched during the wave")
    for seq, wid in skipped.items():
        if wid not in plan:
            continue
        w = plan[wid]
        for start, hosts, name in runs:
            if w["start"] <= start < w["end"]:
                mine = {cloud.get(a, a) for a in w["assets"]} & hosts
                other = set().union(*(want[x] for x in emitted_ids if x in plan and
                                      plan[x]["start"] <= start < plan[x]["end"]))
                if mine - other:
                    fail(f"{tool}: {name} at {start:%Y-%m-%dT%H:%MZ} patches {len(mine - other)} "
                         f"hosts of skipped wave {wid}")

# ---- never lower, only what the host has ---------------------------------------------------
pairs = 0
for group, hosts in inv_hosts.items():
    for host, targets in hosts.items():
        for pkg, ver in targets:
            pairs += 1
            have = installed.get(host, {}).get(pkg)
            if have is None:
                fail(f"ansible: {group}: {host} does not have {pkg}")
            elif ver_cmp(host, ver, have) <= 0:
                fail(f"ansible: {group}: {host}: {pkg} {ver} is not above the installed {have}")
print(f"{checked} runs, {pairs} host/package targets checked")
for f in failures[:40]:
    print("FAIL", f)
print(f"{checked + pairs - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
