"""Staff see words, not codes: the timeline names states by their labels; the audit log names a case by
its number and a person by name, in bulk."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from willkommen.audit import services as audit
from willkommen.cases import services
from willkommen.core.testing import make_staff, verified_login

from .conftest import make_person


def test_timeline_shows_state_labels(client, open_a_case, caseworker):
    case = open_a_case()
    case.assignee = caseworker
    case.save()
    services.transition(case, "start_review", caseworker)
    body = verified_login(client, caseworker).get(f"/desk/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="de").content
    body = body.decode()
    assert "eingegangen → in Prüfung" in body and "in_review" not in body.replace('"in_review"', "")


def test_audit_log_names_cases_and_persons(client, authority, open_a_case):
    head = make_staff(authority, "chief", role="head_of_office")
    verified_login(client, head)
    cases = []
    for i in range(3):
        person = make_person(authority, family_name=f"Name{i}", email=f"p{i}@example.org")
        case = open_a_case(who=person)
        audit.record(authority=authority, action="read", person_id=person.pk, obj=case, actor=head, purpose="test")
        cases.append(case)
    body = client.get("/desk/audit/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f"Vorgang {cases[-1].number}" in body and "Name2, Rana" in body
    assert "cases.case" not in body and "head_of_office" not in body and "Amtsleitung" in body


def test_audit_log_queries_do_not_grow_with_entries(client, authority, open_a_case):
    head = make_staff(authority, "chief", role="head_of_office")
    verified_login(client, head)

    def count():
        client.get("/desk/audit/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/desk/audit/")
        return len(queries.captured_queries)

    for name in ("Erste", "Zweite"):  # two persons: the log's own read entries are then written in bulk
        person = make_person(authority, family_name=name, email=f"{name}@example.org")
        audit.record(authority=authority, action="read", person_id=person.pk, obj=open_a_case(who=person), actor=head)
    small = count()
    for i in range(6):
        other = make_person(authority, family_name=f"Weitere{i}", email=f"w{i}@example.org")
        audit.record(authority=authority, action="read", person_id=other.pk, obj=open_a_case(who=other), actor=head)
    assert count() == small


def test_case_states_read_as_the_cases_room_translates_them():
    """Django merges every room's catalog and the room listed first wins a msgid they share: the e-file's
    field label "received" ("date of receipt" in Arabic, Persian and Turkish) once named the case state too.
    Every state reads in every shipped language as the cases room's own catalog has it."""
    from pathlib import Path

    import polib
    from django.conf import settings
    from django.utils import translation

    from willkommen.cases.workflow import Status

    folder = Path(__file__).resolve().parents[1] / "locale"
    with translation.override(None):
        msgids = {value: str(label) for value, label in Status.choices}
    for language, _name in settings.LANGUAGES:
        own = {e.msgid: e.msgstr for e in polib.pofile(str(folder / language / "LC_MESSAGES" / "django.po"))}
        with translation.override(language):
            for value, label in Status.choices:
                wanted = own.get(msgids[value]) or msgids[value]
                assert str(label) == wanted, (language, value, str(label), wanted)
