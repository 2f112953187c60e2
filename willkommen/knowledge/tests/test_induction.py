"""Induction checklists: items per role in order, done marks (who confirmed, when), progress for the head
of office, the own checklist for every staff member, and every page per role and per authority."""

import pytest

from willkommen.core.testing import make_staff, verified_login
from willkommen.knowledge import induction, versions
from willkommen.knowledge.models import InductionItem, InductionMark
from willkommen.knowledge.services import KnowledgeError

pytestmark = pytest.mark.django_db


def items_for(authority):
    first = induction.save_item(authority, None, title="Datenschutz lesen", position=2)
    second = induction.save_item(authority, None, title="Fachverfahren kennenlernen", position=1, roles=["caseworker"])
    third = induction.save_item(authority, None, title="Kasse einrichten", position=3, roles=["servicepoint"])
    return first, second, third


def test_checklist_holds_the_items_for_the_role_in_order(authority):
    first, second, third = items_for(authority)
    anna = make_staff(authority, "anna")
    sven = make_staff(authority, "sven", role="servicepoint")
    assert [item.pk for item in induction.checklist(authority, anna)] == [second.pk, first.pk]
    assert [item.pk for item in induction.checklist(authority, sven)] == [first.pk, third.pk]


def test_marks_record_who_confirmed_and_progress_counts_them(authority):
    first, second, _third = items_for(authority)
    anna = make_staff(authority, "anna")
    head = make_staff(authority, "head", role="head_of_office")
    induction.mark_done(authority, anna, staff_member=anna, item_id=first.pk)
    again = induction.mark_done(authority, head, staff_member=anna, item_id=first.pk)
    assert again.confirmed_by == anna  # the first mark stays
    assert InductionMark.objects.filter(staff=anna).count() == 1
    rows = {row["staff"].pk: row for row in induction.progress(authority)}
    assert (rows[anna.pk]["done"], rows[anna.pk]["total"], rows[anna.pk]["complete"]) == (1, 2, False)
    induction.mark_done(authority, head, staff_member=anna, item_id=second.pk)
    mark = InductionMark.objects.get(staff=anna, item=second)
    assert mark.confirmed_by == head and mark.confirmed_at
    rows = induction.progress(authority)
    assert rows[-1]["staff"] == anna and rows[-1]["complete"]  # complete ones last
    induction.unmark(authority, head, staff_member=anna, item_id=second.pk)
    assert not InductionMark.objects.filter(staff=anna, item=second).exists()


def test_bad_marks_and_items_are_refused(authority, other_authority):
    first, _second, third = items_for(authority)
    anna = make_staff(authority, "anna")
    ben = make_staff(authority, "ben")
    stranger = make_staff(other_authority, "stranger")
    with pytest.raises(KnowledgeError):
        induction.mark_done(authority, ben, staff_member=anna, item_id=first.pk)  # not for others
    with pytest.raises(KnowledgeError):
        induction.mark_done(authority, anna, staff_member=anna, item_id=third.pk)  # not for her role
    with pytest.raises(KnowledgeError):
        induction.mark_done(authority, stranger, staff_member=stranger, item_id=first.pk)
    with pytest.raises(KnowledgeError):
        induction.save_item(authority, None, title=" ")
    with pytest.raises(KnowledgeError):
        induction.save_item(authority, None, title="X", roles=["partner"])
    foreign = versions.save_instruction(
        other_authority, None, title="Fremd", legal_basis="§ 16b AufenthG", checks="Prüfen"
    )
    with pytest.raises(KnowledgeError):
        induction.save_item(authority, None, title="X", instruction=foreign)
    assert not InductionMark.objects.exists()
    assert InductionItem.objects.count() == 3


@pytest.mark.parametrize(
    "role,status",
    [("head_of_office", 200), ("administrator", 200), ("caseworker", 403), ("team_lead", 403), ("servicepoint", 403)],
)
def test_induction_pages_by_role(client, authority, other_authority, role, status):
    client.cookies["willkommen_language"] = "en"
    user = make_staff(authority, f"u-{role}", role=role)
    verified_login(client, user)
    first, _second, _third = items_for(authority)
    anna = make_staff(authority, "anna")
    stranger = make_staff(other_authority, "stranger")
    foreign = induction.save_item(other_authority, None, title="Fremd")
    assert client.get("/desk/knowledge/induction/").status_code == status
    assert client.get(f"/desk/knowledge/induction/{first.pk}/").status_code == status
    assert client.get(f"/desk/knowledge/induction/staff/{anna.pk}/").status_code == status
    response = client.post("/desk/knowledge/induction/", {"title": "Neu", "position": 4, "roles": ["caseworker"]})
    assert response.status_code == (302 if status == 200 else 403)
    assert InductionItem.objects.filter(title="Neu").exists() == (status == 200)
    # every staff member sees their own checklist and marks their own items
    assert 'href="/desk/knowledge/my-induction/"' in client.get("/desk/", follow=True).content.decode()  # desk menu
    mine = client.get("/desk/knowledge/my-induction/")
    assert mine.status_code == 200
    assert "Datenschutz lesen" in mine.content.decode()
    assert client.post(f"/desk/knowledge/induction/{first.pk}/done/").status_code == 302
    assert InductionMark.objects.filter(staff=user, item=first, confirmed_by=user).exists()
    # others' items: only the head of office; another authority's staff or items: 404
    response = client.post(f"/desk/knowledge/induction/{first.pk}/done/", {"staff": anna.pk})
    assert response.status_code == (302 if status == 200 else 403)
    assert InductionMark.objects.filter(staff=anna).exists() == (status == 200)
    assert client.post(f"/desk/knowledge/induction/{first.pk}/done/", {"staff": stranger.pk}).status_code == 404
    assert client.post(f"/desk/knowledge/induction/{foreign.pk}/done/").status_code == 400
    if status == 200:
        assert client.get(f"/desk/knowledge/induction/{foreign.pk}/").status_code == 404
        assert client.get(f"/desk/knowledge/induction/staff/{stranger.pk}/").status_code == 404
        page = client.get("/desk/knowledge/induction/").content.decode()
        assert "1 of 3 done" in page  # first, second and the new one for caseworkers
        assert client.post(f"/desk/knowledge/induction/{foreign.pk}/delete/").status_code == 302
        assert InductionItem.objects.filter(pk=foreign.pk).exists()


def test_bad_item_input_answers_400_and_changes_nothing(client, authority):
    client.cookies["willkommen_language"] = "en"
    verified_login(client, make_staff(authority, "head", role="head_of_office"))
    response = client.post("/desk/knowledge/induction/", {"title": "", "position": "x", "roles": ["partner"]})
    assert response.status_code == 400
    assert not InductionItem.objects.exists()


def test_edit_and_remove_an_item(client, authority):
    verified_login(client, make_staff(authority, "head", role="head_of_office"))
    item = induction.save_item(authority, None, title="Alt")
    response = client.post(f"/desk/knowledge/induction/{item.pk}/", {"title": "Neu", "position": 1})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Neu" and item.roles == []
    assert client.post(f"/desk/knowledge/induction/{item.pk}/delete/").status_code == 302
    assert client.post(f"/desk/knowledge/induction/{item.pk}/delete/").status_code == 302  # twice: once
    assert not InductionItem.objects.exists()
