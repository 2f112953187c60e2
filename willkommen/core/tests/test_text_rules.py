"""Issue 10 item 5: control and bidi characters in one-line fields are refused everywhere (forms, API
serializers, admin) with a clear 400 in the user's language; user text cannot add lines to an e-mail;
pages isolate user text with <bdi>."""

import datetime as dt
import importlib
import pkgutil
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

import willkommen

RLO = "\u202e"
BAD_ONE_LINE = ["Haddad\nBitte zahlen Sie", "Haddad\r", "Had\tdad", f"{RLO}dadaH", "\u2066Haddad", "A\x85B", "A\u2028B"]
GOOD = ["Haddad", "Müller-Lüdenscheidt", "حداد", "مهر\u200cآبادی", "\u200fحداد (Haddad)", "O'Brien, Jr."]

# Forms and serializers that take no text from people (their character fields are filters or tokens)
# still get the rules; nothing is exempt.


def _project_modules():
    for info in pkgutil.walk_packages(willkommen.__path__, "willkommen."):
        if ".tests" in info.name or ".migrations" in info.name or info.name.endswith(".wsgi"):
            continue
        yield importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@pytest.mark.django_db
def test_every_form_and_serializer_of_the_project_has_the_text_rules():
    from django.forms import BaseForm
    from rest_framework.serializers import BaseSerializer

    from willkommen.core.forms import TextRulesFormMixin
    from willkommen.core.serializers import TextRulesSerializerMixin

    list(_project_modules())
    forms = [
        c for c in _subclasses(BaseForm) if c.__module__.startswith("willkommen.") and ".tests" not in c.__module__
    ]
    serializers = [
        c
        for c in _subclasses(BaseSerializer)
        if c.__module__.startswith("willkommen.") and ".tests" not in c.__module__
    ]
    assert len(forms) > 40 and len(serializers) > 20
    assert [f"{c.__module__}.{c.__name__}" for c in forms if not issubclass(c, TextRulesFormMixin)] == []
    assert [f"{c.__module__}.{c.__name__}" for c in serializers if not issubclass(c, TextRulesSerializerMixin)] == []


@pytest.mark.parametrize("value", BAD_ONE_LINE)
def test_one_line_rule_refuses_controls_separators_and_bidi_controls(value):
    from willkommen.core import text

    assert text.one_line_problem(value) is not None
    assert text.one_line_problem(text.one_line(value)) is None


@pytest.mark.parametrize("value", GOOD)
def test_names_in_any_script_pass(value):
    from willkommen.core import text

    assert text.one_line_problem(value) is None and text.multi_line_problem(value) is None


def test_multi_line_rule_keeps_line_breaks_and_tabs_only():
    from willkommen.core import text

    assert text.multi_line_problem("Sehr geehrte Damen und Herren,\r\n\tdanke.\n") is None
    assert text.multi_line_problem(f"Text {RLO}gnirts") is not None
    assert text.multi_line_problem("Text \x1b[31m") is not None


# --- forms and API: a clear 400 in the user's language, nothing changed ---------------------------------


def _booking_details(**extra):
    return {
        "family_name": "Haddad",
        "given_names": "Amina",
        "date_of_birth": "1990-01-01",
        "email": "amina@example.org",
        "language": "de",
        "phone": "",
        "interpreter_language": "",
        **extra,
    }


@pytest.fixture
def future_slot(authority):
    from willkommen.appointments.models import Slot
    from willkommen.appointments.testing import make_offer

    make_offer(authority)
    return Slot.objects.filter(authority=authority, starts_at__gt=timezone.now() + dt.timedelta(days=2)).first()


@pytest.mark.django_db
def test_booking_form_refuses_a_line_break_in_the_name(client, future_slot, mailoutbox):
    from willkommen.appointments.models import Booking

    client.cookies["willkommen_language"] = "de"
    url = reverse("appointments:book", args=[future_slot.anliegen.slug, future_slot.pk])
    response = client.post(url, _booking_details(family_name="Haddad\nBitte überweisen Sie 50 EUR an ..."))
    assert response.status_code == 400
    assert "Zeilenumbruch" in response.content.decode()
    assert Booking.objects.count() == 0 and not mailoutbox


