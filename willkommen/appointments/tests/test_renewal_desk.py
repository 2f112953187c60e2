"""Invitations from the desk (issue 12, item 6) and the renewal list, per role: the list filtered in SQL by
authority and team, bulk invitations with preview and count (idempotent submit), and "Invite to an
appointment" from the case page by the channel chosen (a letter with the link and its QR code)."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from willkommen.appointments import renewals
from willkommen.appointments.models import Invitation, Renewal, RenewalRule, RenewalState
from willkommen.catalogue.testing import make_anliegen
from willkommen.clients.services import record_residence
from willkommen.clients.testing import make_client
from willkommen.core.testing import make_staff, make_team, verified_login
from willkommen.messaging.models import Message

pytestmark = pytest.mark.django_db

LIST = "/desk/appointments/renewals/"
BULK = "/desk/appointments/renewals/invite/"


@pytest.fixture
def world(authority, team, django_capture_on_commit_callbacks):
    """Three unanswered renewals of the authority: one by e-mail, one by post, one whose person has a
    (closed) case of another team; and one of another authority."""
    from willkommen.cases.opening import open_case
    from willkommen.core.testing import make_authority

    today = timezone.localdate()
    study = make_anliegen(authority, "study")
    RenewalRule.objects.create(authority=authority, anliegen=study, title_kind="title")
    other_team = make_team(authority, "Team L–Z")
    by_mail = make_client(authority, "Mail", email="mail@example.org", preferred_language="en")
    by_post = make_client(authority, "Post", email="", street="Weg 1", postal_code="80331", city="Alpha")
    elsewhere = make_client(authority, "Elsewhere", email="else@example.org")
    case, _code = open_case(authority, person=elsewhere, anliegen=study, team=other_team)
    for person in (by_mail, by_post, elsewhere):
        record_residence(person, kind="title", legal_basis="§ 16b AufenthG", valid_to=today + dt.timedelta(weeks=8))
    beta = make_authority("beta", "Landkreis Beta", "NW")
    beta_study = make_anliegen(beta, "study")
    RenewalRule.objects.create(authority=beta, anliegen=beta_study, title_kind="title")
    foreign = make_client(beta, "Foreign", email="f@example.org")
    record_residence(foreign, kind="title", valid_to=today + dt.timedelta(weeks=8))
    case.status = "closed"
    case.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        renewals.run(today)
    assert Renewal.objects.count() == 4
    Renewal.objects.update(state=RenewalState.UNANSWERED)
    mail.outbox.clear()
    return {"study": study, "by_mail": by_mail, "by_post": by_post, "elsewhere": elsewhere, "case": case}


def login(client, authority, team, role, name=None):
    from django.conf import settings

    user = make_staff(authority, name or f"u-{role}", role=role, teams=[team])
    verified_login(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages asserted in English
    return user


@pytest.mark.parametrize(
    "role,status,names",
    [
        ("caseworker", 200, {"Mail", "Post"}),  # the other team's client is not theirs
        ("team_lead", 200, {"Mail", "Post"}),
        ("servicepoint", 403, None),
        ("head_of_office", 403, None),
        ("administrator", 403, None),
        ("accommodation", 403, None),
    ],
)
def test_renewal_list_per_role(client, authority, team, world, role, status, names):
    login(client, authority, team, role)
    response = client.get(LIST)
    assert response.status_code == status
    assert client.get(BULK).status_code == status
    if names is not None:
        html = response.content.decode()
        shown = {n for n in ("Mail", "Post", "Elsewhere", "Foreign") if f"{n}," in html}
        assert shown == names


def test_other_team_sees_its_own_client(client, authority, world):
    other_team = world["case"].team
    login(client, authority, other_team, "caseworker", "lz")
    html = client.get(LIST).content.decode()
    assert "Elsewhere," in html and "Foreign," not in html


def test_bulk_preview_count_then_idempotent_send(client, authority, team, world, django_capture_on_commit_callbacks):
    login(client, authority, team, "caseworker")
    preview = client.get(BULK, {"state": "unanswered"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "2 persons will be invited" in html
    assert "Invitation to an appointment" in html  # the text the first recipient gets, before sending
    assert Invitation.objects.filter(batch__gt="").count() == 0 and not mail.outbox
    key = re.search(r'name="key" value="(\w+)"', html).group(1)
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    form = {"state": "unanswered", "anliegen": "", "deadline": deadline, "key": key}
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(BULK, form)
    assert sent.status_code == 200 and "2 invitations sent" in sent.content.decode()
    invited = Invitation.objects.filter(batch=key)
    assert {i.person.family_name for i in invited} == {"Mail", "Post"}
    assert [m.to for m in mail.outbox] == [["mail@example.org"]]
    letter = Message.objects.get(person=world["by_post"], template_key="invitation")
    assert letter.channel == "letter" and letter.attachments.filter(file_name="letter.pdf").exists()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(BULK, form)  # a double click, a reload
    assert "0 invitations sent" in again.content.decode()
    assert "2 persons had already been invited" in again.content.decode()
    assert invited.count() == 2 and len(mail.outbox) == 1


def test_bulk_bad_deadline_sends_nothing(client, authority, team, world):
    login(client, authority, team, "caseworker")
    response = client.post(BULK, {"state": "unanswered", "deadline": "2001-01-01", "key": "k1"})
    assert response.status_code == 400
    assert "The deadline lies in the past." in response.content.decode()
    assert not Invitation.objects.filter(batch="k1").exists()


def test_invite_from_the_case_page_by_letter(client, authority, team, django_capture_on_commit_callbacks):
    from willkommen.cases.opening import open_case

    study = make_anliegen(authority, "study")
    person = make_client(
        authority, "Brief", email="", street="Weg 2", postal_code="80331", city="Alpha", preferred_language="fr"
    )
    case, _code = open_case(authority, person=person, anliegen=study, team=team)
    login(client, authority, team, "caseworker")
    page = client.get(f"/desk/cases/{case.pk}/").content.decode()
    url = f"/desk/appointments/invite/person/{person.pk}/?case={case.pk}"
    assert url.replace("&", "&amp;") in page or url in page
    form_page = client.get(url)
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert 'value="letter"' in html and 'value="email"' not in html  # only the channels the person has
    key = re.search(r'name="key" value="(\w+)"', html).group(1)
    data = {
        "anliegen": str(study.pk),
        "deadline": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        "channel": "letter",
        "key": key,
        "case": str(case.pk),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 200
        assert "nothing was sent again" in client.post(url, data).content.decode()
    invitation = Invitation.objects.get(person=person)
    assert invitation.case == case and invitation.channel == "letter"
    message = Message.objects.get(person=person, template_key="invitation")
    assert message.case == case and message.language == "fr"
    from willkommen.core.storage import read_verified

    attachment = message.attachments.get(file_name="letter.pdf")
    text = re.sub(
        r"\s+",
        "",
        "".join(
            p.extract_text()
            for p in PdfReader(io.BytesIO(read_verified(attachment.storage_name, attachment.sha256))).pages
        ),
    )
    path = re.search(r"https?://[^/]+(/\S*?appointments/invitation/[\w-]+/)", text).group(1)
    client.logout()
    assert client.get(path).status_code == 200  # the client's invitation page with invitation-only times
    # the client without e-mail books through the letter's link; the confirmation goes by post as well
    from willkommen.appointments.models import Slot
    from willkommen.appointments.testing import make_offer

    make_offer(authority, anliegen=study, invitation=1, horizon=14)
    slot = Slot.objects.filter(
        anliegen=study, invitation_places__gt=0, starts_at__gt=timezone.now() + dt.timedelta(days=1)
    )
    slot = slot.order_by("starts_at").first()
    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post(path, {"slot": slot.pk})
    assert booked.status_code == 200, booked.content.decode()[:500]
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert Message.objects.filter(person=person, template_key="booking_confirmation", channel="letter").exists()


def test_invite_refuses_bad_input(client, authority, team):
    from willkommen.cases.opening import open_case

    study = make_anliegen(authority, "study")
    person = make_client(authority, "Mailonly", email="m@example.org")
    stranger = make_client(authority, "Stranger", email="s@example.org")
    other_team = make_team(authority, "Team L–Z")
    foreign_case, _ = open_case(authority, person=stranger, anliegen=study, team=other_team)
    own_case, _ = open_case(authority, person=person, anliegen=study, team=team)
    login(client, authority, team, "caseworker")
    url = f"/desk/appointments/invite/person/{person.pk}/"
    deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    base = {"anliegen": str(study.pk), "deadline": deadline, "key": "abc"}
    response = client.post(url, {**base, "channel": "sms"})  # no phone number
    assert response.status_code == 400
    assert client.post(url, {**base, "channel": "email", "deadline": "2000-01-01"}).status_code == 400
    assert client.get(f"/desk/appointments/invite/person/{stranger.pk}/").status_code == 404  # another team's client
    assert client.get(f"{url}?case={foreign_case.pk}").status_code == 404  # a case of another person
    assert client.get(f"{url}?case=x").status_code == 404
    assert not Invitation.objects.exists()
    assert client.get(f"{url}?case={own_case.pk}").status_code == 200


@pytest.fixture
def gateways(settings):
    """The messaging room's local SMS and Signal gateway double (their real HTTP shapes)."""
    from willkommen.messaging.gateway_doubles import serving

    with serving(settings) as double:
        yield double


