from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "willkommen.audit"
    label = "audit"
