"""Work instructions and text blocks: versions, a change in the law marks them for review, a decision
drafted from blocks records the versions it used (placeholders filled from the case, no template
language), the outcomes per block, the panels beside the case and in the decision form, pages per role."""

import datetime as dt

import pytest

from willkommen.cases import services as cases
from willkommen.cases.models import LegalChange
from willkommen.cases.tests.conftest import make_anliegen, make_person
from willkommen.core.testing import make_staff, verified_login
from willkommen.knowledge import placeholders, selectors, versions
from willkommen.knowledge.models import DecisionBlock, TextBlock, WorkInstruction
from willkommen.knowledge.services import KnowledgeError

pytestmark = pytest.mark.django_db
BASIS = "§ 16b AufenthG"


@pytest.fixture(autouse=True)
def _no_messages(monkeypatch):
    monkeypatch.setattr("willkommen.messaging.services.send_to_client", lambda authority, **kwargs: None)


@pytest.fixture
def case(authority, team, caseworker):
    anliegen = make_anliegen(authority)
    opened, _code = cases.open_case(authority, person=make_person(authority), anliegen=anliegen, team=team)
    opened.assignee = caseworker
    opened.save()
    cases.transition(opened, "start_review", caseworker)
    return opened


def make_instruction(authority, basis=BASIS, **extra):
    values = {"title": "Studium prüfen", "legal_basis": basis, "checks": "Zulassung, Finanzierung", **extra}
    return versions.save_instruction(authority, None, **values)


def make_block(authority, text="Die Voraussetzungen des {{ legal_basis }} liegen vor.", **extra):
    values = {"title": "Begründung Studium", "legal_basis": BASIS, "outcome": "grant", "kind": "reasoning"}
    return versions.save_block(authority, None, text=text, **{**values, **extra})


def as_role(client, authority, role, team=None):
    client.cookies["willkommen_language"] = "en"
    return verified_login(client, make_staff(authority, f"u-{role}", role=role, teams=[team] if team else []))


# --- versions and review ----------------------------------------------------------------------------


def test_every_save_is_a_new_version_and_the_old_one_stays(authority):
    item = make_instruction(authority)
    item = versions.save_instruction(
        authority, None, instruction=item, title=item.title, legal_basis=BASIS, checks="Neu: auch Sprache"
    )
    history = list(selectors.instruction_versions(authority, item))
    assert item.version == 2 and [v.number for v in history] == [2, 1]
    assert history[1].checks == "Zulassung, Finanzierung" and history[0].checks == "Neu: auch Sprache"


def test_a_legal_change_marks_the_instructions_and_blocks_of_its_basis_for_review(authority, other_authority):
    affected = make_instruction(authority, basis="§ 16b aufenthg")  # the basis as typed, any case
    other_basis = make_instruction(authority, basis="§ 18a AufenthG")
    block = make_block(authority)
    elsewhere = make_instruction(other_authority)
    LegalChange.objects.create(authority=authority, legal_basis=BASIS, changed_on=dt.date(2026, 3, 1), note="Neu")
    for obj in (affected, other_basis, block, elsewhere):
        obj.refresh_from_db()
    assert affected.needs_review and block.needs_review and "01.03.2026" in affected.review_reason
    assert not other_basis.needs_review and not elsewhere.needs_review
    # a new version or a confirmation clears it
    versions.confirm_reviewed(authority, None, affected)
    assert not WorkInstruction.objects.get(pk=affected.pk).needs_review
    block = make_block(authority, block=block, text="Neue Fassung")
    assert not block.needs_review and block.version == 2


def test_unknown_placeholders_are_refused_and_no_template_language_runs(authority, case):
    with pytest.raises(KnowledgeError):
        make_block(authority, text="{{ secret_key }}")
    with pytest.raises(KnowledgeError):
        make_block(authority, text="{{ settings.SECRET_KEY }}")
    values = placeholders.values_for(case, legal_basis=BASIS, valid_from=dt.date(2026, 1, 2))
    text = "{% load x %} {{ name }} ({{date_of_birth}}) ab {{ valid_from }} {{ case.person.email }}"
    assert (
        placeholders.fill(text, values) == "{% load x %} Rana Haddad (02.04.1998) ab 02.01.2026 {{ case.person.email }}"
    )