@pytest.mark.parametrize("channel,kind,text_field", [("sms", "sms", "Body"), ("messenger", "signal", "message")])
def test_invite_a_person_by_sms_or_messenger_with_a_working_link(
    client, authority, team, gateways, channel, kind, text_field, django_capture_on_commit_callbacks
):
    from willkommen.cases.opening import open_case

    study = make_anliegen(authority, "study")
    person = make_client(
        authority, "Telefon", email="", phone="+49 170 5550123", preferred_language="en", preferred_channel=channel
    )
    case, _code = open_case(authority, person=person, anliegen=study, team=team)
    login(client, authority, team, "caseworker")
    url = f"/desk/appointments/invite/person/{person.pk}/?case={case.pk}"
    html = client.get(url).content.decode()
    assert f'value="{channel}"' in html and 'value="email"' not in html
    key = re.search(r'name="key" value="(\w+)"', html).group(1)
    data = {
        "anliegen": str(study.pk),
        "deadline": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        "channel": channel,
        "key": key,
        "case": str(case.pk),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 200
        client.post(url, data)  # a double click sends nothing again
    invitation = Invitation.objects.get(person=person)
    assert invitation.case == case and invitation.channel == channel
    message = Message.objects.get(person=person, template_key="invitation")
    assert message.channel == channel and message.case == case
    sent = [d for d in gateways.delivered if d["kind"] == kind]
    assert len(sent) == 1
    assert "+491705550123" in str(sent[0].get("To") or sent[0].get("recipients"))
    path = re.search(r"https?://[^/\s]+(/\S*?appointments/invitation/[\w-]+/)", sent[0][text_field]).group(1)
    client.logout()
    assert client.get(path).status_code == 200  # the client's invitation page
