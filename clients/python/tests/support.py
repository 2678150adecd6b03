"""What the client tests share: the real server (env TRAINSCOPE_URL), its API, and a proxy that
can cut connections or play dead."""

import http.client
import http.server
import json
import os
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

URL = os.environ.get("TRAINSCOPE_URL")
if not URL:
    raise RuntimeError("the client tests run against a real server: set TRAINSCOPE_URL")
URL = URL.rstrip("/")


def api(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(URL + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def logged(run_id):
    """The run's events as the server stores them."""
    with urllib.request.urlopen(URL + "/api/runs/%s/events.ndjson" % run_id, timeout=10) as r:
        return [json.loads(line) for line in r.read().decode().splitlines() if line.strip()]


def epochs(events):
    return [e["epoch"] for e in events if e["type"] == "epoch"]


class Proxy:
    """An HTTP proxy to the server. mode: "forward"; "cut" (forward the request, then close the
    connection without answering: the server stored what the client never hears of); "down"
    (close at once). cut_next: cut that many pushes, then forward. Counts pushes and events."""

    def __init__(self):
        self.mode, self.cut_next, self.block_control = "forward", 0, False
        self.pushes, self.pushed_events, self.cuts = 0, [], 0
        self.content_types = []
        self.lock = threading.Lock()
        proxy = self
        target = urllib.parse.urlsplit(URL)

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def handle_any(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                push = self.command == "POST" and self.path.endswith("/events")
                with proxy.lock:
                    mode = proxy.mode
                    if push and proxy.cut_next > 0:
                        proxy.cut_next -= 1
                        mode = "cut"
                    if push and mode != "down":
                        proxy.pushes += 1
                        proxy.pushed_events.append(body.count(b"\n"))
                        proxy.content_types.append(self.headers.get("Content-Type"))
                if mode == "down" or (proxy.block_control and self.path.endswith("/control")):
                    self.close_connection = True
                    if mode != "down":
                        self.send_error(404)
                    return
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                conn.request(self.command, self.path, body or None, headers)
                res = conn.getresponse()
                data = res.read()
                conn.close()
                if mode == "cut":
                    with proxy.lock:
                        proxy.cuts += 1
                    self.close_connection = True
                    return
                self.send_response(res.status)
                for k, v in res.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = handle_any

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