# --- drafting from blocks ---------------------------------------------------------------------------


def draft(client, case, blocks=(), **extra):
    start, end = cases.proposed_validity(case)
    data = {
        "outcome": "grant",
        "legal_basis": BASIS,
        "reasoning": "Begründung",
        "valid_from": start,
        "valid_to": end,
        "knowledge_block": [str(v) for v in blocks],
        **extra,
    }
    return client.post(f"/desk/cases/{case.pk}/decision/", data)


def test_a_decision_drafted_from_blocks_records_the_versions_it_used(client, authority, case, caseworker):
    reasoning = make_block(authority)
    conditions = make_block(authority, title="Auflage", kind="conditions", text="Beschäftigung bis 20 Std./Woche.")
    first = reasoning.versions.get(number=1)
    reasoning = make_block(authority, block=reasoning, text="Für {{ name }}: {{ legal_basis }} erfüllt.")
    second = reasoning.versions.get(number=2)
    verified_login(client, caseworker)
    page = client.get(f"/desk/cases/{case.pk}/decision/").content.decode()
    assert "Für Rana Haddad: § 16b AufenthG erfüllt." in page  # filled from the case
    assert f'value="{second.pk}"' in page and f'value="{first.pk}"' not in page  # current versions offered
    response = draft(client, case, [second.pk, conditions.versions.get().pk])
    assert response.status_code == 302
    decision = cases.current_decision(case)
    used = selectors.versions_used(authority, decision)
    assert {(v.block_id, v.number) for v in used} == {(reasoning.pk, 2), (conditions.pk, 1)}
    # the old version stays what it was: the decision points at version 2, not "the block"
    assert second.text.startswith("Für {{ name }}") and first.text.startswith("Die Voraussetzungen")


def test_a_foreign_or_bad_block_id_is_refused_and_nothing_is_drafted(
    client, authority, other_authority, case, caseworker
):
    foreign = versions.save_block(
        other_authority, None, title="x", legal_basis=BASIS, outcome="grant", kind="reasoning", text="x"
    )
    client.cookies["willkommen_language"] = "en"
    verified_login(client, caseworker)
    for bad in ([foreign.versions.get().pk], ["abc"]):
        response = draft(client, case, bad)
        assert response.status_code == 400
        assert "Unknown text block." in response.content.decode()
        assert cases.current_decision(case) is None and not DecisionBlock.objects.exists()


def test_outcomes_per_block_count_decisions_not_replaced_drafts(client, authority, case, caseworker):
    block = make_block(authority)
    version = block.versions.get()
    verified_login(client, caseworker)
    assert draft(client, case, [version.pk]).status_code == 302
    assert draft(client, case, [version.pk], outcome="refuse", plain_explanation="Abgelehnt.").status_code == 302
    rows = selectors.outcomes_per_block(authority)
    assert [(r["block"].pk, r["grant"], r["refuse"], r["total"]) for r in rows] == [(block.pk, 0, 1, 1)]


# --- panels beside the case -------------------------------------------------------------------------


def test_instruction_and_country_note_beside_the_case_for_its_basis_only(client, authority, case, caseworker):
    from .conftest import make_note

    make_instruction(authority, title="Für Studium")
    make_instruction(authority, title="Für Fachkräfte", basis="§ 18a AufenthG")
    make_note(authority, "SYR", deportation_bans="Keine Abschiebungen")
    verified_login(client, caseworker)
    for url in (f"/desk/cases/{case.pk}/", f"/desk/cases/{case.pk}/decision/"):
        page = client.get(url).content.decode()
        assert "Für Studium" in page and "Für Fachkräfte" not in page, url
        assert "Keine Abschiebungen" in page, url


def test_no_panel_without_knowledge_view(client, authority, team, case):
    make_instruction(authority, title="Für Studium")
    user = make_staff(authority, "sp", role="servicepoint", teams=[team])
    from django.test import RequestFactory

    from willkommen.knowledge import drafting

    request = RequestFactory().get("/")
    request.user, request.authority = user, authority
    assert drafting.case_panel(request, case) == ""
    assert drafting.decision_panel(request, case) == ""


