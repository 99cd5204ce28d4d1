#!/usr/bin/env python3
"""A webhook receiver for tests/cli/notify.t, on a loopback port.

It checks every POST as docs/identity.md tells a receiver to: the HMAC-SHA-256
of "TIMESTAMP.BODY" under the shared secret (python's hmac module, compared
with hmac.compare_digest), a timestamp within 5 minutes, and an event id not
seen before. It answers 204 to a good event, 401 to a bad signature, and 503
to the first --fail-first events (to prove the retry). One line per request
goes to the log: "ok TYPE ID KIND:OBJECT_ID", "refused TYPE ID", "bad-signature",
"stale-timestamp" or "duplicate ID".

Usage: notify_receiver.py PORT_FILE SECRET_FILE LOG_FILE [--fail-first N]
It writes its port to PORT_FILE and stops by itself after 600 seconds, as soon
as a file named PORT_FILE.stop exists, or when PORT_FILE is gone.
"""
import hashlib
import hmac
import http.server
import json
import os
import sys
import time

port_file, secret_file, log_file = sys.argv[1:4]
fail_first = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--fail-first" else 0
with open(secret_file, "rb") as f:
    secret = f.read().rstrip(b"\r\n")
seen = set()
state = {"fail": fail_first}


def log(line):
    with open(log_file, "a") as f:
        f.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ts = self.headers.get("X-Patchline-Timestamp", "")
        sig = self.headers.get("X-Patchline-Signature", "")
        want = "sha256=" + hmac.new(secret, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, sig):
            log("bad-signature")
            return self.answer(401)
        if not ts.isdigit() or abs(time.time() - int(ts)) > 300:
            log("stale-timestamp")
            return self.answer(401)
        event = json.loads(body)
        if state["fail"] > 0:
            state["fail"] -= 1
            log("refused %s %s" % (event["type"], event["id"]))
            return self.answer(503)
        if event["id"] in seen:
            log("duplicate %s" % event["id"])
            return self.answer(204)
        seen.add(event["id"])
        obj = event["object"]
        log("ok %s %s %s:%s" % (event["type"], event["id"], obj["kind"], obj["id"]))
        return self.answer(204)

    def answer(self, code):
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
server.timeout = 0.2
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
deadline = time.time() + 600
while (time.time() < deadline and os.path.exists(port_file)
       and not os.path.exists(port_file + ".stop")):
    server.handle_request()
server.server_close()