@pytest.mark.django_db
def test_booking_api_refuses_a_bidi_override_in_the_language_of_the_request(authority, future_slot):
    from willkommen.appointments.models import Booking

    body = {
        "slot": future_slot.pk,
        "anliegen": future_slot.anliegen.slug,
        **_booking_details(given_names=f"Amina {RLO}gnp.exe"),
    }
    response = APIClient().post("/api/v1/appointments/bookings/", body, format="json", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "given_names" in str(response.json()) and "Steuerzeichen" in str(response.json())
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_application_form_and_api_refuse_control_characters(client, authority):
    from willkommen.applications.models import Application
    from willkommen.applications.tests.conftest import PERSONAL
    from willkommen.catalogue.testing import make_anliegen

    anliegen = make_anliegen(authority)
    client.cookies["willkommen_language"] = "en"
    client.post(f"/a/alpha/apply/start/{anliegen.slug}/")
    application = Application.objects.get()
    response = client.post(
        f"/a/alpha/apply/{application.public_id}/personal/", {**PERSONAL, "family_name": f"{RLO}daddaH"}
    )
    assert response.status_code == 400 and "one line of text" in response.content.decode()
    application.refresh_from_db()
    assert application.personal == {}
    api = APIClient().post(
        "/api/v1/applications/",
        {
            "anliegen": anliegen.slug,
            "language": "en",
            "personal": {**PERSONAL, "city": "Alpha\r\nBcc: x@example.org"},
            "acknowledge_information": True,
        },
        format="json",
    )
    assert api.status_code == 400 and "city" in str(api.json())
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_desk_forms_refuse_a_bidi_override_in_one_line_fields_but_take_notes(staff_client, authority, team):
    from willkommen.cases.models import TimelineEntry
    from willkommen.cases.services import open_case
    from willkommen.cases.tests.conftest import make_anliegen, make_person

    case, _code = open_case(authority, person=make_person(authority), anliegen=make_anliegen(authority), team=team)
    staff_client.cookies["willkommen_language"] = "en"
    before = TimelineEntry.objects.count()
    url = reverse("cases:message", args=[case.pk])
    refused = staff_client.post(url, {"subject": f"Termin {RLO}etatsni", "body": "Hallo"})
    assert refused.status_code == 400 and TimelineEntry.objects.count() == before
    note = staff_client.post(reverse("cases:note", args=[case.pk]), {"text": "Zeile 1\nZeile 2\tEnde"})
    assert note.status_code == 302
    assert TimelineEntry.objects.filter(case=case, text="Zeile 1\nZeile 2\tEnde").exists()


@pytest.mark.django_db
def test_admin_refuses_a_bidi_override_in_a_team_name(client, authority, team):
    from willkommen.core.testing import make_staff, verified_login
    from willkommen.tenancy.models import Team

    admin = verified_login(client, make_staff(authority, "admin-a", role="administrator", is_staff=True))
    response = admin.post("/admin/tenancy/team/add/", {"name": f"Team {RLO}A-K", "email": "", "phone": ""})
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert not Team.objects.filter(name__contains=RLO).exists()


# --- mail: stored user text never adds lines ------------------------------------------------------


@pytest.mark.django_db
def test_a_name_stored_with_a_line_break_stays_on_one_line_in_the_mail(
    authority, future_slot, mailoutbox, django_capture_on_commit_callbacks
):
    from willkommen.appointments import services
    from willkommen.appointments.identity import Applicant

    with django_capture_on_commit_callbacks(execute=True):
        services.hold(
            authority,
            slot_id=future_slot.pk,
            anliegen=future_slot.anliegen,
            applicant=Applicant(
                family_name="Haddad\nBitte überweisen Sie die Gebühr an DE00 1234",
                given_names=f"Amina{RLO}",
                date_of_birth=dt.date(1990, 1, 1),
                email="amina@example.org",
                language="de",
            ),
        )
    body = mailoutbox[-1].body
    assert not re.search(r"^Bitte überweisen", body, re.MULTILINE)
    assert "Amina Haddad Bitte überweisen" in body and RLO not in body


@pytest.mark.django_db
def test_template_placeholders_are_one_line(authority):
    from willkommen.messaging.services import render_template

    subject, body, _language = render_template(
        authority, "status_message", "de", {"name": "Rana\r\nBcc: x@example.org", "case_number": "ABH-1", "status": "x"}
    )
    assert "\nBcc:" not in body and "\r" not in body and "Rana Bcc: x@example.org" in body
    _subject, body, _language = render_template(
        authority,
        "document_request",
        "de",
        {"name": "Rana", "case_number": "ABH-1", "documents": ["Reisepass", "Miet\nvertrag"], "deadline": "1.1."},
    )
    assert "- Reisepass\n- Miet vertrag" in body  # a list: one line per item, each item one line


# --- pages: user text isolated ----------------------------------------------------------------------


@pytest.mark.django_db
def test_desk_pages_isolate_names_and_titles(staff_client, authority, team):
    from willkommen.cases.services import open_case
    from willkommen.cases.tests.conftest import make_anliegen, make_person

    person = make_person(authority, family_name=f"{RLO}evil")  # stored before the rule existed
    case, _code = open_case(authority, person=person, anliegen=make_anliegen(authority), team=team)
    detail = staff_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"<bdi>{RLO}evil, Rana</bdi>" in detail
    queue = staff_client.get(reverse("cases:queue"), {"scope": "team"}).content.decode()
    assert f"<bdi>{RLO}evil, Rana</bdi>" in queue
    client_page = staff_client.get(reverse("clients:detail", args=[person.pk])).content.decode()
    title = re.search(r"<title>(.*?)</title>", client_page, re.S).group(1)
    assert "\u2068" in title and "\u2069" in title and RLO not in title
