"""Demo data: one changed automatic text (the status message in German and English names the portal's
messages; the other languages keep the shipped text, so the template page marks them as older than
the German), an interpreter register and a short conversation with the first demo client. Idempotent."""

from decimal import Decimal

from . import template_texts
from .models import Channel, Direction, Interpreter, Message, MessageTemplate, Status

INTERPRETERS = [
    ("Rana Haddad", "rana.haddad@dolmetscher.example", ["ar", "ku"], "Mo–Mi vormittags", Decimal("65.00")),
    ("Olha Melnyk", "olha.melnyk@dolmetscher.example", ["uk", "ru"], "Di–Fr", Decimal("60.00")),
    ("Dariush Karimi", "d.karimi@dolmetscher.example", ["fa", "prs"], "nach Absprache", Decimal("70.00")),
    ("Ayşe Demir", "ayse.demir@dolmetscher.example", ["tr"], "Mo–Fr", Decimal("55.00")),
]


PORTAL_HINT = {
    "de": "Fragen? Schreiben Sie uns im Portal unter „Nachrichten“.",
    "en": "Questions? Write to us in the portal under “Messages”.",
}


def changed_status_message(authority):
    if MessageTemplate.objects.filter(authority=authority, key="status_message").exists():
        return
    for language, hint in PORTAL_HINT.items():
        subject, body = template_texts.shipped("status_message", language)
        head, _sep, signature = body.rpartition("\n\n")
        MessageTemplate.objects.create(
            authority=authority,
            key="status_message",
            language=language,
            version=1,
            subject=subject,
            body=f"{head}\n\n{hint}\n\n{signature}",
            changed_by="admin (Demo)",
        )


def load(authority):
    changed_status_message(authority)
    for name, email, languages, availability, rate in INTERPRETERS:
        Interpreter.objects.get_or_create(
            authority=authority,
            email=email,
            defaults={"name": name, "languages": languages, "availability": availability, "hourly_rate": rate},
        )
    from willkommen.clients.selectors import persons

    person = persons(authority).order_by("pk").first()
    if person is None or Message.objects.filter(authority=authority, person=person).exists():
        return
    Message.objects.create(
        authority=authority,
        person=person,
        direction=Direction.IN,
        channel=Channel.PORTAL,
        subject="Frage zu meinem Antrag",
        body="Guten Tag, welche Unterlagen fehlen noch für meinen Antrag?",
        language=person.preferred_language,
        status=Status.RECEIVED,
    )
    Message.objects.create(
        authority=authority,
        person=person,
        direction=Direction.OUT,
        channel=Channel.PORTAL,
        subject="Antwort auf Ihre Frage",
        body="Guten Tag, es fehlt nur noch die Meldebescheinigung. Sie können sie hier im Portal hochladen.",
        language=person.preferred_language,
        status=Status.SENT,
        provider_id="demo",
    )
