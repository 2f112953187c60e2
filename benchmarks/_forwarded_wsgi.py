"""WSGI entry of the capacity benchmark's servers: Willkommen's application behind a stand-in for the proxy.

Each simulated client visit comes from its own address in ``X-Forwarded-For`` (benchmarks/capacity.py); this
wrapper sets ``REMOTE_ADDR`` from it for requests from 127.0.0.1, as the production proxy's address rewriting
would. Code from before ``PROXY_ADDRESSES`` existed (the issue-23 baseline) then sees the same client addresses
as today's code, so the per-address limits (status sign-in: 10 a minute) hold per client in both. The file is
copied next to the server and imported as a top-level module (``gunicorn _forwarded_wsgi:application``), so it
must not import the benchmarks package.
"""

from willkommen.wsgi import application as _application


def application(environ, start_response):
    forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and environ.get("REMOTE_ADDR") == "127.0.0.1":
        environ["REMOTE_ADDR"] = forwarded.split(",")[-1].strip()
    return _application(environ, start_response)
