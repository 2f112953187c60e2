"""Races on PostgreSQL: two job runs at once send an automatic message once; two approvers approve once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from willkommen.cases import services, transparency
from willkommen.cases.models import AutoMessage
from willkommen.core.testing import make_staff

from .conftest import make_anliegen, make_person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_threads(target, n=2):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_parallel_job_runs_send_the_interim_answer_once(authority, team, outbox):
    anliegen = make_anliegen(authority, "skilled", complexity="complex")
    case, _ = services.open_case(
        authority,
        person=make_person(authority),
        anliegen=anliegen,
        team=team,
        received_at=timezone.now() - dt.timedelta(days=20),
    )
    results, errors = _in_threads(lambda: transparency.send_auto_message(case, timezone.localdate()), n=4)
    assert not errors
    assert sorted(r for r in results if r) == ["interim"]
    assert AutoMessage.objects.filter(case=case).count() == 1
    assert len(outbox) == 1


def test_two_approvers_at_once_decide_once(authority, team, caseworker, outbox):
    anliegen = make_anliegen(authority, "disc", discretionary=True)
    case, _ = services.open_case(authority, person=make_person(authority), anliegen=anliegen, team=team)
    services.transition(case, "start_review", caseworker)
    start, end = services.proposed_validity(case)
    services.draft_decision(
        case,
        caseworker,
        outcome="grant",
        legal_basis=anliegen.legal_basis,
        reasoning="ok",
        valid_from=start,
        valid_to=end,
    )
    services.submit_for_approval(case, caseworker)
    leads = [make_staff(authority, f"lead{i}", role="team_lead", teams=[team]) for i in range(2)]
    it = iter(leads)
    lock = threading.Lock()

    def approve():
        with lock:
            lead = next(it)
        return services.approve(case, lead)

    results, errors = _in_threads(approve)
    assert len(results) == 1 and len(errors) == 1
    assert case.letters.filter(kind="decision").count() == 1


def test_two_desk_submits_at_once_open_one_case_and_one_receipt(authority, team, caseworker):
    import uuid

    from willkommen.cases.intake import open_at_desk
    from willkommen.cases.models import Case, CaseSource
    from willkommen.messaging.models import Message

    anliegen = make_anliegen(authority, "renewal")
    person = make_person(authority)
    key = str(uuid.uuid4())

    def submit():
        case, code = open_at_desk(
            authority,
            caseworker,
            person=person,
            anliegen=anliegen,
            source=CaseSource.LETTER,
            received_on=timezone.localdate() - dt.timedelta(days=2),
            idempotency_key=key,
        )
        return case.pk, code

    results, errors = _in_threads(submit, n=4)
    assert not errors, errors
    assert len({pk for pk, _code in results}) == 1
    assert len([code for _pk, code in results if code]) == 1  # the code is handed out once
    assert Case.objects.filter(person=person).count() == 1
    assert Message.objects.filter(person=person, template_key="receipt").count() == 1
