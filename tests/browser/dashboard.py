#!/usr/bin/env python3
"""The dashboard in headless Chromium, driven over the DevTools protocol on a
pipe (--remote-debugging-pipe: no extra library). Usage: dashboard.py
[PREFIX...] with $PL, $T (run/store.db, token-USER files) and $CHROME; PREFIX
runs the server as its non-root user."""
import http.client
import json
import os
import subprocess
import sys
import time
import urllib.parse

PL, T, CHROME = os.environ["PL"], os.environ["T"], os.environ["CHROME"]
AS = sys.argv[1:]
STORE = os.path.join(T, "run", "store.db")
failed = 0


def check(name, ok, detail=""):
    global failed
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    if not ok:
        failed += 1


def token(user):
    return open(os.path.join(T, f"token-{user}")).read().strip()


class Browser:
    """Chromium with DevTools on fds 3 (commands) and 4 (replies and events)."""

    def __init__(self):
        r_cmd, w_cmd = os.pipe()
        r_out, w_out = os.pipe()
        self.log = open(os.path.join(T, "chromium.log"), "wb")
        args = [CHROME, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--remote-debugging-pipe",
                f"--user-data-dir={T}/profile", "about:blank"]

        def fds():  # Chromium reads commands on fd 3 and writes on fd 4
            a, b = os.dup(r_cmd), os.dup(w_out)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.p = subprocess.Popen(args, pass_fds=(3, 4, r_cmd, w_out), preexec_fn=fds,
                                  stdout=self.log, stderr=self.log)
        os.close(r_cmd)
        os.close(w_out)
        self.w, self.r = os.fdopen(w_cmd, "wb"), os.fdopen(r_out, "rb")
        self.n, self.buf, self.events, self.logs = 0, b"", [], []
        self.session = None
        t = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": t, "flatten": True})[
            "sessionId"]
        for d in ("Page", "Runtime", "Log", "Network"):
            self.call(d + ".enable")

    def _read(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.r.fileno(), 1 << 16)
            if not chunk:
                raise SystemExit("chromium closed its pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None):
        self.n += 1
        m = {"id": self.n, "method": method, "params": params or {}}
        if self.session and not method.startswith("Target."):
            m["sessionId"] = self.session
        self.w.write(json.dumps(m).encode() + b"\0")
        self.w.flush()
        while True:
            msg = self._read()
            if msg.get("id") == self.n:
                if "error" in msg:
                    raise SystemExit(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self._event(msg)

    def _event(self, msg):
        """Keep log entries and exceptions apart: page loads do not clear them."""
        if msg.get("method") in ("Log.entryAdded", "Runtime.exceptionThrown"):
            self.logs.append(msg)
        else:
            self.events.append(msg)

    def wait_load(self, timeout=20):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for i, e in enumerate(self.events):
                if e.get("method") == "Page.loadEventFired":
                    del self.events[: i + 1]
                    return
            self._event(self._read())
        raise SystemExit("page did not load")

    def go(self, url):
        self.events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_load()

    def js(self, expr, nav=False):
        """Evaluate expr in the page (DevTools is not bound by the page's CSP)."""
        if nav:
            self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        v = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True})
        if nav:
            self.wait_load()
        return v.get("result", {}).get("value")

    def html(self):
        return self.js("document.documentElement.outerHTML") or ""

    def url(self):
        return self.js("location.href")

    def problems(self):
        """Console errors and CSP violations seen so far."""
        out = []
        for e in self.logs:
            if e.get("method") == "Log.entryAdded":
                en = e["params"]["entry"]
                # the refusals this test asks for are network errors (401, 403): not problems
                if en.get("level") == "error" and en.get("source") != "network":
                    out.append(en.get("text"))
            if e.get("method") == "Runtime.exceptionThrown":
                out.append(str(e["params"]))
        return out

    def close(self):
        self.p.kill()
        self.p.wait()


