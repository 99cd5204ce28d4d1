#!/usr/bin/env python3
"""The server from outside: refusals at start, every route behind its token,
caps on bodies, headers and slow clients, no secret in the log, the drain on
SIGTERM, and the route table equal to docs/openapi.json.

Usage: security.py OPENAPI_JSON [PREFIX...] with $PL (the binary) and $T (a
scratch folder whose run/ holds the store); PREFIX runs a command as the
server's non-root user (setpriv ... --)."""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

PL, T = os.environ["PL"], os.environ["T"]
OPENAPI = sys.argv[1]
AS = sys.argv[2:]
STORE = os.path.join(T, "run", "store.db")
failed = 0
passed = 0


def check(name, ok, detail=""):
    global failed, passed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


class Server:
    def __init__(self, *extra, listen="127.0.0.1:0"):
        self.log_path = os.path.join(T, f"server-{time.monotonic_ns()}.log")
        self.log = open(self.log_path, "wb")
        self.p = subprocess.Popen(
            AS + [PL, "--db", STORE, "serve", "--listen", listen, "--timeout", "2",
                  "--max-body", "4096", *extra],
            stdout=subprocess.PIPE, stderr=self.log)
        line = self.p.stdout.readline().decode()
        if not line.startswith("listening on http"):
            self.p.wait(10)
            raise SystemExit(f"server did not start: {line!r} {open(self.log_path).read()}")
        self.url = line.split()[-1]
        hostport = self.url.split("//")[1]
        self.host, self.port = hostport.rsplit(":", 1)
        self.port = int(self.port)

    def request(self, method, path, headers=None, body=None):
        c = http.client.HTTPConnection(self.host, self.port, timeout=10)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r, data

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        rc = self.p.wait(40)
        self.log.close()
        return rc, open(self.log_path, encoding="utf-8").read()


def routes():
    out = subprocess.run([PL, "serve", "--routes"], capture_output=True, text=True, check=True)
    return [tuple(l.split(" ", 1)) for l in out.stdout.splitlines()]


def test_refusals():
    if os.geteuid() == 0:
        p = subprocess.run([PL, "--db", STORE, "serve", "--listen", "127.0.0.1:0"],
                           capture_output=True, text=True, timeout=30)
        check("serve refuses to run as root", p.returncode == 1 and
              "refusing to run as root" in p.stderr, p.stderr)
    p = subprocess.run(AS + [PL, "--db", STORE, "serve", "--listen", "0.0.0.0:0"],
                       capture_output=True, text=True, timeout=30)
    check("serve refuses plain HTTP off loopback", p.returncode == 1 and
          "refusing plain HTTP on '0.0.0.0'" in p.stderr, p.stderr)
    s = Server("--insecure-http", listen="0.0.0.0:0")
    rc, _ = s.stop()
    check("--insecure-http lets it listen off loopback", rc == 0, f"exit {rc}")


