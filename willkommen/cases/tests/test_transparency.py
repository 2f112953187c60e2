"""Automatic transparency: interim answer and four-weekly status messages go out exactly once each,
in the client's language and channel, and land on the timeline."""

import datetime as dt

from django.utils import timezone, translation

from willkommen.cases import communication, services, transparency
from willkommen.cases.models import AutoMessage, TimelineKind
from willkommen.core.dates import local_date

from .conftest import make_person


def _days_ago(n):
    return timezone.now() - dt.timedelta(days=n)


def test_time_advances_interim_once_then_status_every_four_weeks(authority, team, complex_anliegen, outbox):
    person = make_person(authority, language="ar")
    case, _ = services.open_case(
        authority, person=person, anliegen=complex_anliegen, team=team, received_at=_days_ago(40)
    )
    interim_due = case.interim_due_on
    run = transparency.send_due_auto_messages

    assert run(on=interim_due - dt.timedelta(days=1)) == {}
    assert run(on=interim_due) == {"interim": 1}
    assert run(on=interim_due) == {}  # the job retried the same day: nothing twice
    assert run(on=interim_due + dt.timedelta(days=1)) == {}
    assert len(outbox) == 1
    assert outbox[0]["language"] == "ar" and outbox[0]["email"] == person.email
    assert outbox[0]["template_key"] == "interim_answer"

    case.refresh_from_db()
    status_due = case.status_message_due_on
    assert status_due == interim_due + dt.timedelta(days=28)
    assert case.interim_due_on is None
    assert run(on=status_due - dt.timedelta(days=1)) == {}
    assert run(on=status_due) == {"status": 1}
    assert run(on=status_due) == {}
    case.refresh_from_db()
    assert case.status_message_due_on == status_due + dt.timedelta(days=28)
    assert run(on=status_due + dt.timedelta(days=28)) == {"status": 1}
    assert [m["template_key"] for m in outbox] == ["interim_answer", "status_message", "status_message"]
    assert all(m["language"] == "ar" for m in outbox)
    assert AutoMessage.objects.filter(case=case).count() == 3
    assert case.timeline.filter(kind=TimelineKind.MESSAGE).count() == 3


def test_message_text_in_client_language_names_status_next_step_and_date(authority, team, complex_anliegen):
    person = make_person(authority, language="en")
    case, _ = services.open_case(authority, person=person, anliegen=complex_anliegen, team=team)
    subject, body = transparency.auto_message_text(case, "status", "en")
    assert case.number in subject
    with translation.override("en"):
        due = local_date(case.due_on)  # "4 March 2027": dates in the text's language
    assert "received" in body and due in body and "Residence permit for study" in body
    assert "Your caseworker is checking your application" in body  # the next step, by status


def test_caseworker_writing_in_time_replaces_the_automatic_message(authority, team, anliegen, caseworker, outbox):
    person = make_person(authority, language="tr")
    case, _ = services.open_case(authority, person=person, anliegen=anliegen, team=team, received_at=_days_ago(30))
    assert transparency.preview(case)["kind"] == "status"  # the caseworker sees what will go out
    communication.send_message(case, caseworker, subject="Update", body="We are checking your papers.")
    case.refresh_from_db()
    assert transparency.send_due_auto_messages(on=timezone.localdate()) == {}
    assert [m["template_key"] for m in outbox] == ["cases.personal"]
    assert transparency.preview(case)["due_on"] == timezone.localdate() + dt.timedelta(days=28)


def test_client_without_email_gets_a_letter_for_post(authority, team, complex_anliegen, outbox):
    person = make_person(authority, language="uk", email="")
    case, _ = services.open_case(
        authority, person=person, anliegen=complex_anliegen, team=team, received_at=_days_ago(20)
    )
    assert transparency.send_due_auto_messages(on=timezone.localdate()) == {"interim": 1}
    assert outbox == []
    letter = case.letters.get()
    assert letter.kind == "interim_answer" and letter.for_post and letter.languages == "de+uk"
    assert AutoMessage.objects.get(case=case).channel == "post"


def test_final_and_decided_cases_get_no_automatic_messages(authority, team, anliegen, caseworker, outbox):
    case, _ = services.open_case(
        authority, person=make_person(authority), anliegen=anliegen, team=team, received_at=_days_ago(60)
    )
    services.transition(case, "withdraw", caseworker)
    assert transparency.send_due_auto_messages(on=timezone.localdate()) == {}
    assert transparency.preview(case) is None


def test_periodic_task_runs_the_job(authority, team, complex_anliegen, outbox):
    from willkommen.cases.tasks import send_transparency_messages

    services.open_case(
        authority, person=make_person(authority), anliegen=complex_anliegen, team=team, received_at=_days_ago(20)
    )
    assert send_transparency_messages.call_local() == {"interim": 1}
    assert send_transparency_messages.call_local() == {}
