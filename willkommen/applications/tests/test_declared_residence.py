"""The permit expiry a client declares online becomes an unverified entry of the residence history (in the
submit's transaction), drives the case's permit expiry and urgency, and the receipt and status page state
§ 81 from the same pure function the certificate form uses."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.applications import selectors, services
from willkommen.clients.models import ResidenceEntry


def _submit(draft, until, key="k"):
    draft.personal = {**draft.personal, "permit_valid_until": until.isoformat() if until else ""}
    draft.save()
    result = services.submit(draft, idempotency_key=key)
    draft.refresh_from_db()
    return result.case


@pytest.mark.django_db
def test_the_declared_expiry_becomes_an_unverified_entry_and_drives_urgency(draft, caseworker):
    from willkommen.cases.selectors import queue

    soon = timezone.localdate() + dt.timedelta(days=12)
    case = _submit(draft, soon)
    entry = ResidenceEntry.objects.get(person=case.person)
    assert (entry.kind, entry.valid_to, entry.valid_from, entry.source, entry.verified, entry.case_id) == (
        "title",
        soon,
        None,
        "declared",
        False,
        case.pk,
    )
    case.refresh_from_db()
    assert case.permit_expires_on == soon and case.source == "online"
    case.assignee = caseworker
    case.save(update_fields=["assignee"])
    assert [c.urgency for c in queue(caseworker, case.authority, scope="mine") if c.pk == case.pk] == [0]
    # a second submit (double click) neither opens a case nor writes a second entry
    services.submit(draft, idempotency_key="k")
    assert ResidenceEntry.objects.filter(person=case.person).count() == 1


@pytest.mark.django_db
def test_nothing_declared_writes_nothing(draft):
    case = _submit(draft, None)
    assert not ResidenceEntry.objects.filter(person=case.person).exists()
    assert selectors.application_fiction(draft) == ""


@pytest.mark.django_db
def test_timely_and_late_applications_get_their_paragraph(draft):
    today = timezone.localdate()
    case = _submit(draft, today)  # the last day of validity: timely
    assert selectors.application_fiction(draft) == "81_4_1" and selectors.permit_counts_under_81(draft)
    from willkommen.cases.selectors import fiction_paragraph

    assert fiction_paragraph(case) == "81_4_1"  # the certificate form proposes the same rule
    entry = ResidenceEntry.objects.get(person=case.person)
    entry.valid_to = today - dt.timedelta(days=1)
    entry.save()
    assert fiction_paragraph(case) == "81_4_3"


@pytest.mark.django_db
def test_status_page_states_81_for_a_late_applicant(client, draft):
    client.cookies["willkommen_language"] = "en"
    late = timezone.localdate() - dt.timedelta(days=3)
    case = _submit(draft, late)
    assert selectors.application_fiction(draft) == "81_4_3" and not selectors.permit_counts_under_81(draft)
    from django.utils import translation

    with translation.override("en"):
        assert "§ 81 (4) sentence 3 Residence Act" in selectors.fiction_text("81_4_3")  # the receipt page's text
    with translation.override("de"):
        assert "§ 81 Abs. 4 Satz 3" in selectors.fiction_text("81_4_3")
    code = services.unseal_code(draft)
    response = client.post("/a/alpha/status/", {"number": case.number, "code": code})
    page = client.get(response["Location"]).content.decode()
    assert "§ 81 (4) sentence 3 Residence Act" in page and "arrived after your residence permit" in page
