"""Channels behind one interface, registered in one registry.

An adapter knows how to reach a person (``address_for``) and how to deliver one stored
:class:`~willkommen.messaging.models.Message` (``send``). ``send`` returns the provider's id and
raises :class:`TransientFailure` (retry later) or :class:`PermanentFailure` (try the next channel).

Adapters shipped:

* ``email``: Django's e-mail backends (SMTP in production).
* ``portal``: the message stays in the portal; the client gets an e-mail notice with a link only.
* ``sms``: an HTTP gateway speaking Twilio's Messages API shape
  (``POST {MESSAGING_SMS_URL}/2010-04-01/Accounts/{account}/Messages.json``, form fields To, From, Body,
  HTTP basic auth; answer 201 with JSON ``{"sid": ...}``).
* ``messenger``: signal-cli's JSON REST API (``POST {MESSAGING_SIGNAL_URL}/v2/send`` with
  ``{"message", "number", "recipients"}``; answer 201 with ``{"timestamp": ...}``).
* ``letter``: a PDF rendered with WeasyPrint into the print queue.
"""

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.urls import get_script_prefix

from willkommen.core.storage import read_verified

from . import texts
from .placeholders import clean_header, clean_text  # noqa: F401 (used by other modules through channels)


class TransientFailure(Exception):
    """Delivery failed for now (gateway down, timeout, 5xx, 429): retried with backoff."""


class PermanentFailure(Exception):
    """Delivery cannot succeed on this channel (no address, refused number): the next channel is tried."""


def setting(name, default=None):
    return getattr(settings, name, default)


_registry = {}
PORTAL_ONLY = "portal-no-notice"  # stored in the portal; the client could not be told


def register(cls):
    _registry[cls.key] = cls()
    return cls


def get(key):
    return _registry[key]


def registered():
    return dict(_registry)


class ChannelAdapter:
    key = ""
    #: whether the message content may travel over this channel (the client chose it)
    carries_content = True

    def address_for(self, person):
        """The person's address on this channel, or "" when unreachable."""
        raise NotImplementedError

    def send(self, message):
        raise NotImplementedError


