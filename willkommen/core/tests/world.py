"""A small office for the cross-room security tests: two teams, four persons with something of every kind.

Targets (who the data belongs to):

- ``own``: a case in team ``t1`` (the team of the staff under test);
- ``other``: a case in team ``t2``;
- ``new``: no case yet;
- ``foreign``: a person of another authority (with a case there).

Each person has a document in the e-file, a letter, an incoming message with an attachment, a failed and a
print-queued message, a booking and a drop-off; ``own`` and ``foreign`` have a checked-in ticket, ``own`` a
place in an accommodation. Every
marker (names, subjects, titles, ticket numbers) is unique, so a list page can be searched for it.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from willkommen.core.testing import make_location, make_staff, make_team

TARGETS = ("own", "other", "new", "foreign")
NAMES = {"own": "Eigenmann", "other": "Fremdteam", "new": "Neuling", "foreign": "Auslandkreis"}
TICKET_NUMBERS = {"own": 7, "foreign": 9}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Target:
    person: object
    case: object = None
    document: object = None
    letter: object = None
    message: object = None
    attachment: object = None
    booking: object = None
    drop_off: object = None
    ticket: object = None
    location: object = None
    placement: object = None
    episode: object = None
    authority_request: object = None


@dataclass
class World:
    authority: object
    other_authority: object
    t1: object
    t2: object
    location: object
    day: dt.date
    targets: dict = field(default_factory=dict)
    accommodation: object = None
    staff: dict = field(default_factory=dict)  # role -> user of ``authority`` in team t1; "foreign" -> caseworker there

    def __getitem__(self, key):
        return self.targets[key]


def build(authority, other_authority):
    from willkommen.accounts.roles import Role
    from willkommen.catalogue.testing import make_anliegen

    t1, t2 = make_team(authority, "Team Eins"), make_team(authority, "Team Zwei")
    tb = make_team(other_authority, "Team Beta")
    location, location_b = make_location(authority), make_location(other_authority)
    anliegen, anliegen_b = make_anliegen(authority), make_anliegen(other_authority)
    world = World(authority, other_authority, t1, t2, location, timezone.localdate())
    for role in Role:
        world.staff[role.value] = make_staff(authority, f"w-{role.value}", role=role.value, teams=[t1])
    world.staff["foreign"] = make_staff(other_authority, "w-foreign", role="caseworker", teams=[tb])
    places = {
        "own": (authority, t1, location, anliegen),
        "other": (authority, t2, location, anliegen),
        "new": (authority, None, location, anliegen),
        "foreign": (other_authority, tb, location_b, anliegen_b),
    }
    for n, (key, (owner, team, place, offer)) in enumerate(places.items()):
        world.targets[key] = _target(key, n, owner, team, place, offer, with_case=key != "new")
    world.accommodation, world["own"].placement, world["own"].episode = _placement(authority, world["own"])
    _interpreter(authority, world["own"])
    return world


def _interpreter(authority, target):
    from willkommen.messaging.models import Interpreter, InterpreterBooking

    interpreter = Interpreter.objects.create(
        authority=authority, name="Dolmetscherin", email="d@example.org", languages=["ar"], hourly_rate=50
    )
    return InterpreterBooking.objects.create(
        authority=authority,
        interpreter=interpreter,
        language="ar",
        starts_at=timezone.now() + dt.timedelta(days=1),
        case=target.case,
        person=target.person,
        cost=50,
    )


def _authority_request(authority, key, target):
    from willkommen.partners.models import AuthorityRequest

    return AuthorityRequest.objects.create(
        authority=authority,
        case=target.case,
        reference=f"{target.case.number}-R1",
        recipient_type="police",
        recipient_name="Polizei",
        connector="email",
        recipient_email="polizei@example.org",
        question="Erkenntnisse?",
        sent_on=timezone.localdate(),
        due_on=timezone.localdate() + dt.timedelta(days=14),
        sent_at=timezone.now(),
    )


def _placement(authority, target):
    from willkommen.accommodation.models import Accommodation
    from willkommen.accommodation.services import add_room, isolate, place

    accommodation = Accommodation.objects.create(authority=authority, name="Haus am See", capacity=10)
    add_room(authority, accommodation, floor="EG", name="Iso", beds=1, kind="isolation")
    stay = place(authority, target.person, accommodation, moved_in=timezone.localdate() - dt.timedelta(days=3))
    end = timezone.localdate() + dt.timedelta(days=5)
    episode = isolate(authority, stay, kind="isolation", reason="Anordnung", planned_end=end)
    return accommodation, episode.placement, episode


def _target(key, n, authority, team, location, anliegen, *, with_case):
    from willkommen.cases.services import open_case
    from willkommen.clients.services import create_person

    person = create_person(
        authority,
        family_name=NAMES[key],
        given_names="Testperson",
        date_of_birth=dt.date(1980 + n, 1, 1 + n),
        email=f"{key}@example.org",
    )
    target = Target(person=person, location=location)
    if with_case:
        target.case, _code = open_case(authority, person=person, anliegen=anliegen, team=team)
        target.authority_request = _authority_request(authority, key, target)
    target.document = _document(authority, key, target)
    target.letter = _letter(authority, key, target)
    target.message, target.attachment = _messages(authority, key, target)
    target.booking = _booking(authority, key, n, target, location, anliegen)
    target.drop_off = _drop_off(authority, key, target)
    if key in TICKET_NUMBERS:
        target.ticket = _ticket(authority, key, target, location)
    return target


def _document(authority, key, target):
    from willkommen.efile.services import add_generated_document

    return add_generated_document(
        authority,
        target.person,
        PDF,
        file_name=f"akte-{key}.pdf",
        document_type="other",
        case=target.case,
        title=f"Akte-{key} Dokument",
        text=f"Akte-{key}",
    )


def _letter(authority, key, target):
    from willkommen.letters.models import Letter

    letter = Letter(
        authority=authority,
        person=target.person,
        case=target.case,
        kind="status_message",
        languages="de",
        title=f"Brief-{key}",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    letter.file.save(f"brief-{key}.pdf", ContentFile(PDF), save=False)
    letter.save()
    return letter


def _messages(authority, key, target):
    from willkommen.messaging import attachments
    from willkommen.messaging.models import Attachment, Channel, Direction, Message, Status

    common = {"authority": authority, "person": target.person, "case": target.case, "channel": Channel.EMAIL}
    incoming = Message.objects.create(
        **common, direction=Direction.IN, status=Status.RECEIVED, subject=f"Eingang-{key}", body="Guten Tag"
    )
    Message.objects.create(**common, direction=Direction.OUT, status=Status.FAILED, subject=f"Fehler-{key}")
    Message.objects.create(
        **{**common, "channel": Channel.LETTER},
        direction=Direction.OUT,
        status=Status.PRINT_QUEUED,
        subject=f"Post-{key}",
    )
    stored = attachments.store_bytes(authority, f"anhang-{key}.pdf", PDF, "application/pdf")
    attachment = Attachment.objects.create(authority=authority, message=incoming, **stored)
    return incoming, attachment


def _booking(authority, key, n, target, location, anliegen):
    from willkommen.appointments.models import Booking, Slot

    starts = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(9 + n)))
    slot = Slot.objects.create(
        authority=authority,
        location=location,
        anliegen=anliegen,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=20),
        public_places=2,
        public_taken=1,
        reserve_release_at=starts,
    )
    return Booking.objects.create(
        authority=authority,
        reference=f"REF{key.upper()}{n}",
        token_hash="x" * 64,
        slot=slot,
        anliegen=anliegen,
        location=location,
        starts_at=starts,
        status="confirmed",
        family_name=target.person.family_name,
        given_names="Testperson",
        date_of_birth=target.person.date_of_birth,
        email=target.person.email,
        identity_key=f"identity-{key}",
        person=target.person,
        case=target.case,
    )


def _drop_off(authority, key, target):
    from willkommen.servicepoint.models import DropOff

    items = [
        {
            "document_id": target.document.pk,
            "title": f"Abgabe-{key}",
            "document_type": "other",
            "file_name": target.document.original_name,
        }
    ]
    return DropOff.objects.create(authority=authority, person=target.person, case=target.case, items=items)


def _ticket(authority, key, target, location):
    from willkommen.servicepoint.models import Ticket
    from willkommen.servicepoint.services import station_for

    station_for(location)
    now = timezone.now()
    return Ticket.objects.create(
        authority=authority,
        location=location,
        day=timezone.localdate(),
        number=TICKET_NUMBERS[key],
        category="check_in",
        priority="appointment",
        status="waiting",
        appointment_at=target.booking.starts_at,
        booking_reference=target.booking.reference,
        issued_at=now,
        queued_at=now,
    )
