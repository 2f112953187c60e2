"""Starting and stopping local server processes for the scale tests and benchmarks."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process=None, timeout=60, what="server"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer on port {port} within {timeout} s")


def redis_available(url):
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 (any failure means: not usable here)
        return False
    return True


def stop(process, timeout=10, sig=signal.SIGTERM):
    """Stop a process we started (by its id only) and wait for it."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def django_env(**extra):
    """Environment for a child Django process: this process's, without pytest's marker, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
    # the children serve plain http on 127.0.0.1: no HTTPS redirect, HSTS or Secure cookies (docs/security.md)
    env.setdefault("HTTPS_ONLY", "off")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def python():
    return sys.executable


def start_web(port, env, workers=1, threads=4):
    """gunicorn serving Willkommen on 127.0.0.1:``port`` as in production (docs/deployment.md)."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [
            gunicorn,
            "willkommen.wsgi",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process, timeout=90, what=f"gunicorn on port {port}")
    except RuntimeError:
        stop(process)
        raise
    return process


class Browser:
    """A minimal HTTP client with one cookie jar, like one browser behind a load balancer: the same cookies
    go to every server it talks to. ``forwarded_for``: the client address a proxy in front would name
    (``X-Forwarded-For``; honoured by servers started with ``PROXY_ADDRESSES=127.0.0.1``)."""

    def __init__(self, forwarded_for=""):
        self.cookies = {}
        self.forwarded_for = forwarded_for

    def request(self, port, method, path, data=None, headers=None, json_body=None, raw=None):
        import http.client
        import json
        from http.cookies import SimpleCookie
        from urllib.parse import urlencode

        headers = dict(headers or {})
        body = raw  # bytes sent as they are (a multipart body; its Content-Type in ``headers``)
        if json_body is not None:
            body = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        elif data is not None:
            data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if method != "GET" and "csrftoken" in self.cookies:
            headers.setdefault("X-CSRFToken", self.cookies["csrftoken"])
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            headers.setdefault("X-Forwarded-For", self.forwarded_for)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            response.body = content
            response.text = content.decode("utf-8", "replace")
            return response
        finally:
            conn.close()

    def get(self, port, path, **kwargs):
        return self.request(port, "GET", path, **kwargs)

    def post(self, port, path, data=None, **kwargs):
        return self.request(port, "POST", path, data=data, **kwargs)