def _http_post(url, data, headers, timeout):
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310 (configured URL)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        body = error.read()
        if error.code == 429 or error.code >= 500:
            raise TransientFailure(f"HTTP {error.code}: {body[:200]!r}") from None
        raise PermanentFailure(f"HTTP {error.code}: {body[:200]!r}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        raise TransientFailure(f"gateway not reachable: {error}") from None


def portal_url(authority, path):
    """Absolute link to ``path`` (as ``reverse()`` gives it, with or without the request's script
    prefix) in the portal of ``authority``: its own host name, else SITE_URL + /a/<slug>."""
    prefix = get_script_prefix()
    if prefix != "/" and path.startswith(prefix):
        path = "/" + path[len(prefix) :]
    hosts = authority.host_list()
    if hosts:
        return f"https://{hosts[0]}{path}"
    base = setting("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/a/{authority.slug}{path}"


def portal_link(authority):
    """Absolute link to the client's messages in the portal of ``authority``."""
    return portal_url(authority, "/messages/")


def _notice(message):
    """The notice of a new portal message (template ``portal_notice``): a link, never the content."""
    values = {"authority": message.authority.name, "link": portal_link(message.authority)}
    return texts.render(message.authority, "portal_notice", message.language, values)


def short_text(message, key):
    """The text for SMS or messenger: the content when the client chose this channel, else only a notice."""
    person = message.person
    if person is None or person.preferred_channel == key or "content_by_email" in message.flags:
        return f"{message.subject}\n\n{message.body}".strip()
    notice = _notice(message)
    return f"{notice.subject}\n{notice.body}"


def notice_email(message, to):
    """The e-mail that tells the client about a portal message: a link, never the content."""
    notice = _notice(message)
    return EmailMessage(
        subject=notice.subject,
        body=notice.body,
        from_email=message.authority.email or None,
        to=[to],
    )


# --- the person's channels in order ---------------------------------------------------------------

PERSON_CHANNEL = {"post": "letter"}  # the clients room calls the letter channel "post"


def max_body_chars():
    return setting("MESSAGING_MAX_BODY_CHARS", 20_000)


def channel_order(person):
    """The person's preferred channel first, then the fallback order (MESSAGING_FALLBACK_ORDER)."""
    preferred = PERSON_CHANNEL.get(person.preferred_channel, person.preferred_channel)
    order = [preferred] + [c for c in setting("MESSAGING_FALLBACK_ORDER", ["email", "sms", "letter"]) if c != preferred]
    return [c for c in order if c in registered()]


def first_reachable(person, order):
    for key in order:
        if get(key).address_for(person):
            return key
    return None


def reachable_channels(person, keys=("email", "sms", "messenger", "letter")):
    """The channels of ``keys`` on which ``person`` can be reached (an address is known), in that order."""
    return [key for key in keys if key in registered() and get(key).address_for(person)]


def choose_channel(person, email=""):
    """The person's first reachable channel in their order; the portal when none is; e-mail without a person."""
    if person is None:
        return "email"
    for key in channel_order(person):
        if (key == "email" and email) or get(key).address_for(person):
            return key
    return "portal"


@register
class EmailChannel(ChannelAdapter):
    key = "email"

    def address_for(self, person):
        return person.email or ""

    def send(self, message):
        to = message.address or (self.address_for(message.person) if message.person else "")
        if not to:
            raise PermanentFailure("no e-mail address")
        person = message.person
        content_allowed = person is None or person.preferred_channel == "email" or "content_by_email" in message.flags
        if not content_allowed:
            email = notice_email(message, to)
        else:
            email = EmailMessage(
                subject=clean_header(message.subject),
                body=message.body,
                from_email=message.authority.email or None,
                to=[to],
            )
            for attachment in message.attachments.all():
                email.attach(
                    attachment.file_name,
                    read_verified(attachment.storage_name, attachment.sha256),
                    attachment.content_type,
                )
        if message.external_id:
            email.extra_headers["Message-ID"] = message.external_id
        try:
            email.send()
        except (OSError, ConnectionError) as error:  # smtplib errors are OSErrors
            raise TransientFailure(f"SMTP: {error}") from None
        return email.extra_headers.get("Message-ID", "")


@register
class PortalChannel(ChannelAdapter):
    """The message is read in the portal; an e-mail notice (link only) goes out when an address is known."""

    key = "portal"

    def address_for(self, person):
        return "portal"

    def send(self, message):
        person = message.person
        if person is None:
            raise PermanentFailure("portal messages need a person")
        if person.email:
            try:
                notice_email(message, person.email).send()
            except (OSError, ConnectionError) as error:
                raise TransientFailure(f"SMTP: {error}") from None
            return "portal"
        return PORTAL_ONLY


@register
class SmsChannel(ChannelAdapter):
    key = "sms"

    def address_for(self, person):
        phone = re.sub(r"[^\d+]", "", person.phone or "")
        return phone if len(phone) >= 6 else ""

    def send(self, message):
        url = setting("MESSAGING_SMS_URL", "")
        if not url:
            raise PermanentFailure("no SMS gateway configured")
        to = message.address or self.address_for(message.person)
        if not to:
            raise PermanentFailure("no phone number")
        account = setting("MESSAGING_SMS_ACCOUNT", "willkommen")
        token = setting("MESSAGING_SMS_TOKEN", "")
        text = short_text(message, self.key)[:1600]
        data = urllib.parse.urlencode({"To": to, "From": setting("MESSAGING_SMS_FROM", "Willkommen"), "Body": text})
        auth = base64.b64encode(f"{account}:{token}".encode()).decode()
        status, body = _http_post(
            f"{url.rstrip('/')}/2010-04-01/Accounts/{urllib.parse.quote(account)}/Messages.json",
            data.encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Basic {auth}"},
            setting("MESSAGING_GATEWAY_TIMEOUT", 10),
        )
        try:
            return str(json.loads(body).get("sid", ""))[:120]
        except (ValueError, AttributeError):
            return ""


@register
class MessengerChannel(ChannelAdapter):
    """Signal through signal-cli-rest-api."""

    key = "messenger"

    def address_for(self, person):
        return SmsChannel().address_for(person)

    def send(self, message):
        url = setting("MESSAGING_SIGNAL_URL", "")
        if not url:
            raise PermanentFailure("no messenger gateway configured")
        to = message.address or self.address_for(message.person)
        if not to:
            raise PermanentFailure("no phone number")
        payload = {
            "message": short_text(message, self.key),
            "number": setting("MESSAGING_SIGNAL_NUMBER", ""),
            "recipients": [to],
        }
        status, body = _http_post(
            f"{url.rstrip('/')}/v2/send",
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
            setting("MESSAGING_GATEWAY_TIMEOUT", 10),
        )
        try:
            return str(json.loads(body).get("timestamp", ""))[:120]
        except (ValueError, AttributeError):
            return ""


@register
class LetterChannel(ChannelAdapter):
    """Postal letter: a PDF in the print queue; staff print and post it."""

    key = "letter"

    def address_for(self, person):
        return "post" if person.street and person.city else ""

    def send(self, message):
        from willkommen.letters.pdf import render_pdf

        from .models import Attachment

        person = message.person
        if person is None or not self.address_for(person):
            raise PermanentFailure("no postal address")
        if message.attachments.filter(content_type="application/pdf", file_name="letter.pdf").exists():
            return "print-queue"  # already rendered by an earlier attempt
        pdf = render_pdf(
            "messaging/letter.html",
            {"message": message, "person": person, "authority": message.authority},
            language=message.language,
        )
        import hashlib
        import uuid

        name = default_storage.save(
            f"messaging/{message.authority_id}/letters/{uuid.uuid4().hex}.pdf", ContentFile(pdf)
        )
        Attachment.objects.create(
            authority=message.authority,
            message=message,
            file_name="letter.pdf",
            content_type="application/pdf",
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            storage_name=name,
        )
        return "print-queue"


@register
class PhoneNoteChannel(ChannelAdapter):
    """A note of a phone call: stored, never sent."""

    key = "phone_note"

    def address_for(self, person):
        return ""

    def send(self, message):
        raise PermanentFailure("phone notes are not sent")
