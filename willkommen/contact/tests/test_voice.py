"""Feedback and complaints, the head of office's queue, the satisfaction survey and their figures."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from willkommen.audit.models import AuditEntry
from willkommen.cases.opening import open_case
from willkommen.catalogue.testing import make_anliegen
from willkommen.clients.testing import make_client
from willkommen.contact import feedback, selectors, survey
from willkommen.contact.models import Feedback, SurveyInvitation
from willkommen.contact.services import ContactError, working_days_after
from willkommen.core.testing import make_staff, make_team, verified_login
from willkommen.messaging.models import Message

ROLES = ("caseworker", "team_lead", "servicepoint", "accommodation", "head_of_office", "administrator")
ALLOWED = {"head_of_office", "administrator"}


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["willkommen_language"] = "en"


@pytest.fixture
def case(authority, team):
    person = make_client(authority, preferred_language="ar")
    case, _code = open_case(authority, person=person, anliegen=make_anliegen(authority), team=team)
    return case


def complaint(authority, **kw):
    values = {"kind": "complaint", "category": "waiting", "text": "Three hours in the queue."}
    return feedback.give_feedback(authority, **{**values, **kw})


def holidays(authority, day):
    return frozenset(authority.holidays(range(day.year, day.year + 2)).keys())


def test_reply_is_due_ten_working_days_later(authority):
    friday = timezone.make_aware(dt.datetime(2026, 12, 18, 10))
    item = complaint(authority, now=friday)
    # the weekends, Christmas (25th; the 26th is a Saturday) and New Year's Day are skipped
    assert item.reply_due == working_days_after(dt.date(2026, 12, 18), 10, holidays(authority, dt.date(2026, 12, 18)))
    assert item.reply_due == dt.date(2027, 1, 5)


def test_case_number_is_matched_within_the_authority_only(authority, other_authority, case):
    assert complaint(authority, case_number=case.number.lower()).case == case
    assert complaint(other_authority, case_number=case.number).case is None
    assert complaint(authority, case_number="ABH-0000-999999").case is None


def test_bad_input_is_refused_and_nothing_stored(authority):
    for bad in ({"kind": "rant"}, {"category": "x"}, {"text": "  "}, {"text": "x" * 5001}, {"email": "not-mail"}):
        with pytest.raises(ContactError):
            complaint(authority, **bad)
    assert not Feedback.objects.exists()


def test_public_form_stores_and_never_tells_whether_a_case_exists(client, authority, case):
    url = "/a/alpha/feedback/"
    assert client.get(url).status_code == 200
    data = {"kind": "complaint", "category": "language", "text": "No interpreter.", "email": ""}
    known = client.post(url, {**data, "case_number": case.number})
    unknown = client.post(url, {**data, "case_number": "ABH-2026-999999"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: r.content.decode().replace(case.number, "").replace("ABH-2026-999999", "")  # noqa: E731
    assert strip(known) == strip(unknown)
    assert [f.case_id for f in Feedback.objects.order_by("pk")] == [case.pk, None]
    for bad in ({**data, "text": ""}, {**data, "kind": "rant"}, {**data, "email": "nope"}, {**data, "category": ""}):
        response = client.post(url, bad)
        assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert Feedback.objects.count() == 2


@pytest.mark.parametrize("role", ROLES)
def test_desk_queue_per_role(client, authority, team, role):
    item = complaint(authority)
    user = make_staff(authority, f"u-{role}", role=role, teams=[team])
    c = verified_login(client, user)
    page = c.get(reverse("contact:feedback_queue"))
    answer = c.post(reverse("contact:answer_feedback", args=[item.pk]), {f"f{item.pk}-reply": "Sorry."})
    if role in ALLOWED:
        assert page.status_code == 200 and f'data-testid="feedback-{item.pk}"' in page.content.decode()
        assert answer.status_code == 302
    else:
        assert page.status_code == 403 and answer.status_code == 403
        item.refresh_from_db()
        assert item.state == "open"


def test_feedback_of_another_authority_is_not_found(client, authority, other_authority):
    foreign = complaint(other_authority)
    head = make_staff(authority, "hanna", role="head_of_office")
    c = verified_login(client, head)
    assert f"feedback-{foreign.pk}" not in c.get(reverse("contact:feedback_queue")).content.decode()
    response = c.post(reverse("contact:answer_feedback", args=[foreign.pk]), {f"f{foreign.pk}-reply": "x"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.state == "open"


def test_answer_sends_the_reply_once_and_is_audited(client, authority, case):
    item = complaint(authority, case_number=case.number, language="ar")
    anonymous = complaint(authority)
    head = make_staff(authority, "hanna", role="head_of_office")
    c = verified_login(client, head)
    page = c.get(reverse("contact:feedback_queue")).content.decode()
    assert case.number in page
    assert AuditEntry.objects.filter(person_id=case.person_id, purpose="feedback list").exists()
    url = reverse("contact:answer_feedback", args=[item.pk])
    assert c.post(url, {f"f{item.pk}-reply": ""}).status_code == 400
    assert c.post(url, {f"f{item.pk}-reply": "We are sorry for the wait."}).status_code == 302
    item.refresh_from_db()
    assert item.state == "answered" and item.answered_by == head and item.reply == "We are sorry for the wait."
    message = Message.objects.get(template_key="feedback_reply")
    assert message.person == case.person and message.language == "ar" and "We are sorry for the wait." in message.body
    assert AuditEntry.objects.filter(person_id=case.person_id, purpose="feedback answered").exists()
    assert c.post(url, {f"f{item.pk}-reply": "again"}).status_code == 400  # answered once only
    other = reverse("contact:answer_feedback", args=[anonymous.pk])
    assert c.post(other, {f"f{anonymous.pk}-reply": "Thank you."}).status_code == 302
    assert Message.objects.filter(template_key="feedback_reply").count() == 1  # no address: nothing sent


def test_queue_lists_the_oldest_due_first_and_marks_overdue(client, authority):
    late = complaint(authority, now=timezone.now() - dt.timedelta(days=30), category="treatment")
    fresh = complaint(authority)
    assert list(selectors.open_feedback(authority)) == [late, fresh]
    c = verified_login(client, make_staff(authority, "hanna", role="head_of_office"))
    page = c.get(reverse("contact:feedback_queue")).content.decode()
    assert page.index(f"feedback-{late.pk}") < page.index(f"feedback-{fresh.pk}")
    assert page.count('class="overdue"') == 1


def test_survey_once_per_person_and_quarter(authority):
    person = make_client(authority, preferred_language="fa")
    october = timezone.make_aware(dt.datetime(2026, 10, 2, 9))
    first = survey.invite_to_survey(person, "decided_case", now=october)
    assert first is not None and first.quarter == "2026Q4" and first.language == "fa"
    assert survey.invite_to_survey(person, "attended_appointment", now=october + dt.timedelta(days=60)) is None
    assert survey.invite_to_survey(person, "decided_case", now=timezone.make_aware(dt.datetime(2027, 1, 3))) is not None
    assert SurveyInvitation.objects.filter(person=person).count() == 2
    assert Message.objects.filter(person=person, template_key="survey_invitation", language="fa").count() == 2


def _invite(authority):
    person = make_client(authority, preferred_language="tr")
    survey.invite_to_survey(person, "decided_case")
    body = Message.objects.get(person=person, template_key="survey_invitation").body
    return body.split("/survey/")[1].split("/")[0]


def test_survey_answered_once_without_an_account(client, authority):
    token = _invite(authority)
    url = f"/a/alpha/survey/{token}/"
    page = client.get(url)
    assert page.status_code == 200 and 'lang="tr"' in page.content.decode()
    assert client.post(url, {"overall": "7", "understood": "2", "reachable": "3"}).status_code == 400
    assert client.post(url, {"overall": "4", "understood": "2", "reachable": "5", "comment": "ok"}).status_code == 200
    invitation = SurveyInvitation.objects.get()
    assert (invitation.overall, invitation.understood, invitation.reachable) == (4, 2, 5)
    again = client.post(url, {"overall": "1", "understood": "1", "reachable": "1"})
    assert again.status_code == 409 and 'data-testid="survey-done"' in again.content.decode()
    invitation.refresh_from_db()
    assert invitation.overall == 4
    assert client.get("/a/alpha/survey/unknown-token/").status_code == 404
    with pytest.raises(ContactError):
        survey.answer_survey(invitation, {"overall": 1, "understood": 1, "reachable": 1})


def test_nightly_run_invites_decided_cases_and_attended_appointments(authority, case, monkeypatch):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    type(case).objects.filter(pk=case.pk).update(
        decided_at=timezone.make_aware(dt.datetime.combine(yesterday, dt.time(11)))
    )
    visitor = make_client(authority, family_name="Yilmaz", email="y@example.org")
    source = lambda day: [(visitor, "attended_appointment")] if day == yesterday else []  # noqa: E731
    monkeypatch.setattr(survey, "_SOURCES", [source])
    assert survey.invite_for_day(yesterday) == 2
    assert survey.invite_for_day(yesterday) == 0  # a rerun sends nothing twice
    reasons = dict(SurveyInvitation.objects.values_list("person_id", "reason"))
    assert reasons == {case.person_id: "decided_case", visitor.pk: "attended_appointment"}


def test_month_figures_count_complaints_on_time_and_survey(authority):
    today = timezone.localdate()
    head = make_staff(authority, "hanna", role="head_of_office")
    on_time = complaint(authority, category="language")
    feedback.answer_feedback(on_time, head, "Sorry.")
    complaint(authority, category="language", now=timezone.now() - dt.timedelta(days=20))  # overdue, open
    feedback.give_feedback(authority, kind="praise", category="treatment", text="Friendly staff.")
    person = make_client(authority)
    invitation = survey.invite_to_survey(person, "decided_case")
    survey.answer_survey(invitation, {"overall": 5, "understood": 4, "reachable": 3})
    figures = selectors.voice_figures(authority, today - dt.timedelta(days=31), today)
    assert figures["feedback"] == 3 and figures["by_kind"]["complaint"] == 2
    assert figures["complaints"]["language"] == 2 and figures["complaints"]["waiting"] == 0
    assert figures["due"] == 2 and figures["on_time"] == 1 and figures["on_time_share"] == 0.5
    assert figures["survey"]["answered"] == 1 and figures["survey"]["overall"] == 5


def test_figures_page_shows_the_voice_lines(client, authority):
    make_team(authority)
    complaint(authority, category="accessibility")
    c = verified_login(client, make_staff(authority, "hanna", role="head_of_office"))
    today = timezone.localdate()
    response = c.get(reverse("reports:casework"), {"start": today.replace(day=1).isoformat(), "end": today.isoformat()})
    page = response.content.decode()
    assert response.status_code == 200 and "Complaints: accessibility" in page


def test_feedback_queue_and_voice_figures_queries_do_not_grow(client, authority, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    anliegen = make_anliegen(authority)

    def add(n):
        for i in range(n):
            person = make_client(authority, preferred_language="tr")
            case, _code = open_case(authority, person=person, anliegen=anliegen, team=team)
            complaint(authority, case_number=case.number, category=("waiting", "language")[i % 2])
            survey.answer_survey(
                survey.invite_to_survey(person, "decided_case"), {"overall": 4, "understood": 4, "reachable": 2}
            )
        answered = complaint(authority)
        feedback.answer_feedback(answered, head, "Thank you.")

    head = make_staff(authority, "hanna", role="head_of_office")
    c = verified_login(client, head)
    today = timezone.localdate()
    add(1)
    c.get(reverse("contact:feedback_queue"))  # warm the caches
    counts = []
    for more in (0, 6):
        add(more)
        with CaptureQueriesContext(connection) as page:
            assert c.get(reverse("contact:feedback_queue")).status_code == 200
        with CaptureQueriesContext(connection) as figures:
            result = selectors.voice_figures(authority, today - dt.timedelta(days=1), today)
        # the read is audited for every person listed with one bulk insert, which SQLite splits into batches
        # by its limit on parameters: the reads are counted
        reads = [q for q in page.captured_queries if not q["sql"].startswith('INSERT INTO "audit_auditentry"')]
        assert len(reads) < len(page.captured_queries)
        counts.append((len(reads), len(figures.captured_queries)))
    assert (
        result["by_kind"]["complaint"] == 10
    )  # 7 with a case, 3 answered anonymous and result["survey"]["answered"] == 7
    assert counts[0] == counts[1]


def test_the_reply_to_a_complaint_with_a_case_is_a_letter_in_the_efile(client, authority, case):
    from io import BytesIO

    from pypdf import PdfReader

    from willkommen.letters.models import Letter

    item = complaint(authority, case_number=case.number, language="ar")
    anonymous = complaint(authority)
    head = make_staff(authority, "hanna", role="head_of_office")
    c = verified_login(client, head)
    url = reverse("contact:answer_feedback", args=[item.pk])
    assert c.post(url, {f"f{item.pk}-reply": "We are sorry for the wait."}).status_code == 302
    assert c.post(reverse("contact:answer_feedback", args=[anonymous.pk]), {f"f{anonymous.pk}-reply": "Thanks."})
    item.refresh_from_db()
    anonymous.refresh_from_db()
    letter = item.reply_letter
    assert anonymous.reply_letter is None  # no one to write to
    assert Letter.objects.filter(authority=authority, person=case.person).count() == 1
    assert letter.case == case and letter.languages == "de+ar" and letter.efile_document_id
    assert letter.title == "Antwort auf Ihre Rückmeldung"

    queue = c.get(reverse("contact:feedback_queue")).content.decode()
    pdf_url = reverse("contact:reply_letter", args=[item.pk])
    assert f'href="{pdf_url}"' in queue
    response = c.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)
    assert text.count("We are sorry for the wait.") == 2  # the German section and the Arabic one
    assert AuditEntry.objects.filter(person_id=case.person_id, purpose="feedback reply letter").exists()
    assert c.get(reverse("contact:reply_letter", args=[anonymous.pk])).status_code == 404

    caseworker = make_staff(authority, "carl", role="caseworker", teams=[case.team])
    assert verified_login(client, caseworker).get(pdf_url).status_code == 403
