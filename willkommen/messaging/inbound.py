"""Incoming e-mail: received by the SMTP endpoint (``manage.py messaging_smtpd``) or fetched by IMAP.

Each mail is stored once (by Message-ID), matched to a case by the case number in the subject or
text (ABH-YYYY-NNNNNN), else to a person by a known, unambiguous address, else put into the
unassigned inbox for the ServicePoint. It is acknowledged at once, in the sender's language where
it can be guessed (else German and English). Bad input is neutralised and recorded as remarks on
the message: forged senders (failed SPF/DKIM/DMARC, envelope and header sender of different
domains, our own address) are never matched and never answered; attachments that fail the upload
checks are dropped; overlong texts are cut; control characters in subjects are removed.
"""

import email
import email.policy
import email.utils
import hashlib
import html
import imaplib
import logging
import re

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from willkommen.tenancy.models import Authority

from . import attachments as attachment_store
from . import channels, delivery, texts
from .models import Attachment, Channel, Direction, Message, Status

log = logging.getLogger(__name__)

CASE_NUMBER = re.compile(r"\bABH-\d{4}-\d{6}\b", re.IGNORECASE)
MAX_ATTACHMENTS = 10


def authority_for_address(address):
    address = (address or "").strip().lower()
    if not address:
        return None
    return Authority.objects.filter(email__iexact=address).first()


def receive(raw, *, envelope_from="", recipients=()):
    """Handle one mail delivered to ``recipients``; returns the stored messages (one per authority)."""
    stored, seen = [], set()
    for recipient in recipients:
        authority = authority_for_address(recipient)
        if authority is not None and authority.pk not in seen:
            seen.add(authority.pk)
            stored.append(handle_incoming(authority, raw, envelope_from=envelope_from))
    return stored


# --- language ------------------------------------------------------------------------------------

LATIN_HINTS = {
    "tr": re.compile(r"[ğışĞŞ]|(?i:\b(merhaba|teşekkür|lütfen|başvuru)\b)"),
    "fr": re.compile(r"\b(bonjour|merci|je|vous|madame|monsieur|demande)\b", re.IGNORECASE),
    "de": re.compile(r"[äöüß]|\b(ich|und|nicht|sehr geehrte|bitte|mein|meine|termin)\b", re.IGNORECASE),
    "en": re.compile(r"\b(the|and|dear|please|hello|my|appointment|thank)\b", re.IGNORECASE),
}


