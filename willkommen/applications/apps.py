from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "willkommen.applications"
    label = "applications"

    def ready(self):
        # Registers the "case_code" way in (case number + access code) in the client identity registry.
        from . import identity  # noqa: F401
