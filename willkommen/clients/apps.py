from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "willkommen.clients"
    label = "clients"
