"""In the browser: a caseworker drafts a decision with two text blocks inserted and a country note and the
work instruction in view; the head of office sees the outcomes per block; the new desk pages have no
WCAG 2.1 AA violation (axe-core), in German and in Arabic."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from willkommen.core.testing import axe_violations, format_violations, make_staff, verified_login

from .conftest import make_note

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def sign_in(page, live_server, user, language="de"):
    client = verified_login(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": "willkommen_language", "value": language, "url": live_server.url},
        ]
    )


def test_caseworker_drafts_from_two_blocks_with_a_country_note_in_view(page, live_server, authority, team, monkeypatch):
    from willkommen.cases import services as cases
    from willkommen.cases.tests.conftest import make_anliegen, make_person
    from willkommen.knowledge import selectors

    from .test_instructions_blocks import BASIS, make_block, make_instruction

    monkeypatch.setattr("willkommen.messaging.services.send_to_client", lambda authority, **kwargs: None)
    caseworker = make_staff(authority, "clara", teams=[team])
    case, _code = cases.open_case(
        authority, person=make_person(authority), anliegen=make_anliegen(authority), team=team
    )
    case.assignee = caseworker
    case.save()
    cases.transition(case, "start_review", caseworker)
    make_instruction(authority, title="Studium prüfen", pitfalls="Sperrkonto nicht vergessen")
    reasoning = make_block(authority, text="Für {{ name }} liegen die Voraussetzungen des {{ legal_basis }} vor.")
    conditions = make_block(
        authority, title="Auflage Beschäftigung", kind="conditions", text="Beschäftigung bis 20 Std."
    )
    make_block(authority, title="Ablehnung", outcome="refuse", text="Nicht erfüllt.")
    make_note(authority, "SYR", deportation_bans="Zurzeit keine Abschiebungen")

    sign_in(page, live_server, caseworker)
    page.goto(f"{live_server.url}/desk/cases/{case.pk}/decision/")
    note = page.locator("[data-testid=country-note-SYR]")
    note.locator("summary").click()
    assert "Zurzeit keine Abschiebungen" in note.inner_text()
    page.locator("[data-testid^=instruction-] summary").first.click()
    assert "Sperrkonto nicht vergessen" in page.locator("[data-testid=decision-knowledge]").inner_text()
    page.locator(f"[data-testid=insert-{reasoning.pk}]").click()
    page.locator(f"[data-testid=insert-{conditions.pk}]").click()
    assert (
        "Für Rana Haddad liegen die Voraussetzungen des § 16b AufenthG vor."
        in page.locator("#id_reasoning").input_value()
    )
    assert page.locator("#id_conditions").input_value() == "Beschäftigung bis 20 Std."
    check(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/desk/cases/{case.pk}/")
    decision = cases.current_decision(case)
    assert "Für Rana Haddad" in decision.reasoning
    assert {v.block_id for v in selectors.versions_used(authority, decision)} == {reasoning.pk, conditions.pk}
    assert BASIS in page.locator("[data-testid=case-knowledge]").inner_text()
    check(page)

    sign_in(page, live_server, make_staff(authority, "leitung", role="head_of_office"))
    page.goto(f"{live_server.url}/desk/knowledge/blocks/")
    row = page.locator(f"[data-testid=figures-{reasoning.pk}]")
    assert row.locator("td").all_inner_texts() == ["1", "0", "0", "1"]
    check(page)


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("de", "ltr")])
def test_instruction_block_and_shared_pages(page, live_server, authority, other_authority, language, direction):
    from willkommen.cases.models import LegalChange

    from .test_instructions_blocks import BASIS, make_block, make_instruction

    item = make_instruction(authority, legal_links="https://www.gesetze-im-internet.de/aufenthg_2004/__16b.html")
    block = make_block(authority)
    LegalChange.objects.create(authority=authority, legal_basis=BASIS, changed_on="2026-03-01", note="Neufassung")
    make_instruction(other_authority, title="Geteilt", published=True)
    make_block(other_authority, title="Geteilter Baustein", published=True)
    from willkommen.knowledge import learning

    learning.save_training(
        authority,
        None,
        staff_member=make_staff(authority, "anna", languages=["de", "ar"]),
        course="Datenschutz",
        completed_on=dt.date(2025, 12, 1),
        mandatory=True,
        renew_months=12,
    )
    sign_in(page, live_server, make_staff(authority, "leitung", role="head_of_office"), language)
    for path in (
        "instructions/",
        f"instructions/{item.pk}/",
        "instructions/new/",
        f"instructions/{item.pk}/edit/",
        "blocks/",
        f"blocks/{block.pk}/",
        "blocks/new/",
        f"blocks/{block.pk}/edit/",
        "shared/",
        "training/",
    ):
        page.goto(f"{live_server.url}/desk/knowledge/{path}")
        assert page.locator("html").get_attribute("dir") == direction
        check(page)
    page.goto(f"{live_server.url}/desk/knowledge/instructions/{item.pk}/")
    assert page.locator("[data-testid=needs-review]").count() == 1
