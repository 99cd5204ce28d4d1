#!/usr/bin/env python3
"""Agents end to end (docs/agent.md), run by tests/agent/run.sh as root.

The server runs as 'nobody' on a loopback port over a store that user owns;
each agent runs as root on its own throwaway root (never /) holding a real
dpkg database, with apt pointed at a local repository of pltest-app 1.0-1
and 2.0-1. Environment: PL, AGENT (binaries), T (scratch folder), SRC."""
import http.client
import json
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time

PL, AGENT, T, SRC = (os.environ[k] for k in ("PL", "AGENT", "T", "SRC"))
AS = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
RUN = os.path.join(T, "run")
STORE = os.path.join(RUN, "store.db")
failed = passed = 0


def check(name, ok, detail=""):
    global failed, passed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


def sh(argv, env=None, input=None, check_rc=True):
    p = subprocess.run(argv, capture_output=True, text=True, env=env, input=input, timeout=600)
    if check_rc and p.returncode != 0:
        raise SystemExit(f"{argv}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def pl(*args, token=None):
    env = dict(os.environ)
    env.pop("PATCHLINE_TOKEN", None)
    if token:
        env["PATCHLINE_TOKEN"] = token
    return sh(AS + [PL, "--db", STORE, *args], env=env)


def sql(q, args=()):
    db = sqlite3.connect(STORE, timeout=30)
    try:
        rows = db.execute(q, args).fetchall()
        db.commit()
        return rows
    finally:
        db.close()


def write(path, text, mode=0o600):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


# ---- the world: a repository, two roots --------------------------------------

def apt(root, *args):
    conf = os.path.join(T, "apt-" + os.path.basename(root) + ".conf")
    write(conf, f'Dir "{root}/";\n', 0o644)
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND": "noninteractive",
           "APT_CONFIG": conf}
    sh(["apt-get", "-q", "-y", f"-oDir={root}/", f"-oDir::State::status={root}/var/lib/dpkg/status",
        f"-oDPkg::Options::=--root={root}", "-oAPT::Sandbox::User=root", *args], env=env)


def make_root(name, host):
    root = os.path.join(T, name)
    # the one rule every test here keeps: never the host's /
    assert root.startswith("/tmp/pl-agent-") and os.path.realpath(root) != "/"
    sh([os.path.join(SRC, "tests/apply/mkroot.sh"), root, os.path.join(T, "r", "sources.list")])
    write(os.path.join(root, "etc/hostname"), host + "\n", 0o644)
    apt(root, "update")
    apt(root, "install", "pltest-app=1.0-1")
    return root


def installed(root):
    p = sh(["dpkg-query", f"--admindir={root}/var/lib/dpkg", "-W", "-f=${Package} ${Version};"])
    return p.stdout