def test_tls():
    """HTTPS with a throwaway self-signed certificate (openssl), on loopback and off it."""
    import shutil
    import ssl
    if shutil.which("openssl") is None:
        print("skip TLS: openssl is absent")
        return
    cert, key = os.path.join(T, "run", "cert.pem"), os.path.join(T, "run", "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    os.chmod(key, 0o644)  # the server's user reads it (a throwaway key)
    s = Server("--tls-cert", cert, "--tls-key", key, listen="0.0.0.0:0")
    check("TLS off loopback needs no --insecure-http; the URL is https", s.url.startswith("https://"),
          s.url)
    ctx = ssl.create_default_context(cafile=cert)
    ctx.check_hostname = False
    c = http.client.HTTPSConnection("127.0.0.1", s.port, context=ctx, timeout=10)
    c.request("GET", "/api/v1/ping")
    r = c.getresponse()
    check("a request over TLS: 401 without a token", r.status == 401, f"{r.status}")
    c.close()
    rc, _ = s.stop()
    check("the TLS server drains and exits 0", rc == 0, f"exit {rc}")


def test_openapi():
    doc = json.load(open(OPENAPI))
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    table = set(routes())
    check("every route is in docs/openapi.json", table <= documented, table - documented)
    check("every route in docs/openapi.json exists", documented <= table, documented - table)


def test_walk(s):
    security = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
    for method, pattern in routes():
        path = pattern.replace("{id}", "1")
        for headers in ({}, {"Authorization": "Bearer plt_" + "0" * 64},
                        {"Authorization": "Basic YWxpY2U6c2VjcmV0"},
                        {"Cookie": "pl_session=" + "a" * 64}):
            r, data = s.request(method, path, headers)
            body = json.loads(data)
            ok = r.status == 401 and body["error"]["code"] == "E_AUTH" and \
                body["error"]["status"] == "Unauthorized"
            ok = ok and all(r.getheader(k) == v for k, v in security.items())
            ok = ok and "frame-ancestors 'none'" in (r.getheader("Content-Security-Policy") or "")
            check(f"{method} {path} with {list(headers) or 'no credentials'}: 401", ok,
                  f"{r.status} {data[:200]!r}")
    r, data = s.request("GET", "/api/v1/nowhere")
    check("an unknown path: 404 as JSON", r.status == 404 and
          json.loads(data)["error"]["code"] == "E_NOTFOUND", f"{r.status} {data!r}")


def client(s, tok, *args, server=None):
    env = dict(os.environ, PATCHLINE_TOKEN=tok)
    return subprocess.run([PL, "--server", server or s.url, *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_client_refusals(s):
    p = client(s, "plt_" + "1" * 64, "findings", server="http://192.0.2.1:8080")
    check("the client refuses a token over plain HTTP off loopback", p.returncode == 2 and
          "refusing to send a token over http" in p.stderr, p.stderr)
    p = client(s, "plt_" + "1" * 64, "findings")
    check("the client with a bad token: the server's 401, exit 1", p.returncode == 1 and
          "unknown, expired or revoked token (HTTP 401)" in p.stderr, p.stderr)


def test_client(s):
    for fmt in ("json", "table", "csv"):
        local = cli("findings", "--format", fmt)
        p = client(s, token("bob"), "findings", "--format", fmt)
        check(f"findings --server --format {fmt}: the local output", p.returncode == 0 and
              p.stdout == local, p.stderr + p.stdout[:300])
    for args in (("assets", "--format", "json"), ("assets",), ("explain", "1"),
                 ("explain", "1", "--format", "json"), ("feed", "status"),
                 ("feed", "status", "--format", "json"), ("exception", "list"),
                 ("exception", "list", "--status", "pending", "--format", "csv")):
        local = cli(*args)
        p = client(s, token("bob"), *args)
        check(f"{' '.join(args)} --server: the local output", p.returncode == 0 and
              p.stdout == local, p.stderr + p.stdout[:300])
    # the report carries the time it was made: the same document, not the same bytes
    p = client(s, token("bob"), "--format", "json", "report", "--period", "quarter")
    check("report --server --format json: the report", p.returncode == 0 and
          json.loads(p.stdout or "{}").get("period") == "quarter", p.stderr + p.stdout[:300])
    p = client(s, token("bob"), "--format", "prometheus", "metrics")
    check("metrics --server --format prometheus: the metrics", p.returncode == 0 and
          "# HELP" in p.stdout, p.stderr)
    p = client(s, token("bob"), "report")
    check("report --server (HTML, the default format): the server's rendering",
          p.returncode == 0 and "<html" in p.stdout.lower(), p.stderr + p.stdout[:300])
    p = client(s, token("bob"), "report", "--from", "2026-01-01T00:00:00Z")
    check("report --server --from without --to: a usage error (exit 2)", p.returncode == 2,
          p.stderr)
    p = client(s, token("bob"), "rollback", "1")
    check("a command the server does not serve: refused, no local store used",
          p.returncode == 2 and "does not go through the server" in p.stderr, p.stderr)
    # a command that opens a store of its own accord, late: refused the same way
    p = client(s, token("bob"), "init")
    check("init --server: refused, no local store used",
          p.returncode == 2 and "does not go through the server" in p.stderr, p.stderr)
    # the hand-off commands that open the store late go through the server: a viewer may not
    # import results (the server's 403), and no local store is opened for either
    p = client(s, token("bob"), "handoff", "results", "import", "/dev/null", "--rollout", "1")
    check("handoff results import --server by a viewer: the server's 403, exit 1",
          p.returncode == 1 and "(HTTP 403)" in p.stderr, p.stderr)
    out = os.path.join(os.environ.get("TMPDIR", "/tmp"), "pl-sec-handoff-%d" % os.getpid())
    p = client(s, token("bob"), "handoff", "ansible", "--rollout", "99", "-o", out)
    check("handoff --rollout --server of no plan: the server's 404, nothing written",
          p.returncode == 1 and "(HTTP 404)" in p.stderr and not os.path.exists(out), p.stderr)
    p = client(s, token("dave"), "exception", "approve", "2")
    check("exception approve --server by an operator: the server's 403, exit 1",
          p.returncode == 1 and "(HTTP 403)" in p.stderr, p.stderr)
    p = client(s, token("bob"), "findings", "--tier", "9")
    check("findings --server --tier 9: the server's 400 names the tier, exit 2",
          p.returncode == 2 and "'tier'" in p.stderr, p.stderr)


def test_caps(s):
    path = "/api/v1/exceptions/1/approve"
    r, data = s.request("POST", path, {"Content-Type": "application/json"}, b"{" + b" " * 8192 + b"}")
    check("a body past --max-body: 413", r.status == 413 and
          json.loads(data)["error"]["code"] == "E_TOOBIG", f"{r.status} {data!r}")

    def chunks():
        for _ in range(8):
            yield b" " * 1024
    c = http.client.HTTPConnection(s.host, s.port, timeout=10)
    c.request("POST", path, body=chunks(), encode_chunked=True,
              headers={"Transfer-Encoding": "chunked"})
    r = c.getresponse()
    check("a chunked body past --max-body: 413", r.status == 413, f"{r.status}")
    c.close()
    r, data = s.request("GET", "/api/v1/ping", {"X-Big": "x" * 40000})
    check("headers past the cap: 431", r.status == 431, f"{r.status}")


def closed_within(sock, secs):
    """Seconds until the server closes sock (None if it did not within secs)."""
    t0 = time.monotonic()
    sock.settimeout(0.2)
    while time.monotonic() - t0 < secs:
        try:
            if sock.recv(4096) == b"":
                return time.monotonic() - t0
        except socket.timeout:
            pass
        except ConnectionResetError:
            return time.monotonic() - t0
    return None


def test_slow(s):
    a = socket.create_connection((s.host, s.port))
    a.sendall(b"GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n")  # and never the end of the headers
    t = closed_within(a, 8)
    check("a client that stops mid-headers is cut off (--timeout 2)", t is not None and t < 6,
          f"after {t}")
    a.close()
    b = socket.create_connection((s.host, s.port))
    b.sendall(b"POST /api/v1/exceptions/1/approve HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
    t0 = time.monotonic()
    cut = None
    b.settimeout(0.5)
    while time.monotonic() - t0 < 10 and cut is None:
        try:  # one byte every half second: never idle for 2 s, but slow
            b.sendall(b" ")
            if b.recv(4096) == b"":
                cut = time.monotonic() - t0
        except socket.timeout:
            pass
        except (BrokenPipeError, ConnectionResetError):
            cut = time.monotonic() - t0
    check("a body trickled a byte at a time is cut off", cut is not None and cut < 6,
          f"after {cut}")
    b.close()
    r, _ = s.request("GET", "/api/v1/ping")
    check("the server still answers after the slow clients", r.status == 401, f"{r.status}")


def test_log_and_drain(s):
    token = "plt_" + "5ec7e7" * 10 + "abcd"
    cookie = "C00K1E" * 8
    s.request("GET", "/api/v1/findings?tier=1", {"Authorization": "Bearer " + token,
                                                 "Cookie": "pl_session=" + cookie})
    s.request("GET", "/api/v1/ping?access_token=QUERYSECRET")
    rc, log = s.stop()
    check("SIGTERM: the server drains and exits 0", rc == 0, f"exit {rc}")
    lines = log.splitlines()
    ok = all(json.loads(l)["module"] == "server" for l in lines)
    check("the log is one JSON object per line", ok and len(lines) > 5, log[:300])
    check("no token, cookie or query value in the log",
          token not in log and token[4:20] not in log and cookie not in log and
          "QUERYSECRET" not in log, "found")
    check("the log says it stopped", '"msg":"stopped"' in log, log[-300:])


def token(user):
    return open(os.path.join(T, f"token-{user}")).read().strip()


def api(s, user, method, path, body=None):
    h = {"Authorization": "Bearer " + token(user)}
    if body is not None:
        h["Content-Type"] = "application/json"
    r, data = s.request(method, path, h, body)
    try:
        return r.status, json.loads(data) if data else None
    except ValueError:
        return r.status, data.decode()


def cli(*args):
    env = dict(os.environ, PATCHLINE_TOKEN=token("bob"))
    out = subprocess.run(AS + [PL, "--db", STORE, *args], capture_output=True, text=True,
                         env=env, check=True)
    return out.stdout


def test_findings(s):
    status, page = api(s, "bob", "GET", "/api/v1/findings")
    want = json.loads(cli("findings", "--format", "json"))
    check("GET /api/v1/findings: the objects of findings --format json", status == 200 and
          page["items"] == want and page["next"] is None and len(want) == 7, f"{status} {page}")
    got, cursor, pages = [], None, 0
    while pages < 10:
        q = "/api/v1/findings?limit=2" + (f"&cursor={cursor}" if cursor else "")
        status, page = api(s, "bob", "GET", q)
        got += page["items"]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
    check("pages of 2 by cursor: 4 pages, every finding once, in the CLI's order", got == want and
          pages == 4, f"{pages} pages {[f['id'] for f in got]}")
    for q, ids in (("tier=0", [2]), ("tier=Emergency", [2]), ("asset=db-1", [3, 5]),
                   ("overdue=true", [2]), ("status=fixed", [])):
        status, page = api(s, "bob", "GET", "/api/v1/findings?" + q)
        cli_q = {"tier": ["--tier"], "asset": ["--asset"], "overdue": ["--overdue"],
                 "status": ["--status"]}[q.split("=")[0]]
        arg = [] if q.startswith("overdue") else [q.split("=")[1]]
        want_q = json.loads(cli("findings", *cli_q, *arg, "--format", "json"))
        check(f"findings?{q}: {ids}, as the CLI", status == 200 and
              [f["id"] for f in page["items"]] == ids and page["items"] == want_q,
              f"{status} {page}")
    for q, field in (("status=bogus", "'status'"), ("limit=0", "'limit'"),
                     ("limit=1001", "'limit'"), ("cursor=xyz", "'cursor'"),
                     ("tier=9", "'tier'"), ("kev=maybe", "'kev'"), ("asset=nosuch", "'asset'")):
        status, body = api(s, "bob", "GET", "/api/v1/findings?" + q)
        ok = status in (400, 404) and field in body["error"]["message"]
        check(f"findings?{q}: an error naming {field}", ok, f"{status} {body}")


# POST routes that only read (their body is a plan or policy file, not a change): any role
READ_POSTS = {("POST", "/api/v1/plans/forecast"), ("POST", "/api/v1/plans/{id}/handoff"),
              ("POST", "/api/v1/report"),
              ("POST", "/metrics")}


def test_roles(s):
    for method, pattern in routes():
        if method != "POST" or (method, pattern) in READ_POSTS:
            continue
        path = pattern.replace("{id}", "1")
        status, body = api(s, "bob", method, path)
        check(f"{method} {path} as a viewer: 403", status == 403 and
              body["error"]["code"] == "E_DENIED", f"{status} {body}")
    status, body = api(s, "bob", "GET", "/api/v1/ping")
    check("ping names the caller", status == 200 and body["principal"] == "bob", f"{body}")


def test_approve(s):
    a = "/api/v1/exceptions/%d/approve"
    status, body = api(s, "carol", "POST", a % 1, b'{"policy": 5}')
    check("approve with a field of the wrong type: 400 naming it", status == 400 and
          "'policy'" in body["error"]["message"], f"{status} {body}")
    status, body = api(s, "carol", "POST", a % 1, b'{"policy": "default",')
    check("approve with malformed JSON: 400", status == 400 and
          "malformed JSON" in body["error"]["message"], f"{status} {body}")
    status, body = api(s, "carol", "POST", a % 1, b'{"polcy": "default"}')
    check("approve with an unknown field: 400 naming it", status == 400 and
          "'polcy'" in body["error"]["message"], f"{status} {body}")
    status, body = api(s, "dave", "POST", a % 1)
    check("approve by an operator: 403", status == 403, f"{status} {body}")
    status, body = api(s, "carol", "POST", a % 2)
    check("approve of one's own request: 403", status == 403, f"{status} {body}")
    status, body = api(s, "carol", "POST", a % 99)
    check("approve of an unknown exception: 404", status == 404, f"{status} {body}")
    status, body = api(s, "carol", "POST", a % 1)
    check("approve by an approver: 200, active, approved by carol", status == 200 and
          body["status"] == "active" and body["approver"] == "carol", f"{status} {body}")
    status, body = api(s, "carol", "POST", a % 1)
    check("approve again: 409", status == 409 and body["error"]["code"] == "E_CONFLICT",
          f"{status} {body}")
    status, body = api(s, "bob", "GET", "/api/v1/exceptions?status=active")
    check("GET /api/v1/exceptions?status=active: exception 1",
          status == 200 and [x["id"] for x in body] == [1], f"{status} {body}")


def test_reads(s):
    status, body = api(s, "bob", "GET", "/api/v1/findings/1/explain")
    check("explain: 200", status == 200 and isinstance(body, dict), f"{status} {str(body)[:200]}")
    status, body = api(s, "bob", "GET", "/api/v1/findings/999/explain")
    check("explain of an unknown finding: 404", status == 404, f"{status} {body}")
    status, body = api(s, "bob", "GET", "/api/v1/assets")
    check("assets: the three", status == 200 and sorted(a["name"] for a in body) ==
          ["db-1", "web-1", "web-2"], f"{status} {body}")
    status, body = api(s, "bob", "GET", "/api/v1/feeds")
    check("feeds: every kind", status == 200 and any(f["kind"] == "kev" for f in body),
          f"{status} {body}")
    status, body = api(s, "bob", "GET", "/metrics")
    check("metrics: Prometheus text", status == 200 and "# TYPE patchline_" in body,
          f"{status} {str(body)[:200]}")
    status, body = api(s, "bob", "GET", "/api/v1/plans/latest")
    check("plans/latest without a plan: 404", status == 404, f"{status} {body}")


def test_token_last_used(s):
    """last_used_at: set when a token authenticates, at most once a minute per token."""
    def sql(q):
        return subprocess.run(AS + ["sqlite3", STORE, q], capture_output=True, text=True,
                              check=True).stdout.strip()

    def last_used():
        return int(sql("SELECT last_used_at FROM tokens t JOIN users u ON u.id = t.user_id "
                       "WHERE u.name = 'bob'") or 0)

    sql("UPDATE tokens SET last_used_at = NULL")
    api(s, "bob", "GET", "/api/v1/assets")
    now = int(time.time())
    check("a token's last use is recorded", abs(last_used() - now) <= 5, f"{last_used()} {now}")
    listed = cli("token", "list", "--format", "csv")
    check("token list shows last_used", listed.splitlines()[0].endswith(",last_used") and
          any(",bob," in ln and not ln.endswith(",") for ln in listed.splitlines()), listed)
    sql(f"UPDATE tokens SET last_used_at = {now - 30} WHERE user_id = "
        "(SELECT id FROM users WHERE name = 'bob')")
    api(s, "bob", "GET", "/api/v1/assets")
    check("used again within a minute: not written again", last_used() == now - 30,
          f"{last_used()} {now - 30}")
    sql(f"UPDATE tokens SET last_used_at = {now - 120} WHERE user_id = "
        "(SELECT id FROM users WHERE name = 'bob')")
    api(s, "bob", "GET", "/api/v1/assets")
    check("used again after a minute: written", last_used() >= now, f"{last_used()} {now}")


test_refusals()
test_openapi()
test_tls()
srv = Server()
test_walk(srv)
test_client_refusals(srv)
if os.path.exists(os.path.join(T, "token-bob")):  # the store's users and tokens (run.sh)
    test_findings(srv)
    test_client(srv)
    test_roles(srv)
    test_approve(srv)
    test_reads(srv)
    test_token_last_used(srv)
else:
    print("skip the API with tokens: this build has no users and tokens")
test_caps(srv)
test_slow(srv)
test_log_and_drain(srv)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
