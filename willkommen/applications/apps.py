from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "willkommen.applications"
    label = "applications"
