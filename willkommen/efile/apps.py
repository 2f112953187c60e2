from django.apps import AppConfig


class EfileConfig(AppConfig):
    name = "willkommen.efile"
    label = "efile"
