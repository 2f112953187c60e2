"""Client addresses behind the proxies in front of several web servers (rate limits count per client)."""


def test_client_address_behind_the_proxies(rf, settings):
    from willkommen.core.ratelimit import client_address

    settings.PROXY_ADDRESSES = ["10.0.1.5"]
    direct = rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_address(direct) == "203.0.113.7"  # not from a proxy: the header is ignored
    proxied = rf.get("/", REMOTE_ADDR="10.0.1.5", HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.9")
    assert client_address(proxied) == "192.0.2.9"  # the address the proxy appended, not what the client sent


def test_the_public_api_throttle_counts_the_address_the_proxy_saw_not_a_forged_header(rf, settings):
    from willkommen.catalogue.api import PublicThrottle as CatalogueThrottle
    from willkommen.servicepoint.api import PublicThrottle as ServicePointThrottle

    settings.PROXY_ADDRESSES = ["10.0.1.5"]
    for throttle in (CatalogueThrottle(), ServicePointThrottle()):
        forged = [rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(3)]
        assert {throttle.get_ident(request) for request in forged} == {"203.0.113.7"}
        proxied = rf.get("/", REMOTE_ADDR="10.0.1.5", HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.9")
        assert throttle.get_ident(proxied) == "192.0.2.9"


def test_the_audit_records_the_client_address_behind_the_proxies(rf, settings, authority):
    from willkommen.audit.models import AuditEntry
    from willkommen.audit.services import record

    settings.PROXY_ADDRESSES = ["10.0.1.5"]
    request = rf.get("/desk/", REMOTE_ADDR="10.0.1.5", HTTP_X_FORWARDED_FOR="192.0.2.9")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    record(authority=authority, action=AuditEntry._meta.get_field("action").choices[0][0], request=request)
    assert AuditEntry.objects.get().ip_address == "192.0.2.9"
