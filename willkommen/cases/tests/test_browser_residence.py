"""Browser: a Duldung renewal is decided and the person's residence history shows the new Duldung; the
certificate form proposes the § 81 paragraph the history gives, for a timely and for a late applicant;
pages axe-clean (German, and the person page in Arabic, right to left)."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.core.testing import axe_violations, format_violations, make_staff

from .conftest import make_anliegen, make_person
from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_decided_duldung_in_the_history_and_the_certificate_proposes_81(
    browser, live_server, authority, team, outbox, settings, tmp_path
):
    from willkommen.cases.models import Case
    from willkommen.cases.services import open_case
    from willkommen.clients.services import record_residence

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    caseworker = make_staff(authority, "clara", teams=[team])
    today = timezone.localdate()
    duldung = make_anliegen(authority, "duldung", legal_basis="§ 60a Abs. 4 AufenthG", residence_kind="duldung")
    study = make_anliegen(authority, "study")
    tolerated = make_person(authority, "Ahmadi", language="fa", email="ahmadi@example.org")
    record_residence(
        tolerated,
        kind="duldung",
        legal_basis="§ 60a Abs. 2 AufenthG",
        valid_from=today - dt.timedelta(days=180),
        valid_to=today + dt.timedelta(days=10),
    )
    timely = make_person(authority, "Timely", email="timely@example.org")
    late = make_person(authority, "Late", email="late@example.org")
    cases = {}
    for person, days_after in ((timely, 0), (late, 1)):
        case, _code = open_case(authority, person=person, anliegen=study, team=team)
        arrival = timezone.localtime(case.received_at).date()
        record_residence(
            person,
            kind="title",
            legal_basis="§ 16b AufenthG",
            valid_from=arrival - dt.timedelta(days=700),
            valid_to=arrival - dt.timedelta(days=days_after),
        )
        cases[person.family_name] = case
    renewal, _code = open_case(authority, person=tolerated, anliegen=duldung, team=team)
    Case.objects.filter(pk__in=[renewal.pk, *(c.pk for c in cases.values())]).update(assignee=caseworker)
    base = live_server.url

    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, caseworker)

    # decide the Duldung renewal at the desk
    page.goto(f"{base}/desk/cases/{renewal.pk}/")
    page.locator("form[action$='/do/start_review/'] button").click()
    page.locator("a[href$='/decision/']").click()
    page.locator("input[name=outcome][value=grant]").check()
    page.locator("#id_valid_to").fill((today + dt.timedelta(days=120)).isoformat())
    page.locator("#id_shorter_validity_reason").fill("Passbeschaffung läuft.")
    page.locator("#id_conditions").fill("Erwerbstätigkeit nur mit Erlaubnis der Ausländerbehörde.")
    page.locator("#id_reasoning").fill("Das Abschiebungshindernis besteht fort.")
    page.locator("main form button[type=submit]").click()
    page.locator("form[action$='/do/finalise/'] button").click()
    page.wait_for_selector("#case-status")

    # the person page shows the new Duldung in the residence history, marked as in force
    page.goto(f"{base}/desk/clients/{tolerated.pk}/")
    newest = page.locator("table.residence-timeline tbody tr").first
    assert newest.get_attribute("data-kind") == "duldung" and newest.get_attribute("aria-current") == "true"
    assert (today + dt.timedelta(days=120)).strftime("%d.%m.%Y") in newest.inner_text()
    assert page.locator("table.residence-timeline tbody tr[data-kind=duldung]").count() == 2
    page.mouse.move(640, 880)  # away from the header (a hovered button is not what axe should judge)
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)

    # the certificate form proposes § 81 (4) sentence 1 for the timely and sentence 3 for the late applicant
    for name, expected in (("Timely", "81_4_1"), ("Late", "81_4_3")):
        page.goto(f"{base}/desk/cases/{cases[name].pk}/fiktion/")
        assert page.locator(f"input[name=paragraph][value='{expected}']").is_checked()
        assert page.locator("[data-proposed]").get_attribute("data-proposed") == expected
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)

    # the person page right to left (Arabic), same session
    page.goto(f"{base}/language/ar/")
    page.goto(f"{base}/desk/clients/{tolerated.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("table.residence-timeline tbody tr[data-kind=duldung]").count() == 2
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    context.close()
