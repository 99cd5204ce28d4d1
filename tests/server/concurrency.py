#!/usr/bin/env python3
"""Many clients at once against one `patchline serve` with a pool of request
threads: 24 readers (findings pages by cursor, filters, assets, ping) and 8
agents (enrolment, a full upload, then check-ins with and without changes and
job polls) on 32 keep-alive connections. Every answer must be complete and
correct: each read equal to the answer it gets alone, each upload's digest
the one the client computed, and in the end every agent's packages in the
store exactly its last list. No error in the server's log; SIGTERM drains.

Usage: concurrency.py [PREFIX...] with $PL (the binary), $T (a scratch
folder whose run/ holds the tokens: run/tokens, run/enrol) and $STORE (the
store: a file or a PostgreSQL URL); PREFIX runs a command as the server's
non-root user."""
import hashlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading

PL, T, STORE = os.environ["PL"], os.environ["T"], os.environ["STORE"]
AS = sys.argv[1:]
READERS, AGENTS, ROUNDS, READS = 24, 8, 8, 25
failed = []


def check(name, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} {name}{'' if ok else ': ' + str(detail)[:2000]}")
    if not ok:
        failed.append(name)


class Conn:
    def __init__(self, host, port):
        self.c = http.client.HTTPConnection(host, port, timeout=60)

    def req(self, method, path, token, body=None):
        h = {"Authorization": "Bearer " + token}
        if body is not None:
            h["Content-Type"] = "application/json"
        self.c.request(method, path, body=body, headers=h)
        r = self.c.getresponse()
        return r.status, r.read()


def digest(pkgs):
    """pl_fleet_digest: the sum modulo 2^256 of the SHA-256 of each "name\\tarch\\tversion\\n"."""
    total = 0
    for (name, arch), ver in pkgs.items():
        total += int.from_bytes(hashlib.sha256(f"{name}\t{arch}\t{ver}\n".encode()).digest(), "big")
    return (total % (1 << 256)).to_bytes(32, "big").hex()


def facts(host):
    return {"name": host, "hostname": host, "machine_id": hashlib.md5(host.encode()).hexdigest(),
            "os_family": "debian", "os_name": "Debian GNU/Linux", "os_version": "12",
            "os_codename": "bookworm", "arch": "amd64", "kernel": "6.1.0-18-amd64",
            "ecosystem": "dpkg", "reboot_required": 0}


def agent(host, enrol_token, c, results):
    try:
        agent_run(host, enrol_token, c, results)
    except Exception as e:  # noqa: BLE001 (a dropped connection is a failure)
        results.append(f"{host}: {e}")


def agent_run(host, enrol_token, c, results):
    st, body = c.req("POST", "/api/v1/agents/enroll", enrol_token, json.dumps({"host": host}))
    if st != 200:
        results.append(f"{host}: enrol {st} {body[:200]!r}")
        return
    cred = json.loads(body)["credential"]
    pkgs = {(f"pkg{i:03d}", "amd64"): f"1.{i}-1" for i in range(60)}
    base = None
    for rnd in range(ROUNDS + 1):
        before = dict(pkgs)
        if rnd and rnd % 2:  # every other check-in changes two packages and drops one
            pkgs[(f"pkg{rnd:03d}", "amd64")] = f"2.{rnd}-1"
            pkgs[(f"new{rnd:03d}", "all")] = "0.1"
            pkgs.pop((f"pkg{30 + rnd:03d}", "amd64"), None)
        d = digest(pkgs)
        up = {"facts": facts(host), "base": base, "digest": d,
              "set": [[n, a, v] for (n, a), v in pkgs.items()
                      if base is None or before.get((n, a)) != v],
              "removed": [] if base is None else [[n, a] for (n, a) in before
                                                   if (n, a) not in pkgs]}
        st, body = c.req("POST", f"/api/v1/agents/{host}/inventory", cred, json.dumps(up))
        if st != 200 or json.loads(body).get("digest") != d:
            results.append(f"{host} round {rnd}: inventory {st} {body[:300]!r}")
            return
        base = d
        st, body = c.req("GET", f"/api/v1/agents/{host}/jobs", cred)
        if st != 200:
            results.append(f"{host} round {rnd}: jobs {st} {body[:300]!r}")
            return
    results.append((host, pkgs))


