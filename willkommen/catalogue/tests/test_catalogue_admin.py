"""The catalogue in the Django admin: scoped per authority, copy between authorities, and copy_anliegen."""

import pytest
from django.urls import reverse

from willkommen.audit.models import AuditEntry
from willkommen.catalogue.models import Anliegen, AnliegenText, ChecklistItem, ChecklistItemText, QuestionText
from willkommen.catalogue.services import copy_anliegen
from willkommen.catalogue.testing import make_anliegen
from willkommen.clients.services import create_person
from willkommen.core.testing import make_staff, verified_login

CHANGELIST = "admin:catalogue_anliegen_changelist"
SHARED = "admin:catalogue_anliegen_shared"


@pytest.fixture
def own(authority):
    return make_anliegen(authority, "own-study")


@pytest.fixture
def foreign(other_authority):
    return make_anliegen(other_authority, "beta-study")


@pytest.fixture
def admin_a(authority):
    return make_staff(authority, "admin-a", role="administrator", is_staff=True)


@pytest.fixture
def admin_client(client, admin_a):
    return verified_login(client, admin_a)


def tree(anliegen):
    """Everything copy_anliegen must reproduce, without ids and authority."""
    return {
        "fields": (anliegen.legal_basis, str(anliegen.fee_eur), anliegen.fee_reductions, anliegen.complexity),
        "texts": sorted((t.language, t.title, t.summary) for t in anliegen.texts.all()),
        "questions": sorted(
            (q.key, q.kind, tuple(q.options), tuple(sorted((t.language, t.text) for t in q.texts.all())))
            for q in anliegen.questions.all()
        ),
        "items": sorted(
            (i.key, str(i.condition), tuple(sorted((t.language, t.title) for t in i.texts.all())))
            for i in anliegen.checklist_items.all()
        ),
    }


def test_copy_anliegen_is_a_deep_copy_into_the_target(authority, other_authority, foreign):
    copy = copy_anliegen(foreign, authority)
    assert copy.authority == authority and copy.copied_from == foreign and copy.slug == "beta-study"
    assert tree(copy) == tree(foreign)
    # Every copied row belongs to the target authority.
    for model in (AnliegenText, QuestionText, ChecklistItem, ChecklistItemText):
        rows = model.objects.filter(authority=authority)
        assert rows.exists() and not rows.filter(authority=other_authority).exists()
    # Editing the copy leaves the source alone.
    copy.texts.filter(language="de").update(title="Geändert")
    foreign.refresh_from_db()
    assert foreign.texts.get(language="de").title == "Aufenthaltserlaubnis zum Studium"


def test_copy_anliegen_takes_a_free_slug(authority, own):
    first = copy_anliegen(own, authority)
    second = copy_anliegen(own, authority)
    assert [first.slug, second.slug] == ["own-study-2", "own-study-3"]
    assert Anliegen.objects.filter(authority=authority).count() == 3


def test_administrator_sees_only_own_anliegen(admin_client, own, foreign):
    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    slugs = {obj.slug for obj in response.context["cl"].result_list}
    assert slugs == {"own-study"}
    # Another authority's entry is not reachable for editing.
    response = admin_client.get(reverse("admin:catalogue_anliegen_change", args=[foreign.pk]))
    assert response.status_code == 302 and "beta-study" not in response.content.decode()
    response = admin_client.post(reverse("admin:catalogue_anliegen_delete", args=[foreign.pk]), {"post": "yes"})
    assert Anliegen.objects.filter(pk=foreign.pk).exists()


def test_admin_needs_second_factor_and_capability(client, authority, own):
    unverified = make_staff(authority, "admin-b", role="administrator", is_staff=True)
    client.force_login(unverified)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    # A staff flag without the capability gives no access to the catalogue.
    caseworker = make_staff(authority, "case-staff", role="caseworker", is_staff=True)
    verified_login(client, caseworker)
    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_shared_catalogue_lists_others_and_copies(admin_client, authority, own, foreign):
    response = admin_client.get(reverse(SHARED))
    assert response.status_code == 200
    listed = {row["obj"].slug for row in response.context["rows"]}
    assert listed == {"beta-study"}
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()

    response = admin_client.post(reverse(SHARED), {"ids": [str(foreign.pk), str(own.pk), "x"]})
    assert response.status_code == 302
    copy = Anliegen.objects.get(authority=authority, slug="beta-study")
    assert copy.copied_from == foreign
    assert Anliegen.objects.filter(authority=authority).count() == 2  # own entry is not in the shared list
    assert tree(copy) == tree(foreign)


