import pytest


def test_unknown_language_is_a_clear_400(client, authority):
    response = client.get("/language/xx/?next=/")
    assert response.status_code == 400
    assert "willkommen_language" not in response.cookies


def test_switch_sets_cookie_and_redirects_safely(client, authority):
    response = client.get("/language/ar/?next=/checklist/")
    assert response.status_code == 302 and response["Location"] == "/checklist/"
    assert response.cookies["willkommen_language"].value == "ar"
    evil = client.get("/language/en/?next=https://evil.example/")
    assert evil["Location"] == "/"


@pytest.mark.parametrize("code,direction", [("ar", "rtl"), ("fa", "rtl"), ("de", "ltr"), ("uk", "ltr")])
def test_direction_follows_language(client, authority, code, direction):
    client.cookies["willkommen_language"] = code
    body = client.get("/").content.decode()
    assert f'<html lang="{code}" dir="{direction}">' in body


def test_browser_language_is_used_without_a_choice(client, authority):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="tr-TR,tr;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="tr"' in body
    fallback = client.get("/", HTTP_ACCEPT_LANGUAGE="xx").content.decode()
    assert '<html lang="de"' in fallback


def test_every_page_has_a_language_switcher(client, authority):
    body = client.get("/").content.decode()
    for code in ["de", "en", "ar", "fa", "tr", "uk", "ru", "fr"]:
        assert f'hreflang="{code}"' in body


def test_security_headers(client, authority):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_unknown_authority_prefix_is_404(client, authority):
    assert client.get("/a/nowhere/").status_code == 404


def test_host_name_selects_authority(client, authority, other_authority):
    other_authority.hostnames = "abh.beta.example"
    other_authority.save()
    from django.test import override_settings

    with override_settings(ALLOWED_HOSTS=["abh.beta.example", "testserver"]):
        body = client.get("/", HTTP_HOST="abh.beta.example").content.decode()
    assert other_authority.name in body and authority.name not in body


def test_dates_in_arabic_keep_their_right_to_left_order_and_other_values_read_left_to_right():
    import datetime as dt

    from django.template.defaultfilters import date as date_filter
    from django.utils import translation

    from willkommen.core.templatetags.willkommen import bdi

    with translation.override("ar"):
        arabic = date_filter(dt.date(2026, 12, 4), "SHORT_DATE_FORMAT")
    assert "\u200f" in arabic  # Django's Arabic format orders the parts with right-to-left marks
    assert bdi(arabic) == f"<bdi>{arabic}</bdi>"
    with translation.override("de"):
        assert bdi(date_filter(dt.date(2026, 12, 4), "SHORT_DATE_FORMAT")) == '<bdi dir="ltr">04.12.2026</bdi>'
    assert bdi("ABH-2026-000004") == '<bdi dir="ltr">ABH-2026-000004</bdi>'