# --- desk pages per role ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,read,edit,figures",
    [
        ("administrator", 200, 200, True),
        ("head_of_office", 200, 200, True),
        ("caseworker", 200, 403, False),
        ("team_lead", 200, 403, True),
        ("servicepoint", 403, 403, False),
        ("accommodation", 403, 403, False),
        ("partner", 403, 403, False),
    ],
)
def test_pages_by_role(client, authority, role, read, edit, figures):
    from willkommen.accounts.roles import capabilities

    item = make_instruction(authority)
    block = make_block(authority)
    as_role(client, authority, role)
    base = "/desk/knowledge/"
    for path in ("instructions/", f"instructions/{item.pk}/", "blocks/", f"blocks/{block.pk}/", "shared/"):
        assert client.get(base + path).status_code == read, path
    for path in ("instructions/new/", f"instructions/{item.pk}/edit/", "blocks/new/", f"blocks/{block.pk}/edit/"):
        assert client.get(base + path).status_code == edit, path
    assert client.post(f"{base}instructions/{item.pk}/reviewed/").status_code in ((302,) if edit == 200 else (403,))
    if read == 200:
        page = client.get(base + "blocks/").content.decode()
        assert ('data-testid="block-figures"' in page) == figures == ("reports.view" in capabilities(role))


def test_other_authoritys_objects_answer_404(client, authority, other_authority):
    item = make_instruction(other_authority)
    block = make_block(other_authority)
    as_role(client, authority, "head_of_office")
    for path in (f"instructions/{item.pk}/", f"instructions/{item.pk}/edit/", f"blocks/{block.pk}/edit/"):
        assert client.get("/desk/knowledge/" + path).status_code == 404


def test_edit_page_saves_a_new_version_and_refuses_bad_input(client, authority):
    block = make_block(authority)
    as_role(client, authority, "head_of_office")
    url = f"/desk/knowledge/blocks/{block.pk}/edit/"
    data = {"title": "B", "legal_basis": BASIS, "outcome": "grant", "kind": "reasoning", "text": "{{ evil }}"}
    response = client.post(url, data)
    assert response.status_code == 400 and "Unknown placeholder" in response.content.decode()
    assert TextBlock.objects.get(pk=block.pk).version == 1
    assert client.post(url, {**data, "text": "Gut für {{ name }}"}).status_code == 302
    assert TextBlock.objects.get(pk=block.pk).version == 2
    response = client.post(
        "/desk/knowledge/instructions/new/",
        {"title": "T", "legal_basis": BASIS, "checks": "x", "legal_links": "javascript:alert(1)"},
    )
    assert response.status_code == 400 and not WorkInstruction.objects.exists()
    response = client.post(
        "/desk/knowledge/instructions/new/",
        {"title": "T", "legal_basis": BASIS, "checks": "x", "legal_links": "https://www.gesetze-im-internet.de/"},
    )
    assert response.status_code == 302 and WorkInstruction.objects.get().version == 1


def test_admin_shows_instructions_and_blocks_of_the_authority_read_only(client, authority, other_authority):
    own = make_instruction(authority, title="Eigene")
    foreign = make_instruction(other_authority, title="Fremde")
    make_block(authority)
    verified_login(client, make_staff(authority, "adm", role="administrator", is_staff=True))
    body = client.get("/admin/knowledge/workinstruction/").content.decode()
    assert "Eigene" in body and "Fremde" not in body
    assert client.get("/admin/knowledge/textblock/").status_code == 200
    assert client.get("/admin/knowledge/trainingrecord/").status_code == 200
    assert client.get("/admin/knowledge/workinstruction/add/").status_code == 403
    response = client.post(f"/admin/knowledge/workinstruction/{own.pk}/change/", {"title": "Geändert"})
    assert WorkInstruction.objects.get(pk=own.pk).title == "Eigene" and response.status_code in (200, 403)
    assert client.get(f"/admin/knowledge/workinstruction/{foreign.pk}/change/").status_code in (302, 404)