def main():
    tokens = open(os.path.join(T, "run", "tokens")).read().split()  # a viewer's, an operator's
    enrol = open(os.path.join(T, "run", "enrol")).read().split()
    assert len(tokens) == 2 and len(enrol) == AGENTS
    log_path = os.path.join(T, "run", "concurrency.log")
    log = open(log_path, "wb")
    # a thread serves its connections in turn: on a loaded machine (ASan, PostgreSQL) one
    # may wait past the default 10 s idle limit while another request of its thread runs
    p = subprocess.Popen(AS + [PL, "--db", STORE, "serve", "--listen", "127.0.0.1:0",
                               "--threads", "4", "--timeout", "120"], stdout=subprocess.PIPE,
                         stderr=log)
    line = p.stdout.readline().decode()
    if not line.startswith("listening on http"):
        p.wait(10)
        raise SystemExit(f"server did not start: {line!r} {open(log_path).read()}")
    host, port = line.split()[-1].split("//")[1].rsplit(":", 1)
    port = int(port)

    # the answers each read gets alone
    c = Conn(host, port)
    # (not the assets: the agents add theirs meanwhile)
    paths = ["/api/v1/ping", "/api/v1/exceptions", "/api/v1/findings?tier=2",
             "/api/v1/findings?status=open&limit=100"]
    nxt = "/api/v1/findings?limit=2"
    while nxt and len(paths) < 12:  # a page chain by cursor
        paths.append(nxt)
        st, body = c.req("GET", nxt, tokens[0])
        cur = json.loads(body).get("next")
        nxt = f"/api/v1/findings?limit=2&cursor={cur}" if cur else None
    alone = {}
    for path in paths:
        for t in tokens:
            st, body = c.req("GET", path, t)
            check(f"alone: GET {path} answers 200", st == 200, f"{st} {body[:200]!r}")
            alone[(path, t)] = body
    check("the findings pages chain over several pages", len(paths) >= 7, paths)

    reads = []

    def reader(i):
        cc = Conn(host, port)
        for k in range(READS):
            path, t = paths[(i + k) % len(paths)], tokens[(i + k) % 2]
            try:
                st, body = cc.req("GET", path, t)
            except Exception as e:  # noqa: BLE001 (a dropped connection is a failure)
                reads.append(f"GET {path}: {e}")
                return
            if st != 200 or body != alone[(path, t)]:
                reads.append(f"GET {path}: {st} {body[:300]!r}")
        reads.append(None)

    agents = []
    threads = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    threads += [threading.Thread(target=agent, args=(f"host-{i}", enrol[i], Conn(host, port),
                                                     agents)) for i in range(AGENTS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    bad = [r for r in reads if r is not None]
    check(f"{READERS} readers x {READS} requests at once: every answer 200 and equal to the "
          "answer alone", not bad and len(reads) == READERS, bad[:5])
    bad = [r for r in agents if isinstance(r, str)]
    check(f"{AGENTS} agents x {ROUNDS + 1} uploads and job polls at once: every answer 200 with "
          "the digest of the list sent", not bad and len(agents) == AGENTS, bad[:5])

    p.send_signal(signal.SIGTERM)
    rc = p.wait(60)
    log.close()
    text = open(log_path, encoding="utf-8").read()
    lines = [json.loads(x) for x in text.splitlines() if x.startswith("{")]
    requests = [x for x in lines if x.get("msg") == "request"]
    expect = (len(paths) - 4) + 2 * len(paths) + READERS * READS + AGENTS * (1 + 2 * (ROUNDS + 1))
    check("SIGTERM drains: exit 0", rc == 0, f"exit {rc}")
    check(f"the log holds every request ({expect}), each 200 and none cut off",
          len(requests) == expect and all(x.get("status") == 200 and "cut" not in x
                                          for x in requests),
          [x for x in requests if x.get("status") != 200][:5] or len(requests))
    check("no warning or error in the log", not [x for x in lines if x.get("level") != "info"],
          [x for x in lines if x.get("level") != "info"][:5])

    # the store: each agent's effective packages are its last list
    for entry in agents:
        if isinstance(entry, str):
            continue
        name, pkgs = entry
        got = subprocess.run(AS + [PL, "--db", STORE, "packages", name, "--format", "json"],
                             capture_output=True, text=True)
        if got.returncode != 0:
            check(f"{name}: packages readable", False, got.stderr)
            continue
        have = {(r["name"], r.get("arch") or ""): r["version"] for r in json.loads(got.stdout)}
        check(f"{name}: the store holds exactly its last list ({len(pkgs)} packages)",
              have == pkgs, set(have.items()) ^ set(pkgs.items()))
    # the audit chain, and its checkpoint rewritten in place after each audited upload (the
    # agents' writes go through one handle of the server's, one at a time): at the chain's head
    got = subprocess.run(AS + [PL, "--db", STORE, "audit", "verify"], capture_output=True,
                         text=True)
    m = re.search(r"intact: (\d+) events, .*checkpoint at (\d+)", got.stdout)
    check("audit verify: the chain intact, its checkpoint at its head",
          got.returncode == 0 and m is not None and m.group(1) == m.group(2),
          got.stdout + got.stderr)
    print(f"{len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