def guess_language(text, *, content_language="", person=None):
    """The sender's language, or None when it cannot be guessed."""
    known = {code for code, _ in settings.LANGUAGES}
    code = (content_language or "").split(",")[0].strip()[:2].lower()
    if code in known:
        return code
    sample = (text or "")[:5000]
    arabic = len(re.findall(r"[\u0600-\u06ff]", sample))
    cyrillic = len(re.findall(r"[\u0400-\u04ff]", sample))
    if arabic >= 3 and arabic >= cyrillic:
        return "fa" if re.search(r"[پچژگ\u06cc\u06a9]", sample) else "ar"
    if cyrillic >= 3:
        return "uk" if re.search(r"[іїєґІЇЄҐ]", sample) else "ru"
    if person is not None and person.preferred_language in known:
        return person.preferred_language
    scores = {lang: len(pattern.findall(sample)) for lang, pattern in LATIN_HINTS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 2 else None


# --- parsing -------------------------------------------------------------------------------------


def _domain(address):
    return address.rsplit("@", 1)[-1].lower() if "@" in address else ""


def _text_of(mail):
    try:
        part = mail.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        content = part.get_content()
        if part.get_content_type() == "text/html":
            content = html.unescape(re.sub(r"<[^>]*>", " ", content))
        return content if isinstance(content, str) else ""
    except (LookupError, ValueError, AttributeError):
        return ""


def sender_problems(mail, sender, envelope_from, authority):
    problems = []
    results = " ".join(str(v) for v in mail.get_all("Authentication-Results", []) or []).lower()
    if re.search(r"\b(spf|dkim|dmarc)=(fail|softfail)", results):
        problems.append("forged_sender")
    if not sender or "@" not in sender:
        problems.append("no_valid_sender")
    elif envelope_from and "@" in envelope_from and _domain(envelope_from) != _domain(sender):
        problems.append("forged_sender")
    if sender and authority.email and sender.lower() == authority.email.lower():
        problems.append("forged_sender")
    return sorted(set(problems))


def is_automatic(mail, sender):
    auto = str(mail.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(mail.get("Precedence", "")).strip().lower()
    local = sender.split("@")[0].lower() if sender else ""
    return (
        auto != "no"
        or precedence in {"bulk", "list", "junk"}
        or mail.get("List-Id") is not None
        or local in {"mailer-daemon", "postmaster", "noreply", "no-reply"}
    )


def _parse(authority, raw):
    """(mail, message_id, sender, subject, text, content_language, flags) of a raw mail; a mail that cannot
    be parsed is still kept for a human (``mail`` None, flagged "unparseable")."""
    try:
        mail = email.message_from_bytes(raw, policy=email.policy.default)
        message_id = channels.clean_header(mail.get("Message-ID", ""), 250)
        sender = email.utils.parseaddr(channels.clean_header(mail.get("From", ""), 300))[1]
        subject = channels.clean_header(mail.get("Subject", ""))
        text = _text_of(mail)
        content_language = channels.clean_header(mail.get("Content-Language", ""), 20)
    except Exception:  # a mail that cannot be parsed is still kept for a human
        log.warning("unparseable mail for %s", authority.slug, exc_info=True)
        text = raw[:20000].decode("utf-8", "replace")
        return None, "", "", "", text, "", ["unparseable"]
    return mail, message_id, sender, subject, text, content_language, []


def _match(authority, sender, subject, text, flags):
    """(person, case) of a trusted mail: a case number in the subject or text, else the one person with
    the sender's address (two or more: flagged "ambiguous_sender", nobody)."""
    from willkommen.clients import case_refs
    from willkommen.clients.selectors import persons_with_email

    person = case = None
    for number in CASE_NUMBER.findall(subject) + CASE_NUMBER.findall(text[:5000]):
        case = case_refs.by_number(authority, number.upper())
        if case is not None:
            person = case.person
            break
    if person is None:
        candidates = list(persons_with_email(authority, sender)[:2])
        if len(candidates) == 1:
            person = candidates[0]
        elif candidates:
            flags.append("ambiguous_sender")
    return person, case


def handle_incoming(authority, raw, *, envelope_from=""):
    """Store, match and acknowledge one incoming mail for ``authority``. Returns the stored message."""
    mail, message_id, sender, subject, text, content_language, flags = _parse(authority, raw)
    text = channels.clean_text(text)
    message_id = message_id or f"sha256:{hashlib.sha256(raw).hexdigest()}"  # no Message-ID: dedupe by content
    if message_id:
        existing = Message.objects.filter(authority=authority, external_id=message_id).first()
        if existing is not None:
            return existing  # fetched or delivered twice: stored and acknowledged once
    if len(text) > channels.max_body_chars():
        text = text[: channels.max_body_chars()]
        flags.append("body_truncated")
    if mail is not None:
        flags += sender_problems(mail, sender, envelope_from, authority)
    trusted = "forged_sender" not in flags and "no_valid_sender" not in flags
    person, case = _match(authority, sender, subject, text, flags) if trusted else (None, None)
    language = guess_language(f"{subject}\n{text}", content_language=content_language, person=person)

    with transaction.atomic():
        message = Message.objects.create(
            authority=authority,
            person=person,
            case=case,
            direction=Direction.IN,
            channel=Channel.EMAIL,
            subject=subject,
            body=text,
            language=language or "",
            address=sender[:254],
            status=Status.RECEIVED if person else Status.UNASSIGNED,
            external_id=message_id,
            flags=flags,
        )
        if mail is not None:
            _store_attachments(authority, message, mail, person, case)

    if trusted and mail is not None and not is_automatic(mail, sender):
        acknowledge(message)
    return message


def _store_attachments(authority, message, mail, person, case):
    rejected = []
    for index, part in enumerate(mail.iter_attachments()):
        name = channels.clean_header(part.get_filename() or f"attachment-{index + 1}", 120)
        if index >= MAX_ATTACHMENTS:
            rejected.append(f"{name}: too many attachments")
            continue
        try:
            payload = part.get_payload(decode=True) or b""
            fields = attachment_store.check_and_store(
                authority, SimpleUploadedFile(name, payload), person=person, case=case, source="email"
            )
        except attachment_store.AttachmentRejected as error:
            rejected.append(f"{name}: {error.message}")
            continue
        Attachment.objects.create(authority=authority, message=message, **fields)
    if rejected:
        message.flags = [*message.flags, *[f"attachment_rejected: {r}"[:200] for r in rejected]]
        message.save(update_fields=["flags"])


def acknowledge(message):
    """Send the automatic acknowledgement now (same job run), in the thread of the incoming message: in
    the sender's language, or in German and English when it could not be told (template store key
    ``acknowledgement``)."""
    values = {"subject": message.subject or "–"}
    ack = acknowledgement(message, "acknowledgement", values, channel=Channel.EMAIL, joiner="\n\n-----\n\n")
    return delivery.deliver(ack.pk)


def acknowledgement(message, key, values, *, channel, joiner, clean=lambda body: body):
    """The queued acknowledgement of an incoming ``message`` (mail, Signal, SMS; idempotent per message):
    template ``key`` in the sender's language, or German and English joined by ``joiner`` when the language
    could not be told. It carries no personal content."""
    known = message.language in dict(settings.LANGUAGES)
    values = {
        **values,
        "case_number": message.case.number if message.case else "",
        "authority": message.authority.name,
    }
    rendered = [
        texts.render(message.authority, key, language, values)
        for language in ([message.language] if known else ["de", "en"])
    ]
    return Message.objects.create(
        authority=message.authority,
        person=message.person,
        case=message.case,
        direction=Direction.OUT,
        channel=channel,
        subject=rendered[0].subject,
        body=joiner.join(clean(t.body) for t in rendered),
        language=rendered[0].language,
        template_key=key,
        address=message.address,
        status=Status.QUEUED,
        idempotency_key=f"ack-{message.pk}",
        flags=["content_by_email"],  # the acknowledgement carries no personal content
    )


# --- IMAP ----------------------------------------------------------------------------------------


def fetch_imap():
    """Fetch unseen mail from the configured IMAP mailbox (MESSAGING_IMAP_*). Returns the number handled."""
    host = getattr(settings, "MESSAGING_IMAP_HOST", "")
    if not host:
        return 0
    port = getattr(settings, "MESSAGING_IMAP_PORT", 993)
    client = (
        imaplib.IMAP4_SSL(host, port) if getattr(settings, "MESSAGING_IMAP_SSL", True) else imaplib.IMAP4(host, port)
    )
    handled = 0
    try:
        client.login(getattr(settings, "MESSAGING_IMAP_USER", ""), getattr(settings, "MESSAGING_IMAP_PASSWORD", ""))
        client.select(getattr(settings, "MESSAGING_IMAP_FOLDER", "INBOX"))
        _, data = client.search(None, "UNSEEN")
        for number in (data[0] or b"").split()[:200]:
            _, parts = client.fetch(number, "(RFC822)")
            raw = parts[0][1] if parts and isinstance(parts[0], tuple) else b""
            mail = email.message_from_bytes(raw, policy=email.policy.default)
            recipients = [a for _, a in email.utils.getaddresses(mail.get_all("To", []) + mail.get_all("Cc", []))]
            receive(raw, recipients=recipients)
            client.store(number, "+FLAGS", "\\Seen")
            handled += 1
    finally:
        try:
            client.logout()
        except Exception:  # noqa: S110 (closing a connection that already broke)
            pass
    return handled
