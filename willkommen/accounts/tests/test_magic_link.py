import re

from django.core import mail, signing

from willkommen.accounts.client_identity import MAGIC_LINK_SALT, MagicLinkProvider


def test_magic_link_signs_the_client_in(client, authority):
    response = client.post("/signin/", {"email": "Amal@Example.org", "next": "/checklist/"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/signin/\S+/)", mail.outbox[0].body).group(1)
    entered = client.get(link)
    assert entered.status_code == 302 and entered["Location"] == "/checklist/"
    identity = client.session["client_identity"]
    assert identity["email"] == "amal@example.org" and identity["method"] == "magic_link"


def test_same_answer_for_any_address_and_invalid_email_refused(client, authority):
    bad = client.post("/signin/", {"email": "not-an-address"})
    assert bad.status_code == 400 and not mail.outbox
    assert "client_identity" not in client.session


def test_forged_or_foreign_token_is_refused(client, authority, other_authority):
    forged = signing.dumps({"a": authority.id, "e": "x@example.org", "n": "/"}, salt="other-salt")
    assert client.get(f"/signin/{forged}/").status_code == 400
    foreign = MagicLinkProvider.make_token(other_authority, "x@example.org")
    assert client.get(f"/signin/{foreign}/").status_code == 400
    tampered = MagicLinkProvider.make_token(authority, "x@example.org")[:-2] + "xx"
    assert client.get(f"/signin/{tampered}/").status_code == 400
    assert "client_identity" not in client.session


def test_expired_token_is_refused(client, authority, settings):
    token = signing.dumps({"a": authority.id, "e": "x@example.org", "n": "/"}, salt=MAGIC_LINK_SALT)
    settings.MAGIC_LINK_MAX_AGE_MINUTES = -1
    assert client.get(f"/signin/{token}/").status_code == 400


def test_rate_limited(client, authority):
    statuses = [client.post("/signin/", {"email": f"a{i}@example.org"}).status_code for i in range(12)]
    assert statuses[:10] == [200] * 10
    assert statuses[-1] == 429
    assert len(mail.outbox) == 10
