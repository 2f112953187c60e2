from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "willkommen.audit"
    label = "audit"

    def ready(self):
        from . import office_objects, privacy

        privacy.register()  # the audit log's retention job
        office_objects.register()  # how the change history names teams and routing rules
