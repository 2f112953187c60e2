"""Demo staff: one account per role and authority, all with the password ``willkommen-demo`` (DEMO ONLY).

Each demo user gets a confirmed TOTP device whose key is derived from the user name with a fixed,
public salt, so the demo is reproducible and ``manage.py totp_code <user>`` can print the current
code. That command refuses any device whose key is not the derived one, so it is useless against
real accounts. Never use these accounts or this password outside a demo installation.
"""

import base64
import hashlib
import hmac

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, User

DEMO_PASSWORD = "willkommen-demo"  # noqa: S105 (public demo password, documented in README)
DEMO_SALT = b"willkommen-demo-totp-v1"  # public on purpose: demo keys are not secrets
DEVICE_NAME = "demo authenticator"

# Per authority slug: (username, first name, last name, role, team indices of tenancy.demo.TEAMS, languages)
DEMO_STAFF = {
    "bergstadt": [
        ("anna", "Anna", "Schneider", "caseworker", [0], ["de", "en"]),
        ("ben", "Ben", "Yılmaz", "caseworker", [1], ["de", "en", "tr"]),
        ("clara.b", "Clara", "Novak", "caseworker", [2, 3], ["de", "en", "uk", "ru"]),
        ("tom", "Tom", "Becker", "team_lead", [2, 3], ["de", "en"]),
        ("sami", "Sami", "Haddad", "servicepoint", [], ["de", "en", "ar", "fr"]),
        ("hanna", "Hanna", "Weber", "accommodation", [], ["de", "en"]),
        ("leitung", "Petra", "Hoffmann", "head_of_office", [], ["de", "en"]),
        ("admin", "Jonas", "Richter", "administrator", [], ["de", "en"]),
        ("partner", "Miriam", "Rahimi", "partner", [], ["de", "fa", "en"]),
    ],
    "talheim": [
        ("talheim.lea", "Lea", "Krüger", "caseworker", [0], ["de", "en"]),
        ("talheim.omar", "Omar", "Nasser", "caseworker", [1, 2], ["de", "ar", "en"]),
        ("talheim.jan", "Jan", "Vogel", "team_lead", [1, 2], ["de", "en"]),
        ("talheim.eda", "Eda", "Demir", "servicepoint", [], ["de", "tr"]),
        ("talheim.olga", "Olga", "Schmidt", "accommodation", [], ["de", "ru", "uk"]),
        ("talheim.leitung", "Klaus", "Berger", "head_of_office", [], ["de"]),
        ("talheim.admin", "Sabine", "Wolf", "administrator", [], ["de", "en"]),
        ("talheim.partner", "Yusuf", "Kaya", "partner", [], ["de", "tr"]),
    ],
}

DEMO_USERS = [
    {"authority": slug, "username": u, "name": f"{first} {last}", "role": role}
    for slug, rows in DEMO_STAFF.items()
    for u, first, last, role, _teams, _langs in rows
]


def demo_key(username):
    """The demo TOTP key (40 hex digits = 20 bytes) derived from the user name."""
    return hmac.new(DEMO_SALT, username.encode(), hashlib.sha1).hexdigest()


def base32_secret(hex_key):
    """The key as an authenticator app wants it (base32, no padding)."""
    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")


def is_demo_device(device):
    return hmac.compare_digest(device.key, demo_key(device.user.username))


def load(authority):
    from willkommen.tenancy.demo import demo_teams

    teams = demo_teams(authority)
    for username, first, last, role, team_indices, languages in DEMO_STAFF.get(authority.slug, []):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "authority": authority,
                "role": role,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{authority.slug}.example",
                "languages": languages,
                "is_staff": role == "administrator",
                "phone": authority.phone.replace("-0", f"-{100 + len(username)}"),
                "contact_hours": "Mo–Fr 9:00–11:00",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        elif user.authority_id != authority.pk:
            continue  # the name belongs to someone else; never touch it
        TOTPDevice.objects.get_or_create(
            user=user, name=DEVICE_NAME, defaults={"key": demo_key(username), "confirmed": True}
        )
        for index in team_indices:
            if index < len(teams):
                Membership.objects.get_or_create(
                    authority=authority, user=user, team=teams[index], defaults={"is_lead": role == "team_lead"}
                )
    _load_integration(authority, teams)
    _load_identity_provider(authority, teams)


def _load_integration(authority, teams):
    """One integration account per authority (a case management system reading persons and cases), so
    the desk page Integrations has something to show. No token: the administrator makes one there."""
    from . import integrations
    from .models import IntegrationAccount

    name = "Fachverfahren (Demo)"
    if IntegrationAccount.objects.filter(authority=authority, name=name).exists():
        return
    integrations.create_account(
        authority,
        name=name,
        acts_as="caseworker",
        description="Liest Personen und Vorgänge der Teams für das Fachverfahren. Kontakt: IT, Tel. 100",
        teams=teams[:1],
    )


def _load_identity_provider(authority, teams):
    """An example directory (Keycloak) for staff single sign-on and an example BundID-style sign-in for
    clients, both switched off: the admin pages show how an authority would connect its own
    (docs/security.md, "Single sign-on"). No secrets: they are not real."""
    from .models import ClientIdentityProvider, GroupMapping, StaffIdentityProvider

    ClientIdentityProvider.objects.get_or_create(
        authority=authority,
        name="BundID (Beispiel)",
        defaults={
            "issuer": "https://bundid.example/realms/bund",
            "client_id": f"willkommen-{authority.slug}",
            "acr_high": "STORK-QAA-Level-4",
            "acr_substantial": "STORK-QAA-Level-3",
            "enabled": False,
        },
    )

    provider, created = StaffIdentityProvider.objects.get_or_create(
        authority=authority,
        name="Verzeichnis der Verwaltung (Beispiel)",
        defaults={
            "issuer": f"https://login.{authority.slug}.example/realms/verwaltung",
            "client_id": "willkommen",
            "match_claim": "preferred_username",
            "provision": True,
            "accepted_acr": "urn:keycloak:loa:mfa",
            "accepted_amr": "mfa,otp,hwk",
            "enabled": False,
        },
    )
    if not created:
        return
    rows = [("abh-teamleitung", "team_lead", 0, True), ("abh-sachbearbeitung", "caseworker", 0, False)]
    rows += [(f"abh-team-{i + 1}", "", i, False) for i in range(1, min(len(teams), 3))]
    rows += [("abh-servicepoint", "servicepoint", None, False), ("abh-leitung", "head_of_office", None, False)]
    for position, (group, role, team_index, lead) in enumerate(rows):
        team = teams[team_index] if team_index is not None and team_index < len(teams) else None
        GroupMapping.objects.create(
            authority=authority, provider=provider, group=group, role=role, team=team, is_lead=lead, position=position
        )
