#!/usr/bin/env python3
"""Every version Ansible's targeted mode installs exists in the host's repositories (issue 23).

Usage: ansible_apt_check.py PATCHLINE SOURCE_DIR

A store with two dev hosts (tests/fixtures/handoff/apt-check.sql: a Debian 12 host and an
Ubuntu 22.04 host with its kernel meta-package) is planned and handed off to Ansible in
targeted mode. Per host of the generated inventories, a throwaway apt root (its dpkg status:
the host's installed versions from the store) with a local repository holding a superseded
fix, a binNMU, a version newer than the fix and the meta-packages' own versions, then:
  - Ansible's own apt module, with the task's arguments and the host's pins, in check mode
    against that root (APT_CONFIG): it resolves each pin to a version and runs apt-get
    --simulate; it must succeed;
  - every (package, version) it resolved is in the repository, at or past the finding's fix,
    above the installed version, and `apt-get -s install --only-upgrade PKG=VER` on the root
    resolves it;
  - the kernel meta-packages get their own versions (linux-image-generic 5.15.0.105.102 or
    later, never the kernel's 5.15.0-105.115);
  - and the check can fail: the fixed versions copied as exact pins (PKG=FIX) do not resolve.
The roots are under a fresh temporary folder, never /. Exits 77 when apt-get or
ansible is missing, 1 on any failure."""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

PL, SRC = sys.argv[1], sys.argv[2]
for tool in ("apt-get", "ansible"):
    if shutil.which(tool) is None:
        print(f"skipping ansible_apt_check: {tool} is not installed (scripts/install-deps)")
        sys.exit(77)

REPO = {  # package -> versions the repository holds
    "plavail-a": ["1.0-1", "1.0-2", "1.0-3"],
    "plavail-b": ["2.0-1", "2.0-2+b1"],
    "plavail-c": ["3.0-1", "3.0-5"],
    "linux-image-amd64": ["6.1.76-1", "6.1.94-1"],
    "linux-image-generic": ["5.15.0.91.88", "5.15.0.105.102", "5.15.0.107.107"],
}
WANT = {  # host -> package -> the version apt's candidate gives
    "deb-1": {"plavail-a": "1.0-3", "plavail-b": "2.0-2+b1", "plavail-c": "3.0-5",
              "linux-image-amd64": "6.1.94-1"},
    "ubu-1": {"plavail-a": "1.0-3", "linux-image-generic": "5.15.0.107.107"},
}
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL", msg)


def run(argv, env=None, check=True):
    r = subprocess.run(argv, capture_output=True, text=True, env=env)
    if check and r.returncode != 0:
        print(r.stdout, r.stderr)
        raise SystemExit(f"{argv[0]} failed ({r.returncode})")
    return r


def stanza(fields):
    return "".join(f"{k}: {v}\n" for k, v in fields) + "\n"


