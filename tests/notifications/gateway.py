"""A tiny local HTTP gateway for tests: answers from a script and records what it received."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeGateway:
    """``answers`` maps a recipient ("to") to a list of (status, body) or "hang"; the last entry
    repeats. Unknown recipients get 200."""

    def __init__(self, answers=None, hang_seconds=5.0):
        self.answers = answers or {}
        self.hang_seconds = hang_seconds
        self.requests = []
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                payload = json.loads(raw or b"{}")
                with gateway.lock:
                    gateway.requests.append({"path": self.path, "headers": dict(self.headers), "json": payload})
                    script = gateway.answers.get(payload.get("to"), [(200, '{"status": "queued"}')])
                    seen = sum(1 for r in gateway.requests if r["json"].get("to") == payload.get("to"))
                    answer = script[min(seen, len(script)) - 1]
                if answer == "hang":
                    time.sleep(gateway.hang_seconds)
                    answer = (200, "late")
                status, body = answer
                data = body.encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1/messages"

    def requests_to(self, address):
        with self.lock:
            return [r for r in self.requests if r["json"].get("to") == address]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
