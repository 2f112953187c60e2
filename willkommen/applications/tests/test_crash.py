"""Crash safety: the application server is killed with SIGKILL while a submit runs, then started again
and the client retries with the same Idempotency-Key: exactly one case, and every file that was
acknowledged is on storage with a matching checksum. Needs PostgreSQL (the server process shares the
test database)."""

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from .conftest import pdf_bytes, png

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SERVER = """
import os, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
from wsgiref.simple_server import make_server, WSGIRequestHandler
class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass
from django.core.wsgi import get_wsgi_application
make_server("127.0.0.1", int(sys.argv[1]), get_wsgi_application(), handler_class=Quiet).serve_forever()
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(port, media):
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(media),
        "HUEY_STORAGE": "memory",
        "EMAIL_BACKEND": "locmem",
        "WILLKOMMEN_TESTING": "1",
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", SERVER, str(port)], cwd=settings.BASE_DIR, env=env
    )
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def _post(url, *, data=None, headers=None, timeout=30):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - local test server
        return response.status, json.loads(response.read())


def _multipart(fields, files):
    boundary = "----wk-crash-test"
    body = b""
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, (filename, content) in files.items():
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_sigkill_during_submit_then_retry(authority, anliegen, routed_team, tmp_path):
    from willkommen.cases.models import Case
    from willkommen.efile.models import Document

    media = tmp_path / "media"
    port = _free_port()
    base = f"http://127.0.0.1:{port}/a/{authority.slug}/api/v1/applications"
    server = _start(port, media)
    try:
        body = {
            "anliegen": anliegen.slug,
            "language": "ar",
            "personal": {
                "family_name": "Haddad",
                "date_of_birth": "1995-04-02",
                "city": "Alpha",
                "email": "a@example.org",
            },
            "answers": {"married": "no", "blocked_account": "yes"},
            "acknowledge_information": True,
        }
        _status, created = _post(
            base + "/", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        token = {"X-Application-Token": created["token"]}
        acknowledged = {}
        for key, (name, content) in {"passport": ("p.pdf", pdf_bytes()), "photo": ("f.png", png())}.items():
            data, content_type = _multipart({"checklist_key": key}, {"file": (name, content)})
            status, answer = _post(
                f"{base}/{created['id']}/documents/", data=data, headers={**token, "Content-Type": content_type}
            )
            assert status == 201
            acknowledged[key] = answer["sha256"]

        # Kill the server while the submit is being processed.
        headers = {**token, "Idempotency-Key": "crash-key-1"}
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(
            f"POST /a/{authority.slug}/api/v1/applications/{created['id']}/submit/ HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nX-Application-Token: {created['token']}\r\nIdempotency-Key: crash-key-1\r\n"
            "Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )
        time.sleep(0.05)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        sock.close()
        assert Case.objects.filter(authority=authority).count() <= 1

        server = _start(port, media)
        first = _post(f"{base}/{created['id']}/submit/", headers=headers)
        again = _post(f"{base}/{created['id']}/submit/", headers=headers)
        assert first[1]["case_number"] == again[1]["case_number"]
        assert first[1]["access_code"] and first[1]["access_code"] == again[1]["access_code"]
    finally:
        server.kill()
        server.wait()
        connection.close()

    assert Case.objects.filter(authority=authority).count() == 1
    case = Case.objects.get(authority=authority)
    documents = {d.document_type: d for d in Document.objects.filter(case=case)}
    for key, checksum in acknowledged.items():
        stored = Path(media) / documents[key].file.name
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == checksum == documents[key].sha256