def main():
    srv_log = open(os.path.join(T, "server.log"), "wb")
    srv = subprocess.Popen(AS + [PL, "--db", STORE, "serve", "--listen", "127.0.0.1:0"],
                           stdout=subprocess.PIPE, stderr=srv_log)
    line = srv.stdout.readline().decode()
    if not line.startswith("listening on http"):
        raise SystemExit(f"server did not start: {line!r}")
    base = line.split()[-1]
    host, port = base.split("//")[1].rsplit(":", 1)
    b = Browser()
    try:
        run(b, base, host, int(port))
    finally:
        b.close()
        srv.terminate()
        srv.wait(30)
    log = open(os.path.join(T, "server.log")).read()
    leaks = [u for u in ("bob", "carol") if token(u) in log]
    check("no token in the server's log", not leaks, leaks)
    check("no session id in the server's log", "pls_" not in log)
    print("dashboard: %s" % ("all checks passed" if failed == 0 else f"{failed} failed"))
    sys.exit(1 if failed else 0)


def login(b, base, user):
    b.go(base + "/login")
    b.js(f"document.getElementById('token').value = {json.dumps(token(user))}")
    b.js("document.getElementById('login').submit()", nav=True)


def run(b, base, host, port):
    # a page without a session goes to the log-in form
    b.go(base + "/findings")
    check("no session: redirected to /login", b.url() == base + "/login", b.url())
    # a wrong token is refused
    b.js("document.getElementById('token').value = 'plt_" + "0" * 64 + "'")
    b.js("document.getElementById('login').submit()", nav=True)
    check("a wrong token is refused", "unknown, expired or revoked token" in b.html())

    # log in as carol (approver)
    login(b, base, "carol")
    h = b.html()
    check("log-in lands on the estate", b.url() == base + "/" and 'id="estate"' in h, b.url())
    check("the estate counts 3 assets and 5 open findings",
          '<div class="v" id="assets">3</div>' in h and '<div class="v" id="open">5</div>' in h)
    cookies = b.call("Network.getCookies")["cookies"]
    c = [x for x in cookies if x["name"] == "pl_session"]
    check("session cookie HttpOnly, SameSite=Strict",
          len(c) == 1 and c[0]["httpOnly"] and c[0]["sameSite"] == "Strict", c)
    first_sid = c[0]["value"] if c else ""

    # filter findings: tier 2 of team-web (findings 1 and 4), through the form
    b.go(base + "/findings")
    h = b.html()
    check("every open finding listed", h.count('class="finding"') == 5)
    check("a hostile asset name is text", "&lt;b&gt;db-1&lt;/b&gt;" in h and "<b>db-1</b>" not in h)
    b.js("document.getElementById('f-tier').value = '2';"
         "document.getElementById('f-owner').value = 'team-web'")
    b.js("document.getElementById('filters').submit()", nav=True)
    h = b.html()
    q = urllib.parse.parse_qs(urllib.parse.urlparse(b.url()).query)
    check("the filter form sets tier and owner", q.get("tier") == ["2"] and
          q.get("owner") == ["team-web"], b.url())
    rows = h.count('class="finding"')
    check("tier 2 of team-web: 2 findings", rows == 2 and 'href="/findings/1"' in h and
          'href="/findings/4"' in h, rows)
    b.go(base + "/findings/1")
    check("a finding's explanation", "CVE-2026-1000" in (b.js(
        "document.getElementById('explain').textContent") or ""))
    b.go(base + "/report")
    h = b.html()
    check("the report's SLA chart", '<svg id="chart-sla"' in h)

    # approve exception 1 as carol
    b.go(base + "/decisions")
    h = b.html()
    check("carol sees approve forms", 'id="approve-exception-1"' in h)
    b.js("document.getElementById('approve-exception-1').click()", nav=True)
    check("approved: back on the decisions page", "done=approved" in b.url() and
          'id="done"' in b.html(), b.url())
    out = subprocess.run(AS + [PL, "--db", STORE, "exception", "show", "1"],
                         capture_output=True, text=True).stdout
    check("exception 1 is active, approved by carol", "carol" in out and "active" in out, out)

    # reject wave 2 of plan 1 as carol, with a reason; wave 1 keeps its forms
    b.go(base + "/decisions")
    h = b.html()
    check("carol sees plan 1's approve and reject forms", 'id="approve-plan-1-wave-1"' in h and
          'id="reject-plan-1-wave-2"' in h and 'id="reject-plan-1"' in h)
    b.js("var btn = document.getElementById('reject-plan-1-wave-2');"
         "btn.form.querySelector('input[name=reason]').value = 'canary <frozen>';"
         "btn.click()", nav=True)
    h = b.html()
    check("rejected: back on the decisions page", "done=rejected" in b.url() and
          "rejected by carol: canary &lt;frozen&gt;" in h and
          'id="reject-plan-1-wave-2"' not in h and 'id="reject-plan-1-wave-1"' in h, b.url())
    out = subprocess.run(AS + [PL, "--db", STORE, "plan", "show", "1", "--format", "csv"],
                         capture_output=True, text=True).stdout
    check("plan 1 wave 2 rejected by carol", out.count("rejected by carol") == 1 and
          out.count("pending") == 1, out)
    c = http.client.HTTPConnection(host, port, timeout=10)
    c.request("POST", "/plans/1/reject", body="wave=1&reason=x",
              headers={"Cookie": "pl_session=" + first_sid, "Origin": base,
                       "Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    r.read()
    check("a plan rejection without its CSRF token: 403", r.status == 403, r.status)

    # a replayed form without its CSRF token is refused (in the browser, then by hand)
    b.js("var f = document.createElement('form'); f.method = 'post';"
         "f.action = '/exceptions/2/approve'; document.body.appendChild(f); f.submit()",
         nav=True)
    h = b.html()
    check("a form without its CSRF token: 403", "CSRF token" in h, h[-400:])
    c = http.client.HTTPConnection(host, port, timeout=10)
    c.request("POST", "/exceptions/2/approve", body="",
              headers={"Cookie": "pl_session=" + first_sid, "Origin": base,
                       "Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    r.read()
    check("a replayed POST without its CSRF token: 403", r.status == 403, r.status)
    # the right token from another origin is refused as well
    csrf = b.js("document.querySelector('input[name=csrf]').value")
    c = http.client.HTTPConnection(host, port, timeout=10)
    c.request("POST", "/exceptions/2/approve", body="csrf=" + csrf,
              headers={"Cookie": "pl_session=" + first_sid, "Origin": "http://evil.example",
                       "Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    r.read()
    check("a POST from another Origin: 403", r.status == 403, r.status)
    out = subprocess.run(AS + [PL, "--db", STORE, "exception", "show", "2"],
                         capture_output=True, text=True).stdout
    check("exception 2 still pending", "pending" in out, out)

    # log out: the session is gone, its cookie no longer works
    b.go(base + "/")
    b.js("document.getElementById('logout').click()", nav=True)
    check("log-out lands on /login", b.url() == base + "/login", b.url())
    c = http.client.HTTPConnection(host, port, timeout=10)
    c.request("GET", "/", headers={"Cookie": "pl_session=" + first_sid})
    r = c.getresponse()
    r.read()
    check("the old session's cookie is dead", r.status == 303 and
          r.getheader("Location") == "/login", r.status)

    # bob (viewer): no forms, and a POST made by hand is refused
    login(b, base, "bob")
    b.go(base + "/decisions")
    h = b.html()
    check("bob sees the pending exception but no forms", 'id="exception-2"' in h and
          "approve-exception" not in h)
    check("bob sees plan 1's waiting wave but no plan forms", 'id="plan-1-wave-1"' in h and
          "approve-plan" not in h and "reject-plan" not in h)
    sid = [x["value"] for x in b.call("Network.getCookies")["cookies"]
           if x["name"] == "pl_session"]
    check("log-in rotated the session id", sid and sid[0] != first_sid)
    b.js("var f = document.createElement('form'); f.method = 'post';"
         "f.action = '/exceptions/2/approve';"
         "f.appendChild(document.querySelector('input[name=csrf]').cloneNode());"
         "document.body.appendChild(f); f.submit()", nav=True)
    h = b.html()
    check("bob's approval (with his CSRF token): 403", "may not sign off" in h and
          "Forbidden" in h, h[-400:])
    out = subprocess.run(AS + [PL, "--db", STORE, "exception", "show", "2"],
                         capture_output=True, text=True).stdout
    check("exception 2 still pending after bob", "pending" in out, out)
    p = b.problems()
    check("no console error or CSP violation", not p, p[:3])


if __name__ == "__main__":
    main()
