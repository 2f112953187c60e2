import time

from django.core.management.base import BaseCommand

from willkommen.messaging.smtpd import controller


class Command(BaseCommand):
    help = "Receive incoming e-mail for the authorities' addresses over SMTP (aiosmtpd)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=None)
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args, host=None, port=None, **options):
        smtp = controller(host, port)
        smtp.start()
        self.stdout.write(f"Listening for mail on {smtp.hostname}:{smtp.port}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            smtp.stop()
