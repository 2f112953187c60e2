"""Prints the current TOTP code of a demo user. Refuses every device whose key is not the demo-derived
one, so it cannot be used to read a real account's second factor."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current 6-digit TOTP code of a demo user (demo accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from willkommen.accounts.demo import is_demo_device

        username = options["username"]
        devices = TOTPDevice.objects.filter(user__username=username, confirmed=True).select_related("user")
        demo_devices = [device for device in devices if is_demo_device(device)]
        if not demo_devices:
            raise CommandError(f"{username!r} is not a demo user with a demo second factor; no code is shown.")
        device = demo_devices[0]
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
