import pytest

from willkommen.core.testing import make_staff, verified_login
from willkommen.messaging import services, texts
from willkommen.messaging.models import MessageTemplate

pytestmark = pytest.mark.django_db


def test_superuser_admin_edits_a_template_as_a_new_version_with_preview(client, authority):
    admin_user = make_staff(authority, "admin", role="administrator", is_staff=True)
    verified_login(client, admin_user)
    row = texts.save_version(
        authority,
        "reminder",
        "uk",
        subject="Нагадування",
        body="Нагадуємо: {name}, {date} {time}, {place}.",
        user=admin_user,
    )
    page = client.get(f"/admin/messaging/messagetemplate/{row.pk}/change/")
    assert page.status_code == 200
    assert "Olena Kovalenko" in page.content.decode() and "15.03.2027" in page.content.decode()

    response = client.post(
        f"/admin/messaging/messagetemplate/{row.pk}/change/",
        {
            "key": "reminder",
            "language": "uk",
            "subject": "Нагадування",
            "body": "{name}: {date} {time}, {place}. Нова версія.",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    versions = list(
        MessageTemplate.objects.filter(authority=authority, key="reminder", language="uk").values_list(
            "version", "body"
        )
    )
    assert len(versions) == 2 and versions[0][0] == 2 and "Нова версія" in versions[0][1]
    assert "Нагадуємо" in versions[1][1]  # the earlier version is kept
    _, body, _ = services.render_template(authority, "reminder", "uk", {"name": "O", "date": "1.1.", "place": "A"})
    assert "Нова версія" in body

    newest = MessageTemplate.objects.filter(authority=authority, key="reminder", language="uk").first()
    assert "errornote" not in client.get(f"/admin/messaging/messagetemplate/{newest.pk}/change/").content.decode()
    MessageTemplate.objects.filter(pk=newest.pk).update(body="ohne Platzhalter")
    page = client.get(f"/admin/messaging/messagetemplate/{newest.pk}/change/").content.decode()
    assert "errornote" in page and "{date}" in page
