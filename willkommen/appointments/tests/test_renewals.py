"""Renewal invitations (issue 12, item 5): the nightly job over time – one invitation in the client's
language, one follow-up, then the team's list; none for a client with an open case; a letter with a
working link for a client without e-mail; idempotent."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from willkommen.appointments import renewals
from willkommen.appointments.models import Invitation, Renewal, RenewalRule, RenewalState
from willkommen.catalogue.testing import make_anliegen
from willkommen.clients.services import record_residence
from willkommen.clients.testing import make_client
from willkommen.messaging.models import Message

pytestmark = pytest.mark.django_db


def holder(authority, name, *, valid_to, kind="title", legal_basis="§ 16b AufenthG", **extra):
    person = make_client(authority, family_name=name, **extra)
    entry = record_residence(
        person, kind=kind, legal_basis=legal_basis, valid_from=valid_to - dt.timedelta(days=700), valid_to=valid_to
    )
    return person, entry


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def study(authority):
    anliegen = make_anliegen(authority, "study")
    RenewalRule.objects.create(authority=authority, anliegen=anliegen, title_kind="title", legal_basis_contains="16b")
    return anliegen


def run(on, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return renewals.run(on)


def letter_of(person):
    from willkommen.core.storage import read_verified

    message = Message.objects.get(person=person, template_key="renewal_invitation")
    attachment = message.attachments.get(file_name="letter.pdf")
    return message, read_verified(attachment.storage_name, attachment.sha256)


def test_over_time_invite_follow_up_then_team_list(authority, study, today, django_capture_on_commit_callbacks):
    turkish, _entry = holder(
        authority, "Yilmaz", valid_to=today + dt.timedelta(weeks=12), email="ayse@example.org", preferred_language="tr"
    )
    later, _ = holder(authority, "Later", valid_to=today + dt.timedelta(weeks=12, days=1), email="later@example.org")
    busy, _ = holder(authority, "Busy", valid_to=today + dt.timedelta(weeks=4), email="busy@example.org")
    from willkommen.cases.opening import open_case

    open_case(authority, person=busy, anliegen=study)  # an open extension case: no invitation
    mail.outbox.clear()

    counts = run(today, django_capture_on_commit_callbacks)
    assert counts["invited"] == 1
    assert [m.to for m in mail.outbox] == [["ayse@example.org"]]
    assert "Oturum izninizin süresi" in mail.outbox[0].subject  # the client's language
    link = re.search(r"https?://\S+/appointments/renew/\w+/", mail.outbox[0].body).group(0)
    renewal = Renewal.objects.get(person=turkish)
    assert renewal.state == RenewalState.INVITED and renewal.channel == "email"
    assert not Renewal.objects.filter(person__in=[later, busy]).exists()

    # the same night again, and the next night: nobody is invited twice
    assert run(today, django_capture_on_commit_callbacks)["invited"] == 0
    assert run(today + dt.timedelta(days=1), django_capture_on_commit_callbacks)["invited"] == 1  # "later" now due
    assert Renewal.objects.filter(person=turkish).count() == 1
    mail.outbox.clear()

    # nothing happened for 21 days: one follow-up with the same link, once
    counts = run(today + dt.timedelta(days=21), django_capture_on_commit_callbacks)
    assert counts["followed_up"] == 1
    run(today + dt.timedelta(days=21), django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["ayse@example.org"]]
    assert "Hatırlatma" in mail.outbox[0].subject
    assert link in mail.outbox[0].body
    renewal.refresh_from_db()
    assert renewal.state == RenewalState.FOLLOWED_UP

    # still nothing 21 days later: on the team's list, and no further message
    mail.outbox.clear()
    counts = run(today + dt.timedelta(days=42), django_capture_on_commit_callbacks)
    renewal.refresh_from_db()
    assert renewal.state == RenewalState.UNANSWERED and renewal.unanswered_on == today + dt.timedelta(days=42)
    assert [m.to for m in mail.outbox] == [["later@example.org"]]  # only the other holder's follow-up


def test_a_case_opened_after_the_invitation_answers_it(authority, study, today, django_capture_on_commit_callbacks):
    person, _ = holder(authority, "Quick", valid_to=today + dt.timedelta(weeks=10))
    run(today, django_capture_on_commit_callbacks)
    from willkommen.cases.opening import open_case

    case, _code = open_case(authority, person=person, anliegen=study)
    case.status = "closed"  # even when it is closed again by the next night
    case.save(update_fields=["status"])
    mail.outbox.clear()
    run(today + dt.timedelta(days=30), django_capture_on_commit_callbacks)
    renewal = Renewal.objects.get(person=person)
    assert renewal.state == RenewalState.ANSWERED
    assert not mail.outbox


def test_no_rule_or_inactive_rule_invites_nobody(authority, study, today, django_capture_on_commit_callbacks):
    holder(authority, "Duldung", kind="duldung", legal_basis="§ 60a AufenthG", valid_to=today + dt.timedelta(weeks=2))
    holder(authority, "Blue", legal_basis="§ 18g AufenthG", valid_to=today + dt.timedelta(weeks=2))
    RenewalRule.objects.update(active=False)
    holder(authority, "Student", valid_to=today + dt.timedelta(weeks=2))
    assert run(today, django_capture_on_commit_callbacks)["invited"] == 0
    RenewalRule.objects.update(active=True)
    assert run(today, django_capture_on_commit_callbacks)["invited"] == 1  # only the § 16b title
    assert Renewal.objects.get().person.family_name == "Student"


def test_a_newer_title_is_not_invited(authority, study, today, django_capture_on_commit_callbacks):
    person, _ = holder(authority, "Renewed", valid_to=today + dt.timedelta(weeks=5))
    record_residence(
        person,
        kind="title",
        legal_basis="§ 16b AufenthG",
        valid_from=today + dt.timedelta(weeks=5, days=1),
        valid_to=today + dt.timedelta(weeks=100),
    )
    assert run(today, django_capture_on_commit_callbacks)["invited"] == 0


def test_without_email_a_letter_with_a_working_link(
    authority, study, today, client, django_capture_on_commit_callbacks
):
    person, _ = holder(
        authority,
        "Haddad",
        valid_to=today + dt.timedelta(weeks=11),
        email="",
        street="Gartenweg 3",
        postal_code="80331",
        city="Alpha",
        preferred_language="ar",
    )
    run(today, django_capture_on_commit_callbacks)
    assert not mail.outbox
    message, pdf = letter_of(person)
    assert message.channel == "letter" and message.status == "print_queued"
    assert message.language == "ar"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Ihr Aufenthaltstitel ist bis zum" in text  # German, with the Arabic text alongside
    found = re.search(r"https?://[^/\s]+(/\S*?/appointments/renew/\w+/)", re.sub(r"\s+", "", text))
    assert found, text
    response = client.get(found.group(1))
    assert response.status_code == 302
    assert response["Location"].endswith("/apply/start/study/")
    assert client.get(response["Location"]).status_code == 200
    renewal = Renewal.objects.get(person=person)
    assert renewal.opened_at is not None and renewal.channel == "letter"
    assert client.get(found.group(1).replace("/renew/", "/renew/x")).status_code == 404


def test_an_anliegen_that_needs_a_visit_invites_to_appointment_places(
    authority, today, client, django_capture_on_commit_callbacks
):
    duldung = make_anliegen(authority, "duldung", way_in="appointment", residence_kind="duldung")
    RenewalRule.objects.create(authority=authority, anliegen=duldung, title_kind="duldung", lead_weeks=4)
    person, _ = holder(
        authority, "Tolerated", kind="duldung", legal_basis="§ 60a AufenthG", valid_to=today + dt.timedelta(weeks=3)
    )
    run(today, django_capture_on_commit_callbacks)
    renewal = Renewal.objects.get(person=person)
    assert renewal.by_appointment
    invitation = Invitation.objects.get(pk=renewal.invitation_id)
    assert invitation.person == person and invitation.deadline == renewal.expires_on
    path = re.search(r"https?://[^/\s]+(/\S*?/appointments/renew/\w+/)", mail.outbox[0].body).group(1)
    response = client.get(path)
    assert response.status_code == 302 and "/appointments/invitation/" in response["Location"]
    assert client.get(response["Location"]).status_code == 200


def test_renewals_are_in_the_copy_and_go_with_the_person(authority, study, today, django_capture_on_commit_callbacks):
    from willkommen.appointments import privacy
    from willkommen.clients.testing import section

    person, _ = holder(authority, "Copy", valid_to=today + dt.timedelta(weeks=6))
    run(today, django_capture_on_commit_callbacks)
    data, _members = section(authority, person, "appointments")
    rows = data["tables"]["renewal_invitations"]
    assert len(rows) == 1 and "token_hash" not in rows[0]
    privacy.erase(authority, [person.pk])
    assert not Renewal.objects.filter(person=person).exists()


def test_a_title_on_record_twice_is_invited_once(authority, study, today, django_capture_on_commit_callbacks):
    """The office's entry and the same title as the client declared it online (an unverified entry with the
    same end, left when that case was withdrawn or was about something else): one invitation, one message."""
    person, entry = holder(authority, "Twice", valid_to=today + dt.timedelta(weeks=8), email="twice@example.org")
    record_residence(person, kind="title", legal_basis="§ 16b AufenthG", valid_to=entry.valid_to, source="declared")
    assert run(today, django_capture_on_commit_callbacks)["invited"] == 1
    assert run(today + dt.timedelta(days=1), django_capture_on_commit_callbacks)["invited"] == 0
    assert Renewal.objects.filter(person=person).count() == 1
    assert [m.to for m in mail.outbox] == [["twice@example.org"]]
