"""The soak benchmark's data, its signed-in staff and its consistency checks (benchmarks/soak.py)."""

import datetime as dt
import hashlib

PERSONS = 40


def pdf_bytes(text="Reisepass Nummer C01X00T47"):
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 10 100 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def seed(slug):
    """One authority: the Anliegen 'study' (online and by appointment), an offer with places over four weeks, a
    team with a caseworker, a head of office and a ServicePoint member, PERSONS persons with an open case and a
    document each."""
    from django.utils import timezone

    from willkommen.appointments.models import Slot
    from willkommen.appointments.testing import make_offer
    from willkommen.cases.services import open_case
    from willkommen.catalogue.testing import make_anliegen
    from willkommen.clients.services import create_person
    from willkommen.core.testing import make_authority, make_staff, make_team
    from willkommen.efile.services import add_generated_document

    authority = make_authority(slug, "Stadt Soak")
    anliegen = make_anliegen(authority, slug="study", way_in="both")
    team = make_team(authority, name="Team Soak")
    make_offer(authority, anliegen=anliegen, workstations=20, horizon=30, cap=100000)
    staff = {
        "caseworker": make_staff(authority, f"{slug}-cw", role="caseworker", teams=[team]),
        "head": make_staff(authority, f"{slug}-head", role="head_of_office"),
        "servicepoint": make_staff(authority, f"{slug}-sp", role="servicepoint"),
    }
    case_ids, person_ids = [], []
    pdf = pdf_bytes()
    for n in range(PERSONS):
        person = create_person(
            authority,
            family_name=f"Bestand{n}",
            given_names="Nadia",
            date_of_birth=dt.date(1980 + n % 20, 1 + n % 12, 1 + n % 28),
            email=f"bestand{n}@example.org",
        )
        case, _code = open_case(authority, person=person, anliegen=anliegen, team=team)
        add_generated_document(
            authority,
            person,
            pdf,
            file_name="pass.pdf",
            document_type="passport",
            case=case,
            title="Reisepass",
            text="Reisepass Nummer C01X00T47",
        )
        case_ids.append(case.pk)
        person_ids.append(person.pk)
    slots = list(
        Slot.objects.filter(authority=authority, starts_at__gt=timezone.now() + dt.timedelta(days=1), withdrawn=False)
        .order_by("starts_at")
        .values_list("pk", flat=True)
    )
    return {
        "authority": authority,
        "anliegen": anliegen.slug,
        "slots": slots,
        "staff": staff,
        "case_ids": case_ids,
        "person_ids": person_ids,
    }


def _signed_in(port, slug, user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from willkommen.core.scale.processes import Browser
    from willkommen.core.testing import PASSWORD, totp_now

    browser = Browser()
    browser.get(port, f"/a/{slug}/desk/login/")
    browser.post(port, f"/a/{slug}/desk/login/", {"username": user.username, "password": PASSWORD})
    device = TOTPDevice.objects.get(user=user)
    response = browser.post(port, f"/a/{slug}/desk/login/verify/", {"token": totp_now(device)})
    if response.status != 302:
        raise RuntimeError(f"{user.username} could not sign in ({response.status})")
    return browser


def world(info, port, mail_dir, proofs):
    """The traffic's :class:`World` and a signed-in browser per staff role."""
    from benchmarks._soak_traffic import World
    from willkommen.appointments import protection

    slug = info["authority"].slug
    solved = [protection.solve(protection.new_challenge(f"10.7.{i // 250}.{i % 250}")) for i in range(proofs)]
    browsers = {role: _signed_in(port, slug, user) for role, user in info["staff"].items()}
    traffic_world = World(
        port,
        slug,
        info["anliegen"],
        info["slots"],
        solved,
        mail_dir,
        info["staff"],
        info["case_ids"],
        info["person_ids"],
    )
    return traffic_world, browsers


def _bad_checksums(authority):
    from django.core.files.storage import default_storage

    from willkommen.efile.models import Document

    bad = 0
    for document in Document.objects.filter(authority=authority).only("file", "sha256").iterator():
        with default_storage.open(document.file.name, "rb") as stored:
            if hashlib.sha256(stored.read()).hexdigest() != document.sha256:
                bad += 1
    return bad


def checks(info, world):
    """What must hold after the soak (every ``bad_*`` count must be 0)."""
    from django.db.models import Count, F, Q

    from willkommen.applications.models import Application
    from willkommen.appointments.models import Booking, Slot
    from willkommen.messaging.models import Message

    authority = info["authority"]
    bookings = set(Booking.objects.filter(authority=authority).values_list("email", flat=True))
    mailed = set(
        Message.objects.filter(authority=authority, template_key="booking_confirm_request", status="sent").values_list(
            "address", flat=True
        )
    )
    overbooked = Slot.objects.filter(authority=authority).filter(
        Q(public_taken__gt=F("public_places")) | Q(invitation_taken__gt=F("invitation_places"))
    )
    submitted = Application.objects.filter(authority=authority, public_id__in=world.applications)
    apps = submitted.annotate(
        n_uploads=Count("uploads"), n_filed=Count("uploads", filter=Q(uploads__document__isnull=False))
    )
    return {
        "bookings_answered_201": len(world.booked),
        "bookings_in_db": len(bookings),
        "bad_bookings_not_mailed": len(bookings - mailed),
        "bad_overbooked_slots": overbooked.count(),
        "applications_submitted": len(world.applications),
        "bad_applications_without_case": submitted.filter(case__isnull=True).count()
        + len(world.applications)
        - submitted.count(),
        "bad_applications_without_receipt": submitted.filter(receipt_sent_at__isnull=True).count(),
        "bad_applications_files_not_filed": sum(1 for a in apps if a.n_uploads == 0 or a.n_filed != a.n_uploads),
        "bad_file_checksums": _bad_checksums(authority),
    }
