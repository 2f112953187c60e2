from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "willkommen.audit"
    label = "audit"

    def ready(self):
        from . import privacy

        privacy.register()  # the audit log's retention job
