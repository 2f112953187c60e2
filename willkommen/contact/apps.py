from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "willkommen.contact"
    label = "contact"
