import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from willkommen.accounts.client_identity import MagicLinkProvider


def _link_from_mail(message):
    return re.search(r"http://testserver(/signin/\S+/)", message.body).group(1)


def test_magic_link_signs_the_client_in(client, authority):
    response = client.post("/signin/", {"email": "Amal@Example.org", "next": "/checklist/"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    link = _link_from_mail(mail.outbox[0])
    shown = client.get(link)  # a mail scanner opening the link does not use it up
    assert shown.status_code == 200 and "client_identity" not in client.session
    entered = client.post(link)
    assert entered.status_code == 302 and entered["Location"] == "/checklist/"
    identity = client.session["client_identity"]
    assert identity["email"] == "amal@example.org" and identity["method"] == "magic_link"


def test_link_is_opaque_and_stored_only_as_a_keyed_hash(client, authority):
    from willkommen.accounts import sign_in_links
    from willkommen.accounts.models import SignInLink
    from willkommen.core.keyed_hash import keyed_hash

    client.post("/signin/", {"email": "amal.haddad@example.org"})
    link = _link_from_mail(mail.outbox[0])
    token = link.split("/")[2]
    assert "amal" not in link.lower() and "example" not in link.lower() and "@" not in link
    assert len(token) >= 40  # 32 random bytes
    row = SignInLink.objects.get()
    assert row.token_hash == keyed_hash(sign_in_links.PURPOSE, token) and token not in row.token_hash
    assert row.email == "amal.haddad@example.org"


def test_link_works_once(client, authority):
    client.post("/signin/", {"email": "amal@example.org"})
    link = _link_from_mail(mail.outbox[0])
    assert client.post(link).status_code == 302
    client.post("/signout/")
    assert "client_identity" not in client.session
    assert client.get(link).status_code == 400
    again = client.post(link)
    assert again.status_code == 400 and "client_identity" not in client.session


def test_forged_foreign_or_tampered_token_is_refused(client, authority, other_authority):
    assert client.post("/signin/" + "A" * 43 + "/").status_code == 400
    foreign = MagicLinkProvider.make_token(other_authority, "x@example.org")
    assert client.post(f"/signin/{foreign}/").status_code == 400
    tampered = MagicLinkProvider.make_token(authority, "x@example.org")[:-2] + "xx"
    assert client.post(f"/signin/{tampered}/").status_code == 400
    assert "client_identity" not in client.session


def test_expired_link_is_refused(client, authority):
    from willkommen.accounts.models import SignInLink

    token = MagicLinkProvider.make_token(authority, "x@example.org")
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/signin/{token}/").status_code == 400
    assert client.post(f"/signin/{token}/").status_code == 400
    assert "client_identity" not in client.session


def test_link_made_before_a_key_rotation_still_works(client, authority, settings):
    token = MagicLinkProvider.make_token(authority, "x@example.org")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert client.post(f"/signin/{token}/").status_code == 302


def test_purge_deletes_used_and_expired_links(authority):
    from willkommen.accounts import sign_in_links
    from willkommen.accounts.models import SignInLink

    old = timezone.now() - timedelta(days=2)
    MagicLinkProvider.make_token(authority, "used@example.org")
    MagicLinkProvider.make_token(authority, "expired@example.org")
    fresh = MagicLinkProvider.make_token(authority, "fresh@example.org")
    SignInLink.objects.filter(email="used@example.org").update(used_at=old)
    SignInLink.objects.filter(email="expired@example.org").update(expires_at=old)
    assert sign_in_links.purge() == 2
    assert list(SignInLink.objects.values_list("email", flat=True)) == ["fresh@example.org"]
    assert MagicLinkProvider.peek(authority, fresh) is not None


def test_same_answer_for_any_address_and_invalid_email_refused(client, authority):
    bad = client.post("/signin/", {"email": "not-an-address"})
    assert bad.status_code == 400 and not mail.outbox
    assert "client_identity" not in client.session


def test_rate_limited(client, authority):
    statuses = [client.post("/signin/", {"email": f"a{i}@example.org"}).status_code for i in range(12)]
    assert statuses[:10] == [200] * 10
    assert statuses[-1] == 429
    assert len(mail.outbox) == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_uses_of_one_link_sign_in_once(authority):
    import threading

    from django.db import connection

    from willkommen.accounts import sign_in_links

    token = MagicLinkProvider.make_token(authority, "x@example.org")
    barrier = threading.Barrier(10)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(sign_in_links.redeem(authority, token))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len([r for r in results if r is not None]) == 1


def test_the_link_mail_takes_the_authoritys_text_in_the_clients_language_and_is_not_stored(client, authority):
    """Issue 11: the sign-in link's words come from the template store (edited by the authority), in the
    language of the page the client asked from; the link itself is never kept in the messages."""
    from willkommen.messaging.models import Message
    from willkommen.messaging.texts import save_version

    save_version(
        authority,
        "sign_in_link",
        "ar",
        subject="رابط الدخول إلى {authority}",
        body="اضغط هنا خلال {minutes} دقيقة:\n{link}\nمكتب الأجانب",
    )
    client.cookies["willkommen_language"] = "ar"
    client.post("/signin/", {"email": "amal@example.org"})
    [sent] = mail.outbox
    assert sent.subject == f"رابط الدخول إلى {authority.name}"
    assert sent.body.startswith("اضغط هنا خلال") and "مكتب الأجانب" in sent.body
    assert client.post(_link_from_mail(sent)).status_code == 302  # the link in the edited text works
    assert not Message.objects.filter(body__contains="/signin/").exists()


def test_the_application_resume_link_has_its_own_text(client, authority):
    from django.test import RequestFactory
    from django.utils import translation

    from willkommen.accounts.services import send_sign_in_link

    request = RequestFactory().get("/")
    request.authority = authority
    with translation.override("de"):
        send_sign_in_link(request, "amal@example.org", "/applications/", key="application_resume_link")
    [sent] = mail.outbox
    assert sent.subject == "Ihren Antrag fortsetzen" and "Antrag fortzusetzen" in sent.body
