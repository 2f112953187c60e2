"""Incoming SMS through the gateway's webhook (Twilio's shape): ``POST /messaging/sms/incoming/`` (with the
authority's prefix ``/a/<slug>`` or on its host name), form fields MessageSid, AccountSid, From, To, Body,
NumMedia, MediaUrl0…, signed in the header X-Twilio-Signature.

The signature is Base64(HMAC-SHA1(auth token, URL + every parameter name and value, sorted by name)). The
auth token is MESSAGING_SMS_TOKEN (the one the outgoing side uses); the URL is the address the gateway
called – as the request shows it, or MESSAGING_SMS_WEBHOOK_BASE + path behind a proxy that rewrites it. A
request without a valid signature is forged: 403, nothing stored. A message is taken once by its MessageSid;
a repeated delivery answers 200 and stores and sends nothing. Media is fetched only from the gateway's own
origin (MESSAGING_SMS_URL) with the account's credentials.
"""

import base64
import hashlib
import hmac
import urllib.parse

from .channels import setting
from .inbound_phone import FetchFailed, IncomingFile, http_get, take
from .models import Channel

MAX_MEDIA = 10


def signature(token, url, params):
    """Twilio's request signature of ``url`` and ``params`` (pairs of name and value)."""
    values = {}
    for name, value in params:
        values.setdefault(name, set()).add(value)
    payload = url + "".join(name + value for name in sorted(values) for value in sorted(values[name]))
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def webhook_url(request):
    base = setting("MESSAGING_SMS_WEBHOOK_BASE", "")
    return base.rstrip("/") + request.get_full_path() if base else request.build_absolute_uri()


def is_signed(request):
    """True when the request carries a valid signature made with our auth token (and, where the gateway
    names one, for our account)."""
    token = setting("MESSAGING_SMS_TOKEN", "")
    given = request.headers.get("X-Twilio-Signature", "")
    if not token or not given:
        return False
    params = [(name, value) for name, values in request.POST.lists() for value in values]
    expected = signature(token, webhook_url(request), params)
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return False
    account = request.POST.get("AccountSid", "")
    return not account or account == setting("MESSAGING_SMS_ACCOUNT", "willkommen")


def _same_origin(url, base):
    a, b = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base)
    return bool(a.scheme and a.netloc) and (a.scheme, a.netloc) == (b.scheme, b.netloc)


def _media(form):
    base = setting("MESSAGING_SMS_URL", "")
    account, token = setting("MESSAGING_SMS_ACCOUNT", "willkommen"), setting("MESSAGING_SMS_TOKEN", "")
    auth = "Basic " + base64.b64encode(f"{account}:{token}".encode()).decode()
    try:
        count = max(0, min(int(form.get("NumMedia") or 0), MAX_MEDIA))
    except ValueError:
        count = 0
    files = []
    for index in range(count):
        url = form.get(f"MediaUrl{index}", "")
        name = f"media-{index + 1}"
        if not _same_origin(url, base):
            files.append(IncomingFile(name=name, size=None, fetch=_refuse_foreign(url)))
            continue
        files.append(IncomingFile(name=name, size=None, fetch=lambda limit, url=url: _get(url, auth, limit)))
    return files


def _get(url, auth, limit):
    return http_get(url, headers={"Authorization": auth}, limit=limit)


def _refuse_foreign(url):
    def fetch(limit):
        raise FetchFailed("not on the gateway's host")

    return fetch


def handle_webhook(authority, form):
    """Take one signed webhook request (its form). Returns (message, newly taken); None when it has no
    MessageSid (nothing to take)."""
    sid = str(form.get("MessageSid") or form.get("SmsSid") or "").strip()[:64]
    if not sid:
        return None, False
    return take(
        authority,
        channel=Channel.SMS,
        external_id=f"sms:{sid}",
        sender=str(form.get("From") or "")[:40],
        text=str(form.get("Body") or ""),
        files=_media(form),
    )
