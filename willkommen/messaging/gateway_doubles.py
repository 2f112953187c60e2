"""Local test doubles of the SMS and messenger gateways, speaking their real HTTP shapes.

* SMS: Twilio's Messages API (``POST /2010-04-01/Accounts/{sid}/Messages.json``, form-encoded
  To/From/Body, basic auth; 201 ``{"sid", "status"}``; 400 ``{"code", "message"}`` for a refused number).
* Messenger: signal-cli-rest-api (``POST /v2/send`` JSON ``{"message", "number", "recipients"}``;
  201 ``{"timestamp"}``; 400 ``{"error"}``).

The receive side: ``queue_signal(number, envelope)`` puts an envelope into signal-cli's queue, answered (and
emptied) by ``GET /v1/receive/{number}``; ``add_signal_attachment`` stores bytes served by
``GET /v1/attachments/{id}``; ``add_media`` stores bytes served at a Twilio media URL (basic auth required).

``fail_next`` makes the next N requests answer 503 (a transient failure); numbers in
``refused_numbers`` get a 400 (a permanent failure). Useful in tests and for local development.
"""

import contextlib
import json
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class GatewayDouble:
    def __init__(self, host="127.0.0.1", port=0):
        self.requests = []  # every request seen, accepted or not
        self.delivered = []  # accepted messages
        self.fail_next = 0
        self.refused_numbers = set()
        self.signal_queue = {}  # number -> [envelope items]
        self.files = {}  # path -> bytes (Signal attachments, SMS media)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def queue_signal(self, number, item):
        with self.lock:
            self.signal_queue.setdefault(number, []).append(item)

    def add_signal_attachment(self, content, content_type="application/octet-stream", filename="", size=None):
        """Store ``content``; returns the attachment as an envelope lists it."""
        attachment_id = uuid.uuid4().hex + ".bin"
        with self.lock:
            self.files[f"/v1/attachments/{attachment_id}"] = content
        return {
            "id": attachment_id,
            "contentType": content_type,
            "filename": filename,
            "size": len(content) if size is None else size,
        }

    def add_media(self, content, account="willkommen", message_sid="MM0"):
        """Store ``content`` as a Twilio media file; returns its URL."""
        path = f"/2010-04-01/Accounts/{account}/Messages/{message_sid}/Media/ME{uuid.uuid4().hex}"
        with self.lock:
            self.files[path] = content
        return self.url + path

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def serving(settings):
    """A started double with the SMS and Signal settings pointing at it (``settings``: pytest-django's
    fixture or anything settable), stopped on exit."""
    double = GatewayDouble().start()
    settings.MESSAGING_SMS_URL = double.url
    settings.MESSAGING_SMS_TOKEN = "secret"
    settings.MESSAGING_SIGNAL_URL = double.url
    settings.MESSAGING_SIGNAL_NUMBER = "+4915100000000"
    try:
        yield double
    finally:
        double.stop()


class _Handler(BaseHTTPRequestHandler):
    double = None  # the GatewayDouble, set by _handler

    def log_message(self, *args):
        pass

    def _answer(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with self.double.lock:
            self.double.requests.append((self.path, b""))
            if self.double.fail_next > 0:
                self.double.fail_next -= 1
                return self._answer(503, {"message": "Service Unavailable"})
            if self.path.startswith("/v1/receive/"):
                number = urllib.parse.unquote(self.path[len("/v1/receive/") :].split("?")[0])
                return self._answer(200, self.double.signal_queue.pop(number, []))
            content = self.double.files.get(self.path)
        if content is None:
            return self._answer(404, {"error": "not found"})
        if "/Media/" in self.path and not self.headers.get("Authorization", "").startswith("Basic "):
            return self._answer(401, {"code": 20003, "message": "Authenticate"})
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        with self.double.lock:
            self.double.requests.append((self.path, raw))
            if self.double.fail_next > 0:
                self.double.fail_next -= 1
                return self._answer(503, {"message": "Service Unavailable"})
        if self.path.startswith("/2010-04-01/Accounts/") and self.path.endswith("/Messages.json"):
            form = dict(urllib.parse.parse_qsl(raw.decode()))
            if not self.headers.get("Authorization", "").startswith("Basic "):
                return self._answer(401, {"code": 20003, "message": "Authenticate"})
            if not form.get("To") or not form.get("Body"):
                return self._answer(400, {"code": 21604, "message": "A 'To' and 'Body' are required"})
            if form["To"] in self.double.refused_numbers:
                return self._answer(400, {"code": 21211, "message": f"The 'To' number {form['To']} is not valid"})
            sid = "SM" + uuid.uuid4().hex
            with self.double.lock:
                self.double.delivered.append({"kind": "sms", "sid": sid, **form})
            return self._answer(201, {"sid": sid, "status": "queued", "to": form["To"], "body": form["Body"]})
        if self.path == "/v2/send":
            try:
                data = json.loads(raw)
            except ValueError:
                return self._answer(400, {"error": "invalid JSON"})
            recipients = data.get("recipients") or []
            if not data.get("message") or not recipients or not data.get("number"):
                return self._answer(400, {"error": "message, number and recipients are required"})
            if any(r in self.double.refused_numbers for r in recipients):
                return self._answer(400, {"error": "Failed to send message: Unregistered user"})
            stamp = str(int(time.time() * 1000))
            with self.double.lock:
                self.double.delivered.append({"kind": "signal", "timestamp": stamp, **data})
            return self._answer(201, {"timestamp": stamp})
        return self._answer(404, {"error": "not found"})


def _handler(double):
    return type("Handler", (_Handler,), {"double": double})
