"""What the alert-delivery benchmarks share: a webhook receiver that records
what arrives, a console of their own, JSON over HTTP to it, and a signed-in
session."""

import contextlib
import http.client
import http.server
import json
import shutil
import subprocess
import tempfile
import threading
import time

PASSWORD = "bench-first-password"
NEW_PASSWORD = "bench-chosen-passphrase"


class Receiver(http.server.ThreadingHTTPServer):
    """Answers every POST `200 ok` and keeps (arrival, message id, body)."""

    daemon_threads = True

    def __init__(self):
        self.got = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.got.append((time.monotonic(), self.headers.get("x-starrocks-overview-message-id"), body))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def request(port, method, path, body=None, cookie=None):
    """(status, body bytes, the session cookie it set) of one JSON request."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}"}
    if cookie:
        headers["Cookie"] = cookie
    c.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = c.getresponse()
    data = r.read()
    set_cookie = r.getheader("Set-Cookie")
    c.close()
    return r.status, data, set_cookie.split(";")[0] if set_cookie else None


def signed_in(port, tries=300):
    """Waits for the console on `port`, signs in as admin with the first
    password, chooses a new one, and answers the session cookie."""
    for _ in range(tries):
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)
    status, body, cookie = request(port, "POST", "/api/auth/login", {"username": "admin", "password": PASSWORD})
    assert status == 200, body
    status, body, new = request(port, "POST", "/api/auth/password",
                                {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, cookie)
    assert status == 200, body
    return new or cookie


@contextlib.contextmanager
def console(binary, port, prefix, *flags):
    """The console binary on `port` with a fresh data directory and the given
    flags, signed in. Yields (receiver, data directory, server process,
    session cookie); ends the server and removes the directory after."""
    rx = Receiver()
    data = tempfile.mkdtemp(prefix=prefix)
    server = subprocess.Popen(
        [binary, "--listen", f"127.0.0.1:{port}", "--data-dir", data, *flags,
         "--admin-password", PASSWORD, "--log-level", "warn"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield rx, data, server, signed_in(port)
    finally:
        server.kill()
        server.wait()
        rx.shutdown()
        shutil.rmtree(data, ignore_errors=True)
