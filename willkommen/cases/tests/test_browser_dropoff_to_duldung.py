"""Browser walk (German desk, 1366×768), issue 12: a person whose Duldung runs out soon hands in documents at
the ServicePoint (the drop-off desk page, as ServicePoint staff); a caseworker follows the drop-off's
"Open a case for these documents" link, chooses the Duldung renewal and opens exactly one case with the
drop-off's documents on its timeline; the certificate form proposes no § 81 rule for a Duldung; the
caseworker starts the review, drafts a grant with its validity dates and finalises it; the person view's
residence history shows the new Duldung with its dates. Then the certificate form of two title holders
proposes § 81 (4) sentence 1 for the timely and § 81 (4) sentence 3 for the late applicant. Case page,
person view and certificate forms axe-clean."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.core.testing import axe_violations, format_violations, make_staff
from willkommen.servicepoint.tests.conftest import png_bytes

from .conftest import make_anliegen, make_person
from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZE = {"width": 1366, "height": 768}


def _axe(page):
    page.mouse.move(SIZE["width"] // 2, SIZE["height"] - 8)  # away from the header: a hovered button is not judged
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def _desk(browser, base, user):
    context = browser.new_context(locale="de-DE", viewport=SIZE, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, user)
    return context, page


def _hand_in(page, base, person):
    """ServicePoint staff: find the person by name and date of birth, hand in two documents; the drop-off's
    page with its "open a case" link."""
    page.goto(f"{base}/desk/servicepoint/drop-off/")
    page.locator("#id_name").fill(f"{person.given_names} {person.family_name}")
    page.locator("#id_date_of_birth").fill(person.date_of_birth.isoformat())
    page.locator("[data-testid=find-client] button[type=submit]").click()
    assert person.family_name in page.locator("[data-testid=drop-off-client]").inner_text()
    for slot, (name, kind) in enumerate((("reisepass.png", "passport"), ("duldung-alt.png", "other")), start=1):
        page.locator(f"#id_file{slot}").set_input_files(
            files=[{"name": name, "mimeType": "image/png", "buffer": png_bytes()}]
        )
        page.locator(f"#id_type{slot}").select_option(kind)
    page.locator("main form[enctype] button[type=submit]").click()
    received = page.locator("[data-testid=received-items]").inner_text()
    assert "reisepass.png" in received and "duldung-alt.png" in received
    return page.locator("[data-testid=open-case]").get_attribute("href")


def _open_from_drop_off(page, base, href, drop_off, duldung):
    """The caseworker follows the drop-off's link: the desk intake prefilled (person, way in, origin)."""
    page.goto(f"{base}{href}")
    assert page.locator("input[type=radio][name=source][value=servicepoint]").is_checked()
    assert page.locator("form[method=post] input[name=origin]").input_value() == f"dropoff:{drop_off.pk}"
    assert page.locator("#id_received_on").input_value() == timezone.localdate().isoformat()
    page.locator("#id_anliegen").select_option(str(duldung.pk))
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_url("**/desk/cases/*/")


def _decide(page, base, case, today):
    page.goto(f"{base}/desk/cases/{case.pk}/")
    page.locator("form[action$='/do/start_review/'] button").click()
    page.locator("a[href$='/decision/']").click()
    page.locator("input[name=outcome][value=grant]").check()
    page.locator("#id_valid_from").fill(today.isoformat())
    page.locator("#id_valid_to").fill((today + dt.timedelta(days=120)).isoformat())
    page.locator("#id_shorter_validity_reason").fill("Passbeschaffung läuft.")
    page.locator("#id_conditions").fill("Erwerbstätigkeit nur mit Erlaubnis der Ausländerbehörde.")
    page.locator("#id_reasoning").fill("Das Abschiebungshindernis besteht fort.")
    page.locator("main form button[type=submit]").click()
    page.locator("form[action$='/do/finalise/'] button").click()
    page.wait_for_selector("#case-status")


def _title_holders(authority, team, caseworker, study):
    """Two persons with a residence title applying for its extension: on its last day, and a day after."""
    from willkommen.cases.models import Case
    from willkommen.cases.services import open_case
    from willkommen.clients.services import record_residence

    cases = {}
    for name, days_after in (("Timely", 0), ("Late", 1)):
        person = make_person(authority, name, email=f"{name.lower()}@example.org")
        case, _code = open_case(authority, person=person, anliegen=study, team=team)
        arrival = timezone.localtime(case.received_at).date()
        record_residence(
            person,
            kind="title",
            legal_basis="§ 16b AufenthG",
            valid_from=arrival - dt.timedelta(days=700),
            valid_to=arrival - dt.timedelta(days=days_after),
        )
        cases[name] = case
    Case.objects.filter(pk__in=[c.pk for c in cases.values()]).update(assignee=caseworker)
    return cases