def test_shared_catalogue_refuses_empty_selection(admin_client, authority, foreign):
    response = admin_client.post(reverse(SHARED), {})
    assert response.status_code == 302
    assert Anliegen.objects.filter(authority=authority).count() == 0


def test_copy_action_on_own_entries(admin_client, authority, own):
    response = admin_client.post(
        reverse(CHANGELIST), {"action": "copy_to_my_authority", "_selected_action": [str(own.pk)]}
    )
    assert response.status_code == 302
    assert set(Anliegen.objects.filter(authority=authority).values_list("slug", flat=True)) == {
        "own-study",
        "own-study-2",
    }


def test_add_anliegen_with_inline_text_belongs_to_own_authority(admin_client, authority, other_authority):
    data = {
        "slug": "new-entry",
        "legal_basis": "§ 7 AufenthG",
        "fee_eur": "100.00",
        "fee_reductions": "[]",
        "complexity": "simple",
        "target_days": "14",
        "way_in": "both",
        "appointment_minutes": "20",
        "validity_bound_to": "",
        "validity_bound_extra_months": "0",
        "order": "5",
        "active": "on",
        "authority": str(other_authority.pk),  # ignored for an authority's administrator
        "texts-TOTAL_FORMS": "1",
        "texts-INITIAL_FORMS": "0",
        "texts-0-language": "de",
        "texts-0-version": "1",
        "texts-0-status": "public",
        "texts-0-title": "Neuer Eintrag",
        "texts-0-summary": "",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "checklist_items-TOTAL_FORMS": "0",
        "checklist_items-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:catalogue_anliegen_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    created = Anliegen.objects.get(slug="new-entry")
    assert created.authority == authority
    assert created.texts.get().authority == authority


def test_person_admin_is_scoped_and_audited(client, authority, other_authority):
    lead = make_staff(authority, "lead-a", role="team_lead", is_staff=True)
    mine = create_person(authority, family_name="Kaya", given_names="Elif", date_of_birth="1990-01-01")
    theirs = create_person(other_authority, family_name="Wolf", given_names="Max", date_of_birth="1980-01-01")
    verified_login(client, lead)
    response = client.get(reverse("admin:clients_person_changelist"))
    assert response.status_code == 200
    assert [p.pk for p in response.context["cl"].result_list] == [mine.pk]
    assert client.get(reverse("admin:clients_person_change", args=[theirs.pk])).status_code == 302
    assert not AuditEntry.objects.filter(person_id=theirs.pk).exists()
    assert client.get(reverse("admin:clients_person_change", args=[mine.pk])).status_code == 200
    entry = AuditEntry.objects.get(person_id=mine.pk)
    assert (entry.authority, entry.actor, entry.action) == (authority, lead, "read")


def test_audit_admin_is_read_only(client, authority):
    head = make_staff(authority, "head-a", role="head_of_office", is_staff=True)
    verified_login(client, head)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403


def test_tenancy_admin_shows_only_own_authority(admin_client, authority, other_authority):
    response = admin_client.get(reverse("admin:tenancy_authority_changelist"))
    assert [a.pk for a in response.context["cl"].result_list] == [authority.pk]
    assert admin_client.get(reverse("admin:tenancy_authority_add")).status_code == 403


def test_every_scoped_admin_page_renders_for_the_administrator(admin_client, authority, own):
    from willkommen.core.testing import make_location, make_team
    from willkommen.tenancy.models import Closure, RoutingRule

    location = make_location(authority)
    team = make_team(authority)
    closure = Closure.objects.create(authority=authority, starts_on="2026-12-24", ends_on="2026-12-26")
    rule = RoutingRule.objects.create(authority=authority, team=team, anliegen=own)
    question = own.questions.first()
    item = own.checklist_items.first()
    objects = {
        "catalogue_anliegen": own,
        "catalogue_question": question,
        "catalogue_checklistitem": item,
        "catalogue_questiontext": question.texts.first(),
        "catalogue_checklistitemtext": item.texts.first(),
        "tenancy_location": location,
        "tenancy_team": team,
        "tenancy_closure": closure,
        "tenancy_routingrule": rule,
        "tenancy_authority": authority,
    }
    for name, obj in objects.items():
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
        assert admin_client.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 200, name
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert reverse(SHARED) in page