tmp = tempfile.mkdtemp(prefix="pl-apt-check-")
try:
    db = os.path.join(tmp, "store.db")
    now = ["--db", db, "--now", "2026-03-02T12:00:00Z"]
    run([PL, *now, "init"])
    con = sqlite3.connect(db)
    con.executescript(open(os.path.join(SRC, "tests/fixtures/handoff/apt-check.sql")).read())
    con.commit()
    installed = {}
    for host, pkg, ver in con.execute(
            "SELECT a.name, p.name, p.version FROM packages p JOIN assets a ON a.id = p.asset_id"):
        installed.setdefault(host, {})[pkg] = ver
    fixes = {(h, p): f for h, p, f in con.execute(
        "SELECT a.name, f.package, f.fixed_version FROM findings f "
        "JOIN assets a ON a.id = f.asset_id")}
    con.close()
    print(run([PL, *now, "plan"]).stdout.strip())
    out = os.path.join(tmp, "handoff")
    run([PL, *now, "handoff", "ansible", "--rollout", "1", "-o", out])

    # the hosts' pins, from the generated inventories
    pins = {}  # host -> [(name, version, pin)]
    for f in sorted(os.listdir(os.path.join(out, "ansible", "inventory"))):
        host = None
        for line in open(os.path.join(out, "ansible", "inventory", f)):
            m = re.match(r'        "([^"]+)":$', line)
            if m:
                host = m.group(1)
            m = re.match(r'            - \{name: "([^"]+)", version: "([^"]+)", pin: "([^"]+)"',
                         line)
            if m and host:
                pins.setdefault(host, []).append(m.groups())
    if set(pins) != set(WANT):
        fail(f"the inventories pin hosts {sorted(pins)}, not {sorted(WANT)}")

    # the repository: Packages only (apt-get -s and check mode never fetch a .deb)
    repo = os.path.join(tmp, "repo")
    os.mkdir(repo)
    with open(os.path.join(repo, "Packages"), "w") as fp:
        for pkg, versions in REPO.items():
            for v in versions:
                fp.write(stanza([("Package", pkg), ("Version", v), ("Architecture", "all"),
                                 ("Maintainer", "Patchline tests <tests@patchline.invalid>"),
                                 ("Filename", f"./{pkg}_{v}_all.deb"), ("Size", "100"),
                                 ("SHA256", "0" * 64), ("Description", "test package")]))

    for host in sorted(pins):
        root = os.path.join(tmp, "root-" + host)
        assert os.path.realpath(root) != "/" and os.path.realpath(root).startswith(tmp)
        for d in ("var/lib/dpkg", "etc/apt/apt.conf.d", "etc/apt/preferences.d",
                  "etc/apt/sources.list.d", "var/lib/apt/lists/partial",
                  "var/cache/apt/archives/partial"):
            os.makedirs(os.path.join(root, d))
        open(os.path.join(root, "var/lib/dpkg/available"), "w").close()
        with open(os.path.join(root, "var/lib/dpkg/status"), "w") as fp:
            for pkg, v in sorted(installed.get(host, {}).items()):
                fp.write(stanza([("Package", pkg), ("Status", "install ok installed"),
                                 ("Priority", "optional"), ("Section", "misc"),
                                 ("Maintainer", "Patchline tests <tests@patchline.invalid>"),
                                 ("Architecture", "all"), ("Version", v),
                                 ("Description", "test package")]))
        with open(os.path.join(root, "etc/apt/sources.list"), "w") as fp:
            fp.write(f"deb [trusted=yes] file:{repo} ./\n")
        conf = os.path.join(tmp, f"apt-{host}.conf")
        with open(conf, "w") as fp:
            fp.write(f'Dir "{root}/";\nDir::State::status "{root}/var/lib/dpkg/status";\n'
                     'APT::Sandbox::User "root";\nDebug::NoLocking "true";\n')
        env = dict(os.environ, APT_CONFIG=conf, ANSIBLE_LOCALHOST_WARNING="false",
                   ANSIBLE_INVENTORY_UNPARSED_WARNING="false", ANSIBLE_NOCOLOR="1",
                   ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json",
                   HOME=tmp, ANSIBLE_LOCAL_TEMP=os.path.join(tmp, "ansible-tmp"))
        run(["apt-get", "-q", "update"], env=env)

        # Ansible's apt module, the targeted task's arguments, in check mode on the root
        args = {"name": [p for _, _, p in pins[host]], "state": "present",
                "only_upgrade": True, "allow_downgrade": False}
        r = run(["ansible", "localhost", "-c", "local", "-m", "ansible.builtin.apt",
                 "-a", json.dumps(args), "--check"], env=env, check=False)
        res = json.loads(r.stdout)["plays"][0]["tasks"][0]["hosts"]["localhost"]
        if r.returncode != 0 or res.get("failed"):
            fail(f"{host}: Ansible's apt module refuses {args['name']}: {res.get('msg')}")
            continue
        got = dict(re.findall(r"^Inst (\S+) \[[^]]*\] \((\S+) ", res.get("stdout", ""), re.M))
        print(f"{host}: pins {args['name']} -> installs {got}")
        if got != WANT[host]:
            fail(f"{host}: Ansible would install {got}, not {WANT[host]}")
        for pkg, ver in got.items():
            fix = fixes.get((host, pkg))
            if ver not in REPO.get(pkg, []):
                fail(f"{host}: {pkg} {ver} is not in the repository")
            if run(["dpkg", "--compare-versions", ver, "gt", installed[host][pkg]],
                   check=False).returncode != 0:
                fail(f"{host}: {pkg} {ver} is not above the installed {installed[host][pkg]}")
            if not pkg.startswith("linux-image-generic") and run(
                    ["dpkg", "--compare-versions", ver, "ge", fix], check=False).returncode != 0:
                fail(f"{host}: {pkg} {ver} does not reach the fix {fix}")
        sim = run(["apt-get", "-s", "install", "--only-upgrade",
                   *[f"{p}={v}" for p, v in sorted(got.items())]], env=env, check=False)
        if sim.returncode != 0:
            fail(f"{host}: apt-get -s install --only-upgrade refuses: {sim.stderr.strip()}")
        # the check can fail: the advisories' fixed versions as exact pins do not resolve
        exact = [f"{p}={f}" for (h, p), f in sorted(fixes.items())
                 if h == host and f not in REPO.get(p, [])]
        for spec in exact:
            if run(["apt-get", "-s", "install", "--only-upgrade", spec], env=env,
                   check=False).returncode == 0:
                fail(f"{host}: {spec} resolves, but the repository does not hold it")
        print(f"{host}: {len(exact)} of its findings' fixed versions are not in the "
              f"repository as such: {exact}")
    # the meta-package is targeted at its own version form, never the kernel's
    ubu = {n: v for n, v, _ in pins.get("ubu-1", [])}
    if ubu.get("linux-image-generic") != "5.15.0.105":
        fail(f"ubu-1: linux-image-generic targeted at {ubu.get('linux-image-generic')}, "
             "not its own version form 5.15.0.105 (ABI 105 or later)")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
