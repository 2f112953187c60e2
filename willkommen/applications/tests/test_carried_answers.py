"""Answers are given once (issue 14, finding 3): the checklist's answers and a booking's answers go along to
the online application, which shows them with a change link and does not ask the questions again."""

import pytest

from willkommen.applications.models import Application
from willkommen.catalogue.models import WayIn

from .conftest import PERSONAL

START = "/a/alpha/apply/start/study/"


def _personal_post(client, application):
    data = dict(PERSONAL)
    return client.post(f"/a/alpha/apply/{application.public_id}/personal/", data)


@pytest.mark.django_db
def test_answers_from_the_checklist_are_shown_carried_and_not_asked_again(client, anliegen, routed_team):
    page = client.get(f"{START}?married=yes&blocked_account=no")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="given-answers"' in text
    assert "Are you married?" in text and "Do you have a blocked account?" in text
    assert "Are you under 18?" not in text  # not answered: not listed
    assert 'href="/a/alpha/checklist/study/?blocked_account=no&amp;married=yes"' in text  # change, prefilled
    assert 'type="hidden" name="a-married" value="yes"' in text
    response = client.post(START, {"a-married": "yes", "a-blocked_account": "no", "carried": "yes"})
    application = Application.objects.get()
    assert application.answers == {"married": True, "blocked_account": False} and application.answers_given
    assert response["Location"].endswith(f"/apply/{application.public_id}/personal/")
    # after the personal data the questions are skipped: straight to the documents
    after = _personal_post(client, application)
    assert after.status_code == 302 and after["Location"].endswith("/documents/")
    documents = client.get(after["Location"]).content.decode()
    assert 'name="q-married"' not in documents and "Marriage certificate" in documents
    assert "Proof of scholarship" in documents  # blocked_account: no -> the scholarship instead
    # the questions step shows the answers with a change link, no form; ?change=1 opens the form prefilled
    given = client.get(f"/a/alpha/apply/{application.public_id}/questions/").content.decode()
    assert 'name="q-married"' not in given and "Your answers" in given and 'href="?change=1"' in given
    changing = client.get(f"/a/alpha/apply/{application.public_id}/questions/?change=1").content.decode()
    assert 'name="q-married" value="yes" checked' in changing
    review = client.get(f"/a/alpha/apply/{application.public_id}/review/").content.decode()
    assert 'data-testid="review-answers"' in review and "Are you married?" in review


@pytest.mark.django_db
def test_without_carried_answers_the_questions_are_asked(client, anliegen, routed_team):
    text = client.get(START).content.decode()
    assert 'data-testid="given-answers"' not in text and 'name="carried"' not in text
    client.post(START)
    application = Application.objects.get()
    assert not application.answers_given
    assert _personal_post(client, application)["Location"].endswith("/questions/")


@pytest.mark.django_db
def test_questions_left_open_on_the_checklist_count_as_answered(client, anliegen, routed_team):
    """A client who saw the questions and answered none is not asked them again either."""
    client.post(START, {"carried": "yes"})
    application = Application.objects.get()
    assert application.answers == {} and application.answers_given


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,post",
    [
        ("married=perhaps", {"a-married": "perhaps"}),
        ("religion=none", {"a-religion": "none"}),
        ("married=" + "y" * 200, {"a-married": "y" * 200}),
    ],
)
def test_tampered_answers_are_a_clear_400_and_change_nothing(client, anliegen, routed_team, query, post):
    page = client.get(f"{START}?{query}")
    assert page.status_code == 400
    text = page.content.decode()
    assert "Please check your answers" in text and "start again from the checklist" in text
    response = client.post(START, post)
    assert response.status_code == 400 and not Application.objects.exists()


@pytest.mark.django_db
def test_too_many_parameters_are_refused(client, anliegen, routed_team):
    query = "&".join(f"x{i}=yes" for i in range(80))
    assert client.get(f"{START}?{query}").status_code == 400


@pytest.mark.django_db
def test_booking_page_links_to_applying_with_the_booking_answers(client, authority, anliegen, routed_team):
    from django.db.models import Q
    from django.utils import timezone

    from willkommen.appointments import services
    from willkommen.appointments.models import Slot
    from willkommen.appointments.testing import applicant, make_offer

    def offer_anliegen(offer):
        return Q(authority=authority, anliegen=offer.anliegen, location=offer.location)

    anliegen.way_in = WayIn.BOTH
    anliegen.save()
    offer = make_offer(authority, anliegen=anliegen, horizon=5)
    slot = Slot.objects.filter(offer_anliegen(offer), starts_at__gt=timezone.now()).order_by("starts_at").first()
    booking, token = services.hold(
        authority,
        slot_id=slot.pk,
        anliegen=anliegen,
        applicant=applicant(answers={"married": True, "minor": False}),
        terms=services.Terms(confirmed=True, notify=False),
    )
    page = client.get(f"/a/alpha/appointments/booking/{booking.reference}/{token}/").content.decode()
    assert 'data-testid="apply-online"' in page
    assert 'href="/a/alpha/apply/start/study/?married=yes&amp;minor=no"' in page
    start = client.get("/a/alpha/apply/start/study/?married=yes&minor=no").content.decode()
    assert "Are you married?" in start and "Are you under 18?" in start
    # an Anliegen that takes no online application: no link
    anliegen.way_in = WayIn.APPOINTMENT
    anliegen.save()
    page = client.get(f"/a/alpha/appointments/booking/{booking.reference}/{token}/").content.decode()
    assert 'data-testid="apply-online"' not in page