# ---- the server ---------------------------------------------------------------

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, port, tls=()):
        self.log = open(os.path.join(T, f"server-{time.monotonic_ns()}.log"), "wb")
        self.p = subprocess.Popen(AS + [PL, "--db", STORE, "serve", "--listen",
                                        f"127.0.0.1:{port}", *tls], stdout=subprocess.PIPE,
                                  stderr=self.log)
        line = self.p.stdout.readline().decode()
        if not line.startswith("listening on http"):
            raise SystemExit(f"server did not start: {line!r}")
        self.url = line.split()[-1]
        self.port = port

    def request(self, method, path, token=None, body=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = {"Authorization": f"Bearer {token}"} if token else {}
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        try:
            return r.status, json.loads(data)
        except ValueError:
            return r.status, data

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        self.p.wait(40)
        self.log.close()


def agent(*args, input=None):
    return sh([AGENT, *args], input=input, check_rc=False)


def run_once(name, root, *extra):
    return agent("run", "--once", "--root", root, "--state", os.path.join(T, "st-" + name),
                 *extra)


# ---- the cases ----------------------------------------------------------------

def test_enrolment(srv, roots):
    toks = [pl("agent", "token", "create", "--expires", "1h", "--tag", "env=prod")
            .stdout.splitlines()[-1] for _ in range(3)]
    check("agent token create prints a one-time token last", all(
        t.startswith("ple_") and len(t) == 68 for t in toks), toks)
    check("the store keeps only its hash", sql(
        "SELECT count(*) FROM agent_enrolments WHERE hash = ? OR lookup = ?",
        (toks[0], toks[0]))[0][0] == 0 and len(sql("SELECT hash FROM agent_enrolments")) == 3)
    # two enrolments race with one token: exactly one wins
    got = []

    def enrol(host):
        got.append(srv.request("POST", "/api/v1/agents/enroll", toks[2],
                               json.dumps({"host": host}))[0])
    threads = [threading.Thread(target=enrol, args=(f"race-{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check("two racing enrolments with one token: exactly one wins", sorted(got) == [200, 401], got)
    tok_a = os.path.join(T, "token-a")
    # the whole output of `agent token create` may be saved: the token is its last line
    write(tok_a, "enrolment token 1, single use; shown once:\n" + toks[0] + "\n")
    p = agent("enroll", "--server", srv.url, "--token-file", tok_a, "--state",
              os.path.join(T, "st-a"), "--root", roots["a"])
    check("enroll A with a token file", p.returncode == 0 and "enrolled agent-a" in p.stdout,
          p.stdout + p.stderr)
    cred = os.path.join(T, "st-a", "credential")
    st = os.stat(cred)
    check("the credential is stored 0600, root-only", stat.S_IMODE(st.st_mode) == 0o600 and
          st.st_uid == 0, oct(st.st_mode))
    check("the token never reaches the log or the store", toks[0] not in open(
        srv.log.name, errors="replace").read())
    p = agent("enroll", "--server", srv.url, "--token-file", "-", "--state",
              os.path.join(T, "st-b"), "--root", roots["b"], input=toks[1] + "\n")
    check("enroll B with the token on stdin", p.returncode == 0, p.stdout + p.stderr)
    p = agent("enroll", "--server", srv.url, "--token-file", tok_a, "--state",
              os.path.join(T, "st-a2"), "--host", "agent-c")
    check("a used token is refused", p.returncode == 1 and "401" in p.stderr, p.stderr)
    p = agent("enroll", "--server", srv.url, "--token", toks[0])
    check("a token on the command line is refused", p.returncode == 2, p.stderr)


def cred_of(name):
    for line in open(os.path.join(T, "st-" + name, "credential")):
        if line.startswith("credential="):
            return line.split("=", 1)[1].strip()


def test_uploads(srv, roots):
    for n in ("a", "b"):
        p = run_once(n, roots[n])
        check(f"agent {n.upper()}: first upload is the whole list", p.returncode == 0 and
              "whole list" in p.stderr, p.stderr)
    p = run_once("a", roots["a"])
    check("agent A: the next upload is a delta", p.returncode == 0 and "(delta)" in p.stderr,
          p.stderr)
    rows = sql("SELECT a.host, s.name, s.id FROM agents a JOIN assets s ON s.id = a.asset_id "
               "WHERE a.host LIKE 'agent-%' ORDER BY a.host")
    check("each agent is its own asset", [r[:2] for r in rows] ==
          [("agent-a", "agent-a"), ("agent-b", "agent-b")], rows)
    pk = sql("SELECT p.version FROM packages p JOIN assets s ON s.id = p.asset_id WHERE "
             "s.name = 'agent-a' AND p.name = 'pltest-app'")
    check("the uploaded packages are the asset's", pk == [("1.0-1",)], pk)
    src = sql("SELECT DISTINCT source FROM asset_sources WHERE asset_id = ?", (rows[0][2],))
    check("the asset's source is 'agent'", ("agent",) in src, src)
    ca = cred_of("a")
    st, body = srv.request("GET", "/api/v1/agents/agent-b/jobs", ca)
    check("a credential of host A for host B: 403", st == 403, f"{st} {body}")
    st, body = srv.request("GET", "/api/v1/findings", ca)
    check("a host credential on a user route: 401", st == 401, f"{st} {body}")
    return {r[0]: r[2] for r in rows}


def test_rollout(srv, roots, assets, tokens):
    now = int(time.time())
    for host, aid in assets.items():
        pl("assets", "set", host, "owner=web", "env=prod")
        sql("INSERT INTO findings (asset_id, vuln_id, package, installed_version, fixed_version, "
            "first_seen, tier, due_at) VALUES (?, 'CVE-2026-0001', 'pltest-app', '1.0-1', "
            "'2.0-1', ?, 0, ?)", (aid, now - 3600, now + 3 * 86400))
    plan_file = os.path.join(T, "plan.yaml")
    write(plan_file, open(os.path.join(SRC, "tests/agent/plan.yaml")).read(), 0o644)
    out = pl("plan", "--plan", plan_file, token=tokens["dave"]).stdout
    plan_id = int(out.split()[1].rstrip(":"))
    p = run_once("a", roots["a"])
    check("before the approval: no job", p.returncode == 0 and "claimed" not in p.stderr and
          sql("SELECT count(*) FROM agent_jobs")[0][0] == 0, p.stderr)
    st, body = srv.request("POST", f"/api/v1/plans/{plan_id}/approve", tokens["dave"])
    check("the requester cannot approve the plan", st == 403, f"{st} {body}")
    st, body = srv.request("POST", f"/api/v1/plans/{plan_id}/approve", tokens["carol"])
    check("another principal approves it", st == 200, f"{st} {body}")
    p = run_once("a", roots["a"])
    check("agent A upgrades for real", p.returncode == 0 and installed(roots["a"]) ==
          "pltest-app 2.0-1;pltest-lib 1.0-1;", installed(roots["a"]) + p.stderr)
    fa = sql("SELECT f.status, jf.outcome, jf.version_seen, j.executor, j.status, aj.state FROM "
             "findings f JOIN job_findings jf ON jf.finding_id = f.id JOIN jobs j ON j.id = "
             "jf.job_id JOIN agent_jobs aj ON aj.job_id = j.id WHERE f.asset_id = ?",
             (assets["agent-a"],))
    check("the finding closes with the agent's job as proof", fa == [
        ("fixed", "fixed", "2.0-1", "agent", "succeeded", "succeeded")], fa)
    conf = os.path.join(T, "health-fails.conf")
    write(conf, 'health = ["/bin/false"]\n', 0o644)
    p = run_once("b", roots["b"], "--config", conf)
    fb = sql("SELECT f.status, aj.state FROM findings f, agent_jobs aj WHERE f.asset_id = ? AND "
             "aj.asset_id = f.asset_id", (assets["agent-b"],))
    check("a failing health check on B rolls back", p.returncode == 0 and installed(roots["b"]) ==
          "pltest-app 1.0-1;pltest-lib 1.0-1;" and fb == [("open", "rolled-back")],
          f"{installed(roots['b'])} {fb} {p.stderr}")
    # a second wave waits while the first one's failures pass its threshold
    w1, lane, ends = sql("SELECT id, lane, ends_at FROM waves WHERE plan_id = ? AND seq = 1",
                         (plan_id,))[0]
    w2 = sql("INSERT INTO waves (plan_id, seq, lane, environment, ring, window_name, starts_at, "
             "ends_at, tier, needs_approval, sign_off, watch_secs, halt_failure_rate) SELECT "
             "plan_id, 2, lane, environment, ring, window_name, starts_at, ends_at, tier, 0, "
             "sign_off, watch_secs, halt_failure_rate FROM waves WHERE id = ? RETURNING id",
             (w1,))[0][0]
    sql("INSERT INTO wave_items (wave_id, finding_id, asset_id, package, fixed_version) SELECT "
        "?, finding_id, asset_id, package, fixed_version FROM wave_items WHERE wave_id = ? AND "
        "asset_id = ?", (w2, w1, assets["agent-b"]))
    sql("UPDATE waves SET halt_failure_rate = 0.4 WHERE id = ?", (w1,))
    st, body = srv.request("GET", "/api/v1/agents/agent-b/jobs", cred_of("b"))
    check("wave 1 failed beyond its threshold (1 of 2 > 40 %): wave 2 is halted", st == 200 and
          body["jobs"] == [], f"{st} {body}")
    sql("UPDATE waves SET halt_failure_rate = 0.6 WHERE id = ?", (w1,))
    st, body = srv.request("GET", "/api/v1/agents/agent-b/jobs", cred_of("b"))
    check("within its threshold (1 of 2 <= 60 %): wave 2 goes out", st == 200 and
          [(j["wave"], j["packages"]) for j in body["jobs"]] ==
          [(2, [{"name": "pltest-app", "version": "2.0-1"}])], f"{st} {body}")
    sql("UPDATE agent_jobs SET state = 'expired' WHERE wave = 2")
    p = run_once("a", roots["a"])
    check("a finished job is never run again", p.returncode == 0 and "claimed" not in p.stderr and
          sql("SELECT count(*) FROM jobs WHERE executor = 'agent'")[0][0] == 2, p.stderr)
    return plan_id


def add_job(plan_id, host, wave, packages, state="queued"):
    now = int(time.time())
    return sql("INSERT INTO agent_jobs (agent_id, asset_id, plan_id, wave, lane, packages, "
               "findings, window_start, window_end, reboot, state, lease_until, created_at) "
               "SELECT id, asset_id, ?, ?, 'standard', ?, '', ?, ?, 0, ?, ?, ? FROM agents "
               "WHERE host = ? RETURNING id",
               (plan_id, wave, packages, now - 60, now + 3600, state, now + 3600, now, host))[0][0]


def test_refusals(srv, roots, plan_id):
    jid = add_job(plan_id, "agent-b", 90, "pltest-app=0.9-1\n")
    p = run_once("b", roots["b"])
    st = sql("SELECT state, detail FROM agent_jobs WHERE id = ?", (jid,))
    check("a job that would lower a version is refused", p.returncode == 0 and
          st[0][0] == "refused" and "would lower" in st[0][1] and
          installed(roots["b"]) == "pltest-app 1.0-1;pltest-lib 1.0-1;", f"{st} {p.stderr}")
    # an agent that stopped mid-job: the job is reported interrupted, never rerun
    jid = add_job(plan_id, "agent-b", 91, "pltest-app=2.0-1\n", state="claimed")
    write(os.path.join(T, "st-b", "running"), f"{jid}\n")
    srv.p.kill()  # SIGKILL: the server dies mid-wave
    srv.p.wait(10)
    srv.log.close()
    p = run_once("b", roots["b"])
    queued = os.listdir(os.path.join(T, "st-b", "queue"))
    check("server down: the agent fails and keeps the result on disk", p.returncode == 1 and
          queued == [f"{jid}.json"], f"{queued} {p.stderr}")
    srv = Server(srv.port)
    p = run_once("b", roots["b"])
    st = sql("SELECT state FROM agent_jobs WHERE id = ?", (jid,))
    check("server back: the interrupted job is reported once, not run", p.returncode == 0 and
          st == [("interrupted",)] and os.listdir(os.path.join(T, "st-b", "queue")) == [] and
          installed(roots["b"]) == "pltest-app 1.0-1;pltest-lib 1.0-1;", f"{st} {p.stderr}")
    pl("agent", "revoke", "agent-a")
    p = run_once("a", roots["a"])
    check("a revoked agent is refused", p.returncode == 1 and "401" in p.stderr, p.stderr)
    cred = os.path.join(T, "st-b", "credential")
    os.chmod(cred, 0o644)
    p = run_once("b", roots["b"])
    check("a credential others may read is refused at start", p.returncode == 1 and
          "refusing" in p.stderr, p.stderr)
    os.chmod(cred, 0o600)
    lst = pl("agent", "list").stdout
    check("agent list shows live and revoked hosts", "agent-a" in lst and "revoked" in lst and
          "agent-b" in lst, lst)
    return srv


def make_ca():
    """A CA and two server certificates for 127.0.0.1 it signed, each with its own key."""
    d = os.path.join(RUN, "tls")
    os.mkdir(d)
    ossl = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-days", "2"]
    sh(ossl + ["-keyout", f"{d}/ca.key", "-out", f"{d}/ca.pem", "-subj", "/CN=pl-test-ca"])
    for n in ("1", "2"):
        sh(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", f"{d}/s{n}.key", "-out", f"{d}/s{n}.csr", "-subj", "/CN=127.0.0.1"])
        ext = f"{d}/ext"
        write(ext, "subjectAltName=IP:127.0.0.1\n", 0o644)
        sh(["openssl", "x509", "-req", "-in", f"{d}/s{n}.csr", "-CA", f"{d}/ca.pem", "-CAkey",
            f"{d}/ca.key", "-CAcreateserial", "-days", "2", "-extfile", ext, "-out",
            f"{d}/s{n}.pem"])
    for f in os.listdir(d):
        os.chown(os.path.join(d, f), 65534, 65534)
    os.chown(d, 65534, 65534)
    return d


def test_tls(roots):
    d = make_ca()
    port = free_port()
    srv = Server(port, ("--tls-cert", f"{d}/s1.pem", "--tls-key", f"{d}/s1.key"))
    try:
        tok = pl("agent", "token", "create").stdout.splitlines()[-1]
        p = agent("enroll", "--server", srv.url, "--token-file", "-", "--ca-file",
                  f"{d}/ca.pem", "--state", os.path.join(T, "st-c"), "--root", roots["a"],
                  input=tok)
        check("enroll over TLS pins the server's key; a revoked host enrols again",
              p.returncode == 0 and "pinned" in p.stdout and "pin=sha256//" in open(
                  os.path.join(T, "st-c", "credential")).read(), p.stdout + p.stderr)
        p = run_once("c", roots["a"])
        check("the pinned server is reached", p.returncode == 0, p.stderr)
    finally:
        srv.stop()
    # the same CA, another key: the pin refuses it
    srv = Server(port, ("--tls-cert", f"{d}/s2.pem", "--tls-key", f"{d}/s2.key"))
    try:
        p = run_once("c", roots["a"])
        check("a server with another key (same CA) is refused by the pin", p.returncode == 1 and
              "public key" in p.stderr.lower(), p.stderr)
    finally:
        srv.stop()


def main():
    os.mkdir(RUN)
    os.chown(RUN, 65534, 65534)
    pl("init")
    for user, roles in (("alice", ["admin"]), ("carol", ["approver"]), ("dave", ["operator"])):
        pl("user", "add", user, *sum((["--role", r] for r in roles), []))
    tokens = {u: pl("token", "create", u).stdout.splitlines()[-1] for u in ("carol", "dave")}
    sh([os.path.join(SRC, "tests/apply/mkrepo.sh"), os.path.join(T, "r")])
    roots = {"a": make_root("root-a", "agent-a"), "b": make_root("root-b", "agent-b")}
    srv = Server(free_port())
    try:
        test_enrolment(srv, roots)
        assets = test_uploads(srv, roots)
        plan_id = test_rollout(srv, roots, assets, tokens)
        srv = test_refusals(srv, roots, plan_id)
    finally:
        srv.stop()
    test_tls(roots)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