def test_drop_off_to_a_decided_duldung_in_the_history_and_81_for_timely_and_late(
    browser, live_server, authority, team, outbox, settings, tmp_path
):
    from willkommen.cases import residence
    from willkommen.cases.models import Case
    from willkommen.clients.services import record_residence
    from willkommen.servicepoint.models import DropOff
    from willkommen.tenancy.models import RoutingRule

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""
    settings.EFILE_OCR = False
    today = timezone.localdate()
    caseworker = make_staff(authority, "clara", teams=[team])
    sp_staff = make_staff(authority, "sven", role="servicepoint", teams=[team])
    duldung = make_anliegen(authority, "duldung", legal_basis="§ 60a Abs. 4 AufenthG", residence_kind="duldung")
    study = make_anliegen(authority, "study")
    RoutingRule.objects.create(authority=authority, team=team, anliegen=duldung, priority=1)  # Duldung: clara's team
    tolerated = make_person(authority, "Ahmadi", language="fa", email="ahmadi@example.org")
    record_residence(
        tolerated,
        kind="duldung",
        legal_basis="§ 60a Abs. 2 AufenthG",
        valid_from=today - dt.timedelta(days=180),
        valid_to=today + dt.timedelta(days=10),
    )
    base = live_server.url

    # 1. the documents handed in at the ServicePoint desk
    sp_context, sp_page = _desk(browser, base, sp_staff)
    href = _hand_in(sp_page, base, tolerated)
    sp_context.close()
    drop_off = DropOff.objects.get(person=tolerated)
    assert drop_off.case_id is None and len(drop_off.items) == 2

    # 2. a caseworker opens the Duldung renewal from the drop-off: one case, the documents on its timeline
    context, page = _desk(browser, base, caseworker)
    page.goto(f"{base}/desk/clients/{tolerated.pk}/#residence")
    assert page.locator("table.residence-timeline tbody tr[data-kind=duldung]").count() == 1
    _open_from_drop_off(page, base, href, drop_off, duldung)
    renewal = Case.objects.get(person=tolerated)
    assert renewal.anliegen == duldung and renewal.source == "servicepoint"
    assert page.url == f"{base}/desk/cases/{renewal.pk}/"
    drop_off.refresh_from_db()
    assert drop_off.case_id == renewal.pk
    timeline = page.locator("ol.timeline").inner_text()
    assert "reisepass.png" in timeline and "duldung-alt.png" in timeline
    assert f"Eröffnet aus Dokumentenabgabe {drop_off.pk} am ServicePoint." in timeline
    _axe(page)

    # a Duldung is no residence title: § 81 gives no continued residence, the certificate form proposes none
    assert residence.fiction_paragraph(renewal) == ""
    page.goto(f"{base}/desk/cases/{renewal.pk}/fiktion/")
    assert page.locator("[data-proposed]").get_attribute("data-proposed") == ""
    assert page.locator("input[name=paragraph]:checked").count() == 0

    # 3. worked up to the decision on the case page
    _decide(page, base, renewal, today)
    renewal.refresh_from_db()
    assert renewal.status == "decided"
    _axe(page)

    # 4. the person view: the new Duldung, in force, with its dates; the old one still listed
    page.goto(f"{base}/desk/clients/{tolerated.pk}/#residence")
    newest = page.locator("table.residence-timeline tbody tr").first
    assert newest.get_attribute("data-kind") == "duldung" and newest.get_attribute("aria-current") == "true"
    text = newest.inner_text()
    assert today.strftime("%d.%m.%Y") in text and (today + dt.timedelta(days=120)).strftime("%d.%m.%Y") in text
    assert page.locator("table.residence-timeline tbody tr[data-kind=duldung]").count() == 2
    _axe(page)

    # 5. the certificate form: § 81 (4) sentence 1 for the timely, sentence 3 for the late title holder
    cases = _title_holders(authority, team, caseworker, study)
    for name, expected in (("Timely", "81_4_1"), ("Late", "81_4_3")):
        page.goto(f"{base}/desk/cases/{cases[name].pk}/fiktion/")
        assert page.locator(f"input[name=paragraph][value='{expected}']").is_checked()
        assert page.locator("[data-proposed]").get_attribute("data-proposed") == expected
        _axe(page)
    context.close()
