"""Requests to other authorities: the case's state follows them, the clock stops per type, reminders go
out exactly once at the due date, an answer closes the wait, and a request between two authorities on the
platform arrives in the other desk and is answered there."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from willkommen.cases.models import TimelineEntry
from willkommen.cases.workflow import Status
from willkommen.core.testing import make_staff
from willkommen.efile.models import Document
from willkommen.partners import selectors, services
from willkommen.partners.delivery import dispatch
from willkommen.partners.models import AuthorityRequest, RecipientType, RequestStatus

from .conftest import pdf_upload

TODAY = timezone.localdate


def send(case, actor, **overrides):
    fields = {
        "recipient_type": RecipientType.EMPLOYMENT_AGENCY,
        "recipient_name": "Agentur für Arbeit Bergstadt",
        "question": "Zustimmung nach § 39 AufenthG?",
        "connector": "email",
        "recipient_email": "zav@example.org",
    }
    fields.update(overrides)
    return services.send_request(case, actor, **fields)


def test_the_case_waits_while_the_request_is_open_and_the_answer_closes_the_wait(case, caseworker, commit):
    with commit():
        request = send(case, caseworker)
    case.refresh_from_db()
    assert case.status == Status.WAITING_OTHER_AUTHORITY
    assert request.reference == f"{case.number}-R{request.pk}" and request.status == RequestStatus.OPEN
    assert request.due_on == TODAY() + dt.timedelta(days=14)  # the Federal Employment Agency's two weeks
    [message] = mail.outbox
    assert message.to == ["zav@example.org"] and request.reference in message.subject
    assert "Zustimmung nach § 39 AufenthG?" in message.body
    request.refresh_from_db()
    assert request.dispatched_at is not None and "zav@example.org" in request.dispatch_detail
    moved = TimelineEntry.objects.get(case=case, to_status=Status.WAITING_OTHER_AUTHORITY)
    assert request.reference in moved.text

    services.record_answer(request, caseworker, answer="Zustimmung erteilt.")
    case.refresh_from_db()
    request.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert request.status == RequestStatus.ANSWERED and request.answer == "Zustimmung erteilt."
    assert TimelineEntry.objects.filter(case=case, from_status=Status.WAITING_OTHER_AUTHORITY).count() == 1


def test_the_wait_ends_with_the_last_open_request(case, caseworker):
    first = send(case, caseworker)
    second = send(case, caseworker, recipient_type=RecipientType.POLICE, recipient_name="Polizei")
    case.refresh_from_db()
    assert case.status == Status.WAITING_OTHER_AUTHORITY
    assert TimelineEntry.objects.filter(case=case, to_status=Status.WAITING_OTHER_AUTHORITY).count() == 1
    services.record_answer(first, caseworker, answer="ja")
    case.refresh_from_db()
    assert case.status == Status.WAITING_OTHER_AUTHORITY  # the police has not answered yet
    services.record_answer(second, caseworker, answer="keine Erkenntnisse")
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW


def test_the_clock_stops_only_for_types_that_say_so(case, caseworker, open_a_case, person):
    police = send(case, caseworker, recipient_type=RecipientType.POLICE, recipient_name="Polizei")
    case.refresh_from_db()
    assert police.stops_clock is False and case.clock_stopped_on is None

    other = open_a_case()
    due_before = other.due_on
    agency = send(other, caseworker)
    other.refresh_from_db()
    assert agency.stops_clock is True and other.clock_stopped_on == TODAY()
    # Sent five days ago and answered today: the decision's due date moves by the pause.
    AuthorityRequest.objects.filter(pk=agency.pk).update(sent_on=TODAY() - dt.timedelta(days=5))
    services.record_answer(agency, caseworker, answer="erteilt")
    other.refresh_from_db()
    assert other.clock_stopped_on is None and other.paused_days == 5
    assert other.due_on > due_before


def test_the_authority_sets_per_type_whether_the_clock_stops(case, caseworker, authority):
    services.save_type_settings(
        authority, RecipientType.POLICE, question="Erkenntnisse zu {name}?", stops_clock=True, due_days=7
    )
    request = send(case, caseworker, recipient_type=RecipientType.POLICE, recipient_name="Polizei")
    case.refresh_from_db()
    assert request.stops_clock and case.clock_stopped_on == TODAY()
    assert request.due_on == TODAY() + dt.timedelta(days=7)
    assert services.fill(services.settings_for(authority, "police").question, {"name": "Rana Haddad"}) == (
        "Erkenntnisse zu Rana Haddad?"
    )


def test_a_reminder_goes_out_exactly_once_at_the_due_date(case, caseworker, commit):
    with commit():
        request = send(case, caseworker, due_on=TODAY() + dt.timedelta(days=3))
        answered = send(case, caseworker, recipient_email="bamf@example.org", recipient_type="bamf")
    services.record_answer(answered, caseworker, answer="erledigt")
    mail.outbox.clear()
    due = request.due_on
    assert services.send_due_reminders(on=due - dt.timedelta(days=1)) == []
    assert mail.outbox == []
    [reminded] = services.send_due_reminders(on=due)
    assert reminded.pk == request.pk
    [message] = mail.outbox
    assert message.to == ["zav@example.org"] and "Erinnerung" in message.subject
    assert services.send_due_reminders(on=due) == []  # a retried or parallel run
    assert services.send_due_reminders(on=due + dt.timedelta(days=1)) == []
    assert len(mail.outbox) == 1
    request.refresh_from_db()
    assert request.reminded_on == due
    assert TimelineEntry.objects.filter(case=case, text__contains="Erinnerung").count() == 1


def test_the_daily_job_reminds_once_on_the_due_date(case, caseworker, commit):
    """The periodic job (``tasks.remind_due_requests``, every morning) sends the reminder of a request due
    today once; its next runs send nothing."""
    from willkommen.partners import tasks

    with commit():
        request = send(case, caseworker, due_on=TODAY() + dt.timedelta(days=2))
    AuthorityRequest.objects.filter(pk=request.pk).update(due_on=TODAY())
    mail.outbox.clear()
    assert tasks.remind_due_requests.call_local() == 1
    assert tasks.remind_due_requests.call_local() == 0
    [message] = mail.outbox
    assert request.reference in message.subject


def test_a_failed_reminder_is_tried_again_on_the_next_run(case, caseworker, monkeypatch):
    request = send(case, caseworker, due_on=TODAY() + dt.timedelta(days=1))
    from willkommen.partners.connectors import EmailConnector

    def broken(self, req):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailConnector, "remind", broken)
    assert services.send_due_reminders(on=request.due_on) == []
    request.refresh_from_db()
    assert request.reminded_on is None
    monkeypatch.undo()
    assert len(services.send_due_reminders(on=request.due_on)) == 1


def test_a_request_between_two_authorities_on_the_platform_arrives_and_is_answered(
    case, caseworker, other_authority, beta_worker, commit
):
    with commit():
        request = send(
            case,
            caseworker,
            recipient_type=RecipientType.FOREIGNERS_AUTHORITY,
            to_authority=other_authority,
            recipient_name="",
            connector="",
            recipient_email="",
        )
    request.refresh_from_db()
    assert request.connector == "platform" and request.recipient_name == other_authority.name
    assert other_authority.name in request.dispatch_detail and mail.outbox == []
    # It arrives in the other authority's desk, and only there.
    assert list(selectors.incoming(beta_worker, other_authority)) == [request]
    assert list(selectors.incoming(caseworker, case.authority)) == []
    assert list(selectors.outgoing(beta_worker, other_authority)) == []

    services.record_answer(
        request, beta_worker, answer="Aufenthaltserlaubnis bis 2027, kein Verfahren offen.", files=[pdf_upload()]
    )
    case.refresh_from_db()
    request.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert request.answered_by == beta_worker and other_authority.name in request.answered_by_label
    [document] = request.documents.all()
    assert document.authority_id == case.authority_id and document.person_id == case.person_id
    assert document.source == "transfer" and document.case_id == case.pk
    back = TimelineEntry.objects.get(case=case, from_status=Status.WAITING_OTHER_AUTHORITY)
    assert back.actor is None and other_authority.name in back.text  # the system moved it for the other side


def test_refusals_write_nothing(case, caseworker, authority, other_authority, beta_worker, team):
    before = AuthorityRequest.objects.count()
    for overrides, message in [
        ({"recipient_email": ""}, "E-Mail"),
        ({"question": "  "}, "Frage"),
        ({"due_on": TODAY()}, "Zukunft"),
        ({"to_authority": authority}, "andere Behörde"),
        ({"connector": "xauslaender"}, "Wählen"),
        ({"recipient_type": "court"}, "Art der Behörde"),
        ({"recipient_name": ""}, "Empfänger"),
    ]:
        with pytest.raises(services.RequestError) as refused:
            send(case, caseworker, **overrides)
        assert message in refused.value.message, overrides
    with pytest.raises(PermissionDenied):
        send(case, make_staff(authority, "sp", role="servicepoint", teams=[team]))
    with pytest.raises(PermissionDenied):
        send(case, beta_worker)
    from willkommen.cases import services as cases

    cases.take(case, "suspend", caseworker)
    with pytest.raises(services.RequestError):
        send(case, caseworker)
    assert AuthorityRequest.objects.count() == before


def test_only_the_addressed_authority_or_the_sender_may_answer(case, caseworker, beta_worker, other_authority):
    request = send(case, caseworker)  # by e-mail: not for the other authority's desk
    with pytest.raises(PermissionDenied):
        services.record_answer(request, beta_worker, answer="x")
    services.record_answer(request, caseworker, answer="ja")
    with pytest.raises(services.RequestError):
        services.record_answer(request, caseworker, answer="noch einmal")


def test_a_refused_upload_records_no_answer(case, caseworker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = send(case, caseworker)
    bad = SimpleUploadedFile("antwort.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(services.RequestError):
        services.record_answer(request, caseworker, answer="ja", files=[bad])
    request.refresh_from_db()
    case.refresh_from_db()
    assert request.status == RequestStatus.OPEN and case.status == Status.WAITING_OTHER_AUTHORITY


def test_letter_connector_files_a_pdf_to_be_posted(case, caseworker, commit):
    with commit():
        request = send(
            case, caseworker, connector="letter", recipient_email="", recipient_address="Postfach 1\n80000 Bergstadt"
        )
    request.refresh_from_db()
    document = Document.objects.get(case=case, document_type="authority_request")
    assert document.content_type == "application/pdf" and str(document.pk) in request.dispatch_detail


def test_xauslaender_connector_builds_the_message_shape(case, caseworker):
    request = send(case, caseworker)
    AuthorityRequest.objects.filter(pk=request.pk).update(connector="xauslaender")
    dispatch(request.pk)
    request.refresh_from_db()
    payload = request.payload
    assert payload["nachrichtenkopf"]["referenz"] == request.reference
    assert payload["anfrage"]["art"] == "employment_agency" and payload["anfrage"]["aktenzeichen"] == case.number
    assert payload["person"]["name"]["familienname"] == case.person.family_name
    assert dispatch(request.pk) is None  # once


def test_answer_times_per_type_and_overdue(case, caseworker, authority):
    now = timezone.now()
    for days in (2, 4, 6, 8, 30):
        r = send(case, caseworker)
        AuthorityRequest.objects.filter(pk=r.pk).update(
            status=RequestStatus.ANSWERED, sent_on=TODAY() - dt.timedelta(days=days), answered_at=now
        )
    late = send(case, caseworker, recipient_type="police", recipient_name="Polizei")
    AuthorityRequest.objects.filter(pk=late.pk).update(due_on=TODAY() - dt.timedelta(days=1))
    rows = {r["recipient_type"]: r for r in selectors.answer_times(authority)}
    agency = rows["employment_agency"]
    assert (agency["answered"], agency["median_days"], agency["p90_days"]) == (5, 6, 30)
    assert (rows["police"]["open"], rows["police"]["overdue"]) == (1, 1)
    assert rows["bamf"]["median_days"] is None
    assert [r.pk for r in selectors.overdue(authority)] == [late.pk]
    assert selectors.median_of_counts([(1, 1), (2, 1), (3, 1), (4, 1)]) == 2.5
    assert selectors.median_of_counts([(1, 2), (7, 1)]) == 1 and selectors.median_of_counts([]) is None
    assert selectors.percentile_of_counts([(v, 1) for v in range(1, 11)], 0.9) == 9
    assert selectors.percentile_of_counts([(1, 9), (50, 1)], 0.9) == 1
    assert selectors.percentile_of_counts([(1, 8), (50, 2)], 0.9) == 50


def test_answer_times_are_aggregated_in_sql_with_constant_queries(case, caseworker, authority):
    """The figures count in the database (two queries), however many requests there are: what reaches
    Python is at most one row per type and distinct number of days."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()

    def answered(n, days, recipient_type="employment_agency"):
        for _ in range(n):
            r = send(case, caseworker, recipient_type=recipient_type)
            AuthorityRequest.objects.filter(pk=r.pk).update(
                status=RequestStatus.ANSWERED, sent_on=TODAY() - dt.timedelta(days=days), answered_at=now
            )

    answered(2, 3)
    with CaptureQueriesContext(connection) as few:
        selectors.answer_times(authority)
    answered(7, 3)
    answered(3, 10)
    answered(2, 5, "bamf")
    send(case, caseworker, recipient_type="police", recipient_name="Polizei")
    with CaptureQueriesContext(connection) as many:
        rows = {r["recipient_type"]: r for r in selectors.answer_times(authority)}
    assert len(few) == len(many) == 2
    assert all("GROUP BY" in q["sql"].upper() for q in many.captured_queries)
    agency = rows["employment_agency"]
    assert (agency["answered"], agency["median_days"], agency["p90_days"]) == (12, 3, 10)
    assert (rows["bamf"]["answered"], rows["bamf"]["median_days"]) == (2, 5)
    assert (rows["police"]["open"], rows["police"]["overdue"], rows["police"]["answered"]) == (1, 0, 0)
