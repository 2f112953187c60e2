"""The case page as a workspace (issue 15 item 2): key facts with the days left, the checklist with each
item's document and its verification, the case's messages with the client's unread ones marked (also in the
queue), the timeline with documents, letters and messages as links, the actions grouped."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.cases import communication, services
from willkommen.core.testing import make_staff, verified_login
from willkommen.messaging import conversation


@pytest.fixture
def case(open_a_case, caseworker):
    case = open_a_case(answers={})
    case.assignee = caseworker
    case.save()
    services.transition(case, "start_review", caseworker)
    return case


def _page(client, case, language="de"):
    response = client.get(f"/desk/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_deadline_shows_the_days_left_or_overdue(staff_client, case):
    from willkommen.cases.models import Case

    Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() + dt.timedelta(days=5))
    assert "(noch 5 Tage)" in _page(staff_client, case)
    Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    html = _page(staff_client, case, "en")
    assert "(1 day overdue)" in html and "case-days--overdue" in html
    Case.objects.filter(pk=case.pk).update(clock_stopped_on=timezone.localdate())
    assert "overdue" not in _page(staff_client, case, "en")  # the clock stands still: no count


def test_the_checklist_shows_each_items_document_and_its_verification(
    authority, staff_client, case, person, caseworker
):
    from willkommen.efile.services import add_generated_document, verify_document

    passport = add_generated_document(
        authority, person, b"%PDF-1.4 test", file_name="pass.pdf", document_type="passport", case=case
    )
    verify_document(passport, caseworker)
    html = _page(staff_client, case)
    section = html[html.index('id="case-checklist"') : html.index("</section>", html.index('id="case-checklist"'))]
    assert "Reisepass" in section and "Immatrikulation" in section  # by name, never the key
    assert f'href="/desk/efile/document/{passport.pk}/"' in section
    assert 'data-key="passport" data-state="verified"' in section and "Original geprüft" in section
    assert 'data-key="enrolment" data-state="missing"' in section and "kein Dokument in der Akte" in section
    english = _page(staff_client, case, "en")
    assert "Enrolment" in english and "no document on file" in english


def test_staff_who_may_not_read_the_file_see_no_checklist(authority, case, client):
    reader = make_staff(authority, "rita", role="head_of_office")
    verified_login(client, reader)
    from willkommen.clients.visibility import Resource, may_read

    html = _page(client, case)
    assert ('id="case-checklist"' in html) == may_read(reader, Resource.FILE)


def test_an_unread_client_message_is_marked_on_the_case_and_in_the_queue(authority, staff_client, case, person):
    conversation.client_writes(authority, person, subject="Frage zum Termin", body="Wann?", case=case)
    html = _page(staff_client, case)
    section = html[html.index('id="case-messages"') : html.index("</section>", html.index('id="case-messages"'))]
    assert "Frage zum Termin" in section and 'class="unread"' in section and "1 ungelesen" in section
    assert f'href="/desk/messaging/person/{person.pk}/#message-' in section
    queue = staff_client.get("/desk/cases/?scope=mine").content.decode()
    assert "ungelesene Nachricht" in queue
    staff_client.get(f"/desk/messaging/person/{person.pk}/")  # opening the conversation reads it
    assert 'class="unread"' not in _page(staff_client, case)
    assert "ungelesene Nachricht" not in staff_client.get("/desk/cases/?scope=mine").content.decode()


def test_the_queue_marks_unread_in_one_query(authority, staff_client, open_a_case, caseworker, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        other = open_a_case(answers={})
        other.assignee = caseworker
        other.save()
        conversation.client_writes(authority, person, subject="Hallo", body="x", case=other)
    staff_client.get("/desk/cases/?scope=mine")  # warm: the authority and the session are cached
    with CaptureQueriesContext(connection) as three:
        staff_client.get("/desk/cases/?scope=mine")
    for _ in range(3):
        other = open_a_case(answers={})
        other.assignee = caseworker
        other.save()
        conversation.client_writes(authority, person, subject="Hallo", body="x", case=other)
    with CaptureQueriesContext(connection) as six:
        html = staff_client.get("/desk/cases/?scope=mine").content.decode()
    assert html.count("ungelesene Nachricht") == 6
    assert len(six.captured_queries) == len(three.captured_queries)


def test_the_timeline_links_documents_letters_and_messages(authority, staff_client, case, person):
    from willkommen.efile.services import add_generated_document

    document = add_generated_document(
        authority, person, b"%PDF-1.4 test", file_name="scan.pdf", document_type="passport", case=case
    )
    communication.send_message(case, case.assignee, subject="Ihre Unterlagen", body="Bitte senden")
    html = _page(staff_client, case)
    timeline = html[html.index('class="timeline"') :]
    assert f'href="/desk/efile/document/{document.pk}/"' in timeline
    assert f'href="/desk/messaging/person/{person.pk}/">' in timeline and "Ihre Unterlagen" in timeline


def test_the_actions_are_grouped_and_the_workspace_has_two_columns(staff_client, case):
    html = _page(staff_client, case, "en")
    for heading in ("Move the case on", "Ask and decide", "Hand over and export"):
        assert heading in html
    assert html.index('class="case-main"') < html.index('class="case-aside"')
    assert html.index('id="case-checklist"') > html.index('class="case-aside"')


def test_the_next_case_follows_the_queue_order_and_keys_are_offered(staff_client, open_a_case, caseworker, case):
    from willkommen.cases.models import Case

    later = open_a_case(answers={})
    Case.objects.filter(pk=later.pk).update(assignee=caseworker, due_on=case.due_on + dt.timedelta(days=3))
    html = _page(staff_client, case)
    assert f'id="next-case" href="/desk/cases/{later.pk}/" data-key="n"' in html
    assert 'data-key="q"' in html and "<kbd>N</kbd>" in html
    assert 'id="next-case"' not in _page(staff_client, later)  # the last of the queue has no next case
    queue = staff_client.get("/desk/cases/").content.decode()
    assert 'data-key="s"' in queue and 'type="search"' in queue
