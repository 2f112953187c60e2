"""Incoming Signal messages through signal-cli-rest-api, polled by the periodic job ``fetch_incoming_signal``.

``GET {MESSAGING_SIGNAL_URL}/v1/receive/{number}`` answers a JSON list of ``{"envelope": {"source",
"sourceNumber", "timestamp", "dataMessage": {"message", "attachments": [{"id", "contentType", "filename",
"size"}]}}, "account"}`` (and removes them from signal-cli's queue); each attachment is fetched by
``GET /v1/attachments/{id}``. Envelopes without a data message (receipts, typing, sync) are skipped.

Which authority a number receives for: MESSAGING_SIGNAL_RECEIVE (``+49151…=slug,+49152…=other``); without
it, MESSAGING_SIGNAL_NUMBER for the default authority. A message is taken once by its timestamp and source.
Forged: an envelope whose ``source`` and ``sourceNumber`` name different numbers, or one addressed to another
account – never matched, never answered. A number that nobody confirmed goes to the unassigned inbox.
"""

import hashlib
import json
import logging
import urllib.parse

from django.conf import settings

from willkommen.tenancy.models import Authority

from . import phone_numbers
from .channels import setting
from .inbound_phone import FetchFailed, IncomingFile, http_get, take
from .models import Channel

log = logging.getLogger(__name__)
MAX_ENVELOPES = 500


def receiving_numbers():
    """[(number, authority)] to poll."""
    configured = setting("MESSAGING_SIGNAL_RECEIVE", "") or ""
    pairs = [item.split("=", 1) for item in configured.split(",") if "=" in item]
    if not pairs and setting("MESSAGING_SIGNAL_NUMBER", ""):
        from willkommen.tenancy.selectors import default_authority

        authority = default_authority(getattr(settings, "DEFAULT_AUTHORITY", ""))
        return [(setting("MESSAGING_SIGNAL_NUMBER"), authority)] if authority else []
    slugs = {slug.strip(): number.strip() for number, slug in pairs}
    return [(slugs[a.slug], a) for a in Authority.objects.filter(slug__in=slugs).order_by("pk")]


def _base():
    return setting("MESSAGING_SIGNAL_URL", "").rstrip("/")


def fetch_signal():
    """Poll every receiving number once. Returns the number of messages newly taken."""
    if not _base():
        return 0
    taken = 0
    for number, authority in receiving_numbers():
        try:
            raw = http_get(f"{_base()}/v1/receive/{urllib.parse.quote(number, safe='')}")
            items = json.loads(raw or b"[]")
        except (FetchFailed, ValueError) as error:
            log.warning("signal receive failed for %s: %s", authority.slug, error)
            continue
        for item in items[:MAX_ENVELOPES] if isinstance(items, list) else []:
            try:
                message, new = handle_envelope(authority, number, item)
            except Exception:  # one bad envelope must not lose the others (they are already off the queue)
                log.exception("signal envelope for %s could not be handled", authority.slug)
                message, new = _keep_for_a_human(authority, item), True
            taken += int(bool(message) and new)
    return taken


def _forged(item, envelope, own_number):
    source, source_number = str(envelope.get("source") or ""), str(envelope.get("sourceNumber") or "")
    if source.startswith("+") and source_number and source != source_number:
        return True
    account = str(item.get("account") or "")
    return bool(account) and phone_numbers.normalise(account) != phone_numbers.normalise(own_number)


def _files(envelope_data):
    files = []
    for attachment in (envelope_data.get("attachments") or [])[:50]:
        if not isinstance(attachment, dict) or not attachment.get("id"):
            continue
        url = f"{_base()}/v1/attachments/{urllib.parse.quote(str(attachment['id']), safe='')}"
        size = attachment.get("size")
        files.append(
            IncomingFile(
                name=str(attachment.get("filename") or ""),
                size=size if isinstance(size, int) else None,
                fetch=lambda limit, url=url: http_get(url, limit=limit),
            )
        )
    return files


def handle_envelope(authority, own_number, item):
    """Take one envelope of ``GET /v1/receive``. Returns (message or None, newly taken)."""
    envelope = item.get("envelope") if isinstance(item, dict) else None
    data = envelope.get("dataMessage") if isinstance(envelope, dict) else None
    if not isinstance(data, dict) or not (data.get("message") or data.get("attachments")):
        return None, False  # a receipt, typing indicator or sync message: nothing to take
    sender = str(envelope.get("sourceNumber") or envelope.get("source") or "")[:40]
    stamp = envelope.get("timestamp")
    if isinstance(stamp, int) and sender:
        external_id = f"signal:{stamp}:{sender}"
    else:
        external_id = "signal:sha256:" + hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()
    forged = _forged(item, envelope, own_number)
    return take(
        authority,
        channel=Channel.MESSENGER,
        external_id=external_id,
        sender=sender,
        text=str(data.get("message") or ""),
        files=_files(data),
        flags=["forged_sender"] if forged else [],
        trusted=not forged,
    )


def _keep_for_a_human(authority, item):
    text = json.dumps(item, ensure_ascii=False)[:20000] if item is not None else ""
    digest = hashlib.sha256(text.encode()).hexdigest()
    message, _new = take(
        authority,
        channel=Channel.MESSENGER,
        external_id=f"signal:sha256:{digest}",
        sender="",
        text=text,
        flags=["unparseable"],
        trusted=False,
    )
    return message
