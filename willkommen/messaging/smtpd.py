"""The SMTP endpoint for incoming mail (aiosmtpd). Run it with ``manage.py messaging_smtpd``.

Only recipients that are an authority's e-mail address are accepted (others get 550); each mail is
handled at once (stored, matched, acknowledged) in a worker thread; a failure answers 451 so the
sending server tries again later and nothing is lost.
"""

import logging

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from . import inbound

log = logging.getLogger(__name__)


def _authority_exists(address):
    try:
        return inbound.authority_for_address(address) is not None
    finally:
        close_old_connections()


def _receive(raw, mail_from, rcpt_tos):
    try:
        return len(inbound.receive(raw, envelope_from=mail_from or "", recipients=rcpt_tos))
    finally:
        close_old_connections()


class InboundHandler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not await sync_to_async(_authority_exists, thread_sensitive=False)(address):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        try:
            await sync_to_async(_receive, thread_sensitive=False)(raw, envelope.mail_from, list(envelope.rcpt_tos))
        except Exception:
            log.exception("incoming mail could not be handled")
            return "451 4.3.0 Temporary failure, please try again later"
        return "250 Message accepted"


def controller(host=None, port=None):
    return Controller(
        InboundHandler(),
        hostname=host or getattr(settings, "MESSAGING_SMTPD_HOST", "127.0.0.1"),
        port=port or getattr(settings, "MESSAGING_SMTPD_PORT", 2525),
        data_size_limit=getattr(settings, "MESSAGING_SMTPD_MAX_BYTES", 25 * 1024 * 1024),
    )
