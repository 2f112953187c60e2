"""A small but real OpenID Connect provider for the tests: an HTTP server on 127.0.0.1 in a thread.

It serves the discovery document, the JWKS, the authorization endpoint (it signs in whoever the test
named in ``next_user`` and redirects back with a code), the token endpoint (client secret, PKCE, one use
per code; RS256-signed ID tokens) and the end-session endpoint (it records the calls). ``tamper`` makes
the next ID token wrong in one way: "forge" (signed with another key under the same key id),
"audience", "expired", "nonce", "issuer".
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey


class Provider:
    def __init__(self, client_id="willkommen", client_secret="s3cret"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
        self.forger = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
        self.next_user = {}
        self.tamper = None
        self.broken = None  # "discovery-issuer", "discovery-list", "jwks-junk", "token-junk"
        self.codes = {}
        self.issued = []  # ID tokens handed out
        self.authorize_requests = []
        self.logout_requests = []
        self.token_requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # --- what the endpoints answer -----------------------------------------------------------

    def discovery(self):
        if self.broken == "discovery-list":
            return ["not", "an", "object"]
        return {
            "issuer": "http://127.0.0.1:1" if self.broken == "discovery-issuer" else self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, query):
        self.authorize_requests.append(query)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "nonce": query.get("nonce"),
            "challenge": query.get("code_challenge"),
            "redirect_uri": query.get("redirect_uri"),
            "user": dict(self.next_user),
        }
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"

    def token(self, form, auth_header):
        self.token_requests += 1
        secret_ok = auth_header == "Basic " + base64.b64encode(
            f"{self.client_id}:{self.client_secret}".encode()
        ).decode() or (form.get("client_id") == self.client_id and form.get("client_secret") == self.client_secret)
        grant = self.codes.pop(form.get("code", ""), None)
        if not secret_ok:
            return 401, {"error": "invalid_client"}
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        id_token = self.id_token(grant["user"], grant["nonce"])
        self.issued.append(id_token)
        return 200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "id_token": id_token}

    def id_token(self, user, nonce):
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **user,
        }
        key = self.key
        tamper, self.tamper = self.tamper, None
        if tamper == "forge":
            key = self.forger
        elif tamper == "audience":
            claims["aud"] = "another-client"
        elif tamper == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        elif tamper == "nonce":
            claims["nonce"] = "not-the-one"
        elif tamper == "issuer":
            claims["iss"] = "http://127.0.0.1:1"
        return jwt.encode({"alg": "RS256", "kid": "key-1"}, claims, key)

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _redirect(self, location):
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self._json(200, provider.discovery())
                if url.path == "/jwks":
                    if provider.broken == "jwks-junk":
                        return self._json(200, {"keys": "junk"})
                    return self._json(200, {"keys": [provider.key.as_dict(private=False)]})
                if url.path == "/authorize":
                    return self._redirect(provider.authorize(query))
                if url.path == "/logout":
                    provider.logout_requests.append(query)
                    return self._redirect(query.get("post_logout_redirect_uri") or provider.issuer)
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlparse(self.path).path == "/token":
                    status, body = provider.token(form, self.headers.get("Authorization", ""))
                    if provider.broken == "token-junk":
                        status, body = 200, ["junk"]
                    return self._json(status, body)
                return self._json(404, {"error": "not_found"})

        return Handler
