"""Browser: at the ServicePoint a drop-off becomes a case – "Open a case for these documents", the matter
chosen, its checklist questions answered; one case, linked to the drop-off; the intake page axe-clean."""

import pytest
from django.urls import reverse

from willkommen.catalogue.testing import make_anliegen
from willkommen.core.testing import axe_violations, format_violations
from willkommen.servicepoint import services
from willkommen.servicepoint.models import DropOff

from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_drop_off_becomes_a_case_with_its_checklist_answers(page, live_server, authority, location, person, sp_staff):
    from willkommen.cases.models import Case

    duldung = make_anliegen(authority, "duldung", residence_kind="duldung")
    ticket = services.issue_ticket(authority, location, "drop_off")
    drop_off = DropOff.objects.create(
        authority=authority, person=person, ticket=ticket, items=[{"title": "Duldung"}], received_by=sp_staff
    )
    base = live_server.url
    sign_in(page, live_server, sp_staff)
    page.goto(f"{base}{reverse('servicepoint:drop_off_detail', args=[drop_off.pk])}")
    page.locator("[data-testid=open-case]").click()
    assert page.locator("input[type=radio][name=source][value=servicepoint]").is_checked()
    page.locator("#pick-anliegen").select_option(str(duldung.pk))
    page.locator("form.cases-pick-matter button").click()
    page.locator("#q_married").select_option("yes")
    assert page.locator("#id_anliegen").input_value() == str(duldung.pk)
    assert page.locator("form[method=post] input[name=origin]").input_value() == f"dropoff:{drop_off.pk}"
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_selector(".access-code")
    case = Case.objects.get(person=person)
    assert case.anliegen == duldung and case.answers == {"married": True}
    drop_off.refresh_from_db()
    assert drop_off.case_id == case.pk
    assert case.number in page.content()
