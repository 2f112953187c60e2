"""Prints the demo staff logins with their TOTP secrets (demo installations only)."""

from django.core.management.base import BaseCommand

BASE_URL = "http://127.0.0.1:8000/"


def authority_url(slug, first_slug, base_url=BASE_URL):
    return base_url if slug == first_slug else f"{base_url}a/{slug}/"


def login_rows(base_url=BASE_URL):
    """One row per demo user that exists and still has the demo-derived TOTP device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from willkommen.accounts.demo import DEMO_PASSWORD, DEMO_USERS, base32_secret, is_demo_device

    first_slug = DEMO_USERS[0]["authority"] if DEMO_USERS else ""
    devices = {
        d.user.username: d
        for d in TOTPDevice.objects.filter(user__username__in=[u["username"] for u in DEMO_USERS]).select_related(
            "user", "user__authority"
        )
    }
    rows = []
    for entry in DEMO_USERS:
        device = devices.get(entry["username"])
        if device is None or not is_demo_device(device) or device.user.authority is None:
            continue
        rows.append(
            {
                "authority": device.user.authority.slug,
                "url": authority_url(device.user.authority.slug, first_slug, base_url),
                "username": entry["username"],
                "role": device.user.role,
                "password": DEMO_PASSWORD,
                "totp_secret": base32_secret(device.key),
            }
        )
    return rows


class Command(BaseCommand):
    help = "Print the demo logins (authority, URL, user, role, password, TOTP secret)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default=BASE_URL, help="Where the demo is served (default %(default)s).")

    def handle(self, *args, **options):
        base_url = options["base_url"].rstrip("/") + "/"
        rows = login_rows(base_url)
        if not rows:
            self.stdout.write("No demo users found. Run: manage.py load_demo")
            return
        headers = ["authority", "URL", "username", "role", "password", "TOTP secret (base32)"]
        keys = ["authority", "url", "username", "role", "password", "totp_secret"]
        widths = [max(len(h), *(len(r[k]) for r in rows)) for h, k in zip(headers, keys, strict=True)]
        line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
        self.stdout.write("Demo logins (DEMO ONLY – never use these accounts in production):")
        self.stdout.write(line)
        self.stdout.write("-" * len(line))
        for row in rows:
            self.stdout.write("  ".join(row[k].ljust(w) for k, w in zip(keys, widths, strict=True)))
        self.stdout.write("")
        self.stdout.write("Second factor: add the secret to an authenticator app, or get the")
        self.stdout.write("current code: make totp USER_NAME=<username>")
