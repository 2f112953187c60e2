"""Demo data: all automatic templates in all eight languages, an interpreter register and a short
conversation with the first demo client. Idempotent."""

from decimal import Decimal

from . import services
from .models import Channel, Direction, Interpreter, Message, Status

INTERPRETERS = [
    ("Rana Haddad", "rana.haddad@dolmetscher.example", ["ar", "ku"], "Mo–Mi vormittags", Decimal("65.00")),
    ("Olha Melnyk", "olha.melnyk@dolmetscher.example", ["uk", "ru"], "Di–Fr", Decimal("60.00")),
    ("Dariush Karimi", "d.karimi@dolmetscher.example", ["fa", "prs"], "nach Absprache", Decimal("70.00")),
    ("Ayşe Demir", "ayse.demir@dolmetscher.example", ["tr"], "Mo–Fr", Decimal("55.00")),
]


def load(authority):
    services.seed_templates(authority)
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
