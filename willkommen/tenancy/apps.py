from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "willkommen.tenancy"
    label = "tenancy"
